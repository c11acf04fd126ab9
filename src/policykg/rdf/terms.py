"""RDF terms: conversion between rdflib and pyoxigraph, term writing, CURIEs, local names.

The one place that writes a term as text: :func:`format_term` (N-Triples, or Turtle with
prefixes; used by the Turtle/TriG writers, the N-Triples export and TSV results),
:func:`ntriples_term` (the same, refusing what a SPARQL query cannot hold: it writes bound values),
:func:`curie` (``kg:high-end-chips`` with the project's prefixes, else ``<iri>``) and
:func:`local_name` (``high-end-chips``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import QueryError
from policykg.core.namespaces import PREFIXES, XSD

__all__ = [
    "curie",
    "expand_curie",
    "format_term",
    "from_oxigraph",
    "local_name",
    "ntriples_term",
    "to_oxigraph",
]

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


def _escape(text: str) -> str:
    return "".join(_ECHAR.get(c, c) for c in text)


def format_term(term: Node, prefixes: Mapping[str, str] | None = None) -> str:
    """Write an RDF term: N-Triples without ``prefixes``, Turtle (IRIs as CURIEs) with them.

    Blank nodes are written as ``_:`` labels, literals with their language or datatype
    (``xsd:string`` is left implicit).

    Raises:
        TypeError: not an RDF term.
    """
    if isinstance(term, URIRef):
        return curie(str(term), prefixes) if prefixes else f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        body = f'"{_escape(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{body}^^{format_term(URIRef(str(term.datatype)), prefixes)}"
        return body
    raise TypeError(f"cannot write {term!r}")


def ntriples_term(term: Node) -> str:
    """Write an IRI or literal as an N-Triples term that is also valid SPARQL.

    Raises:
        QueryError: the term is a blank node, or an IRI or language tag that cannot be written.
    """
    if isinstance(term, URIRef | Literal):
        iri = str(term) if isinstance(term, URIRef) else str(term.datatype or "")
        if _IRI_FORBIDDEN.search(iri):
            raise QueryError(f"cannot bind the IRI <{iri}>: it contains a character IRIs forbid")
        if isinstance(term, Literal) and term.language and not _LANG_TAG.fullmatch(term.language):
            raise QueryError(f"cannot bind a literal with language tag '{term.language}'")
        return format_term(term)
    if isinstance(term, BNode):
        raise QueryError("cannot bind a blank node: name the node by its IRI")
    raise QueryError(f"cannot bind {term!r}: not an IRI or a literal")


def curie(iri: str | Node, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Abbreviate an IRI with the project's prefixes (``kg:high-end-chips``); else ``<iri>``.

    The longest namespace wins; the local part must be a Turtle local name.
    """
    iri = str(iri)
    best: tuple[int, str] | None = None
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and (best is None or len(ns) > best[0]):
            local = iri[len(ns) :]
            if local == "" or _CURIE_LOCAL.match(local):
                best = (len(ns), f"{prefix}:{local}")
    return best[1] if best else f"<{iri}>"


def local_name(iri: str) -> str:
    """Return the part of an IRI after its last ``#`` or ``/`` (``high-end-chips``)."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def expand_curie(text: str) -> URIRef | None:
    """Expand ``prefix:local`` with the project's prefixes; ``None`` when it is not one."""
    prefix, colon, local = text.strip().partition(":")
    if colon and prefix in PREFIXES and " " not in local:
        return URIRef(PREFIXES[prefix] + local)
    return None
