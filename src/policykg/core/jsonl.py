"""Reading a JSON Lines corpus as untrusted input, under the rules of documents and drafts.

:func:`read_jsonl` yields one record (a JSON object) per line. The file must be a regular file
(a device or a pipe is refused before it is opened: ``/dev/zero`` would never end) of at most
``max_bytes``; a line longer than ``max_line`` bytes, not UTF-8, not JSON, nested too deeply or
not an object is a :class:`ParseError` naming ``file:line``, and no message ever shows more than
a short piece of the line. Blank lines are skipped, and so is a byte order mark at the start.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policykg.core.errors import ParseError

__all__ = ["MAX_JSONL_BYTES", "MAX_JSONL_LINE", "read_jsonl"]

#: The largest corpus file read (bytes).
MAX_JSONL_BYTES = 1024 * 1024 * 1024
#: The longest line (one record) read (bytes).
MAX_JSONL_LINE = 64 * 1024 * 1024


def _size(limit: int) -> str:
    mib = 1024 * 1024
    return f"{limit // mib} MiB" if limit % mib == 0 else f"{limit} bytes"


def read_jsonl(path: str | Path, *, max_bytes: int = MAX_JSONL_BYTES,
               max_line: int = MAX_JSONL_LINE) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, record)`` for each non-blank line of a JSON Lines file.

    Raises:
        ParseError: the file is not a regular file, too large or unreadable, or a line is too
            long, not JSON, too deeply nested or not an object (``file:line: why``).
    """
    p = Path(path)
    try:
        info = os.stat(p)
    except OSError as exc:
        raise ParseError(f"{p}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ParseError(f"{p}: refused: not a regular file (a device, pipe or folder)")
    if info.st_size > max_bytes:
        raise ParseError(f"{p}: {info.st_size} bytes, larger than the {_size(max_bytes)} a file "
                         "may hold (split it)")
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        handle = os.fdopen(fd, "rb")
    except OSError as exc:
        raise ParseError(f"{p}: cannot read: {exc.strerror or exc}") from None
    with handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ParseError(f"{p}: refused: not a regular file")
        number = 0
        while True:
            line = handle.readline(max_line + 1)
            if not line:
                return
            number += 1
            if len(line) > max_line and not line.endswith(b"\n"):
                raise ParseError(f"{p}:{number}: a line longer than {max_line} bytes")
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ParseError(f"{p}:{number}: not UTF-8 (byte {exc.start})") from None
            if number == 1:
                text = text.removeprefix("\ufeff")
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ParseError(f"{p}:{number}: not JSON: {exc.msg} (column {exc.colno})") \
                    from None
            except RecursionError:
                raise ParseError(f"{p}:{number}: JSON nested too deeply") from None
            if not isinstance(record, dict):
                raise ParseError(f"{p}:{number}: a record must be a JSON object, not "
                                 f"{type(record).__name__}")
            yield number, record
