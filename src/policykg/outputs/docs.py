"""Write an offline HTML reference of the ontology: classes, properties, labels, hierarchy.

``policykg docs`` renders ``ontology/policykg.ttl`` with the template ``templates/ontology.html``
into one self-contained page (inline CSS, no script, no external resource): the header
(title, IRIs, version, licence, namespace), the class hierarchy, then one entry per class and per
property with its English and Chinese labels, definition, evidence quote, super- and sub-terms,
disjoint classes, domains, ranges, inverse and characteristics. The output is deterministic: the
same ontology gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from string import Template

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from policykg.core.io import write_atomic
from policykg.core.namespaces import (
    DCTERMS,
    ONTOLOGY_IRI,
    OWL,
    PKG,
    RDF,
    RDFS,
    SKOS,
    VANN,
)
from policykg.core.paths import ontology_file, project_root
from policykg.rdf.graphio import parse_file
from policykg.rdf.terms import curie

__all__ = ["default_docs_file", "render_docs", "write_docs"]

_KINDS: tuple[tuple[URIRef, str, str], ...] = (
    (OWL.Class, "classes", "Classes"),
    (OWL.ObjectProperty, "object-properties", "Object properties"),
    (OWL.DatatypeProperty, "datatype-properties", "Datatype properties"),
    (OWL.AnnotationProperty, "annotation-properties", "Annotation properties"),
)
_CHARACTERISTICS = {
    OWL.TransitiveProperty: "transitive",
    OWL.SymmetricProperty: "symmetric",
    OWL.FunctionalProperty: "functional",
    OWL.InverseFunctionalProperty: "inverse functional",
    OWL.AsymmetricProperty: "asymmetric",
    OWL.ReflexiveProperty: "reflexive",
    OWL.IrreflexiveProperty: "irreflexive",
}
_EVIDENCE = PKG.evidenceQuote


def default_docs_file() -> Path:
    """Return the default output, ``docs/ontology.html`` in the project folder."""
    return project_root() / "docs" / "ontology.html"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class _Term:
    iri: URIRef
    kind: URIRef

    @property
    def local(self) -> str:
        return str(self.iri)[len(str(PKG)) :]

    @property
    def anchor(self) -> str:
        prefix = "c" if self.kind == OWL.Class else "p"
        return f"{prefix}-{self.local}"


class _Doc:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.terms: dict[URIRef, _Term] = {}
        for kind, _, _ in _KINDS:
            for s in graph.subjects(RDF.type, kind):
                if isinstance(s, URIRef) and str(s).startswith(str(PKG)) and s not in self.terms:
                    self.terms[s] = _Term(s, kind)

    # -- small helpers ---------------------------------------------------------------------------
    def text(self, node: Node, pred: URIRef, lang: str | None = None) -> list[str]:
        out = []
        for o in self.g.objects(node, pred):
            if isinstance(o, Literal) and (lang is None or o.language == lang):
                out.append(str(o))
        return sorted(out)

    def label(self, node: Node, lang: str = "en") -> str:
        found = self.text(node, RDFS.label, lang) or self.text(node, SKOS.prefLabel, lang)
        return found[0] if found else ""

    def curie(self, node: Node) -> str:
        return curie(str(node))

    def link(self, node: Node) -> str:
        if isinstance(node, URIRef) and node in self.terms:
            term = self.terms[node]
            return f'<a href="#{_e(term.anchor)}" class="curie">{_e(self.curie(node))}</a>'
        if isinstance(node, BNode):
            return self.class_expression(node)
        return f'<span class="curie" title="{_e(node)}">{_e(self.curie(node))}</span>'

    def links(self, nodes: Iterable[Node]) -> str:
        return ", ".join(self.link(n) for n in sorted(set(nodes), key=str))

    def class_expression(self, node: BNode) -> str:
        members = self.g.value(node, OWL.unionOf)
        if members is not None:
            return " or ".join(self.link(m) for m in Collection(self.g, members))
        members = self.g.value(node, OWL.intersectionOf)
        if members is not None:
            return " and ".join(self.link(m) for m in Collection(self.g, members))
        return "(class expression)"

    def disjoint(self, cls: URIRef) -> set[Node]:
        out = set(self.g.objects(cls, OWL.disjointWith)) | set(
            self.g.subjects(OWL.disjointWith, cls)
        )
        for node in self.g.subjects(RDF.type, OWL.AllDisjointClasses):
            lst = self.g.value(node, OWL.members)
            if lst is None:
                continue
            members = list(Collection(self.g, lst))
            if cls in members:
                out |= {m for m in members if m != cls}
        return out

    def inverse(self, prop: URIRef) -> set[Node]:
        return set(self.g.objects(prop, OWL.inverseOf)) | set(self.g.subjects(OWL.inverseOf, prop))

    # -- parts -------------------------------------------------------------------------------------
    def header(self) -> str:
        onto = URIRef(ONTOLOGY_IRI)
        title = self.label_of_ontology()
        rows: list[tuple[str, str]] = [("IRI", f'<span class="iri">{_e(onto)}</span>')]
        for pred, name in ((OWL.versionIRI, "version IRI"), (OWL.versionInfo, "version")):
            for o in sorted(self.g.objects(onto, pred), key=str):
                rows.append((name, f'<span class="iri">{_e(o)}</span>'))
        for o in sorted(self.g.objects(onto, DCTERMS.license), key=str):
            rows.append(
                ("licence", f'<a href="{_e(o)}">{_e(o)}</a>' if isinstance(o, URIRef) else _e(o))
            )
        for o in sorted(self.g.objects(onto, DCTERMS.creator), key=str):
            rows.append(("creator", _e(o)))
        prefix = self.g.value(onto, VANN.preferredNamespacePrefix)
        uri = self.g.value(onto, VANN.preferredNamespaceUri)
        if prefix is not None and uri is not None:
            rows.append(
                ("namespace", f'<code>{_e(prefix)}:</code> <span class="iri">{_e(uri)}</span>')
            )
        counts = {
            name: sum(1 for t in self.terms.values() if t.kind == kind) for kind, _, name in _KINDS
        }
        rows.append(("terms", ", ".join(f"{n} {name.lower()}" for name, n in counts.items())))
        desc = "".join(f"<p>{_e(d)}</p>" for d in self.text(onto, DCTERMS.description, "en"))
        comments = "".join(f"<p>{_e(c)}</p>" for c in self.text(onto, RDFS.comment, "en"))
        table = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows)
        return f'<h1>{_e(title)}</h1>\n{desc}{comments}\n<table class="meta">{table}</table>'

    def label_of_ontology(self) -> str:
        titles = self.text(URIRef(ONTOLOGY_IRI), DCTERMS.title, "en")
        return titles[0] if titles else "policykg ontology"

    def sorted_terms(self, kind: URIRef) -> list[_Term]:
        return sorted(
            (t for t in self.terms.values() if t.kind == kind), key=lambda t: t.local.lower()
        )

    def toc(self) -> str:
        out = ['<h2>Contents</h2><ul><li><a href="#hierarchy">Class hierarchy</a></li></ul>']
        for kind, anchor, name in _KINDS:
            terms = self.sorted_terms(kind)
            if not terms:
                continue
            items = "".join(f'<li><a href="#{_e(t.anchor)}">{_e(t.local)}</a></li>' for t in terms)
            out.append(f'<h2><a href="#{anchor}">{_e(name)}</a></h2><ul>{items}</ul>')
        return "\n".join(out)

    def hierarchy(self) -> str:
        classes = [t.iri for t in self.sorted_terms(OWL.Class)]
        parents = {
            c: {p for p in self.g.objects(c, RDFS.subClassOf) if p in self.terms} for c in classes
        }
        children: dict[URIRef, list[URIRef]] = {c: [] for c in classes}
        for c, ps in parents.items():
            for p in ps:
                children[URIRef(str(p))].append(c)
        roots = [c for c in classes if not parents[c]]

        def item(c: URIRef, seen: frozenset[URIRef]) -> str:
            external = [
                p
                for p in self.g.objects(c, RDFS.subClassOf)
                if p not in self.terms and isinstance(p, URIRef)
            ]
            ext = f' <span class="zh">⊑ {self.links(external)}</span>' if external else ""
            kids = [k for k in sorted(children[c], key=lambda x: str(x).lower()) if k not in seen]
            sub = "<ul>" + "".join(item(k, seen | {k}) for k in kids) + "</ul>" if kids else ""
            return f"<li>{self.link(c)}{ext}{sub}</li>"

        body = "".join(item(r, frozenset([r])) for r in sorted(roots, key=lambda x: str(x).lower()))
        return f'<h2 class="part" id="hierarchy">Class hierarchy</h2>\n<ul class="tree">{body}</ul>'

    def entry(self, term: _Term) -> str:
        iri = term.iri
        en, zh = self.label(iri, "en"), self.label(iri, "zh")
        badges = "".join(
            f'<span class="badge">{_e(name)}</span>'
            for t, name in sorted(_CHARACTERISTICS.items(), key=lambda kv: kv[1])
            if (iri, RDF.type, t) in self.g
        )
        head = (
            f'<h3>{_e(en or term.local)}<span class="zh" lang="zh">{_e(zh)}</span>{badges}</h3>'
            f'<div class="iri">{_e(self.curie(iri))} — {_e(iri)}</div>'
        )
        parts = [head]
        for d in self.text(iri, SKOS.definition, "en") or self.text(iri, SKOS.definition):
            parts.append(f'<p class="def">{_e(d)}</p>')
        for q in self.text(iri, _EVIDENCE):
            parts.append(f'<p class="quote">“{_e(q)}”</p>')
        facts: list[tuple[str, str]] = []
        if term.kind == OWL.Class:
            facts += [
                ("subclass of", self.links(self.g.objects(iri, RDFS.subClassOf))),
                ("subclasses", self.links(self.g.subjects(RDFS.subClassOf, iri))),
                ("equivalent to", self.links(self.g.objects(iri, OWL.equivalentClass))),
                ("disjoint with", self.links(self.disjoint(iri))),
                ("domain of", self.links(self.g.subjects(RDFS.domain, iri))),
                ("range of", self.links(self.g.subjects(RDFS.range, iri))),
            ]
        else:
            facts += [
                ("domain", self.links(self.g.objects(iri, RDFS.domain))),
                ("range", self.links(self.g.objects(iri, RDFS.range))),
                ("subproperty of", self.links(self.g.objects(iri, RDFS.subPropertyOf))),
                ("subproperties", self.links(self.g.subjects(RDFS.subPropertyOf, iri))),
                ("inverse", self.links(self.inverse(iri))),
            ]
        facts += [
            ("see also", self.links(self.g.objects(iri, RDFS.seeAlso))),
            ("English labels", _e(" · ".join(self.text(iri, RDFS.label, "en")))),
            ("Chinese labels", _e(" · ".join(self.text(iri, RDFS.label, "zh")))),
            ("scope note", _e(" ".join(self.text(iri, SKOS.scopeNote)))),
            ("comment", _e(" ".join(self.text(iri, RDFS.comment)))),
        ]
        rows = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in facts if v)
        if rows:
            parts.append(f'<dl class="facts">{rows}</dl>')
        return f'<section class="term" id="{_e(term.anchor)}">' + "\n".join(parts) + "</section>"

    def body(self) -> str:
        out = [self.hierarchy()]
        for kind, anchor, name in _KINDS:
            terms = self.sorted_terms(kind)
            if not terms:
                continue
            out.append(f'<h2 class="part" id="{anchor}">{_e(name)} ({len(terms)})</h2>')
            out += [self.entry(t) for t in terms]
        return "\n".join(out)


def render_docs(graph: Graph | None = None, *, source: str = "ontology/policykg.ttl") -> str:
    """Return the HTML reference of the ontology (default: the project's ontology file)."""
    from importlib.resources import files

    doc = _Doc(graph if graph is not None else parse_file(ontology_file()))
    template = Template(
        files("policykg.outputs").joinpath("templates/ontology.html").read_text(encoding="utf-8")
    )
    footer = (
        f"Generated by <code>policykg docs</code> from <code>{_e(source)}</code>. "
        "Every class and property of the <code>pkg:</code> namespace, with its English and Chinese "
        "labels and English definition."
    )
    return template.substitute(
        title=_e(doc.label_of_ontology()),
        header=doc.header(),
        toc=doc.toc(),
        body=doc.body(),
        footer=footer,
    )


def write_docs(*, out: Path | None = None, check: bool = False) -> tuple[Path, bool]:
    """Write the HTML reference when it changed.

    Args:
        out: the HTML file (default ``docs/ontology.html``).
        check: write nothing; report whether the file is out of date.

    Returns:
        ``(path, changed)``.
    """
    dest = out or default_docs_file()
    text = render_docs()
    if dest.is_file() and dest.read_text(encoding="utf-8") == text:
        return dest, False
    if not check:
        write_atomic(dest, text)
    return dest, True
