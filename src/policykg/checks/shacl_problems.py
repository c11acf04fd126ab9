"""SHACL results read into problems: rule names, readable messages, the entity and its file.

Part of :mod:`policykg.checks.shacl`: the results of the engine's report and of the store's
queries become one :class:`~policykg.checks.report.Problem` each.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from policykg.core.namespaces import ONTOLOGY_IRI, PKG, PREFIXES, RDF, RDFS
from policykg.rdf.terms import curie, from_oxigraph, to_oxigraph

from .data import CheckData
from .report import Problem
from .shacl_shapes import ShaclResult, sh_term

__all__ = ["engine_results", "result_problems"]


def engine_results(report: Graph) -> Iterator[ShaclResult]:
    """The results of an engine's report graph."""
    for result in report.subjects(RDF.type, sh_term("ValidationResult")):
        focus_node = report.value(result, sh_term("focusNode"))
        if focus_node is None:
            continue
        yield (
            focus_node,
            report.value(result, sh_term("resultPath")),
            report.value(result, sh_term("value")),
            report.value(result, sh_term("sourceShape")),
            report.value(result, sh_term("sourceConstraint")),
            report.value(result, sh_term("resultSeverity")),
            [str(m) for m in report.objects(result, sh_term("resultMessage"))],
            report.value(result, sh_term("sourceConstraintComponent")),
        )


def result_problems(
    data: CheckData,
    shapes: Graph,
    results: Iterable[ShaclResult],
    focus: Callable[[Node], bool] | None,
) -> list[Problem]:
    """One :class:`Problem` per result whose focus node ``focus`` keeps (all: ``None``)."""
    problems = []
    for focus_node, path, value, shape, constraint, severity, messages, component in results:
        if focus is not None and not focus(focus_node):
            continue
        rule = _shape_name(shapes, constraint) or _shape_name(shapes, shape)
        if not rule:
            rule = curie(component) if component is not None else "SHACL"
        ordered = sorted(messages)
        message = _readable(ordered[0] if ordered else "SHACL constraint not met")
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
                "violation" if severity == sh_term("Violation") else "warning",
            )
        )
    return problems


def _shape_name(shapes: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    name = shapes.value(node, sh_term("name")) or shapes.value(node, RDFS.label)
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


_KINDS = "owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty"
_DECLARED = f"ASK {{ VALUES ?k {{ {_KINDS} }} ?term a ?k }}"
_ALL_DECLARED = f"SELECT DISTINCT ?t WHERE {{ VALUES ?k {{ {_KINDS} }} ?t a ?k }}"
_TYPED = "ASK { ?term a ?t }"
_USERS = "SELECT DISTINCT ?term ?s WHERE { { ?s a ?term } UNION { ?s ?term ?o } }"


def _ask(data: CheckData, sparql: str, term: Node) -> bool:
    import pyoxigraph as ox

    return bool(
        data.store.query(
            sparql,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
            substitutions={ox.Variable("term"): to_oxigraph(term)},
        )
    )


def _term_hint(data: CheckData, term: Node) -> str:
    """'; did you mean pkg:X?' for an undeclared pkg: term close to a declared one."""
    if not isinstance(term, URIRef) or not term.startswith(str(PKG)):
        return ""
    if _ask(data, _DECLARED, term):
        return ""
    declared = sorted(
        str(t)[len(str(PKG)) :]
        for (t,) in data.select(_ALL_DECLARED)
        if isinstance(t, URIRef) and t.startswith(str(PKG))
    )
    local = str(term)[len(str(PKG)) :]
    found = difflib.get_close_matches(local, declared, n=1, cutoff=0.6)
    return f"; did you mean pkg:{found[0]}?" if found else ""


def _user_of(data: CheckData, term: Node) -> Node:
    """The entity of a graph-wide SHACL result: the term itself, or a user of an unknown term."""
    import pyoxigraph as ox

    if not isinstance(term, URIRef):
        return term
    if _ask(data, _TYPED, term):
        return term
    rows = data.store.query(
        _USERS,
        use_default_graph_as_union=True,
        substitutions={ox.Variable("term"): to_oxigraph(term)},
    )
    users = sorted((from_oxigraph(row["s"]) for row in rows), key=str)
    found = [u for u in users if u is not None]
    return found[0] if found else term
