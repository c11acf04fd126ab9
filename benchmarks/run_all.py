"""Run every benchmark in one pass, one after another, and record when and under what load.

Run ``python benchmarks/run_all.py`` (not a test; about 50 minutes on 2 cores). Each benchmark of
``PLAN`` runs as its own process with the options its RESULTS file was written with; each writes
its own RESULTS*.md, as when run alone. This script adds ``benchmarks/RUNS.md``: for each step
the command, the UTC start and end, the wall and CPU seconds (``os.wait4``: the benchmark and
the processes it waited for) and the load average (1, 5, 15 min) at its start and end, so every
figure of the pass can be read against the load it was measured under. The output of each step
goes to ``benchmarks/out/run-all/NAME.log``. A failing step is recorded and the pass goes on;
the exit status is 1 if any step failed.

The optional engines and stores (``berkeleydb`` for rdflib's disk store, ``shacl-rust`` and
``pyrudof`` for the SHACL comparison) are used when importable; without them those columns are
left out, as each benchmark says.

``--smoke`` (what the test suite runs) checks the plan instead of running it: every
``benchmarks/bench_*.py`` has a step, and every step's script exists.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Step:
    """One benchmark of the pass: a name, the script and its arguments."""

    name: str
    argv: tuple[str, ...]

    @property
    def script(self) -> Path:
        return HERE / self.argv[0]


#: The pass, in order. ``corpus.py`` first: the synthetic corpora the later steps read.
#: ``bench_workbench`` after ``bench_viz``: it appends its section to RESULTS-viz.md.
PLAN: tuple[Step, ...] = (
    Step("corpora", ("corpus.py", "--broken")),
    Step("queries", ("bench_queries.py",)),
    Step("annotate", ("bench_annotate.py",)),
    Step("corpus", ("bench_corpus.py", "--draft-times", "100")),
    Step("compare", ("bench_compare.py",)),
    Step("validate", ("bench_validate.py", "--broken-sizes", "10k", "100k", "1m",
                      "--baseline-above", "10k")),
    Step("shacl-engines", ("bench_shacl_engines.py", "--sizes", "10k", "100k", "1m",
                           "--skip-reference-above", "100k")),
    Step("load", ("bench_load.py", "--seconds", "5")),
    Step("kills", ("bench_kills.py", "--kills", "6")),
    Step("kills-at-intent", ("bench_kills.py", "--kills", "8", "--at-intent")),
    Step("review", ("bench_review.py",)),
    Step("viz", ("bench_viz.py",)),
    Step("workbench", ("bench_workbench.py",)),
    Step("backends", ("bench_backends.py",)),
)


def check_plan() -> list[str]:
    """What is wrong with ``PLAN``: a benchmark without a step, or a step without its script."""
    problems = [f"{s.name}: {s.argv[0]} does not exist" for s in PLAN if not s.script.is_file()]
    planned = {s.argv[0] for s in PLAN}
    problems += [f"{p.name} has no step in run_all.PLAN"
                 for p in sorted(HERE.glob("bench_*.py")) if p.name not in planned]
    return problems


def _kept_rows(out: Path, rerun: set[str]) -> dict[str, str]:
    """The rows of an earlier RUNS.md for the steps not run again (a pass made in parts)."""
    if not out.is_file():
        return {}
    rows = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| ") and cells[0] in {s.name for s in PLAN} - rerun:
            rows[cells[0]] = line
    return rows


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _now() -> str:
    return datetime.now(UTC).strftime("%H:%M:%S")


def run_step(step: Step, logs: Path) -> tuple[int, float, float]:
    """Run one step; its exit status, wall seconds and CPU seconds (its process tree waited for)."""
    log = logs / f"{step.name}.log"
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, str(step.script), *step.argv[1:]],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def _report(done: dict[str, str], day: str) -> str:
    """RUNS.md: the rows of the steps run so far (and kept), in the order of ``PLAN``."""
    rows = [done[s.name] for s in PLAN if s.name in done]
    return "\n".join([
        "# One pass of every benchmark",
        "",
        f"Written by `python benchmarks/run_all.py` on {day} (UTC), Python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs. Each step ran alone, one after "
        "another; its figures are in its RESULTS file (a pass made in parts with `--only` keeps "
        "the rows of the steps not run again: their start times tell the parts apart). "
        "*CPU s*: user + system of the step and the processes it waited for. "
        "*load*: `os.getloadavg()` (1, 5, 15 min) when the step started and ended; a load "
        "above the CPU count means other work shared the machine, which inflates wall times, "
        "not ratios within one step.",
        "",
        "| step | command | start | end | wall s | CPU s | load at start | load at end | status |",
        "|---|---|---|---|---:|---:|---|---|---|",
        *rows,
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="run only these steps (by name)")
    parser.add_argument("--out", type=Path, default=HERE / "RUNS.md")
    parser.add_argument("--smoke", action="store_true", help="check the plan; run nothing")
    args = parser.parse_args(argv)
    problems = check_plan()
    if args.smoke or problems:
        for problem in problems:
            print(f"run_all: {problem}", file=sys.stderr)
        if not problems:
            print("\n".join(f"{s.name}: python benchmarks/{' '.join(s.argv)}" for s in PLAN))
        return 1 if problems else 0
    steps = [s for s in PLAN if not args.only or s.name in args.only]
    unknown = set(args.only or ()) - {s.name for s in PLAN}
    if unknown:
        print(f"run_all: no step named {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    logs = HERE / "out" / "run-all"
    logs.mkdir(parents=True, exist_ok=True)
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    done = _kept_rows(args.out, {s.name for s in steps}) if args.only else {}
    failed = 0
    for step in steps:
        began, load_before = _now(), _load()
        print(f"{began} {step.name} (load {load_before})", file=sys.stderr, flush=True)
        code, wall, cpu = run_step(step, logs)
        failed += code != 0
        done[step.name] = (
            f"| {step.name} | `python benchmarks/{' '.join(step.argv)}` | {began} | {_now()}"
            f" | {wall:.0f} | {cpu:.0f} | {load_before} | {_load()} | "
            f"{'ok' if code == 0 else f'exit {code}'} |")
        args.out.write_text(_report(done, day), encoding="utf-8")  # after each step
    print(_report(done, day))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
