"""Entities by name, and the facts about them with their evidence.

(Names are resolved in :mod:`policykg.graph.lookup`; everything there is re-exported here.)

An entity can be named by IRI (``https://w3id.org/policykg/id/high-end-chips`` or ``<...>``), by
CURIE (``kg:high-end-chips``), by its slug (``high-end-chips``) or by any of its labels in English
or Chinese (``high-end chips``, ``高端芯片``), case-insensitively. An unknown name raises
:class:`~policykg.errors.UnknownEntityError` suggesting the nearest labels.

Facts are the triples of the data graphs. The passage that states a fact is the named graph holding
it (see docs/DESIGN.md); its quote and character offsets are the fact's :class:`Evidence`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import UnknownEntityError
from policykg.core.namespaces import PKG, RDF, RDFS, SKOS
from policykg.core.text import escape_controls
from policykg.graph.by_year import YearRow, by_year, same_as
from policykg.graph.display import description_html, provisions_html
from policykg.graph.lookup import (  # noqa: F401 (re-exported: the documented entry point)
    _LABEL_PROPS,
    _META,
    _ONTOLOGY,
    _PASSAGES_OF_Q,
    Evidence,
    GraphIndex,
    _by_label,
    _fill_passages,
    _labels_matching,
    index,
    initials_matches,
    labels_of,
    partial_index,
    resolve,
)
from policykg.graph.names import acronym_key, name_key
from policykg.rdf.terms import curie, expand_curie
from policykg.store.execute import run

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG
    from policykg.sparql.results import QueryResult

__all__ = [
    "PROVISION_ROLES",
    "Description",
    "Evidence",
    "Fact",
    "GraphIndex",
    "ProvisionList",
    "ProvisionView",
    "curie",
    "describe",
    "evidence",
    "expand_curie",
    "find",
    "index",
    "labels_of",
    "make_fact",
    "partial_index",
    "resolve",
]

# -- facts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One statement of the graph, with readable names and the passages that state it.

    Attributes:
        subject: the subject IRI.
        predicate: the predicate IRI.
        object: the object (an IRI or a literal).
        subject_label: the subject's English label (or CURIE).
        predicate_label: the predicate's English label (or CURIE).
        object_label: the object's English label, CURIE or literal text.
        evidence: the passages stating it (empty for facts not from a document, e.g. extensions).
        graphs: every named graph holding it.
    """

    subject: URIRef
    predicate: URIRef
    object: Node
    subject_label: str
    predicate_label: str
    object_label: str
    evidence: tuple[Evidence, ...] = ()
    graphs: tuple[URIRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (IRIs and literals as strings)."""
        obj: dict[str, Any] = {"value": str(self.object), "label": self.object_label}
        if isinstance(self.object, Literal):
            obj["type"] = "literal"
            if self.object.language:
                obj["language"] = self.object.language
            elif self.object.datatype is not None:
                obj["datatype"] = str(self.object.datatype)
        else:
            obj["type"] = "uri"
        return {
            "subject": {"value": str(self.subject), "label": self.subject_label},
            "predicate": {"value": str(self.predicate), "label": self.predicate_label},
            "object": obj,
            "evidence": [e.to_dict() for e in self.evidence],
            "graphs": [str(g) for g in self.graphs],
        }

    def text(self) -> str:
        """Return the fact read out: ``subject —predicate→ object`` (control characters escaped)."""
        s, p, o = (escape_controls(x) for x in (self.subject_label, self.predicate_label,
                                                 self.object_label))
        return f"{s} —{p}→ {o}"

    def __str__(self) -> str:
        return self.text()


def _evidence_order(e: Evidence) -> tuple[int, str]:
    return (e.start if e.start is not None else -1, str(e.passage))


def make_fact(idx: GraphIndex, s: URIRef, p: URIRef, o: Node, graphs: Iterable[URIRef]) -> Fact:
    """Build a :class:`Fact` with labels and evidence from the index."""
    gs = tuple(sorted(set(graphs), key=str))  # str keys: comparing URIRefs runs Python code
    ev = tuple(
        sorted(
            (idx.passages[g] for g in gs if g in idx.passages),
            key=lambda e: (e.start if e.start is not None else -1, str(e.passage)),
        )
    )
    return Fact(s, p, o, idx.name(s), idx.name(p), idx.name(o), ev, gs)


#: The roles an entity can play in a provision, in the order they are shown.
PROVISION_ROLES: tuple[tuple[URIRef, str], ...] = (
    (PKG.addressee, "addressee"),
    (PKG.action, "action"),
    (PKG.condition, "condition"),
    (PKG.means, "means"),
    (PKG.purpose, "purpose"),
    (PKG.statedBy, "stated by"),
    (PKG.about, "about"),
)
_ROLE_NAMES = dict(PROVISION_ROLES)


@dataclass(frozen=True)
class ProvisionView:
    """A provision an entity takes part in, read out for ``describe``.

    Attributes:
        provision: the provision's IRI.
        roles: the entity's roles in it (``addressee``, ``action``, ...).
        modality: the modality's IRI (``pkg:recommendation``).
        modality_label: its English label.
        cue: the text's modal words (``should``), if recorded.
        parts: role name -> the English labels of its values, for every role the provision fills.
        evidence: the passage that states it.
    """

    provision: URIRef
    roles: tuple[str, ...]
    modality: URIRef
    modality_label: str
    cue: str | None
    parts: tuple[tuple[str, tuple[str, ...]], ...]
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {
            "provision": str(self.provision),
            "roles": list(self.roles),
            "modality": curie(str(self.modality)),
            "modality_label": self.modality_label,
            "cue": self.cue,
            "parts": {name: list(values) for name, values in self.parts},
            "evidence": [e.to_dict() for e in self.evidence],
        }

    def text(self) -> str:
        """``as addressee: recommendation ("should") — action: ...; purpose: ...``."""
        cue = f' ("{self.cue}")' if self.cue else ""
        body = "; ".join(f"{name}: {', '.join(values)}" for name, values in self.parts)
        return f"as {' and '.join(self.roles)}: {self.modality_label}{cue} — {body}"

    def _repr_html_(self) -> str:
        return provisions_html([self])


class ProvisionList(tuple[ProvisionView, ...]):
    """The provisions of a description: a tuple that notebooks show as a table."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return provisions_html(self)


@dataclass(frozen=True)
class Description:
    """Everything the graph says about one entity.

    Attributes:
        entity: the entity's IRI.
        label: its English preferred label (or CURIE).
        labels: every label (preferred, alternative, rdfs:label) with its property.
        types: its asserted classes, most specific first.
        facts: statements with the entity as subject (first) or object, each with its evidence;
            a provision's links to the entity are shown under ``provisions`` instead.
        mentioned_in: the passages that mention the entity.
        provisions: the provisions the entity is the addressee, action, condition, means,
            purpose or speaker of, with their modality, in document order.
    """

    entity: URIRef
    label: str
    labels: tuple[tuple[URIRef, Literal], ...]
    types: tuple[URIRef, ...]
    facts: tuple[Fact, ...]
    mentioned_in: tuple[Evidence, ...]
    provisions: tuple[ProvisionView, ...] = ProvisionList()
    by_year: tuple[YearRow, ...] = ()
    same_as: tuple[URIRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {
            "same_as": [str(s) for s in self.same_as],
            "by_year": [r.to_dict() for r in self.by_year],
            "entity": str(self.entity),
            "curie": curie(str(self.entity)),
            "label": self.label,
            "types": [str(t) for t in self.types],
            "labels": [
                {"property": curie(str(p)), "value": str(lit), "language": lit.language}
                for p, lit in self.labels
            ],
            "facts": [f.to_dict() for f in self.facts],
            "provisions": [p.to_dict() for p in self.provisions],
            "mentioned_in": [e.to_dict() for e in self.mentioned_in],
        }

    def text(self, *, quotes: bool = True) -> str:
        """Return a readable, multi-line account of the entity (control characters escaped)."""
        lines = [f"{escape_controls(self.label)} ({curie(str(self.entity))})"]
        if self.types:
            lines.append("  class: " + ", ".join(curie(str(t)) for t in self.types))
        others = [
            escape_controls(str(lit)) + (f" @{lit.language}" if lit.language else "") + (
                " (alt)" if prop == SKOS.altLabel else ""
            )
            for prop, lit in self.labels
            if prop != RDFS.label and not (prop == SKOS.prefLabel and str(lit) == self.label)
        ]
        if others:
            lines.append("  labels: " + "; ".join(dict.fromkeys(others)))
        for title, items in (("facts", self.facts), ("provisions", self.provisions)):
            if items:
                lines.append(f"  {title}:")
            for item in items:
                lines.append(f"    {item.text()}")
                if quotes:
                    lines += [f"        {e.text()}" for e in item.evidence]
        if self.mentioned_in:
            passages = ", ".join(curie(str(e.passage)) for e in self.mentioned_in)
            lines.append(f"  mentioned in: {passages}")
        if self.same_as:
            lines.append("  same as (reviewed merge): "
                         + ", ".join(curie(str(s)) for s in self.same_as))
        if self.by_year:
            lines.append("  by year:")
            lines += [f"    {r.text()}" for r in self.by_year]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return description_html(self)

    def __str__(self) -> str:
        return self.text()


_OUT_Q = "SELECT ?p ?o ?g WHERE { GRAPH ?g { ?e ?p ?o } }"
_PROVISIONS_Q = """SELECT ?v ?role ?p ?o ?g WHERE {
  VALUES ?role {
    pkg:addressee pkg:action pkg:condition pkg:means pkg:purpose pkg:statedBy pkg:about
  }
  GRAPH ?g { ?v ?role ?e ; pkg:modality ?m ; ?p ?o }
}"""
_IN_Q = "SELECT ?s ?p ?g WHERE { GRAPH ?g { ?s ?p ?e } }"


def describe(kg: PolicyKG, entity: str | Node) -> Description:
    """Return every fact about ``entity`` (as subject or object), each with its evidence quotes.

    Types, labels and ``pkg:mentionedIn`` links are reported apart (``types``, ``labels``,
    ``mentioned_in``); the ontology's own axioms count as facts only when the entity is an
    ontology term.

    Raises:
        UnknownEntityError: ``entity`` names nothing in the graph.
    """
    iri = resolve(kg, entity)
    out_rows = run(kg, _OUT_Q, {"e": iri}).rows
    in_rows = run(kg, _IN_Q, {"e": iri}).rows
    prov_rows = run(kg, _PROVISIONS_Q, {"e": iri}).rows
    # Labels, classes and passages of just what the description shows (not the whole graph).
    idx = partial_index(
        kg,
        terms=[t for row in out_rows + in_rows for t in row[:2]]
        + [row[3] for row in prov_rows],
        passages=[row[2] for row in out_rows + in_rows]
        + [o for p, o, _ in out_rows if p == PKG.mentionedIn]
        + [row[4] for row in prov_rows],
        typed=iri,
    )
    provisions = _provision_views(idx, prov_rows)
    shown = {(p.provision, role) for p in provisions for role, _ in PROVISION_ROLES}
    grouped: dict[tuple[URIRef, URIRef, Node], list[URIRef]] = {}
    types: list[URIRef] = []
    mentions: list[Evidence] = []
    for p, o, g in out_rows:
        if not isinstance(p, URIRef) or o is None or not isinstance(g, URIRef):
            continue
        if p == RDF.type and isinstance(o, URIRef):
            types.append(o)
        elif p == PKG.mentionedIn and isinstance(o, URIRef):
            mentions.append(idx.passages.get(o) or Evidence(o, ""))
        elif p not in _META:
            grouped.setdefault((iri, p, o), []).append(g)
    incoming: dict[tuple[URIRef, URIRef, Node], list[URIRef]] = {}
    for s, p, g in in_rows:
        if isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(g, URIRef):
            if p in (PKG.mentionedIn, PKG.mentions) or (g == _ONTOLOGY and s != iri):
                continue
            if (s, p) in shown:
                continue  # shown with its modality under provisions
            if (s, p, iri) not in grouped:
                incoming.setdefault((s, p, iri), []).append(g)

    def order(key: tuple[URIRef, URIRef, Node]) -> tuple[str, str, str]:
        s, p, o = key
        return (idx.name(p), idx.name(o if s == iri else s), str(o))

    facts = [make_fact(idx, *k, grouped[k]) for k in sorted(grouped, key=order)]
    facts += [make_fact(idx, *k, incoming[k]) for k in sorted(incoming, key=order)]
    specific = idx.most_specific(iri)
    ordered_types = [t for t in sorted(set(types)) if t in specific] + [
        t for t in sorted(set(types)) if t not in specific
    ]
    labels = tuple(
        (prop, lit)
        for prop in _LABEL_PROPS
        for lit in idx.labels.get(iri, {}).get(prop, [])
    )
    mentions = sorted(set(mentions), key=_evidence_order)
    merged = same_as(kg, iri)
    return Description(
        entity=iri,
        label=idx.name(iri),
        labels=labels,
        types=tuple(ordered_types),
        facts=tuple(facts),
        mentioned_in=tuple(mentions),
        provisions=provisions,
        by_year=by_year(kg, iri, merged),
        same_as=merged,
    )


def _provision_views(idx: GraphIndex, rows: Sequence[Sequence[Any]]) -> tuple[ProvisionView, ...]:
    """Group the rows of ``_PROVISIONS_Q`` into one view per provision, in document order."""
    roles: dict[URIRef, set[URIRef]] = {}
    values: dict[URIRef, dict[URIRef, set[Node]]] = {}
    graphs: dict[URIRef, set[URIRef]] = {}
    for v, role, p, o, g in rows:
        if not (isinstance(v, URIRef) and isinstance(p, URIRef) and isinstance(g, URIRef)):
            continue
        if isinstance(role, URIRef):
            roles.setdefault(v, set()).add(role)
        if o is not None:
            values.setdefault(v, {}).setdefault(p, set()).add(o)
        graphs.setdefault(v, set()).add(g)
    views: list[ProvisionView] = []
    for v, props in values.items():
        modality = next(iter(sorted(props.get(PKG.modality, set()), key=str)), None)
        if not isinstance(modality, URIRef):
            continue
        cue = next(iter(sorted(str(c) for c in props.get(PKG.cue, set()))), None)
        parts = tuple(
            (name, tuple(sorted(idx.name(o) for o in props[prop])))
            for prop, name in PROVISION_ROLES
            if props.get(prop)
        )
        evidence = tuple(
            sorted((idx.passages[g] for g in graphs[v] if g in idx.passages), key=_evidence_order)
        )
        views.append(
            ProvisionView(
                provision=v,
                roles=tuple(_ROLE_NAMES[r] for r, _ in PROVISION_ROLES if r in roles[v]),
                modality=modality,
                modality_label=idx.name(modality),
                cue=cue,
                parts=parts,
                evidence=evidence,
            )
        )
    return ProvisionList(
        sorted(
            views,
            key=lambda pv: (
                min((_evidence_order(e) for e in pv.evidence), default=(-1, "")),
                str(pv.provision),
            ),
        )
    )


def _fact_terms(kg: PolicyKG, fact: Sequence[Any]) -> tuple[URIRef, URIRef, Node]:
    if len(fact) != 3:
        raise UnknownEntityError(f"a fact is (subject, predicate, object), got {tuple(fact)!r}")
    s, p, o = fact
    subject = resolve(kg, s)
    predicate = resolve(kg, p)
    if isinstance(o, Node):
        obj: Node = o if not isinstance(o, URIRef) else resolve(kg, o)
    elif isinstance(o, str):
        obj = resolve(kg, o)
    else:
        obj = Literal(o)
    return subject, predicate, obj


_FACT_EVIDENCE_Q = """SELECT ?passage WHERE {
  GRAPH ?passage { ?s ?p ?o } ?passage pkg:quote ?quote
}"""
_ENTITY_EVIDENCE_Q = "SELECT ?passage WHERE { ?e pkg:mentionedIn ?passage }"


def evidence(kg: PolicyKG, target: str | Node | Fact | Sequence[Any]) -> list[Evidence]:
    """Return the passages that state a fact, or that mention an entity.

    Args:
        kg: the loaded graph.
        target: a :class:`Fact`; a ``(subject, predicate, object)`` tuple (subject and predicate
            named by IRI, CURIE or label; the object likewise, or an rdflib ``Literal`` / number);
            or an entity.

    Returns:
        The evidence, in document order (empty when the graph holds the fact without a passage).

    Raises:
        UnknownEntityError: a name resolves to nothing.
    """
    idx = index(kg)
    if isinstance(target, Fact):
        terms: dict[str, Node] = {"s": target.subject, "p": target.predicate, "o": target.object}
        rows = run(kg, _FACT_EVIDENCE_Q, terms).rows
    elif isinstance(target, str | Node):
        rows = run(kg, _ENTITY_EVIDENCE_Q, {"e": resolve(kg, target)}).rows
    else:
        s, p, o = _fact_terms(kg, target)
        rows = run(kg, _FACT_EVIDENCE_Q, {"s": s, "p": p, "o": o}).rows
    found = {r[0] for r in rows if isinstance(r[0], URIRef)}
    out = [idx.passages.get(g) or Evidence(g, "") for g in found]
    return sorted(out, key=_evidence_order)


def find(kg: PolicyKG, text: str, lang: str | None = None) -> QueryResult:
    """Search labels (preferred, alternative, rdfs:label) containing ``text``, case-insensitively.

    Runs the named query ``search-labels``. ``entityLabel`` is the entity's English label, else
    its Chinese one (a draft's term of a Chinese text has no English label).

    Args:
        kg: the loaded graph.
        text: the text to look for (English or Chinese).
        lang: keep only labels in this language (``en``, ``zh``).
    """
    values: dict[str, Any] = {"text": text}
    if lang:
        values["lang"] = lang
    result = kg.named("search-labels", **values)
    key = name_key(text)
    if key and (not result.rows or key != " ".join(text.lower().split())):
        _add_loose_matches(kg, result, key, lang, text)
    return result


def _shown_label(idx: GraphIndex, iri: URIRef) -> Literal | None:
    """The label an entity is shown by: its English one, else its Chinese one."""
    for lang in ("en", "zh"):
        text = idx.label(iri, lang)
        if text:
            return Literal(text, lang=lang)
    return None


def _add_loose_matches(
    kg: PolicyKG, result: QueryResult, key: str, lang: str | None, text: str = ""
) -> None:
    """Add the labels that contain ``key`` once width, case, spaces and hyphens are ignored.

    When none does and ``text`` is an acronym ("NQPF", "SOEs"), add the entities with its
    initials instead.
    """
    idx = index(kg)
    have = {(row[0], row[2]) for row in result.rows}
    extra: list[tuple[int, int, str, tuple[Node | None, ...]]] = []
    for iri, by_prop in idx.labels.items():
        for prop, lits in by_prop.items():
            for lit in lits:
                if lang and (lit.language or "") != lang:
                    continue
                label_key = name_key(str(lit))
                if key not in label_key or (iri, lit) in have:
                    continue
                cells = {"entity": iri, "entityLabel": _shown_label(idx, iri),
                       "label": lit, "language": Literal(lit.language or ""), "property": prop}
                rank = 0 if label_key == key else 1 if label_key.startswith(key) else 2
                extra.append((rank, len(str(lit)), str(lit),
                              tuple(cells.get(v) for v in result.vars)))
    acronym = acronym_key(text)
    for iri in initials_matches(kg, text) if acronym and not extra else ():
        en = idx.label(iri, "en") or idx.name(iri)
        lit = Literal(en, lang="en")
        cells = {"entity": iri, "entityLabel": lit, "label": lit, "language": Literal("en"),
                 "property": SKOS.prefLabel}
        extra.append((1, len(en), en, tuple(cells.get(v) for v in result.vars)))
    for *_, row in sorted(extra, key=lambda e: e[:3]):
        result.rows.append(row)
