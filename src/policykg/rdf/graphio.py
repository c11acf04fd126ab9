"""Reading RDF files with one-line errors, and the list of files that make up the graph."""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef

from policykg.core import paths
from policykg.core.errors import ParseError
from policykg.core.io import recover_journal
from policykg.core.namespaces import KGG, ONTOLOGY_IRI

__all__ = [
    "GraphFile",
    "corpus_files",
    "graph_files",
    "is_rdf_file",
    "load_dataset",
    "names_its_graphs",
    "oxigraph_format",
    "parse_file",
    "rdf_format",
    "refuse_deep_or_huge",
    "refuse_xml_entities",
    "refuse_xml_entities_in_file",
]

#: The deepest nesting of ``[ ]`` and ``( )`` a Turtle-family file may have (rdflib's parser
#: recurses per level; Oxigraph's does not: both read the same files, issue 25 N26).
MAX_NESTING = 500
#: The longest literal (characters) a checked file may hold (HermiT took 93 s on 10 MB).
MAX_LITERAL = 1_000_000
_TURTLE_TOKENS = re.compile(
    r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    r"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    r"|<[^>\s]*>|#[^\n]*|[\[\]()]"
)

#: An XML entity declaration: entities can expand without bound (the "billion laughs").
_XML_ENTITY = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_XML_REFUSED = ("XML entity declarations (<!ENTITY) are refused: they can expand without "
                "bound; write the IRIs out (or save the file as Turtle)")


def _as_utf8(data: bytes) -> bytes:
    """UTF-16/32 XML (a byte-order mark or a NUL-padded '<') re-encoded, so a scan sees it."""
    for bom, codec in ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                       (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
                       (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le")):
        if data.startswith(bom):
            return data.decode(codec, "replace").encode("utf-8")
    return data


def refuse_xml_entities(data: bytes, where: str) -> None:
    """Refuse RDF/XML (or any XML) that declares entities, before it is parsed (issue 25 N10).

    Raises:
        ParseError: ``data`` holds an entity declaration; the message names ``where``.
    """
    if _XML_ENTITY.search(_as_utf8(data)):
        raise ParseError(f"{where}: {_XML_REFUSED}")


def refuse_xml_entities_in_file(path: Path, *, chunk: int = 1 << 20) -> None:
    """:func:`refuse_xml_entities` for a file, read in chunks (never whole into memory).

    Raises:
        ParseError: the file declares an entity, or cannot be read.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
            if _as_utf8(head) != head:  # UTF-16/32: decoded whole (such files are rare)
                refuse_xml_entities(head + handle.read(), str(path))
                return
            tail = head
            while True:
                block = handle.read(chunk)
                if not block:
                    break
                window = tail + block
                if _XML_ENTITY.search(window):
                    raise ParseError(f"{path}: {_XML_REFUSED}")
                tail = window[-16:]
            if _XML_ENTITY.search(tail):
                raise ParseError(f"{path}: {_XML_REFUSED}")
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None


#: rdflib's parser name for each pyoxigraph format (by ``RdfFormat.name``).
_RDFLIB_PARSERS = {
    "Turtle": "turtle",
    "TriG": "trig",
    "N-Triples": "nt",
    "N-Quads": "nquads",
    "N3": "n3",
    "RDF/XML": "xml",
    "JSON-LD": "json-ld",
}


@dataclass(frozen=True)
class GraphFile:
    """One RDF file of the knowledge graph and the named graph its triples go to.

    Attributes:
        path: the file.
        graph: the named graph for a triples format (Turtle, N-Triples); ``None`` for TriG/N-Quads,
            whose graphs are named inside the file.
    """

    path: Path
    graph: URIRef | None


def _format_of(path: Path) -> Any:
    import pyoxigraph as ox

    extension = path.suffix.lower().lstrip(".")
    if extension == "owl":  # OWL files in RDF/XML, as Protégé saves them
        return ox.RdfFormat.RDF_XML
    return ox.RdfFormat.from_extension(extension) if extension else None


def oxigraph_format(path: Path) -> Any:
    """Return the pyoxigraph ``RdfFormat`` of a file, from its extension (the one table).

    pyoxigraph's ``RdfFormat.from_extension`` decides (``.ttl``, ``.trig``, ``.nt``, ``.nq``,
    ``.rdf``, ``.jsonld``, ...); ``.owl`` is read as RDF/XML.

    Raises:
        ParseError: the extension names no RDF format.
    """
    fmt = _format_of(path)
    if fmt is None or fmt.name not in _RDFLIB_PARSERS:
        raise ParseError(
            f"{path}: unknown RDF file type '{path.suffix}' (use .ttl, .trig, .nt, .nq, .owl)"
        )
    return fmt


def is_rdf_file(path: Path) -> bool:
    """Tell whether a file's extension names an RDF format :func:`oxigraph_format` reads."""
    fmt = _format_of(path)
    return fmt is not None and fmt.name in _RDFLIB_PARSERS


def names_its_graphs(path: Path) -> bool:
    """Tell whether a file names the graphs of its triples (TriG, N-Quads) itself."""
    return path.suffix.lower() in (".trig", ".nq")


def rdf_format(path: Path) -> str:
    """Return the rdflib format name for a file name, or raise ParseError."""
    return _RDFLIB_PARSERS[oxigraph_format(path).name]


def _syntax_message(path: Path, exc: Exception) -> str:
    line = getattr(exc, "lines", None)
    why = getattr(exc, "_why", None) or str(exc)
    if line is None:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) - 1 if found else None
    first = str(why).strip().splitlines()[0] if str(why).strip() else type(exc).__name__
    where = f"{path}:{line + 1}" if isinstance(line, int) else str(path)
    return f"{where}: syntax error: {first}"


