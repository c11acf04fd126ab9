"""The SPARQL 1.1 Protocol details of ``policykg serve`` that clients rely on.

- **Format negotiation** (:func:`negotiate`): the ``Accept`` header, or a ``format`` / ``output`` /
  ``results`` parameter, repeated or not, as a short name (``json``, ``xml``, ``rdf+xml``,
  ``json-ld``, ``n3``, ``turtle``, ...) or a media type (or a comma-separated list of them).
  SPARQLWrapper sends ``format=rdf+xml&format=application/rdf+xml&output=...`` for a CONSTRUCT
  asked for as RDF/XML, ``format=json-ld`` for JSON-LD, ``format=n3`` for N3; rdflib's
  ``SPARQLStore`` sends only an ``Accept`` list. The first value this server knows wins.
- **Truncation in the body** (:func:`mark_truncated`): a result cut at ``--max-rows`` says so in
  the answer itself, not only in the ``X-PolicyKG-Truncated`` header: SPARQL JSON gets a
  top-level ``"truncated"`` object (clients ignore keys they do not know), SPARQL XML a ``<link
  href="urn:policykg:truncated:N"/>`` in its head (the format's own place for metadata), CSV and
  TSV a final line starting with ``#``, Turtle / N-Triples / N3 a final ``#`` comment and RDF/XML
  a final XML comment. JSON-LD has no comments: the header alone says it.
- **Service description** (:func:`service_description`): a SPARQL 1.1 Service Description of the
  endpoint, sent for a ``GET /sparql`` without a query unless a browser asks for HTML.
"""

from __future__ import annotations

import json
from typing import Any

from policykg.store.backends import printable

__all__ = [
    "CONTENT_TYPES",
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "mark_truncated",
    "negotiate",
    "service_description",
]

#: Media types of SELECT/ASK results, preferred first, and the serializer each uses.
RESULT_TYPES: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/javascript": "json",
    "application/javascript": "json",
}
#: Media types of CONSTRUCT/DESCRIBE graphs, preferred first (every type SPARQLWrapper and rdflib
#: ask for: Turtle, N-Triples, N3, RDF/XML, JSON-LD and their older names).
GRAPH_TYPES: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "text/n3": "n3",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n3": "n3",
    "text/rdf+n3": "n3",
    "application/x-json+ld": "jsonld",
    "text/plain": "nt",
    "text/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
}
#: The ``Content-Type`` each serializer answers with.
CONTENT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "n3": "text/n3; charset=utf-8",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
#: ``format=`` / ``output=`` / ``results=`` short names: (results serializer, graph serializer).
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"),
    "srj": ("json", None),
    "xml": ("xml", "rdfxml"),
    "srx": ("xml", None),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "n3": (None, "n3"),
    "nt": (None, "nt"),
    "ntriples": (None, "nt"),
    "n-triples": (None, "nt"),
    "rdfxml": (None, "rdfxml"),
    "rdf+xml": (None, "rdfxml"),
    "rdf": (None, "rdfxml"),
    "pretty-xml": (None, "rdfxml"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
}
#: The parameters a format may be named in (Virtuoso's, sparqler's and others' spellings).
FORMAT_PARAMS = ("format", "output", "results")


def _from_name(value: str) -> tuple[str | None, str | None] | None:
    """The serializers a ``format=`` value names, or ``None`` when it names none known."""
    name = value.strip().lower()
    if name in FORMAT_NAMES:
        return FORMAT_NAMES[name]
    results: str | None = None
    graph: str | None = None
    for part in name.split(","):  # a media type, or a list of them
        media = part.split(";", 1)[0].strip()
        results = results or RESULT_TYPES.get(media)
        graph = graph or GRAPH_TYPES.get(media)
    if results is None and graph is None:
        return None
    return results, graph


