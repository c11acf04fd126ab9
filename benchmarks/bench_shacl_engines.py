"""Compare SHACL engines with pySHACL: the same results, and how fast, on the project's shapes.

Engines: pySHACL (the reference), pyshacl-turbo, shacl-rust and pyrudof. A result is compared as
(focus node, result path, constraint component, severity); two engines agree on a case when they
report the same set. Each engine runs in its own process per case, so its peak memory (max RSS,
interpreter and input included) is its own.

Cases:

- ``article``: the union of the ontology and the article's graphs (clean);
- ``fixture:<name>``: the article plus one broken fixture of ``tests/fixtures/extensions/``;
- ``components``: ``tests/fixtures/shacl/components.ttl``, one case per SHACL Core constraint
  component the project's shapes use (shapes and data in one file);
- ``10k``, ``100k``, ``1m``: the synthetic corpora of ``benchmarks/corpus.py`` (run it first).

Usage::

    python benchmarks/bench_shacl_engines.py                    # all cases but 1m
    python benchmarks/bench_shacl_engines.py --sizes 10k 100k 1m --skip-reference-above 100k

Writes ``benchmarks/RESULTS-shacl-engines.md``. ``--smoke`` (run by the test suite): the 3k corpus,
pySHACL and pyshacl-turbo, the report in the output folder, nothing written in the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH_OUT = Path(os.environ.get("POLICYKG_BENCH_OUT") or HERE / "out")  # see corpus.OUT
OUT = BENCH_OUT / "shacl-engines"
SHAPES = ROOT / "ontology" / "shapes.ttl"
FIXTURES = ROOT / "tests" / "fixtures" / "extensions"
COMPONENTS = ROOT / "tests" / "fixtures" / "shacl" / "components.ttl"
ENGINES = ["pyshacl", "pyshacl-turbo", "shacl-rust", "pyrudof"]
SH = "http://www.w3.org/ns/shacl#"
Key = tuple[str, str, str, str]


def _n3(term: str | None) -> str:
    """A term as N-Triples text, whatever form an engine gave it in."""
    if term is None or term in ("", "None"):
        return ""
    if term.startswith(("<", '"', "_:")):
        return term
    return f"<{term}>"


def _severity(value: str) -> str:
    value = value.strip("<>")
    return value.rsplit("#", 1)[-1]


def run_pyshacl_like(module: str, data: Path, shapes: Path) -> set[Key]:
    """Run pySHACL or pyshacl-turbo (the same API) on a data file and a shapes file."""
    import importlib

    from rdflib import Graph, URIRef

    engine = importlib.import_module(module)
    shapes_graph = Graph().parse(shapes)
    # pyshacl-turbo reads the file itself (its "RDF document input"). A pyoxigraph Store is not
    # used: Oxigraph stores xsd:nonNegativeInteger values as xsd:integer, so every offset would
    # fail its sh:datatype (measured: 134 false results on the article).
    # For pyshacl-turbo the N-Triples text goes in as the engine's own input, parsed by its Rust
    # side, as policykg.checks.shacl does (a file path is parsed by rdflib first).
    if module == "pyshacl_turbo":
        from pyshacl_turbo.rdf import Input

        data_graph: Any = Input(
            data.read_text(encoding="utf-8"), "oxigraph-nquads", None, {}, preserve_ids=True
        )
    else:
        data_graph = Graph().parse(data)
    _conforms, report, _text = engine.validate(
        data_graph,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        abort_on_first=False,
        meta_shacl=False,
    )
    out: set[Key] = set()
    for r in report.subjects(URIRef(SH + "resultSeverity"), None):

        def get(name: str, r: Any = r) -> str:
            value = report.value(r, URIRef(SH + name))
            return "" if value is None else value.n3()

        out.add(
            (
                get("focusNode"),
                get("resultPath"),
                get("sourceConstraintComponent"),
                _severity(get("resultSeverity")),
            )
        )
    return out


def run_shacl_rust(data: Path, shapes: Path) -> set[Key]:
    import shacl_rust

    report = shacl_rust.validate_file(str(data), str(shapes))
    return {
        (
            _n3(r.get("focusNode")),
            _n3(r.get("resultPath")),
            _n3(r.get("sourceConstraintComponent")),
            _severity(r.get("severity", "")),
        )
        for r in report["results"]
    }


def run_pyrudof(data: Path, shapes: Path) -> set[Key]:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    fmt = pyrudof.RDFFormat.NTriples if data.suffix == ".nt" else pyrudof.RDFFormat.Turtle
    rudof.read_data(str(data), format=fmt)
    rudof.read_shacl(str(shapes))
    report = rudof.validate_shacl()
    return {
        (_n3(e.focus_node), _n3(e.path), _n3(e.constraint_component), _severity(e.severity))
        for e in report
    }


def run_one(engine: str, data: Path, shapes: Path, keys_out: Path) -> dict[str, Any]:
    """Run one engine on one case in this process; write its result keys; return the figures."""
    t0 = time.perf_counter()
    try:
        if engine == "pyshacl":
            keys = run_pyshacl_like("pyshacl", data, shapes)
        elif engine == "pyshacl-turbo":
            keys = run_pyshacl_like("pyshacl_turbo", data, shapes)
        elif engine == "shacl-rust":
            keys = run_shacl_rust(data, shapes)
        else:
            keys = run_pyrudof(data, shapes)
        error = ""
    except Exception as exc:  # an engine that fails on a case is reported, not fatal
        keys, error = set(), f"{type(exc).__name__}: {str(exc)[:200]}"
    seconds = time.perf_counter() - t0
    keys_out.write_text(json.dumps(sorted(keys)))
    # VmHWM, not getrusage: Linux carries ru_maxrss over from the parent across fork and exec.
    status = Path("/proc/self/status").read_text()
    hwm = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    rss_mb = int(hwm.split()[1]) / 1024
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime  # this process's own (not inherited over exec)
    return {"seconds": seconds, "cpu": cpu, "rss_mb": rss_mb, "results": len(keys), "error": error}


def union_file(name: str, extra: list[Path]) -> Path:
    """Write the union of the project (plus ``extra``) as one N-Triples file; return its path."""
    from rdflib import Graph

    try:
        from policykg.checks.validate import project_parts
    except ImportError:  # before the layered package
        from policykg.validate import project_parts  # type: ignore[no-redef]

    path = OUT / f"{name}.nt"
    if path.exists():
        return path
    union = Graph()
    for part in project_parts(extra):
        for s, p, o, _g in part.quads:
            union.add((s, p, o))
    OUT.mkdir(parents=True, exist_ok=True)
    union.serialize(path, format="nt", encoding="utf-8")
    return path


def corpus_file(size: str) -> Path:
    """The corpus as one N-Triples file (named graphs dropped: SHACL sees the union)."""
    import pyoxigraph as ox

    src = BENCH_OUT / f"corpus-{size}.nq"
    if not src.exists() and size == "3k":  # the smoke mode's corpus: seconds to make
        sys.path.insert(0, str(HERE))
        import corpus as gen

        gen.write(size)
    if not src.exists():
        raise SystemExit(f"{src} is missing: run python benchmarks/corpus.py --size {size}")
    path = OUT / f"corpus-{size}.nt"
    if not path.exists() or path.stat().st_mtime < src.stat().st_mtime:
        OUT.mkdir(parents=True, exist_ok=True)
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(src))}
        path.write_bytes(ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES))
    return path


def cases(sizes: list[str], fixtures: bool = True) -> list[tuple[str, Path, Path]]:
    if not fixtures:
        return [(size, corpus_file(size), SHAPES) for size in sizes]
    found = [("article", union_file("article", []), SHAPES)]
    for fixture in sorted(FIXTURES.glob("broken-*")):
        if fixture.name == "broken-syntax.ttl":
            continue
        found.append((f"fixture:{fixture.name}", union_file(fixture.stem, [fixture]), SHAPES))
    found.append(
        (
            f"fixture:{'valid-green-hydrogen.trig'}",
            union_file("valid-green-hydrogen", [FIXTURES / "valid-green-hydrogen.trig"]),
            SHAPES,
        )
    )
    components = OUT / "components.nt"
    if not components.exists():
        from rdflib import Graph

        Graph().parse(COMPONENTS).serialize(components, format="nt", encoding="utf-8")
    found.append(("components", components, COMPONENTS))
    found += [(size, corpus_file(size), SHAPES) for size in sizes]
    return found


def measure(engine: str, case: str, data: Path, shapes: Path, timeout: float) -> dict[str, Any]:
    keys_out = OUT / f"keys-{engine}-{case.replace(':', '_')}.json"
    cmd = [sys.executable, __file__, "--one", engine, str(data), str(shapes), str(keys_out)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {
            "seconds": timeout,
            "rss_mb": 0,
            "results": 0,
            "error": f"stopped after {timeout:.0f} s",
            "keys": None,
        }
    if done.returncode != 0:
        return {"seconds": 0, "rss_mb": 0, "results": 0, "error": done.stderr[-300:], "keys": None}
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["keys"] = {tuple(k) for k in json.loads(keys_out.read_text())}
    return figures


def render(rows: dict[str, dict[str, dict[str, Any]]], skipped: dict[str, str]) -> str:
    lines = [
        "# SHACL engines compared with pySHACL",
        "",
        "Written by `python benchmarks/bench_shacl_engines.py` "
        f"({time.strftime('%Y-%m-%d')}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
        "at the end: the machine is shared, so wall-clock seconds vary between runs by up to "
        "4x; the CPU seconds (user + system, whole process) much less). Each cell: seconds of "
        "the validation (input parsing included, interpreter start not) (CPU seconds of the "
        "whole process) / peak RSS of the process (MB) / results; "
        "**same** when the (focus node, path, component, severity) set equals "
        "pySHACL's, else how many results differ. The shapes are `ontology/shapes.ttl` "
        "(11 SPARQL constraints, qualified value shapes, sh:languageIn...). See "
        "`docs/validation.md` for the choice.",
        "",
        "| case | " + " | ".join(ENGINES) + " |",
        "|---|" + "---:|" * len(ENGINES),
    ]
    for case, by_engine in rows.items():
        ref = by_engine.get("pyshacl", {}).get("keys")
        cells = []
        for engine in ENGINES:
            f = by_engine.get(engine)
            if f is None:
                cells.append(skipped.get(case, "not run"))
                continue
            if f["error"]:
                cells.append(f"error: {f['error'].splitlines()[-1][:60] if f['error'] else ''}")
                continue
            if engine == "pyshacl":
                verdict = "reference"
            elif ref is None:
                verdict = "no reference"
            else:
                diff = len(f["keys"] ^ ref)
                verdict = "**same**" if diff == 0 else f"{diff} differ"
            cells.append(
                f"{f['seconds']:.2f} s / {f['rss_mb']:.0f} MB / {f['results']} ({verdict})"
            )
        lines.append(f"| {case} | " + " | ".join(cells) + " |")
    ratios = []
    for case, by_engine in rows.items():
        ref, turbo = by_engine.get("pyshacl"), by_engine.get("pyshacl-turbo")
        if ref and turbo and not ref["error"] and not turbo["error"] and turbo["seconds"] > 0:
            ratios.append(f"{case}: {ref['seconds'] / turbo['seconds']:.0f}x")
    if ratios:
        lines += ["", "pySHACL time / pyshacl-turbo time: " + ", ".join(ratios) + "."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--one", nargs=4, metavar=("ENGINE", "DATA", "SHAPES", "KEYS"))
    parser.add_argument("--sizes", nargs="*", default=["10k", "100k"])
    parser.add_argument("--no-fixtures", action="store_true", help="only the corpora")
    parser.add_argument("--engines", nargs="*", default=ENGINES)
    parser.add_argument(
        "--skip-reference-above",
        default="100k",
        help="do not run pySHACL on larger corpora (it takes too long)",
    )
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS-shacl-engines.md")
    parser.add_argument("--smoke", action="store_true",
                        help="the 3k corpus, two engines; the report goes to the output folder")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.no_fixtures = ["3k"], True
        args.engines = ["pyshacl-turbo", "pyshacl"]
        args.out = OUT / "RESULTS-smoke.md"
    if args.one:
        engine, data, shapes, keys = args.one
        print(json.dumps(run_one(engine, Path(data), Path(shapes), Path(keys))))
        return 0
    order = ["3k", "10k", "100k", "1m"]
    limit = order.index(args.skip_reference_above) if args.skip_reference_above in order else 9
    saved = OUT / ("results-smoke.json" if args.smoke else "results.json")
    stored: dict[str, Any] = (
        json.loads(saved.read_text()) if saved.exists() and not args.smoke else {}
    )
    rows: dict[str, dict[str, dict[str, Any]]] = {
        case: {
            e: {**f, "keys": {tuple(k) for k in f["keys"]} if f["keys"] is not None else None}
            for e, f in by.items()
        }
        for case, by in stored.get("rows", {}).items()
    }
    skipped: dict[str, str] = stored.get("skipped", {})
    for case, data, shapes in cases(args.sizes, not args.no_fixtures):
        rows.setdefault(case, {})
        for engine in args.engines:
            if engine == "pyshacl" and case in order and order.index(case) > limit:
                skipped[case] = "skipped (too slow: 164-364 s at 100k)"
                continue
            figures = measure(engine, case, data, shapes, args.timeout)
            rows[case][engine] = figures
            saved.write_text(
                json.dumps(
                    {
                        "skipped": skipped,
                        "rows": {
                            c: {
                                e: {
                                    **f,
                                    "keys": sorted(f["keys"]) if f["keys"] is not None else None,
                                }
                                for e, f in by.items()
                            }
                            for c, by in rows.items()
                        },
                    }
                )
            )
            args.out.write_text(render(rows, skipped), encoding="utf-8")
            print(
                f"{case:40} {engine:14} {figures['seconds']:8.2f} s {figures['rss_mb']:7.0f} MB "
                f"{figures['results']:6} {figures['error'][:80]}",
                file=sys.stderr,
                flush=True,
            )
    args.out.write_text(render(rows, skipped), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
