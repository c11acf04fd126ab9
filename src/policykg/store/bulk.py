"""Fill a persistent Oxigraph store, and push the graph to a SPARQL server.

:func:`load_store` bulk-loads RDF files into an Oxigraph store folder (the ``--store DIR`` of
every command), reporting progress as it reads; by default the store is built beside the target
and swapped in only when complete, in one atomic step (Linux ``renameat2`` exchange; elsewhere two
renames under a journal that the next load completes), so a failed or killed load never leaves a
half-filled store or none. A load holds a lock on the folder (``.NAME.lock`` beside it): a second
load at the same time fails at once with a one-line error. Each load first removes what killed
loads left (``.NAME.*.loading``, ``.NAME.old``).
:func:`push_graphs` sends every named graph to a server with the SPARQL 1.1 Graph Store HTTP
Protocol (``PUT <graph-store>?graph=<iri>``), so the named graphs (one per passage) survive; it
lives in :mod:`policykg.store.push`, re-exported here.
"""

from __future__ import annotations

import io
import itertools
import mmap
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from glob import escape as glob_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg.core.errors import BackendError, ParseError
from policykg.rdf.graphio import (
    GraphFile,
    extension_graph,
    names_its_graphs,
    oxigraph_format,
    refuse_xml_entities_in_file,
)
from policykg.store.backends import is_oxigraph_store
from policykg.store.push import PushProgress, PushReport, graph_store_url, push_graphs

if TYPE_CHECKING:
    from policykg.rdf.graphio import GraphFile

__all__ = [
    "LoadProgress",
    "LoadReport",
    "PushProgress",
    "PushReport",
    "append_to_store",
    "graph_files_for",
    "graph_store_url",
    "load_store",
    "push_graphs",
    "recover_store",
]


@dataclass(frozen=True)
class LoadProgress:
    """How far a load has got.

    Attributes:
        file: the file being read.
        index: its position among the files (1-based).
        files: how many files there are.
        done: bytes of this file read so far.
        size: the file's size in bytes.
        elapsed: seconds since the load started.
    """

    file: Path
    index: int
    files: int
    done: int
    size: int
    elapsed: float


@dataclass(frozen=True)
class LoadReport:
    """What a load did.

    Attributes:
        store: the store folder.
        files: the files loaded.
        quads: quads in the store afterwards.
        graphs: named graphs in the store afterwards.
        seconds: wall time of the load.
    """

    store: Path
    files: int
    quads: int
    graphs: int
    seconds: float


class _Counting(io.RawIOBase):
    """A binary reader that reports how many bytes were read."""

    def __init__(self, raw: io.BufferedReader, report: Callable[[int], None]) -> None:
        super().__init__()
        self._raw = raw
        self._report = report
        self._done = 0
        self._last = 0.0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)
        self._done += n or 0
        now = time.perf_counter()
        if now - self._last >= 0.2 or not n:
            self._last = now
            self._report(self._done)
        return n or 0


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


#: Line-based files (N-Triples, N-Quads) at least this big are loaded by several threads at once.
PARALLEL_MIN_BYTES = 32 << 20


class _Range(io.RawIOBase):
    """A binary reader of the bytes ``[start, end)`` of a file, adding what it reads to a count."""

    def __init__(self, path: Path, start: int, end: int, add: Callable[[int], None]) -> None:
        super().__init__()
        self._file = path.open("rb")
        self._file.seek(start)
        self._left = end - start
        self._add = add

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)[: self._left]
        n = self._file.readinto(view) if len(view) else 0
        self._left -= n or 0
        self._add(n or 0)
        return n or 0

    def close(self) -> None:
        self._file.close()
        super().close()


