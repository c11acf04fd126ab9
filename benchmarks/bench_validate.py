"""Time ``policykg validate`` on the article and the synthetic corpora, against the old path.

Each measurement is one cold ``policykg validate`` process (imports, parsing, every check;
Java's start for HermiT included), timed from outside, with its CPU seconds and peak RSS
(``os.wait4``: the process and the processes it waited for, the SHACL engine's own process at
1M and HermiT's Java among them; the RSS of the largest). In the same run the same inputs go
through the path of
the baseline revision (``--baseline``, default the last commit before the checks were rebuilt:
rdflib, pySHACL, the evidence checks in Python, HermiT on everything), extracted with
``git archive`` into ``benchmarks/out/baseline/``.

Cases: the article (the repository's project); the corpora of ``benchmarks/corpus.py`` at 10k,
100k and 1M triples, each as a project whose ``graphs/extensions/`` holds the corpus and whose
``graphs/sources/`` its texts; and one new document (the corpus's last) validated with
``--store`` against a 1M store that holds the rest.

Usage::

    python benchmarks/corpus.py --broken            # the corpora first
    python benchmarks/bench_validate.py             # writes benchmarks/RESULTS-validate.md
    python benchmarks/bench_validate.py --sizes 10k --baseline-above 10k

The baseline is skipped above ``--baseline-above`` (default 100k: at 100k it takes minutes, at
1M it would take hours); a skipped baseline is said so and nothing is extrapolated.
``--smoke`` (run by the test suite): the 3k corpus, no baseline, the report in the output folder.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH_OUT = Path(os.environ.get("POLICYKG_BENCH_OUT") or HERE / "out")  # see corpus.OUT
OUT = BENCH_OUT / "validate"
BASELINE = "b2095b0"
ORDER = ["10k", "100k", "1m"]
CASES = [
    "article, nothing cached",
    "article",
    "article, --owl sparql",
    "10k",
    "10k broken",
    "100k",
    "100k broken",
    "1m",
    "1m broken",
    "add to 1m",
]
GOALS = {"article, nothing cached": 2.0, "article": 2.0, "100k": 10.0, "1m": 60.0, "add to 1m": 3.0}


def baseline_src(rev: str) -> Path:
    """The baseline revision's ``src/`` (extracted once)."""
    dest = BENCH_OUT / "baseline" / rev
    if not (dest / "src" / "policykg").is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest / "src"


def corpus_project(size: str, *, broken: bool = False) -> Path:
    """A project folder for a corpus: the ontology, the corpus as an extension, its texts."""
    name = f"corpus-{size}{'-broken' if broken else ''}"
    nq = BENCH_OUT / f"{name}.nq"
    texts = BENCH_OUT / name
    if size == "3k" and (not nq.exists() or not texts.is_dir()):  # the smoke mode's: seconds
        sys.path.insert(0, str(HERE))
        import corpus as gen

        gen.write(size)
    if not nq.exists() or not texts.is_dir():
        raise SystemExit(f"{nq} is missing: run python benchmarks/corpus.py --broken")
    proj = OUT / "projects" / name
    if not proj.is_dir():
        (proj / "graphs" / "extensions").mkdir(parents=True)
        shutil.copytree(ROOT / "ontology", proj / "ontology")
        # a copy, not a link: stored texts are read only from inside the project's folder
        shutil.copytree(texts / "sources", proj / "graphs" / "sources")
        os.symlink(nq, proj / "graphs" / "extensions" / f"{name}.nq")
    return proj


#: Runs one measured command and prints its wall seconds, CPU seconds and peak RSS as JSON.
#: Linux carries a process's peak RSS (``ru_maxrss``) over to a child across fork and exec:
#: started from this script, a child's figure is at least this script's own peak (825 MB for
#: ``add to 1m`` in the run that split the 1M corpus in this process, 140 MB for the command
#: itself). This small process starts the command instead, so its figure is the command's own
#: (and its children's: the SHACL engine's process, HermiT's Java).
_SPAWN = r"""
import json, os, subprocess, sys, time
out, err, timeout, *cmd = sys.argv[1:]
with open(out, "w") as o, open(err, "w") as e:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=o, stderr=e)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - t0 > float(timeout):
            proc.kill()
            os.wait4(proc.pid, 0)
            print(json.dumps(None))
            sys.exit(0)
        time.sleep(0.02)
    seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024,
                  "cpu": usage.ru_utime + usage.ru_stime,
                  "rc": os.waitstatus_to_exitcode(status)}))
"""


