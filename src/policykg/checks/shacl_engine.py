"""The SHACL engines: validate N-Triples against shapes, in this process or one of its own.

Part of :mod:`policykg.checks.shacl`. ``python -m policykg.checks.shacl_engine ENGINE FOLDER``
is the engine's process (:class:`EngineRun`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from policykg.core.errors import ValidationError

from .options import DEFAULT_ENGINE, SHACL_ENGINES

__all__ = ["EngineRun", "shacl_report"]

_OPTIONS: dict[str, Any] = {
    "inference": "none",
    "advanced": True,
    "allow_warnings": True,
    "allow_infos": True,
    "abort_on_first": False,
    "meta_shacl": False,
}


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
        graph = _PreparedQueries().parse(data=raw, format="nt")
        nodes: list[str | URIRef] | None = list(focus_nodes) if focus_nodes else None
        # in place: the graph is this call's own, and a clone would be a plain Graph
        _c, report, _t = validate(
            graph, shacl_graph=shapes, focus_nodes=nodes, inplace=True, **_OPTIONS
        )
    else:
        raise ValidationError(
            f"unknown SHACL engine {engine!r}; choose one of {', '.join(SHACL_ENGINES)}"
        )
    if not isinstance(report, Graph):
        raise ValidationError(f"the SHACL engine {engine} returned no report graph")
    return report


class _PreparedQueries(Graph):
    """A graph that parses each SPARQL text once, for pySHACL.

    pySHACL asks a SPARQL constraint's query once per focus node, as text (rdflib would parse
    it each time: 80 % of a run on the project). The query is translated as rdflib translates
    a text (the graph's prefixes, no base) and evaluated with the focus node's bindings: the
    same answers.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str) and processor == "sparql" and not initNs and not kwargs:
            from rdflib.plugins.sparql.algebra import translateQuery
            from rdflib.plugins.sparql.parser import parseQuery

            namespaces = dict(self.namespaces())
            key = (query_object, tuple(sorted((k, str(v)) for k, v in namespaces.items())))
            if key not in self._prepared:
                self._prepared[key] = translateQuery(parseQuery(query_object), None, namespaces)
            query_object = self._prepared[key]
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


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
            [sys.executable, "-m", "policykg.checks.shacl_engine", engine, str(folder)],
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


if __name__ == "__main__":
    import sys

    sys.exit(_worker(sys.argv[1:]))
