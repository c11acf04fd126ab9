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
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import ValidationError
from policykg.core.namespaces import ONTOLOGY_IRI, OWL, PKG, PREFIXES, RDF, RDFS
from policykg.rdf.terms import curie, from_oxigraph, to_oxigraph

from .data import CheckData
from .options import DEFAULT_ENGINE, SHACL_ENGINES
from .report import Problem

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

SH = "http://www.w3.org/ns/shacl#"
_TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
_OPTIONS: dict[str, Any] = {
    "inference": "none",
    "advanced": True,
    "allow_warnings": True,
    "allow_infos": True,
    "abort_on_first": False,
    "meta_shacl": False,
}


def _sh(name: str) -> URIRef:
    return URIRef(SH + name)


#: What a graph-wide shape may say besides its target, severity and SPARQL constraints.
_SHAPE_ANNOTATIONS = {RDF.type, RDFS.label, RDFS.comment, _sh("name"), _sh("description")}
#: What its SPARQL constraints may say.
_CONSTRAINT_KEYS = {
    RDF.type,
    RDFS.label,
    RDFS.comment,
    _sh("name"),
    _sh("description"),
    _sh("message"),
    _sh("prefixes"),
    _sh("select"),
}


@dataclass(frozen=True)
class _Constraint:
    node: Node
    select: str
    messages: tuple[str, ...]
    prefixes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class StoreShape:
    """A graph-wide shape, run as queries on the store (see the module's description).

    Attributes:
        node: the shape.
        targets: its ``sh:targetNode`` values.
        severity: its ``sh:severity`` (default ``sh:Violation``).
        constraints: its SPARQL constraints.
    """

    node: Node
    targets: tuple[Node, ...]
    severity: Node
    constraints: tuple[_Constraint, ...]


#: One SHACL result: focus node, result path, value, source shape, source constraint, severity,
#: messages, constraint component.
_Result = tuple[
    Node, Node | None, Node | None, Node | None, Node | None, Node | None, list[str], Node | None
]


def split_shapes(shapes: Graph) -> tuple[Graph, list[StoreShape]]:
    """Split ``shapes`` into the shapes for the engine and the graph-wide shapes for the store.

    A graph-wide shape is a node shape whose only targets are ``sh:targetNode`` IRIs, whose only
    constraints are ``sh:sparql`` constraints with one ``sh:select`` each (and nothing but
    labels, messages and prefixes), and which no other shape refers to. Anything else stays
    with the engine.
    """
    found: list[StoreShape] = []
    for shape in sorted(set(shapes.subjects(_sh("targetNode"), None)), key=str):
        store_shape = _store_shape(shapes, shape)
        if store_shape is not None:
            found.append(store_shape)
    return _without(shapes, found), found


def _without(shapes: Graph, drop: Iterable[StoreShape]) -> Graph:
    """``shapes`` without the shapes ``drop``, nor their constraints no other shape uses."""
    drop = list(drop)
    nodes = {s.node for s in drop}
    if not nodes:
        return shapes
    for shape in drop:
        for c in shape.constraints:
            if all(s in nodes for s in shapes.subjects(None, c.node)):
                nodes.add(c.node)
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    for triple in shapes:
        if triple[0] not in nodes:
            out.add(triple)
    return out


_TARGETS = {
    _sh("targetClass"),
    _sh("targetNode"),
    _sh("targetSubjectsOf"),
    _sh("targetObjectsOf"),
    _sh("target"),
}


def _only(shapes: Graph, keep: Sequence[Node]) -> Graph:
    """``shapes`` where only the shapes ``keep`` have targets (the others validate nothing)."""
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    classes = {RDFS.Class, OWL.Class}
    for s, p, o in shapes:
        if s not in keep and (p in _TARGETS or (p == RDF.type and o in classes)):
            continue
        out.add((s, p, o))
    return out


#: Shape features that read predicates no shape names, or write data: no predicate filter then.
_READS_ANY = {
    _sh("closed"),
    _sh("rule"),
    _sh("construct"),
    _sh("update"),
    _sh("jsFunctionName"),
    _sh("jsLibrary"),
}


