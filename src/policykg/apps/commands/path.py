"""``policykg path``: the shortest chain of facts between two entities."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from policykg.apps.commands.query import add_graph_options

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "path",
        help="the shortest chain of facts linking two entities",
        description="Find the shortest chain of facts between two entities (following facts in "
        "either direction) and read it out with the predicates' labels, then list each fact as "
        "stated. Exit 1 when no chain links them.",
    )
    p.add_argument("a", metavar="A", help="the first entity (IRI, CURIE or label)")
    p.add_argument("b", metavar="B", help="the second entity (IRI, CURIE or label)")
    p.add_argument("--quotes", action="store_true", help="show the evidence quote of each fact")
    add_graph_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Find and print the path."""
    from policykg.apps.commands.query import emit, load_graph
    from policykg.graph.entities import partial_index
    from policykg.graph.network import path

    kg = load_graph(args)
    try:
        found = path(kg, args.a, args.b)
        ends = [found.start, found.end] if found is not None else []
        idx = partial_index(kg, terms=ends)  # the names of the two ends, not of every entity
    finally:
        kg.close()
    if found is None:
        print(f"policykg: no chain of facts links '{args.a}' and '{args.b}'", file=sys.stderr)
        return 1
    if not found.facts:
        from policykg.core.text import escape_controls

        a, b = escape_controls(idx.name(found.start)), escape_controls(idx.name(found.end))
        emit(f"{a} is {b}\n")
        return 0
    lines = [found.text(), ""]
    for n, fact in enumerate(found.facts, 1):
        lines.append(f"{n}. {fact.text()}")
        if args.quotes:
            lines += [f"     {e.text()}" for e in fact.evidence]
    emit("\n".join(lines) + "\n")
    return 0
