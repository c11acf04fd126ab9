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
"""

from __future__ import annotations

import csv
import datetime as _dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from policykg.authoring.build import source_files
from policykg.authoring.compiler import (
    CompiledSource,
    OntologyIndex,
    _Compiler,
    _locate,
    compile_mapping,
    load_source_mapping,
)
from policykg.authoring.corpus.reviewed import declared_outside_corpus, without_corpus_record
from policykg.authoring.draft_problems import source_problems
from policykg.checks.data import part_source
from policykg.checks.incremental import open_store, validate_against_store
from policykg.checks.validate import (
    Part,
    Report,
    ValidationFailed,
    display_path,
    project_parts,
    read_part,
    validate_parts,
)
from policykg.core.errors import AuthoringError, ParseError, StoredTextError
from policykg.core.io import read_stored_text, write_atomic, write_many_atomic
from policykg.core.namespaces import KG, KGG, PKG, RDF, RDFS, SKOS, SLUG, XSD
from policykg.core.paths import extensions_dir, graphs_dir, sources_dir, write_journal
from policykg.rdf.graphio import GraphFile, extension_graph, is_rdf_file, names_its_graphs
from policykg.rdf.rdfwrite import to_trig, to_turtle

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

Triple = tuple[Node, Node, Node]

#: The columns of the CSV format read by ``policykg add`` (any order; missing ones are empty).
CSV_COLUMNS: tuple[str, ...] = (
    "kind",
    "id",
    "type",
    "label",
    "zh",
    "alt",
    "alt_zh",
    "predicate",
    "object",
    "passage",
    "quote",
    "occurrence",
    "text",
)


# -- the project as it is now -------------------------------------------------------------------


class _Project:
    """The current graph (parsed once) and what the helpers need to know of it."""

    def __init__(self) -> None:
        self.parts = project_parts()
        self.union = Graph()
        for part in self.parts:
            for s, p, o, _ in part.quads:
                self.union.add((s, p, o))

    def declared(self) -> set[URIRef]:
        return {s for s in self.union.subjects(RDF.type, None) if isinstance(s, URIRef)}

    def passages(self) -> set[URIRef]:
        return {p for p in self.union.subjects(RDF.type, PKG.Passage) if isinstance(p, URIRef)}

    def text_of(self, doc: URIRef) -> str:
        rel = self.union.value(doc, PKG.textFile)
        if rel is None:
            raise AuthoringError(
                f"document {doc.n3()} has no stored text (pkg:textFile); register it first "
                "with 'policykg add' of its YAML source"
            )
        try:
            return read_stored_text(graphs_dir(), str(rel))
        except StoredTextError as exc:
            raise AuthoringError(f"document {doc.n3()}: {exc}") from None

    def without(self, name: str) -> list[Part]:
        return [p for p in self.parts if p.name != name]


def _check(
    parts: list[Part],
    *,
    texts: Mapping[str, str] | None = None,
    what: str,
    store: Path | None = None,
) -> Report:
    """Validate the would-be graph; with ``store``, only its last part, against the store.

    With ``store`` (an Oxigraph store holding the corpus) the new part is checked against what
    it touches there (:mod:`policykg.checks.incremental`), not against the project's files.
    """
    if store is not None:
        new = parts[-1]
        report = validate_against_store(
            [part_source(new.name, new.quads, False)],
            open_store(store),
            store_name=str(store),
            texts_dir=graphs_dir(),
            texts=texts,
        )
    else:
        report = validate_parts(parts, texts=texts, owl_if_clean=True)
    if not report.ok:
        raise ValidationFailed(report.violations, what=what)
    return report


# -- Python helpers over rdflib -------------------------------------------------------------------


class Extension:
    """An extension of the graph built from Python, saved as ``graphs/extensions/<name>.trig``.

    Entities are declared in the extension's own graph (``kgg:extension-<name>``); each fact goes
    into the named graph of the passage that states it, and every ``kg:`` entity of a fact gets
    ``pkg:mentionedIn`` that passage, exactly as the YAML compiler does. Names follow the YAML
    format: classes and predicates are ``pkg:`` local names or CURIEs, entities are ``kg:`` ids.

    Example::

        from policykg.authoring.extend import Extension

        ext = Extension("green-hydrogen")
        p = ext.add_passage("x1", document="ncpf-2025", quote="green hydrogen")
        ext.add_entity("green-hydrogen", type="TechnologyField", label="green hydrogen",
                       zh="绿氢", mentioned_in=[p])
        ext.add_fact("green-hydrogen", "enables", "new-quality-productive-forces", passage=p)
        ext.save()          # checks the would-be graph first; raises ValidationFailed if wrong
    """

    def __init__(self, name: str, *, ontology: OntologyIndex | None = None) -> None:
        if not SLUG.match(name):
            raise AuthoringError(
                f"extension name must be a lower-case slug like 'green-hydrogen', got {name!r}"
            )
        self.name = name
        self.graph_name = URIRef(f"{KGG}extension-{name}")
        self.onto = ontology or OntologyIndex.load()
        self._project: _Project | None = None
        self.graphs: dict[URIRef, list[Triple]] = {self.graph_name: []}
        self.entities: set[URIRef] = set()
        self.new_passages: set[URIRef] = set()
        self.texts: dict[URIRef, str] = {}

    # -- plumbing -----------------------------------------------------------------------------
    @property
    def project(self) -> _Project:
        """The current graph, parsed on first use."""
        if self._project is None:
            self._project = _Project()
        return self._project

    @property
    def path(self) -> Path:
        """Where :meth:`save` writes."""
        return extensions_dir() / f"{self.name}.trig"

    def _compiler(self) -> _Compiler:
        compiler = _Compiler({}, Path("."), None, self.onto, self.project.declared())
        compiler.where = f"extension {self.name}"
        compiler.declared = set(self.entities) | self.new_passages
        return compiler

    def _add(self, graph: URIRef, triple: Triple) -> None:
        triples = self.graphs.setdefault(graph, [])
        if triple not in triples:
            triples.append(triple)

    def _passage(self, ref: str | URIRef) -> URIRef:
        iri = URIRef(ref) if isinstance(ref, URIRef) else URIRef(KG + str(ref).removeprefix("kg:"))
        if iri in self.new_passages or iri in self.project.passages():
            return iri
        raise AuthoringError(
            f"extension {self.name}: unknown passage '{ref}': add it with add_passage() or name an "
            "existing passage (e.g. 'ncpf-2025-p03-2')"
        )

    # -- building -------------------------------------------------------------------------------
    def add_passage(
        self, pid: str, *, document: str, quote: str, occurrence: int | None = None
    ) -> URIRef:
        """Add a passage: a verbatim quote of a registered document's stored text.

        Args:
            pid: the passage id; the passage IRI is ``kg:<document>-<pid>``.
            document: the document id (``ncpf-2025``), which must have a stored text.
            quote: the exact text; its offsets are found in the stored text.
            occurrence: which occurrence when the quote occurs more than once (1-based).

        Returns:
            The passage IRI (pass it as ``passage=`` to :meth:`add_fact`).
        """
        if not SLUG.match(pid):
            raise AuthoringError(
                f"extension {self.name}: passage ids are lower-case slugs like 'x1', got {pid!r}"
            )
        doc = URIRef(KG + document)
        text = self.project.text_of(doc)
        item = f"extension {self.name}: passage {pid}"
        start = _locate(text, quote, occurrence, item, lambda i, m: AuthoringError(f"{i}: {m}"))
        iri = URIRef(f"{KG}{document}-{pid}")
        if iri in self.project.passages():
            old = self.project.union.value(iri, PKG.quote)
            if old is not None and str(old) != quote:
                raise AuthoringError(f"{item}: {iri.n3()} already exists with another quote")
        self.new_passages.add(iri)
        for t in (
            (iri, RDF.type, PKG.Passage),
            (iri, PKG.inDocument, doc),
            (iri, PKG.quote, Literal(quote)),
            (iri, PKG.startOffset, Literal(str(start), datatype=XSD.nonNegativeInteger)),
            (iri, PKG.endOffset, Literal(str(start + len(quote)), datatype=XSD.nonNegativeInteger)),
        ):
            self._add(self.graph_name, t)
        return iri

    def add_entity(
        self,
        eid: str,
        *,
        type: str | Sequence[str],
        label: str,
        zh: str | None = None,
        alt: Iterable[str] = (),
        alt_zh: Iterable[str] = (),
        mentioned_in: Iterable[str | URIRef] = (),
    ) -> URIRef:
        """Declare an entity: its class(es), labels and (optionally) evidence passages.

        An entity also gets ``pkg:mentionedIn`` from every fact that names it.

        Returns:
            The entity IRI ``kg:<eid>``.
        """
        item = f"entity {eid}"
        if not SLUG.match(eid):
            raise AuthoringError(
                f"extension {self.name}: {item}: ids are lower-case slugs (a-z, 0-9, '-')"
            )
        if not isinstance(label, str) or not label.strip():
            raise AuthoringError(f"extension {self.name}: {item}: needs an English 'label'")
        iri = URIRef(KG + eid)
        self.entities.add(iri)
        compiler = self._compiler()
        g = self.graph_name
        for t in [type] if isinstance(type, str) else list(type):
            self._add(g, (iri, RDF.type, compiler.cls(t, item)))
        self._add(g, (iri, SKOS.prefLabel, Literal(label, lang="en")))
        self._add(g, (iri, RDFS.label, Literal(label, lang="en")))
        if zh:
            self._add(g, (iri, SKOS.prefLabel, Literal(zh, lang="zh")))
            self._add(g, (iri, RDFS.label, Literal(zh, lang="zh")))
        for text, lang in [(a, "en") for a in alt] + [(a, "zh") for a in alt_zh]:
            self._add(g, (iri, SKOS.altLabel, Literal(text, lang=lang)))
        for ref in mentioned_in:
            self._add(g, (iri, PKG.mentionedIn, self._passage(ref)))
        return iri

    def add_fact(self, subject: str, predicate: str, obj: Any, *, passage: str | URIRef) -> Triple:
        """Add one fact to the named graph of the passage that states it.

        Args:
            subject: an entity id (``kg:`` local name) declared here or in the graph.
            predicate: a ``pkg:`` local name or a CURIE (``skos:definition``).
            obj: an entity id for object properties; else a value typed like in YAML.
            passage: the passage IRI (from :meth:`add_passage`) or an existing passage id.

        Returns:
            The triple added.
        """
        p_iri = self._passage(passage)
        item = f"fact [{subject}, {predicate}, {obj}]"
        compiler = self._compiler()
        s = compiler.entity(subject, item)
        p = compiler.predicate(predicate, item)
        objects = compiler.objects(p, obj, item)
        triple: Triple = (s, p, objects[0])
        for o in objects:
            self._add(p_iri, (s, p, o))
            for node in (s, o):
                if isinstance(node, URIRef) and node.startswith(str(KG)):
                    self._add(self.graph_name, (node, PKG.mentionedIn, p_iri))
        return triple

    # -- output ---------------------------------------------------------------------------------
    def quads(self) -> list[tuple[Node, Node, Node, URIRef]]:
        """Every quad of the extension."""
        return [(s, p, o, g) for g, ts in self.graphs.items() for s, p, o in ts]

    def trig(self) -> str:
        """The deterministic TriG text of the extension."""
        return to_trig(self.graphs)

    def check(self, *, overwrite: bool = False) -> Report:
        """Validate the graph as it would be with this extension saved (nothing is written).

        Raises:
            ValidationFailed: the would-be graph has violations.
        """
        name = display_path(self.path)
        if self.path.exists() and not overwrite:
            raise AuthoringError(f"{name} already exists; pass overwrite=True to replace it")
        parts = [*self.project.without(name), Part(name, tuple(self.quads()))]
        return _check(parts, what=f"extension {self.name} was not saved")

    def save(self, *, overwrite: bool = False) -> Path:
        """Check the would-be graph, then write ``graphs/extensions/<name>.trig`` atomically.

        Raises:
            ValidationFailed: the extension would make the graph invalid (nothing is written).
            AuthoringError: the file exists and ``overwrite`` is false.
        """
        self.check(overwrite=overwrite)
        return write_atomic(self.path, self.trig())


# -- owlready2 -----------------------------------------------------------------------------------


def save_owlready(ontology: Any, name: str, *, overwrite: bool = False) -> Path:
    """Check an owlready2 ontology's triples with the graph, then save them as Turtle.

    Args:
        ontology: an owlready2 ``Ontology`` (what you filled with ``with onto: ...``).
        name: the file stem: writes ``graphs/extensions/<name>.ttl``.
        overwrite: replace an existing file of that name.

    Raises:
        ValidationFailed: the would-be graph has violations (nothing is written).
    """
    import io

    if not SLUG.match(name):
        raise AuthoringError(f"extension name must be a lower-case slug, got {name!r}")
    buffer = io.BytesIO()
    ontology.save(file=buffer, format="ntriples")
    graph = Graph()
    graph.parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    dest = extensions_dir() / f"{name}.ttl"
    shown = display_path(dest)
    if dest.exists() and not overwrite:
        raise AuthoringError(f"{shown} already exists; pass overwrite=True to replace it")
    project = _Project()
    gname = URIRef(f"{KGG}extension-{name}")
    part = Part(shown, tuple((s, p, o, gname) for s, p, o in graph))
    _check([*project.without(shown), part], what=f"{shown} was not saved")
    return write_atomic(dest, to_turtle(graph))


# -- CSV ------------------------------------------------------------------------------------------


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^-?\d+$")


def _scalar(cell: str) -> Any:
    """Type a CSV value the way YAML would: integer, decimal, date, else text."""
    if _INT.match(cell):
        return int(cell)
    if _DATE.match(cell):
        try:
            return _dt.date.fromisoformat(cell)
        except ValueError:
            return cell
    if re.match(r"^-?\d+\.\d+$", cell):
        try:
            return float(Decimal(cell))
        except InvalidOperation:
            return cell
    return cell


def read_csv_source(path: Path) -> list[dict[str, str]]:
    """Read the rows of a CSV source; a malformed file raises a one-line ParseError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ParseError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        reader = csv.DictReader(text.splitlines(), strict=True)
        header = [h.strip() for h in reader.fieldnames or []]
        rows = []
        for row in reader:
            if None in row:
                raise ParseError(f"{path}:{reader.line_num}: more cells than columns")
            rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items()})
    except csv.Error as exc:
        raise ParseError(f"{path}:{reader.line_num}: CSV syntax error: {exc}") from None
    if "kind" not in header or "id" not in header:
        raise ParseError(
            f"{path}:1: the header needs at least the columns 'kind' and 'id' "
            f"(columns: {', '.join(CSV_COLUMNS)})"
        )
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise ParseError(
            f"{path}:1: unknown column(s) {', '.join(unknown)} (columns: {', '.join(CSV_COLUMNS)})"
        )
    return rows


