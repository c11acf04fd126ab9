"""Lists of choices the command line offers and the library checks: each written once.

This module imports nothing, so the commands can name the choices in ``--help`` without loading
rdflib or networkx (``policykg --help`` must stay instant).
"""

from __future__ import annotations

__all__ = [
    "ANNOTATION_FORMATS",
    "EXPORT_FORMATS",
    "MEASURES",
    "RDF_EXPORT_FORMATS",
    "RESULT_FORMATS",
    "VIEW_FORMATS",
]

#: Formats of ``policykg query`` results (:func:`policykg.sparql.formats.render`).
RESULT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "md")

#: Formats of a computed view (``policykg compare``, ``policykg timeline``): its table's, and its
#: own JSON and HTML.
VIEW_FORMATS: tuple[str, ...] = ("table", "md", "csv", "json", "html")

#: Centrality measures of :func:`policykg.graph.network.central`.
MEASURES: tuple[str, ...] = ("degree", "betweenness", "closeness", "eigenvector", "pagerank")

#: RDF formats of ``PolicyKG.export`` (:mod:`policykg.graph.export`).
RDF_EXPORT_FORMATS: tuple[str, ...] = ("ttl", "trig", "nt", "jsonld")

#: The evidence as W3C Web Annotations (:mod:`policykg.graph.annotations`): JSON-LD, Turtle
#: (the annotations only), TriG (with the facts).
ANNOTATION_FORMATS: tuple[str, ...] = ("annotations", "annotations-ttl", "annotations-trig")

#: Every format of ``policykg export``: the RDF ones, the network (GraphML, GEXF), facts CSV and
#: the annotations.
EXPORT_FORMATS: tuple[str, ...] = (
    *RDF_EXPORT_FORMATS,
    "graphml",
    "gexf",
    "csv",
    *ANNOTATION_FORMATS,
)
