"""Read what the page shows out of the knowledge graph, with SPARQL over the union of graphs.

Two queries do the work: one returns every quad whose subject is a ``kg:`` resource (entities,
passages, documents), the other the labels, definitions and axioms of the ontology's terms. The
result is a :class:`~policykg.outputs.viz.model.VizGraph` holding every entity (passages become
evidence,
not nodes), every fact about an entity with the named graphs (passages) that state it, and the
ontology's classes and properties with their English and Chinese labels.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import StoredTextError
from policykg.core.io import read_stored_text
from policykg.core.namespaces import KG, KGG, OWL, PKG, PREFIXES, RDF, RDFS, SKOS
from policykg.core.paths import graphs_dir
from policykg.core.walk import reachable
from policykg.outputs.viz.model import Passage, Term, VizFact, VizGraph, VizNode, curie
from policykg.outputs.viz.style import class_rank
from policykg.rdf.terms import local_name

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG

__all__ = ["extract_graph", "extract_hierarchy", "humanize"]

_QUADS = """
SELECT ?g ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(kg:)))
}
"""

_TERMS = """
SELECT ?t ?p ?v WHERE {
  VALUES ?p { rdf:type rdfs:label skos:prefLabel skos:definition rdfs:comment pkg:evidenceQuote
              rdfs:subClassOf rdfs:subPropertyOf rdfs:domain rdfs:range }
  ?t ?p ?v .
  FILTER(isIRI(?t) && !STRSTARTS(STR(?t), STR(kg:)))
}
"""

_LABEL_PREDICATES = {str(SKOS.prefLabel), str(RDFS.label), str(SKOS.altLabel)}
_SKIPPED = _LABEL_PREDICATES | {str(RDF.type), str(PKG.mentionedIn)}
_INFERRED_GRAPH = curie(str(KGG) + "inferred")
_PASSAGE = str(PKG.Passage)
_PROPERTY_TYPES = {
    str(OWL.ObjectProperty),
    str(OWL.DatatypeProperty),
    str(OWL.AnnotationProperty),
    str(OWL.TransitiveProperty),
    str(OWL.SymmetricProperty),
    str(RDF.Property),
}
#: English names of standard predicates the ontology declares without a label.
_BUILTIN_LABELS = {
    "rdf:type": "type",
    "rdfs:label": "label",
    "rdfs:comment": "comment",
    "rdfs:subClassOf": "subclass of",
    "rdfs:seeAlso": "see also",
    "skos:prefLabel": "preferred label",
    "skos:altLabel": "alternative label",
    "skos:definition": "definition",
    "skos:example": "example",
    "skos:scopeNote": "scope note",
    "skos:broader": "broader",
    "skos:narrower": "narrower",
    "owl:sameAs": "same as",
    "prov:wasAttributedTo": "was attributed to",
    "dcterms:title": "title",
}


def _local_part(name: str) -> str:
    """The local part of an IRI or of a CURIE (node ids are CURIEs)."""
    return local_name(name).rpartition(":")[2]


def humanize(name: str) -> str:
    """Turn a camelCase local name into words (``shouldFocusOn`` -> ``should focus on``)."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", _local_part(name)).replace("_", " ")
    return words.lower() if not words.isupper() else words


def _pick(values: dict[str, list[str]], *langs: str) -> str:
    for lang in langs:
        if values.get(lang):
            return sorted(values[lang])[0]
    for lang in sorted(values):
        if values[lang]:
            return sorted(values[lang])[0]
    return ""


class _Texts:
    """Language-tagged texts of one resource, by predicate and language."""

    def __init__(self) -> None:
        self.by: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

    def add(self, predicate: str, value: Literal) -> None:
        self.by[predicate][value.language or ""].append(str(value))

    def get(self, *predicates: str, lang: str) -> str:
        for p in predicates:
            vals = self.by.get(p, {}).get(lang)
            if vals:
                return sorted(vals)[0]
        return ""

    def any(self, *predicates: str) -> str:
        for p in predicates:
            if p in self.by:
                found = _pick(self.by[p], "en", "")
                if found:
                    return found
        return ""

    def all(self, predicate: str, lang: str) -> list[str]:
        return sorted(set(self.by.get(predicate, {}).get(lang, [])))


