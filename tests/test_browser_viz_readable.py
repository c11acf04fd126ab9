"""Issue 23 in a real browser (Playwright + Debian's Chromium, offline): a graph a person can read.

* no two drawn nodes' boxes (shape and label, as vis-network measured them) overlap: at the first
  view, after opening any group, after selecting a node, in the full graph, in the hierarchy;
* a selected node is drawn with its neighbours, so the panel and the drawing agree;
* the hierarchy and the full graph open with labels of at least 11 px;
* the reader has a colour key, and the modality colours are the Okabe-Ito palette;
* a corpus: the year and document filters, drafts hidden until asked for and marked "draft";
* a notebook: the page's scripts once per notebook, every frame drawn.

Skipped when ``/usr/bin/chromium`` is missing, unless ``POLICYKG_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from conftest import watch_page
from policykg.core.namespaces import ONTOLOGY_IRI
from policykg.core.paths import ontology_file
from policykg.graph.kg import PolicyKG
from policykg.outputs.viz import build_network, write_html
from policykg.outputs.viz.notebook import reset_assets, show
from policykg.outputs.viz.style import MODALITY_STYLES
from policykg.rdf.graphio import GraphFile
from policykg.store.backends import open_backend

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).parent / "fixtures" / "viz" / "corpus.trig"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}

#: Pairs of drawn nodes whose boxes (shape and label) overlap, as vis-network measured them.
OVERLAPS = """() => {
  const net = window.policykg.network;
  const ids = window.policykg.nodes.get({filter: n => !n.hidden}).map(n => n.id);
  // vis-network measures a label when it draws it: draw all of them in sight, then measure
  const view = {position: net.getViewPosition(), scale: net.getScale()};
  net.setOptions({nodes: {scaling: {label: {drawThreshold: 0, maxVisible: 1000}}}});
  net.fit({nodes: ids, animation: false}); net.redraw();
  const boxes = ids.map(id => [id, net.getBoundingBox(id)]);
  net.setOptions({nodes: {scaling: {label: {drawThreshold: 5, maxVisible: 30}}}});
  net.moveTo({position: view.position, scale: view.scale, animation: false});
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i][1], b = boxes[j][1];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
      pairs.push([boxes[i][0], boxes[j][0]]);
  }
  return pairs;
}"""
#: The smallest label drawn inside the canvas, in CSS pixels on screen.
SMALLEST_LABEL = """() => {
  const net = window.policykg.network, s = net.getScale(), base = 14;
  const r = document.getElementById("graph").getBoundingClientRect();
  const sizes = window.policykg.nodes.get({filter: n => !n.hidden}).filter(n => {
    const p = net.canvasToDOM(net.getPositions([n.id])[n.id]);
    return p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height;
  }).map(n => ((n.font && n.font.size) || base) * s);
  return sizes.length ? Math.min(...sizes) : 0;
}"""


#: Nodes in sight whose box (shape and label, as drawn) is not wholly inside the part of the
#: canvas nothing covers (the canvas, inside the window, less the side panel where it lies over
#: it; in client coordinates): labels cut at an edge of the canvas or under the panel.
#: vis-network's bounding box leaves out the gap between a dot and the label under it, so the
#: label's own box (``labelModule.size``) is added. Labels are measured when drawn: every label
#: is drawn once more, in place, before measuring.
CUT = """() => {
  const P = window.policykg, net = P.network;
  const g = document.getElementById("graph").getBoundingClientRect();
  const p = document.getElementById("panel").getBoundingClientRect();
  const area = {left: Math.max(g.left, 0), top: Math.max(g.top, 0),
                right: Math.min(g.right, window.innerWidth), bottom: Math.min(g.bottom, window.innerHeight)};
  if (p.width && p.height && p.left < area.right && p.right > area.left && p.top < area.bottom && p.bottom > area.top)
    area.right = Math.min(area.right, p.left);
  net.setOptions({nodes: {scaling: {label: {drawThreshold: 0, maxVisible: 1000}}}}); net.redraw();
  const ids = P.nodes.get({filter: n => !n.hidden}).map(n => n.id);
  const boxes = ids.map(id => {
    const b = net.getBoundingBox(id), l = net.body.nodes[id].labelModule.size;
    const c = l && l.width ? {left: Math.min(b.left, l.left), top: Math.min(b.top, l.top),
      right: Math.max(b.right, l.left + l.width), bottom: Math.max(b.bottom, l.top + l.height)} : b;
    const a = net.canvasToDOM({x: c.left, y: c.top}), z = net.canvasToDOM({x: c.right, y: c.bottom});
    return {id: id, left: g.left + a.x, top: g.top + a.y, right: g.left + z.x, bottom: g.top + z.y};
  });
  net.setOptions({nodes: {scaling: {label: {drawThreshold: 5, maxVisible: 30}}}}); net.redraw();
  const seen = boxes.filter(b => b.right > area.left && b.left < area.right && b.bottom > area.top && b.top < area.bottom);
  const inside = seen.filter(b => b.left >= area.left && b.right <= area.right && b.top >= area.top && b.bottom <= area.bottom);
  return {shown: ids.length, inside: inside.length,
          cut: seen.filter(b => !inside.includes(b)).map(b => [b.id, Math.round(b.left), Math.round(b.top),
                                                          Math.round(b.right), Math.round(b.bottom)]),
          area: [area.left, area.top, area.right, area.bottom]};
}"""


@pytest.fixture(scope="module")
def browser(chromium):
    """The run's Chromium (conftest.py: skipped without it unless POLICYKG_REQUIRE_BROWSER=1)."""
    return chromium


