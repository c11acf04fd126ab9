"""The HTML graph in a real browser: Playwright driving Debian's Chromium, offline.

Each page is opened from ``file://``; every request is recorded and anything outside ``file://``
is aborted, console errors and uncaught exceptions are collected, and ``alert``/``confirm``/
``prompt`` are hooked. Skipped when ``/usr/bin/chromium`` is missing, unless
``POLICYKG_REQUIRE_BROWSER=1`` (then the tests fail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from conftest import watch_page
from policykg.core.namespaces import ONTOLOGY_IRI
from policykg.core.paths import ontology_file
from policykg.graph.kg import PolicyKG
from policykg.outputs.viz import build_network, write_html
from policykg.rdf.graphio import GraphFile
from policykg.store.backends import open_backend

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
FIXTURE = Path(__file__).parent / "fixtures" / "viz" / "mini.trig"
NQPF = "kg:new-quality-productive-forces"
EVIL = "kg:evil"
EVIL_LABEL = "<img src=x onerror=alert(1)>"
EVIL_ZH = "<script>alert(1)</script>"

_HOOKS = """
window.__alerts = [];
window.alert = function (m) { window.__alerts.push(String(m)); };
window.confirm = function (m) { window.__alerts.push(String(m)); return false; };
window.prompt = function (m) { window.__alerts.push(String(m)); return null; };
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""

_NODE_XY = """(id) => {
  const net = window.policykg.network;
  const p = net.getPositions([id])[id];
  const d = net.canvasToDOM(p);
  const r = document.getElementById("graph").getBoundingClientRect();
  return {x: r.left + d.x, y: r.top + d.y, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
}"""


@pytest.fixture(scope="module")
def browser(chromium):
    """The run's Chromium (conftest.py: skipped without it unless POLICYKG_REQUIRE_BROWSER=1)."""
    return chromium


@pytest.fixture(scope="module")
def pages(tmp_path_factory, kg, article_network):
    """Build the pages once: the article graph, its class hierarchy and the malicious mini graph."""
    folder = tmp_path_factory.mktemp("viz-pages")
    article = article_network()  # build_network(kg), built once in the run (conftest.py)
    files = [GraphFile(ontology_file(), URIRef(ONTOLOGY_IRI)), GraphFile(FIXTURE, None)]
    mini_kg = PolicyKG(files, open_backend(files))
    mini = build_network(mini_kg)
    mini_kg.close()
    hierarchy = build_network(kg, hierarchy=True)
    big = build_network(big_graph())
    return {
        "big": (write_html(big, folder / "big.html"), big),
        "article": (write_html(article, folder / "policykg.html"), article),
        "mini": (write_html(mini, folder / "mini.html"), mini),
        "hierarchy": (write_html(hierarchy, folder / "hierarchy.html"), hierarchy),
    }


def big_graph(n: int = 1600):
    """A synthetic graph just above the big-graph threshold, built without SPARQL."""
    from policykg.outputs.viz import BIG_GRAPH, Term, VizFact, VizGraph, VizNode

    assert n >= BIG_GRAPH
    ids = [f"kg:n{i:04d}" for i in range(n)]
    nodes = {
        nid: VizNode(
            id=nid,
            iri=nid,
            label=f"node {i}",
            zh=f"节点{i}",
            types=["pkg:Concept"],
            cls="pkg:Concept",
        )
        for i, nid in enumerate(ids)
    }
    facts = sorted(
        {(ids[i], ids[(i * 7 + 1) % n]) for i in range(n)}
        | {(ids[i], ids[i + 1]) for i in range(n - 1)}
    )
    return VizGraph(
        nodes=nodes,
        shown=set(ids),
        facts=[VizFact(s=a, p="pkg:drives", o=b, kind="node") for a, b in facts if a != b],
        classes={"pkg:Concept": Term(id="pkg:Concept", iri="", label="concept", zh="概念")},
        predicates={"pkg:drives": Term(id="pkg:drives", iri="", label="drives", zh="驱动")},
    )