def engine_predicates(shapes: Graph) -> set[str] | None:
    """Every predicate the engine can read when validating with ``shapes``; ``None``: any.

    The IRIs the shapes graph names (paths, targets, ``sh:class`` values...), ``rdf:type`` and
    ``rdfs:subClassOf`` (class targets and ``sh:class``), and the predicates of every SPARQL
    query in it; ``None`` when a query has a variable or negated predicate, cannot be parsed, or
    a shape is closed or has rules. Triples with other predicates cannot change a result.
    """
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
    from rdflib.plugins.sparql import prepareQuery

    if any(True for p in shapes.predicates() if p in _READS_ANY):
        return None
    found = {str(t) for triple in shapes for t in triple if isinstance(t, URIRef)}
    found |= {str(RDF.type), str(RDFS.subClassOf)}

    def path_iris(path: Any) -> bool:
        if isinstance(path, URIRef):
            found.add(str(path))
            return True
        if isinstance(path, (SequencePath, AlternativePath)):
            return all(path_iris(a) for a in path.args)
        if isinstance(path, MulPath):
            return path_iris(path.path)
        if isinstance(path, InvPath):
            return path_iris(path.arg)
        return False  # a variable, or a negated property set (NegatedPath): anything

    def walk(node: Any) -> bool:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples" and isinstance(value, list):
                    if not all(path_iris(t[1]) for t in value):
                        return False
                elif not walk(value):
                    return False
        elif isinstance(node, (list, tuple)):
            return all(walk(v) for v in node)
        return not isinstance(node, NegatedPath)

    for prop in (_sh("select"), _sh("ask")):
        for holder, text in shapes.subject_objects(prop):
            if "$PATH" in str(text):
                return None
            prefixes = _prefixes(shapes, holder)
            if prefixes is None:
                return None
            try:
                query = prepareQuery(str(text), initNs=prefixes)
            except Exception:  # any parse error: no filter
                return None
            if not walk(query.algebra):
                return None
    return found


def keep_predicates(ntriples: bytes, predicates: set[str]) -> bytes:
    """The N-Triples lines of ``ntriples`` whose predicate is one of ``predicates``."""
    wanted = {f"<{p}>".encode() for p in predicates}
    out = io.BytesIO()
    for line in ntriples.splitlines(keepends=True):
        parts = line.split(b" ", 2)
        if len(parts) == 3 and parts[1] in wanted:
            out.write(line)
    return out.getvalue()


def _store_shape(shapes: Graph, shape: Node) -> StoreShape | None:
    if any(True for _ in shapes.subject_predicates(shape)):
        return None  # another shape refers to it
    targets: list[Node] = []
    severity: Node = _sh("Violation")
    constraints: list[_Constraint] = []
    for p, o in shapes.predicate_objects(shape):
        if p == _sh("targetNode") and isinstance(o, URIRef):
            targets.append(o)
        elif p == _sh("severity") and isinstance(o, URIRef):
            severity = o
        elif p == _sh("sparql"):
            constraint = _constraint(shapes, o)
            if constraint is None:
                return None
            constraints.append(constraint)
        elif (p == RDF.type and o != _sh("NodeShape")) or p not in _SHAPE_ANNOTATIONS:
            return None
    if len(set(shapes.objects(shape, _sh("severity")))) > 1 or not constraints or not targets:
        return None
    return StoreShape(
        shape,
        tuple(sorted(targets, key=str)),
        severity,
        tuple(sorted(constraints, key=lambda c: str(c.node))),
    )


def _constraint(shapes: Graph, node: Node) -> _Constraint | None:
    if any(p not in _CONSTRAINT_KEYS for p in shapes.predicates(node)):
        return None
    if set(shapes.objects(node, RDF.type)) - {_sh("SPARQLConstraint")}:
        return None
    selects = list(shapes.objects(node, _sh("select")))
    messages = list(shapes.objects(node, _sh("message")))
    if len(selects) != 1 or not isinstance(selects[0], Literal):
        return None
    if not all(isinstance(m, Literal) and isinstance(m.value, str) for m in messages):
        return None
    prefixes = _prefixes(shapes, node)
    if prefixes is None:
        return None
    return _Constraint(
        node,
        str(selects[0]),
        tuple(str(m) for m in messages),
        tuple(sorted(prefixes.items())),
    )


