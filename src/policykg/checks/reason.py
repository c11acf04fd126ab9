"""OWL reasoning: HermiT through owlready2, with an OWL 2 RL fallback (owlrl) when Java is missing.

:func:`is_consistent` asks HermiT (``owlready2.sync_reasoner_hermit``) whether the ontology and
data are consistent. :func:`infer` computes what the ontology entails about the graph's
individuals — their types (every named super-class), inverse, symmetric, transitive and
super-property links — and :func:`write_inferred` writes the triples not already asserted to
``graphs/inferred.ttl`` (sorted Turtle), which ``policykg.load(inferred=True)`` adds to the graph.

For inference HermiT's command line (the one owlready2 ships) is run directly with the same
options as ``sync_reasoner_hermit(infer_property_values=True)`` and its output is parsed here:
owlready2 applies property values to its own model but skips a link whose inverse is asserted
(``b isDrivenBy a`` when ``a drives b`` is in the data), which is exactly the kind of triple a
SPARQL user needs written out.

Java is found as ``$POLICYKG_JAVA`` when set, else owlready2's ``JAVA_EXE`` (``java`` on the PATH).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import ReasonerError, ValidationError
from policykg.core.io import write_atomic
from policykg.core.namespaces import OWL, RDF, RDFS
from policykg.core.paths import inferred_file
from policykg.core.walk import reachable
from policykg.rdf.graphio import graph_files
from policykg.rdf.owl import load_world, reasoner_ntriples, reasoner_ntriples_from
from policykg.rdf.rdfwrite import to_turtle

from .data import read_part

__all__ = [
    "JAVA_MISSING",
    "HermitResult",
    "Inference",
    "hermit_consistent",
    "hermit_input",
    "hermit_version",
    "infer",
    "infer_hermit",
    "infer_owlrl",
    "is_consistent",
    "java_executable",
    "project_graph",
    "run_hermit",
    "write_inferred",
]

#: The message of the :class:`ReasonerError` raised when Java cannot be found.
JAVA_MISSING = (
    "Java is not installed (HermiT needs a Java runtime): install one, e.g. "
    "'apt-get install default-jre-headless', or set POLICYKG_JAVA to the java executable"
)

_RESULT = re.compile(r"^([A-Za-z]+)\( ((?:<(?:[^>]+)>\s*)+) \)$", re.MULTILINE)
_PROP = re.compile(
    r"^<([^>]+)> \(known instances:\s*(.*?)(?:\s*\|\s*)possible instances:\s*(.*?)\s*\)",
    re.MULTILINE,
)
_PAIR = re.compile(r"\(<([^>]+)>, <([^>]+)>\)")
_IGNORED_TYPES = {OWL.Thing, OWL.NamedIndividual, OWL.Nothing, RDFS.Resource}
_NON_INDIVIDUAL_TYPES = {
    OWL.Class,
    RDFS.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
    OWL.Ontology,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.AllDisjointClasses,
    OWL.Restriction,
    RDFS.Datatype,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
    OWL.AllDifferent,
}


def java_executable() -> str | None:
    """Return the Java executable HermiT will use, or ``None`` when it cannot be found."""
    import owlready2

    java = os.environ.get("POLICYKG_JAVA") or owlready2.JAVA_EXE
    found = shutil.which(java)
    if found:
        owlready2.JAVA_EXE = found
    return found


def _require_java() -> str:
    java = java_executable()
    if java is None:
        raise ReasonerError(JAVA_MISSING)
    return java


def _java_failure(output: str) -> ReasonerError:
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    useful = [ln for ln in lines if "Exception" in ln or "Error" in ln] or lines or ["no output"]
    return ReasonerError(f"HermiT failed: {useful[0][:300]}")


#: JVM options for HermiT's runs: the client compiler only and the serial collector start the
#: JVM in about half the time of the defaults (measured in ``docs/validation.md``); HermiT's
#: consistency checks here are seconds long, where C2's later speed-up does not pay back. Its
#: classification too (``policykg reason``): on the project 2.4 CPU s instead of 5.2, on the
#: project's data four times over 8.0 instead of 16.0 (and 10 s wall instead of 17.5).
_FAST_JVM = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def _hermit_command(java: str, *args: str) -> list[str]:
    from owlready2 import reasoning

    return [
        java,
        f"-Xmx{reasoning.JAVA_MEMORY}M",
        *_FAST_JVM,
        "-cp",
        reasoning._HERMIT_CLASSPATH,
        "org.semanticweb.HermiT.cli.CommandLine",
        *args,
    ]


def is_consistent(graph: Graph | bytes | Path, *, timeout: float = 600) -> bool:
    """Ask HermiT whether ``graph`` (ontology + data) is consistent.

    ``graph`` is an rdflib graph, or the union already written as N-Triples (bytes or a file),
    which is converted without an rdflib graph (:func:`~policykg.rdf.owl.reasoner_ntriples_from`).

    HermiT's command line (the copy owlready2 ships) checks that ``owl:Thing`` is satisfiable
    (``-k``), which holds exactly when the ontology is consistent. The graph goes to it as the
    same N-Triples owlready2 would give it (:func:`~policykg.rdf.owl.reasoner_ntriples`: OWL 2
    compatible literals, no ``owl:imports``), without loading it into an owlready2 world first
    and without the classification ``sync_reasoner_hermit`` runs and reads back: the answer is
    the same, in about a third of the time.

    Raises:
        ReasonerError: Java is not installed, HermiT failed, or it ran past ``timeout`` seconds.
    """
    return hermit_consistent(hermit_input(graph), timeout=timeout)


def hermit_input(graph: Graph | bytes | Path) -> bytes:
    """The N-Triples :func:`is_consistent` gives HermiT for ``graph`` (all that HermiT reads)."""
    return reasoner_ntriples(graph) if isinstance(graph, Graph) else reasoner_ntriples_from(graph)


def hermit_version() -> str:
    """What HermiT's verdict depends on besides its input: owlready2's version, HermiT's jars.

    The SHA-256 of every file on HermiT's class path (read once per process, about 10 ms).
    """
    global _VERSION
    if _VERSION is None:
        import hashlib

        import owlready2
        from owlready2 import reasoning

        digest = hashlib.sha256(f"owlready2 {owlready2.VERSION}".encode())
        for entry in reasoning._HERMIT_CLASSPATH.split(os.pathsep):
            path = Path(entry)
            if path.is_file():
                digest.update(f"\0{path.name}\0".encode())
                digest.update(path.read_bytes())
        _VERSION = digest.hexdigest()
    return _VERSION


_VERSION: str | None = None


def hermit_consistent(ntriples: bytes, *, timeout: float = 600) -> bool:
    """HermiT's verdict on N-Triples already converted (:func:`hermit_input`).

    Raises:
        ReasonerError: Java is not installed, HermiT failed, or it ran past ``timeout`` seconds.
    """
    java = _require_java()
    fd, tmp = tempfile.mkstemp(prefix="policykg-hermit-", suffix=".nt")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(ntriples)
        iri = f"file:///{Path(tmp).as_posix().lstrip('/')}"
        try:
            done = subprocess.run(
                _hermit_command(java, "-k", iri),
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError:
            raise ReasonerError(JAVA_MISSING) from None
        except subprocess.TimeoutExpired:
            raise ReasonerError(f"HermiT did not finish within {timeout:.0f} s") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    output = done.stdout + done.stderr
    if done.returncode == 0 and "is satisfiable" in done.stdout:
        return True
    if "InconsistentOntologyException" in output:
        return False
    raise _java_failure(done.stderr or done.stdout)


# -- HermiT inference ----------------------------------------------------------------------------


@dataclass
class HermitResult:
    """What HermiT's command line printed, parsed.

    Attributes:
        subclass: direct (named) super-classes per class, from the classification.
        types: direct (most specific) named types per individual.
        links: (subject, property, object) of every known object property instance.
        subproperty: direct super-properties per property (``ObjectInverseOf`` forms left out).
    """

    subclass: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    types: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    links: set[tuple[URIRef, URIRef, URIRef]] = field(default_factory=set)
    subproperty: dict[URIRef, set[URIRef]] = field(default_factory=dict)


def run_hermit(graph: Graph, *, timeout: float = 600) -> HermitResult:
    """Run HermiT (owlready2's copy) on ``graph``: classify, realise, and list property instances.

    Raises:
        ReasonerError: Java is missing or HermiT failed.
        ValidationError: the ontology and data are inconsistent.
    """
    import owlready2

    java = _require_java()
    world = load_world(graph)
    fd, tmp = tempfile.mkstemp(prefix="policykg-hermit-", suffix=".nt")
    os.close(fd)
    try:
        world.save(tmp, format="ntriples")
        world.close()
        iri = f"file:///{Path(tmp).as_posix().lstrip('/')}"
        command = _hermit_command(java, "-c", "-O", "-D", "-I", iri, "-Y")
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except FileNotFoundError:
            raise ReasonerError(JAVA_MISSING) from None
        except subprocess.TimeoutExpired:
            raise ReasonerError(f"HermiT did not finish within {timeout:.0f} s") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    if done.returncode != 0:
        if "Inconsistent ontology" in (done.stdout + done.stderr):
            raise ValidationError(
                "HermiT: the ontology and data are inconsistent; "
                "run 'policykg validate' to see which individuals clash"
            )
        raise _java_failure(done.stderr or done.stdout)
    del owlready2
    return _parse_hermit(done.stdout)


def _parse_hermit(output: str) -> HermitResult:
    result = HermitResult()
    for relation, iris in _RESULT.findall(output):
        terms = [URIRef(x) for x in iris.strip()[1:-1].split("> <")]
        if len(terms) != 2:
            continue
        a, b = terms
        if relation == "SubClassOf":
            result.subclass.setdefault(a, set()).add(b)
        elif relation == "Type":
            result.types.setdefault(a, set()).add(b)
        elif relation == "SubObjectPropertyOf":
            result.subproperty.setdefault(a, set()).add(b)
    for line in output.splitlines():
        if line.startswith("EquivalentClasses( <"):
            names = [URIRef(x) for x in re.findall(r"<([^>]+)>", line)]
            for a in names:
                for b in names:
                    if a != b:
                        result.subclass.setdefault(a, set()).add(b)
    for prop, known, _possible in _PROP.findall(output):
        p = URIRef(prop)
        for a, b in _PAIR.findall(known):
            result.links.add((URIRef(a), p, URIRef(b)))
    return result


def _individuals(graph: Graph) -> set[URIRef]:
    """IRIs that are individuals: typed or linked by an object property, not a class or property."""
    typed: dict[Node, set[Node]] = {}
    for s, o in graph.subject_objects(RDF.type):
        typed.setdefault(s, set()).add(o)
    found = set(typed)
    for prop in set(graph.subjects(RDF.type, OWL.ObjectProperty)):
        for s, o in graph.subject_objects(prop):
            found.update((s, o))
    return {
        s
        for s in found
        if isinstance(s, URIRef) and not typed.get(s, set()) & _NON_INDIVIDUAL_TYPES
    }


def _complete_links(
    graph: Graph, links: set[tuple[Node, Node, Node]]
) -> set[tuple[Node, Node, Node]]:
    """Add super-property, inverse and symmetric counterparts of ``links`` (told axioms)."""
    supers: dict[Node, set[Node]] = {}
    for p, q in graph.subject_objects(RDFS.subPropertyOf):
        supers.setdefault(p, set()).add(q)
    inverse: dict[Node, set[Node]] = {}
    for a, b in graph.subject_objects(OWL.inverseOf):
        inverse.setdefault(a, set()).add(b)
        inverse.setdefault(b, set()).add(a)
    symmetric = set(graph.subjects(RDF.type, OWL.SymmetricProperty))
    out = set(links)
    todo = list(links)
    while todo:
        s, p, o = todo.pop()
        nxt = [(s, q, o) for q in supers.get(p, ())]
        nxt += [(o, q, s) for q in inverse.get(p, ())]
        if p in symmetric:
            nxt.append((o, p, s))
        for t in nxt:
            if t not in out:
                out.add(t)
                todo.append(t)
    return out


@dataclass
class Inference:
    """Triples a reasoner inferred that the graph does not assert.

    Attributes:
        graph: the inferred triples.
        reasoner: ``"hermit"`` or ``"owlrl"``.
        note: why the fallback was used, if it was.
        seconds: time the reasoning took.
    """

    graph: Graph
    reasoner: str
    note: str = ""
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        """Count the inferred triples: ``types`` and ``links``."""
        types = sum(1 for _ in self.graph.triples((None, RDF.type, None)))
        return {"types": types, "links": len(self.graph) - types}


def infer_hermit(graph: Graph) -> Graph:
    """Infer types and links of the individuals with HermiT; return only new triples.

    Raises:
        ReasonerError: Java is missing or HermiT failed.
        ValidationError: the graph is inconsistent.
    """
    result = run_hermit(graph)
    individuals = _individuals(graph)
    supers: dict[Node, set[Node]] = {}
    for cls, parents in result.subclass.items():
        supers.setdefault(cls, set()).update(parents)
    for sub_class, parent in graph.subject_objects(RDFS.subClassOf):
        if isinstance(parent, URIRef):
            supers.setdefault(sub_class, set()).add(parent)

    def step(c: Node) -> set[Node]:
        return supers.get(c, set())

    triples: set[tuple[Node, Node, Node]] = set()
    for ind, types in result.types.items():
        if ind not in individuals:
            continue
        for t in types:
            start: Node = t
            for sup in reachable([start], step):
                if isinstance(sup, URIRef) and sup not in _IGNORED_TYPES:
                    triples.add((ind, RDF.type, sup))
    links: set[tuple[Node, Node, Node]] = {
        (s, p, o)
        for s, p, o in result.links
        if s in individuals and o in individuals and not str(p).startswith(str(OWL))
    }
    asserted = {
        (s, p, o)
        for s, p, o in graph
        if s in individuals and isinstance(o, URIRef) and o in individuals
    }
    triples |= _complete_links(graph, links | asserted)
    out = Graph()
    for triple in triples:
        if triple not in graph:
            out.add(triple)
    return out


def infer_owlrl(graph: Graph) -> Graph:
    """Infer types and links of the individuals with OWL 2 RL rules (owlrl); new triples only."""
    import owlrl

    work = Graph()
    for t in graph:
        work.add(t)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(work)
    individuals = _individuals(graph)
    classes = set(graph.subjects(RDF.type, OWL.Class))
    props = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    out = Graph()
    for s, p, o in work:
        if (s, p, o) in graph or s not in individuals or isinstance(o, (Literal, BNode)):
            continue
        if p == RDF.type:
            if o in classes and o not in _IGNORED_TYPES:
                out.add((s, p, o))
        elif p in props and o in individuals and not str(p).startswith(str(OWL)):
            out.add((s, p, o))
    return out


def infer(graph: Graph, *, reasoner: str = "auto") -> Inference:
    """Infer with HermiT, or with OWL 2 RL when ``reasoner="owlrl"`` or Java is missing (``auto``).

    Raises:
        ReasonerError: ``reasoner="hermit"`` and Java is missing, or HermiT failed.
        ValidationError: HermiT found the graph inconsistent.
    """
    if reasoner not in ("auto", "hermit", "owlrl"):
        raise ReasonerError(f"unknown reasoner '{reasoner}' (use auto, hermit or owlrl)")
    t0 = time.perf_counter()
    if reasoner == "owlrl":
        return Inference(infer_owlrl(graph), "owlrl", "", time.perf_counter() - t0)
    if reasoner == "auto" and java_executable() is None:
        note = f"{JAVA_MISSING.split(':')[0]}; fell back to the OWL 2 RL rules (owlrl)"
        return Inference(infer_owlrl(graph), "owlrl", note, time.perf_counter() - t0)
    return Inference(infer_hermit(graph), "hermit", "", time.perf_counter() - t0)


def project_graph(*, extensions: bool = True) -> Graph:
    """Return the union of the ontology, the document graphs and the extensions as one graph.

    Each file as :func:`~policykg.checks.data.read_part` reads it (Oxigraph, for what rdflib
    would read the same).
    """
    union = Graph()
    for file in graph_files(extensions=extensions):
        for s, p, o, _ in read_part(file).quads:
            union.add((s, p, o))
    return union


def write_inferred(
    *, out: Path | None = None, reasoner: str = "auto", extensions: bool = True
) -> tuple[Inference, Path, bool]:
    """Reason over the project's graph and write the inferred triples as sorted Turtle.

    Args:
        out: destination (default ``graphs/inferred.ttl``).
        reasoner: ``auto`` (HermiT, else owlrl), ``hermit`` or ``owlrl``.
        extensions: include ``graphs/extensions/``.

    Returns:
        ``(inference, path, written)``; ``written`` is ``False`` when the file was up to date.
    """
    inference = infer(project_graph(extensions=extensions), reasoner=reasoner)
    dest = out or inferred_file()
    by = "HermiT (owlready2)" if inference.reasoner == "hermit" else "the OWL 2 RL rules (owlrl)"
    header = (
        f"# Inferred by {by} from the ontology, the document graphs and the extensions.\n"
        "# Generated by 'policykg reason'; do not edit. Only triples not already asserted.\n"
    )
    text = header + to_turtle(inference.graph)
    if dest.is_file() and dest.read_text(encoding="utf-8") == text:
        return inference, dest, False
    write_atomic(dest, text)
    return inference, dest, True
