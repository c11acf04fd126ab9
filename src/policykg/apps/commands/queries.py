"""``policykg queries``: list the named queries, or show one."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "queries",
        help="list the named queries (name, then title), or show one",
        description="Without NAME: one named query a line, its name then its title. With NAME: "
        "its title, description, parameters, example values and SPARQL text.",
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="show this query in full")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the list, or one query."""
    from policykg.apps.commands.query import emit
    from policykg.sparql.catalogue import get_query, named_queries

    if args.name is None:
        queries = named_queries()
        width = max((len(n) for n in queries), default=0)
        emit("".join(f"{name:<{width}}  {q.title}\n" for name, q in queries.items()))
        return 0
    q = get_query(args.name)
    lines = [f"{q.name}: {q.title}"]
    if q.description:
        lines.append(q.description)
    for p in q.params:
        example = q.examples.get(p.name)
        tail = f" (example: {example})" if example else ""
        lines.append(f"  --param {p.name}=...  [{p.kind}] {p.description}{tail}")
    lines += ["", q.text.rstrip()]
    emit("\n".join(lines) + "\n")
    return 0
