"""What a validation checks, loaded once into an in-memory Oxigraph store.

Every check takes a :class:`CheckData` explicitly (like pySHACL's ``validate(data_graph,
shacl_graph=...)``): the store holds the quads of every input with their named graphs; each
:class:`Source` remembers which input the quads came from, so that a problem names its file; the
folder the stored texts are read from (``pkg:textFile`` is relative to it) is given, not looked
up. The SHACL engines read the union as an N-Triples file written while loading, with every
literal as written: Oxigraph's store keeps ``xsd:nonNegativeInteger`` values as ``xsd:integer``,
which ``sh:datatype`` would then reject.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import ParseError
from policykg.core.namespaces import (
    ONTOLOGY_IRI,
    PREFIXES,
    RDFS,
    SKOS,
    XSD,
    XSD_INTEGER_DERIVED,
)
from policykg.core.paths import project_root
from policykg.rdf.graphio import (
    GraphFile,
    extension_graph,
    graph_files,
    load_dataset,
    names_its_graphs,
    refuse_deep_or_huge,
    refuse_xml_entities_in_file,
)
from policykg.rdf.terms import curie, from_oxigraph, to_oxigraph

from .fileindex import FileIndex

Quad = tuple[Node, Node, Node, URIRef | None]
_DEFAULT_GRAPH = URIRef("urn:x-rdflib:default")

__all__ = [
    "MAX_VALIDATE_BYTES",
    "CheckData",
    "Part",
    "Source",
    "check_input_size",
    "display_path",
    "graph_data",
    "load_sources",
    "part_source",
    "project_files",
    "project_parts",
    "project_sources",
    "read_part",
]

#: Files larger than this are parsed by Oxigraph (rdflib's messages are kept for small files).
OXIGRAPH_PARSE_BYTES = 256_000
_CHUNK = 100_000


@dataclass(frozen=True)
class Source:
    """One input of a validation.

    Attributes:
        name: how messages name it (a path relative to the project folder when inside it).
        quads: a function returning its pyoxigraph quads, as parsed (called when loading and,
            rarely, when problems are found, once more to tell which file says what: see
            :meth:`CheckData.file_of`).
        ontology: ``True`` for the ontology (never blamed when a user file also fits).
        context: ``True`` for quads read from a store around new documents (blamed like the
            ontology, but no part of the ontology HermiT checks alone).
    """

    name: str
    quads: Callable[[], Iterable[Any]]
    ontology: bool = False
    context: bool = False


@dataclass(frozen=True)
class Part:
    """The quads of one input (a file, or triples about to be written).

    Attributes:
        name: how messages name it (a path relative to the project folder when inside it).
        quads: (subject, predicate, object, graph); graph ``None`` = the default graph.
        ontology: ``True`` for the ontology itself (never blamed when a user file also fits).
    """

    name: str
    quads: tuple[Quad, ...]
    ontology: bool = False


def display_path(path: Path) -> str:
    """Return ``path`` relative to the project folder when inside it, else as given."""
    try:
        return path.resolve().relative_to(project_root().resolve()).as_posix()
    except ValueError:
        return str(path)


def read_part(file: GraphFile) -> Part:
    """Parse one graph file.

    Oxigraph parses a Turtle, TriG, N-Triples or N-Quads file rdflib would read the same
    (:func:`_ox_part_quads`), ten times faster; rdflib reads the others, and any file Oxigraph
    refuses (for its message).

    Raises:
        ParseError: the file cannot be read or parsed; the message names file and line.
    """
    quads = _ox_part_quads(file)
    if quads is None:
        quads = _rdflib_quads(file)
    return Part(display_path(file.path), tuple(quads), ontology=file.graph == URIRef(ONTOLOGY_IRI))


def _rdflib_quads(file: GraphFile) -> list[Quad]:
    """The quads of ``file`` as rdflib reads it (:func:`load_dataset`).

    Raises:
        ParseError: the file cannot be read or parsed; the message names file and line.
    """
    ds = load_dataset([file])
    quads: list[Quad] = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        graph = None if name is None or name == _DEFAULT_GRAPH else URIRef(str(name))
        quads.append((s, p, o, graph))
    return quads


#: What rdflib keeps and Oxigraph does not, so that rdflib reads a file that has it: a datatype
#: written ``xsd:string`` (Oxigraph cannot tell it from a plain literal), a language tag with a
#: capital (Oxigraph lower-cases it, rdflib's parser keeps it).
_RDFLIB_ONLY = re.compile(rb"\^\^\s*<?[^\s>]*string\b|[\"']@[A-Za-z0-9-]*[A-Z]")


def _ox_part_quads(file: GraphFile) -> list[Quad] | None:
    """The quads rdflib's :func:`load_dataset` gives for ``file``, read by Oxigraph.

    :func:`_ox_as_rdflib_reads` gives rdflib's canonical literals; a quad the file states twice
    is kept once, as rdflib keeps it. ``None`` when rdflib is to read the file: a format, or a
    file, Oxigraph does not read as rdflib does (an explicit ``xsd:string``, a language tag with
    a capital, a graph named by a blank node, what
    :func:`~policykg.rdf.graphio.refuse_deep_or_huge` refuses, what Oxigraph cannot parse).
    """
    import pyoxigraph as ox

    try:
        raw = file.path.read_bytes()
        refuse_deep_or_huge(file.path, raw.decode("utf-8", errors="replace"))
    except (OSError, ParseError):
        return None
    if _RDFLIB_ONLY.search(raw):
        return None
    parsed = _ox_as_rdflib_reads(file.path, file.graph)
    if parsed is None:
        return None
    quads: dict[Quad, None] = {}
    for q in parsed:
        g = q.graph_name
        if isinstance(g, ox.BlankNode):
            return None
        graph = None if isinstance(g, ox.DefaultGraph) else URIRef(g.value)
        s, p, o = from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)
        quads[(s, p, o, graph)] = None  # type: ignore[index]  # (never None: terms of a quad)
    return list(quads)


#: The largest file ``validate`` checks in memory (issue 25 N19: 49 MB ran over 300 s).
MAX_VALIDATE_BYTES = 16_000_000


def check_input_size(path: Path) -> None:
    """Refuse a file given to check that is larger than :data:`MAX_VALIDATE_BYTES`.

    Raises:
        ParseError: the file is too large (the message says what to do instead).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if size > MAX_VALIDATE_BYTES:
        raise ParseError(
            f"{path}: {size / 1e6:.1f} MB is more than 'policykg validate' checks "
            f"({MAX_VALIDATE_BYTES // 1_000_000} MB: SHACL and OWL run in memory); load it into a "
            "store with 'policykg load --store DIR FILE' and query it there, or split it"
        )


