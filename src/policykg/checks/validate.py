"""Check the knowledge graph: SHACL shapes, verbatim evidence and OWL consistency.

Three checks run over the union of the ontology, every data graph and any extension files given:

1. **SHACL** (pySHACL): ``ontology/shapes.ttl`` over the union as one plain graph, no inference.
2. **Evidence** (here, in Python, because SHACL sees neither files nor named graphs): every
   passage's quote is exactly ``text[start:end]`` of its document's stored text (whose SHA-256 must
   match ``pkg:textSha256``); every statement about an entity other than its declaration (type,
   labels, ``pkg:mentionedIn``) lives in the named graph of a passage; every entity a fact links
   to is declared.
3. **OWL consistency**: owlready2 loads the union and HermiT checks it. When HermiT finds it
   inconsistent, the individuals whose types are disjoint classes are named (computed from the
   ontology's axioms, since owlready2 does not return HermiT's explanation).

Each problem is one :class:`Problem`, printed as one line: ``file: entity: [rule] message``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from policykg.core.errors import ParseError, ValidationError
from policykg.core.namespaces import KG, KGG, ONTOLOGY_IRI, OWL, PKG, PREFIXES, RDF, RDFS, SKOS
from policykg.rdf.graphio import GraphFile, extension_graph, graph_files, load_dataset

__all__ = [
    "DECLARATION_PREDICATES",
    "Part",
    "Problem",
    "Report",
    "ValidationFailed",
    "check_evidence",
    "check_owl",
    "check_shacl",
    "disjointness_clashes",
    "display_path",
    "ensure_valid",
    "inconsistency_problems",
    "project_parts",
    "read_part",
    "validate",
    "validate_parts",
]

Quad = tuple[Node, Node, Node, URIRef | None]
SH = "http://www.w3.org/ns/shacl#"
_DEFAULT_GRAPH = URIRef("urn:x-rdflib:default")

#: Predicates that declare an entity; they may sit outside passage graphs (all others are facts).
DECLARATION_PREDICATES: frozenset[URIRef] = frozenset(
    [RDF.type, SKOS.prefLabel, RDFS.label, SKOS.altLabel, SKOS.hiddenLabel, PKG.mentionedIn]
)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the graph.

    Attributes:
        file: the file the problem is in (relative to the project folder when inside it).
        entity: the entity concerned, by its English label and CURIE.
        rule: the rule broken (a SHACL shape's name, ``quote verbatim``, ``OWL consistency``...).
        message: what is wrong and how to fix it.
        severity: ``"violation"`` (fails validation) or ``"warning"``.
    """

    file: str
    entity: str
    rule: str
    message: str
    severity: str = "violation"

    def __str__(self) -> str:
        tail = " (warning)" if self.severity == "warning" else ""
        return f"{self.file}: {self.entity}: [{self.rule}] {self.message}{tail}"