def _line_ranges(path: Path, size: int, parts: int) -> list[tuple[int, int]]:
    """Cut a line-based RDF file into about ``parts`` byte ranges that end at line ends.

    Every bulk load gives the blank nodes it reads fresh identities, so all the lines that may
    name a blank node (from the first ``_:`` in the file to the last) stay in one range.
    """
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        first, last = data.find(b"_:"), data.rfind(b"_:")
        cuts = [0]
        for i in range(1, parts):
            newline = data.find(b"\n", max(size * i // parts, cuts[-1]))
            cut = size if newline < 0 else newline + 1
            if first >= 0 and first < cut <= last:
                newline = data.find(b"\n", last)
                cut = size if newline < 0 else newline + 1
            if cut >= size:
                break
            if cut > cuts[-1]:
                cuts.append(cut)
    cuts.append(size)
    return list(itertools.pairwise(cuts))


def _parallel_load(
    store: Any,
    path: Path,
    fmt: Any,
    graph: Any,
    ranges: list[tuple[int, int]],
    report: Callable[[int], None],
) -> None:
    """Bulk-load byte ranges of one line-based file, one thread each (Oxigraph releases the GIL)."""
    lock = threading.Lock()
    done = [0, 0.0]
    errors: list[BaseException] = []

    def add(n: int) -> None:
        with lock:
            done[0] += n
            now = time.perf_counter()
            if now - done[1] >= 0.2:
                done[1] = now
                report(int(done[0]))

    def run(start: int, end: int) -> None:
        try:
            with io.BufferedReader(_Range(path, start, end, add), buffer_size=1 << 20) as reader:
                store.bulk_load(input=reader, format=fmt, to_graph=graph)
        except BaseException as exc:  # re-raised by the calling thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=r, daemon=True) for r in ranges]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        if isinstance(errors[0], SyntaxError):
            _raise_first_syntax_error(path, fmt)
        raise errors[0]


def _raise_first_syntax_error(path: Path, fmt: Any) -> None:
    """Parse a file from its start, so that a syntax error says where in the file it is."""
    import pyoxigraph as ox

    for _ in ox.parse(path=str(path), format=fmt):
        pass


#: Files up to this size are parsed here and bulk-loaded together: each bulk load writes and
#: ingests files of its own, about 0.1 s of waiting however small the input (the project's 12
#: files: 1.4 s one by one, 0.2 s together). Larger files stream into a bulk load each.
SMALL_FILE_BYTES = 4 << 20
#: The most input the small files gathered hold before they go in: their quads are in memory
#: (8 MB of TriG: about 145,000 quads, 70 MB), and a batch that size takes half a second to load,
#: far more than the 0.1 s a bulk load costs.
SMALL_BATCH_BYTES = 8 << 20


def _fill(
    store: Any,
    files: Sequence[GraphFile],
    progress: Callable[[LoadProgress], None] | None,
    started: float,
) -> None:
    import pyoxigraph as ox

    threads = min(os.cpu_count() or 1, 4)
    batch: list[Any] = []
    batched = 0

    def flush() -> None:
        nonlocal batched
        if batch:
            store.bulk_extend(batch)
            batch.clear()
            batched = 0

    for index, f in enumerate(files, start=1):
        path = Path(f.path)
        fmt = oxigraph_format(path)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise ParseError(f"{path}: no such file") from None

        def report(done: int, path: Path = path, index: int = index, size: int = size) -> None:
            if progress is not None:
                progress(
                    LoadProgress(path, index, len(files), done, size, time.perf_counter() - started)
                )

        graph = (
            ox.NamedNode(str(f.graph))
            if f.graph is not None and not fmt.supports_datasets
            else None
        )
        line_based = fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)
        if fmt == ox.RdfFormat.RDF_XML:
            refuse_xml_entities_in_file(path)  # issue 25 N10: before the store expands them
        small = size <= SMALL_FILE_BYTES
        if not small:
            flush()
        try:
            ranges = (
                _line_ranges(path, size, threads)
                if line_based and threads > 1 and size >= PARALLEL_MIN_BYTES
                else []
            )
            if len(ranges) > 1:
                _parallel_load(store, path, fmt, graph, ranges, report)
            elif small:  # blank nodes renamed, as a bulk load of the file renames them
                for q in ox.parse(path=str(path), format=fmt, rename_blank_nodes=True):
                    batch.append(
                        q if graph is None else ox.Quad(q.subject, q.predicate, q.object, graph)
                    )
                batched += size
            else:
                with path.open("rb") as raw:
                    reader = io.BufferedReader(_Counting(raw, report), buffer_size=1 << 20)
                    store.bulk_load(input=reader, format=fmt, to_graph=graph)
            report(size)
        except SyntaxError as exc:
            raise ParseError(f"{path}: syntax error: {_first_line(exc)}") from None
        except (OSError, ValueError) as exc:
            raise ParseError(f"{path}: cannot load: {_first_line(exc)}") from None
        if batched >= SMALL_BATCH_BYTES:
            flush()
    flush()


def load_store(
    files: Sequence[GraphFile],
    directory: str | Path,
    *,
    append: bool = False,
    progress: Callable[[LoadProgress], None] | None = None,
) -> LoadReport:
    """Bulk-load RDF files into a persistent Oxigraph store.

    Turtle/N-Triples/RDF-XML files go to the named graph their :class:`GraphFile` names; TriG and
    N-Quads keep the graphs named inside them.

    Args:
        files: the files, in load order (``graphio.graph_files()`` gives the project's).
        directory: the store folder; created when missing.
        append: add to the existing store instead of replacing it. Without it the new store is
            built in a sibling folder and swapped in once every file has loaded.
        progress: called every 0.2 s or so while files are read.

    Returns:
        A :class:`LoadReport`.

    Raises:
        ParseError: a file is missing or malformed (the existing store is then left as it was,
            unless ``append``).
        BackendError: the folder exists but is not an Oxigraph store, or the store is in use.
    """
    import pyoxigraph as ox

    target = Path(directory)
    started = time.perf_counter()
    for f in files:  # fail before touching anything
        oxigraph_format(Path(f.path))
        if not Path(f.path).is_file():
            raise ParseError(f"{f.path}: no such file")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        recover_store(target)
        occupied = target.exists() and (not target.is_dir() or any(target.iterdir()))
        if occupied and not is_oxigraph_store(target):
            raise BackendError(
                f"{target}: exists and is not an Oxigraph store; choose another folder"
            )
        if append:
            try:
                store = ox.Store(str(target))
            except OSError as exc:
                raise BackendError(f"{target}: cannot open the store: {_first_line(exc)}") from None
            _fill(store, files, progress, started)
            store.flush()
            return _report(store, target, len(files), started)
        building = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=_LOADING, dir=target.parent)
        )
        try:
            store = ox.Store(str(building))
            _fill(store, files, progress, started)
            store.flush()
            report = _report(store, target, len(files), started)
            del store
            _swap_in(building, target)
        except OSError as exc:
            raise BackendError(f"{target}: cannot write the store: {_first_line(exc)}") from None
        finally:
            shutil.rmtree(building, ignore_errors=True)  # the new store's build, or the old one
    return LoadReport(
        target, report.files, report.quads, report.graphs, time.perf_counter() - started
    )


