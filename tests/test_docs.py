"""``policykg docs``: the offline HTML reference, and the RDF/XML copy Protégé and owlready2 open."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from policykg.core.namespaces import OWL, PKG, RDF, RDFS, SKOS
from policykg.outputs.docs import render_docs
from policykg.rdf.owl import owl_copy_text, to_rdfxml


@pytest.fixture(scope="module")
def ontology(root) -> Graph:
    return Graph().parse(root / "ontology" / "policykg.ttl", format="turtle")


@pytest.fixture(scope="module")
def page(ontology) -> str:
    return render_docs(ontology)


def pkg_terms(ontology, kind):
    return sorted(
        s for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef) and s.startswith(PKG)
    )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.tags: set[str] = set()
        self.srcs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "href" in attrs:
            self.hrefs.append(attrs["href"])
        if "src" in attrs:
            self.srcs.append(attrs["src"])


def test_every_class_and_property_has_an_entry_with_both_labels_and_definition(ontology, page):
    parsed = _Collector()
    parsed.feed(page)
    kinds = {
        OWL.Class: "c",
        OWL.ObjectProperty: "p",
        OWL.DatatypeProperty: "p",
        OWL.AnnotationProperty: "p",
    }
    for kind, prefix in kinds.items():
        terms = pkg_terms(ontology, kind)
        assert terms
        for term in terms:
            local = term[len(PKG) :]
            assert f"{prefix}-{local}" in parsed.ids, term
            for pred in (RDFS.label, SKOS.definition):
                for value in ontology.objects(term, pred):
                    assert html.escape(str(value)) in page, (term, value)
    # internal links all resolve
    internal = [h[1:] for h in parsed.hrefs if h.startswith("#")]
    assert internal and set(internal) <= parsed.ids


def test_domains_ranges_hierarchy_and_disjointness_are_shown(page):
    section = page.split('id="p-shouldFocusOn"', 1)[1].split("</section>", 1)[0]
    assert "<dt>domain</dt><dd>" in section and 'href="#c-Actor"' in section
    assert "<dt>range</dt><dd>" in section and 'href="#c-Function"' in section
    soe = page.split('id="c-StateOwnedEnterprise"', 1)[1].split("</section>", 1)[0]
    assert "<dt>disjoint with</dt>" in soe and 'href="#c-PrivateEnterprise"' in soe
    assert 'lang="zh">国有企业' in soe
    tree = page.split('id="hierarchy"', 1)[1].split("</ul>\n", 1)[0]
    assert tree.index('href="#c-Enterprise"') < tree.index('href="#c-StateOwnedEnterprise"')
    broader = page.split('id="p-broader"', 1)[1].split("</section>", 1)[0]
    assert '<span class="badge">transitive</span>' in broader
    assert 'href="#p-narrower"' in broader  # the inverse


def test_page_is_offline_and_deterministic(ontology, page):
    parsed = _Collector()
    parsed.feed(page)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert parsed.srcs == []
    assert "@import" not in page and "url(" not in page
    assert render_docs(ontology) == page


def test_text_is_escaped(ontology):
    g = Graph()
    for t in ontology:
        g.add(t)
    g.add((PKG.Concept, SKOS.definition, Literal("<script>alert('x')</script> & co", lang="en")))
    text = render_docs(g)
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in text


def test_cli_writes_and_checks(tmp_path, run_main):
    out = tmp_path / "reference.html"
    done = run_main(["docs", "--out", str(out)])
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    check = run_main(["docs", "--out", str(out), "--check"])
    assert check.returncode == 0, check.stdout
    assert "up to date" in check.stdout


def test_committed_reference_is_up_to_date(root):
    committed = root / "docs" / "ontology.html"
    if not committed.exists():
        pytest.skip("docs/ontology.html not generated yet (run policykg docs)")
    assert committed.read_text(encoding="utf-8") == render_docs(), "run 'policykg docs'"


# -- the RDF/XML copy ------------------------------------------------------------------------------


def test_owl_copy_matches_the_turtle(root, ontology):
    copy = root / "ontology" / "policykg.owl"
    assert copy.exists(), "ontology/policykg.owl is missing: run 'policykg docs'"
    text = copy.read_text(encoding="utf-8")
    assert text == owl_copy_text(), "ontology/policykg.owl is out of date: run 'policykg docs'"
    assert isomorphic(Graph().parse(data=text, format="xml"), ontology)


def test_owl_copy_opens_in_owlready2_with_every_term(root, ontology):
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((root / "ontology" / "policykg.owl").as_uri()).load()
    try:
        assert onto.base_iri == str(PKG)
        classes = {c.iri for c in onto.classes()}
        assert {str(c) for c in pkg_terms(ontology, OWL.Class)} <= classes
        props = {p.iri for p in onto.object_properties()}
        assert {str(p) for p in pkg_terms(ontology, OWL.ObjectProperty)} <= props
        assert onto.StateOwnedEnterprise in onto.PrivateEnterprise.disjoints().__next__().entities
        assert not list(onto.imported_ontologies)  # nothing for Protégé to resolve
    finally:
        world.close()


SAME_AXIOMS_JAVA = """
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;
import java.io.File;
public class SameAxioms {
    public static void main(String[] args) throws Exception {
        OWLOntology ttl = OWLManager.createOWLOntologyManager()
            .loadOntologyFromOntologyDocument(new File(args[0]));
        OWLOntology owl = OWLManager.createOWLOntologyManager()
            .loadOntologyFromOntologyDocument(new File(args[1]));
        System.out.println("FORMAT " + owl.getOWLOntologyManager().getOntologyFormat(owl));
        System.out.println("ID " + owl.getOntologyID().getOntologyIRI());
        System.out.println("SAME-AXIOMS " + ttl.getAxioms().equals(owl.getAxioms()));
        System.out.println("SAME-ANNOTATIONS " + ttl.getAnnotations().equals(owl.getAnnotations()));
        System.out.println("AXIOMS " + owl.getAxiomCount());
        System.out.println("IMPORTS " + owl.getImportsDeclarations().size());
        System.out.println("IN-PROFILE " + new OWL2DLProfile().checkOntology(owl).isInProfile());
    }
}
"""


@pytest.mark.java
def test_owl_api_reads_the_copy_as_the_same_ontology(root, tmp_path, run_owlapi):
    """Protégé reads ontologies with the OWL API: it must see the same axioms in both files."""
    ontology = root / "ontology"
    lines = run_owlapi(
        SAME_AXIOMS_JAVA,
        "SameAxioms",
        [str(ontology / "policykg.ttl"), str(ontology / "policykg.owl")],
        tmp_path,
    )
    assert "FORMAT RDF/XML" in lines, lines
    assert "ID https://w3id.org/policykg/ontology" in lines
    assert "SAME-AXIOMS true" in lines and "SAME-ANNOTATIONS true" in lines
    assert "IMPORTS 0" in lines and "IN-PROFILE true" in lines


def test_rdfxml_writer_is_deterministic_and_round_trips():
    g = Graph()
    g.parse(
        data="""@prefix ex: <https://example.org/ns#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        ex:a a owl:Class ; ex:p "x < y & z"@en , "1"^^<http://www.w3.org/2001/XMLSchema#integer> ;
             ex:q [ ex:r ex:b ] ; ex:list ( ex:a ex:b ) .""",
        format="turtle",
    )
    first = to_rdfxml(g)
    second = to_rdfxml(Graph().parse(data=g.serialize(format="nt"), format="nt"))
    assert first == second
    assert isomorphic(Graph().parse(data=first, format="xml"), g)
    assert re.search(r'<owl:Class rdf:about="https://example.org/ns#a">', first)
