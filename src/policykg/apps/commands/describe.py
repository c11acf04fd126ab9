"""``policykg describe``: every fact about an entity, each with its evidence quote."""

from __future__ import annotations

import argparse
from typing import Any

from policykg.apps.commands.query import add_graph_options

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "describe",
        help="every fact about an entity, with the passages that state them",
        description="Print an entity's classes, labels and every fact about it (as subject or "
        "object), each followed by the verbatim quote that states it and its offsets.",
    )
    p.add_argument("entity", metavar="ENTITY", help="an IRI, a CURIE (kg:...) or a label (en/zh)")
    p.add_argument("--no-quotes", action="store_true", help="leave out the evidence quotes")
    p.add_argument("--format", "-f", choices=("text", "json"), default="text", help="output format")
    add_graph_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Describe the entity."""
    import json

    from policykg.apps.commands.query import emit, load_graph
    from policykg.graph.drafts import mark_draft_dict, mark_draft_text
    from policykg.graph.entities import describe

    kg = load_graph(args)
    try:
        d = describe(kg, args.entity)
        data: object = mark_draft_dict(kg, d.to_dict())  # drafts are said ("draft")
        text = mark_draft_text(kg, d.text(quotes=not args.no_quotes))
    finally:
        kg.close()
    if args.format == "json":
        emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        emit(text + "\n")
    return 0
