"""The ``*-violation`` queries of the catalogue, run as checks (as ODK's ``robot verify`` does).

Each query must return nothing; every row it returns is one problem, named after the query, about
the row's first term. The queries run on the Oxigraph store, over the union of all graphs.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Literal
from rdflib.term import Node

from policykg.core.namespaces import PREFIXES
from policykg.rdf.terms import curie, from_oxigraph
from policykg.sparql.catalogue import NamedQuery, shipped_queries

from .data import CheckData
from .report import Problem

__all__ = ["check_violation_queries", "violation_queries"]


def violation_queries() -> list[NamedQuery]:
    """The catalogue's ``*-violation`` queries, by name (the others are not read)."""
    return [q for q in shipped_queries("-violation") if q.role == "violation"]


def check_violation_queries(
    data: CheckData, queries: Sequence[NamedQuery] | None = None
) -> list[Problem]:
    """Run each violation query on ``data``; one problem per row."""
    problems: list[Problem] = []
    for q in violation_queries() if queries is None else queries:
        result = data.store.query(q.text, prefixes=PREFIXES, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        for solution in result:
            values = [from_oxigraph(solution[n]) for n in names]
            entity = values[0]
            if entity is None:
                continue
            rest = "; ".join(
                f"{n}: {_show(v)}"
                for n, v in zip(names[1:], values[1:], strict=True)
                if v is not None
            )
            problems.append(
                Problem(
                    data.file_of(entity),
                    data.label(entity),
                    q.name,
                    f"{_title(q)}{': ' + rest if rest else ''}",
                )
            )
    return problems


def _title(q: NamedQuery) -> str:
    return q.title.removesuffix("(must return nothing)").strip()


def _show(node: Node) -> str:
    if isinstance(node, Literal):
        return str(node)
    return curie(node)
