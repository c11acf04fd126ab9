"""Exports of the whole graph: RDF (Turtle, TriG, N-Triples, JSON-LD), the network, a facts CSV.

Exports are deterministic: the same graph gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from policykg.core.choices import EXPORT_FORMATS, RDF_EXPORT_FORMATS
from policykg.core.errors import QueryError
from policykg.core.io import write_atomic
from policykg.core.namespaces import ONTOLOGY_IRI, PREFIXES, RDF, XSD
from policykg.graph.annotations import ANNOTATION_FORMATS, export_annotations
from policykg.graph.entities import index
from policykg.graph.network import export_network
from policykg.rdf.rdfwrite import to_trig, to_turtle
from policykg.rdf.terms import curie
from policykg.sparql.formats import nt_term

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG

__all__ = ["EXPORT_FORMATS", "RDF_EXPORT_FORMATS", "export", "export_facts_csv", "export_rdf"]


Quad = tuple[Node, Node, Node, Node | None]


def _quads(kg: PolicyKG, *, ontology: bool) -> list[Quad]:
    """Return every quad, read from the rdflib dataset, in a fixed order.

    Oxigraph stores derived integer datatypes (``xsd:nonNegativeInteger``, ...) as
    ``xsd:integer``, so the store cannot give back the exact terms of the files.
    """
    onto = URIRef(ONTOLOGY_IRI)
    default = kg.dataset.default_graph.identifier
    found: list[Quad] = []
    for s, p, o, g in kg.dataset.quads((None, None, None, None)):
        graph = None if g is None or g == default else g
        if ontology or graph != onto:
            found.append((s, p, o, graph))
    quads = _canonical_bnodes(found)
    return sorted(quads, key=lambda q: (nt_term(q[3]), nt_term(q[0]), nt_term(q[1]), nt_term(q[2])))


def _canonical_bnodes(quads: list[Quad]) -> set[Quad]:
    """Rename blank nodes after their place in the graph, so exports do not depend on load order.

    Stores give blank nodes fresh random labels on every load (the ontology's OWL lists and
    axioms are blank nodes). Each blank node's label is a hash refined round by round from its
    statements (as subject and as object, with their graphs) and its neighbours' hashes, until
    the partition of blank nodes stops changing (a simple colour refinement).
    """
    import hashlib

    nodes = sorted(
        {t for q in quads for t in (q[0], q[2]) if isinstance(t, BNode)}, key=str
    )
    if not nodes:
        return set(quads)
    around: dict[BNode, list[tuple[str, Node, Node, Node | None]]] = {b: [] for b in nodes}
    for s, p, o, g in quads:
        if isinstance(s, BNode):
            around[s].append(("out", p, o, g))
        if isinstance(o, BNode):
            around[o].append(("in", p, s, g))

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    colour = {b: "" for b in nodes}
    classes = 1
    for _ in range(len(nodes) + 1):
        new = {}
        for b in nodes:
            parts = sorted(
                f"{way} {nt_term(p)} "
                f"{'_:' + colour[t] if isinstance(t, BNode) else nt_term(t)} {nt_term(g)}"
                for way, p, t, g in around[b]
            )
            new[b] = digest(colour[b] + "|" + "|".join(parts))
        colour = new
        count = len(set(colour.values()))
        if count == classes:
            break
        classes = count
    labels: dict[BNode, BNode] = {}
    used: dict[str, int] = {}
    for b in sorted(nodes, key=lambda b: colour[b]):
        n = used.get(colour[b], 0)
        used[colour[b]] = n + 1
        labels[b] = BNode(f"b{colour[b]}" + (f"x{n}" if n else ""))

    def swap(term: Node) -> Node:
        return labels.get(term, term) if isinstance(term, BNode) else term

    return {(swap(s), p, swap(o), g) for s, p, o, g in quads}


def _jsonld_value(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"@id": curie(str(term)) if not curie(str(term)).startswith("<") else str(term)}
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    assert isinstance(term, Literal)
    out = {"@value": str(term)}
    if term.language:
        out["@language"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        out["@type"] = _compact(str(term.datatype))
    return out


def _compact(iri: str) -> str:
    short = curie(iri)
    return iri if short.startswith("<") else short


def _jsonld(quads: Iterable[Quad]) -> str:
    graphs: dict[str, dict[str, dict[str, list[dict[str, str]]]]] = {}
    for s, p, o, g in quads:
        gkey = "" if g is None else _compact(str(g))
        node = graphs.setdefault(gkey, {}).setdefault(_jsonld_id(s), {})
        is_type = p == RDF.type and isinstance(o, URIRef)
        key = "@type" if is_type else _compact(str(p))
        node.setdefault(key, []).append(_jsonld_value(o))

    def nodes(subjects: dict[str, dict[str, list[dict[str, str]]]]) -> list[dict[str, Any]]:
        out = []
        for sid in sorted(subjects):
            entry: dict[str, Any] = {"@id": sid}
            for key in sorted(subjects[sid], key=lambda k: (k != "@type", k)):
                values = subjects[sid][key]
                if key == "@type":
                    entry["@type"] = sorted({v["@id"] for v in values})
                else:
                    entry[key] = sorted(values, key=lambda v: json.dumps(v, sort_keys=True))
            out.append(entry)
        return out

    top: list[dict[str, Any]] = nodes(graphs.pop("", {}))
    for gid in sorted(graphs):
        top.append({"@id": gid, "@graph": nodes(graphs[gid])})
    doc = {"@context": dict(PREFIXES), "@graph": top}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _jsonld_id(term: Node) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    return _compact(str(term))


def export_rdf(kg: PolicyKG, fmt: str, *, ontology: bool = True) -> str:
    """Serialize everything the graph holds, deterministically.

    Args:
        kg: the loaded graph.
        fmt: ``ttl`` (the union of all graphs), ``trig`` (named graphs kept), ``nt`` (sorted
            N-Triples of the union) or ``jsonld`` (JSON-LD with named graphs, prefixes as context).
        ontology: include the ontology's own graph (default ``True``).

    Raises:
        QueryError: an unknown format.
    """
    from rdflib import Graph

    quads = _quads(kg, ontology=ontology)
    if fmt == "nt":
        lines = sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ." for s, p, o, _ in quads})
        return "\n".join(lines) + ("\n" if lines else "")
    if fmt == "ttl":
        graph = Graph()
        for s, p, o, _ in quads:
            graph.add((s, p, o))
        return to_turtle(graph)
    if fmt == "trig":
        named: dict[URIRef, list[tuple[Node, Node, Node]]] = {}
        default = Graph()
        for s, p, o, g in quads:
            if isinstance(g, URIRef):
                named.setdefault(g, []).append((s, p, o))
            else:
                default.add((s, p, o))
        text = to_trig(named)
        if len(default):
            body = to_turtle(default).split("\n\n", 1)[-1]
            indented = "\n".join("    " + ln if ln else ln for ln in body.splitlines())
            block = "{\n" + indented + "\n}\n"
            head, sep, rest = text.partition("\n\n")
            text = f"{head}{sep}{block}\n{rest}" if sep else text + block
        return text
    if fmt == "jsonld":
        return _jsonld(quads)
    raise QueryError(f"unknown RDF format '{fmt}' (use {', '.join(RDF_EXPORT_FORMATS)})")


def export_facts_csv(kg: PolicyKG, *, csv_safe: bool = False) -> str:
    """Return every statement of the data graphs (not the ontology) as a CSV table.

    Columns: subject, subject_label, predicate, predicate_label, object, object_label,
    object_language, object_datatype, graph. One row per statement and graph, sorted.
    ``csv_safe`` quotes cells a spreadsheet would run as formulas
    (:func:`policykg.core.text.spreadsheet_safe`).
    """
    from policykg.core.text import spreadsheet_safe

    idx = index(kg)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        [
            "subject",
            "subject_label",
            "predicate",
            "predicate_label",
            "object",
            "object_label",
            "object_language",
            "object_datatype",
            "graph",
        ]
    )
    for s, p, o, g in _quads(kg, ontology=False):
        lang = o.language if isinstance(o, Literal) else None
        dtype = o.datatype if isinstance(o, Literal) and not lang else None
        row = [
            str(s),
            idx.label(s) or "",
            str(p),
            idx.label(p) or "",
            str(o),
            (idx.label(o) or "") if isinstance(o, URIRef) else str(o),
            lang or "",
            str(dtype or (XSD.string if isinstance(o, Literal) and not lang else "")),
            "" if g is None else str(g),
        ]
        writer.writerow([spreadsheet_safe(c) for c in row] if csv_safe else row)
    return buf.getvalue()


def export(
    kg: PolicyKG,
    fmt: str,
    *,
    out: str | os.PathLike[str] | None = None,
    ontology: bool = True,
    csv_safe: bool = False,
) -> bytes:
    """Serialize the graph in one of :data:`EXPORT_FORMATS`, optionally writing a file.

    ``ttl``, ``trig``, ``nt`` and ``jsonld`` hold every triple (see :func:`export_rdf`);
    ``graphml`` and ``gexf`` the entity network (see :func:`policykg.graph.network.to_networkx`);
    ``csv`` the statements of the data graphs with labels (see :func:`export_facts_csv`);
    ``annotations`` (JSON-LD), ``annotations-ttl`` and ``annotations-trig`` every passage as a W3C
    Web Annotation (see :mod:`policykg.graph.annotations`).

    Args:
        kg: the loaded graph.
        fmt: the format.
        out: a file to write atomically (its folder is created); ``None`` writes nothing.
        ontology: include the ontology's graph in the RDF formats.
        csv_safe: ``csv``: quote cells a spreadsheet would run as formulas.

    Returns:
        The serialized bytes (UTF-8).

    Raises:
        QueryError: an unknown format.
    """
    if fmt in RDF_EXPORT_FORMATS:
        data = export_rdf(kg, fmt, ontology=ontology).encode("utf-8")
    elif fmt in ("graphml", "gexf"):
        data = export_network(kg, fmt)
    elif fmt == "csv":
        data = export_facts_csv(kg, csv_safe=csv_safe).encode("utf-8")
    elif fmt in ANNOTATION_FORMATS:
        data = export_annotations(kg, fmt).encode("utf-8")
    else:
        raise QueryError(f"unknown export format '{fmt}' (use {', '.join(EXPORT_FORMATS)})")
    if out is not None:
        write_atomic(out, data)
    return data
