"""Convert the project's Turtle to the formats OWL tools read, and load it into owlready2.

owlready2 reads RDF/XML, OWL/XML and N-Triples but not Turtle, and HermiT rejects literals whose
datatype is outside the OWL 2 datatype map (``xsd:date``, ``xsd:gYear`` ...). This module:

- writes a deterministic RDF/XML copy of the ontology, ``ontology/policykg.owl``, for Protégé and
  owlready2 (regenerate it with ``policykg docs`` whenever ``ontology/policykg.ttl`` changes);
- turns any rdflib graph into N-Triples that owlready2 and HermiT accept
  (:func:`owl2_compatible`, :func:`to_ntriples`) and loads it into a fresh owlready2 ``World``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import ParseError
from policykg.core.io import write_atomic
from policykg.core.namespaces import OWL, PREFIXES, RDF, RDFS, XSD
from policykg.core.paths import ontology_dir, ontology_file
from policykg.rdf.graphio import parse_file

__all__ = [
    "OWL2_DATATYPES",
    "load_world",
    "owl2_compatible",
    "owl_copy_file",
    "owl_copy_text",
    "to_ntriples",
    "to_rdfxml",
    "write_owl_copy",
]

#: Datatypes of the OWL 2 datatype map (what HermiT accepts); other literals become plain strings.
OWL2_DATATYPES: frozenset[URIRef] = frozenset(
    [RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal, OWL.real, OWL.rational]
    + [
        XSD[name]
        for name in [
            "decimal",
            "integer",
            "nonNegativeInteger",
            "nonPositiveInteger",
            "positiveInteger",
            "negativeInteger",
            "long",
            "int",
            "short",
            "byte",
            "unsignedLong",
            "unsignedInt",
            "unsignedShort",
            "unsignedByte",
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


def load_world(graph: Graph, *, iri: str = "https://w3id.org/policykg/union") -> Any:
    """Load ``graph`` (made OWL 2 compatible) into a fresh owlready2 ``World``.

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
    data = to_ntriples(owl2_compatible(graph))
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
