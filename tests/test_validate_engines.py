"""The SHACL engine chosen (pyshacl-turbo) reports what pySHACL (the reference) reports.

Compared as sets of problems (focus node, path, rule, severity, message), split and unsplit, on every broken and
valid fixture with the fixture project, and on one case per SHACL Core constraint component the
project's shapes use. The other half of this file: the OWL check by queries gives HermiT's
verdict on the fixtures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef

from fixtures.extensions.helpers import FIXTURES, need_java
from policykg.checks.data import CheckData, Source, part_source, project_parts
from policykg.checks.shacl import SHACL_ENGINES, shacl_report
from policykg.checks.validate import validate_data
from policykg.core.paths import graphs_dir

SH = "http://www.w3.org/ns/shacl#"
COMPONENTS = Path(__file__).parent / "fixtures" / "shacl" / "components.ttl"
RDF_FIXTURES = sorted(
    p.name for p in FIXTURES.iterdir() if p.suffix in (".ttl", ".trig") and "syntax" not in p.name
)


def _keys(report: Graph) -> set[tuple[str, ...]]:
    out = set()
    for r in report.subjects(URIRef(SH + "resultSeverity"), None):
        out.add(
            tuple(
                str(report.value(r, URIRef(SH + name)))
                for name in (
                    "focusNode",
                    "resultPath",
                    "sourceConstraintComponent",
                    "resultSeverity",
                )
            )
        )
    return out


def _data(paths: list[Path], keep: Callable[[Any], bool] = lambda part: True) -> CheckData:
    sources = [part_source(p.name, p.quads, p.ontology) for p in project_parts(paths) if keep(p)]
    return CheckData.load(sources, texts_dir=graphs_dir())


def test_both_engines_are_offered():
    assert SHACL_ENGINES == ("pyshacl-turbo", "pyshacl")


def test_turbo_agrees_on_each_constraint_component_the_shapes_use(root, tmp_path):
    shapes = Graph().parse(COMPONENTS)
    data = tmp_path / "components.nt"
    shapes.serialize(data, format="nt", encoding="utf-8")
    reference = _keys(shacl_report(data, shapes, engine="pyshacl"))
    turbo = _keys(shacl_report(data, shapes, engine="pyshacl-turbo"))
    assert turbo == reference
    used = {
        str(o).rsplit("#", 1)[-1]
        for o in Graph().parse(root / "ontology" / "shapes.ttl").predicates()
        if str(o).startswith(SH)
    }
    components = {k[2].rsplit("#", 1)[-1] for k in reference}
    # every constraint parameter of the project's shapes has its case (and fails there)
    expected = {
        "class": "ClassConstraintComponent",
        "datatype": "DatatypeConstraintComponent",
        "hasValue": "HasValueConstraintComponent",
        "languageIn": "LanguageInConstraintComponent",
        "maxCount": "MaxCountConstraintComponent",
        "minCount": "MinCountConstraintComponent",
        "or": "OrConstraintComponent",
        "pattern": "PatternConstraintComponent",
        "qualifiedMinCount": "QualifiedMinCountConstraintComponent",
        "qualifiedMaxCount": "QualifiedMaxCountConstraintComponent",
        "sparql": "SPARQLConstraintComponent",
    }
    assert set(expected) <= used
    assert components == set(expected.values())
    assert {k[3].rsplit("#", 1)[-1] for k in reference} == {"Violation", "Warning"}


def test_pyshacl_as_run_here_reports_what_pyshacl_alone_reports(tmp_path):
    """shacl_report's pySHACL (each SPARQL text parsed once, the graph validated in place)
    gives the very report graph of a plain ``pyshacl.validate`` on a copy, every triple."""
    from pyshacl import validate
    from rdflib.compare import isomorphic

    from policykg.checks.shacl_engine import _OPTIONS

    shapes = Graph().parse(COMPONENTS)
    data = shapes.serialize(format="nt", encoding="utf-8")
    _c, alone, _t = validate(Graph().parse(data=data, format="nt"), shacl_graph=shapes, **_OPTIONS)
    here = shacl_report(data, shapes, engine="pyshacl")
    assert len(alone) > 100  # the case fails every component, the SPARQL ones too
    assert any(str(o).endswith("#SPARQLConstraintComponent") for o in alone.objects())
    assert isomorphic(here, alone)


def test_an_unknown_engine_is_refused(project):
    from policykg.core.errors import ValidationError

    data = _data([])
    try:
        with pytest.raises(ValidationError, match="unknown SHACL engine 'jena'"):
            validate_data(data, engine="jena", owl=False)
    finally:
        data.close()


# -- OWL: the queries and HermiT agree -------------------------------------------------------------


@pytest.mark.java
@pytest.mark.parametrize("name", [None, *RDF_FIXTURES])
def test_the_owl_queries_give_hermits_verdict_on_every_fixture(project, name):
    need_java()
    data = _data([FIXTURES / name] if name else [])
    try:
        kw = {"shacl": False, "evidence": False, "queries": False}
        hermit = validate_data(data, owl="hermit", **kw)
        queries = validate_data(data, owl="sparql", **kw)
    finally:
        data.close()
    assert hermit.owl_check == "hermit" and queries.owl_check == "sparql"
    assert hermit.consistent is queries.consistent
    assert hermit.consistent is (name != "broken-inconsistent.ttl")
    strip = [(p.file, p.entity, p.rule, p.message.split(": ", 1)[1]) for p in hermit.problems]
    assert strip == [
        (p.file, p.entity, p.rule, p.message.split(": ", 1)[1]) for p in queries.problems
    ]


@pytest.mark.java
def test_hermit_never_follows_owl_imports(project, tmp_path):
    need_java()
    ext = tmp_path / "imports.ttl"
    ext.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://example.org/x> a owl:Ontology ; owl:imports <http://192.0.2.1/never.owl> .\n",
        encoding="utf-8",
    )
    data = _data([ext])
    try:
        report = validate_data(data, owl="hermit", shacl=False, evidence=False, queries=False)
    finally:
        data.close()
    assert report.consistent is True
    assert report.timings["hermit"] < 60


# -- the graph-wide shapes on the store give the engine's problems -------------------------------

#: Data every graph-wide constraint reports on: an unlabelled, undefined pkg: class, a misspelt
#: property, a literal and a blank node as values of object properties (which send their shape
#: back to the engine), a subject outside a domain and a value outside a range.
GRAPH_WIDE = """
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix kg: <https://w3id.org/policykg/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
pkg:Unlabelled a owl:Class .
kg:gw-a a pkg:Goal ; rdfs:label "a"@en ; skos:prefLabel "a"@en ; pkg:pursuess kg:gw-b .
kg:gw-b a pkg:Passage ; pkg:pursues kg:gw-a ; pkg:locatedIn kg:gw-a .
"""
LITERAL_VALUE = """
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix kg: <https://w3id.org/policykg/id/> .
kg:gw-c pkg:contributesTo "05"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""
#: pySHACL's blank nodes get new labels when it parses: this one is compared with the engine only.
BLANK_VALUE = """
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix kg: <https://w3id.org/policykg/id/> .
kg:gw-d pkg:contributesTo [ pkg:title "x" ] .
"""


