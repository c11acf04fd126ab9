"""The choices a validation offers (no heavy imports: the command line reads them at start)."""

from __future__ import annotations

__all__ = ["DEFAULT_ENGINE", "OWL_CHECKS", "SHACL_ENGINES"]

#: The SHACL engines: pyshacl-turbo (the default, chosen by measurement: docs/validation.md) and
#: pySHACL (the reference).
SHACL_ENGINES = ("pyshacl-turbo", "pyshacl")
DEFAULT_ENGINE = "pyshacl-turbo"
#: How consistency may be checked: ``auto`` (HermiT up to ``HERMIT_LIMIT`` triples, the queries
#: above), ``hermit`` (always HermiT on ontology and data), ``sparql`` (the queries, and HermiT
#: on the ontology alone).
OWL_CHECKS = ("auto", "hermit", "sparql")
