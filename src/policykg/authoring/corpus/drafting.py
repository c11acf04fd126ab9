"""The drafted layer of an imported document: ``annotate`` run as a library, marked unreviewed.

This module is the one adapter between the corpus import and the annotator: it uses only the
public names of :mod:`policykg.authoring.annotate` (``annotate_text``, ``draft_yaml``) and the
compiler, so the annotator can change inside.

The draft the annotator writes for ``policykg annotate`` (every suggestion ``status: proposed``)
is compiled as it stands, then every statement is moved where it cannot pass as reviewed:

- passage, provision, figure and new entity declarations go to the graph ``kgg:<id>-drafts``,
  each resource with ``pkg:reviewStatus pkg:Unreviewed``; each passage is
  ``prov:wasGeneratedBy`` the document's annotation run (``kg:<id>-annotation-run``, a
  ``pkg:AnnotationRun`` with the tool version and the run's date);
- the facts and provisions stay in their passage's graph (``kg:<id>-s0042``): every statement
  of a draft passage's graph is a draft;
- entities the reviewed graph already has (``kg:new-quality-productive-forces`` for 新质生产力)
  are not redeclared: the draft only adds their ``pkg:mentionedIn`` the draft passage, so one
  entity gathers its mentions across documents;
- a new term is named in the words of the text only (``"结构性改革"@zh``, no English label: the
  draft is compiled with ``drafts=True``, and nothing is translated), and a provision naming one
  is labelled in Chinese (its reviewed addressees by their Chinese labels).

Sentences that state the record (title block, a resolution's approval) and sentences a reviewed
passage overlaps are not drafted: reviewed knowledge wins, and its drafts are removed.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef

from policykg.authoring.annotate import annotate_text, draft_yaml
from policykg.authoring.compiler import compile_mapping
from policykg.authoring.corpus.docgraph import Triple, passage_id
from policykg.authoring.lexicon import Lexicon
from policykg.core.errors import AuthoringError
from policykg.core.namespaces import KG, KGG, PKG, PROV, RDF, SKOS, XSD

__all__ = ["DraftReport", "draft_graphs", "drafts_graph", "run_iri"]

_PLACEHOLDER = "zz-corpus-placeholder"
_SENTENCE_ID = re.compile(r"^s(\d+)$")
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def drafts_graph(doc_id: str) -> URIRef:
    """``kgg:<id>-drafts``: the graph of a document's draft declarations."""
    return KGG[f"{doc_id}-drafts"]


def run_iri(doc_id: str) -> URIRef:
    """``kg:<id>-annotation-run``: the annotation run that drafted a document."""
    return KG[f"{doc_id}-annotation-run"]


def _strip_status(obj: Any) -> None:
    if isinstance(obj, dict):
        obj.pop("status", None)
        for value in obj.values():
            _strip_status(value)
    elif isinstance(obj, list):
        for value in obj:
            _strip_status(value)


# What the shapes require of a figure (shapes.ttl: one value, one unit, one measure, and what it is
# about): a drafted figure the text does not complete is left out of the draft, and counted.
_FIGURE_NEEDS = ("value", "unit", "measure")
_FIGURE_ABOUT = ("observationOf", "indicator")
# Document classes: a term the annotator matched to one of these names a kind of document, not
# a document of the corpus (it would need a title): left out of the draft.
_DOCUMENT_TYPES = frozenset({"Article", "Series", "Report", "Document", "GovernmentWorkReport",
                             "Resolution", "Law", "Plan", "Policy"})
# Figure classes: a term (not a figure of the text) matched to one, such as 预期目标 to Target,
# would be a figure without value or unit: left out of the draft.
_FIGURE_TYPES = frozenset({"Observation", "GrowthRate", "Target"})


class DraftReport(Counter[str]):
    """What the adapter left out of a document's draft, by reason (for the import's report)."""


