"""The workbench's filter: queries within some documents and years, drafts only when asked.

A *scope* is the request's ``doc`` (a document: ``kg:gwr-2024``, ``gwr-2024`` or its IRI; may
repeat), ``year`` (a ``pkg:publicationYear``; may repeat) and ``drafts`` (``1`` to include drafts)
parameters. It is applied as the SPARQL dataset of the query (the default graph and the named
graphs are the graphs in scope), so every query, named or typed, runs within it unchanged:

- a passage's graph (named by the passage, ``?p pkg:inDocument ?doc``) is in scope when its
  document is, and, when it is a draft (``?p pkg:reviewStatus pkg:Unreviewed``), only with
  ``drafts=1``;
- a document's own graph (``kgg:<slug>`` for ``kg:<slug>``) is in scope when its document is;
- every other graph (the ontology, extensions) is always in scope.

Without a document or year and with no draft in the graph, nothing is restricted (the default
graph stays the union of all graphs, as before). Draft resources declared in a document graph
(a draft passage's record) stay visible there; their statements, which live in the draft
passage's graph, do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policykg.core.errors import QueryError
from policykg.core.namespaces import PREFIXES

__all__ = ["DOCUMENTS_QUERY", "DRAFTS_QUERY", "Scope", "ScopeIndex", "documents_json",
           "parse_scope", "scoped_graphs"]

PKG = PREFIXES["pkg"]
KG = PREFIXES["kg"]
KGG = PREFIXES["kgg"]
UNREVIEWED = PKG + "Unreviewed"

#: The documents and their years, for the filter's choices (``/api/documents``).
DOCUMENTS_QUERY = """
SELECT DISTINCT ?doc ?year ?type ?label WHERE {
  ?doc pkg:publicationYear ?year .
  OPTIONAL { ?doc a ?type . FILTER(STRSTARTS(STR(?type), STR(pkg:))) }
  OPTIONAL { ?doc rdfs:label ?label }
}
ORDER BY ?year ?doc
"""
#: Every draft resource (``/api/drafts``, to mark them "draft" in the workbench).
DRAFTS_QUERY = "SELECT DISTINCT ?x WHERE { ?x pkg:reviewStatus pkg:Unreviewed } ORDER BY ?x"

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


@dataclass(frozen=True)
class Scope:
    """What a request asks to see: documents (IRIs), years, and whether drafts are included."""

    docs: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    drafts: bool = False

    def as_job(self) -> dict[str, Any]:
        """The scope as the plain mapping a query worker receives."""
        return {"docs": list(self.docs), "years": list(self.years), "drafts": self.drafts}


def _doc_iri(value: str) -> str:
    value = value.strip()
    if value.startswith("kg:"):
        return KG + value[3:]
    if value.startswith(("http://", "https://")):
        return value
    return KG + value


def parse_scope(values: dict[str, list[str]]) -> Scope:
    """The scope a request's ``doc``, ``year`` and ``drafts`` parameters ask for.

    Raises:
        QueryError: a year that is not a number, or a ``drafts`` value that is not a yes or no.
    """
    docs = tuple(dict.fromkeys(_doc_iri(v) for v in values.get("doc", []) if v.strip()))
    years: list[int] = []
    for v in values.get("year", []):
        if not v.strip():
            continue
        if not v.strip().isdigit() or len(v.strip()) > 4:
            raise QueryError(f"year={v.strip()[:20]!r} is not a year (give e.g. year=2024)")
        years.append(int(v.strip()))
    flags = [v.strip().lower() for v in values.get("drafts", [])]
    for flag in flags:
        if flag not in _TRUE | _FALSE:
            raise QueryError(f"drafts={flag[:20]!r}: give drafts=1 to show drafts, drafts=0 to "
                             "hide them")
    return Scope(docs, tuple(sorted(set(years))), any(f in _TRUE for f in flags))


def _values(store: Any, query: str, *names: str) -> list[tuple[str, ...]]:
    rows = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    return [tuple(getattr(row[n], "value", "") if row[n] is not None else "" for n in names)
            for row in rows]


@dataclass(frozen=True)
class ScopeIndex:
    """What scoping needs to know of a graph, read once per query worker."""

    has_drafts: bool
    year_of: dict[str, str]
    drafts: frozenset[str]
    doc_of: dict[str, str]
    graphs: tuple[str, ...]

    @classmethod
    def build(cls, store: Any) -> ScopeIndex:
        """Read the documents, their years, the passages and the drafts of ``store``."""
        has_drafts = bool(store.query("ASK { ?x pkg:reviewStatus pkg:Unreviewed }",
                                      prefixes=PREFIXES, use_default_graph_as_union=True))
        year_of = {d: y for d, y in _values(
            store, "SELECT ?d ?y WHERE { ?d pkg:publicationYear ?y }", "d", "y")}
        drafts = frozenset(x for (x,) in _values(store, DRAFTS_QUERY, "x")) if has_drafts \
            else frozenset()
        doc_of = {p: d for p, d in _values(
            store, "SELECT ?p ?d WHERE { ?p pkg:inDocument ?d }", "p", "d")}
        graphs = tuple(sorted(g.value for g in store.named_graphs() if hasattr(g, "value")))
        return cls(has_drafts, year_of, drafts, doc_of, graphs)


def scoped_graphs(store: Any, scope: dict[str, Any],
                  cache: dict[str, Any] | None = None) -> list[str] | None:
    """The graphs (IRIs) a query in ``scope`` runs over, or ``None`` for all of them.

    Args:
        store: the pyoxigraph store.
        scope: :meth:`Scope.as_job`.
        cache: a mapping kept by the caller (one per query worker, whose graph does not change)
            where the :class:`ScopeIndex` is kept between queries.

    Raises:
        QueryError: a document the graph does not hold.
    """
    docs = set(scope.get("docs") or [])
    years = set(scope.get("years") or [])
    drafts = bool(scope.get("drafts"))
    index = cache.get("scope") if cache is not None else None
    if not isinstance(index, ScopeIndex):
        index = ScopeIndex.build(store)
        if cache is not None:
            cache["scope"] = index
    if not docs and not years and (drafts or not index.has_drafts):
        return None
    year_of = index.year_of
    unknown = sorted(docs - set(year_of))
    if unknown:
        known = ", ".join(sorted("kg:" + d[len(KG):] if d.startswith(KG) else d
                                 for d in year_of)[:12])
        shown = "kg:" + unknown[0][len(KG):] if unknown[0].startswith(KG) else unknown[0]
        raise QueryError(f"doc={shown[:80]!r} is not a document of this graph (known: {known})")
    wanted = set(docs or year_of)
    if years:
        wanted = {d for d in wanted if year_of[d].isdigit() and int(year_of[d]) in years}
    doc_graphs = {KGG + d[len(KG):]: d for d in year_of if d.startswith(KG)}
    out: list[str] = []
    for g in index.graphs:
        if g in index.doc_of:
            if index.doc_of[g] in wanted and (drafts or g not in index.drafts):
                out.append(g)
        elif g in doc_graphs:
            if doc_graphs[g] in wanted:
                out.append(g)
        else:
            out.append(g)
    return out


def documents_json(bindings: list[dict[str, Any]]) -> dict[str, Any]:
    """The filter's choices from :data:`DOCUMENTS_QUERY`'s SPARQL JSON bindings."""
    docs: dict[str, dict[str, Any]] = {}
    for b in bindings:
        iri = b["doc"]["value"]
        entry = docs.setdefault(iri, {
            "id": "kg:" + iri[len(KG):] if iri.startswith(KG) else iri, "iri": iri,
            "year": b["year"]["value"], "label": "", "types": []})
        if "label" in b and (not entry["label"] or b["label"].get("xml:lang") == "en"):
            entry["label"] = b["label"]["value"]
        if "type" in b:
            t = "pkg:" + b["type"]["value"][len(PKG):]
            if t not in entry["types"]:
                entry["types"].append(t)
    for entry in docs.values():
        entry["types"].sort()
        entry["label"] = entry["label"] or entry["id"]
    items = sorted(docs.values(), key=lambda e: (e["year"], e["id"]))
    years = sorted({e["year"] for e in items if str(e["year"]).isdigit()}, key=int)
    return {"documents": items, "years": [int(y) for y in years]}
