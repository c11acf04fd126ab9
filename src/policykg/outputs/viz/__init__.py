"""The interactive HTML graph: a policy-graph browser in one file that works offline.

Typical use::

    import policykg
    from policykg.outputs.viz import build_network, write_html

    kg = policykg.load()
    net = build_network(kg, focus="new quality productive forces", depth=2)
    write_html(net, "nqpf.html")

:func:`build_network` returns a pyvis ``Network`` (a :class:`PolicyNetwork`) whose nodes carry
their class colour, shape, size and position; :func:`write_html` writes it as one self-contained
page (vis-network inlined, no CDN, no Bootstrap), byte-identical for the same input.
"""

from __future__ import annotations

from policykg.outputs.viz.builder import BIG_GRAPH, PolicyNetwork, build_network, network_from_graph
from policykg.outputs.viz.extract import extract_graph, extract_hierarchy
from policykg.outputs.viz.html import render_html, write_html
from policykg.outputs.viz.model import Passage, Term, VizFact, VizGraph, VizNode
from policykg.outputs.viz.notebook import InlinePage, show
from policykg.outputs.viz.style import CLASS_STYLES, class_style
from policykg.outputs.viz.views import class_view, focus_view, query_view, resolve_entity

__all__ = [
    "BIG_GRAPH",
    "CLASS_STYLES",
    "InlinePage",
    "Passage",
    "PolicyNetwork",
    "Term",
    "VizFact",
    "VizGraph",
    "VizNode",
    "build_network",
    "class_style",
    "class_view",
    "extract_graph",
    "extract_hierarchy",
    "focus_view",
    "network_from_graph",
    "query_view",
    "render_html",
    "resolve_entity",
    "show",
    "write_html",
]
