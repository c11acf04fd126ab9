"""The evidence as W3C Web Annotations: export, read back, every selector finds its text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policykg.apps.cli import main
from policykg.core.namespaces import OA, PKG, RDF, RDFS
from policykg.graph.annotations import (
    ANNO_CONTEXT,
    CODE_POINTS_NOTE,
    CONTEXT_CHARS,
    export_annotations,
    passage_annotations,
    read_annotations,
)


@pytest.fixture(scope="module")
def notes(kg: Any) -> list[Any]:
    return passage_annotations(kg)


def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    import urllib.request

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the annotation context must never be fetched")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_every_passage_is_one_annotation_with_its_facts(kg: Any, notes: list[Any]) -> None:
    ds = kg.dataset
    passages = sorted(str(p) for p in set(ds.subjects(RDF.type, PKG.Passage)))
    assert [str(n.passage) for n in notes] == passages
    assert sum(len(n.facts) for n in notes) > 200
    for note in notes:
        assert set(note.facts) == set(ds.graph(note.passage))
        assert note.document == ds.value(note.passage, PKG.inDocument)


@pytest.mark.parametrize("fmt", ["annotations", "annotations-trig"])
def test_round_trip_gives_the_same_passages_and_facts(
    kg: Any, notes: list[Any], fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = export_annotations(kg, fmt)
    assert export_annotations(kg, fmt) == text  # deterministic
    _no_network(monkeypatch)
    assert read_annotations(text, fmt) == notes


def test_turtle_holds_the_annotations_without_the_facts(kg: Any, notes: list[Any]) -> None:
    back = read_annotations(export_annotations(kg, "annotations-ttl"), "annotations-ttl")
    assert [(b.passage, b.exact, b.prefix, b.suffix, b.start, b.end) for b in back] == [
        (n.passage, n.exact, n.prefix, n.suffix, n.start, n.end) for n in notes
    ]


def test_every_selector_finds_its_text_in_the_stored_text(
    kg: Any, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_network(monkeypatch)
    text = export_annotations(kg, "annotations")
    from rdflib import Dataset

    from policykg.graph.annotations import _local_document

    ds = Dataset(default_union=True)
    ds.parse(data=_local_document(text), format="json-ld")
    annotations = list(ds.subjects(RDF.type, OA.Annotation))
    assert len(annotations) == len(set(kg.dataset.subjects(RDF.type, PKG.Passage)))
    for ann in annotations:
        target = ds.value(ann, OA.hasTarget)
        assert (target, RDF.type, OA.SpecificResource) in ds
        source = ds.value(target, OA.hasSource)
        stored = (root / "graphs" / str(ds.value(source, PKG.textFile))).read_text("utf-8")
        kinds = {ds.value(s, RDF.type): s for s in ds.objects(target, OA.hasSelector)}
        quote, pos = kinds[OA.TextQuoteSelector], kinds[OA.TextPositionSelector]
        exact = str(ds.value(quote, OA.exact))
        prefix = str(ds.value(quote, OA.prefix) or "")
        suffix = str(ds.value(quote, OA.suffix) or "")
        start, end = int(ds.value(pos, OA.start)), int(ds.value(pos, OA.end))
        assert stored[start:end] == exact
        assert stored[:start].endswith(prefix)
        assert stored[end:].startswith(suffix)
        assert len(prefix) == min(CONTEXT_CHARS, start)
        assert len(suffix) == min(CONTEXT_CHARS, len(stored) - end)
        assert str(ds.value(pos, RDFS.comment)) == CODE_POINTS_NOTE
        if (ann, OA.hasBody, None) in ds:
            body = ds.value(ann, OA.hasBody)
            assert len(ds.graph(body)) > 0  # the body is the passage's named graph of facts


def test_jsonld_names_the_w3c_context_and_remote_contexts_are_never_fetched(
    kg: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policykg.core.errors import ParseError

    doc = json.loads(export_annotations(kg, "annotations"))
    assert doc["@context"][0] == ANNO_CONTEXT
    first = doc["@graph"][0]
    assert first["type"] == "Annotation"
    assert first["target"]["type"] == "SpecificResource"
    assert [s["type"] for s in first["target"]["selector"]] == [
        "TextQuoteSelector",
        "TextPositionSelector",
    ]
    _no_network(monkeypatch)
    doc["@context"].append("http://127.0.0.1:9/other.jsonld")
    with pytest.raises(ParseError, match="will not fetch"):
        read_annotations(json.dumps(doc))


def test_export_command_writes_the_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], notes: list[Any]
) -> None:
    out = tmp_path / "evidence.jsonld"
    assert main(["export", "--format", "annotations", "--out", str(out)]) == 0
    assert read_annotations(out.read_text(encoding="utf-8")) == notes
    assert "wrote" in capsys.readouterr().err
