"""Which period a drafted figure takes (issue 21): relative years against the document's date,
comparison bases, time anchors opening a sentence or a paragraph, numbered headings.

Every sentence here is written for the test (invented places and numbers), none is copied from
the reviewed reports.
"""

from __future__ import annotations

import datetime as dt

import pytest

from policykg.authoring.annotate import annotate_text
from policykg.authoring.lexicon import Lexicon
from policykg.authoring.periods import find_periods

SPRING = dt.date(2030, 3, 1)
AUTUMN = dt.date(2030, 11, 20)


def _periods(text: str, lang: str, date: dt.date | None = SPRING) -> list[tuple[str, str | None]]:
    ann = annotate_text(text, Lexicon([], "graph"), lang=lang, date=date)
    return [(f.figure.words, f.period.iso if f.period is not None else None) for f in ann.figures]


@pytest.mark.parametrize(
    ("words", "spring", "autumn"),
    [
        ("明年", "2031", "2031"),
        ("前年", "2028", "2028"),
        ("去年", "2029", "2029"),
        ("过去一年", "2029", "2030"),  # the twelve months before the date: mostly which year
        ("一年来", "2029", "2030"),
    ],
)
def test_zh_relative_years_against_the_date(words, spring, autumn):
    assert [p.iso for p in find_periods(f"{words}，", "zh", SPRING)] == [spring]
    assert [p.iso for p in find_periods(f"{words}，", "zh", AUTUMN)] == [autumn]
    assert [p.iso for p in find_periods(f"{words}，", "zh", None)] == [None]


def test_en_relative_years_at_the_start_of_a_sentence():
    text = (
        "Last year, output rose. This year it will rise. Next year too. Over the past year, less."
    )
    assert [(p.label, p.iso) for p in find_periods(text, "en", SPRING)] == [
        ("Last year", "2029"),
        ("This year", "2030"),
        ("Next year", "2031"),
        ("past year", "2029"),
    ]


def test_a_comparison_base_is_not_the_figures_period():
    assert _periods("今年全县粮食产量预期为7亿斤，比去年多2000万斤。", "zh") == [
        ("7亿斤", "2030"),
        ("2000万斤", "2030"),
    ]
    # "去年的2.5%" names its figure outright; the figure after it is the sentence's own year
    assert _periods("今年赤字率从去年的2.5%调整为3%。", "zh") == [("2.5%", "2029"), ("3%", "2030")]
    assert _periods(
        "Exports are expected to grow 4 percent this year, faster than last year.", "en"
    ) == [("4 percent", "2030")]
    # "from" opening a span of months compares nothing
    assert _periods("From January to May, sales grew by 6 percent.", "en") == [
        ("6 percent", "2030-01/2030-05")
    ]


def test_an_opening_anchor_governs_the_rest_of_its_paragraph():
    text = (
        "过去一年，全市上下攻坚克难。地区生产总值增长4.8%。城镇新增就业12万人；居民收入增长5.1%。\n"
        "新的一段没有时间词，工业增加值增长6%。\n"
    )
    assert _periods(text, "zh") == [
        ("4.8%", "2029"),
        ("12万人", "2029"),
        ("5.1%", "2029"),
        ("6%", None),  # the anchor ends with its paragraph
    ]


def test_a_target_list_anchored_by_its_opening_keeps_the_year_across_clauses():
    text = "今年全市发展的主要预期目标是：地区生产总值增长5%左右；进出口稳中提质；城镇调查失业率5.5%左右。\n"
    assert _periods(text, "zh") == [("5%左右", "2030"), ("5.5%左右", "2030")]


def test_en_opening_anchor():
    text = "Last year was a hard one for the county. Its output grew by 2.5 percent.\n"
    assert _periods(text, "en") == [("2.5 percent", "2029")]


