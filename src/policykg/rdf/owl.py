"""Convert the project's Turtle to the formats OWL tools read, and load it into owlready2.

owlready2 reads RDF/XML, OWL/XML and N-Triples but not Turtle, and HermiT rejects literals whose
datatype is outside the OWL 2 datatype map (``xsd:date``, ``xsd:gYear`` ...). This module:

- writes a deterministic RDF/XML copy of the ontology, ``ontology/policykg.owl``, for Protégé and
  owlready2 (regenerate it with ``policykg docs`` whenever ``ontology/policykg.ttl`` changes);
- turns any rdflib graph into N-Triples that owlready2 and HermiT accept
  (:func:`owl2_compatible`, :func:`to_ntriples`) and loads it into a fresh owlready2 ``World``.

``owl:imports`` are never followed unless asked: owlready2 and HermiT (the OWL API) would fetch
each imported IRI, over the network without a timeout (a host that never answers hung
``validate``, ``add`` and ``reason`` forever) or from the local disk (a ``file:`` IRI reads any
file). :func:`load_world` removes the ``owl:imports`` triples before either sees the graph; inside
``with following_imports(timeout=...):`` it first fetches the imports itself (http, https and
file IRIs, recursively), each exchange with one deadline, and adds their triples.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import ParseError
from policykg.core.io import write_atomic
from policykg.core.namespaces import OWL, PREFIXES, RDF, RDFS, XSD, XSD_INTEGER_DERIVED
from policykg.core.paths import ontology_dir, ontology_file
from policykg.rdf.graphio import parse_file, refuse_xml_entities

__all__ = [
    "OWL2_DATATYPES",
    "following_imports",
    "load_world",
    "owl2_compatible",
    "owl_copy_file",
    "owl_copy_text",
    "reasoner_ntriples",
    "reasoner_ntriples_from",
    "resolve_imports",
    "to_ntriples",
    "to_rdfxml",
    "without_imports",
    "write_owl_copy",
]

#: Datatypes of the OWL 2 datatype map (what HermiT accepts); other literals become plain strings.
OWL2_DATATYPES: frozenset[URIRef] = frozenset(
    [RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, OWL.real, OWL.rational]
    + sorted(XSD_INTEGER_DERIVED)
    + [
        XSD[name]
        for name in [
            "decimal",
            "integer",
            "double",
            "float",
            "string",
            "normalizedString",
            "token",
            "language",
            "Name",
            "NCName",
            "NMTOKEN",
            "boolean",
            "hexBinary",
            "base64Binary",
            "anyURI",
            "dateTime",
            "dateTimeStamp",
        ]
    ]
)

_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_RDF_NS = str(RDF)


def owl2_compatible(graph: Graph) -> Graph:
    """Return a copy of ``graph`` whose literals all have OWL 2 datatypes.

    A literal typed ``xsd:date``, ``xsd:gYear``, ``xsd:gYearMonth`` or any other datatype outside
    the OWL 2 datatype map becomes a plain string with the same lexical form; language-tagged and
    OWL 2 literals are kept.
    """
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and o.datatype not in OWL2_DATATYPES:
            o = Literal(str(o))
        out.add((s, p, o))
    return out


def to_ntriples(graph: Graph) -> bytes:
    """Serialize ``graph`` as N-Triples (UTF-8), lines sorted."""
    text = graph.serialize(format="nt", encoding="utf-8")
    lines = sorted({line for line in text.decode("utf-8").splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- owl:imports ---------------------------------------------------------------------------------

#: Set by :func:`following_imports`: the per-import deadline in seconds, or ``None`` (the default:
#: imports are dropped, never fetched). A module global, not a context variable, so that the
#: threads validation starts HermiT in see it too.
_FOLLOW_TIMEOUT: float | None = None
_MAX_IMPORTS = 50
_MAX_IMPORT_BYTES = 50_000_000
_IMPORT_FORMATS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
    "application/owl+xml": "xml",
    "application/ld+json": "json-ld",
}


@contextmanager
def following_imports(timeout: float = 10.0) -> Iterator[None]:
    """Within the block, :func:`load_world` fetches ``owl:imports`` (each within ``timeout`` s).

    Raises:
        ParseError: ``timeout`` is not positive.
    """
    global _FOLLOW_TIMEOUT
    if not 0 < timeout <= 86_400:  # issue 25 N20: inf and 1e20 overflowed the socket timeout
        raise ParseError(f"the imports timeout must be a number of seconds in (0, 86400], "
                         f"not {timeout}")
    old, _FOLLOW_TIMEOUT = _FOLLOW_TIMEOUT, timeout
    try:
        yield
    finally:
        _FOLLOW_TIMEOUT = old


def without_imports(graph: Graph) -> Graph:
    """Return ``graph`` without its ``owl:imports`` triples (the same graph when it has none)."""
    if (None, OWL.imports, None) not in graph:
        return graph
    out = Graph()
    for triple in graph:
        if triple[1] != OWL.imports:
            out.add(triple)
    return out


def _fetch(iri: str, timeout: float) -> tuple[bytes, str | None]:
    """Read one imported document within one deadline; return (bytes, media type)."""
    import urllib.error
    import urllib.request

    scheme = iri.split(":", 1)[0].lower()
    if scheme not in ("http", "https", "file"):
        raise ParseError(f"owl:imports <{iri}>: cannot fetch a '{scheme}:' IRI (http, https, file)")
    if scheme == "file":
        import stat
        import urllib.parse

        local = urllib.request.url2pathname(urllib.parse.urlsplit(iri).path)
        try:
            regular = stat.S_ISREG(Path(local).stat().st_mode)
        except OSError as exc:
            raise ParseError(f"owl:imports <{iri}>: cannot read: {exc.strerror}") from None
        if not regular:  # a FIFO or a device would block with no timeout
            raise ParseError(f"owl:imports <{iri}>: not a regular file")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        iri, headers={"Accept": "text/turtle, application/rdf+xml;q=0.9, */*;q=0.1"}
    )
    chunks: list[bytes] = []
    size = 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            media = (answer.headers.get_content_type() or "") if scheme != "file" else None
            read = getattr(answer, "read1", answer.read)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                chunk = read(65536)  # what has arrived: each wait is bounded by the timeout
                if not chunk:
                    break
                size += len(chunk)
                if size > _MAX_IMPORT_BYTES:
                    raise ParseError(
                        f"owl:imports <{iri}>: larger than {_MAX_IMPORT_BYTES:,} bytes; refused"
                    )
                chunks.append(chunk)
    except TimeoutError:
        raise ParseError(f"owl:imports <{iri}>: no complete answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        reason = exc.reason if isinstance(exc.reason, str) else str(exc.reason)
        if "timed out" in reason:
            reason = f"no answer within {timeout:g} s"
        raise ParseError(f"owl:imports <{iri}>: cannot fetch: {reason}") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise ParseError(f"owl:imports <{iri}>: cannot fetch: {reason}") from None
    return b"".join(chunks), media


def _parse_import(iri: str, data: bytes, media: str | None) -> Graph:
    from rdflib.util import guess_format

    formats = [f for f in (_IMPORT_FORMATS.get(media or ""), guess_format(iri)) if f]
    formats += [f for f in ("turtle", "xml") if f not in formats]
    refuse_xml_entities(data, f"owl:imports <{iri}>")  # issue 25 N10, whatever the format
    for fmt in formats:
        try:
            return Graph().parse(data=data, format=fmt, publicID=iri)
        except Exception:  # rdflib raises many types: try the next format
            continue
    raise ParseError(f"owl:imports <{iri}>: not RDF that policykg can read")


def resolve_imports(graph: Graph, *, timeout: float = 10.0) -> Graph:
    """Return ``graph`` plus the triples of every ontology it imports, recursively.

    Only call this when the user asked for imports to be followed (``--follow-imports``): it
    reads http, https and file IRIs. Each import is one exchange with a deadline of ``timeout``
    seconds; at most 50 imports and 50 MB each.

    Raises:
        ParseError: an import cannot be fetched in time or is not RDF.
    """
    out = Graph()
    for triple in graph:
        out.add(triple)
    seen: set[str] = set()
    todo = sorted({str(o) for o in graph.objects(None, OWL.imports)})
    while todo:
        iri = todo.pop(0)
        if iri in seen:
            continue
        seen.add(iri)
        if len(seen) > _MAX_IMPORTS:
            raise ParseError(f"more than {_MAX_IMPORTS} owl:imports to follow; refused")
        data, media = _fetch(iri, timeout)
        imported = _parse_import(iri, data, media)
        for triple in imported:
            out.add(triple)
        todo += sorted({str(o) for o in imported.objects(None, OWL.imports)} - seen)
    return out


def reasoner_ntriples(graph: Graph) -> bytes:
    """``graph`` as the N-Triples an OWL reasoner is given: OWL 2 compatible, no ``owl:imports``.

    Inside :func:`following_imports` the imports are fetched first (:func:`resolve_imports`) and
    their triples added; otherwise they are dropped, so the reasoner fetches nothing.
    """
    if _FOLLOW_TIMEOUT is not None:
        graph = resolve_imports(graph, timeout=_FOLLOW_TIMEOUT)
    return to_ntriples(owl2_compatible(without_imports(graph)))


def reasoner_ntriples_from(ntriples: bytes | Path) -> bytes:
    """The N-Triples of :func:`reasoner_ntriples` for a union already written as N-Triples.

    The same triples (``owl:imports`` dropped; literals outside the OWL 2 datatype map made plain
    strings), converted by pyoxigraph without building an rdflib graph: several times faster on
    a large union. Inside :func:`following_imports` the imports are fetched, so this goes through
    :func:`reasoner_ntriples`.
    """
    import pyoxigraph as ox

    raw = ntriples.read_bytes() if isinstance(ntriples, Path) else ntriples
    if _FOLLOW_TIMEOUT is not None:
        return reasoner_ntriples(Graph().parse(data=raw, format="nt"))
    imports = ox.NamedNode(str(OWL.imports))
    owl2 = {str(d) for d in OWL2_DATATYPES}
    # blank nodes renamed in order of first use: the same union gives the same bytes (a parse
    # renames them at random), which HermiT's remembered verdict is keyed by
    blanks: dict[Any, Any] = {}

    def blank(node: Any) -> Any:
        if not isinstance(node, ox.BlankNode):
            return node
        named = blanks.get(node)
        if named is None:
            named = blanks[node] = ox.BlankNode(f"b{len(blanks)}")
        return named

    def converted() -> Iterator[ox.Triple]:
        for t in ox.parse(raw, format=ox.RdfFormat.N_TRIPLES):
            if t.predicate == imports:
                continue
            o = t.object
            if isinstance(o, ox.Literal) and o.language is None and o.datatype.value not in owl2:
                o = ox.Literal(o.value)
            yield ox.Triple(blank(t.subject), t.predicate, blank(o))

    out = ox.serialize(converted(), format=ox.RdfFormat.N_TRIPLES)
    return out if isinstance(out, bytes) else b""


def load_world(graph: Graph, *, iri: str = "https://w3id.org/policykg/union") -> Any:
    """Load ``graph`` (made OWL 2 compatible) into a fresh owlready2 ``World``.

    ``owl:imports`` triples are removed first, so neither owlready2 nor HermiT fetches anything;
    inside :func:`following_imports` the imports are fetched first (:func:`resolve_imports`).

    Args:
        graph: the ontology and data to load.
        iri: the IRI of the owlready2 ontology that receives the triples.

    Returns:
        The owlready2 ``World``.

    Raises:
        ParseError: owlready2 cannot read the triples.
    """
    import io

    import owlready2

    world = owlready2.World()
    data = reasoner_ntriples(graph)
    try:
        world.get_ontology(iri).load(fileobj=io.BytesIO(data), format="ntriples")
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ParseError(f"owlready2 cannot load the graph: {first}") from None
    return world


# -- RDF/XML --------------------------------------------------------------------------------------


class _Names:
    """Qualified names for RDF/XML elements; prefixes beyond the project's are made up (ns1...)."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self.by_ns = {ns: p for p, ns in self.prefixes.items()}
        self.used: set[str] = {"rdf"}

    def qname(self, iri: str) -> str | None:
        best: tuple[str, str] | None = None
        for ns in self.by_ns:
            local = iri[len(ns) :]
            if (
                iri.startswith(ns)
                and _NCNAME.match(local)
                and (best is None or len(ns) > len(best[0]))
            ):
                best = (ns, local)
        if best is None:
            cut = max(iri.rfind("#"), iri.rfind("/"))
            ns, local = iri[: cut + 1], iri[cut + 1 :]
            if cut < 0 or not _NCNAME.match(local):
                return None
            prefix = f"ns{len(self.by_ns) + 1}"
            self.by_ns[ns] = prefix
            self.prefixes[prefix] = ns
            best = (ns, local)
        prefix = self.by_ns[best[0]]
        self.used.add(prefix)
        return f"{prefix}:{best[1]}"


