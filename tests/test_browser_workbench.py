"""The analyst's workbench in a real browser (issue 16): Playwright driving Debian's Chromium.

Served: ``policykg serve``'s WSGI app over the article on a loopback port (queries run in this
process), every request recorded and anything not to that port aborted. Static: the offline page
of a fixture with provisions, Chinese text and characters outside the BMP, from ``file://``.
Screenshots of each view go to ``test-artifacts/`` (1400×900). Skipped without
``/usr/bin/chromium`` unless ``POLICYKG_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from conftest import watch_page
from policykg.apps.server import ServeConfig, _open_source, execute, make_app
from policykg.core.namespaces import ONTOLOGY_IRI
from policykg.core.paths import ontology_file
from policykg.graph.kg import PolicyKG
from policykg.outputs.viz import build_network, write_html
from policykg.rdf.graphio import GraphFile, graph_files
from test_browser_viz import _HOOKS, browser  # noqa: F401  (the module's browser fixture)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PROVISIONS = Path(__file__).parent / "fixtures" / "viz" / "provisions.trig"
EVIL = "<img src=x onerror=alert(1)>"
VIEW = {"width": 1400, "height": 900}


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[str]:
    """The server's app over the article on 127.0.0.1 (a free port); yields its base URL."""
    from waitress import create_server

    folder = tmp_path_factory.mktemp("served-page")
    page = folder / "policykg.html"
    page.write_text((ROOT / "graphs" / "policykg.html").read_text(encoding="utf-8"),
                    encoding="utf-8")
    files = list(graph_files())
    backend = _open_source({"files": [(str(f.path), str(f.graph) if f.graph else None)
                                      for f in files]})
    kg = PolicyKG([], backend)
    lock = threading.Lock()

    def run(job: dict[str, Any], timeout: float):
        with lock:
            return execute(backend.store, job, kg=kg)

    server = create_server(make_app(ServeConfig(html=page, max_rows=1000), run),
                           host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}/"
    server.close()
    kg.close()


@pytest.fixture(scope="module")
def fixture_page(tmp_path_factory) -> Path:
    files = [GraphFile(ontology_file(), URIRef(ONTOLOGY_IRI)), GraphFile(PROVISIONS, None)]
    kg = PolicyKG(files, _open_source({"files": [(str(f.path), str(f.graph) if f.graph else None)
                                                 for f in files]}))
    path = write_html(build_network(kg), tmp_path_factory.mktemp("fx") / "provisions.html")
    kg.close()
    return path


@dataclass
class Tab:
    page: Any
    allowed: str
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def eval(self, js: str, arg: Any = None) -> Any:
        return self.page.evaluate(js, arg)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"workbench-{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def assert_clean(self) -> None:
        assert self.outside == [], self.outside
        assert all(u.startswith(self.allowed) for u in self.requests), self.requests
        assert self.errors == [] and self.dialogs == []
        assert self.eval("window.__alerts") == [] and self.eval("window.__csp") == []


@pytest.fixture
def open_tab(browser):  # noqa: F811
    contexts = []

    def opener(url: str, allowed: str) -> Tab:
        context = browser.new_context(viewport=VIEW)
        contexts.append(context)
        page = context.new_page()
        tab = Tab(page, allowed)

        watch_page(page, allowed, tab.errors, tab.outside.append, route_on=context,
                   requests=tab.requests)
        page.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
        page.add_init_script(_HOOKS)
        page.goto(url)
        page.wait_for_function("() => window.policykg && window.policykg.ready === true",
                               timeout=30_000)
        return tab

    yield opener
    for c in contexts:
        c.close()


def query_tab(tab: Tab) -> None:
    assert tab.eval("typeof window.Yasgui") == "undefined"  # loaded on first use
    tab.page.click("#tab-query")
    tab.page.wait_for_selector("#workbench[data-ready][data-queries]")


def wait_rows(tab: Tab) -> int:
    # the count is read in the same call that sees it (read after, a rerun could have reset it)
    found = tab.page.wait_for_function(
        "() => document.querySelector('.wb-error') ? 'error' :"
        " (document.getElementById('workbench').getAttribute('data-rows') || false)").json_value()
    assert found != "error", tab.eval("document.querySelector('.wb-error').textContent")
    return int(found)