def test_a_numbered_heading_dates_its_section_until_the_next_heading():
    text = (
        "一、2029年工作回顾\n\n全县经济平稳运行，地区生产总值增长4.8%。\n\n"
        "（一）农业\n\n粮食产量增长2%。\n\n"
        "二、2030年主要任务\n\n地区生产总值增长5%左右。\n\n"
        "三、其他事项\n\n居民收入增长3%。\n"
    )
    assert _periods(text, "zh", None) == [
        ("4.8%", "2029"),
        ("2%", "2029"),  # a sub-heading without a year keeps its section's
        ("5%左右", "2030"),
        ("3%", None),  # a heading of the same level without a year ends the anchor
    ]


def test_the_sentences_own_period_wins_over_the_anchor():
    text = "过去一年，全县经济回升。2027年以来累计增长15%，今年预计增长5%。\n"
    assert _periods(text, "zh") == [("15%", "2027"), ("5%", "2030")]


def test_a_goal_cue_before_several_figures_gives_one_intention_each():
    ann = annotate_text(
        "今年全县发展的主要预期目标是：地区生产总值增长5%左右，居民消费价格涨幅3%左右。",
        Lexicon([], "graph"),
        lang="zh",
        date=SPRING,
    )
    intents = [p for p in ann.provisions if p.modality == "intention"]
    assert len(intents) == 2
    # each names what its figure measures, when the clause says it
    assert [p.action[0].id if p.action else None for p in intents] == [
        f.observation_of.id if f.observation_of is not None else None for f in ann.figures
    ]
    assert intents[0].action[0].zh == "地区生产总值"
    # a goal cue before one figure keeps one provision
    one = annotate_text(
        "今年全县的目标是地区生产总值增长5%左右。", Lexicon([], "graph"), lang="zh", date=SPRING
    )
    assert len([p for p in one.provisions if p.modality == "intention"]) == 1


# -- 上年 and a change from one level to another (issue 21, zh-cues) -----------------------------


def test_shangnian_is_the_year_before_the_context_year():
    # a review of 2029 (reported in 2030): 上年 is 2028, not the year before the report's date
    text = (
        "一、2029年工作回顾\n\n"
        "全县生产总值增长5%，工业利润由上年下降3.1%转为增长7.2%，粮食产量比上年增长2%。\n"
    )
    assert _periods(text, "zh") == [
        ("5%", "2029"),
        ("3.1%", "2028"),
        ("7.2%", "2029"),
        ("2%", "2029"),
    ]
    # in this year's context, and with no context but the date
    assert _periods("今年，林业产值由上年的120亿元增加到150亿元。", "zh") == [
        ("120亿元", "2029"),
        ("150亿元", "2030"),
    ]
    assert _periods("上年粮食产量为6亿吨，今年达到6.5亿吨。", "zh") == [
        ("6亿吨", "2029"),
        ("6.5亿吨", "2030"),
    ]


def test_the_first_level_of_a_change_is_the_year_before():
    text = "一、2029年工作回顾\n\n服务业比重由44.1%提高到46.3%，城镇化率由61%升至62.5%。\n"
    assert _periods(text, "zh") == [
        ("44.1%", "2028"),
        ("46.3%", "2029"),
        ("61%", "2028"),
        ("62.5%", "2029"),
    ]
    # a task of this year: the level before the raise is last year's
    assert _periods("今年将补助标准由每人每年80元提高到90元。", "zh") == [
        ("80元", "2029"),
        ("90元", "2030"),
    ]
    # no year to count back from: none is guessed
    assert _periods("城镇化率由61%提高到63%。", "zh", None) == [("61%", None), ("63%", None)]


def test_shangnian_that_compares_or_is_no_period_word_changes_nothing():
    text = "一、2029年工作回顾\n\n产量比上年增长3%；利润增长4%。\n"
    assert _periods(text, "zh") == [("3%", "2029"), ("4%", "2029")]
    assert [p.label for p in find_periods("产值5000万元以上年均增长8%", "zh", SPRING)] == []