def _placeholder(body: dict[str, Any], entities: dict[str, Any]) -> None:
    """Give a passage that states nothing (it only mentions) the fact it needs to compile.

    The placeholder fact is left out of the draft again by :func:`_mark`.
    """
    body["facts"] = [[_PLACEHOLDER, "remark", "-"]]
    entities.setdefault(_PLACEHOLDER, {"type": "Concept", "label": "placeholder"})


def _is_figure(fact: Any) -> bool:
    return isinstance(fact, dict) and str(fact.get("subject", "")).startswith("obs-")


def _complete(fact: dict[str, Any]) -> bool:
    return all(fact.get(k) not in (None, "") for k in _FIGURE_NEEDS) and any(
        fact.get(k) for k in _FIGURE_ABOUT
    )


def _typed(body: Any, types: frozenset[str]) -> bool:
    if not isinstance(body, dict):
        return False
    kinds = body.get("type")
    return any(str(k) in types for k in (kinds if isinstance(kinds, list) else [kinds]))


def _scope_and_check(data: dict[str, Any], doc_id: str, report: DraftReport) -> None:
    """Give figures document-scoped ids, leave out incomplete figures and document-class terms.

    The annotator numbers figures by passage (``obs-s151-1``), the same in every document: in
    the corpus they become ``<doc_id>-obs-s0151-1``. A figure without the value, unit, measure
    and subject the shapes require is not completed by guessing: it is left out and counted.
    """
    entities: dict[str, Any] = data.get("entities") or {}
    for key in [k for k, v in entities.items() if _typed(v, _DOCUMENT_TYPES)]:
        del entities[key]
        report["terms naming a kind of document"] += 1
    for key in [k for k, v in entities.items()
                if not k.startswith("obs-") and _typed(v, _FIGURE_TYPES)]:
        del entities[key]
        report["terms naming a kind of figure"] += 1
    renamed: dict[str, str] = {}
    for pid, body in (data.get("passages") or {}).items():
        kept = []
        for fact in body.get("facts") or []:
            if not _is_figure(fact):
                kept.append(fact)
                continue
            old = str(fact["subject"])
            if not _complete(fact):
                entities.pop(old, None)
                report["incomplete figures"] += 1
                continue
            new = f"{doc_id}-obs-{pid}-{old.rsplit('-', 1)[-1]}"
            renamed[old] = new
            fact["subject"] = new
            kept.append(fact)
        if "facts" in body:
            body["facts"] = kept
    for old, new in renamed.items():
        if old in entities:
            body = entities.pop(old)
            if isinstance(body, dict) and isinstance(body.get("label"), str):
                body["label"] = re.sub(r"^figure in passage s\d+", f"figure in {doc_id} "
                                       f"passage {new.split('-obs-')[1].rsplit('-', 1)[0]}",
                                       body["label"])
            entities[new] = body
    for key in [k for k in entities if k.startswith("obs-")]:
        del entities[key]  # a figure no passage states any more


def _chinese_names(entities: dict[str, Any], lexicon: Lexicon, known: Collection[URIRef]) -> None:
    """Give the reviewed entities a draft names their reviewed Chinese label, as ``zh``.

    Only for the generated labels of the draft's provisions: a provision whose action is a new
    term named only in Chinese is labelled in Chinese (``义务（国有企业）：...``), and its
    reviewed addressee then needs its Chinese name, not its English one. The reviewed entities
    are not redeclared (:func:`_mark` leaves out all but their mentions).
    """
    chinese: dict[str, str] = {}
    for term in lexicon.terms:  # sorted: the first preferred Chinese label of each entity
        if term.kind == "entity" and term.lang == "zh" and term.preferred:
            chinese.setdefault(term.iri, term.label)
    for eid, body in entities.items():
        iri = KG[eid]
        if isinstance(body, dict) and "zh" not in body and iri in known and str(iri) in chinese:
            body["zh"] = chinese[str(iri)]


def _renumber(pid: str) -> str | None:
    m = _SENTENCE_ID.match(pid)
    return f"s{int(m.group(1)):04d}" if m else None


