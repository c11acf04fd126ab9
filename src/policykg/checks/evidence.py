"""The evidence checks, as queries on the Oxigraph store (SHACL sees neither files nor graphs).

- every passage's quote is exactly ``text[start:end]`` of its document's stored text (read from
  ``texts_dir / pkg:textFile``, or from the texts not written yet), and the text's SHA-256
  matches ``pkg:textSha256``;
- a named graph whose name is a ``kg:`` IRI is a declared passage;
- every statement about a ``kg:`` entity other than its declaration (type, labels,
  ``pkg:mentionedIn``) lives in a passage graph;
- every ``kg:`` entity a fact links to is declared (has a type).

Each check is one query (or one per document's text), so the cost grows with the data, not with
its square; texts are read one at a time. (MINUS rather than FILTER NOT EXISTS: the same answers
here, where the left side binds every shared variable, and Oxigraph runs it as one anti-join
instead of one sub-query per row: 8x faster at 1M triples.)
"""

from __future__ import annotations

import difflib
import hashlib

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import StoredTextError
from policykg.core.io import read_stored_text
from policykg.core.namespaces import KG, KGG, ONTOLOGY_IRI, PKG, PREFIXES, RDF, RDFS, SKOS
from policykg.rdf.terms import curie, from_oxigraph, ntriples_term, to_oxigraph

from .data import CheckData
from .report import Problem

__all__ = ["DECLARATION_PREDICATES", "check_evidence_data"]

#: Predicates that declare an entity; they may sit outside passage graphs (all others are facts).
#: A draft's marking (pkg:reviewStatus) is a declaration too: it says how the resource was made.
DECLARATION_PREDICATES: frozenset[URIRef] = frozenset(
    [RDF.type, SKOS.prefLabel, RDFS.label, SKOS.altLabel, SKOS.hiddenLabel, PKG.mentionedIn,
     PKG.reviewStatus, URIRef("http://www.w3.org/2002/07/owl#sameAs")]
)

_PASSAGES = """
SELECT ?passage ?quote ?start ?end ?doc ?file ?sha WHERE {
  ?passage a pkg:Passage ; pkg:quote ?quote ; pkg:startOffset ?start ; pkg:endOffset ?end ;
           pkg:inDocument ?doc .
  OPTIONAL { ?doc pkg:textFile ?file }
  OPTIONAL { ?doc pkg:textSha256 ?sha }
}
"""

_GRAPHS_NOT_PASSAGES = """
SELECT ?g (COUNT(*) AS ?n) (SAMPLE(?s) AS ?s1) (SAMPLE(?p) AS ?p1) WHERE {
  { SELECT DISTINCT ?g WHERE { GRAPH ?g { } MINUS { ?g a pkg:Passage } } }
  GRAPH ?g { ?s ?p ?o }
}
GROUP BY ?g
"""


_SAMPLE_OBJECT = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"
_EXEMPT = "ASK { { ?s a pkg:Passage } UNION { ?s pkg:textFile ?f } }"


def _bound_row(data: CheckData, sparql: str, values: dict[str, Node], want: str) -> list[Node]:
    """``[value of want]`` in the first solution of ``sparql`` with ``values`` pre-bound."""
    import pyoxigraph as ox

    subs = {ox.Variable(k): to_oxigraph(v) for k, v in values.items()}
    for row in data.store.query(sparql, use_default_graph_as_union=True, substitutions=subs):
        node = from_oxigraph(row[want])
        assert node is not None
        return [node]
    raise AssertionError("no solution")  # pragma: no cover - the graph holds the statement


def _facts_outside(graph_pattern: str) -> str:
    declarations = ", ".join(ntriples_term(p) for p in sorted(DECLARATION_PREDICATES))
    return f"""
SELECT DISTINCT ?g ?s ?p ?o WHERE {{
  {graph_pattern}
  FILTER(?p NOT IN ({declarations}))
  FILTER(isIRI(?s))
  MINUS {{ ?s a pkg:Passage }}
  MINUS {{ ?s pkg:textFile ?file }}
  MINUS {{ ?s a pkg:AnnotationRun }}
  MINUS {{ ?s a pkg:IdentityMerge }}
  FILTER(STRSTARTS(STR(?s), "{KG}"))
}}
"""


