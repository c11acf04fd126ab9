"""The annotate benchmark's helpers: dates of the reports, the hostile section kept, the scorer.

Its smoke run (100 KB timing, no hostile runs) and what its report must show (the article
in-sample beside the reviewed work reports, development set and held out) are checked once,
in tests/test_benchmarks_smoke.py (``_annotate_report``)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_report_date_comes_from_the_source_the_dateline_or_is_assumed():
    import datetime as dt

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from annotate_extra import doc_date

    fact = {
        "document": {"id": "r"},
        "passages": {"t": {"facts": [{"subject": "r", "date": "2031-03-04"}]}},
    }
    assert doc_date(2031, fact, "") == (dt.date(2031, 3, 4), "source")
    assert doc_date(2031, {}, "报告\n\n——2031年3月6日在大会上\n") == (
        dt.date(2031, 3, 6),
        "dateline",
    )
    assert doc_date(2031, {}, "各位代表：") == (dt.date(2031, 3, 5), "assumed")


def test_a_run_without_the_hostile_section_keeps_the_last_ones():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from annotate_extra import keep_section

    new = "# R\n\n## Hostile input\n\n(not run)\n\n## Other\n\nnew\n"
    old = "# R\n\n## Hostile input\n\n| a | 1 |\n\nnote\n\n## Other\n\nold\n"
    kept = "# R\n\n## Hostile input\n\n| a | 1 |\n\nnote\n\n## Other\n\nnew\n"
    assert keep_section(new, old, "## Hostile input") == kept
    assert keep_section(new, "# R\n", "## Hostile input") == new


def test_a_figure_in_two_reviewed_passages_counts_once_and_scaled_units_match(kg):
    """Scorer artefacts of issue 21 on a text written for the test: a reviewed passage inside
    another holds the same drafted figures (counted once), and 亿吨 matches the unit
    hundred-million-tonnes; no figure of this report is judged (the stated column is empty)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from annotate_extra import _count, dev_markdown
    from policykg.authoring.annotate import annotate_text
    from policykg.authoring.lexicon import Lexicon

    text = "今年钢铁产量3.1亿吨，出口增长4%。"
    data = {
        "passages": {
            "a": {"quote": text, "facts": [{"value": 3.1, "unit": "hundred-million-tonnes"}]},
            "b": {"quote": "出口增长4%。", "facts": [{"value": 4, "unit": "percent"}]},
        }
    }
    ann = annotate_text(text, Lexicon.from_kg(kg, source="ontology"), lang="zh")
    c = _count(ann, data, text, 2031, None)
    assert (c["fig_gold"], c["fig_unit"], c["fig_drafted"], c["fig_right"]) == (2, 2, 2, 2)
    assert (c["fig_stated"], c["fig_judged"]) == (0, 0)
    row = {**c, "year": 2031, "date": "2031-03-05", "passages": 2}
    assert "| 1.00 (2/2) | 1.00 (2/2) | – |" in dev_markdown([row])[-1]