def append_to_store(files: Sequence[GraphFile], directory: str | Path) -> LoadReport:
    """Add small RDF files to an existing Oxigraph store in one transaction: all or nothing.

    The files are parsed first (nothing is touched when one is malformed); their quads then go
    in with one ``Store.extend``, which Oxigraph runs as one transaction, under the lock
    :func:`load_store` takes. For the few files of ``policykg add`` (at most 2 MB each), not for
    bulk loads.

    Raises:
        ParseError: a file is missing or malformed.
        BackendError: the folder is not an Oxigraph store, another load holds it, or the store
            cannot be written (nothing is added then).
    """
    import pyoxigraph as ox

    target = Path(directory)
    started = time.perf_counter()
    quads: list[Any] = []
    for f in files:
        path = Path(f.path)
        fmt = oxigraph_format(path)
        named = f.graph is not None and not fmt.supports_datasets
        graph = ox.NamedNode(str(f.graph)) if named else None
        if fmt == ox.RdfFormat.RDF_XML:
            refuse_xml_entities_in_file(path)  # issue 25 N10
        try:
            for q in ox.parse(path=str(path), format=fmt):
                quads.append(ox.Quad(q.subject, q.predicate, q.object, graph) if graph else q)
        except SyntaxError as exc:
            raise ParseError(f"{path}: syntax error: {_first_line(exc)}") from None
        except OSError as exc:
            raise ParseError(f"{path}: cannot read: {_first_line(exc)}") from None
    with _locked(target):
        recover_store(target)
        if not is_oxigraph_store(target):
            raise BackendError(
                f"{target}: not an Oxigraph store (build one with 'policykg load --store')"
            )
        try:
            store = ox.Store(str(target))
            store.extend(quads)
            store.flush()
        except OSError as exc:
            raise BackendError(f"{target}: cannot write the store: {_first_line(exc)}") from None
        report = _report(store, target, len(files), started)
        del store
    return report


