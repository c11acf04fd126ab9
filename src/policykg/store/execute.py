"""The one path every query takes: checked, bound, evaluated on the graph's backend.

Updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``,
``COPY``, ``WITH``) are refused: the query path only reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from rdflib.term import Node

from policykg.core.errors import QueryError
from policykg.sparql.results import QueryResult
from policykg.sparql.sparqltext import ParsedQuery, parse
from policykg.sparql.syntax import (
    MAX_NESTING,
    bind_each,
    check_nesting,
    check_syntax,
    refuse_updates,
)
from policykg.store.backends import Backend

__all__ = ["HasBackend", "run", "run_each"]


class HasBackend(Protocol):
    """Anything with a :class:`~policykg.store.backends.Backend` (a loaded ``PolicyKG``)."""

    @property
    def backend(self) -> Backend:
        """The store queries run on."""
        ...


def run(
    kg: HasBackend, sparql: str | ParsedQuery, bindings: Mapping[str, Node] | None = None
) -> QueryResult:
    """Run one read-only query on the graph's backend, over the union of all graphs.

    Args:
        kg: the loaded graph.
        sparql: the query; the project's prefixes are predeclared.
        bindings: variables to pre-bind (name without ``?`` -> rdflib term).

    The text is read once (:func:`~policykg.sparql.sparqltext.parse`): the update refusal, the
    nesting check, the backend's ``ORDER BY`` and ``VALUES`` placement and the syntax message all
    read the same tokens.

    Raises:
        QueryError: the query is an update, is nested too deeply, binds a variable it does not
            mention, is malformed (the message gives line and column) or failed to evaluate.
    """
    parsed = parse(sparql)
    if parsed.update is not None:
        refuse_updates(parsed)
    if parsed.deepest(MAX_NESTING) is not None:  # before any parser: Oxigraph's would crash
        check_nesting(parsed)
    if bindings:
        present = parsed.variables
        for name in bindings:
            if name not in present:
                have = ", ".join(f"?{v}" for v in sorted(present)) or "none"
                raise QueryError(
                    f"cannot bind ?{name}: the query has no such variable (it has {have})"
                )
    try:
        return kg.backend.query(parsed.text, bindings or None)
    except QueryError:
        check_syntax(parsed)  # a one-line message about the user's own text, if that is the cause
        raise


def run_each(
    kg: HasBackend, sparql: str, var: str, terms: Iterable[Node], *, batch: int = 500
) -> list[tuple[Node | None, ...]]:
    """Run ``sparql`` with ``?var`` bound to each of ``terms`` and return all the rows.

    The terms go in ``batch`` at a time (see :func:`policykg.store.backends.bind_each`), so that a
    question about thousands of entities costs a few queries, not thousands.
    """
    todo = list(terms)
    rows: list[tuple[Node | None, ...]] = []
    for i in range(0, len(todo), batch):
        rows += run(kg, bind_each(sparql, var, todo[i : i + batch])).rows
    return rows
