"""``policykg docs``: the offline HTML reference of the ontology and its RDF/XML copy."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "docs",
        help="write the ontology reference (docs/ontology.html) and ontology/policykg.owl",
        description=(
            "Render ontology/policykg.ttl as one offline HTML page (classes and properties with "
            "English and Chinese labels, definitions, domains, ranges, hierarchy) and regenerate "
            "ontology/policykg.owl, the RDF/XML copy that Protégé and owlready2 open."
        ),
    )
    p.add_argument("--out", type=Path, help="HTML file to write (default docs/ontology.html)")
    p.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file is out of date"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write (or check) the HTML reference and the RDF/XML copy."""
    from policykg.checks.validate import display_path
    from policykg.outputs.docs import write_docs
    from policykg.rdf.owl import owl_copy_file, write_owl_copy

    html_path, html_changed = write_docs(out=args.out, check=args.check)
    owl_changed = write_owl_copy(check=args.check)
    for path, changed in ((html_path, html_changed), (owl_copy_file(), owl_changed)):
        if args.check:
            print(f"{'out of date' if changed else 'up to date'}: {display_path(path)}")
        else:
            print(f"{'wrote' if changed else 'up to date'}: {display_path(path)}")
    return 1 if args.check and (html_changed or owl_changed) else 0
