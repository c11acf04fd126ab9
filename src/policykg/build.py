"""Build the document graphs: compile every ``graphs/sources/*.yaml`` into ``graphs/<doc>.trig``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from .authoring import CompiledSource, OntologyIndex, compile_source
from .io import write_many_atomic

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
    from .paths import sources_dir

    folder = sources or sources_dir()
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def compile_all(sources: list[Path] | None = None, *, ontology: OntologyIndex | None = None) -> list[CompiledSource]:
    """Compile every source; entities declared by earlier sources are known to later ones."""
    onto = ontology or OntologyIndex.load()
    known: set[URIRef] = set()
    out = []
    for path in sources if sources is not None else source_files():
        compiled = compile_source(path, ontology=onto, known_entities=known)
        known.update(compiled.entities)
        out.append(compiled)
    return out


def build_graphs(*, check: bool = False, out_dir: Path | None = None) -> BuildResult:
    """Compile all sources and write the TriG files that changed (all or none).

    Args:
        check: write nothing; report which files are out of date in ``written``.
        out_dir: where to write (default ``graphs/``).
    """
    from .paths import graphs_dir

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
        write_many_atomic(pending)
    return BuildResult([p for p, _ in pending], unchanged, compiled)
