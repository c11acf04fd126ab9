"""Time the corpus workflow: import, draft, validate, store, query (against a baseline).

Each step is one cold ``policykg`` process timed from outside, with its CPU seconds and peak
RSS (``os.wait4``, from a small process of its own). Cases:

1. **the real corpus** (``../shared/corpus/gwr-zh.jsonl``, 21 documents): ``corpus import``
   (furniture, records, drafting every document), then ``validate`` of the record layer and of
   records + drafts. Baseline in the same run: drafting each of the 21 stored texts the way the
   project did before the import existed, one ``policykg annotate`` process per document.
2. **the synthetic corpus** ``--times`` × the real one (``synth_corpus.py``; default 100, 1000
   reports): ``corpus import --no-drafts`` with the progress bar, ``load --store`` of the
   project with the corpus, and every named query of the corpus (and the shipped ones that
   take no parameter) on that store, in one process, each timed.
3. **drafting throughput** on ``--draft-times`` × the corpus (default 5): ``corpus import``
   with drafts, so the drafted 100× figure is given as an extrapolation, said so.

Usage::

    python benchmarks/bench_corpus.py            # writes benchmarks/RESULTS-corpus.md
    python benchmarks/bench_corpus.py --smoke    # tiny, writes benchmarks/out/corpus-smoke.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_validate import spawn_measured  # noqa: E402
from synth_corpus import build, find_corpus  # noqa: E402

GOALS = {"import + draft + validate (real corpus)": (20.0, 1024.0)}


def timed(argv: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command; return wall and CPU seconds, peak RSS (MB) and its exit status.

    Started from a small process of its own (``bench_validate.spawn_measured``): Linux carries
    this script's peak RSS (the synthetic corpus built, the store queried) over to a child.
    """
    with tempfile.TemporaryDirectory() as tmp:
        err_file = Path(tmp) / "stderr.txt"
        m = spawn_measured(argv, env=env or os.environ.copy(), out=Path(os.devnull),
                           err=err_file, timeout=float("inf"))
        assert m is not None
        err = err_file.read_bytes()
    return {"wall": m["seconds"], "cpu": m["cpu"], "rss": m["rss_mb"], "code": m["rc"],
            "err": err.decode(errors="replace")[-400:]}


def policykg(*args: str) -> list[str]:
    return [sys.executable, "-m", "policykg", *args]


def queries_on_store(store: Path) -> list[tuple[str, float, int]]:
    """Every corpus query (with its example) and each parameterless shipped query, timed."""
    import policykg as pk
    from policykg.sparql.catalogue import named_queries

    kg = pk.load(store=store)
    examples = {
        "documents-in-period": {"from": "3000", "to": "3040"},
        "term-first-last": {"term": "kg:new-quality-productive-forces"},
        "entity-provisions-by-year": {"entity": "kg:state-owned-enterprises"},
        "figures-by-year": {"about": "growth"},
        "entity-mentions-by-year": {"entity": "kg:state-owned-enterprises"},
    }
    out: list[tuple[str, float, int]] = []
    for q in named_queries().values():
        if q.name not in examples and (q.params or q.name.endswith("-violation")):
            continue
        start = time.perf_counter()
        res = kg.named(q.name, **examples.get(q.name, {}))
        out.append((q.name, time.perf_counter() - start, len(res)))
    kg.close()
    return out


