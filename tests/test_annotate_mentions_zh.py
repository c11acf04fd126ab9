"""Chinese mentions of issue 21 on sentences written for these tests: a label inside a longer word
or compound is no mention of its own, and a figure is an observation of what it measures."""

from __future__ import annotations

import pytest

from policykg.authoring.annotate import annotate_text
from policykg.authoring.lexicon import Lexicon, Term

KG = "https://w3id.org/policykg/id/"
LABELS = {
    "enterprises": "企业",
    "smes": "中小企业",
    "productive-forces": "生产力",
    "nqpf": "新质生产力",
    "new-energy": "新能源",
    "development": "发展",
    "economic-development": "经济发展",
    "gdp": "国内生产总值",
    "gdp-growth": "国内生产总值增长",
    "cpi-increase": "居民消费价格涨幅",
}


def _lexicon(labels: dict[str, str]) -> Lexicon:
    return Lexicon(
        [
            Term(KG + key, zh, "zh", "entity", True, False, ("Concept",), True)
            for key, zh in labels.items()
        ],
        "graph",
    )


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return _lexicon(LABELS)


def _found(lexicon: Lexicon, text: str) -> set[str]:
    ann = annotate_text(text, lexicon, lang="zh")
    return {m.term.iri[len(KG) :] for m in [*ann.mentions, *ann.nested]}


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("各地要帮助中小企业渡过难关。", "enterprises"),  # the head of a longer term
        ("各地要因地制宜培育新质生产力。", "productive-forces"),
        ("明年要推动经济发展稳中向好。", "development"),  # a generic word inside a term
    ],
)
def test_a_part_of_a_longer_term_is_no_mention(lexicon: Lexicon, text: str, part: str) -> None:
    found = _found(lexicon, text)
    assert part not in found
    assert len(found) == 1  # the longer term is


def test_an_argument_of_a_verbal_head_stays_a_mention(lexicon: Lexicon) -> None:
    found = _found(lexicon, "国内生产总值增长保持在合理区间。")
    assert found == {"gdp-growth", "gdp"}


def test_the_object_of_a_verb_inside_a_longer_term_stays_a_mention() -> None:
    lex = _lexicon({"nqpf": "新质生产力", "nqpf-local": "因地制宜发展新质生产力"})
    assert _found(lex, "各地要因地制宜发展新质生产力。") == {"nqpf-local", "nqpf"}


def test_a_modifier_of_the_noun_after_it_inside_a_longer_term() -> None:
    lex = _lexicon({"new-energy": "新能源", "nev-industry": "新能源汽车产业"})
    assert _found(lex, "这个省的新能源汽车产业规模较大。") == {"nev-industry"}


def test_a_label_inside_a_longer_word_is_no_mention() -> None:
    lex = _lexicon({"energy": "能源", "enterprises": "企业"})
    assert _found(lex, "那个县大力发展新能源。") == set()  # 新能源 is one word
    assert _found(lex, "那个县的民营企业很多。") == set()  # 民营企业 is one word
    assert _found(lex, "那个县的能源很丰富。") == {"energy"}


def test_a_single_bound_character_before_a_label_makes_a_compound() -> None:
    lex = _lexicon({"productive-forces": "生产力"})
    assert _found(lex, "加快培育新质生产力。") == set()  # 质: a bound modifier
    assert _found(lex, "解放和发展生产力。") == {"productive-forces"}  # after a verb
    assert _found(lex, "这是社会生产力的跃升。") == {"productive-forces"}  # a word before it


def test_a_label_before_or_after_a_word_stays_a_mention(lexicon: Lexicon) -> None:
    assert "enterprises" in _found(lexicon, "支持企业加大研发投入。")
    assert "enterprises" in _found(lexicon, "鼓励有条件的企业走出去。")
    assert "enterprises" in _found(lexicon, "企业利润有所回升。")  # what the profits are of


def _observed(lexicon: Lexicon, text: str) -> list[str | None]:
    ann = annotate_text(text, lexicon, lang="zh")
    return [
        f.observation_of.id if f.observation_of and f.observation_of.known else None
        for f in ann.figures
    ]


def test_a_figure_is_no_observation_of_a_modifier(lexicon: Lexicon) -> None:
    # the output of new energy vehicles, not of "new energy sources"
    assert _observed(lexicon, "去年新能源汽车产量突破900万辆。") == [None]
    # what is measured of a term (its profits) leaves the figure an observation of the term
    assert _observed(lexicon, "全年企业利润增长10%。") == ["enterprises"]


def test_a_change_is_an_observation_of_the_indicator_it_names(lexicon: Lexicon) -> None:
    text = "国内生产总值达到80万亿元，比上年增长6.1%。"
    assert _observed(lexicon, text) == ["gdp", "gdp-growth"]
    assert _observed(lexicon, "物价总体平稳，居民消费价格上涨1.8%。") == ["cpi-increase"]
