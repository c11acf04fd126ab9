"""``policykg serve``: a read-only SPARQL 1.1 endpoint and the HTML graph over HTTP."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "serve",
        help="serve the graph: SPARQL endpoint at /sparql, the HTML graph at /",
        description=(
            "Run a read-only SPARQL 1.1 Protocol endpoint at /sparql (GET and POST; JSON, XML, "
            "CSV, TSV results; Turtle, N-Triples, RDF/XML, JSON-LD graphs) and serve "
            "graphs/policykg.html at /. Queries see the union of all named graphs. Stop with "
            "Ctrl-C."
        ),
    )
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000; 0 = any free)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="S",
                   help="stop a query after S seconds with HTTP 503 (default 30)")
    p.add_argument("--max-rows", type=int, default=10_000, metavar="N",
                   help="return at most N rows or triples (default 10000; 0 = no cap)")
    p.add_argument("--workers", type=int, default=2, metavar="N",
                   help="queries that can run at once, one process each (default 2)")
    p.add_argument("--queue", type=int, default=128, metavar="N",
                   help="queries that may wait for a busy worker (default 128); more get HTTP 503 "
                        "at once, with Retry-After")
    p.add_argument("--slow-workers", type=int, default=1, metavar="N",
                   help="queries that ran over a quarter second move to a slow lane of N more "
                        "workers (default 1; 0 = none), so cheap queries keep answering; when it "
                        "is full, another slow query gets HTTP 503")
    p.add_argument("--query-memory", type=int, default=1024, metavar="MB",
                   help="memory a query may take in its worker beyond the graph (default 1024 "
                        "MB; 0 = no limit); a query needing more fails with HTTP 500")
    p.add_argument("--idle-timeout", type=float, default=10.0, metavar="S",
                   help="close a connection idle or with unfinished headers after S seconds "
                        "(default 10; at most 3600)")
    p.add_argument("--store", metavar="DIR",
                   help="serve a persistent Oxigraph store (policykg load) instead of the files")
    p.add_argument("--inferred", action="store_true", help="include graphs/inferred.ttl")
    from policykg.apps.commands.query import add_corpus_options

    add_corpus_options(p)
    p.add_argument("--cors", action="store_true", help="allow cross-origin requests")
    p.add_argument("--allow-service", action="store_true",
                   help="run SERVICE clauses (federated queries: the server then sends requests "
                        "to any host a client names; refused by default)")
    p.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                   help="also answer requests whose Host header names NAME (a reverse proxy's "
                        "public name; repeatable); other names are refused (DNS rebinding)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    import logging
    from pathlib import Path

    from policykg.apps.limits import check_timeout, check_workers
    from policykg.apps.server import ServeConfig, check_address, serve
    from policykg.core import paths
    from policykg.core.errors import PolicyKGError
    from policykg.rdf.graphio import graph_files

    check_timeout(args.timeout)  # issue 25 N20: inf and nan are refused, not blamed on --host
    check_workers(args.workers, args.slow_workers)  # issue 25 N21
    if (args.timeout <= 0 or args.max_rows < 0 or args.workers < 1 or not 0 <= args.queue <= 1024
            or args.query_memory < 0 or not 0 <= args.port < 65536
            or not 0 < args.idle_timeout <= 3600):  # (nan fails every comparison)
        raise PolicyKGError("--timeout must be > 0, --max-rows >= 0, --workers >= 1, "
                            "--queue in 0..1024, --query-memory >= 0, --port in 0..65535, "
                            "--idle-timeout in (0, 3600]")
    check_address(args.host, args.port)
    store = Path(args.store) if args.store else None
    from policykg.graph.kg import parse_day

    as_of = parse_day(args.as_of) if args.as_of else None
    files = () if store else tuple(
        graph_files(inferred=args.inferred, corpus=Path(args.corpus) if args.corpus else None,
                             drafts=args.drafts, as_of=as_of)
    )
    config = ServeConfig(
        host=args.host, port=args.port, timeout=args.timeout, max_rows=args.max_rows,
        workers=args.workers, queue=args.queue, store=store, files=files,
        html=paths.html_file(), cors=args.cors,
        allow_service=args.allow_service, allowed_hosts=tuple(args.allowed_host),
        slow_workers=args.slow_workers, query_memory=args.query_memory,
        idle_timeout=args.idle_timeout,
    )
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"policykg: warning: listening on {args.host}: other machines can query the graph",
              file=sys.stderr)

    def ready(base: str) -> None:
        print(f"policykg: serving {base} (SPARQL endpoint {base}sparql); Ctrl-C to stop",
              flush=True)

    serve(config, ready=ready)
    return 0
