"""Drafts in answers: which resources are drafts, and a ``draft`` column for query results.

A draft is any resource with ``pkg:reviewStatus pkg:Unreviewed`` (a passage, provision, figure
or entity the annotator made for an imported corpus document) and every statement in the graph
of a draft passage. Drafts are loaded only when asked for (``policykg.load(drafts=True)``,
``--drafts``); an answer that shows one says so.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from policykg.rdf.terms import curie
from policykg.sparql.results import QueryResult
from policykg.store.execute import run

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG

__all__ = [
    "DRAFT_COLUMN", "draft_resources", "mark_draft_dict", "mark_draft_rows", "mark_draft_text",
]

#: The column :func:`mark_draft_rows` adds.
DRAFT_COLUMN = "draft"

_DRAFTS_Q = "SELECT DISTINCT ?s WHERE { ?s pkg:reviewStatus pkg:Unreviewed }"


def draft_resources(kg: PolicyKG) -> frozenset[URIRef]:
    """Every draft resource of the loaded graph (empty when no drafts are loaded)."""
    return frozenset(r[0] for r in run(kg, _DRAFTS_Q).rows if isinstance(r[0], URIRef))


def mark_draft_rows(kg: PolicyKG, result: QueryResult) -> QueryResult:
    """Add a ``draft`` column to a SELECT result: ``draft`` on each row naming a draft resource.

    Other results (ASK, CONSTRUCT), and results of a graph without drafts, are returned as they
    are.
    """
    if result.kind != "select" or DRAFT_COLUMN in result.vars:
        return result
    drafts = draft_resources(kg)
    if not drafts:
        return result
    rows = [
        (*row, Literal(DRAFT_COLUMN) if any(v in drafts for v in row) else None)
        for row in result.rows
    ]
    return QueryResult("select", [*result.vars, DRAFT_COLUMN], rows)


def _draft_curies(kg: PolicyKG) -> dict[str, str]:
    return {curie(str(r)): str(r) for r in draft_resources(kg)}


def mark_draft_text(kg: PolicyKG, text: str) -> str:
    """Say ``draft`` after every draft resource a text names by CURIE (``describe``'s output)."""
    curies = _draft_curies(kg)
    if not curies:
        return text
    pattern = re.compile(r"kg:[A-Za-z0-9_.-]*[A-Za-z0-9_]")
    return pattern.sub(lambda m: f"{m.group(0)} (draft)" if m.group(0) in curies else m.group(0),
                       text)


def mark_draft_dict(kg: PolicyKG, data: object) -> object:
    """Add ``"draft": true`` to every mapping of a JSON-ready value that names a draft."""
    drafts = set(_draft_curies(kg).values())
    if not drafts:
        return data

    def walk(value: object) -> object:
        if isinstance(value, dict):
            out = {k: walk(v) for k, v in value.items()}
            if any(isinstance(v, str) and v in drafts for v in value.values()):
                out["draft"] = True
            return out
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(data)
