"""Issue 22, point 5: what changed between the reviewed 2023 and 2024 work reports, found by
reading (docs/curation-gwr-2024.md, "What changed from 2023") and asserted on ``compare``; the GDP
growth target series as the reports state it; 新质生产力 first named in 2024."""

from __future__ import annotations

import pytest

from policykg.graph.compare import Comparison, compare_documents
from policykg.graph.timeline import timeline


@pytest.fixture(scope="module")
def cmp(kg) -> Comparison:
    return compare_documents(kg, "kg:gwr-2023", "kg:gwr-2024")


def _pair(cmp: Comparison, a: str, b: str):
    found = [c for c in cmp.changes if c.a and c.b and a in c.a.quote and b in c.b.quote]
    assert found, f"no matched pair {a!r} -> {b!r}"
    return found[0]


def test_an_obligation_of_policy_becomes_the_governments_commitment(cmp) -> None:
    change = _pair(cmp, "科技政策要聚焦自立自强", "加快推动高水平科技自立自强")
    assert change.a is not None and change.b is not None
    assert (change.a.modality, change.b.modality) == ("obligation", "commitment")
    assert change.kind == "weaker"  # must (要) -> a commitment of the government (FIRMNESS)
    assert change.a.cue == "要" and "高水平" in change.b.quote


def test_the_industrial_task_leads_and_adds_new_quality_productive_forces(cmp) -> None:
    change = _pair(cmp, "（二）加快建设现代化产业体系", "（一）大力推进现代化产业体系建设，加快发展新质生产力")
    assert change.kind == "reworded"
    assert "modern industrial system" in change.shared
    assert "新质生产力" not in change.a.quote  # type: ignore[union-attr]


def test_the_new_system_for_mobilizing_resources_given_full_play(cmp) -> None:
    change = _pair(cmp, "完善新型举国体制", "充分发挥新型举国体制优势")
    assert change.kind == "related"  # same concern, other words: improve -> give full play


def test_the_jobs_target_moves_from_about_to_over(cmp) -> None:
    jobs = [t for t in cmp.targets if t.label == "new urban jobs"]
    assert len(jobs) == 1 and jobs[0].kind == "target changed"
    a, b = jobs[0].a, jobs[0].b
    assert a is not None and b is not None
    assert (a.value, a.unit, a.qualifier) == ("1200", "ten-thousand-persons", "about")
    assert (b.value, b.unit, b.qualifier) == ("1200", "ten-thousand-persons", "over")
    assert "城镇新增就业1200万人左右" in a.quote and "城镇新增就业1200万人以上" in b.quote
    gdp = [t for t in cmp.targets if t.label == "GDP growth"]
    assert [t.kind for t in gdp] == ["target unchanged"]


def test_a_new_recommendation(cmp) -> None:
    new = [c for c in cmp.of_kind("new") if c.b and c.b.modality == "recommendation"]
    assert [c.b.quote for c in new if c.b] == ["鼓励发展创业投资、股权投资，优化产业投资基金功能。"]
    assert cmp.counts()["prohibition"] == 0  # neither section forbids anything


def test_the_gdp_growth_target_series_2014_2024(kg) -> None:
    t = timeline(kg, "kg:gdp-growth")
    targets = {r.year: [(v.qualifier, v.value) for v in r.values if v.kind != "achieved"]
               for r in t.rows if r.year and r.year >= 2014 and str(r.document).split("/")[-1].startswith("gwr-")}
    assert targets[2014] == [("about", "7.5")]
    assert targets[2024] == [("about", "5")]
    assert 2020 not in targets  # the 2020 report is missing from the corpus


def test_new_quality_productive_forces_first_named_in_2024(kg) -> None:
    t = timeline(kg, "新质生产力")
    assert t.first is not None and t.first.year == 2024
    assert str(t.first.document).endswith("/gwr-2024")
