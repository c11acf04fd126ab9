"""Running named queries: parameter values read by their kind, then the one query path.

A parameter's kind decides how a string value is read: ``entity`` resolves an IRI, CURIE or label
to an entity of the graph, ``text`` is always a plain string, and ``term`` (the default) reads
``<iri>``, ``http(s)://...`` and ``prefix:local`` as IRIs and anything else as a string.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import UnknownEntityError
from policykg.graph.entities import resolve
from policykg.rdf.terms import curie, expand_curie
from policykg.sparql.catalogue import NamedQuery, ParamKind, get_query
from policykg.sparql.results import QueryResult
from policykg.store.execute import run

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG

__all__ = ["allowed_values", "convert_value", "named"]


def named(kg: PolicyKG, query: str | NamedQuery, /, **values: Any) -> QueryResult:
    """Run the named query ``name`` with parameter values.

    Args:
        kg: the loaded graph.
        query: the query or its name (``policykg queries`` lists them).
        **values: parameter values: rdflib terms, or strings read according to the parameter's
            kind (an ``entity`` parameter accepts an IRI, a CURIE such as ``kg:high-end-chips``
            or a label in English or Chinese).

    Raises:
        UnknownQueryError: no such query.
        QueryError: an unknown parameter or a failed query.
        UnknownEntityError: an entity parameter names nothing in the graph.
    """
    q = get_query(query) if isinstance(query, str) else query
    bindings: dict[str, Node] = {}
    for k, v in values.items():
        try:
            bindings[k] = convert_value(kg, q.param(k).kind, v)
        except UnknownEntityError as exc:
            allowed = allowed_values(kg, q, k)
            if not allowed:
                raise
            raise UnknownEntityError(
                f"{k}={v} is not one of the values of parameter '{k}' of query '{q.name}' "
                f"(allowed: {', '.join(allowed)})"
            ) from exc
    return run(kg, q.parsed, bindings)


_RANGE_MEMBERS_Q = """SELECT DISTINCT ?v ?label WHERE {
  ?p rdfs:range ?c . ?v a ?c .
  FILTER(isIRI(?v))
  OPTIONAL { ?v skos:prefLabel ?label FILTER(LANG(?label) = "en") }
} ORDER BY ?v"""
#: A parameter with more possible values than this gets no list (it is not an enumeration).
_MOST_ALLOWED = 20


def allowed_values(kg: PolicyKG, query: NamedQuery, name: str) -> list[str]:
    """Return the values an entity parameter can take when they form a small closed set.

    The parameter's values are the members of the range of the property the query's text puts
    before ``?name`` (``pkg:modality ?modality`` -> the modalities), as ``label (CURIE)``; an
    empty list when there is no such property or the range has more than a handful of members.
    """
    found = re.search(r"([A-Za-z][\w-]*:[\w-]+)\s+\?" + re.escape(name) + r"\b", query.text)
    prop = expand_curie(found.group(1)) if found else None
    if prop is None:
        return []
    rows = run(kg, _RANGE_MEMBERS_Q, {"p": prop}).rows
    if not rows or len(rows) > _MOST_ALLOWED:
        return []
    return [f"{label} ({curie(str(v))})" if label else curie(str(v)) for v, label in rows]



#: Entity names already resolved, per loaded graph (a loaded graph does not change: its index is
#: cached the same way), so a warm named query does not ask the store again.
_RESOLVED: weakref.WeakKeyDictionary[Any, dict[str, URIRef]] = weakref.WeakKeyDictionary()

#: The graph asked last (a weak reference: ``None`` once it is gone) and its resolved names: a
#: weak reference is called faster than a weak-keyed dictionary is read.
_LAST: tuple[Callable[[], Any], dict[str, URIRef]] = (lambda: None, {})


def _names_of(kg: Any) -> dict[str, URIRef]:
    global _LAST
    known = _RESOLVED.setdefault(kg, {})
    _LAST = (weakref.ref(kg), known)
    return known


_IRI_LIKE = re.compile(r"^(?:<[^<>\s]*>|(?:https?|urn|file):\S+)$")


def convert_value(kg: PolicyKG, kind: ParamKind, value: Any) -> Node:
    """Turn one parameter value into an rdflib term according to the parameter's kind."""
    if isinstance(value, Node):
        return value
    if not isinstance(value, str):
        return Literal(value)
    if kind == "text":
        return Literal(value)
    if kind == "entity":
        last = _LAST  # one read: the graph and its names stay a pair under threads
        known = last[1] if kg is not None and last[0]() is kg else _names_of(kg)
        found = known.get(value)
        if found is None:
            found = known[value] = resolve(kg, value)
        return found
    if _IRI_LIKE.match(value):
        return URIRef(value[1:-1] if value.startswith("<") else value)
    iri = expand_curie(value)
    return iri if iri is not None else Literal(value)