def _prefixes(shapes: Graph, node: Node) -> dict[str, str] | None:
    """The prefixes of a SPARQL constraint, as pySHACL collects them (``None``: not plain)."""
    ontologies = set(shapes.subjects(RDF.type, OWL.Ontology))
    everywhere: set[Node] = set()
    for ont in ontologies:
        everywhere |= set(shapes.objects(ont, _sh("declare")))
    out: dict[str, str] = {}
    for value in shapes.objects(node, _sh("prefixes")):
        own = set(shapes.objects(value, _sh("declare")))
        declares = own if own and value in ontologies else everywhere | own
        for dec in declares:
            prefix = list(shapes.objects(dec, _sh("prefix")))
            namespace = list(shapes.objects(dec, _sh("namespace")))
            if len(prefix) != 1 or len(namespace) != 1:
                return None
            if not isinstance(prefix[0], Literal) or not isinstance(namespace[0], Literal):
                return None
            if out.get(str(prefix[0]), str(namespace[0])) != str(namespace[0]):
                return None
            out[str(prefix[0])] = str(namespace[0])
    return out


_THIS = re.compile(r"[?$]this\b")
#: What SHACL-SPARQL forbids in a constraint: left to the engine, which reports it.
_FORBIDDEN = re.compile(r"\b(MINUS|VALUES|SERVICE)\b", re.IGNORECASE)


def store_results(data: CheckData, shape: StoreShape) -> list[_Result] | None:
    """Run a graph-wide shape on ``data.store``; ``None`` when the engine must run it instead.

    The engine runs it when a solution binds a literal or a blank node (the store may write
    them otherwise than the files: see the module's description) or when the store cannot run
    its query.
    """
    import pyoxigraph as ox

    results: list[_Result] = []
    if any(_FORBIDDEN.search(c.select) for c in shape.constraints):
        return None
    for target in shape.targets:
        for c in shape.constraints:
            subs = {ox.Variable("this"): to_oxigraph(target)} if _THIS.search(c.select) else {}
            try:
                solutions = data.store.query(
                    c.select,
                    prefixes=dict(c.prefixes),
                    use_default_graph_as_union=True,
                    substitutions=subs,
                )
                names = [v.value for v in solutions.variables]
                rows = [[(n, solution[n]) for n in names] for solution in solutions]
            except (SyntaxError, ValueError, RuntimeError, OSError):
                return None
            seen: set[tuple[tuple[str, Node], ...]] = set()
            for row in rows:
                bound: dict[str, Node] = {}
                for n, term in row:
                    if term is None:
                        continue
                    if isinstance(term, (ox.Literal, ox.BlankNode)):
                        return None
                    node = from_oxigraph(term)
                    assert node is not None
                    bound[n] = node
                key = tuple(sorted(bound.items()))
                if key in seen:
                    continue  # pySHACL reports a solution once
                seen.add(key)
                if "failure" in bound:
                    return None  # pySHACL's ?failure rows: left to the engine
                path = bound.pop("path", None)
                value = bound.pop("value", None)
                this = bound.pop("this", None)
                if value is None:
                    value = target
                fill = dict(bound)
                if this is not None:  # as pySHACL: {$this} only when the query binds it
                    fill["this"] = this
                if path is not None:
                    fill["path"] = path
                fill["value"] = value
                messages = [_fill(m, fill) for m in c.messages]
                results.append(
                    (
                        target,
                        path,
                        value,
                        shape.node,
                        c.node,
                        shape.severity,
                        messages,
                        _sh("SPARQLConstraintComponent"),
                    )
                )
    return results


def _fill(message: str, values: dict[str, Node]) -> str:
    """Replace ``{?var}`` and ``{$var}`` by the values' text, as pySHACL does."""
    for var, val in values.items():
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message


def shacl_report(
    ntriples: bytes | Path,
    shapes: Graph,
    *,
    engine: str = DEFAULT_ENGINE,
    focus_nodes: Sequence[str] | None = None,
) -> Graph:
    """Validate N-Triples (bytes, or a file) against ``shapes``; return the report graph.

    ``focus_nodes`` (IRIs): validate only these focus nodes (the engines' option of that name).

    Raises:
        ValidationError: ``engine`` is not one of :data:`SHACL_ENGINES`.
    """
    if engine == "pyshacl-turbo":
        import pyshacl_turbo

        # The N-Triples text handed over as the engine's own input, which its Rust side parses
        # (a file path goes through rdflib first: 2-3 times slower). N-Triples is N-Quads.
        # (Input is what the engine makes of a pyoxigraph Store; not in its typed signature.)
        from pyshacl_turbo.rdf import Input

        raw = ntriples.read_bytes() if isinstance(ntriples, Path) else ntriples
        text = raw.decode("utf-8")
        del raw
        native: Any = Input(text, "oxigraph-nquads", None, {}, preserve_ids=True)
        del text
        _c, report, _t = pyshacl_turbo.validate(
            native, shacl_graph=shapes, focus_nodes=focus_nodes or None, **_OPTIONS
        )
    elif engine == "pyshacl":
        from pyshacl import validate

        raw = ntriples.read_bytes() if isinstance(ntriples, Path) else ntriples
        graph = Graph().parse(data=raw, format="nt")
        nodes: list[str | URIRef] | None = list(focus_nodes) if focus_nodes else None
        _c, report, _t = validate(graph, shacl_graph=shapes, focus_nodes=nodes, **_OPTIONS)
    else:
        raise ValidationError(
            f"unknown SHACL engine {engine!r}; choose one of {', '.join(SHACL_ENGINES)}"
        )
    if not isinstance(report, Graph):
        raise ValidationError(f"the SHACL engine {engine} returned no report graph")
    return report


