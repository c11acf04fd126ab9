"""Check the knowledge graph: SHACL, verbatim evidence, the violation queries, OWL consistency.

The inputs (the ontology, every data graph, extension files, triples about to be written) are
loaded once into an in-memory Oxigraph store (:class:`~policykg.checks.data.CheckData`); every
check then takes that data explicitly:

1. **SHACL** (:mod:`~policykg.checks.shacl`): ``ontology/shapes.ttl`` over the union as one plain
   graph, no inference, by pyshacl-turbo (default) or pySHACL (``engine="pyshacl"``).
2. **Evidence** (:mod:`~policykg.checks.evidence`, queries on the store): quotes equal the text at
   their offsets, texts match their SHA-256, facts live in passage graphs, linked entities are
   declared.
3. **The violation queries** (:mod:`~policykg.checks.violations`): every ``*-violation`` query of
   the catalogue must return nothing.
4. **OWL consistency**: HermiT (command line) on the ontology and data when the union has at most
   :data:`HERMIT_LIMIT` triples (or ``owl="hermit"``); above that the queries of
   :mod:`~policykg.checks.consistency` (disjoint types, datatype ranges), which are complete for
   the ontology's axioms, and HermiT on the ontology alone (its verdict cached per ontology);
   that stage is :mod:`~policykg.checks.owl_stage`.

Each problem is one :class:`Problem`, printed as one line: ``file: entity: [rule] message``.
See ``docs/validation.md`` for which check runs where and why.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from policykg.core.errors import ValidationError
from policykg.core.namespaces import ONTOLOGY_IRI
from policykg.core.paths import graphs_dir, shapes_file
from policykg.rdf.graphio import GraphFile, parse_file
from policykg.rdf.terms import curie

from .consistency import Clash, unsupported_axioms
from .consistency import disjointness_clashes as _clashes
from .data import (
    CheckData,
    Part,
    Source,
    display_path,
    graph_data,
    load_sources,
    part_source,
    project_parts,
    project_sources,
    read_part,
)
from .evidence import DECLARATION_PREDICATES, check_evidence_data
from .labels import check_labels
from .options import DEFAULT_ENGINE, OWL_CHECKS, SHACL_ENGINES
from .owl_stage import consistency_stage, inconsistency_problems, timed_hermit
from .reason import is_consistent
from .report import Problem, Report, ValidationFailed
from .shacl import ShaclRun, start_shacl
from .violations import check_violation_queries

__all__ = [
    "DECLARATION_PREDICATES",
    "DEFAULT_ENGINE",
    "HERMIT_LIMIT",
    "OWL_CHECKS",
    "SHACL_ENGINES",
    "CheckData",
    "Part",
    "Problem",
    "Report",
    "Source",
    "ValidationFailed",
    "check_evidence",
    "check_owl",
    "curie",
    "disjointness_clashes",
    "display_path",
    "ensure_valid",
    "inconsistency_problems",
    "project_parts",
    "read_part",
    "validate",
    "validate_data",
    "validate_files",
    "validate_parts",
]

#: The largest union ``owl="auto"`` gives HermiT (about 5 s there; its start alone is 2-3 s).
HERMIT_LIMIT = 50_000
#: Called with the name of each stage as it starts (``load``, ``shacl``, ``evidence``...).
Progress = Callable[[str], None]


def _owl_mode(owl: bool | str) -> str | None:
    if owl is True:
        return "auto"
    if owl is False or owl is None:
        return None
    if owl not in OWL_CHECKS:
        raise ValidationError(f"unknown OWL check {owl!r}; choose one of {', '.join(OWL_CHECKS)}")
    return owl


def validate_data(
    data: CheckData,
    *,
    shapes: Graph | Path | None = None,
    shacl: bool = True,
    evidence: bool = True,
    queries: bool = True,
    owl: bool | str = "auto",
    engine: str = DEFAULT_ENGINE,
    owl_if_clean: bool = False,
    progress: Progress | None = None,
    focus: Callable[[Node], bool] | None = None,
    focus_nodes: Sequence[Node] | None = None,
    labels: bool = True,
) -> Report:
    """Run the checks on ``data``.

    Args:
        data: the loaded inputs (:meth:`CheckData.load`).
        shapes: the SHACL shapes, a graph or a file (default ``ontology/shapes.ttl``).
        shacl: run the SHACL shapes.
        evidence: run the evidence checks.
        queries: run the ``*-violation`` queries.
        owl: ``True``/``"auto"``, ``"hermit"``, ``"sparql"`` (see :data:`OWL_CHECKS`) or
            ``False`` (no consistency check).
        engine: the SHACL engine (:data:`SHACL_ENGINES`).
        owl_if_clean: check consistency only when the other checks found no violation.
        progress: called with each stage's name as it starts.
        focus: which SHACL focus nodes' results to report (default all).
        focus_nodes: the IRIs ``focus`` accepts, when it accepts no blank node: the engine then
            validates only these (the same results, sooner).
        labels: with ``queries``, compare every entity's labels with every other's
            (:mod:`~policykg.checks.labels`; ``validate --store`` compares the new ones itself).

    Raises:
        ParseError: the shapes file cannot be parsed.
        ReasonerError: HermiT cannot run (Java missing, or a Java error).
        ValidationError: an unknown engine or OWL check.
    """
    mode = _owl_mode(owl)
    if shacl and engine not in SHACL_ENGINES:
        raise ValidationError(
            f"unknown SHACL engine {engine!r}; choose one of {', '.join(SHACL_ENGINES)}"
        )
    report = Report(files=[s.name for s in data.sources])
    problems: list[Problem] = []
    pool: ThreadPoolExecutor | None = None
    future: Future[tuple[bool, float]] | None = None
    hermit_data = False

    def plan_owl() -> None:
        nonlocal pool, future, hermit_data
        hermit_data = mode == "hermit" or (mode == "auto" and data.triples <= HERMIT_LIMIT)
        if mode is not None and not hermit_data and unsupported_axioms(data):
            hermit_data = True  # the queries are not a complete check of these axioms
        # HermiT runs in a Java process: start it now, in a thread, so that it overlaps the others.
        if mode is not None and not owl_if_clean:
            pool = ThreadPoolExecutor(max_workers=1)
            future = pool.submit(timed_hermit, data, not hermit_data)

    shacl_run: ShaclRun | None = None
    shacl_time = 0.0

    def shacl_problems() -> None:
        nonlocal shacl_run
        if shacl_run is not None:
            t0 = time.perf_counter()
            problems.extend(shacl_run.problems())
            shacl_run = None
            report.timings["shacl"] = shacl_time + time.perf_counter() - t0

    # A small union: HermiT's Java starts first, to overlap the rest. A large one (more quads
    # than HermiT is given): the SHACL engine's process starts first, and the triples are
    # counted (a second at 1M) while it works.
    large = data.quads > HERMIT_LIMIT
    try:
        if not large:
            plan_owl()
        if shacl:
            _stage(progress, "shacl")
            t0 = time.perf_counter()
            shape_graph = shapes if isinstance(shapes, Graph) else _shapes(shapes)
            # a large union's engine runs in a process of its own while the other checks run
            shacl_run = start_shacl(
                data, shape_graph, engine=engine, focus=focus, focus_nodes=focus_nodes
            )
            report.shacl_engine = engine
            shacl_time = time.perf_counter() - t0
        if large:
            plan_owl()
        if shacl and large and not hermit_data:
            data.ntriples = None  # nothing needs the N-Triples any more (memory)
        report.triples = data.triples
        if evidence:
            _stage(progress, "evidence")
            t0 = time.perf_counter()
            found, report.passages = check_evidence_data(data)
            problems += found
            report.timings["evidence"] = time.perf_counter() - t0
        if queries:
            _stage(progress, "queries")
            t0 = time.perf_counter()
            problems += check_violation_queries(data)
            if labels:
                problems += check_labels(data)  # issue 25 N16: shared and confusable labels
            report.timings["queries"] = time.perf_counter() - t0
        if owl_if_clean:
            shacl_problems()  # whether OWL runs depends on them
        if mode is not None:
            _stage(progress, "owl")
            problems += consistency_stage(
                data,
                report,
                future,
                hermit_data=hermit_data,
                owl_if_clean=owl_if_clean,
                problems=problems,
            )
        shacl_problems()
    finally:
        if shacl_run is not None:
            shacl_run.cancel()
        if pool is not None:
            pool.shutdown(wait=True)
    report.problems = sorted(
        set(problems),
        key=lambda p: (p.severity != "violation", p.file, p.entity, p.rule, p.message),
    )
    return report


def _stage(progress: Progress | None, name: str) -> None:
    if progress is not None:
        progress(name)


def _shapes(path: Path | None) -> Graph:
    return parse_file(path or shapes_file())


# -- the entry points ------------------------------------------------------------------------------


def validate_parts(
    parts: Sequence[Part],
    *,
    shapes: Path | None = None,
    shacl: bool = True,
    evidence: bool = True,
    owl: bool | str = True,
    texts: Mapping[str, str] | None = None,
    owl_if_clean: bool = False,
    queries: bool = True,
    engine: str = DEFAULT_ENGINE,
    texts_dir: Path | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate the union of ``parts`` (parsed inputs).

    Args:
        parts: the inputs (ontology, data graphs, extensions, triples about to be written).
        shapes: the SHACL shapes file (default ``ontology/shapes.ttl``).
        shacl: run the SHACL shapes.
        evidence: run the evidence checks.
        owl: the consistency check (see :func:`validate_data`).
        texts: stored texts not written yet, keyed by their path relative to ``texts_dir``.
        owl_if_clean: run HermiT only when the other checks found no violation (saves seconds
            when a file is rejected anyway).
        queries: run the ``*-violation`` queries.
        engine: the SHACL engine.
        texts_dir: where ``pkg:textFile`` paths point into (default the project's ``graphs/``).
        progress: called with each stage's name as it starts.

    Raises:
        ParseError: the shapes file cannot be parsed.
        ReasonerError: HermiT cannot run (Java missing, or a Java error).
    """
    t0 = time.perf_counter()
    _stage(progress, "load")
    sources = [part_source(p.name, p.quads, p.ontology) for p in parts]
    data = CheckData.load(
        sources, texts_dir=texts_dir or graphs_dir(), texts=texts, triples_file=shacl or bool(owl)
    )
    return _validate_loaded(
        data,
        t0,
        shapes=shapes,
        shacl=shacl,
        evidence=evidence,
        queries=queries,
        owl=owl,
        engine=engine,
        owl_if_clean=owl_if_clean,
        progress=progress,
    )


