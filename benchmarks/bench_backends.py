"""Benchmark the backends on synthetic corpora: load, reopen, peak memory, every named query.

Backends: rdflib's own ``Dataset`` in memory (the baseline) and over rdflib's own persistent
store, ``BerkeleyDB`` (when the ``berkeleydb`` package is installed: the baseline for a store on
disk), pyoxigraph in memory (the default backend), and a pyoxigraph store on disk
(``policykg load --store`` / ``--store DIR``). Every
measurement runs in a fresh subprocess, so peak memory is that process's ``ru_maxrss`` (Rust
allocations included, which tracemalloc cannot see) and no backend warms another's caches.

Each named query of ``policykg/queries`` runs with parameter values that exist in the corpus
(``benchmarks/out/corpus-<size>.params.json``); values are bound the way the package binds them
(:func:`policykg.store.backends.bind_values`), so every backend evaluates the same text. Oxigraph
latencies are the median of ``--repeat`` runs after one warm-up run; rdflib runs each query once,
stopped after ``--rdflib-timeout`` seconds (reported as ``>T``); a query rdflib could not finish
on a smaller corpus is not retried on a bigger one.

Usage::

    python benchmarks/bench_backends.py                      # 10k, 100k, 1M; writes RESULTS.md
    python benchmarks/bench_backends.py --sizes 10k --no-write
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = Path(os.environ.get("POLICYKG_BENCH_OUT") or HERE / "out")  # see corpus.OUT
RESULTS = HERE / "RESULTS.md"
BACKENDS = ("rdflib", "rdflib-disk", "oxigraph-memory", "oxigraph-disk")
LOADAVG: tuple[float, float, float] = (0.0, 0.0, 0.0)


# -- child side: one measurement per process ---------------------------------------------------


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _queries(params_file: Path, only: list[str] | None) -> list[tuple[str, str, dict[str, Any]]]:
    """Return (name, query text, parameter bindings) for every named query."""
    from rdflib import Literal, URIRef

    from policykg.sparql.catalogue import named_queries

    values = json.loads(params_file.read_text())
    out = []
    for name, q in sorted(named_queries().items()):
        if only and name not in only:
            continue
        bindings: dict[str, Any] = {}
        for p in q.params:
            if p.name in values:
                v = values[p.name]
                bindings[p.name] = Literal(v) if p.kind == "text" else URIRef(v)
        out.append((name, q.text, bindings))
    return out


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def child(args: argparse.Namespace) -> dict[str, Any]:
    """Run one measurement and return it as a dict (printed as JSON by main)."""
    from policykg.core.namespaces import PREFIXES

    corpus = Path(args.corpus)
    result: dict[str, Any] = {"backend": args.child, "queries": {}, "rows": {}}
    queries = _queries(corpus.with_suffix(".params.json"), args.only)
    started = time.perf_counter()
    if args.child in ("rdflib", "rdflib-disk"):
        from rdflib import Dataset

        if args.child == "rdflib":
            ds = Dataset(default_union=True)
            ds.parse(str(corpus), format="nquads")
            result["load"] = time.perf_counter() - started
        elif args.phase == "load":  # rdflib's own persistent store (Berkeley DB)
            shutil.rmtree(args.store, ignore_errors=True)
            ds = Dataset(store="BerkeleyDB", default_union=True)
            ds.open(args.store, create=True)
            ds.parse(str(corpus), format="nquads")
            ds.close()
            result["load"] = time.perf_counter() - started
            result["maxrss_mb"] = _maxrss_mb()
            return result
        else:
            ds = Dataset(store="BerkeleyDB", default_union=True)
            ds.open(args.store, create=False)
            result["reopen"] = time.perf_counter() - started

        def run(text: str, bindings: dict[str, Any]) -> int:
            from policykg.sparql.syntax import bind_values

            return len(list(ds.query(bind_values(text, bindings), initNs=PREFIXES)))
    else:
        from policykg.store.backends import MemoryBackend, StoreBackend

        backend: MemoryBackend
        if args.child == "oxigraph-memory":
            from policykg.rdf.graphio import GraphFile

            backend = MemoryBackend()
            backend.load_files([GraphFile(corpus, None)])
            result["load"] = time.perf_counter() - started
        elif args.phase == "load":
            from policykg.rdf.graphio import GraphFile
            from policykg.store.bulk import load_store

            shutil.rmtree(args.store, ignore_errors=True)
            load_store([GraphFile(corpus, None)], Path(args.store))
            result["load"] = time.perf_counter() - started
            result["maxrss_mb"] = _maxrss_mb()
            return result
        else:
            backend = StoreBackend(Path(args.store))
            result["reopen"] = time.perf_counter() - started
        result["quads"] = len(backend.store)

        def run(text: str, bindings: dict[str, Any]) -> int:
            return len(backend.query(text, bindings))  # the package's own path

    result["maxrss_mb"] = _maxrss_mb()
    signal.signal(signal.SIGALRM, _on_alarm)
    for name, text, bindings in queries:
        if name in (args.skip or []):
            result["queries"][name] = None
            continue
        times = []
        rows = 0
        try:
            for i in range(args.repeat + (1 if args.repeat > 1 else 0)):
                signal.setitimer(signal.ITIMER_REAL, args.timeout)
                t0 = time.perf_counter()
                rows = run(text, bindings)
                elapsed = time.perf_counter() - t0
                signal.setitimer(signal.ITIMER_REAL, 0)
                if args.repeat == 1 or i > 0:  # the first of several runs is a warm-up
                    times.append(elapsed)
                if elapsed > 2:  # slow: one run says enough
                    times = times or [elapsed]
                    break
            result["queries"][name] = statistics.median(times)
            result["rows"][name] = rows
        except _Timeout:
            result["queries"][name] = None
    result["maxrss_after_queries_mb"] = _maxrss_mb()
    return result


# -- parent side ----------------------------------------------------------------------------------


def measure(backend: str, corpus: Path, *, phase: str = "", store: Path | None = None,
            timeout: float, repeat: int, skip: list[str], only: list[str] | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", backend, "--corpus", str(corpus),
           "--timeout", str(timeout), "--repeat", str(repeat)]
    if phase:
        cmd += ["--phase", phase]
    if store is not None:
        cmd += ["--store", str(store)]
    for name in skip:
        cmd += ["--skip", name]
    for name in only or []:
        cmd += ["--only", name]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{backend} on {corpus.name} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _on_disk(backend: str, corpus: Path, store: Path, *, skip: list[str],
             **common: Any) -> dict[str, Any]:
    """Load a store in one process, reopen and query it in another, then remove it."""
    load = measure(backend, corpus, phase="load", store=store, skip=[], **common)
    result = measure(backend, corpus, phase="query", store=store, skip=skip, **common)
    result["load"] = load["load"]
    result["load_maxrss_mb"] = load["maxrss_mb"]
    shutil.rmtree(store, ignore_errors=True)
    return result


def bench_size(size: str, args: argparse.Namespace, skip: list[str]) -> dict[str, Any]:
    import corpus as gen

    path = OUT / f"corpus-{size}.nq"
    if not path.is_file() or not path.with_suffix(".params.json").is_file():
        gen.write(size)
    common = {"timeout": args.timeout, "repeat": args.repeat, "only": args.only}
    rdflib_common = {**common, "timeout": args.rdflib_timeout, "repeat": 1}
    print(f"[{size}] rdflib ...", file=sys.stderr, flush=True)
    rdf = measure("rdflib", path, skip=skip, **rdflib_common)
    bdb: dict[str, Any] | None = None
    if args.berkeleydb:
        print(f"[{size}] rdflib on disk (Berkeley DB) ...", file=sys.stderr, flush=True)
        # Berkeley DB answers no faster than rdflib's memory store: what timed out there is not
        # run again (it counts as the timeout, a lower bound).
        slow = sorted(set(skip) | {n for n, v in rdf["queries"].items() if v is None})
        bdb = _on_disk("rdflib-disk", path, OUT / f"store-{size}.bdb", skip=slow,
                       **rdflib_common)
    print(f"[{size}] oxigraph in memory ...", file=sys.stderr, flush=True)
    mem = measure("oxigraph-memory", path, skip=[], **common)
    print(f"[{size}] oxigraph on disk ...", file=sys.stderr, flush=True)
    disk = _on_disk("oxigraph-disk", path, OUT / f"store-{size}.oxigraph", skip=[], **common)
    return {"size": size, "file_mb": path.stat().st_size / 1e6, "rdflib": rdf,
            "rdflib-disk": bdb, "oxigraph-memory": mem, "oxigraph-disk": disk}


def _s(value: float | None, cap: float | None = None) -> str:
    if value is None:
        return f">{cap:g}" if cap else "–"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _ratio(slow: float | None, fast: float | None, cap: float) -> str:
    if fast is None or fast <= 0:
        return "–"
    if slow is None:
        return f">{cap / fast:,.0f}×"
    return f"{slow / fast:,.0f}×" if slow / fast >= 10 else f"{slow / fast:.1f}×"


DEMO_QUERIES = ["actors-by-kind", "concept-neighbourhood", "goals", "search-labels"]


def bench_redeclared(args: argparse.Namespace) -> dict[str, Any]:
    """Measure the effect of entities declared again in every document graph (10k corpus)."""
    import corpus as gen

    path = OUT / "corpus-10k-redeclared.nq"
    if not path.is_file():
        gen.write("10k", redeclare=True)
    params = path.with_suffix(".params.json")
    if not params.is_file():
        shutil.copy(OUT / "corpus-10k.params.json", params)
    print("[10k redeclared] rdflib and oxigraph ...", file=sys.stderr, flush=True)
    common = {"skip": [], "only": DEMO_QUERIES}
    return {
        "rdflib": measure("rdflib", path, timeout=args.rdflib_timeout, repeat=1, **common),
        "oxigraph-memory": measure("oxigraph-memory", path, timeout=args.timeout, repeat=1,
                                   **common),
    }


def report(runs: list[dict[str, Any]], args: argparse.Namespace, seconds: float,
           demo: dict[str, Any] | None = None) -> str:
    import pyoxigraph
    import rdflib

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in LOADAVG)
    lines = [
        "# Backend benchmarks",
        "",
        "Generated by `python benchmarks/bench_backends.py` (all numbers from one run, "
        f"{seconds / 60:.1f} min in total). Machine: {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
        f"rdflib {rdflib.__version__}. Load average at the start: {load} (other work on the "
        "machine slows every backend alike; ratios come from the same run).",
        "",
        "Corpora: `python benchmarks/corpus.py` (fixed seed) writes synthetic policy documents in "
        "the project's vocabulary as N-Quads: the ontology, one document graph per document "
        "(record, passages, entity declarations with English/Chinese labels and evidence links) "
        "and one named graph per passage with its facts (actors pursuing goals and holding "
        "responsibilities, concepts driving and serving goals, concept hierarchy, observations).",
        "",
        "Backends: **rdflib** = rdflib `Dataset(default_union=True)` and its own SPARQL engine "
        "(the baseline); **rdflib-disk** = the same over rdflib's own persistent store, "
        "`BerkeleyDB` (the like-for-like baseline for a store on disk; needs `pip install "
        "berkeleydb`); **ox-mem** = pyoxigraph in memory (the default backend, files loaded at "
        "start); **ox-disk** = pyoxigraph store on disk (`policykg load --store DIR`, then "
        "`--store DIR` opens it read-only). Each cell was measured in a fresh process; peak "
        "memory is the process's maximum resident set size (`ru_maxrss`).",
        "",
        "## Load, reopen, memory",
        "",
        "| corpus | quads | file | backend | load s | reopen s | peak RSS MB |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    label = {"rdflib": "rdflib", "rdflib-disk": "rdflib-disk", "oxigraph-memory": "ox-mem",
             "oxigraph-disk": "ox-disk"}
    for run in runs:
        for b in BACKENDS:
            r = run.get(b)
            if r is None:
                continue
            reopen = _s(r.get("reopen")) if b.endswith("disk") else "(= load)"
            rss = max(r.get("maxrss_mb", 0), r.get("load_maxrss_mb", 0),
                      r.get("maxrss_after_queries_mb", 0))
            lines.append(
                f"| {run['size']} | {run['oxigraph-memory']['quads']:,} | {run['file_mb']:.0f} MB "
                f"| {label[b]} | "
                f"{_s(r.get('load'))} | {reopen} | {rss:,.0f} |"
            )
    def load_ratios(run: dict[str, Any]) -> str:
        rdf, mem, disk = (run[b]["load"] for b in ("rdflib", "oxigraph-memory", "oxigraph-disk"))
        text = (f"{run['size']}: {_ratio(rdf, mem, 0)} in memory, {_ratio(rdf, disk, 0)} on disk "
                "against rdflib in memory")
        if run.get("rdflib-disk"):
            text += f", {_ratio(run['rdflib-disk']['load'], disk, 0)} on disk against rdflib-disk"
        return text

    lines += ["", "Load ratio (rdflib / oxigraph): "
              + "; ".join(load_ratios(run) for run in runs) + "."]
    for run in runs:
        rq = run["rdflib"]["queries"]
        lines += [
            "",
            f"## Named queries on {run['size']} ({run['oxigraph-memory']['quads']:,} quads), "
            "seconds",
            "",
            f"Oxigraph: median of {args.repeat} runs after a warm-up; rdflib: one run, stopped "
            f"after {args.rdflib_timeout:g} s (`>{args.rdflib_timeout:g}`); `–` = not retried "
            "because it timed out on a smaller corpus.",
            "",
        ]
        bq = run["rdflib-disk"]["queries"] if run.get("rdflib-disk") else None
        heads = ["query", "rows", "rdflib"] + (["rdflib-disk"] if bq is not None else [])
        heads += ["ox-mem", "ox-disk", "rdflib / ox-mem", "rdflib / ox-disk"]
        heads += ["rdflib-disk / ox-disk"] if bq is not None else []
        lines += ["| " + " | ".join(heads) + " |", "|---|" + "---:|" * (len(heads) - 1)]
        mem, disk = run["oxigraph-memory"]["queries"], run["oxigraph-disk"]["queries"]
        cap = args.rdflib_timeout
        for name in mem:
            rows = str(run["oxigraph-memory"]["rows"].get(name, ""))
            rdf_rows = run["rdflib"]["rows"].get(name)
            if rdf_rows is not None and str(rdf_rows) != rows:
                rows += f" (rdflib {rdf_rows})"
            rdf = rq.get(name)
            cells = [name, rows, _s(rdf, cap)]
            if bq is not None:
                cells.append(_s(bq.get(name), cap))
            cells += [_s(mem[name]), _s(disk[name]), _ratio(rdf, mem[name], cap),
                      _ratio(rdf, disk[name], cap)]
            if bq is not None:
                cells.append(_ratio(bq.get(name), disk[name], cap))
            lines.append("| " + " | ".join(cells) + " |")
    last = runs[-1]
    cap = args.rdflib_timeout
    rdf = last["rdflib"]
    lines += [
        "",
        f"## Goals on {last['size']}",
        "",
        "A timed-out rdflib query counts as its timeout, so its ratio is a lower bound.",
        "",
        "| goal | ox-mem | ox-disk |",
        "|---|---|---|",
    ]

    def mark(ok: bool) -> str:
        return "✅" if ok else "❌"

    def load_goal(baseline: dict[str, Any], r: dict[str, Any]) -> str:
        ratio = baseline["load"] / r["load"]
        return f"{mark(ratio >= 10)} {ratio:.1f}×"

    def query_goal(baseline: dict[str, Any], r: dict[str, Any]) -> str:
        """Whether every query is 10× faster than ``baseline`` (a timeout counts as the cap)."""
        base = baseline["queries"]
        ratios = {n: (cap if base.get(n) is None else base[n]) / max(v, 1e-9)
                  for n, v in r["queries"].items() if v is not None}
        low = sorted((v, n) for n, v in ratios.items() if v < 10)
        text = f"{len(ratios) - len(low)} of {len(ratios)} queries ≥ 10×"
        if low:
            text += "; below: " + ", ".join(f"{n} {v:.1f}×" for v, n in low)
        return f"{mark(not low)} {text}"

    cells: dict[str, list[str]] = {k: [] for k in ("load", "reopen", "query", "lratio", "qratio")}
    for b in ("oxigraph-memory", "oxigraph-disk"):
        r = last[b]
        q = r["queries"]
        cells["load"].append(f"{mark(r['load'] <= 10)} {r['load']:.1f} s")
        cells["reopen"].append(
            f"{mark(r['reopen'] <= 0.1)} {r['reopen'] * 1000:.0f} ms" if "reopen" in r
            else "(loads at start)"
        )
        slow = sorted((v, n) for n, v in q.items() if v is not None and v > 1)
        within = sum(1 for v in q.values() if v is not None and v <= 1)
        text = f"{within} of {len(q)} within 1 s"
        if slow:
            text += "; over: " + ", ".join(f"{n} {v:.1f} s" for v, n in reversed(slow))
        cells["query"].append(f"{mark(not slow)} {text}")
        cells["lratio"].append(load_goal(rdf, r))
        cells["qratio"].append(query_goal(rdf, r))
    labels = {
        "load": "load within 10 s",
        "reopen": "reopen within 0.1 s",
        "query": "every named query within 1 s",
        "lratio": "load ≥ 10× faster than rdflib",
        "qratio": "every query ≥ 10× faster than rdflib",
    }
    lines += [f"| {labels[k]} | {v[0]} | {v[1]} |" for k, v in cells.items()]
    bdb = last.get("rdflib-disk")
    if bdb:
        r = last["oxigraph-disk"]
        lines.append("| load ≥ 10× faster than rdflib-disk (Berkeley DB) | – | "
                     f"{load_goal(bdb, r)} |")
        lines.append(f"| every query ≥ 10× faster than rdflib-disk | – | {query_goal(bdb, r)} |")
    if demo:
        lines += [
            "",
            "## Entities declared in every document graph (10k corpus, `corpus.py --redeclare`)",
            "",
            "Oxigraph (0.5) evaluates the union default graph as a multiset: a triple stored in "
            "several named graphs matches once per graph (oxigraph/oxigraph#1919), while rdflib "
            "merges the graphs into a set. Here every document graph re-declares the entities "
            "it mentions (types, labels), so joins on declarations match several times. The "
            "named queries are DISTINCT, so the rows agree; the repeated matches cost time:",
            "",
            "| query | rows rdflib | rows ox-mem | rdflib s | ox-mem s |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in DEMO_QUERIES:
            r, o = demo["rdflib"], demo["oxigraph-memory"]
            lines.append(
                f"| {name} | {r['rows'].get(name, '–')} | {o['rows'].get(name, '–')} | "
                f"{_s(r['queries'].get(name), args.rdflib_timeout)} | "
                f"{_s(o['queries'].get(name), args.timeout)} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated corpus sizes")
    parser.add_argument("--repeat", type=int, default=3, help="Oxigraph runs per query")
    parser.add_argument("--timeout", type=float, default=30.0, help="Oxigraph query cap, s")
    parser.add_argument("--rdflib-timeout", type=float, default=20.0, help="rdflib query cap, s")
    parser.add_argument("--only", action="append", help="run only this named query")
    parser.add_argument("--no-berkeleydb", dest="berkeleydb", action="store_false",
                        help="leave out rdflib's Berkeley DB store (on by default when the "
                             "berkeleydb package imports)")
    parser.add_argument("--no-write", action="store_true", help="print instead of RESULTS.md")
    parser.add_argument("--smoke", action="store_true",
                        help="the 3k corpus, two queries, one run each; print, write nothing")
    parser.add_argument("--from-json", action="store_true",
                        help="rewrite RESULTS.md from benchmarks/out/bench-results.json")
    parser.add_argument("--child", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--phase", default="", help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--skip", action="append", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.repeat, args.no_write = "3k", 1, True
        args.only = args.only or ["evidence", "actors-by-kind"]
    if args.child:
        print(json.dumps(child(args)))
        return 0
    from policykg.core.io import write_atomic

    global LOADAVG
    if args.from_json:  # re-render the report from the last run's measurements
        saved = json.loads((OUT / "bench-results.json").read_text())
        LOADAVG = tuple(saved["loadavg"])  # type: ignore[assignment]
        vars(args).update(saved["args"])
        text = report(saved["runs"], args, saved["seconds"], saved["demo"])
        write_atomic(RESULTS, text)
        return 0
    sys.path.insert(0, str(HERE))
    if args.berkeleydb:
        try:
            import berkeleydb  # noqa: F401
        except ImportError:
            print("berkeleydb is not installed: rdflib-disk left out", file=sys.stderr)
            args.berkeleydb = False
    LOADAVG = os.getloadavg()
    started = time.perf_counter()
    runs = []
    skip: list[str] = []
    for size in args.sizes.lower().split(","):
        run = bench_size(size, args, skip)
        runs.append(run)
        skip = sorted(n for n, v in run["rdflib"]["queries"].items() if v is None)
        print(json.dumps({k: v for k, v in run.items()}, indent=None)[:2000], file=sys.stderr)
    demo = bench_redeclared(args) if not args.only else None
    seconds = time.perf_counter() - started
    if not args.no_write:
        write_atomic(OUT / "bench-results.json", json.dumps(
            {"runs": runs, "demo": demo, "seconds": seconds, "loadavg": LOADAVG,
             "args": {"repeat": args.repeat, "timeout": args.timeout,
                      "rdflib_timeout": args.rdflib_timeout}}, indent=1))
    text = report(runs, args, seconds, demo)
    if args.no_write:
        print(text)
    else:
        write_atomic(RESULTS, text)
        print(f"wrote {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
