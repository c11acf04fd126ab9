"""``policykg compare``: what changed between two documents, each change with both quotes."""

from __future__ import annotations

import argparse
from typing import Any

from policykg.apps.commands.query import add_graph_options, add_view_options

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "compare",
        help="what changed between two documents: new, dropped, firmer, weaker, reworded",
        description="Match the provisions of DOC_A (the earlier) and DOC_B by what they concern "
        "(the same concepts and addressee) and by the similarity of their quotes, and list what "
        "is new, dropped, firmer (should -> must), weaker, a new prohibition or reworded, each "
        "with both quotes.",
    )
    p.add_argument("doc_a", metavar="DOC_A", help="the earlier document (IRI, CURIE or label)")
    p.add_argument("doc_b", metavar="DOC_B", help="the later document")
    p.add_argument("--about", metavar="ENTITY", help="only the provisions about this entity")
    p.add_argument("--unchanged", action="store_true", help="also list the unchanged pairs")
    add_view_options(p)
    add_graph_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Compare the two documents and print the changes."""
    from policykg.apps.commands.query import deliver, load_graph, output_view
    from policykg.graph.compare import compare_documents
    from policykg.graph.entities import labels_of
    from policykg.outputs.changes import compare_html

    kg = load_graph(args)
    try:
        cmp = compare_documents(kg, args.doc_a, args.doc_b, about=args.about)

        def as_html() -> str:
            names = labels_of(kg, [cmp.a, cmp.b])
            return compare_html(cmp, label_a=names.name(cmp.a), label_b=names.name(cmp.b),
                                unchanged=args.unchanged)

        text = output_view(kg, args, as_json=lambda: cmp.to_dict(unchanged=args.unchanged),
                           as_html=as_html,
                           as_result=lambda: cmp.to_result(unchanged=args.unchanged))
    finally:
        kg.close()
    deliver(text, args, lambda: ", ".join(
        f"{n} {k}" for k, n in cmp.counts().items() if n) or "no changes")
    return 0
