"""Extend the graph safely: Python helpers over rdflib, owlready2 export, and ``policykg add``.

Every way in checks what it is given against the would-be graph (the compiler's checks, the SHACL
shapes, the evidence checks and HermiT) *before* writing anything, and writes atomically, so a
rejected extension leaves every existing file byte-identical.

- :class:`Extension` builds an extension file from Python (entities, passages quoting a stored
  text, facts under their passage) and saves it as ``graphs/extensions/<name>.trig``.
- :func:`save_owlready` writes an owlready2 ontology (new classes and properties made with
  ``with onto: ...``) to ``graphs/extensions/<name>.ttl``.
- :func:`add_file` is ``policykg add FILE``: a YAML authoring source or a CSV of a new document
  (registered with its stored text under ``graphs/sources/`` and compiled to ``graphs/<doc>.trig``),
  or a ready Turtle/TriG file copied to ``graphs/extensions/``.

The helpers live in :mod:`~policykg.authoring.extension`, the CSV format in
:mod:`~policykg.authoring.csv_source`, the would-be graph's check in
:mod:`~policykg.authoring.project_check`; this module re-exports their names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef

from policykg.authoring.build import source_files
from policykg.authoring.compiler import (
    CompiledSource,
    OntologyIndex,
    compile_mapping,
    load_source_mapping,
)
from policykg.authoring.corpus.reviewed import declared_outside_corpus, without_corpus_record
from policykg.authoring.draft_problems import source_problems
from policykg.checks.validate import (
    Part,
    Report,
    display_path,
    project_parts,
    read_part,
)
from policykg.core.errors import AuthoringError, ParseError
from policykg.core.io import write_atomic, write_many_atomic
from policykg.core.namespaces import KG, KGG, PKG, SLUG
from policykg.core.paths import extensions_dir, graphs_dir, sources_dir, write_journal
from policykg.rdf.graphio import GraphFile, extension_graph, is_rdf_file, names_its_graphs

from .csv_source import CSV_COLUMNS, csv_to_mapping, read_csv_source
from .csv_source import dump_yaml as _dump_yaml
from .extension import Extension, save_owlready
from .project_check import ProjectGraph as _Project
from .project_check import check_would_be as _check

__all__ = [
    "CSV_COLUMNS",
    "MAX_ADD_BYTES",
    "AddResult",
    "Extension",
    "add_file",
    "csv_to_mapping",
    "read_csv_source",
    "save_owlready",
]


# -- policykg add ---------------------------------------------------------------------------------


@dataclass
class AddResult:
    """What ``policykg add`` did.

    Attributes:
        written: files written (new or replaced), in order.
        kind: ``"source"`` (YAML/CSV document) or ``"extension"`` (Turtle/TriG).
        report: the validation of the would-be graph.
        compiled: the compiled source, for a YAML/CSV document.
    """

    written: list[Path]
    kind: str
    report: Report
    compiled: CompiledSource | None = None
    notes: list[str] = field(default_factory=list)


#: The longest document id ``add`` accepts: it names ``<id>.yaml`` and ``<id>.trig``.
MAX_DOCUMENT_ID = 120


def _known_from_sources(exclude: Path | None) -> set[URIRef]:
    known: set[URIRef] = set()
    for path in source_files():
        if exclude is not None and path.resolve() == exclude.resolve():
            continue
        data = load_source_mapping(path)
        doc = data.get("document")
        if isinstance(doc, dict) and isinstance(doc.get("id"), str):
            known.add(URIRef(KG + doc["id"]))
        if isinstance(data.get("entities"), dict):
            known.update(URIRef(KG + str(e)) for e in data["entities"])
    return known


def _refuse_links(path: Path, rel: Path, text_name: str) -> None:
    """Refuse a ``text:`` that is (or passes through) a symbolic link, or leads out of the folder.

    ``add`` copies the text into ``graphs/sources/``: a link would copy whatever it points to
    (``/etc/passwd``, a private key) into the project.
    """
    folder = path.parent
    for i in range(1, len(rel.parts) + 1):
        step = folder.joinpath(*rel.parts[:i])
        if step.is_symlink():
            raise AuthoringError(
                f"{path}: document.text: {text_name} is or passes through a symbolic link "
                f"({step.name}); give the text file itself, inside the source's folder"
            )
    if not (folder / rel).resolve().is_relative_to(folder.resolve()):
        raise AuthoringError(f"{path}: document.text: {text_name} is outside the source's folder")


#: The largest file ``policykg add`` accepts (bytes; 17 times the article's graph). Adding
#: validates the whole graph in memory (rdflib, SHACL, the violation queries, HermiT): a 50 MB TriG
#: file took over 150 s and 2.6 GB before any output, and a 1 MB one still takes about a minute.
MAX_ADD_BYTES = 2_000_000


def add_file(
    path: str | Path, *, dry_run: bool = False, store: str | Path | None = None,
    before_write: Callable[[list[Path]], None] | None = None,
) -> AddResult:
    """Add a YAML/CSV document source or a Turtle/TriG extension to the project.

    A YAML or CSV source describes a *new* document: its stored text is copied to
    ``graphs/sources/`` next to the source (a CSV is converted to the equivalent YAML), and the
    compiled graph is written to ``graphs/<doc>.trig`` — exactly what ``policykg build`` would
    produce. A Turtle/TriG file is copied to ``graphs/extensions/``. Nothing is written unless
    the would-be graph compiles and validates.

    Args:
        path: the file to add (``.yaml``, ``.csv``, ``.ttl``, ``.trig``, ``.nt``, ``.owl``).
        dry_run: check only; write nothing.
        store: an Oxigraph store holding the corpus: check the new file against what it
            touches there instead of against the project's files. The files are written to the
            project; this function does not change the store (``policykg add --store`` then
            appends the new graph to it in one transaction, and removes the files again if the
            store cannot take it).
        before_write: called with the files about to be written, just before the first is
            (``policykg add`` records its intent there: see :mod:`policykg.store.journal`).

    Raises:
        ParseError: the file cannot be read or parsed (exit status 2).
        AuthoringError: the source is wrong or conflicts with an existing document (exit 2).
        ValidationFailed: the would-be graph has violations (exit 1).
    """
    path = Path(path)
    if not path.is_file():
        raise ParseError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_ADD_BYTES:
        raise ParseError(
            f"{path}: {size / 1e6:.1f} MB is more than 'policykg add' checks "
            f"({MAX_ADD_BYTES // 1_000_000} MB: it validates the whole graph with SHACL and "
            "HermiT in memory); load large data into a store with 'policykg load --store DIR "
            "FILE' instead"
        )
    suffix = path.suffix.lower()
    where = Path(store) if store is not None else None
    if suffix in (".yaml", ".yml", ".csv"):
        return _add_source(path, dry_run=dry_run, store=where, before_write=before_write)
    if is_rdf_file(path):
        return _add_rdf(path, dry_run=dry_run, store=where, before_write=before_write)
    raise ParseError(f"{path}: cannot add a '{suffix}' file (use .yaml, .csv, .ttl or .trig)")


def _add_rdf(path: Path, *, dry_run: bool, store: Path | None = None,
             before_write: Callable[[list[Path]], None] | None = None) -> AddResult:
    dest = extensions_dir() / path.name
    shown = display_path(dest)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if dest.exists() and dest.resolve() != path.resolve() and dest.read_bytes() != data:
        raise AuthoringError(
            f"{path}: {shown} already exists with other content; "
            "rename the file or remove the old one"
        )
    parsed = read_part(GraphFile(path, None if names_its_graphs(path) else extension_graph(dest)))
    part = Part(shown, parsed.quads)
    others = [] if store is not None else [p for p in project_parts() if p.name != shown]
    report = _check([*others, part], what=f"{path} was not added", store=store)
    written: list[Path] = []
    if not dry_run and not (dest.exists() and dest.read_bytes() == data):
        if before_write is not None:
            before_write([dest])
        written.append(write_atomic(dest, data))
    return AddResult(written, "extension", report)


def _add_source(path: Path, *, dry_run: bool, store: Path | None = None,
                before_write: Callable[[list[Path]], None] | None = None) -> AddResult:
    onto = OntologyIndex.load()
    if path.suffix.lower() == ".csv":
        data = csv_to_mapping(read_csv_source(path), source=path, ontology=onto)
        header = (
            f"# Converted by 'policykg add' from {path.name}; "
            "edit this file and run 'policykg build'.\n"
        )
        source_text = header + _dump_yaml(data)
    else:
        try:  # read (UTF-8, no aliases) before the text is taken as it is (issue 25)
            data = load_source_mapping(path)
        except AuthoringError as exc:  # every problem of the draft in one run, not the first
            raise source_problems(exc, path, path.read_text(encoding="utf-8"), onto,
                                  lambda: _known_from_sources(None)) from None
        source_text = path.read_text(encoding="utf-8")
    doc = data.get("document")
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("id"), str)
        or not SLUG.match(doc["id"])
    ):
        raise AuthoringError(f"{path}: document.id: needs a lower-case slug like 'ncpf-2025'")
    if len(doc["id"]) > MAX_DOCUMENT_ID:  # issue 25 N20: a file name too long for the disk
        raise AuthoringError(f"{path}: document.id: {len(doc['id'])} characters, more than "
                             f"{MAX_DOCUMENT_ID} (it names the document's files)")
    doc_id = doc["id"]
    text_name = doc.get("text")
    if not isinstance(text_name, str) or not text_name:
        raise AuthoringError(
            f"{path}: document.text: needs the file name of the document's stored text"
        )
    rel = Path(text_name)
    if rel.is_absolute() or ".." in rel.parts:
        raise AuthoringError(
            f"{path}: document.text: must be a path relative to the source's folder, "
            f"without '..': {text_name}"
        )
    dest_yaml = sources_dir() / f"{doc_id}.yaml"
    dest_text = sources_dir() / rel
    dest_trig = graphs_dir() / f"{doc_id}.trig"
    in_place = path.resolve() == dest_yaml.resolve()
    if not in_place:
        for existing in (dest_yaml, sources_dir() / f"{doc_id}.yml", dest_trig):
            if existing.exists():
                raise AuthoringError(
                    f"{path}: document '{doc_id}' already exists ({display_path(existing)}); "
                    "choose another id, or edit that source and run 'policykg build'"
                )
    src_text = path.parent / rel
    _refuse_links(path, rel, text_name)
    try:
        text_bytes = src_text.read_bytes()
    except OSError as exc:
        raise AuthoringError(
            f"{path}: document.text: cannot read {src_text}: {exc.strerror}"
        ) from None
    if (
        dest_text.exists()
        and dest_text.resolve() != src_text.resolve()
        and dest_text.read_bytes() != text_bytes
    ):
        raise AuthoringError(
            f"{path}: {display_path(dest_text)} already exists with another text; "
            "rename the text file"
        )

    known = _known_from_sources(dest_yaml if in_place else None)
    try:
        compiled = compile_mapping(
            data, base_dir=path.parent, source=path, ontology=onto, known_entities=known
        )
    except AuthoringError as exc:  # every problem of the source in one run, not the first
        raise source_problems(exc, path, source_text, onto, lambda: known) from None
    doc_iri = URIRef(KG + doc_id)
    rel_text = f"sources/{rel.as_posix()}"
    meta = compiled.graphs[URIRef(KGG + doc_id)]
    compiled.graphs[URIRef(KGG + doc_id)] = [
        (s, p, Literal(rel_text) if (s == doc_iri and p == PKG.textFile) else o) for s, p, o in meta
    ]
    project = _Project()
    if not in_place and declared_outside_corpus(project.parts, doc_iri):
        raise AuthoringError(
            f"{path}: document '{doc_id}' is already in the graph; choose another id"
        )
    shown = display_path(dest_trig)
    part = Part(shown, tuple(compiled.triples()))
    report = _check(
        [*without_corpus_record(project.without(shown), doc_id), part],
        texts={rel_text: compiled.text},
        what=f"{path} was not added",
        store=store,
    )
    pending: list[tuple[Path, str | bytes]] = []
    if not in_place:
        pending.append((dest_yaml, source_text))
        if not dest_text.exists():
            pending.append((dest_text, text_bytes))
    trig = compiled.trig()
    if not (dest_trig.exists() and dest_trig.read_text(encoding="utf-8") == trig):
        pending.append((dest_trig, trig))
    # journaled: a kill between the renames cannot leave the YAML registered without its text
    if not dry_run and pending and before_write is not None:
        before_write([dest for dest, _ in pending])
    written = [] if dry_run else write_many_atomic(pending, journal=write_journal())
    return AddResult(written, "source", report, compiled)
