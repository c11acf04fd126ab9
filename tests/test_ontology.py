"""Checks of the ontology (ontology/policykg.ttl) and the SHACL shapes (ontology/shapes.ttl).

The module reads the files directly and does not import the policykg package. It checks that:
- the ontology parses, has the agreed header and declares exactly the terms of docs/VOCABULARY.md
  with the listed kinds, super-classes, super-properties, domains, ranges, characteristics and
  inverses (the few axioms that cannot be stated in OWL 2 DL are listed in KNOWN_DEVIATIONS);
- every pkg: term is labelled in English and Chinese and defined in English;
- every pkg:evidenceQuote is copied verbatim from the stored article text;
- the ontology stays in OWL 2 DL (no punning of property kinds, every term declared, no datatypes
  outside the OWL 2 datatype map, no imports) and, when a JDK is present, the OWL API's OWL 2 DL
  profile checker agrees;
- the shapes parse, the ontology conforms to them, and they report known errors in a small graph;
- HermiT (through owlready2) finds the ontology and a realistic sample consistent and finds an
  individual that is both a state-owned and a private enterprise inconsistent.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from fixtures.extensions.helpers import owlready2_fast_java

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "policykg.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
ARTICLE_TEXT = ROOT / "graphs" / "sources" / "ncpf-2025.txt"
VOCABULARY_MD = ROOT / "docs" / "VOCABULARY.md"

PKG_NS = "https://w3id.org/policykg/ontology#"
PKG = rdflib.Namespace(PKG_NS)
KG = rdflib.Namespace("https://w3id.org/policykg/id/")
ONTOLOGY_IRI = URIRef("https://w3id.org/policykg/ontology")
VANN = rdflib.Namespace("http://purl.org/vocab/vann/")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
PKS = rdflib.Namespace("https://w3id.org/policykg/shapes#")

CURIE_PREFIXES = {
    "skos": str(SKOS),
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "dcterms": str(DCTERMS),
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "oa": "http://www.w3.org/ns/oa#",
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

#: Axioms of VOCABULARY.md that OWL 2 DL does not allow here. dcterms:title and dcterms:creator
#: annotate the ontology header, so they are annotation properties, and rdfs:comment is a built-in
#: annotation property; OWL 2 DL forbids a data or object property below an annotation property.
#: The ontology points to each intended super-property with rdfs:seeAlso instead.
KNOWN_DEVIATIONS = {
    (PKG.title, DCTERMS.title),
    (PKG.creator, DCTERMS.creator),
    (PKG.remark, RDFS.comment),
}

#: The pairwise disjoint top classes of VOCABULARY.md (Place is disjoint with all but Actor).
TOP_CLASSES = (
    "Concept",
    "Actor",
    "Event",
    "Observation",
    "Document",
    "Passage",
    "Role",
    "Membership",
    "Plan",
)

#: Datatypes of the OWL 2 datatype map that the ontology may use in rdfs:range.
OWL2_DATATYPES = {
    XSD.string,
    XSD.decimal,
    XSD.integer,
    XSD.nonNegativeInteger,
    XSD.positiveInteger,
    XSD.boolean,
    XSD.double,
    XSD.float,
    XSD.anyURI,
    XSD.dateTime,
    XSD.dateTimeStamp,
}
#: Datatypes that must not occur in the ontology (not supported by HermiT in axioms).
FORBIDDEN_DATATYPES = {XSD.date, XSD.gYear, RDF.langString, RDF.PlainLiteral}


# --------------------------------------------------------------------------------------------
#  Fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(SHAPES_FILE, format="turtle")
    return graph


@pytest.fixture(scope="module")
def article_text() -> str:
    return ARTICLE_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pkg_terms(onto: rdflib.Graph) -> dict[URIRef, set[URIRef]]:
    """Every declared pkg: term with its OWL kinds."""
    terms: dict[URIRef, set[URIRef]] = {}
    for kind in KINDS:
        for term in onto.subjects(RDF.type, kind):
            if isinstance(term, URIRef) and str(term).startswith(PKG_NS):
                terms.setdefault(term, set()).add(kind)
    return terms


# --------------------------------------------------------------------------------------------
#  docs/VOCABULARY.md, read as the contract
# --------------------------------------------------------------------------------------------


def _iri(token: str) -> URIRef:
    token = token.strip()
    if ":" in token:
        prefix, local = token.split(":", 1)
        return URIRef(CURIE_PREFIXES[prefix] + local)
    return PKG[token]


def _iris(cell: str) -> set[URIRef]:
    cell = cell.strip()
    if cell in ("", "–", "-"):
        return set()
    return {_iri(part) for part in cell.split(",") if part.strip()}


def _tables(markdown: str) -> dict[str, list[list[str]]]:
    """Body rows of the table under each '## ' heading (a header row is one followed by a rule)."""
    tables: dict[str, list[list[str]]] = {}
    heading = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            continue
        if heading and line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            rows = tables.setdefault(heading, [])
            if cells and set(cells[0]) and set(cells[0]) <= set("-: "):
                rows.clear()  # the rows so far were the header
                continue
            rows.append(cells)
    return tables


def _table(tables: dict[str, list[list[str]]], start: str) -> list[list[str]]:
    [name] = [name for name in tables if name.startswith(start)]
    return tables[name]


@pytest.fixture(scope="module")
def vocabulary() -> dict[str, dict]:
    """The expected axioms, by kind of term, as read from docs/VOCABULARY.md."""
    tables = _tables(VOCABULARY_MD.read_text(encoding="utf-8"))
    classes: dict[URIRef, set[URIRef]] = {}
    for name, supers, *_ in _table(tables, "Classes"):
        classes[PKG[name]] = _iris(supers)

    objects: dict[URIRef, dict] = {}
    for name, characteristics, domain_range, sub_inverse, *_ in _table(tables, "Object properties"):
        domain, range_ = [*domain_range.split("→"), "–"][:2]
        entry = {
            "characteristics": {
                {
                    "transitive": OWL.TransitiveProperty,
                    "symmetric": OWL.SymmetricProperty,
                    "functional": OWL.FunctionalProperty,
                }[c.strip()]
                for c in characteristics.split(",")
                if c.strip()
            },
            "domain": _iris(domain),
            "range": _iris(range_),
            "super": set(),
            "inverse": None,
        }
        for part in (p.strip() for p in sub_inverse.split(";")):
            if part.startswith("⊑"):
                entry["super"] |= _iris(part[1:])
            elif part.startswith("inverse"):
                match = re.fullmatch(r"inverse\s+(\w+)\s*(?:\(⊑\s*([^)]*)\))?", part)
                assert match, f"cannot read {part!r} in VOCABULARY.md"
                inverse = PKG[match.group(1)]
                entry["inverse"] = inverse
                objects[inverse] = {
                    "characteristics": set(),
                    "domain": set(),
                    "range": set(),
                    "super": _iris(match.group(2) or ""),
                    "inverse": None,
                }
            elif part not in ("", "–"):
                raise AssertionError(f"cannot read {part!r} in VOCABULARY.md")
        objects[PKG[name]] = entry

    datatypes: dict[URIRef, dict] = {}
    for name, range_, supers, *_ in _table(tables, "Datatype properties"):
        datatypes[PKG[name]] = {
            "range": {_iri(range_)} if range_.startswith("xsd:") else set(),
            "super": _iris(supers),
        }

    annotations: dict[URIRef, dict] = {}
    for name, _range, supers, *_ in _table(tables, "Annotation propert"):
        annotations[PKG[name]] = {"super": _iris(supers)}

    return {
        "classes": classes,
        "objects": objects,
        "datatypes": datatypes,
        "annotations": annotations,
    }


# --------------------------------------------------------------------------------------------
#  Parsing and header
# --------------------------------------------------------------------------------------------


def test_ontology_parses(onto: rdflib.Graph) -> None:
    assert len(onto) > 500
    assert list(onto.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]


def test_header(onto: rdflib.Graph) -> None:
    def one(predicate: URIRef) -> rdflib.term.Node:
        values = list(onto.objects(ONTOLOGY_IRI, predicate))
        assert len(values) == 1, f"ontology header needs exactly one {predicate}"
        return values[0]

    assert str(one(DCTERMS.title)).strip()
    assert str(one(DCTERMS.description)).strip()
    assert one(DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(one(DCTERMS.creator)) == "policykg contributors"
    assert one(OWL.versionIRI) == URIRef("https://w3id.org/policykg/ontology/0.1.0")
    assert str(one(OWL.versionInfo)) == "0.1.0"
    assert str(one(VANN.preferredNamespacePrefix)) == "pkg"
    assert str(one(VANN.preferredNamespaceUri)) == PKG_NS
    assert not list(onto.objects(ONTOLOGY_IRI, OWL.imports)), (
        "alignment is by sub-class/-property, no imports"
    )


# --------------------------------------------------------------------------------------------
#  The terms of docs/VOCABULARY.md
# --------------------------------------------------------------------------------------------


def test_declares_exactly_the_vocabulary(pkg_terms: dict, vocabulary: dict) -> None:
    expected = {term: OWL.Class for term in vocabulary["classes"]}
    expected |= {term: OWL.ObjectProperty for term in vocabulary["objects"]}
    expected |= {term: OWL.DatatypeProperty for term in vocabulary["datatypes"]}
    expected |= {term: OWL.AnnotationProperty for term in vocabulary["annotations"]}
    assert set(pkg_terms) - set(expected) == set(), "terms not in VOCABULARY.md"
    assert set(expected) - set(pkg_terms) == set(), "terms of VOCABULARY.md not declared"
    wrong = {term: kinds for term, kinds in pkg_terms.items() if kinds != {expected[term]}}
    assert wrong == {}, "terms declared with the wrong OWL kind"
    # the README states the counts: they follow the vocabulary
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    counts = (
        f"{len(vocabulary['classes'])} classes, {len(vocabulary['objects'])} object and "
        f"{len(vocabulary['datatypes'])} datatype properties"
    )
    assert counts in readme


def test_class_axioms(onto: rdflib.Graph, vocabulary: dict) -> None:
    for cls, supers in vocabulary["classes"].items():
        assert set(onto.objects(cls, RDFS.subClassOf)) == supers, cls


def _super_properties(onto: rdflib.Graph, prop: URIRef) -> set:
    return set(onto.objects(prop, RDFS.subPropertyOf))


def _expected_supers(prop: URIRef, supers: set[URIRef]) -> set[URIRef]:
    return {s for s in supers if (prop, s) not in KNOWN_DEVIATIONS}


def test_object_property_axioms(onto: rdflib.Graph, vocabulary: dict) -> None:
    characteristics = {
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.AsymmetricProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
    }
    for prop, spec in vocabulary["objects"].items():
        assert set(onto.objects(prop, RDFS.domain)) == spec["domain"], f"domain of {prop}"
        assert set(onto.objects(prop, RDFS.range)) == spec["range"], f"range of {prop}"
        assert _super_properties(onto, prop) == _expected_supers(prop, spec["super"]), (
            f"super of {prop}"
        )
        assert set(onto.objects(prop, RDF.type)) & characteristics == spec["characteristics"], prop
        inverses = set(onto.objects(prop, OWL.inverseOf))
        assert inverses == ({spec["inverse"]} if spec["inverse"] else set()), f"inverse of {prop}"


def test_datatype_and_annotation_property_axioms(onto: rdflib.Graph, vocabulary: dict) -> None:
    for prop, spec in vocabulary["datatypes"].items():
        assert set(onto.objects(prop, RDFS.range)) == spec["range"], f"range of {prop}"
        assert not list(onto.objects(prop, RDFS.domain)), f"domain of {prop}"
        assert _super_properties(onto, prop) == _expected_supers(prop, spec["super"]), (
            f"super of {prop}"
        )
    for prop, spec in vocabulary["annotations"].items():
        assert _super_properties(onto, prop) == spec["super"], f"super of {prop}"


def test_known_deviations_are_documented(onto: rdflib.Graph) -> None:
    for prop, intended in KNOWN_DEVIATIONS:
        assert (prop, RDFS.seeAlso, intended) in onto, f"{prop} should point to {intended}"
        assert (prop, RDFS.subPropertyOf, intended) not in onto
        assert list(onto.objects(prop, SKOS.scopeNote)), f"{prop} should explain the deviation"


def test_disjointness(onto: rdflib.Graph) -> None:
    top = [PKG[n] for n in TOP_CLASSES]
    groups = [
        list(Collection(onto, members))
        for node in onto.subjects(RDF.type, OWL.AllDisjointClasses)
        for members in onto.objects(node, OWL.members)
    ]
    assert groups == [top]
    pairs = {frozenset(pair) for pair in onto.subject_objects(OWL.disjointWith)}
    expected = {frozenset((PKG.Place, other)) for other in top if other != PKG.Actor}
    expected |= {
        frozenset((PKG.Person, PKG.Organization)),
        frozenset((PKG.Person, PKG.CollectiveActor)),
        frozenset((PKG.StateOwnedEnterprise, PKG.PrivateEnterprise)),
    }
    assert pairs == expected


# --------------------------------------------------------------------------------------------
#  Labels, definitions, evidence quotes
# --------------------------------------------------------------------------------------------


def _texts(onto: rdflib.Graph, term: URIRef, predicate: URIRef, language: str) -> list[str]:
    return [
        str(v)
        for v in onto.objects(term, predicate)
        if isinstance(v, Literal) and v.language == language
    ]


def test_every_term_labelled_and_defined(onto: rdflib.Graph, pkg_terms: dict) -> None:
    problems = []
    for term in sorted(pkg_terms):
        english = _texts(onto, term, RDFS.label, "en")
        chinese = _texts(onto, term, RDFS.label, "zh")
        definitions = _texts(onto, term, SKOS.definition, "en")
        if len(english) != 1:
            problems.append(f"{term}: {len(english)} English labels")
        if len(chinese) != 1 or not re.search(r"[\u4e00-\u9fff]", chinese[0]):
            problems.append(f"{term}: needs one Chinese label in Chinese characters")
        if len(definitions) != 1 or not definitions[0].rstrip().endswith("."):
            problems.append(f"{term}: needs one English definition (a sentence)")
    assert problems == []


def test_labels_are_unique(onto: rdflib.Graph, pkg_terms: dict) -> None:
    for language in ("en", "zh"):
        seen: dict[tuple[str, bool], URIRef] = {}
        for term in sorted(pkg_terms):
            is_class = OWL.Class in pkg_terms[term]
            for label in _texts(onto, term, RDFS.label, language):
                key = (label, is_class)
                assert key not in seen, f"label {label!r}@{language} of {term} and {seen[key]}"
                seen[key] = term


def test_evidence_quotes_are_verbatim(onto: rdflib.Graph, article_text: str) -> None:
    quotes = list(onto.subject_objects(PKG.evidenceQuote))
    assert len(quotes) > 40
    missing = [(str(term), str(quote)) for term, quote in quotes if str(quote) not in article_text]
    assert missing == [], "evidence quotes not found verbatim in graphs/sources/ncpf-2025.txt"
    for term, _quote in quotes:
        assert str(term).startswith(PKG_NS)


def test_state_owned_enterprise_evidence(onto: rdflib.Graph) -> None:
    assert (
        PKG.StateOwnedEnterprise,
        PKG.evidenceQuote,
        Literal(
            "State-owned enterprises should take the lead in fulfilling strategic responsibilities"
        ),
    ) in onto


# --------------------------------------------------------------------------------------------
#  OWL 2 DL hygiene
# --------------------------------------------------------------------------------------------


def _declared(onto: rdflib.Graph) -> dict[rdflib.term.Node, set[URIRef]]:
    kinds: dict[rdflib.term.Node, set[URIRef]] = {}
    for kind in (*KINDS, OWL.NamedIndividual):
        for term in onto.subjects(RDF.type, kind):
            kinds.setdefault(term, set()).add(kind)
    return kinds


def test_no_term_has_two_kinds(onto: rdflib.Graph) -> None:
    punned = {str(t): sorted(map(str, k)) for t, k in _declared(onto).items() if len(k) > 1}
    assert punned == {}


def test_every_term_is_declared(onto: rdflib.Graph) -> None:
    declared = _declared(onto)
    builtin = (str(RDF), str(RDFS), str(OWL), str(XSD))
    undeclared = set()
    for s, p, o in onto:
        for node in (s, p, o):
            if isinstance(node, URIRef) and str(node).startswith(PKG_NS) and node not in declared:
                undeclared.add(str(node))
        if not str(p).startswith(builtin) and p not in declared:
            undeclared.add(str(p))
    # every class or property an axiom refers to is declared with a fitting kind
    for predicate, kind in ((RDFS.subClassOf, OWL.Class), (OWL.disjointWith, OWL.Class)):
        for s, o in onto.subject_objects(predicate):
            for node in (s, o):
                if kind not in declared.get(node, set()):
                    undeclared.add(f"{node} (as a class)")
    for s, o in onto.subject_objects(RDFS.subPropertyOf):
        if not declared.get(s) or declared.get(s) != declared.get(o):
            undeclared.add(f"{s} ⊑ {o}: both must be declared properties of one kind")
    for s, o in onto.subject_objects(OWL.inverseOf):
        if declared.get(s) != {OWL.ObjectProperty} or declared.get(o) != {OWL.ObjectProperty}:
            undeclared.add(f"{s} inverse {o}: both must be object properties")
    assert undeclared == set()


def test_domains_and_ranges_are_dl(onto: rdflib.Graph) -> None:
    declared = _declared(onto)
    for prop, domain in onto.subject_objects(RDFS.domain):
        assert declared.get(domain) == {OWL.Class}, f"domain of {prop}"
    for prop, range_ in onto.subject_objects(RDFS.range):
        if OWL.ObjectProperty in declared.get(prop, set()):
            assert declared.get(range_) == {OWL.Class}, f"range of {prop}"
        else:
            assert declared.get(prop) == {OWL.DatatypeProperty}, (
                f"{prop} has a range but is no property"
            )
            assert range_ in OWL2_DATATYPES, (
                f"range {range_} of {prop} is not in the OWL 2 datatype map"
            )


def test_no_unsupported_datatypes(onto: rdflib.Graph) -> None:
    used = {o for o in onto.objects() if o in FORBIDDEN_DATATYPES}
    used |= {
        o.datatype
        for o in onto.objects()
        if isinstance(o, Literal) and o.datatype in FORBIDDEN_DATATYPES
    }
    assert used == set()


def test_non_simple_properties_are_not_restricted(onto: rdflib.Graph) -> None:
    """OWL 2 DL global restriction: transitive properties (and their super-properties and inverses)
    cannot be functional, asymmetric, irreflexive, disjoint or used in cardinality restrictions."""
    non_simple = set(onto.subjects(RDF.type, OWL.TransitiveProperty))
    changed = True
    while changed:
        before = len(non_simple)
        for prop in list(non_simple):
            non_simple |= set(onto.objects(prop, RDFS.subPropertyOf))
            non_simple |= set(onto.objects(prop, OWL.inverseOf)) | set(
                onto.subjects(OWL.inverseOf, prop)
            )
        changed = len(non_simple) != before
    forbidden_types = {
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.AsymmetricProperty,
        OWL.IrreflexiveProperty,
    }
    for prop in non_simple:
        assert not set(onto.objects(prop, RDF.type)) & forbidden_types, prop
        assert not list(onto.objects(prop, OWL.propertyDisjointWith)), prop
    cardinalities = {
        OWL.cardinality,
        OWL.minCardinality,
        OWL.maxCardinality,
        OWL.qualifiedCardinality,
        OWL.minQualifiedCardinality,
        OWL.maxQualifiedCardinality,
        OWL.hasSelf,
    }
    for restriction in onto.subjects(RDF.type, OWL.Restriction):
        if set(onto.predicates(restriction)) & cardinalities:
            assert onto.value(restriction, OWL.onProperty) not in non_simple


def test_blank_nodes_only_in_disjointness(onto: rdflib.Graph) -> None:
    for node in {n for t in onto for n in t if isinstance(n, BNode)}:
        types = set(onto.objects(node, RDF.type))
        in_list = (node, RDF.first, None) in onto
        assert types == {OWL.AllDisjointClasses} or in_list, f"unexpected blank node {node}"


DL_CHECK_JAVA = textwrap.dedent(
    """
    import org.semanticweb.owlapi.apibinding.OWLManager;
    import org.semanticweb.owlapi.model.*;
    import org.semanticweb.owlapi.profiles.*;
    import java.io.File;
    public class DLCheck {
        public static void main(String[] args) throws Exception {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            System.out.println("IN-PROFILE " + report.isInProfile());
            System.out.println("ONTOLOGY-ANNOTATIONS " + ontology.getAnnotations().size());
            for (OWLProfileViolation v : report.getViolations()) {
                System.out.println("VIOLATION " + v);
            }
        }
    }
    """
)


@pytest.mark.java
def test_owl_api_dl_profile(
    tmp_path_factory: pytest.TempPathFactory, run_owlapi: Callable[..., list[str]]
) -> None:
    """The OWL API (shipped with owlready2's Pellet) checks the OWL 2 DL profile (needs a JDK)."""
    workdir = tmp_path_factory.mktemp("dlcheck")
    lines = run_owlapi(DL_CHECK_JAVA, "DLCheck", [str(ONTOLOGY_FILE)], workdir)
    assert "IN-PROFILE true" in lines, "\n".join(
        line for line in lines if line.startswith("VIOLATION")
    )
    assert "ONTOLOGY-ANNOTATIONS 8" in lines  # the header survives as ontology annotations


# --------------------------------------------------------------------------------------------
#  SHACL shapes
# --------------------------------------------------------------------------------------------


def _validate(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, rdflib.Graph]:
    import pyshacl

    conforms, report, _text = pyshacl.validate(
        data_graph=data, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    return conforms, report


def _results(report: rdflib.Graph) -> list[tuple[str, str, str]]:
    """(severity, source shape local name, focus node) of every result."""
    rows = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        rows.append(
            (
                str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                str(report.value(result, SH.sourceShape)).rsplit("#", 1)[-1],
                str(report.value(result, SH.focusNode)),
            )
        )
    return sorted(rows)


def test_shapes_parse_and_are_labelled(shapes: rdflib.Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert len(node_shapes) >= 10 and len(property_shapes) >= 20
    for shape in node_shapes | property_shapes:
        assert isinstance(shape, URIRef) and str(shape).startswith(str(PKS)), shape
        assert shapes.value(shape, RDFS.label) and shapes.value(shape, SH.name), shape
    for holder in property_shapes | set(shapes.subjects(RDF.type, SH.SPARQLConstraint)):
        assert shapes.value(holder, SH.message), f"{holder} needs an sh:message"


def test_ontology_conforms_to_shapes(onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    conforms, report = _validate(onto, shapes)
    assert conforms, _results(report)
    assert _results(report) == []  # not even warnings


SAMPLE_DATA = """
@prefix pkg:  <https://w3id.org/policykg/ontology#> .
@prefix kg:   <https://w3id.org/policykg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

kg:ncpf-2025 a pkg:Article ;
    pkg:title "China's economy: new quality productive forces"@en ;
    pkg:textFile "sources/ncpf-2025.txt" ;
    pkg:textSha256 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" ;
    pkg:author kg:zhang-chi ; pkg:publisher kg:cgtn ; pkg:partOf kg:series .
kg:series a pkg:Series ; pkg:title "China's economy: A new chapter unfolds"@en .
kg:p1 a pkg:Passage ; pkg:inDocument kg:ncpf-2025 ; pkg:quote "State-owned enterprises" ;
    pkg:startOffset "0"^^xsd:nonNegativeInteger ; pkg:endOffset "23"^^xsd:nonNegativeInteger .

kg:soes a pkg:StateOwnedEnterprise , pkg:CollectiveActor ;
    skos:prefLabel "state-owned enterprises"@en , "国有企业"@zh ;
    rdfs:label "state-owned enterprises"@en ; skos:altLabel "SOEs"@en ; pkg:mentionedIn kg:p1 ;
    pkg:shouldFocusOn kg:security ; pkg:isAskedTo kg:take-the-lead .
kg:security a pkg:Function ; skos:prefLabel "safeguarding national security"@en ;
    rdfs:label "safeguarding national security"@en ; pkg:mentionedIn kg:p1 .
kg:take-the-lead a pkg:Task ; skos:prefLabel "take the lead"@en ;
    rdfs:label "take the lead"@en ; pkg:mentionedIn kg:p1 .
kg:china a pkg:Country ; skos:prefLabel "China"@en , "中国"@zh ; rdfs:label "China"@en ;
    pkg:mentionedIn kg:p1 ; pkg:pursues kg:security .
kg:jilin a pkg:Province ; skos:prefLabel "Jilin Province"@en ; rdfs:label "Jilin Province"@en ;
    pkg:mentionedIn kg:p1 ; pkg:locatedIn kg:china .
kg:changchun a pkg:City ; skos:prefLabel "Changchun"@en ; rdfs:label "Changchun"@en ;
    pkg:mentionedIn kg:p1 ; pkg:capitalOf kg:jilin .
kg:obs-lithium a pkg:Observation ; skos:prefLabel "lithium battery output growth"@en ;
    rdfs:label "lithium battery output growth"@en ; pkg:mentionedIn kg:p1 ;
    pkg:value 53.3 ; pkg:unit "percent" ; pkg:measure "output growth"@en ;
    pkg:period "2025-01/2025-06" ; pkg:observationOf kg:lithium ; pkg:observedIn kg:china .
kg:lithium a pkg:Industry ; skos:prefLabel "lithium battery industry"@en ;
    rdfs:label "lithium battery industry"@en ; pkg:mentionedIn kg:p1 .
kg:plenary a pkg:Event ; skos:prefLabel "fourth plenary session"@en ;
    rdfs:label "fourth plenary session"@en ; pkg:mentionedIn kg:p1 ;
    pkg:heldIn kg:beijing ; pkg:organizedBy kg:cpc-central-committee .
kg:beijing a pkg:City ; skos:prefLabel "Beijing"@en ; rdfs:label "Beijing"@en ;
    pkg:mentionedIn kg:p1 .
kg:cpc-central-committee a pkg:PartyOrStateBody ; skos:prefLabel "CPC Central Committee"@en ;
    rdfs:label "CPC Central Committee"@en ; pkg:mentionedIn kg:p1 .
kg:zhang-chi a pkg:Person ; skos:prefLabel "Zhang Chi"@en ; rdfs:label "Zhang Chi"@en ;
    pkg:mentionedIn kg:p1 ; pkg:hasMembership kg:zhang-chi-deputy-director .
kg:zhang-chi-deputy-director a pkg:Membership ; skos:prefLabel "Zhang Chi, deputy director"@en ;
    rdfs:label "Zhang Chi, deputy director"@en ; pkg:mentionedIn kg:p1 ;
    pkg:member kg:zhang-chi ; pkg:role kg:deputy-director ; pkg:organization kg:research-center .
kg:deputy-director a pkg:Role ; skos:prefLabel "deputy director"@en ;
    rdfs:label "deputy director"@en ; pkg:mentionedIn kg:p1 .
kg:research-center a pkg:ResearchInstitute ; skos:prefLabel "Research Center"@en ;
    rdfs:label "Research Center"@en ; pkg:mentionedIn kg:p1 ; pkg:subOrganizationOf kg:cass .
kg:cass a pkg:ResearchInstitute ; skos:prefLabel "CASS"@en ; rdfs:label "CASS"@en ;
    pkg:mentionedIn kg:p1 .
kg:cgtn a pkg:MediaOrganization ; skos:prefLabel "CGTN"@en ; rdfs:label "CGTN"@en ;
    pkg:mentionedIn kg:p1 ; pkg:launched kg:series .
"""

BAD_DATA = """
@prefix pkg:  <https://w3id.org/policykg/ontology#> .
@prefix kg:   <https://w3id.org/policykg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

kg:doc a pkg:Article ; pkg:textSha256 "not a digest" .
kg:p1 a pkg:Passage ; pkg:inDocument kg:doc ; pkg:quote "abc" ;
    pkg:startOffset 5 ; pkg:endOffset "3"^^xsd:nonNegativeInteger .
kg:soe a pkg:StateOwnedEnterprise ; skos:prefLabel "国企"@zh , "国有企业"@zh ;
    skos:altLabel "SOE" ; pkg:mentionedIn kg:doc ; pkg:shouldFocusOn kg:innovation ;
    pkg:drives "growth"@en ; pkg:drivez kg:innovation .
kg:innovation a pkg:Concept ; skos:prefLabel "innovation"@en ; rdfs:label "innovation"@en ;
    pkg:mentionedIn kg:p1 .
kg:site a pkg:Facility ; skos:prefLabel "site"@en ; rdfs:label "site"@en ;
    pkg:mentionedIn kg:p1 ; pkg:locatedIn kg:innovation .
kg:obs a pkg:Observation ; skos:prefLabel "figure"@en ; rdfs:label "figure"@en ;
    pkg:mentionedIn kg:p1 ; pkg:value 9 ; pkg:unit "percent"@en .
kg:meeting a pkg:Event ; skos:prefLabel "meeting"@en ; rdfs:label "meeting"@en ;
    pkg:mentionedIn kg:p1 ; pkg:date "2025-07-30" .
kg:m a pkg:Membership ; skos:prefLabel "m"@en ; rdfs:label "m"@en ;
    pkg:mentionedIn kg:p1 ; pkg:member kg:innovation .
"""


def test_shapes_accept_good_data(onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    data = rdflib.Graph()
    data += onto
    data.parse(data=SAMPLE_DATA, format="turtle")
    conforms, report = _validate(data, shapes)
    assert conforms and _results(report) == [], _results(report)


def test_shapes_report_bad_data(onto: rdflib.Graph, shapes: rdflib.Graph) -> None:
    data = rdflib.Graph()
    data += onto
    data.parse(data=BAD_DATA, format="turtle")
    conforms, report = _validate(data, shapes)
    assert not conforms
    found = {
        (severity, shape, focus.rsplit("/", 1)[-1]) for severity, shape, focus in _results(report)
    }
    expected = {
        ("Violation", "Document-title", "doc"),
        ("Violation", "Document-textSha256", "doc"),
        ("Violation", "Passage-startOffset", "p1"),
        ("Violation", "PassageShape", "p1"),  # start >= end, and quote length
        ("Violation", "Entity-prefLabel-en", "soe"),
        ("Violation", "Entity-prefLabel-zh", "soe"),
        ("Violation", "Entity-label", "soe"),
        ("Violation", "Entity-evidence-passage", "soe"),
        ("Violation", "Entity-altLabel-text", "soe"),
        ("Violation", "ShouldFocusOnShape", "soe"),
        ("Violation", "VocabularyUseShape", "ontology"),  # literal value of pkg:drives, pkg:drivez
        ("Warning", "DomainRangeShape", "ontology"),  # pkg:locatedIn a concept
        ("Violation", "Observation-value", "obs"),
        ("Violation", "Observation-unit", "obs"),
        ("Violation", "Observation-measure", "obs"),
        ("Violation", "Observation-observationOf", "obs"),
        ("Violation", "Dated-date", "meeting"),
        ("Violation", "Membership-member", "m"),
        ("Violation", "Membership-role", "m"),
    }
    assert found == expected
    messages = {str(m) for m in report.objects(None, SH.resultMessage)}
    assert "every entity needs exactly one English preferred label (skos:prefLabel @en)" in messages
    assert any(
        "pkg:startOffset (5) must be smaller than its pkg:endOffset (3)" in m for m in messages
    )
    assert any(
        "ontology#drivez is used as a property or class but the ontology does not declare it" in m
        for m in messages
    )


def test_ontology_terms_shape_reports_missing_labels(
    onto: rdflib.Graph, shapes: rdflib.Graph
) -> None:
    data = rdflib.Graph()
    data += onto
    data.add((PKG.Unlabelled, RDF.type, OWL.Class))
    _conforms, report = _validate(data, shapes)
    values = {
        (str(report.value(r, SH.sourceConstraint)).rsplit("#", 1)[-1], report.value(r, SH.value))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    assert values == {
        ("OntologyTerm-label-en", PKG.Unlabelled),
        ("OntologyTerm-label-zh", PKG.Unlabelled),
        ("OntologyTerm-definition-en", PKG.Unlabelled),
    }


# --------------------------------------------------------------------------------------------
#  HermiT through owlready2 (one reasoner run per test)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def owlready() -> Iterator[Any]:
    owlready2 = pytest.importorskip("owlready2")
    java = shutil.which("java")
    if not java:
        pytest.skip("HermiT needs Java")
    owlready2.JAVA_EXE = java
    yield owlready2


def _hermit(owlready2: Any, graph: rdflib.Graph, directory: Path) -> Any:
    """Load ``graph`` into a fresh owlready2 World (via N-Triples: owlready2 cannot read Turtle)
    and run HermiT on it; return the World."""
    path = directory / "ontology.nt"
    graph.serialize(destination=path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    with owlready2_fast_java(owlready2):
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return world


@pytest.mark.java
def test_owlready2_loads_the_ontology(
    owlready: Any, onto: rdflib.Graph, tmp_path: Path, vocabulary: dict
) -> None:
    path = tmp_path / "ontology.nt"
    onto.serialize(destination=path, format="nt", encoding="utf-8")
    world = owlready.World()
    ontology = world.get_ontology(path.as_uri()).load()
    assert ontology.base_iri == PKG_NS
    assert ontology.StateOwnedEnterprise is not None
    pkg_classes = [c for c in world.classes() if c.iri.startswith(PKG_NS)]
    assert len(pkg_classes) == len(vocabulary["classes"])


@pytest.mark.java
def test_hermit_finds_ontology_consistent(
    owlready: Any, onto: rdflib.Graph, tmp_path: Path
) -> None:
    world = _hermit(owlready, onto, tmp_path)
    assert list(world.inconsistent_classes()) == []


@pytest.mark.java
def test_hermit_finds_sample_data_consistent(
    owlready: Any, onto: rdflib.Graph, tmp_path: Path
) -> None:
    """Realistic data: a country is a place and an actor, a group of SOEs is a collective actor ...
    (xsd:date literals are left out: HermiT rejects them unless told to ignore them)."""
    data = rdflib.Graph()
    data += onto
    data.parse(data=SAMPLE_DATA, format="turtle")
    for entity in set(data.subjects(RDF.type, None)):
        if str(entity).startswith(str(KG)):
            data.add((entity, RDF.type, OWL.NamedIndividual))
    world = _hermit(owlready, data, tmp_path)
    assert list(world.inconsistent_classes()) == []


@pytest.mark.java
def test_hermit_detects_disjoint_enterprise_types(
    owlready: Any, onto: rdflib.Graph, tmp_path: Path
) -> None:
    data = rdflib.Graph()
    data += onto
    bad = KG["both-state-owned-and-private"]
    data.add((bad, RDF.type, OWL.NamedIndividual))
    data.add((bad, RDF.type, PKG.StateOwnedEnterprise))
    data.add((bad, RDF.type, PKG.PrivateEnterprise))
    with pytest.raises(owlready.OwlReadyInconsistentOntologyError):
        _hermit(owlready, data, tmp_path)