def _split_and_reference(
    data: CheckData, *, turbo_unsplit: list[Any] | None = None
) -> tuple[list[Any], list[Any], list[Any]]:
    from policykg.checks.shacl import check_shacl_data
    from policykg.core.paths import shapes_file
    from policykg.rdf.graphio import parse_file

    shapes = parse_file(shapes_file())

    def run(engine: str, split: bool) -> list[Any]:
        return sorted(set(check_shacl_data(data, shapes, engine=engine, split=split)))

    if turbo_unsplit is not None:
        turbo_unsplit += run("pyshacl-turbo", False)
    return run("pyshacl-turbo", True), run("pyshacl", True), run("pyshacl", False)


def test_the_graph_wide_shapes_are_run_on_the_store(root):
    from policykg.checks.shacl import split_shapes
    from policykg.rdf.graphio import parse_file

    shapes = parse_file(root / "ontology" / "shapes.ttl")
    rest, graph_wide = split_shapes(shapes)
    names = {str(s.node).rsplit("#", 1)[-1] for s in graph_wide}
    assert names == {"OntologyTermShape", "VocabularyUseShape", "DomainRangeShape"}
    assert len(rest) < len(shapes)
    for shape in graph_wide:
        assert (shape.node, None, None) not in rest


CASES = {"graph-wide": GRAPH_WIDE, "literal-value": LITERAL_VALUE, "blank-value": BLANK_VALUE}


