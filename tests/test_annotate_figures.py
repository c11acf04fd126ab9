"""Figures written in words: English number words, Chinese numerals, ``the only X among the top N``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policykg.authoring.figures import en_number, find_figures, zh_number


def _figs(text: str, lang: str) -> list[tuple[Decimal, str, str | None, str]]:
    out = []
    for f in find_figures(text, lang):
        assert text[f.start : f.end] == f.words
        out.append((f.value, f.unit, f.qualifier, f.words))
    return out


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("one", 1),
        ("twelve", 12),
        ("twenty-five", 25),
        ("ninety nine", 99),
        ("a hundred", 100),
        ("two hundred and five", 205),
        ("three thousand four hundred", 3400),
        ("two million", 2_000_000),
        ("one billion", 10**9),
    ],
)
def test_english_number_words(words, value):
    assert en_number(words) == value


@pytest.mark.parametrize("words", ["five six", "twenty thirty", "ten five", "and five", "dozens"])
def test_words_that_are_not_one_number(words):
    assert en_number(words) is None


def test_english_figures_in_words_need_a_unit():
    text = "Output rose twenty-five percent, nearly two million tons were shipped and one of the five sessions met three times."
    assert _figs(text, "en") == [
        (Decimal(25), "percent", None, "twenty-five percent"),
        (Decimal(2_000_000), "tonne", "nearly", "nearly two million tons"),
    ]


def test_half_is_fifty_percent_but_not_the_first_half_of_the_year():
    text = "In the first half of the year, over half of the enterprises grew; a third and dozens did not."
    assert _figs(text, "en") == [(Decimal(50), "percent", "over", "over half")]


def test_ordinal_ranks_in_words():
    assert _figs("The city ranked eleventh.", "en") == [(Decimal(11), "rank", None, "eleventh")]


@pytest.mark.parametrize(
    ("text", "counted", "group"),
    [
        (
            "It was the only middle-income economy among the top 30.",
            "middle-income economy",
            "top 30",
        ),
        ("It is the only coastal province of the top ten.", "coastal province", "top ten"),
    ],
)
def test_the_only_x_among_the_top_n_is_a_count_of_one(text, counted, group):
    (f,) = find_figures(text, "en")
    assert (f.value, f.unit, f.counted, f.group) == (Decimal(1), "count", counted, group)
    assert text[f.counted_at : f.counted_at + len(f.counted)] == counted


def test_the_only_without_a_ranked_group_is_no_figure():
    assert find_figures("It is the only way forward among the options.", "en") == []


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一百零五", 105),
        ("两千", 2000),
        ("一千零二十", 1020),
        ("三千五百万", 35_000_000),
        ("十三亿", 1_300_000_000),
        ("三亿五千万", 350_000_000),
        ("3.5万", 35000),
    ],
)
def test_chinese_numerals_with_large_units(numeral, value):
    assert zh_number(numeral) == value


def test_two_digits_side_by_side_are_not_one_number():
    assert zh_number("三四") is None  # 三四 = three or four


def test_chinese_figures_in_numerals():
    text = "全国新增就业三千五百万人，出口增长百分之三十五，三成企业上云，超过一半的企业盈利，十三亿人受益。"
    assert _figs(text, "zh") == [
        (Decimal(35_000_000), "person", None, "三千五百万人"),
        (Decimal(35), "percent", None, "百分之三十五"),
        (Decimal(30), "percent", None, "三成"),
        (Decimal(50), "percent", "over", "超过一半"),
        (Decimal(1_300_000_000), "person", None, "十三亿人"),
    ]


def test_chinese_words_without_one_value_are_no_figures():
    # 几成 (some tenths), 三四成 (three or four tenths), 成为 (to become), 数十 (dozens)
    assert _figs("几成企业成为龙头，三四成企业有数十家分厂。", "zh") == []


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("中国是前三十中唯一的中等收入经济体。", "前三十"),
        ("中国是唯一进入前30的中等收入经济体。", "前30"),
    ],
)
def test_zh_the_only_x_among_the_top_n(text, group):
    (f,) = find_figures(text, "zh")
    assert (f.value, f.unit, f.counted, f.group) == (Decimal(1), "count", "中等收入经济体", group)


def test_a_count_names_what_it_counts_in_the_draft(kg):
    from policykg.authoring.annotate import annotate_text
    from policykg.authoring.lexicon import Lexicon

    lex = Lexicon.from_kg(kg, source="graph")
    ann = annotate_text(
        "In the Global Innovation Index 2024, China stood out as the only middle-income economy "
        "among the top 30.",
        lex,
        lang="en",
    )
    (fig,) = ann.figures
    assert fig.measure == "number of middle-income economy among the top 30"
    assert fig.observation_of is not None and fig.observation_of.id == "middle-income-economy"
    assert fig.period is not None and fig.period.iso == "2024"