def negotiate(values: dict[str, list[str]], accept: Any,
              accept_header: str | None) -> tuple[str | None, str | None, str | None]:
    """Return (results serializer, graph serializer, error) for a request.

    Args:
        values: the request's parameters (each name with every value given).
        accept: Werkzeug's parsed ``Accept`` header (``request.accept_mimetypes``).
        accept_header: the raw ``Accept`` header, or ``None``.
    """
    given = [v for p in FORMAT_PARAMS for v in values.get(p, []) if v.strip()]
    if given:
        results: str | None = None
        graph: str | None = None
        for value in given:
            found = _from_name(value)
            if found is not None:
                results = results or found[0]
                graph = graph or found[1]
        if results is None and graph is None:
            shown = given[0].strip()[:60]
            return None, None, (f"unknown format '{shown}' (use {', '.join(FORMAT_NAMES)} "
                                "or a media type)")
        return results, graph, None
    if not accept_header:
        return "json", "turtle", None
    results_type = accept.best_match(list(RESULT_TYPES))
    graph_type = accept.best_match(list(GRAPH_TYPES))
    results = RESULT_TYPES[results_type] if results_type else None
    graph = GRAPH_TYPES[graph_type] if graph_type else None
    if results is None and graph is None:
        shown = printable(accept_header, 80)  # never the whole header (N27), no raw control
        return None, None, (
            f"cannot answer in {shown}; results can be "
            f"{', '.join(RESULT_TYPES)}; graphs can be {', '.join(GRAPH_TYPES)}"
        )
    return results, graph, None


def mark_truncated(body: bytes, fmt: str, cap: int, what: str) -> bytes:
    """Say in the answer's body that it was cut at ``cap`` rows or triples.

    Args:
        body: the serialized answer.
        fmt: its serializer (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``nt``, ``n3``,
            ``rdfxml``, ``jsonld``).
        cap: the row (or triple) cap.
        what: ``"rows"`` or ``"triples"``.
    """
    note = f"results cut at {cap} {what} (the max-rows setting of policykg serve)"
    if fmt == "json":
        doc = json.loads(body)
        doc["truncated"] = {"limit": cap, "unit": what, "message": note}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        link = f'<link href="urn:policykg:truncated:{cap}"/>'
        text = body.decode("utf-8")
        if "</head>" in text:
            text = text.replace("</head>", f"{link}</head>", 1)
        elif "<head/>" in text:
            text = text.replace("<head/>", f"<head>{link}</head>", 1)
        return (text + f"<!-- truncated: {note} -->\n").encode("utf-8")
    if fmt in ("csv", "tsv"):
        end = b"\r\n" if fmt == "csv" else b"\n"
        return body + f"# truncated: {note}".encode() + end
    if fmt in ("turtle", "nt", "n3"):
        sep = b"" if not body or body.endswith(b"\n") else b"\n"
        return body + sep + f"# truncated: {note}\n".encode()
    if fmt == "rdfxml":
        return body + f"<!-- truncated: {note} -->\n".encode()
    return body


_SD = """@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix ent: <http://www.w3.org/ns/entailment/> .
@prefix fmt: <http://www.w3.org/ns/formats/> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV,
        fmt:SPARQL_Results_TSV, fmt:Turtle, fmt:N-Triples, fmt:N3, fmt:RDF_XML, fmt:JSON-LD ;
    sd:feature sd:UnionDefaultGraph, sd:BasicFederatedQuery ;
    sd:defaultEntailmentRegime ent:Simple ;
    dcterms:description "policykg: a read-only SPARQL 1.1 endpoint; the default graph is \
the union of every named graph (one per passage); updates are refused; results are cut at \
{cap} rows." ;
    sd:defaultDataset [
        a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ]
    ] .
"""


def service_description(endpoint: str, *, max_rows: int, allow_service: bool) -> str:
    """The SPARQL 1.1 Service Description of the endpoint, as Turtle.

    Args:
        endpoint: the endpoint's absolute URL.
        max_rows: the row cap (0 = none).
        allow_service: whether ``SERVICE`` clauses run (``sd:BasicFederatedQuery``).
    """
    text = _SD.format(endpoint=endpoint.replace(">", "%3E").replace(" ", "%20"),
                      cap=max_rows if max_rows else "no")
    if not allow_service:
        text = text.replace("sd:UnionDefaultGraph, sd:BasicFederatedQuery",
                            "sd:UnionDefaultGraph")
    if not max_rows:
        text = text.replace("results are cut at no rows", "results are not cut")
    return text
