"""``policykg export``: the whole graph as RDF, as a network (GraphML, GEXF) or as CSV."""

from __future__ import annotations

import argparse
from typing import Any

from policykg.apps.commands.query import add_graph_options
from policykg.core.choices import EXPORT_FORMATS as FORMATS

__all__ = ["register", "run"]



def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "export",
        help="export the graph: ttl, trig, nt, jsonld, graphml, gexf, csv or the evidence as "
        "W3C Web Annotations",
        description="Write the graph deterministically. RDF formats (ttl, trig, nt, jsonld) hold "
        "every triple, trig and jsonld with the named graphs (the evidence); graphml and gexf "
        "the entity network for Gephi, Cytoscape or yEd; csv every statement of the data graphs "
        "with labels; annotations (JSON-LD), annotations-trig and annotations-ttl every passage "
        "as a W3C Web Annotation on the stored text (quote and position selectors), its body "
        "the passage's named graph of facts (in the JSON-LD and TriG forms).",
    )
    p.add_argument(
        "--format", "-f", choices=FORMATS, default=None,
        help="output format (default: from --out's extension, else trig)",
    )
    p.add_argument(
        "--out", "-o", metavar="FILE",
        help="write to FILE atomically (default, or '-': stdout); a device, pipe or symbolic "
        "link is refused, never replaced",
    )
    p.add_argument(
        "--no-ontology", action="store_true", help="RDF formats: leave out the ontology's graph"
    )
    p.add_argument(
        "--csv-safe", action="store_true",
        help="csv, for spreadsheets: start cells beginning with = + - @ with a ' so they are "
        "not run as formulas",
    )
    add_graph_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serialize and write."""
    import sys

    from policykg.apps.commands.query import emit, load_graph
    from policykg.graph.export import export, format_for_file

    if args.out == "-":  # standard output, said explicitly
        args.out = None
    fmt = args.format
    if fmt is None:
        fmt = (format_for_file(args.out) if args.out else None) or "trig"
    kg = load_graph(args)
    try:
        data = export(kg, fmt, out=args.out, ontology=not args.no_ontology,
                      csv_safe=args.csv_safe)
    finally:
        kg.close()
    if args.out:
        print(f"wrote {args.out} ({fmt}, {len(data)} bytes)", file=sys.stderr)
    else:
        emit(data)
    return 0
