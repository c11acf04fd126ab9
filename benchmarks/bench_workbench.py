"""Benchmark the analyst's workbench (issue 16): time until the served page, its query editor and
the reader view are interactive, for the article and a synthetic 2,000-node graph.

Each graph is served by ``policykg serve``'s own WSGI app (Waitress on a loopback port; queries run
in this process, as one worker would) with its page built by ``build_network``; Chromium headless
(``/usr/bin/chromium``) opens it with every request outside the server aborted. Measured from the
start of navigation, median of ``--runs`` runs:

* **served page**: the graph page's ``ready`` flag (first frame drawn);
* **editor ready**: from the first click on *Query* until the workbench is built (YASGUI's 1 MB
  script is loaded then, not with the page; the editor and the named-query list loaded);
* **named query**: from a click on *Run* in a named query's form until its rows are in the table;
* **reader (deep link)**: ``/#passage=<id>`` until that passage is highlighted in the text and its
  nodes are selected;
* **reader tab**: from a click on *Reader* (page already open) until the text is drawn;
* the offline page (``file://``) for the same two reader timings.

The synthetic graph is ``bench_viz.synthetic_nquads(2000)`` (scale-free links, every fact in a
passage graph); its document's text is made by placing each passage's quote at its offsets.
The corpus graph (issue 23: "served page ready in under 2 s with the whole Government Work
Report corpus loaded") is the project plus the real import of ``shared/corpus/gwr-zh.jsonl``
(``policykg corpus import``: 21 documents, records and drafts; the smoke run uses the import's
stand-in ``gwr_fixture.py``, cut small); its page is built from that whole graph, and the
served timings add a query filtered to one document with drafts shown (the workbench's filter:
click → rows).
Run by hand::

    python benchmarks/bench_workbench.py             # writes its section of RESULTS-viz.md
    python benchmarks/bench_workbench.py --quick     # one run each, nothing written
    python benchmarks/bench_workbench.py --smoke     # the corpus graph cut small, one run (a test)
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
OUT = ROOT / "benchmarks" / "out" / "workbench"
RESULTS = ROOT / "benchmarks" / "RESULTS-viz.md"
BEGIN, END = "<!-- workbench: begin -->", "<!-- workbench: end -->"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]


def synthetic_page(n: int) -> tuple[Any, list[Any], Path]:
    """Load the synthetic graph and write its page, with a text for the reader view."""
    from bench_viz import OUT as VIZ_OUT
    from bench_viz import load_synthetic
    from policykg.outputs.viz import extract_graph, network_from_graph, write_html

    kg = load_synthetic(n)
    graph = extract_graph(kg)
    for doc in {p.document for p in graph.passages.values() if p.document}:
        mine = [p for p in graph.passages.values() if p.document == doc and p.start is not None]
        size = max(p.end or 0 for p in mine)
        chars = [" "] * size
        for p in mine:
            assert p.start is not None
            chars[p.start : p.start + len(p.quote)] = list(p.quote)
        graph.texts[doc] = "".join(chars)
    OUT.mkdir(parents=True, exist_ok=True)
    page = write_html(network_from_graph(graph), OUT / f"synthetic-{n}.html")
    del VIZ_OUT
    return kg, list(kg.files), page


def article_page() -> tuple[Any, list[Any], Path]:
    import policykg
    from policykg.outputs.viz import build_network, write_html

    kg = policykg.load()
    OUT.mkdir(parents=True, exist_ok=True)
    return kg, list(kg.files), write_html(build_network(kg), OUT / "article.html")


def corpus_page(documents: int = 0, passages: int = 0) -> tuple[Any, list[Any], Path]:
    """The article and the corpus, with its page.

    The whole corpus (the default) is the real import: ``policykg corpus import`` of
    ``shared/corpus/gwr-zh.jsonl`` with its drafts, loaded as ``load(corpus=..., drafts=True)``
    loads it. A cut (``documents`` x ``passages``, the smoke run) is the import's stand-in
    (``gwr_fixture.py``), which takes a second.
    """
    import shutil
    import subprocess

    from gwr_fixture import build_fixture, find_corpus
    from policykg.apps.server import _open_source
    from policykg.graph.kg import PolicyKG
    from policykg.outputs.viz import build_network, write_html
    from policykg.rdf.graphio import GraphFile, graph_files

    corpus = find_corpus()
    if corpus is None:
        raise SystemExit("the corpus shared/corpus/gwr-zh.jsonl is missing")
    OUT.mkdir(parents=True, exist_ok=True)
    if not documents:
        into = OUT / "real-corpus"
        shutil.rmtree(into, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "policykg", "corpus", "import", str(corpus),
                        "--into", str(into), "--run-date", "2026-12-06"],
                       check=True, capture_output=True)
        files = list(graph_files(corpus=into, drafts=True))
    else:
        made = build_fixture(corpus, OUT / "gwr", documents=documents, passages=passages)
        # the cut: the ontology and the article beside it (the project's reviewed work reports
        # would make the smoke run lay out 900 nodes)
        project = [f for f in graph_files() if not f.path.stem.startswith("gwr-")]
        files = [*project, *(GraphFile(p, None) for p in made)]
    kg = PolicyKG(files, _open_source({"files": [(str(f.path), str(f.graph) if f.graph else None)
                                                 for f in files]}))
    name = "corpus" if not documents else f"corpus-{documents}x{passages}"
    return kg, files, write_html(build_network(kg), OUT / f"{name}.html")


def start_server(files: list[Any], page: Path) -> tuple[Any, str]:
    from waitress import create_server

    from policykg.apps.server import ServeConfig, _open_source, execute, make_app
    from policykg.graph.kg import PolicyKG

    backend = _open_source({"files": [(str(f.path), str(f.graph) if f.graph else None)
                                      for f in files]})
    kg = PolicyKG([], backend)
    lock = threading.Lock()
    cache: dict[str, Any] = {}

    def run(job: dict[str, Any], timeout: float) -> Any:
        with lock:
            return execute(backend.store, job, kg=kg, cache=cache)

    server = create_server(make_app(ServeConfig(html=page), run), host="127.0.0.1", port=0,
                           threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}/"


def _context(browser: Any, allowed: str) -> Any:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(allowed)
                  else r.abort())
    return context


def measure(browser: Any, url: str, allowed: str, passage: str, served: bool) -> dict[str, float]:
    out: dict[str, float] = {}
    context = _context(browser, allowed)
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => window.policykg && window.policykg.ready === true",
                           timeout=120_000)
    out["page"] = time.perf_counter() - start
    if served:
        t = time.perf_counter()
        page.click("#tab-query")
        page.wait_for_selector("#workbench[data-ready][data-queries]", timeout=120_000)
        out["editor"] = time.perf_counter() - t
        page.click(".wb-q[data-query='class-hierarchy']")
        t = time.perf_counter()
        page.click(".wb-run-named")
        page.wait_for_function("() => document.getElementById('workbench')"
                               ".getAttribute('data-rows') > ''", timeout=120_000)
        out["named"] = time.perf_counter() - t
        docs = page.evaluate("[...document.querySelectorAll('#wb-doc option')].map(o => o.value)"
                             ".filter(v => v.startsWith('kg:gwr-'))")
        if docs:
            page.check("#wb-drafts")
            page.wait_for_function("() => document.getElementById('workbench')"
                                   ".getAttribute('data-scope') === 'drafts=1'")
            page.wait_for_function("() => document.getElementById('workbench')"
                                   ".getAttribute('data-rows') > ''", timeout=120_000)
            t = time.perf_counter()
            page.select_option("#wb-doc", docs[-1])
            page.wait_for_function("(d) => document.getElementById('workbench').getAttribute("
                                   "'data-scope').startsWith('doc=') && document.getElementById("
                                   "'workbench').getAttribute('data-rows') > ''", arg=docs[-1],
                                   timeout=120_000)
            out["scoped"] = time.perf_counter() - t
        page.click("#tab-graph")
    t = time.perf_counter()
    page.click("#tab-reader")
    page.wait_for_selector("#reader-text .psg", timeout=120_000)
    page.evaluate("1")
    out["reader_tab"] = time.perf_counter() - t
    context.close()
    context = _context(browser, allowed)
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url + "#passage=" + passage, wait_until="commit")
    page.wait_for_selector("#reader-text .psg.active", timeout=120_000)
    page.evaluate("1")
    out["reader_link"] = time.perf_counter() - start
    context.close()
    return out


def bench(
    name: str, loaded: tuple[Any, list[Any], Path], browser: Any, runs: int
) -> dict[str, Any]:
    _kg, files, page = loaded
    import json
    import re

    html = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="policykg-data">(.*?)</script>', html, re.S).group(1))
    passage = sorted(p for p, v in data["passages"].items() if v.get("start") is not None)[
        len(data["passages"]) // 2]
    import os

    load = os.getloadavg()
    server, base = start_server(files, page)
    try:
        served = [measure(browser, base, base, passage, True) for _ in range(runs)]
        offline = [measure(browser, page.as_uri(), "file://", passage, False) for _ in range(runs)]
    finally:
        server.close()
    med = {k: statistics.median(r[k] for r in served) for k in served[0]}
    med.setdefault("scoped", float("nan"))
    med_off = {k: statistics.median(r[k] for r in offline) for k in offline[0]}
    return {"graph": name, "nodes": len(data["nodes"]), "edges": len(data["edges"]),
            "passages": len(data["passages"]), "mb": page.stat().st_size / 1e6,
            "served": med, "offline": med_off, "runs": runs, "load": load}


def _num(x: float) -> str:
    return "–" if x != x else f"{x:.2f}"  # NaN: not measured (no corpus document to filter to)


def report(rows: list[dict[str, Any]]) -> str:
    import os

    lines = [
        BEGIN,
        "## The workbench and the reader view (issue 16)",
        "",
        f"Generated by `python benchmarks/bench_workbench.py` on {platform.platform()}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs; Chromium headless, 1400×900; "
        f"median of {rows[0]['runs']} runs; seconds from the start of navigation (or from the "
        "click). Served: `policykg serve`'s app on a loopback port, queries in-process; offline: "
        "the same page from `file://`. Load average at the start: "
        + ", ".join(f"{x:.1f}" for x in rows[0]["load"])
        + " (the machine was shared: treat single numbers as rough).",
        "",
        "| graph | nodes | edges | passages | page MB | served page ready "
        "| Query tab → editor ready | named query (click → rows) | reader, deep link (served) "
        "| reader tab (served) | filter to one document, drafts shown (change → rows) "
        "| offline page ready | reader, deep link (offline) | reader tab (offline) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        s, o = r["served"], r["offline"]
        lines.append(
            f"| {r['graph']} | {r['nodes']} | {r['edges']} | {r['passages']} | {r['mb']:.2f} "
            f"| {s['page']:.2f} | {s['editor']:.2f} | {s['named']:.2f} | {s['reader_link']:.2f} "
            f"| {s['reader_tab']:.2f} | {_num(s['scoped'])} | {o['page']:.2f} "
            f"| {o['reader_link']:.2f} "
            f"| {o['reader_tab']:.2f} |"
        )
    gaps = [r["served"]["editor"] for r in rows]
    extra = [r["served"]["page"] - r["offline"]["page"] for r in rows]
    lines += [
        "",
        f"The query editor and result viewer (YASGUI 1 MB and Yasr 0.6 MB of script) are loaded "
        f"on the first click on *Query* and "
        f"ready {min(gaps):.1f}–{max(gaps):.1f} s later; the served page itself is ready "
        f"{min(extra):.1f}–{max(extra):.1f} s after the offline one (its scripts come over HTTP "
        "from the same Python process that answers the queries). A named query's answer is in "
        f"the table {min(r['served']['named'] for r in rows):.2f}–"
        f"{max(r['served']['named'] for r in rows):.2f} s after the click. The reader draws the "
        "whole text with one "
        "element per passage, so its time follows the number of passages; a deep link also "
        "waits for the graph, then selects and frames the passage's nodes (on 2,000 nodes, "
        "recolouring them all is most of it).",
    ]
    corpus = [r for r in rows if r["graph"].startswith(("Government", "corpus"))]
    for r in corpus:
        lines += [
            "",
            f"With the Government Work Report corpus loaded ({r['graph']}: the server holds "
            "the real import of the 21 documents, records and drafts; the page at `/` is built "
            f"from the whole graph and draws {r['nodes']} nodes and {r['passages']} passages, "
            f"drafts not being drawn), the served page is ready in {r['served']['page']:.2f} s "
            "(goal: under 2 s); filtering the workbench to one document with drafts shown "
            f"answers in {_num(r['served']['scoped'])} s (the worker reads the documents, years "
            "and drafts once, then each query's dataset is the graphs in scope).",
        ]
    lines += [
        END,
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="one run each; write nothing")
    ap.add_argument("--smoke", action="store_true",
                    help="the corpus graph cut to 2 documents of 20 passages, one run; write "
                         "nothing (the test suite runs this)")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    runs = 1 if args.quick or args.smoke else args.runs
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS,
                                    headless=True)
        if args.smoke:
            rows = [bench("corpus (smoke: 2 documents x 20 passages)", corpus_page(2, 20),
                          browser, runs)]
        else:
            rows = [bench("article", article_page(), browser, runs),
                    bench("synthetic-2000", synthetic_page(2000), browser, runs),
                    bench("Government Work Reports (21 documents, drafts) + article",
                          corpus_page(), browser, runs)]
        browser.close()
    text = report(rows)
    print(text)
    if not (args.quick or args.smoke):
        old = RESULTS.read_text(encoding="utf-8")
        if BEGIN in old:
            old = old[: old.index(BEGIN)] + old[old.index(END) + len(END) + 1 :]
        RESULTS.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
