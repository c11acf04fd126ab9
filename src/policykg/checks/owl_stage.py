"""OWL consistency, the last stage of validation: HermiT, the consistency queries, the cache.

Part of :mod:`policykg.checks.validate` (see its description, point 4): HermiT on the ontology
and data, or the queries of :mod:`~policykg.checks.consistency` and HermiT on the ontology alone,
whose consistent verdict is cached per ontology and HermiT version (``$POLICYKG_CACHE``,
``$XDG_CACHE_HOME`` or ``~/.cache``, then ``policykg/``); HermiT's consistent verdict on the
ontology and data is remembered there too, keyed by the exact bytes HermiT reads and HermiT's
version (:func:`remembered_hermit`).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from rdflib import Graph

from policykg.core.namespaces import OWL, RDF
from policykg.rdf.terms import curie, from_oxigraph

from .consistency import Clash, datatype_clashes
from .consistency import disjointness_clashes as _clashes
from .data import CheckData, graph_data
from .reason import hermit_consistent, hermit_input, hermit_version, is_consistent
from .report import Problem, Report

__all__ = [
    "consistency_stage",
    "inconsistency_problems",
    "query_problems",
    "remembered_hermit",
    "timed_hermit",
]


def consistency_stage(
    data: CheckData,
    report: Report,
    future: Future[tuple[bool, float]] | None,
    *,
    hermit_data: bool,
    owl_if_clean: bool,
    problems: list[Problem],
) -> list[Problem]:
    """The OWL consistency stage of :func:`~policykg.checks.validate.validate_data`.

    HermiT on the data (``hermit_data``) or on the ontology alone plus the consistency queries;
    sets ``report``'s ``owl_check``, ``consistent`` and timings. ``future``: HermiT already
    started; ``owl_if_clean``: nothing when ``problems`` has a violation.
    """
    t0 = time.perf_counter()
    found: list[Problem] = []
    if owl_if_clean and any(p.severity == "violation" for p in problems):
        return found
    if future is not None:
        consistent, hermit_time = future.result()
    else:
        consistent, hermit_time = timed_hermit(data, not hermit_data)
    report.timings["hermit"] = hermit_time
    if hermit_data:
        report.owl_check = "hermit"
        report.consistent = consistent
        if not consistent:
            found += inconsistency_problems(data)
    else:
        report.owl_check = "sparql"
        found += query_problems(data, prefix="OWL queries: the ontology and data are inconsistent")
        if not consistent:
            found.append(
                Problem(
                    "(graph)",
                    "(the ontology)",
                    "OWL consistency",
                    "HermiT: the ontology itself is inconsistent",
                )
            )
        report.consistent = consistent and not found
    report.timings["owl"] = time.perf_counter() - t0
    return found


def _clash_message(prefix: str, clash: Clash) -> str:
    ind, (c1, why1), (c2, why2), (d1, d2) = clash
    return (
        f"{prefix}: {curie(ind)} is a {curie(c1)} ({why1}) and a {curie(c2)} ({why2}), and the "
        f"ontology declares {curie(d1)} and {curie(d2)} disjoint"
    )


def query_problems(data: CheckData, *, prefix: str) -> list[Problem]:
    """One problem per clash the consistency queries find, each message after ``prefix``."""
    problems = []
    for clash in _clashes(data):
        ind, (c1, why1) = clash[0], clash[1]
        problems.append(
            Problem(
                data.file_of(ind, (ind, RDF.type, c1) if why1 == "asserted" else None),
                data.label(ind),
                "OWL consistency",
                _clash_message(prefix, clash),
            )
        )
    for s, p, o, rng in datatype_clashes(data):
        problems.append(
            Problem(
                data.file_of(s, (s, p, o)),
                data.label(s),
                "OWL consistency",
                f"{prefix}: the value {o.n3()} of {curie(p)} is not a {curie(rng)}, the range "
                "the ontology gives it",
            )
        )
    return problems


def inconsistency_problems(data: CheckData | Graph) -> list[Problem]:
    """Explain an inconsistency HermiT found: one problem per clash the queries find."""
    if isinstance(data, Graph):
        data = graph_data(data)
    problems = query_problems(data, prefix="HermiT: the ontology and data are inconsistent")
    if not problems:
        problems.append(
            Problem(
                "(graph)",
                "(the whole graph)",
                "OWL consistency",
                "HermiT: the ontology and data are inconsistent, but no individual typed with "
                "two disjoint classes was found; look for other axioms the data contradicts",
            )
        )
    return problems


def _ontology_graph(data: CheckData) -> Graph:
    """The ontology sources alone, without ``owl:imports`` (what HermiT's cached verdict is of).

    HermiT would fetch an imported ontology over the network: the triples are what is checked,
    nothing else.
    """
    graph = Graph()
    for source in data.sources:
        if source.ontology and not source.context:
            for q in source.quads():
                graph.add(tuple(from_oxigraph(t) for t in (q.subject, q.predicate, q.object)))  # type: ignore[arg-type]
    graph.remove((None, OWL.imports, None))
    return graph


def _canonical_ntriples(graph: Graph) -> bytes:
    """The graph's N-Triples, sorted, every blank node written ``_:b`` (a key, not a graph)."""
    lines = sorted(
        re.sub(r"_:\S+", "_:b", line)
        for line in graph.serialize(format="nt").splitlines()
        if line.strip()
    )
    return "\n".join(lines).encode("utf-8")


def _marker(kind: str, inputs: bytes) -> Path:
    """Where a consistent verdict on ``inputs`` is kept, keyed by them and by HermiT's version."""
    digest = hashlib.sha256(hermit_version().encode("ascii") + b"\0" + inputs).hexdigest()
    return _cache_dir() / f"hermit-consistent-{kind}{digest}"


def _cache_dir() -> Path:
    base = os.environ.get("POLICYKG_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "policykg" if base else Path.home() / ".cache" / "policykg"


def timed_hermit(data: CheckData, ontology_only: bool) -> tuple[bool, float]:
    """HermiT's verdict and its seconds; on the ontology alone, a consistent verdict is cached."""
    t0 = time.perf_counter()
    if not ontology_only:
        # the union's N-Triples go to HermiT as they are (converted without an rdflib graph)
        return remembered_hermit(hermit_input(data.ntriples or b"")), time.perf_counter() - t0
    graph = _ontology_graph(data)
    marker = _marker("", _canonical_ntriples(graph))
    return _remembered(marker, lambda: is_consistent(graph)), time.perf_counter() - t0


def _remembered(marker: Path, verdict: Callable[[], bool]) -> bool:
    """True when ``marker`` exists; else ``verdict()``, leaving ``marker`` when it is True."""
    if marker.exists():
        return True
    consistent = verdict()
    if consistent:
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass  # a cache that cannot be written only costs time
    return consistent


def remembered_hermit(ntriples: bytes) -> bool:
    """HermiT's verdict on ``ntriples`` (:func:`~policykg.checks.reason.hermit_input`).

    A consistent verdict is remembered, keyed by the SHA-256 of these exact bytes (everything
    HermiT reads) and of HermiT's version (:func:`~policykg.checks.reason.hermit_version`), as an
    empty file next to the ontology's verdicts: the same inputs validated again do not start
    Java. Any other input, or an inconsistent one, runs HermiT.
    """
    return _remembered(_marker("data-", ntriples), lambda: hermit_consistent(ntriples))
