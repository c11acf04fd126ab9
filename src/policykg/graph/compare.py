"""What changed between two documents: their provisions matched, and each change with both quotes.

Two provisions in different documents *correspond* when they concern the same things — the same
concepts and actors (``pkg:about`` and the entities in their action, condition, means and purpose,
one identity across documents) and the same addressee — with the similarity of their quotes as a
second signal (rapidfuzz). Each candidate pair gets a score::

    score = 0.55 * shared concerns + 0.15 * addressee agreement + 0.3 * text similarity

A pair is a candidate when it shares a concept, or when its quotes are close (text similarity at
least :data:`TEXT_ALONE`); candidates are matched one to one, best score first, down to
:data:`MIN_SCORE`. From the matches:

- **firmer** / **weaker**: the modality moved up or down :data:`FIRMNESS` (should → must is
  firmer);
- **prohibition**: a provision became negative (must → must not), or a new provision is one;
- **reworded**: the same modality and polarity, the quote changed (text similarity under
  :data:`SAME_TEXT`, at least :data:`REWORDED`);
- **related**: the same modality and polarity, about the same things in other words (text
  similarity under :data:`REWORDED`): the later document's treatment of the same concern;
- **new** / **dropped**: a provision of the second / first document matched nothing.

Targets are compared apart (:mod:`policykg.graph.figures_compare`): the same indicator with
another value, unit or qualifier is a **target changed**.

The documents' provisions come from the named query ``document-provisions``, so a comparison runs
the same on an in-memory graph, an Oxigraph store or a SPARQL endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import QueryError
from policykg.graph.entities import resolve
from policykg.graph.figures_compare import FigureChange, compare_targets
from policykg.graph.kg import PolicyKG
from policykg.graph.named import named
from policykg.rdf.terms import curie
from policykg.sparql.results import QueryResult

__all__ = [
    "CHANGE_KINDS",
    "FIRMNESS",
    "MIN_SCORE",
    "REWORDED",
    "SAME_TEXT",
    "TEXT_ALONE",
    "Change",
    "Comparison",
    "ProvisionItem",
    "compare_documents",
    "document_provisions",
    "match_provisions",
    "text_similarity",
]

#: How firmly each modality asks (higher is firmer); a matched pair that moves up is "firmer".
FIRMNESS: Mapping[str, int] = {
    "obligation": 6,
    "commitment": 5,
    "necessity": 4,
    "recommendation": 3,
    "intention": 2,
    "expectation": 1,
    "possibility": 1,
    "assertion": 0,
}
#: The kinds of change, in the order a report lists them.
CHANGE_KINDS: tuple[str, ...] = (
    "firmer",
    "weaker",
    "prohibition",
    "prohibition lifted",
    "reworded",
    "related",
    "new",
    "dropped",
    "unchanged",
)
MIN_SCORE = 0.5
TEXT_ALONE = 0.75
SAME_TEXT = 0.9
REWORDED = 0.4


@dataclass(frozen=True)
class ProvisionItem:
    """One provision of a document, as the comparison reads it."""

    iri: URIRef
    label: str
    modality: str
    polarity: str
    cue: str
    addressees: frozenset[URIRef]
    addressee_labels: tuple[str, ...]
    concerns: frozenset[URIRef]
    concern_labels: Mapping[URIRef, str]
    passage: URIRef
    quote: str
    start: int
    end: int
    states_target: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "provision": str(self.iri),
            "label": self.label,
            "modality": self.modality,
            "polarity": self.polarity,
            "cue": self.cue,
            "addressees": sorted(self.addressee_labels),
            "passage": str(self.passage),
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Change:
    """One line of a comparison: a matched pair, or a provision on one side only."""

    kind: str
    a: ProvisionItem | None
    b: ProvisionItem | None
    score: float = 0.0
    text: float = 0.0
    shared: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view with both quotes."""
        return {
            "kind": self.kind,
            "score": round(self.score, 3),
            "text_similarity": round(self.text, 3),
            "shared_concerns": list(self.shared),
            "a": self.a.to_dict() if self.a else None,
            "b": self.b.to_dict() if self.b else None,
        }


