"""``policykg run``: the main job, in one command.

Builds the document graphs, validates everything (SHACL, evidence, OWL consistency), prints the
counts by class, answers the competency questions and writes the inferred triples, the interactive
HTML graph and the ontology reference. Exit status 1 when validation finds a problem.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "run",
        help="the main job: build, validate, stats, competency questions, HTML graph",
        description="Build graphs/*.trig from their sources, validate the whole graph, print "
        "counts by class, answer the competency questions (named queries cq-*) and write "
        "graphs/inferred.ttl, graphs/policykg.html, docs/ontology.html and ontology/policykg.owl.",
    )
    p.add_argument(
        "--no-owl",
        action="store_true",
        help="skip the OWL consistency check and use OWL 2 RL for inference (HermiT needs Java)",
    )
    p.set_defaults(handler=run)


def _section(title: str) -> None:
    print(f"\n== {title} ==")


def run(args: argparse.Namespace) -> int:
    """Run every step and print what each found."""
    from policykg.authoring.build import build_graphs
    from policykg.checks.reason import write_inferred
    from policykg.checks.validate import validate
    from policykg.core.paths import html_file
    from policykg.graph.entities import index
    from policykg.graph.kg import load
    from policykg.graph.named import named
    from policykg.outputs.docs import write_docs
    from policykg.outputs.viz import build_network, write_html
    from policykg.rdf.owl import owl_copy_file, write_owl_copy
    from policykg.sparql.catalogue import get_query, query_names
    from policykg.sparql.formats import to_table

    _section("build")
    built = build_graphs()
    for c in built.compiled:
        quads = sum(len(t) for t in c.graphs.values())
        state = "rewritten" if any(p.stem == c.doc_id for p in built.written) else "up to date"
        print(
            f"{c.doc_id}: {len(c.entities)} entities, {len(c.graphs) - 1} passages, "
            f"{quads} triples ({state})"
        )

    _section("validate")
    report = validate(owl=not args.no_owl)
    for line in report.lines():
        print(line)
    if report.ok:
        checks = "SHACL, evidence" + ("" if args.no_owl else ", OWL consistency (HermiT)")
        print(f"clean: {checks}")

    _section("reason")
    inference, inferred_path, written = write_inferred(
        reasoner="owlrl" if args.no_owl else "auto"
    )
    if inference.note:
        print(inference.note)
    print(
        f"{inferred_path}: {len(inference.graph)} inferred triples "
        f"({'rewritten' if written else 'up to date'})"
    )

    kg = load()
    try:
        _section("stats")
        counts = kg.stats()
        width = max(len(k) for k in counts)
        for name, n in counts.items():
            print(f"{name:<{width}}  {n:>5}")

        for name in (n for n in query_names() if n.startswith("cq-")):
            q = get_query(name)
            _section(f"{name}: {q.title}")
            result = named(kg, name, **dict(q.examples))
            print(to_table(result, labels=index(kg).label))

        _section("html")
        net = build_network(kg)
        path = write_html(net, html_file())
        print(f"{path}: {len(net.nodes)} nodes, {len(net.edges)} edges")
        docs, changed = write_docs()
        print(f"{docs}: ontology reference ({'rewritten' if changed else 'up to date'})")
        owl_changed = write_owl_copy()
        print(f"{owl_copy_file()}: RDF/XML copy ({'rewritten' if owl_changed else 'up to date'})")
    finally:
        kg.close()
    return 0 if report.ok else 1
