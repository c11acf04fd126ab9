"""Mentions of issue 21 on sentences written for these tests: a common noun inside a compound
term is no mention of its own; a class's own label names a kind, no entity of the draft; an
enumeration's head is a noun phrase and its items hold words."""

from __future__ import annotations

import pytest

from policykg.authoring.annotate import annotate_text
from policykg.authoring.annotate.draft import draft_mapping
from policykg.authoring.lexicon import Lexicon
from policykg.authoring.terms import Term

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


# -- fuzzy matches of labels with numbers (issue 21) ---------------------------------------------


def _fuzzy_lexicon() -> Lexicon:
    def term(key: str, label: str, kind: str) -> Term:
        return Term(KG + key, label, "en", "entity", True, False, (kind,), True)

    return Lexicon(
        [
            term("jobs-target-2014", "new urban jobs target for 2014: over 10 million", "Target"),
            term("jobs-2013", "new urban jobs created in 2013: 13.1 million", "Concept"),
            term("urban-jobs", "new urban jobs", "Indicator"),
        ],
        "graph",
    )


def _near(text: str) -> set[str]:
    ann = annotate_text(text, _fuzzy_lexicon(), lang="en")
    return {m.term.iri[len(KG) :] for m in ann.near}


def test_a_figure_label_is_never_matched_near() -> None:
    # a Target's label describes its value: word for word only
    assert "jobs-target-2014" not in _near(
        "The target of over 10 million new urban jobs for 2014 was met."
    )


def test_a_near_match_needs_the_numbers_of_its_label() -> None:
    text = "The country aims to create over 12 million new urban jobs this year."
    assert _near(text) == set()
    assert "jobs-2013" in _near("In 2013, 13.1 million new urban jobs were created.")