# -- served: the editor, the named queries, show on graph ----------------------------------------


def test_the_served_page_opens_on_a_readable_overview(open_tab, served):
    tab = open_tab(served, served)
    assert tab.eval("window.policykg.mode()") == "overview"
    visible = tab.eval("window.policykg.nodes.get({filter: n => !n.hidden}).length")
    assert visible == len(tab.eval("window.policykg.data.overview.nodes")) + len(
        tab.eval("window.policykg.data.overview.groups"))
    # labels are readable: the smallest drawn label is at least 11 px on screen
    smallest = tab.eval("""() => { const net = window.policykg.network; const s = net.getScale();
        return Math.min(...window.policykg.data.overview.nodes.map(id => {
          const n = window.policykg.nodes.get(id); return ((n.font && n.font.size) || 14) * s; })); }""")
    assert smallest >= 12, smallest
    tab.shot("overview")
    tab.page.click("#mode")
    assert tab.eval("window.policykg.nodes.get({filter: n => !n.hidden}).length") == tab.eval(
        "window.policykg.data.nodes.length")
    tab.shot("full-graph")
    tab.page.click("#mode")
    gid = "group:concepts"
    members = tab.eval(f"window.policykg.data.overview.groups.filter(g => g.id === '{gid}')[0].members")
    tab.eval(f"void window.policykg.network.emit('click', {{nodes: ['{gid}'], edges: []}})")
    shown = tab.eval("(ids) => ids.filter(id => !window.policykg.nodes.get(id).hidden).length", members)
    assert shown == len(members)
    tab.assert_clean()


def test_the_editor_runs_a_query_and_shows_its_rows(open_tab, served, kg):
    tab = open_tab(served, served)
    query_tab(tab)
    q = "SELECT ?goal ?label WHERE { ?goal a pkg:Goal ; skos:prefLabel ?label FILTER(LANG(?label) = 'en') } ORDER BY ?goal"
    tab.eval("(q) => window.policykgWorkbench.yasqe.setValue(q)", q)
    tab.page.wait_for_selector("#workbench[data-prefixes]")
    # the predeclared prefixes are known to the editor's syntax check: no error marker
    assert tab.eval("document.querySelectorAll('#workbench .yasqe_errorIcon, #workbench "
                    ".CodeMirror-lint-marker-error').length") == 0
    assert tab.eval("window.policykgWorkbench.yasqe.queryValid") is True
    tab.eval("() => { const y = window.policykgWorkbench.yasqe; y.setValue('SELECT * WHERE "
             "{ ?s a nope:Thing }'); y.checkSyntax(); }")
    assert tab.eval("window.policykgWorkbench.yasqe.queryValid") is False  # still checked
    tab.eval("(q) => { const y = window.policykgWorkbench.yasqe; y.setValue(q); y.checkSyntax(); }",
             q)
    assert tab.eval("window.policykgWorkbench.yasqe.queryValid") is True
    tab.page.click(".wb-run")
    assert wait_rows(tab) == len(kg.query(q)) > 5
    # Yasr's table (its first column is the row number)
    first = tab.eval("document.querySelector('.wb-yasr table tbody tr td:nth-child(2)').textContent")
    assert first.startswith("kg:")
    # downloads are the same query from the same server
    csv = tab.eval("() => fetch(document.querySelectorAll('.wb-dl')[1].href).then(r => r.text())")
    assert csv.splitlines()[0] == "goal,label" and len(csv.splitlines()) == len(kg.query(q)) + 1
    tab.shot("query")
    # a result carrying markup shows as text and runs nothing
    tab.eval("(q) => window.policykgWorkbench.yasqe.setValue(q)",
             f'SELECT ?x WHERE {{ BIND("{EVIL}" AS ?x) }}')
    tab.page.click(".wb-run")
    assert wait_rows(tab) == 1
    assert tab.eval("document.querySelector('.wb-yasr table tbody td:nth-child(2)').textContent") \
        == EVIL
    assert tab.eval("document.querySelectorAll('#workbench img').length") == 0
    assert any(u.endswith("/api/vocab") for u in tab.requests)
    # the editor completes from the local ontology only (no prefix.cc, no LOV)
    completers = tab.eval("Object.keys(window.policykgWorkbench.yasqe.autocompleters).sort()")
    assert completers == ["local-class", "local-prefixes", "local-property", "variables"]
    classes = tab.eval("""() => window.policykgWorkbench.yasqe.autocompleters['local-class']
        .config.get().then(list => list.filter(i => i.endsWith('#StateOwnedEnterprise')))""")
    assert classes == ["https://w3id.org/policykg/ontology#StateOwnedEnterprise"]
    tab.assert_clean()


