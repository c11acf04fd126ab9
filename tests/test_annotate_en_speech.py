"""English wire copy, official translations and legal text (issue 21): speakers, directives,
passives and legal modality, on sentences written for these tests, and the small development
set ``fixtures/annotate/en-wire-dev.txt`` (in-sample: written with these rules in view).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policykg.authoring.annotate import annotate_text
from policykg.authoring.annotate.wire import wire_speakers
from policykg.authoring.modality import find_cues
from test_annotate_pinned import pinned_lexicon

FIX = Path(__file__).parent / "fixtures" / "annotate"


@pytest.fixture(scope="module")
def lexicon():
    return pinned_lexicon()


def _rows(ann):
    """Per sentence: (modality, cue, polarity, first addressee's label, speaker's label)."""
    out = []
    for s in ann.sentences:
        out.append(
            [
                (
                    p.modality,
                    " ".join(p.cue.words.split()),
                    "negative" if p.negative else "affirmative",
                    p.addressees[0].label if p.addressees else None,
                    p.stated_by.label if p.stated_by else None,
                )
                for p in ann.provisions
                if p.passage == s.id
            ]
        )
    return out


def _last(lexicon, text):
    return _rows(annotate_text(text, lexicon, lang="en"))[-1]


# -- 1. reported speech in the middle or at the end of a sentence --------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Premier Wu Jianguo spoke on Monday. Cities must not delay pensions, Wu said, adding that "
        "hospitals should cut waiting times.",
        "Cities must not delay pensions, Wu Jianguo said, adding that hospitals should cut "
        "waiting times.",
        "Cities must not delay pensions, said Wu Jianguo, adding that hospitals should cut "
        "waiting times.",
        "Premier Wu Jianguo met farmers. Cities must not delay pensions, he said, adding that hospitals "
        "should cut waiting times.",
    ],
)
def test_a_trailing_reporting_clause_states_the_whole_sentence(lexicon, text):
    got = _last(lexicon, text)
    assert [(m, s) for m, _c, _p, _a, s in got] == [
        ("obligation", "Wu Jianguo"),
        ("recommendation", "Wu Jianguo"),
    ]
    assert [a for *_x, a, _s in got] == ["Cities", "hospitals"]


def test_x_added_states_what_follows(lexicon):
    got = _last(lexicon, "Minister Lin Hao added that exporters should diversify markets.")
    assert got == [("recommendation", "should", "affirmative", "exporters", "Lin Hao")]


def test_a_surname_is_the_last_person_named_with_it(lexicon):
    text = (
        "Vice Premier Chen Yuming met Minister Chen Bo. Premier Gao Feng chaired the talks. "
        "Firms should hire graduates, Chen said."
    )
    assert _last(lexicon, text)[0][4] == "Chen Bo"
    # a surname the text never named with a given name is no one
    got = _last(lexicon, "Premier Gao Feng spoke. Firms should hire graduates, Sun said.")
    assert got[0][4] is None


def test_a_reporting_clause_that_introduces_its_content_is_not_trailing(lexicon):
    # the cue before ", X stressed ... that ..." is not what X said
    text = "The plan will lift output, Wu Jianguo stressed at a forum that firms must invest."
    got = _last(lexicon, text)
    assert [(c, s) for _m, c, _p, _a, s in got] == [("will", None), ("must", "Wu Jianguo")]


def test_titles_are_not_part_of_a_name():
    text = "BEIJING, May 2 (Xinhua) -- Chinese Premier Wu Jianguo on Friday said so."
    found = wire_speakers(text, 0, len(text))
    assert [(s.kind, s.words) for s in found] == [("name", "Wu Jianguo")]


# -- 2. reporting verbs that direct ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Wu Jianguo on Tuesday called for greater efforts to stabilize employment.",
            ("necessity", "called for", "affirmative", None, "Wu Jianguo"),
        ),
        (
            "Wu Jianguo urged local governments to pay contractors on time.",
            ("obligation", "urged", "affirmative", "local governments", "Wu Jianguo"),
        ),
        (
            "Wu Jianguo called on research institutes to share their data.",
            ("obligation", "called on", "affirmative", "research institutes", "Wu Jianguo"),
        ),
        (
            "Wu Jianguo underscored the importance of food security.",
            ("necessity", "the importance of", "affirmative", None, "Wu Jianguo"),
        ),
        (
            "Wu Jianguo stressed the need for coordinated action.",
            ("necessity", "the need for", "affirmative", None, "Wu Jianguo"),
        ),
        (
            "Wu Jianguo demanded that provincial authorities close unsafe mines.",
            ("obligation", "demanded that", "affirmative", "provincial authorities", "Wu Jianguo"),
        ),
    ],
)
def test_a_reporting_verb_that_directs_is_a_provision_of_its_speaker(lexicon, text, expected):
    assert _last(lexicon, text) == [expected]


def test_the_speaker_is_never_the_addressee(lexicon):
    got = _last(lexicon, "Xi Jinping urged Xi Jinping's team to act.")
    assert all(a != s for *_x, a, s in got)


def test_urged_with_an_object_inside_a_phrase_names_no_addressee(lexicon):
    # the enterprises are inside "arrears owed to ...", not the ones asked
    got = _last(lexicon, "Wu Jianguo demanded that arrears owed to small businesses be cleared.")
    assert got == [("obligation", "demanded that", "affirmative", None, "Wu Jianguo")]


def test_the_importance_of_is_a_cue_only_after_a_reporting_verb():
    assert find_cues("They discussed the importance of trade.", "en") == []


# -- 3. the meeting, the report: what the text named before ---------------------------------------


@pytest.mark.parametrize(
    ("first", "then", "speaker"),
    [
        (
            "An executive meeting of the State Council was held on Friday.",
            "The meeting noted that local governments must issue bonds faster.",
            "State Council",
        ),
        (
            "A State Council executive meeting was held on Friday.",
            "The meeting stressed that local governments must issue bonds faster.",
            "State Council",
        ),
        (
            "A guideline was released by the Ministry of Finance on Monday.",
            "According to the guideline, local governments must issue bonds faster.",
            "Ministry of Finance",
        ),
        (
            "The Ministry of Finance issued rules on Monday.",
            "Local governments must issue bonds faster, the ministry said.",
            "Ministry of Finance",
        ),
    ],
)
def test_the_meeting_or_document_speaks_for_the_body_named_before(lexicon, first, then, speaker):
    assert _last(lexicon, f"{first} {then}")[0][4] == speaker


@pytest.mark.parametrize(
    "text",
    [
        "The meeting noted that local governments must issue bonds faster.",
        "According to the plan, local governments must issue bonds faster.",
        "Local governments must issue bonds faster, the report said.",
    ],
)
def test_nothing_is_invented_when_nothing_was_named(lexicon, text):
    assert _last(lexicon, text)[0][4] is None


# -- 4. passive directives ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Financial institutions are encouraged to expand green loans.",
            ("recommendation", "are encouraged to", "affirmative", "Financial institutions"),
        ),
        (
            "Each province is encouraged to pilot the scheme.",
            ("recommendation", "is encouraged to", "affirmative", "province"),
        ),
        (
            "Online platforms are required to verify sellers.",
            ("obligation", "are required to", "affirmative", "Online platforms"),
        ),
        (
            "Local authorities are urged to speed up approvals.",
            ("obligation", "are urged to", "affirmative", "Local authorities"),
        ),
        (
            "State-owned lenders are prohibited from charging hidden fees.",
            ("obligation", "are prohibited", "negative", "State-owned lenders"),
        ),
        (
            "Rural banks are not allowed to sell risky products.",
            ("obligation", "are not allowed", "negative", "Rural banks"),
        ),
        (
            "Foreign investors are permitted to hold majority stakes.",
            ("possibility", "are permitted to", "affirmative", "Foreign investors"),
        ),
    ],
)
def test_a_passive_directive_addresses_its_subject(lexicon, text, expected):
    assert _last(lexicon, text) == [(*expected, None)]


def test_a_bare_passive_prohibition_forbids_its_subject(lexicon):
    ann = annotate_text("Burning crop straw in the open is prohibited.", lexicon, lang="en")
    [p] = ann.provisions
    assert (p.modality, p.negative, p.addressees) == ("obligation", True, ())
    assert [r.label for r in p.action] == ["Burning crop straw in the open"]


def test_a_passive_after_a_modal_addresses_no_one(lexicon):
    # the reports are what is asked about, not who is asked
    got = _last(lexicon, "Annual reports of local governments shall be submitted to the bureau.")
    assert got == [("obligation", "shall", "affirmative", None, None)]


# -- 5. legal modality ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The operator shall keep the logs.", ("obligation", "shall", "affirmative", "operator")),
        (
            "The operator shall not sell the logs.",
            ("obligation", "shall not", "negative", "operator"),
        ),
        ("The licensee may renew the permit.", ("possibility", "may", "affirmative", "licensee")),
        (
            "The licensee may not lease the permit.",
            ("obligation", "may not", "negative", "licensee"),
        ),
        ("Any employer must not hire minors.", ("obligation", "must not", "negative", "employer")),
        ("No employer shall hire minors.", ("obligation", "shall", "negative", "employer")),
        ("No one may enter the site.", ("obligation", "may", "negative", None)),
        ("Drilling near the dam is forbidden.", ("obligation", "is forbidden", "negative", None)),
    ],
)
def test_legal_modality(lexicon, text, expected):
    assert _last(lexicon, text) == [(*expected, None)]


def test_may_the_month_and_no_in_a_phrase_are_not_prohibitions():
    assert find_cues("The law took effect in May.", "en") == []
    [cue] = find_cues("There is no doubt firms can adapt.", "en")
    assert (cue.modality, cue.negative) == ("possibility", False)


# -- the development set ---------------------------------------------------------------------


def dev_scores(lexicon, name: str = "en-wire-dev") -> dict[str, tuple[int, int]]:
    """A development set's scores: (right, out of) for each measure."""
    text = (FIX / f"{name}.txt").read_text(encoding="utf-8")
    expected = yaml.safe_load((FIX / f"{name}.yaml").read_text(encoding="utf-8"))
    got = _rows(annotate_text(text, lexicon, lang="en"))
    assert len(got) == len(expected)
    found = drafted = curated = 0
    same = {"modality": 0, "polarity": 0, "addressee": 0, "speaker": 0}
    for want, have in zip(expected, got, strict=True):
        want = [tuple(x) for x in want]
        drafted += len(have)
        curated += len(want)
        free = list(have)
        for w in want:  # one to one, the same cue words first
            pick = next((h for h in free if h[1] == w[1]), None)
            if pick is None:
                continue
            free.remove(pick)
            found += 1
            same["modality"] += pick[0] == w[0]
            same["polarity"] += pick[2] == w[2]
            same["addressee"] += pick[3] == w[3]
            same["speaker"] += pick[4] == w[4]
    out = {"found (recall)": (found, curated), "found (precision)": (found, drafted)}
    out.update({k: (v, found) for k, v in same.items()})
    return out


