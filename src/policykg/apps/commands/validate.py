"""``policykg validate``: SHACL, verbatim evidence and OWL consistency, one line per problem."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from policykg.apps.commands._imports import add_imports_options, imports_context


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "validate",
        help="check the graph (and extension files) with SHACL, the evidence checks and HermiT",
        description=(
            "Validate the union of the ontology, the document graphs, graphs/extensions/ and the "
            "files given. Prints one line per problem: file: entity: [rule] message. Exit status "
            "0 when clean, 1 on any violation, 2 when an input cannot be read or parsed or the "
            "reasoner cannot run."
        ),
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="extension files to validate with the graph"
    )
    p.add_argument(
        "--no-owl", action="store_true", help="skip the OWL consistency check (HermiT, needs Java)"
    )
    p.add_argument("--no-shacl", action="store_true", help="skip the SHACL shapes")
    p.add_argument("--no-extensions", action="store_true", help="leave graphs/extensions/ out")
    p.add_argument("--no-warnings", action="store_true", help="print violations only")
    add_imports_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate and print the problems; return 1 when any violation was found."""
    from policykg.checks.validate import validate
    from policykg.core.text import one_line

    with imports_context(args):
        report = validate(
            args.paths,
            extensions=not args.no_extensions,
            shacl=not args.no_shacl,
            owl=not args.no_owl,
        )
    shown = report.violations if args.no_warnings else report.problems
    for problem in shown:
        print(one_line(str(problem)))
    checks = []
    if not args.no_shacl:
        checks.append("SHACL")
    checks.append(f"evidence ({report.passages} quotes)")
    if report.consistent is not None:
        checks.append("HermiT: " + ("consistent" if report.consistent else "INCONSISTENT"))
    summary = (
        f"{len(report.violations)} violations, {len(report.warnings)} warnings; "
        f"{len(report.files)} files, {report.triples} triples; checked: {', '.join(checks)}"
    )
    print(summary, file=sys.stderr)
    return 0 if report.ok else 1
