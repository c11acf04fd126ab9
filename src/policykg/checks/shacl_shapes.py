"""SHACL shape preparation: the graph-wide shapes set apart, the engine's shapes and input.

Part of :mod:`policykg.checks.shacl` (see its description): :func:`split_shapes` finds the
graph-wide shapes the store runs, :func:`engine_predicates` and :func:`keep_predicates` cut the
engine's input down to the triples its shapes can read.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from policykg.core.namespaces import OWL, RDF, RDFS

__all__ = [
    "SH",
    "ShaclResult",
    "StoreShape",
    "engine_predicates",
    "keep_predicates",
    "sh_term",
    "shapes_only",
    "shapes_without",
    "split_shapes",
]

SH = "http://www.w3.org/ns/shacl#"
_TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def sh_term(name: str) -> URIRef:
    """The SHACL term `sh:name`."""
    return URIRef(SH + name)


#: What a graph-wide shape may say besides its target, severity and SPARQL constraints.
_SHAPE_ANNOTATIONS = {RDF.type, RDFS.label, RDFS.comment, sh_term("name"), sh_term("description")}
#: What its SPARQL constraints may say.
_CONSTRAINT_KEYS = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    sh_term("name"),
    sh_term("description"),
    sh_term("message"),
    sh_term("prefixes"),
    sh_term("select"),
}


@dataclass(frozen=True)
class _Constraint:
    node: Node
    select: str
    messages: tuple[str, ...]
    prefixes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class StoreShape:
    """A graph-wide shape, run as queries on the store (see the module's description).

    Attributes:
        node: the shape.
        targets: its ``sh:targetNode`` values.
        severity: its ``sh:severity`` (default ``sh:Violation``).
        constraints: its SPARQL constraints.
    """

    node: Node
    targets: tuple[Node, ...]
    severity: Node
    constraints: tuple[_Constraint, ...]


#: One SHACL result: focus node, result path, value, source shape, source constraint, severity,
#: messages, constraint component.
ShaclResult = tuple[
    Node, Node | None, Node | None, Node | None, Node | None, Node | None, list[str], Node | None
]


def split_shapes(shapes: Graph) -> tuple[Graph, list[StoreShape]]:
    """Split ``shapes`` into the shapes for the engine and the graph-wide shapes for the store.

    A graph-wide shape is a node shape whose only targets are ``sh:targetNode`` IRIs, whose only
    constraints are ``sh:sparql`` constraints with one ``sh:select`` each (and nothing but
    labels, messages and prefixes), and which no other shape refers to. Anything else stays
    with the engine.
    """
    found: list[StoreShape] = []
    for shape in sorted(set(shapes.subjects(sh_term("targetNode"), None)), key=str):
        store_shape = _store_shape(shapes, shape)
        if store_shape is not None:
            found.append(store_shape)
    return shapes_without(shapes, found), found


def shapes_without(shapes: Graph, drop: Iterable[StoreShape]) -> Graph:
    """``shapes`` without the shapes ``drop``, nor their constraints no other shape uses."""
    drop = list(drop)
    nodes = {s.node for s in drop}
    if not nodes:
        return shapes
    for shape in drop:
        for c in shape.constraints:
            if all(s in nodes for s in shapes.subjects(None, c.node)):
                nodes.add(c.node)
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    for triple in shapes:
        if triple[0] not in nodes:
            out.add(triple)
    return out


_TARGETS = {
    sh_term("targetClass"),
    sh_term("targetNode"),
    sh_term("targetSubjectsOf"),
    sh_term("targetObjectsOf"),
    sh_term("target"),
}


def shapes_only(shapes: Graph, keep: Sequence[Node]) -> Graph:
    """``shapes`` where only the shapes ``keep`` have targets (the others validate nothing)."""
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    classes = {RDFS.Class, OWL.Class}
    for s, p, o in shapes:
        if s not in keep and (p in _TARGETS or (p == RDF.type and o in classes)):
            continue
        out.add((s, p, o))
    return out


#: Shape features that read predicates no shape names, or write data: no predicate filter then.
_READS_ANY = {
    sh_term("closed"),
    sh_term("rule"),
    sh_term("construct"),
    sh_term("update"),
    sh_term("jsFunctionName"),
    sh_term("jsLibrary"),
}


def engine_predicates(shapes: Graph) -> set[str] | None:
    """Every predicate the engine can read when validating with ``shapes``; ``None``: any.

    The IRIs the shapes graph names (paths, targets, ``sh:class`` values...), ``rdf:type`` and
    ``rdfs:subClassOf`` (class targets and ``sh:class``), and the predicates of every SPARQL
    query in it; ``None`` when a query has a variable or negated predicate, cannot be parsed, or
    a shape is closed or has rules. Triples with other predicates cannot change a result.
    """
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
    from rdflib.plugins.sparql import prepareQuery

    if any(True for p in shapes.predicates() if p in _READS_ANY):
        return None
    found = {str(t) for triple in shapes for t in triple if isinstance(t, URIRef)}
    found |= {str(RDF.type), str(RDFS.subClassOf)}

    def path_iris(path: Any) -> bool:
        if isinstance(path, URIRef):
            found.add(str(path))
            return True
        if isinstance(path, (SequencePath, AlternativePath)):
            return all(path_iris(a) for a in path.args)
        if isinstance(path, MulPath):
            return path_iris(path.path)
        if isinstance(path, InvPath):
            return path_iris(path.arg)
        return False  # a variable, or a negated property set (NegatedPath): anything

    def walk(node: Any) -> bool:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples" and isinstance(value, list):
                    if not all(path_iris(t[1]) for t in value):
                        return False
                elif not walk(value):
                    return False
        elif isinstance(node, (list, tuple)):
            return all(walk(v) for v in node)
        return not isinstance(node, NegatedPath)

    for prop in (sh_term("select"), sh_term("ask")):
        for holder, text in shapes.subject_objects(prop):
            if "$PATH" in str(text):
                return None
            prefixes = _prefixes(shapes, holder)
            if prefixes is None:
                return None
            try:
                query = prepareQuery(str(text), initNs=prefixes)
            except Exception:  # any parse error: no filter
                return None
            if not walk(query.algebra):
                return None
    return found


def keep_predicates(ntriples: bytes, predicates: set[str]) -> bytes:
    """The N-Triples lines of ``ntriples`` whose predicate is one of ``predicates``."""
    wanted = {f"<{p}>".encode() for p in predicates}
    out = io.BytesIO()
    for line in ntriples.splitlines(keepends=True):
        parts = line.split(b" ", 2)
        if len(parts) == 3 and parts[1] in wanted:
            out.write(line)
    return out.getvalue()


def _store_shape(shapes: Graph, shape: Node) -> StoreShape | None:
    if any(True for _ in shapes.subject_predicates(shape)):
        return None  # another shape refers to it
    targets: list[Node] = []
    severity: Node = sh_term("Violation")
    constraints: list[_Constraint] = []
    for p, o in shapes.predicate_objects(shape):
        if p == sh_term("targetNode") and isinstance(o, URIRef):
            targets.append(o)
        elif p == sh_term("severity") and isinstance(o, URIRef):
            severity = o
        elif p == sh_term("sparql"):
            constraint = _constraint(shapes, o)
            if constraint is None:
                return None
            constraints.append(constraint)
        elif (p == RDF.type and o != sh_term("NodeShape")) or p not in _SHAPE_ANNOTATIONS:
            return None
    if len(set(shapes.objects(shape, sh_term("severity")))) > 1 or not constraints or not targets:
        return None
    return StoreShape(
        shape,
        tuple(sorted(targets, key=str)),
        severity,
        tuple(sorted(constraints, key=lambda c: str(c.node))),
    )


def _constraint(shapes: Graph, node: Node) -> _Constraint | None:
    if any(p not in _CONSTRAINT_KEYS for p in shapes.predicates(node)):
        return None
    if set(shapes.objects(node, RDF.type)) - {sh_term("SPARQLConstraint")}:
        return None
    selects = list(shapes.objects(node, sh_term("select")))
    messages = list(shapes.objects(node, sh_term("message")))
    if len(selects) != 1 or not isinstance(selects[0], Literal):
        return None
    if not all(isinstance(m, Literal) and isinstance(m.value, str) for m in messages):
        return None
    prefixes = _prefixes(shapes, node)
    if prefixes is None:
        return None
    return _Constraint(
        node,
        str(selects[0]),
        tuple(str(m) for m in messages),
        tuple(sorted(prefixes.items())),
    )


def _prefixes(shapes: Graph, node: Node) -> dict[str, str] | None:
    """The prefixes of a SPARQL constraint, as pySHACL collects them (``None``: not plain)."""
    ontologies = set(shapes.subjects(RDF.type, OWL.Ontology))
    everywhere: set[Node] = set()
    for ont in ontologies:
        everywhere |= set(shapes.objects(ont, sh_term("declare")))
    out: dict[str, str] = {}
    for value in shapes.objects(node, sh_term("prefixes")):
        own = set(shapes.objects(value, sh_term("declare")))
        declares = own if own and value in ontologies else everywhere | own
        for dec in declares:
            prefix = list(shapes.objects(dec, sh_term("prefix")))
            namespace = list(shapes.objects(dec, sh_term("namespace")))
            if len(prefix) != 1 or len(namespace) != 1:
                return None
            if not isinstance(prefix[0], Literal) or not isinstance(namespace[0], Literal):
                return None
            if out.get(str(prefix[0]), str(namespace[0])) != str(namespace[0]):
                return None
            out[str(prefix[0])] = str(namespace[0])
    return out
