"""Files in and out: atomic output, and input text read with one-line errors.

A failed run never leaves a half-written file behind; a file that cannot be read or is not
UTF-8 is one line naming it.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from policykg.core.errors import OutputError, ParseError, StoredTextError

__all__ = [
    "MAX_STORED_TEXT",
    "current_umask",
    "read_stored_text",
    "read_text_file",
    "recover_journal",
    "write_atomic",
    "write_many_atomic",
]

#: The largest stored document text read through ``pkg:textFile`` (bytes); larger is refused.
MAX_STORED_TEXT = 64 * 1024 * 1024


def read_text_file(path: Path, *, encoding: str = "utf-8") -> str:
    """Read an input file as UTF-8 text (``encoding="utf-8-sig"`` drops a byte order mark).

    Raises:
        ParseError: ``FILE: cannot read: why`` or ``FILE: not UTF-8 text (byte N)``.
    """
    try:
        return path.read_text(encoding=encoding)
    except UnicodeDecodeError as exc:
        raise ParseError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_stored_text(base: Path, rel: str, *, limit: int = MAX_STORED_TEXT) -> str:
    """Read a document's stored text ``rel`` (a ``pkg:textFile`` value) from inside ``base``.

    A graph names its text file, and graphs come from other people: the path is confined to
    ``base`` (the project's ``graphs/`` or a given texts folder). It must be relative, must not
    climb out with ``..``, must resolve (symbolic links followed) to a place inside ``base``, and
    must be a regular file of at most ``limit`` bytes; a device, a pipe or a folder is refused
    before it is opened, so nothing blocks or reads without end.

    Raises:
        StoredTextError: the path is refused, missing, too large, unreadable or not UTF-8; the
            message names the path as written and why, never the file's content.
    """
    shown = repr(rel) if len(rel) <= 120 else repr(rel[:117] + "...")
    candidate = Path(rel)
    if not rel or candidate.is_absolute() or rel.startswith(("/", "\\", "~")):
        raise StoredTextError(f"the stored text {shown} is refused: it must be a relative path")
    if ".." in candidate.parts or "\x00" in rel:
        raise StoredTextError(f"the stored text {shown} is refused: it leaves its folder (..)")
    root = base.resolve()
    try:
        target = (root / candidate).resolve(strict=True)
    except (OSError, RuntimeError):
        raise StoredTextError(f"the stored text {shown} cannot be read: no such file") from None
    if not target.is_relative_to(root):
        raise StoredTextError(
            f"the stored text {shown} is refused: it resolves outside the folder of stored texts"
        )
    try:
        info = target.stat()
    except OSError as exc:
        raise StoredTextError(f"the stored text {shown} cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise StoredTextError(f"the stored text {shown} is refused: it is not a regular file")
    if info.st_size > limit:
        raise StoredTextError(
            f"the stored text {shown} is refused: {info.st_size} bytes, over the limit of {limit}"
        )
    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(target, flags)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise StoredTextError(
                    f"the stored text {shown} is refused: it is not a regular file"
                )
            data = handle.read(limit + 1)
    except OSError as exc:
        raise StoredTextError(f"the stored text {shown} cannot be read: {exc.strerror}") from None
    if len(data) > limit:
        raise StoredTextError(f"the stored text {shown} is refused: over the limit of {limit}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StoredTextError(f"the stored text {shown} is not UTF-8 (byte {exc.start})") from None


def current_umask() -> int:
    """Return the process's umask without changing it for other threads when possible."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)  # no /proc: the portable (racy, but brief) way
    os.umask(old)
    return old


def _target_mode(dest: Path) -> int:
    """The mode ``dest`` should have: an existing file's mode, else ``0o666 & ~umask``."""
    try:
        return stat.S_IMODE(dest.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def _check_target(dest: Path, special: bool = False) -> bool:
    """Refuse a destination that is not a regular file's place; True when written in place.

    A folder is refused. A symbolic link, a device or a named pipe is refused too (replacing
    it with a regular file would destroy it: ``--out /dev/stdout`` run as root), unless
    ``special``: then a symbolic link is followed (its target is replaced) and a device or
    pipe is written into as it is (returns True).
    """
    try:
        info = os.lstat(dest)
    except OSError:
        return False  # nothing there yet (or unreachable: the write itself will say)
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write {dest}: it is a folder, give a file name")
    if stat.S_ISLNK(info.st_mode):
        if not special:
            raise OutputError(
                f"cannot write {dest}: it is a symbolic link (not replaced; give its target)"
            )
        return _check_target(Path(os.path.realpath(dest)), special)
    if stat.S_ISREG(info.st_mode):
        return False
    if not special:
        raise OutputError(
            f"cannot write {dest}: it is not a regular file (a device, pipe or socket; "
            "use '-' for standard output)"
        )
    return True


def _write_in_place(dest: Path, payload: bytes) -> None:
    """Write into a device or a pipe the caller named on purpose (no rename, no truncation)."""
    fd = os.open(dest, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    try:
        view = memoryview(payload)
        while view:
            done = os.write(fd, view)
            view = view[done:]
    finally:
        os.close(fd)


def _failure(dest: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    return OutputError(f"cannot write {dest}: {reason}")


def _stage(dest: Path, payload: bytes) -> str:
    """Write ``payload`` to a temporary sibling of ``dest`` with ``dest``'s future mode."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), _target_mode(dest))
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(
    path: str | os.PathLike[str], data: str | bytes, *, special: bool = False
) -> Path:
    r"""Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    A new file gets the mode the umask allows (``0o666 & ~umask``, as ``open()`` would give it);
    a replaced file keeps its mode.

    Args:
        path: destination file; its folder is created when missing.
        data: text (written as UTF-8 with ``\\n`` line ends) or bytes.
        special: write into a device or named pipe as it is, and follow a symbolic link to
            replace its target; without it they are refused (they are never replaced by a
            regular file).

    Returns:
        The destination path.

    Raises:
        OutputError: the file cannot be written (``path`` is a folder, a symbolic link, a
            device or a pipe, no permission, disk full); nothing is written then.
    """
    dest = Path(path)
    in_place = _check_target(dest, special)
    if special and dest.is_symlink():
        dest = Path(os.path.realpath(dest))
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if in_place:
            _write_in_place(dest, payload)
            return dest
        tmp = _stage(dest, payload)
        try:
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise _failure(dest, exc) from exc
    return dest


def write_many_atomic(
    files: Iterable[tuple[Path, str | bytes]], *, journal: Path | None = None
) -> list[Path]:
    """Write several files so that either all are replaced or none is.

    Every payload is first written to a temporary sibling; only when all are written are they
    renamed into place (renames within one folder do not fail for lack of space).

    With ``journal``, the set is all-or-nothing even if the process is killed between two renames:
    once every file is staged the list of renames is written to ``journal`` (atomically), then the
    renames are done and the journal removed. :func:`recover_journal` (called here first, and by
    whoever reads the files) finishes an interrupted set: every staged file was complete before
    the journal existed, so it rolls forward.

    Raises:
        OutputError: a file cannot be written; none is replaced then.
    """
    if journal is not None:
        recover_journal(journal)
    staged: list[tuple[str, Path]] = []
    current: Path | None = None
    journaled = False
    try:
        for dest, data in files:
            current = dest
            _check_target(dest)
            payload = data.encode("utf-8") if isinstance(data, str) else data
            staged.append((_stage(dest, payload), dest))
        if journal is not None and staged:
            entries = [[str(Path(tmp).resolve()), str(dest.resolve())] for tmp, dest in staged]
            write_atomic(journal, json.dumps(entries, indent=1) + "\n")
            journaled = True
        for tmp, dest in staged:
            current = dest
            os.replace(tmp, dest)
        if journaled and journal is not None:
            journal.unlink(missing_ok=True)
            journaled = False
    except OSError as exc:
        raise _failure(current or Path("."), exc) from exc
    finally:
        if not journaled:  # a journal left behind keeps its staged files for recovery
            for tmp, _ in staged:
                Path(tmp).unlink(missing_ok=True)
    return [dest for _, dest in staged]


def recover_journal(journal: Path) -> list[Path]:
    """Finish a set of renames :func:`write_many_atomic` was killed in the middle of.

    Returns:
        The files it put in place (none when there was no journal).

    Raises:
        OutputError: the journal cannot be read or a rename fails.
    """
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot read the write journal {journal}: {exc}") from None
    done: list[Path] = []
    try:
        for tmp, dest in entries:
            if Path(tmp).exists():
                os.replace(tmp, dest)
                done.append(Path(dest))
        journal.unlink(missing_ok=True)
    except OSError as exc:
        raise _failure(journal, exc) from exc
    return done
