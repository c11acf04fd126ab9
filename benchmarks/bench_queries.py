"""Benchmark the named queries and the command line's cold start against a plain rdflib baseline.

Run ``python benchmarks/bench_queries.py`` (not a test). It prints a Markdown report and writes it
to ``benchmarks/RESULTS-queries.md``. Every number in one report comes from the same run, so the
ratios compare like with like.

What is measured:

* **load**: ``policykg.load()`` (Oxigraph, in memory) against parsing the same files into an rdflib
  ``Dataset(default_union=True)``.
* **per named query**, on the project's graph with the query's example parameters:
  *cold* is the query's first execution in the process (after the engine answered one trivial
  query, so one-time imports are not charged to the first query measured); *warm* is the median
  of the following runs. policykg runs ``NamedQuery.run`` (binding, evaluation on Oxigraph and
  conversion of every term to rdflib); the baseline runs ``Dataset.query(text, initNs=...,
  initBindings=...)`` and lists the rows. The rows of both are compared.
* **command line cold start**: wall time of a fresh ``python -m policykg query NAME`` process,
  against a fresh process that imports rdflib, parses the same files and runs the same query;
  and ``policykg --help``.

Usage: ``python benchmarks/bench_queries.py [--warm N] [--cli-runs N] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "RESULTS-queries.md"

BASELINE_SCRIPT = """
import sys
from rdflib import Dataset, URIRef
from policykg.rdf.graphio import graph_files, load_dataset
from policykg.core.namespaces import PREFIXES
from policykg.sparql.catalogue import get_query
q = get_query(sys.argv[1])
ds = load_dataset(graph_files())
for row in ds.query(q.text, initNs=PREFIXES):
    print(",".join("" if t is None else str(t) for t in row))
"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_time(fn: Callable[[], Any], runs: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(runs))


def wall(cmd: list[str], runs: int) -> tuple[float, float]:
    """Return the median and the best wall time of ``runs`` fresh processes."""
    times = []
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.strip()}")
    return statistics.median(times), min(times)


_INTEGERS = {
    f"http://www.w3.org/2001/XMLSchema#{name}"
    for name in ("nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
                 "long", "int", "short", "byte", "unsignedLong", "unsignedInt")
}


def spelling(term: Any) -> str:
    """A term's N-Triples spelling; Oxigraph reads derived integer types as xsd:integer."""
    if term is None:
        return ""
    from rdflib import Literal

    if isinstance(term, Literal) and str(term.datatype) in _INTEGERS:
        return f'"{term}"^^<http://www.w3.org/2001/XMLSchema#integer>'
    return str(term.n3())


