"""Issue 25 N16 / point 5 (validate): shared and confusable labels are warned about."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.apps.cli import main
from policykg.checks.labels import skeleton

IMPOSTOR = """@prefix kg: <https://w3id.org/policykg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:impostor skos:prefLabel "{label}"@en ; rdfs:label "{label}"@en .
"""


def _existing_label(project: Path) -> str:
    import policykg

    kg = policykg.load()
    try:
        rows = kg.query('SELECT ?l WHERE { ?s a ?c ; skos:prefLabel ?l '
                        'FILTER(LANG(?l) = "en" && STRSTARTS(STR(?s), STR(kg:))) } '
                        'ORDER BY ?l LIMIT 1').rows
    finally:
        kg.close()
    return str(rows[0][0])


def test_skeletons_equal_confusables_and_keep_case() -> None:
    assert skeleton("st\u0430te") == skeleton("state")  # Cyrillic a
    assert skeleton("\uff33tate") == skeleton("State")  # full-width S (NFKC)
    assert skeleton("Party") != skeleton("party")


@pytest.mark.parametrize(("change", "rule"), [
    (lambda label: label, "shared label"),
    (lambda label: label.replace("e", "\u0435", 1), "confusable label"),  # Cyrillic e
])
def test_validate_warns_about_an_entity_taking_anothers_label(
    change, rule: str, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    label = _existing_label(project)
    assert "e" in label
    ext = tmp_path / "impostor.ttl"
    ext.write_text(IMPOSTOR.replace("{label}", change(label)), encoding="utf-8")
    main(["validate", "--no-owl", str(ext)])
    out = capsys.readouterr().out
    assert f"[{rule}]" in out and "(warning)" in out, out
    assert "impostor" in out