def _terms(
    kg: PolicyKG,
    individuals: dict[str, Term] | None = None,
) -> tuple[dict[str, Term], dict[str, Term], dict[str, set[str]], dict[str, dict[str, list[str]]]]:
    """Return classes, properties, the superclass closure and the raw axioms of the ontology.

    ``individuals``, when given, receives the other labelled terms (the modalities of issue
    12's scheme, for example).
    """
    if individuals is None:
        individuals = {}
    texts: dict[str, _Texts] = defaultdict(_Texts)
    types: dict[str, set[str]] = defaultdict(set)
    axioms: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for t, p, v in kg.query(_TERMS).rows:
        if t is None or p is None or v is None:
            continue
        tid, pid = curie(str(t)), curie(str(p))
        if isinstance(v, Literal):
            texts[tid].add(str(p), v)
        elif isinstance(v, URIRef):
            if pid == "rdf:type":
                types[tid].add(str(v))
            else:
                axioms[tid][pid].append(curie(str(v)))

    def term(tid: str) -> Term:
        tx = texts.get(tid) or _Texts()
        label = (
            tx.get(str(RDFS.label), str(SKOS.prefLabel), lang="en")
            or _BUILTIN_LABELS.get(tid, "")
            or tx.any(str(RDFS.label), str(SKOS.prefLabel))
            or humanize(tid)
        )
        return Term(
            id=tid,
            iri=_expand(tid),
            label=label,
            zh=tx.get(str(RDFS.label), str(SKOS.prefLabel), lang="zh"),
            definition=tx.get(str(SKOS.definition), str(RDFS.comment), lang="en")
            or tx.any(str(SKOS.definition), str(RDFS.comment)),
            evidence=sorted(
                set(tx.all(str(PKG.evidenceQuote), "") + tx.all(str(PKG.evidenceQuote), "en"))
            ),
        )

    class_ids = {t for t, ts in types.items() if str(OWL.Class) in ts or str(RDFS.Class) in ts}
    class_ids |= {c for ax in axioms.values() for c in ax.get("rdfs:subClassOf", [])}
    class_ids |= {t for t, ax in axioms.items() if ax.get("rdfs:subClassOf")}
    class_ids = {c for c in class_ids if not c.startswith(("owl:Thing", "rdfs:Resource"))}
    prop_ids = {t for t, ts in types.items() if ts & _PROPERTY_TYPES}
    classes = {c: term(c) for c in sorted(class_ids)}
    props = {p: term(p) for p in sorted(prop_ids)}
    individuals.update(
        {t: term(t) for t in sorted(texts) if t not in class_ids and t not in prop_ids}
    )

    parents = {c: set(axioms.get(c, {}).get("rdfs:subClassOf", [])) & class_ids for c in class_ids}
    ancestors: dict[str, set[str]] = {}
    for c in sorted(class_ids):
        ancestors[c] = reachable(sorted(parents[c]), lambda p: sorted(parents.get(p, ()))) - {c}
    return classes, props, ancestors, axioms


def _expand(cid: str) -> str:
    prefix, sep, local = cid.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    return cid


def _predicate_term(pid: str, props: dict[str, Term]) -> Term:
    if pid in props:
        return props[pid]
    return Term(id=pid, iri=_expand(pid), label=_BUILTIN_LABELS.get(pid) or humanize(pid))


def _most_specific(types: list[str], ancestors: dict[str, set[str]], order: dict[str, int]) -> str:
    """Return the one class a node is drawn as: the deepest of its most specific classes."""
    known = [t for t in types if t in ancestors] or types
    if not known:
        return ""
    broader = set().union(*(ancestors.get(t, set()) for t in known))
    specific = [t for t in known if t not in broader] or known
    return sorted(
        specific,
        key=lambda t: (-len(ancestors.get(t, ())), order.get(t, len(order)), t),
    )[0]


def _observation_label(tx: _Texts, facts: dict[str, list[str]]) -> str:
    measure = tx.any(str(PKG.measure))
    value = " ".join(
        v
        for v in (
            tx.any(str(PKG.qualifier)),
            (facts.get(str(PKG.value)) or [""])[0],
            (facts.get(str(PKG.unit)) or [""])[0],
        )
        if v
    )
    period = tx.any(str(PKG.periodLabel)) or (facts.get(str(PKG.period)) or [""])[0]
    text = ": ".join(x for x in (measure, value) if x)
    return f"{text} ({period})" if text and period else text


