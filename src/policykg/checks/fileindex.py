"""Which input a problem is in: the file stating a triple, a subject, a term.

Part of :mod:`policykg.checks.data` (:meth:`CheckData.file_of`). Built only when problems are
found, and then only for the entities asked about: a large input is not read a second time
unless two inputs share a graph that holds the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rdflib.term import Node

from policykg.rdf.terms import to_oxigraph

__all__ = ["FileIndex"]


class FileIndex:
    """Which input states a triple, a subject, a term (asked only when problems are found).

    The store answers which graphs hold the triple (or the subject's, or the term's quads); each
    input's graphs, recorded while loading, tell which inputs could have stated it, and an input
    that alone writes one of those graphs did. Only when inputs share such a graph (or a typed
    literal, which the store keeps in its canonical form, is asked about) is an input's own
    index built, once: a large file is then read again, as every file was before.
    """

    def __init__(self, store: Any, sources: Sequence[Any], graphs: Sequence[set[Any]]) -> None:
        self.store = store
        self.sources = sources
        self.graphs = graphs
        self.writers: dict[Any, list[int]] = {}
        for i, names in enumerate(graphs):
            for g in names:
                self.writers.setdefault(g, []).append(i)
        self.ontology_files = {s.name for s in sources if s.ontology}
        self._own: dict[int, _Own] = {}

    def file_of(self, node: Node, triple: tuple[Node, Node, Node] | None = None) -> str:
        """The input stating ``triple``, else ``node`` as a subject, else as a term, else any.

        Among several, the last user file (an ontology file only when no user file states it).
        """
        key = to_oxigraph(node)
        for candidates in (
            self._stating("triple", tuple(to_oxigraph(t) for t in triple)) if triple else [],
            self._stating("subject", (key,)),
            self._stating("term", (key,)),
        ):
            user = [c for c in candidates if c not in self.ontology_files]
            if user:
                return user[-1]
            if candidates:
                return candidates[-1]
        return sorted(self.ontology_files)[0] if self.ontology_files else "(graph)"

    def _stating(self, kind: str, terms: tuple[Any, ...]) -> list[str]:
        """The names of the inputs stating ``terms`` as a ``kind``, in load order."""
        exact = not any(_canonicalised(t) for t in terms)
        matched = self._graphs(kind, terms, exact)
        names: list[str] = []
        if not matched:
            return names
        text = tuple(str(t) for t in terms)
        for i, written in enumerate(self.graphs):
            common = written & matched
            if not common:
                continue
            alone = exact and any(len(self.writers[g]) == 1 for g in common)
            if alone or self._own_index(i).states(kind, text):
                name = self.sources[i].name
                if name not in names:
                    names.append(name)
        return names

    def _graphs(self, kind: str, terms: tuple[Any, ...], exact: bool) -> set[Any]:
        """The graphs of the store's quads that could be the ones asked about."""
        import pyoxigraph as ox

        resources = (ox.NamedNode, ox.BlankNode)
        if kind == "triple":
            s, p, o = terms
            if not isinstance(s, resources) or not isinstance(p, ox.NamedNode):
                return set()
            pattern = self.store.quads_for_pattern(s, p, o if exact else None, None)
            return {q.graph_name for q in pattern}
        (term,) = terms
        if kind == "subject":
            if not isinstance(term, resources):
                return set()
            return {q.graph_name for q in self.store.quads_for_pattern(term, None, None, None)}
        found = set()
        if isinstance(term, ox.NamedNode):
            found |= {q.graph_name for q in self.store.quads_for_pattern(None, term, None, None)}
        found |= {q.graph_name for q in self.store.quads_for_pattern(None, None, term, None)}
        return found

    def _own_index(self, i: int) -> _Own:
        if i not in self._own:
            self._own[i] = _Own(self.sources[i])
        return self._own[i]


class _Own:
    """One input's subjects, triples and terms (as N-Triples terms)."""

    def __init__(self, source: Any) -> None:
        self.subjects: set[str] = set()
        self.triples: set[tuple[str, ...]] = set()
        self.terms: set[str] = set()
        for q in source.quads():
            s, p, o = str(q.subject), str(q.predicate), str(q.object)
            self.subjects.add(s)
            self.triples.add((s, p, o))
            self.terms.add(p)
            self.terms.add(o)

    def states(self, kind: str, text: tuple[str, ...]) -> bool:
        if kind == "triple":
            return text in self.triples
        return text[0] in (self.subjects if kind == "subject" else self.terms)


_PLAIN = {"http://www.w3.org/2001/XMLSchema#string",
          "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}


def _canonicalised(term: Any) -> bool:
    """Whether the store may keep ``term`` otherwise than written (a typed literal's value)."""
    import pyoxigraph as ox

    return isinstance(term, ox.Literal) and term.datatype.value not in _PLAIN