def to_rdfxml(graph: Graph, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Serialize ``graph`` as deterministic RDF/XML.

    Subjects are sorted (IRIs, then blank nodes), each written as one typed node element whose
    name is its first ``rdf:type`` (the others become ``rdf:type`` properties), properties are
    sorted, blank nodes get stable ``rdf:nodeID`` labels from a canonical relabelling.

    Raises:
        ValueError: a predicate IRI cannot be written as an XML qualified name.
    """
    from rdflib.compare import to_canonical_graph

    canon = to_canonical_graph(graph)
    raw = sorted({t for triple in canon for t in triple if isinstance(t, BNode)}, key=str)
    labels = {b: f"b{n}" for n, b in enumerate(raw, 1)}
    names = _Names(prefixes)

    by_subject: dict[Node, list[tuple[Node, Node]]] = {}
    for s, p, o in canon:
        by_subject.setdefault(s, []).append((p, o))

    def sort_key(term: Node) -> tuple[int, str, str]:
        if isinstance(term, URIRef):
            return (0, str(term), "")
        if isinstance(term, BNode):
            return (1, labels[term].rjust(12, "0"), "")
        lit = term if isinstance(term, Literal) else Literal(str(term))
        return (2, str(lit), f"{lit.language or ''}|{lit.datatype or ''}")

    body: list[str] = []
    for s in sorted(by_subject, key=sort_key):
        pairs = sorted(by_subject[s], key=lambda po: (str(po[0]), sort_key(po[1])))
        types = [
            o for p, o in pairs if p == RDF.type and isinstance(o, URIRef) and names.qname(str(o))
        ]
        element = "rdf:Description"
        if types:
            head = min(types, key=str)
            element = names.qname(str(head)) or element
            pairs = [(p, o) for p, o in pairs if not (p == RDF.type and o == head)]
        if isinstance(s, BNode):
            subject_attr = f"rdf:nodeID={quoteattr(labels[s])}"
        else:
            subject_attr = f"rdf:about={quoteattr(str(s))}"
        if not pairs:
            body.append(f"  <{element} {subject_attr}/>")
            continue
        body.append(f"  <{element} {subject_attr}>")
        for p, o in pairs:
            tag = names.qname(str(p))
            if tag is None:
                raise ValueError(f"cannot write predicate <{p}> as an XML qualified name")
            if isinstance(o, URIRef):
                body.append(f"    <{tag} rdf:resource={quoteattr(str(o))}/>")
            elif isinstance(o, BNode):
                body.append(f"    <{tag} rdf:nodeID={quoteattr(labels[o])}/>")
            elif isinstance(o, Literal):
                attr = ""
                if o.language:
                    attr = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype is not None:
                    attr = f" rdf:datatype={quoteattr(str(o.datatype))}"
                body.append(f"    <{tag}{attr}>{escape(str(o))}</{tag}>")
        body.append(f"  </{element}>")

    head_lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    ns_lines = [f"    xmlns:rdf={quoteattr(_RDF_NS)}"]
    for prefix, ns in names.prefixes.items():
        if prefix in names.used and prefix != "rdf":
            ns_lines.append(f"    xmlns:{prefix}={quoteattr(ns)}")
    ns_lines[-1] += ">"
    return "\n".join([*head_lines, *ns_lines, *body, "</rdf:RDF>"]) + "\n"


# -- the committed RDF/XML copy of the ontology --------------------------------------------------


def owl_copy_file() -> Path:
    """Return the path of the generated RDF/XML copy, ``ontology/policykg.owl``."""
    return ontology_dir() / "policykg.owl"


def owl_copy_text(ttl: Path | None = None) -> str:
    """Return the RDF/XML text generated from the ontology's Turtle."""
    return to_rdfxml(parse_file(ttl or ontology_file()))


def write_owl_copy(*, check: bool = False, out: Path | None = None) -> bool:
    """Regenerate ``ontology/policykg.owl`` from the Turtle when it differs.

    Args:
        check: write nothing, only report whether the copy is out of date.
        out: where to write (default :func:`owl_copy_file`).

    Returns:
        ``True`` when the file was (or, with ``check``, would be) rewritten.
    """
    dest = out or owl_copy_file()
    text = owl_copy_text()
    if dest.is_file() and dest.read_text(encoding="utf-8") == text:
        return False
    if not check:
        write_atomic(dest, text)
    return True
