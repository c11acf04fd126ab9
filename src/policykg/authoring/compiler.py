"""Compile an authoring source (YAML or an equivalent mapping) into evidence-linked RDF.

The format is documented in ``docs/DESIGN.md`` and the README. One source describes one document:
its bibliographic record, the entities it names, and its passages, each passage a verbatim quote
of the document's stored text with the facts that quote states. The result is one named graph for
the document (record, passages with offsets, entity declarations) and one named graph per passage
(the facts it states), so that every fact can be traced to the words that state it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from policykg.authoring.entity_labels import entity_names, label_triples
from policykg.authoring.provisions import compile_provisions
from policykg.authoring.status import accepted_mapping, locate_quote
from policykg.core.errors import AuthoringError, StoredTextError
from policykg.core.io import read_stored_text
from policykg.core.namespaces import KG, KGG, OWL, PKG, PREFIXES, RDF, RDFS, SKOS, SLUG, XSD
from policykg.core.paths import graphs_dir, ontology_file
from policykg.core.yamlsafe import load_yaml_file, load_yaml_text
from policykg.rdf.graphio import parse_file
from policykg.rdf.rdfwrite import to_trig
from policykg.rdf.terms import curie, local_name

__all__ = [
    "CompiledSource",
    "OntologyIndex",
    "compile_mapping",
    "compile_source",
    "load_source_mapping",
]

_INT_TYPES = {XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger}
Triple = tuple[Node, Node, Node]
_INDEXES: dict[tuple[str, int, int], OntologyIndex] = {}


@dataclass(frozen=True)
class OntologyIndex:
    """What the compiler needs to know of the ontology: classes and property kinds."""

    classes: frozenset[URIRef]
    object_properties: frozenset[URIRef]
    datatype_ranges: Mapping[URIRef, URIRef | None]
    annotation_properties: frozenset[URIRef]
    individuals: frozenset[URIRef] = frozenset()
    modalities: Mapping[str, URIRef] = field(default_factory=dict)
    polarities: Mapping[str, URIRef] = field(default_factory=dict)
    #: the Chinese preferred labels of the modalities and polarities (a provision's label)
    labels_zh: Mapping[URIRef, str] = field(default_factory=dict)

    @classmethod
    def from_graph(cls, graph: Graph) -> OntologyIndex:
        """Index an ontology graph."""
        classes = frozenset(s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef))
        objs = frozenset(
            s for s in graph.subjects(RDF.type, OWL.ObjectProperty) if isinstance(s, URIRef)
        )
        objs |= frozenset(
            s for s in graph.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(s, URIRef)
        )
        dts: dict[URIRef, URIRef | None] = {}
        for s in graph.subjects(RDF.type, OWL.DatatypeProperty):
            if isinstance(s, URIRef):
                rng = graph.value(s, RDFS.range)
                dts[s] = rng if isinstance(rng, URIRef) else None
        anns = frozenset(
            s for s in graph.subjects(RDF.type, OWL.AnnotationProperty) if isinstance(s, URIRef)
        )
        individuals = frozenset(
            s for s in graph.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef)
        )
        modalities = {
            local_name(s): s
            for s in graph.subjects(RDF.type, PKG.Modality)
            if isinstance(s, URIRef) and s in individuals
        }
        polarities = {
            local_name(s): s
            for s in graph.subjects(RDF.type, PKG.Polarity)
            if isinstance(s, URIRef) and s in individuals
        }
        labels_zh = {
            s: min(str(o) for o in zh)
            for s in (*modalities.values(), *polarities.values())
            if (zh := [o for o in graph.objects(s, SKOS.prefLabel)
                       if isinstance(o, Literal) and o.language == "zh"])
        }
        return cls(
            classes, objs, dts, anns, individuals, dict(sorted(modalities.items())), polarities,
            labels_zh,
        )

    @classmethod
    def load(cls, path: Path | None = None) -> OntologyIndex:
        """Parse the ontology file (default: the project's) and index it.

        The index is kept per file while the file is unchanged (same size and modification
        time): a corpus import compiles many documents against one ontology.
        """
        resolved = (path or ontology_file()).resolve()
        if not resolved.is_file():
            return cls.from_graph(parse_file(resolved))  # parse_file says what is wrong
        stat = resolved.stat()
        key = (str(resolved), stat.st_mtime_ns, stat.st_size)
        found = _INDEXES.get(key)
        if found is None:
            found = cls.from_graph(parse_file(resolved))
            _INDEXES.clear()
            _INDEXES[key] = found
        return found


@dataclass
class CompiledSource:
    """The RDF compiled from one source.

    Attributes:
        doc_id: the document's slug (``ncpf-2025``).
        source: the YAML (or CSV) file compiled, if any.
        graphs: named graph IRI -> triples.
        text: the document's stored text.
        entities: IRIs of the entities the source declares.
    """

    doc_id: str
    source: Path | None
    graphs: dict[URIRef, list[Triple]] = field(default_factory=dict)
    text: str = ""
    entities: list[URIRef] = field(default_factory=list)

    def trig(self) -> str:
        """Return the deterministic TriG text of the compiled graphs."""
        return to_trig(self.graphs)

    def triples(self) -> Iterable[tuple[Node, Node, Node, URIRef]]:
        """Yield every quad (s, p, o, graph)."""
        for name, triples in self.graphs.items():
            for s, p, o in triples:
                yield s, p, o, name


def _safe_load(text: str) -> Any:
    """Load YAML with the safe constructors, refusing aliases (``*name``).

    The one loader of every source and draft: :func:`policykg.core.yamlsafe.load_yaml_text`.
    """
    return load_yaml_text(text)


def load_source_mapping(path: Path) -> dict[str, Any]:
    """Read a YAML authoring source; a syntax error names the file and line.

    Aliases are refused (see :func:`_safe_load`); a file that is not UTF-8 is a one-line
    :class:`ParseError`.
    """
    data, text = load_yaml_file(path)
    if not isinstance(data, dict):
        raise AuthoringError(f"{path}: expected a mapping with 'document', 'entities', 'passages'")
    return accepted_mapping(data, path, text)  # a draft's curation status (policykg annotate)


def compile_source(
    path: str | Path,
    *,
    ontology: OntologyIndex | None = None,
    known_entities: Iterable[URIRef] = (),
) -> CompiledSource:
    """Compile a YAML authoring source file.

    Args:
        path: the YAML file; the document's ``text`` is resolved relative to its folder.
        ontology: the ontology index (default: the project's ontology).
        known_entities: IRIs declared elsewhere (other documents, extensions) that facts may use.

    Raises:
        ParseError: the YAML cannot be parsed.
        AuthoringError: anything in it is wrong; the message names file, item and problem.
    """
    path = Path(path)
    data = load_source_mapping(path)
    return compile_mapping(
        data, base_dir=path.parent, source=path, ontology=ontology, known_entities=known_entities
    )


class _Compiler:
    def __init__(
        self,
        data: Mapping[str, Any],
        base_dir: Path,
        source: Path | None,
        ontology: OntologyIndex,
        known: Iterable[URIRef],
        drafts: bool = False,
    ) -> None:
        self.drafts = drafts
        self.data = data
        self.base_dir = base_dir
        self.where = str(source) if source else "<source>"
        self.source = source
        self.onto = ontology
        self.known = set(known)

    def fail(self, item: str, message: str) -> AuthoringError:
        return AuthoringError(f"{self.where}: {item}: {message}")

    # -- names ------------------------------------------------------------------------------
    def expand(self, name: str, item: str) -> URIRef:
        if name.startswith("<") and name.endswith(">"):
            return URIRef(name[1:-1])
        if ":" in name:
            prefix, _, local = name.partition(":")
            if prefix in PREFIXES:
                return URIRef(PREFIXES[prefix] + local)
            if prefix in ("http", "https", "urn"):
                return URIRef(name)
            raise self.fail(item, f"unknown prefix '{prefix}:' in '{name}'")
        return URIRef(str(PKG) + name)

    def cls(self, name: Any, item: str) -> URIRef:
        if not isinstance(name, str):
            raise self.fail(item, f"class must be a name, got {name!r}")
        iri = self.expand(name, item)
        if iri not in self.onto.classes:
            classes = sorted(local_name(c) for c in self.onto.classes if c.startswith(PKG))
            near = _nearest(name, classes)
            hint = f"; did you mean {near}?" if near else ""
            raise self.fail(item, f"unknown class '{name}'{hint}")
        return iri

    def entity(self, ref: Any, item: str) -> URIRef:
        if not isinstance(ref, str) or not ref:
            raise self.fail(item, f"expected an entity id, got {ref!r}")
        iri = self.expand(ref, item) if (":" in ref or ref.startswith("<")) else URIRef(KG + ref)
        if iri not in self.declared and iri not in self.known:
            # a bare name may be one of the ontology's own individuals (planned, growing, ...)
            own = self.expand(ref, item) if ":" not in ref else iri
            if own in self.onto.individuals:
                return own
            near = _nearest(ref, sorted(local_name(e) for e in self.declared | self.known))
            hint = f"; did you mean '{near}'?" if near else ""
            raise self.fail(item, f"unknown entity '{ref}'{hint}")
        return iri

    # -- literals -----------------------------------------------------------------------------
    def literal(self, pred: URIRef, value: Any, item: str) -> Literal:
        rng = self.onto.datatype_ranges.get(pred)
        if isinstance(value, dict):
            if "lang" in value and "text" in value:
                return Literal(str(value["text"]), lang=str(value["lang"]))
            if "value" in value and "datatype" in value:
                return Literal(
                    str(value["value"]), datatype=self.expand(str(value["datatype"]), item)
                )
            raise self.fail(item, f"a literal mapping needs text+lang or value+datatype: {value!r}")
        if isinstance(value, bool):
            return Literal(value)
        if rng == XSD.decimal:
            try:
                return Literal(str(Decimal(str(value))), datatype=XSD.decimal)
            except InvalidOperation:
                raise self.fail(item, f"{curie(pred)} needs a number, got {value!r}") from None
        if rng in _INT_TYPES:
            if (
                not isinstance(value, int)
                or (rng == XSD.positiveInteger and value < 1)
                or (rng == XSD.nonNegativeInteger and value < 0)
            ):
                raise self.fail(item, f"{curie(pred)} needs an {curie(rng)}, got {value!r}")
            return Literal(str(value), datatype=rng)
        if rng == XSD.string:
            return Literal(str(value))
        if rng is not None:
            return Literal(str(value), datatype=rng)
        if isinstance(value, _dt.datetime):
            return Literal(value.isoformat(), datatype=XSD.dateTime)
        if isinstance(value, _dt.date):
            return Literal(value.isoformat(), datatype=XSD.date)
        if isinstance(value, int):
            return Literal(str(value), datatype=XSD.integer)
        if isinstance(value, float):
            return Literal(str(Decimal(str(value))), datatype=XSD.decimal)
        if isinstance(value, str):
            return Literal(value, lang="en")
        raise self.fail(item, f"cannot use {value!r} as a value of {curie(pred)}")

    # -- facts ------------------------------------------------------------------------------------
    def predicate(self, name: Any, item: str) -> URIRef:
        if not isinstance(name, str):
            raise self.fail(item, f"predicate must be a name, got {name!r}")
        if name == "a":
            return RDF.type
        iri = self.expand(name, item)
        known = (
            self.onto.object_properties
            | set(self.onto.datatype_ranges)
            | self.onto.annotation_properties
        )
        if iri not in known:
            near = _nearest(name, sorted(local_name(p) for p in known if p.startswith(PKG)))
            hint = f"; did you mean '{near}'?" if near else ""
            raise self.fail(item, f"unknown property '{name}'{hint}")
        return iri

    def objects(self, pred: URIRef, value: Any, item: str) -> list[Node]:
        values = value if isinstance(value, list) else [value]
        out: list[Node] = []
        for v in values:
            if pred == RDF.type:
                out.append(self.cls(v, item))
            elif pred in self.onto.object_properties:
                out.append(self.entity(v, item))
            else:
                out.append(self.literal(pred, v, item))
        return out

    def facts(self, raw: Any, item: str) -> list[Triple]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise self.fail(item, "'facts' must be a list")
        triples: list[Triple] = []
        for n, fact in enumerate(raw, 1):
            fitem = f"{item} fact {n}"
            if isinstance(fact, list):
                if len(fact) != 3:
                    raise self.fail(fitem, f"a fact is [subject, predicate, object], got {fact!r}")
                pairs: list[tuple[Any, Any]] = [(fact[1], fact[2])]
                subject = fact[0]
            elif isinstance(fact, dict):
                if "subject" not in fact:
                    raise self.fail(fitem, "a fact mapping needs a 'subject'")
                subject = fact["subject"]
                pairs = [(k, v) for k, v in fact.items() if k != "subject"]
            else:
                raise self.fail(fitem, f"a fact is a list or a mapping, got {fact!r}")
            s = self.entity(subject, fitem)
            for pname, value in pairs:
                p = self.predicate(pname, fitem)
                for o in self.objects(p, value, fitem):
                    triples.append((s, p, o))
        return triples

    # -- whole source ------------------------------------------------------------------------------
    def run(self) -> CompiledSource:
        doc = self.data.get("document")
        if not isinstance(doc, dict):
            raise self.fail("document", "missing 'document' mapping")
        doc_id = doc.get("id")
        if not isinstance(doc_id, str) or not SLUG.match(doc_id):
            raise self.fail(
                "document.id", f"needs a lower-case slug like 'ncpf-2025', got {doc_id!r}"
            )
        text_name = doc.get("text")
        if not isinstance(text_name, str):
            raise self.fail("document.text", "needs the file name of the document's stored text")
        try:
            # confined to the source's folder: a source may come from someone else
            text = read_stored_text(self.base_dir, text_name)
        except StoredTextError as exc:
            raise self.fail("document.text", str(exc)) from None
        text_path = (self.base_dir / text_name).resolve()
        doc_iri = URIRef(KG + doc_id)
        doc_graph = URIRef(KGG + doc_id)
        result = CompiledSource(doc_id=doc_id, source=self.source, text=text)

        entities = self.data.get("entities") or {}
        if not isinstance(entities, dict):
            raise self.fail("entities", "must be a mapping from entity id to its description")
        self.declared: set[URIRef] = {doc_iri}
        for eid in entities:
            if not isinstance(eid, str) or not SLUG.match(eid):
                raise self.fail(f"entity {eid!r}", "ids are lower-case slugs (a-z, 0-9, '-')")
            self.declared.add(URIRef(KG + eid))

        meta: list[Triple] = []
        doc_type = self.cls(doc.get("type", "Document"), "document.type")
        meta.append((doc_iri, RDF.type, doc_type))
        rel = _relative_to_graphs(text_path)
        meta.append((doc_iri, PKG.textFile, Literal(rel)))
        meta.append((doc_iri, PKG.textSha256, Literal(hashlib.sha256(text.encode()).hexdigest())))
        title = doc.get("title")
        if isinstance(title, dict):  # {text: 政府工作报告, lang: zh}: a title in its own language
            title = title.get("text")
        if not isinstance(title, str) or not title.strip():
            raise self.fail("document.title", "every document needs a title")
        label = doc.get("label", title)
        if not isinstance(label, str) or not label.strip():
            raise self.fail("document.label", "must be a non-empty English label")
        meta += [
            (doc_iri, SKOS.prefLabel, Literal(label, lang="en")),
            (doc_iri, RDFS.label, Literal(label, lang="en")),
        ]
        for key, value in doc.items():
            if key in ("id", "type", "text", "label"):
                continue
            pred = self.predicate(_DOC_KEYS.get(key, key), f"document.{key}")
            for o in self.objects(pred, value, f"document.{key}"):
                meta.append((doc_iri, pred, o))

        passages = self.data.get("passages") or {}
        if not isinstance(passages, dict) or not passages:
            raise self.fail("passages", "needs at least one passage (the evidence of the facts)")
        mentions: dict[URIRef, set[URIRef]] = {}
        pending: list[tuple[str, str, URIRef, Any]] = []
        for pid, body in passages.items():
            item = f"passage {pid}"
            if not isinstance(pid, str) or not SLUG.match(pid):
                raise self.fail(item, "passage ids are lower-case slugs like 'p03-2'")
            if not isinstance(body, dict) or not isinstance(body.get("quote"), str):
                raise self.fail(item, "needs a 'quote' (verbatim text of the document)")
            quote = body["quote"]
            start = _locate(text, quote, body.get("occurrence"), item, self.fail)
            p_iri = URIRef(f"{KG}{doc_id}-{pid}")
            meta += [
                (p_iri, RDF.type, PKG.Passage),
                (p_iri, PKG.inDocument, doc_iri),
                (p_iri, PKG.quote, Literal(quote)),
                (p_iri, PKG.startOffset, Literal(str(start), datatype=XSD.nonNegativeInteger)),
                (
                    p_iri,
                    PKG.endOffset,
                    Literal(str(start + len(quote)), datatype=XSD.nonNegativeInteger),
                ),
            ]
            extra = set(body) - {"quote", "occurrence", "facts", "provisions", "status"}
            if extra:
                raise self.fail(item, f"unknown key(s): {', '.join(sorted(map(str, extra)))}")
            triples = self.facts(body.get("facts"), item)
            if not triples and not body.get("provisions"):
                raise self.fail(item, "states no facts and no provisions")
            result.graphs[p_iri] = triples
            pending.append((item, quote, p_iri, body.get("provisions")))
            for s, _, o in triples:
                for node in (s, o):
                    if isinstance(node, URIRef) and node.startswith(KG):
                        mentions.setdefault(node, set()).add(p_iri)

        # Provisions last: who states them by default is the author the passages name.
        speakers = sorted(
            {
                o
                for g in result.graphs.values()
                for s, p, o in g
                if s == doc_iri and p == PKG.author and isinstance(o, URIRef)
            },
            key=str,
        )
        english, chinese = entity_names(entities)
        for item, quote, p_iri, raw in pending:
            for prov in compile_provisions(
                raw,
                item=item,
                quote=quote,
                passage=p_iri,
                modalities=self.onto.modalities,
                polarities=self.onto.polarities,
                entity=self.entity,
                label=lambda iri: english.get(iri, None if iri in chinese else local_name(iri)),
                label_zh=chinese.get,
                labels_zh=self.onto.labels_zh,
                default_speakers=speakers,
                fail=self.fail,
            ):
                meta += prov.declaration
                result.graphs[p_iri] += prov.statements
                self.declared.add(prov.iri)
                result.entities.append(prov.iri)
                mentions.setdefault(prov.iri, set()).add(p_iri)
                for node in prov.mentions:
                    if node.startswith(KG):
                        mentions.setdefault(node, set()).add(p_iri)

        passage_iris = {URIRef(f"{KG}{doc_id}-{pid}") for pid in passages}
        for eid, desc in entities.items():
            item = f"entity {eid}"
            iri = URIRef(KG + eid)
            if not isinstance(desc, dict):
                raise self.fail(item, "needs a mapping with at least 'type' and 'label'")
            types = desc.get("type")
            for t in types if isinstance(types, list) else [types]:
                meta.append((iri, RDF.type, self.cls(t, item)))
            meta += label_triples(iri, desc, item=item, fail=self.fail, drafts=self.drafts)
            for key, lang in (("alt", "en"), ("alt_zh", "zh")):
                alts = desc.get(key) or []
                if not isinstance(alts, list) or not all(isinstance(a, str) for a in alts):
                    raise self.fail(item, f"'{key}' must be a list of labels")
                meta += [(iri, SKOS.altLabel, Literal(a, lang=lang)) for a in alts]
            for pid in desc.get("mentioned_in") or []:
                p_iri = URIRef(f"{KG}{doc_id}-{pid}")
                if p_iri not in passage_iris:
                    raise self.fail(item, f"mentioned_in names unknown passage '{pid}'")
                mentions.setdefault(iri, set()).add(p_iri)
            extra = set(desc) - {"type", "label", "zh", "alt", "alt_zh", "mentioned_in"}
            if extra:
                raise self.fail(item, f"unknown key(s): {', '.join(sorted(extra))}")
            if not mentions.get(iri):
                raise self.fail(item, "has no evidence: no passage mentions it")
            result.entities.append(iri)
        for iri, ps in mentions.items():
            if iri == doc_iri or iri in self.declared:
                meta += [(iri, PKG.mentionedIn, p) for p in ps]
        result.graphs[doc_graph] = meta
        return result


_DOC_KEYS = {
    "series_number": "seriesNumber",
    "year": "publicationYear",
}


def compile_mapping(
    data: Mapping[str, Any],
    *,
    base_dir: Path,
    source: Path | None = None,
    ontology: OntologyIndex | None = None,
    known_entities: Iterable[URIRef] = (),
    drafts: bool = False,
) -> CompiledSource:
    """Compile an already-read authoring mapping (from YAML or CSV).

    Args:
        data: the mapping with ``document``, ``entities`` and ``passages``.
        base_dir: folder the document's ``text`` is relative to.
        source: the file it came from, for messages.
        ontology: the ontology index (default: the project's ontology).
        known_entities: IRIs declared elsewhere that facts may use.
        drafts: a machine draft, marked unreviewed by its caller (the corpus import): a new
            entity may be named only in Chinese (``zh``, no English ``label``; see
            :mod:`policykg.authoring.entity_labels`).
    """
    onto = ontology or OntologyIndex.load()
    return _Compiler(data, base_dir, source, onto, known_entities, drafts).run()


def _locate(
    text: str, quote: str, occurrence: Any, item: str, fail: Callable[[str, str], Exception]
) -> int:
    start, problem = locate_quote(text, quote, occurrence)
    if problem:
        raise fail(item, problem)
    return start


def _relative_to_graphs(path: Path) -> str:
    try:
        return path.relative_to(graphs_dir().resolve()).as_posix()
    except ValueError:
        return path.name


def _nearest(name: str, candidates: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return found[0] if found else None
