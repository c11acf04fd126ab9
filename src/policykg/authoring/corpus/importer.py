"""Import, replace and remove corpus documents: planned in memory, written all at once.

A corpus folder (default ``graphs/corpus/``) holds, per document ``<id>``:

- ``<id>.txt`` — the stored text (``drop_furniture(content).text``);
- ``<id>.trig`` — the record layer (:mod:`policykg.authoring.corpus.docgraph`), loaded always;
- ``drafts/<id>.trig`` — the drafted layer (:mod:`policykg.authoring.corpus.drafting`), loaded
  only when drafts are asked for;
- and ``manifest.json`` lists every document (id, type, year, date, title, url, SHA-256 of the
  text, what was dropped, what the text does not state).

:func:`plan_import` reads and checks every record before anything is written (a bad record
fails the whole import); :func:`write_plan` is the one function that writes: every file of the
plan through :func:`policykg.core.io.write_many_atomic` with a journal, then the files of removed
or replaced documents that the plan no longer has are deleted. Re-importing the same file plans
no change; a changed text replaces the document whole (its graphs are rewritten from scratch,
its old passages gone); :func:`plan_remove` removes a document by id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from policykg.authoring.annotate import split_sentences
from policykg.authoring.corpus.docgraph import record_graphs
from policykg.authoring.corpus.drafting import DraftReport, draft_graphs, sentence_numbers
from policykg.authoring.corpus.furniture import drop_furniture
from policykg.authoring.corpus.metadata import DocumentInfo, describe_record
from policykg.authoring.corpus.records import Record, read_records
from policykg.authoring.corpus.reviewed import ReviewedSource, reviewed_source
from policykg.core.errors import ParseError
from policykg.core.io import recover_journal, write_many_atomic
from policykg.rdf.rdfwrite import to_trig
from policykg.store.journal import write_files_and_rebuild

__all__ = [
    "MANIFEST",
    "DocumentPlan",
    "ImportPlan",
    "plan_import",
    "plan_remove",
    "read_manifest",
    "write_plan",
]

MANIFEST = "manifest.json"
_JOURNAL = ".corpus-write.journal"


@dataclass
class DocumentPlan:
    """What an import does with one document.

    Attributes:
        id: the document's slug.
        action: ``new``, ``unchanged``, ``replaced`` (a changed text), ``updated`` (the same
            text, its reviewed source changed) or ``removed``.
        entry: its manifest entry.
        dropped: the page furniture dropped (one entry per kind).
        notes: what the text does not state, and what was kept apart for a reviewed source.
    """

    id: str
    action: str
    entry: dict[str, Any]
    dropped: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    """Every file an import or removal writes, and what it reports.

    Attributes:
        corpus_dir: the corpus folder.
        documents: one plan per document touched, in id order.
        warnings: corpus-level warnings (a resolution whose report is missing).
        writes: files to write (path, bytes), sorted.
        deletes: files to delete afterwards.
    """

    corpus_dir: Path
    documents: list[DocumentPlan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    writes: list[tuple[Path, bytes]] = field(default_factory=list)
    deletes: list[Path] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether writing the plan changes a file."""
        for path, data in self.writes:
            if not path.is_file() or path.read_bytes() != data:
                return True
        return any(p.exists() for p in self.deletes)


