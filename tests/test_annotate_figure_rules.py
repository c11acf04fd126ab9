"""Figure rules of issue 21, on sentences written for these tests: a range ("5%－6%", "4 to 4.5
percent") is one figure with a lower and an upper bound, its upper bound no figure of its own; a
number of people whose unit the population before it names ("老龄人口增加300万") is a figure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policykg.authoring.figures import find_figures


def _ranges(text: str, lang: str) -> list[tuple[Decimal, Decimal | None, str, str | None, str]]:
    out = []
    for f in find_figures(text, lang):
        assert text[f.start : f.end] == f.words
        out.append((f.value, f.upper, f.unit, f.qualifier, f.words))
    return out


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("全省地区生产总值增长5%－6%，", "5%－6%"),
        ("出口额预计增长4.5%-5%。", "4.5%-5%"),
        ("预计粮食单产提高2～3%。", "2～3%"),
        ("居民收入增长5.5%至6%。", "5.5%至6%"),
    ],
)
def test_zh_range_is_one_figure(text, words):
    ((lo, hi, unit, _q, got),) = _ranges(text, "zh")
    assert got == words and unit == "percent" and lo < hi


def test_zh_range_keeps_its_qualifier_and_the_next_figure():
    text = "城市投资增长8～9%左右，乡村投资增长4%。"
    assert _ranges(text, "zh") == [
        (Decimal(8), Decimal(9), "percent", "roughly", "8～9%左右"),
        (Decimal(4), None, "percent", None, "4%"),
    ]


def test_zh_range_of_scaled_amounts_scales_both_bounds():
    ((lo, hi, unit, _q, _w),) = _ranges("今年拟发行债券1.2－1.5万亿元。", "zh")
    assert (lo, hi, unit) == (Decimal("1.2") * 10**12, Decimal("1.5") * 10**12, "yuan")


@pytest.mark.parametrize(
    ("text", "lo", "hi", "words"),
    [
        ("Exports should grow 3-4 percent next year.", 3, 4, "3-4 percent"),
        ("The province aims at 4 to 4.5 percent growth.", 4, Decimal("4.5"), "4 to 4.5 percent"),
        ("Spending of between 2 and 3 billion dollars.", 2 * 10**9, 3 * 10**9, None),
    ],
)
def test_en_range_is_one_figure(text, lo, hi, words):
    ((got_lo, got_hi, _u, _q, got),) = _ranges(text, "en")
    assert (got_lo, got_hi) == (lo, hi)
    assert words is None or got == words


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # a change from one level to another: two figures, no range
        ("The share rose from 31.5 percent to 33 percent.", "en"),
        ("城镇化率由61%提高到63%。", "zh"),
        ("城镇化率从61%到63%。", "zh"),
        # a decreasing pair is not a range
        ("两项指标分别为9%－7%。", "zh"),
    ],
)
def test_not_a_range(text, lang):
    assert all(hi is None for _lo, hi, *_ in _ranges(text, lang))
    assert len(_ranges(text, lang)) == 2


def test_a_span_of_years_is_no_lower_bound():
    assert _ranges("2026-2030年均增长7%。", "zh") == [(Decimal(7), None, "percent", None, "7%")]


def test_a_drafted_range_writes_its_upper_value(kg):
    import datetime as dt

    from policykg.authoring.annotate import annotate_text
    from policykg.authoring.annotate.draft import draft_mapping
    from policykg.authoring.lexicon import Lexicon

    lex = Lexicon.from_kg(kg, source="ontology")
    text = "今年全市预期目标是：地区生产总值增长5%－6%。"
    ann = annotate_text(text, lex, lang="zh", date=dt.date(2030, 2, 1))
    (fig,) = ann.figures
    assert (fig.figure.value, fig.figure.upper) == (Decimal(5), Decimal(6))
    passages = draft_mapping(ann, doc_id="t", text_name="t.txt")["passages"]
    facts = [f for p in passages.values() for f in p.get("facts") or []]
    assert [(f["value"], f["upperValue"], f["period"]) for f in facts] == [(5, 6, "2030")]


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "words"),
    [
        ("全县农村低收入人口减少2.5万，", 25_000, None, "2.5万"),
        ("去年老龄人口增加了近300万。", 3_000_000, "nearly", "近300万"),
        ("医保参保人数达到1.2亿以上。", 120_000_000, "over", "1.2亿以上"),
    ],
)
def test_zh_a_population_names_the_unit_of_its_number(text, value, qualifier, words):
    assert _ranges(text, "zh") == [(Decimal(value), None, "person", qualifier, words)]


@pytest.mark.parametrize(
    "text",
    [
        "人口大县争取资金3000万。",  # the number is not what the population changes by
        "人口密度为每平方公里300人。",  # a unit of its own: read as a count of persons already
        "人口减少的地区获得500万元补助。",  # the figure is an amount in yuan
    ],
)
def test_zh_a_population_word_does_not_make_other_numbers_people(text):
    assert all(
        unit != "person" or words.endswith("人") for *_x, unit, _q, words in _ranges(text, "zh")
    )