def test_the_development_set(lexicon):
    scores = dev_scores(lexicon)
    assert scores["found (recall)"] == (20, 20)
    assert scores["found (precision)"] == (20, 20)
    assert scores["modality"] == scores["polarity"] == scores["speaker"] == (20, 20)
    assert scores["addressee"][0] >= 19  # "local enterprises": the known "enterprises" is named


# -- more wire constructions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # an auxiliary between the subject and its verb
        ("Premier Wu Jianguo has called for faster approvals.", "Wu Jianguo"),
        # a title alone: the last person the text named with it
        (
            "Premier Wu Jianguo toured a port. The premier urged exporters to hire more.",
            "Wu Jianguo",
        ),
        # a spokesperson speaks for the body the words name
        (
            "A spokesperson for the Ministry of Finance said on Monday that lenders should wait.",
            "Ministry of Finance",
        ),
        # a long appositive; a jointly issued document speaks for the first body
        (
            "The notice, jointly issued by the General Office of the State Council and the "
            "Ministry of Finance, said counties must publish budgets.",
            "General Office of the State Council",
        ),
        # a known name inside a body's name is not the speaker ("China" in the bank's)
        (
            "According to a statement released by the People's Bank of China, lenders should "
            "cut fees.",
            "People's Bank of China",
        ),
        # a quotation, then its speaker
        ('"Counties must publish budgets," Wu Jianguo said.', "Wu Jianguo"),
        # an acronym is a body's name
        ("Counties must publish budgets, the NDRC said.", "NDRC"),
        # a known person named earlier without a title
        ("Xi Jinping toured Fujian. Xi noted that ports must modernize.", "Xi Jinping"),
    ],
)
def test_wire_speakers(lexicon, text, speaker):
    assert _last(lexicon, text)[0][4] == speaker


