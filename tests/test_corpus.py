"""The real corpus (../shared/corpus/gwr-zh.jsonl) imported: records, time, drafts kept apart."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import policykg
from policykg.apps.cli import main
from policykg.authoring.corpus import drop_furniture
from policykg.core import paths
from policykg.core.namespaces import KG, RDFS, SKOS

RUN_DATE = "2026-12-06"
REPORTS = [f"gwr-{y}" for y in (2014, 2015, 2016, 2017, 2018, 2019, 2021, 2022, 2023, 2024)]
RESOLUTIONS = [f"gwr-{y}-resolution" for y in range(2014, 2025)]


def _expand(curie: str) -> URIRef:
    return URIRef(str(KG) + curie.removeprefix("kg:"))


def _curies(rows: list[tuple[object, ...]], col: int = 0) -> list[str]:
    return [str(r[col]).replace(str(KG), "kg:") if r[col] is not None else "" for r in rows]


@pytest.fixture(scope="module")
def imported(
    corpus_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str, str]:
    """The whole corpus imported once into a temporary folder: (folder, stdout, stderr)."""
    into = tmp_path_factory.mktemp("corpus") / "corpus"
    cap = pytest.CaptureFixture  # noqa: F841  (documentation: output captured below)
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["corpus", "import", str(corpus_file), "--into", str(into),
                     "--run-date", RUN_DATE])
    assert code == 0, err.getvalue()
    return into, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def reviewed(imported: tuple[Path, str, str]) -> policykg.PolicyKG:
    return policykg.load(corpus=imported[0])


@pytest.fixture(scope="module")
def with_drafts(imported: tuple[Path, str, str]) -> policykg.PolicyKG:
    return policykg.load(corpus=imported[0], drafts=True)


def test_every_document_and_the_missing_report(imported: tuple[Path, str, str]) -> None:
    into, out, err = imported
    manifest = json.loads((into / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert sorted(manifest) == sorted(REPORTS + RESOLUTIONS)
    assert "gwr-2020 not imported" in err and "gwr-2020-resolution approves" in err
    assert not (into / "gwr-2020.trig").exists()
    # reports without a title block: their date, session and deliverer are left out, and said
    for doc in ("gwr-2014", "gwr-2015", "gwr-2016", "gwr-2018", "gwr-2019"):
        assert manifest[doc]["date"] is None
        assert manifest[doc]["missing"] == ["date", "session", "deliverer"]
    assert manifest["gwr-2024"]["date"] == "2024-03-05"
    assert manifest["gwr-2023-resolution"]["date"] == "2023-03-13"
    assert manifest["gwr-2024-resolution"]["date"] is None
    assert "gwr-2014: new" in out and "dropped: licence notice" in out


def test_stored_text_is_the_content_without_furniture(
    imported: tuple[Path, str, str], corpus_file: Path
) -> None:
    into = imported[0]
    for line in corpus_file.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = drop_furniture(record["content"]).text
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        [doc] = [d for d, e in json.loads((into / "manifest.json").read_text())["documents"].items()
                 if e["url"] == record["url"]]
        assert (into / f"{doc}.txt").read_text(encoding="utf-8") == text
        # a reviewed document's graph (graphs/<id>.trig) records it; the import checked it
        reviewed = paths.graphs_dir() / f"{doc}.trig"
        record = reviewed if (paths.sources_dir() / f"{doc}.yaml").is_file() else into / f"{doc}.trig"
        assert f'pkg:textSha256 "{sha}"' in record.read_text(encoding="utf-8")


def test_every_quote_is_verbatim(with_drafts: policykg.PolicyKG, imported: tuple[Path, str, str]) -> None:
    rows = with_drafts.query(
        "SELECT ?d ?q ?s ?e WHERE { ?p pkg:inDocument ?d ; pkg:quote ?q ; pkg:startOffset ?s ;"
        " pkg:endOffset ?e FILTER(STRSTARTS(STR(?d), STR(kg:gwr-))) }"
    ).rows
    assert len(rows) > 3000
    texts: dict[str, str] = {}
    for d, q, s, e in rows:
        doc = str(d).rsplit("/", 1)[1]
        text = texts.setdefault(doc, (imported[0] / f"{doc}.txt").read_text(encoding="utf-8"))
        assert text[int(str(s)):int(str(e))] == str(q)


def test_resolutions_approve_their_reports(reviewed: policykg.PolicyKG) -> None:
    rows = [r for r in reviewed.named("documents-in-period").dicts()
            if str(r["type"]).endswith("#Resolution")]
    assert [str(r["document"]) for r in rows] == [str(KG[r]) for r in RESOLUTIONS]
    approvals = {str(r["document"]): str(r["approves"] or "") for r in rows}
    assert approvals[str(KG["gwr-2020-resolution"])] == ""  # no 2020 report in the corpus
    assert sum(1 for v in approvals.values() if v) == 10
    assert all(approvals[str(KG[f"{r}-resolution"])] == str(KG[r]) for r in REPORTS)
    sessions = {str(r["document"]): str(r["session"]) for r in rows}
    assert sessions[str(KG["gwr-2020-resolution"])] == str(KG["npc-13-3"])
    delivered = {str(r["document"]): str(r["deliveredBy"]) for r
                 in reviewed.named("documents-in-period").dicts()}
    assert delivered[str(KG["gwr-2024"])] == str(KG["li-qiang"])  # title block and resolution
    assert delivered[str(KG["gwr-2014"])] == str(KG["li-keqiang"])  # its resolution says so


def test_record_from_the_title_block(reviewed: policykg.PolicyKG) -> None:
    res = reviewed.query(
        "SELECT DISTINCT ?date ?session ?who ?g WHERE { GRAPH ?g { kg:gwr-2024 pkg:date ?date ;"
        " pkg:presentedAt ?session } GRAPH ?h { kg:gwr-2024 pkg:deliveredBy ?who } }"
    )
    assert [(str(r[0]), str(r[1]), str(r[2])) for r in res.rows] == [
        ("2024-03-05", str(KG["npc-14-2"]), str(KG["li-qiang"]))
    ]
    quote = reviewed.query("SELECT ?q WHERE { ?g pkg:quote ?q }", g=res.rows[0][3]).rows
    assert str(quote[0][0]) == "——2024年3月5日在第十四届全国人民代表大会第二次会议上"
    # a report without a title block has no date
    assert not reviewed.query("ASK { kg:gwr-2014 pkg:date ?d }").boolean


def test_documents_in_a_period(reviewed: policykg.PolicyKG) -> None:
    rows = reviewed.named("documents-in-period", **{"from": "2018", "to": "2020"}).rows
    assert _curies(rows) == [
        "kg:gwr-2018", "kg:gwr-2018-resolution", "kg:gwr-2019", "kg:gwr-2019-resolution",
        "kg:gwr-2020-resolution",
    ]


def test_as_of(imported: tuple[Path, str, str]) -> None:
    kg = policykg.load(corpus=imported[0], as_of="2021-03-10")
    docs = _curies(kg.named("documents-in-period", **{"from": "2020"}).rows)
    # gwr-2021 was delivered on 5 March, its resolution adopted on 11 March; the reviewed
    # gwr-2023 and gwr-2024 (the project's own graphs) are left out too
    assert docs == ["kg:gwr-2020-resolution", "kg:gwr-2021", "kg:ncpf-2025"]


def test_first_and_last_document_naming_a_term(
    with_drafts: policykg.PolicyKG, reviewed: policykg.PolicyKG, corpus_file: Path
) -> None:
    # the texts: 新质生产力 is named by the 2024 report and resolution only
    years = sorted(
        json.loads(line)["title"][:4] for line in corpus_file.read_text("utf-8").splitlines()
        if "新质生产力" in json.loads(line)["content"]
    )
    assert years == ["2024", "第十四届"]
    [row] = with_drafts.named("term-first-last", term="新质生产力").rows
    got = {k: str(v) for k, v in zip(
        ["term", "termLabel", "firstYear", "first", "firstLabel", "lastYear", "last",
         "lastLabel", "documents"], row, strict=True)}
    assert (got["firstYear"], got["first"], got["lastYear"], got["last"], got["documents"]) == (
        "2024", str(KG["gwr-2024"]), "2025", str(KG["ncpf-2025"]), "3"
    )
    # reviewed knowledge only: the reviewed 2024 report and the article (the resolution's
    # mention is a draft)
    [row] = reviewed.named("term-first-last", term="新质生产力").rows
    assert (str(row[2]), str(row[3]), str(row[-1])) == ("2024", str(KG["gwr-2024"]), "2")


def test_no_draft_where_reviewed_knowledge_is_asked_for(
    reviewed: policykg.PolicyKG, with_drafts: policykg.PolicyKG
) -> None:
    ask = "ASK { ?s pkg:reviewStatus pkg:Unreviewed }"
    assert not reviewed.query(ask).boolean
    assert with_drafts.query(ask).boolean
    from policykg.graph.drafts import draft_resources

    drafts = draft_resources(with_drafts)
    assert len(drafts) > 1000 and draft_resources(reviewed) == frozenset()
    shown = {v for r in reviewed.named("provisions").rows for v in r}
    assert not shown & drafts  # no draft where reviewed knowledge is asked for
    assert {v for r in with_drafts.named("provisions").rows for v in r} & drafts
    from policykg.graph.drafts import mark_draft_text

    assert "(draft)" not in mark_draft_text(reviewed, reviewed.describe("新质生产力").text())
    assert "kg:gwr-2024-s" not in reviewed.describe("新质生产力").text()
    text = mark_draft_text(with_drafts, with_drafts.describe("新质生产力").text())
    assert "kg:gwr-2024-resolution-s0003 (draft)" in text
    assert "kg:ncpf-2025-p02-3 (draft)" not in text


def test_drafts_are_marked_and_linked_to_their_run(with_drafts: policykg.PolicyKG) -> None:
    unmarked = with_drafts.query(
        "SELECT ?p WHERE { ?p a pkg:Passage ; pkg:inDocument ?d . GRAPH ?p { ?s ?x ?o }"
        " FILTER NOT EXISTS { ?p pkg:reviewStatus pkg:Unreviewed }"
        " FILTER(REGEX(STR(?p), \"-s[0-9]{4}$\"))"
        " FILTER(STRSTARTS(STR(?d), STR(kg:gwr-))) FILTER(?x != pkg:date && ?x != pkg:presentedAt"
        " && ?x != pkg:deliveredBy && ?x != pkg:approves) }"
    ).rows
    assert unmarked == []
    runs = with_drafts.query(
        "SELECT DISTINCT ?run ?v ?date WHERE { kg:gwr-2024-s0100 prov:wasGeneratedBy ?run ."
        " ?run a pkg:AnnotationRun ; pkg:toolVersion ?v ; pkg:date ?date }"
    ).rows
    assert [(str(r[0]), str(r[2])) for r in runs] == [
        (str(KG["gwr-2024-annotation-run"]), RUN_DATE)
    ]
    from policykg.graph.drafts import mark_draft_rows

    marked = mark_draft_rows(with_drafts, with_drafts.named("entity-provisions-by-year", entity="国有企业"))
    assert marked.vars[-1] == "draft"
    assert {r[-1] for r in marked.rows if "gwr-" in str(r[1])} == {Literal("draft")}
    assert {r[-1] for r in marked.rows if "ncpf-" in str(r[1])} == {None}
    years = [int(str(r[0])) for r in marked.rows]
    assert years == sorted(years) and min(years) < 2024  # the entity's provisions, by year


def test_one_entity_across_documents(with_drafts: policykg.PolicyKG) -> None:
    """新质生产力 in the 2024 report is the article's kg:new-quality-productive-forces."""
    docs = with_drafts.named("entity-mentions-by-year", entity="新质生产力").rows
    assert _curies(docs, 1) == ["kg:gwr-2024", "kg:gwr-2024-resolution", "kg:ncpf-2025"]
    # the draft does not redeclare the reviewed entity
    assert not with_drafts.query(
        "ASK { kg:new-quality-productive-forces pkg:reviewStatus ?s }"
    ).boolean