def validate_files(
    files: Sequence[GraphFile],
    *,
    texts_dir: Path | None,
    names: Sequence[str] | None = None,
    ontology: Sequence[bool] | None = None,
    shapes: Graph | Path | None = None,
    shacl: bool = True,
    evidence: bool = True,
    queries: bool = True,
    owl: bool | str = True,
    engine: str = DEFAULT_ENGINE,
    progress: Progress | None = None,
) -> Report:
    """Validate graph files given explicitly (large ones are parsed by Oxigraph).

    Args:
        files: the files, each with the named graph its triples go to (``None`` for TriG and
            N-Quads, whose graphs are their own).
        texts_dir: where ``pkg:textFile`` paths point into.
        names: how messages name each file (default: its path).
        ontology: which files are the ontology (default: those loaded into its graph).
        shapes: the SHACL shapes (default ``ontology/shapes.ttl``).
        shacl: run the SHACL shapes.
        evidence: run the evidence checks.
        queries: run the ``*-violation`` queries.
        owl: the consistency check (see :func:`validate_data`).
        engine: the SHACL engine.
        progress: called with each stage's name as it starts.

    Raises:
        ParseError: a file cannot be read or parsed.
        ReasonerError: HermiT cannot run.
    """
    t0 = time.perf_counter()
    _stage(progress, "load")
    names = list(names) if names is not None else [str(f.path) for f in files]
    flags = (
        list(ontology) if ontology is not None else [f.graph == URIRef(ONTOLOGY_IRI) for f in files]
    )
    sources = load_sources(files, names, flags)
    data = CheckData.load(sources, texts_dir=texts_dir, triples_file=shacl or bool(owl))
    return _validate_loaded(
        data,
        t0,
        shapes=shapes,
        shacl=shacl,
        evidence=evidence,
        queries=queries,
        owl=owl,
        engine=engine,
        progress=progress,
    )


