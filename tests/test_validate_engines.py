"""The SHACL engine chosen (pyshacl-turbo) reports what pySHACL (the reference) reports.

Compared as sets of (focus node, result path, constraint component, severity) on every broken and
valid fixture with the fixture project, and on one case per SHACL Core constraint component the
project's shapes use. The other half of this file: the OWL check by queries gives HermiT's
verdict on the fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from fixtures.extensions.helpers import FIXTURES, need_java
from policykg.checks.data import CheckData, part_source, project_parts
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


def _data(paths: list[Path]) -> CheckData:
    sources = [part_source(p.name, p.quads, p.ontology) for p in project_parts(paths)]
    return CheckData.load(sources, texts_dir=graphs_dir())


def test_both_engines_are_offered():
    assert SHACL_ENGINES == ("pyshacl-turbo", "pyshacl")


@pytest.mark.parametrize("name", [None, *RDF_FIXTURES])
def test_turbo_reports_what_pyshacl_reports_on_every_fixture(project, name):
    data = _data([FIXTURES / name] if name else [])
    try:
        from policykg.core.paths import shapes_file
        from policykg.rdf.graphio import parse_file

        shapes = parse_file(shapes_file())
        assert data.ntriples is not None
        reference = _keys(shacl_report(data.ntriples, shapes, engine="pyshacl"))
        turbo = _keys(shacl_report(data.ntriples, shapes, engine="pyshacl-turbo"))
    finally:
        data.close()
    assert turbo == reference
    if (
        name
        and name.startswith("broken-")
        and name
        not in (
            "broken-fact-outside-passage.ttl",
            "broken-quote.trig",
            "broken-inconsistent.ttl",
        )
    ):
        assert reference, "a broken fixture SHACL catches must give results"


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
        "languageIn": "LanguageInConstraintComponent",
        "maxCount": "MaxCountConstraintComponent",
        "minCount": "MinCountConstraintComponent",
        "pattern": "PatternConstraintComponent",
        "qualifiedMinCount": "QualifiedMinCountConstraintComponent",
        "qualifiedMaxCount": "QualifiedMaxCountConstraintComponent",
        "sparql": "SPARQLConstraintComponent",
    }
    assert set(expected) <= used
    assert components == set(expected.values())
    assert {k[3].rsplit("#", 1)[-1] for k in reference} == {"Violation", "Warning"}


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