def project_files(paths: Sequence[str | Path] = (), *, extensions: bool = True) -> list[GraphFile]:
    """The ontology, every data graph, the extensions and the files given.

    A file given that is already part of the project (for example in ``graphs/extensions/``) is
    read once.
    """
    files = graph_files(extensions=extensions)
    seen = {f.path.resolve() for f in files}
    extra = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise ParseError(f"{path}: no such file")
        check_input_size(path)
        if path.resolve() not in seen:
            seen.add(path.resolve())
            extra.append(path)
    for path in extra:
        files.append(GraphFile(path, None if names_its_graphs(path) else extension_graph(path)))
    return files


def project_parts(paths: Sequence[str | Path] = (), *, extensions: bool = True) -> list[Part]:
    """Read (with rdflib) the ontology, every data graph, the extensions and the files given."""
    return [read_part(f) for f in project_files(paths, extensions=extensions)]


def project_sources(paths: Sequence[str | Path] = (), *, extensions: bool = True) -> list[Source]:
    """The project's files and the files given as sources (Oxigraph parses the large ones)."""
    files = project_files(paths, extensions=extensions)
    onto = URIRef(ONTOLOGY_IRI)
    return load_sources(
        files, [display_path(f.path) for f in files], [f.graph == onto for f in files]
    )


