"""``policykg serve`` as SPARQL clients use it (issue 23 point 2): SPARQLWrapper's and rdflib's
format requests, truncation said in the body, and the SPARQL 1.1 Service Description."""

from __future__ import annotations

import json
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.message import Message

import pyoxigraph as ox
import pytest
import rdflib

import policykg
from test_serve import Served, http

pytestmark = pytest.mark.server

CONSTRUCT = "CONSTRUCT { ?d a pkg:Article ; pkg:title ?t } WHERE { ?d a pkg:Article ; pkg:title ?t }"
CAP = 50


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    s = Served("--timeout", "10", "--max-rows", str(CAP), "--workers", "1")
    yield s
    s.stop()


def _expected(kg: policykg.PolicyKG) -> rdflib.Graph:
    g = rdflib.Graph()
    for t in kg.query(CONSTRUCT).triples:
        g.add(t)
    return g


@pytest.mark.parametrize("fmt", ["xml", "rdfxml", "json-ld", "turtle", "n3"])
def test_sparqlwrapper_construct_in_every_format(served: Served, kg: policykg.PolicyKG,
                                                 fmt: str) -> None:
    """SPARQLWrapper sends format=rdf+xml&format=application/rdf+xml... (was 406)."""
    from SPARQLWrapper import JSONLD, N3, RDFXML, TURTLE, XML, SPARQLWrapper

    wrapper = SPARQLWrapper(served.sparql)
    wrapper.setQuery("PREFIX pkg: <https://w3id.org/policykg/ontology#>\n" + CONSTRUCT)
    wrapper.setReturnFormat({"xml": XML, "rdfxml": RDFXML, "json-ld": JSONLD,
                             "turtle": TURTLE, "n3": N3}[fmt])
    result = wrapper.queryAndConvert()
    if isinstance(result, bytes):  # SPARQLWrapper leaves Turtle and N3 as bytes
        result = rdflib.Graph().parse(data=result, format="turtle")
    if isinstance(result, str):
        result = rdflib.Graph().parse(data=result, format="json-ld")
    assert isinstance(result, rdflib.Graph)
    expected = _expected(kg)
    assert len(expected) > 0
    assert set(result) == set(expected)


def test_rdflib_sparqlstore_construct(served: Served, kg: policykg.PolicyKG) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(served.sparql, returnFormat="xml")
    graph = rdflib.Graph(store)
    result = graph.query(CONSTRUCT, initNs={"pkg": "https://w3id.org/policykg/ontology#"})
    assert set(result.graph or []) == set(_expected(kg))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("accept", "parse"),
    [("application/rdf+xml", ox.RdfFormat.RDF_XML), ("application/ld+json", ox.RdfFormat.JSON_LD),
     ("text/n3", ox.RdfFormat.N3), ("application/x-turtle", ox.RdfFormat.TURTLE),
     ("text/rdf+n3", ox.RdfFormat.N3)],
)
def test_construct_by_accept(served: Served, kg: policykg.PolicyKG, accept: str,
                             parse: ox.RdfFormat) -> None:
    url = served.sparql + "?" + urllib.parse.urlencode({"query": CONSTRUCT})
    status, _headers, body = http(url, headers={"Accept": accept})
    assert status == 200
    assert len(list(ox.parse(body, format=parse))) == len(_expected(kg))


def _get(served: Served, query: str, fmt: str) -> tuple[int, Message, bytes]:
    url = served.sparql + "?" + urllib.parse.urlencode({"query": query, "format": fmt})
    return http(url)


def test_truncation_is_said_in_the_body(served: Served) -> None:
    query = "SELECT * WHERE { ?s ?p ?o }"
    status, headers, body = _get(served, query, "json")
    doc = json.loads(body)
    assert status == 200 and "X-PolicyKG-Truncated" in headers
    assert len(doc["results"]["bindings"]) == CAP and doc["truncated"]["limit"] == CAP
    status, _, body = _get(served, query, "xml")
    root = ET.fromstring(body)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    links = [e.get("href") for e in root.iter(f"{ns}link")]
    assert links == [f"urn:policykg:truncated:{CAP}"]
    assert len(list(root.iter(f"{ns}result"))) == CAP
    for fmt in ("csv", "tsv"):
        lines = _get(served, query, fmt)[2].decode().splitlines()
        assert lines[-1].startswith("# truncated: results cut at 50 rows") and len(lines) == CAP + 2
    graph = "CONSTRUCT WHERE { ?s ?p ?o }"
    for fmt, parse in (("turtle", ox.RdfFormat.TURTLE), ("rdfxml", ox.RdfFormat.RDF_XML),
                       ("nt", ox.RdfFormat.N_TRIPLES)):
        status, headers, body = _get(served, graph, fmt)
        assert status == 200 and b"truncated: results cut at 50 triples" in body
        assert len(list(ox.parse(body, format=parse))) <= CAP
    # an answer that was not cut says nothing
    status, headers, body = _get(served, "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "json")
    assert "truncated" not in json.loads(body) and "X-PolicyKG-Truncated" not in headers


def test_service_description(served: Served) -> None:
    status, headers, body = http(served.sparql, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = rdflib.URIRef(served.sparql)
    assert (service, rdflib.RDF.type, sd.Service) in g
    assert (service, sd.endpoint, service) in g
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in g
    assert (service, sd.feature, sd.UnionDefaultGraph) in g
    assert (service, sd.feature, sd.BasicFederatedQuery) not in g  # SERVICE is refused
    status, headers, body = http(served.sparql, headers={"Accept": "application/rdf+xml"})
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml")
    assert len(rdflib.Graph().parse(data=body, format="xml")) == len(g)
    status, _, body = http(served.sparql)  # no Accept: Turtle
    assert status == 200 and b"sd:Service" in body
    status, headers, body = http(served.sparql, headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")  # the form


def test_unknown_format_and_long_accept_are_one_short_line(served: Served) -> None:
    status, _, body = _get(served, "ASK {}", "yaml")
    assert status == 406 and b"unknown format 'yaml'" in body
    url = served.sparql + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    status, _, body = http(url, headers={"Accept": "image/png, " + "x/y, " * 5000})
    assert status == 406 and len(body) < 1500


@pytest.mark.parametrize("fmt", ["rdfxml", "json-ld"])
def test_sparqlwrapper_describe(served: Served, kg: policykg.PolicyKG, fmt: str) -> None:
    from SPARQLWrapper import JSONLD, RDFXML, SPARQLWrapper

    query = "DESCRIBE <https://w3id.org/policykg/id/state-owned-enterprises>"
    wrapper = SPARQLWrapper(served.sparql)
    wrapper.setQuery(query)
    wrapper.setReturnFormat(RDFXML if fmt == "rdfxml" else JSONLD)
    result = wrapper.queryAndConvert()
    assert isinstance(result, rdflib.Graph)
    expected = {t for t in kg.query(query).triples}
    assert 0 < len(result) == len(expected)
