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
