"""``policykg central``: the most central concepts of the graph."""

from __future__ import annotations

import argparse
from typing import Any

from policykg.apps.commands.query import add_format_option, add_graph_options
from policykg.core.choices import MEASURES

__all__ = ["register", "run"]



def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "central",
        help="the most central concepts (networkx centrality)",
        description="Rank the concepts of the entity network (facts between entities, direction "
        "ignored) by a networkx centrality measure.",
    )
    p.add_argument("-n", type=int, default=10, metavar="N", help="how many (default 10)")
    p.add_argument("--measure", choices=MEASURES, default="degree", help="default: degree")
    p.add_argument("--all", action="store_true", help="rank every entity, not only concepts")
    add_format_option(p)
    add_graph_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Rank and print."""
    from rdflib import Literal
    from rdflib.term import Node

    from policykg.apps.commands.query import load_graph, output_result
    from policykg.core.namespaces import XSD
    from policykg.graph.network import central
    from policykg.sparql.results import QueryResult

    kg = load_graph(args)
    try:
        ranked = central(kg, args.n, measure=args.measure, concepts_only=not args.all)
        rows: list[tuple[Node | None, ...]] = [
            (
                Literal(str(i), datatype=XSD.integer),
                c.entity,
                Literal(c.label),
                c.cls,
                Literal(f"{c.score:.6f}", datatype=XSD.decimal),
            )
            for i, c in enumerate(ranked, 1)
        ]
        result = QueryResult(
            kind="select", vars=["rank", "entity", "entityLabel", "class", "score"], rows=rows
        )
        output_result(kg, result, args)
    finally:
        kg.close()
    return 0
