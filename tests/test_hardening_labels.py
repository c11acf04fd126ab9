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


# -- validate --store: the new files' labels against the store's (issue 25 point 5) ----------------

#: A new entity of an extension, valid but for its label (mentioned in the passage that mentions
#: the store's kg:state-owned-enterprises).
NEWCOMER = """@prefix kg: <https://w3id.org/policykg/id/> .
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:{name} a pkg:CollectiveActor ; skos:prefLabel "{label}"@en ; rdfs:label "{label}"@en ;
    pkg:mentionedIn kg:ncpf-2025-p12-4 .
"""


@pytest.fixture(scope="module")
def project_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's project loaded into an Oxigraph store (``policykg load --store``)."""
    from policykg.rdf.graphio import graph_files
    from policykg.store.bulk import load_store

    target = tmp_path_factory.mktemp("labels") / "kg.oxigraph"
    load_store(graph_files(), target)
    return target


def _newcomer(folder: Path, name: str, label: str) -> Path:
    path = folder / f"{name}.ttl"
    path.write_text(NEWCOMER.replace("{name}", name).replace("{label}", label), encoding="utf-8")
    return path


@pytest.mark.parametrize(("label", "rule"), [
    ("state-owned enterprises", "shared label"),
    ("state-\u043ewned enterprises", "confusable label"),  # Cyrillic o
])
def test_validate_store_warns_about_a_new_entity_taking_a_stored_label(
    label: str, rule: str, project_store: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ext = _newcomer(tmp_path, "soe-impostor", label)
    code = main(["validate", "--store", str(project_store), str(ext)])
    out = capsys.readouterr().out
    assert code == 0, out  # warnings only
    lines = [line for line in out.splitlines() if f"[{rule}]" in line]
    assert lines and all(line.endswith("(warning)") for line in lines), out
    # the newcomer's warning names the stored entity, and the stored entity's names the newcomer
    assert any("(kg:soe-impostor): " in line and "kg:state-owned-enterprises" in line
               for line in lines), out
    assert any("(kg:state-owned-enterprises): " in line and "kg:soe-impostor" in line
               for line in lines), out
    assert all(line.startswith(f"{ext}: ") for line in out.splitlines()), out


def test_validate_store_gives_a_clean_extension_no_label_warning(
    project_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ext = _newcomer(tmp_path, "soe-reformers", "state-owned enterprise reformers")
    code = main(["validate", "--store", str(project_store), str(ext)])
    out = capsys.readouterr().out
    assert code == 0 and "label]" not in out, out


def _against(store_ttl: str, new_ttl: str) -> list[tuple[str, str, str]]:
    """The label warnings of ``new_ttl`` validated against a store holding ``store_ttl``."""
    import pyoxigraph as ox

    from policykg.checks.data import Source
    from policykg.checks.incremental import validate_against_store

    head = ("@prefix kg: <https://w3id.org/policykg/id/> . "
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n")

    def quads(ttl: str, graph: str) -> list[ox.Quad]:
        return [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
                for t in ox.parse((head + ttl).encode(), format=ox.RdfFormat.TURTLE)]

    store = ox.Store()
    store.extend(quads(store_ttl, "https://w3id.org/policykg/graph/old"))
    new = quads(new_ttl, "https://w3id.org/policykg/graph/new")
    report = validate_against_store([Source("new.ttl", lambda: new)], store, store_name="store",
                                    texts_dir=None, shacl=False, evidence=False, owl=False)
    return sorted((p.file, p.entity, p.message) for p in report.problems if "label" in p.rule
                  and p.severity == "warning")


def test_validate_store_reports_the_pairs_with_a_new_label_only() -> None:
    stored = 'kg:a skos:prefLabel "twin"@en . kg:b skos:prefLabel "twin"@en .'
    found = _against(stored, 'kg:c skos:prefLabel "twin"@en . kg:d skos:prefLabel "tw\u0456n"@en .')
    assert all(file == "new.ttl" for file, _, _ in found), found
    by_entity: dict[str, list[str]] = {}
    for _, entity, message in found:
        by_entity.setdefault(entity, []).append(message)
    # new against stored and new against new, both ways; stored against stored not again
    c, d = '"twin" (kg:c)', '"tw\u0456n" (kg:d)'
    assert sorted(by_entity) == ['"twin" (kg:a)', '"twin" (kg:b)', c, d], found
    assert any("kg:a" in m and "kg:b" in m for m in by_entity[c]), found
    assert any("kg:a" in m and "kg:b" in m and "kg:c" in m for m in by_entity[d]), found
    for stored_one, other in (("kg:a", "kg:b"), ("kg:b", "kg:a")):
        messages = by_entity[f'"twin" ({stored_one})']
        assert len(messages) == 2, messages  # shared with kg:c, confusable with kg:d
        assert all(other not in m and ("kg:c" in m or "kg:d" in m) for m in messages), messages
    # a new file naming a stored entity without labelling it reopens nothing
    assert _against(stored, "kg:a kg:p kg:b .") == []