@dataclass
class Report:
    """The result of a validation.

    Attributes:
        problems: every problem found, violations first, then sorted by file and entity.
        files: the files checked, in load order.
        triples: number of distinct triples in the union.
        consistent: HermiT's verdict; ``None`` when the OWL check did not run.
        passages: number of passages whose quote was checked against the stored text.
        timings: seconds spent per check (``load``, ``shacl``, ``evidence``, ``owl``).
    """

    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    triples: int = 0
    consistent: bool | None = None
    passages: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def violations(self) -> list[Problem]:
        """The problems that fail validation."""
        return [p for p in self.problems if p.severity == "violation"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems reported as warnings only."""
        return [p for p in self.problems if p.severity != "violation"]

    @property
    def ok(self) -> bool:
        """``True`` when no violation was found."""
        return not self.violations

    def lines(self) -> list[str]:
        """Return one line per problem."""
        return [str(p) for p in self.problems]


class ValidationFailed(ValidationError):
    """Validation found violations; :attr:`problems` holds them, the message is the first one."""

    def __init__(self, problems: Sequence[Problem], *, what: str = "") -> None:
        self.problems = list(problems)
        more = f" (and {len(self.problems) - 1} more problems)" if len(self.problems) > 1 else ""
        prefix = f"{what}: " if what else ""
        first = str(self.problems[0]) if self.problems else "validation failed"
        super().__init__(f"{prefix}{first}{more}")


# -- loading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """The quads of one input (a file, or triples about to be written).

    Attributes:
        name: how messages name it (a path relative to the project folder when inside it).
        quads: (subject, predicate, object, graph); graph ``None`` = the default graph.
        ontology: ``True`` for the ontology itself (never blamed when a user file also fits).
    """

    name: str
    quads: tuple[Quad, ...]
    ontology: bool = False


def display_path(path: Path) -> str:
    """Return ``path`` relative to the project folder when inside it, else as given."""
    from policykg.core.paths import project_root

    try:
        return path.resolve().relative_to(project_root().resolve()).as_posix()
    except ValueError:
        return str(path)


def read_part(file: GraphFile) -> Part:
    """Parse one graph file.

    Raises:
        ParseError: the file cannot be read or parsed; the message names file and line.
    """
    ds = load_dataset([file])
    quads: list[Quad] = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        graph = None if name is None or name == _DEFAULT_GRAPH else URIRef(str(name))
        quads.append((s, p, o, graph))
    return Part(display_path(file.path), tuple(quads), ontology=file.graph == URIRef(ONTOLOGY_IRI))


def project_parts(paths: Sequence[str | Path] = (), *, extensions: bool = True) -> list[Part]:
    """Read the ontology, every data graph, the extensions and the files given.

    A file given that is already part of the project (for example in ``graphs/extensions/``) is
    read once.
    """
    files = graph_files(extensions=extensions)
    seen = {f.path.resolve() for f in files}
    extra = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise ParseError(f"{path}: no such file")
        if path.resolve() not in seen:
            seen.add(path.resolve())
            extra.append(path)
    for path in extra:
        triples = path.suffix.lower() not in (".trig", ".nq")
        files.append(GraphFile(path, extension_graph(path) if triples else None))
    return [read_part(f) for f in files]


# -- the index: labels and which file says what --------------------------------------------------


class _Index:
    def __init__(self, parts: Sequence[Part], union: Graph) -> None:
        self.union = union
        self.subject_files: dict[Node, list[str]] = {}
        self.triple_files: dict[tuple[Node, Node, Node], list[str]] = {}
        self.term_files: dict[Node, list[str]] = {}
        self.ontology_files = {p.name for p in parts if p.ontology}
        for part in parts:
            for s, p, o, _ in part.quads:
                _append(self.subject_files, s, part.name)
                _append(self.triple_files, (s, p, o), part.name)
                for t in (p, o):
                    _append(self.term_files, t, part.name)

    def label(self, node: Node) -> str:
        if isinstance(node, BNode):
            return "(blank node)"
        if isinstance(node, Literal):
            return repr(str(node))
        name = curie(node)
        best = None
        for pred in (SKOS.prefLabel, RDFS.label):
            for lit in self.union.objects(node, pred):
                if isinstance(lit, Literal) and lit.language == "en":
                    best = str(lit)
                    break
            if best:
                break
        return f'"{best}" ({name})' if best else name

    def file_of(self, node: Node, triple: tuple[Node, Node, Node] | None = None) -> str:
        for candidates in (
            self.triple_files.get(triple, []) if triple else [],
            self.subject_files.get(node, []),
            self.term_files.get(node, []),
        ):
            user = [c for c in candidates if c not in self.ontology_files]
            if user:
                return user[-1]
            if candidates:
                return candidates[-1]
        return sorted(self.ontology_files)[0] if self.ontology_files else "(graph)"


def _append(table: dict[Any, list[str]], key: Any, name: str) -> None:
    found = table.setdefault(key, [])
    if name not in found:
        found.append(name)


def curie(node: Node) -> str:
    """Return the CURIE of an IRI with the project's prefixes, else ``<iri>``."""
    text = str(node)
    best: tuple[int, str] | None = None
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and len(text) > len(ns) and (best is None or len(ns) > best[0]):
            best = (len(ns), f"{prefix}:{text[len(ns) :]}")
    return best[1] if best else f"<{text}>"


# -- SHACL --------------------------------------------------------------------------------------


def check_shacl(union: Graph, shapes: Graph, index: _Index | None = None) -> list[Problem]:
    """Validate ``union`` against the SHACL ``shapes`` (no inference); one Problem per result."""
    from pyshacl import validate as shacl_validate

    index = index or _Index([], union)
    _conforms, results, _text = shacl_validate(
        union,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        abort_on_first=False,
        meta_shacl=False,
    )
    sh = {
        name: URIRef(SH + name)
        for name in (
            "ValidationResult",
            "focusNode",
            "resultPath",
            "value",
            "sourceShape",
            "sourceConstraint",
            "resultMessage",
            "resultSeverity",
            "Violation",
            "name",
            "message",
            "sourceConstraintComponent",
        )
    }
    problems = []
    for result in results.subjects(RDF.type, sh["ValidationResult"]):
        focus = results.value(result, sh["focusNode"])
        path = results.value(result, sh["resultPath"])
        value = results.value(result, sh["value"])
        shape = results.value(result, sh["sourceShape"])
        constraint = results.value(result, sh["sourceConstraint"])
        severity = results.value(result, sh["resultSeverity"])
        if focus is None:
            continue
        rule = _shape_name(shapes, constraint) or _shape_name(shapes, shape)
        if not rule:
            component = results.value(result, sh["sourceConstraintComponent"])
            rule = curie(component) if component is not None else "SHACL"
        messages = sorted(str(m) for m in results.objects(result, sh["resultMessage"]))
        message = messages[0] if messages else "SHACL constraint not met"
        message = _readable(message)
        entity: Node = focus
        triple = None
        if str(focus) == ONTOLOGY_IRI and value is not None:
            entity = _user_of(union, value)
            message += _term_hint(union, value)
        elif isinstance(path, URIRef) and value is not None:
            triple = (focus, path, value)
        problems.append(
            Problem(
                index.file_of(entity, triple),
                index.label(entity),
                rule,
                message,
                "violation" if severity == sh["Violation"] else "warning",
            )
        )
    return problems


def _shape_name(shapes: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    name = shapes.value(node, URIRef(SH + "name")) or shapes.value(node, RDFS.label)
    if name is not None:
        return str(name)
    return None if isinstance(node, BNode) else curie(node)


def _readable(message: str) -> str:
    """Replace full IRIs in a message with CURIEs and keep it on one line."""
    import re

    def short(match: re.Match[str]) -> str:
        return curie(URIRef(match.group(1)))

    message = re.sub(r"<([^<>\s]+)>", short, message)
    for ns in sorted(PREFIXES.values(), key=len, reverse=True):
        if ns in message:

            def expand(match: re.Match[str], base: str = ns) -> str:
                return curie(URIRef(base + match.group(1)))

            message = re.sub(re.escape(ns) + r"([A-Za-z0-9_\-]+)", expand, message)
    message = re.sub(r'Literal\("([^"]*)"[^)]*\)', r'"\1"', message)
    return " ".join(message.split())


_TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def _term_hint(union: Graph, term: Node) -> str:
    """'; did you mean pkg:X?' for an undeclared pkg: term close to a declared one."""
    if not isinstance(term, URIRef) or not term.startswith(str(PKG)):
        return ""
    if any((term, RDF.type, kind) in union for kind in _TERM_KINDS):
        return ""
    declared = {
        str(s)[len(str(PKG)) :]
        for kind in _TERM_KINDS
        for s in union.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and s.startswith(str(PKG))
    }
    import difflib

    local = str(term)[len(str(PKG)) :]
    found = difflib.get_close_matches(local, sorted(declared), n=1, cutoff=0.6)
    return f"; did you mean pkg:{found[0]}?" if found else ""


def _user_of(union: Graph, term: Node) -> Node:
    """The entity of a graph-wide SHACL result: the term itself, or a user of an unknown term."""
    if (term, RDF.type, None) in union or not isinstance(term, URIRef):
        return term
    users = sorted(
        {s for s in union.subjects(RDF.type, term)} | {s for s, _ in union.subject_objects(term)},
        key=str,
    )
    return users[0] if users else term


# -- evidence -----------------------------------------------------------------------------------


def check_evidence(
    ds: Dataset,
    union: Graph,
    index: _Index | None = None,
    *,
    texts: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Check the evidence model.

    - every passage's quote is exactly ``text[start:end]`` of its document's stored text, read from
      ``graphs/`` + ``pkg:textFile`` (or from ``texts``, keyed by that relative path, for texts
      not written yet), and the text's SHA-256 matches ``pkg:textSha256``;
    - a named graph whose name is a ``kg:`` IRI is a declared passage;
    - every statement about a ``kg:`` entity other than its declaration lives in a passage graph;
    - every ``kg:`` entity a fact links to is declared (has a type).
    """
    from policykg.core.paths import graphs_dir

    index = index or _Index([], union)
    texts = texts or {}
    problems: list[Problem] = []
    passages = {p for p in union.subjects(RDF.type, PKG.Passage) if isinstance(p, URIRef)}
    text_cache: dict[Node, tuple[str | None, str]] = {}

    def stored_text(doc: Node) -> tuple[str | None, str]:
        """(text or None, problem) of a document."""
        if doc in text_cache:
            return text_cache[doc]
        rel = union.value(doc, PKG.textFile)
        if rel is None:
            found: tuple[str | None, str] = (
                None,
                f"its document {curie(doc)} has no pkg:textFile, so the quote cannot be checked",
            )
        elif str(rel) in texts:
            found = (texts[str(rel)], "")
        else:
            path = graphs_dir() / str(rel)
            try:
                found = (path.read_text(encoding="utf-8"), "")
            except OSError:
                found = (None, f"the stored text graphs/{rel} of {curie(doc)} cannot be read")
        text, _ = found
        digest = union.value(doc, PKG.textSha256)
        if text is not None and digest is not None:
            actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if str(digest) != actual:
                problems.append(
                    Problem(
                        index.file_of(doc, (doc, PKG.textSha256, digest)),
                        index.label(doc),
                        "stored text unchanged",
                        f"graphs/{rel} changed since the graph was built: "
                        f"its SHA-256 is {actual[:12]}..., "
                        f"pkg:textSha256 says {str(digest)[:12]}...; rebuild with 'policykg build'",
                    )
                )
        text_cache[doc] = found
        return found

    for passage in sorted(passages, key=str):
        quote = union.value(passage, PKG.quote)
        start = union.value(passage, PKG.startOffset)
        end = union.value(passage, PKG.endOffset)
        doc = union.value(passage, PKG.inDocument)
        if quote is None or start is None or end is None or doc is None:
            continue  # the SHACL passage shape reports what is missing
        text, why = stored_text(doc)
        where = index.file_of(passage, (passage, PKG.quote, quote))
        if text is None:
            problems.append(Problem(where, index.label(passage), "quote verbatim", why))
            continue
        try:
            a, b = int(str(start)), int(str(end))
        except ValueError:
            continue  # SHACL reports the datatype
        q = str(quote)
        if text[a:b] == q and 0 <= a <= b <= len(text):
            continue
        found = text.find(q)
        hint = (
            f"; the quote occurs at {found}:{found + len(q)}"
            if found >= 0
            else "; the quote does not occur anywhere in the text"
        )
        rel = union.value(doc, PKG.textFile)
        problems.append(
            Problem(
                where,
                index.label(passage),
                "quote verbatim",
                f"the quote {_clip(q)} is not the text at {a}:{b} of graphs/{rel} "
                f"(which reads {_clip(text[a:b])}){hint}",
            )
        )

    sources = {d for d in union.subjects(PKG.textFile, None)}
    graphs = list(ds.graphs())
    for g in sorted(graphs, key=lambda x: str(x.identifier)):
        name = g.identifier
        if str(name) in (ONTOLOGY_IRI, str(KGG.inferred)) or len(g) == 0:
            continue
        if name in passages:
            continue
        if str(name).startswith(str(KG)):
            first = next(iter(g))
            problems.append(
                Problem(
                    index.file_of(first[0], first),
                    curie(name),
                    "facts live in passage graphs",
                    f"the named graph {curie(name)} holds {len(g)} statements but {curie(name)} "
                    "is not declared as a pkg:Passage with a quote",
                )
            )
            continue
        for s, p, o in sorted(g, key=lambda t: tuple(str(x) for x in t)):
            if not (isinstance(s, URIRef) and s.startswith(str(KG))):
                continue
            if p in DECLARATION_PREDICATES or s in passages or s in sources:
                continue
            problems.append(
                Problem(
                    index.file_of(s, (s, p, o)),
                    index.label(s),
                    "fact without evidence",
                    f"'{curie(s)} {curie(p)} {_term(o)}' is not stated by any passage: "
                    "put it in the named graph of the passage that states it (TriG), "
                    "or under that passage's facts (YAML)",
                )
            )

    object_props = set(union.subjects(RDF.type, OWL.ObjectProperty))
    declared = {s for s in union.subjects(RDF.type, None)}
    reported: set[Node] = set()
    for s, p, o in sorted(union, key=lambda t: tuple(str(x) for x in t)):
        if p not in object_props or not isinstance(o, URIRef) or not o.startswith(str(KG)):
            continue
        if o in declared or o in reported:
            continue
        reported.add(o)
        near = _nearest(
            str(o), [str(d) for d in declared if isinstance(d, URIRef) and d.startswith(str(KG))]
        )
        hint = f"; did you mean {curie(URIRef(near))}?" if near else ""
        problems.append(
            Problem(
                index.file_of(s, (s, p, o)),
                index.label(s),
                "linked entity declared",
                f"{curie(p)} links to {curie(o)}, which no graph declares (no rdf:type){hint}",
            )
        )
    return problems


def _clip(text: str, width: int = 60) -> str:
    text = text if len(text) <= width else text[: width - 3] + "..."
    return repr(text)


def _term(node: Node) -> str:
    if isinstance(node, Literal):
        return _clip(str(node), 40)
    return curie(node)


def _nearest(name: str, candidates: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.8)
    return found[0] if found else None


# -- OWL consistency ------------------------------------------------------------------------------


def check_owl(union: Graph, index: _Index | None = None) -> tuple[bool, list[Problem]]:
    """Check OWL consistency with HermiT (through owlready2).

    Returns:
        ``(consistent, problems)``; when inconsistent, one problem per clash found between an
        individual's types and the ontology's disjointness axioms (or one general problem).

    Raises:
        ReasonerError: Java is not installed, or HermiT failed for another reason.
    """
    from policykg.checks.reason import is_consistent

    index = index or _Index([], union)
    if is_consistent(union):
        return True, []
    return False, inconsistency_problems(union, index)


def inconsistency_problems(union: Graph, index: _Index | None = None) -> list[Problem]:
    """Explain an inconsistency HermiT found: one problem per disjoint-class clash found."""
    index = index or _Index([], union)
    problems = []
    for ind, (c1, why1), (c2, why2), (d1, d2) in disjointness_clashes(union):
        problems.append(
            Problem(
                index.file_of(ind, (ind, RDF.type, c1) if why1 == "asserted" else None),
                index.label(ind),
                "OWL consistency",
                f"HermiT: the ontology and data are inconsistent: {curie(ind)} is a {curie(c1)} "
                f"({why1}) and a {curie(c2)} ({why2}), and the ontology declares "
                f"{curie(d1)} and {curie(d2)} disjoint",
            )
        )
    if not problems:
        problems.append(
            Problem(
                "(graph)",
                "(the whole graph)",
                "OWL consistency",
                "HermiT: the ontology and data are inconsistent, but no individual typed with "
                "two disjoint classes was found; look for other axioms the data contradicts",
            )
        )
    return problems


def _super_classes(union: Graph) -> dict[Node, set[Node]]:
    direct: dict[Node, set[Node]] = {}
    for c, d in union.subject_objects(RDFS.subClassOf):
        if isinstance(c, URIRef) and isinstance(d, URIRef):
            direct.setdefault(c, set()).add(d)
    for c, d in union.subject_objects(OWL.equivalentClass):
        if isinstance(c, URIRef) and isinstance(d, URIRef):
            direct.setdefault(c, set()).add(d)
            direct.setdefault(d, set()).add(c)
    closed: dict[Node, set[Node]] = {}

    def walk(c: Node) -> set[Node]:
        if c in closed:
            return closed[c]
        closed[c] = {c}
        out = {c}
        for d in direct.get(c, ()):
            out |= walk(d)
        closed[c] = out
        return out

    for c in list(direct):
        walk(c)
    return closed


def _disjoint_pairs(union: Graph) -> set[tuple[Node, Node]]:
    pairs: set[tuple[Node, Node]] = set()
    for a, b in union.subject_objects(OWL.disjointWith):
        pairs.add((a, b))
    for node in union.subjects(RDF.type, OWL.AllDisjointClasses):
        members_list = union.value(node, OWL.members)
        if members_list is None:
            continue
        members = list(Collection(union, members_list))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b))
    return pairs | {(b, a) for a, b in pairs}


Clash = tuple[Node, tuple[Node, str], tuple[Node, str], tuple[Node, Node]]


def disjointness_clashes(union: Graph) -> list[Clash]:
    """Find individuals whose types fall in two disjoint classes.

    Types are the asserted ones plus those implied by the domains and ranges of the object
    properties an individual is used with (through sub-properties and inverses), closed under
    ``rdfs:subClassOf``. A best effort: HermiT's own explanation is not available via owlready2.

    Returns:
        ``(individual, (class, why), (other class, why), (disjoint class, disjoint class))`` per
        clash: the two types that clash (asserted, or why they are implied) and the two classes
        the ontology declares disjoint (the types themselves or super-classes of them).
    """
    supers = _super_classes(union)
    pairs = _disjoint_pairs(union)
    if not pairs:
        return []
    prop_supers: dict[Node, set[Node]] = {}
    for p, q in union.subject_objects(RDFS.subPropertyOf):
        prop_supers.setdefault(p, set()).add(q)

    def up(p: Node) -> set[Node]:
        seen, todo = {p}, [p]
        while todo:
            for q in prop_supers.get(todo.pop(), ()):
                if q not in seen:
                    seen.add(q)
                    todo.append(q)
        return seen

    inverse: dict[Node, Node] = {}
    for a, b in union.subject_objects(OWL.inverseOf):
        inverse[a], inverse[b] = b, a
    classes = set(union.subjects(RDF.type, OWL.Class)) | set(supers)
    props = set(union.subjects(RDF.type, OWL.ObjectProperty))

    reasons: dict[Node, dict[Node, str]] = {}

    def note(ind: Node, cls: Node, why: str) -> None:
        reasons.setdefault(ind, {}).setdefault(cls, why)

    for ind, cls in union.subject_objects(RDF.type):
        if cls in classes and ind not in classes and ind not in props:
            note(ind, cls, "asserted")
    for s, p, o in union:
        if p not in props:
            continue
        for q in up(p):
            for dom in union.objects(q, RDFS.domain):
                note(s, dom, f"subject of {curie(p)}")
            for rng in union.objects(q, RDFS.range):
                note(o, rng, f"value of {curie(p)}")
            inv = inverse.get(q)
            if inv is not None:
                for dom in union.objects(inv, RDFS.domain):
                    note(o, dom, f"value of {curie(p)}")
                for rng in union.objects(inv, RDFS.range):
                    note(s, rng, f"subject of {curie(p)}")

    clashes: list[Clash] = []
    for ind in sorted(reasons, key=str):
        own = reasons[ind]
        closure: dict[Node, tuple[Node, str]] = {}
        for cls in sorted(own, key=lambda c: (own[c] != "asserted", str(c))):
            for sup in supers.get(cls, {cls}):
                closure.setdefault(sup, (cls, own[cls]))
        found = set()
        for a, b in sorted(pairs, key=lambda ab: (str(ab[0]), str(ab[1]))):
            if a in closure and b in closure and str(a) < str(b):
                ca, cb = closure[a], closure[b]
                key = (ca[0], cb[0]) if str(ca[0]) <= str(cb[0]) else (cb[0], ca[0])
                if key in found:
                    continue
                found.add(key)
                clashes.append((ind, ca, cb, (a, b)))
    return clashes


# -- putting it together -------------------------------------------------------------------------


def validate_parts(
    parts: Sequence[Part],
    *,
    shapes: Path | None = None,
    shacl: bool = True,
    evidence: bool = True,
    owl: bool = True,
    texts: Mapping[str, str] | None = None,
    owl_if_clean: bool = False,
) -> Report:
    """Validate the union of ``parts``.

    Args:
        parts: the inputs (ontology, data graphs, extensions, triples about to be written).
        shapes: the SHACL shapes file (default ``ontology/shapes.ttl``).
        shacl: run the SHACL shapes.
        evidence: run the evidence checks.
        owl: run HermiT.
        texts: stored texts not written yet, keyed by their path relative to ``graphs/``.
        owl_if_clean: run HermiT only when the other checks found no violation (saves seconds
            when a file is rejected anyway).

    Raises:
        ParseError: the shapes file cannot be parsed.
        ReasonerError: HermiT cannot run (Java missing, or a Java error).
    """
    report = Report(files=[p.name for p in parts])
    t0 = time.perf_counter()
    ds = Dataset(default_union=True)
    union = Graph()
    for part in parts:
        for s, p, o, g in part.quads:
            ds.add((s, p, o, g if g is not None else ds.default_graph.identifier))  # type: ignore[arg-type]
            union.add((s, p, o))
    report.triples = len(union)
    index = _Index(parts, union)
    report.timings["load"] = time.perf_counter() - t0
    problems: list[Problem] = []
    # HermiT runs in a Java process. For a full validation start it now, in a thread, so that
    # it overlaps with SHACL; with owl_if_clean it runs afterwards, and only when needed.
    concurrent = owl and not owl_if_clean
    pool = ThreadPoolExecutor(max_workers=1) if concurrent else None
    future = pool.submit(_timed_consistency, union) if pool is not None else None
    try:
        _checks(
            report,
            problems,
            union,
            ds,
            index,
            shacl=shacl,
            evidence=evidence,
            shapes=shapes,
            texts=texts,
        )
        result: tuple[bool, float] | None = None
        if future is not None:
            result = future.result()
        elif owl and not any(p.severity == "violation" for p in problems):
            result = _timed_consistency(union)
        if result is not None:
            report.consistent, report.timings["owl"] = result
            if not report.consistent:
                problems += inconsistency_problems(union, index)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    report.problems = sorted(
        set(problems),
        key=lambda p: (p.severity != "violation", p.file, p.entity, p.rule, p.message),
    )
    return report


def _timed_consistency(union: Graph) -> tuple[bool, float]:
    from policykg.checks.reason import is_consistent

    t0 = time.perf_counter()
    return is_consistent(union), time.perf_counter() - t0


def _checks(
    report: Report,
    problems: list[Problem],
    union: Graph,
    ds: Dataset,
    index: _Index,
    *,
    shacl: bool,
    evidence: bool,
    shapes: Path | None,
    texts: Mapping[str, str] | None,
) -> None:
    from policykg.core.paths import shapes_file
    from policykg.rdf.graphio import parse_file

    if shacl:
        t0 = time.perf_counter()
        problems += check_shacl(union, parse_file(shapes or shapes_file()), index)
        report.timings["shacl"] = time.perf_counter() - t0
    if evidence:
        t0 = time.perf_counter()
        problems += check_evidence(ds, union, index, texts=texts)
        report.passages = len(set(union.subjects(RDF.type, PKG.Passage)))
        report.timings["evidence"] = time.perf_counter() - t0


def validate(
    paths: Sequence[str | Path] = (),
    *,
    extensions: bool = True,
    shapes: Path | None = None,
    shacl: bool = True,
    evidence: bool = True,
    owl: bool = True,
) -> Report:
    """Validate the project's graph plus the extension files in ``paths``.

    Args:
        paths: further RDF files (Turtle, TriG, N-Triples, RDF/XML) to validate with the graph.
        extensions: include ``graphs/extensions/``.
        shapes: the SHACL shapes file (default ``ontology/shapes.ttl``).
        shacl: run the SHACL shapes.
        evidence: run the verbatim-quote and evidence checks.
        owl: check OWL consistency with HermiT.

    Returns:
        The :class:`Report`; ``report.ok`` is ``False`` when any violation was found.

    Raises:
        ParseError: an input cannot be read or parsed (the message names the file and line).
        ReasonerError: HermiT cannot run (for example Java is not installed).
    """
    t0 = time.perf_counter()
    parts = project_parts(paths, extensions=extensions)
    parse_time = time.perf_counter() - t0
    report = validate_parts(parts, shapes=shapes, shacl=shacl, evidence=evidence, owl=owl)
    report.timings["parse"] = parse_time
    return report


def ensure_valid(report: Report, *, what: str = "") -> None:
    """Raise :class:`ValidationFailed` when ``report`` has violations."""
    if not report.ok:
        raise ValidationFailed(report.violations, what=what)
