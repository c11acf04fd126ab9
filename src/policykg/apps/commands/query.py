"""``policykg query``: run a named query, a ``.rq`` file or SPARQL text.

Also holds the small helpers the other query commands share (graph options, loading, output).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg.apps.commands._backend import add_backend_options, backend_kwargs
from policykg.core.choices import RESULT_FORMATS, VIEW_FORMATS

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG
    from policykg.sparql.results import QueryResult

__all__ = [
    "add_corpus_options", "add_graph_options", "add_view_options", "emit", "load_graph",
    "parse_params", "register", "run",
]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
#: The most rows ``policykg query`` prints by default.
DEFAULT_MAX_ROWS = 100_000


def add_graph_options(p: argparse.ArgumentParser) -> None:
    """Add ``--inferred``, ``--store`` and ``--endpoint``."""
    p.add_argument(
        "--inferred", action="store_true", help="include the triples 'policykg reason' inferred"
    )
    add_corpus_options(p)
    add_backend_options(p)


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    """Add ``--drafts`` and ``--as-of DATE`` (the imported corpus)."""
    p.add_argument(
        "--drafts", action="store_true",
        help="also show the drafted layer of the imported corpus (unreviewed, marked 'draft')",
    )
    p.add_argument(
        "--as-of", metavar="DATE", default=None,
        help="only the corpus documents issued by DATE (YYYY-MM-DD)",
    )
    p.add_argument(
        "--corpus", metavar="DIR", default=None,
        help="the imported corpus folder (default: graphs/corpus; see 'policykg corpus')",
    )


def add_format_option(p: argparse.ArgumentParser) -> None:
    """Add ``--format`` for query results (table on a terminal, csv otherwise)."""
    p.add_argument(
        "--format", "-f", choices=RESULT_FORMATS, default=None,
        help="output format: an aligned table (default on a terminal), the W3C SPARQL results "
        "formats csv (default otherwise), tsv and json, or a Markdown table (md)",
    )
    p.add_argument(
        "--max-width", type=non_negative_int, default=80, metavar="N",
        help="table format: cut cells wider than N characters (0 = never; default 80)",
    )
    p.add_argument(
        "--csv-safe", action="store_true",
        help="csv format, for spreadsheets: start cells beginning with = + - @ with a ' so they "
        "are not run as formulas (the values then differ from the W3C CSV format)",
    )


def add_view_options(p: argparse.ArgumentParser) -> None:
    """Add ``--format``, ``--out`` and ``--max-width`` for a computed view (:func:`output_view`)."""
    p.add_argument(
        "--format",
        "-f",
        choices=VIEW_FORMATS,
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


def non_negative_int(text: str) -> int:
    """Parse an argument that must be a whole number, 0 or more (argparse ``type``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def load_graph(args: argparse.Namespace) -> PolicyKG:
    """Load the graph the command line asked for."""
    from policykg.graph.kg import load

    return load(
        inferred=bool(getattr(args, "inferred", False)),
        drafts=bool(getattr(args, "drafts", False)),
        as_of=getattr(args, "as_of", None),
        corpus=getattr(args, "corpus", None),
        **backend_kwargs(args),
    )


def emit(text: str | bytes) -> None:
    r"""Write text (as UTF-8 whatever the locale) or bytes to standard output.

    On a terminal, control characters other than line ends and tabs are shown as escapes
    (``\x1b``): a label with an ANSI/OSC sequence cannot drive the terminal. Into a file or a
    pipe the output is exact.
    """
    if isinstance(text, str) and sys.stdout.isatty():
        from policykg.core.text import terminal_safe

        text = terminal_safe(text)
    data = text.encode("utf-8") if isinstance(text, str) else text
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def parse_params(items: list[str]) -> dict[str, str]:
    """Turn ``NAME=VALUE`` strings into a mapping.

    Raises:
        QueryError: an item has no ``=`` or no name.
    """
    from policykg.core.errors import QueryError

    params: dict[str, str] = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise QueryError(f"--param expects NAME=VALUE, got '{item}'")
        params[name.strip().lstrip("?$")] = value
    return params


def _chosen_format(args: argparse.Namespace) -> str:
    """``--format``, else a table on a terminal and CSV otherwise."""
    return str(args.format or ("table" if sys.stdout.isatty() else "csv"))


def _render(kg: PolicyKG, result: QueryResult, fmt: str, args: argparse.Namespace) -> str:
    """A result's text in a result format (labels beside IRIs in table and md)."""
    from policykg.sparql.formats import render

    labels = None
    if fmt in ("table", "md"):
        from policykg.graph.entities import labels_of

        terms = [t for row in result.rows for t in row] + [t for triple in result.triples
                                                           for t in triple]
        labels = labels_of(kg, terms).label
    return render(result, fmt, labels=labels, max_width=args.max_width,
                  csv_safe=bool(getattr(args, "csv_safe", False)))


def output_result(kg: PolicyKG, result: QueryResult, args: argparse.Namespace) -> None:
    """Print a result in the chosen format (labels beside IRIs in table and md)."""
    emit(_render(kg, result, _chosen_format(args), args))


def output_view(
    kg: PolicyKG,
    args: argparse.Namespace,
    *,
    as_json: Callable[[], Any],
    as_html: Callable[[], str],
    as_result: Callable[[], QueryResult],
) -> str:
    """The text of a computed view (``compare``, ``timeline``) in the chosen format.

    ``json`` and ``html`` are the view's own; every other format renders its table as
    :func:`output_result` does. Raises :class:`QueryError` for a negative ``--max-width``.
    """
    import json

    from policykg.core.errors import QueryError

    if args.max_width < 0:
        raise QueryError(f"--max-width must be 0 or more, got {args.max_width}")
    fmt = _chosen_format(args)
    if fmt == "json":
        return json.dumps(as_json(), ensure_ascii=False, indent=1) + "\n"
    if fmt == "html":
        return as_html()
    return _render(kg, as_result(), fmt, args)


def deliver(text: str, args: argparse.Namespace, summary: Callable[[], str]) -> None:
    """Write the text to ``--out`` atomically (saying what was written), or print it."""
    if args.out:
        from policykg.core.io import write_atomic

        write_atomic(args.out, text)
        print(f"wrote {args.out}: {summary()}", file=sys.stderr)
    else:
        emit(text)


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "query",
        help="run a named query, a .rq file or SPARQL text",
        description="Run a read-only SPARQL query over the union of all graphs. QUERY is the "
        "name of a shipped query ('policykg queries' lists them), SPARQL text, or '-' to read "
        "it from standard input. The project's prefixes (pkg:, kg:, skos:, ...) are predeclared.",
    )
    p.add_argument("query", nargs="?", metavar="QUERY", help="a query name, SPARQL text, or -")
    p.add_argument("--file", metavar="FILE", help="read the query from a .rq file ('-': stdin)")
    p.add_argument(
        "--param", "-p", action="append", default=[], metavar="NAME=VALUE",
        help="bind a parameter (repeatable); entity parameters take an IRI, CURIE or label",
    )
    p.add_argument(
        "--allow-service", action="store_true",
        help="run SERVICE clauses (federated queries, which send requests to other servers); "
        "refused by default",
    )
    p.add_argument(
        "--max-rows", type=non_negative_int, default=DEFAULT_MAX_ROWS, metavar="N",
        help=f"print at most N rows or triples, saying so when there were more (default "
        f"{DEFAULT_MAX_ROWS}; 0 = no cap)",
    )
    add_format_option(p)
    add_graph_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the query and print its result."""
    from policykg.core.errors import QueryError
    from policykg.sparql.catalogue import NamedQuery, get_query, load_query_file, parse_query_text
    from policykg.sparql.syntax import check_syntax, refuse_service

    if args.query is not None and args.file is not None:
        raise QueryError("give a query name, SPARQL text or --file, not both")
    if args.query is None and args.file is None:
        raise QueryError(
            "give a query NAME, SPARQL text or --file FILE ('policykg queries' lists the names)"
        )
    params = parse_params(args.param)
    query: NamedQuery
    shipped = False
    if args.file == "-" or args.query == "-":
        query = parse_query_text(sys.stdin.read(), name="stdin")
    elif args.file is not None:
        query = load_query_file(args.file)
    elif args.query.endswith(".rq") and "\n" not in args.query and Path(args.query).is_file():
        query = load_query_file(args.query)
    elif _NAME.match(args.query):
        query, shipped = get_query(args.query), True
    else:
        query = parse_query_text(args.query)
    if not shipped:
        check_syntax(query.text)  # the user's own text: report mistakes before loading the graph
    if not args.allow_service:
        refuse_service(query.text)
    from policykg.store.backends import ROW_CAP

    kg = load_graph(args)
    cap = ROW_CAP.set(args.max_rows)  # issue 25 N14: rows beyond the cap are never read
    try:
        if query.params:
            result = query.run(kg, **params)
        else:
            from policykg.graph.named import convert_value
            from policykg.store.execute import run as run_query

            bindings = {k: convert_value(kg, "term", v) for k, v in params.items()}
            result = run_query(kg, query.text, bindings)
        _cut(result, args.max_rows)
        if getattr(args, "drafts", False):
            from policykg.graph.drafts import mark_draft_rows

            result = mark_draft_rows(kg, result)
            print("policykg: note: drafts included (--drafts): rows marked 'draft' name "
                  "unreviewed resources", file=sys.stderr)
        output_result(kg, result, args)
    finally:
        ROW_CAP.reset(cap)
        kg.close()
    return 0


def _cut(result: Any, cap: int) -> None:
    """Keep the first ``cap`` rows or triples, and say on stderr when there were more."""
    for name in ("rows", "triples"):
        items = getattr(result, name)
        if cap and len(items) > cap:
            del items[cap:]
            print(f"policykg: warning: only the first {cap} {name} are shown (--max-rows; "
                  "0 = no cap)", file=sys.stderr)