def test_a_body_referred_back_to_by_its_noun(lexicon):
    text = (
        "The Ministry of Finance held talks. A circular issued by the ministry said local "
        "bureaus must report weekly."
    )
    assert _last(lexicon, text) == [
        ("obligation", "must", "affirmative", "local bureaus", "Ministry of Finance")
    ]


def test_coordinated_collective_actors_are_addressed_together(lexicon):
    got = _last(lexicon, "All localities and departments must implement the plan.")
    assert got == [("obligation", "must", "affirmative", "localities and departments", None)]


def test_a_legal_where_clause_is_a_condition(lexicon):
    text = "Where a lender breaks the rules, the banking regulator shall suspend its license."
    ann = annotate_text(text, lexicon, lang="en")
    [p] = ann.provisions
    assert (p.modality, p.cue.words, [r.label for r in p.addressees]) == (
        "obligation",
        "shall",
        ["banking regulator"],
    )
    assert [r.label for r in p.condition] == ["a lender breaks the rules"]
    assert find_cues("Ports where ships dock must be safe.", "en")[0].words == "must"


def test_said_that_is_not_a_reporting_subject():
    text = "The said regulations take effect, as noted above."
    assert wire_speakers(text, 0, len(text)) == []


def test_a_plural_noun_coordinated_with_an_actor_before_the_verb_is_one_subject(lexicon):
    got = _last(lexicon, "Coastal provinces and sectors should share their experience.")
    assert got == [
        ("recommendation", "should", "affirmative", "Coastal provinces and sectors", None)
    ]