def spawn_measured(
    cmd: list[str], *, env: dict[str, str], out: Path, err: Path, timeout: float
) -> dict[str, Any] | None:
    """Run ``cmd`` from :data:`_SPAWN`'s small process: wall, CPU, peak RSS, exit status.

    ``None`` when it ran over ``timeout`` seconds (it is killed). Its output goes to ``out`` and
    ``err``.
    """
    spawned = subprocess.run(
        [sys.executable, "-c", _SPAWN, str(out), str(err), str(timeout), *cmd],
        env=env, capture_output=True, text=True, check=True,
    )
    measured: dict[str, Any] | None = json.loads(spawned.stdout)
    return measured


def run(
    args: list[str], *, home: Path, pythonpath: Path | None = None, timeout: float = 900,
    cache: Path | None = None,
) -> dict[str, Any]:
    """Run ``python -m policykg ARGS`` cold; return seconds, peak RSS, exit status, summary.

    ``cache``: the folder of remembered reasoner verdicts (``POLICYKG_CACHE``), else the user's.
    """
    env = dict(os.environ, POLICYKG_HOME=str(home))
    if cache is not None:
        env["POLICYKG_CACHE"] = str(cache)
    env.pop("POLICYKG_STORE", None)
    load = os.getloadavg()[0]
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    err_file = OUT / "stderr.txt"
    measured = spawn_measured(
        [sys.executable, "-m", "policykg", *args],
        env=env, out=OUT / "stdout.txt", err=err_file, timeout=timeout,
    )
    if measured is None:
        return {
            "seconds": timeout,
            "rss_mb": 0,
            "cpu": 0,
            "rc": None,
            "summary": "timed out",
            "load": load,
        }
    text = err_file.read_text(encoding="utf-8", errors="replace")
    summary = (text.strip().splitlines() or [""])[-1]
    return {**measured, "summary": summary[:300], "load": load}


