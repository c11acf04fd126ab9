"""``policykg load``: bulk-load the graph (or any RDF files) into a persistent Oxigraph store."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "load",
        help="load the graph into a persistent Oxigraph store (then use --store DIR)",
        description=(
            "Bulk-load RDF files into an Oxigraph store folder; every command then reads it with "
            "--store DIR, which opens in milliseconds. Without FILES, loads the project's graph "
            "(ontology, graphs/*.trig, extensions). The new store replaces the old one only when "
            "every file has loaded, unless --append."
        ),
    )
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="RDF files (.trig/.nq keep their graphs; "
                        ".ttl/.nt go to kgg:extension-<name>)")
    p.add_argument("--store", metavar="DIR", required=True, help="the store folder")
    p.add_argument("--append", action="store_true", help="add to the existing store")
    from policykg.apps.commands.query import add_corpus_options

    add_corpus_options(p)
    p.add_argument("--inferred", action="store_true",
                   help="with the project's files: include graphs/inferred.ttl")
    p.add_argument("--no-extensions", action="store_true",
                   help="with the project's files: leave out graphs/extensions/")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=run)


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def run(args: argparse.Namespace) -> int:
    """Load the files and print what the store holds."""
    from pathlib import Path

    from policykg.rdf.graphio import graph_files
    from policykg.store.bulk import LoadProgress, graph_files_for, load_store

    if args.files:
        files = graph_files_for(args.files)
    else:
        files = graph_files(inferred=args.inferred, extensions=not args.no_extensions,
                             corpus=Path(args.corpus) if args.corpus else None,
                             drafts=args.drafts, as_of=_as_of(args))
    tty = sys.stderr.isatty()
    last: dict[str, int] = {}

    def progress(p: LoadProgress) -> None:
        if args.quiet:
            return
        percent = 100 * p.done // p.size if p.size else 100
        line = (f"[{p.index}/{p.files}] {p.file.name}: {percent:3d}% "
                f"({_mb(p.done)} of {_mb(p.size)}, {p.elapsed:.1f} s)")
        if tty:
            print(f"\r{line}\x1b[K", end="" if p.done < p.size else "\n", file=sys.stderr,
                  flush=True)
        elif p.done >= p.size and last.get(str(p.file)) != p.index:
            last[str(p.file)] = p.index
            print(line, file=sys.stderr, flush=True)

    report = load_store(files, Path(args.store), append=args.append, progress=progress)
    print(f"{report.store}: {report.quads} quads in {report.graphs} named graphs "
          f"from {report.files} files, loaded in {report.seconds:.1f} s")
    return 0


def _as_of(args: argparse.Namespace) -> Any:
    from policykg.graph.kg import parse_day

    return parse_day(args.as_of) if args.as_of else None