@pytest.fixture(scope="module")
def pages(tmp_path_factory, kg, article_network):
    folder = tmp_path_factory.mktemp("viz-readable")
    files = [GraphFile(ontology_file(), URIRef(ONTOLOGY_IRI)), GraphFile(CORPUS, None)]
    corpus_kg = PolicyKG(files, open_backend(files))
    corpus = build_network(corpus_kg, drafts=True)
    corpus_kg.close()
    built = {
        "article": article_network(),  # build_network(kg), built once in the run (conftest.py)
        "hierarchy": build_network(kg, hierarchy=True),
        "corpus": corpus,
    }
    return {name: (write_html(net, folder / f"{name}.html"), net) for name, net in built.items()}


def _open(
    browser: Any, contexts: list[Any], path: Path, fragment: str = ""
) -> tuple[Any, list[str]]:
    """``path`` (with ``fragment``) opened in a context of its own, until the page is ready; the
    page and the errors it reports."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    contexts.append(context)
    page = context.new_page()
    errors: list[str] = []
    watch_page(page, "file://", errors, lambda url: errors.append("outside: " + url),
               route_on=context)
    page.goto(path.as_uri() + fragment)
    page.wait_for_function(
        "() => window.policykg && window.policykg.ready === true", timeout=30_000
    )
    return page, errors


@pytest.fixture
def opened(browser):
    """Open a page afresh (a context of its own): for a test that reads the view a page opens
    on, or changes what the page's reset button leaves (its style, its tab, its filters)."""
    contexts: list[Any] = []
    yield lambda path, fragment="": _open(browser, contexts, path, fragment)
    for c in contexts:
        c.close()


@pytest.fixture(scope="module")
def _loaded(browser):
    """The pages opened plainly (no fragment) so far in this module, one each."""
    contexts: list[Any] = []
    loaded: dict[Path, tuple[Any, list[str]]] = {}

    def get(path: Path) -> tuple[Any, list[str]]:
        if path not in loaded:
            loaded[path] = _open(browser, contexts, path)
        return loaded[path]

    yield get
    for c in contexts:
        c.close()


@pytest.fixture
def shared(_loaded):
    """Open a page plainly, shared by the module's tests (a load of the article costs Chromium
    about 1.7 s of CPU): loaded once (the first test to ask sees it as it opens), and after each
    test put back as it opened by the page's own reset button (selection, search, class filter,
    the overview and its fit, or the hierarchy's first view). The errors are kept across the
    tests, so each test's ``errors == []`` also covers the tests before it."""
    used: list[Any] = []

    def opener(path: Path) -> tuple[Any, list[str]]:
        page, errors = _loaded(path)
        used.append(page)
        return page, errors

    yield opener
    for page in used:
        page.click("#reset")
        assert page.evaluate("location.hash") == ""


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"viz-readable-{name}.png"))