def _ox_file_quads(path: Path, graph: URIRef | None) -> Callable[[], Iterator[Any]]:
    import pyoxigraph as ox

    def read() -> Iterator[Any]:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        if fmt is None:
            raise ParseError(f"{path}: unknown RDF file extension")
        to = ox.NamedNode(str(graph)) if graph is not None else None
        if fmt == ox.RdfFormat.RDF_XML:
            refuse_xml_entities_in_file(path)  # issue 25 N10
        try:
            for q in ox.parse(path=str(path), format=fmt):
                if _rdf12_only(q):
                    raise ParseError(f"{path}: {RDF12_REFUSAL}")
                if to is not None:
                    yield ox.Quad(q.subject, q.predicate, q.object, to)
                else:
                    yield q
        except SyntaxError as exc:
            raise ParseError(f"{path}: syntax error: {str(exc).splitlines()[0]}") from None
        except OSError as exc:
            raise ParseError(f"{path}: cannot read: {exc.strerror}") from None

    return read


def load_sources(
    files: Sequence[Any], names: Sequence[str], ontology: Sequence[bool]
) -> list[Source]:
    """Sources for graph files (``GraphFile``): Oxigraph parses the large ones, rdflib the others.

    Raises:
        ParseError: a file cannot be read or parsed (the message names the file, and the line for
            files rdflib parses).
    """
    out: list[Source] = []
    for f, name, onto in zip(files, names, ontology, strict=True):
        path = Path(f.path)
        if not path.exists():
            raise ParseError(f"{path}: no such file")
        refuse_deep_or_huge(path)  # issue 25 N26/N19: what add refuses, validate refuses
        if path.stat().st_size > OXIGRAPH_PARSE_BYTES:
            out.append(Source(name, _ox_file_quads(path, f.graph), onto))
            continue
        quads = _ox_as_rdflib_reads(path, f.graph)
        if quads is None:  # rdflib's reading: its message, or what it reads that Oxigraph refuses
            part = read_part(f)
            out.append(part_source(part.name, part.quads, onto))
        else:
            out.append(Source(name, lambda quads=quads: quads, onto))  # type: ignore[misc]
    return out


#: What a large file written in RDF 1.2 is told (rdflib, pySHACL and Virtuoso read RDF 1.1 only).
RDF12_REFUSAL = "RDF 1.2 (a triple term or a literal's text direction) is not supported"
#: A Turtle or TriG VERSION directive (RDF 1.2), which rdflib refuses.
_VERSION = re.compile(rb"(?m)^[ \t]*(?:@version|VERSION)[ \t]")


def _rdf12_only(quad: Any) -> bool:
    """Whether a quad Oxigraph parsed holds what only RDF 1.2 has (rdflib cannot represent it)."""
    import pyoxigraph as ox

    o = quad.object
    return isinstance(o, ox.Triple) or (isinstance(o, ox.Literal) and o.direction is not None)


#: The formats of the fast path of :func:`_ox_as_rdflib_reads`: the graph a file's triples go to
#: given (Turtle, N-Triples), or named by the file (TriG, N-Quads).
_FAST = {True: ("TURTLE", "N_TRIPLES"), False: ("TRIG", "N_QUADS")}


