"""``policykg viz``: write the interactive HTML graph (one offline file)."""

from __future__ import annotations

import argparse
from typing import Any

from policykg.apps.commands._backend import add_backend_options, backend_kwargs


def register(sub: Any) -> None:
    """Add the sub-command."""
    p = sub.add_parser(
        "viz",
        help="write the interactive HTML graph (graphs/policykg.html)",
        description="Write a self-contained HTML page to browse the graph offline: classes in "
        "colour, search in English and Chinese, a panel with every fact and its evidence quote.",
    )
    p.add_argument("--out", metavar="PATH", help="where to write (default: graphs/policykg.html)")
    p.add_argument(
        "--focus",
        metavar="ENTITY",
        help="draw one entity (CURIE, IRI or label) and its neighbourhood",
    )
    p.add_argument(
        "--depth",
        type=int,
        default=None,
        metavar="N",
        help="with --focus: how many links away to go (default 1)",
    )
    p.add_argument(
        "--classes", metavar="A,B", help="draw only instances of these classes, e.g. Actor,Goal"
    )
    p.add_argument("--query", metavar="NAME", help="draw the entities a named query returns")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter of the named query (repeatable)",
    )
    p.add_argument("--hierarchy", action="store_true", help="draw the ontology's class hierarchy")
    p.add_argument(
        "--inferred", action="store_true", help="include the triples 'policykg reason' inferred"
    )
    p.add_argument("--title", help="the page's title")
    p.add_argument("--physics", action="store_true", help="start with the physics simulation on")
    p.add_argument(
        "--drafts",
        action="store_true",
        help="also draw drafts (unreviewed, machine-made); the page marks them, a box shows them",
    )
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the file differs from what would be written",
    )
    add_backend_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build the network of the asked view and write (or check) the page."""
    from pathlib import Path

    from policykg.apps.commands.query import parse_params
    from policykg.core.errors import PolicyKGError
    from policykg.core.paths import html_file
    from policykg.graph.kg import load
    from policykg.outputs.viz import build_network, render_html, write_html

    if args.depth is not None and not args.focus:
        raise PolicyKGError("--depth needs --focus")
    if args.param and not args.query:
        raise PolicyKGError("--param needs --query")
    params = parse_params(args.param)
    classes = [c for c in (args.classes or "").split(",") if c.strip()]
    if args.classes is not None and not classes:
        raise PolicyKGError("--classes expects class names such as Actor,Goal")
    kg = load(inferred=args.inferred, **backend_kwargs(args))
    try:
        net = build_network(
            kg,
            focus=args.focus,
            depth=args.depth if args.depth is not None else 1,
            classes=classes,
            query=args.query,
            params=params,
            hierarchy=args.hierarchy,
            title=args.title,
            physics=args.physics,
            drafts=args.drafts,
        )
    finally:
        kg.close()
    out = Path(args.out) if args.out else html_file()
    summary = f"{len(net.nodes)} nodes, {len(net.edges)} edges"
    if args.check:
        current = out.read_bytes() if out.is_file() else b""
        if current != render_html(net).encode("utf-8"):
            print(f"out of date: {out} ({summary}); run 'policykg viz' to rewrite it")
            return 1
        print(f"up to date: {out} ({summary})")
        return 0
    write_html(net, out)
    print(f"wrote {out} ({summary})")
    return 0