def draft_graphs(
    doc_id: str,
    kind: str,
    title: str,
    text: str,
    lexicon: Lexicon,
    *,
    known: Collection[URIRef],
    skip: Collection[int],
    version: str,
    date: dt.date,
    report: DraftReport | None = None,
) -> dict[URIRef, list[Triple]]:
    """Draft one document and return its graphs, every resource marked unreviewed.

    Args:
        doc_id: the document's slug.
        kind: its class local name.
        title: its title.
        text: the stored text.
        lexicon: the reviewed graph's lexicon (``Lexicon.from_kg``).
        known: the IRIs the reviewed graph declares (not redeclared by a draft).
        skip: sentence numbers (from 1) not to draft (the record's, or a reviewed passage's).
        version: the tool version recorded on the run.
        date: the run's date.
        report: counts what was left out of the draft (incomplete figures ...).
    """
    ann = annotate_text(text, lexicon, lang="zh")
    data = yaml.load(draft_yaml(ann, doc_id=doc_id, text_name=f"{doc_id}.txt"), Loader=_Loader)
    data.pop("annotate", None)
    _strip_status(data)
    data["document"].update(type=kind, title=title)
    passages: dict[str, Any] = {}
    for pid, body in (data.get("passages") or {}).items():
        new = _renumber(str(pid))
        if new is None or int(new[1:]) in skip:
            continue
        passages[new] = body
    entities: dict[str, Any] = data.get("entities") or {}
    for body in entities.values():
        if isinstance(body, dict) and body.get("mentioned_in"):
            ids = [_renumber(str(p)) for p in body["mentioned_in"]]
            body["mentioned_in"] = [p for p in ids if p is not None and p in passages]
    for body in passages.values():
        if not body.get("facts") and not body.get("provisions"):
            _placeholder(body, entities)
    data["entities"] = entities
    data["passages"] = passages
    _chinese_names(entities, lexicon, known)
    _scope_and_check(data, doc_id, report if report is not None else DraftReport())
    _prune(data)
    if not passages:
        return {}
    with tempfile.TemporaryDirectory(prefix="policykg-corpus-") as tmp:
        Path(tmp, f"{doc_id}.txt").write_text(text, encoding="utf-8")
        while True:
            try:
                compiled = compile_mapping(data, base_dir=Path(tmp), known_entities=known,
                                            drafts=True)
                break
            except AuthoringError as exc:
                _drop_failing(data, str(exc))  # a suggestion the compiler refuses is not drafted
    return _mark(compiled.graphs, doc_id, set(known), version=version, date=date)


_ENTITY_KEYS = frozenset({"type", "label", "zh", "alt", "alt_zh", "mentioned_in"})


def _refs(obj: Any, out: set[str]) -> None:
    """Every string inside a fact or provision (the entity ids it may name)."""
    if isinstance(obj, str):
        out.add(obj)
    elif isinstance(obj, dict):
        for value in obj.values():
            _refs(value, out)
    elif isinstance(obj, list):
        for value in obj:
            _refs(value, out)


def _prune(data: dict[str, Any]) -> None:
    """Leave out, before compiling, what the compiler would refuse one error at a time.

    The same rules as :func:`_drop_failing`, applied to the whole draft at once: an entity
    with keys the compiler does not take (a ``match:`` marker) or with no passage mentioning
    it, a provision without an action, a passage that is left stating nothing. What these
    rules miss is still caught by the compile-and-drop loop; this only spares it most rounds.
    """
    entities: dict[str, Any] = data["entities"]
    passages: dict[str, Any] = data["passages"]
    for key in [k for k, v in entities.items() if isinstance(v, dict) and set(v) - _ENTITY_KEYS]:
        del entities[key]
    for pid in [p for p, b in passages.items()
                if isinstance(b, dict) and not b.get("facts") and not b.get("provisions")]:
        del passages[pid]
    for body in passages.values():
        provisions = body.get("provisions")
        if isinstance(provisions, list) and provisions:
            body["provisions"] = [p for p in provisions
                                  if not isinstance(p, dict) or p.get("action")]
            if not body["provisions"] and not body.get("facts"):
                _placeholder(body, entities)
    used: set[str] = set()
    for body in passages.values():
        if isinstance(body, dict):
            _refs(body.get("facts"), used)
            _refs(body.get("provisions"), used)
    for key, body in list(entities.items()):
        if not isinstance(body, dict):
            continue
        refs = body.get("mentioned_in")
        if isinstance(refs, list):
            body["mentioned_in"] = [p for p in refs if p in passages]
        if not body.get("mentioned_in") and key not in used:
            del entities[key]


