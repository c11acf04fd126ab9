"""``policykg validate``: SHACL, evidence, the violation queries and OWL consistency."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from policykg.apps.commands._imports import add_imports_options, imports_context

#: The stages a validation reports, in order (the progress bar has one step per stage).
STAGES = ("parse", "load", "context", "shacl", "evidence", "queries", "owl")


def register(sub: Any) -> None:
    """Add the sub-command."""
    from policykg.checks.options import DEFAULT_ENGINE, OWL_CHECKS, SHACL_ENGINES

    p = sub.add_parser(
        "validate",
        help="check the graph (and extension files) with SHACL, the evidence checks, the "
        "violation queries and OWL consistency",
        description=(
            "Validate the union of the ontology, the document graphs, graphs/extensions/ and the "
            "files given; with --store DIR, validate the files given (new documents) against "
            "what they touch in the store instead. Prints one line per problem: file: entity: "
            "[rule] message (or, with --format json, one JSON report). Exit status 0 when clean, "
            "1 on any violation, 2 when an input cannot be read or parsed or the reasoner cannot "
            "run."
        ),
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="extension files (or new documents) to validate"
    )
    p.add_argument(
        "--store",
        type=Path,
        metavar="DIR",
        help="an Oxigraph store holding the corpus: check only the PATHs, against what they touch",
    )
    p.add_argument(
        "--texts",
        type=Path,
        metavar="DIR",
        help="the folder pkg:textFile paths point into (default: the project's graphs/)",
    )
    p.add_argument(
        "--no-owl", action="store_true", help="skip the OWL consistency check (HermiT, needs Java)"
    )
    p.add_argument(
        "--owl",
        choices=OWL_CHECKS,
        default=None,
        help="how to check consistency: auto (HermiT on small graphs, queries on large ones; the "
        "default), hermit (always HermiT), sparql (the queries, HermiT on the ontology alone; the "
        "default with --store)",
    )
    p.add_argument("--no-shacl", action="store_true", help="skip the SHACL shapes")
    p.add_argument(
        "--shacl-engine",
        choices=SHACL_ENGINES,
        default=DEFAULT_ENGINE,
        help=f"the SHACL engine (default {DEFAULT_ENGINE}; pyshacl is the reference)",
    )
    p.add_argument("--no-queries", action="store_true", help="skip the *-violation queries")
    p.add_argument("--no-extensions", action="store_true", help="leave graphs/extensions/ out")
    p.add_argument("--no-warnings", action="store_true", help="print violations only")
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one line per problem (default); json: the whole report as JSON on stdout",
    )
    add_imports_options(p)
    p.set_defaults(handler=run)


@contextmanager
def stage_progress(enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """A progress bar over the validation's stages on stderr, when ``enabled``."""
    if not enabled:
        yield None
        return
    from tqdm import tqdm

    bar = tqdm(total=len(STAGES), desc="validate", unit="stage", file=sys.stderr, leave=False)

    def step(name: str) -> None:
        done = STAGES.index(name) if name in STAGES else bar.n
        bar.update(max(0, done - bar.n))
        bar.set_postfix_str(name)

    try:
        yield step
    finally:
        bar.close()


def run(args: argparse.Namespace) -> int:
    """Validate and print the problems; return 1 when any violation was found."""
    from policykg.checks.validate import validate
    from policykg.core.text import one_line

    owl: bool | str = False if args.no_owl else (args.owl or ("sparql" if args.store else "auto"))
    with stage_progress(sys.stderr.isatty()) as progress, imports_context(args):
        if args.store is not None:
            report = _against_store(args, owl, progress)
        else:
            report = validate(
                args.paths,
                extensions=not args.no_extensions,
                shacl=not args.no_shacl,
                owl=owl,
                queries=not args.no_queries,
                engine=args.shacl_engine,
                progress=progress,
                texts_dir=args.texts,
            )
    shown = report.violations if args.no_warnings else report.problems
    if args.format == "json":
        data = report.as_dict()
        if args.no_warnings:
            data["problems"] = [p for p in data["problems"] if p["severity"] == "violation"]
        import json

        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        for problem in shown:
            print(one_line(str(problem)))
    checks = []
    if report.shacl_engine:
        checks.append(f"SHACL ({report.shacl_engine})")
    checks.append(f"evidence ({report.passages} quotes)")
    if "queries" in report.timings:
        checks.append("violation queries")
    if report.consistent is not None:
        verdict = "consistent" if report.consistent else "INCONSISTENT"
        how = "HermiT" if report.owl_check == "hermit" else "OWL by queries"
        checks.append(f"{how}: {verdict}")
    summary = (
        f"{len(report.violations)} violations, {len(report.warnings)} warnings; "
        f"{len(report.files)} files, {report.triples} triples; checked: {', '.join(checks)}"
    )
    print(summary, file=sys.stderr)
    return 0 if report.ok else 1


def _against_store(args: argparse.Namespace, owl: bool | str, progress: Any) -> Any:
    from policykg.checks.data import display_path, load_sources
    from policykg.checks.incremental import open_store, validate_against_store
    from policykg.core.errors import ParseError
    from policykg.core.paths import graphs_dir
    from policykg.rdf.graphio import GraphFile, extension_graph, names_its_graphs

    if not args.paths:
        raise ParseError("validate --store DIR needs the new documents to check (PATH ...)")
    from policykg.checks.data import check_input_size

    files = []
    for p in args.paths:
        path = Path(p)
        check_input_size(path)  # issue 25 N19
        files.append(GraphFile(path, None if names_its_graphs(path) else extension_graph(path)))
    names = [display_path(f.path) for f in files]
    sources = load_sources(files, names, [False] * len(files))
    store = open_store(args.store)
    return validate_against_store(
        sources,
        store,
        store_name=str(args.store),
        texts_dir=args.texts or graphs_dir(),
        shacl=not args.no_shacl,
        queries=not args.no_queries,
        owl=owl,
        engine=args.shacl_engine,
        progress=progress,
    )
