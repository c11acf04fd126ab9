"""``policykg push``: send the graph to a SPARQL server (Graph Store HTTP Protocol)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "push",
        help="upload the graph to a SPARQL server, one named graph at a time",
        description=(
            "Send every named graph to a server with the SPARQL 1.1 Graph Store HTTP Protocol "
            "(PUT <graph-store>?graph=<iri>, replacing that graph), so passages stay named graphs. "
            "The source is the project's files, the given FILES, or --store DIR."
        ),
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="RDF files to send instead")
    p.add_argument("--endpoint", metavar="URL", required=True,
                   help="the server's SPARQL query URL (http://localhost:7878/query)")
    p.add_argument("--graph-store", metavar="URL",
                   help="its Graph Store URL (default: guessed, /query -> /store for Oxigraph, "
                        "/<dataset>/sparql -> /<dataset>/data for Fuseki)")
    p.add_argument("--store", metavar="DIR", help="send the content of this Oxigraph store")
    p.add_argument("--method", choices=["graphs", "dataset"], default="graphs",
                   help="graphs: PUT each named graph (standard, default); dataset: POST all "
                        "quads as N-Quads in batches (faster; Oxigraph and Fuseki)")
    from policykg.apps.commands.query import add_corpus_options

    add_corpus_options(p)
    p.add_argument("--inferred", action="store_true", help="include graphs/inferred.ttl")
    p.add_argument("--no-extensions", action="store_true", help="leave out graphs/extensions/")
    p.add_argument("--timeout", type=float, default=300.0, metavar="S",
                   help="seconds each request may take, upload included (default 300)")
    p.add_argument("--no-check", action="store_true",
                   help="skip checking that the endpoint's default graph is the union")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Push the graph, then check that queries will see it."""
    from pathlib import Path

    from policykg.core.errors import BackendError
    from policykg.rdf.graphio import graph_files
    from policykg.store.backends import EndpointBackend, MemoryBackend, StoreBackend
    from policykg.store.bulk import PushProgress, graph_files_for, graph_store_url, push_graphs

    if args.store and args.files:
        raise BackendError("give either FILES or --store, not both")
    if not 0 < args.timeout <= 86_400:  # issue 25 N20: nan, inf and 1e20 gave tracebacks
        raise BackendError(f"--timeout must be more than 0 and at most 86400 seconds, "
                           f"not {args.timeout:g}")
    url = args.graph_store or graph_store_url(args.endpoint)
    source: MemoryBackend
    if args.store:
        source = StoreBackend(Path(args.store))
    else:
        if args.files:
            files = graph_files_for(args.files)
        else:
            files = graph_files(inferred=args.inferred, extensions=not args.no_extensions,
                             corpus=Path(args.corpus) if args.corpus else None,
                             drafts=args.drafts, as_of=_as_of(args))
        source = MemoryBackend()
        source.load_files(files)
    tty = sys.stderr.isatty()

    def progress(p: PushProgress) -> None:
        if args.quiet:
            return
        done = f"{p.graphs}/{p.total} graphs, " if p.graphs else ""
        line = f"pushing: {done}{p.triples} triples, {p.elapsed:.1f} s"
        if tty:
            print(f"\r{line}\x1b[K", end="", file=sys.stderr, flush=True)
        elif p.graphs == p.total or p.graphs % 1000 == 0:
            print(line, file=sys.stderr, flush=True)

    report = push_graphs(source.store, url, method=args.method, timeout=args.timeout,
                         progress=progress)
    if tty and not args.quiet:
        print(file=sys.stderr)
    print(f"pushed {report.triples} triples in {report.graphs} graphs to {report.url} "
          f"in {report.seconds:.1f} s")
    if not args.no_check:
        union = EndpointBackend(args.endpoint, timeout=args.timeout).default_graph_is_union()
        if union is False:
            print(
                "policykg: warning: the endpoint's default graph is not the union of its named "
                "graphs, so policykg's queries will find nothing: start Oxigraph with "
                "'oxigraph serve --union-default-graph', or set tdb2:unionDefaultGraph true in "
                "Fuseki (see docs/scale.md)",
                file=sys.stderr,
            )
            return 1
    return 0


def _as_of(args: argparse.Namespace) -> Any:
    from policykg.graph.kg import parse_day

    return parse_day(args.as_of) if args.as_of else None
