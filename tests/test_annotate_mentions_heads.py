"""A label heading a compound after a modifier is no mention of its own (issue 21), on sentences
written for these tests: Chinese heads after a modifier word of two characters or more, the
one-character rule's misreadings (a verb's result, a list without a conjunction), and English
generic words that are not the whole noun phrase."""

from __future__ import annotations

import pytest

from policykg.authoring.annotate import annotate_text
from policykg.authoring.lexicon import Lexicon
from policykg.authoring.terms import Term

KG = "https://w3id.org/policykg/id/"


def _lexicon(labels: dict[str, str], lang: str = "zh") -> Lexicon:
    return Lexicon(
        [
            Term(KG + key, label, lang, "entity", True, False, ("Concept",), True)
            for key, label in labels.items()
        ],
        "graph",
    )


def _found(lex: Lexicon, text: str, lang: str = "zh") -> set[str]:
    ann = annotate_text(text, lex, lang=lang)
    return {m.term.iri[len(KG) :] for m in [*ann.mentions, *ann.nested]}


ZH = _lexicon(
    {
        "enterprises": "企业",
        "talent": "人才",
        "teachers": "教师",
        "industrialization": "工业化",
        "informatization": "信息化",
        "chains": "产业链",
        "supply-chains": "供应链",
        "china": "中国",
    }
)


@pytest.mark.parametrize(
    "text",
    [
        "去年物流企业的仓储成本有所下降。",  # a noun: logistics enterprises
        "各地要给外资企业同等待遇。",
        "要加大高技能人才培养力度。",  # 高技能: a noun jieba knows
        "山区的乡村教师待遇要逐步提高。",
        "我们坚持走新型工业化道路。",  # a distinguishing word before a verbal noun
    ],
)
def test_a_head_after_a_modifier_word_is_no_mention(text: str) -> None:
    assert _found(ZH, text) == set()


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("要支持企业扩大有效投资。", "enterprises"),  # after a verb
        ("要为企业减轻不合理负担。", "enterprises"),  # after a preposition
        ("重点企业要带头节约能源。", "enterprises"),  # an evaluative word: which ones, no kind
        ("所有企业一律平等对待。", "enterprises"),
        ("今年要明显降低企业的物流成本。", "enterprises"),  # a verb phrase jieba holds as a noun
        ("要深化人才评价机制改革。", "talent"),  # 深化 (jieba: an abbreviation) is a verb
        ("同步推进工业化和城镇化。", "industrialization"),
        ("要把首都中国的声音传出去。", "china"),  # a name is never a compound's head
    ],
)
def test_a_head_after_a_verb_a_preposition_or_an_evaluative_word_stays_a_mention(
    text: str, kept: str
) -> None:
    assert kept in _found(ZH, text)


def test_any_label_after_a_word_that_only_modifies_is_a_compound_head() -> None:
    lex = _lexicon({"entities": "经营主体", "smes": "中小企业", "econ-dev": "经济发展"})
    assert _found(lex, "各地要扶持新型经营主体。") == set()  # 新型: a distinguishing word
    assert _found(lex, "要支持科技型中小企业上市。") == set()  # 科技型: a word made with 型
    assert _found(lex, "要优化民营经济发展的环境。") == set()  # 民营|经济发展: jieba's split
    assert _found(lex, "要支持中小企业上市。") == {"smes"}
    assert _found(lex, "所有经营主体一视同仁。") == {"entities"}  # a counting word: no kind


def test_two_words_that_end_alike_are_a_list_not_a_compound() -> None:
    assert _found(ZH, "要打通产业链供应链的堵点。") == {"chains", "supply-chains"}
    assert _found(ZH, "推动工业化信息化深度融合。") == {"industrialization", "informatization"}
    # the first word of the list is one jieba does not know: 创新|链 (链 is no modifier)
    assert _found(ZH, "推动创新链产业链深度融合。") == {"chains"}


def test_an_adjective_after_a_one_character_verb_is_its_result_not_a_modifier() -> None:
    assert _found(ZH, "各地要用好人才，留住人才。") == {"talent"}
    assert _found(ZH, "要做强企业，做优服务。") == {"enterprises"}
    # a single adjective before the label after a longer verb still makes a compound
    assert _found(ZH, "各地要培育强企业。") == set()


# -- English --------------------------------------------------------------------------------------

EN = _lexicon(
    {
        "development": "development",
        "technology": "technology",
        "enterprises": "enterprises",
        "materials": "materials",
        "new-materials": "new materials",
        "supply-chains": "supply chains",
        "china": "China",
        "ports-of-china": "southern ports of China",
    },
    lang="en",
)


@pytest.mark.parametrize(
    "text",
    [
        "The province speeds up the development of coastal towns.",  # of gives its argument
        "The fund backs rural development and coastal trade.",  # a modifier before it
        "They hold talks on economic and social development in the south.",
    ],
)
def test_a_generic_word_that_is_not_the_whole_phrase_is_no_mention(text: str) -> None:
    assert "development" not in _found(EN, text, "en")


def test_a_generic_word_inside_a_longer_term_is_still_judged_by_its_own_words() -> None:
    lex = _lexicon({"development": "development", "t": "driving development through trade"}, "en")
    assert _found(lex, "Towns are driving development through trade.", "en") == {"t"}
    lex = _lexicon({"development": "development", "t": "advantages in development"}, "en")
    assert _found(lex, "Towns seek advantages in development.", "en") == {"t", "development"}


@pytest.mark.parametrize(
    "text",
    [
        "Industrial enterprises cut their costs.",  # a classifying adjective (-al)
        "The ministry helps private enterprises.",  # a closed-class adjective
        "Local factories buy new materials from abroad.",  # new, inside the term new materials
        "Officials back strategic supply chains.",  # a two-word label
    ],
)
def test_a_common_noun_after_an_adjective_that_makes_a_kind_is_no_mention(text: str) -> None:
    found = _found(EN, text, "en")
    assert not {"enterprises", "materials", "supply-chains"} & found


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The ministry helps enterprises.", "enterprises"),  # after a verb
        ("Key enterprises lead the way.", "enterprises"),  # an evaluative word: no kind
        ("Critical supply chains need care.", "supply-chains"),
        ("Manufacturing enterprises hire again.", "enterprises"),  # a noun: not told from a verb
        ("Trade with coastal China grew.", "china"),  # a name is never a compound's head
    ],
)
def test_a_common_noun_after_a_verb_or_an_evaluative_word_stays_a_mention(
    text: str, kept: str
) -> None:
    assert kept in _found(EN, text, "en")


def test_a_near_mention_does_not_take_words_across_a_pronoun() -> None:
    lex = _lexicon({"shipping": "developing green coastal shipping"}, "en")

    def near(text: str) -> list[str]:
        return [m.surface for m in annotate_text(text, lex, lang="en").near]

    # the pronoun is an argument of its own: two phrases, not the label's words
    assert near("Ports keep developing them as the key to green coastal shipping.") == []
    # inflection and word order alone are still a near mention
    assert near("Green coastal shipping is being developed fast.") == [
        "Green coastal shipping is being developed"
    ]