def validate(
    paths: Sequence[str | Path] = (),
    *,
    extensions: bool = True,
    shapes: Path | None = None,
    shacl: bool = True,
    evidence: bool = True,
    owl: bool | str = True,
    queries: bool = True,
    engine: str = DEFAULT_ENGINE,
    progress: Progress | None = None,
    texts_dir: Path | None = None,
) -> Report:
    """Validate the project's graph plus the extension files in ``paths``.

    Args:
        paths: further RDF files (Turtle, TriG, N-Triples, RDF/XML) to validate with the graph.
        extensions: include ``graphs/extensions/``.
        shapes: the SHACL shapes file (default ``ontology/shapes.ttl``).
        shacl: run the SHACL shapes.
        evidence: run the verbatim-quote and evidence checks.
        owl: the consistency check (``True``/``"auto"``, ``"hermit"``, ``"sparql"`` or
            ``False``).
        queries: run the ``*-violation`` queries.
        engine: the SHACL engine (:data:`SHACL_ENGINES`).
        progress: called with each stage's name as it starts.
        texts_dir: the folder ``pkg:textFile`` paths point into (default the project's
            ``graphs/``); a stored text is read only from inside it.

    Returns:
        The :class:`Report`; ``report.ok`` is ``False`` when any violation was found.

    Raises:
        ParseError: an input cannot be read or parsed (the message names the file and line).
        ReasonerError: HermiT cannot run (for example Java is not installed).
    """
    t0 = time.perf_counter()
    _stage(progress, "parse")
    sources = project_sources(paths, extensions=extensions)
    parse_time = time.perf_counter() - t0
    _stage(progress, "load")
    data = CheckData.load(
        sources, texts_dir=texts_dir or graphs_dir(), triples_file=shacl or bool(owl)
    )
    report = _validate_loaded(
        data,
        t0 + parse_time,
        shapes=shapes,
        shacl=shacl,
        evidence=evidence,
        queries=queries,
        owl=owl,
        engine=engine,
        progress=progress,
    )
    report.timings["parse"] = parse_time
    return report


