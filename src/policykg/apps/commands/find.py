"""``policykg find``: search entities by label, in English or Chinese."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from policykg.apps.commands.query import add_format_option, add_graph_options

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "find",
        help="search entities by label (English or Chinese, any case)",
        description="List the entities and ontology terms whose preferred, alternative or "
        "rdfs:label contains TEXT, ignoring case; exact matches first. Exit 1 if none does.",
    )
    p.add_argument("text", metavar="TEXT", help="the text to look for")
    p.add_argument("--lang", metavar="LANG", help="only labels in this language (en, zh)")
    add_format_option(p)
    add_graph_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Search and print the matches."""
    from policykg.apps.commands.query import load_graph, output_result
    from policykg.graph.entities import find

    kg = load_graph(args)
    try:
        result = find(kg, args.text, args.lang)
        if not result.rows:
            print(f"policykg: no label contains '{args.text}'", file=sys.stderr)
            return 1
        output_result(kg, result, args)
    finally:
        kg.close()
    return 0
