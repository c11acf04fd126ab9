"""Where the project's files are.

In a source checkout (the normal case, ``pip install -e .``) files live at the repository's top
level; a wheel carries a copy under ``policykg/_project``. ``POLICYKG_HOME`` overrides both, so
a user can point the tool at their own copy of ``ontology/`` and ``graphs/``.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__all__ = [
    "corpus_dir",
    "extensions_dir",
    "graphs_dir",
    "html_file",
    "inferred_file",
    "ontology_dir",
    "ontology_file",
    "project_root",
    "shapes_file",
    "sources_dir",
    "write_journal",
]


def _looks_like_root(path: Path) -> bool:
    return (path / "ontology" / "policykg.ttl").is_file() and (path / "graphs").is_dir()


@cache
def project_root() -> Path:
    """Return the folder holding ``ontology/`` and ``graphs/``."""
    env = os.environ.get("POLICYKG_HOME")
    if env:
        return Path(env).resolve()
    package = Path(__file__).resolve().parent.parent  # src/policykg (this file is core/paths.py)
    for candidate in (package.parent.parent, package / "_project"):
        if _looks_like_root(candidate):
            return candidate
    return package.parent.parent


def ontology_dir() -> Path:
    """Return the ``ontology/`` folder."""
    return project_root() / "ontology"


def ontology_file() -> Path:
    """Return the ontology in Turtle."""
    return ontology_dir() / "policykg.ttl"


def shapes_file() -> Path:
    """Return the SHACL shapes."""
    return ontology_dir() / "shapes.ttl"


def graphs_dir() -> Path:
    """Return the ``graphs/`` folder."""
    return project_root() / "graphs"


def sources_dir() -> Path:
    """Return the folder of authoring sources (YAML) and stored document texts."""
    return graphs_dir() / "sources"


def extensions_dir() -> Path:
    """Return the folder whose Turtle/TriG files are loaded automatically."""
    return graphs_dir() / "extensions"


def corpus_dir() -> Path:
    """Return the folder ``policykg corpus import`` writes imported documents to."""
    return graphs_dir() / "corpus"


def inferred_file() -> Path:
    """Return the file ``policykg reason`` writes inferred triples to."""
    return graphs_dir() / "inferred.ttl"


def write_journal() -> Path:
    """Return the journal of a multi-file write in progress (``add``, ``build``; see core.io)."""
    return graphs_dir() / ".policykg-write.journal"


def html_file() -> Path:
    """Return the default path of the interactive HTML graph."""
    return graphs_dir() / "policykg.html"