def _engine_results(report: Graph) -> Iterator[_Result]:
    for result in report.subjects(RDF.type, _sh("ValidationResult")):
        focus_node = report.value(result, _sh("focusNode"))
        if focus_node is None:
            continue
        yield (
            focus_node,
            report.value(result, _sh("resultPath")),
            report.value(result, _sh("value")),
            report.value(result, _sh("sourceShape")),
            report.value(result, _sh("sourceConstraint")),
            report.value(result, _sh("resultSeverity")),
            [str(m) for m in report.objects(result, _sh("resultMessage"))],
            report.value(result, _sh("sourceConstraintComponent")),
        )


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
        results: list[_Result],
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
                results += _engine_results(report)
        finally:
            self.cancel()
        return _problems(self._data, self._shapes, results, self._focus)

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
    results: list[_Result] = []
    rest, graph_wide = split_shapes(shapes) if split else (shapes, [])
    separate = apart if apart is not None else data.quads >= ENGINE_PROCESS_TRIPLES
    nodes = [str(n) for n in focus_nodes] if focus_nodes else None
    runs: list[EngineRun | Graph] = []
    ntriples = data.ntriples

    def start(engine_shapes: Graph) -> None:
        if not any(True for _ in engine_shapes.subjects(RDF.type, _sh("NodeShape"))):
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
        start(_without(shapes, done))
    elif again:
        start(_only(shapes, [s.node for s in again]))
    if release:
        data.ntriples = None
    return ShaclRun(data, shapes, results, runs, focus)


class EngineRun:
    """A SHACL engine validating N-Triples in a process of its own (``python -m`` this module).

    The data and shapes go in as temporary files, the report comes back as N-Triples.
    """

    def __init__(
        self,
        ntriples: bytes,
        shapes: Graph,
        *,
        engine: str,
        focus_nodes: Sequence[str] | None = None,
    ) -> None:
        import subprocess
        import sys
        import tempfile

        self._dir = tempfile.TemporaryDirectory(prefix="policykg-shacl-")
        folder = Path(self._dir.name)
        (folder / "data.nt").write_bytes(ntriples)
        shapes.serialize(folder / "shapes.nt", format="nt", encoding="utf-8")
        if focus_nodes:
            (folder / "focus.txt").write_text("\n".join(focus_nodes), encoding="utf-8")
        self._out = (folder / "report.nt").open("wb")
        self._err = (folder / "stderr.txt").open("wb")
        self._folder = folder
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "policykg.checks.shacl", engine, str(folder)],
            stdout=self._out,
            stderr=self._err,
            stdin=subprocess.DEVNULL,
        )

    def report(self) -> Graph:
        """Wait for the engine; its report graph.

        Raises:
            ValidationError: the engine's process failed.
        """
        try:
            code = self._proc.wait()
            self._out.close()
            self._err.close()
            if code != 0:
                lines = (self._folder / "stderr.txt").read_text("utf-8", "replace").splitlines()
                why = lines[-1] if lines else f"exit status {code}"
                raise ValidationError(f"the SHACL engine's process failed: {why}")
            return Graph().parse(self._folder / "report.nt", format="nt")
        finally:
            self._dir.cleanup()

    def cancel(self) -> None:
        """Stop the engine's process and remove its files."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._out.close()
        self._err.close()
        self._dir.cleanup()


def _worker(args: list[str]) -> int:
    """The engine's process: ``ENGINE FOLDER`` (data.nt, shapes.nt) -> the report on stdout."""
    import sys

    engine, folder = args[0], Path(args[1])
    shapes = Graph().parse(folder / "shapes.nt", format="nt")
    focus = folder / "focus.txt"
    nodes = focus.read_text(encoding="utf-8").splitlines() if focus.exists() else None
    report = shacl_report(folder / "data.nt", shapes, engine=engine, focus_nodes=nodes)
    sys.stdout.buffer.write(report.serialize(format="nt", encoding="utf-8"))
    return 0