def rows_of(result: Any) -> list[tuple[str, ...]]:
    return sorted(tuple(spelling(t) for t in row) for row in result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, default=20, help="warm runs per query (policykg)")
    parser.add_argument("--warm-rdflib", type=int, default=5, help="warm runs per query (rdflib)")
    parser.add_argument("--cli-runs", type=int, default=7, help="processes per CLI measurement")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the report")
    args = parser.parse_args()

    import pyoxigraph
    import rdflib

    import policykg
    from policykg.core.io import write_atomic
    from policykg.core.namespaces import PREFIXES
    from policykg.rdf.graphio import graph_files, load_dataset
    from policykg.sparql.catalogue import named_queries

    files = graph_files()
    t_kg, kg = timed(policykg.load)
    t_ds, ds = timed(lambda: load_dataset(files))
    triples = sum(1 for _ in kg.backend.quads())
    trivial = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    kg.query(trivial)
    list(ds.query(trivial))

    queries = named_queries()
    lines: list[str] = []
    table = [
        "| query | rows | policykg cold ms | policykg warm ms | rdflib cold ms | rdflib warm ms "
        "| warm ratio (rdflib / policykg) | same rows |",
        "|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    worst_warm = 0.0
    ratios = []
    for name, q in queries.items():
        bindings = q.bindings(kg, q.examples)
        cold_kg, res = timed(lambda q=q: q.run(kg, **q.examples))
        warm_kg = median_time(lambda q=q: q.run(kg, **q.examples), args.warm)

        def baseline(q: Any = q, bindings: Any = bindings) -> Any:
            return list(ds.query(q.text, initNs=PREFIXES, initBindings=bindings))

        cold_rd, base = timed(baseline)
        warm_rd = median_time(baseline, args.warm_rdflib)
        same = rows_of(res.rows) == rows_of(base)
        worst_warm = max(worst_warm, warm_kg)
        ratios.append(warm_rd / warm_kg)
        table.append(
            f"| `{name}` | {len(res)} | {ms(cold_kg)} | {ms(warm_kg)} | {ms(cold_rd)} | "
            f"{ms(warm_rd)} | {warm_rd / warm_kg:.0f}× | {'yes' if same else '**no**'} |"
        )

    py = [sys.executable]
    cli = [
        ("`policykg --help`", [*py, "-m", "policykg", "--help"], None),
        ("`policykg query cq-2-soe-functions`",
         [*py, "-m", "policykg", "query", "cq-2-soe-functions"],
         [*py, "-c", BASELINE_SCRIPT, "cq-2-soe-functions"]),
        ("`policykg query cq-4-growth-figures --format table`",
         [*py, "-m", "policykg", "query", "cq-4-growth-figures", "--format", "table"],
         [*py, "-c", BASELINE_SCRIPT, "cq-4-growth-figures"]),
        ("`policykg query class-hierarchy`",
         [*py, "-m", "policykg", "query", "class-hierarchy"],
         [*py, "-c", BASELINE_SCRIPT, "class-hierarchy"]),
    ]
    py_med, py_best = wall([*py, "-c", "pass"], args.cli_runs)
    cli_table = [
        "| command (fresh process) | policykg median s | policykg best s "
        "| rdflib baseline median s | ratio (medians) |",
        "|---|---:|---:|---:|---:|",
        f"| `python -c pass` (interpreter start) | {py_med:.3f} | {py_best:.3f} | | |",
    ]
    worst_cli = 0.0
    help_time = 0.0
    for label, cmd, base_cmd in cli:
        med, best = wall(cmd, args.cli_runs)
        if base_cmd is None:
            cli_table.append(f"| {label} | {med:.3f} | {best:.3f} | | |")
            help_time = med
            continue
        worst_cli = max(worst_cli, med)
        base_med, _ = wall(base_cmd, args.cli_runs)
        cli_table.append(
            f"| {label} | {med:.3f} | {best:.3f} | {base_med:.3f} | {base_med / med:.1f}× |"
        )

    lines += [
        "# Query benchmark: policykg (pyoxigraph) against plain rdflib",
        "",
        f"Generated by `python benchmarks/bench_queries.py` on {platform.platform()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; pyoxigraph "
        f"{pyoxigraph.__version__}, rdflib {rdflib.__version__}. Graph: {triples} quads "
        f"({len(files)} files). All numbers come from this one run.",
        "",
        "## Loading",
        "",
        "| | seconds |",
        "|---|---:|",
        f"| `policykg.load()` (Oxigraph in memory) | {t_kg:.3f} |",
        f"| rdflib `Dataset(default_union=True)`, same files | {t_ds:.3f} |",
        "",
        "## Named queries",
        "",
        f"Cold: first run of the query in the process; warm: median of {args.warm} runs "
        f"(rdflib: {args.warm_rdflib}). Example parameters bound. \"Same rows\": both engines "
        "returned the same solutions (Oxigraph reads derived integer datatypes such as "
        "`xsd:nonNegativeInteger` as `xsd:integer`; the comparison allows for that).",
        "",
        *table,
        "",
        f"Slowest warm named query on policykg: {ms(worst_warm)} ms (target: under 20 ms). "
        f"Warm speed-up over rdflib: {min(ratios):.0f}× to {max(ratios):.0f}× "
        f"(median {statistics.median(ratios):.0f}×).",
        "",
        "## Command line cold start",
        "",
        f"Median and best wall time of {args.cli_runs} fresh processes "
        f"(`{Path(sys.executable).name} -m policykg ...`); the baseline process imports rdflib, "
        "parses the same files and runs the same query.",
        "",
        *cli_table,
        "",
        f"Targets: `policykg query NAME` under 0.5 s (slowest median here: {worst_cli:.3f} s); "
        f"`policykg --help` under 0.2 s (median here: {help_time:.3f} s). Load average during "
        f"the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other work on the machine "
        "inflates wall times; the ratios compare runs made side by side).",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    write_atomic(args.out, report)
    kg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