def _ox_as_rdflib_reads(path: Path, graph: URIRef | None) -> list[Any] | None:
    """A small file's quads as :func:`read_part` reads them, parsed by Oxigraph (10x faster).

    rdflib's parser gives a typed or language-tagged literal its canonical form (``"01"`` ->
    ``"1"``, ``1e3`` -> ``"1000.0"``, ``@en-US`` -> ``@en-us``): each such literal goes through
    the same rdflib term once. ``None`` when Oxigraph refuses the file (a syntax error, a
    relative IRI, an invalid IRI: rdflib reads it then, for its message with the line, or for
    what it accepts), or for another format (RDF/XML, JSON-LD: rdflib reads them).
    """
    import pyoxigraph as ox

    fmt = _format_name(path)
    if fmt not in _FAST[graph is not None]:
        return None
    to = ox.NamedNode(str(graph)) if graph is not None else None
    try:
        raw = path.read_bytes()  # read once: the VERSION test and the parse
        if _VERSION.search(raw):
            return None  # RDF 1.2, which rdflib refuses with its message (as the project does)
        parsed = list(ox.parse(raw, format=getattr(ox.RdfFormat, fmt), rename_blank_nodes=True))
    except (SyntaxError, ValueError, OSError):
        return None
    if any(_rdf12_only(q) for q in parsed):
        return None  # a triple term or a text direction: RDF 1.2 as well
    canonical: dict[Any, Any] = {}
    out = []
    for q in parsed:
        o = q.object
        if isinstance(o, ox.Literal) and _rdflib_may_rewrite(o):
            c = canonical.get(o)
            if c is None:
                c = canonical[o] = to_oxigraph(from_oxigraph(o))  # type: ignore[arg-type]
            o = c
        if to is not None:
            out.append(ox.Quad(q.subject, q.predicate, o, to))
        elif o is not q.object:
            out.append(ox.Quad(q.subject, q.predicate, o, q.graph_name))
        else:
            out.append(q)
    return out


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_INTEGERS = {str(XSD.integer)} | {str(t) for t in XSD_INTEGER_DERIVED}
_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]*")


def _rdflib_may_rewrite(literal: Any) -> bool:
    """Whether rdflib's term could write a literal Oxigraph parsed otherwise.

    Not a string, a language-tagged one (Oxigraph lower-cases the tag as rdflib does, and its
    tags are well-formed for rdflib), nor an integer already in canonical form.
    """
    if literal.language:
        return False
    datatype = literal.datatype.value
    if datatype == _XSD_STRING:
        return False
    return not (datatype in _INTEGERS and _CANONICAL_INTEGER.fullmatch(literal.value))


def _format_name(path: Path) -> str | None:
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    return None if fmt is None else str(fmt.name).upper().replace("-", "_")


def part_source(
    name: str, quads: Sequence[tuple[Node, Node, Node, Node | None]], ontology: bool
) -> Source:
    """A source for rdflib quads (``graph`` ``None`` = the default graph)."""
    import pyoxigraph as ox

    converted = [
        ox.Quad(
            to_oxigraph(s),
            to_oxigraph(p),
            to_oxigraph(o),
            to_oxigraph(g) if g is not None else ox.DefaultGraph(),
        )
        for s, p, o, g in quads
    ]
    return Source(name, lambda: converted, ontology)


