"""Provisions: what the article asks, expects, makes possible or claims, and how firmly.

Checks the compiled article (every provision with its modality, cue, action and passage; the
rule of plain facts and provisions; the re-curation's fixes), the compiler's errors, the
sentence-by-sentence coverage of the stored text (docs/curation-ncpf-2025.md) and ``describe``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from policykg.authoring.compiler import compile_mapping
from policykg.core.errors import AuthoringError
from policykg.core.namespaces import KG, PKG, RDF

ROOT = Path(__file__).resolve().parent.parent
CURATION = ROOT / "docs" / "curation-ncpf-2025.md"
SENTENCE = re.compile(r"\S.*?(?:[.!?][\"”’)]*(?=\s|$)|$)")
MODALITIES = {
    "obligation",
    "recommendation",
    "necessity",
    "possibility",
    "expectation",
    "intention",
    "commitment",
    "assertion",
}


def sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) of every sentence of the stored text, line by line."""
    out, offset = [], 0
    for line in text.split("\n"):
        for m in SENTENCE.finditer(line):
            if m.group().strip():
                out.append((offset + m.start(), offset + m.end(), m.group()))
        offset += len(line) + 1
    return out


def provisions(kg, where: str = "", **bindings):
    return kg.query(
        "SELECT DISTINCT ?v ?m ?p WHERE { GRAPH ?p { ?v pkg:modality ?m ; pkg:action ?a } "
        + where
        + " }",
        **bindings,
    ).rows


# -- coverage of the stored text ------------------------------------------------------------------


