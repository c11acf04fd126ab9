"""Names you can trust (issue 25 N16): shared and confusable labels, as warnings.

An extension can declare a new entity labelled "state-owned enterprises", and ``annotate`` would
then address provisions to the impostor; a label written with a Cyrillic "а" looks the same and
is another string. Two checks over the entities' labels (``skos:prefLabel`` and ``rdfs:label``;
the ontology's own terms, and the nodes the compiler names by rule (provisions, passages,
observations), are left out):

- **shared label**: two entities carry the same label in the same language;
- **confusable label**: two labels of one language differ, but only by characters Unicode lists
  as confusable (their *skeletons* are equal, after NFKC). The table of
  confusables is the one ``confusable_homoglyphs`` ships (built from Unicode's
  ``confusables.txt``; nothing is downloaded at run time).

A full validation compares every entity with every other. ``validate --store`` (and ``add
--store``) compares the labels the new files state with each other and with the store's
(:func:`check_labels_against`): the store's entities whose label equals or looks like a new
label are found by :func:`label_rivals` (the store's distinct labels read once and their
skeletons computed: 0.3-0.5 s for the 47,000 labels of a 1M-triple store), their types and
labels are added to the checked data, and :func:`check_labels` with ``new`` reports only the
pairs with a new label in them (the pairs inside the store were reported when they came in).
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from functools import cache
from importlib import resources
from typing import Any

from rdflib import URIRef

from policykg.core.namespaces import PREFIXES, RDF, RDFS, SKOS
from policykg.rdf.terms import from_oxigraph

from .data import CheckData
from .report import Problem

__all__ = [
    "LabelKey",
    "check_labels",
    "check_labels_against",
    "label_rivals",
    "skeleton",
    "stated_labels",
]

#: One label of one entity: ``(entity, language, text)`` (``""`` for no language).
LabelKey = tuple[URIRef, str, str]

_LABELS = """
SELECT DISTINCT ?s ?label WHERE {
  { ?s skos:prefLabel ?label } UNION { ?s rdfs:label ?label }
  FILTER(isIRI(?s) && isLiteral(?label) && !STRSTARTS(STR(?s), STR(pkg:)))
}
"""
# The nodes the compiler names by rule. Asked apart and subtracted in Python: as a FILTER NOT
# EXISTS with a property path, Oxigraph took 30 s for one drafted work report (12,711 triples);
# this takes 0.04 s.
_MADE = """
SELECT DISTINCT ?s WHERE {
  VALUES ?made { pkg:Provision pkg:Passage pkg:Observation pkg:AnnotationRun }
  ?type rdfs:subClassOf* ?made .
  ?s a ?type .
}
"""


@cache
def _table() -> dict[str, str]:
    """Each confusable character → one representative of its class (ASCII when there is one)."""
    raw = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text(
        encoding="utf-8")
    data: dict[str, list[dict[str, str]]] = json.loads(raw)
    table: dict[str, str] = {}
    for char, entry in data.items():
        glyphs = entry if isinstance(entry, list) else []
        group = [char] + [g["c"] for g in glyphs
                          if isinstance(g, dict) and len(g.get("c", "")) == 1]
        ascii_ones = sorted(c for c in group if c.isascii())
        table[char] = ascii_ones[0] if ascii_ones else min(group)
    return table


def skeleton(text: str) -> str:
    """The text as it looks: NFKC, then each confusable character by its class's representative.

    Case is kept: "Party" and "party" are told apart by anyone reading them.
    """
    return unicodedata.normalize("NFKC", text).translate(_ords())


@cache
def _ords() -> dict[int, str]:
    """:func:`_table` as :meth:`str.translate` takes it (its one-character keys)."""
    return {ord(c): rep for c, rep in _table().items() if len(c) == 1}


def check_labels(data: CheckData, *, new: Collection[LabelKey] | None = None) -> list[Problem]:
    """Warnings for entities sharing a label, or with labels that differ only by confusables.

    Args:
        data: the loaded inputs.
        new: the labels the new files state (``validate --store``): only the pairs with one of
            them are reported, a stored entity's warning naming only its new rivals. ``None``
            (a full validation): every pair.
    """
    import pyoxigraph as ox

    made = _made(data)
    labels: dict[URIRef, set[tuple[str, str]]] = defaultdict(set)
    result = data.store.query(_LABELS, prefixes=PREFIXES, use_default_graph_as_union=True)
    # the terms' strings read as they are (no rdflib term per row: 2 s of 6.5 at 1M triples)
    for solution in result:
        s, label = solution["s"], solution["label"]
        if isinstance(s, ox.NamedNode) and isinstance(label, ox.Literal):
            iri = str.__new__(URIRef, s.value)  # Oxigraph holds valid IRIs (as from_oxigraph)
            if iri not in made:
                labels[iri].add((label.language or "", label.value))

    def fresh(s: URIRef, lang: str, text: str) -> bool:
        return new is None or (s, lang, text) in new

    return _compare(data, labels, fresh)


def check_labels_against(data: CheckData, store: Any, new: Iterable[Any]) -> list[Problem]:
    """The label warnings of ``validate --store``: the labels ``new`` states, against the store's.

    The store's entities with a label equal to or confusable with one of the labels the
    pyoxigraph quads ``new`` state (:func:`label_rivals`) are added to ``data`` (their types and
    labels; call this after the other checks), then :func:`check_labels` reports the pairs with
    a new label.

    Args:
        data: the new quads and their context, loaded.
        store: the corpus (a pyoxigraph ``Store``).
        new: the quads of the new files.
    """
    stated = stated_labels(new)
    made = _made(data)
    rivals = label_rivals(store, {(lang, text) for s, lang, text in stated if s not in made})
    if rivals:
        data.store.extend(rivals)
    return check_labels(data, new=stated)


def _made(data: CheckData) -> set[Any]:
    """The nodes of ``data`` the compiler names by rule (provisions, passages...)."""
    return {from_oxigraph(solution["s"]) for solution in data.store.query(
        _MADE, prefixes=PREFIXES, use_default_graph_as_union=True)}


def _compare(
    data: CheckData,
    labels: dict[URIRef, set[tuple[str, str]]],
    fresh: Callable[[URIRef, str, str], bool],
) -> list[Problem]:
    """The warnings for the pairs of ``labels`` of which ``fresh`` says one side is new."""
    by_text: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
    by_look: dict[tuple[str, str], set[tuple[str, URIRef]]] = defaultdict(set)  # (text, s)
    looks: dict[str, str] = {}  # each distinct text's skeleton, computed once
    for s, names in labels.items():
        for lang, text in names:
            by_text[(lang, text)].add(s)
            look = looks.get(text)
            if look is None:
                look = looks[text] = skeleton(text)
            by_look[(lang, look)].add((text, s))
    problems: list[Problem] = []
    for (lang, text), subjects in sorted(by_text.items()):
        if len(subjects) < 2:
            continue
        ordered = sorted(subjects)
        for s in ordered:
            mine = fresh(s, lang, text)
            others = [o for o in ordered if o != s and (mine or fresh(o, lang, text))]
            if not others:
                continue
            problems.append(Problem(
                data.file_of(s), data.label(s), "shared label",
                f"the label {text!r}@{lang or '-'} is also the label of "
                f"{', '.join(data.label(o) for o in others)}; an annotator cannot tell them apart",
                severity="warning"))
    for (lang, _look), pairs in sorted(by_look.items()):
        if len({t for t, _ in pairs}) < 2:
            continue
        for text, s in sorted(pairs):
            mine = fresh(s, lang, text)
            rivals = sorted({(t, o) for t, o in pairs if t != text and (mine or fresh(o, lang, t))})
            if not rivals:
                continue
            shown = ", ".join(f"{t!a} ({data.label(o)})" for t, o in rivals)
            problems.append(Problem(
                data.file_of(s), data.label(s), "confusable label",
                f"the label {text!a}@{lang or '-'} differs from {shown} only by "
                "characters that look alike (Unicode confusables)", severity="warning"))
    return problems


#: The distinct labels of a store (read once; their skeletons are computed in Python).
_STORE_LABELS = """
SELECT DISTINCT ?label WHERE { ?s skos:prefLabel|rdfs:label ?label }
"""
_LABEL_PREDICATES = (str(SKOS.prefLabel), str(RDFS.label))


def stated_labels(quads: Iterable[Any]) -> set[LabelKey]:
    """The labels (``skos:prefLabel``, ``rdfs:label``) pyoxigraph ``quads`` state of IRIs."""
    import pyoxigraph as ox

    found: set[LabelKey] = set()
    for q in quads:
        if (q.predicate.value in _LABEL_PREDICATES and isinstance(q.subject, ox.NamedNode)
                and isinstance(q.object, ox.Literal)):
            found.add((URIRef(q.subject.value), q.object.language or "", q.object.value))
    return found


def label_rivals(store: Any, labels: Iterable[tuple[str, str]]) -> list[Any]:
    """The declarations in ``store`` of the entities with a label like one of ``labels``.

    Args:
        store: a pyoxigraph ``Store`` (the corpus).
        labels: ``(language, text)`` pairs (the labels the new files state).

    Returns:
        The pyoxigraph quads of those entities' types and labels (one quad per triple), for
        :func:`check_labels` to compare them with the new labels and name them.
    """
    import pyoxigraph as ox

    wanted = {(lang, skeleton(text)) for lang, text in labels}
    if not wanted:
        return []
    langs = {lang for lang, _ in wanted}
    alike = []
    for row in store.query(_STORE_LABELS, prefixes=PREFIXES, use_default_graph_as_union=True):
        label = row[0]
        if isinstance(label, ox.Literal):
            lang = label.language or ""
            if lang in langs and (lang, skeleton(label.value)) in wanted:
                alike.append(label)
    predicates = [ox.NamedNode(p) for p in _LABEL_PREDICATES]
    subjects: set[Any] = set()
    for label in alike:  # index look-ups, by object
        for pred in predicates:
            subjects.update(q.subject for q in store.quads_for_pattern(None, pred, label, None)
                            if isinstance(q.subject, ox.NamedNode))
    quads: list[Any] = []
    seen: set[Any] = set()
    for subject in sorted(subjects, key=lambda node: node.value):
        for pred in (ox.NamedNode(str(RDF.type)), *predicates):
            for q in store.quads_for_pattern(subject, pred, None, None):
                if q.triple not in seen:
                    seen.add(q.triple)
                    quads.append(q)
    return quads