def _case_paths(tmp_path: Path, name: str | None) -> list[Path]:
    """The files of one case: a written graph-wide case, a fixture, or none (the project)."""
    if name in CASES:
        path = tmp_path / f"{name}.ttl"
        path.write_text(CASES[name], encoding="utf-8")
        return [path]
    return [FIXTURES / name] if name is not None else []


@pytest.mark.parametrize("name", [None, *CASES, *RDF_FIXTURES])
def test_the_split_reports_what_pyshacl_reports_on_all_shapes(project, tmp_path, name):
    data = _data(_case_paths(tmp_path, name))
    turbo_unsplit: list[Any] = []
    try:
        turbo, reference_split, reference = _split_and_reference(data, turbo_unsplit=turbo_unsplit)
    finally:
        data.close()
    assert turbo == turbo_unsplit
    if name == "blank-value":
        rules = {p.rule for p in turbo}
        assert "vocabulary use: object property values are entities" in rules
        return
    assert turbo == reference  # so the engine unsplit reports what pySHACL reports
    assert reference_split == reference
    if (
        name in RDF_FIXTURES
        and name.startswith("broken-")
        and name
        not in ("broken-fact-outside-passage.ttl", "broken-quote.trig", "broken-inconsistent.ttl")
    ):
        assert reference, "a broken fixture SHACL catches must give results"
    if name in CASES:
        rules = {p.rule for p in reference}
        # every graph-wide constraint has its case here, so the comparison can fail
        expected = {
            "graph-wide": {
                "ontology term: English label",
                "ontology term: Chinese label",
                "ontology term: English definition",
                "vocabulary use: no unknown pkg: term",
                "object property: subject in domain",
                "object property: value in range",
            },
            "literal-value": {"vocabulary use: object property values are entities"},
        }[name]
        assert expected <= rules, rules


def test_the_split_reports_what_pyshacl_reports_on_the_article(root):
    from fixtures.extensions.helpers import use_project

    with use_project(root):
        # the ontology and the article: the project's other documents (the reviewed work
        # reports) added 20 s of pySHACL and no kind of node the article lacks
        def article(part: Any) -> bool:
            return bool(part.ontology or part.name.endswith("ncpf-2025.trig"))

        assert sum(map(article, project_parts([]))) == 2
        data = _data([], keep=article)
        try:
            turbo, reference_split, reference = _split_and_reference(data)
        finally:
            data.close()
    assert turbo == reference_split == reference


