"""``policykg reason``: infer types and links with HermiT (or OWL 2 RL) into graphs/inferred.ttl."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from policykg.apps.commands._imports import add_imports_options, imports_context


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "reason",
        help="write inferred types, inverse and transitive links to graphs/inferred.ttl",
        description=(
            "Run HermiT (through owlready2) over the ontology, the document graphs and the "
            "extensions, and write the inferred triples not already asserted to "
            "graphs/inferred.ttl (load them with --inferred). Without Java, falls back to the "
            "OWL 2 RL rules (owlrl) and says so."
        ),
    )
    p.add_argument("--out", type=Path, help="where to write (default graphs/inferred.ttl)")
    p.add_argument(
        "--reasoner",
        choices=("auto", "hermit", "owlrl"),
        default="auto",
        help="auto: HermiT, or owlrl when Java is missing (default); hermit: fail without Java",
    )
    add_imports_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Reason and write the file."""
    from policykg.checks.reason import write_inferred
    from policykg.checks.validate import display_path

    with imports_context(args):
        inference, path, written = write_inferred(out=args.out, reasoner=args.reasoner)
    if inference.note:
        print(f"policykg: {inference.note}", file=sys.stderr)
    counts = inference.counts()
    by = "HermiT" if inference.reasoner == "hermit" else "OWL 2 RL (owlrl)"
    state = "wrote" if written else "up to date:"
    print(
        f"{by}: {len(inference.graph)} inferred triples ({counts['types']} types, "
        f"{counts['links']} links) in {inference.seconds:.1f} s; {state} {display_path(path)}"
    )
    return 0