#: Resolves once the view (position and scale) is the same two frames running: what moved it,
#: an animation among them, is over (at most 60 frames).
SETTLED = """() => new Promise(done => {
  let last = null, frames = 0;
  const step = () => {
    const net = window.policykg.network;
    const view = JSON.stringify([net.getViewPosition(), net.getScale()]);
    if (view === last || ++frames > 60) { done(frames); } else { last = view; requestAnimationFrame(step); }
  };
  requestAnimationFrame(step);
})"""


def click_group(page: Any, gid: str) -> None:
    """Click a group node; return when the view has settled (the frame's animation, if any,
    is over), for the check of overlaps."""
    page.evaluate("(g) => { window.policykg.network.emit('click', {nodes: [g], edges: []}); }", gid)
    page.evaluate(SETTLED)


# -- overlaps ------------------------------------------------------------------------------------


def test_no_overlaps_at_first_view_and_after_opening_any_group(shared, pages):
    path, net = pages["article"]
    page, errors = shared(path)
    assert page.evaluate("window.policykg.mode()") == "overview"
    assert page.evaluate(OVERLAPS) == []
    shot(page, "overview")
    for group in net.page["overview"]["groups"]:
        click_group(page, group["id"])
        assert page.evaluate(OVERLAPS) == [], group["id"]
        members = page.evaluate(
            "(ids) => ids.filter(id => !window.policykg.nodes.get(id).hidden).length",
            group["members"],
        )
        assert members == len(group["members"])
        click_group(page, group["id"])  # fold it again
    assert page.evaluate(OVERLAPS) == []
    assert errors == []


def test_the_overview_draws_the_edges_among_what_it_shows(shared, pages):
    path, _net = pages["article"]
    page, _ = shared(path)
    unlinked = page.evaluate("""() => {
      const net = window.policykg.network;
      const shown = window.policykg.nodes.get({filter: n => !n.hidden}).map(n => n.id);
      return shown.filter(id => net.getConnectedEdges(id).filter(e => {
        const edge = window.policykg.edges.get(e); if (!edge || edge.hidden) return false;
        const other = edge.from === id ? edge.to : edge.from;
        return !window.policykg.nodes.get(other).hidden; }).length === 0);
    }""")
    assert unlinked == []  # every named entity and group is drawn with its links


def test_a_selected_node_is_drawn_with_its_neighbours(shared, pages):
    path, _ = pages["article"]
    page, errors = shared(path)
    soe = "kg:state-owned-enterprises"
    page.evaluate("(id) => { window.policykg.select(id, {animate: false}); }", soe)
    neighbours = page.evaluate("(id) => window.policykg.neighboursOf(id)", soe)
    assert len(neighbours) >= 6
    hidden = page.evaluate(
        "(ids) => ids.filter(id => window.policykg.nodes.get(id).hidden)", neighbours
    )
    assert hidden == []
    # the panel names the same entities the drawing shows
    in_panel = page.evaluate("""() => [...document.querySelectorAll('#panel-body button.link')]
        .map(b => b.title)""")
    facts_nodes = page.evaluate(
        """(id) => window.policykg.data.facts
        .filter(f => f[3] === 'node' && (f[0] === id || f[2] === id))
        .map(f => f[0] === id ? f[2] : f[0])
        .filter(o => window.policykg.data.nodes.some(n => n.id === o))""",
        soe,
    )
    assert facts_nodes and set(facts_nodes) <= set(neighbours) | {soe}
    in_panel = [i for i in in_panel if page.evaluate("(id) => !!window.policykg.nodes.get(id)", i)]
    assert (
        in_panel
        and page.evaluate(
            "(ids) => ids.filter(id => window.policykg.nodes.get(id).hidden)", in_panel
        )
        == []
    )
    assert page.evaluate(OVERLAPS) == []
    shot(page, "selected")
    # one step further: select a neighbour, its neighbours are drawn as well
    nxt = sorted(neighbours)[0]
    page.evaluate("(id) => { window.policykg.select(id, {animate: false}); }", nxt)
    second = page.evaluate("(id) => window.policykg.neighboursOf(id)", nxt)
    assert (
        page.evaluate("(ids) => ids.filter(id => window.policykg.nodes.get(id).hidden)", second)
        == []
    )
    assert page.evaluate(OVERLAPS) == []
    assert errors == []