def extract_graph(kg: PolicyKG, *, class_order: dict[str, int] | None = None) -> VizGraph:
    """Read every entity, fact and evidence passage of the knowledge graph.

    Args:
        kg: the loaded knowledge graph.
        class_order: class id -> rank, to break ties when a node has two unrelated classes
            (default: the order of :data:`policykg.outputs.viz.style.CLASS_STYLES`).

    Returns:
        A :class:`VizGraph` whose ``shown`` set holds every entity.
    """
    order = class_order if class_order is not None else class_rank()
    individuals: dict[str, Term] = {}
    classes, props, ancestors, _ = _terms(kg, individuals)

    types: dict[str, set[str]] = defaultdict(set)
    asserted: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, _Texts] = defaultdict(_Texts)
    plain: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    mentions: dict[str, set[str]] = defaultdict(set)
    triples: dict[tuple[str, str, Node], set[str]] = defaultdict(set)
    for g_term, s_term, p_term, o in kg.query(_QUADS).rows:
        if s_term is None or p_term is None or o is None:
            continue
        sid, pstr = curie(str(s_term)), str(p_term)
        gid = curie(str(g_term)) if g_term is not None else ""
        if pstr == str(RDF.type):
            if isinstance(o, URIRef):
                types[sid].add(curie(str(o)))
                if gid != _INFERRED_GRAPH:
                    asserted[sid].add(curie(str(o)))
            continue
        if isinstance(o, Literal):
            texts[sid].add(pstr, o)
            plain[sid][pstr].append(str(o))
        if pstr in _LABEL_PREDICATES:
            continue
        if pstr == str(PKG.mentionedIn) and isinstance(o, URIRef):
            mentions[sid].add(curie(str(o)))
            continue
        triples[(sid, pstr, o)].add(gid)

    passage_type = curie(_PASSAGE)
    passages: dict[str, Passage] = {}
    for pid in sorted(x for x, ts in types.items() if passage_type in ts):
        values = plain.get(pid, {})
        passages[pid] = Passage(
            id=pid,
            quote=_first(values, str(PKG.quote)) or "",
            start=_int(_first(values, str(PKG.startOffset))),
            end=_int(_first(values, str(PKG.endOffset))),
        )
    for (sid, pstr, o), _ in triples.items():
        if sid in passages and pstr == str(PKG.inDocument) and isinstance(o, URIRef):
            passages[sid].document = curie(str(o))
        if sid in passages and pstr == str(PKG.reviewStatus) and o == PKG.Unreviewed:
            passages[sid].draft = True
    doc_texts = _document_texts(kg, {p.document for p in passages.values() if p.document}, plain)

    nodes: dict[str, VizNode] = {}
    obs = curie(str(PKG.Observation))
    for nid in sorted(types):
        if nid in passages:
            continue
        tx = texts.get(nid) or _Texts()
        node_types = sorted(asserted.get(nid) or types[nid])
        label = tx.get(str(SKOS.prefLabel), str(RDFS.label), lang="en") or tx.any(
            str(SKOS.prefLabel), str(RDFS.label)
        )
        if not label and any(t == obs or obs in ancestors.get(t, ()) for t in node_types):
            label = _observation_label(tx, plain.get(nid, {}))
        nodes[nid] = VizNode(
            id=nid,
            iri=str(KG) + nid.partition(":")[2] if nid.startswith("kg:") else nid,
            label=label or _local_part(nid).replace("-", " "),
            zh=tx.get(str(SKOS.prefLabel), str(RDFS.label), lang="zh"),
            alt=tx.all(str(SKOS.altLabel), "en"),
            alt_zh=tx.all(str(SKOS.altLabel), "zh"),
            definition=tx.get(str(SKOS.definition), lang="en") or tx.any(str(SKOS.definition)),
            types=node_types,
            cls=_most_specific(node_types, ancestors, order),
            evidence=sorted(mentions.get(nid, ())),
        )

    facts: list[VizFact] = []
    used_predicates: set[str] = set()
    for (sid, pstr, o), graphs in triples.items():
        if sid not in nodes:
            continue
        pid = curie(pstr)
        if isinstance(o, Literal):
            fact = VizFact(
                s=sid,
                p=pid,
                o=str(o),
                kind="literal",
                lang=o.language or "",
                datatype=curie(str(o.datatype)) if o.datatype else "",
            )
        else:
            oid = curie(str(o))
            fact = VizFact(s=sid, p=pid, o=oid, kind="node" if oid in nodes else "iri")
        fact.sources = sorted(graphs, key=lambda g: (g not in passages, g))
        fact.inferred = set(graphs) == {_INFERRED_GRAPH}
        facts.append(fact)
        used_predicates.add(pid)
    facts.sort(key=lambda f: (f.s, f.p, f.kind, f.o, f.lang, f.datatype))
    predicates = {pid: _predicate_term(pid, props) for pid in sorted(used_predicates | set(props))}
    return VizGraph(
        nodes=nodes,
        shown=set(nodes),
        facts=facts,
        passages=passages,
        classes=classes,
        predicates=predicates,
        ancestors=ancestors,
        kind="entities",
        title="policykg",
        view="whole graph",
        texts=doc_texts,
        terms={
            t: individuals[t]
            for t in sorted({f.o for f in facts if f.kind == "iri"} & set(individuals))
        },
    )