def test_the_second_development_set(lexicon):
    # written after the rules above and scored once before any change (fresh, but our own):
    # found 19/19, modality and polarity 19/19, addressee 15/19 (job centers, seller, buyer,
    # minors), speaker 18/19 ("It urged": the meeting); the fixes since make it in-sample
    scores = dev_scores(lexicon, "en-wire-fresh")
    assert scores["found (recall)"] == scores["found (precision)"] == (19, 19)
    for measure in ("modality", "polarity", "addressee", "speaker"):
        assert scores[measure] == (19, 19), measure


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        ("The tenant shall pay the rent monthly.", "tenant"),
        ("A minor may not buy alcohol.", "minor"),
        ("Consumers may return goods within seven days.", "Consumers"),
        ("Local job centres must publish vacancies.", "Local job centres"),
    ],
)
def test_the_parties_of_legal_text_are_addressed(lexicon, text, addressee):
    assert _last(lexicon, text)[0][3] == addressee


def test_it_is_the_body_that_spoke_last(lexicon):
    text = (
        "An executive meeting of the State Council was held. The meeting stressed that "
        "firms must invest. It urged provincial governments to act."
    )
    assert _last(lexicon, text)[0][3:] == ("provincial governments", "State Council")
    # "it" that no body said before is no one
    assert _last(lexicon, "It urged provincial governments to act.")[0][4] is None


