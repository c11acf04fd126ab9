"""``policykg timeline``: a concept, actor or measure across the corpus, one row per document."""

from __future__ import annotations

import argparse
from typing import Any

from policykg.apps.commands.query import add_graph_options, add_view_options

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "timeline",
        help="an entity across the documents: one row per document, by year",
        description="For a concept, actor or measure, one row per document that names it, by "
        "year: the passages that mention it, the provisions about it by modality, a measure's "
        "values, and the first passage; the first and last rows are its first and last "
        "appearance. --format html adds a small chart.",
    )
    p.add_argument("entity", metavar="ENTITY", help="an IRI, a CURIE (kg:...) or a label (en/zh)")
    add_view_options(p)
    add_graph_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the entity's timeline."""
    from policykg.apps.commands.query import deliver, load_graph, output_view
    from policykg.graph.timeline import timeline
    from policykg.outputs.changes import timeline_html

    kg = load_graph(args)
    try:
        t = timeline(kg, args.entity)
        text = output_view(kg, args, as_json=t.to_dict, as_html=lambda: timeline_html(t),
                           as_result=t.to_result)
    finally:
        kg.close()
    deliver(text, args, lambda: f"{len(t.rows)} documents")
    return 0
