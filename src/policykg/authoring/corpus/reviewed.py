"""A corpus document the project has reviewed (``graphs/sources/<id>.yaml`` + ``.txt``).

The reviewed graph stays authoritative. An import of the same document:

- must have the same stored text (SHA-256 of ``drop_furniture(content).text`` equal to that of
  ``graphs/sources/<id>.txt``); a mismatch is an error naming both;
- writes no record statement the reviewed graph already makes about the document (same
  property), and no record passage a reviewed passage overlaps;
- drafts no sentence a reviewed passage overlaps: the draft of what was reviewed is removed,
  so a reviewed passage and a draft never cover the same words;
- drafts no sentence a rejected passage (``status: rejected`` in the reviewed YAML, kept there by
  ``policykg add``) overlaps: what the review rejected is not drafted again. The record layer
  is not touched by rejections (it is the document's passages as text).

The digest recorded in the corpus manifest covers the built graph and the rejected passages'
spans, so a change of either (a new review, or only new rejections) redrafts the document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Dataset, URIRef

from policykg.authoring.annotate import Sentence
from policykg.authoring.corpus.docgraph import Triple, passage_id
from policykg.authoring.status import rejected_passages
from policykg.checks.validate import display_path
from policykg.core.errors import ParseError
from policykg.core.namespaces import KG, KGG, PKG
from policykg.core.paths import corpus_dir
from policykg.core.yamlsafe import load_yaml_file

__all__ = ["ReviewedSource", "declared_outside_corpus", "reviewed_source", "without_corpus_record"]


@dataclass(frozen=True)
class ReviewedSource:
    """A reviewed source: its files, its passages' spans and the document's own properties.

    ``spans`` are the reviewed passages' (from the built graph), ``rejected`` the rejected
    passages' (from the YAML): the drafter leaves out every sentence either overlaps
    (:meth:`not_drafted`); the record layer only minds the reviewed ones (:meth:`overlapping`).
    """

    yaml: Path
    text: Path
    spans: tuple[tuple[int, int], ...]
    properties: frozenset[URIRef]
    #: SHA-256 of the built graph (``graphs/<id>.trig``; of the YAML when not built yet)
    digest: str = ""
    #: the reviewed passage of each span
    passages: tuple[tuple[int, int, URIRef], ...] = ()
    #: the spans of the passages the review rejected (``status: rejected``), sorted
    rejected: tuple[tuple[int, int], ...] = ()

    def check_text(self, sha256: str, where: str) -> None:
        """Raise when the import's stored text differs from the reviewed one."""
        reviewed = hashlib.sha256(self.text.read_bytes()).hexdigest()
        if reviewed != sha256:
            raise ParseError(
                f"{where}: the stored text (SHA-256 {sha256[:12]}…) differs from the reviewed "
                f"{self.text} ({reviewed[:12]}…)"
            )

    def _overlaps(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.spans)

    def overlapping(self, sentences: Sequence[Sentence]) -> set[int]:
        """The numbers (from 1) of the sentences a reviewed passage overlaps."""
        return {i + 1 for i, s in enumerate(sentences) if self._overlaps(s.start, s.end)}

    def not_drafted(self, sentences: Sequence[Sentence]) -> set[int]:
        """The numbers (from 1) of the sentences a reviewed or a rejected passage overlaps."""
        return self.overlapping(sentences) | {
            i + 1 for i, s in enumerate(sentences)
            if any(a < s.end and s.start < b for a, b in self.rejected)
        }

    def without_duplicates(
        self, graphs: dict[URIRef, list[Triple]], sentences: Sequence[Sentence]
    ) -> dict[URIRef, list[Triple]]:
        """The record graphs minus what the reviewed graph states or covers."""
        if not graphs:
            return graphs
        doc_graph = next(g for g in graphs if str(g).startswith(str(KGG)))
        doc_id = str(doc_graph)[len(str(KGG)):]
        doc = KG[doc_id]
        gone = {passage_id(doc_id, n) for n in self.overlapping(sentences)}
        # a record passage with exactly the span of a reviewed passage: its statements go under
        # the reviewed passage (the same words state them); other overlapped ones are dropped
        same: dict[URIRef, URIRef] = {}
        exact = {(s, e): iri for s, e, iri in self.passages}
        for n in self.overlapping(sentences):
            sent = sentences[n - 1]
            if (sent.start, sent.end) in exact:
                same[passage_id(doc_id, n)] = exact[(sent.start, sent.end)]
        out: dict[URIRef, list[Triple]] = {}
        for name, triples in graphs.items():
            if name in gone and name not in same:
                continue
            kept = [
                (t[0], t[1], same.get(t[2], t[2])) if isinstance(t[2], URIRef) else t
                for t in triples
                if not (t[0] == doc and t[1] in self.properties)
                and t[0] not in gone
                and (t[2] not in gone or t[2] in same)
            ]
            out.setdefault(same.get(name, name), []).extend(kept)
        return out


