"""Atomic file output: a failed run never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["write_atomic", "write_many_atomic"]


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    r"""Write ``data`` to ``path`` through a temporary file in the same folder, then rename.

    Args:
        path: destination file; its folder is created when missing.
        data: text (written as UTF-8 with ``\\n`` line ends) or bytes.

    Returns:
        The destination path.
    """
    dest = Path(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def write_many_atomic(files: Iterable[tuple[Path, str | bytes]]) -> list[Path]:
    """Write several files so that either all are replaced or none is.

    Every payload is first written to a temporary sibling; only when all are written are they
    renamed into place (renames within one folder do not fail for lack of space).
    """
    staged: list[tuple[str, Path]] = []
    try:
        for dest, data in files:
            dest.parent.mkdir(parents=True, exist_ok=True)
            payload = data.encode("utf-8") if isinstance(data, str) else data
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
            staged.append((tmp, dest))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
        for tmp, dest in staged:
            os.replace(tmp, dest)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
    return [dest for _, dest in staged]