def ensure_valid(report: Report, *, what: str = "") -> None:
    """Raise :class:`ValidationFailed` when ``report`` has violations."""
    if not report.ok:
        raise ValidationFailed(report.violations, what=what)


# -- the checks one at a time, on rdflib graphs (small inputs, the tests) ------------------------


def check_evidence(
    ds: Dataset,
    union: Graph | None = None,
    *,
    texts: Mapping[str, str] | None = None,
    texts_dir: Path | None = None,
) -> list[Problem]:
    """The evidence checks on an rdflib dataset (see :mod:`policykg.checks.evidence`)."""
    if texts_dir is None:
        texts_dir = graphs_dir()
    data = graph_data(union or Graph(), ds, texts_dir=texts_dir, texts=texts)
    return check_evidence_data(data)[0]


def disjointness_clashes(union: Graph) -> list[Clash]:
    """Individuals of ``union`` whose types fall in two disjoint classes.

    See :func:`policykg.checks.consistency.disjointness_clashes`.
    """
    return _clashes(graph_data(union))


def check_owl(union: Graph) -> tuple[bool, list[Problem]]:
    """Check OWL consistency of ``union`` with HermiT.

    Returns:
        ``(consistent, problems)``; when inconsistent, one problem per clash found.

    Raises:
        ReasonerError: Java is not installed, or HermiT failed for another reason.
    """
    if is_consistent(union):  # owl:imports are left out on the way to HermiT
        return True, []
    return False, inconsistency_problems(union)


def _validate_loaded(data: CheckData, started: float, **options: Any) -> Report:
    """Run :func:`validate_data` on freshly loaded data, close it, and time the load."""
    try:
        load = time.perf_counter() - started
        report = validate_data(data, **options)
    finally:
        data.close()
    report.timings["load"] = load
    return report