def test_the_full_graph_is_grouped_and_opens_readable(shared, pages):
    path, net = pages["article"]
    assert len(net.page["full"]["groups"]) >= 3
    page, errors = shared(path)
    page.click("#mode")
    assert page.evaluate("window.policykg.mode()") == "full"
    assert page.evaluate(OVERLAPS) == []
    assert page.evaluate(SMALLEST_LABEL) >= 11
    shot(page, "full")
    assert errors == []


def test_the_hierarchy_is_a_tree_with_readable_labels(opened, pages):
    path, _ = pages["hierarchy"]
    page, errors = opened(path)
    assert page.evaluate(SMALLEST_LABEL) >= 11
    assert page.evaluate(OVERLAPS) == []
    shot(page, "hierarchy")
    assert errors == []


# -- the first views lie in the visible part of the canvas ---------------------------------------


def test_the_overview_lies_wholly_in_the_visible_part_of_the_canvas(opened, pages):
    path, _ = pages["article"]
    page, errors = opened(path)
    seen = page.evaluate(CUT)
    assert seen["cut"] == [] and seen["inside"] == seen["shown"]  # every node, with its label
    page.click("#reset")
    seen = page.evaluate(CUT)
    assert seen["cut"] == [] and seen["inside"] == seen["shown"]
    assert errors == []


@pytest.mark.parametrize("view", ["full", "hierarchy"])
def test_the_full_graph_and_the_hierarchy_open_on_a_part_none_of_it_cut(
    opened, shared, pages, view
):
    """Too big to be read whole, they open at a readable scale on a window that cuts no label
    (the full graph from the overview: the article's shared page; the hierarchy as it opens)."""
    path, _ = pages["article" if view == "full" else "hierarchy"]
    page, errors = shared(path) if view == "full" else opened(path)
    if view == "full":
        page.click("#mode")
    seen = page.evaluate(CUT)
    assert seen["cut"] == [], seen
    assert seen["inside"] >= (8 if view == "full" else 20)
    assert page.evaluate(SMALLEST_LABEL) >= 11
    shot(page, f"{view}-visible")
    page.click("#reset" if view == "hierarchy" else "#mode")  # the same first view again
    if view == "full":
        page.click("#mode")
    assert page.evaluate(CUT)["cut"] == []
    assert errors == []


def test_the_fit_leaves_out_a_panel_drawn_over_the_canvas(opened, pages):
    """A side panel laid over the graph (as on a narrow screen) hides nothing of the view."""
    path, _ = pages["article"]
    page, errors = opened(path)
    page.add_style_tag(
        content="#main { position: relative; } #panel { position: absolute; right: 0;"
        " top: 0; bottom: 0; width: 380px; z-index: 5; }"
    )
    page.evaluate(
        "() => { window.dispatchEvent(new Event('resize')); window.policykg.network.redraw(); }"
    )
    graph = page.evaluate("() => document.getElementById('graph').getBoundingClientRect().right")
    panel = page.evaluate("() => document.getElementById('panel').getBoundingClientRect().left")
    assert graph > panel + 300  # the canvas now runs under the panel
    page.click("#reset")
    seen = page.evaluate(CUT)
    assert seen["cut"] == [] and seen["inside"] == seen["shown"], seen
    page.click("#mode")
    assert page.evaluate(CUT)["cut"] == []
    assert errors == []


# -- colours and the reader's key ------------------------------------------------------------------


