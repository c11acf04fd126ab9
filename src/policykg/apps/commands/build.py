"""``policykg build``: compile the authoring sources into ``graphs/*.trig``."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser("build", help="compile graphs/sources/*.yaml into graphs/*.trig")
    p.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is out of date"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build (or check) the document graphs."""
    from policykg.authoring.build import build_graphs

    result = build_graphs(check=args.check)
    for c in result.compiled:
        quads = sum(len(t) for t in c.graphs.values())
        passages = len(c.graphs) - 1
        print(f"{c.doc_id}: {len(c.entities)} entities, {passages} passages, {quads} triples")
    if args.check:
        for path in result.written:
            print(f"out of date: {path}")
        return 1 if result.written else 0
    for path in result.written:
        print(f"wrote {path}")
    return 0
