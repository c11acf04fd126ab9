"""The reviewed sections of the 2023 and 2024 Government Work Reports (issue 21 point 2).

``graphs/sources/gwr-2023.yaml`` and ``gwr-2024.yaml``: their stored texts are ``drop_furniture`` of
the corpus records byte for byte; they compile to the committed TriG and validate clean; the title
block names the Premier who delivers each report (its author, the speaker of every provision) and
the State Council on whose behalf he reports; the main projected targets are targets (stated by an
intention), the figures of the year before are not; every sentence of the reviewed task sections
is a passage whose provisions have a modality, a cue in the quote, no addressee unless the text
names one, and the Premier as speaker. Last, what changed from 2023 to 2024 (issue 22 point 5):
each change asserted with both quotes, read from the graph (docs/curation-gwr-2023.md and
docs/curation-gwr-2024.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import URIRef

from policykg.authoring.corpus.furniture import drop_furniture
from policykg.core.namespaces import KG, PKG

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "graphs" / "sources"
YEARS = (2023, 2024)
PREMIER = {2023: "li-keqiang", 2024: "li-qiang"}
#: The reviewed task sections: paragraph (1-based among non-blank lines) -> sentences reviewed
#: (None: all of them).
REVIEWED = {
    2023: {78: (9, 10, 11, 12), 82: None},
    2024: {39: None, 40: None, 41: None, 42: None, 43: None, 44: None, 45: None, 46: None},
}


def _paragraphs(year: int) -> list[str]:
    text = (SOURCES / f"gwr-{year}.txt").read_text(encoding="utf-8")
    return [line for line in text.split("\n") if line.strip()]


def _sentences(paragraph: str) -> list[str]:
    return re.findall(r"[^。！？]+[。！？]|[^。！？]+$", paragraph)


def _provisions(kg, passage: str) -> list[dict[str, str]]:
    """The provisions of one passage: modality, cue, polarity, speaker, addressee (or "")."""
    rows = kg.query(
        "SELECT ?v ?m ?cue ?pol ?by ?who WHERE { ?v pkg:statedIn ?p ; pkg:modality ?m ;"
        " pkg:cue ?cue ; pkg:polarity ?pol ; pkg:statedBy ?by OPTIONAL { ?v pkg:addressee ?who } }"
        " ORDER BY ?v",
        p=URIRef(f"{KG}{passage}"),
    ).rows
    return [
        {
            "v": str(v)[len(KG) :],
            "modality": str(m).rsplit("#", 1)[1],
            "cue": str(cue),
            "polarity": str(pol).rsplit("#", 1)[1],
            "by": str(by)[len(KG) :],
            "addressee": "" if who is None else str(who)[len(KG) :],
        }
        for v, m, cue, pol, by, who in rows
    ]


def _zh(kg, entity: str) -> str:
    rows = kg.query(
        'SELECT ?zh WHERE { ?e skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }',
        e=URIRef(f"{KG}{entity}"),
    ).rows
    assert len(rows) == 1, entity
    return str(rows[0][0])


def _quote(kg, passage: str) -> str:
    rows = kg.query("SELECT ?q WHERE { ?p pkg:quote ?q }", p=URIRef(f"{KG}{passage}")).rows
    assert len(rows) == 1, passage
    return str(rows[0][0])


# -- the stored texts and the build ---------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_stored_text_is_drop_furniture_of_the_corpus_record(corpus_file, year):
    records = [json.loads(line) for line in corpus_file.read_text(encoding="utf-8").splitlines()]
    (record,) = [r for r in records if r["title"] == f"{year}年中华人民共和国国务院政府工作报告"]
    stored = (SOURCES / f"gwr-{year}.txt").read_bytes()
    assert stored == drop_furniture(record["content"]).text.encode("utf-8")


def test_the_sources_compile_to_the_committed_graphs():
    from policykg.authoring.build import build_graphs

    stale = {p.name for p in build_graphs(check=True).written}
    assert not stale & {"gwr-2023.trig", "gwr-2024.trig"}


def test_the_reviewed_reports_validate_clean(run_main):
    done = run_main(["validate", "--no-owl"])
    assert done.returncode == 0, done.stdout + done.stderr


# -- the document, its speaker and the State Council ----------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_document_block_premier_and_state_council(kg, year):
    doc = URIRef(f"{KG}gwr-{year}")
    rows = kg.query(
        "SELECT ?y ?author ?creator WHERE { ?d a pkg:GovernmentWorkReport ;"
        " pkg:publicationYear ?y ; pkg:author ?author ; pkg:creator ?creator }",
        d=doc,
    ).rows
    assert {(int(y), str(a)[len(KG) :], str(c)[len(KG) :]) for y, a, c in rows} >= {
        (year, PREMIER[year], "state-council")
    }
    title = kg.query(
        'SELECT DISTINCT ?t WHERE { ?d pkg:title ?t FILTER(LANG(?t) = "zh") }', d=doc
    ).rows
    assert [str(t) for (t,) in title] == ["政府工作报告"]
    # the Premier as the title block names him, and "我代表国务院" under its own passage
    member = kg.query(
        "SELECT ?q WHERE { GRAPH ?p { ?m pkg:member ?who ; pkg:organization kg:state-council ;"
        " pkg:role kg:premier } ?p pkg:quote ?q ; pkg:inDocument ?d }",
        who=URIRef(f"{KG}{PREMIER[year]}"),
        d=doc,
    ).rows
    name = {2023: "李克强", 2024: "李强"}[year]
    assert [str(q) for (q,) in member] == [f"国务院总理{name}"]
    behalf = kg.query(
        "SELECT ?q WHERE { GRAPH ?p { ?d pkg:creator kg:state-council } ?p pkg:quote ?q }", d=doc
    ).rows
    assert len(behalf) == 1 and "我代表国务院" in str(behalf[0][0])


# -- targets and achieved figures -------------------------------------------------------------------

TARGETS = {
    # indicator: (value, unit, qualifier) per year, as the 主要预期目标 paragraph states it
    2023: {
        "gdp-growth": ("5", "percent", "about"),
        "new-urban-jobs": ("1200", "ten-thousand-persons", "about"),
        "surveyed-urban-unemployment-rate": ("5.5", "percent", "about"),
        "cpi-increase": ("3", "percent", "about"),
        "grain-output": ("1.3", "trillion-jin", "over"),
        "deficit-to-gdp-ratio": ("3", "percent", None),
    },
    2024: {
        "gdp-growth": ("5", "percent", "about"),
        "new-urban-jobs": ("1200", "ten-thousand-persons", "over"),
        "surveyed-urban-unemployment-rate": ("5.5", "percent", "about"),
        "cpi-increase": ("3", "percent", "about"),
        "grain-output": ("1.3", "trillion-jin", "over"),
        "energy-intensity-reduction": ("2.5", "percent", "about"),
        "deficit-to-gdp-ratio": ("3", "percent", None),
    },
}
ACHIEVED = {
    2023: {
        "gdp-growth": "3",
        "new-urban-jobs": "1206",
        "surveyed-urban-unemployment-rate": "5.5",
        "cpi-increase": "2",
        "grain-output": "1.37",
        "deficit-to-gdp-ratio": "2.8",
    },
    2024: {
        "gdp": "126",
        "gdp-growth": "5.2",
        "new-urban-jobs": "1244",
        "surveyed-urban-unemployment-rate": "5.2",
        "cpi-increase": "0.2",
        "grain-output": "1.39",
    },
}


#: The figures as the text writes them (the targets of the year, the achieved figures of the year before)
WORDS = {
    2022: {
        "gdp-growth": "国内生产总值增长3%",
        "new-urban-jobs": "城镇新增就业1206万人",
        "surveyed-urban-unemployment-rate": "年末城镇调查失业率降到5.5%",
        "cpi-increase": "居民消费价格上涨2%",
        "grain-output": "粮食产量1.37万亿斤",
        "deficit-to-gdp-ratio": "财政赤字率控制在2.8%",
    },
    2023: {
        "gdp": "国内生产总值超过126万亿元",
        "gdp-growth": "增长5.2%",
        "new-urban-jobs": "城镇新增就业1244万人",
        "surveyed-urban-unemployment-rate": "城镇调查失业率平均为5.2%",
        "cpi-increase": "居民消费价格上涨0.2%",
        "grain-output": "粮食产量1.39万亿斤",
    },
}
TARGET_WORDS = {
    2023: {
        "gdp-growth": "国内生产总值增长5%左右",
        "new-urban-jobs": "城镇新增就业1200万人左右",
        "surveyed-urban-unemployment-rate": "城镇调查失业率5.5%左右",
        "cpi-increase": "居民消费价格涨幅3%左右",
        "grain-output": "粮食产量保持在1.3万亿斤以上",
        "deficit-to-gdp-ratio": "赤字率拟按3%安排",
    },
    2024: {
        "gdp-growth": "国内生产总值增长5%左右",
        "new-urban-jobs": "城镇新增就业1200万人以上",
        "surveyed-urban-unemployment-rate": "城镇调查失业率5.5%左右",
        "cpi-increase": "居民消费价格涨幅3%左右",
        "grain-output": "粮食产量1.3万亿斤以上",
        "energy-consumption-per-unit-of-gdp": "单位国内生产总值能耗降低2.5%左右",
        "deficit-to-gdp-ratio": "赤字率拟按3%安排",
    },
}


def _figures(kg, year: int, target: bool) -> list[tuple[str, str, str, str | None, str, str, str]]:
    query = (
        "SELECT ?o ?ind ?v ?u ?qual ?period ?quote WHERE { GRAPH ?p { ?o pkg:indicator ?ind ;"
        " pkg:value ?v ; pkg:unit ?u ; pkg:period ?period OPTIONAL { ?o pkg:qualifier ?qual } }"
        " ?p pkg:inDocument ?d ; pkg:quote ?quote . ?o a ?cls . "
        + (
            "FILTER(?cls = pkg:Target) }"
            if target
            else "FILTER(?cls = pkg:Observation) FILTER NOT EXISTS { ?o a pkg:Target } }"
        )
    )
    rows = kg.query(query, d=URIRef(f"{KG}gwr-{year}")).rows
    return [
        (
            str(o)[len(KG) :],
            str(ind)[len(KG) :],
            str(v),
            str(u),
            None if q is None else str(q),
            str(per),
            str(quote),
        )
        for o, ind, v, u, q, per, quote in rows
    ]


@pytest.mark.parametrize("year", YEARS)
def test_main_projected_targets(kg, year):
    rows = _figures(kg, year, target=True)
    got = {ind: (v, u, q) for _o, ind, v, u, q, _per, _quote in rows}
    assert got == TARGETS[year]
    for target, _ind, _v, _u, _q, period, quote in rows:
        assert period == str(year)
        assert TARGET_WORDS[year][target.split("-", 2)[2].removesuffix("-target")] in quote
        # a target is an aim: the action of a provision of modality intention with the text's cue
        stated = kg.query(
            "SELECT ?m ?cue WHERE { ?v pkg:action ?t ; pkg:modality ?m ; pkg:cue ?cue }",
            t=URIRef(f"{KG}{target}"),
        ).rows
        assert [(str(m), str(c) in quote) for m, c in stated] == [(str(PKG.intention), True)]


@pytest.mark.parametrize("year", YEARS)
def test_achieved_figures_of_the_year_before_are_observations_not_targets(kg, year):
    rows = _figures(kg, year, target=False)
    assert {ind: v for _o, ind, v, _u, _q, _per, _quote in rows} == ACHIEVED[year]
    for obs, _ind, _v, _u, _q, period, quote in rows:
        assert period.startswith(str(year - 1))
        assert WORDS[year - 1][obs.split("-", 2)[2].rsplit("-", 1)[0]] in quote
        stated = kg.query("SELECT ?v WHERE { ?v pkg:action ?o }", o=URIRef(f"{KG}{obs}")).rows
        assert stated == []  # what happened is a plain fact, not a provision


def test_a_text_without_a_figure_gives_no_target(kg):
    # 2023: "单位国内生产总值能耗和主要污染物排放量继续下降" names no figure: no energy target
    assert "energy-consumption-per-unit-of-gdp" not in {
        r[1] for r in _figures(kg, 2023, target=True)
    }


# -- every sentence of the task sections -----------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_every_sentence_of_the_task_sections_is_a_reviewed_passage(kg, year):
    paragraphs = _paragraphs(year)
    seen = 0
    for para, numbers in REVIEWED[year].items():
        sentences = _sentences(paragraphs[para - 1])
        for n in numbers or range(1, len(sentences) + 1):
            passage = f"gwr-{year}-p{para}-{n}"
            assert _quote(kg, passage) == sentences[n - 1], passage
            provisions = _provisions(kg, passage)
            assert provisions, f"{passage} states no provision"
            for p in provisions:
                assert p["cue"] in sentences[n - 1]
                assert p["by"] == PREMIER[year], passage
                assert p["polarity"] == "affirmative", passage
                if p["modality"] == "commitment":
                    assert p["addressee"] == "", f"{passage}: a commitment names no addressee"
            seen += 1
    assert seen == {2023: 12, 2024: 60}[year]


def test_cue_less_task_sentences_are_commitments_cued_by_their_verb(kg):
    # "推动产业链供应链优化升级。" opens with its verb and names no modal word
    (p,) = _provisions(kg, "gwr-2024-p40-1")
    assert (p["modality"], p["cue"], p["addressee"]) == ("commitment", "推动", "")
    # two clauses, two provisions, each cued by its own verb
    assert [(p["modality"], p["cue"]) for p in _provisions(kg, "gwr-2024-p39-1")] == [
        ("commitment", "大力推进"),
        ("commitment", "加快发展"),
    ]
    # 我们要 in the government's own report is a commitment too
    assert {(p["modality"], p["cue"]) for p in _provisions(kg, "gwr-2024-p42-9")} == {
        ("commitment", "我们要")
    }


def test_shared_concepts_are_the_articles_entities(kg):
    # 新质生产力 is the article's kg:new-quality-productive-forces, not a second entity
    rows = kg.query('SELECT DISTINCT ?e WHERE { ?e skos:prefLabel "新质生产力"@zh }').rows
    assert [str(e) for (e,) in rows] == [f"{KG}new-quality-productive-forces"]
    # and 2023 never names it: the term first appears in 2024
    assert "新质生产力" not in (SOURCES / "gwr-2023.txt").read_text(encoding="utf-8")
    assert "新质生产力" in (SOURCES / "gwr-2024.txt").read_text(encoding="utf-8")


# -- what changed from 2023 to 2024 (issue 22 point 5), each with both quotes ---------------------


def _one(kg, passage: str, cue: str) -> dict[str, str]:
    (p,) = [p for p in _provisions(kg, passage) if p["cue"] == cue]
    return p


def test_change_self_reliance_from_a_policy_obligation_to_a_commitment(kg):
    # 2023: science and technology policy *must* (要) focus on self-reliance;
    # 2024: the government commits to speed up *high-level* self-reliance (a task, no modal word)
    q23, q24 = _quote(kg, "gwr-2023-p78-11"), _quote(kg, "gwr-2024-p45-1")
    assert "科技政策要聚焦自立自强" in q23
    assert q24 == "加快推动高水平科技自立自强。"
    assert _one(kg, "gwr-2023-p78-11", "要")["modality"] == "obligation"
    assert _one(kg, "gwr-2024-p45-1", "加快推动")["modality"] == "commitment"
    assert "高水平" not in q23 and "高水平" in q24


def test_change_the_industrial_heading_adds_new_quality_productive_forces(kg):
    q23, q24 = _quote(kg, "gwr-2023-p82-1"), _quote(kg, "gwr-2024-p39-1")
    assert q23 == "（二）加快建设现代化产业体系。"
    assert q24 == "（一）大力推进现代化产业体系建设，加快发展新质生产力。"
    assert [p["cue"] for p in _provisions(kg, "gwr-2023-p82-1")] == ["加快建设"]
    assert [p["cue"] for p in _provisions(kg, "gwr-2024-p39-1")] == ["大力推进", "加快发展"]
    # the 2024 provision's action is about the article's concept
    action = kg.query(
        'SELECT ?zh WHERE { ?v pkg:action ?a . ?a skos:prefLabel ?zh FILTER(LANG(?zh) = "zh") }',
        v=URIRef(f"{KG}gwr-2024-p39-1-v2"),
    ).rows
    assert [str(zh) for (zh,) in action] == ["加快发展新质生产力"]


def test_change_enterprises_principal_position_supported_then_strengthened(kg):
    q23, q24 = _quote(kg, "gwr-2023-p78-12"), _quote(kg, "gwr-2024-p45-8")
    assert "支持和突出企业科技创新主体地位" in q23
    assert "强化企业科技创新主体地位" in q24
    assert _one(kg, "gwr-2023-p78-12", "支持")["modality"] == "commitment"
    assert _one(kg, "gwr-2024-p45-8", "强化")["modality"] == "commitment"


def test_change_new_system_for_mobilizing_resources_improved_then_leveraged(kg):
    q23, q24 = _quote(kg, "gwr-2023-p78-12"), _quote(kg, "gwr-2024-p45-2")
    assert q23.startswith("完善新型举国体制")
    assert q24.startswith("充分发挥新型举国体制优势")


def test_change_platform_economy_to_platform_enterprises(kg):
    q23, q24 = _quote(kg, "gwr-2023-p82-8"), _quote(kg, "gwr-2024-p42-6")
    assert "支持平台经济发展" in q23
    assert q24 == "支持平台企业在促进创新、增加就业、国际竞争中大显身手。"


def test_change_urban_jobs_target_from_about_to_over(kg):
    q23, q24 = _quote(kg, "gwr-2023-p77-1"), _quote(kg, "gwr-2024-p30-1")
    assert "城镇新增就业1200万人左右" in q23 and "城镇新增就业1200万人以上" in q24
    assert TARGETS[2023]["new-urban-jobs"][2] == "about"
    assert TARGETS[2024]["new-urban-jobs"][2] == "over"  # checked against the graph above


def test_change_a_new_recommendation_in_2024(kg):
    # 鼓励 (encourage): a recommendation naming no one; the 2023 sections have no recommendation
    q24 = _quote(kg, "gwr-2024-p41-5")
    assert q24.startswith("鼓励发展创业投资、股权投资")
    assert _one(kg, "gwr-2024-p41-5", "鼓励") | {"v": ""} == {
        "v": "",
        "modality": "recommendation",
        "cue": "鼓励",
        "polarity": "affirmative",
        "by": "li-qiang",
        "addressee": "",
    }
    modalities_2023 = kg.query(
        "SELECT DISTINCT ?m WHERE { ?v pkg:statedIn ?p ; pkg:modality ?m . ?p pkg:inDocument ?d }",
        d=URIRef(f"{KG}gwr-2023"),
    ).rows
    assert {str(m).rsplit("#", 1)[1] for (m,) in modalities_2023} == {
        "commitment",
        "obligation",
        "intention",
    }


def test_concepts_named_in_both_years_are_one_entity_with_evidence_in_each(kg):
    # 新型举国体制 (2023: 完善…; 2024: 充分发挥…优势) and 中小企业 are one entity each, whose evidence
    # (pkg:mentionedIn) lies in both reports, so a question about the concept finds both years
    for concept, passages in {
        "new-system-for-mobilizing-resources-nationwide": {"gwr-2023-p78-12", "gwr-2024-p45-2"},
        "small-and-medium-enterprises": {"gwr-2023-p82-5", "gwr-2024-p40-6", "gwr-2024-p42-5"},
        "commercialization-of-st-achievements": {"gwr-2023-p82-6", "gwr-2024-p45-11"},
    }.items():
        rows = kg.query(
            "SELECT DISTINCT ?p ?en ?zh WHERE { ?c pkg:mentionedIn ?p ; skos:prefLabel ?en, ?zh"
            ' FILTER(LANG(?en) = "en" && LANG(?zh) = "zh") }',
            c=URIRef(f"{KG}{concept}"),
        ).rows
        assert {str(p)[len(KG) :] for p, _en, _zh in rows} == passages, concept
        assert len({(str(en), str(zh)) for _p, en, zh in rows}) == 1, concept  # one label each
