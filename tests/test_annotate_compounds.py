"""Mentions of issue 21 on sentences written for these tests: a common noun inside a compound
term is no mention of its own; a class's own label names a kind, no entity of the draft; an
enumeration's head is a noun phrase and its items hold words."""

from __future__ import annotations

import pytest

from policykg.authoring.annotate import annotate_text
from policykg.authoring.annotate.draft import draft_mapping
from policykg.authoring.lexicon import Lexicon, Term

KG = "https://w3id.org/policykg/id/"
PKG = "https://w3id.org/policykg/ontology#"
LABELS = [
    "enterprises",
    "private enterprises",
    "growth",
    "export growth",
    "growth of exports",
    "data",
    "data platforms",
    "traditional industries",
    "upgrading traditional industries",
    "key technologies",
    "technologies",
    "battle over key technologies",
    "digital economy",
    "core digital economy industries",
    "labour",
    "capital",
    "allocation of labour, capital and land",
    "China",
    "northeast China",
    "energy",
    "shifting energy toward the grid",
]


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    terms = [
        Term(KG + label.replace(" ", "-").replace(",", ""), label, "en", "entity", True, False,
             ("Concept",), True)
        for label in LABELS
    ]  # fmt: skip
    terms.append(Term(PKG + "Report", "report", "en", "class", True, False, (), True))
    return Lexicon(terms, "ontology")


def _nested(lexicon: Lexicon, text: str) -> list[str]:
    return [m.surface for m in annotate_text(text, lexicon, lang="en").nested]


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("The province supports private enterprises.", "enterprises"),  # head after a modifier
        ("Officials track export growth closely.", "growth"),
        ("The growth of exports slowed.", "growth"),  # the head that "of" qualifies
        ("New data platforms opened.", "data"),  # a single word that modifies the next
        ("They joined the battle over key technologies.", "technologies"),  # of a nested term
    ],
)
def test_a_part_of_a_compound_is_no_mention_of_its_own(lexicon, text, part):
    assert part not in _nested(lexicon, text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Cities are upgrading traditional industries.", "traditional industries"),  # an object
        ("They joined the battle over key technologies.", "key technologies"),
        ("They plan the allocation of labour, capital and land.", "capital"),
        ("Firms build core digital economy industries.", "digital economy"),  # several words
        ("It opened in northeast China.", "China"),  # a name
        ("Plans for shifting energy toward the grid.", "energy"),  # an object, no term ends there
    ],
)
def test_a_term_named_as_an_argument_stays_a_mention(lexicon, text, kept):
    assert kept in _nested(lexicon, text)


def test_a_class_label_alone_is_no_entity_of_the_draft(lexicon):
    ann = annotate_text("The report was published in May.", lexicon, lang="en")
    assert [m.surface for m in ann.mentions] == ["report"]
    entities = draft_mapping(ann, doc_id="t", text_name="t.txt")["entities"]
    assert "report" not in entities


def test_an_enumeration_item_holds_words_and_its_head_is_no_verb(lexicon):
    text = 'The city seeks to attract foreign investors such as "banks," "funds," and "insurers."'
    ann = annotate_text(text, lexicon, lang="en")
    (e,) = ann.enumerations
    assert e.head.label == "foreign investors"
    assert e.items and all(any(c.isalnum() for c in i.label) for i in e.items)
