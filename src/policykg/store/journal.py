"""Project files and a store that agree after any kill: an intent journal the next run completes.

``policykg add --store`` (and the corpus import) change two things that cannot share one
transaction: files of the project and an Oxigraph store. The protocol:

1. :func:`begin` writes the *intent* (``graphs/.policykg-store.journal``, atomically): the files
   about to be written, the store and which of the files hold the graph to add to it;
2. the files are written all or none (:func:`policykg.core.io.write_many_atomic`, itself
   journaled);
3. the graph files go into the store in one transaction
   (:func:`policykg.store.bulk.append_to_store`);
4. :func:`finish` removes the intent.

A kill anywhere leaves the intent behind, and :func:`recover` (run by the next command, see
``policykg.apps.cli``) completes it: the file renames roll forward when they were all staged,
the staged temporary files of the intent's files are removed, and when the graph files are in
place their quads are added to the store again. Oxigraph stores are sets, so adding quads a
killed run already added changes nothing: the step is idempotent. When the files never reached
their place (the kill came before every file was staged), the store is left alone.

:func:`write_files_and_store` runs the whole protocol; the corpus import calls it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from policykg.core.errors import BackendError, OutputError, PolicyKGError
from policykg.core.io import recover_journal, write_atomic, write_many_atomic
from policykg.core.paths import graphs_dir, write_journal
from policykg.rdf.graphio import graph_files
from policykg.store.bulk import append_to_store, graph_files_for, load_store

__all__ = [
    "begin",
    "finish",
    "intent_file",
    "recover",
    "remove_staged",
    "write_files_and_rebuild",
    "write_files_and_store",
]


def intent_file() -> Path:
    """The intent journal of a files-and-store change in progress."""
    return graphs_dir() / ".policykg-store.journal"


def begin(files: Sequence[Path], store: Path | None, graph_files: Sequence[Path]) -> None:
    """Record the intent before the first file is written.

    Args:
        files: every file about to be written (new or replaced).
        store: the Oxigraph store the graph files go into, or ``None`` (files only: the
            journal then only lets the next run remove staged temporary files).
        graph_files: those of ``files`` whose graphs the store takes.
    """
    record = {
        "files": [str(Path(f).resolve()) for f in files],
        "store": str(Path(store).resolve()) if store is not None else None,
        "graph_files": [str(Path(f).resolve()) for f in graph_files],
    }
    write_atomic(intent_file(), json.dumps(record, indent=1, sort_keys=True) + "\n")


def finish() -> None:
    """Remove the intent: files and store agree."""
    intent_file().unlink(missing_ok=True)


def remove_staged(dest: Path) -> list[Path]:
    """Remove the temporary files :func:`policykg.core.io.write_atomic` stages for ``dest``."""
    removed = []
    folder = dest.parent
    prefix = f".{dest.name}."
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    for name in names:
        if name.startswith(prefix) and name.endswith(".tmp"):
            (folder / name).unlink(missing_ok=True)
            removed.append(folder / name)
    return removed


def recover() -> str | None:
    """Complete an interrupted files-and-store change; say what was done (``None``: nothing).

    Raises:
        BackendError: the store cannot take the graph now (the message says how to rebuild it;
            the intent is removed so that other commands run).
    """
    intent = intent_file()
    try:
        record = json.loads(intent.read_text(encoding="utf-8"))
        files = [Path(f) for f in record["files"]]
        graph_files = [Path(f) for f in record["graph_files"]]
        store = Path(record["store"]) if record.get("store") else None
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        intent.unlink(missing_ok=True)
        raise OutputError(f"unreadable journal {intent} removed: {exc}") from None
    if record.get("rebuild"):
        return _recover_rebuild(record)
    recover_journal(write_journal())  # the renames roll forward when every file was staged
    for dest in files:
        remove_staged(dest)
    if store is None or not graph_files or not all(f.is_file() for f in graph_files):
        finish()
        return "removed the temporary files of an interrupted write"
    try:
        append_to_store(graph_files_for(graph_files), store)
    except PolicyKGError as exc:
        finish()
        raise BackendError(
            f"an interrupted 'add --store' could not be completed ({exc}); rebuild the store "
            f"with 'policykg load --store {store}'"
        ) from None
    finish()
    names = ", ".join(f.name for f in graph_files)
    return f"completed an interrupted 'add --store': {names} added to {store}"


def write_files_and_store(
    pending: Sequence[tuple[Path, str | bytes]],
    *,
    store: Path | None,
    graph_files: Sequence[Path],
) -> list[Path]:
    """Write project files and add their graphs to a store, consistent after any kill.

    For importers (the corpus import): every file of ``pending`` is written all or none, then
    ``graph_files`` (some of those files, RDF) go into ``store`` in one transaction. If the
    store refuses them the files written are removed again (they must be new files). Killed
    anywhere, the next command's :func:`recover` completes the change.

    Returns:
        The files written.

    Raises:
        OutputError: a file cannot be written (nothing changed).
        BackendError: the store cannot take the graph (the files written were removed).
    """
    recover()
    begin([dest for dest, _ in pending], store, graph_files)
    try:
        written = write_many_atomic(pending, journal=write_journal())
    except PolicyKGError:
        finish()
        raise
    if store is not None and graph_files:
        try:
            append_to_store(graph_files_for(graph_files), store)
        except PolicyKGError as exc:
            for path in reversed(written):
                path.unlink(missing_ok=True)
            finish()
            raise BackendError(f"{exc}; the files just written were removed") from None
    finish()
    return written


# -- the corpus import into a store: files, then the whole store rebuilt and swapped in -----------


def _sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def _landed(files: dict[str, str]) -> bool:
    """Every file of the intent holds its new bytes (the write went through)."""
    for name, digest in files.items():
        try:
            if _sha(Path(name).read_bytes()) != digest:
                return False
        except OSError:
            return False
    return True


def _rebuild(store: Path, corpus: Path, drafts: bool) -> None:
    load_store(graph_files(corpus=corpus, drafts=drafts), store)


def _recover_rebuild(record: dict[str, object]) -> str:
    """Complete a killed corpus import into a store (see :func:`write_files_and_rebuild`)."""
    rebuild = record["rebuild"]
    assert isinstance(rebuild, dict)
    files = {str(k): str(v) for k, v in dict(record.get("sha256") or {}).items()}  # type: ignore[call-overload]
    recover_journal(Path(str(rebuild["journal"])))
    for dest in files:
        remove_staged(Path(dest))
    if _landed(files):
        for path in rebuild.get("deletes") or []:
            Path(str(path)).unlink(missing_ok=True)
    store = Path(str(record["store"]))
    try:
        _rebuild(store, Path(str(rebuild["corpus"])), bool(rebuild.get("drafts")))
    except PolicyKGError as exc:
        finish()
        raise BackendError(
            f"an interrupted 'corpus import --store' could not be completed ({exc}); rebuild "
            f"the store with 'policykg load --store {store} --corpus {rebuild['corpus']}'"
        ) from None
    finish()
    return f"completed an interrupted 'corpus import --store': {store} rebuilt"


def write_files_and_rebuild(
    pending: Sequence[tuple[Path, str | bytes]],
    *,
    deletes: Sequence[Path],
    journal: Path,
    store: Path,
    corpus: Path,
    drafts: bool,
) -> list[Path]:
    """Write a corpus folder's files, then rebuild ``store`` from the project and the corpus.

    The files are written all or none (``write_many_atomic`` with ``journal``), then ``deletes``
    are removed, then the store is rebuilt from the project's files and the corpus folder
    (``drafts``: with its drafted layer), built apart and swapped in whole (one atomic step,
    :func:`policykg.store.bulk.load_store`): a replaced or removed document leaves nothing in the
    store. The intent (with every file's SHA-256) is written first; killed anywhere, the next
    command's :func:`recover` finishes the renames or drops the staged files, removes
    ``deletes`` only when every new file is in place, and rebuilds the store from what the
    folder then holds, so folder and store agree.

    Raises:
        OutputError: a file cannot be written (nothing changed).
        BackendError, ParseError: the store cannot be rebuilt (the folder holds the new files;
            the message says how to rebuild the store).
    """
    recover()
    record = {
        "files": [str(Path(f).resolve()) for f, _ in pending],
        "sha256": {str(Path(f).resolve()): _sha(d) for f, d in pending},
        "store": str(Path(store).resolve()),
        "graph_files": [],
        "rebuild": {
            "corpus": str(Path(corpus).resolve()),
            "drafts": drafts,
            "journal": str(Path(journal).resolve()),
            "deletes": [str(Path(p).resolve()) for p in deletes],
        },
    }
    write_atomic(intent_file(), json.dumps(record, indent=1, sort_keys=True) + "\n")
    try:
        written = write_many_atomic(pending, journal=journal) if pending else []
    except PolicyKGError:
        finish()
        raise
    for path in deletes:
        Path(path).unlink(missing_ok=True)
    try:
        _rebuild(Path(store), Path(corpus), drafts)
    finally:
        finish()
    return written