def reviewed_source(sources_dir: Path | None, doc_id: str) -> ReviewedSource | None:
    """The reviewed source of ``doc_id`` in ``sources_dir``, or ``None`` when there is none.

    The reviewed passages are read from the built graph ``graphs/<id>.trig`` beside
    ``sources/`` (``policykg build`` writes it), the rejected ones from the YAML.

    Raises:
        ParseError: the source has no stored text, or its YAML cannot be read.
        AuthoringError: a rejected passage's quote is not in the stored text.
    """
    if sources_dir is None:
        return None
    yaml_file = sources_dir / f"{doc_id}.yaml"
    if not yaml_file.is_file():
        return None
    text = sources_dir / f"{doc_id}.txt"
    if not text.is_file():
        raise ParseError(f"{yaml_file}: the reviewed source has no stored text {text.name}")
    built = sources_dir.parent / f"{doc_id}.trig"
    spans: list[tuple[int, int]] = []
    passages: list[tuple[int, int, URIRef]] = []
    properties: set[URIRef] = set()
    if built.is_file():
        ds = Dataset(default_union=True)
        ds.parse(built, format="trig")
        doc = KG[doc_id]
        for p, _, _, _ in ds.quads((None, PKG.inDocument, doc, None)):
            start = ds.value(p, PKG.startOffset)
            end = ds.value(p, PKG.endOffset)
            if start is not None and end is not None:
                spans.append((int(str(start)), int(str(end))))
                if isinstance(p, URIRef):
                    passages.append((int(str(start)), int(str(end)), p))
        properties = {
            p for _, p, _, _ in ds.quads((doc, None, None, None)) if isinstance(p, URIRef)
        }
    data, raw = load_yaml_file(yaml_file)
    rejected = sorted({(start, end) for _, start, end in rejected_passages(
        data, yaml_file, raw, text.read_text(encoding="utf-8"))})
    sha = hashlib.sha256((built if built.is_file() else yaml_file).read_bytes())
    if rejected:  # a change of the rejections alone changes the digest (the graph does not)
        sha.update("".join(f"\0rejected {a}-{b}" for a, b in rejected).encode("ascii"))
    return ReviewedSource(yaml_file, text, tuple(sorted(spans)), frozenset(properties),
                          sha.hexdigest(),
                          tuple(sorted(passages, key=lambda x: (x[0], x[1], str(x[2])))),
                          tuple(rejected))


def declared_outside_corpus(parts: Sequence[Any], doc: URIRef) -> bool:
    """Whether a part of the project other than the imported corpus states ``doc``.

    ``policykg add`` refuses a source whose document is already in the graph, except when only
    the imported corpus (its record layer, ``graphs/corpus/``) holds it: adding the reviewed
    source of a corpus document is how it is reviewed (issue 20, the review loop).
    """
    corpus = str(display_path(corpus_dir()))
    return any(q[0] == doc for part in parts
               if not str(part.name).startswith(corpus) for q in part.quads)


def without_corpus_record(parts: Sequence[Any], doc_id: str) -> list[Any]:
    """``parts`` without the corpus record layer of ``doc_id`` (``graphs/corpus/<id>.trig``).

    The reviewed source being added replaces it: ``policykg corpus import`` run next renders
    the record layer without what the review states and drops the drafts it covers.
    """
    record = str(display_path(corpus_dir() / f"{doc_id}.trig"))
    return [p for p in parts if str(p.name) != record]
