"""Incremental validation: a new document checked against what it touches in the store reports
the problems a full validation of the corpus plus that document reports.

Differential tests: on the fixtures (the fixture project in a store, each fixture as the new
document) and on a small generated corpus (each document with a planted problem, added to the
clean corpus without it).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from fixtures.extensions.helpers import FIXTURES, cli_env, clone
from policykg.checks.data import CheckData, Source, part_source, project_parts
from policykg.checks.incremental import validate_against_store
from policykg.checks.report import Problem
from policykg.checks.validate import validate_data
from policykg.core.paths import graphs_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import corpus

RDF_FIXTURES = sorted(
    p.name for p in FIXTURES.iterdir() if p.suffix in (".ttl", ".trig") and "syntax" not in p.name
)
CHECKS: dict[str, Any] = {"owl": "sparql"}


def _seen(problems: list[Problem]) -> list[tuple[str, str, str, str]]:
    return sorted({(p.entity, p.rule, p.message, p.severity) for p in problems})


def _store(sources: list[Source]) -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    for s in sources:
        store.extend(list(s.quads()))
    return store


def _full(
    sources: list[Source], texts_dir: Path | None, texts: dict[str, str] | None = None
) -> list[Problem]:
    data = CheckData.load(sources, texts_dir=texts_dir, texts=texts)
    try:
        return validate_data(data, **CHECKS).problems
    finally:
        data.close()


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_store(base: Path) -> Any:
    from fixtures.extensions.helpers import use_project

    with use_project(base):
        parts = project_parts(extensions=False)
    return _store([part_source(p.name, p.quads, p.ontology) for p in parts])


@pytest.mark.parametrize("name", RDF_FIXTURES)
def test_incremental_reports_what_full_validation_reports_on_each_fixture(
    project, fixture_store, name
):
    parts = project_parts([FIXTURES / name], extensions=False)
    sources = [part_source(p.name, p.quads, p.ontology) for p in parts]
    full = _full(sources, graphs_dir())
    new = [s for s in sources if s.name.endswith(name)]
    report = validate_against_store(
        new, fixture_store, store_name="store", texts_dir=graphs_dir(), **CHECKS
    )
    assert _seen(report.problems) == _seen(full)
    assert all(p.file == new[0].name for p in report.problems)
    assert bool(report.violations) == name.startswith("broken-")


# -- generated corpora --------------------------------------------------------------------------


def _by_graph(lines: list[str]) -> dict[str, list[str]]:
    """N-Quads lines by document: ``doc-00002`` -> its document graph and passage graphs."""
    out: dict[str, list[str]] = {}
    for line in lines:
        graph = line.rsplit(" ", 2)[-2]
        doc = graph.rsplit("/", 1)[-1].strip("<>").split("-p")[0]
        out.setdefault(doc if doc.startswith("doc-") else "", []).append(line)
    return out


def _source(name: str, lines: list[str]) -> Source:
    import pyoxigraph as ox

    quads = list(ox.parse("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    return Source(name, lambda: quads)


@pytest.fixture(scope="module")
def corpora() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, str], dict[str, str]]:
    broken = _by_graph(corpus.generate(2000, broken=True))
    broken_texts = dict(corpus.TEXTS)
    docs = 1 + corpus.PER_KIND * len(corpus.PLANTS)
    clean = _by_graph(corpus.generate(2000, docs=docs))
    return clean, broken, dict(corpus.TEXTS), broken_texts


def test_the_generated_corpora_validate_clean_and_with_the_planted_counts(corpora):
    clean, broken, texts, broken_texts = corpora
    ok = _full(
        [_source("clean", [line for lines in clean.values() for line in lines])], None, texts
    )
    assert ok == []
    bad = _full(
        [_source("broken", [line for lines in broken.values() for line in lines])],
        None,
        broken_texts,
    )
    counts: dict[str, int] = {}
    for p in bad:
        assert p.severity == "violation", p
        counts[p.rule] = counts.get(p.rule, 0) + 1
    assert counts == corpus.planted_counts()


@pytest.mark.parametrize("kind", list(corpus.PLANTS))
def test_incremental_reports_what_full_validation_reports_on_a_corpus(corpora, kind):
    clean, broken, texts, broken_texts = corpora
    doc = f"doc-{2 + list(corpus.PLANTS).index(kind) * corpus.PER_KIND:05d}"
    rest = [line for d, lines in clean.items() if d != doc for line in lines]
    store_source = _source("store", rest)
    new = _source(f"{doc}.nq", broken[doc])
    texts = {**texts, f"sources/{doc}.txt": broken_texts[f"sources/{doc}.txt"]}
    full = _full([store_source, new], None, texts)
    report = validate_against_store(
        [new], _store([store_source]), store_name="store", texts_dir=None, texts=texts, **CHECKS
    )
    assert _seen(report.problems) == _seen(full)
    rules = {p.rule for p in report.violations}
    assert rules == set(corpus.PLANTS[kind]), report.lines()


def _load(root: Path, store: Path) -> None:
    """``policykg load --store STORE`` of the project ``root``, in this process (a step before
    the command a test runs as a process of its own)."""
    from fixtures.extensions.helpers import use_project
    from policykg.apps.cli import main

    with use_project(root):
        assert main(["load", "--store", str(store), "-q"]) == 0


def test_validate_store_command(base, tmp_path, run_cli):
    root = clone(base, tmp_path / "proj")
    env = cli_env(root)
    _load(root, tmp_path / "kg.oxigraph")
    args = ["validate", "--store", str(tmp_path / "kg.oxigraph"), "--format", "json"]
    ok = run_cli([*args, str(FIXTURES / "valid-green-hydrogen.trig")], env=env)
    assert ok.returncode == 0, ok.stderr
    import json

    report = json.loads(ok.stdout)
    assert report["ok"] is True and report["owl_check"] == "sparql"
    bad = run_cli([*args, str(FIXTURES / "broken-quote.trig")], env=env)
    assert bad.returncode == 1
    problems = json.loads(bad.stdout)["problems"]
    assert [p["rule"] for p in problems] == ["quote verbatim"]
    assert "Traceback" not in bad.stderr


def test_add_store_checks_a_new_source_against_the_store(base, tmp_path, run_cli):
    from fixtures.extensions.helpers import ADD, tree_hash

    root = clone(base, tmp_path / "proj")
    env = cli_env(root)
    store = tmp_path / "kg.oxigraph"
    _load(root, store)
    before = tree_hash(root)
    ok = run_cli(
        ["add", "--store", str(store), "--dry-run", str(ADD / "solar-brief.yaml")], env=env
    )
    assert ok.returncode == 0, ok.stderr
    bad = run_cli(["add", "--store", str(store), str(ADD / "broken-quote.yaml")], env=env)
    assert bad.returncode in (1, 2), bad.stderr
    assert "was not" in bad.stderr or "error" in bad.stderr
    assert tree_hash(root) == before


#: A new document that the graph-wide shapes report on, about entities of the store: a value
#: outside a range (kg:high-quality-development is a goal, not a place), a subject outside a
#: domain, a misspelt property, a literal where an entity belongs.
GRAPH_WIDE = """
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix kg: <https://w3id.org/policykg/id/> .
kg:hefei pkg:locatedIn kg:high-quality-development .
kg:china pkg:capitalOf kg:anhui ; pkg:pursuess kg:hefei ; pkg:drives "nothing" .
"""


def test_incremental_reports_what_full_validation_reports_for_the_graph_wide_shapes(
    project, fixture_store, tmp_path
):
    doc = tmp_path / "graph-wide.ttl"
    doc.write_text(GRAPH_WIDE, encoding="utf-8")
    parts = project_parts([doc], extensions=False)
    sources = [part_source(p.name, p.quads, p.ontology) for p in parts]
    full = _full(sources, graphs_dir())
    new = [s for s in sources if s.name.endswith(doc.name)]
    report = validate_against_store(
        new, fixture_store, store_name="store", texts_dir=graphs_dir(), **CHECKS
    )
    assert _seen(report.problems) == _seen(full)
    rules = {p.rule for p in report.problems}
    assert {
        "object property: value in range",
        "object property: subject in domain",
        "vocabulary use: no unknown pkg: term",
        "vocabulary use: object property values are entities",
    } <= rules, rules


def _store_graph_quads(store: Path, graph: str) -> int:
    import pyoxigraph as ox

    opened = ox.Store.read_only(str(store))
    try:
        return sum(1 for _ in opened.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    finally:
        del opened


def test_add_store_adds_the_new_document_to_the_store(base, tmp_path, run_cli):
    from fixtures.extensions.helpers import ADD
    from policykg.core.namespaces import KG, KGG

    root = clone(base, tmp_path / "proj")
    env = cli_env(root)
    store = tmp_path / "kg.oxigraph"
    _load(root, store)
    assert _store_graph_quads(store, f"{KGG}solar-brief") == 0
    added = run_cli(["add", "--store", str(store), str(ADD / "solar-brief.yaml")], env=env)
    assert added.returncode == 0, added.stderr
    assert (root / "graphs" / "solar-brief.trig").is_file()
    assert _store_graph_quads(store, f"{KGG}solar-brief") > 0
    # the store now answers for the new document: a second add of the same id is refused there
    # by the project, and a validation against the store sees its passages
    again = run_cli(
        ["validate", "--store", str(store), str(root / "graphs" / "solar-brief.trig")], env=env
    )
    assert again.returncode == 0, again.stderr
    assert str(KG) in (root / "graphs" / "solar-brief.trig").read_text(encoding="utf-8")


def test_add_store_writes_nothing_when_the_store_cannot_take_the_document(base, tmp_path, run_cli):
    import fcntl
    import os

    from fixtures.extensions.helpers import ADD, tree_hash
    from policykg.core.namespaces import KGG

    root = clone(base, tmp_path / "proj")
    env = cli_env(root)
    store = tmp_path / "kg.oxigraph"
    _load(root, store)
    before, quads = tree_hash(root), _store_graph_quads(store, f"{KGG}solar-brief")
    # another load holds the store's lock: the append fails after the files were written
    fd = os.open(tmp_path / ".kg.oxigraph.lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        bad = run_cli(["add", "--store", str(store), str(ADD / "solar-brief.yaml")], env=env)
    finally:
        os.close(fd)
    assert bad.returncode == 2, bad.stderr
    assert "the files just written were removed" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert tree_hash(root) == before
    assert _store_graph_quads(store, f"{KGG}solar-brief") == quads == 0


def test_add_store_refuses_a_source_already_registered(base, tmp_path, run_cli):
    from fixtures.extensions.helpers import tree_hash

    root = clone(base, tmp_path / "proj")
    env = cli_env(root)
    store = tmp_path / "kg.oxigraph"
    _load(root, store)
    before = tree_hash(root)
    source = root / "graphs" / "sources" / "fixture-brief.yaml"
    bad = run_cli(["add", "--store", str(store), str(source)], env=env)
    assert bad.returncode == 2, bad.stderr
    assert "already registered" in bad.stderr
    assert tree_hash(root) == before


#: A new entity of an extension named like the fixture project's kg:state-owned-enterprises.
IMPOSTOR = """
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix kg: <https://w3id.org/policykg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
kg:soe-impostor a pkg:CollectiveActor ; skos:prefLabel "state-owned enterprises"@en ;
    rdfs:label "state-owned enterprises"@en ; pkg:mentionedIn kg:fixture-brief-p5 .