_UNDECLARED_LINKS = f"""
SELECT ?s ?p ?o WHERE {{
  {{ SELECT DISTINCT ?p WHERE {{ ?p a owl:ObjectProperty }} }}
  ?s ?p ?o .
  FILTER(isIRI(?o))
  MINUS {{ ?o a ?type }}
  FILTER(STRSTARTS(STR(?o), "{KG}"))
}}
"""


def check_evidence_data(data: CheckData) -> tuple[list[Problem], int]:
    """Run the evidence checks on ``data``; return the problems and the passages checked."""
    problems = _quotes(data) + _passage_graphs(data) + _undeclared_links(data)
    passages = sum(1 for _ in data.select("SELECT DISTINCT ?p WHERE { ?p a pkg:Passage }"))
    return problems, passages


def _quotes(data: CheckData) -> list[Problem]:
    problems: list[Problem] = []
    by_doc: dict[Node, list[tuple[Node, ...]]] = {}
    docs: dict[Node, tuple[Node | None, Node | None]] = {}
    for row in data.select(_PASSAGES):
        passage, quote, start, end, doc, file, sha = row
        assert doc is not None
        by_doc.setdefault(doc, []).append((passage, quote, start, end))  # type: ignore[arg-type]
        docs.setdefault(doc, (file, sha))
    for doc in sorted(by_doc, key=str):
        rel, digest = docs[doc]
        text: str | None = None
        why = ""
        if rel is None:
            why = f"its document {curie(doc)} has no pkg:textFile, so the quote cannot be checked"
        elif str(rel) in data.texts:
            text = data.texts[str(rel)]
        elif data.texts_dir is None:
            why = f"the stored text graphs/{rel} of {curie(doc)} cannot be read (no text folder)"
        else:
            try:
                text = read_stored_text(data.texts_dir, str(rel))
            except StoredTextError as exc:
                why = f"{exc} (document {curie(doc)})"
        if text is not None and digest is not None:
            actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if str(digest) != actual:
                problems.append(
                    Problem(
                        data.file_of(doc, (doc, PKG.textSha256, digest)),
                        data.label(doc),
                        "stored text unchanged",
                        f"graphs/{rel} changed since the graph was built: "
                        f"its SHA-256 is {actual[:12]}..., "
                        f"pkg:textSha256 says {str(digest)[:12]}...; rebuild with 'policykg build'",
                    )
                )
        for passage, quote, start, end in sorted(by_doc[doc], key=lambda r: str(r[0])):
            if text is None:
                where = data.file_of(passage, (passage, PKG.quote, quote))
                problems.append(Problem(where, data.label(passage), "quote verbatim", why))
                continue
            try:
                a, b = int(str(start)), int(str(end))
            except ValueError:
                continue  # SHACL reports the datatype
            q = str(quote)
            if text[a:b] == q and 0 <= a <= b <= len(text):
                continue
            found = text.find(q)
            hint = (
                f"; the quote occurs at {found}:{found + len(q)}"
                if found >= 0
                else "; the quote does not occur anywhere in the text"
            )
            problems.append(
                Problem(
                    data.file_of(passage, (passage, PKG.quote, quote)),
                    data.label(passage),
                    "quote verbatim",
                    f"the quote {_clip(q)} is not the text at {a}:{b} of graphs/{rel} "
                    f"(which reads {_clip(text[a:b][: max(len(q), 1)])}){hint}",
                )
            )
    return problems


