"""The review page of ``policykg annotate --html`` in a real browser: offline, inert, escaped,
and a place to review (issue 23 point 5): accept, reject or edit each proposed item and save a
reviewed draft that ``policykg add`` accepts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from policykg.apps.cli import main
from policykg.authoring.annotate import annotate_text, draft_mapping
from policykg.authoring.lexicon import Lexicon
from policykg.outputs.review import review_page

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
FIX = Path(__file__).parent / "fixtures" / "annotate"
EVIL = 'State-owned enterprises must stop <img src=x onerror=alert(1)> and "<script>alert(2)</script>".'


def _need_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("POLICYKG_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and POLICYKG_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed")


@pytest.fixture(scope="module")
def browser(chromium):
    """The run's Chromium (conftest.py: skipped without it unless POLICYKG_REQUIRE_BROWSER=1)."""
    return chromium


def test_review_page_loads_nothing_runs_nothing_and_shows_the_text(browser, kg, tmp_path):
    _need_chromium()
    ann = annotate_text(EVIL, Lexicon.from_kg(kg), lang="en")
    page_file = tmp_path / "review.html"
    page_file.write_text(
        review_page(ann, draft_mapping(ann, doc_id="x", text_name="x.txt"), title="x"),
        encoding="utf-8",
    )
    requests: list[str] = []
    dialogs: list[str] = []
    errors: list[str] = []
    page = browser.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-review-ready]")
    text = page.inner_text("main")
    # the page's own review script and its draft (data) are its only scripts
    scripts = page.evaluate("[...document.scripts].map(s => s.type || 'js')")
    imgs = page.evaluate("document.images.length")
    cue = page.get_attribute("section .cue.obligation", "title")
    summaries = page.evaluate(
        "[...document.querySelectorAll('.rv-summary')].map(e => e.textContent).join(' ')"
    )
    page.close()
    assert requests == [page_file.as_uri()]
    assert dialogs == [] and errors == [] and imgs == 0
    assert scripts == ["application/json", "js"]
    assert "<img src=x onerror=alert(1)>" in text and "<script>alert(2)</script>" in text
    assert "<img src=x onerror=alert(1)>" in summaries  # shown as text in the review controls
    assert cue is not None and cue.startswith("obligation (must): state-owned enterprises")


def test_the_review_page_writes_a_draft_that_add_accepts(browser, project, tmp_path, capsys):
    """Annotate, review in the browser (reject, edit, accept the rest), save, add: accepted."""
    _need_chromium()
    from fixtures.extensions.helpers import need_java

    need_java()
    work = tmp_path / "incoming"
    work.mkdir()
    text = work / "en-brief.txt"
    shutil.copy(FIX / "en-brief.txt", text)
    draft, html = work / "en-brief.yaml", work / "review.html"
    assert (
        main(
            [
                "annotate",
                str(text),
                "--date",
                "2025-07-30",
                "--out",
                str(draft),
                "--html",
                str(html),
            ]
        )
        == 0
    )
    assert main(["add", "--dry-run", str(draft)]) == 2  # every item still proposed
    capsys.readouterr()
    errors: list[str] = []
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    context.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith("file://")
            else (outside.append(r.request.url), r.abort())
        ),
    )
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.as_uri())
    page.wait_for_selector("body[data-review-ready]")
    undecided = int(page.get_attribute("body", "data-undecided") or 0)
    assert undecided > 20
    # reject the passages that state nothing (only the passage itself to review)
    empty = page.evaluate("""[...document.querySelectorAll('.rv-box')]
        .filter(b => b.querySelectorAll('.rv-item').length === 1)
        .map(b => b.querySelector('.rv-item').getAttribute('data-path'))""")
    assert empty
    for path in empty:
        page.locator(f".rv-item[data-path='{path}'] .rv-reject").click()
    # edit a new entity's English label
    entity = '["entities","strengthen-basic-research-in-high-end"]'
    page.locator(f".rv-item[data-path='{entity}'] .rv-edit").click()
    editor = page.locator(f".rv-item[data-path='{entity}'] .rv-editor")
    value = yaml.safe_load(editor.input_value())
    value["label"] = "basic research in high-end chips"
    import json

    editor.fill(json.dumps(value))
    assert page.get_attribute(f".rv-item[data-path='{entity}']", "data-decision") == "accepted"
    page.click(".rv-accept-rest")
    assert page.get_attribute("body", "data-undecided") == "0"
    with page.expect_download() as download:
        page.click(".rv-save")
    assert download.value.suggested_filename == "en-brief.yaml"
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    page.screenshot(path=str(tmp_path / "review.png"))
    context.close()
    assert errors == [] and outside == []
    reviewed = yaml.safe_load(saved)
    rejected = {p.split('"')[3] for p in empty}
    # the rejected passages are remembered (their quotes only), the others accepted
    assert {pid for pid, p in reviewed["passages"].items() if p["status"] == "rejected"} == rejected
    assert all(
        p["status"] == "accepted" for pid, p in reviewed["passages"].items() if pid not in rejected
    )
    assert all(
        set(reviewed["passages"][pid]) <= {"status", "quote", "occurrence"} for pid in rejected
    )
    draft.write_text(saved, encoding="utf-8")  # the reviewed draft, beside the text
    assert main(["add", str(draft)]) == 0, capsys.readouterr().err
    stored = yaml.safe_load((project / "graphs" / "sources" / "en-brief.yaml").read_text("utf-8"))
    assert {pid for pid, p in stored["passages"].items() if p["status"] == "rejected"} == rejected
    trig = (project / "graphs" / "en-brief.trig").read_text(encoding="utf-8")
    assert not any(f"kg:en-brief-{pid} " in trig for pid in rejected)
    assert '"basic research in high-end chips"@en' in trig
    assert 'strengthen basic research in high-end chips"@en' not in trig