def _document_texts(
    kg: PolicyKG, documents: set[str], plain: dict[str, dict[str, list[str]]]
) -> dict[str, str]:
    """Read the stored text of each document.

    ``pkg:textFile`` is relative to ``graphs/`` or to the folder of a loaded file; a text that
    cannot be found is left out.
    """
    folders: list[Path] = [graphs_dir()]
    for f in getattr(kg, "files", None) or []:
        folder = Path(f.path).resolve().parent
        if folder not in folders:
            folders.append(folder)
    texts: dict[str, str] = {}
    for doc in sorted(documents):
        rel = _first(plain.get(doc, {}), str(PKG.textFile))
        if not rel:
            continue
        for folder in folders:
            try:
                texts[doc] = read_stored_text(folder, rel).replace("\r\n", "\n")
            except StoredTextError:
                continue
            break
    return texts


def _first(values: dict[str, list[str]], key: str) -> str | None:
    found = values.get(key)
    return sorted(found)[0] if found else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def extract_hierarchy(kg: PolicyKG, *, properties: bool = True) -> VizGraph:
    """Read the ontology as a graph of classes: ``rdfs:subClassOf`` edges and object properties.

    Every class of the ontology is a node (the external classes it aligns to too); an edge goes
    from each class to each direct superclass, and, with ``properties``, from the domain to the
    range of each ``pkg:`` object property that declares both (as WebVOWL draws them).

    Args:
        kg: the loaded knowledge graph (its ontology graph is what is read).
        properties: also draw object properties between their domain and range.
    """
    classes, props, ancestors, axioms = _terms(kg)
    counts = {
        curie(str(c)): int(str(n))
        for c, n in kg.query(
            """SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE {
                 ?e a ?c . FILTER(STRSTARTS(STR(?e), STR(kg:)))
               } GROUP BY ?c"""
        ).rows
        if c is not None and n is not None
    }
    nodes: dict[str, VizNode] = {}
    for cid, term in classes.items():
        nodes[cid] = VizNode(
            id=cid,
            iri=term.iri,
            label=term.label,
            zh=term.zh,
            definition=term.definition,
            types=["owl:Class"],
            cls=cid,
        )
    subclass = "rdfs:subClassOf"
    facts: list[VizFact] = []
    for cid in sorted(classes):
        for sup in sorted(set(axioms.get(cid, {}).get(subclass, []))):
            if sup in nodes and sup != cid:
                facts.append(VizFact(s=cid, p=subclass, o=sup, kind="node"))
        for q in classes[cid].evidence:
            facts.append(VizFact(s=cid, p="pkg:evidenceQuote", o=q, kind="literal", lang="en"))
        n = counts.get(cid)
        if n:  # not an ontology term: a count the page shows ("viz:" is no RDF prefix)
            facts.append(
                VizFact(s=cid, p="viz:instances", o=str(n), kind="literal", datatype="xsd:integer")
            )
    if properties:
        for pid, _term in props.items():
            if not pid.startswith("pkg:"):
                continue
            ax = axioms.get(pid, {})
            for d in sorted(set(ax.get("rdfs:domain", []))):
                for r in sorted(set(ax.get("rdfs:range", []))):
                    if d in nodes and r in nodes:
                        facts.append(VizFact(s=d, p=pid, o=r, kind="node"))
    facts.sort(key=lambda f: (f.s, f.p, f.kind, f.o))
    predicates = dict(props)
    predicates[subclass] = Term(
        id=subclass, iri=str(RDFS.subClassOf), label="subclass of", zh="子类"
    )
    predicates["pkg:evidenceQuote"] = _predicate_term("pkg:evidenceQuote", props)
    predicates["viz:instances"] = Term(
        id="viz:instances", iri="", label="instances in the graph", zh="实例数"
    )
    return VizGraph(
        nodes=nodes,
        shown=set(nodes),
        facts=facts,
        passages={},
        classes=classes,
        predicates=dict(sorted(predicates.items())),
        ancestors=ancestors,
        kind="hierarchy",
        title="policykg ontology",
        view="class hierarchy",
    )
