"""A concept, actor or measure across the corpus: one row per document, by year.

The rows come from two named queries, so a timeline runs the same on a graph, a store or a SPARQL
endpoint: ``entity-timeline`` (the passages that mention the entity and the provisions about it)
and, for a measure, ``target-series`` (its target and achieved values, one per document). The first
and last rows are the term's first and last appearance in the corpus.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import UnknownQueryError
from policykg.graph.entities import labels_of, resolve
from policykg.graph.kg import PolicyKG
from policykg.graph.named import named
from policykg.sparql.results import QueryResult

__all__ = ["Timeline", "TimelineRow", "TimelineValue", "timeline"]


@dataclass(frozen=True)
class TimelineValue:
    """A figure of a measure in one document (a target or an achieved value)."""

    value: str
    unit: str
    qualifier: str
    kind: str
    quote: str


@dataclass
class TimelineRow:
    """What one document says about the entity."""

    year: int | None
    document: URIRef
    label: str
    passages: set[URIRef] = field(default_factory=set)
    provisions: dict[URIRef, tuple[str, str, str]] = field(default_factory=dict)
    quotes: dict[URIRef, tuple[int, str]] = field(default_factory=dict)
    values: list[TimelineValue] = field(default_factory=list)

    def modalities(self) -> dict[str, int]:
        """How many provisions of each modality (``must not`` counted apart)."""
        out: dict[str, int] = {}
        for modality, polarity, _ in self.provisions.values():
            key = f"{modality} (not)" if polarity == "negative" else modality
            out[key] = out.get(key, 0) + 1
        return dict(sorted(out.items()))

    def modalities_text(self) -> str:
        """``obligation 2, recommendation 1``."""
        return ", ".join(f"{k} {n}" for k, n in self.modalities().items())

    def values_text(self) -> str:
        """``target about 5 percent; achieved 5.2 percent``."""
        return "; ".join(
            " ".join(x for x in (v.kind, v.qualifier, v.value, v.unit) if x) for v in self.values
        )

    def first_quote(self) -> str:
        """The document's first passage about the entity."""
        return min(self.quotes.values())[1] if self.quotes else ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "year": self.year,
            "document": str(self.document),
            "label": self.label,
            "passages": len(self.passages),
            "provisions": len(self.provisions),
            "modalities": self.modalities(),
            "values": [v.__dict__ for v in self.values],
            "first_quote": self.first_quote(),
        }


@dataclass
class Timeline:
    """The entity's rows, in year order."""

    entity: URIRef
    label: str
    rows: list[TimelineRow]

    @property
    def first(self) -> TimelineRow | None:
        """The earliest document that names the entity."""
        return self.rows[0] if self.rows else None

    @property
    def last(self) -> TimelineRow | None:
        """The latest document that names the entity."""
        return self.rows[-1] if self.rows else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "entity": str(self.entity),
            "label": self.label,
            "first": self.first.year if self.first else None,
            "last": self.last.year if self.last else None,
            "rows": [r.to_dict() for r in self.rows],
        }

    def to_result(self) -> QueryResult:
        """The timeline as a table for the result writers: one row per document."""
        names = ["year", "document", "passages", "provisions", "modalities", "values", "quote"]
        rows: list[tuple[Node | None, ...]] = []
        for r in self.rows:
            values = "; ".join(
                " ".join(x for x in (v.kind, v.qualifier, v.value, v.unit) if x) for v in r.values
            )
            rows.append(
                (
                    Literal(r.year) if r.year is not None else None,
                    r.document,
                    Literal(len(r.passages)),
                    Literal(len(r.provisions)),
                    Literal(", ".join(f"{k} {n}" for k, n in r.modalities().items()))
                    if r.provisions
                    else None,
                    Literal(values) if values else None,
                    Literal(r.first_quote()) if r.quotes else None,
                )
            )
        return QueryResult("select", names, rows)


def _int(node: Node | None) -> int | None:
    try:
        return int(str(node)) if node is not None else None
    except ValueError:
        return None


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    return str(node).rsplit("#", 1)[-1] if isinstance(node, URIRef) else str(node)


def timeline(kg: PolicyKG, entity: str | Node) -> Timeline:
    """The rows of ``entity`` across the documents of ``kg``, earliest first.

    Raises:
        UnknownEntityError: ``entity`` names nothing.
    """
    iri = resolve(kg, entity)
    rows: dict[URIRef, TimelineRow] = {}

    def row_of(r: Mapping[str, Node | None]) -> TimelineRow | None:
        doc = r.get("document")
        if not isinstance(doc, URIRef):
            return None
        if doc not in rows:
            label = r.get("documentLabel")
            rows[doc] = TimelineRow(_int(r.get("year")), doc, str(label) if label else _text(doc))
        return rows[doc]

    for r in named(kg, "entity-timeline", entity=iri).dicts():
        row = row_of(r)
        passage = r.get("passage")
        if row is None or not isinstance(passage, URIRef):
            continue
        row.passages.add(passage)
        row.quotes[passage] = (_int(r.get("start")) or 0, str(r.get("quote") or ""))
        provision = r.get("provision")
        if isinstance(provision, URIRef):
            row.provisions[provision] = (
                _text(r.get("modalityLabel")),
                _text(r.get("polarity")) or "affirmative",
                str(r.get("quote") or ""),
            )
    for r in _series(kg, iri):
        row = row_of(r)
        if row is None:
            continue
        row.values.append(
            TimelineValue(
                value=_text(r.get("value")),
                unit=_text(r.get("unit")),
                qualifier=_text(r.get("qualifier")),
                kind=_text(r.get("kind")) or "target",
                quote=str(r.get("quote") or ""),
            )
        )
    label = labels_of(kg, [iri]).name(iri)
    ordered = sorted(rows.values(), key=lambda r: (r.year is None, r.year or 0, str(r.document)))
    return Timeline(iri, label, ordered)


def _series(kg: PolicyKG, measure: URIRef) -> list[dict[str, Node | None]]:
    """The measure's values by document (``target-series``), or none when there is no such query."""
    try:
        return named(kg, "target-series", measure=measure).dicts()
    except UnknownQueryError:
        return []
