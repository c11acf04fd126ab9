"""What changed in two documents' targets: the same indicator, another value or qualifier.

A target (``pkg:Target``) is what a document sets as an aim for its period; two documents'
targets correspond when they have the same indicator (one entity per measure across documents,
``kg:gdp-growth``), or, without one, the same measure text. The figures come from the named
query ``document-figures``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from policykg.graph.kg import PolicyKG
from policykg.graph.named import named

__all__ = ["FIGURE_CHANGE_KINDS", "Figure", "FigureChange", "compare_targets", "document_figures"]

FIGURE_CHANGE_KINDS: tuple[str, ...] = (
    "target changed",
    "target new",
    "target dropped",
    "target unchanged",
)


@dataclass(frozen=True)
class Figure:
    """One figure of a document."""

    iri: URIRef
    kind: str
    indicator: URIRef | None
    label: str
    value: str
    unit: str
    qualifier: str
    period: str
    passage: URIRef
    quote: str
    start: int

    @property
    def key(self) -> str:
        """What the figure measures (its indicator, else its measure text)."""
        return str(self.indicator) if self.indicator is not None else self.label.casefold()

    def text(self) -> str:
        """``about 5 percent``."""
        return " ".join(x for x in (self.qualifier, self.value, self.unit) if x)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "figure": str(self.iri),
            "indicator": str(self.indicator) if self.indicator else None,
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "qualifier": self.qualifier,
            "period": self.period,
            "passage": str(self.passage),
            "quote": self.quote,
        }


@dataclass(frozen=True)
class FigureChange:
    """A target on both sides (changed or not) or on one side only."""

    kind: str
    a: Figure | None
    b: Figure | None

    @property
    def label(self) -> str:
        """What the target measures."""
        side = self.b or self.a
        return side.label if side is not None else ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view with both quotes."""
        return {
            "kind": self.kind,
            "measure": self.label,
            "a": self.a.to_dict() if self.a else None,
            "b": self.b.to_dict() if self.b else None,
        }


def _s(node: Node | None) -> str:
    return str(node) if node is not None else ""


def document_figures(kg: PolicyKG, document: URIRef) -> list[Figure]:
    """One document's figures (named query ``document-figures``), in text order."""
    out: dict[URIRef, Figure] = {}
    for r in named(kg, "document-figures", document=document).dicts():
        iri = r["figure"]
        if not isinstance(iri, URIRef) or iri in out:
            continue
        indicator = r.get("indicator")
        label = r.get("indicatorLabel") or r.get("measure") or r.get("figureLabel")
        out[iri] = Figure(
            iri=iri,
            kind=_s(r.get("kind")) or "achieved",
            indicator=indicator if isinstance(indicator, URIRef) else None,
            label=_s(label) or str(iri).rsplit("/", 1)[-1],
            value=_s(r.get("value")),
            unit=_s(r.get("unit")),
            qualifier=_s(r.get("qualifier")),
            period=_s(r.get("period")),
            passage=r["passage"],  # type: ignore[arg-type]
            quote=_s(r.get("quote")),
            start=int(_s(r.get("start")) or 0),
        )
    return sorted(out.values(), key=lambda f: (f.start, str(f.iri)))


def _by_key(figures: list[Figure]) -> Mapping[str, Figure]:
    found: dict[str, Figure] = {}
    for f in figures:
        if f.kind == "target":
            found.setdefault(f.key, f)
    return found


def compare_targets(kg: PolicyKG, a: URIRef, b: URIRef) -> list[FigureChange]:
    """The targets of ``a`` and ``b`` paired by indicator: changed, new, dropped, unchanged."""
    left, right = _by_key(document_figures(kg, a)), _by_key(document_figures(kg, b))
    out: list[FigureChange] = []
    for key, fb in right.items():
        fa = left.get(key)
        if fa is None:
            out.append(FigureChange("target new", None, fb))
        elif (fa.value, fa.unit, fa.qualifier) != (fb.value, fb.unit, fb.qualifier):
            out.append(FigureChange("target changed", fa, fb))
        else:
            out.append(FigureChange("target unchanged", fa, fb))
    out += [FigureChange("target dropped", fa, None) for k, fa in left.items() if k not in right]
    order = {k: n for n, k in enumerate(FIGURE_CHANGE_KINDS)}
    return sorted(out, key=lambda c: (order[c.kind], c.label))
