"""``policykg stats``: count the graph's instances by class."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add the sub-command."""
    from policykg.apps.commands.query import add_graph_options

    p = sub.add_parser("stats", help="print counts of entities by class")
    add_graph_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the counts."""
    from policykg.apps.commands.query import load_graph

    kg = load_graph(args)
    counts = kg.stats()
    width = max((len(k) for k in counts), default=5)
    for name, n in counts.items():
        print(f"{name:<{width}}  {n:>5}")
    total = kg.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
    passages = kg.query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:Passage }").rows[0][0]
    print(f"{'triples':<{width}}  {int(str(total)):>5}")
    print(f"{'passages':<{width}}  {int(str(passages)):>5}")
    return 0
