"""Evidence beyond the words: near (fuzzy) mentions, captions, pronouns, the author, speakers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import URIRef

from policykg.authoring.annotate import annotate_text, draft_mapping, draft_yaml
from policykg.authoring.lexicon import Lexicon
from policykg.authoring.stems import stem as _stem
from policykg.authoring.stems import strict_stem as _strict
from policykg.outputs.review import review_page

FIX = Path(__file__).parent / "fixtures" / "annotate"
KG = "https://w3id.org/policykg/id/"


@pytest.fixture(scope="module")
def lexicon(kg) -> Lexicon:
    return Lexicon.from_kg(kg, source="graph")


@pytest.fixture(scope="module")
def ev(lexicon):
    text = (FIX / "en-evidence.txt").read_text(encoding="utf-8")
    return annotate_text(text, lexicon, lang="en")


def _near(ann, sid):
    sent = next(s for s in ann.sentences if s.id == sid)
    return {(m.term.iri.removeprefix(KG), m.match) for m in ann.in_sentence(ann.near, sent)}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("moving", "move"),
        ("integrated", "integration"),
        ("deeply", "deep"),
        ("industries", "industrialization"),
        ("complementing", "complement"),
    ],
)
def test_the_stem_ignores_inflection_and_derivation(a, b):
    assert _stem(a) == _stem(b)


def test_short_labels_take_inflection_only():
    assert _strict("industries") == _strict("industry")
    assert _strict("emergence") != _strict("emerging")


def test_fuzzy_mention_tolerates_inflection_and_stopwords(lexicon):
    text = "This helps to move China's industrial system up the global industrial and value chains."
    ann = annotate_text(text, lexicon, lang="en")
    got = {(m.term.iri.removeprefix(KG), m.match) for m in ann.near}
    assert ("moving-up-global-value-chains", "fuzzy") in got


def test_a_short_label_is_not_near_mentioned_by_a_derived_word(lexicon):
    # "emergence of new industries" is not "emerging industries"; nor is "economic and social
    # development" the "developed economies" (word order)
    text = "We saw the emergence of new industries and economic and social development."
    ann = annotate_text(text, lexicon, lang="en")
    got = {m.term.iri.removeprefix(KG) for m in ann.near}
    assert "emerging-industries" not in got and "developed-economies" not in got


def test_words_inside_an_exact_mention_are_no_near_mention(lexicon):
    # "quality productive forces" lies inside the exact "new quality productive forces"
    ann = annotate_text("New quality productive forces grow.", lexicon, lang="en")
    assert {m.term.iri.removeprefix(KG) for m in ann.near} == set()


def test_coordination_with_a_shared_head(ev):
    # "The new energy vehicle, lithium battery and solar industries"
    got = _near(ev, "s007")
    assert ("lithium-battery-industry", "coordination") in got
    assert ("new-energy-vehicle-industry", "coordination") in got
    spans = {m.surface for m in ev.near if m.match == "coordination"}
    assert spans == {"new energy vehicle", "lithium battery"}


def test_coordination_finds_only_labels(lexicon):
    ann = annotate_text("Cats, dogs and birds sing. Big and old houses stand.", lexicon)
    assert [m for m in ann.near if m.match == "coordination"] == []


def test_a_caption_keeps_its_credit_and_suggests_its_photograph(ev):
    first = ev.sentences[0]
    assert first.quote.endswith("/Xinhua")  # the credit is no sentence of its own
    (at, ref, how) = ev.extra[0]
    assert (ref.id, ref.label, ref.types, how) == (
        "photo-a-wind-turbine-assembly-line",
        "photo: a wind turbine assembly line in Baotou",
        ("Photograph",),
        "caption",
    )
    assert ev.text[at : ref.end] == "A wind turbine assembly line in Baotou"


def test_a_known_photograph_is_found_from_its_caption(lexicon, kg):
    text = (
        "Robotic arms operate at a workshop of an auto parts manufacturing company in Feixi "
        "County, March 31, 2025. /Xinhua"
    )
    ann = annotate_text(text, lexicon, lang="en")
    assert ("photo-feixi-robotic-arms", "caption") in {
        (m.term.iri.removeprefix(KG), m.match) for m in ann.near
    }
    # the same words outside a caption are no photograph's evidence
    ann = annotate_text(text.replace(" /Xinhua", ""), lexicon, lang="en")
    assert "photo-feixi-robotic-arms" not in {m.term.iri.removeprefix(KG) for m in ann.near}


def test_a_pronoun_is_evidence_for_the_subject_before_but_never_an_addressee(ev):
    assert ("state-owned-enterprises", "anaphora") in _near(ev, "s005")
    (prov,) = [p for p in ev.provisions if p.passage == "s005"]
    assert prov.modality == "recommendation" and prov.addressees == ()


def test_expletive_it_stands_for_nothing(ev):
    assert not [kind for _e, kind in _near(ev, "s006") if kind == "anaphora"]


def test_they_stands_for_every_coordinated_actor(lexicon):
    text = (
        "National-level research institutes, top research universities, and leading tech "
        "companies must lead. They must strive to secure the initiative."
    )
    ann = annotate_text(text, lexicon, lang="en")
    got = {m.term.iri.removeprefix(KG) for m in ann.near if m.match == "anaphora"}
    assert got == {
        "national-level-research-institutes",
        "top-research-universities",
        "leading-tech-companies",
    }
    assert all(p.addressees == () for p in ann.provisions if p.passage == "s002")


def test_these_noun_names_a_recent_term_with_that_head(lexicon):
    text = "China has advanced new quality productive forces. In recent years, these forces grew."
    ann = annotate_text(text, lexicon, lang="en")
    ((iri, surface),) = [(m.term.iri, m.surface) for m in ann.near if m.match == "anaphora"]
    assert (iri.removeprefix(KG), surface) == ("new-quality-productive-forces", "these forces")


def test_the_author_from_an_authors_note(ev):
    assert ev.author is not None and (ev.author.id, ev.author.label) == ("li-wen", "Li Wen")


def test_the_author_from_a_byline(lexicon):
    ann = annotate_text("By Li Ming\nPrivate enterprises should invest more.\n", lexicon)
    assert ann.author is not None and ann.author.id == "li-ming"


def test_no_author_without_a_byline_or_note(lexicon):
    ann = annotate_text("Li Ming, a researcher, spoke. Private enterprises should invest.", lexicon)
    assert ann.author is None


def test_a_reported_speaker_states_the_provision_and_is_not_addressed(ev):
    (prov,) = [p for p in ev.provisions if p.passage == "s008"]
    assert prov.stated_by is not None and prov.stated_by.id == "xi-jinping"
    assert prov.addressees == ()


def test_the_draft_marks_how_each_mention_was_found(ev):
    data = yaml.safe_load(draft_yaml(ev, doc_id="en-evidence", text_name="en-evidence.txt"))
    ents = data["entities"]
    # the passage that names the author states it
    assert {"subject": "en-evidence", "author": "li-wen", "status": "proposed"} in data["passages"][
        "s002"
    ]["facts"]
    assert ents["li-wen"]["match"] == {"s002": "author"}
    assert ents["li-wen"]["type"] == "Person" and ents["li-wen"]["status"] == "proposed"
    assert ents["state-owned-enterprises"]["match"] == {"s005": "anaphora"}
    assert ents["photo-a-wind-turbine-assembly-line"]["match"] == {"s001": "caption"}
    assert "match" not in ents["private-enterprises"]  # word for word
    (prov,) = data["passages"]["s008"]["provisions"]
    assert prov["stated_by"] == "xi-jinping" and "addressee" not in prov


def test_the_review_page_shows_the_matches_escaped(ev):
    data = draft_mapping(ev, doc_id="en-evidence", text_name="en-evidence.txt")
    data["entities"]["state-owned-enterprises"]["label"] = "<b>SOEs</b>"
    page = review_page(ev, data, title="en-evidence")
    assert "&lt;b&gt;SOEs&lt;/b&gt; [state-owned-enterprises]: anaphora" in page
    assert "<b>SOEs</b>" not in page
    assert 'class="mention near anaphora"' in page
    assert "Author suggested: Li Wen [li-wen]" in page


def test_an_accepted_evidence_draft_compiles(ev, tmp_path):
    from policykg.authoring.compiler import compile_source
    from policykg.core.namespaces import PKG

    (tmp_path / "en-evidence.txt").write_text(ev.text, encoding="utf-8")
    data = draft_mapping(ev, doc_id="en-evidence", text_name="en-evidence.txt")
    # the curator keeps the passages with provisions and accepts everything in them
    keep = {"s002", "s004", "s005", "s008"}
    data["passages"] = {k: v for k, v in data["passages"].items() if k in keep}
    for body in data["passages"].values():
        body["status"] = "accepted"
        for item in body.get("facts", []) + body.get("provisions", []):
            item["status"] = "accepted"
    # and the entities those passages give evidence for, with the author
    data["entities"] = {
        k: {**v, "status": "accepted"}
        for k, v in data["entities"].items()
        if keep & set(v.get("mentioned_in", []))
    }
    assert any("match" in d for d in data["entities"].values())
    path = tmp_path / "en-evidence.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    compiled = compile_source(path)
    quads = list(compiled.triples())
    doc = URIRef(KG + "en-evidence")
    assert (doc, PKG.author, URIRef(KG + "li-wen")) in {(s, p, o) for s, p, o, _g in quads}
    speakers = {o for _s, p, o, _g in quads if p == PKG.statedBy}
    assert speakers == {URIRef(KG + "li-wen"), URIRef(KG + "xi-jinping")}
    # the pronoun's passage is evidence for the entity it stands for
    mentioned = {(s, o) for s, p, o, _g in quads if p == PKG.mentionedIn}
    assert (URIRef(KG + "state-owned-enterprises"), URIRef(KG + "en-evidence-s005")) in mentioned


# -- term candidates: generic phrases are no terms ------------------------------------------------


def test_generic_english_phrases_are_no_term_candidates(kg):
    lex = Lexicon.from_kg(kg, source="ontology")
    text = (
        "In recent years, grid batteries grew with strong momentum; economic and social "
        "progress toward grid batteries went on. In recent years, the strong momentum of "
        "economic and social progress toward grid batteries held."
    )
    cands = {c.lower() for c, _n, _s in annotate_text(text, lex, lang="en").candidates}
    assert "grid batteries" in cands
    for generic in ("recent years", "strong momentum", "economic and social", "progress toward"):
        assert generic not in cands


def test_generic_chinese_words_and_numbers_are_no_term_candidates(kg):
    lex = Lexicon.from_kg(kg, source="ontology")
    text = "城市更新行动方案增长百分之十二点五，数据可以增长。" * 3
    cands = {c for c, _n, _s in annotate_text(text, lex, lang="zh").candidates}
    assert "行动方案" in cands
    for generic in ("增长", "数据", "百分之十二点五", "可以增长"):
        assert generic not in cands
    assert not [c for c in cands if "百分之" in c or "可以" in c]


def test_update_keeps_match_only_for_passages_still_there(lexicon, tmp_path):
    from policykg.authoring.annotate import update_draft

    text = (FIX / "en-evidence.txt").read_text(encoding="utf-8")
    ann = annotate_text(text, lexicon, lang="en")
    data = draft_mapping(ann, doc_id="en-evidence", text_name="en-evidence.txt")
    assert data["entities"]["state-owned-enterprises"]["match"] == {"s005": "anaphora"}
    data["entities"]["state-owned-enterprises"]["status"] = "accepted"
    revised = text.replace(
        "They should also open their laboratories to private enterprises.",
        "Universities should open labs.",
    )
    new_ann = annotate_text(revised, lexicon, lang="en")
    raw = yaml.safe_dump(data, allow_unicode=True)
    out, report = update_draft(
        data, raw, tmp_path / "d.yaml", new_ann, doc_id="en-evidence", text_name="x.txt"
    )
    assert "s005" in report.dropped
    soe = out["entities"]["state-owned-enterprises"]
    assert soe["mentioned_in"] == ["s004"] and "match" not in soe


def test_zh_reported_speaker_and_byline(lexicon):
    ann = annotate_text(
        "习近平强调，国有企业必须加大科技创新投入。\n作者：李明\n", lexicon, lang="zh"
    )
    (prov,) = ann.provisions
    assert prov.stated_by is not None and prov.stated_by.id == "xi-jinping"
    assert [r.id for r in prov.addressees] == ["state-owned-enterprises"]
    assert ann.author is not None and ann.author.label == "李明"
    assert ann.author.id.startswith("person-") and ann.author.types == ("Person",)


def test_the_garbage_collector_is_paused_only_while_annotating(lexicon):
    import gc

    from policykg.authoring.annotate import _gc_paused

    assert gc.isenabled()
    with _gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    annotate_text("Private enterprises should invest.", lexicon)
    assert gc.isenabled()
    gc.disable()
    try:
        annotate_text("Private enterprises should invest.", lexicon)
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def test_an_acronym_the_text_defines_is_a_mention_of_its_term(lexicon):
    text = (
        "The index is released by the World Intellectual Property Organization (WIPO). "
        "WIPO said so. The WIPOX rules and the (WIPO) mark are not uses."
    )
    ann = annotate_text(text, lexicon, lang="en")
    got = [(m.surface, m.match, m.start) for m in ann.near if m.match == "acronym"]
    assert got == [("WIPO", "acronym", text.index("WIPO said"))]
    assert ann.near[0].term.iri == KG + "wipo"


def test_an_acronym_needs_matching_initials(lexicon):
    text = "The World Intellectual Property Organization (ABC) met. ABC said so."
    assert [m for m in annotate_text(text, lexicon, lang="en").near if m.match == "acronym"] == []


def test_zh_pronouns_are_evidence_never_addressees(lexicon):
    text = (
        "国有企业和民营企业必须加大科技创新投入。它们要带头突破关键核心技术。"
        "民营企业要积极参与数字经济建设。该企业应当提高生产率。"
    )
    ann = annotate_text(text, lexicon, lang="zh")
    got = {(m.surface, m.term.iri.removeprefix(KG)) for m in ann.near if m.match == "anaphora"}
    assert got == {
        ("它们", "state-owned-enterprises"),
        ("它们", "private-enterprises"),
        ("该企业", "private-enterprises"),
    }
    by_passage = {p.passage: [r.id for r in p.addressees] for p in ann.provisions}
    # "A和B必须": both addressed (a regression: B after 和 was left out); "它们要" names no one
    assert by_passage["s001"] == ["state-owned-enterprises", "private-enterprises"]
    assert by_passage.get("s002", []) == []
    assert "private-enterprises" not in by_passage["s004"]  # 该企业 is not resolved as addressee


def test_zh_words_are_jiebas_words_of_the_text_outside_its_mentions(lexicon):
    import jieba

    from policykg.authoring.annotate import _Annotator

    text = (FIX / "zh-brief.txt").read_text(encoding="utf-8")
    text = (text + "\n今年5G网络覆盖率达到百分之八十，新能源汽车、锂电池和光伏产业快速增长。\n") * 3
    ann = _Annotator(text, "zh", None, lexicon)
    mentions = lexicon.match(text)
    masked = ann.masked(mentions)
    expected = [
        (a, b) for w, a, b in jieba.tokenize(masked, HMM=False) if "\u4e00" <= w[0] <= "\u9fff"
    ]
    assert list(ann._zh_tokens(mentions)) == expected
    assert all(text[a:b] == masked[a:b] for a, b in expected)  # offsets in the text


@pytest.mark.parametrize(
    "text",
    [
        "上半年，新能源汽车、锂电池和光伏产业增长较快。",  # the head inside the last conjunct
        "要加快发展新能源汽车、锂电池、光伏等产业。",  # 等 closes the list; a verb before
    ],
)
def test_zh_coordination_with_a_shared_head(lexicon, text):
    ann = annotate_text(text, lexicon, lang="zh")
    found = {(text[m.start : m.end], m.term.iri.removeprefix(KG), m.match) for m in ann.near}
    assert found == {
        ("新能源汽车", "new-energy-vehicle-industry", "coordination"),
        ("锂电池", "lithium-battery-industry", "coordination"),
    }
    # never an addressee, never a provision's subject: these are mentions only
    assert all(p.addressee is None for p in ann.provisions)


def test_zh_coordination_finds_only_labels_of_the_lexicon(lexicon):
    """和 inside words (和平) and conjuncts that make no label give nothing."""
    for text in ["各地要及时和平稳推进。", "钢铁、煤炭和纺织产业加快转型。"]:
        assert annotate_text(text, lexicon, lang="zh").near == []
