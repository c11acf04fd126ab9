"""The review page of ``policykg annotate --html`` without a browser (issue 23 point 5, issue 25
N12): linear in the text, its one script allowed by hash, the draft embedded as data."""

from __future__ import annotations

import json
import re
import time

import pytest

from policykg.authoring.annotate import annotate_text, draft_mapping
from policykg.authoring.lexicon import Lexicon
from policykg.outputs.review import _render_quote, page_csp, review_page


@pytest.fixture(scope="module")
def lexicon(kg):
    return Lexicon.from_kg(kg)


def _best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def test_the_page_is_drawn_in_linear_time(lexicon, article_text):
    """N12: four times the passages took sixteen times as long (every mark looked at per
    passage); now about four times."""
    small_text = article_text * 4
    ann_small = annotate_text(small_text, lexicon, lang="en")
    ann_big = annotate_text(small_text * 4, lexicon, lang="en")
    data_small = draft_mapping(ann_small, doc_id="x", text_name="x.txt")
    data_big = draft_mapping(ann_big, doc_id="x", text_name="x.txt")
    assert len(ann_big.sentences) >= 3.5 * len(ann_small.sentences) > 200
    small = _best(lambda: review_page(ann_small, data_small, title="x"))
    big = _best(lambda: review_page(ann_big, data_big, title="x"))
    assert big / small < 8, (small, big)  # quadratic gives ~16


def test_render_quote_looks_only_at_the_marks_inside():
    class Marks(list):  # a full scan of every mark per passage is what made the page quadratic
        def __iter__(self):
            raise AssertionError("every mark scanned")

    text = "abcdef" * 10
    marks = Marks(sorted((i, i + 2, "mention", "t") for i in range(0, 60, 3)))
    starts = [m[0] for m in list.__iter__(marks)]
    out = _render_quote(text, 6, 12, marks, starts)
    assert out.count('<span class="mention"') == 2


def test_the_draft_is_data_and_the_script_is_allowed_by_hash(lexicon):
    text = 'Enterprises must stop "</script><script>alert(1)</script>" & \u2028 now.'
    ann = annotate_text(text, lexicon, lang="en")
    data = draft_mapping(ann, doc_id="x", text_name="x.txt")
    page = review_page(ann, data, title="x")
    block = re.search(r'<script type="application/json" id="draft-data">(.*?)</script>', page,
                      flags=re.S)
    assert block is not None and json.loads(block.group(1)) == json.loads(json.dumps(data))
    assert "</script><script>alert" not in page
    code = re.search(r"<script>(.*?)</script>", page, flags=re.S)
    assert code is not None
    import html

    assert html.escape(page_csp(code.group(1)), quote=True) in page
    assert "connect-src" not in page_csp("") and "default-src 'none'" in page_csp("")


def test_add_reports_every_problem_of_an_accepted_draft(tmp_path, capsys):
    """Issue 23: two broken provisions in two passages are both reported, in one run."""
    import shutil
    from pathlib import Path

    import yaml

    from policykg.apps.cli import main

    fix = Path(__file__).parent / "fixtures" / "annotate"
    text = tmp_path / "en-brief.txt"
    shutil.copy(fix / "en-brief.txt", text)
    draft = tmp_path / "en-brief.yaml"
    assert main(["annotate", str(text), "--out", str(draft)]) == 0
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    broken = []
    for pid, body in data["passages"].items():
        body["status"] = "accepted"
        for item in body.get("facts", []) + body.get("provisions", []):
            item["status"] = "accepted"
        if body.get("provisions") and len(broken) < 2:
            body["provisions"][0]["cue"] = "never-in-the-quote"
            broken.append(pid)
    for entity in data["entities"].values():
        entity["status"] = "accepted"
    draft.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["add", "--dry-run", str(draft)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    for pid in broken:
        assert any(f"passage {pid} provision 1" in x and "never-in-the-quote" in x
                   for x in lines), (pid, lines)
    assert lines[-1].endswith("problems in all") and len(lines) >= 3