def test_reimport_changes_nothing(
    imported: tuple[Path, str, str], corpus_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = imported[0]
    before = {p: p.read_bytes() for p in sorted(into.rglob("*")) if p.is_file()}
    assert main(["corpus", "import", str(corpus_file), "--into", str(into)]) == 0
    assert f"{into}: unchanged" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in sorted(into.rglob("*")) if p.is_file()} == before


def _subset(corpus_file: Path, path: Path, titles: tuple[str, ...], edit: str = "") -> Path:
    lines = [line for line in corpus_file.read_text("utf-8").splitlines()
             if json.loads(line)["title"] in titles]
    text = "\n".join(lines) + "\n"
    if edit:
        text = text.replace("会议充分肯定国务院过去一年的工作", edit, 1)
    path.write_text(text, encoding="utf-8")
    return path


SUBSET = ("2017年中华人民共和国国务院政府工作报告",
          "第十二届全国人民代表大会第五次会议关于政府工作报告的决议",
          "第十二届全国人民代表大会第四次会议关于政府工作报告的决议")


def test_same_input_same_bytes(corpus_file: Path, tmp_path: Path) -> None:
    src = _subset(corpus_file, tmp_path / "s.jsonl", SUBSET)
    for name in ("a", "b"):
        assert main(["corpus", "import", str(src), "--into", str(tmp_path / name),
                     "--run-date", RUN_DATE]) == 0
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.*"))
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def _mentioning(kg: policykg.PolicyKG, prefix: str) -> list[tuple[object, ...]]:
    """Every quad whose subject, object or graph is ``prefix`` or one of its passages/nodes."""
    return kg.query(
        "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER("
        "STR(?s) = ?x || STRSTARTS(STR(?s), ?y) || STR(?o) = ?x || STRSTARTS(STR(?o), ?y) ||"
        "STRSTARTS(STR(?g), ?y) || STR(?g) = ?z || STRSTARTS(STR(?g), ?w)) }",
        x=str(KG[prefix]), y=str(KG[prefix]) + "-s", z=f"https://w3id.org/policykg/graph/{prefix}",
        w=f"https://w3id.org/policykg/graph/{prefix}-drafts",
    ).rows


