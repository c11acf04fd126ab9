"""Options shared by the commands that read the graph: ``--store DIR`` and ``--endpoint URL``.

Light on purpose (argparse only), so that ``register()`` functions stay instant. Use::

    from ._backend import add_backend_options, backend_kwargs
    add_backend_options(parser)             # in register()
    kg = load(**backend_kwargs(args))       # in the handler
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_backend_options", "backend_kwargs"]


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--store DIR`` and ``--endpoint URL`` (mutually exclusive) to a sub-command."""
    group = parser.add_argument_group(
        "where the graph is (default: the project's files, in memory)"
    )
    choice = group.add_mutually_exclusive_group()
    choice.add_argument(
        "--store", metavar="DIR",
        help="query a persistent Oxigraph store made with 'policykg load --store DIR'",
    )
    choice.add_argument(
        "--endpoint", metavar="URL",
        help="query a SPARQL 1.1 endpoint whose default graph is the union of its named graphs",
    )


def backend_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Return the ``store``/``endpoint`` keyword arguments of :func:`policykg.load`."""
    return {"store": getattr(args, "store", None), "endpoint": getattr(args, "endpoint", None)}