def refuse_deep_or_huge(path: Path, text: str | None = None) -> None:
    """Refuse a Turtle/TriG/N3/N-Triples/N-Quads file nested too deeply or with a huge literal.

    Raises:
        ParseError: nesting deeper than :data:`MAX_NESTING` or a literal longer than
            :data:`MAX_LITERAL`, with the line.
    """
    if rdf_format(path) not in ("turtle", "trig", "n3", "nt", "nquads"):
        return
    if text is None:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    depth = 0
    for m in _TURTLE_TOKENS.finditer(text):
        token = m.group()
        if token in ("[", "("):
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, m.start()) + 1
                raise ParseError(f"{path}:{line}: nested more than {MAX_NESTING} levels deep "
                                 "([ ] and ( )); flatten it")
        elif token in ("]", ")"):
            depth = max(0, depth - 1)
        elif token[0] in "\"'" and len(token) > MAX_LITERAL:
            line = text.count("\n", 0, m.start()) + 1
            raise ParseError(f"{path}:{line}: a literal of {len(token)} characters, more than "
                             f"the {MAX_LITERAL} policykg checks")


def parse_file(path: str | Path, *, into: Graph | None = None) -> Graph:
    """Parse a triples file (Turtle, N-Triples, RDF/XML, JSON-LD) into a graph.

    Raises:
        ParseError: the file is missing or malformed; the message names file and line.
    """
    path = Path(path)
    graph = into if into is not None else Graph()
    if rdf_format(path) == "xml":
        refuse_xml_entities_in_file(path)
    refuse_deep_or_huge(path)  # issue 25 N26: the same answer as Oxigraph's readers give
    try:
        graph.parse(path, format=rdf_format(path))
    except ParseError:
        raise
    except FileNotFoundError:
        raise ParseError(f"{path}: no such file") from None
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except Exception as exc:  # rdflib raises many unrelated types for bad syntax
        raise ParseError(_syntax_message(path, exc)) from None
    return graph


def extension_graph(path: Path) -> URIRef:
    """Return the named graph a Turtle extension file is loaded into."""
    return URIRef(f"{KGG}extension-{path.stem}")


def corpus_files(
    folder: Path, *, drafts: bool = False, as_of: _dt.date | None = None
) -> list[Path]:
    """The TriG files of an imported corpus (``policykg corpus import``), in id order.

    Args:
        folder: the corpus folder (``graphs/corpus``); none there: no files.
        drafts: also the drafted layer (``drafts/<id>.trig``: unreviewed statements).
        as_of: only documents issued by that day: a document whose text gives its date when
            that date is not later; one that gives only its year when the whole year is.
    """
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return []
    recover_journal(folder / ".corpus-write.journal")
    try:
        docs = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    except (ValueError, KeyError, TypeError):
        raise ParseError(f"{manifest}: not a corpus manifest") from None
    out: list[Path] = []
    later = _issued_after(folder, as_of) if as_of is not None else set()
    for doc_id in sorted(docs):
        if doc_id in later:
            continue
        out.append(folder / f"{doc_id}.trig")
        if drafts and (folder / "drafts" / f"{doc_id}.trig").is_file():
            out.append(folder / "drafts" / f"{doc_id}.trig")
    if (folder / "merges.trig").is_file():  # reviewed identity merges (policykg corpus merge)
        out.append(folder / "merges.trig")
    return out


