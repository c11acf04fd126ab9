"""Reading and segmentation: the text file, its language, its sentences at exact offsets."""

from __future__ import annotations

import bisect
import functools
import gc
import re
import string
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from policykg.core.errors import ParseError

MAX_TEXT_BYTES = 10 * 1024 * 1024

_PKG = "https://w3id.org/policykg/ontology#"


_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a text is annotated or its draft written.

    Both allocate hundreds of thousands of small objects, none in a cycle (reference counting
    frees them); the collector's passes over them took a third of the time. It is switched back
    on afterwards (only if it was on), and collects then whatever cycles it would have.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _without_gc(func: Callable[_P, _R]) -> Callable[_P, _R]:
    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _gc_paused():
            return func(*args, **kwargs)

    return wrapper


# -- reading --------------------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """Read a text to annotate, refusing what is not a usable UTF-8 text.

    Raises:
        ParseError: no such file, over :data:`MAX_TEXT_BYTES` (checked before reading), empty,
            binary (a NUL byte), or not UTF-8; the message names the file (and line).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not path.is_file():
        raise ParseError(f"{path}: not a file")
    if size > MAX_TEXT_BYTES:
        raise ParseError(
            f"{path}: {size:,} bytes is over the annotator's limit of {MAX_TEXT_BYTES:,} bytes "
            "(10 MiB); split the text into documents"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise ParseError(f"{path}: the text is empty: nothing to annotate")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise ParseError(f"{path}:{line}: a binary file (NUL byte at offset {nul}), not a text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the text to UTF-8 first"
        ) from None
    if not text.strip():
        raise ParseError(f"{path}: the text is empty: nothing to annotate")
    return text


def detect_language(text: str) -> str:
    """``zh`` when Han characters are at least a fifth of the letters, else ``en``."""
    sample = text[:20000]
    han = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    letters = sum(1 for c in sample if c.isalpha())
    return "zh" if letters and han * 5 >= letters else "en"


# -- sentences ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """A sentence: the quote ``text[start:end]`` and its passage id (``s001``)."""

    id: str
    start: int
    end: int
    quote: str
    occurrence: int | None = None


_MD_PREFIX = re.compile(r"^\ufeff?[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,3}[.)][ \t]+|>[ \t]?)*")
_SAFE_BREAK = re.compile(
    r"(?<=[A-Za-z]{2}[.!?])[\"'”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])|(?<=\d{2}[.!?])\s+(?=[A-Z])|"
    r"(?<=[a-z]{3}[.!?])[\"'”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])|(?<=[!?])[\"'”’)\]]*\s+(?=[\"“(\[]?[A-Z])"
)
_ASCII_LETTERS = frozenset(string.ascii_letters)
_SENTENCE_MARK = re.compile(r"[.!?]")
_INNER_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+\S")
#: a photo credit closing a caption: "/Xinhua", "/ CFP", "(Photo: Xinhua)", "（新华社记者 X 摄）"
_CREDIT = re.compile(
    r"(?:/\s?[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3}"
    r"|\((?:Photo|Photograph|Picture)s?(?: by)?:? [^()]{1,60}\)"
    r"|（[^（）]{0,30}摄）|/\s?[\u4e00-\u9fff]{2,8})\s*$"
)
_CREDIT_ONLY = re.compile(r"\s*/\s?[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3}\s*$")
_CAPTION_START = re.compile(r"^(?:(?:Photo|Photograph|Picture)s?\s*:|图为|图：)")
_ZH_END = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*|$)")
_SEGMENTERS: dict[str, Any] = {}


def _pysbd(lang: str) -> Any:
    seg = _SEGMENTERS.get(lang)
    if seg is None:
        import pysbd

        seg = _SEGMENTERS[lang] = pysbd.Segmenter(language=lang, clean=False)
    return seg


_ABBREV: frozenset[str] | None = None


def _abbreviations() -> frozenset[str]:
    global _ABBREV
    if _ABBREV is None:
        from pysbd.lang.english import English

        _ABBREV = frozenset(a.lower() for a in English.Abbreviation.ABBREVIATIONS)
    return _ABBREV


def _safe_breaks(piece: str) -> Iterator[re.Match[str]]:
    """``_SAFE_BREAK.finditer(piece)``, tried only after a full stop, ! or ?.

    Every break follows one (its lookbehinds say so): the pattern, which begins with a
    lookbehind, is not tried at every position of the line.
    """
    at = 0
    for stop in _SENTENCE_MARK.finditer(piece):
        if stop.end() < at:
            continue
        m = _SAFE_BREAK.match(piece, stop.end())
        if m is not None:
            at = m.end()
            yield m


def _last_word(piece: str, start: int, end: int) -> str:
    """The letters right before the full stop (or ! / ?) that ends ``piece[start:end]``.

    Read back from ``end``: a search of the span for a word before its end tried every position
    of it.
    """
    stop = end - 1
    if stop < start or piece[stop] not in ".!?":
        return ""
    i = stop
    while i > start and piece[i - 1] in _ASCII_LETTERS:
        i -= 1
    return piece[i:stop]


def _split_en(piece: str) -> list[str]:
    """Split one line of English; pysbd decides only where a period could be an abbreviation."""
    chunks: list[str] = []
    last = 0
    abbrev = _abbreviations()
    for m in _safe_breaks(piece):
        word = _last_word(piece, last, m.start())
        if word and word.lower() in abbrev:
            continue
        chunks.append(piece[last : m.start()])
        last = m.start()
    chunks.append(piece[last:])
    out: list[str] = []
    for chunk in chunks:
        if _INNER_BREAK.search(chunk.strip()):
            out.extend(_pysbd("en").segment(chunk))
        else:
            out.append(chunk)
    # a photo credit ("... 2024. /Xinhua") ends its caption: it is no sentence of its own
    for i in range(len(out) - 1, 0, -1):
        if _CREDIT_ONLY.match(out[i]) and out[i - 1] + out[i] in piece:
            out[i - 1 : i + 1] = [out[i - 1] + out[i]]
    return out


