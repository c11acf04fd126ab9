"""``policykg timeline``: a concept, actor or measure across the corpus, one row per document."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from policykg.apps.commands.query import add_graph_options

__all__ = ["register", "run"]

FORMATS = ("table", "md", "csv", "json", "html")


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
    p.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default=None,
        help="table (default on a terminal), md, csv (default otherwise), json, html",
    )
    p.add_argument("--out", "-o", metavar="FILE", help="write to FILE atomically (default: stdout)")
    p.add_argument(
        "--max-width",
        type=int,
        default=80,
        metavar="N",
        help="table format: cut cells wider than N characters (0 = never)",
    )
    add_graph_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the entity's timeline."""
    import json

    from policykg.apps.commands.query import emit, load_graph
    from policykg.core.errors import QueryError
    from policykg.graph.entities import labels_of
    from policykg.graph.timeline import timeline
    from policykg.outputs.changes import timeline_html
    from policykg.sparql.formats import render

    if args.max_width < 0:
        raise QueryError(f"--max-width must be 0 or more, got {args.max_width}")
    fmt = args.format or ("table" if sys.stdout.isatty() else "csv")
    kg = load_graph(args)
    try:
        t = timeline(kg, args.entity)
        if fmt == "json":
            text = json.dumps(t.to_dict(), ensure_ascii=False, indent=1) + "\n"
        elif fmt == "html":
            text = timeline_html(t)
        else:
            result = t.to_result()
            labels = None
            if fmt in ("table", "md"):
                labels = labels_of(kg, [row[1] for row in result.rows]).label
            text = render(result, fmt, labels=labels, max_width=args.max_width)
    finally:
        kg.close()
    if args.out:
        from policykg.core.io import write_atomic

        write_atomic(args.out, text)
        print(f"wrote {args.out}: {len(t.rows)} documents", file=sys.stderr)
    else:
        emit(text)
    return 0
