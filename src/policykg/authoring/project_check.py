"""The project as it is now, and the check of a would-be graph before anything is written.

Shared by the ways in of :mod:`policykg.authoring.extend` (the Python helpers of
:mod:`~policykg.authoring.extension` and ``policykg add``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rdflib import Graph, URIRef

from policykg.checks.data import part_source
from policykg.checks.incremental import open_store, validate_against_store
from policykg.checks.validate import (
    Part,
    Report,
    ValidationFailed,
    project_parts,
    validate_parts,
)
from policykg.core.errors import AuthoringError, StoredTextError
from policykg.core.io import read_stored_text
from policykg.core.namespaces import PKG, RDF
from policykg.core.paths import graphs_dir

__all__ = ["ProjectGraph", "check_would_be"]


class ProjectGraph:
    """The current graph (parsed once) and what the helpers need to know of it."""

    def __init__(self) -> None:
        self.parts = project_parts()
        self.union = Graph()
        for part in self.parts:
            for s, p, o, _ in part.quads:
                self.union.add((s, p, o))

    def declared(self) -> set[URIRef]:
        """Every subject with an ``rdf:type``."""
        return {s for s in self.union.subjects(RDF.type, None) if isinstance(s, URIRef)}

    def passages(self) -> set[URIRef]:
        """Every ``pkg:Passage``."""
        return {p for p in self.union.subjects(RDF.type, PKG.Passage) if isinstance(p, URIRef)}

    def text_of(self, doc: URIRef) -> str:
        """The stored text of document ``doc``."""
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
        """The parts but the one named ``name``."""
        return [p for p in self.parts if p.name != name]


def check_would_be(
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
