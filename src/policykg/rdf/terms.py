"""RDF terms: conversion between rdflib and pyoxigraph, N-Triples writing, CURIEs.

The one place that writes a term as text: :func:`ntriples_term` (N-Triples, also valid SPARQL and
Turtle) and :func:`curie` (``kg:high-end-chips`` with the project's prefixes, else ``<iri>``).
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import QueryError
from policykg.core.namespaces import PREFIXES, XSD

__all__ = ["curie", "expand_curie", "from_oxigraph", "ntriples_term", "to_oxigraph"]

_CURIE_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?$")

_XSD_STRING = str(XSD.string)
_DATATYPES: dict[str, URIRef] = {}  # datatype IRIs are few: build each URIRef once


def from_oxigraph(term: Any) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        # Oxigraph only holds valid IRIs: skip URIRef's own check, which costs more than the rest.
        return str.__new__(URIRef, term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        try:
            iri = _DATATYPES[datatype]
        except KeyError:
            iri = _DATATYPES[datatype] = URIRef(datatype)
        return Literal(term.value, datatype=iri)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term (or a plain Python value) to a pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return to_oxigraph(Literal(term))


_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANG_TAG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def ntriples_term(term: Node) -> str:
    """Write an IRI or literal as an N-Triples term that is also valid SPARQL.

    Raises:
        QueryError: the term is a blank node, or an IRI or language tag that cannot be written.
    """
    if isinstance(term, URIRef):
        iri = str(term)
        if _IRI_FORBIDDEN.search(iri):
            raise QueryError(f"cannot bind the IRI <{iri}>: it contains a character IRIs forbid")
        return f"<{iri}>"
    if isinstance(term, Literal):
        text = "".join(_ECHAR.get(c, c) for c in str(term))
        if term.language:
            if not _LANG_TAG.fullmatch(term.language):
                raise QueryError(f"cannot bind a literal with language tag '{term.language}'")
            return f'"{text}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != str(XSD.string):
            return f'"{text}"^^{ntriples_term(URIRef(str(term.datatype)))}'
        return f'"{text}"'
    if isinstance(term, BNode):
        raise QueryError("cannot bind a blank node: name the node by its IRI")
    raise QueryError(f"cannot bind {term!r}: not an IRI or a literal")


def curie(iri: str) -> str:
    """Abbreviate an IRI with the project's prefixes (``kg:high-end-chips``); else ``<iri>``."""
    best: tuple[int, str] | None = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > best[0]):
            local = iri[len(ns) :]
            if local == "" or _CURIE_LOCAL.match(local):
                best = (len(ns), f"{prefix}:{local}")
    return best[1] if best else f"<{iri}>"


def expand_curie(text: str) -> URIRef | None:
    """Expand ``prefix:local`` with the project's prefixes; ``None`` when it is not one."""
    prefix, colon, local = text.strip().partition(":")
    if colon and prefix in PREFIXES and " " not in local:
        return URIRef(PREFIXES[prefix] + local)
    return None
