"""Reading RDF files with one-line errors, and the list of files that make up the graph."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef

from policykg.core import paths
from policykg.core.errors import ParseError
from policykg.core.io import recover_journal
from policykg.core.namespaces import KGG, ONTOLOGY_IRI

__all__ = ["GraphFile", "graph_files", "load_dataset", "parse_file", "rdf_format"]

_FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".owl": "xml",
    ".rdf": "xml",
    ".jsonld": "json-ld",
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


def rdf_format(path: Path) -> str:
    """Return the rdflib format name for a file name, or raise ParseError."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ParseError(
            f"{path}: unknown RDF file type '{path.suffix}' (use .ttl, .trig, .nt, .nq, .owl)"
        )
    return fmt


def _syntax_message(path: Path, exc: Exception) -> str:
    line = getattr(exc, "lines", None)
    why = getattr(exc, "_why", None) or str(exc)
    if line is None:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) - 1 if found else None
    first = str(why).strip().splitlines()[0] if str(why).strip() else type(exc).__name__
    where = f"{path}:{line + 1}" if isinstance(line, int) else str(path)
    return f"{where}: syntax error: {first}"


def parse_file(path: str | Path, *, into: Graph | None = None) -> Graph:
    """Parse a triples file (Turtle, N-Triples, RDF/XML, JSON-LD) into a graph.

    Raises:
        ParseError: the file is missing or malformed; the message names file and line.
    """
    path = Path(path)
    graph = into if into is not None else Graph()
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


def graph_files(
    *, inferred: bool = False, extensions: bool = True, extra: tuple[Path, ...] = ()
) -> list[GraphFile]:
    """List the files that make up the knowledge graph, in load order.

    The ontology goes to the named graph of its own IRI, generated document graphs (TriG) name
    their graphs, Turtle extensions each get ``kgg:extension-<file stem>``, inferred triples
    ``kgg:inferred``.
    """
    recover_journal(paths.write_journal())  # finish an add or build killed between its renames
    files = [GraphFile(paths.ontology_file(), URIRef(ONTOLOGY_IRI))]
    files += [GraphFile(p, None) for p in sorted(paths.graphs_dir().glob("*.trig"))]
    if extensions and paths.extensions_dir().is_dir():
        for p in sorted(paths.extensions_dir().iterdir()):
            if p.suffix.lower() in (".trig", ".nq"):
                files.append(GraphFile(p, None))
            elif p.suffix.lower() in _FORMATS:
                files.append(GraphFile(p, extension_graph(p)))
    if inferred:
        if not paths.inferred_file().is_file():
            raise ParseError(
                f"{paths.inferred_file()}: no inferred triples yet; run 'policykg reason' first"
            )
        files.append(GraphFile(paths.inferred_file(), URIRef(f"{KGG}inferred")))
    for p in extra:
        suffix = p.suffix.lower()
        files.append(GraphFile(p, None if suffix in (".trig", ".nq") else extension_graph(p)))
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