"""


def test_add_store_reports_a_label_taken_from_the_store_as_a_warning(project, tmp_path, run_main):
    import json

    from fixtures.extensions.helpers import tree_hash

    store = tmp_path / "kg.oxigraph"
    assert run_main(["load", "--store", str(store)]).returncode == 0
    ext = tmp_path / "impostor.ttl"
    ext.write_text(IMPOSTOR, encoding="utf-8")
    before = tree_hash(project)
    done = run_main(["add", "--store", str(store), "--dry-run", "--format", "json", str(ext)])
    assert done.returncode == 0, done.stderr  # a warning does not stop the addition
    report = json.loads(done.stdout)
    shared = [
        (p["entity"], p["message"]) for p in report["problems"] if p["rule"] == "shared label"
    ]
    assert report["ok"] is True and len(shared) == 2, report
    assert {e.rsplit(" ", 1)[-1] for e, _ in shared} == {
        "(kg:soe-impostor)",
        "(kg:state-owned-enterprises)",
    }
    assert tree_hash(project) == before


def test_add_says_its_warnings_in_text_mode(project, tmp_path, run_main):
    """Regression: ``add`` printed warnings only with ``--format json`` (issue 25 N16)."""
    store = tmp_path / "kg.oxigraph"
    assert run_main(["load", "--store", str(store)]).returncode == 0
    ext = tmp_path / "impostor.ttl"
    ext.write_text(IMPOSTOR, encoding="utf-8")
    done = run_main(["add", "--store", str(store), "--dry-run", str(ext)])
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if "shared label" in line]
    assert len(said) == 2 and any("kg:soe-impostor" in line for line in said), done.stderr
    assert "dry run: nothing written" in done.stdout