#: The longest passage the drafter suggests (code points). A longer run without sentence
#: punctuation (a table flattened to one line, a text with no full stops) is cut at its last
#: clause break before the bound (``，；、,;:`` or a space), or at the bound: the work of every
#: stage on one sentence is then bounded, and the whole run linear in the text's length.
MAX_SENTENCE = 1000
#: A line longer than this is cut into windows (at a sentence end when there is one in the
#: window's second half) before the segmenter sees it.
MAX_WINDOW = 20000
_CUT_AT = (
    re.compile(r"[。！？!?；;]+[”’」』）)]*|[.](?=\s)"),
    re.compile(r"[，,、：:]"),
    re.compile(r"\s+"),
)


def bounded_spans(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut into consecutive spans of at most ``limit`` code points.

    Each cut is at the last sentence end in the second half of the window, else its last clause
    break, else its last space, else at the bound; one pass per window, so linear overall.
    """
    out: list[tuple[int, int]] = []
    a = start
    while end - a > limit:
        lo, hi = a + limit // 2, a + limit
        cut = hi
        for pattern in _CUT_AT:
            last = None
            for last in pattern.finditer(text, lo, hi):  # noqa: B007 - the last one is wanted
                pass
            if last is not None:
                cut = last.end()
                break
        out.append((a, cut))
        a = cut
    out.append((a, end))
    return out


def split_sentences(text: str, lang: str) -> list[Sentence]:
    """The sentences of ``text`` at exact offsets (whitespace and Markdown markers left out).

    No sentence is longer than :data:`MAX_SENTENCE` code points (:func:`bounded_spans`).
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        prefix = _MD_PREFIX.match(line)
        body_start = prefix.end() if prefix else 0
        for wa, wb in bounded_spans(line, body_start, len(line), MAX_WINDOW):
            body = line[wa:wb]
            if lang == "zh":
                pieces = [m.group() for m in _ZH_END.finditer(body) if m.group()]
            else:
                pieces = _split_en(body)
            cursor = 0
            for piece in pieces:
                s = piece.strip()
                if not s:
                    cursor += len(piece)
                    continue
                found = body.find(s, cursor)
                if found < 0:  # pragma: no cover - a segmenter that changed the text
                    continue
                cursor = found + len(s)
                a, b = line_start + wa + found, line_start + wa + cursor
                if b - a <= MAX_SENTENCE:
                    spans.append((a, b))
                    continue
                for ca, cb in bounded_spans(text, a, b, MAX_SENTENCE):
                    chunk = text[ca:cb]
                    lead = len(chunk) - len(chunk.lstrip())
                    trail = len(chunk) - len(chunk.rstrip())
                    if cb - trail > ca + lead:
                        spans.append((ca + lead, cb - trail))
    width = max(3, len(str(len(spans))))
    occurrences = _occurrences(text, [text[a:b] for a, b in spans])
    out: list[Sentence] = []
    for n, (a, b) in enumerate(spans, 1):
        quote = text[a:b]
        starts = occurrences.get(quote)
        occurrence = None
        if starts is not None and len(starts) > 1:
            occurrence = bisect.bisect_left(starts, a) + 1
        out.append(Sentence(f"s{n:0{width}d}", a, b, quote, occurrence))
    return out


def _occurrences(text: str, quotes: Sequence[str]) -> dict[str, list[int]]:
    """Where each quote occurring more than once occurs (non-overlapping, as the compiler counts).

    One Aho-Corasick pass over the text finds the quotes' first :data:`_PREFIX` characters (a
    small automaton however long the text); each hit is then checked against the quotes that
    begin so.
    """
    import ahocorasick

    distinct = sorted(set(quotes))
    if not distinct:
        return {}
    by_prefix: dict[str, list[str]] = {}
    for q in distinct:
        by_prefix.setdefault(q[:_PREFIX], []).append(q)
    auto = ahocorasick.Automaton()
    for p in by_prefix:
        auto.add_word(p, p)
    auto.make_automaton()
    found: dict[str, list[int]] = {}
    # a prefix ends at most a few times at one offset, so the hits are linear in the text; a
    # hit that overlaps the quote's last occurrence is skipped before it is compared (a text
    # repeating itself with a short period, "1% 1% ...", would otherwise compare every quote at
    # every offset)
    for end, p in auto.iter(text):
        start = end - len(p) + 1
        for q in by_prefix[p]:
            starts = found.get(q)
            if starts and starts[-1] + len(q) > start:
                continue
            if text.startswith(q, start):
                if starts is None:
                    found[q] = [start]
                else:
                    starts.append(start)
    return {q: st for q, st in found.items() if len(st) > 1}


#: how many first characters of each quote the automaton of :func:`_occurrences` holds
_PREFIX = 24


def _occurrences_by_find(text: str, distinct: Sequence[str]) -> dict[str, list[int]]:
    """The same, quote by quote (``str.find``): the reference the tests compare with."""
    found: dict[str, list[int]] = {}
    for q in distinct:
        starts: list[int] = []
        at = text.find(q)
        while at >= 0:
            starts.append(at)
            at = text.find(q, at + len(q))
        if len(starts) > 1:
            found[q] = starts
    return found


# -- suggestions ----------------------------------------------------------------------------------