def test_a_named_query_runs_from_its_form_and_shows_on_the_graph(open_tab, served, kg):
    tab = open_tab(served, served)
    query_tab(tab)
    tab.page.click(".wb-q[data-query='concept-neighbourhood']")
    tab.page.fill("input[data-param='concept']", "国有企业")
    tab.page.click(".wb-run-named")
    expect = kg.named("concept-neighbourhood", concept="国有企业")
    assert wait_rows(tab) == len(expect) > 0
    tab.shot("named-query")
    passages = tab.eval("[...document.querySelectorAll('.wb-yasr td a.iri')].map(b => b.textContent)"
                        ".filter(t => /-p\\d\\d-\\d+$/.test(t))")
    assert passages, "the result's passages are links to the reader"
    tab.page.locator(f".wb-yasr td a.iri:text-is('{passages[0]}')").first.dispatch_event("click")
    assert tab.eval("window.policykg.tab()") == "reader"
    assert tab.eval("document.querySelector('#reader-text .psg.active').dataset.passage") \
        == passages[0]
    tab.page.click("#tab-query")
    tab.page.click(".wb-show")
    assert tab.eval("window.policykg.tab()") == "graph"
    selected = set(tab.eval("window.policykg.network.getSelectedNodes()"))
    from policykg.rdf.terms import curie

    want = {curie(str(t)) for row in expect for t in row if isinstance(t, URIRef)}
    want &= set(tab.eval("window.policykg.data.nodes.map(n => n.id)"))
    assert selected == want and "kg:state-owned-enterprises" in selected
    heading = tab.eval("document.querySelector('#panel-body h2').textContent")
    assert heading == f"Result of concept-neighbourhood: {len(want)} entities"
    tab.shot("show-on-graph")
    tab.assert_clean()


def test_the_served_reader_goes_both_ways(open_tab, served):
    tab = open_tab(served + "#passage=kg:ncpf-2025-p12-5", served)
    assert tab.eval("window.policykg.tab()") == "reader"
    active = tab.eval("[...document.querySelectorAll('#reader-text .psg.active')].map(s => s.textContent).join('')")
    assert active == tab.eval("window.policykg.data.passages['kg:ncpf-2025-p12-5'].quote")
    assert "kg:state-owned-enterprises" in tab.eval("window.policykg.network.getSelectedNodes()")
    tab.shot("reader")
    tab.eval("window.policykg.select('kg:top-research-universities', {focus: false})")
    hits = tab.eval("[...new Set([...document.querySelectorAll('#reader-text .psg.hit')].map(s => s.dataset.passage))]")
    assert set(hits) == set(tab.eval("window.policykg.passagesOfNode('kg:top-research-universities')"))
    assert hits
    tab.assert_clean()


# -- static: the reader over Chinese and non-BMP text, modality, deep links, escaping ------------


def test_every_passage_is_highlighted_at_its_code_point_offsets(open_tab, fixture_page):
    tab = open_tab(fixture_page.as_uri() + "#passage=kg:fx-p02-1", "file://")
    spans = tab.eval("""() => { const out = {}; document.querySelectorAll('#reader-text .psg').forEach(s => {
        out[s.dataset.passage] = (out[s.dataset.passage] || '') + s.textContent; }); return out; }""")
    quotes = tab.eval("() => { const o = {}; for (const [k, p] of Object.entries(window.policykg.data.passages)) o[k] = p.quote; return o; }")
    assert spans == quotes
    assert "🚀" in spans["kg:fx-p02-1"] and spans["kg:fx-p01-2"] == "企业应当创新。"
    # the deep link opened the passage: its provision with modality, condition, means, purpose
    panel = tab.eval("document.getElementById('panel-body').textContent")
    assert tab.eval("document.querySelector('#panel-body .modality-head strong').textContent") \
        == "recommendation"
    for words in ("funds are available", "sharing laboratories",
                  "breakthroughs", "the author", "“should”"):
        assert words in panel, words
    selected = set(tab.eval("window.policykg.network.getSelectedNodes()"))
    assert {"kg:fx-p02-1-v1", "kg:research-institutes", "kg:cooperation"} <= selected
    tab.shot("reader-fixture")
    tab.assert_clean()


