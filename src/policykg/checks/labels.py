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
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from functools import cache
from importlib import resources

from rdflib import Literal, URIRef

from policykg.core.namespaces import PREFIXES
from policykg.rdf.terms import from_oxigraph

from .data import CheckData
from .report import Problem

__all__ = ["check_labels", "skeleton"]

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
    table = _table()
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFKC", text))


def check_labels(data: CheckData) -> list[Problem]:
    """Warnings for entities sharing a label, or with labels that differ only by confusables."""
    labels: dict[URIRef, set[tuple[str, str]]] = defaultdict(set)
    made = {from_oxigraph(solution["s"]) for solution in data.store.query(
        _MADE, prefixes=PREFIXES, use_default_graph_as_union=True)}
    result = data.store.query(_LABELS, prefixes=PREFIXES, use_default_graph_as_union=True)
    for solution in result:
        s, label = from_oxigraph(solution["s"]), from_oxigraph(solution["label"])
        if isinstance(s, URIRef) and isinstance(label, Literal) and s not in made:
            labels[s].add((label.language or "", str(label)))
    by_text: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
    by_look: dict[tuple[str, str], set[tuple[str, URIRef]]] = defaultdict(set)  # (text, s)
    for s, names in labels.items():
        for lang, text in names:
            by_text[(lang, text)].add(s)
            by_look[(lang, skeleton(text))].add((text, s))
    problems: list[Problem] = []
    for (lang, text), subjects in sorted(by_text.items()):
        if len(subjects) < 2:
            continue
        ordered = sorted(subjects)
        for s in ordered:
            others = ", ".join(data.label(o) for o in ordered if o != s)
            problems.append(Problem(
                data.file_of(s), data.label(s), "shared label",
                f"the label {text!r}@{lang or '-'} is also the label of {others}; an annotator "
                "cannot tell them apart", severity="warning"))
    for (lang, _look), pairs in sorted(by_look.items()):
        texts = {t for t, _ in pairs}
        if len(texts) < 2:
            continue
        for text, s in sorted(pairs):
            rivals = sorted({(t, o) for t, o in pairs if t != text})
            shown = ", ".join(f"{t!a} ({data.label(o)})" for t, o in rivals)
            problems.append(Problem(
                data.file_of(s), data.label(s), "confusable label",
                f"the label {text!a}@{lang or '-'} differs from {shown} only by "
                "characters that look alike (Unicode confusables)", severity="warning"))
    return problems
