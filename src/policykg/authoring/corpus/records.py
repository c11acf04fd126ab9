"""Corpus records read from JSON Lines, checked before anything is written.

One record a line: ``{"title": ..., "url": ..., "content": ..., "year": ...}`` (the public
dataset's fields; ``year`` is a string, or ``null`` for the NPC resolutions). The project's own
record fields may be given too: ``id`` (the document slug, e.g. ``gwr-2024``) and ``language``.

Every problem is a one-line :class:`ParseError` naming the file and the line: a file over
:data:`MAX_CORPUS_BYTES`, bytes that are not UTF-8, a line that is not a JSON object, a record
without ``title`` or ``content``, two records with the same ``url``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykg.core.errors import ParseError
from policykg.core.jsonl import read_jsonl

__all__ = ["MAX_CORPUS_BYTES", "Record", "read_records"]

#: The largest corpus file read (32 MiB; the real corpus is 0.6 MB, the 100× synthetic one is
#: imported record by record from several files).
MAX_CORPUS_BYTES = 32 * 1024 * 1024

_KNOWN = frozenset({"title", "url", "content", "year", "id", "language"})


@dataclass(frozen=True)
class Record:
    """One record of a corpus file.

    Attributes:
        file: the file it was read from.
        line: its line number (1-based).
        title: the record's title.
        content: the published content (page furniture included).
        url: the source URL, or ``""``.
        year: the ``year`` field as given (``None`` when null or absent).
        id: the project's document slug when the record gives one.
        language: the record's language when given.
    """

    file: Path
    line: int
    title: str
    content: str
    url: str = ""
    year: str | None = None
    id: str | None = None
    language: str | None = None

    @property
    def where(self) -> str:
        """``file:line``, for messages."""
        return f"{self.file}:{self.line}"


def _field(obj: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise ParseError(f"{where}: the record has no '{key}'")
        return None
    if key == "year" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ParseError(f"{where}: '{key}' must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise ParseError(f"{where}: the record's '{key}' is empty")
    return value


def read_records(path: Path) -> list[Record]:
    """Read and check every record of a JSON Lines corpus file (nothing is written).

    The lines are read by :func:`policykg.core.jsonl.read_jsonl`, under a limit of
    :data:`MAX_CORPUS_BYTES`.

    Raises:
        ParseError: the file is missing, too large, not UTF-8, or a line is not a valid record
            (the message names the file and the line).
    """
    records: list[Record] = []
    urls: dict[str, int] = {}
    for number, obj in read_jsonl(path, max_bytes=MAX_CORPUS_BYTES):
        where = f"{path}:{number}"
        title = _field(obj, "title", where, required=True)
        content = _field(obj, "content", where, required=True)
        assert title is not None and content is not None
        url = _field(obj, "url", where, required=False) or ""
        if url:
            if url in urls:
                raise ParseError(f"{where}: the same url as line {urls[url]} ({url})")
            urls[url] = number
        records.append(
            Record(
                file=path,
                line=number,
                title=title.strip(),
                content=content,
                url=url,
                year=_field(obj, "year", where, required=False),
                id=_field(obj, "id", where, required=False),
                language=_field(obj, "language", where, required=False),
            )
        )
    if not records:
        raise ParseError(f"{path}: no records")
    return records