def _problems(
    data: CheckData,
    shapes: Graph,
    results: Iterable[_Result],
    focus: Callable[[Node], bool] | None,
) -> list[Problem]:
    problems = []
    for focus_node, path, value, shape, constraint, severity, messages, component in results:
        if focus is not None and not focus(focus_node):
            continue
        rule = _shape_name(shapes, constraint) or _shape_name(shapes, shape)
        if not rule:
            rule = curie(component) if component is not None else "SHACL"
        ordered = sorted(messages)
        message = _readable(ordered[0] if ordered else "SHACL constraint not met")
        entity: Node = focus_node
        triple = None
        if str(focus_node) == ONTOLOGY_IRI and value is not None:
            entity = _user_of(data, value)
            message += _term_hint(data, value)
        elif isinstance(path, URIRef) and value is not None:
            triple = (focus_node, path, value)
        problems.append(
            Problem(
                data.file_of(entity, triple),
                data.label(entity),
                rule,
                message,
                "violation" if severity == _sh("Violation") else "warning",
            )
        )
    return problems


def _shape_name(shapes: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    name = shapes.value(node, _sh("name")) or shapes.value(node, RDFS.label)
    if name is not None:
        return str(name)
    return None if isinstance(node, BNode) else curie(node)


def _readable(message: str) -> str:
    """Replace full IRIs in a message with CURIEs and keep it on one line."""

    def short(match: re.Match[str]) -> str:
        return curie(URIRef(match.group(1)))

    message = re.sub(r"<([^<>\s]+)>", short, message)
    for ns in sorted(PREFIXES.values(), key=len, reverse=True):
        if ns in message:

            def expand(match: re.Match[str], base: str = ns) -> str:
                return curie(URIRef(base + match.group(1)))

            message = re.sub(re.escape(ns) + r"([A-Za-z0-9_\-]+)", expand, message)
    message = re.sub(r'Literal\("([^"]*)"[^)]*\)', r'"\1"', message)
    return " ".join(message.split())


_KINDS = "owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty"
_DECLARED = f"ASK {{ VALUES ?k {{ {_KINDS} }} ?term a ?k }}"
_ALL_DECLARED = f"SELECT DISTINCT ?t WHERE {{ VALUES ?k {{ {_KINDS} }} ?t a ?k }}"
_TYPED = "ASK { ?term a ?t }"
_USERS = "SELECT DISTINCT ?term ?s WHERE { { ?s a ?term } UNION { ?s ?term ?o } }"


def _ask(data: CheckData, sparql: str, term: Node) -> bool:
    import pyoxigraph as ox

    return bool(
        data.store.query(
            sparql,
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
            substitutions={ox.Variable("term"): to_oxigraph(term)},
        )
    )


def _term_hint(data: CheckData, term: Node) -> str:
    """'; did you mean pkg:X?' for an undeclared pkg: term close to a declared one."""
    if not isinstance(term, URIRef) or not term.startswith(str(PKG)):
        return ""
    if _ask(data, _DECLARED, term):
        return ""
    declared = sorted(
        str(t)[len(str(PKG)) :]
        for (t,) in data.select(_ALL_DECLARED)
        if isinstance(t, URIRef) and t.startswith(str(PKG))
    )
    local = str(term)[len(str(PKG)) :]
    found = difflib.get_close_matches(local, declared, n=1, cutoff=0.6)
    return f"; did you mean pkg:{found[0]}?" if found else ""


def _user_of(data: CheckData, term: Node) -> Node:
    """The entity of a graph-wide SHACL result: the term itself, or a user of an unknown term."""
    import pyoxigraph as ox

    if not isinstance(term, URIRef):
        return term
    if _ask(data, _TYPED, term):
        return term
    rows = data.store.query(
        _USERS,
        use_default_graph_as_union=True,
        substitutions={ox.Variable("term"): to_oxigraph(term)},
    )
    users = sorted((from_oxigraph(row["s"]) for row in rows), key=str)
    found = [u for u in users if u is not None]
    return found[0] if found else term


if __name__ == "__main__":
    import sys

    sys.exit(_worker(sys.argv[1:]))
