"""SHACL: the shapes over the union; the graph-wide ones on the store, the rest by an engine.

Two engines, chosen by measurement (``docs/validation.md``,
``benchmarks/RESULTS-shacl-engines.md``):
``pyshacl-turbo`` (the default: a Rust engine with pySHACL's API, the same results as pySHACL on
the shapes, every fixture and one case per constraint component, 25-40 times faster) and
``pyshacl`` (the reference). Both read the union as N-Triples, literals as written, no inference.

The *graph-wide* shapes (:func:`split_shapes`: a fixed ``sh:targetNode``, nothing but
``sh:sparql`` constraints) scan the whole graph in one SELECT each; the engines run them slowly at
scale (pyshacl-turbo did not finish in 420 s at 1M triples). They run instead as SHACL-SPARQL
prescribes, on the Oxigraph store the other checks use: ``$this`` pre-bound to the target, the
prefixes of ``sh:prefixes``/``sh:declare``, one result per solution (focus node ``$this``,
``sh:resultPath`` ``?path``, ``sh:value`` ``?value`` or ``$this``, the shape's severity, each
``sh:message`` with ``{?var}``/``{$var}`` replaced as pySHACL replaces them). A solution that binds
a literal or a blank node could read differently in the store (it keeps ``"05"^^xsd:integer`` as
``"5"``, ``xsd:nonNegativeInteger`` as ``xsd:integer``): then that shape goes to the engine with
the others, so that the problems are always those of the engine on all shapes
(``tests/test_validate_engines.py`` compares both on every fixture and generated corpus).

The parts: ``shacl_shapes.py`` (shape preparation), ``shacl_store.py`` (the graph-wide shapes on
the store), ``shacl_engine.py`` (the engines, in process or apart), ``shacl_problems.py`` (results
read into problems); this module starts and collects a run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rdflib import Graph
from rdflib.term import Node

from policykg.core.errors import ValidationError
from policykg.core.namespaces import RDF

from .data import CheckData
from .options import DEFAULT_ENGINE, SHACL_ENGINES
from .report import Problem
from .shacl_engine import EngineRun, shacl_report
from .shacl_problems import engine_results, result_problems
from .shacl_shapes import (
    ShaclResult,
    StoreShape,
    engine_predicates,
    keep_predicates,
    sh_term,
    shapes_only,
    shapes_without,
    split_shapes,
)
from .shacl_store import store_results

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINE_PROCESS_TRIPLES",
    "SHACL_ENGINES",
    "EngineRun",
    "ShaclRun",
    "StoreShape",
    "check_shacl_data",
    "engine_predicates",
    "keep_predicates",
    "shacl_report",
    "split_shapes",
    "start_shacl",
    "store_results",
]


def check_shacl_data(
    data: CheckData,
    shapes: Graph,
    *,
    engine: str = DEFAULT_ENGINE,
    focus: Callable[[Node], bool] | None = None,
    split: bool = True,
) -> list[Problem]:
    """Validate ``data`` against the SHACL ``shapes``; one :class:`Problem` per result.

    ``focus``, when given, says which focus nodes' results to report (the others are not
    turned into problems: an incremental check's context has results nobody asked about).
    ``split=False`` gives every shape to the engine (the reference the split is tested
    against).
    """
    return start_shacl(data, shapes, engine=engine, focus=focus, split=split).problems()


#: From this many quads on, :func:`start_shacl` runs the engine in a process of its own, in
#: parallel with the other checks (its start costs about a second).
ENGINE_PROCESS_TRIPLES = 250_000


class ShaclRun:
    """SHACL under way (:func:`start_shacl`): the store's results, the engine's to come."""

    def __init__(
        self,
        data: CheckData,
        shapes: Graph,
        results: list[ShaclResult],
        engine: Sequence[EngineRun | Graph],
        focus: Callable[[Node], bool] | None,
    ) -> None:
        self._data = data
        self._shapes = shapes
        self._results = results
        self._engine = engine
        self._focus = focus

    def problems(self) -> list[Problem]:
        """Wait for the engine (when it runs apart); one :class:`Problem` per result.

        Raises:
            ValidationError: the engine's process failed.
        """
        results = list(self._results)
        try:
            for run in self._engine:
                report = run.report() if isinstance(run, EngineRun) else run
                results += engine_results(report)
        finally:
            self.cancel()
        return result_problems(self._data, self._shapes, results, self._focus)

    def cancel(self) -> None:
        """Stop the engine's processes still running, if any (the results are not wanted)."""
        for run in self._engine:
            if isinstance(run, EngineRun):
                run.cancel()


def start_shacl(
    data: CheckData,
    shapes: Graph,
    *,
    engine: str = DEFAULT_ENGINE,
    focus: Callable[[Node], bool] | None = None,
    split: bool = True,
    apart: bool | None = None,
    release: bool = False,
    focus_nodes: Sequence[Node] | None = None,
) -> ShaclRun:
    """Run the graph-wide shapes on the store and start the engine on the others.

    ``apart`` runs the engine in a process of its own (default: from
    :data:`ENGINE_PROCESS_TRIPLES` triples on), so that the caller can run other checks while it
    works; ``release`` lets go of ``data.ntriples`` once the engine has it (nothing else needs
    it). ``focus_nodes`` (IRIs; ``focus`` must accept exactly these) has the engine validate only
    those focus nodes, as pySHACL's option of that name does: the results ``focus`` keeps,
    without the engine working out and reporting the others.

    Raises:
        ValidationError: an unknown engine, or the data was loaded without its N-Triples.
    """
    if data.ntriples is None:
        raise ValidationError("the data was loaded without its N-Triples union")
    if engine not in SHACL_ENGINES:
        raise ValidationError(
            f"unknown SHACL engine {engine!r}; choose one of {', '.join(SHACL_ENGINES)}"
        )
    results: list[ShaclResult] = []
    rest, graph_wide = split_shapes(shapes) if split else (shapes, [])
    separate = apart if apart is not None else data.quads >= ENGINE_PROCESS_TRIPLES
    nodes = [str(n) for n in focus_nodes] if focus_nodes else None
    runs: list[EngineRun | Graph] = []
    ntriples = data.ntriples

    def start(engine_shapes: Graph) -> None:
        if not any(True for _ in engine_shapes.subjects(RDF.type, sh_term("NodeShape"))):
            return
        if separate:
            # a large union: only the triples the shapes can read (a fifth less at 1M triples)
            predicates = engine_predicates(engine_shapes)
            text = ntriples if predicates is None else keep_predicates(ntriples, predicates)
            runs.append(EngineRun(text, engine_shapes, engine=engine, focus_nodes=nodes))
        else:
            runs.append(shacl_report(ntriples, engine_shapes, engine=engine, focus_nodes=nodes))

    if separate:
        start(rest)  # the engine starts first, and works while the store runs its queries
    done: list[StoreShape] = []
    again: list[StoreShape] = []
    for store_shape in graph_wide:
        found = store_results(data, store_shape)
        if found is None:
            again.append(store_shape)
        else:
            done.append(store_shape)
            results += found
    if not separate:
        start(shapes_without(shapes, done))
    elif again:
        start(shapes_only(shapes, [s.node for s in again]))
    if release:
        data.ntriples = None
    return ShaclRun(data, shapes, results, runs, focus)
