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
            "and copied to graphs/extensions/. With --store DIR it is checked against the store "
            "and, once written, added to the store too, in one transaction (if the store cannot "
            "take it, the files just written are removed). Nothing is written when anything is "
            "wrong. Files over 2 MB are refused (use 'policykg load --store DIR FILE' for large "
            "data). Exit status 1 on violations, 2 on unreadable or wrong input."
        ),
    )
    p.add_argument("file", type=Path, metavar="FILE", help=".yaml, .csv, .ttl or .trig file")
    p.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    p.add_argument(
        "--store",
        type=Path,
        metavar="DIR",
        help="an Oxigraph store holding the corpus: check the file against what it touches "
        "there (not against the project's files), then add its graph to the store",
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: print the validation report as JSON on stdout",
    )
    add_imports_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Add the file, or print why it was refused."""
    from policykg.authoring.extend import add_file
    from policykg.checks.validate import ValidationFailed, display_path
    from policykg.store import journal

    if args.store is not None:
        _refuse_registered(args.file)

    def intent(dests: list[Path]) -> None:  # before the first file is written (N5)
        journal.begin(dests, args.store, _graph_files(dests))

    try:
        with imports_context(args):
            result = add_file(args.file, dry_run=args.dry_run, store=args.store,
                              before_write=intent)
            if args.store is not None and not args.dry_run:
                _append(result, args.file, args.store)
            if not args.dry_run:
                journal.finish()
    except ValidationFailed as exc:
        if args.format == "json":
            import json
            from dataclasses import asdict

            print(
                json.dumps(
                    {"ok": False, "problems": [asdict(p) for p in exc.problems]},
                    ensure_ascii=False,
                    indent=1,
                )
            )
        from policykg.core.text import one_line

        for problem in exc.problems:
            print(one_line(str(problem)), file=sys.stderr)
        print(
            f"policykg: error: {args.file} was not added: {len(exc.problems)} problem(s); "
            "no file was changed",
            file=sys.stderr,
        )
        return 1
    if args.format != "json":  # warnings refuse nothing, but are said (shared labels, ...)
        from policykg.core.text import one_line

        for warning in result.report.warnings:
            print(one_line(str(warning)), file=sys.stderr)
    if args.format == "json":
        print(result.report.to_json())
    elif result.compiled is not None:
        c = result.compiled
        print(f"{c.doc_id}: {len(c.entities)} entities, {len(c.graphs) - 1} passages: valid")
    else:
        print(f"{args.file}: valid")
    out = sys.stderr if args.format == "json" else sys.stdout
    if args.dry_run:
        print("dry run: nothing written", file=out)
    for path in result.written:
        print(f"wrote {display_path(path)}", file=out)
    return 0


def _graph_files(dests: list[Path]) -> list[Path]:
    """Those of the files ``add`` writes that hold the graph a store takes."""
    from policykg.core.paths import extensions_dir, graphs_dir

    places = {graphs_dir().resolve(), extensions_dir().resolve()}
    return [d for d in dests if d.parent.resolve() in places and d.suffix in (".trig", ".ttl")]


def _refuse_registered(path: Path) -> None:
    """A source already registered in graphs/sources/ is in the store already (its old graph).

    Raises:
        AuthoringError: ``path`` is in the project's sources folder.
    """
    from policykg.core.errors import AuthoringError
    from policykg.core.paths import sources_dir

    if path.suffix.lower() in (".yaml", ".yml") and (
        path.resolve().parent == sources_dir().resolve()
    ):
        raise AuthoringError(
            f"{path}: already registered in graphs/sources/, so the store holds its old graph; "
            "rebuild with 'policykg build' and reload the store with 'policykg load --store'"
        )


def _append(result: Any, path: Path, store: Path) -> None:
    """Add the graph just written to ``store``; if it cannot be, remove the files written.

    The files are written first (all or none, journaled), then the store takes the graph in one
    transaction; when that fails, the files written (all new: ``add`` never overwrites) are
    removed again, so that project and store both stay as they were.

    Raises:
        BackendError: the store could not take the graph (the message says so and that the files
            were removed).
    """
    from policykg.core.errors import BackendError, PolicyKGError
    from policykg.core.paths import extensions_dir, graphs_dir
    from policykg.store.bulk import append_to_store, graph_files_for

    if result.kind == "source":
        graph_file = graphs_dir() / f"{result.compiled.doc_id}.trig"
    else:
        graph_file = extensions_dir() / path.name
    try:
        append_to_store(graph_files_for([graph_file]), store)
    except PolicyKGError as exc:
        from policykg.store.journal import finish

        for written in reversed(result.written):
            Path(written).unlink(missing_ok=True)
        finish()
        raise BackendError(
            f"{exc}; {path} was not added: the files just written were removed"
        ) from None