def read_manifest(corpus_dir: Path) -> dict[str, dict[str, Any]]:
    """The documents of a corpus folder by id (empty when it has none).

    Raises:
        ParseError: the manifest is not valid JSON.
    """
    recover_journal(corpus_dir / _JOURNAL)
    path = corpus_dir / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = data["documents"]
        if not isinstance(docs, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise ParseError(f"{path}: not a corpus manifest") from None
    return dict(docs)


def _files(corpus_dir: Path, doc_id: str) -> list[Path]:
    return [
        corpus_dir / f"{doc_id}.txt",
        corpus_dir / f"{doc_id}.trig",
        corpus_dir / "drafts" / f"{doc_id}.trig",
    ]


def _manifest_bytes(docs: dict[str, dict[str, Any]]) -> bytes:
    body = {"documents": {k: docs[k] for k in sorted(docs)}}
    return (json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


@dataclass
class _Doc:
    record: Record
    info: DocumentInfo
    text: str
    sha256: str
    dropped: tuple[str, ...]
    licence: str


def _read(files: Sequence[Path]) -> list[_Doc]:
    docs: list[_Doc] = []
    seen: dict[str, Record] = {}
    urls: dict[str, Record] = {}
    for path in files:
        for record in read_records(path):
            if record.url and record.url in urls:
                raise ParseError(f"{record.where}: the same url as {urls[record.url].where}")
            urls[record.url] = record
            cleaned = drop_furniture(record.content)
            if not cleaned.text.strip():
                raise ParseError(f"{record.where}: the record's content is empty once the page "
                                 "furniture is dropped")
            info = describe_record(record, cleaned.text)
            if info.id in seen:
                first = seen[info.id].where
                raise ParseError(f"{record.where}: {info.id} again (first at {first})")
            seen[info.id] = record
            sha = hashlib.sha256(cleaned.text.encode("utf-8")).hexdigest()
            docs.append(_Doc(record, info, cleaned.text, sha, cleaned.dropped, cleaned.licence))
    return docs


def _entry(doc: _Doc) -> dict[str, Any]:
    info = doc.info
    return {
        "type": info.kind,
        "year": info.year,
        "date": info.date.isoformat() if info.date else None,
        "session": info.session.slug if info.session else None,
        "title": doc.record.title,
        "url": doc.record.url,
        "language": doc.record.language or "zh",
        "licence": doc.licence,
        "sha256": doc.sha256,
        "dropped": list(doc.dropped),
        "missing": list(info.missing),
        "approves": info.approves,
    }


def plan_import(
    files: Sequence[Path],
    *,
    corpus_dir: Path,
    lexicon: Any,
    known: frozenset[URIRef],
    version: str,
    run_date: dt.date | None = None,
    sources_dir: Path | None = None,
    drafts: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ImportPlan:
    """Read, check and render every record of ``files`` (nothing is written).

    Args:
        files: JSON Lines corpus files.
        corpus_dir: the corpus folder to import into.
        lexicon: the reviewed graph's :class:`~policykg.authoring.lexicon.Lexicon`.
        known: the IRIs the reviewed graph declares.
        version: the tool version recorded on each annotation run.
        run_date: the annotation runs' date (default: the newest corpus file's modification
            day, UTC, so importing the same file twice writes the same bytes).
        sources_dir: the reviewed sources (``graphs/sources``); a document with a reviewed
            source must have the same stored text.
        drafts: draft each new or changed document (default ``True``).
        progress: called with each document's id once it is rendered.

    Raises:
        ParseError: a record is bad (the message names the file and line).
    """
    docs = _read(files)
    manifest = read_manifest(corpus_dir)
    if run_date is None:
        newest = max(p.stat().st_mtime for p in files)
        run_date = dt.datetime.fromtimestamp(newest, dt.UTC).date()
    plan = ImportPlan(corpus_dir)
    new_manifest = dict(manifest)
    for item in docs:
        new_manifest[item.info.id] = _entry(item)
        found = reviewed_source(sources_dir, item.info.id)
        if found is not None:  # a new or changed review re-drafts what it does not cover
            new_manifest[item.info.id]["reviewed"] = found.digest
    present = frozenset(new_manifest)
    by_id = {item.info.id: item for item in docs}
    for doc_id in sorted(new_manifest):
        entry = new_manifest[doc_id]
        doc = by_id.get(doc_id)
        if doc is None:  # already imported, not in this file: only its record may change
            text = (corpus_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
            record = Record(corpus_dir / MANIFEST, 0, entry["title"], "", entry["url"],
                            str(entry["year"]), doc_id, entry.get("language"))
            info = describe_record(record, text)
            _render_record(plan, info, text, entry, present, reviewed_source(sources_dir, doc_id))
            continue
        old = manifest.get(doc_id)
        action = "new" if old is None else ("unchanged" if old == entry else "replaced")
        if old is not None and action == "replaced" and old.get("sha256") == entry["sha256"]:
            action = "updated"  # same text; its reviewed source changed: drafts redone
        dp = DocumentPlan(doc_id, action, entry, doc.dropped)
        for part in doc.info.missing:
            dp.notes.append(f"the text states no {part}: left out")
        reviewed = reviewed_source(sources_dir, doc_id)
        if reviewed is not None:
            reviewed.check_text(doc.sha256, doc.record.where)
            rejected = (f", nor {len(reviewed.rejected)} rejected passage(s)"
                        if reviewed.rejected else "")
            dp.notes.append(f"reviewed source {reviewed.yaml.name}: its graph stays authoritative; "
                            f"{len(reviewed.spans)} reviewed passage(s) are not drafted{rejected}")
        record_passages = _render_record(plan, doc.info, doc.text, entry, present, reviewed)
        draft_path = corpus_dir / "drafts" / f"{doc_id}.trig"
        if drafts and (action != "unchanged" or not draft_path.is_file()):
            skip = set(record_passages)
            if reviewed is not None:
                skip |= reviewed.not_drafted(split_sentences(doc.text, "zh"))
            left_out = DraftReport()
            graphs = draft_graphs(doc_id, doc.info.kind, doc.record.title, doc.text, lexicon,
                                  known=known, skip=skip, version=version, date=run_date,
                                  report=left_out)
            dp.notes += [f"left out of the draft: {what} ({n})"
                         for what, n in sorted(left_out.items())]
            if graphs:
                plan.writes.append((draft_path, to_trig(graphs).encode("utf-8")))
            else:  # nothing left to draft (reviewed whole): the document has no draft
                plan.deletes.append(draft_path)
        elif not drafts:
            plan.deletes.append(draft_path)
        plan.writes.append((corpus_dir / f"{doc_id}.txt", doc.text.encode("utf-8")))
        plan.documents.append(dp)
        if progress is not None:
            progress(doc_id)
    for doc_id, entry in sorted(new_manifest.items()):
        approves = entry.get("approves")
        if approves and approves not in present:
            plan.warnings.append(
                f"{doc_id} approves the {approves[4:]} government work report, which the corpus "
                f"does not hold ({approves} not imported); the approval is left out"
            )
    plan.writes.append((corpus_dir / MANIFEST, _manifest_bytes(new_manifest)))
    plan.writes.sort(key=lambda w: str(w[0]))
    return plan


def _render_record(
    plan: ImportPlan,
    info: DocumentInfo,
    text: str,
    entry: dict[str, Any],
    present: frozenset[str],
    reviewed: ReviewedSource | None,
) -> set[int]:
    sentences = split_sentences(text, "zh")
    graphs = record_graphs(
        info, title=entry["title"], text=text, sentences=sentences, url=entry["url"],
        licence=entry["licence"], language=entry.get("language") or "zh", present=present,
    )
    if reviewed is not None:
        graphs = reviewed.without_duplicates(graphs, sentences)
    plan.writes.append((plan.corpus_dir / f"{info.id}.trig", to_trig(graphs).encode("utf-8")))
    return sentence_numbers(graphs, info.id)


def plan_remove(corpus_dir: Path, doc_ids: Sequence[str]) -> ImportPlan:
    """Plan the removal of documents by id: their files go, the manifest forgets them.

    Raises:
        ParseError: an id is not in the corpus.
    """
    manifest = read_manifest(corpus_dir)
    plan = ImportPlan(corpus_dir)
    for doc_id in doc_ids:
        if doc_id not in manifest:
            known = ", ".join(sorted(manifest)) or "none"
            raise ParseError(f"{corpus_dir}: no document {doc_id!r} in the corpus (known: {known})")
        plan.documents.append(DocumentPlan(doc_id, "removed", manifest.pop(doc_id)))
        plan.deletes += _files(corpus_dir, doc_id)
    # a resolution whose report was removed no longer approves it
    present = frozenset(manifest)
    for doc_id, entry in sorted(manifest.items()):
        if entry.get("approves") in {d.id for d in plan.documents}:
            text = (corpus_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
            record = Record(corpus_dir / MANIFEST, 0, entry["title"], "", entry["url"],
                            str(entry["year"]), doc_id, entry.get("language"))
            _render_record(plan, describe_record(record, text), text, entry, present, None)
    plan.writes.append((corpus_dir / MANIFEST, _manifest_bytes(manifest)))
    return plan


def write_plan(
    plan: ImportPlan, *, store: Path | None = None, drafts: bool = False
) -> list[Path]:
    """Write an import or removal plan: all its files at once, then its deletions.

    This is the one place a corpus change touches the disk (so it can be made kill-safe in one
    place). Returns the files written or deleted that changed.

    With ``store`` the Oxigraph store is then rebuilt from the project and the corpus folder
    (``drafts``: with its drafted layer) and swapped in whole, under an intent journal the next
    command completes after a kill (:func:`policykg.store.journal.write_files_and_rebuild`).

    Raises:
        OutputError: a file cannot be written (then none is).
        BackendError: the store cannot be rebuilt.
    """
    changed = [p for p, data in plan.writes if not p.is_file() or p.read_bytes() != data]
    if changed or store is not None:
        plan.corpus_dir.joinpath("drafts").mkdir(parents=True, exist_ok=True)
    pending = [(p, d) for p, d in plan.writes if p in set(changed)]
    gone = [p for p in plan.deletes if p.exists()]
    if store is not None:
        write_files_and_rebuild(pending, deletes=gone, journal=plan.corpus_dir / _JOURNAL,
                                store=store, corpus=plan.corpus_dir, drafts=drafts)
        return changed + gone
    if pending:
        write_many_atomic(pending, journal=plan.corpus_dir / _JOURNAL)
    for path in gone:
        path.unlink(missing_ok=True)
    return changed + gone
