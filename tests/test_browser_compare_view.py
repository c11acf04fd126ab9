"""The workbench's compare view in a real browser (issue 22 point 4): Playwright with Debian's
Chromium, the server's app over the reviewed corpus on a loopback port, every request recorded
and anything not to that port aborted. Screenshots (1400×900) go to ``test-artifacts/``.
Skipped without ``/usr/bin/chromium`` unless ``POLICYKG_REQUIRE_BROWSER=1``."""

from __future__ import annotations

import pytest

from test_browser_viz import browser  # noqa: F401  (the browser fixture)
from test_browser_workbench import EVIL, open_tab, query_tab, served  # noqa: F401

pytestmark = pytest.mark.browser


def open_compare(tab) -> None:
    query_tab(tab)
    tab.page.wait_for_selector("#wb-compare-slot[data-documents]")
    tab.page.click("#cv-open-compare")


def test_two_reports_side_by_side(open_tab, served):  # noqa: F811
    tab = open_tab(served, served)
    open_compare(tab)
    options = tab.eval("[...document.querySelectorAll('#cv-a option')].map(o => o.value)")
    assert {"kg:gwr-2023", "kg:gwr-2024"} <= set(options)
    tab.page.select_option("#cv-a", "kg:gwr-2023")
    tab.page.select_option("#cv-b", "kg:gwr-2024")
    tab.page.click(".cv-compare .cv-go")
    tab.page.wait_for_function(
        "() => !['', null].includes(document.getElementById('wb-compare-slot')"
        ".getAttribute('data-changes'))")
    assert tab.eval("document.getElementById('wb-compare-slot').getAttribute('data-changes')") \
        != "error"
    # the changed target: both quotes, side by side, in one highlighted row
    row = "tr.cv-target[data-kind='target changed']"
    cells = tab.eval(f"[...document.querySelectorAll(\"{row}\")].map(r => r.textContent)")
    jobs = [c for c in cells if "new urban jobs" in c]
    assert len(jobs) == 1
    assert "城镇新增就业1200万人左右" in jobs[0] and "城镇新增就业1200万人以上" in jobs[0]
    assert "about 1200" in jobs[0] and "over 1200" in jobs[0]
    # rows are coloured by their kind (the server's Okabe–Ito key), with both quotes when matched
    colours = tab.eval("""[...document.querySelectorAll('tr.cv-row:not(.cv-target)')].map(r => [
        r.getAttribute('data-kind'), getComputedStyle(r.querySelector('.cv-chip')).backgroundColor,
        r.querySelectorAll('.cv-quote').length])""")
    kinds = {k for k, _, _ in colours}
    assert {"new", "dropped", "reworded"} <= kinds
    by_kind = {k: c for k, c, _ in colours}
    assert by_kind["new"] == "rgb(0, 158, 115)" and by_kind["dropped"] == "rgb(153, 153, 153)"
    # readable chips: white text on related's dark blue, black on the light colours
    text = tab.eval("""Object.fromEntries([...document.querySelectorAll('tr.cv-row .cv-chip')]
        .map(c => [c.textContent, getComputedStyle(c).color]))""")
    assert text["new"] == "rgb(17, 17, 17)"
    assert text.get("related", "rgb(255, 255, 255)") == "rgb(255, 255, 255)"
    assert all(n == 2 for k, _, n in colours if k in ("reworded", "weaker", "firmer"))
    assert all(n == 1 for k, _, n in colours if k in ("new", "dropped"))
    # each quote links to its passage; a click opens the reader on it
    link = tab.eval("document.querySelector(\"tr.cv-row[data-kind='reworded'] .cv-passage\")"
                    ".getAttribute('data-passage')")
    assert link.startswith("kg:gwr-2023-p")
    tab.page.evaluate("document.getElementById('wb-compare-slot').scrollIntoView()")
    tab.shot("compare-view")
    tab.page.click(f"tr.cv-row[data-kind='reworded'] .cv-passage[data-passage='{link}']")
    tab.page.wait_for_function("() => window.policykg.tab() === 'reader'")
    assert tab.eval("location.hash") == f"#passage={link}"
    # about one concept (a Chinese label): only its provisions
    tab.page.click("#tab-query")
    tab.page.fill("#cv-about", "新质生产力")
    tab.page.click(".cv-compare .cv-go")
    tab.page.wait_for_selector(".cv-about-note")
    assert tab.eval("document.querySelector('.cv-about-note').textContent") == (
        "Only the provisions about new quality productive forces.")
    quotes = tab.eval("[...document.querySelectorAll('.cv-compare .cv-quote')]"
                      ".map(q => q.textContent)")
    assert any("新质生产力" in q for q in quotes)
    tab.assert_clean()


