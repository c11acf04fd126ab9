"""Issue 22, points 2-3: provisions matched across documents, and what changed, with both quotes.

On a hand-made pair of documents (tests/fixtures/compare/two-years.trig) every kind of change is
planted once; the real corpus's 2023/2024 changes are asserted in tests/test_compare_corpus.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import policykg
from policykg.graph.compare import compare_documents, text_similarity

FIXTURE = Path(__file__).parent / "fixtures" / "compare" / "two-years.trig"


@pytest.fixture(scope="module")
def two_years():
    kg = policykg.load(extra=(FIXTURE,))
    yield kg
    kg.close()


def _local(node: object) -> str:
    return str(node).rsplit("/", 1)[-1]


def test_every_planted_change_is_found_with_both_quotes(two_years) -> None:
    cmp = compare_documents(two_years, "kg:cmp-y1", "kg:cmp-y2")
    kinds = {
        (c.kind, _local(c.a.iri) if c.a else None, _local(c.b.iri) if c.b else None)
        for c in cmp.changes
    }
    assert kinds == {
        ("firmer", "cmp-y1-a-v1", "cmp-y2-a-v1"),
        ("reworded", "cmp-y1-b-v1", "cmp-y2-b-v1"),
        ("dropped", "cmp-y1-c-v1", None),
        ("prohibition", None, "cmp-y2-c-v1"),
        ("new", None, "cmp-y2-d-v1"),
    }
    firmer = cmp.of_kind("firmer")[0]
    assert firmer.a is not None and firmer.b is not None
    assert firmer.a.quote == "Regions should explore development paths."
    assert firmer.b.quote == "Regions must explore development paths."
    assert firmer.shared == ("fixture development paths",)
    assert cmp.counts()["firmer"] == 1 and cmp.counts()["unchanged"] == 0


def test_the_other_way_round_is_weaker_and_dropped_becomes_new(two_years) -> None:
    cmp = compare_documents(two_years, "kg:cmp-y2", "kg:cmp-y1")
    counts = cmp.counts()
    assert counts["weaker"] == 1 and counts["new"] == 1 and counts["dropped"] == 2


def test_about_keeps_only_the_provisions_about_an_entity(two_years) -> None:
    cmp = compare_documents(two_years, "kg:cmp-y1", "kg:cmp-y2", about="fixture chips")
    assert [c.kind for c in cmp.changes] == ["reworded"]


def test_same_document_twice_is_refused(two_years) -> None:
    from policykg.core.errors import QueryError

    with pytest.raises(QueryError, match="two different documents"):
        compare_documents(two_years, "kg:cmp-y1", "kg:cmp-y1")


def test_text_similarity_works_for_chinese_without_spaces() -> None:
    a = "推动科技创新和产业创新融合发展"
    assert text_similarity(a, a) == 1.0
    assert text_similarity(a, "推动科技创新和产业创新深度融合") > 0.75
    assert text_similarity(a, "稳定粮食播种面积") < 0.4


def test_the_table_has_both_quotes(two_years) -> None:
    result = compare_documents(two_years, "kg:cmp-y1", "kg:cmp-y2").to_result()
    rows = result.dicts()
    firmer = next(r for r in rows if str(r["kind"]) == "firmer")
    assert str(firmer["quoteA"]).startswith("Regions should")
    assert str(firmer["quoteB"]).startswith("Regions must")
    assert str(firmer["modalityA"]) == "recommendation" and str(firmer["modalityB"]) == "obligation"


def test_timeline_of_a_concept_has_one_row_per_document_by_year(two_years) -> None:
    from policykg.graph.timeline import timeline

    t = timeline(two_years, "fixture development paths")
    assert [r.year for r in t.rows] == [2031, 2032]
    assert t.first is not None and t.first.year == 2031
    assert t.last is not None and t.last.year == 2032
    assert t.rows[0].modalities() == {"recommendation": 1}
    assert t.rows[1].modalities() == {"obligation": 1}
    assert t.rows[1].first_quote() == "Regions must explore development paths."


def test_timeline_of_the_article_concept(kg) -> None:
    from policykg.graph.timeline import timeline

    t = timeline(kg, "new quality productive forces")
    # the reviewed 2024 work report is the first to name it (新质生产力), then the article
    assert [r.year for r in t.rows] == [2024, 2025]
    assert t.first is not None and str(t.first.document).endswith("/gwr-2024")
    assert len(t.rows[1].provisions) == 7
    assert t.label == "new quality productive forces"


@pytest.fixture
def fixture_project(project: Path) -> Path:
    """The fixture project with the two hand-made documents as an extension."""
    import shutil

    shutil.copy(FIXTURE, project / "graphs" / "extensions" / "two-years.trig")
    return project


def test_compare_command_formats(fixture_project: Path, run_main, tmp_path: Path) -> None:
    import json

    done = run_main(["compare", "kg:cmp-y1", "kg:cmp-y2", "--format", "json"])
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["counts"]["firmer"] == 1 and data["counts"]["new"] == 1
    firmer = next(c for c in data["changes"] if c["kind"] == "firmer")
    assert firmer["a"]["quote"].startswith("Regions should")
    assert firmer["b"]["quote"].startswith("Regions must")
    csv = run_main(["compare", "kg:cmp-y1", "kg:cmp-y2", "--format", "csv"]).stdout
    assert csv.splitlines()[0].startswith("kind,score,modalityA,modalityB")
    md = run_main(["compare", "kg:cmp-y1", "kg:cmp-y2", "-f", "md", "--about", "fixture chips"])
    assert "reworded" in md.stdout and "firmer" not in md.stdout
    out = tmp_path / "cmp.html"
    done = run_main(["compare", "kg:cmp-y1", "kg:cmp-y2", "-f", "html", "--out", str(out)])
    assert done.returncode == 0 and "wrote" in done.stderr
    page = out.read_text(encoding="utf-8")
    assert "Regions must explore development paths." in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org", "")


def test_compare_bad_input_is_one_line(fixture_project: Path, run_main) -> None:
    done = run_main(["compare", "kg:cmp-y1", "kg:no-such-document"])
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_timeline_command_and_its_chart(fixture_project: Path, run_main) -> None:
    done = run_main(["timeline", "fixture development paths", "-f", "csv"])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "year,document,passages,provisions,modalities,values,quote"
    assert [line.split(",")[0] for line in lines[1:]] == ["2031", "2032"]
    html = run_main(["timeline", "fixture development paths", "-f", "html"]).stdout
    assert "<svg" in html and "First named in 2031, last in 2032" in html


def test_html_escapes_every_text() -> None:
    from rdflib import URIRef

    from policykg.graph.compare import Change, Comparison, ProvisionItem
    from policykg.outputs.changes import compare_html

    evil = "<img src=x onerror=alert(1)>"
    item = ProvisionItem(
        URIRef("https://w3id.org/policykg/id/x"), evil, "obligation", "affirmative", evil,
        frozenset(), (evil,), frozenset(), {}, URIRef("https://w3id.org/policykg/id/p"),
        evil, 0, 1,
    )
    page = compare_html(
        Comparison(URIRef("a:a"), URIRef("b:b"), [Change("new", None, item)]),
        label_a=evil, label_b=evil,
    )
    assert evil not in page and "&lt;img" in page