@dataclass
class Comparison:
    """The changes from document ``a`` to document ``b``."""

    a: URIRef
    b: URIRef
    changes: list[Change] = field(default_factory=list)
    about: URIRef | None = None
    targets: list[FigureChange] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many changes of each kind (every kind listed, zeros included)."""
        out = dict.fromkeys(CHANGE_KINDS, 0)
        for change in self.changes:
            out[change.kind] += 1
        return out

    def of_kind(self, *kinds: str) -> list[Change]:
        """The changes of the given kinds, in report order."""
        return [c for c in self.changes if c.kind in kinds]

    def to_dict(self, *, unchanged: bool = False) -> dict[str, Any]:
        """A JSON-ready view (without the unchanged pairs unless asked)."""
        return {
            "a": str(self.a),
            "b": str(self.b),
            "about": str(self.about) if self.about else None,
            "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes if unchanged or c.kind != "unchanged"],
            "targets": [
                t.to_dict() for t in self.targets if unchanged or t.kind != "target unchanged"
            ],
        }

    def to_result(self, *, unchanged: bool = False) -> QueryResult:
        """The changes as a table (one row per change, both quotes), for the result writers."""
        names = [
            "kind", "score", "modalityA", "modalityB", "addressee", "shared", "quoteA",
            "quoteB", "passageA", "passageB",
        ]  # fmt: skip
        rows: list[tuple[Node | None, ...]] = []
        for c in self.changes:
            if c.kind == "unchanged" and not unchanged:
                continue
            side = c.b or c.a
            assert side is not None
            rows.append(
                (
                    Literal(c.kind),
                    Literal(f"{c.score:.2f}") if c.a and c.b else None,
                    Literal(_modality(c.a)) if c.a else None,
                    Literal(_modality(c.b)) if c.b else None,
                    Literal(", ".join(side.addressee_labels)) if side.addressee_labels else None,
                    Literal("; ".join(c.shared)) if c.shared else None,
                    Literal(c.a.quote) if c.a else None,
                    Literal(c.b.quote) if c.b else None,
                    c.a.passage if c.a else None,
                    c.b.passage if c.b else None,
                )
            )
        for t in self.targets:
            if t.kind == "target unchanged" and not unchanged:
                continue
            rows.append(
                (
                    Literal(t.kind),
                    None,
                    Literal(t.a.text()) if t.a else None,
                    Literal(t.b.text()) if t.b else None,
                    None,
                    Literal(t.label),
                    Literal(t.a.quote) if t.a else None,
                    Literal(t.b.quote) if t.b else None,
                    t.a.passage if t.a else None,
                    t.b.passage if t.b else None,
                )
            )
        return QueryResult("select", names, rows)


def _modality(item: ProvisionItem) -> str:
    return item.modality if item.polarity != "negative" else f"{item.modality} (not)"


def _local(node: Node | None) -> str:
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if node is not None else ""


def document_provisions(kg: PolicyKG, document: str | Node) -> list[ProvisionItem]:
    """Read one document's provisions (named query ``document-provisions``) in text order."""
    doc = resolve(kg, document)
    rows = named(kg, "document-provisions", document=doc).dicts()
    return _items(rows)


def _items(rows: Iterable[Mapping[str, Node | None]]) -> list[ProvisionItem]:
    grouped: dict[URIRef, dict[str, Any]] = {}
    for row in rows:
        iri = row["provision"]
        if not isinstance(iri, URIRef):
            continue
        entry = grouped.setdefault(
            iri,
            {
                "label": str(row.get("provisionLabel") or _local(iri)),
                "modality": str(row.get("modalityLabel") or _local(row.get("modality"))),
                "polarity": _local(row.get("polarity")) or "affirmative",
                "cue": str(row.get("cue") or ""),
                "addressees": {},
                "concerns": {},
                "passage": row["passage"],
                "target": False,
                "quote": str(row["quote"]),
                "start": int(str(row["start"])),
                "end": int(str(row["end"])),
            },
        )
        if row.get("target") is not None:
            entry["target"] = True
        addressee = row.get("addressee")
        if isinstance(addressee, URIRef):
            entry["addressees"][addressee] = str(row.get("addresseeLabel") or _local(addressee))
        concern = row.get("concern")
        if isinstance(concern, URIRef):
            entry["concerns"][concern] = str(row.get("concernLabel") or _local(concern))
    items = [
        ProvisionItem(
            iri=iri,
            label=e["label"],
            modality=e["modality"],
            polarity=e["polarity"],
            cue=e["cue"],
            addressees=frozenset(e["addressees"]),
            addressee_labels=tuple(sorted(e["addressees"].values())),
            concerns=frozenset(e["concerns"]),
            concern_labels=dict(e["concerns"]),
            passage=e["passage"],
            quote=e["quote"],
            start=e["start"],
            end=e["end"],
            states_target=e["target"],
        )
        for iri, e in grouped.items()
    ]
    return sorted(items, key=lambda i: (i.start, str(i.iri)))


def text_similarity(a: str, b: str) -> float:
    """How alike two quotes are, 0 to 1 (rapidfuzz; by characters, so Chinese works too)."""
    from rapidfuzz import fuzz

    return max(fuzz.ratio(a, b), fuzz.token_set_ratio(a, b)) / 100.0


