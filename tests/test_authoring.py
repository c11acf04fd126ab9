"""The YAML compiler: every mistake is one line naming the file, the item and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from policykg.authoring.compiler import OntologyIndex, compile_source
from policykg.errors import AuthoringError, ParseError

TEXT = "Alpha drives beta. Beta needs gamma. Alpha drives beta.\n"


@pytest.fixture(scope="module")
def onto():
    return OntologyIndex.load()


def source(tmp_path: Path, **changes) -> Path:
    (tmp_path / "doc.txt").write_text(TEXT, encoding="utf-8")
    data = {
        "document": {"id": "test-doc", "type": "Article", "text": "doc.txt", "title": "Test"},
        "entities": {
            "alpha": {"type": "Concept", "label": "alpha"},
            "beta": {"type": "Goal", "label": "beta", "zh": "贝塔"},
        },
        "passages": {
            "p1": {"quote": "Beta needs gamma.", "facts": [["beta", "requires", "alpha"]]}
        },
    }
    for key, value in changes.items():
        section, _, name = key.partition("__")
        if name:
            data[section][name] = value
        else:
            data[section] = value
    path = tmp_path / "doc.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_valid_source_compiles(tmp_path, onto):
    c = compile_source(source(tmp_path), ontology=onto)
    trig = c.trig()
    assert "kg:test-doc-p1 {" in trig
    assert 'pkg:quote "Beta needs gamma."' in trig
    assert 'pkg:startOffset "19"^^xsd:nonNegativeInteger' in trig
    assert "kg:beta pkg:requires kg:alpha ." in trig


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"entities__alpha": {"type": "Concpt", "label": "alpha"}},
            "entity alpha: unknown class 'Concpt'; did you mean Concept?",
        ),
        ({"entities__alpha": {"type": "Concept"}}, "entity alpha: needs an English 'label'"),
        (
            {
                "passages": {
                    "p1": {"quote": "Beta wants gamma.", "facts": [["beta", "requires", "alpha"]]}
                }
            },
            "passage p1: quote not found verbatim",
        ),
        (
            {
                "passages": {
                    "p1": {"quote": "Alpha drives beta.", "facts": [["alpha", "drives", "beta"]]}
                }
            },
            "passage p1: quote occurs 2 times",
        ),
        (
            {
                "passages": {
                    "p1": {"quote": "Beta needs gamma.", "facts": [["beta", "requires", "gamma"]]}
                }
            },
            "passage p1 fact 1: unknown entity 'gamma'",
        ),
        (
            {
                "passages": {
                    "p1": {"quote": "Beta needs gamma.", "facts": [["beta", "needz", "alpha"]]}
                }
            },
            "passage p1 fact 1: unknown property 'needz'",
        ),
        (
            {"passages": {"p1": {"quote": "Beta needs gamma.", "facts": [["beta", "requires"]]}}},
            "a fact is [subject, predicate, object]",
        ),
        (
            {"passages": {"p1": {"quote": "Beta needs gamma.", "facts": []}}},
            "passage p1: states no facts",
        ),
        (
            {"entities__delta": {"type": "Concept", "label": "delta"}},
            "entity delta: has no evidence",
        ),
        ({"document": {"id": "Bad Id", "text": "doc.txt", "title": "T"}}, "document.id"),
        (
            {"document": {"id": "d", "text": "missing.txt", "title": "T"}},
            "document.text: the stored text 'missing.txt' cannot be read",
        ),
    ],
)
def test_mistakes_are_reported_on_one_line(tmp_path, onto, changes, message):
    path = source(tmp_path, **changes)
    with pytest.raises(AuthoringError) as info:
        compile_source(path, ontology=onto)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(str(path))
    assert message in text


def test_occurrence_picks_the_repeated_quote(tmp_path, onto):
    path = source(
        tmp_path,
        passages={
            "p1": {
                "quote": "Alpha drives beta.",
                "occurrence": 2,
                "facts": [["alpha", "drives", "beta"]],
            }
        },
    )
    trig = compile_source(path, ontology=onto).trig()
    assert f'pkg:startOffset "{TEXT.rindex("Alpha drives beta.")}"^^xsd:nonNegativeInteger' in trig


def test_yaml_syntax_error_names_file_and_line(tmp_path, onto):
    path = tmp_path / "bad.yaml"
    path.write_text("document:\n  id: x\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"bad\.yaml:\d+:\d+: YAML syntax error"):
        compile_source(path, ontology=onto)


def test_the_fast_yaml_loader_builds_what_the_safe_loader_builds(root):
    """``_safe_load`` uses libyaml when PyYAML has it; the values must not depend on that."""
    import yaml

    from policykg.authoring.compiler import _safe_load

    text = (root / "graphs" / "sources" / "ncpf-2025.yaml").read_text(encoding="utf-8")
    assert yaml.__with_libyaml__, "PyYAML without libyaml: the fast path is not tested"
    assert _safe_load(text) == yaml.load(text, Loader=yaml.SafeLoader)


# -- rejected passages (issue 20): remembered in the source, never compiled ------------------------


def _rejecting(tmp_path: Path, quote: str, **extra) -> Path:
    """A source whose passage p2 is rejected (``quote``), mentioned by beta."""
    return source(
        tmp_path,
        entities__beta={"type": "Goal", "label": "beta", "mentioned_in": ["p1", "p2"]},
        passages__p2={"status": "rejected", "quote": quote,
                      "facts": [{"subject": "alpha", "status": "proposed", "drives": "beta"}],
                      **extra},
    )


def test_a_rejected_passage_is_dropped_with_what_it_holds(tmp_path, onto):
    c = compile_source(_rejecting(tmp_path, "Alpha drives beta.", occurrence=2), ontology=onto)
    trig = c.trig()
    assert "test-doc-p2" not in trig and "pkg:drives" not in trig  # its fact (still proposed)
    assert "pkg:mentionedIn kg:test-doc-p1 ." in trig  # its mention goes, not the others


def test_accepted_mapping_drops_a_rejected_passage_and_its_mentions():
    from policykg.authoring.status import accepted_mapping

    src = (
        "entities:\n"
        "  a:\n    status: accepted\n    mentioned_in: [p1, p2]\n"
        "  b:\n    status: accepted\n    mentioned_in: [p2]\n"
        "passages:\n"
        "  p1:\n    status: accepted\n    quote: One.\n"
        "  p2:\n    status: rejected\n    quote: Two.\n"
        "    provisions:\n      - {status: proposed, modality: obligation}\n"
    )
    out = accepted_mapping(yaml.safe_load(src), "x.yaml", src, document_text="One. Two.")
    assert out == {"entities": {"a": {"mentioned_in": ["p1"]}, "b": {}},
                   "passages": {"p1": {"quote": "One."}}}


@pytest.mark.parametrize(
    ("quote", "extra", "problem"),
    [
        ("Gamma drives beta.", {}, "quote not found verbatim in the document's text"),
        ("Alpha drives beta.", {}, "quote occurs 2 times; say which with 'occurrence'"),
        ("Alpha drives beta.", {"occurrence": 3}, "occurrence must be 1..2"),
    ],
)
def test_a_rejected_passage_names_real_words_of_the_text(tmp_path, onto, quote, extra, problem):
    path = _rejecting(tmp_path, quote, **extra)
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1)
                if text.strip().startswith("quote: " + quote))
    with pytest.raises(AuthoringError) as err:
        compile_source(path, ontology=onto)
    assert str(err.value).startswith(f"{path}:{line}: passage p2: rejected, but {problem}")


def test_only_a_passage_can_be_rejected(tmp_path, onto):
    path = source(tmp_path, entities__alpha={"type": "Concept", "label": "alpha",
                                             "status": "rejected"})
    with pytest.raises(AuthoringError, match=r"doc\.yaml:\d+: entity alpha: only a passage can "
                                             "be 'rejected'"):
        compile_source(path, ontology=onto)


def test_the_reviewed_source_reads_its_rejections(tmp_path):
    """The drafter leaves out what a rejected passage overlaps; the record layer does not mind
    rejections; the digest changes with the rejections alone."""
    from policykg.authoring.annotate import split_sentences
    from policykg.authoring.corpus.reviewed import reviewed_source

    sources = tmp_path / "graphs" / "sources"
    sources.mkdir(parents=True)
    text = "第一句话。第二句话。第三句话。"
    (sources / "d.txt").write_text(text, encoding="utf-8")
    data = {"document": {"id": "d", "text": "d.txt"},
            "passages": {"s1": {"status": "accepted", "quote": "第一句话。"},
                         "s2": {"status": "rejected", "quote": "第二句"}}}
    yaml_file = sources / "d.yaml"
    yaml_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = reviewed_source(sources, "d")
    assert found is not None and found.rejected == ((5, 8),)
    sentences = split_sentences(text, "zh")
    assert found.overlapping(sentences) == set()  # no built graph: no reviewed passage
    assert found.not_drafted(sentences) == {2}
    del data["passages"]["s2"]
    yaml_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "graphs" / "d.trig").write_text("", encoding="utf-8")  # built: digest of graph
    unrejected = reviewed_source(sources, "d")
    assert unrejected is not None and unrejected.rejected == ()
    data["passages"]["s2"] = {"status": "rejected", "quote": "第三句话。"}
    yaml_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rejected = reviewed_source(sources, "d")
    assert rejected is not None and rejected.not_drafted(sentences) == {3}
    assert rejected.digest != unrejected.digest  # the same graph, other rejections
    data["passages"]["s2"]["quote"] = "第四句话。"
    yaml_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(AuthoringError, match=r"d\.yaml:\d+: passage s2: rejected, but quote "
                                             "not found verbatim"):
        reviewed_source(sources, "d")
