"""One identity across documents and languages: merge candidates, reviewed merges, undoing one.

**Candidates** are pairs of entities with the same label once normalised (Unicode NFKC, case
folded, spaces, hyphens and punctuation dropped), in English or Chinese, e.g. a draft entity
``国有企业`` and the article's ``kg:state-owned-enterprises``. Nothing is merged automatically.

**A merge** is a reviewed decision, kept in the corpus folder's ``merges.trig``: the node
``kg:merge-<a>--<b>`` (a ``pkg:IdentityMerge``, with ``pkg:mergedEntity`` both entities,
``pkg:proposedBy`` who or what proposed it and ``pkg:reviewedBy`` who accepted it) names a
graph holding ``<a> owl:sameAs <b>``. **Unmerging** removes both: nothing of the merge is left.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Literal, URIRef

from policykg.authoring.corpus.docgraph import Triple
from policykg.core.errors import ParseError
from policykg.core.io import write_atomic
from policykg.core.namespaces import KG, OWL, PKG, RDF, RDFS
from policykg.rdf.rdfwrite import to_trig

__all__ = [
    "MERGES",
    "Candidate",
    "candidates",
    "merge",
    "merges",
    "normalise_label",
    "unmerge",
]

MERGES = "merges.trig"
_DROP = re.compile(r"[\s\-_‐-―·・,，.。、:：;；'\"“”‘’()（）]+")


def normalise_label(label: str) -> str:
    """The form labels are compared in: NFKC, case folded, no spaces or punctuation."""
    return _DROP.sub("", unicodedata.normalize("NFKC", label).casefold())


@dataclass(frozen=True)
class Candidate:
    """Two entities proposed as one: ``a`` and ``b`` (``a < b``) share ``label``."""

    a: URIRef
    b: URIRef
    label: str

    @property
    def reason(self) -> str:
        """Who or what proposed it, as recorded on a merge."""
        return f"policykg corpus candidates: same label {self.label!r}"


def candidates(
    labels: Iterable[tuple[URIRef, Literal]], merged: Iterable[tuple[URIRef, URIRef]] = ()
) -> list[Candidate]:
    """Pairs of entities that share a normalised label, minus those already merged.

    Args:
        labels: (entity, label) pairs (``skos:prefLabel``, ``skos:altLabel``, ``rdfs:label``).
        merged: pairs already merged.
    """
    done = {tuple(sorted(p, key=str)) for p in merged}
    groups: dict[str, dict[URIRef, str]] = {}
    for entity, label in labels:
        if not str(entity).startswith(str(KG)):
            continue
        key = normalise_label(str(label))
        if key:
            groups.setdefault(key, {}).setdefault(entity, str(label))
    out: set[Candidate] = set()
    for members in groups.values():
        ents = sorted(members, key=str)
        for i, a in enumerate(ents):
            for b in ents[i + 1:]:
                if (a, b) not in done:
                    out.add(Candidate(a, b, members[a]))
    return sorted(out, key=lambda c: (str(c.a), str(c.b)))


def _merge_node(a: URIRef, b: URIRef) -> URIRef:
    la, lb = sorted((str(a)[len(str(KG)):], str(b)[len(str(KG)):]))
    return KG[f"merge-{la}--{lb}"]


def _read(path: Path) -> dict[URIRef, list[Triple]]:
    if not path.is_file():
        return {}
    ds = Dataset()
    try:
        ds.parse(path, format="trig")
    except Exception as exc:
        raise ParseError(f"{path}: not TriG ({exc})") from None
    graphs: dict[URIRef, list[Triple]] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        name: object = getattr(g, "identifier", g)
        if isinstance(name, URIRef):
            graphs.setdefault(name, []).append((s, p, o))
    return graphs


def merges(corpus_dir: Path) -> list[tuple[URIRef, URIRef]]:
    """The merged pairs recorded in ``corpus_dir/merges.trig``."""
    out = []
    for triples in _read(corpus_dir / MERGES).values():
        out += [(s, o) for s, p, o in triples
                if p == OWL.sameAs and isinstance(s, URIRef) and isinstance(o, URIRef)]
    return sorted(out, key=lambda p: (str(p[0]), str(p[1])))


def merge(corpus_dir: Path, a: URIRef, b: URIRef, *, proposed_by: str, reviewed_by: str) -> URIRef:
    """Record a reviewed merge of ``a`` and ``b``; return its node.

    Raises:
        ParseError: the two are the same, or already merged.
    """
    if a == b:
        raise ParseError(f"cannot merge {a} with itself")
    a, b = sorted((a, b), key=str)
    node = _merge_node(a, b)
    path = corpus_dir / MERGES
    graphs = _read(path)
    if node in graphs:
        raise ParseError(f"{path}: {a} and {b} are already merged")
    graphs[node] = [(a, OWL.sameAs, b)]
    graphs.setdefault(URIRef("https://w3id.org/policykg/graph/merges"), []).extend([
        (node, RDF.type, PKG.IdentityMerge),
        (node, RDFS.label, Literal(f"merge of {a.rsplit('/', 1)[1]} and {b.rsplit('/', 1)[1]}",
                                   lang="en")),
        (node, PKG.mergedEntity, a),
        (node, PKG.mergedEntity, b),
        (node, PKG.proposedBy, Literal(proposed_by)),
        (node, PKG.reviewedBy, Literal(reviewed_by)),
    ])
    corpus_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(path, to_trig(graphs))
    return node


def unmerge(corpus_dir: Path, a: URIRef, b: URIRef) -> None:
    """Undo a merge: its owl:sameAs graph and its record go.

    Raises:
        ParseError: the two are not merged.
    """
    path = corpus_dir / MERGES
    graphs = _read(path)
    node = _merge_node(a, b)
    if node not in graphs:
        raise ParseError(f"{path}: {a} and {b} are not merged")
    del graphs[node]
    graphs = {g: [t for t in ts if t[0] != node] for g, ts in graphs.items()}
    graphs = {g: ts for g, ts in graphs.items() if ts}
    if graphs:
        write_atomic(path, to_trig(graphs))
    else:
        path.unlink()