def _addressee_agreement(a: ProvisionItem, b: ProvisionItem) -> float:
    if a.addressees == b.addressees:
        return 1.0
    return 0.5 if a.addressees & b.addressees else 0.0


def match_provisions(
    left: Sequence[ProvisionItem], right: Sequence[ProvisionItem]
) -> list[tuple[ProvisionItem, ProvisionItem, float, float]]:
    """Match two documents' provisions one to one: ``(a, b, score, text similarity)``, best first.

    Only the concerns both documents have count (an action entity of one document's sentence
    says nothing about the other document); two provisions' concern score is the share of the
    smaller one's shared concerns that the other has too. Candidates share a concern or have close
    quotes; each provision is used at most once.
    """
    common = {c for a in left for c in a.concerns} & {c for b in right for c in b.concerns}
    by_concern: dict[URIRef, list[int]] = {}
    for j, b in enumerate(right):
        for c in b.concerns & common:
            by_concern.setdefault(c, []).append(j)
    candidates: list[tuple[float, float, int, int]] = []
    for i, a in enumerate(left):
        ca = a.concerns & common
        near = {j for c in ca for j in by_concern.get(c, [])}
        for j, b in enumerate(right):
            text = text_similarity(a.quote, b.quote)
            if j not in near and text < TEXT_ALONE:
                continue
            cb = b.concerns & common
            overlap = len(ca & cb) / min(len(ca), len(cb)) if ca and cb else 0.0
            score = 0.55 * overlap + 0.15 * _addressee_agreement(a, b) + 0.3 * text
            if score >= MIN_SCORE:
                candidates.append((score, text, i, j))
    candidates.sort(key=lambda c: (-c[0], c[2], c[3]))
    used_left: set[int] = set()
    used_right: set[int] = set()
    out: list[tuple[ProvisionItem, ProvisionItem, float, float]] = []
    for score, text, i, j in candidates:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        out.append((left[i], right[j], score, text))
    return out


def _kind(a: ProvisionItem, b: ProvisionItem, text: float) -> str:
    if a.polarity != b.polarity:
        return "prohibition" if b.polarity == "negative" else "prohibition lifted"
    fa, fb = FIRMNESS.get(a.modality, 0), FIRMNESS.get(b.modality, 0)
    if fb > fa:
        return "firmer"
    if fb < fa:
        return "weaker"
    if a.modality != b.modality or text < SAME_TEXT:
        return "reworded" if text >= REWORDED else "related"
    return "unchanged"


def compare_documents(
    kg: PolicyKG, a: str | Node, b: str | Node, *, about: str | Node | None = None
) -> Comparison:
    """Compare document ``a`` (the earlier) with document ``b``.

    Args:
        kg: the graph (in memory, a store or an endpoint).
        a: the first document (IRI, CURIE or label).
        b: the second document.
        about: keep only provisions about this entity (a concern or an addressee).

    Raises:
        UnknownEntityError: a document or ``about`` names nothing.
        QueryError: ``a`` and ``b`` are the same document.
    """
    doc_a, doc_b = resolve(kg, a), resolve(kg, b)
    if doc_a == doc_b:
        raise QueryError(f"compare needs two different documents, got {curie(doc_a)} twice")
    focus = resolve(kg, about) if about is not None else None
    # provisions that state targets are compared through their figures (compare_targets)
    left = [p for p in document_provisions(kg, doc_a) if not p.states_target]
    right = [p for p in document_provisions(kg, doc_b) if not p.states_target]
    if focus is not None:
        left = [p for p in left if focus in p.concerns or focus in p.addressees]
        right = [p for p in right if focus in p.concerns or focus in p.addressees]
    pairs = match_provisions(left, right)
    changes: list[Change] = []
    matched_left = {p[0].iri for p in pairs}
    matched_right = {p[1].iri for p in pairs}
    for pa, pb, score, text in pairs:
        shared = tuple(sorted(pa.concern_labels[c] for c in pa.concerns & pb.concerns))
        changes.append(Change(_kind(pa, pb, text), pa, pb, score, text, shared))
    changes += [
        Change("prohibition" if p.polarity == "negative" else "new", None, p)
        for p in right
        if p.iri not in matched_right
    ]
    changes += [Change("dropped", p, None) for p in left if p.iri not in matched_left]
    order = {k: n for n, k in enumerate(CHANGE_KINDS)}
    changes.sort(key=lambda c: (order[c.kind], *_position(c)))
    targets = compare_targets(kg, doc_a, doc_b) if focus is None else []
    return Comparison(doc_a, doc_b, changes, focus, targets)


def _position(change: Change) -> tuple[int, str]:
    side = change.b or change.a
    return (side.start, str(side.iri)) if side is not None else (0, "")