def test_modality_colours_are_okabe_ito_and_the_reader_has_a_key(opened, pages):
    assert {s.color.upper() for s in MODALITY_STYLES.values()} - {"#B8A800"} <= OKABE_ITO
    assert len({s.color for s in MODALITY_STYLES.values()}) == len(MODALITY_STYLES)
    assert "pkg:commitment" in MODALITY_STYLES
    path, net = pages["corpus"]
    page, errors = opened(path)
    page.evaluate("() => { window.policykg.setTab('reader'); }")
    key = page.locator("#reader-key").text_content()
    for m in net.page["modalities"]:
        assert m["label"] in key
    assert "prohibition" in key and "draft" in key
    assert page.locator("#reader-text .psg.neg").count() == 1  # "must not"
    assert errors == []


# -- a corpus: filters and drafts ----------------------------------------------------------------


def visible(page: Any) -> set[str]:
    return set(
        page.evaluate("() => window.policykg.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    )


def test_year_and_document_filters_and_drafts(opened, pages):
    path, _ = pages["corpus"]
    page, errors = opened(path)
    start = visible(page)
    assert "kg:draft-thing" not in start  # drafts are hidden unless asked for
    assert {"kg:domestic-demand", "kg:nqpf-fx"} <= start
    page.select_option("#filter-year", "2023")
    shown = visible(page)
    assert "kg:domestic-demand" in shown and "kg:nqpf-fx" not in shown
    page.select_option("#filter-year", "")
    page.select_option("#filter-doc", "kg:gwr-2024")
    shown = visible(page)
    assert "kg:nqpf-fx" in shown and "kg:domestic-demand" not in shown
    assert "kg:draft-thing" not in shown
    page.check("#drafts")
    assert "kg:draft-thing" in visible(page)
    label = page.evaluate("() => window.policykg.nodes.get('kg:draft-thing').label")
    assert label.startswith("draft")
    # the reader opens the filtered document; its draft passage is marked only with drafts on
    page.evaluate("() => { window.policykg.setTab('reader'); }")
    assert page.locator("#reader-title").text_content() == "Fixture report 2024"
    assert page.locator("#reader-text .psg.draft").count() == 1
    assert page.locator("#reader-text .psg.draft-hidden").count() == 0
    page.uncheck("#drafts")
    assert page.locator("#reader-text .psg.draft-hidden").count() == 1
    page.check("#drafts")
    page.evaluate(
        "() => { window.policykg.setTab('graph'); window.policykg.select('kg:draft-thing'); }"
    )
    assert "draft" in page.locator("#panel-body").text_content()
    assert errors == []


def test_without_drafts_the_page_has_none(pages, kg):
    files = [GraphFile(ontology_file(), URIRef(ONTOLOGY_IRI)), GraphFile(CORPUS, None)]
    corpus_kg = PolicyKG(files, open_backend(files))
    try:
        net = build_network(corpus_kg)
    finally:
        corpus_kg.close()
    assert "kg:draft-thing" not in {n["id"] for n in net.nodes}
    assert "kg:gwr-2024-s0002" not in net.page["passages"]
    assert net.page["meta"]["drafts"] == 0
    assert all(len(f) == 8 for f in net.page["facts"])  # no fact of a draft passage


# -- a notebook ----------------------------------------------------------------------------------


def test_a_notebook_holds_the_scripts_once(browser, tmp_path, kg):
    reset_assets()
    first = show(kg, focus="state-owned enterprises")._repr_html_()
    second = show(kg, focus="新质生产力")._repr_html_()
    assert "policykg-vis-js" in first and "policykg-vis-js" not in second
    assert len(first) - len(second) > 500_000  # the scripts travel once
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><html><body>{first}{second}</body></html>", "utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 1500})
    try:
        page = context.new_page()
        page.goto(notebook.as_uri())
        page.wait_for_timeout(500)
        for frame in page.frames[1:]:
            frame.wait_for_function(
                "() => window.policykg && window.policykg.ready === true", timeout=30_000
            )
        assert len(page.frames) == 3
    finally:
        context.close()