# -- swapping a store in: one atomic step, a lock, no leftovers -----------------------------------

_LOADING = ".loading"


def _lock_file(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


def _journal_file(target: Path) -> Path:
    return target.with_name(f".{target.name}.swap")


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the store folder ``target`` (a sibling ``.NAME.lock``, flock).

    The lock file is removed on release, while still locked; a process that locked a file
    already removed (its inode no longer at the path) tries again, so two can never both hold it.

    Raises:
        BackendError: another load holds it.
    """
    import fcntl

    path = _lock_file(target)
    for _ in range(20):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BackendError(
                f"{target}: another 'policykg load' is writing this store; "
                "try again when it has finished"
            ) from None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # locked a file the previous holder had just removed: take the new one
    else:  # pragma: no cover - only under a storm of loads
        raise BackendError(f"{target}: cannot lock the store (lock file keeps changing)")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)  # releases the lock


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``).

    Returns:
        ``False`` when the system or file system cannot (then nothing happened).
    """
    import ctypes
    import errno
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_in(building: Path, target: Path) -> None:
    """Put the complete store ``building`` at ``target``; the old store ends up at ``building``.

    A first store is one rename. Replacing a store is one atomic exchange where the system has
    it (Linux); elsewhere it is two renames under a journal (``.NAME.swap``) that
    :func:`recover_store` completes if the process dies between them.
    """
    if not target.exists() or (target.is_dir() and not any(target.iterdir())):
        building.replace(target)
        return
    if _exchange(building, target):
        return
    journal = _journal_file(target)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    journal.write_text(f"{building.name}\n", encoding="utf-8")
    target.rename(old)
    building.rename(target)
    journal.unlink()
    old.rename(building)  # removed with the build folder


def recover_store(target: str | Path) -> None:
    """Finish or undo a swap a killed load left half done, and remove killed loads' leftovers.

    Call it holding the store's lock (``load_store`` does): the ``.NAME.*.loading`` folders and
    ``.NAME.old`` then belong to no running load.
    """
    target = Path(target)
    journal = _journal_file(target)
    old = target.with_name(f".{target.name}.old")
    if journal.exists():
        building = target.with_name(journal.read_text(encoding="utf-8").strip())
        if not target.exists():
            # died between the two renames: the new store was complete (the journal is written
            # only then), so finish; without it, put the old one back
            if building.name and building.is_dir():
                building.rename(target)
            elif old.is_dir():
                old.rename(target)
        journal.unlink()
    shutil.rmtree(old, ignore_errors=True)
    for leftover in target.parent.glob(f".{glob_escape(target.name)}.*{_LOADING}"):
        shutil.rmtree(leftover, ignore_errors=True)


def graph_files_for(paths: Sequence[str | Path]) -> list[GraphFile]:
    """Describe user-given RDF files.

    TriG/N-Quads files name their graphs; any other file goes to ``kgg:extension-<file stem>``
    (as extensions do).
    """
    out = []
    for p in map(Path, paths):
        out.append(GraphFile(p, None if names_its_graphs(p) else extension_graph(p)))
    return out


def _report(store: Any, target: Path, files: int, started: float) -> LoadReport:
    # Counted by SPARQL, which never reads the graph names as text: 0.02 s for 62,704 graphs
    # where store.named_graphs() took 0.19 s.
    (count,) = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { } }")))
    graphs = int(count.value)
    return LoadReport(target, files, len(store), graphs, time.perf_counter() - started)