def test_replace_and_remove_leave_nothing_behind(
    corpus_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "corpus"
    src = _subset(corpus_file, tmp_path / "s.jsonl", SUBSET)
    assert main(["corpus", "import", str(src), "--into", str(into)]) == 0
    old_quote = "会议充分肯定国务院过去一年的工作，同意报告提出的2017年工作总体部署"
    kg = policykg.load(corpus=into, drafts=True)
    assert kg.query("ASK { ?p pkg:quote ?q FILTER(CONTAINS(?q, ?x)) }", x=old_quote).boolean
    # a changed text replaces the document whole
    changed = _subset(corpus_file, tmp_path / "c.jsonl", SUBSET, edit="会议肯定国务院的工作")
    capsys.readouterr()
    assert main(["corpus", "import", str(changed), "--into", str(into)]) == 0
    out = capsys.readouterr().out
    assert "gwr-2017-resolution: replaced" in out and "gwr-2017: unchanged" in out
    kg = policykg.load(corpus=into, drafts=True)
    assert not kg.query("ASK { ?p pkg:quote ?q FILTER(CONTAINS(?q, ?x)) }", x=old_quote).boolean
    assert kg.query("ASK { ?p pkg:quote ?q FILTER(CONTAINS(?q, ?x)) }",
                    x="会议肯定国务院的工作").boolean
    # remove the report: nothing mentions it any more, its resolution no longer approves it
    assert _mentioning(kg, "gwr-2017")
    assert main(["corpus", "remove", "gwr-2017", "--into", str(into)]) == 0
    kg = policykg.load(corpus=into, drafts=True)
    # what is left is the project's reviewed 2017 report (graphs/gwr-2017.trig), nothing more
    reviewed_only = set(_mentioning(policykg.load(corpus=tmp_path / "none"), "gwr-2017"))
    assert set(_mentioning(kg, "gwr-2017")) == reviewed_only
    assert not any(into.rglob("gwr-2017.*"))
    assert _mentioning(kg, "gwr-2017-resolution")
    assert main(["corpus", "remove", "gwr-2017-resolution", "gwr-2016-resolution",
                 "--into", str(into)]) == 0
    kg = policykg.load(corpus=into, drafts=True)
    assert _mentioning(kg, "gwr-2017-resolution") == []
    assert json.loads((into / "manifest.json").read_text())["documents"] == {}
    assert sorted(p.name for p in into.rglob("*") if p.is_file()) == ["manifest.json"]
    # an unknown id is bad input
    assert main(["corpus", "remove", "gwr-1999", "--into", str(into)]) == 2
    assert "no document 'gwr-1999'" in capsys.readouterr().err


def test_reviewed_source_must_have_the_same_text(corpus_file: Path, tmp_path: Path) -> None:
    from policykg.authoring.corpus.importer import plan_import
    from policykg.authoring.lexicon import Lexicon
    from policykg.core.errors import ParseError

    src = _subset(corpus_file, tmp_path / "s.jsonl", SUBSET[1:2])
    sources = tmp_path / "graphs" / "sources"
    sources.mkdir(parents=True)
    (sources / "gwr-2017-resolution.yaml").write_text("document: {id: gwr-2017-resolution}\n")
    (sources / "gwr-2017-resolution.txt").write_text("另一个文本\n", encoding="utf-8")
    kg = policykg.load()
    args = dict(corpus_dir=tmp_path / "c", lexicon=Lexicon.from_kg(kg), known=frozenset(),
                version="test", sources_dir=sources)
    with pytest.raises(ParseError, match=r"s\.jsonl:1: the stored text .* differs from the reviewed"):
        plan_import([src], **args)  # type: ignore[arg-type]
    # the same text: the record and every sentence a reviewed passage covers are left out
    record = json.loads(src.read_text("utf-8"))
    text = drop_furniture(record["content"]).text
    (sources / "gwr-2017-resolution.txt").write_text(text, encoding="utf-8")
    plan = plan_import([src], **args)  # type: ignore[arg-type]
    assert any("reviewed source" in n for d in plan.documents for n in d.notes)
    # a reviewed passage over the third sentence: neither the record nor a draft covers it
    from policykg.authoring.annotate import split_sentences

    third = split_sentences(text, "zh")[2]
    (sources.parent / "gwr-2017-resolution.trig").write_text(
        "@prefix pkg: <https://w3id.org/policykg/ontology#> .\n"
        "@prefix kg: <https://w3id.org/policykg/id/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://w3id.org/policykg/graph/gwr-2017-resolution> { kg:gwr-2017-resolution-p1 "
        f'pkg:inDocument kg:gwr-2017-resolution ; pkg:startOffset "{third.start}"^^xsd:integer ;'
        f' pkg:endOffset "{third.end}"^^xsd:integer . }}\n', encoding="utf-8")
    plan = plan_import([src], **args)  # type: ignore[arg-type]
    written = {p.name: d.decode() for p, d in plan.writes}
    assert "kg:gwr-2017-resolution-s0003 " not in written["gwr-2017-resolution.trig"]
    assert f'"{third.start}"' not in written["gwr-2017-resolution.trig"].split("drafts")[0]
    from policykg.authoring.corpus.importer import write_plan

    write_plan(plan)
    drafts = (tmp_path / "c" / "drafts" / "gwr-2017-resolution.trig").read_text("utf-8")
    assert "kg:gwr-2017-resolution-s0002 " in drafts  # not reviewed: drafted
    assert "kg:gwr-2017-resolution-s0003 " not in drafts  # reviewed: its draft removed
    # a changed review re-drafts the document (the same text: "updated")
    (sources.parent / "gwr-2017-resolution.trig").write_text("", encoding="utf-8")
    plan = plan_import([src], **args)  # type: ignore[arg-type]
    assert [d.action for d in plan.documents] == ["updated"]
    write_plan(plan)
    drafts = (tmp_path / "c" / "drafts" / "gwr-2017-resolution.trig").read_text("utf-8")
    assert "kg:gwr-2017-resolution-s0003 " in drafts
    assert URIRef  # the reviewed graph itself is compiled by 'policykg build', not by the import


def test_the_record_layer_validates_clean(
    imported: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The records (reviewed by rule) pass every check; the drafts are checked apart."""
    import shutil

    from policykg.core import paths

    into = imported[0]
    texts = tmp_path / "texts"
    shutil.copytree(into, texts / "corpus")
    shutil.copytree(paths.sources_dir(), texts / "sources")
    records = sorted(str(p) for p in into.glob("*.trig"))
    assert main(["validate", *records, "--texts", str(texts), "--no-owl"]) == 0, (
        capsys.readouterr().out[-2000:]
    )


def test_records_and_drafts_validate_clean(
    imported: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20 point 3: the drafts pass the shapes and the violation queries too (they had
    1879 violations): figures the text does not complete and terms naming a kind of document
    or figure are left out of the draft, and the import says how many."""
    import shutil

    into, out, _err = imported
    texts = tmp_path / "texts"
    shutil.copytree(into, texts / "corpus")
    shutil.copytree(paths.sources_dir(), texts / "sources")
    files = sorted(str(p) for p in into.glob("*.trig")) + sorted(
        str(p) for p in (into / "drafts").glob("*.trig"))
    capsys.readouterr()
    code = main(["validate", *files, "--texts", str(texts), "--no-owl"])
    report = capsys.readouterr().out
    assert code == 0, report[-3000:]
    assert "left out of the draft: incomplete figures" in out


def test_draft_figures_are_the_documents_own(with_drafts: policykg.PolicyKG) -> None:
    """Regression: the annotator numbers figures by passage (obs-s151-1); two documents' figures
    shared one IRI (two values, two units). In the corpus a figure's IRI names its document."""
    rows = with_drafts.query(
        "SELECT ?f (COUNT(DISTINCT ?v) AS ?n) WHERE { ?f pkg:value ?v ; pkg:reviewStatus ?s }"
        " GROUP BY ?f"
    ).rows
    assert rows and all(int(str(n)) == 1 for _f, n in rows)
    assert all(str(f).startswith(str(KG) + "gwr-20") for f, _n in rows)


def test_identity_candidates_merge_and_unmerge(
    imported: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    into = tmp_path / "corpus"
    shutil.copytree(imported[0], into)
    capsys.readouterr()
    assert main(["corpus", "candidates", "--into", str(into), "--drafts"]) == 0
    pairs = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    # same label, different entities (e.g. a draft Task and a draft term for 改革创新)
    assert ["kg:task-acb5e2cf", "kg:term-acb5e2cf", "改革创新"] in pairs
    first, draft, label = pairs[0]
    assert main(["corpus", "merge", first, draft, "--into", str(into),
                 "--reviewed-by", "a tester"]) == 0
    kg = policykg.load(corpus=into)
    [(who, by)] = kg.query(
        "SELECT ?who ?by WHERE { ?m a pkg:IdentityMerge ; pkg:mergedEntity ?a ;"
        " pkg:proposedBy ?who ; pkg:reviewedBy ?by . GRAPH ?m { ?a owl:sameAs ?b } }",
        a=_expand(first),
    ).rows
    assert f"same label {label!r}" in str(who) and str(by) == "a tester"
    # merged twice, or a pair nobody proposed: bad input
    assert main(["corpus", "merge", first, draft, "--into", str(into),
                 "--reviewed-by", "a tester"]) == 2
    assert main(["corpus", "merge", "kg:state-council", "kg:li-qiang", "--into", str(into),
                 "--reviewed-by", "a tester"]) == 2
    assert "not a candidate pair" in capsys.readouterr().err
    # a wrong merge is undone, leaving nothing
    assert main(["corpus", "unmerge", draft, first, "--into", str(into)]) == 0
    kg = policykg.load(corpus=into)
    assert not kg.query("ASK { { ?a owl:sameAs ?b } UNION { ?m a pkg:IdentityMerge } }").boolean
    assert not (into / "merges.trig").exists()


def test_an_entity_across_documents_by_year(
    with_drafts: policykg.PolicyKG, reviewed: policykg.PolicyKG
) -> None:
    """国有企业 in every report is the article's kg:state-owned-enterprises."""
    rows = with_drafts.named("entity-mentions-by-year", entity="国有企业").rows
    assert [int(str(r[0])) for r in rows] == [2014, 2015, 2016, 2017, 2018, 2019, 2021, 2022,
                                              2023, 2024, 2025]
    assert _curies(rows, 1)[-1] == "kg:ncpf-2025"
    assert [int(str(r[0])) for r in reviewed.named("entity-mentions-by-year",
                                                   entity="国有企业").rows] == [2025]


def test_describe_by_year_follows_reviewed_merges(
    imported: tuple[Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20 point 2: ``describe`` shows an entity in every document, by year (text and JSON),
    drafts said, and what an entity merged with it (owl:sameAs) says."""
    import shutil

    from policykg.graph.entities import describe

    into = tmp_path / "corpus"
    shutil.copytree(imported[0], into)
    kg = policykg.load(corpus=into, drafts=True)
    d = describe(kg, "kg:state-owned-enterprises")
    years = [r.year for r in d.by_year]
    assert years == sorted(years) and {2014, 2024, 2025} <= set(years)
    assert all(r.drafts == r.mentions for r in d.by_year if r.year < 2025)
    assert "by year:" in d.text() and "(draft)" in d.text()
    assert d.to_dict()["by_year"][0]["draft"] is True
    reviewed_only = describe(policykg.load(corpus=into), "kg:state-owned-enterprises")
    assert [r.year for r in reviewed_only.by_year if r.mentions] == [2025]
    # a reviewed merge: each side's description shows the other's documents
    a, b = "kg:action-d6f5922c", "kg:term-d6f5922c"
    before = {r.year for r in describe(kg, a).by_year}
    other = {r.year for r in describe(kg, b).by_year}
    assert other - before
    assert main(["corpus", "merge", a, b, "--reviewed-by", "a test", "--into", str(into)]) == 0
    capsys.readouterr()
    assert main(["describe", a, "--corpus", str(into), "--drafts", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["same_as"] == [str(_expand(b))]
    assert {r["year"] for r in data["by_year"]} == before | other
    assert any(r.get("via") == [str(_expand(b))] for r in data["by_year"])
    assert main(["corpus", "unmerge", a, b, "--into", str(into)]) == 0
    kg = policykg.load(corpus=into, drafts=True)
    assert {r.year for r in describe(kg, a).by_year} == before


def test_a_document_is_compiled_a_few_times_not_once_per_refusal(
    corpus_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression (the whole import took 65 s CPU): the drafting adapter compiled a document
    again after each suggestion the compiler refused (799 compiles for 21 documents, each
    parsing the ontology). What the compiler would refuse is now left out first."""
    from policykg.authoring.corpus import drafting

    calls: list[int] = []
    real = drafting.compile_mapping

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(drafting, "compile_mapping", counting)
    src = tmp_path / "one.jsonl"
    src.write_text(next(line for line in corpus_file.read_text("utf-8").splitlines()
                        if '"2016年' in line) + "\n", encoding="utf-8")
    assert main(["corpus", "import", str(src), "--into", str(tmp_path / "c"),
                 "--run-date", RUN_DATE]) == 0
    assert (tmp_path / "c" / "drafts" / "gwr-2016.trig").is_file()
    assert len(calls) <= 3, len(calls)


#: The one English label of a draft that holds Chinese characters: a figure's, quoting the figure
#: as the text writes it (``figure in gwr-2017 passage s0105: 2个百分点``).
_FIGURE_LABEL = re.compile(r"^figure in gwr-[0-9a-z-]+ passage s\d{4}: \S")
_HAN = re.compile(r"[\u3400-\u9fff]")


def test_draft_labels_are_in_the_language_of_their_words(
    with_drafts: policykg.PolicyKG, reviewed: policykg.PolicyKG
) -> None:
    """Regression (issue 20): a new draft term of the Chinese reports got its Chinese words as
    its English label (``skos:prefLabel "结构性改革"@en``, 2,997 entities, and 3,144 provisions
    labelled from them, ``"commitment: 以中心城市引领城市群发展"@en``). A term is named in its
    text's language only, never translated, and a provision naming one is labelled in Chinese
    (the modality's Chinese label from the ontology)."""
    rows = with_drafts.query(
        "SELECT DISTINCT ?s ?p ?l WHERE { ?s pkg:reviewStatus pkg:Unreviewed ."
        " VALUES ?p { skos:prefLabel rdfs:label } ?s ?p ?l }"
    ).rows
    english = {str(t) for _s, _p, t in rows if isinstance(t, Literal) and t.language == "en"}
    wrong = sorted(t for t in english if _HAN.search(t) and not _FIGURE_LABEL.match(t))
    assert wrong == [], wrong[:10]
    chinese = {s for s, _p, t in rows if isinstance(t, Literal) and t.language == "zh"}
    assert len(chinese) > 5000  # the drafted terms and the provisions naming them
    # 结构性改革 (structural reform), a term candidate of the 2016 and later reports
    term = KG["term-027e9e7d"]
    assert {(p, t) for s, p, t in rows if s == term} == {
        (SKOS.prefLabel, Literal("结构性改革", lang="zh")),
        (RDFS.label, Literal("结构性改革", lang="zh")),
    }
    assert not reviewed.query("ASK { ?s ?p ?o }", s=term).boolean  # a draft: not reviewed
    provisions = with_drafts.query(
        "SELECT DISTINCT ?v ?l WHERE { ?v a pkg:Provision ; pkg:reviewStatus pkg:Unreviewed ;"
        " skos:prefLabel ?l FILTER(LANG(?l) = 'zh') }"
    ).rows
    assert len(provisions) > 3000
    assert all(re.match(r"^(义务|建议|必要|可能|预期|目标|承诺|陈述)", str(r[1])) for r in provisions)
    # the reviewed addressees by their Chinese names (国有企业), not half in English
    assert [str(r[1]) for r in provisions if re.search(r"[a-z]{2}", str(r[1]))] == []


def test_a_draft_named_in_chinese_is_shown_by_its_chinese_label(
    with_drafts: policykg.PolicyKG,
) -> None:
    """Tables, ``describe``, ``find`` and the HTML graph show an entity by its English label,
    else by its Chinese one (a draft's term of a Chinese report has no English label), never a
    bare IRI."""
    from policykg.graph.entities import describe, find, labels_of
    from policykg.outputs.viz.builder import build_network
    from policykg.sparql.formats import render

    term = KG["term-027e9e7d"]
    assert labels_of(with_drafts, [term]).name(term) == "结构性改革"
    assert labels_of(with_drafts, [term]).label(term, "en") is None
    d = describe(with_drafts, term)
    assert d.label == "结构性改革" and d.text().startswith("结构性改革 (kg:term-027e9e7d)")
    rows = [r for r in find(with_drafts, "结构性改革").dicts() if r["entity"] == term]
    assert rows and {r["entityLabel"] for r in rows} == {Literal("结构性改革", lang="zh")}
    result = with_drafts.query("SELECT ?e WHERE { VALUES ?e { kg:term-027e9e7d } }")
    table = render(result, "table", labels=labels_of(with_drafts, [term]).label)
    assert "kg:term-027e9e7d (结构性改革)" in table
    net = build_network(with_drafts, focus="kg:term-027e9e7d", drafts=True)
    [node] = [n for n in net.nodes if n["id"] == "kg:term-027e9e7d"]
    assert node["label"] == "结构性改革"


def test_named_queries_label_a_chinese_draft_by_its_chinese_label(
    with_drafts: policykg.PolicyKG,
) -> None:
    """Regression: the named queries' ``*Label`` columns read English labels only, so a drafted
    provision or concern of a Chinese report (named in Chinese only) had none; they fall back
    to the Chinese label (an English one, when there is one, still wins)."""
    rows = with_drafts.named("document-provisions", document="kg:gwr-2017").dicts()
    assert rows
    assert all(r.get("provisionLabel") for r in rows)
    assert any(r["provisionLabel"].language == "zh" for r in rows)
    assert all(r.get("concernLabel") for r in rows if r.get("concern") is not None)
    reviewed = with_drafts.named("document-provisions", document="kg:gwr-2024").dicts()
    assert any(r["provisionLabel"].language == "en" for r in reviewed)
