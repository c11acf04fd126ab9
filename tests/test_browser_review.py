"""The review page of ``policykg annotate --html`` in a real browser: offline, inert, escaped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policykg.authoring.annotate import annotate_text, draft_mapping
from policykg.authoring.lexicon import Lexicon
from policykg.outputs.review import review_page

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
EVIL = 'State-owned enterprises must stop <img src=x onerror=alert(1)> and "<script>alert(2)</script>".'


def test_review_page_loads_nothing_runs_nothing_and_shows_the_text(kg, tmp_path):
    if not CHROMIUM.exists():
        if os.environ.get("POLICYKG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and POLICYKG_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    ann = annotate_text(EVIL, Lexicon.from_kg(kg), lang="en")
    page_file = tmp_path / "review.html"
    page_file.write_text(
        review_page(ann, draft_mapping(ann, doc_id="x", text_name="x.txt"), title="x"),
        encoding="utf-8",
    )
    requests: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(page_file.as_uri())
        text = page.inner_text("main")
        scripts = page.evaluate("document.scripts.length")
        imgs = page.evaluate("document.images.length")
        cue = page.get_attribute("section .cue.obligation", "title")
        browser.close()
    assert requests == [page_file.as_uri()]
    assert dialogs == [] and scripts == 0 and imgs == 0
    assert "<img src=x onerror=alert(1)>" in text and "<script>alert(2)</script>" in text
    assert cue is not None and cue.startswith("obligation (must): state-owned enterprises")
