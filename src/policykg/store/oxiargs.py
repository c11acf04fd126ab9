"""What the embedded backends hand Oxigraph with a query: prefixes, substitutions, refusals.

A warm named query is a fraction of a millisecond, so what is the same at every run is worked
out once: the project's prefixes the query writes (Oxigraph parses every prefix it is given, at
every query: the 15 of the project cost about 4 µs), the pyoxigraph terms of values bound again
(a resolved entity is the same object at every run) and the variables Oxigraph refused to take
as substitutions (bound with ``VALUES`` at once the next time).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rdflib.term import Node

from policykg.core.namespaces import PREFIXES
from policykg.rdf.terms import to_oxigraph
from policykg.sparql.sparqltext import ParsedQuery

__all__ = ["not_projected", "prefixes_for", "refuse", "refused", "substitutions"]

_MOST = 1024  # entries each cache keeps (it is emptied past that)

#: The prefix names a query writes -> the project's prefixes among them.
_USED_PREFIXES: dict[frozenset[str], dict[str, str]] = {}
#: id(term) -> (term, the pyoxigraph term); the entry keeps the term, so its id stays its own.
_TERMS: dict[int, tuple[Node, Any]] = {}
#: Variable name -> pyoxigraph Variable.
_VARIABLES: dict[str, Any] = {}
#: Query text -> the variables Oxigraph refused as substitutions (they are not projected).
_REFUSED: dict[str, frozenset[str]] = {}
_NOT_PROJECTED = re.compile(r"does not contains? variable \?(\S+) in its SELECT projection")


def prefixes_for(parsed: ParsedQuery) -> dict[str, str]:
    """The project's prefixes that ``parsed`` writes (the ones Oxigraph needs to read it)."""
    found = _USED_PREFIXES.get(parsed.prefix_names)
    if found is None:
        if len(_USED_PREFIXES) > _MOST:
            _USED_PREFIXES.clear()
        names = parsed.prefix_names
        found = _USED_PREFIXES[names] = {p: iri for p, iri in PREFIXES.items() if p in names}
    return found


def substitutions(bindings: Mapping[str, Node]) -> dict[Any, Any] | None:
    """The values to hand Oxigraph as substitutions (``None`` for none)."""
    import pyoxigraph as ox

    if len(_TERMS) > _MOST or len(_VARIABLES) > _MOST:
        _TERMS.clear()
        _VARIABLES.clear()
    given = {}
    for name, term in bindings.items():
        found = _TERMS.get(id(term))
        if found is None or found[0] is not term:
            found = _TERMS[id(term)] = (term, to_oxigraph(term))
        var = _VARIABLES.get(name)
        if var is None:
            var = _VARIABLES[name] = ox.Variable(name)
        given[var] = found[1]
    return given or None


def refused(text: str) -> frozenset[str]:
    """The variables Oxigraph refused as substitutions in the query ``text`` so far."""
    return _REFUSED.get(text, frozenset())


def not_projected(error: BaseException) -> str | None:
    """The variable an Oxigraph error refuses as a substitution (not projected), if that is it."""
    found = _NOT_PROJECTED.search(str(error))
    return found.group(1) if found else None


def refuse(text: str, name: str) -> None:
    """Remember that Oxigraph refused ``?name`` as a substitution in the query ``text``."""
    if len(_REFUSED) > _MOST:
        _REFUSED.clear()
    _REFUSED[text] = frozenset({*refused(text), name})
