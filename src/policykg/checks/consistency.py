"""OWL consistency that scales: the clashes the ontology allows, found by queries.

The ontology (``ontology/policykg.ttl``) uses classes and sub-classes, domains and ranges,
inverse, symmetric, transitive and functional object properties, disjoint classes and datatype
ranges; no restrictions, cardinalities, complements, enumerations or property chains. With
those axioms data can contradict the ontology in two ways only:

1. an individual falls in two disjoint classes, by its asserted types or the types implied by
   the domains and ranges of the properties it is used with (through sub-properties, inverses
   and symmetric properties), closed under ``rdfs:subClassOf``; the values of a functional
   property of one subject are one individual (:func:`disjointness_clashes`);
2. a literal lies outside its datatype property's range (a string for ``xsd:decimal``, ``-1``
   for ``xsd:nonNegativeInteger``...; :func:`datatype_clashes`).

Both are found by a few queries whose cost grows with the data, where HermiT's grows faster (its
start alone is 2-3 s). :func:`unsupported_axioms` lists the axioms outside that set; while any
is present the queries are not a complete check and HermiT must run on the data.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.namespaces import OWL, RDF, XSD, XSD_INTEGER_DERIVED
from policykg.core.walk import reachable
from policykg.rdf.terms import curie, ntriples_term
from policykg.sparql.syntax import bind_each, bind_values

from .data import CheckData

__all__ = [
    "Clash",
    "DatatypeClash",
    "datatype_clashes",
    "disjointness_clashes",
    "unsupported_axioms",
]

Clash = tuple[Node, tuple[Node, str], tuple[Node, str], tuple[Node, Node]]
#: (subject, property, value, range) of a literal outside its property's range.
DatatypeClash = tuple[Node, Node, Node, Node]

#: OWL vocabulary the queries do not reason with: any of it in the data means HermiT must run.
UNSUPPORTED = [
    "Restriction", "complementOf", "unionOf", "intersectionOf", "oneOf", "hasKey",
    "propertyChainAxiom", "InverseFunctionalProperty",
    "AsymmetricProperty", "IrreflexiveProperty", "propertyDisjointWith",
    "AllDisjointProperties", "differentFrom", "AllDifferent", "sameAs",
    "NegativePropertyAssertion", "disjointUnionOf", "ReflexiveProperty", "datatypeComplementOf",
    "withRestrictions", "onDatatype",
]  # fmt: skip


def unsupported_axioms(data: CheckData) -> list[str]:
    """The OWL terms used in ``data`` that :func:`disjointness_clashes` does not reason with."""
    rows = data.select(
        bind_each(
            "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } }",
            "t",
            [OWL[t] for t in UNSUPPORTED],
        )
    )
    found = sorted(curie(t) for (t,) in rows if t is not None)
    # functional object properties are reasoned with (their values are one individual); a
    # functional datatype property is not
    functional_data = data.select(
        "SELECT ?p WHERE { ?p a owl:FunctionalProperty , owl:DatatypeProperty } LIMIT 1"
    )
    if any(True for _ in functional_data):
        found.append("owl:FunctionalProperty")
    return found


def _pairs(data: CheckData, sparql: str) -> list[tuple[Node, Node]]:
    return [(a, b) for a, b in data.select(sparql) if a is not None and b is not None]


def _super_classes(data: CheckData) -> dict[Node, set[Node]]:
    direct: dict[Node, set[Node]] = {}
    q = "SELECT DISTINCT ?c ?d WHERE {{ ?c {} ?d FILTER(isIRI(?c) && isIRI(?d)) }}"
    for c, d in _pairs(data, q.format("rdfs:subClassOf")):
        direct.setdefault(c, set()).add(d)
    for c, d in _pairs(data, q.format("owl:equivalentClass")):
        direct.setdefault(c, set()).add(d)
        direct.setdefault(d, set()).add(c)
    nodes = set(direct).union(*direct.values())
    return {c: reachable([c], lambda n: direct.get(n, ())) for c in nodes}


def _disjoint_pairs(data: CheckData) -> set[tuple[Node, Node]]:
    pairs = set(_pairs(data, "SELECT DISTINCT ?a ?b WHERE { ?a owl:disjointWith ?b }"))
    groups: dict[Node, list[Node]] = {}
    for x, m in _pairs(
        data,
        "SELECT ?x ?m WHERE { ?x a owl:AllDisjointClasses ; owl:members/rdf:rest*/rdf:first ?m }",
    ):
        groups.setdefault(x, []).append(m)
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b))
    return pairs | {(b, a) for a, b in pairs}


def disjointness_clashes(data: CheckData) -> list[Clash]:
    """Find individuals whose types fall in two disjoint classes.

    Types are the asserted ones plus those implied by the domains and ranges of the object
    properties an individual is used with (through sub-properties, inverses and symmetric
    properties), closed under ``rdfs:subClassOf``.

    Returns:
        ``(individual, (class, why), (other class, why), (disjoint class, disjoint class))`` per
        clash: the two types that clash (asserted, or why they are implied) and the two classes
        the ontology declares disjoint (the types themselves or super-classes of them).
    """
    supers = _super_classes(data)
    pairs = _disjoint_pairs(data)
    if not pairs:
        return []
    relevant = {a for a, _ in pairs}
    prop_supers: dict[Node, set[Node]] = {}
    for p, q in _pairs(data, "SELECT DISTINCT ?p ?q WHERE { ?p rdfs:subPropertyOf ?q }"):
        prop_supers.setdefault(p, set()).add(q)

    def up(p: Node) -> set[Node]:
        return reachable([p], lambda q: prop_supers.get(q, ()))

    inverse: dict[Node, set[Node]] = {}
    for a, b in _pairs(data, "SELECT DISTINCT ?a ?b WHERE { ?a owl:inverseOf ?b }"):
        inverse.setdefault(a, set()).add(b)
        inverse.setdefault(b, set()).add(a)
    for (sym,) in data.select("SELECT DISTINCT ?p WHERE { ?p a owl:SymmetricProperty }"):
        if sym is not None:
            inverse.setdefault(sym, set()).add(sym)
    domains: dict[Node, set[Node]] = {}
    ranges: dict[Node, set[Node]] = {}
    for p, d in _pairs(data, "SELECT DISTINCT ?p ?d WHERE { ?p rdfs:domain ?d }"):
        domains.setdefault(p, set()).add(d)
    for p, r in _pairs(data, "SELECT DISTINCT ?p ?r WHERE { ?p rdfs:range ?r }"):
        ranges.setdefault(p, set()).add(r)
    classes = {
        c for (c,) in data.select("SELECT DISTINCT ?c WHERE { ?c a owl:Class }") if c is not None
    }
    classes |= set(supers)
    props = {
        p
        for (p,) in data.select("SELECT DISTINCT ?p WHERE { ?p a owl:ObjectProperty }")
        if p is not None
    }

    reasons: dict[Node, dict[Node, str]] = {}

    def note(ind: Node, cls: Node, why: str) -> None:
        reasons.setdefault(ind, {}).setdefault(cls, why)

    for ind, cls in _pairs(data, "SELECT DISTINCT ?i ?c WHERE { ?i a ?c }"):
        if cls in classes and ind not in classes and ind not in props:
            note(ind, cls, "asserted")
    for p in sorted(props, key=str):
        subject_types: set[Node] = set()
        value_types: set[Node] = set()
        for q in up(p):
            subject_types |= domains.get(q, set())
            value_types |= ranges.get(q, set())
            for inv in inverse.get(q, ()):
                value_types |= domains.get(inv, set())
                subject_types |= ranges.get(inv, set())
        if not subject_types and not value_types:
            continue
        # the distinct subjects, then the distinct values (not every triple: mentionedIn alone
        # has hundreds of thousands)
        if subject_types:
            why = f"subject of {curie(p)}"
            doms = sorted(subject_types, key=str)
            for (s,) in _column(data, p, "?s"):
                for dom in doms:
                    note(s, dom, why)
        if value_types:
            why = f"value of {curie(p)}"
            rngs = sorted(value_types, key=str)
            for (o,) in _column(data, p, "?o"):
                for rng in rngs:
                    note(o, rng, why)

    _merge_functional_values(data, props, reasons)
    clashes: list[Clash] = []
    ordered_pairs = sorted(pairs, key=lambda ab: (str(ab[0]), str(ab[1])))
    for ind in sorted(reasons, key=str):
        own = reasons[ind]
        closure: dict[Node, tuple[Node, str]] = {}
        for cls in sorted(own, key=lambda c: (own[c] != "asserted", str(c))):
            for sup in supers.get(cls, {cls}):
                closure.setdefault(sup, (cls, own[cls]))
        if len(relevant.intersection(closure)) < 2:
            continue
        found = set()
        for a, b in ordered_pairs:
            if a in closure and b in closure and str(a) < str(b):
                ca, cb = closure[a], closure[b]
                key = (ca[0], cb[0]) if str(ca[0]) <= str(cb[0]) else (cb[0], ca[0])
                if key in found:
                    continue
                found.add(key)
                clashes.append((ind, ca, cb, (a, b)))
    return clashes


def _column(data: CheckData, prop: Node, var: str) -> list[tuple[Node]]:
    """The distinct subjects (``?s``) or values (``?o``) of ``prop``."""
    rows = data.select(bind_values(f"SELECT DISTINCT {var} WHERE {{ ?s ?p ?o }}", {"p": prop}))
    return [(n,) for (n,) in rows if n is not None]


def _merge_functional_values(
    data: CheckData, props: set[Node], reasons: dict[Node, dict[Node, str]]
) -> None:
    """The values of a functional object property of one subject are one individual.

    Without the unique name assumption HermiT makes them the same individual, with the types of
    all: each value gets the others' types, saying why.
    """
    functional = {
        p
        for (p,) in data.select("SELECT DISTINCT ?p WHERE { ?p a owl:FunctionalProperty }")
        if p in props
    }
    for p in sorted(functional, key=str):
        values: dict[Node, set[Node]] = {}
        # only the subjects with more than one value matter
        many = bind_values(
            "SELECT DISTINCT ?s ?o WHERE { { SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s "
            "HAVING (COUNT(DISTINCT ?o) > 1) } ?s ?p ?o }",
            {"p": p},
        )
        for s, o in _pairs(data, many):
            values.setdefault(s, set()).add(o)
        for s in sorted(values, key=str):
            objects = values[s]
            if len(objects) < 2:
                continue
            for o in sorted(objects, key=str):
                for other in sorted(objects - {o}, key=str):
                    for cls, why in list(reasons.get(other, {}).items()):
                        how = f"{why} of {curie(other)}, the same individual: {curie(s)} has "
                        how += f"one {curie(p)}"
                        reasons.setdefault(o, {}).setdefault(cls, how)


_INTEGERS = {XSD.integer} | XSD_INTEGER_DERIVED
_NUMBERS = _INTEGERS | {XSD.decimal}
_STRINGS = {XSD.string, XSD.normalizedString, XSD.token}


def _fits(value: Literal, rng: Node) -> bool:
    """Whether a literal lies in the value space of the range ``rng`` (the ranges in use)."""
    dt = value.datatype if value.language is None else RDF.langString
    if dt is None:
        dt = XSD.string
    if rng in _STRINGS:
        return dt in _STRINGS
    if rng not in _NUMBERS:
        return True  # a range these checks do not know: left to HermiT
    if dt not in _NUMBERS:
        return False
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return False
    if rng == XSD.decimal:
        return True
    if number != number.to_integral_value():
        return False
    if rng == XSD.nonNegativeInteger:
        return number >= 0
    if rng == XSD.positiveInteger:
        return number >= 1
    return True


def _in(types: set[URIRef]) -> str:
    return "DATATYPE(?o) IN (" + ", ".join(ntriples_term(t) for t in sorted(types)) + ")"


def _plainly_fits(rng: Node) -> str | None:
    """A SPARQL test of ``?o`` true only of literals :func:`_fits` accepts for ``rng``.

    The query leaves those out, in the store (a range property has hundreds of thousands of
    values); :func:`_fits` decides on the rest. A comparison with an ill-formed literal is an
    error, which ``COALESCE`` makes false: such literals are left for :func:`_fits`. ``None``:
    every literal fits.
    """
    plain = 'LANG(?o) = ""'
    if rng in _STRINGS:
        return f"{plain} && {_in(_STRINGS)}"
    if rng not in _NUMBERS:
        return None
    if rng == XSD.decimal:
        return f"{plain} && {_in(_NUMBERS)} && (?o >= 0 || ?o < 0)"
    if rng == XSD.nonNegativeInteger:
        return f"{plain} && {_in(_INTEGERS)} && ?o >= 0"
    if rng == XSD.positiveInteger:
        return f"{plain} && {_in(_INTEGERS)} && ?o >= 1"
    return f"{plain} && {_in(_INTEGERS)} && (?o >= 0 || ?o < 0)"


def datatype_clashes(data: CheckData) -> list[DatatypeClash]:
    """Find literals outside the range of their datatype property (sub-properties included)."""
    clashes: list[DatatypeClash] = []
    rows = data.select(
        "SELECT DISTINCT ?p ?r WHERE { ?p a owl:DatatypeProperty . "
        "?p rdfs:subPropertyOf* ?q . ?q rdfs:range ?r FILTER(isIRI(?r)) }"
    )
    for p, rng in sorted(rows, key=lambda r: (str(r[0]), str(r[1]))):
        assert p is not None and rng is not None
        fine = _plainly_fits(rng)
        if fine is None:
            continue  # every literal fits a range these checks do not know (see _fits)
        for s, o in data.select(
            bind_values(
                "SELECT DISTINCT ?s ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) "
                f"FILTER(!COALESCE({fine}, false)) }}",
                {"p": p},
            )
        ):
            if isinstance(o, Literal) and not _fits(o, rng):
                assert s is not None
                clashes.append((s, p, o, rng))
    return sorted(clashes, key=lambda c: tuple(str(x) for x in c))


def as_uri(node: Node) -> URIRef:
    """``node`` as an IRI (for messages about it)."""
    return URIRef(str(node))