def test_timeline_chart_of_a_concept_and_a_measure(open_tab, served):  # noqa: F811
    tab = open_tab(served, served)
    query_tab(tab)
    tab.page.wait_for_selector("#wb-compare-slot[data-compare]")
    tab.page.click("#cv-open-timeline")
    tab.page.fill("#cv-entity", "新质生产力")
    tab.page.click(".cv-timeline .cv-go")
    tab.page.wait_for_function("() => !['', null].includes(document.getElementById("
                               "'wb-compare-slot').getAttribute('data-timeline'))")
    years = tab.eval("[...document.querySelectorAll('svg.cv-chart text.cv-year')]"
                     ".map(t => t.textContent)")
    assert years[0] == "2024"
    assert "first named in 2024" in tab.eval("document.querySelector('.cv-span').textContent")
    # a measure: its stated values, one bar a year
    tab.page.fill("#cv-entity", "kg:new-urban-jobs")
    tab.page.click(".cv-timeline .cv-go")
    tab.page.wait_for_function("() => document.querySelectorAll('svg.cv-chart text.cv-value')"
                               ".length > 0 && document.querySelector('.cv-span').textContent"
                               ".startsWith('new urban jobs')")
    values = tab.eval("[...document.querySelectorAll('svg.cv-chart text.cv-value')]"
                      ".map(t => t.textContent)")
    years = tab.eval("[...document.querySelectorAll('svg.cv-chart text.cv-year')]"
                     ".map(t => t.textContent)")
    assert dict(zip(years, values, strict=True))["2024"] == "over 1200"
    assert dict(zip(years, values, strict=True))["2023"] == "about 1200"
    assert tab.eval("document.querySelectorAll('svg.cv-chart rect.cv-bar').length") == len(years)
    tab.page.evaluate("document.getElementById('wb-compare-slot').scrollIntoView()")
    tab.shot("timeline-view")
    tab.assert_clean()


def test_bad_input_shows_one_line_and_runs_nothing(open_tab, served):  # noqa: F811
    tab = open_tab(served, served)
    open_compare(tab)
    tab.page.select_option("#cv-a", "kg:gwr-2024")
    tab.page.select_option("#cv-b", "kg:gwr-2024")
    tab.page.click(".cv-compare .cv-go")
    tab.page.wait_for_selector("#wb-compare-slot[data-changes='error']")
    assert "400 compare needs two different documents" in tab.eval(
        "document.querySelector('.cv-compare .wb-error').textContent")
    tab.page.click("#cv-open-timeline")
    tab.page.fill("#cv-entity", EVIL)
    tab.page.click(".cv-timeline .cv-go")
    tab.page.wait_for_selector("#wb-compare-slot[data-timeline='error']")
    assert tab.eval("document.querySelector('.cv-timeline .wb-error').textContent") == (
        f"400 'entity' is not an IRI: {EVIL} (give a CURIE, an IRI or a label)")
    assert tab.eval("document.querySelectorAll('#workbench img').length") == 0
    # the browser logs each refused request; nothing else went wrong
    assert tab.errors and all("status of 400" in e for e in tab.errors), tab.errors
    tab.errors.clear()
    tab.assert_clean()