def test_the_review_page_writes_a_rejected_passage_as_rejected(browser, kg, tmp_path):
    """Rejecting a passage in the page writes it ``status: rejected`` with its quote only (what
    it held, and the proposed entities mentioned only there, go); a rejected fact or provision
    is deleted as before."""
    _need_chromium()
    from policykg.authoring.status import accepted_mapping

    text = (FIX / "en-brief.txt").read_text(encoding="utf-8")
    ann = annotate_text(text, Lexicon.from_kg(kg), lang="en")
    data = draft_mapping(ann, doc_id="en-brief", text_name="en-brief.txt")
    assert data["passages"]["s002"]["provisions"] and len(data["passages"]["s003"]["facts"]) == 3
    # an entity mentioned in the rejected passage and in a kept one (the draft has none since
    # nested common nouns are no mentions of their own): it stays, with the kept mention only
    data["entities"]["private-enterprises"]["mentioned_in"] = ["s002", "s003"]
    page_file = tmp_path / "review.html"
    page_file.write_text(review_page(ann, data, title="en-brief"), encoding="utf-8")
    errors: list[str] = []
    page = browser.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-review-ready]")
    page.locator(""".rv-item[data-path='["passages","s002"]'] .rv-reject""").click()
    page.locator(""".rv-item[data-path='["passages","s003","facts",0]'] .rv-reject""").click()
    saved = page.evaluate("window.policykgReview.yaml()")
    page.close()
    assert errors == []
    assert "# a passage 'status: rejected' is kept" in saved
    out = yaml.safe_load(saved)
    assert out["passages"]["s002"] == {
        "status": "rejected",
        "quote": data["passages"]["s002"]["quote"],
    }
    assert out["passages"]["s003"]["status"] == "proposed"
    assert len(out["passages"]["s003"]["facts"]) == 2  # a rejected fact is deleted
    entities = out["entities"]
    for only_there in ("state-owned-enterprises", "high-end-chips", "basic-research"):
        assert only_there not in entities
    assert entities["private-enterprises"]["mentioned_in"] == ["s003"]
    # the saved draft, reviewed: the rejected passage is checked against the text and dropped
    for body in [
        *out["entities"].values(),
        *out["passages"].values(),
        *(
            item
            for b in out["passages"].values()
            for item in b.get("facts", []) + b.get("provisions", [])
        ),
    ]:
        if isinstance(body, dict) and body.get("status") == "proposed":
            body["status"] = "accepted"
    compiled = accepted_mapping(out, "en-brief.yaml", saved, document_text=text)
    assert "s002" not in compiled["passages"] and "s003" in compiled["passages"]
