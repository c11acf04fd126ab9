"""The knowledge graph object: files loaded once, queried many times."""

from __future__ import annotations

import datetime as _dt
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import ParseError
from policykg.graph import entities, export, named, network
from policykg.rdf.graphio import GraphFile, graph_files, load_dataset
from policykg.rdf.terms import local_name
from policykg.sparql.results import QueryResult
from policykg.store.backends import Backend, open_backend

if TYPE_CHECKING:
    from collections.abc import Sequence

    import networkx as nx
    from rdflib import Dataset

    from policykg.graph.entities import Description, Evidence, Fact
    from policykg.graph.network import Centrality, FactPath
    from policykg.sparql.catalogue import NamedQuery

__all__ = ["PolicyKG", "StaleInferenceWarning", "load", "parse_day", "warn_if_stale"]


class PolicyKG:
    """The policy knowledge graph: ontology, document graphs and extensions, ready to query.

    Create it with :func:`load`. SPARQL runs on :attr:`backend` over the union of all named graphs;
    :attr:`dataset` gives the same content as an rdflib ``Dataset`` for modelling and export.

    Attributes:
        files: the files loaded, in load order.
        backend: executes SPARQL.
        cached_index: the whole label, type and passage index once
            :func:`policykg.graph.entities.index` has built it (``None`` before).
        cached_network: the entity network once :func:`policykg.graph.network.network` has
            built it (``None`` before).
    """

    def __init__(self, files: list[GraphFile], backend: Backend) -> None:
        self.files = files
        self.backend = backend
        self.cached_index: entities.GraphIndex | None = None
        self.cached_network: network.Network | None = None
        #: whether the drafted layer (unreviewed statements) is loaded
        self.drafts = False

    @cached_property
    def dataset(self) -> Dataset:
        """The graph as an rdflib Dataset (parsed on first use), default graph = union."""
        if self.backend.name == "memory":
            return load_dataset(self.files)
        from rdflib import Dataset

        ds = Dataset(default_union=True)
        for s, p, o, g in self.backend.quads():
            ds.add((s, p, o, g if g is not None else ds.default_graph.identifier))  # type: ignore[arg-type]
        return ds

    def query(self, sparql: str, /, **bindings: Node | str | int | float) -> QueryResult:
        """Run a SPARQL query; keyword arguments pre-bind variables (values are never spliced in).

        Args:
            sparql: the query; the project's prefixes (``pkg:``, ``kg:``, ``skos:``, ...) are
                predeclared.
            **bindings: variable name -> rdflib term (or a Python value, bound as a literal).

        Raises:
            QueryError: the query is malformed or cannot be evaluated.
        """
        terms: dict[str, Node] = {
            k: v if isinstance(v, Node) else Literal(v) for k, v in bindings.items()
        }
        return self.backend.query(sparql, terms)

    def stats(self) -> dict[str, int]:
        """Count instances per ontology class (asserted types only), the biggest first."""
        res = self.query(
            """SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
                 ?s a ?class . FILTER(STRSTARTS(STR(?class), STR(pkg:)))
               } GROUP BY ?class ORDER BY DESC(?n) ?class"""
        )
        rows = [(c, n) for c, n in res.rows if c is not None and n is not None]
        return {local_name(str(c)): int(str(n)) for c, n in rows}

    def label(self, iri: URIRef | str, lang: str = "en") -> str:
        """Return an entity's preferred label in ``lang`` (falling back to its local name)."""
        res = self.query(
            "SELECT ?l WHERE { ?e skos:prefLabel|rdfs:label ?l . FILTER(LANG(?l) = ?lang) }"
            " LIMIT 1",
            e=URIRef(str(iri)),
            lang=lang,
        )
        return str(res.rows[0][0]) if res.rows else local_name(str(iri))

    # -- query helpers (thin wrappers over policykg.graph.*) --------

    def named(self, name: str | NamedQuery, /, **bindings: Any) -> QueryResult:
        """Run a named query (``policykg queries`` lists them) with parameter values.

        Args:
            name: the query's name, e.g. ``cq-2-soe-functions``.
            **bindings: parameter values: rdflib terms, or strings (an entity parameter takes an
                IRI, a CURIE such as ``kg:high-end-chips`` or a label in English or Chinese).

        Raises:
            UnknownQueryError: no query has that name (the message suggests the nearest).
            QueryError: an unknown parameter, or the query failed.
            UnknownEntityError: an entity parameter names nothing in the graph.
        """
        return named.named(self, name, **bindings)

    def find(self, text: str, lang: str | None = None) -> QueryResult:
        """Search labels (preferred, alternative, rdfs:label) containing ``text``, ignoring case.

        Args:
            text: English or Chinese text.
            lang: keep labels in this language only (``en``, ``zh``).
        """
        return entities.find(self, text, lang)

    def describe(self, entity: str | Node) -> Description:
        """Return every fact about an entity (IRI, CURIE or label), each with its evidence.

        Raises:
            UnknownEntityError: the entity is unknown; the message suggests the nearest labels.
        """
        return entities.describe(self, entity)

    def evidence(self, target: str | Node | Fact | Sequence[Any]) -> list[Evidence]:
        """Return the passages stating a fact ``(subject, predicate, object)`` or naming an entity.

        Raises:
            UnknownEntityError: a name resolves to nothing.
        """
        return entities.evidence(self, target)

    def neighbours(self, entity: str | Node, depth: int = 1) -> list[Fact]:
        """Return the facts within ``depth`` steps of an entity, nearest first.

        Raises:
            UnknownEntityError: the entity is unknown.
        """
        return network.neighbours(self, entity, depth)

    def path(self, a: str | Node, b: str | Node) -> FactPath | None:
        """Return the shortest chain of facts between two entities (``None`` if unconnected).

        Raises:
            UnknownEntityError: either entity is unknown.
        """
        return network.path(self, a, b)

    def to_networkx(self) -> nx.MultiDiGraph:
        """Return the entity network (nodes: label and class; edges: predicate and its label)."""
        return network.to_networkx(self)

    def central(
        self, n: int = 10, *, measure: str = "degree", concepts_only: bool = True
    ) -> list[Centrality]:
        """Return the ``n`` most central concepts by a networkx measure (default: degree)."""
        return network.central(self, n, measure=measure, concepts_only=concepts_only)

    def export(
        self, fmt: str, out: str | Path | None = None, *, ontology: bool = True
    ) -> bytes:
        """Serialize the graph as ttl, trig, nt, jsonld, graphml, gexf or csv.

        Args:
            fmt: the output format.
            out: a file to write (atomically); the bytes are returned either way.
            ontology: include the ontology's own graph in RDF formats (default ``True``).
        """
        return export.export(self, fmt, out=out, ontology=ontology)

    def close(self) -> None:
        """Release the backend."""
        self.backend.close()

    def __enter__(self) -> PolicyKG:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def load(
    *,
    inferred: bool = False,
    extensions: bool = True,
    extra: tuple[str | Path, ...] = (),
    store: str | Path | None = None,
    endpoint: str | None = None,
    drafts: bool = False,
    as_of: _dt.date | str | None = None,
    corpus: str | Path | None = None,
) -> PolicyKG:
    """Load the knowledge graph: the ontology, every document graph and the extensions.

    Args:
        inferred: also load the triples ``policykg reason`` inferred.
        extensions: load the files in ``graphs/extensions/`` (default ``True``).
        extra: further RDF files to load (Turtle files each into their own named graph).
        store: query a persistent Oxigraph store folder instead of loading files.
        endpoint: query a remote SPARQL 1.1 endpoint instead of loading files.
            When neither is given, the environment variables ``POLICYKG_STORE`` and
            ``POLICYKG_ENDPOINT`` are used if set (so every command can be pointed at a store
            or a server).
        drafts: also load the drafted layer of the imported corpus (unreviewed statements;
            default ``False``: reviewed knowledge and the documents' records only).
        as_of: keep only the corpus documents issued by that day (a ``datetime.date`` or
            ``YYYY-MM-DD``).
        corpus: the folder of an imported corpus (default ``graphs/corpus``).

    Returns:
        The :class:`PolicyKG`, ready to query.

    Raises:
        ParseError: a file is missing or malformed.
        BackendError: the store or endpoint cannot be opened.
    """
    if isinstance(as_of, str):
        as_of = parse_day(as_of)
    files = graph_files(
        inferred=inferred, extensions=extensions, extra=tuple(Path(p) for p in extra),
        corpus=Path(corpus) if corpus is not None else None, drafts=drafts, as_of=as_of,
    )
    if inferred:
        warn_if_stale(files)
    if store is None and endpoint is None:
        import os

        store = os.environ.get("POLICYKG_STORE") or None
        endpoint = os.environ.get("POLICYKG_ENDPOINT") or None
    backend = open_backend(
        files, store=Path(store) if store is not None else None, endpoint=endpoint
    )
    kg = PolicyKG(files, backend)
    kg.drafts = drafts
    return kg


def parse_day(value: str) -> _dt.date:
    """Read a ``YYYY-MM-DD`` day (``--as-of``).

    Raises:
        ParseError: it is not one.
    """
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise ParseError(f"--as-of {value!r}: not a day (YYYY-MM-DD)") from None


class StaleInferenceWarning(UserWarning):
    """``graphs/inferred.ttl`` is older than a file of the graph it was inferred from."""


def warn_if_stale(files: list[GraphFile]) -> None:
    """Warn (:class:`StaleInferenceWarning`) when the inferred triples predate the graph."""
    import warnings

    inferred = [f.path for f in files if f.graph is not None and f.graph.endswith("inferred")]
    if not inferred:
        return
    made = inferred[0].stat().st_mtime
    # a second of slack: a fresh clone writes every file at about the same time
    newer = [f.path for f in files
             if f.path not in inferred and f.path.stat().st_mtime > made + 1.0]
    if newer:
        warnings.warn(
            f"{inferred[0]} is older than {newer[0]}"
            + (f" and {len(newer) - 1} other file(s)" if len(newer) > 1 else "")
            + ": the inferred triples may be out of date; run 'policykg reason'",
            StaleInferenceWarning,
            stacklevel=3,
        )
