"""An entity across the documents, by year, following reviewed identity merges (``owl:sameAs``).

``describe`` shows, for each document that names an entity or one merged with it by a reviewed
``owl:sameAs`` (``policykg corpus merge``), the document's year and how many of its passages
mention the entity, state a fact about it, and how many provisions name it (addressee, action,
condition, means, purpose, speaker, topic). Passages that are drafts (``pkg:reviewStatus
pkg:Unreviewed``) are counted apart, so a draft is always said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from policykg.rdf.terms import curie
from policykg.store.execute import run

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG

__all__ = ["YearRow", "by_year", "same_as"]

_SAME_Q = "SELECT DISTINCT ?o WHERE { { ?e owl:sameAs ?o } UNION { ?o owl:sameAs ?e } }"

_YEAR_Q = """SELECT ?year ?document ?passage ?kind ?item ?draft WHERE {
  {
    { ?e pkg:mentionedIn ?passage BIND("mention" AS ?kind) BIND(?passage AS ?item) }
    UNION { GRAPH ?passage { ?e ?x ?o } FILTER(?x != pkg:mentionedIn)
            BIND("fact" AS ?kind) BIND(?passage AS ?item) }
    UNION { GRAPH ?passage { ?s ?y ?e } FILTER NOT EXISTS { ?s pkg:modality ?m0 }
            BIND("fact" AS ?kind) BIND(?passage AS ?item) }
    UNION { VALUES ?role { pkg:addressee pkg:action pkg:condition pkg:means pkg:purpose
                           pkg:statedBy pkg:about }
            GRAPH ?passage { ?v ?role ?e ; pkg:modality ?m }
            BIND("provision" AS ?kind) BIND(?v AS ?item) }
  }
  ?passage pkg:inDocument ?document .
  ?document pkg:publicationYear ?year .
  BIND(EXISTS { ?passage pkg:reviewStatus pkg:Unreviewed } AS ?draft)
}"""

_LABEL_Q = "SELECT ?l WHERE { ?d skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), \"en\")) }"


@dataclass(frozen=True)
class YearRow:
    """What one document says about an entity (or one merged with it).

    Attributes:
        year: the document's ``pkg:publicationYear``.
        document: the document's IRI.
        label: its English label (or CURIE).
        mentions: its passages that mention the entity.
        facts: its passages that state a fact about the entity.
        provisions: its provisions that name the entity.
        drafts: how many of those passages are drafts (unreviewed).
        via: the merged entities (``owl:sameAs``) the document names instead, if any.
    """

    year: int
    document: URIRef
    label: str
    mentions: int
    facts: int
    provisions: int
    drafts: int = 0
    via: tuple[URIRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (``draft`` true when drafts are counted)."""
        out: dict[str, Any] = {
            "year": self.year, "document": str(self.document), "label": self.label,
            "mentions": self.mentions, "facts": self.facts, "provisions": self.provisions,
            "draft_passages": self.drafts, "draft": self.drafts > 0,
        }
        if self.via:
            out["via"] = [str(v) for v in self.via]
        return out

    def text(self) -> str:
        """One line: ``2024 kg:gwr-2024 (label): 3 mentions, 1 fact, 2 provisions``."""
        parts = [f"{self.mentions} mention(s)", f"{self.facts} fact(s)",
                 f"{self.provisions} provision(s)"]
        line = f"{self.year} {curie(str(self.document))} ({self.label}): " + ", ".join(parts)
        if self.drafts:
            line += f" — {self.drafts} draft passage(s) (draft)"
        if self.via:
            line += " — as " + ", ".join(curie(str(v)) for v in self.via)
        return line


def same_as(kg: PolicyKG, iri: URIRef) -> tuple[URIRef, ...]:
    """The entities one with ``iri`` by ``owl:sameAs`` (either direction, transitively)."""
    seen = {iri}
    todo = [iri]
    while todo:
        for (o,) in run(kg, _SAME_Q, {"e": todo.pop()}).rows:
            if isinstance(o, URIRef) and o not in seen:
                seen.add(o)
                todo.append(o)
    return tuple(sorted(seen - {iri}, key=str))


def by_year(kg: PolicyKG, iri: URIRef, merged: Sequence[URIRef] = ()) -> tuple[YearRow, ...]:
    """What each document says about ``iri`` and the entities ``merged`` with it, oldest first."""
    found: dict[URIRef, dict[str, Any]] = {}
    for entity in (iri, *merged):
        for year, document, passage, kind, item, draft in run(kg, _YEAR_Q, {"e": entity}).rows:
            if not isinstance(document, URIRef):
                continue
            row = found.setdefault(document, {
                "year": int(str(year)), "mention": set(), "fact": set(), "provision": set(),
                "drafts": set(), "via": set(),
            })
            row[str(kind)].add(item)
            if str(draft).lower() == "true":
                row["drafts"].add(passage)
            if entity != iri:
                row["via"].add(entity)
    rows = []
    for document, row in found.items():
        labels = run(kg, _LABEL_Q, {"d": document}).rows
        label = str(labels[0][0]) if labels else curie(str(document))
        rows.append(YearRow(row["year"], document, label, len(row["mention"]), len(row["fact"]),
                            len(row["provision"]), len(row["drafts"]),
                            tuple(sorted(row["via"], key=str))))
    return tuple(sorted(rows, key=lambda r: (r.year, str(r.document))))