# -- official translations: negative undertakings and inverted prohibitions -------------------


@pytest.mark.parametrize(
    ("text", "expected", "action"),
    [
        (
            "We will not tolerate fraud in the use of subsidies.",
            ("commitment", "We will not", "negative", None, None),
            "tolerate fraud in the use of subsidies",
        ),
        (
            "We will no longer approve new coal plants in the region.",
            ("commitment", "We will no longer", "negative", None, None),
            "approve new coal plants in the region",
        ),
        (
            "Under no circumstances should banks hide bad loans.",
            ("recommendation", "should", "negative", "banks", None),
            "hide bad loans",
        ),
        (
            "In no case shall operators resell customer records.",
            ("obligation", "shall", "negative", "operators", None),
            "resell customer records",
        ),
        (
            "There must be no fraud in grain purchases.",
            ("obligation", "must", "negative", None, None),
            "fraud in grain purchases",
        ),
    ],
)
def test_negative_undertakings_and_inverted_prohibitions(lexicon, text, expected, action):
    ann = annotate_text(text, lexicon, lang="en")
    assert _rows(ann)[-1] == [expected]
    assert [r.label for r in ann.provisions[0].action] == [action]


def test_be_no_longer_is_no_prohibition():
    [cue] = find_cues("Coal must be no longer the main fuel.", "en")
    assert (cue.words, cue.negative) == ("must", False)


def test_the_whole_graph_knows_the_premier():
    # with the graph's lexicon, the surname resolves to the known person the text named
    import policykg
    from policykg.authoring.lexicon import Lexicon

    lex = Lexicon.from_kg(policykg.load(), source="graph")
    text = (
        "Premier Li Qiang spoke in Tianjin. Cities must not delay refunds to exporters, Li "
        "said, adding that ports should cut fees."
    )
    ann = annotate_text(text, lex, lang="en")
    assert [(p.stated_by.id if p.stated_by else None) for p in ann.provisions] == [
        "li-qiang",
        "li-qiang",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Reforms urged by experts must start soon.",  # a participle, "by" after it
        "The reforms, as called for in the plan, must start soon.",
        "The urge to spend must be resisted.",  # a noun
    ],
)
def test_directing_verbs_as_participles_or_nouns_are_no_cues(text):
    assert [c.words for c in find_cues(text, "en")] == ["must"]


def test_a_known_place_is_no_person(lexicon):
    # "Anhui Province" is a known place (no actor): no person is made of it, and no speaker
    got = _last(lexicon, "Firms should hire more graduates, Anhui Province said.")
    assert [s for *_x, s in got] == [None]
    # a known body is the speaker
    got = _last(lexicon, "Firms should hire more graduates, Xinhua said.")
    assert [s for *_x, s in got] == ["Xinhua"]


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Greater efforts will be made to cut red tape.", "commitment"),
        ("More steps will be taken to open the services sector.", "commitment"),
        ("Further measures will be adopted to help exporters.", "commitment"),
        # not an undertaking: a forecast, or measures that are not taken "to" do something
        ("The measures will be effective next year.", "expectation"),
        ("Exports will be made easier.", "expectation"),
    ],
)
def test_efforts_will_be_made_to_is_an_undertaking(text, modality):
    [cue] = find_cues(text, "en")
    assert (cue.words, cue.modality) == ("will", modality)


def test_a_reporting_clause_between_subject_and_verb(lexicon):
    text = (
        "A circular was issued by the Ministry of Finance. Local governments, the circular "
        "said, must not charge fees."
    )
    assert _last(lexicon, text) == [
        ("obligation", "must not", "negative", "Local governments", "Ministry of Finance")
    ]