def new_document(size: str) -> tuple[Path, Path, str]:
    """Split the corpus: (N-Quads of all but its last document, TriG of that one, its id)."""
    import pyoxigraph as ox

    nq = BENCH_OUT / f"corpus-{size}.nq"
    rest = OUT / f"corpus-{size}-rest.nq"
    doc_file = OUT / f"corpus-{size}-last.trig"
    # read line by line: this process's size is what a child's peak RSS starts from (fork)
    with nq.open(encoding="utf-8") as lines:
        last = max(
            line.split("/graph/")[1].split(">")[0]
            for line in lines
            if 'ontology#textFile> "' in line
        )
    if not rest.exists() or not doc_file.exists():
        new = []
        marker = f"/id/{last}-p"
        with nq.open(encoding="utf-8") as lines, rest.open("w", encoding="utf-8") as keep:
            for line in lines:  # the rest streamed to its file; the new document is small
                graph = line.rsplit(" ", 2)[-2]
                if graph.endswith(f"/graph/{last}>") or marker in graph:
                    new.append(line)
                else:
                    keep.write(line)
        quads = ox.parse("".join(new).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        doc_file.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    return rest, doc_file, last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="*", default=ORDER)
    parser.add_argument(
        "--cases",
        nargs="*",
        default=["article", "add"],
        help="article and/or add (the corpora: --sizes)",
    )
    parser.add_argument("--baseline", default=BASELINE, help="the revision of the old path")
    parser.add_argument(
        "--baseline-above", default="100k", help="skip the old path on corpora larger than this"
    )
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument(
        "--no-shacl-sizes",
        nargs="*",
        default=["1m"],
        help="the sizes also validated without SHACL (what the other checks cost)",
    )
    parser.add_argument("--skip", nargs="*", default=[], help="cases not to measure again")
    parser.add_argument(
        "--broken-sizes",
        nargs="*",
        default=["10k", "100k"],
        help="the sizes whose broken variant is validated too",
    )
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS-validate.md")
    parser.add_argument("--smoke", action="store_true",
                        help="the 3k corpus only, no baseline; the report in the output folder")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.cases, args.no_shacl_sizes = ["3k"], [], []
        args.baseline_above = "none"
        args.out = OUT / "RESULTS-smoke.md"
    OUT.mkdir(parents=True, exist_ok=True)
    limit = ORDER.index(args.baseline_above) if args.baseline_above in ORDER else -1
    old_src = baseline_src(args.baseline) if limit >= 0 or "article" in args.cases else ROOT
    saved = OUT / ("rows-smoke.json" if args.smoke else "rows.json")
    rows: list[dict[str, Any]] = (
        json.loads(saved.read_text()) if saved.exists() and not args.smoke else []
    )

    def measure(
        case: str, home: Path, cmd: list[str], *, baseline: bool, base_cmd: list[str] | None = None,
        cache: Path | None = None,
    ) -> None:
        if case in args.skip:
            return
        new = run(cmd, home=home, timeout=args.timeout, cache=cache)
        old = (
            run(base_cmd or ["validate"], home=home, pythonpath=old_src, timeout=args.timeout)
            if baseline
            else None
        )
        rows[:] = [r for r in rows if r["case"] != case] + [{"case": case, "new": new, "old": old}]
        rows.sort(key=lambda r: CASES.index(r["case"]) if r["case"] in CASES else 99)
        saved.write_text(json.dumps(rows, indent=1))
        print(
            f"{case:28} new {new['seconds']:7.1f} s {new['rss_mb']:6.0f} MB rc={new['rc']} | "
            + (
                f"old {old['seconds']:7.1f} s {old['rss_mb']:6.0f} MB rc={old['rc']}"
                if old
                else "old skipped"
            ),
            file=sys.stderr,
            flush=True,
        )
        args.out.write_text(render(rows, args), encoding="utf-8")

    if "article" in args.cases:
        # first with no reasoner verdict remembered (HermiT runs: the first validation after a
        # change), then as usual (a verdict for these exact inputs is remembered: no Java)
        empty = OUT / "empty-cache"
        shutil.rmtree(empty, ignore_errors=True)
        measure("article, nothing cached", ROOT, ["validate"], baseline=False, cache=empty)
        measure("article", ROOT, ["validate"], baseline=True)
        measure("article, --owl sparql", ROOT, ["validate", "--owl", "sparql"], baseline=False)
    for size in args.sizes:
        baseline = size in ORDER and ORDER.index(size) <= limit
        measure(size, corpus_project(size), ["validate"], baseline=baseline)
        if size in args.no_shacl_sizes:
            measure(
                f"{size}, --no-shacl",
                corpus_project(size),
                ["validate", "--no-shacl"],
                baseline=False,
            )
        if args.smoke:
            continue
        measure(
            f"{size} broken",
            corpus_project(size, broken=True),
            ["validate"],
            baseline=baseline and size == "10k",
        )
    if "add" in args.cases:
        rest, doc, _last = new_document("1m")
        store = OUT / "corpus-1m-rest.oxigraph"
        if not store.exists():
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "policykg", "load", "--store", str(store), str(rest)],
                check=True,
                capture_output=True,
                env=dict(os.environ, POLICYKG_HOME=str(ROOT)),
            )
            print(f"loaded the 1M store in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        texts = BENCH_OUT / "corpus-1m"
        measure(
            "add to 1m",
            ROOT,
            ["validate", "--store", str(store), "--texts", str(texts), str(doc)],
            baseline=False,
        )
    return 0


def render(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        "# `policykg validate`: timings",
        "",
        f"Written by `python benchmarks/bench_validate.py` ({time.strftime('%Y-%m-%d')}, "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores). "
        "Each figure is one cold process (start-up, parsing, every check, HermiT's Java start "
        "included): wall-clock seconds (the goals are about these), the CPU seconds (user + "
        "system) of the process and of the processes it started and waited for (the SHACL "
        "engine's own process from 250,000 quads on, HermiT's Java), and the peak RSS of the "
        "largest of them (`wait4`, the command started from a small process of its own: Linux "
        "carries a parent's peak RSS over to its children). "
        "The machine is shared: the load average and so the wall-clock figures vary between "
        "runs, the CPU seconds much less (*load*: the 1-minute load average when the new path "
        "started). *old* is the path of "
        f"revision {args.baseline} (rdflib, pySHACL, evidence in Python, HermiT on everything), "
        "run on the same inputs in the same run; it is skipped above "
        f"{args.baseline_above} (nothing is extrapolated). Corpora: "
        "`python benchmarks/corpus.py --broken` (the broken variants plant 3 problems of each "
        "of 7 kinds). *add to 1m*: the corpus's last document checked with `--store` against "
        "a 1M store holding the rest (`--owl sparql`, the default there).",
        "",
        "| case | new | old | old / new (wall, CPU) | goal | load | exit (new, old) "
        "| new: summary |",
        "|---|---:|---:|---:|---|---:|---|---|",
    ]
    for r in rows:
        new, old = r["new"], r["old"]
        goal = GOALS.get(r["case"])
        met = (
            ""
            if goal is None
            else (f"< {goal:.0f} s: {'met' if new['seconds'] < goal else '**not met**'}")
        )
        ratio = (
            f"{old['seconds'] / new['seconds']:.1f}x, {old['cpu'] / new['cpu']:.1f}x"
            if old and new["seconds"] and new["cpu"] and old.get("rc") is not None
            else ""
        )
        old_cell = (
            f"{old['seconds']:.1f} s ({old['cpu']:.1f} s CPU), {old['rss_mb']:.0f} MB"
            if old
            else "skipped"
        )
        summary = new["summary"].replace("|", "/")
        lines.append(
            f"| {r['case']} | {new['seconds']:.1f} s ({new['cpu']:.1f} s CPU), "
            f"{new['rss_mb']:.0f} MB | {old_cell} | "
            f"{ratio} | {met} | {new['load']:.1f} | {new['rc']}, {old['rc'] if old else '-'} | "
            f"{summary} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