def test_the_split_reports_what_pyshacl_reports_on_a_generated_corpus(project):
    """pyshacl-turbo as validate runs it (split) reports what pySHACL unsplit reports.

    The broken corpus only: the clean one (``broken=False``, which this test also ran) is all
    but two of its lines (the planted quote's shifted offsets, which no shape reads), so any
    result the engines disagree on there they disagree on here. pySHACL split is not run here:
    that it reports what it reports unsplit is checked on every fixture, every graph-wide case
    and the article (the tests above).
    """
    import sys

    import pyoxigraph as ox

    from policykg.checks.shacl import check_shacl_data
    from policykg.core.paths import shapes_file
    from policykg.rdf.graphio import parse_file

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    import corpus

    # one planted problem of each kind (pySHACL takes 30 s on three of each, 13 s on one)
    lines = corpus.generate(2000, broken=True, per_kind=1)
    quads = list(ox.parse("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    data = CheckData.load(
        [*_sources_of_ontology(), Source("corpus", lambda: quads)], texts_dir=None
    )
    shapes = parse_file(shapes_file())
    try:
        turbo, reference = (
            sorted(set(check_shacl_data(data, shapes, engine=engine, split=split)))
            for engine, split in (("pyshacl-turbo", True), ("pyshacl", False))
        )
    finally:
        data.close()
    assert turbo == reference
    # the planted missing label and misspelt property (the other plants are not SHACL's)
    assert {p.rule for p in reference} == {
        "entity: one English preferred label",
        "vocabulary use: no unknown pkg: term",
    }


def _sources_of_ontology() -> list[Source]:
    return [
        part_source(p.name, p.quads, p.ontology)
        for p in project_parts([], extensions=False)
        if p.ontology
    ]


@pytest.mark.parametrize(
    "name", ["broken-unknown-class.ttl", "broken-missing-label.ttl", "graph-wide", "literal-value"]
)
def test_the_engine_in_a_process_of_its_own_reports_what_it_reports_in_process(
    project, tmp_path, name
):
    from policykg.checks.shacl import start_shacl
    from policykg.core.paths import shapes_file
    from policykg.rdf.graphio import parse_file

    shapes = parse_file(shapes_file())
    path = FIXTURES / name
    if name in CASES:  # literal-value: a graph-wide shape goes back to an engine of its own
        path = tmp_path / f"{name}.ttl"
        path.write_text(CASES[name], encoding="utf-8")
    data = _data([path])
    try:
        here = sorted(set(start_shacl(data, shapes, apart=False).problems()))
        apart = sorted(set(start_shacl(data, shapes, apart=True).problems()))
    finally:
        data.close()
    assert apart == here
    assert here, "the fixture has SHACL problems"


def test_a_failing_engine_process_is_one_error(project):
    from policykg.checks.shacl import EngineRun
    from policykg.core.errors import ValidationError

    run = EngineRun(b"", Graph(), engine="jena")
    with pytest.raises(ValidationError, match=r"the SHACL engine's process failed: .*jena"):
        run.report()


def test_the_engine_reads_only_the_predicates_its_shapes_can_read(root):
    from policykg.checks.shacl import engine_predicates, split_shapes
    from policykg.rdf.graphio import parse_file

    rest, _graph_wide = split_shapes(parse_file(root / "ontology" / "shapes.ttl"))
    predicates = engine_predicates(rest)
    assert predicates is not None
    pkg = "https://w3id.org/policykg/ontology#"
    # paths, targets, the predicates of the SPARQL constraints, and class membership
    for local in ("mentionedIn", "startOffset", "cue", "statedIn", "quote", "shouldFocusOn"):
        assert pkg + local in predicates
    assert "http://www.w3.org/2000/01/rdf-schema#subClassOf" in predicates
    assert pkg + "pursues" not in predicates  # no per-node shape reads it
    # a query with a variable predicate could read anything: no filter
    anything = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ;
          sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ] .""",
        format="turtle",
    )
    assert engine_predicates(anything) is None
    negated = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ;
          sh:sparql [ sh:select "SELECT $this WHERE { $this !<urn:p> ?o }" ] .""",
        format="turtle",
    )
    assert engine_predicates(negated) is None


@pytest.mark.parametrize("name", [None, *CASES, *RDF_FIXTURES])
def test_the_predicate_filter_keeps_the_engines_results(project, tmp_path, name):
    from policykg.checks.shacl import engine_predicates, keep_predicates, split_shapes
    from policykg.core.paths import shapes_file
    from policykg.rdf.graphio import parse_file

    rest, _graph_wide = split_shapes(parse_file(shapes_file()))
    predicates = engine_predicates(rest)
    assert predicates is not None
    data = _data(_case_paths(tmp_path, name))
    try:
        assert data.ntriples is not None
        kept = keep_predicates(data.ntriples, predicates)
        assert len(kept) < len(data.ntriples)
        for engine in ("pyshacl-turbo", "pyshacl"):
            whole = _keys(shacl_report(data.ntriples, rest, engine=engine))
            assert _keys(shacl_report(kept, rest, engine=engine)) == whole
    finally:
        data.close()


