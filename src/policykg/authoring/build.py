"""Build the document graphs: compile every ``graphs/sources/*.yaml`` into ``graphs/<doc>.trig``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from policykg.authoring.compiler import (
    CompiledSource,
    OntologyIndex,
    compile_source,
    load_source_mapping,
)
from policykg.core.io import write_many_atomic
from policykg.core.namespaces import KG
from policykg.core.paths import graphs_dir, sources_dir, write_journal

__all__ = ["BuildResult", "build_graphs", "compile_all", "source_files"]


@dataclass
class BuildResult:
    """What a build did.

    Attributes:
        written: files whose content changed and were rewritten.
        unchanged: files already up to date.
        compiled: the compiled sources, in build order.
    """

    written: list[Path]
    unchanged: list[Path]
    compiled: list[CompiledSource]


def source_files(sources: Path | None = None) -> list[Path]:
    """Return the authoring sources, sorted by name (the build order)."""
    folder = sources or sources_dir()
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def compile_all(
    sources: list[Path] | None = None, *, ontology: OntologyIndex | None = None
) -> list[CompiledSource]:
    """Compile every source; the document and entities of each are known to the others."""
    onto = ontology or OntologyIndex.load()
    paths = list(sources if sources is not None else source_files())
    declared = {path: _declared(path) for path in paths}
    out = []
    for path in paths:
        known = set().union(*(iris for other, iris in declared.items() if other != path))
        out.append(compile_source(path, ontology=onto, known_entities=known))
    return out


def _declared(path: Path) -> set[URIRef]:
    """The IRIs a source declares (its document and entities), read without compiling."""
    data = load_source_mapping(path)
    doc = data.get("document")
    ids = [doc.get("id")] if isinstance(doc, dict) else []
    ids += list(data.get("entities") or {}) if isinstance(data.get("entities"), dict) else []
    return {URIRef(KG + i) for i in ids if isinstance(i, str)}


def build_graphs(*, check: bool = False, out_dir: Path | None = None) -> BuildResult:
    """Compile all sources and write the TriG files that changed (all or none).

    Args:
        check: write nothing; report which files are out of date in ``written``.
        out_dir: where to write (default ``graphs/``).
    """
    folder = out_dir or graphs_dir()
    compiled = compile_all()
    pending: list[tuple[Path, str]] = []
    unchanged: list[Path] = []
    for c in compiled:
        dest = folder / f"{c.doc_id}.trig"
        text = c.trig()
        if dest.is_file() and dest.read_text(encoding="utf-8") == text:
            unchanged.append(dest)
        else:
            pending.append((dest, text))
    if not check and pending:
        write_many_atomic(pending, journal=write_journal())
    return BuildResult([p for p, _ in pending], unchanged, compiled)
