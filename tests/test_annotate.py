"""``policykg annotate``: sentences, mentions, figures, enumerations, provisions, the curation loop."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from rdflib import URIRef

from policykg.authoring.annotate import (
    annotate_text,
    draft_mapping,
    draft_yaml,
    load_draft,
    split_sentences,
    update_draft,
)
from policykg.authoring.figures import find_figures, zh_number
from policykg.authoring.lexicon import Lexicon, Normalised
from policykg.authoring.periods import find_periods
from policykg.authoring.status import accepted_mapping
from policykg.core.errors import AuthoringError
from policykg.core.namespaces import KG, SKOS

FIX = Path(__file__).parent / "fixtures" / "annotate"
DATE = dt.date(2025, 7, 30)


@pytest.fixture(scope="module")
def lexicon(kg) -> Lexicon:
    return Lexicon.from_kg(kg, source="graph")


@pytest.fixture(scope="module")
def zh(lexicon):
    text = (FIX / "zh-brief.txt").read_text(encoding="utf-8")
    return annotate_text(text, lexicon, lang="auto", date=DATE)


@pytest.fixture(scope="module")
def en(lexicon):
    text = (FIX / "en-brief.txt").read_text(encoding="utf-8")
    return annotate_text(text, lexicon, lang="auto", date=DATE)


def _provision(ann, cue):
    return next(p for p in ann.provisions if p.cue.words == cue)


# -- Chinese -------------------------------------------------------------------------------------


def test_zh_sentences_are_exact_spans(zh):
    assert zh.lang == "zh"
    assert [s.quote for s in zh.sentences] == [
        "关于加快发展新质生产力的简报",
        "国有企业必须加大科技创新投入，带头突破关键核心技术。",
        "民营企业要积极参与数字经济建设。",
        "上半年，新能源汽车产业产值同比增长百分之十二点五，锂电池产量增长8.6%。",
        "各地应当因地制宜发展新质生产力，培育战略性新兴产业，包括人工智能、大数据和量子信息。",
        "如果数据资源得到充分利用，经营主体可以大幅提高生产率。",
    ]
    for s in zh.sentences:
        assert zh.text[s.start : s.end] == s.quote


def test_zh_mentions_longest_first_at_exact_offsets(zh):
    found = {(m.surface, m.term.iri.rsplit("/", 1)[-1]) for m in zh.mentions}
    assert ("国有企业", "state-owned-enterprises") in found
    assert ("民营企业", "private-enterprises") in found
    assert ("数字经济", "digital-economy") in found
    assert ("战略性新兴产业", "strategic-emerging-industries") in found
    # 因地制宜发展新质生产力 is one longer term: 新质生产力 inside it is not a mention of its own
    assert ("因地制宜发展新质生产力", "nqpf-tailored-to-local-conditions") in found
    spans = [(m.start, m.end) for m in zh.mentions]
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans))
    for m in zh.mentions:
        assert zh.text[m.start : m.end] == m.surface


def test_zh_figures_with_period_and_measure(zh):
    figs = [
        (
            f.figure.value,
            f.figure.unit,
            f.figure.words,
            f.period and f.period.iso,
            f.period and f.period.label,
            f.measure,
        )
        for f in zh.figures
    ]
    assert figs == [
        (Decimal("12.5"), "percent", "百分之十二点五", "2025-01/2025-06", "上半年", "同比增长"),
        (Decimal("8.6"), "percent", "8.6%", "2025-01/2025-06", "上半年", "增长"),
    ]
    for f in zh.figures:
        assert zh.text[f.figure.start : f.figure.end] == f.figure.words


def test_zh_provisions_modality_addressee_action(zh):
    must = _provision(zh, "必须")
    assert (must.modality, must.addressee.id) == ("obligation", "state-owned-enterprises")
    assert zh.text[must.cue.start : must.cue.end] == "必须"
    yao = _provision(zh, "要")
    assert (yao.modality, yao.addressee.id) == (
        "obligation",
        "private-enterprises",
    )  # 要: a directive
    assert [a.label for a in yao.action] == ["积极参与数字经济建设"]  # the verb phrase after 要
    should = _provision(zh, "应当")
    # 应当: "shall" (obligation); 各地 ("localities") is no known actor: proposed as a new one
    assert should.modality == "obligation"
    assert (should.addressee.label, should.addressee.types) == ("各地", ("CollectiveActor",))
    can = _provision(zh, "可以")
    assert (can.modality, can.addressee.id) == ("possibility", "market-entities")
    assert [c.id for c in can.condition] == ["data-resources"]
    # 要 inside 重要/主要 is not a cue; the segmenter decides
    assert all(p.cue.words != "要" or p.passage == "s003" for p in zh.provisions)


def test_zh_enumeration(zh):
    (enum,) = zh.enumerations
    assert enum.cue == "包括" and enum.head.id == "strategic-emerging-industries"
    assert [i.id for i in enum.items] == [
        "artificial-intelligence",
        "big-data",
        "quantum-information",
    ]


# -- English -------------------------------------------------------------------------------------


def test_en_sentences_skip_markdown_markers(en):
    first = en.sentences[0]
    assert first.quote == "Brief on new quality productive forces"
    assert en.text[first.start - 2 : first.start] == "# "


def test_en_figure_provisions_enumeration(en):
    (fig,) = en.figures
    assert (fig.figure.value, fig.figure.unit, fig.figure.qualifier) == (
        Decimal("12.5"),
        "percent",
        "nearly",
    )
    assert (fig.period.label, fig.period.iso) == ("first half of the year", "2025-01/2025-06")
    assert fig.observation_of.id == "new-energy-vehicle-industry"
    must = _provision(en, "must")
    assert (must.modality, must.addressee.id) == ("obligation", "state-owned-enterprises")
    assert [a.label for a in must.action] == ["strengthen basic research in high-end chips"]
    should = _provision(en, "should")
    assert should.addressee.id == "private-enterprises"
    essential = _provision(en, "It is essential")
    assert essential.modality == "necessity" and essential.addressee is None  # never guessed
    can = _provision(en, "can")
    assert can.addressee.id == "market-entities" and [c.id for c in can.condition] == [
        "data-resources"
    ]
    assert _provision(en, "will").modality == "expectation"
    (enum,) = en.enumerations
    assert enum.head.id == "key-technologies"
    assert [i.id for i in enum.items] == [
        "artificial-intelligence",
        "big-data",
        "quantum-information",
    ]


def test_en_term_candidates_are_recurring_and_unknown(en):
    cands = {c[0].lower(): c[1] for c in en.candidates}
    assert cands.get("green hydrogen valleys") == 2
    assert "digital economy" not in cands  # a known term


def test_ontology_lexicon_proposes_new_entities_typed_by_class(kg):
    lex = Lexicon.from_kg(kg, source="ontology")
    ann = annotate_text("State-owned enterprises must lead.", lex, lang="en")
    (p,) = ann.provisions
    assert p.addressee.id == "state-owned-enterprises" and not p.addressee.known
    assert p.addressee.types == ("StateOwnedEnterprise",)


# -- normalisation, figures, periods --------------------------------------------------------------


def test_full_width_and_case_are_normalised_and_offsets_map_back(lexicon):
    text = "ﬁne: ＡＩ＋ and BIG DATA and Ｄｉｇｉｔａｌ ｅｃｏｎｏｍｙ."
    norm = Normalised.of(text)
    assert norm.origin is not None  # ﬁ -> fi changes the length
    got = {(m.surface, m.term.iri.rsplit("/", 1)[-1]) for m in lexicon.match(text)}
    assert ("BIG DATA", "big-data") in got
    assert ("Ｄｉｇｉｔａｌ ｅｃｏｎｏｍｙ", "digital-economy") in got


def test_figures_never_guess_a_period():
    text = "In the first five months of this year, output rose 9.5 percent."
    assert [(p.label, p.iso) for p in find_periods(text, "en", None)] == [
        ("first five months of this year", None)
    ]
    assert [(p.label, p.iso) for p in find_periods(text, "en", DATE)] == [
        ("first five months of this year", "2025-01/2025-05")
    ]
    assert [p.iso for p in find_periods("在2024年，全国同比增长", "zh", None)] == ["2024", None]


def test_dates_ordinals_and_counts_are_not_figures():
    text = "On July 30, 2025, the 20th session met; the top 30 economies ranked 11th and 3.2 trillion yuan."
    figs = [(f.value, f.unit) for f in find_figures(text, "en")]
    assert figs == [(Decimal(11), "rank"), (Decimal("3200000000000.0"), "yuan")]


def test_chinese_numerals():
    assert zh_number("五点三") == Decimal("5.3")
    assert zh_number("三十") == 30 and zh_number("十二") == 12 and zh_number("一百零五") == 105


def test_pysbd_decides_abbreviations():
    text = "Mr. Li met Dr. Wang in the U.S. today. They agreed."
    assert [s.quote for s in split_sentences(text, "en")] == [
        "Mr. Li met Dr. Wang in the U.S. today.",
        "They agreed.",
    ]


# -- the draft and the curation loop --------------------------------------------------------------


def test_draft_is_deterministic_and_every_item_proposed(en):
    one = draft_yaml(en, doc_id="en-brief", text_name="en-brief.txt")
    assert one == draft_yaml(en, doc_id="en-brief", text_name="en-brief.txt")
    data = yaml.safe_load(one)
    assert all(e["status"] == "proposed" for e in data["entities"].values())
    assert all(p["status"] == "proposed" for p in data["passages"].values())
    for body in data["passages"].values():
        for item in body.get("facts", []) + body.get("provisions", []):
            assert item["status"] == "proposed"
    s002 = data["passages"]["s002"]["provisions"][0]
    assert s002["addressee"] == "state-owned-enterprises" and s002["cue"] == "must"


def test_status_proposed_is_refused_with_file_and_line(en, tmp_path):
    text = draft_yaml(en, doc_id="en-brief", text_name="en-brief.txt")
    path = tmp_path / "d.yaml"
    with pytest.raises(
        AuthoringError, match=r"d\.yaml:16: entity artificial-intelligence is still proposed"
    ):
        accepted_mapping(yaml.safe_load(text), path, text)
    lines = text.splitlines()
    assert lines[15].strip() == "status: proposed"


def test_status_accepted_is_dropped_and_bad_status_refused(tmp_path):
    src = "passages:\n  p1:\n    status: accepted\n    quote: x\n    facts:\n      - {subject: a, status: acepted}\n"
    data = yaml.safe_load(src)
    with pytest.raises(AuthoringError, match=r"x\.yaml:6: passage p1 fact 1: status must be"):
        accepted_mapping(data, "x.yaml", src)
    ok = accepted_mapping(yaml.safe_load(src.replace("acepted", "accepted")), "x.yaml", src)
    assert ok == {"passages": {"p1": {"quote": "x", "facts": [{"subject": "a"}]}}}


def test_accepted_draft_compiles(en, tmp_path):
    from policykg.authoring.compiler import compile_source

    (tmp_path / "en-brief.txt").write_text(en.text, encoding="utf-8")
    data = draft_mapping(en, doc_id="en-brief", text_name="en-brief.txt")
    # the curator keeps the passage with the enumeration and its entities, accepts them
    keep = "s003"
    data["passages"] = {keep: data["passages"][keep]}
    data["passages"][keep]["status"] = "accepted"
    for item in data["passages"][keep]["facts"] + data["passages"][keep]["provisions"]:
        item["status"] = "accepted"
    ids = {
        "artificial-intelligence",
        "big-data",
        "quantum-information",
        "key-technologies",
        "private-enterprises",
    }
    data["entities"] = {
        k: {**v, "status": "accepted"} for k, v in data["entities"].items() if k in ids
    }
    path = tmp_path / "en-brief.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    compiled = compile_source(path)
    assert compiled.doc_id == "en-brief" and len(compiled.graphs) == 2
    from policykg.core.namespaces import PKG, RDF

    quads = list(compiled.triples())
    (prov,) = [s for s, p, o, _g in quads if p == RDF.type and o == PKG.Provision]
    got = {(p, o) for s, p, o, _g in quads if s == prov}
    assert (PKG.modality, PKG.recommendation) in got
    assert (PKG.addressee, URIRef("https://w3id.org/policykg/id/private-enterprises")) in got


def test_update_keeps_decisions_whose_quote_is_still_in_the_text(lexicon, tmp_path):
    text = (FIX / "en-brief.txt").read_text(encoding="utf-8")
    ann = annotate_text(text, lexicon, lang="en", date=DATE)
    data = draft_mapping(ann, doc_id="en-brief", text_name="en-brief.txt")
    data["passages"]["s002"]["status"] = "accepted"  # a decision
    del data["passages"]["s005"]  # a deletion
    data["passages"]["s003"]["status"] = "accepted"  # its sentence will be revised
    draft = tmp_path / "d.yaml"
    draft.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    revised = text.replace(
        "Private enterprises should invest", "Private enterprises should keep investing"
    )
    revised += "Universities must train engineers.\n"
    old, raw = load_draft(draft)
    new_ann = annotate_text(revised, lexicon, lang="en", date=DATE)
    merged, report = update_draft(
        old, raw, draft, new_ann, doc_id="en-brief", text_name="en-brief.txt"
    )
    assert merged["passages"]["s002"]["status"] == "accepted"
    quotes = {p["quote"] for p in merged["passages"].values()}
    assert not any(q.startswith("It is essential") for q in quotes)  # stays deleted
    assert report.dropped == ["s003"]  # quote no longer in text
    assert any(q.startswith("Private enterprises should keep") for q in quotes)  # proposed anew
    assert "Universities must train engineers." in quotes
    assert all(
        p["status"] == "proposed" for pid, p in merged["passages"].items() if pid in report.new
    )


def test_update_does_not_bring_back_a_deleted_entity(lexicon, tmp_path):
    text = (FIX / "en-brief.txt").read_text(encoding="utf-8")
    data = draft_mapping(annotate_text(text, lexicon, lang="en"), doc_id="b", text_name="b.txt")
    del data["entities"]["productivity"]
    draft = tmp_path / "d.yaml"
    draft.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    revised = text + "Universities must raise productivity with big data.\n"
    old, raw = load_draft(draft)
    new_ann = annotate_text(revised, lexicon, lang="en")
    merged, report = update_draft(old, raw, draft, new_ann, doc_id="b", text_name="b.txt")
    (new,) = report.new
    assert "productivity" not in merged["entities"]
    assert merged["passages"][new]["provisions"][0]["action"] == "big-data"


def test_update_refuses_a_hand_edited_quote_not_in_the_text(lexicon, tmp_path):
    text = (FIX / "en-brief.txt").read_text(encoding="utf-8")
    ann = annotate_text(text, lexicon, lang="en")
    data = draft_mapping(ann, doc_id="en-brief", text_name="en-brief.txt")
    data["passages"]["s004"]["quote"] = "In the first half of the year, output soared."
    draft = tmp_path / "d.yaml"
    draft.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    old, raw = load_draft(draft)
    with pytest.raises(
        AuthoringError, match=r"d\.yaml:\d+: passage s004: the quote no longer matches"
    ):
        update_draft(old, raw, draft, ann, doc_id="en-brief", text_name="en-brief.txt")


def test_review_page_is_offline_and_escaped(lexicon):
    from policykg.outputs.review import review_page

    text = 'State-owned enterprises must stop <script>alert("x")</script> & "quotes".'
    ann = annotate_text(text, lexicon, lang="en")
    page = review_page(ann, draft_mapping(ann, doc_id="x", text_name="x.txt"), title="<b>x</b>")
    # its only scripts: the draft as a JSON data block and the page's own review script
    # (issue 23), allowed by its hash; the text's markup is data in both
    data, code = re.findall(r"<script([^>]*)>", page)
    assert data == ' type="application/json" id="draft-data"' and code == ""
    assert "script-src &#x27;sha256-" in page
    page = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "<b>x</b>" not in page
    assert "default-src &#x27;none&#x27;" in page
    assert not re.search(r"<[^>]*\son\w+\s*=", page)  # no event handler attribute
    assert not re.search(r"(src|href)=", page)  # nothing loaded, nothing linked
    assert 'class="cue obligation"' in page


def test_accepted_chinese_draft_compiles(zh, tmp_path):
    from policykg.authoring.compiler import compile_source

    (tmp_path / "zh-brief.txt").write_text(zh.text, encoding="utf-8")
    data = draft_mapping(zh, doc_id="zh-brief", text_name="zh-brief.txt")
    data["passages"] = {"s002": data["passages"]["s002"]}
    data["passages"]["s002"]["status"] = "accepted"
    # the first clause's provision (必须加大…); the second clause's (带头突破…) is left out
    data["passages"]["s002"]["provisions"] = data["passages"]["s002"]["provisions"][:1]
    data["passages"]["s002"]["provisions"][0]["status"] = "accepted"
    # the action is the verb phrase 加大科技创新投入 (a new task): the term 科技创新 is only part
    # of its object (issue 21), and stays a mention of the passage
    ids = {
        "state-owned-enterprises",
        "scientific-and-technological-innovation",
        "key-technologies",
        "action-8a6d8168",
    }
    data["entities"] = {
        k: {**v, "status": "accepted"} for k, v in data["entities"].items() if k in ids
    }
    # the reviewer's English term for the new task (a draft never translates)
    data["entities"]["action-8a6d8168"]["label"] = "increasing investment in S&T innovation"
    path = tmp_path / "zh-brief.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    compiled = compile_source(path)
    assert compiled.text[15:41] == "国有企业必须加大科技创新投入，带头突破关键核心技术。"


def test_a_new_term_is_named_in_the_language_of_its_words(zh, en, tmp_path):
    """Regression (issue 20): a new term of a Chinese text was drafted with its Chinese words as
    its English ``label`` (compiled to ``"积极参与数字经济建设"@en``). It is drafted in Chinese only;
    a new term of an English text keeps its English label; nothing is translated. Compiled as a
    machine draft (``drafts=True``, the corpus import), the term and the provision naming it are
    labelled @zh, and a draft that names a term in neither language is still refused."""
    from policykg.authoring.compiler import compile_mapping

    zh_entities = draft_mapping(zh, doc_id="zh-brief", text_name="zh-brief.txt")["entities"]
    new_zh = {k: v for k, v in zh_entities.items() if k.startswith(("action-", "actor-"))}
    assert new_zh and all("label" not in v and v["zh"] for v in new_zh.values())
    en_entities = draft_mapping(en, doc_id="en-brief", text_name="en-brief.txt")["entities"]
    [new_en] = [v for k, v in en_entities.items() if k == "strengthen-basic-research-in-high-end"]
    assert new_en["label"] == "strengthen basic research in high-end chips"
    assert "zh" not in new_en

    (tmp_path / "zh-brief.txt").write_text(zh.text, encoding="utf-8")
    data = draft_mapping(zh, doc_id="zh-brief", text_name="zh-brief.txt")
    data.pop("annotate")
    data["passages"] = {"s003": data["passages"]["s003"]}
    data["entities"] = {k: {**v, "mentioned_in": ["s003"]} for k, v in data["entities"].items()
                        if k in ("private-enterprises", "action-97834078")}
    data = accepted_mapping(_accept_all(data), tmp_path / "zh-brief.yaml")
    data["entities"]["private-enterprises"]["zh"] = "民营企业"
    graphs = compile_mapping(data, base_dir=tmp_path, drafts=True).graphs
    labels = {(s, str(o), o.language) for g in graphs.values() for s, p, o in g
              if p == SKOS.prefLabel}
    assert {(str(o), lang) for s, o, lang in labels if s == KG["action-97834078"]} == {
        ("积极参与数字经济建设", "zh")}
    assert {(str(o), lang) for s, o, lang in labels if s == KG["zh-brief-s003-v1"]} == {
        ("义务（民营企业）：积极参与数字经济建设", "zh")}
    data["entities"]["action-97834078"].pop("zh")
    with pytest.raises(AuthoringError, match=r"entity action-97834078: needs an English 'label'$"):
        compile_mapping(data, base_dir=tmp_path, drafts=True)


def _accept_all(data):
    if isinstance(data, dict):
        return {k: ("accepted" if k == "status" else _accept_all(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_accept_all(v) for v in data]
    return data


def test_means_and_purpose(lexicon):
    zh = annotate_text(
        "国有企业要通过加大研发投入，突破关键技术，从而提高产业链水平。", lexicon, lang="zh"
    )
    (p,) = zh.provisions
    assert [r.label for r in p.action] == ["突破关键技术"]
    assert [r.zh for r in p.means] == ["加大研发投入"]
    assert [r.zh for r in p.purpose] == ["提高产业链水平"]
    en = annotate_text(
        "State-owned enterprises should take the lead by ramping up research, thereby "
        "helping industry move up the value chains.",
        lexicon,
        lang="en",
    )
    (p,) = en.provisions
    assert [r.label for r in p.action] == ["take the lead"]
    assert [r.label for r in p.means] == ["ramping up research"]
    assert [r.label for r in p.purpose] == ["helping industry move up the value chains"]
    data = draft_mapping(en, doc_id="x", text_name="x.txt")
    prov = data["passages"]["s001"]["provisions"][0]
    assert prov["means"] == "task-ramping-up-research" and prov["purpose"].startswith(
        "goal-helping"
    )


def test_build_refuses_a_registered_source_with_proposed_items(en, tmp_path):
    from policykg.authoring.build import compile_all

    (tmp_path / "en-brief.txt").write_text(en.text, encoding="utf-8")
    path = tmp_path / "en-brief.yaml"
    path.write_text(draft_yaml(en, doc_id="en-brief", text_name="en-brief.txt"), encoding="utf-8")
    with pytest.raises(AuthoringError, match=r"en-brief\.yaml:16: entity .* is still proposed"):
        compile_all([path])


def test_markdown_markers_crlf_and_bom_are_left_out_of_quotes():
    text = "\ufeff# Title\r\n\r\n- First item must be done.\r\n1. Numbered point? Yes!\r\n> Quote line.\r\n"
    got = [(s.quote, text[s.start : s.end] == s.quote) for s in split_sentences(text, "en")]
    assert got == [
        ("Title", True),
        ("First item must be done.", True),
        ("Numbered point?", True),
        ("Yes!", True),
        ("Quote line.", True),
    ]


def test_a_passive_provision_addresses_nobody_and_asks_about_its_subject(lexicon):
    """Regression: "Overreliance on other countries ... must be avoided" was addressed to
    'countries' (the noun after "on other") with the action "avoided"."""
    text = (
        "Overreliance on other countries for technologies critical to the security of "
        "industrial and supply chains must be avoided. "
        "State-owned enterprises must strengthen basic research in high-end chips.\n"
    )
    ann = annotate_text(text, lexicon, lang="en", date=DATE)
    passive, active = sorted(ann.provisions, key=lambda p: p.cue.start)
    assert passive.modality == "obligation" and passive.addressee is None
    assert passive.addressees == ()
    assert [a.label for a in passive.action] == [
        "Overreliance on other countries for technologies critical to the security of "
        "industrial and supply chains"
    ]
    assert active.addressee is not None and active.addressee.id == "state-owned-enterprises"


def test_a_noun_after_a_preposition_and_its_modifiers_is_not_the_subject(lexicon):
    text = "Support for the private enterprises must be stepped up in every region.\n"
    ann = annotate_text(text, lexicon, lang="en", date=DATE)
    (prov,) = ann.provisions
    assert prov.addressee is None