def csv_to_mapping(
    rows: Sequence[Mapping[str, str]], *, source: Path, ontology: OntologyIndex
) -> dict[str, Any]:
    """Convert CSV rows into the YAML authoring mapping (see ``docs/extending.md``).

    One row per item, ``kind`` saying which: ``document`` (id, type, label = title, text = the
    stored text file), ``passage`` (id, quote, optional occurrence), ``entity`` (id, type, label,
    zh, alt, alt_zh; ``|`` separates several values; passage = extra evidence passages) and
    ``fact`` (id = subject, predicate, object, passage). A ``fact`` row without a passage whose
    subject is the document sets a field of the document record (publisher, year...).
    """
    where = str(source)
    document: dict[str, Any] = {}
    entities: dict[str, Any] = {}
    passages: dict[str, Any] = {}
    doc_fields: list[tuple[int, str, str]] = []
    facts: list[tuple[int, dict[str, str]]] = []
    for n, row in enumerate(rows, 2):
        kind = row.get("kind", "").lower()
        rid = row.get("id", "")
        at = f"{where}:{n}"
        if kind == "document":
            if document:
                raise AuthoringError(
                    f"{at}: a CSV source describes one document; found a second 'document' row"
                )
            document = {
                "id": rid,
                "type": row.get("type") or "Document",
                "text": row.get("text", ""),
                "title": row.get("label", ""),
            }
        elif kind == "entity":
            if rid in entities:
                raise AuthoringError(f"{at}: entity '{rid}' is declared twice")
            types = _split(row.get("type", ""))
            desc: dict[str, Any] = {
                "type": types[0] if len(types) == 1 else types,
                "label": row.get("label", ""),
            }
            if row.get("zh"):
                desc["zh"] = row["zh"]
            for key in ("alt", "alt_zh"):
                if row.get(key):
                    desc[key] = _split(row[key])
            if row.get("passage"):
                desc["mentioned_in"] = _split(row["passage"])
            entities[rid] = desc
        elif kind == "passage":
            if rid in passages:
                raise AuthoringError(f"{at}: passage '{rid}' is declared twice")
            body: dict[str, Any] = {"quote": row.get("quote", ""), "facts": []}
            if row.get("occurrence"):
                if not _INT.match(row["occurrence"]):
                    raise AuthoringError(
                        f"{at}: occurrence must be a number, got {row['occurrence']!r}"
                    )
                body["occurrence"] = int(row["occurrence"])
            passages[rid] = body
        elif kind == "fact":
            facts.append((n, dict(row)))
        elif kind or any(row.values()):
            raise AuthoringError(
                f"{at}: unknown kind {kind!r} (use document, entity, passage or fact)"
            )
    if not document:
        raise AuthoringError(
            f"{where}: needs one 'document' row (id, type, label = title, text = stored text file)"
        )
    for n, row in facts:
        at = f"{where}:{n}"
        subject, pred, obj, pid = (
            row.get("id", ""),
            row.get("predicate", ""),
            row.get("object", ""),
            row.get("passage", ""),
        )
        if not subject or not pred or obj == "":
            raise AuthoringError(f"{at}: a fact row needs id (the subject), predicate and object")
        value: Any = obj
        is_object_property = pred.removeprefix("pkg:") in {
            str(p).removeprefix(str(PKG)) for p in ontology.object_properties
        }
        if not is_object_property:
            value = _scalar(obj)
        if not pid:
            if subject != document["id"]:
                raise AuthoringError(
                    f"{at}: fact [{subject}, {pred}, {obj}] needs the passage that states it"
                )
            doc_fields.append((n, pred, value))
            continue
        if pid not in passages:
            raise AuthoringError(f"{at}: fact names unknown passage '{pid}'")
        passages[pid]["facts"].append([subject, pred, value])
    for _n, pred, value in doc_fields:
        document[pred] = value
    return {"document": document, "entities": entities, "passages": passages}


def _dump_yaml(data: Mapping[str, Any]) -> str:
    """Dump an authoring mapping as YAML, facts and label lists in flow style ([a, b, c])."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.Node:
        flow = all(not isinstance(x, (list, dict)) for x in items)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)

    Dumper.add_representer(list, represent_list)
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


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
