"""SHACL: the project's shapes over the union as one plain graph, by a chosen engine.

Two engines, chosen by measurement (``docs/validation.md``,
``benchmarks/RESULTS-shacl-engines.md``):
``pyshacl-turbo`` (the default: a Rust engine with pySHACL's API, the same results as pySHACL on
the shapes, every fixture and one case per constraint component, 25-40 times faster) and
``pyshacl`` (the reference). Both read the union as N-Triples, literals as written, no inference.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from policykg.core.errors import ValidationError
from policykg.core.namespaces import ONTOLOGY_IRI, OWL, PKG, PREFIXES, RDF, RDFS
from policykg.rdf.terms import curie

from .data import CheckData
from .options import DEFAULT_ENGINE, SHACL_ENGINES
from .report import Problem

__all__ = ["DEFAULT_ENGINE", "SHACL_ENGINES", "check_shacl_data", "shacl_report"]

SH = "http://www.w3.org/ns/shacl#"
_TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
_OPTIONS: dict[str, Any] = {
    "inference": "none",
    "advanced": True,
    "allow_warnings": True,
    "allow_infos": True,
    "abort_on_first": False,
    "meta_shacl": False,
}


def shacl_report(ntriples: bytes | Path, shapes: Graph, *, engine: str = DEFAULT_ENGINE) -> Graph:
    """Validate N-Triples (bytes, or a file) against ``shapes``; return the report graph.

    Raises:
        ValidationError: ``engine`` is not one of :data:`SHACL_ENGINES`.
    """
    if engine == "pyshacl-turbo":
        import pyshacl_turbo

        # The N-Triples text handed over as the engine's own input, which its Rust side parses
        # (a file path goes through rdflib first: 2-3 times slower). N-Triples is N-Quads.
        # (Input is what the engine makes of a pyoxigraph Store; not in its typed signature.)
        from pyshacl_turbo.rdf import Input

        raw = ntriples.read_bytes() if isinstance(ntriples, Path) else ntriples
        text = raw.decode("utf-8")
        native: Any = Input(text, "oxigraph-nquads", None, {}, preserve_ids=True)
        _c, report, _t = pyshacl_turbo.validate(native, shacl_graph=shapes, **_OPTIONS)
    elif engine == "pyshacl":
        from pyshacl import validate

        raw = ntriples.read_bytes() if isinstance(ntriples, Path) else ntriples
        graph = Graph().parse(data=raw, format="nt")
        _c, report, _t = validate(graph, shacl_graph=shapes, **_OPTIONS)
    else:
        raise ValidationError(
            f"unknown SHACL engine {engine!r}; choose one of {', '.join(SHACL_ENGINES)}"
        )
    if not isinstance(report, Graph):
        raise ValidationError(f"the SHACL engine {engine} returned no report graph")
    return report


def check_shacl_data(
    data: CheckData,
    shapes: Graph,
    *,
    engine: str = DEFAULT_ENGINE,
    focus: Callable[[Node], bool] | None = None,
) -> list[Problem]:
    """Validate ``data`` against the SHACL ``shapes``; one :class:`Problem` per result.

    ``focus``, when given, says which focus nodes' results to report (the others are not
    turned into problems: an incremental check's context has results nobody asked about).
    """
    if data.ntriples is None:
        raise ValidationError("the data was loaded without its N-Triples union")
    results = shacl_report(data.ntriples, shapes, engine=engine)

    def sh(name: str) -> URIRef:
        return URIRef(SH + name)

    problems = []
    for result in results.subjects(RDF.type, sh("ValidationResult")):
        focus_node = results.value(result, sh("focusNode"))
        path = results.value(result, sh("resultPath"))
        value = results.value(result, sh("value"))
        shape = results.value(result, sh("sourceShape"))
        constraint = results.value(result, sh("sourceConstraint"))
        severity = results.value(result, sh("resultSeverity"))
        if focus_node is None or (focus is not None and not focus(focus_node)):
            continue
        rule = _shape_name(shapes, constraint) or _shape_name(shapes, shape)
        if not rule:
            component = results.value(result, sh("sourceConstraintComponent"))
            rule = curie(component) if component is not None else "SHACL"
        messages = sorted(str(m) for m in results.objects(result, sh("resultMessage")))
        message = _readable(messages[0] if messages else "SHACL constraint not met")
        entity: Node = focus_node
        triple = None
        if str(focus_node) == ONTOLOGY_IRI and value is not None:
            entity = _user_of(data, value)
            message += _term_hint(data, value)
        elif isinstance(path, URIRef) and value is not None:
            triple = (focus_node, path, value)
        problems.append(
            Problem(
                data.file_of(entity, triple),
                data.label(entity),
                rule,
                message,
                "violation" if severity == sh("Violation") else "warning",
            )
        )
    return problems


def _shape_name(shapes: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    name = shapes.value(node, URIRef(SH + "name")) or shapes.value(node, RDFS.label)
    if name is not None:
        return str(name)
    return None if isinstance(node, BNode) else curie(node)


def _readable(message: str) -> str:
    """Replace full IRIs in a message with CURIEs and keep it on one line."""

    def short(match: re.Match[str]) -> str:
        return curie(URIRef(match.group(1)))

    message = re.sub(r"<([^<>\s]+)>", short, message)
    for ns in sorted(PREFIXES.values(), key=len, reverse=True):
        if ns in message:

            def expand(match: re.Match[str], base: str = ns) -> str:
                return curie(URIRef(base + match.group(1)))

            message = re.sub(re.escape(ns) + r"([A-Za-z0-9_\-]+)", expand, message)
    message = re.sub(r'Literal\("([^"]*)"[^)]*\)', r'"\1"', message)
    return " ".join(message.split())


def _kinds() -> str:
    return ", ".join(f"<{k}>" for k in _TERM_KINDS)


def _term_hint(data: CheckData, term: Node) -> str:
    """'; did you mean pkg:X?' for an undeclared pkg: term close to a declared one."""
    if not isinstance(term, URIRef) or not term.startswith(str(PKG)):
        return ""
    declared_kinds = f"ASK {{ <{term}> a ?k FILTER(?k IN ({_kinds()})) }}"
    if data.store.query(declared_kinds, use_default_graph_as_union=True):
        return ""
    rows = data.select(f"SELECT DISTINCT ?t WHERE {{ ?t a ?k FILTER(?k IN ({_kinds()})) }}")
    declared = sorted(
        str(t)[len(str(PKG)) :] for (t,) in rows if isinstance(t, URIRef) and t.startswith(str(PKG))
    )
    local = str(term)[len(str(PKG)) :]
    found = difflib.get_close_matches(local, declared, n=1, cutoff=0.6)
    return f"; did you mean pkg:{found[0]}?" if found else ""


def _user_of(data: CheckData, term: Node) -> Node:
    """The entity of a graph-wide SHACL result: the term itself, or a user of an unknown term."""
    if not isinstance(term, URIRef):
        return term
    if data.store.query(f"ASK {{ <{term}> a ?t }}", use_default_graph_as_union=True):
        return term
    rows = data.select(
        f"SELECT DISTINCT ?s WHERE {{ {{ ?s a <{term}> }} UNION {{ ?s <{term}> ?o }} }}"
    )
    users = sorted((s for (s,) in rows if s is not None), key=str)
    return users[0] if users else term