def _passage_graphs(data: CheckData) -> list[Problem]:
    problems: list[Problem] = []
    skip = {ONTOLOGY_IRI, str(KGG.inferred)}
    kg_graphs: set[str] = set()
    for g, n, s1, p1 in data.select(_GRAPHS_NOT_PASSAGES):
        if str(g) in skip or not str(g).startswith(str(KG)):
            continue
        kg_graphs.add(str(g))
        assert g is not None and s1 is not None and p1 is not None
        # a sample statement of the graph tells which file it is in
        first = _bound_row(data, _SAMPLE_OBJECT, {"g": g, "s": s1, "p": p1}, "o")
        problems.append(
            Problem(
                data.file_of(s1, (s1, p1, first[0])),
                curie(g),
                "facts live in passage graphs",
                f"the named graph {curie(g)} holds {n} statements but {curie(g)} "
                "is not declared as a pkg:Passage with a quote",
            )
        )
    rows = list(
        data.select(
            _facts_outside(
                "{ SELECT DISTINCT ?g WHERE { GRAPH ?g { } MINUS { ?g a pkg:Passage } } } "
                "GRAPH ?g { ?s ?p ?o }"
            )
        )
    )
    rows += _default_graph_facts(data)
    seen: set[tuple[str, ...]] = set()
    for g, s, p, o in sorted(rows, key=lambda r: (str(r[0]), str(r[1]), str(r[2]), str(r[3]))):
        if str(g) in skip or str(g) in kg_graphs:
            continue
        assert s is not None and p is not None and o is not None
        key = (str(g), str(s), str(p), str(o))
        if key in seen:
            continue
        seen.add(key)
        problems.append(
            Problem(
                data.file_of(s, (s, p, o)),
                data.label(s),
                "fact without evidence",
                f"'{curie(s)} {curie(p)} {_term(o)}' is not stated by any passage: "
                "put it in the named graph of the passage that states it (TriG), "
                "or under that passage's facts (YAML)",
            )
        )
    return problems


def _default_graph_facts(data: CheckData) -> list[tuple[Node | None, ...]]:
    """The facts about ``kg:`` entities in the default graph (rarely any: files name graphs)."""
    import pyoxigraph as ox

    rows: list[tuple[Node | None, ...]] = []
    for q in data.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        s, p, o = (from_oxigraph(t) for t in (q.subject, q.predicate, q.object))
        if p in DECLARATION_PREDICATES or not (isinstance(s, URIRef) and s.startswith(str(KG))):
            continue
        exempt = data.store.query(
            _EXEMPT,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
            substitutions={ox.Variable("s"): q.subject},
        )
        if not exempt:
            rows.append((URIRef("urn:x-policykg:default-graph"), s, p, o))
    return rows


def _undeclared_links(data: CheckData) -> list[Problem]:
    problems: list[Problem] = []
    reported: set[Node] = set()
    rows = sorted(data.select(_UNDECLARED_LINKS), key=lambda t: tuple(str(x) for x in t))
    declared: list[str] | None = None
    for s, p, o in rows:
        if o in reported:
            continue
        assert s is not None and p is not None and o is not None
        reported.add(o)
        if declared is None:
            declared = sorted(
                str(d)
                for (d,) in data.select(
                    f'SELECT DISTINCT ?d WHERE {{ ?d a ?t FILTER(STRSTARTS(STR(?d), "{KG}")) }}'
                )
            )
        found = difflib.get_close_matches(str(o), declared, n=1, cutoff=0.8)
        hint = f"; did you mean {curie(URIRef(found[0]))}?" if found else ""
        problems.append(
            Problem(
                data.file_of(s, (s, p, o)),
                data.label(s),
                "linked entity declared",
                f"{curie(p)} links to {curie(o)}, which no graph declares (no rdf:type){hint}",
            )
        )
    return problems


def _clip(text: str, width: int = 60) -> str:
    text = text if len(text) <= width else text[: width - 3] + "..."
    return repr(text)


def _term(node: Node) -> str:
    if isinstance(node, Literal):
        return _clip(str(node), 40)
    return curie(node)