@dataclass
class CheckData:
    """The union of the inputs in an in-memory Oxigraph store, plus what the checks need.

    Build it with :meth:`load`. Attributes:
        store: every quad, in its named graph (default-graph quads in the default graph).
        sources: the inputs, in load order.
        texts_dir: the folder ``pkg:textFile`` paths are relative to (``graphs/``).
        texts: stored texts not written yet, keyed by their ``pkg:textFile``.
        ntriples: the union as N-Triples (literals as written), for the SHACL engines and HermiT
            (kept in memory: a validation writes no file).
        triples: number of distinct triples in the union (counted when first asked: 1.3 s at
            1M triples).
    """

    store: Any
    sources: list[Source]
    texts_dir: Path | None
    texts: Mapping[str, str] = field(default_factory=dict)
    ntriples: bytes | None = None
    _triples: int | None = None
    _index: FileIndex | None = None
    _graphs: list[set[Any]] = field(default_factory=list)
    _labels: dict[Node, str] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        sources: Sequence[Source],
        *,
        texts_dir: Path | None,
        texts: Mapping[str, str] | None = None,
        triples_file: bool = True,
        progress: Callable[[int], None] | None = None,
    ) -> CheckData:
        """Load ``sources`` into a new in-memory store (and, with ``triples_file``, N-Triples)."""
        import pyoxigraph as ox

        store = ox.Store()
        out = io.BytesIO() if triples_file else None
        graphs: list[set[Any]] = []  # the graphs each source writes (for file_of)
        try:
            for source in sources:
                chunk: list[Any] = []
                written: set[Any] = set()
                graphs.append(written)
                for q in source.quads():
                    chunk.append(q)
                    if len(chunk) >= _CHUNK:
                        written.update(map(_GRAPH, chunk))
                        _flush(store, chunk, out)
                        if progress:
                            progress(len(chunk))
                        chunk = []
                written.update(map(_GRAPH, chunk))
                _flush(store, chunk, out)
                if progress:
                    progress(len(chunk))
        finally:
            ntriples = out.getvalue() if out is not None else None
        data = cls(store, list(sources), texts_dir, dict(texts or {}), ntriples)
        data._graphs = graphs
        return data

    @property
    def triples(self) -> int:
        """The number of distinct triples in the union."""
        if self._triples is None:
            count = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
            self._triples = int(str(next(iter(self.select(count)))[0]))
        return self._triples

    @property
    def quads(self) -> int:
        """The number of quads in the store (at least :attr:`triples`; known at once)."""
        return len(self.store)

    def close(self) -> None:
        """Let go of the N-Triples union."""
        self.ntriples = None

    # -- queries ------------------------------------------------------------------------------

    def select(self, sparql: str, *, union: bool = True) -> Iterator[tuple[Node | None, ...]]:
        """Run a SELECT on the store; rows of rdflib terms (``None`` for unbound)."""
        result = self.store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union)
        names = [v.value for v in result.variables]
        for solution in result:
            yield tuple(from_oxigraph(solution[n]) for n in names)

    def label(self, node: Node) -> str:
        """An entity as messages name it: ``"label" (curie)``, or its CURIE.

        The label is the English one, else the Chinese one.
        """
        import pyoxigraph as ox

        if isinstance(node, BNode):
            return "(blank node)"
        if isinstance(node, Literal):
            return repr(str(node))
        if node in self._labels:
            return self._labels[node]
        name = curie(node)
        best = None
        for pred in (SKOS.prefLabel, RDFS.label):
            for row in self.store.query(
                _LABEL,
                use_default_graph_as_union=True,
                substitutions={
                    ox.Variable("node"): to_oxigraph(node),
                    ox.Variable("pred"): to_oxigraph(pred),
                },
            ):
                best = row["l"].value
            if best:
                break
        self._labels[node] = f'"{best}" ({name})' if best else name
        return self._labels[node]

    def file_of(self, node: Node, triple: tuple[Node, Node, Node] | None = None) -> str:
        """The input a problem is in: the one stating ``triple``, else ``node``'s, else any."""
        if self._index is None:
            self._index = FileIndex(self.store, self.sources, self._graphs)
        return self._index.file_of(node, triple)


# The English label, else the Chinese one (a draft of a Chinese report names a new term in
# Chinese only).
_LABEL = (
    "SELECT ?node ?pred ?l WHERE { ?node ?pred ?l FILTER(LANG(?l) IN ('en', 'zh')) } "
    "ORDER BY (LANG(?l) != 'en') ?l LIMIT 1"
)


_GRAPH = attrgetter("graph_name")


def _flush(store: Any, chunk: list[Any], out: Any) -> None:
    import pyoxigraph as ox

    if not chunk:
        return
    store.extend(chunk)
    if out is not None:
        out.write(
            ox.serialize(
                (ox.Triple(q.subject, q.predicate, q.object) for q in chunk),
                format=ox.RdfFormat.N_TRIPLES,
            )
        )


def graph_data(
    graph: Graph,
    ds: Dataset | None = None,
    *,
    texts_dir: Path | None = None,
    texts: Mapping[str, str] | None = None,
) -> CheckData:
    """An rdflib graph (or the quads of ``ds``) loaded as check data, as one part ``(graph)``."""
    quads: list[tuple[Node, Node, Node, Node | None]] = []
    if ds is not None:
        for s, p, o, g in ds.quads((None, None, None, None)):
            name = g.identifier if isinstance(g, Graph) else g
            default = name is None or str(name) == "urn:x-rdflib:default"
            quads.append((s, p, o, None if default else URIRef(str(name))))
    else:
        quads = [(s, p, o, None) for s, p, o in graph]
    return CheckData.load(
        [part_source("(graph)", quads, False)], texts_dir=texts_dir, texts=texts, triples_file=False
    )
