"""Extend the graph from Python: :class:`Extension` (rdflib) and :func:`save_owlready`.

Both check the would-be graph before writing anything (see :mod:`policykg.authoring.extend`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from policykg.authoring.compiler import (
    OntologyIndex,
    _Compiler,
    _locate,
)
from policykg.checks.validate import (
    Part,
    Report,
    display_path,
)
from policykg.core.errors import AuthoringError
from policykg.core.io import write_atomic
from policykg.core.namespaces import KG, KGG, PKG, RDF, RDFS, SKOS, SLUG, XSD
from policykg.core.paths import extensions_dir
from policykg.rdf.rdfwrite import to_trig, to_turtle

from .project_check import ProjectGraph, check_would_be

__all__ = ["Extension", "Triple", "save_owlready"]

Triple = tuple[Node, Node, Node]


# -- Python helpers over rdflib -------------------------------------------------------------------


class Extension:
    """An extension of the graph built from Python, saved as ``graphs/extensions/<name>.trig``.

    Entities are declared in the extension's own graph (``kgg:extension-<name>``); each fact goes
    into the named graph of the passage that states it, and every ``kg:`` entity of a fact gets
    ``pkg:mentionedIn`` that passage, exactly as the YAML compiler does. Names follow the YAML
    format: classes and predicates are ``pkg:`` local names or CURIEs, entities are ``kg:`` ids.

    Example::

        from policykg.authoring.extend import Extension

        ext = Extension("green-hydrogen")
        p = ext.add_passage("x1", document="ncpf-2025", quote="green hydrogen")
        ext.add_entity("green-hydrogen", type="TechnologyField", label="green hydrogen",
                       zh="绿氢", mentioned_in=[p])
        ext.add_fact("green-hydrogen", "enables", "new-quality-productive-forces", passage=p)
        ext.save()          # checks the would-be graph first; raises ValidationFailed if wrong
    """

    def __init__(self, name: str, *, ontology: OntologyIndex | None = None) -> None:
        if not SLUG.match(name):
            raise AuthoringError(
                f"extension name must be a lower-case slug like 'green-hydrogen', got {name!r}"
            )
        self.name = name
        self.graph_name = URIRef(f"{KGG}extension-{name}")
        self.onto = ontology or OntologyIndex.load()
        self._project: ProjectGraph | None = None
        self.graphs: dict[URIRef, list[Triple]] = {self.graph_name: []}
        self.entities: set[URIRef] = set()
        self.new_passages: set[URIRef] = set()
        self.texts: dict[URIRef, str] = {}

    # -- plumbing -----------------------------------------------------------------------------
    @property
    def project(self) -> ProjectGraph:
        """The current graph, parsed on first use."""
        if self._project is None:
            self._project = ProjectGraph()
        return self._project

    @property
    def path(self) -> Path:
        """Where :meth:`save` writes."""
        return extensions_dir() / f"{self.name}.trig"

    def _compiler(self) -> _Compiler:
        compiler = _Compiler({}, Path("."), None, self.onto, self.project.declared())
        compiler.where = f"extension {self.name}"
        compiler.declared = set(self.entities) | self.new_passages
        return compiler

    def _add(self, graph: URIRef, triple: Triple) -> None:
        triples = self.graphs.setdefault(graph, [])
        if triple not in triples:
            triples.append(triple)

    def _passage(self, ref: str | URIRef) -> URIRef:
        iri = URIRef(ref) if isinstance(ref, URIRef) else URIRef(KG + str(ref).removeprefix("kg:"))
        if iri in self.new_passages or iri in self.project.passages():
            return iri
        raise AuthoringError(
            f"extension {self.name}: unknown passage '{ref}': add it with add_passage() or name an "
            "existing passage (e.g. 'ncpf-2025-p03-2')"
        )

    # -- building -------------------------------------------------------------------------------
    def add_passage(
        self, pid: str, *, document: str, quote: str, occurrence: int | None = None
    ) -> URIRef:
        """Add a passage: a verbatim quote of a registered document's stored text.

        Args:
            pid: the passage id; the passage IRI is ``kg:<document>-<pid>``.
            document: the document id (``ncpf-2025``), which must have a stored text.
            quote: the exact text; its offsets are found in the stored text.
            occurrence: which occurrence when the quote occurs more than once (1-based).

        Returns:
            The passage IRI (pass it as ``passage=`` to :meth:`add_fact`).
        """
        if not SLUG.match(pid):
            raise AuthoringError(
                f"extension {self.name}: passage ids are lower-case slugs like 'x1', got {pid!r}"
            )
        doc = URIRef(KG + document)
        text = self.project.text_of(doc)
        item = f"extension {self.name}: passage {pid}"
        start = _locate(text, quote, occurrence, item, lambda i, m: AuthoringError(f"{i}: {m}"))
        iri = URIRef(f"{KG}{document}-{pid}")
        if iri in self.project.passages():
            old = self.project.union.value(iri, PKG.quote)
            if old is not None and str(old) != quote:
                raise AuthoringError(f"{item}: {iri.n3()} already exists with another quote")
        self.new_passages.add(iri)
        for t in (
            (iri, RDF.type, PKG.Passage),
            (iri, PKG.inDocument, doc),
            (iri, PKG.quote, Literal(quote)),
            (iri, PKG.startOffset, Literal(str(start), datatype=XSD.nonNegativeInteger)),
            (iri, PKG.endOffset, Literal(str(start + len(quote)), datatype=XSD.nonNegativeInteger)),
        ):
            self._add(self.graph_name, t)
        return iri

    def add_entity(
        self,
        eid: str,
        *,
        type: str | Sequence[str],
        label: str,
        zh: str | None = None,
        alt: Iterable[str] = (),
        alt_zh: Iterable[str] = (),
        mentioned_in: Iterable[str | URIRef] = (),
    ) -> URIRef:
        """Declare an entity: its class(es), labels and (optionally) evidence passages.

        An entity also gets ``pkg:mentionedIn`` from every fact that names it.

        Returns:
            The entity IRI ``kg:<eid>``.
        """
        item = f"entity {eid}"
        if not SLUG.match(eid):
            raise AuthoringError(
                f"extension {self.name}: {item}: ids are lower-case slugs (a-z, 0-9, '-')"
            )
        if not isinstance(label, str) or not label.strip():
            raise AuthoringError(f"extension {self.name}: {item}: needs an English 'label'")
        iri = URIRef(KG + eid)
        self.entities.add(iri)
        compiler = self._compiler()
        g = self.graph_name
        for t in [type] if isinstance(type, str) else list(type):
            self._add(g, (iri, RDF.type, compiler.cls(t, item)))
        self._add(g, (iri, SKOS.prefLabel, Literal(label, lang="en")))
        self._add(g, (iri, RDFS.label, Literal(label, lang="en")))
        if zh:
            self._add(g, (iri, SKOS.prefLabel, Literal(zh, lang="zh")))
            self._add(g, (iri, RDFS.label, Literal(zh, lang="zh")))
        for text, lang in [(a, "en") for a in alt] + [(a, "zh") for a in alt_zh]:
            self._add(g, (iri, SKOS.altLabel, Literal(text, lang=lang)))
        for ref in mentioned_in:
            self._add(g, (iri, PKG.mentionedIn, self._passage(ref)))
        return iri

    def add_fact(self, subject: str, predicate: str, obj: Any, *, passage: str | URIRef) -> Triple:
        """Add one fact to the named graph of the passage that states it.

        Args:
            subject: an entity id (``kg:`` local name) declared here or in the graph.
            predicate: a ``pkg:`` local name or a CURIE (``skos:definition``).
            obj: an entity id for object properties; else a value typed like in YAML.
            passage: the passage IRI (from :meth:`add_passage`) or an existing passage id.

        Returns:
            The triple added.
        """
        p_iri = self._passage(passage)
        item = f"fact [{subject}, {predicate}, {obj}]"
        compiler = self._compiler()
        s = compiler.entity(subject, item)
        p = compiler.predicate(predicate, item)
        objects = compiler.objects(p, obj, item)
        triple: Triple = (s, p, objects[0])
        for o in objects:
            self._add(p_iri, (s, p, o))
            for node in (s, o):
                if isinstance(node, URIRef) and node.startswith(str(KG)):
                    self._add(self.graph_name, (node, PKG.mentionedIn, p_iri))
        return triple

    # -- output ---------------------------------------------------------------------------------
    def quads(self) -> list[tuple[Node, Node, Node, URIRef]]:
        """Every quad of the extension."""
        return [(s, p, o, g) for g, ts in self.graphs.items() for s, p, o in ts]

    def trig(self) -> str:
        """The deterministic TriG text of the extension."""
        return to_trig(self.graphs)

    def check(self, *, overwrite: bool = False) -> Report:
        """Validate the graph as it would be with this extension saved (nothing is written).

        Raises:
            ValidationFailed: the would-be graph has violations.
        """
        name = display_path(self.path)
        if self.path.exists() and not overwrite:
            raise AuthoringError(f"{name} already exists; pass overwrite=True to replace it")
        parts = [*self.project.without(name), Part(name, tuple(self.quads()))]
        return check_would_be(parts, what=f"extension {self.name} was not saved")

    def save(self, *, overwrite: bool = False) -> Path:
        """Check the would-be graph, then write ``graphs/extensions/<name>.trig`` atomically.

        Raises:
            ValidationFailed: the extension would make the graph invalid (nothing is written).
            AuthoringError: the file exists and ``overwrite`` is false.
        """
        self.check(overwrite=overwrite)
        return write_atomic(self.path, self.trig())


# -- owlready2 -----------------------------------------------------------------------------------


def save_owlready(ontology: Any, name: str, *, overwrite: bool = False) -> Path:
    """Check an owlready2 ontology's triples with the graph, then save them as Turtle.

    Args:
        ontology: an owlready2 ``Ontology`` (what you filled with ``with onto: ...``).
        name: the file stem: writes ``graphs/extensions/<name>.ttl``.
        overwrite: replace an existing file of that name.

    Raises:
        ValidationFailed: the would-be graph has violations (nothing is written).
    """
    import io

    if not SLUG.match(name):
        raise AuthoringError(f"extension name must be a lower-case slug, got {name!r}")
    buffer = io.BytesIO()
    ontology.save(file=buffer, format="ntriples")
    graph = Graph()
    graph.parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    dest = extensions_dir() / f"{name}.ttl"
    shown = display_path(dest)
    if dest.exists() and not overwrite:
        raise AuthoringError(f"{shown} already exists; pass overwrite=True to replace it")
    project = ProjectGraph()
    gname = URIRef(f"{KGG}extension-{name}")
    part = Part(shown, tuple((s, p, o, gname) for s, p, o in graph))
    check_would_be([*project.without(shown), part], what=f"{shown} was not saved")
    return write_atomic(dest, to_turtle(graph))