def test_clicking_a_passage_and_a_node(open_tab, fixture_page):
    tab = open_tab(fixture_page.as_uri(), "file://")
    tab.page.click("#tab-reader")
    tab.page.click("#reader-text .psg[data-passage='kg:fx-p03-1']")
    assert tab.eval("location.hash") == "#passage=kg:fx-p03-1"
    assert "kg:growth" in tab.eval("window.policykg.network.getSelectedNodes()")
    assert "not stated" in tab.eval("document.getElementById('panel-body').textContent")
    tab.eval("window.policykg.select('kg:enterprises', {focus: false})")
    hits = tab.eval("[...new Set([...document.querySelectorAll('#reader-text .psg.hit')].map(s => s.dataset.passage))].sort()")
    assert hits == ["kg:fx-p01-1", "kg:fx-p01-2"]
    tab.assert_clean()


def test_modality_legend_and_edges(open_tab, fixture_page):
    tab = open_tab(fixture_page.as_uri() + "#node=kg:fx-p01-1-v1", "file://")
    legend = tab.eval("[...document.querySelectorAll('#modality-list li .name')].map(e => e.textContent)")
    assert legend == ["obligation", "necessity", "recommendation"]
    assert tab.eval("document.getElementById('modality-legend').hidden") is False
    styles = tab.eval("""() => window.policykg.edges.get().filter(e => e.modality)
        .map(e => [e.modality, JSON.stringify(e.dashes)])""")
    assert ["pkg:recommendation", "[9,5]"] in styles and ["pkg:obligation", "false"] in styles
    panel = tab.eval("document.getElementById('panel-body').textContent")
    assert tab.eval("document.querySelector('#panel-body .modality-head strong').textContent") \
        == "obligation"
    assert "Addressee" in panel and "enterprises" in panel and "“must”" in panel
    tab.shot("modality")
    tab.assert_clean()


def test_markup_in_labels_and_quotes_shows_as_text(open_tab, fixture_page):
    tab = open_tab(fixture_page.as_uri() + "#passage=kg:fx-p03-2", "file://")
    spans = tab.eval("[...document.querySelectorAll('#reader-text .psg.active')].map(s => s.textContent).join('')")
    assert spans.startswith(EVIL)
    tab.eval("window.policykg.select('kg:fx-evil', {focus: false})")
    assert tab.eval("document.querySelector('#panel-body h2').textContent") == EVIL
    assert tab.eval("document.querySelectorAll('#panel img, #reader img').length") == 0
    tab.assert_clean()


def test_the_notebook_frame_shows_the_page(browser, tmp_path):  # noqa: F811
    from policykg.outputs.viz.notebook import reset_assets, show

    # Regression (CI): another test of the same worker had shown a page first, so this output
    # carried no scripts and the frame waited for them forever. A new notebook starts afresh.
    reset_assets()

    files = [GraphFile(ontology_file(), URIRef(ONTOLOGY_IRI)), GraphFile(PROVISIONS, None)]
    kg = PolicyKG(files, _open_source({"files": [(str(f.path), str(f.graph) if f.graph else None)
                                                 for f in files]}))
    cell = tmp_path / "cell.html"
    cell.write_text("<!doctype html><meta charset='utf-8'><body>" + show(kg)._repr_html_(),
                    encoding="utf-8")
    kg.close()
    context = browser.new_context(viewport=VIEW)
    outside: list[str] = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file://", "about:"))
                  else (outside.append(r.request.url), r.abort()))
    page = context.new_page()
    page.goto(cell.as_uri())
    frame = page.frames[1]
    frame.wait_for_function("() => window.policykg && window.policykg.ready === true")
    assert frame.evaluate("window.policykg.data.nodes.length") == 15
    assert frame.evaluate("document.querySelectorAll('img').length") == 0
    assert outside == []
    context.close()
