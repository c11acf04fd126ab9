"""Chinese mentions of issue 21 on sentences written for these tests: a label inside a longer word
or compound is no mention of its own, and a figure is an observation of what it measures."""

from __future__ import annotations

import pytest

from policykg.authoring.annotate import annotate_text
from policykg.authoring.lexicon import Lexicon
from policykg.authoring.terms import Term

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
    "state-economy": "国有经济",
    "non-state-economy": "非国有经济",
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
        ("要鼓励支持非国有经济发展。", "state-economy"),  # a prefix: 非, "non-"
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


def test_a_noun_before_another_inside_a_longer_term_stays_a_mention() -> None:
    # in a Chinese compound the first noun is most often what the second is of
    lex = _lexicon({"chains": "产业链", "chains-and-supply": "产业链供应链"})
    assert _found(lex, "各地要增强产业链供应链韧性。") == {"chains-and-supply", "chains"}
    lex = _lexicon({"gdp": "国内生产总值", "per-unit": "单位国内生产总值能耗"})
    assert _found(lex, "单位国内生产总值能耗继续下降。") == {"per-unit", "gdp"}


def test_a_head_after_a_function_word_inside_a_longer_term_stays_a_mention() -> None:
    lex = _lexicon({"systems": "基础制度", "concept": "支持创新的基础制度"})
    assert _found(lex, "加快形成支持创新的基础制度。") == {"concept", "systems"}


def test_the_terms_inside_a_term_that_names_an_action_stay_mentions() -> None:
    terms = [
        Term(KG + "tourism", "乡村旅游", "zh", "entity", True, False, ("Concept",), True),
        Term(KG + "task", "壮大乡村旅游", "zh", "entity", True, False, ("Task",), True),
    ]  # jieba tags the verb 壮大 as an adjective: the action, not the tag, tells
    assert _found(Lexicon(terms, "graph"), "各地要壮大乡村旅游。") == {"task", "tourism"}
    # a term inside the action is a compound of its own: its head is no mention
    terms += [
        Term(KG + "tourism-x", "智慧乡村旅游", "zh", "entity", True, False, ("Concept",), True),
        Term(KG + "task-x", "壮大智慧乡村旅游", "zh", "entity", True, False, ("Task",), True),
    ]
    assert _found(Lexicon(terms, "graph"), "各地要壮大智慧乡村旅游。") == {"task-x", "tourism-x"}


def test_a_label_inside_a_longer_word_is_no_mention() -> None:
    lex = _lexicon({"energy": "能源", "enterprises": "企业"})
    assert _found(lex, "那个县大力发展新能源。") == set()  # 新能源 is one word
    assert _found(lex, "那个县的民营企业很多。") == set()  # 民营企业 is one word
    assert _found(lex, "那个县的能源很丰富。") == {"energy"}
    assert _found(lex, "要弘扬企业家精神。") == set()  # 企业家: entrepreneurs, not enterprises


def test_a_word_that_only_overlaps_the_end_of_a_label_leaves_it_a_mention() -> None:
    # jieba reads 科技/创新能力: the label's end and the next word overlap, no word holds it
    lex = _lexicon({"st-innovation": "科技创新", "deficit-ratio": "赤字率", "soes": "国企"})
    assert _found(lex, "全面提升科技创新能力。") == {"st-innovation"}
    assert _found(lex, "今年财政赤字率有所下降。") == {"deficit-ratio"}  # 财政赤字|率
    assert _found(lex, "欢迎各国企业来华投资。") == set()  # 各国|企业: no 国企 in it


def test_a_single_bound_character_before_a_label_makes_a_compound() -> None:
    lex = _lexicon({"productive-forces": "生产力"})
    assert _found(lex, "加快培育新质生产力。") == set()  # 质: a bound modifier
    assert _found(lex, "解放和发展生产力。") == {"productive-forces"}  # after a verb
    # a noun of two characters before it makes a compound too (社会生产力: the heads after a
    # modifier of two characters, tests/test_annotate_mentions_heads.py); a verb does not
    assert _found(lex, "这是社会生产力的跃升。") == set()
    assert _found(lex, "要进一步解放生产力。") == {"productive-forces"}


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


def test_the_dictionary_shortcut_decides_as_jieba_does() -> None:
    """Where jieba's dictionary alone decides, the answer is the one jieba's reading gives."""
    from policykg.authoring.annotate.mentions_zh import _decided, _read

    labels = ["企业", "生产力", "能源", "产业", "科技创新", "赤字率", "国企", "人才", "产业链"]
    lex = _lexicon({f"t{n}": label for n, label in enumerate(labels)})
    text = (
        "各国企业看好新能源和产业链供应链。加快培育新质生产力，提升科技创新能力，"
        "今年财政赤字率下降，要弘扬企业家精神，用好人才，支持小微企业和社会生产力发展。"
    )
    found, _nested = lex.match_all(text)
    decided = 0
    for m in found:
        a = max(0, m.start - 4)
        window, start, end = text[a : m.end + 4], m.start - a, m.end - a
        quick = _decided(window, start, end)
        if quick is not None:
            decided += 1
            assert quick == _read(window, start, end), m.surface
    assert 0 < decided < len(found)  # both ways are tried


def test_chinese_labels_normalise_to_themselves_and_full_width_letters_still_fold() -> None:
    from policykg.authoring.lexicon import normalise

    assert normalise("新质生产力") == "新质生产力"  # the fast path: NFKC leaves them as they are
    assert normalise("ＡＩ新质生产力") == "ai新质生产力"
