"""Time ``compare`` and ``timeline`` on the reviewed corpus and on a 100x copy of it in a store.

Cases (each warm: the graph or store is open, the first run is discarded, the median of the
rest is reported):

- ``compare gwr-2023 gwr-2024`` and ``timeline new-quality-productive-forces`` on the project's
  graph (the article and the reviewed work-report sections, in memory);
- the same on an on-disk Oxigraph store holding the project's graphs and N renamed copies of
  every document (``--copies``, default 100: each document, passage and provision IRI gets a
  suffix, the concepts stay shared, so a timeline sees 100 times as many documents).

The baseline, in the same run, is the time of the named queries alone on raw pyoxigraph (the
queries compare and timeline run, without the matching and grouping in Python), so the ratio is
the cost of the work around the engine. Goals (issue 22): compare under 1 s and timeline under
0.5 s warm on the corpus, both within 2 s on the 100x store.

Usage::

    python benchmarks/bench_compare.py            # writes benchmarks/RESULTS-compare.md
    python benchmarks/bench_compare.py --smoke    # 2 copies, one repetition, writes nothing here
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
KG = "https://w3id.org/policykg/id/"
GOALS = {"compare": 1.0, "timeline": 0.5, "compare (store)": 2.0, "timeline (store)": 2.0}


def _median(fn: Callable[[], Any], reps: int) -> float:
    fn()  # warm
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _documents(store: Any) -> list[str]:
    q = "SELECT DISTINCT ?d WHERE { ?p <https://w3id.org/policykg/ontology#inDocument> ?d }"
    return sorted(str(r["d"].value) for r in store.query(q, use_default_graph_as_union=True))


def build_store(folder: Path, copies: int) -> tuple[int, int]:
    """The project's graphs plus ``copies`` renamed copies of every document; (quads, docs)."""
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    _load_project(store)
    prefixes = tuple(KG + d.rsplit("/", 1)[-1] for d in _documents(store))

    def rename(term: Any, k: int) -> Any:
        if isinstance(term, ox.NamedNode) and term.value.startswith(prefixes):
            return ox.NamedNode(f"{term.value}-x{k}")
        return term

    originals = list(store.quads_for_pattern(None, None, None, None))
    for k in range(copies):
        store.extend(
            ox.Quad(rename(q.subject, k), q.predicate, rename(q.object, k),
                    rename(q.graph_name, k) if isinstance(q.graph_name, ox.NamedNode)
                    else q.graph_name)
            for q in originals
            if any(isinstance(t, ox.NamedNode) and t.value.startswith(prefixes)
                   for t in (q.subject, q.object, q.graph_name))
        )
    store.flush()
    return len(store), len(_documents(store))


def _load_project(store: Any) -> None:
    import pyoxigraph as ox

    from policykg.rdf.graphio import graph_files

    for f in graph_files():
        fmt = ox.RdfFormat.TRIG if f.path.suffix == ".trig" else ox.RdfFormat.TURTLE
        graph = ox.NamedNode(str(f.graph)) if f.graph is not None else None
        store.bulk_load(path=str(f.path), format=fmt, to_graph=graph)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="2 copies, one repetition")
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    copies, reps = (2, 1) if args.smoke else (args.copies, args.reps)

    import pyoxigraph as ox

    import policykg
    from policykg.core.namespaces import PREFIXES
    from policykg.graph.compare import compare_documents
    from policykg.graph.timeline import timeline
    from policykg.sparql.catalogue import get_query

    out_dir = Path(os.environ.get("POLICYKG_BENCH_OUT") or HERE / "out")  # see corpus.OUT
    rows: list[tuple[str, float, float, str]] = []

    def raw(store: Any, name: str, **values: str) -> Callable[[], Any]:
        # the parameter as an inline VALUES block, as the named-query layer binds it
        block = " ".join(f"VALUES ?{k} {{ {ox.NamedNode(v)} }}" for k, v in values.items())
        text = get_query(name).text.replace("WHERE {", "WHERE {\n  " + block, 1)
        return lambda: list(
            store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
        )

    nqpf = KG + "new-quality-productive-forces"
    a, b = KG + "gwr-2023", KG + "gwr-2024"
    kg = policykg.load()
    changes = compare_documents(kg, a, b)
    t_cmp = _median(lambda: compare_documents(kg, a, b), reps)
    t_tl = _median(lambda: timeline(kg, nqpf), reps)
    kg.close()
    with tempfile.TemporaryDirectory() as tmp:
        quads, docs = build_store(Path(tmp) / "store", copies)
        skg = policykg.load(store=Path(tmp) / "store")
        t_scmp = _median(lambda: compare_documents(skg, a, b), reps)
        t_stl = _median(lambda: timeline(skg, nqpf), reps)
        rows_tl = len(timeline(skg, nqpf).rows)
        skg.close()
        inner = ox.Store(str(Path(tmp) / "store"))
        base: dict[str, float] = {}
        base["compare (store)"] = _median(
            lambda: (raw(inner, "document-provisions", document=a)(),
                     raw(inner, "document-provisions", document=b)()), reps)
        base["timeline (store)"] = _median(raw(inner, "entity-timeline", entity=nqpf), reps)
    mem = ox.Store()
    _load_project(mem)
    base["compare"] = _median(
        lambda: (raw(mem, "document-provisions", document=a)(),
                 raw(mem, "document-provisions", document=b)()), reps)
    base["timeline"] = _median(raw(mem, "entity-timeline", entity=nqpf), reps)
    for name, t in (("compare", t_cmp), ("timeline", t_tl), ("compare (store)", t_scmp),
                    ("timeline (store)", t_stl)):
        ratio = t / base[name] if base.get(name) else float("nan")
        ok = "met" if t < GOALS[name] else "MISSED"
        rows.append((name, t, ratio, ok))
    lines = [
        "# compare and timeline: speed",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, load "
        f"{os.getloadavg()[0]:.1f}; {'smoke mode' if args.smoke else 'full run'}; "
        f"median of {reps} warm runs.",
        f"Store: the project's graphs and {copies} renamed copies of every document: {quads} "
        f"quads, {docs} documents; the timeline of new quality productive forces has {rows_tl} "
        "rows there.",
        "compare gwr-2023 gwr-2024 finds: "
        + ", ".join(f"{n} {k}" for k, n in changes.counts().items() if n) + ".",
        "",
        "| case | time (s) | ratio to the raw named queries | goal |",
        "|---|---|---|---|",
    ]
    lines += [f"| {n} | {t:.3f} | {r:.1f}x | < {GOALS[n]} s: {ok} |" for n, t, r, ok in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.smoke:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "RESULTS-compare.md").write_text(text, encoding="utf-8")
    else:
        (HERE / "RESULTS-compare.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
