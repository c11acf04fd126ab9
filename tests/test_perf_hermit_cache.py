"""HermiT's consistent verdict on the ontology and data is remembered (issue 24: the article's
``validate`` spent 1.0 of its 1.7 CPU s in HermiT's Java on inputs it had already checked).

The key is the exact bytes HermiT reads (blank nodes renamed in order of first use, so that the
same inputs give the same bytes) and HermiT's version; a changed input, or an inconsistent
verdict, runs HermiT as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.checks import owl_stage
from policykg.checks.data import CheckData, load_sources
from policykg.checks.reason import hermit_input
from policykg.rdf.graphio import GraphFile

TTL = """@prefix kg: <https://w3id.org/policykg/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:A a owl:Class ; rdfs:subClassOf [ a owl:Restriction ; owl:onProperty kg:p ;
    owl:someValuesFrom kg:B ] .
kg:B a owl:Class ; owl:disjointWith kg:C .
kg:x a kg:A ; kg:note [ rdfs:label "n" ] .
"""


def _data(path: Path, *, ontology: bool = False) -> CheckData:
    from rdflib import URIRef

    file = GraphFile(path, URIRef("urn:g"))
    return CheckData.load(load_sources([file], [path.name], [ontology]), texts_dir=None)


@pytest.fixture
def calls(monkeypatch, tmp_path) -> list[bytes]:
    """HermiT's runs (each says consistent unless the input mentions ``kg:C``'s individual)."""
    monkeypatch.setenv("POLICYKG_CACHE", str(tmp_path / "cache"))
    seen: list[bytes] = []

    def fake(ntriples: bytes, **_: object) -> bool:
        seen.append(ntriples)
        return b"/id/bad>" not in ntriples

    monkeypatch.setattr(owl_stage, "hermit_consistent", fake)
    return seen


def test_hermit_input_is_the_same_bytes_for_the_same_inputs(tmp_path) -> None:
    path = tmp_path / "a.ttl"
    path.write_text(TTL, encoding="utf-8")
    first, second = _data(path), _data(path)
    assert first.ntriples != second.ntriples  # the parse names blank nodes at random
    assert hermit_input(first.ntriples or b"") == hermit_input(second.ntriples or b"")
    assert b"_:b0 " in hermit_input(first.ntriples or b"")


def test_a_consistent_verdict_is_remembered_for_the_same_inputs(calls, tmp_path) -> None:
    path = tmp_path / "a.ttl"
    path.write_text(TTL, encoding="utf-8")
    assert owl_stage.timed_hermit(_data(path), False)[0] is True
    assert owl_stage.timed_hermit(_data(path), False)[0] is True
    assert len(calls) == 1  # the second validation did not start HermiT
    markers = list((tmp_path / "cache" / "policykg").iterdir())
    assert [m.name[:23] for m in markers] == ["hermit-consistent-data-"]
    assert markers[0].stat().st_size == 0


def test_a_changed_input_or_version_runs_hermit_again(calls, tmp_path, monkeypatch) -> None:
    path = tmp_path / "a.ttl"
    path.write_text(TTL, encoding="utf-8")
    owl_stage.timed_hermit(_data(path), False)
    path.write_text(TTL + "kg:y a kg:B .\n", encoding="utf-8")
    owl_stage.timed_hermit(_data(path), False)
    assert len(calls) == 2
    monkeypatch.setattr(owl_stage, "hermit_version", lambda: "another HermiT")
    owl_stage.timed_hermit(_data(path), False)
    assert len(calls) == 3


def test_the_ontology_alone_is_remembered_per_hermit_version(tmp_path, monkeypatch) -> None:
    """Regression: the ontology-only verdict was keyed by the ontology alone, so a new HermiT
    (another owlready2 or jar) reused the old HermiT's verdict."""
    monkeypatch.setenv("POLICYKG_CACHE", str(tmp_path / "cache"))
    runs: list[object] = []
    monkeypatch.setattr(owl_stage, "is_consistent", lambda graph: runs.append(graph) or True)
    monkeypatch.setattr(owl_stage, "hermit_version", lambda: "one HermiT")
    path = tmp_path / "a.ttl"
    path.write_text(TTL, encoding="utf-8")
    data = _data(path, ontology=True)
    assert owl_stage.timed_hermit(data, True)[0] is True
    assert owl_stage.timed_hermit(data, True)[0] is True
    assert len(runs) == 1
    monkeypatch.setattr(owl_stage, "hermit_version", lambda: "another HermiT")
    assert owl_stage.timed_hermit(data, True)[0] is True
    assert len(runs) == 2


def test_an_inconsistent_verdict_is_never_remembered(calls, tmp_path) -> None:
    path = tmp_path / "a.ttl"
    path.write_text(TTL + "<https://w3id.org/policykg/id/bad> a kg:B , kg:C .\n", "utf-8")
    assert owl_stage.timed_hermit(_data(path), False)[0] is False
    assert owl_stage.timed_hermit(_data(path), False)[0] is False
    assert len(calls) == 2
    assert not (tmp_path / "cache" / "policykg").exists()


def test_the_remembered_verdict_is_hermits(tmp_path, monkeypatch) -> None:
    from policykg.checks.reason import is_consistent, java_executable

    if java_executable() is None:
        pytest.skip("no Java")
    monkeypatch.setenv("POLICYKG_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "a.ttl"
    path.write_text(TTL, encoding="utf-8")
    data = _data(path)
    assert owl_stage.timed_hermit(data, False)[0] is is_consistent(data.ntriples or b"") is True