def _issued_after(folder: Path, as_of: _dt.date) -> set[str]:
    """The ids of the corpus documents not issued by ``as_of`` (see :func:`corpus_files`)."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return set()
    try:
        docs = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
        later = set()
        for doc_id, entry in docs.items():
            issued = (
                _dt.date.fromisoformat(entry["date"]) if entry.get("date")
                else _dt.date(int(entry["year"]), 12, 31)
            )
            if issued > as_of:
                later.add(doc_id)
    except (ValueError, KeyError, TypeError):
        raise ParseError(f"{manifest}: not a corpus manifest") from None
    return later


def graph_files(
    *,
    inferred: bool = False,
    extensions: bool = True,
    extra: tuple[Path, ...] = (),
    corpus: Path | None = None,
    drafts: bool = False,
    as_of: _dt.date | None = None,
) -> list[GraphFile]:
    """List the files that make up the knowledge graph, in load order.

    The ontology goes to the named graph of its own IRI, generated document graphs (TriG) name
    their graphs, Turtle extensions each get ``kgg:extension-<file stem>``, inferred triples
    ``kgg:inferred``. An imported corpus (``corpus``, default ``graphs/corpus``) adds its
    documents' record layers, and their drafts only with ``drafts``; ``as_of`` keeps the
    corpus documents issued by that day.
    """
    recover_journal(paths.write_journal())  # finish an add or build killed between its renames
    files = [GraphFile(paths.ontology_file(), URIRef(ONTOLOGY_IRI))]
    folder = corpus if corpus is not None else paths.corpus_dir()
    later = _issued_after(folder, as_of) if as_of is not None else set()
    files += [GraphFile(p, None) for p in sorted(paths.graphs_dir().glob("*.trig"))
              if p.stem not in later]  # a reviewed corpus document issued after --as-of
    files += [GraphFile(p, None) for p in corpus_files(folder, drafts=drafts, as_of=as_of)]
    if extensions and paths.extensions_dir().is_dir():
        for p in sorted(paths.extensions_dir().iterdir()):
            if names_its_graphs(p):
                files.append(GraphFile(p, None))
            elif is_rdf_file(p):
                files.append(GraphFile(p, extension_graph(p)))
    if inferred:
        if not paths.inferred_file().is_file():
            raise ParseError(
                f"{paths.inferred_file()}: no inferred triples yet; run 'policykg reason' first"
            )
        files.append(GraphFile(paths.inferred_file(), URIRef(f"{KGG}inferred")))
    for p in extra:
        files.append(GraphFile(p, None if names_its_graphs(p) else extension_graph(p)))
    return files


# What an IRI cannot contain (RFC 3987; the Turtle grammar's IRIREF): rdflib's parsers let a
# space or a control character through, and the error came only when the graph was written.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _check_iris(ds: Dataset, files: list[GraphFile]) -> None:
    """Raise a one-line ParseError naming the file when any IRI in ``ds`` is malformed."""
    for quad in ds.quads((None, None, None, None)):
        for term in quad:
            node = term.identifier if isinstance(term, Graph) else term
            if isinstance(node, URIRef) and _BAD_IRI.search(node):
                raise ParseError(f"{_file_with(node, files)}: invalid IRI <{node}> (a space or a "
                                 "character IRIs cannot hold; percent-encode it)")
            if isinstance(node, Literal) and node.datatype and _BAD_IRI.search(node.datatype):
                raise ParseError(f"{_file_with(node.datatype, files)}: invalid datatype IRI "
                                 f"<{node.datatype}>")


def _file_with(iri: str, files: list[GraphFile]) -> str:
    for f in files:
        try:
            if iri in f.path.read_text(encoding="utf-8", errors="replace"):
                return str(f.path)
        except OSError:
            continue
    return ", ".join(str(f.path) for f in files) or "input"


def load_dataset(files: list[GraphFile]) -> Dataset:
    """Parse files into an rdflib Dataset whose default graph is the union of all graphs.

    Raises:
        ParseError: a file is missing, unreadable or malformed, or holds an invalid IRI (a space);
            the message names the file.
    """
    ds = Dataset(default_union=True)
    for f in files:
        fmt = rdf_format(f.path)
        if fmt == "xml":
            refuse_xml_entities_in_file(f.path)
        if f.graph is None:
            try:
                ds.parse(f.path, format=fmt)
            except FileNotFoundError:
                raise ParseError(f"{f.path}: no such file") from None
            except OSError as exc:
                raise ParseError(f"{f.path}: cannot read: {exc.strerror or exc}") from None
            except Exception as exc:
                raise ParseError(_syntax_message(f.path, exc)) from None
        else:
            parse_file(f.path, into=ds.graph(f.graph))
    _check_iris(ds, files)
    return ds