_FAILING = re.compile(r"passage (s\d{4})(?: (fact|provision) (\d+))?")


def _drop_failing(data: dict[str, Any], message: str) -> None:
    """Drop the fact, provision or passage a compiler error names (re-raise when none)."""
    ent = re.search(r"^[^:]*: entity ([a-z0-9-]+):", message)
    if ent and ent.group(1) in data["entities"]:
        del data["entities"][ent.group(1)]
        return
    m = _FAILING.search(message)
    passages = data["passages"]
    if m is None or m.group(1) not in passages:
        raise AuthoringError(f"drafting failed: {message}")
    pid, kind, number = m.group(1), m.group(2), m.group(3)
    body = passages[pid]
    items = body.get("facts" if kind == "fact" else "provisions") if kind else None
    if items and number and 0 < int(number) <= len(items):
        del items[int(number) - 1]
    else:
        items = None
        del passages[pid]
    if items is not None and not body.get("facts") and not body.get("provisions"):
        _placeholder(body, data["entities"])
    if pid not in passages:
        for ent in data["entities"].values():
            if isinstance(ent, dict) and pid in (ent.get("mentioned_in") or []):
                ent["mentioned_in"] = [p for p in ent["mentioned_in"] if p != pid]


def _mark(
    graphs: dict[URIRef, list[Triple]],
    doc_id: str,
    known: set[URIRef],
    *,
    version: str,
    date: dt.date,
) -> dict[URIRef, list[Triple]]:
    doc = KG[doc_id]
    placeholder = KG[_PLACEHOLDER]
    run = run_iri(doc_id)
    out: dict[URIRef, list[Triple]] = {}
    declared: set[URIRef] = set()
    passages: set[URIRef] = set()
    meta: list[Triple] = []
    for name, triples in graphs.items():
        kept = [t for t in triples if placeholder not in (t[0], t[2])]
        if name != KGG[doc_id]:
            out[name] = kept
            continue
        for s, p, o in kept:
            if s == doc or not isinstance(s, URIRef):
                continue
            if s in known and p != PKG.mentionedIn:
                continue
            meta.append((s, p, o))
            if p == RDF.type and s not in known:
                declared.add(s)
                if o == PKG.Passage:
                    passages.add(s)
    meta += [(iri, PKG.reviewStatus, PKG.Unreviewed) for iri in sorted(declared)]
    meta += [(p, PROV.wasGeneratedBy, run) for p in sorted(passages)]
    meta += [
        (run, RDF.type, PKG.AnnotationRun),
        (run, SKOS.prefLabel, Literal(f"annotation run of {doc_id}", lang="en")),
        (run, PKG.toolVersion, Literal(f"policykg {version}")),
        (run, PKG.date, Literal(date.isoformat(), datatype=XSD.date)),
        (run, PROV.used, doc),
    ]
    out[drafts_graph(doc_id)] = meta
    return {k: v for k, v in out.items() if v}


def sentence_numbers(ids: Iterable[URIRef], doc_id: str) -> set[int]:
    """The sentence numbers of passage IRIs ``kg:<doc_id>-sNNNN``."""
    prefix = str(passage_id(doc_id, 0))[:-4]
    out: set[int] = set()
    for iri in ids:
        tail = str(iri)[len(prefix):]
        if str(iri).startswith(prefix) and tail.isdigit():
            out.add(int(tail))
    return out
