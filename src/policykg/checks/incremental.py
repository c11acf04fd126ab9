"""Validate new documents against what they touch, not against the whole corpus.

A new document is checked together with its *context*, read from the store that holds the corpus:

- the ontology (the store's ontology graph);
- every quad, in any graph, whose subject is a ``kg:`` entity the new document names (as
  subject or object): the entity's declarations, labels and facts, and one of its mentions
  (``pkg:mentionedIn``; an entity of a large corpus has thousands);
- for each such entity and each property it is the value of, one triple that uses it so (with
  the declarations of that triple's subject), so that types implied by ranges are seen;
- the declarations (types, labels) of the entities those quads link to;
- the passage declarations (``?g a pkg:Passage``) of the graphs those quads are in;
- for a passage the new document names, its document's record (the text it quotes).

The same checks as a full validation then run on the new document plus its context, and the
problems kept are those the new document is part of: in its file, or about an entity it names.
The labels the new document states are compared with each other and with every label of the
store (:func:`~policykg.checks.labels.check_labels_against`: the store's entities with a label
equal to or confusable with a new one are looked up, after the other checks; a pair of stored
entities is not reported again).
With a corpus that was valid before, that is the verdict a full validation gives (the
differential tests in ``tests/test_validate_incremental.py`` check it on fixtures and generated
corpora). The cost grows with the new document and the entities it names, not with the corpus.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from rdflib import URIRef

from policykg.core.errors import ParseError
from policykg.core.namespaces import KG, ONTOLOGY_IRI, PREFIXES, XSD, XSD_INTEGER_DERIVED
from policykg.rdf.terms import curie
from policykg.sparql.syntax import bind_each

from .data import CheckData, Source
from .labels import check_labels_against
from .options import DEFAULT_ENGINE
from .report import Problem, Report
from .validate import Progress, validate_data

__all__ = ["context_source", "open_store", "validate_against_store"]

_BATCH = 400
_MENTIONED_IN = "https://w3id.org/policykg/ontology#mentionedIn"


def open_store(path: Path) -> Any:
    """Open an Oxigraph store folder read-only.

    Raises:
        ParseError: the folder is not an Oxigraph store.
    """
    import pyoxigraph as ox

    if not path.is_dir():
        raise ParseError(f"{path}: no such store folder (build one with 'policykg load --store')")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise ParseError(f"{path}: cannot open the store: {exc}") from None


def _named(new: Sequence[Source]) -> list[str]:
    """The ``kg:`` IRIs the new sources name, as subject or object."""
    import pyoxigraph as ox

    names: set[str] = set()
    prefix = str(KG)
    for source in new:
        for q in source.quads():
            for term in (q.subject, q.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(prefix):
                    names.add(term.value)
    return sorted(names)


def _iris(new: Sequence[Source]) -> list[Any] | None:
    """The IRIs of the new sources, as subject or object; ``None`` when they have blank nodes."""
    import pyoxigraph as ox

    found: set[str] = set()
    for source in new:
        for q in source.quads():
            for term in (q.subject, q.object):
                if isinstance(term, ox.NamedNode):
                    found.add(term.value)
                elif isinstance(term, ox.BlankNode):
                    return None
    return [URIRef(i) for i in sorted(found | {ONTOLOGY_IRI})]


def _terms(new: Sequence[Source]) -> set[str]:
    """Every IRI and blank node label of the new sources (the SHACL focus nodes reported)."""
    found: set[str] = set()
    for source in new:
        for q in source.quads():
            for term in (q.subject, q.object):
                if not hasattr(term, "language"):
                    found.add(term.value)
    return found


def _documents_of(store: Any, names: Sequence[str]) -> set[str]:
    """The documents of the passages among ``names`` (their records hold the text's file)."""
    found: set[str] = set()
    for i in range(0, len(names), _BATCH):
        rows = store.query(
            bind_each(
                "SELECT DISTINCT ?d WHERE { ?p pkg:inDocument ?d FILTER(isIRI(?d)) }",
                "p",
                [URIRef(n) for n in names[i : i + _BATCH]],
            ),
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
        )
        found |= {row["d"].value for row in rows}
    return found


def context_source(store: Any, names: Sequence[str], *, name: str) -> list[Source]:
    """The context of entities ``names`` in ``store``: see the module's description.

    Two sources, both named ``name``: the store's ontology graph (what HermiT checks alone,
    its verdict cached) and the rest of the context.
    """
    import pyoxigraph as ox

    ontology = ox.NamedNode(ONTOLOGY_IRI)
    onto_quads: list[Any] = list(store.quads_for_pattern(None, None, None, ontology))
    quads: list[Any] = []
    graphs: set[Any] = set()
    subjects: set[str] = set()
    names = sorted(set(names) | _documents_of(store, names))
    for i in range(0, len(names), _BATCH):
        batch = [URIRef(n) for n in names[i : i + _BATCH]]
        # every quad about the entity but its mentions, and one mention (an entity named in
        # thousands of passages has thousands: one shows it has evidence, which is all a check
        # of the new document asks of them)
        about = store.query(
            bind_each(
                "SELECT ?s ?p ?o ?g WHERE { { GRAPH ?g { ?s ?p ?o } FILTER(?p != pkg:mentionedIn) }"
                " UNION { ?s ?p ?o FILTER(?p != pkg:mentionedIn) } }",
                "s",
                batch,
            ),
            prefixes=PREFIXES,
        )
        mentions = store.query(
            bind_each(
                "SELECT ?s (SAMPLE(?o) AS ?o1) WHERE { ?s pkg:mentionedIn ?o } GROUP BY ?s",
                "s",
                batch,
            ),
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
        )
        for row in mentions:
            quads.append(ox.Quad(row["s"], ox.NamedNode(_MENTIONED_IN), row["o1"], ontology))
            if isinstance(row["o1"], ox.NamedNode):
                subjects.add(row["o1"].value)
        for row in about:
            g = row["g"]
            graph = g if g is not None else ox.DefaultGraph()
            quads.append(ox.Quad(row["s"], row["p"], row["o"], graph))
            if g is not None and g != ontology:
                graphs.add(g)
            if isinstance(row["o"], ox.NamedNode):
                subjects.add(row["o"].value)
        used = store.query(
            bind_each(
                "SELECT ?x ?p (SAMPLE(?s) AS ?s1) WHERE { GRAPH ?g { ?s ?p ?x } FILTER(isIRI(?s)) }"
                " GROUP BY ?x ?p",
                "x",
                batch,
            ),
        )
        for row in used:
            s1 = row["s1"]
            subjects.add(s1.value)
            for hit in store.quads_for_pattern(s1, row["p"], row["x"], None):
                quads.append(hit)
                graphs.add(hit.graph_name)
                break
    # (index look-ups: a query joining VALUES of subjects and predicates scans the store)
    declarations = [
        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
        ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
        ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    ]
    for subject in sorted(subjects - set(names)):
        node = ox.NamedNode(subject)
        for pred in declarations:
            quads.extend(store.quads_for_pattern(node, pred, None, None))
    passage = ox.NamedNode("https://w3id.org/policykg/ontology#Passage")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for g in graphs:
        if any(True for _ in store.quads_for_pattern(g, rdf_type, passage, None)):
            quads.append(ox.Quad(g, rdf_type, passage, ontology))
    both = _retype(onto_quads + quads)
    onto_quads, quads = both[: len(onto_quads)], both[len(onto_quads) :]
    return [
        Source(name, lambda: onto_quads, ontology=True),
        Source(name, lambda: quads, ontology=True, context=True),
    ]


_DERIVED = {str(t) for t in XSD_INTEGER_DERIVED}


def _retype(quads: list[Any]) -> list[Any]:
    """Give integers back the derived datatype their property's range names.

    Oxigraph's store keeps every integer-derived literal (``xsd:nonNegativeInteger``...) as
    ``xsd:integer``; the SHACL shapes ask for the datatype as written, which the ranges name.
    """
    import pyoxigraph as ox

    rng = "http://www.w3.org/2000/01/rdf-schema#range"
    ranges = {
        q.subject.value: q.object.value
        for q in quads
        if q.predicate.value == rng
        and isinstance(q.object, ox.NamedNode)
        and q.object.value in _DERIVED
    }
    if not ranges:
        return quads
    out = []
    for q in quads:
        o = q.object
        dt = ranges.get(q.predicate.value)
        if dt is not None and isinstance(o, ox.Literal) and o.datatype.value == str(XSD.integer):
            o = ox.Literal(o.value, datatype=ox.NamedNode(dt))
            q = ox.Quad(q.subject, q.predicate, o, q.graph_name)
        out.append(q)
    return out


def validate_against_store(
    new: Sequence[Source],
    store: Any,
    *,
    store_name: str,
    texts_dir: Path | None,
    texts: Mapping[str, str] | None = None,
    shapes: Any = None,
    shacl: bool = True,
    evidence: bool = True,
    queries: bool = True,
    owl: bool | str = "sparql",
    engine: str = DEFAULT_ENGINE,
    progress: Progress | None = None,
) -> Report:
    """Validate the ``new`` sources against their context in ``store`` (an Oxigraph store).

    Args:
        new: the new document(s), parsed.
        store: the corpus (a pyoxigraph ``Store``, see :func:`open_store`).
        store_name: how messages name the store.
        texts_dir: where the new documents' ``pkg:textFile`` paths point into.
        texts: stored texts not written yet.
        shapes: the SHACL shapes (graph or file; default ``ontology/shapes.ttl``).
        shacl: run the SHACL shapes.
        evidence: run the evidence checks.
        queries: run the ``*-violation`` queries.
        owl: the consistency check (default ``"sparql"``: the queries, complete for the
            ontology's axioms, and HermiT on the ontology alone, cached).
        engine: the SHACL engine.
        progress: called with each stage's name as it starts.

    Returns:
        The report of the problems the new documents are part of.
    """
    t0 = time.perf_counter()
    if progress is not None:
        progress("context")
    names = _named(new)
    context = context_source(store, names, name=store_name)
    mine = _terms(new) | {ONTOLOGY_IRI}
    data = CheckData.load([*context, *new], texts_dir=texts_dir, texts=texts)
    load = time.perf_counter() - t0
    try:
        report = validate_data(
            data,
            shapes=shapes,
            shacl=shacl,
            evidence=evidence,
            queries=queries,
            owl=owl,
            engine=engine,
            progress=progress,
            focus=lambda node: str(node) in mine,
            focus_nodes=_iris(new),
            labels=False,
        )
        named_like: list[Problem] = []
        if queries:  # the new labels against each other and the store's (issue 25 N16)
            t1 = time.perf_counter()
            named_like = check_labels_against(
                data, store, (q for source in new for q in source.quads())
            )
            report.timings["queries"] = report.timings.get("queries", 0.0) + (
                time.perf_counter() - t1
            )
        report.problems = _touching(data, report.problems, new, names, keep=named_like)
    finally:
        data.close()
    report.files = [s.name for s in new]
    report.timings["context"] = load
    return report


def _touching(
    data: CheckData,
    problems: Sequence[Problem],
    new: Sequence[Source],
    names: Sequence[str],
    *,
    keep: Collection[Problem] = (),
) -> list[Problem]:
    """The problems the new sources are part of: in their files or about what they name.

    ``keep`` are kept all (the label warnings, of pairs with a new label only); one about a
    stored entity is filed, like one about an entity the new sources name, under the last of
    them.
    """
    files = {s.name for s in new}
    labels = {data.label(URIRef(n)) for n in names} | {curie(URIRef(n)) for n in names}
    kept: list[Problem] = []
    keep = set(keep)
    for p in [*problems, *keep]:
        if p.file in files:
            kept.append(p)
        elif p.entity in labels or p in keep:
            kept.append(Problem(new[-1].name, p.entity, p.rule, p.message, p.severity))
    return sorted(
        set(kept), key=lambda p: (p.severity != "violation", p.file, p.entity, p.rule, p.message)
    )