def _exempt() -> dict[int, str]:
    """Sentence number -> reason, from the table 'Sentences that state nothing'."""
    text = CURATION.read_text(encoding="utf-8")
    section = text.split("## Sentences that state nothing", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$", line)
        if m:
            rows[int(m.group(1))] = m.group(2)
    return rows


def test_every_sentence_lies_in_a_passage_or_states_nothing(kg, article_text):
    spans = [
        (int(s), int(e))
        for s, e in kg.query(
            "SELECT ?s ?e WHERE { ?p pkg:inDocument kg:ncpf-2025 ; pkg:startOffset ?s ;"
            " pkg:endOffset ?e }"
        ).rows
    ]
    covered = set()
    for s, e in spans:
        covered.update(range(s, e))
    exempt = _exempt()
    missing = []
    for n, (start, end, sentence) in enumerate(sentences(article_text), 1):
        words = [i for i in range(start, end) if article_text[i].isalnum()]
        if any(i not in covered for i in words) and n not in exempt:
            missing.append(f"{n}: {sentence[:70]}")
    assert missing == [], "sentences in no passage (and not listed as stating nothing)"
    assert all(reason.strip() for reason in exempt.values())


def test_the_curation_table_has_a_row_for_every_sentence(article_text):
    text = CURATION.read_text(encoding="utf-8")
    table = text.split("## The table", 1)[1]
    numbered = [int(m.group(1)) for m in re.finditer(r"^\| (\d+) \| ", table, re.M)]
    assert numbered == list(range(1, len(sentences(article_text)) + 1))


# -- the compiled article --------------------------------------------------------------------------


def test_every_provision_has_one_modality_an_action_and_its_passage(kg):
    rows = kg.query(
        """SELECT ?v (COUNT(DISTINCT ?m) AS ?ms) (COUNT(DISTINCT ?a) AS ?as)
                  (COUNT(DISTINCT ?p) AS ?ps) (SAMPLE(?g) AS ?graph) (SAMPLE(?p) AS ?passage)
           WHERE { ?v a pkg:Provision .
                   OPTIONAL { ?v pkg:modality ?m } OPTIONAL { ?v pkg:action ?a }
                   OPTIONAL { GRAPH ?g { ?v pkg:statedIn ?p } } }
           GROUP BY ?v"""
    ).rows
    assert len(rows) >= 25
    for v, ms, as_, ps, graph, passage in rows:
        assert (int(ms), int(ps)) == (1, 1) and int(as_) >= 1, v
        assert graph == passage, f"{v}: its properties belong in the graph of its passage"
        assert str(v).startswith(str(passage) + "-v"), v


def test_every_cue_is_verbatim_in_its_quote(kg):
    rows = kg.query(
        "SELECT ?v ?cue ?quote WHERE { ?v pkg:cue ?cue ; pkg:statedIn ?p . ?p pkg:quote ?quote }"
    ).rows
    assert rows
    for v, cue, quote in rows:
        assert str(cue) in str(quote), v


def test_modalities_are_the_scheme(kg):
    used = {str(m).rsplit("#", 1)[1] for _v, m, _p in provisions(kg)}
    assert used <= MODALITIES
    assert {"obligation", "recommendation", "necessity", "possibility", "expectation"} <= used
    rows = kg.query(
        "SELECT ?m ?en ?zh WHERE { ?m skos:inScheme pkg:modalities ;"
        ' skos:prefLabel ?en, ?zh FILTER(LANG(?en) = "en" && LANG(?zh) = "zh") }'
    ).rows
    assert {str(m).rsplit("#", 1)[1] for m, _, _ in rows} == MODALITIES


@pytest.mark.parametrize(
    ("passage", "modality", "addressees"),
    [
        ("p10-5", "obligation", set()),  # "... must be avoided": no one named
        ("p10-8", "obligation", {"national-level-research-institutes", "top-research-universities",
                                 "leading-tech-companies"}),
        ("p12-6", "recommendation", {"private-enterprises"}),
        ("p10-3", "necessity", set()),  # "It's imperative to seize this major opportunity"
        ("p10-6", "recommendation", set()),  # "Focus should be on ..."
        ("p12-3", "necessity", set()),  # "It is important to foster synergy ..."
        ("p05-2", "possibility", set()),
        ("p05-3", "expectation", set()),
    ],
)
def test_how_firmly_and_to_whom(kg, passage, modality, addressees):
    rows = kg.query(
        "SELECT ?v ?m ?who WHERE { GRAPH ?p { ?v pkg:modality ?m OPTIONAL { ?v pkg:addressee ?who } } }",
        p=URIRef(f"{KG}ncpf-2025-{passage}"),
    ).rows
    assert {str(m).rsplit("#", 1)[1] for _v, m, _w in rows} == {modality}
    assert {str(w)[len(KG) :] for _v, _m, w in rows if w is not None} == addressees


def test_who_states_it(kg):
    rows = kg.query(
        "SELECT ?v ?who WHERE { ?v a pkg:Provision ; pkg:statedBy ?who ;"
        " pkg:statedIn/pkg:inDocument kg:ncpf-2025 }"
    ).rows
    speakers = {str(w)[len(KG) :] for _v, w in rows}
    assert speakers == {"zhang-chi", "xi-jinping"}
    xi = [v for v, w in rows if w == KG["xi-jinping"]]
    assert xi == [KG["ncpf-2025-p03-4-v1"]]


def test_condition_means_and_purpose(kg):
    def values(passage: str, prop: str) -> set[str]:
        rows = kg.query(
            "SELECT ?o WHERE { GRAPH ?p { ?v ?prop ?o } }",
            p=URIRef(f"{KG}ncpf-2025-{passage}"),
            prop=PKG[prop],
        ).rows
        return {str(o)[len(KG) :] for (o,) in rows}

    assert values("p05-2", "condition") == {"well-advanced-innovation-driven-development"}
    assert values("p12-4", "means") == {"ramp-up-st-innovation"}
    assert values("p12-5", "purpose") == {"moving-up-global-value-chains"}
    assert values("p11-6", "purpose") == {"modern-industrial-system"}


def test_no_plain_fact_for_what_is_only_asked(kg):
    for fact in (
        (KG["private-enterprises"], PKG.contributesTo, KG["new-quality-productive-forces"]),
        (KG["state-owned-enterprises"], PKG.contributesTo, KG["moving-up-global-value-chains"]),
        (KG["new-round-of-st-revolution"], PKG.drives, KG["economic-and-social-progress"]),
        (KG["new-quality-productive-forces"], PKG.drives, KG["economic-growth"]),
    ):
        assert not kg.query("ASK { ?s ?p ?o }", s=fact[0], p=fact[1], o=fact[2]).boolean, fact
    for prop in (PKG.isAskedTo, PKG.hasResponsibility, PKG.remark):
        assert not kg.query("ASK { GRAPH ?g { ?s ?p ?o } ?g pkg:quote ?q }", p=prop).boolean, prop


def test_generic_predicates_under_three_percent(kg):
    rows = kg.query(
        """SELECT ?p (COUNT(*) AS ?n) WHERE {
             GRAPH ?g { ?s ?p ?o } ?g pkg:inDocument kg:ncpf-2025 .
             FILTER(isIRI(?o) && STRSTARTS(STR(?o), STR(kg:)))
             FILTER NOT EXISTS { ?s a pkg:Provision }
           } GROUP BY ?p"""
    ).rows
    counts = {str(p).rsplit("#", 1)[-1]: int(n) for p, n in rows}
    total = sum(counts.values())
    generic = counts.get("relatedTo", 0) + counts.get("topic", 0)
    assert total > 100 and generic / total < 0.03, counts


def test_events_held_or_planned(kg):
    rows = dict(kg.query("SELECT ?e ?s WHERE { ?e pkg:eventStatus ?s }").rows)
    assert rows[KG["fourth-plenary-session-of-the-20th-cpc-central-committee"]] == PKG.planned
    assert rows[KG["political-bureau-meeting-2025-07-30"]] == PKG.held
    assert rows[KG["shanghai-symposium-on-the-15th-five-year-plan"]] == PKG.held


@pytest.mark.parametrize(
    ("subject", "trend"),
    [
        ("new-industries", "growing"),  # "New industries grow with strong momentum."
        ("new-production-factors", "spreading"),  # "... are being applied extensively."
        ("new-round-of-st-revolution", "intensifying"),  # "... a period of heightened activity."
        ("industrial-transformation-and-upgrading", "accelerating"),
    ],
)
def test_trends_the_old_graph_missed(kg, subject, trend):
    assert kg.query("ASK { ?s pkg:trend ?t }", s=KG[subject], t=PKG[trend]).boolean


def test_structure_instead_of_remarks(kg):
    share = KG["obs-core-digital-economy-share-of-gdp"]
    assert kg.query("ASK { ?o pkg:comparisonGroup kg:developed-economies }", o=share).boolean
    top30 = KG["obs-gii-2024-middle-income-economies-in-top-30"]
    assert kg.query("ASK { ?o pkg:value ?v ; pkg:observationOf kg:middle-income-economy"
                    " FILTER(?v = 1) }",
                    o=top30).boolean


@pytest.mark.parametrize(
    ("entity", "zh"),
    [
        ("digital-transformation", None),
        ("capital", None),
        ("data", "数据要素"),
        ("cpc-central-committee", "中共中央"),
        ("twentieth-cpc-central-committee", "中国共产党第二十届中央委员会"),
    ],
)
def test_chinese_labels_checked(kg, entity, zh):
    rows = kg.query(
        'SELECT ?l WHERE { ?e skos:prefLabel ?l FILTER(LANG(?l) = "zh") }', e=KG[entity]
    ).rows
    assert [str(r[0]) for r in rows] == ([zh] if zh else [])


def test_the_general_central_committee_is_not_the_20th(kg):
    alts = kg.query("SELECT ?l WHERE { kg:cpc-central-committee skos:altLabel ?l }").rows
    assert not any("20th" in str(a) for (a,) in alts)


# -- the compiler ----------------------------------------------------------------------------------


def _source(tmp_path: Path, provision: dict, quote: str = "Firms should invest.") -> dict:
    (tmp_path / "t.txt").write_text(f"{quote} The end.\n", encoding="utf-8")
    return {
        "document": {"id": "t-doc", "type": "Article", "text": "t.txt", "title": "T"},
        "entities": {
            "firms": {"type": "CollectiveActor", "label": "firms"},
            "investing": {"type": "Task", "label": "invest"},
            "writer": {"type": "Person", "label": "writer"},
        },
        "passages": {
            "p1": {"quote": quote, "provisions": [provision]},
            "p2": {"quote": "The end.", "facts": [["t-doc", "author", "writer"]]},
        },
    }


def test_compiler_writes_the_provision(tmp_path):
    src = _source(
        tmp_path,
        {"addressee": "firms", "modality": "recommendation", "cue": "should", "action": "investing"},
    )
    out = compile_mapping(src, base_dir=tmp_path, source=tmp_path / "t.yaml")
    v = URIRef(f"{KG}t-doc-p1-v1")
    passage = out.graphs[URIRef(f"{KG}t-doc-p1")]
    assert (v, PKG.modality, PKG.recommendation) in passage
    assert (v, PKG.addressee, KG["firms"]) in passage
    assert (v, PKG.cue, Literal("should")) in passage
    assert (v, PKG.statedBy, KG["writer"]) in passage  # the author, by default
    assert (v, PKG.statedIn, URIRef(f"{KG}t-doc-p1")) in passage
    meta = out.graphs[URIRef("https://w3id.org/policykg/graph/t-doc")]
    assert (v, RDF.type, PKG.Provision) in meta
    assert (v, PKG.mentionedIn, URIRef(f"{KG}t-doc-p1")) in meta
    assert v in out.entities
    assert out.trig() == compile_mapping(src, base_dir=tmp_path).trig()  # deterministic


@pytest.mark.parametrize(
    ("provision", "problem"),
    [
        ({"modality": "advice", "cue": "should", "action": "investing"}, "unknown modality 'advice'"),
        ({"modality": "recommendation", "cue": "shall", "action": "investing"},
         "cue 'shall' does not occur in the quote"),
        ({"modality": "recommendation", "cue": "should", "action": "nothing"},
         "unknown entity 'nothing'"),
        ({"modality": "recommendation", "cue": "should"}, "needs an 'action'"),
        ({"modality": "recommendation", "action": "investing"}, "needs a 'cue'"),
        ({"modality": "recommendation", "cue": "should", "action": "investing", "whom": "firms"},
         "unknown key(s): whom"),
    ],
)
def test_compiler_errors_name_file_passage_and_problem(tmp_path, provision, problem):
    with pytest.raises(AuthoringError) as err:
        compile_mapping(_source(tmp_path, provision), base_dir=tmp_path, source=tmp_path / "t.yaml")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 't.yaml'}: passage p1 provision 1: ")
    assert problem in message


# -- describe --------------------------------------------------------------------------------------


def test_describe_shows_provisions_with_their_modality(kg):
    d = kg.describe("国有企业")
    roles = {(p.roles, p.modality) for p in d.provisions}
    assert roles == {(("addressee",), PKG.recommendation)}
    assert len(d.provisions) == 2
    text = d.text()
    assert 'as addressee: recommendation ("should") — addressee: state-owned enterprises' in text
    assert "purpose: moving China's industrial system up the global industrial and value chains" in text
    assert not any(f.predicate == PKG.addressee for f in d.facts)  # shown under provisions
    xi = kg.describe("kg:xi-jinping")
    assert [p.roles for p in xi.provisions] == [("stated by",)]
    assert xi.to_dict()["provisions"][0]["modality"] == "pkg:obligation"