def test_graphs_that_are_not_passages_and_default_graph_facts_are_reported(project, tmp_path):
    from policykg.checks.evidence import check_evidence_data

    doc = tmp_path / "stray.trig"
    doc.write_text(
        """@prefix pkg: <https://w3id.org/policykg/ontology#> .
        @prefix kg: <https://w3id.org/policykg/id/> .
        kg:stray-graph { kg:hefei pkg:locatedIn kg:anhui . }
        { kg:hefei pkg:capitalOf kg:anhui . }
        """,
        encoding="utf-8",
    )
    data = _data([doc])
    try:
        problems, _passages = check_evidence_data(data)
    finally:
        data.close()
    found = {(Path(p.file).name, p.rule) for p in problems}
    assert ("stray.trig", "facts live in passage graphs") in found
    stray = [p for p in problems if p.rule == "facts live in passage graphs"]
    assert "kg:stray-graph holds 1 statements" in stray[0].message
    assert any(
        p.rule == "fact without evidence" and "pkg:capitalOf" in p.message for p in problems
    ), problems


# -- drafts named only in their text's language (issue 20) ----------------------------------------

#: A reviewed entity with only a Chinese label, its draft twin (pkg:reviewStatus pkg:Unreviewed),
#: a draft with no label at all, a draft with two English labels, and a reviewed entity named in
#: English: only the drafts named once in their language (and the English one) pass.
CHINESE_ONLY = """
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix kg: <https://w3id.org/policykg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:zh-reviewed a pkg:Concept ; skos:prefLabel "结构性改革"@zh ; rdfs:label "结构性改革"@zh .
kg:zh-draft a pkg:Concept ; pkg:reviewStatus pkg:Unreviewed ;
    skos:prefLabel "供给侧结构性改革"@zh ; rdfs:label "供给侧结构性改革"@zh .
kg:en-draft a pkg:Concept ; pkg:reviewStatus pkg:Unreviewed ;
    skos:prefLabel "structural reform"@en ; rdfs:label "structural reform"@en .
kg:nameless-draft a pkg:Concept ; pkg:reviewStatus pkg:Unreviewed .
kg:twice-draft a pkg:Concept ; pkg:reviewStatus pkg:Unreviewed ;
    skos:prefLabel "reform"@en , "reforms"@en ; rdfs:label "reform"@en .
kg:en-reviewed a pkg:Concept ; skos:prefLabel "opening up"@en ; rdfs:label "opening up"@en .
"""


def test_only_a_draft_may_lack_an_english_label_in_both_engines(project, tmp_path):
    """Regression (issue 20): a drafted term of a Chinese text is named "..."@zh only. The shapes
    and the violation query let that pass for an unreviewed resource, never for reviewed
    knowledge; a draft with no label at all, or two English ones, is still reported. pySHACL,
    pyshacl-turbo (split and not) and the query agree."""
    from policykg.checks.violations import check_violation_queries, violation_queries

    path = tmp_path / "chinese-only.ttl"
    path.write_text(CHINESE_ONLY, encoding="utf-8")
    data = _data([path])
    try:
        turbo_unsplit: list[Any] = []
        turbo, reference_split, reference = _split_and_reference(data, turbo_unsplit=turbo_unsplit)
        [query] = [q for q in violation_queries() if q.name == "unlabelled-entity-violation"]
        by_query = check_violation_queries(data, [query])
    finally:
        data.close()
    assert turbo == turbo_unsplit == reference_split == reference
    english = "entity: one English preferred label"
    # an entity named in Chinese only is named by its Chinese label in messages
    assert {p.entity for p in reference if p.rule == english} == {
        '"结构性改革" (kg:zh-reviewed)',
        "kg:nameless-draft",
        '"reform" (kg:twice-draft)',
    }
    assert {p.message for p in reference if p.rule == english} == {
        "every entity needs exactly one English preferred label (skos:prefLabel @en)"
    }
    assert {p.entity for p in reference if p.rule == "entity: has a label"} == {"kg:nameless-draft"}
    assert {p.entity for p in by_query} == {
        '"结构性改革" (kg:zh-reviewed)',
        "kg:nameless-draft",
        '"reform" (kg:twice-draft)',
    }