def row(name: str, m: dict[str, Any], base: dict[str, Any] | None = None, note: str = "") -> str:
    ratio = f"{m['wall'] / base['wall']:.2f}" if base else ""
    ok = "ok" if m["code"] == 0 else f"exit {m['code']}"
    return (f"| {name} | {m['wall']:.1f} | {m['cpu']:.1f} | {m['rss']:.0f} | {ratio} | {ok} "
            f"| {note} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--times", type=int, default=100)
    ap.add_argument("--draft-times", type=int, default=5)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, no baseline")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    out_dir = Path(os.environ.get("POLICYKG_BENCH_OUT") or HERE / "out")  # see corpus.OUT
    work = out_dir / ("corpus-smoke" if args.smoke else "corpus")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    corpus = find_corpus()
    lines: list[str] = []
    head = "| step | wall s | CPU s | peak RSS MB | ratio to baseline | status | note |"
    sep = "|---|---:|---:|---:|---:|---|---|"

    # 1. the real corpus (the smoke run: its first three records)
    source = corpus
    if args.smoke:
        source = work / "small.jsonl"
        source.write_text("".join(corpus.read_text("utf-8").splitlines(True)[:3]), "utf-8")
    into = work / "real" / "corpus"
    imp = timed(policykg("corpus", "import", str(source), "--into", str(into),
                         "--run-date", "2026-12-06"))
    texts = into.parent
    shutil.copytree(ROOT / "graphs" / "sources", texts / "sources")
    records = sorted(str(p) for p in into.glob("*.trig"))
    drafts = sorted(str(p) for p in (into / "drafts").glob("*.trig"))
    val = timed(policykg("validate", *records, "--texts", str(texts)))
    val_all = (val if args.smoke else
               timed(policykg("validate", *records, *drafts, "--texts", str(texts))))
    base: dict[str, Any] | None = None
    if not args.smoke:
        total = {"wall": 0.0, "cpu": 0.0, "rss": 0.0, "code": 0}
        for txt in sorted(into.glob("*.txt")):
            m = timed(policykg("annotate", str(txt), "--out", str(work / f"{txt.stem}.yaml")))
            total = {"wall": total["wall"] + m["wall"], "cpu": total["cpu"] + m["cpu"],
                     "rss": max(total["rss"], m["rss"]), "code": total["code"] or m["code"]}
        base = total
    # the whole corpus: imported, drafted, and validated with its drafts
    whole = {"wall": imp["wall"] + val_all["wall"], "cpu": imp["cpu"] + val_all["cpu"],
             "rss": max(imp["rss"], val_all["rss"]), "code": imp["code"] or val_all["code"]}
    n_docs = len(list(into.glob("*.txt")))
    lines += [f"## The real corpus ({n_docs} documents)", "", head, sep]
    if base:
        lines.append(row("baseline: `policykg annotate` per document (21 processes)", base))
    lines += [
        row("`corpus import` (furniture, records, drafts)", imp, base),
        row("`validate` the record layer", val),
        row("`validate` records + drafts", val_all,
            note="clean" if val_all["code"] == 0 else "violations in the drafts (exit 1)"),
        row("import + draft + validate (real corpus)", whole, base,
            note="goal < 20 s and < 1 GB: " + (
                "met" if whole["wall"] < 20 and whole["rss"] < 1024 else "not met")),
        "",
    ]
    reimport = timed(policykg("corpus", "import", str(source), "--into", str(into)))
    lines += [head, sep, row("re-import of the same file (nothing changes)", reimport), ""]

    # 2. the synthetic corpus, records only, into an on-disk store, and the queries on it
    times = 1 if args.smoke else args.times
    parts = build(corpus, work / "synth", times=times, reports=2 if args.smoke else None)
    mb = sum(p.stat().st_size for p in parts) / 1e6
    s_into = work / "synth-corpus"
    s_imp = timed(policykg("corpus", "import", *map(str, parts), "--into", str(s_into),
                           "--no-drafts", "--run-date", "2026-12-06"))
    store = work / "synth.oxigraph"
    s_load = timed(policykg("load", "--store", str(store), "--corpus", str(s_into), "-q"))
    n = len(list(s_into.glob("*.txt")))
    lines += [f"## Synthetic corpus: {times}× ({n} reports, {mb:.1f} MB of JSON Lines)", "",
              head, sep,
              row("`corpus import --no-drafts` (progress bar)", s_imp),
              row("`load --store` (project + corpus)", s_load),
              row("import + store", {k: (s_imp[k] + s_load[k]) if k != "code" else
                                     (s_imp[k] or s_load[k]) for k in ("wall", "cpu", "rss",
                                                                       "code")},
                  note="goal < 10 min: " + ("met" if s_imp["wall"] + s_load["wall"] < 600
                                            else "not met")),
              "", "| named query on the store | seconds | rows | goal < 1 s |",
              "|---|---:|---:|---|"]
    for name, secs, rows in queries_on_store(store):
        lines.append(f"| {name} | {secs:.3f} | {rows} | {'met' if secs < 1 else 'not met'} |")
    lines.append("")

    # 3. drafting throughput (not in the smoke run: the import above drafts already)
    d_times = 0 if args.smoke else args.draft_times
    d_imp = {"wall": 0.0, "cpu": 0.0, "rss": 0.0, "code": 0, "err": ""}
    if d_times:
        d_parts = build(corpus, work / "synth-d", times=d_times)
        d_imp = timed(policykg("corpus", "import", *map(str, d_parts), "--into",
                               str(work / "synth-d-corpus"), "--run-date", "2026-12-06"))
        d_n = len(list((work / "synth-d-corpus").glob("*.txt")))
        per_doc, per_cpu = d_imp["wall"] / max(d_n, 1), d_imp["cpu"] / max(d_n, 1)
        lines += [f"## Drafting throughput ({d_times}×, {d_n} reports)", "", head, sep,
                  row("`corpus import` with drafts", d_imp,
                      note=f"{per_doc:.2f} s ({per_cpu:.2f} CPU s) a report" + (
                          "" if d_n >= 1000 else
                          f"; 100× (1000 reports) extrapolated: {per_doc * 1000 / 60:.0f} min "
                          f"wall, {per_cpu * 1000 / 60:.0f} min CPU (not measured)")), ""]

    out = args.out or (work.parent / "corpus-smoke.md" if args.smoke
                       else HERE / "RESULTS-corpus.md")
    header = [
        "# The corpus workflow: import, draft, validate, store, query",
        "",
        f"Generated by `python benchmarks/bench_corpus.py{' --smoke' if args.smoke else ''}` "
        f"(one run; timings vary). Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other work. Wall and CPU seconds and peak RSS of "
        "each cold process (`os.wait4`); the ratio is wall time against the baseline of the "
        "same run. On a machine shared with other work the wall time is mostly waiting: read the "
        "CPU seconds for the cost of the work itself.",
        "",
    ]
    failures = [m for m in (imp, val, reimport, s_imp, s_load, d_imp) if m["code"] != 0]
    out.write_text("\n".join(header + lines), encoding="utf-8")
    print(out.read_text(encoding="utf-8"))
    print(json.dumps({"failures": [f["err"] for f in failures]}), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
