"""The shortcuts of the drafter's speed work (issue 21) say what the slower code said.

Each fast path is checked against the plain reading it replaced, on sentences written for the
test: the English sentence breaks, a figure read back from its offset, and the cheap tests that
skip the Chinese figure and period patterns.
"""

from __future__ import annotations

import re

import pytest

from policykg.authoring.annotate.addressees import _AddresseeStage
from policykg.authoring.annotate.figuring import _before_le
from policykg.authoring.annotate.provisioning import _ProvisionStage
from policykg.authoring.annotate.reading import _SAFE_BREAK, _last_word, _safe_breaks
from policykg.authoring.figures import find_figures
from policykg.authoring.periods import find_periods

LINES = [
    "The council met on Monday. It approved the plan! Will it work? Nobody knows.",
    'He said "growth will pick up." Then he left. Prices rose 2.5 percent. Output fell.',
    "Mr. Li met Dr. Wang in the U.S. last week. They spoke (briefly.) About trade.",
    "Output rose 12.5% in 2023. 2024 will be harder.  Officials agree.",
    "No break here",
    "",
    "Ends with a stop.",
    "Odd spacing.\tTabs and\nlines. A sentence.",
]


@pytest.mark.parametrize("line", LINES)
def test_safe_breaks_are_the_patterns_breaks(line: str) -> None:
    assert [m.span() for m in _safe_breaks(line)] == [m.span() for m in _SAFE_BREAK.finditer(line)]


@pytest.mark.parametrize("line", LINES)
def test_the_last_word_before_a_break_is_the_patterns(line: str) -> None:
    last_word = re.compile(r"[A-Za-z]+(?=[.!?]$)")
    for start in range(len(line) + 1):
        for end in range(start, len(line) + 1):
            if end and line[end - 1] == "\n":
                continue  # no break follows a line end (the lookbehinds need a full stop)
            found = last_word.findall(line, start, end)
            assert _last_word(line, start, end) == (found[-1] if found else "")


@pytest.mark.parametrize(
    ("text", "at"),
    [("产量增长了8%", 6), ("增长了了5%", 5), ("了了", 2), ("增长5%", 2), ("", 0)],
)
def test_a_change_is_read_back_from_the_figure(text: str, at: int) -> None:
    assert _before_le(text, 0, at) == len(text[:at].rstrip("了"))


def test_a_sentence_without_a_numeral_has_no_figure_and_one_with_any_numeral_keeps_them() -> None:
    assert find_figures("各地要加快推进数字经济建设。", "zh") == []
    # a full-width digit is a digit; 三成 and 一半 hold their numeral
    words = [f.words for f in find_figures("产量增长５％，占三成，约一半。", "zh")]
    assert words == ["５％", "三成", "约一半"]


def test_a_sentence_without_a_period_word_names_no_period() -> None:
    assert find_periods("各地要加快推进数字经济建设。", "zh", None) == []
    labels = [p.label for p in find_periods("一季度同比增长，前三个月", "zh", None)]
    assert labels == ["一季度", "同比", "前三个月"]


def test_the_provision_stage_reads_its_addressees_from_the_addressee_stage() -> None:
    assert issubclass(_ProvisionStage, _AddresseeStage)
    assert "_collective" not in vars(_ProvisionStage)
