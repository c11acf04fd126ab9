"""Namespaces and prefixes of the project, shared by every module."""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "DCMITYPE",
    "DCTERMS",
    "FOAF",
    "KG",
    "KGG",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PKG",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "SLUG",
    "VANN",
    "XSD",
    "XSD_INTEGER_DERIVED",
    "sparql_prologue",
]

#: The form of an id under ``kg:`` (entities, documents, passages): lower-case words and hyphens.
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")

PKG = Namespace("https://w3id.org/policykg/ontology#")
KG = Namespace("https://w3id.org/policykg/id/")
KGG = Namespace("https://w3id.org/policykg/graph/")
#: The datatypes derived from ``xsd:integer`` (XML Schema 1.1 Part 2, section 3.4), which
#: Oxigraph stores as ``xsd:integer`` and OWL 2's datatype map includes.
XSD_INTEGER_DERIVED: frozenset[URIRef] = frozenset(
    XSD[name]
    for name in (
        "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
        "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
)  # fmt: skip
OA = Namespace("http://www.w3.org/ns/oa#")
VANN = Namespace("http://purl.org/vocab/vann/")
DCMITYPE = Namespace("http://purl.org/dc/dcmitype/")
ONTOLOGY_IRI = "https://w3id.org/policykg/ontology"

#: Prefixes predeclared for every query and used when writing Turtle/TriG, in a fixed order.
PREFIXES: dict[str, str] = {
    "pkg": str(PKG),
    "kg": str(KG),
    "kgg": str(KGG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "org": str(ORG),
    "dcterms": str(DCTERMS),
    "dcmitype": str(DCMITYPE),
    "foaf": str(FOAF),
    "oa": str(OA),
    "vann": str(VANN),
}


def sparql_prologue() -> str:
    """Return the PREFIX lines of every project prefix, for prepending to user queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
