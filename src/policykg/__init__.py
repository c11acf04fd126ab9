"""policykg: a knowledge graph of policy concepts.

Typical use::

    import policykg
    kg = policykg.load()
    kg.query("SELECT ?a WHERE { ?a a pkg:StateOwnedEnterprise }")

Heavy libraries (rdflib, pyoxigraph) are imported on first use, so ``import policykg`` and the
command line's ``--help`` stay instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policykg.core.errors import (
    AuthoringError,
    BackendError,
    ParseError,
    PolicyKGError,
    QueryError,
    ReasonerError,
    UnknownEntityError,
    UnknownQueryError,
    ValidationError,
)

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG, load
    from policykg.outputs.viz.notebook import show
    from policykg.sparql.results import QueryResult

__version__ = "0.1.0"

__all__ = [
    "AuthoringError",
    "BackendError",
    "ParseError",
    "PolicyKG",
    "PolicyKGError",
    "QueryError",
    "QueryResult",
    "ReasonerError",
    "UnknownEntityError",
    "UnknownQueryError",
    "ValidationError",
    "__version__",
    "load",
    "show",
]

_LAZY = {"PolicyKG": "graph.kg", "load": "graph.kg", "QueryResult": "sparql.results",
         "show": "outputs.viz.notebook"}
#: Modules users reach as attributes of the package (``policykg.namespaces.KG``; README).
_MODULES = {"namespaces": "core.namespaces", "outputs": "outputs"}


def __getattr__(name: str) -> Any:
    from importlib import import_module

    if name in _LAZY:
        value = getattr(import_module(f"policykg.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    if name in _MODULES:
        module = import_module(f"policykg.{_MODULES[name]}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'policykg' has no attribute {name!r}")
