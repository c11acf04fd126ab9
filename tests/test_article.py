"""The article graph: built from its source, deterministic, every quote verbatim at its offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from policykg.authoring.build import build_graphs, compile_all
from policykg.core.namespaces import KG, KGG, PKG, RDF, RDFS, SKOS

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_fcb3a26ec52ab5a3.txt"


@pytest.fixture(scope="module")
def compiled():
    return compile_all()


@pytest.fixture(scope="module")
def article(compiled):
    return next(c for c in compiled if c.doc_id == "ncpf-2025")


def test_committed_trig_is_up_to_date():
    result = build_graphs(check=True)
    assert result.written == [], f"run 'policykg build': out of date: {result.written}"


def test_build_is_deterministic(compiled):
    again = compile_all()
    assert [c.trig() for c in compiled] == [c.trig() for c in again]


def test_stored_text_is_the_article_without_page_chrome(article_text):
    if not SEED.is_file():
        pytest.skip("the seed article (shared/seeds) is not beside this checkout")
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert article_text == "\n".join(lines[5:17]) + "\n"
    assert article_text.startswith("A battery production facility in Changchun")
    assert "cookies" not in article_text and "opinions@cgtn.com" not in article_text
    assert "Robotic arms operate at a workshop" in article_text  # the second caption is kept


def test_every_quote_is_verbatim_at_its_offsets(kg, article_text):
    rows = kg.query(
        "SELECT ?p ?q ?s ?e WHERE { ?p a pkg:Passage ; pkg:quote ?q ; pkg:startOffset ?s ;"
        " pkg:endOffset ?e ; pkg:inDocument kg:ncpf-2025 }"
    ).rows
    assert len(rows) > 60
    for p, q, s, e in rows:
        assert article_text[int(s) : int(e)] == str(q), p


def test_every_fact_sits_in_a_passage_graph(article):
    passages = {g for g in article.graphs if g != URIRef(KGG + "ncpf-2025")}
    for g in passages:
        assert article.graphs[g], f"{g} states nothing"
    declared = {s for s, p, o in article.graphs[URIRef(KGG + "ncpf-2025")]}
    for g in passages:
        for s, _p, o in article.graphs[g]:
            assert s in declared
            if isinstance(o, URIRef) and o.startswith(KG):
                assert o in declared, o


def test_every_entity_has_one_english_label_and_evidence(article):
    meta = article.graphs[URIRef(KGG + "ncpf-2025")]
    for e in article.entities:
        en = [o for s, p, o in meta if s == e and p == SKOS.prefLabel and o.language == "en"]
        zh = [o for s, p, o in meta if s == e and p == SKOS.prefLabel and o.language == "zh"]
        assert len(en) == 1, e
        assert len(zh) <= 1, e
        assert any(s == e and p == RDFS.label for s, p, o in meta), e
        assert any(s == e and p == PKG.mentionedIn for s, p, o in meta), e
        assert any(s == e and p == RDF.type for s, p, o in meta), e


def test_no_blank_nodes_in_generated_graphs(root):
    for path in (root / "graphs").glob("*.trig"):
        assert "_:" not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize(
    ("entity", "zh"),
    [
        ("new-quality-productive-forces", "新质生产力"),
        ("high-quality-development", "高质量发展"),
        ("state-owned-enterprises", "国有企业"),
        ("fifteenth-five-year-plan", "第十五个五年规划"),
    ],
)
def test_official_chinese_terms(kg, entity, zh):
    res = kg.query("ASK { ?e skos:prefLabel ?l }", e=URIRef(KG + entity), l=Literal(zh, lang="zh"))
    assert res.boolean


def test_figures_have_value_unit_and_evidence(kg):
    rows = kg.query(
        """SELECT ?o ?v ?u ?q WHERE { ?o a/rdfs:subClassOf* pkg:Observation ; pkg:value ?v ; pkg:unit ?u .
             GRAPH ?p { ?o pkg:value ?v } ?p pkg:quote ?q ; pkg:inDocument kg:ncpf-2025 }"""
    ).rows
    values = {str(v) for _, v, _, _ in rows}
    assert {"9.5", "10", "30", "53.3", "11"} <= values
    for _o, v, _u, q in rows:
        assert str(v) in str(q)


def test_every_triple_is_stated_in_one_graph_only(root):
    # Oxigraph's union default graph is a multiset: a triple in two graphs would match twice.
    from collections import Counter

    from rdflib import Dataset

    ds = Dataset()
    ds.parse(root / "graphs" / "ncpf-2025.trig", format="trig")
    counts = Counter((s, p, o) for s, p, o, _g in ds.quads((None, None, None, None)))
    assert [t for t, n in counts.items() if n > 1] == []
