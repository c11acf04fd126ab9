"""Deterministic Turtle and TriG writers.

rdflib's serializers do not promise a stable order across runs, and the project commits its
generated graphs, so building twice must give byte-identical files. These writers sort graphs,
subjects, predicates (``rdf:type`` first) and objects, and abbreviate IRIs with the project's
prefixes (terms are written by :func:`policykg.rdf.terms.format_term`). Blank nodes are
written as ``_:`` labels in sorted order; the project's graphs use none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.core.namespaces import PREFIXES, RDF
from policykg.rdf.terms import format_term

__all__ = ["to_trig", "to_turtle"]

def _sort_key(term: Node) -> tuple[int, str, str]:
    if isinstance(term, URIRef):
        return (0, str(term), "")
    if isinstance(term, BNode):
        return (1, str(term), "")
    lit = term if isinstance(term, Literal) else Literal(str(term))
    return (2, str(lit), f"{lit.language or ''}|{lit.datatype or ''}")


def _block(
    triples: Iterable[tuple[Node, Node, Node]], indent: str, prefixes: Mapping[str, str]
) -> list[str]:
    by_subject: dict[Node, dict[Node, list[Node]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    lines: list[str] = []
    for s in sorted(by_subject, key=_sort_key):
        preds = by_subject[s]
        order = sorted(preds, key=lambda p: (p != RDF.type, str(p)))
        parts = []
        for p in order:
            objs = ", ".join(format_term(o, prefixes) for o in sorted(set(preds[p]), key=_sort_key))
            verb = "a" if p == RDF.type else format_term(p, prefixes)
            parts.append(f"{verb} {objs}")
        head = f"{indent}{format_term(s, prefixes)} "
        lines.append(head + f" ;\n{indent}    ".join(parts) + " .")
    return lines


def _header(prefixes: Mapping[str, str]) -> list[str]:
    return [f"@prefix {p}: <{iri}> ." for p, iri in prefixes.items()] + [""]


def to_turtle(graph: Graph, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Serialize ``graph`` as sorted Turtle."""
    lines = _header(prefixes)
    lines += "\n\n".join(_block(graph, "", prefixes)).split("\n")
    return "\n".join(lines).rstrip("\n") + "\n"


def to_trig(
    graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]],
    prefixes: Mapping[str, str] = PREFIXES,
) -> str:
    """Serialize named graphs as sorted TriG: one ``GRAPH <name> { ... }`` block per graph."""
    out = _header(prefixes)
    for name in sorted(graphs, key=str):
        triples = list(graphs[name])
        if not triples:
            continue
        out.append(f"{format_term(name, prefixes)} {{")
        out.append("\n\n".join(_block(triples, "    ", prefixes)))
        out.append("}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