@dataclass
class Opened:
    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def eval(self, js: str, arg: Any = None) -> Any:
        return self.page.evaluate(js, arg)


def _open(browser: Any, contexts: list[Any], path: Path, fragment: str = "") -> Opened:
    """``path`` (with ``fragment``) opened in a context of its own, until the page is ready."""
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    contexts.append(context)
    page = context.new_page()
    opened = Opened(page)

    watch_page(page, "file://", opened.errors, opened.outside.append, route_on=context,
               requests=opened.requests)
    page.on("request", lambda req: opened.requests.append(req.url))
    page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    page.add_init_script(_HOOKS)
    page.goto(path.as_uri() + fragment)
    page.wait_for_function(
        "() => window.policykg && window.policykg.ready === true", timeout=30_000
    )
    return opened


@pytest.fixture
def open_page(browser):
    """Open a page afresh (a context of its own): for a test that reads what the page does when
    it opens (a deep link, a page of its own) or changes what its reset button leaves."""
    contexts: list[Any] = []
    yield lambda path, fragment="": _open(browser, contexts, path, fragment)
    for c in contexts:
        c.close()


class _Shared:
    """The pages a module's tests share, by file and fragment: opened once each."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.contexts: list[Any] = []
        self.loaded: dict[tuple[Path, str], Opened] = {}

    def get(self, path: Path, fragment: str = "") -> Opened:
        if (path, fragment) not in self.loaded:
            self.loaded[path, fragment] = _open(self.browser, self.contexts, path, fragment)
        return self.loaded[path, fragment]

    def drop(self, path: Path, fragment: str) -> None:
        self.loaded.pop((path, fragment), None)


@pytest.fixture(scope="module")
def _loaded(browser):
    shared = _Shared(browser)
    yield shared
    for c in shared.contexts:
        c.close()


@pytest.fixture
def shared_page(_loaded):
    """Open a page shared by the module's tests (a load of the article costs Chromium about
    1.7 s of CPU): loaded once; the first test to ask sees it as it opens. After a test that
    changes it (``changes=True``), a page opened plainly is put back as it opened by the page's
    own reset button (selection, search, class filter, the overview and its fit), and a page
    opened on a fragment (a deep link) is given to no later test (they open it afresh). What the
    page reported (errors, requests, dialogs, alerts) is kept across the tests, so each test's
    ``assert_clean`` also covers the tests before it."""
    changed: list[tuple[Path, str]] = []

    def opener(path: Path, fragment: str = "", *, changes: bool = True) -> Opened:
        opened = _loaded.get(path, fragment)
        if changes:
            changed.append((path, fragment))
        return opened

    yield opener
    for path, fragment in changed:
        if fragment:
            _loaded.drop(path, fragment)
            continue
        opened = _loaded.get(path)
        opened.page.click("#reset")
        assert opened.eval("location.hash") == ""


def assert_clean(opened: Opened) -> None:
    assert opened.errors == []
    assert opened.outside == []
    assert all(u.startswith("file://") for u in opened.requests), opened.requests
    assert opened.dialogs == []
    assert opened.eval("window.__alerts") == []
    assert opened.eval("window.__csp") == []


def panel_text(opened: Opened) -> str:
    return opened.eval("document.getElementById('panel-body').textContent")


# -- drawing, offline, no errors --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["article", "mini", "hierarchy", "big"])
def test_every_node_and_edge_is_drawn_offline_without_errors(shared_page, pages, name):
    path, net = pages[name]
    opened = shared_page(path)
    if net.page.get("overview"):  # the page opens on its overview; every node is a click away
        assert opened.eval("window.policykg.mode()") == "overview"
        opened.page.click("#mode")
    assert opened.eval("window.policykg.mode()") == "full"
    counts = opened.eval(
        """() => ({
          nodes: window.policykg.nodes.length, edges: window.policykg.edges.length,
          drawnNodes: window.policykg.network.body.nodeIndices.length,
          drawnEdges: window.policykg.network.body.edgeIndices.length,
          physics: window.policykg.network.physics.options.enabled,
          scripts: document.scripts.length})"""
    )
    assert counts["nodes"] == counts["drawnNodes"] == len(net.nodes)
    assert counts["edges"] == counts["drawnEdges"] == len(net.edges)
    assert counts["physics"] is False
    assert counts["scripts"] == 3
    assert_clean(opened)


def test_the_page_itself_requests_nothing_even_without_its_csp(open_page, pages, tmp_path):
    path, _ = pages["article"]
    html = path.read_text(encoding="utf-8")
    start = html.index('<meta http-equiv="Content-Security-Policy"')
    stripped = html[:start] + html[html.index(">", start) + 1 :]
    bare = tmp_path / "no-csp.html"
    bare.write_text(stripped, encoding="utf-8")
    opened = open_page(bare)
    assert [u for u in opened.requests if u != bare.as_uri()] == []
    assert_clean(opened)


# -- search, click, deep links, filters ---------------------------------------------------------------


def test_searching_the_chinese_label_focuses_the_node(shared_page, pages):
    path, _ = pages["article"]
    opened = shared_page(path)
    page = opened.page
    page.fill("#search", "新质生产力")
    first = page.locator("#search-results li").first
    assert "new quality productive forces" in first.text_content()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => window.policykg.network.getSelectedNodes()[0] === '{NQPF}'")
    assert page.locator("#panel-body h2").text_content() == "new quality productive forces"
    assert "新质生产力" in panel_text(opened)
    assert opened.eval("decodeURIComponent(location.hash)") == f"#node={NQPF}"
    box = opened.eval(_NODE_XY, NQPF)
    assert box["left"] <= box["x"] <= box["right"] and box["top"] <= box["y"] <= box["bottom"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "viz-search-nqpf.png"))
    assert_clean(opened)


def test_clicking_a_node_shows_its_evidence_quotes(open_page, pages):
    path, net = pages["article"]
    facts = [f for f in net.page["facts"] if f[0] == "kg:state-owned-enterprises" and f[6]]
    quote = next(
        net.page["passages"][s]["quote"] for f in facts for s in f[6] if s in net.page["passages"]
    )
    # with the reviewed work reports the overview holds more than the article: open on the node
    opened = open_page(path, "#node=kg%3Astate-owned-enterprises")
    opened.page.click("#panel-close") if opened.page.locator("#panel-close").is_visible() else None
    opened.eval(
        """(id) => { const net = window.policykg.network;
                     net.moveTo({position: net.getPositions([id])[id], scale: 1.5}); }""",
        "kg:state-owned-enterprises",
    )
    box = opened.eval(_NODE_XY, "kg:state-owned-enterprises")
    opened.page.mouse.click(box["x"], box["y"])
    opened.page.wait_for_function("() => !document.getElementById('panel-body').hidden")
    assert opened.page.locator("#panel-body h2").text_content() == "state-owned enterprises"
    text = panel_text(opened)
    assert quote in text
    assert "should focus on" in text
    assert opened.eval("window.policykg.network.getSelectedNodes()") == [
        "kg:state-owned-enterprises"
    ]
    assert_clean(opened)


@pytest.mark.parametrize(
    "fragment",
    [
        f"#node={NQPF}",
        "#node=kg%3Anew-quality-productive-forces",
        "#node=new-quality-productive-forces",
    ],
)
def test_a_deep_link_opens_focused_on_its_node(shared_page, pages, fragment):
    path, _ = pages["article"]
    opened = shared_page(path, fragment, changes=False)  # read only
    assert opened.eval("window.policykg.network.getSelectedNodes()") == [NQPF]
    assert opened.page.locator("#panel-body h2").text_content() == "new quality productive forces"
    box = opened.eval(_NODE_XY, NQPF)
    assert box["left"] <= box["x"] <= box["right"] and box["top"] <= box["y"] <= box["bottom"]
    assert opened.eval("window.policykg.network.getScale()") >= 0.5
    assert_clean(opened)


def test_class_filter_hides_and_shows_a_class(shared_page, pages):
    path, net = pages["article"]
    concepts = sum(1 for n in net.nodes if n["legend"] == "pkg:Concept")
    opened = shared_page(path)
    opened.page.click("#mode")  # from the overview to the whole graph
    hidden = "() => window.policykg.nodes.get({filter: n => n.hidden === true}).length"
    box = opened.page.locator("#legend-list li", has_text="concept").first.locator("input")
    box.uncheck()
    assert opened.eval(hidden) == concepts
    box.check()
    assert opened.eval(hidden) == 0
    opened.page.click("#legend-none")
    assert opened.eval(hidden) == len(net.nodes)
    opened.page.click("#legend-all")
    assert opened.eval(hidden) == 0
    assert_clean(opened)


def test_neighbourhood_highlight_and_physics_toggle(shared_page, pages):
    path, _ = pages["article"]
    opened = shared_page(path, f"#node={NQPF}")  # as the deep link test opened it
    dimmed = opened.eval(
        """() => window.policykg.nodes.get().filter(n => n.color && n.color.background === '#e4e7eb')
                 .map(n => n.id)"""
    )
    neighbours = set(opened.eval(f"window.policykg.network.getConnectedNodes('{NQPF}')"))
    assert NQPF not in dimmed and not neighbours & set(dimmed) and dimmed
    opened.page.check("#physics")
    assert opened.eval("window.policykg.network.physics.options.enabled") is True
    opened.page.uncheck("#physics")
    assert opened.eval("window.policykg.network.physics.options.enabled") is False
    opened.page.click("#reset")
    assert opened.eval("window.policykg.network.getSelectedNodes()") == []
    assert opened.eval("location.hash") == ""
    assert_clean(opened)


def test_hover_tooltip_shows_both_labels_class_and_definition(open_page, pages):
    path, _ = pages["mini"]
    opened = open_page(path)
    opened.eval(
        "(id) => window.policykg.network.moveTo({position: "
        "window.policykg.network.getPositions([id])[id], scale: 1.5})",
        NQPF,
    )
    box = opened.eval(_NODE_XY, NQPF)
    opened.page.mouse.move(box["x"] - 3, box["y"] - 3)
    opened.page.mouse.move(box["x"], box["y"])
    tip = opened.page.locator(".vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    text = tip.text_content()
    for part in (
        "new quality productive forces",
        "新质生产力",
        "concept",
        "advanced productive forces driven by innovation",
    ):
        assert part in text
    assert_clean(opened)


def test_a_big_graph_shows_edge_labels_only_when_zoomed_in(shared_page, pages):
    path, net = pages["big"]
    assert net.page["meta"]["big"] is True
    opened = shared_page(path)
    opened.page.click("#mode")  # from the overview to the whole graph
    shown = "() => [...new Set(window.policykg.edges.get().map(e => e.label))]"
    assert opened.eval(shown) == [""]
    opened.eval("() => window.policykg.select('kg:n0001', {animate: false})")
    assert opened.eval("window.policykg.network.getScale()") >= 0.5
    # zoomed in on a selection: the selection's edges are labelled, the thousands of others not
    labelled = """() => window.policykg.edges.get().filter(e => e.label).map(e =>
        e.from === 'kg:n0001' || e.to === 'kg:n0001')"""
    flags = opened.eval(labelled)
    assert flags and all(flags)
    assert opened.eval(shown) == ["drives", ""] or opened.eval(shown) == ["", "drives"]
    box = opened.eval(_NODE_XY, "kg:n0001")
    opened.page.mouse.move(box["x"], box["y"])
    for _ in range(6):
        opened.page.mouse.wheel(0, 600)
        opened.page.wait_for_timeout(50)
    opened.page.wait_for_function("() => window.policykg.network.getScale() < 0.5")
    opened.page.wait_for_timeout(100)
    assert opened.eval(shown) == [""]
    assert_clean(opened)


# -- safety -------------------------------------------------------------------------------------------


def test_a_malicious_label_shows_as_text_and_runs_nothing(open_page, pages):
    path, _ = pages["mini"]
    opened = open_page(path)
    page = opened.page
    # tooltip
    opened.eval(
        "(id) => window.policykg.network.moveTo({position: "
        "window.policykg.network.getPositions([id])[id], scale: 1.5})",
        EVIL,
    )
    box = opened.eval(_NODE_XY, EVIL)
    page.mouse.move(box["x"] - 3, box["y"] - 3)
    page.mouse.move(box["x"], box["y"])
    tip = page.locator(".vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert EVIL_LABEL in tip.text_content() and EVIL_ZH in tip.text_content()
    assert tip.locator("img, script, svg").count() == 0
    # panel
    page.mouse.click(box["x"], box["y"])
    page.wait_for_function("() => !document.getElementById('panel-body').hidden")
    assert page.locator("#panel-body h2").text_content() == EVIL_LABEL
    text = panel_text(opened)
    assert EVIL_ZH in text
    assert "</script><script>window.__pwned=2</script>" in text
    assert "A <b>bold</b> claim & </script><script>window.__pwned=1</script> quote." in text
    # search results
    page.fill("#search", "<img")
    result = page.locator("#search-results li").first
    assert EVIL_LABEL in result.text_content()
    page.fill("#search", "<svg onload")
    assert "<svg onload=alert(2)>" not in page.locator("#search-results").inner_html()
    assert page.locator("#search-results li").first.text_content().startswith(EVIL_LABEL)
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    # nothing ran, nothing was injected
    assert opened.eval("window.__pwned") is None
    assert opened.eval("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
    assert opened.eval("document.scripts.length") == 3
    assert_clean(opened)


def test_screenshot_of_the_whole_graph(open_page, shared_page, pages):
    path, _ = pages["article"]
    opened = shared_page(path)
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.wait_for_timeout(300)
    out = ARTIFACTS / "viz-article.png"
    opened.page.screenshot(path=str(out))
    assert out.stat().st_size > 20_000
    hier, _ = pages["hierarchy"]
    opened = open_page(hier, "#node=pkg:StateOwnedEnterprise")
    opened.page.wait_for_timeout(300)
    opened.page.screenshot(path=str(ARTIFACTS / "viz-hierarchy.png"))
    assert "enterprise" in panel_text(opened)
    assert_clean(opened)


def test_the_suites_chromium_opens_no_page_of_its_own(chromium: Any) -> None:
    """Regression (suite time): each new page also started the address bar's popup, a renderer
    of its own (about 0.8 s of CPU per page); the flag that stops it keeps Playwright's own
    switched-off features (Chromium keeps only the last --disable-features)."""
    from conftest import CHROMIUM_OFF, chromium_args, playwright_disabled_features

    theirs = playwright_disabled_features()
    assert theirs and "PaintHolding" in theirs  # the bundle was read
    flag = next(a for a in chromium_args() if a.startswith("--disable-features="))
    assert set(flag.split("=", 1)[1].split(",")) == {*theirs, *CHROMIUM_OFF}
    context = chromium.new_context()
    try:
        context.new_page().goto("about:blank")
        targets = chromium.new_browser_cdp_session().send("Target.getTargets")["targetInfos"]
        # the module's shared pages are open too: no page of Chromium's own may be
        assert "about:blank" in [t["url"] for t in targets]
        assert [t["url"] for t in targets if t["url"].startswith("chrome://")] == []
    finally:
        context.close()
