"""``policykg add``: check a YAML/CSV document source or a Turtle/TriG extension, then add it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from policykg.apps.commands._imports import add_imports_options, imports_context


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "add",
        help="add a new document (YAML or CSV source with its text) or a Turtle/TriG extension",
        description=(
            "A YAML or CSV source of a new document is compiled (its quotes are located in its "
            "stored text), validated with the whole graph, then registered: source and text go to "
            "graphs/sources/, the graph to graphs/<doc>.trig. A Turtle or TriG file is validated "
            "and copied to graphs/extensions/. Nothing is written when anything is wrong. Files "
            "over 2 MB are refused (use 'policykg load --store DIR FILE' for large data). Exit "
            "status 1 on violations, 2 on unreadable or wrong input."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE", help=".yaml, .csv, .ttl or .trig file")
    p.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    add_imports_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Add the file, or print why it was refused."""
    from policykg.authoring.extend import add_file
    from policykg.checks.validate import ValidationFailed, display_path

    try:
        with imports_context(args):
            result = add_file(args.file, dry_run=args.dry_run)
    except ValidationFailed as exc:
        from policykg.core.text import one_line

        for problem in exc.problems:
            print(one_line(str(problem)), file=sys.stderr)
        print(
            f"policykg: error: {args.file} was not added: {len(exc.problems)} problem(s); "
            "no file was changed",
            file=sys.stderr,
        )
        return 1
    if result.compiled is not None:
        c = result.compiled
        print(f"{c.doc_id}: {len(c.entities)} entities, {len(c.graphs) - 1} passages: valid")
    else:
        print(f"{args.file}: valid")
    if args.dry_run:
        print("dry run: nothing written")
    for path in result.written:
        print(f"wrote {display_path(path)}")
    return 0
