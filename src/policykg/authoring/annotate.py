"""``policykg annotate``: from a new policy text to a draft authoring source with exact evidence.

The annotator reads a UTF-8 plain-text or Markdown file and suggests, for a curator to review:

- **passages**: the sentences (pysbd for English, ``。！？；`` and line ends for Chinese), each a
  verbatim quote with its code-point offsets;
- **mentions** of known terms (:mod:`policykg.authoring.lexicon`), longest first;
- **figures** with unit, qualifier and period (:mod:`policykg.authoring.figures`);
- **enumerations** (``such as A, B and C``, ``包括A、B和C``) as examples of their head term;
- **provisions** from modality cues (:mod:`policykg.authoring.modality`): the modality, the cue,
  the addressee when an actor is the subject before the cue (never guessed: ``They should`` names
  no one), the action after it and the condition of an ``if`` clause;
- **new term candidates**: recurring phrases that are not in the lexicon, with their counts.

Everything is written in the authoring format (``docs/DESIGN.md``) with ``status: proposed`` on
every suggestion; the compiler refuses a source that still holds one
(:mod:`policykg.authoring.status`). The output is deterministic: the same text, options and graph
give the same draft, byte for byte.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import gc
import hashlib
import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from policykg.authoring.figures import Figure, Period, find_figures, find_periods
from policykg.authoring.lexicon import (
    MATCHES,
    Lexicon,
    Mention,
    Normalised,
    acronyms,
    coordinated,
    coordinated_zh,
)
from policykg.authoring.modality import Cue, find_cues
from policykg.core.errors import AuthoringError, ParseError
from policykg.rdf.terms import local_name

__all__ = [
    "MAX_TEXT_BYTES",
    "Annotation",
    "Enumeration",
    "FigureSuggestion",
    "ProvisionSuggestion",
    "Ref",
    "Sentence",
    "annotate_text",
    "detect_language",
    "draft_yaml",
    "quote_digest",
    "read_text",
    "split_sentences",
    "update_draft",
]

#: The largest text the annotator reads (10 MiB); larger files are refused before being read.
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
_LAST_WORD = re.compile(r"[A-Za-z]+(?=[.!?]$)")
_INNER_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+\S")
#: a photo credit closing a caption: "/Xinhua", "/ CFP", "(Photo: Xinhua)", "（新华社记者 X 摄）"
_CREDIT = re.compile(
    r"(?:/\s?[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3}"
    r"|\((?:Photo|Photograph|Picture)s?(?: by)?:? [^()]{1,60}\)"
    r"|（[^（）]{0,30}摄）|/\s?[\u4e00-\u9fff]{2,8})\s*$"
)
_CREDIT_ONLY = re.compile(r"\s*/\s?[A-Z][\w&.-]*(?: [A-Z][\w&.-]*){0,3}\s*$")
_CAPTION_START = re.compile(r"^(?:(?:Photo|Photograph|Picture)s?\s*:|图为|图：)")
_ZH_END = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|$)")
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


def _split_en(piece: str) -> list[str]:
    """Split one line of English; pysbd decides only where a period could be an abbreviation."""
    chunks: list[str] = []
    last = 0
    abbrev = _abbreviations()
    for m in _SAFE_BREAK.finditer(piece):
        word = _LAST_WORD.findall(piece, last, m.start())
        if word and word[-1].lower() in abbrev:
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


def split_sentences(text: str, lang: str) -> list[Sentence]:
    """The sentences of ``text`` at exact offsets (whitespace and Markdown markers left out)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        prefix = _MD_PREFIX.match(line)
        body_start = prefix.end() if prefix else 0
        body = line[body_start:]
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
            spans.append((line_start + body_start + found, line_start + body_start + cursor))
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

    One Aho-Corasick pass over the text finds every quote.
    """
    import ahocorasick

    distinct = sorted(set(quotes))
    if not distinct:
        return {}
    auto = ahocorasick.Automaton()
    for q in distinct:
        auto.add_word(q, q)
    auto.make_automaton()
    found: dict[str, list[int]] = {}
    for end, q in auto.iter(text):
        starts = found.setdefault(q, [])
        start = end - len(q) + 1
        if not starts or starts[-1] + len(q) <= start:
            starts.append(start)
    return {q: st for q, st in found.items() if len(st) > 1}


# -- suggestions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """An entity a suggestion names: a known one (``known``) or a new one the draft declares.

    Attributes:
        id: the entity id in the draft (a known entity's local name, or a new slug).
        label: its English label (a new entity's words from the text).
        start: offset of the words that name it (``end`` exclusive); -1 when none.
        known: a graph entity (its declaration is copied from the graph).
        types: class local names.
        zh: the Chinese label of a new entity named in Chinese.
    """

    id: str
    label: str
    start: int
    end: int
    known: bool
    types: tuple[str, ...]
    zh: str | None = None


@dataclass(frozen=True)
class FigureSuggestion:
    """A figure of a passage with its period and what it measures."""

    passage: str
    subject: str
    figure: Figure
    period: Period | None
    growth: bool
    observation_of: Ref | None
    measure: str | None


@dataclass(frozen=True)
class ProvisionSuggestion:
    """A provision suggested from a modality cue."""

    passage: str
    modality: str
    cue: Cue
    addressee: Ref | None
    action: tuple[Ref, ...]
    condition: tuple[Ref, ...]
    #: every actor addressed (``A, B and C must``); ``addressee`` is the first
    addressees: tuple[Ref, ...] = ()
    #: how ("by ramping up ...", 通过...) and what for ("thereby ...", 从而...)
    means: tuple[Ref, ...] = ()
    purpose: tuple[Ref, ...] = ()
    #: who states it, when the text reports another speaker ("Xi Jinping stressed that ...");
    #: ``None``: the document's author (the compiler's default)
    stated_by: Ref | None = None


@dataclass(frozen=True)
class Enumeration:
    """``head such as A, B and C``: each item an example of the head."""

    passage: str
    start: int
    end: int
    cue: str
    head: Ref
    items: tuple[Ref, ...]


@dataclass
class Annotation:
    """Everything the annotator suggests for one text."""

    text: str
    lang: str
    date: _dt.date | None
    lexicon: str
    sentences: list[Sentence]
    mentions: list[Mention]
    figures: list[FigureSuggestion] = field(default_factory=list)
    provisions: list[ProvisionSuggestion] = field(default_factory=list)
    enumerations: list[Enumeration] = field(default_factory=list)
    candidates: list[tuple[str, int, list[tuple[int, int]]]] = field(default_factory=list)
    labels: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    #: every modality and condition cue of the text
    cues: list[Cue] = field(default_factory=list)
    #: mentions of known entities inside a longer mention (evidence, not highlighted)
    nested: list[Mention] = field(default_factory=list)
    #: near mentions: every content word of a label close together, a photograph's caption, a
    #: pronoun's antecedent (evidence, to review; each says how it was found: ``match``)
    near: list[Mention] = field(default_factory=list)
    #: new entities suggested as evidence at an offset, with how they were found: a photograph
    #: from its caption, the author from a byline
    extra: list[tuple[int, Ref, str]] = field(default_factory=list)
    #: the document's author, from a byline or an author's note (``None``: none found); the
    #: draft states it as a fact of the passage that names the author
    author: Ref | None = None
    _starts: dict[int, tuple[Any, list[int]]] = field(default_factory=dict, repr=False)

    def in_sentence(self, items: Sequence[Any], sentence: Sentence) -> list[Any]:
        """The items (with ``start``, sorted by it) that lie in ``sentence``."""
        key = id(items)
        cached = self._starts.get(key)
        if cached is None or cached[0] is not items or len(cached[1]) != len(items):
            cached = self._starts[key] = (items, [i.start for i in items])
        starts = cached[1]
        lo = bisect.bisect_left(starts, sentence.start)
        hi = bisect.bisect_left(starts, sentence.end)
        return list(items[lo:hi])


def _slug(words: str, *, limit: int = 6) -> str:
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_words.lower())[:limit]
    return "-".join(parts)


_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "from",
        "at",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "their",
        "his",
        "her",
        "our",
        "we",
        "they",
        "he",
        "she",
        "them",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "than",
        "then",
        "so",
        "such",
        "also",
        "has",
        "have",
        "had",
        "not",
        "but",
        "into",
        "through",
        "over",
        "under",
        "about",
        "between",
        "among",
        "more",
        "most",
        "very",
        "can",
        "could",
        "will",
        "would",
        "should",
        "must",
        "may",
        "might",
        "shall",
        "do",
        "does",
        "did",
        "up",
        "out",
        "new",
        "all",
        "any",
        "each",
        "other",
        "some",
        "both",
        "many",
        "much",
        "one",
        "two",
        "three",
        "own",
        "same",
        "there",
        "here",
        "how",
        "why",
        "if",
        "because",
        "per",
        "via",
        "s",
    ]
)
_REPORTING = {
    "en": re.compile(
        r"\s*,?\s*(?:\w+\s+){0,2}?(?:said|says|stressed|stresses|noted|notes|emphasized|"
        r"emphasised|underscored|pointed out|urged|added|told|remarked|declared)\b"
    ),
    "zh": re.compile(r"[\u4e00-\u9fff]{0,4}?(?:强调|指出|表示|说|要求|提出)"),
}
_COORD = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|、|和|及|与|以及|，)\s*")
_MEANS = {
    "en": re.compile(r"\bby\s+(?P<what>[a-z]+ing\b)"),
    "zh": re.compile(r"通过(?P<what>[^，,；;。！？]{2,30})(?=[，,])"),
}
_PURPOSE = {
    "en": re.compile(r",?\s*\b(?:thereby|so as to|in order to|so that)\s+(?P<what>\w)"),
    "zh": re.compile(r"[，,]?(?:从而|以便|进而)(?P<what>[^，,；;。！？]{2,30})"),
}
#: Words between a preposition and its noun ("on other countries", "for all the firms").
_MODIFIERS = frozenset(
    [
        "a",
        "an",
        "the",
        "other",
        "all",
        "some",
        "many",
        "more",
        "most",
        "these",
        "those",
        "this",
        "that",
        "its",
        "their",
        "our",
        "his",
        "her",
        "such",
        "each",
        "every",
        "any",
        "several",
        "new",
        "key",
    ]
)
#: A passive after an English cue: "(must) be avoided", "(should) be further strengthened".
_PASSIVE = re.compile(r"\s*(?:be|been)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|lt|ne)\s*(?=[,;:.!?]|$)")
_PREPOSITIONS = frozenset(
    [
        "of",
        "in",
        "for",
        "by",
        "to",
        "from",
        "with",
        "among",
        "at",
        "on",
        "under",
        "through",
        "between",
        "into",
        "across",
        "within",
        "toward",
        "towards",
        "upon",
        "against",
        "without",
        "beyond",
        "during",
        "throughout",
        "despite",
    ]
)


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# -- term candidates: what is too generic to be a term --------------------------------------------

#: heads that make no term of their own ("recent years", "strong momentum", "designated size")
_GENERIC_HEADS = _wordset(
    "year years month months time times way ways part parts level levels kind kinds lot "
    "momentum progress effort efforts size terms fact course side sides place places "
    "pace number numbers area areas aspect aspects thing things"
)
#: modifiers that make no term of their own ("greater strength", "recent years")
_GENERIC_MODIFIERS = _wordset(
    "recent strong greater great further major various different same certain steady rapid "
    "particular overall whole entire full good better best high higher low lower types type "
    "kinds kind forms lots number range series variety array"
)
#: the function words a term may hold inside ("science and technology", "types of cost")
_INNER_WORDS = frozenset(["of", "and", "for", "in", "on", "to", "the", "with", "a", "an"])
_ADJECTIVE_END = re.compile(r"(?:al|ic|ive|ous|ful|less|able|ible)$")
_NOT_ADJECTIVES = frozenset(["capital", "potential", "principal", "arrival", "approval"])
#: function words, cues, trend and other generic verbs, and adverbs: no part of a Chinese term
_ZH_GENERIC = _wordset(
    "的 了 和 与 及 以及 或 在 对 为 是 将 要 应 应当 必须 可以 "
    "能够 需要 如果 包括 例如 比如 同比 环比 增长 提高 下降 增加 减少 "
    "上升 达到 得到 实现 推动 推进 加快 加大 加强 促进 积极 充分 大幅 "
    "进一步 持续 不断 继续 全面 已经 正在 通过 从而 以便 进而 其中 这些 "
    "这个 我们 他们 各地 今年 去年 上半年 下半年 数据 发展 建设 参与 "
    "利用 带头 突破 培育 投入 "
)
_ZH_NUMBER = re.compile(r"[\d%％.．]|百分之|^[零〇一二两三四五六七八九十百千万亿点]+$")


def _en_specific(phrase: str) -> bool:
    """Whether an English phrase is specific enough to be a term candidate.

    A term is a noun phrase: it does not end in an adjective (``economic and social``,
    ``wave of scientific``), nor in a generic head (``recent years``, ``designated size``), nor
    begin with a generic modifier (``greater strength in science``).
    """
    words = phrase.lower().split()
    last, first = words[-1], words[0]
    if last in _GENERIC_HEADS or first in _GENERIC_MODIFIERS:
        return False
    if first in _PREPOSITIONS or last in _PREPOSITIONS:
        return False  # "progress toward"
    if any(w in _STOP and w not in _INNER_WORDS for w in words[1:-1]):
        return False  # a verb or a pronoun inside: "China has made"
    return not (_ADJECTIVE_END.search(last) and last not in _NOT_ADJECTIVES)


def _zh_specific(word: str) -> bool:
    """Whether a Chinese word may be part of a term candidate (not generic, not a number)."""
    return word not in _ZH_GENERIC and not _ZH_NUMBER.search(word)


class _Annotator:
    def __init__(self, text: str, lang: str, date: _dt.date | None, lexicon: Lexicon) -> None:
        self.text = text
        self.lang = lang
        self.date = date
        self.lexicon = lexicon
        self.new: dict[str, Ref] = {}
        self.tokens: list[tuple[int, int]] | None = None
        self._masked: str | None = None
        self.pref: dict[str, str] = {}
        for t in lexicon.terms:
            if t.kind == "entity" and t.preferred and t.lang == "en":
                self.pref.setdefault(t.iri, t.label)

    # refs --------------------------------------------------------------------------------------
    def ref_of(self, m: Mention) -> Ref:
        if m.term.kind == "entity":
            iri = m.term.iri
            return Ref(
                local_name(iri),
                self.pref.get(iri, m.term.label),
                m.start,
                m.end,
                True,
                m.term.types,
            )
        cls_name = local_name(m.term.iri)
        return self.new_ref(m.surface, m.start, m.end, (cls_name,))

    def new_ref(
        self, words: str, start: int, end: int, types: tuple[str, ...], prefix: str = ""
    ) -> Ref:
        words = " ".join(words.split())
        han = any("\u4e00" <= c <= "\u9fff" for c in words)
        slug = _slug(words)
        if han or not slug:
            digest = hashlib.sha1(words.encode()).hexdigest()[:8]
            slug = f"{prefix or 'term'}-{digest}"
        elif prefix:
            slug = f"{prefix}-{slug}"
        existing = self.new.get(slug)
        if existing is not None:
            return Ref(existing.id, existing.label, start, end, False, existing.types, existing.zh)
        ref = Ref(slug, words, start, end, False, types, words if han else None)
        self.new[slug] = ref
        return ref

    # figures -----------------------------------------------------------------------------------
    def figures(self, sent: Sentence, mentions: list[Mention]) -> list[FigureSuggestion]:
        q = sent.quote
        figs = find_figures(q, self.lang)
        if not figs:
            return []
        periods = [p for p in find_periods(q, self.lang, self.date) if p.label != "同比"]
        out: list[FigureSuggestion] = []
        for n, f in enumerate(figs, 1):
            counted_at = f.counted_at + sent.start if f.counted_at >= 0 else -1
            fig = Figure(
                f.start + sent.start,
                f.end + sent.start,
                f.value,
                f.unit,
                f.qualifier,
                f.words,
                f.counted,
                f.group,
                counted_at,
            )
            period = None
            if periods:
                best = min(periods, key=lambda p: min(abs(p.start - f.end), abs(f.start - p.end)))
                period = Period(
                    best.start + sent.start, best.end + sent.start, best.label, best.iso
                )
            before = q[max(0, f.start - 40) : f.start].lower()
            growth = bool(
                re.search(r"increas|grew|grow|growth|rose|rise|up by|增长|提高|上升", before)
            )
            measure = None
            if self.lang == "en":
                noun = re.findall(r"\bthe ((?:[\w-]+ ){0,2}[\w-]+) of\b", q[: f.start])
                if f.unit == "rank":
                    measure = "rank"
                elif growth:
                    measure = f"growth of {noun[-1]}" if noun else "growth"
                elif noun:
                    measure = noun[-1]
            if self.lang == "zh":
                m = re.search(r"(同比|环比)?(增长|下降|提高|增加|减少)$", q[: f.start].rstrip("了"))
                if m:
                    measure = m.group()
            target = None
            if f.unit == "count" and f.counted:
                # what is counted is the observation's subject: the term the count names
                measure = (
                    f"{f.group}中的{f.counted}数量"
                    if self.lang == "zh"
                    else f"number of {f.counted} among the {f.group}"
                )
                c_end = counted_at + len(f.counted)
                inside = [m for m in mentions if counted_at <= m.start and m.end <= c_end]
                if inside:
                    target = self.ref_of(inside[-1])
            else:
                for men in mentions:
                    if men.end <= fig.start and not men.term.actor:
                        target = self.ref_of(men)
            out.append(
                FigureSuggestion(
                    sent.id, f"obs-{sent.id}-{n}", fig, period, growth, target, measure
                )
            )
        return out

    # enumerations ------------------------------------------------------------------------------
    def enumerations(self, sent: Sentence, mentions: list[Mention]) -> list[Enumeration]:
        q = sent.quote
        pat = (
            r"(包括|例如|比如|如)"
            if self.lang == "zh"
            else r"\b(such as|including|for example|e\.g\.,?)\s+"
        )
        out: list[Enumeration] = []
        for m in re.finditer(pat, q):
            cue_start, list_start = m.start() + sent.start, m.end() + sent.start
            head: Ref | None = None
            for men in mentions:
                if men.end <= cue_start and cue_start - men.end <= 3:
                    head = self.ref_of(men)
            if head is None:
                head = self._head_phrase(q[: m.start()], sent.start)
            if head is None:
                continue
            stop = re.search(
                r"[;:()（）；：。]|(?<=\w)\.\s*$|\.$|,\s*(?:thereby|which|while|so that|so as|"
                r"in order|to\s|that\s|where|when)|，(?:从而|以|进而)",
                q[m.end() :],
            )
            list_end = m.end() + (stop.start() if stop else len(q) - m.end())
            region_end = list_end + sent.start
            items = self._items(list_start, region_end, mentions)
            if self.lang == "zh":
                items = [i for i in items if i.id != head.id]
            if len(items) >= 1:
                out.append(
                    Enumeration(sent.id, cue_start, region_end, m.group(1), head, tuple(items))
                )
        return out

    def _head_phrase(self, before: str, base: int) -> Ref | None:
        if self.lang == "zh":
            m = re.search(r"([\u4e00-\u9fff]{2,8})[，,]?$", before)
            if not m:
                return None
            return self.new_ref(m.group(1), base + m.start(1), base + m.end(1), ("Concept",))
        words = list(re.finditer(r"[A-Za-z][\w'-]*", before))
        picked: list[re.Match[str]] = []
        for w in reversed(words[-4:]):
            if w.group().lower() in _STOP:
                break
            picked.insert(0, w)
        if not picked or before[picked[-1].end() :].strip(" ,") != "":
            return None
        start, end = picked[0].start(), picked[-1].end()
        return self.new_ref(before[start:end], base + start, base + end, ("Concept",))

    def _items(self, start: int, end: int, mentions: list[Mention]) -> list[Ref]:
        text = self.text
        region = text[start:end]
        sep = (
            r"、|，|,|和|及|以及|与|等"
            if self.lang == "zh"
            else r",\s*(?:and|or)\s+|,\s*|\s+(?:and|or)\s+"
        )
        pieces: list[tuple[int, int]] = []
        pos = 0
        for m in re.finditer(sep, region):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, len(region)))
        out: list[Ref] = []
        used: set[int] = set()
        for a, b in pieces:
            a_abs, b_abs = start + a, start + b
            piece = text[a_abs:b_abs].strip()
            if not piece:
                continue
            overlap = [men for men in mentions if men.start < b_abs and men.end > a_abs]
            cover = [men for men in overlap if id(men) not in used]
            if overlap and not cover:
                continue
            if cover:
                for men in cover:
                    used.add(id(men))
                    ref = self.ref_of(men)
                    if ref.id not in {r.id for r in out}:
                        out.append(ref)
                continue
            lead = len(text[a_abs:b_abs]) - len(text[a_abs:b_abs].lstrip())
            words = piece.rstrip(".。")
            if self.lang == "en" and len(words.split()) > 8:
                continue
            out.append(self.new_ref(words, a_abs + lead, a_abs + lead + len(words), ("Concept",)))
        return out

    # provisions --------------------------------------------------------------------------------
    def provisions(
        self, sent: Sentence, mentions: list[Mention], cues: list[Cue]
    ) -> list[ProvisionSuggestion]:
        if not cues:
            return []
        q_start = sent.start
        conds = [c for c in cues if c.modality == "condition"]
        modal = [c for c in cues if c.modality != "condition"]
        condition: tuple[Ref, ...] = ()
        for c in conds:
            clause_end = self._clause_end(c.end, sent.end)
            inside = [self.ref_of(m) for m in mentions if c.end <= m.start and m.end <= clause_end]
            if not inside:
                words = self.text[c.end : clause_end].strip(" ,，")
                if words:
                    lead = self.text.find(words, c.end)
                    inside = [
                        self.new_ref(words, lead, lead + len(words), ("Concept",), prefix="if")
                    ]
            condition += tuple(inside)
        out: list[ProvisionSuggestion] = []
        if not modal and conds:
            c = conds[0]
            out.append(ProvisionSuggestion(sent.id, "assertion", c, None, (), condition))
            return out
        for i, cue in enumerate(modal):
            prev_end = modal[i - 1].end if i else q_start
            next_start = modal[i + 1].start if i + 1 < len(modal) else sent.end
            group: list[Mention] = []
            if cue.modality not in ("necessity", "intention"):
                for m in mentions:
                    if not (prev_end <= m.start and m.end <= cue.start and m.term.actor):
                        continue
                    # actors joined by "," / "and" / "、" / "和" are addressed together (the
                    # second follows "和", which alone would not make it a subject)
                    joined = group and _COORD.fullmatch(self.text[group[-1].end : m.start])
                    if joined:
                        group = [*group, m]
                    elif self._subject_like(m, prev_end):
                        group = [m]
            passive = _PASSIVE.match(self.text, cue.end, next_start) if self.lang == "en" else None
            if passive:
                # "Overreliance on ... must be avoided": the passive names no agent, so nobody
                # is addressed, and what is asked concerns its subject (the words before the cue)
                group = []
            speaker = self._speaker(cue.start, mentions)
            # the person reported as saying it is not addressed by it
            addressees = tuple(
                r for r in (self.ref_of(m) for m in group) if speaker is None or r.id != speaker.id
            )
            addressee = addressees[0] if addressees else None
            means, means_at = self._role(_MEANS[self.lang], cue.end, next_start, mentions, "Task")
            purpose, purpose_at = self._role(
                _PURPOSE[self.lang], cue.end, next_start, mentions, "Goal"
            )
            action_end = min(means_at, purpose_at)
            action_start = cue.end
            if means and self.text[cue.end : means_at].strip() == "" and self.lang == "zh":
                # 要通过X，Y: the means comes first, the action after its comma
                action_start = self._clause_end(means_at, next_start) + 1
                action_end = purpose_at
            action = [
                self.ref_of(m)
                for m in mentions
                if action_start <= m.start
                and m.end <= action_end
                and not m.term.actor
                and not self._in_condition(m, conds, sent.end)
            ]
            phrase = self._action_phrase(action_start, action_end)
            if passive:
                subject = self._passive_subject(prev_end, cue.start)
                action = (
                    [subject]
                    if subject is not None
                    else [
                        self.ref_of(m)
                        for m in mentions
                        if prev_end <= m.start and m.end <= cue.start and not m.term.actor
                    ]
                )
                phrase = None
            # the mentions right after the cue are the action ("should focus on X, Y"); a verb
            # phrase before them is the action itself ("must strengthen research in X")
            before = self.text[action_start : action[0].start] if action else ""
            if phrase is not None and (
                not action or (len(before.split()) > 3 if self.lang == "en" else len(before) > 2)
            ):
                action = [phrase]
            out.append(
                ProvisionSuggestion(
                    sent.id,
                    cue.modality,
                    cue,
                    addressee,
                    tuple(action),
                    condition,
                    addressees,
                    means,
                    purpose,
                    speaker,
                )
            )
        return out

    def _speaker(self, cue_at: int, mentions: list[Mention]) -> Ref | None:
        """The person the text reports as saying what the cue belongs to, if any.

        "General Secretary Xi Jinping stressed ... that ... must": a person's mention followed,
        before the cue, by a reporting verb (said, stressed, 强调, 指出, ...).
        """
        verbs = _REPORTING[self.lang]
        for m in mentions:
            if m.end > cue_at:
                break
            if "Person" not in m.term.types:
                continue
            window = self.text[m.end : min(cue_at, m.end + 60)]
            if verbs.match(window):
                return self.ref_of(m)
        return None

    def _clause_end(self, start: int, limit: int) -> int:
        m = re.compile(r"[,;:，；：。]").search(self.text, start, limit)
        return m.start() if m else limit

    def _in_condition(self, m: Mention, conds: list[Cue], limit: int) -> bool:
        return any(c.end <= m.start and m.end <= self._clause_end(c.end, limit) for c in conds)

    def _subject_like(self, m: Mention, floor: int) -> bool:
        if self.lang == "zh":
            before = self.text[max(floor, m.start - 1) : m.start]
            return before not in ("对", "在", "为", "向", "给", "与", "和")
        words = [w.lower() for w in self.text[max(floor, m.start - 40) : m.start].split()]
        # "on other countries", "for the industry": a preposition before the noun's modifiers
        while words and words[-1] in _MODIFIERS:
            words.pop()
        return not words or words[-1] not in _PREPOSITIONS

    def _role(
        self, pattern: re.Pattern[str], start: int, limit: int, mentions: list[Mention], kind: str
    ) -> tuple[tuple[Ref, ...], int]:
        """The means ("by ...") or purpose ("thereby ...") after a cue, and where it begins."""
        m = pattern.search(self.text, start, limit)
        if not m:
            return (), limit
        a = m.start("what")
        if self.lang == "zh":
            b = m.end("what")
        else:
            stop = re.compile(r"[,;:.!?()]").search(self.text, a, limit)
            b = stop.start() if stop else limit
        inside = tuple(
            self.ref_of(x) for x in mentions if a <= x.start and x.end <= b and not x.term.actor
        )
        lead = self.text[a : inside[0].start] if inside else ""
        if inside and not lead.strip():  # the role is the term itself
            return inside, m.start()
        words = self.text[a:b].strip(" ,，")
        if not words or (self.lang == "en" and len(words.split()) > 14):
            return (), m.start()
        return (self.new_ref(words, a, a + len(words), (kind,), prefix=kind.lower()),), m.start()

    def _passive_subject(self, start: int, cue_at: int) -> Ref | None:
        """The subject of a passive provision (the clause before its cue), as a new task."""
        clause = self.text[start:cue_at]
        cut = max(clause.rfind(c) for c in ",;:")
        lead = start + cut + 1 if cut >= 0 else start
        words = self.text[lead:cue_at].split()
        if not words or len(words) > 20:
            return None
        phrase = " ".join(words)
        found = self.text.find(phrase, lead, cue_at)
        if found < 0:
            return None
        return self.new_ref(phrase, found, found + len(phrase), ("Task",))

    def _action_phrase(self, start: int, limit: int) -> Ref | None:
        text = self.text
        if self.lang == "zh":
            m = re.compile(r"[^，,；;。！？：:]{2,30}").match(text, start, limit)
            if not m:
                return None
            return self.new_ref(m.group(), m.start(), m.end(), ("Task",), prefix="action")
        m = re.compile(r"\s*(?:(?:also|further|continue to|be|to|not)\s+)*").match(text, start)
        pos = m.end() if m else start
        stop = re.compile(r"[,;:.!?()\"“”]|\s(?:and|while|but|which|that)\s").search(
            text, pos, limit
        )
        end = stop.start() if stop else limit
        words = text[pos:end].split()[:12]
        if not words:
            return None
        phrase = " ".join(words)
        found = text.find(phrase, pos, end + 1)
        if found < 0:
            found = pos
        return self.new_ref(phrase, found, found + len(phrase), ("Task",))

    # candidates --------------------------------------------------------------------------------
    def masked(self, mentions: list[Mention]) -> str:
        """The text with every mention blanked out (line ends), offsets kept (once per text)."""
        if self._masked is None:
            text = self.text
            pieces: list[str] = []
            pos = 0
            for m in mentions:
                pieces.append(text[pos : m.start])
                pieces.append("\n" * (m.end - m.start))
                pos = m.end
            pieces.append(text[pos:])
            self._masked = "".join(pieces)
        return self._masked

    def candidates(self, mentions: list[Mention]) -> list[tuple[str, int, list[tuple[int, int]]]]:
        text = self.text
        # mentions are cut out first, so that no phrase counted overlaps a known term
        masked = self.masked(mentions)
        counts: Counter[str] = Counter()
        if self.lang == "zh":
            # a term is one word of three characters or more, or two words of two or more that
            # are adjacent; none of them a function word, a cue, a trend verb or a number
            toks = [(a, masked[a:b]) for a, b in self._zh_tokens(mentions) if masked[a] >= "\u4e00"]
            ok = {w: _zh_specific(w) for w in {w for _a, w in toks}}
            counts.update(w for _a, w in toks if 3 <= len(w) <= 8 and ok[w])
            counts.update(
                x + y
                for (a, x), (b, y) in itertools.pairwise(toks)
                if a + len(x) == b
                and len(x) >= 2
                and len(y) >= 2
                and len(x) + len(y) <= 8
                and ok[x]
                and ok[y]
            )
        else:
            stop = _STOP
            for run in re.findall(r"(?<![0-9A-Za-z])[A-Za-z][A-Za-z -]*[A-Za-z]", masked):
                words = run.lower().split()
                k = len(words)
                if k < 2:
                    continue
                for n in (2, 3, 4):
                    for i in range(k - n + 1):
                        if words[i] in stop or words[i + n - 1] in stop:
                            continue
                        counts[" ".join(words[i : i + n])] += 1
        ranked = sorted(
            (
                (key, n)
                for key, n in counts.items()
                if n >= 2
                and (self.lang == "zh" or _en_specific(key))
                and not self.lexicon.known(key)
            ),
            key=lambda c: (-c[1], -len(c[0]), c[0]),
        )
        # a shorter phrase that always occurs inside a longer candidate is not a term of its own
        kept: list[tuple[str, int]] = []
        for key, n in ranked:
            if any(key in k and n <= kn for k, kn in kept):
                continue
            kept.append((key, n))
            if len(kept) == 30:
                break
        out: list[tuple[str, int, list[tuple[int, int]]]] = []
        if not kept:
            return out
        import ahocorasick

        lowered = masked.lower() if self.lang == "en" and masked.isascii() else masked
        auto = ahocorasick.Automaton()
        for key, _n in kept:
            auto.add_word(key, key)
        auto.make_automaton()
        spans: dict[str, list[tuple[int, int]]] = {}
        for end, key in auto.iter(lowered):
            a = end - len(key) + 1
            if self.lang == "en" and (
                (a > 0 and lowered[a - 1].isalpha())
                or (end + 1 < len(lowered) and lowered[end + 1].isalpha())
            ):
                continue
            spans.setdefault(key, []).append((a, end + 1))
        for key, n in kept:
            where = spans.get(key)
            if not where:
                continue
            first = text[where[0][0] : where[0][1]]
            out.append((first if self.lang == "en" else key, n, where))
        return out

    def _zh_tokens(self, mentions: list[Mention]) -> list[tuple[int, int]]:
        """The words of the text outside its mentions (jieba, without its HMM: deterministic).

        Only what is not already a known term is segmented (a mention is a word of its own), so
        the segmenter sees less text; whitespace and punctuation are no tokens.
        """
        if self.tokens is None:
            import jieba

            jieba.setLogLevel(60)
            masked = self.masked(mentions)
            # the segmenter sees the runs between blanked mentions joined by one line end (a
            # block boundary for it, as the blanks were): the same words, fewer tokens to skip
            spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", masked)]
            compact = "\n".join(masked[a:b] for a, b in spans)
            tokens: list[tuple[int, int]] = []
            i, base, shift = 0, 0, 0  # span index, its start in compact, original - compact
            if spans:
                shift = spans[0][0]
            for w, a, b in jieba.tokenize(compact, HMM=False):
                if not "\u4e00" <= w[0] <= "\u9fff":
                    continue
                while a >= base + (spans[i][1] - spans[i][0]) + 1:
                    base += spans[i][1] - spans[i][0] + 1
                    i += 1
                    shift = spans[i][0] - base
                tokens.append((a + shift, b + shift))
            self.tokens = tokens
        return self.tokens


@_without_gc
def annotate_text(
    text: str,
    lexicon: Lexicon,
    *,
    lang: str = "auto",
    date: _dt.date | None = None,
) -> Annotation:
    """Annotate ``text`` with ``lexicon``; return every suggestion (nothing is written).

    Args:
        text: the document's text (offsets index it as code points).
        lexicon: the known terms (:meth:`Lexicon.from_kg`).
        lang: ``en``, ``zh`` or ``auto`` (:func:`detect_language`).
        date: the reference date that resolves relative periods (``this year``); ``None`` keeps
            the document's words only.
    """
    if lang == "auto":
        lang = detect_language(text)
    if lang not in ("en", "zh"):
        raise ParseError(f"unknown language {lang!r} (en, zh or auto)")
    ann = _Annotator(text, lang, date, lexicon)
    sentences = split_sentences(text, lang)
    norm = Normalised.of(text)
    mentions, nested = lexicon.match_all(text, norm)
    tokens = ann._zh_tokens(mentions) if lang == "zh" else None
    cues = find_cues(text, lang, tokens)
    cue_starts = [c.start for c in cues]
    ann_cues = cues
    result = Annotation(text, lang, date, lexicon.source, sentences, mentions)
    result.nested = [m for m in nested if m.term.kind == "entity"]
    result.cues = list(ann_cues)
    if lang == "en":
        fuzzy = lexicon.fuzzy() if lexicon.source == "graph" else None
        words = fuzzy.words(text) if fuzzy is not None else []
        word_starts = [w[0] for w in words]
        near: list[Mention] = []
        for sent in sentences:
            in_sent = result.in_sentence(mentions, sent)
            have = {m.term.iri for m in in_sent}
            have |= {m.term.iri for m in result.in_sentence(result.nested, sent)}
            q = sent.quote
            if " and " in q or " or " in q:
                for m in coordinated(lexicon, text, sent.start, sent.end):
                    if m.term.iri not in have:
                        near.append(m)
                        have.add(m.term.iri)
            lo = bisect.bisect_left(word_starts, sent.start)
            hi = bisect.bisect_left(word_starts, sent.end)
            if fuzzy is None or hi - lo < 2:
                continue
            exact = [(m.start, m.end) for m in in_sent]
            found = fuzzy.near(text, words[lo:hi], exact=exact)
            near += [m for m in found if m.term.iri not in have]
        near += acronyms(text, mentions) if "(" in text else []
        result.near = sorted(near, key=lambda m: (m.start, m.term.iri))
    elif lang == "zh":
        near = []
        for sent in sentences:
            if not any(j in sent.quote for j in "、和及与"):
                continue
            have = {m.term.iri for m in result.in_sentence(mentions, sent)}
            have |= {m.term.iri for m in result.in_sentence(result.nested, sent)}
            for m in coordinated_zh(lexicon, text, sent.start, sent.end):
                if m.term.iri not in have:
                    near.append(m)
                    have.add(m.term.iri)
        result.near = sorted(near, key=lambda m: (m.start, m.term.iri))
    captions = [s for s in sentences if _is_caption(s.quote)]
    if captions:
        result.near = sorted(
            [*result.near, *_caption_evidence(ann, result, captions, lexicon)],
            key=lambda m: (m.start, m.term.iri),
        )
    result.near = sorted(
        [
            *result.near,
            *(
                _anaphora(text, sentences, result)
                if lang == "en"
                else _zh_anaphora(sentences, result)
            ),
        ],
        key=lambda m: (m.start, m.term.iri),
    )
    result.author = _author(ann, result)
    result.extra.sort(key=lambda e: (e[0], e[1].id))
    for sent in sentences:
        ms = result.in_sentence(mentions, sent)
        lo = bisect.bisect_left(cue_starts, sent.start)
        hi = bisect.bisect_left(cue_starts, sent.end)
        result.figures += ann.figures(sent, ms)
        result.enumerations += ann.enumerations(sent, ms)
        result.provisions += ann.provisions(sent, ms, [c for c in cues[lo:hi] if c.end <= sent.end])
    result.candidates = ann.candidates(mentions)
    for m in [*mentions, *result.nested, *result.near]:
        if m.term.kind == "entity":
            result.labels.setdefault(
                local_name(m.term.iri), (ann.pref.get(m.term.iri, m.term.label), m.term.types)
            )
    return result


# -- evidence beyond the words: captions, pronouns, the author ----------------------------------


def _is_caption(quote: str) -> bool:
    """A photograph's caption: it ends with a photo credit or begins with ``Photo:`` / ``图为``."""
    tail = quote[-80:]
    if "/" not in tail and "摄" not in tail and ")" not in tail:
        return bool(_CAPTION_START.match(quote))
    return bool(_CREDIT.search(tail) or _CAPTION_START.match(quote))


def _caption_evidence(
    ann: _Annotator, result: Annotation, captions: list[Sentence], lexicon: Lexicon
) -> list[Mention]:
    """The photograph each caption captions.

    A known photograph whose label the caption holds, else a new ``Photograph`` entity named
    after the caption's first words (``photo: ...``).
    """
    found: list[Mention] = []
    fuzzy = lexicon.fuzzy() if ann.lang == "en" and lexicon.source == "graph" else None
    for sent in captions:
        hits: list[Mention] = []
        if fuzzy is not None:
            words = fuzzy.words(sent.quote)
            hits = [
                Mention(m.start + sent.start, m.end + sent.start, m.surface, m.term, m.match)
                for m in fuzzy.near(sent.quote, words, caption=True)
                if m.match == "caption"
            ]
        if hits:
            found += hits
            continue
        body = _CAPTION_START.sub("", _CREDIT.sub("", sent.quote)).strip()
        first = re.split(r"[,，。;；(（]|\s[-–—]\s", body, maxsplit=1)[0].strip(" .")
        if not first:
            continue
        parts = first.split(" ")
        if ann.lang == "en" and parts[0].lower() in ("a", "an", "the"):
            parts[0] = parts[0].lower()
        label = ("photo: " if ann.lang == "en" else "照片：") + " ".join(parts[:12])
        at = sent.quote.find(first) + sent.start
        prefix = "photo" if ann.lang == "zh" else ""  # an English label begins "photo:"
        ref = ann.new_ref(label, at, at + len(first), ("Photograph",), prefix=prefix)
        result.extra.append((at, ref, "caption"))
    return found


_PRONOUN = re.compile(
    r"(?:[A-Z][^,;:\n]{0,40}?,\s+)?(?P<pro>They|It|This|These|Those|they|this|these|those)"
    r"(?=[\s,'’])(?:\s+(?P<noun>[a-z][\w-]*))?"
)
_OBJECT_PRONOUN = re.compile(r"[A-Z][^,;:\n]{0,40}?\b(?P<pro>this|that)\s*,")
_EXPLETIVE = re.compile(
    r"(?:'s|’s|\s+is|\s+was|\s+will be|\s+would be|\s+remains|\s+has been)\s+"
    r"(?:\w+\s+){0,2}?(?:to|that|for|whether)\b|\s+(?:means|seems|appears)\b"
)
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "our",
        "this",
        "these",
        "those",
        "all",
        "such",
        "both",
        "many",
        "several",
        "various",
    ]
)
_TRANSPARENT = frozenset(["number", "series", "range", "array", "variety", "host", "lot"])
_PRONOUN_VERBS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "can",
        "could",
        "should",
        "must",
        "may",
        "might",
        "has",
        "have",
        "had",
        "also",
        "calls",
        "means",
        "requires",
        "shows",
        "reflects",
        "helps",
        "makes",
        "marks",
        "represents",
        "remains",
        "provides",
        "embody",
        "embodies",
        "signify",
        "signifies",
    ]
)


_TAIL = re.compile(r"\s+(?:of|in|for|on|at|this|last|next|from)\s.*$", re.S)


def _plural(words: str) -> bool:
    """The phrase's head (its last word before a trailing ``of ...``, ``this year``) is plural."""
    head = _TAIL.sub("", words).split()
    last = head[-1].lower() if head else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _subject_like(text: str, sentence: Sentence, m: Mention) -> bool:
    """The mention begins its clause.

    Only determiners come before it, or a quantifier (``a number of``); not a preposition or a
    verb.
    """
    before = re.split(r"[,;:]", text[sentence.start : m.start])[-1].split()
    while before and before[-1].lower() in _DETERMINERS:
        before.pop()
    return not before or (
        before[-1].lower() == "of" and len(before) >= 2 and before[-2].lower() in _TRANSPARENT
    )


def _anaphora(text: str, sentences: list[Sentence], result: Annotation) -> list[Mention]:
    """Pronouns at the start of a sentence, as mentions of the subject of the sentence before.

    ``They ...`` stands for the plural subject (and the actors coordinated with it) of the
    previous sentence, ``It ...`` for its singular subject, ``This ...`` (a pronoun: followed by
    a verb) for its first term, ``these forces`` for a recent term whose head is ``forces``.
    Expletive ``it`` ("It is essential to ...") stands for nothing. Evidence only: a pronoun
    never becomes a provision's addressee.
    """
    out: list[Mention] = []
    for prev, sent in itertools.pairwise(sentences):
        q = sent.quote
        m = _PRONOUN.match(q)
        pro: str | None = None
        at = 0
        noun = None
        if m:
            pro, at, noun = m.group("pro").lower(), m.start("pro"), m.group("noun")
        else:
            m2 = _OBJECT_PRONOUN.match(q)
            if m2:
                pro, at = m2.group("pro").lower(), m2.start("pro")
        if pro is None:
            continue
        if pro == "it" and _EXPLETIVE.match(q, at + 2):
            continue
        candidates = sorted(
            [
                *result.in_sentence(result.mentions, prev),
                *result.in_sentence(result.nested, prev),
                *result.in_sentence(result.near, prev),
            ],
            key=lambda x: (x.start, x.match != "exact", x.start - x.end),
        )
        candidates = [c for c in candidates if c.match != "anaphora"]
        if any(c.term.kind == "entity" for c in candidates):
            # a known entity rather than a class word ("The goal is to build X")
            candidates = [c for c in candidates if c.term.kind == "entity"]
        if not candidates:
            continue
        start, end = sent.start + at, sent.start + at + len(pro)
        picked: list[Mention] = []
        if pro in ("these", "those", "this") and noun and noun not in _PRONOUN_VERBS:
            # a demonstrative noun phrase: "these forces" names a recent term with that head
            key = noun.lower().rstrip("s")
            back = [c for c in candidates if c.surface.lower().split()[-1].rstrip("s") == key]
            if back:
                # the last one, the longest of those ending there ("new quality productive
                # forces" rather than the "productive forces" inside it)
                picked = [max(back, key=lambda c: (c.end, c.match == "exact", c.end - c.start))]
                end = sent.start + m.end("noun") if m else end
        elif pro == "they":
            subjects = [
                c for c in candidates if _subject_like(text, prev, c) and _plural(c.surface)
            ]
            if subjects:
                first = subjects[0]
                picked = [first]
                for c in candidates:  # "A, B and C must ...": all the coordinated actors
                    if c.start > picked[-1].end and _COORD.fullmatch(
                        text[picked[-1].end : c.start]
                    ):
                        picked.append(c)
        elif pro == "it":
            subjects = [
                c
                for c in candidates
                if _subject_like(text, prev, c) and not c.term.actor and not _plural(c.surface)
            ]
            picked = subjects[:1]
        elif pro in ("this", "that"):
            first = [c for c in candidates if not c.term.actor]
            picked = first[:1]
        for c in picked:
            surface = text[start:end] if c.term.kind == "entity" else c.surface
            out.append(Mention(start, end, surface, c.term, "anaphora"))
    return out


_ZH_PRONOUN = re.compile(
    r"(?:[^，,。；;]{0,12}[，,])?(?P<pro>它们|他们|其|这些|该|此)(?P<noun>[\u4e00-\u9fff]{2})?"
)


def _zh_anaphora(sentences: list[Sentence], result: Annotation) -> list[Mention]:
    """Chinese pronouns at the start of a sentence, as evidence for the sentence before's subject.

    ``它们`` / ``他们`` / ``其`` stand for the mention that begins the previous sentence (and the
    actors coordinated with it); ``这些`` / ``该`` / ``此`` + a noun for a recent term that ends
    with that noun (``该企业`` for ``民营企业``). Evidence only, never an addressee.
    """
    out: list[Mention] = []
    for prev, sent in itertools.pairwise(sentences):
        m = _ZH_PRONOUN.match(sent.quote)
        if not m:
            continue
        candidates = [
            c
            for c in sorted(
                [
                    *result.in_sentence(result.mentions, prev),
                    *result.in_sentence(result.nested, prev),
                ],
                key=lambda x: (x.start, x.start - x.end),
            )
            if c.term.kind == "entity"
        ]
        if not candidates:
            continue
        pro, noun = m.group("pro"), m.group("noun")
        start = sent.start + m.start("pro")
        picked: list[Mention] = []
        if pro in ("这些", "该", "此"):
            if not noun:
                continue
            back = [c for c in candidates if c.surface.endswith(noun)]
            if back:
                picked = [max(back, key=lambda c: (c.end, c.end - c.start))]
                end = sent.start + m.end("noun")
        else:
            end = start + len(pro)
            first = candidates[0]
            if first.start == prev.start:  # the subject begins its sentence
                picked = [first]
                for c in candidates[1:]:
                    if c.start > picked[-1].end and _COORD.fullmatch(
                        result.text[picked[-1].end : c.start]
                    ):
                        picked.append(c)
        for c in picked:
            out.append(Mention(start, end, result.text[start:end], c.term, "anaphora"))
    return out


_BYLINE = {
    "en": re.compile(
        r"^[ \t]*(?:By|Author:|Written by)[ \t]+(?P<name>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3})"
        r"[ \t]*$",
        re.MULTILINE,
    ),
    "zh": re.compile(
        r"^[ \t]*(?:作者[：:]|文[/／])[ \t]*(?P<name>[\u4e00-\u9fff·]{2,6})[ \t]*$", re.MULTILINE
    ),
}
_AUTHOR_NOTE = {"en": re.compile(r"\bthe author(?:'s|’s|s)?\b", re.I), "zh": re.compile("作者")}
_BIO = re.compile(
    r"(?:(?:Editor's|Editor’s|Author's|Author’s) note:\s*)?"
    r"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}), (?:a|an|the) "
)


def _author(ann: _Annotator, result: Annotation) -> Ref | None:
    """The document's author, or ``None``.

    A byline ("By Li Ming", "作者：李明"), or the person an author's note introduces: a sentence
    that begins with a person ("Zhang Chi, a commentator ...") just before or after one that
    speaks of "the author".
    """
    text, lang = ann.text, ann.lang
    m = _BYLINE[lang].search(text)
    if m:
        return _person_at(ann, result, m.start("name"), m.end("name"))
    sents = result.sentences
    for i, sent in enumerate(sents):
        if not _AUTHOR_NOTE[lang].search(sent.quote):
            continue
        for near in (*reversed(sents[max(0, i - 3) : i]), *sents[i + 1 : i + 2]):
            b = _BIO.match(near.quote) if lang == "en" else None
            if b:
                return _person_at(
                    ann, result, near.start + b.start("name"), near.start + b.end("name")
                )
            persons = [
                x
                for x in result.in_sentence(result.mentions, near)
                if "Person" in x.term.types and x.start == near.start
            ]
            if persons:
                return ann.ref_of(persons[0])
    return None


def _person_at(ann: _Annotator, result: Annotation, start: int, end: int) -> Ref:
    for x in result.mentions:
        if x.start == start and x.end == end and x.term.kind == "entity":
            return ann.ref_of(x)
    words = ann.text[start:end]
    han = any("\u4e00" <= c <= "\u9fff" for c in words)
    return ann.new_ref(words, start, end, ("Person",), prefix="person" if han else "")


# -- the draft ------------------------------------------------------------------------------------


def quote_digest(quote: str) -> str:
    """A short digest of a quote: how a draft remembers what it suggested."""
    return hashlib.sha256(quote.encode("utf-8")).hexdigest()[:12]


def _num(value: Decimal) -> int | float | str:
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value.normalize())


def _ids(refs: Sequence[Ref]) -> Any:
    ids = list(dict.fromkeys(r.id for r in refs))
    return ids[0] if len(ids) == 1 else ids


@_without_gc
def draft_mapping(ann: Annotation, *, doc_id: str, text_name: str) -> dict[str, Any]:
    """The draft as an authoring mapping, every suggestion ``status: proposed``."""
    passages: dict[str, dict[str, Any]] = {}
    refs: dict[str, Ref] = {}
    mentioned: dict[str, dict[str, None]] = {}  # entity -> passages, in order
    by_passage_figs: dict[str, list[FigureSuggestion]] = {}
    for f in ann.figures:
        by_passage_figs.setdefault(f.passage, []).append(f)
    by_passage_enum: dict[str, list[Enumeration]] = {}
    for e in ann.enumerations:
        by_passage_enum.setdefault(e.passage, []).append(e)
    by_passage_prov: dict[str, list[ProvisionSuggestion]] = {}
    for p in ann.provisions:
        by_passage_prov.setdefault(p.passage, []).append(p)

    def use(ref: Ref, pid: str) -> str:
        refs.setdefault(ref.id, ref)
        mentioned.setdefault(ref.id, {})[pid] = None
        return ref.id

    # how each (entity, passage) was found, when not word for word: the draft's "match:"
    how: dict[str, dict[str, str]] = {}
    rank = {k: i for i, k in enumerate(MATCHES)}

    def found(rid: str, pid: str, match: str) -> None:
        seen = how.setdefault(rid, {})
        if rank.get(match, len(rank)) < rank.get(seen.get(pid, ""), len(rank) + 1):
            seen[pid] = match

    extra_at = [e[0] for e in ann.extra]
    locals_: dict[str, str] = {}
    ann_obj = _Annotator(ann.text, ann.lang, ann.date, Lexicon([], ann.lexicon))
    for sent in ann.sentences:
        body: dict[str, Any] = {"status": "proposed", "quote": sent.quote}
        if sent.occurrence:
            body["occurrence"] = sent.occurrence
        exact_here: set[str] = set()
        for m in [
            *ann.in_sentence(ann.mentions, sent),
            *ann.in_sentence(ann.nested, sent),
            *ann.in_sentence(ann.near, sent),
        ]:
            if m.term.kind == "entity":
                rid = locals_.get(m.term.iri) or locals_.setdefault(
                    m.term.iri, local_name(m.term.iri)
                )
                if rid not in refs:
                    label, types = ann.labels.get(rid, (m.term.label, m.term.types))
                    refs[rid] = Ref(rid, label, m.start, m.end, True, types)
                mentioned.setdefault(rid, {})[sent.id] = None
            else:
                rid = use(ann_obj.ref_of(m), sent.id)
            if m.match == "exact":
                exact_here.add(rid)
            elif rid not in exact_here:
                found(rid, sent.id, m.match)
        lo = bisect.bisect_left(extra_at, sent.start)
        hi = bisect.bisect_left(extra_at, sent.end)
        for _at, ref, match in ann.extra[lo:hi]:
            if use(ref, sent.id) not in exact_here:
                found(ref.id, sent.id, match)
        facts: list[dict[str, Any]] = []
        for f in by_passage_figs.get(sent.id, []):
            fact: dict[str, Any] = {
                "subject": f.subject,
                "status": "proposed",
                "value": _num(f.figure.value),
                "unit": f.figure.unit,
            }
            if f.figure.qualifier:
                fact["qualifier"] = f.figure.qualifier
            if f.measure:
                fact["measure"] = f.measure
            if f.period is not None:
                if f.period.iso:
                    fact["period"] = f.period.iso
                fact["periodLabel"] = f.period.label
            if f.observation_of is not None:
                fact["observationOf"] = use(f.observation_of, sent.id)
            label = f"{f.figure.words}" + (f" ({f.period.label})" if f.period else "")
            refs[f.subject] = Ref(
                f.subject,
                f"figure in passage {sent.id}: {label}",
                f.figure.start,
                f.figure.end,
                False,
                ("GrowthRate",) if f.growth else ("Observation",),
            )
            mentioned.setdefault(f.subject, {})
            facts.append(fact)
        for e in by_passage_enum.get(sent.id, []):
            head = use(e.head, sent.id)
            for item in e.items:
                if item.id != head:
                    facts.append(
                        {"subject": use(item, sent.id), "exampleOf": head, "status": "proposed"}
                    )
        author = ann.author
        if author is not None and sent.start <= author.start < sent.end:
            # the passage that names the author states it (the compiler makes the author the
            # speaker of every provision that names no other)
            facts.append({"subject": doc_id, "author": use(author, sent.id), "status": "proposed"})
            if author.id not in exact_here:
                found(author.id, sent.id, "author")
        if facts:
            body["facts"] = facts
        provs: list[dict[str, Any]] = []
        for p in by_passage_prov.get(sent.id, []):
            prov: dict[str, Any] = {"status": "proposed"}
            if p.addressees:
                for r in p.addressees:
                    use(r, sent.id)
                prov["addressee"] = _ids(p.addressees)
            prov["modality"] = p.modality
            prov["cue"] = p.cue.words
            if p.action:
                for r in p.action:
                    use(r, sent.id)
                prov["action"] = _ids(p.action)
            if p.stated_by is not None:
                prov["stated_by"] = use(p.stated_by, sent.id)
            for key, refs_ in (
                ("condition", p.condition),
                ("means", p.means),
                ("purpose", p.purpose),
            ):
                if refs_:
                    for r in refs_:
                        use(r, sent.id)
                    prov[key] = _ids(refs_)
            provs.append(prov)
        if provs:
            body["provisions"] = provs
        passages[sent.id] = body
    sent_starts = [s.start for s in ann.sentences]
    for cand, _n, spans in ann.candidates:
        ref = ann_obj.new_ref(cand, spans[0][0], spans[0][1], ("Concept",))
        refs.setdefault(ref.id, ref)
        for a, _b in spans:
            hit = _sentence_at(ann.sentences, a, sent_starts)
            if hit is not None:
                mentioned.setdefault(ref.id, {})[hit.id] = None
    entities: dict[str, dict[str, Any]] = {}
    for rid in sorted(refs):
        ref = refs[rid]
        desc: dict[str, Any] = {"status": "proposed"}
        types = [t for t in ref.types if t] or ["Concept"]
        desc["type"] = types[0] if len(types) == 1 else types
        desc["label"] = ref.label
        if ref.zh:
            desc["zh"] = ref.zh
        if mentioned.get(rid):
            desc["mentioned_in"] = list(mentioned[rid])
            matches = {
                pid: kind
                for pid, kind in how.get(rid, {}).items()
                if kind != "exact" and pid in mentioned[rid]
            }
            if matches:
                desc["match"] = matches
        entities[rid] = desc
    title = f"[draft: {text_name}]"
    return {
        "document": {"id": doc_id, "type": "Document", "text": text_name, "title": title},
        "entities": entities,
        "passages": passages,
        "annotate": {
            "lang": ann.lang,
            "date": ann.date.isoformat() if ann.date else None,
            "lexicon": ann.lexicon,
            "text_sha256": hashlib.sha256(ann.text.encode("utf-8")).hexdigest(),
            "suggested_passages": sorted({quote_digest(s.quote) for s in ann.sentences}),
            "suggested_entities": sorted(entities),
        },
    }


def _sentence_at(
    sentences: Sequence[Sentence], offset: int, starts: Sequence[int]
) -> Sentence | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and sentences[i].start <= offset < sentences[i].end:
        return sentences[i]
    return None


# -- YAML writing (deterministic, fast: a draft of a 1 MB text has thousands of passages) --------

_PLAIN = re.compile(r"^[A-Za-z_][\w./+-]*$")
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


_SCALARS: dict[str, str] = {}


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        done = _SCALARS.get(value)
        if done is None:
            done = _str_scalar(value)
            if len(value) < 80:
                _SCALARS[value] = done
        return done
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return _str_scalar(str(value))


def _str_scalar(s: str) -> str:
    if _PLAIN.match(s) and s.lower() not in _RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _emit(value: Any, indent: int, out: list[str], comments: dict[int, str] | None = None) -> None:
    pad = "  " * indent
    if isinstance(value, dict):
        for k, v in value.items():
            key = _scalar(k)
            note = comments.get(id(v), "") if comments else ""
            if isinstance(v, dict):
                out.append(f"{pad}{key}:{note}" if v else f"{pad}{key}: {{}}")
                _emit(v, indent + 1, out, comments)
            elif isinstance(v, list) and any(isinstance(x, dict) for x in v):
                out.append(f"{pad}{key}:{note}")
                for item in v:
                    if isinstance(item, dict):
                        inner: list[str] = []
                        _emit(item, indent + 2, inner, comments)
                        first = inner[0].lstrip()
                        out.append(f"{pad}  - {first}")
                        out.extend(inner[1:])
                    else:
                        out.append(f"{pad}  - {_flow(item)}")
            else:
                out.append(f"{pad}{key}: {_flow(v)}{note}")


_HEADER = """\
# Draft written by 'policykg annotate' from {text} (language {lang}, lexicon {lexicon}, \
reference date {date}).
# Every suggestion is marked 'status: proposed'. Review each one: mark what is right
# 'status: accepted' (fix it first if needed) and delete the rest. 'policykg add' refuses the
# draft while any item is still proposed. Passage comments give the quote's offsets in the text
# (code points, end exclusive); the 'annotate' block at the end is for 'policykg annotate
# --update' and is ignored by the compiler.
"""


@_without_gc
def dump_draft(data: dict[str, Any], ann: Annotation | None = None) -> str:
    """Write a draft mapping as YAML (the authoring format, with offsets in comments)."""
    comments: dict[int, str] = {}
    if ann is not None:
        spans = {s.id: s for s in ann.sentences}
        for pid, body in data.get("passages", {}).items():
            s = spans.get(pid)
            if s is not None and body.get("quote") == s.quote:
                comments[id(body)] = f"  # {s.start}-{s.end}"
    meta = data.get("annotate", {})
    out: list[str] = [
        _HEADER.format(
            text=data["document"]["text"],
            lang=meta.get("lang"),
            lexicon=meta.get("lexicon"),
            date=meta.get("date") or "none",
        ).rstrip("\n")
    ]
    for section in ("document", "entities", "passages", "annotate"):
        if section not in data:
            continue
        out.append("")
        _emit({section: data[section]}, 0, out, comments)
    extra = {
        k: v for k, v in data.items() if k not in ("document", "entities", "passages", "annotate")
    }
    if extra:
        out.append("")
        _emit(extra, 0, out, comments)
    if ann is not None and ann.candidates:
        out.append("")
        out.append("# New term candidates (recurring phrases not in the lexicon; declared above as")
        out.append("# proposed entities): phrase, occurrences")
        for cand, n, _spans in ann.candidates:
            out.append(f"#   {json.dumps(cand, ensure_ascii=False)}: {n}")
    return "\n".join(out) + "\n"


@_without_gc
def draft_yaml(ann: Annotation, *, doc_id: str, text_name: str) -> str:
    """The draft of ``ann`` as YAML text."""
    return dump_draft(draft_mapping(ann, doc_id=doc_id, text_name=text_name), ann)


# -- the curation loop: --update ------------------------------------------------------------------


def load_draft(path: Path) -> tuple[dict[str, Any], str]:
    """Read a draft with its statuses (a YAML error names the file and line)."""
    import yaml

    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParseError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ParseError(f"{path}: not UTF-8") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ParseError(f"{where}: YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ParseError(f"{path}: YAML error: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("passages"), dict):
        raise ParseError(f"{path}: not a draft: expected a mapping with 'document' and 'passages'")
    return data, raw


def _line_of_key(raw: str, key: str) -> int | None:
    m = re.search(rf"^  {re.escape(key)}:", raw, re.MULTILINE)
    return raw.count("\n", 0, m.start()) + 1 if m else None


@dataclass
class UpdateReport:
    """What ``annotate --update`` kept and dropped."""

    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    deleted: int = 0
    new: list[str] = field(default_factory=list)


def update_draft(
    old: dict[str, Any],
    raw: str,
    draft_path: Path,
    ann: Annotation,
    *,
    doc_id: str,
    text_name: str,
) -> tuple[dict[str, Any], UpdateReport]:
    """Re-run on a revised text, keeping every decision whose quote is still in the text.

    A passage of the old draft whose quote is still in the text is kept as the curator left it
    (accepted items, edits and the proposed items not yet reviewed). A suggested passage the
    curator deleted stays deleted. Sentences the old draft never suggested are new proposals.
    A passage whose quote is no longer in the text is dropped — unless its quote was edited by
    hand (it is not one the annotator suggested): then the draft no longer matches its text, an
    error.

    Raises:
        AuthoringError: a hand-edited quote is not in the text (names the draft and line).
    """
    block = old.get("annotate")
    meta: dict[str, Any] = block if isinstance(block, dict) else {}
    suggested = set(meta.get("suggested_passages") or [])
    suggested_entities = set(meta.get("suggested_entities") or [])
    fresh = draft_mapping(ann, doc_id=doc_id, text_name=text_name)
    report = UpdateReport()
    old_passages: dict[str, Any] = old["passages"]
    by_quote: dict[tuple[str, int], str] = {}
    text = ann.text
    for pid, body in old_passages.items():
        if not isinstance(body, dict) or not isinstance(body.get("quote"), str):
            line = _line_of_key(raw, str(pid))
            where = f"{draft_path}:{line}" if line else str(draft_path)
            raise AuthoringError(f"{where}: passage {pid}: needs a 'quote'")
        quote = body["quote"]
        occ = body.get("occurrence") or 1
        if quote in text:
            by_quote[(quote, int(occ))] = pid
            continue
        if quote_digest(quote) not in suggested:
            line = _line_of_key(raw, str(pid))
            where = f"{draft_path}:{line}" if line else str(draft_path)
            raise AuthoringError(
                f"{where}: passage {pid}: the quote no longer matches the text {text_name}: "
                f"{quote[:60]!r} is not in it"
            )
        report.dropped.append(str(pid))
    passages: dict[str, Any] = {}
    taken = {str(p) for p in by_quote.values()}
    keep_ids: dict[str, str] = {}
    for sent in ann.sentences:
        key = (sent.quote, sent.occurrence or 1)
        if key in by_quote:
            pid = by_quote[key]
            passages[pid] = old_passages[pid]
            keep_ids[sent.id] = pid
            report.kept.append(pid)
            continue
        if quote_digest(sent.quote) in suggested:
            report.deleted += 1
            continue
        pid = sent.id if sent.id not in taken else f"{sent.id}-n"
        while pid in taken:
            pid += "n"
        taken.add(pid)
        keep_ids[sent.id] = pid
        passages[pid] = fresh["passages"][sent.id]
        report.new.append(pid)
    # entities: the old ones still in use; new suggestions, unless the curator deleted them
    entities: dict[str, Any] = {}
    old_entities = old.get("entities") if isinstance(old.get("entities"), dict) else {}
    for eid, desc in (old_entities or {}).items():
        if isinstance(desc, dict) and isinstance(desc.get("mentioned_in"), list):
            # only the passages kept: a dropped passage's id may be reused by a new one
            kept_ids = set(report.kept)
            desc["mentioned_in"] = [p for p in desc["mentioned_in"] if p in kept_ids]
            if not desc["mentioned_in"] and desc.get("status") == "proposed":
                continue
            _keep_matches(desc, set(desc["mentioned_in"]))
        entities[eid] = desc
    for eid, desc in fresh["entities"].items():
        refs = [
            keep_ids[p]
            for p in desc.get("mentioned_in", [])
            if p in keep_ids and keep_ids[p] in report.new
        ]
        fresh_match = {
            keep_ids[p]: kind
            for p, kind in (desc.get("match") or {}).items()
            if p in keep_ids and keep_ids[p] in refs
        }
        if eid in entities:
            target = entities[eid]
            if isinstance(target, dict) and refs:
                lst = target.setdefault("mentioned_in", [])
                lst.extend(r for r in refs if r not in lst)
                if fresh_match:
                    old_match = target.get("match")
                    target["match"] = {
                        **(old_match if isinstance(old_match, dict) else {}),
                        **fresh_match,
                    }
            continue
        if eid in suggested_entities:
            continue  # deleted by the curator
        if eid.startswith("obs-"):
            sid = eid[4:].rsplit("-", 1)[0]
            if keep_ids.get(sid) in report.new:
                entities[eid] = dict(desc)
            continue
        if refs:
            desc = dict(desc)
            if "mentioned_in" in desc:
                desc["mentioned_in"] = refs
            desc.pop("match", None)
            if fresh_match:
                desc["match"] = fresh_match
            entities[eid] = desc
    # new passages' facts about figures are named after their new passage id
    for sid, pid in keep_ids.items():
        if sid != pid and pid in report.new:
            _rename_subjects(passages[pid], sid, pid, entities)
    # a new suggestion does not bring back an entity the curator deleted
    for pid in report.new:
        _drop_unknown_refs(passages[pid], set(entities) | {doc_id})
    data = dict(fresh)
    data["document"] = old.get("document", fresh["document"])
    if isinstance(data["document"], dict):
        data["document"]["text"] = text_name
    data["entities"] = {k: entities[k] for k in sorted(entities)}
    data["passages"] = passages
    data["annotate"] = dict(fresh["annotate"])
    data["annotate"]["suggested_passages"] = sorted(
        suggested | set(fresh["annotate"]["suggested_passages"])
    )
    data["annotate"]["suggested_entities"] = sorted(
        suggested_entities | set(fresh["annotate"]["suggested_entities"])
    )
    return data, report


def _keep_matches(desc: dict[str, Any], kept: set[str]) -> None:
    """Keep an entity's ``match:`` entries only for the passages it is still mentioned in."""
    match = desc.get("match")
    if isinstance(match, dict):
        match = {p: k for p, k in match.items() if p in kept}
        if match:
            desc["match"] = match
        else:
            del desc["match"]


def _rename_subjects(
    body: dict[str, Any], old_id: str, new_id: str, entities: dict[str, Any]
) -> None:
    for fact in body.get("facts") or []:
        if isinstance(fact, dict) and str(fact.get("subject", "")).startswith(f"obs-{old_id}-"):
            new = f"obs-{new_id}-" + str(fact["subject"]).rsplit("-", 1)[1]
            if fact["subject"] in entities:
                entities[new] = entities.pop(fact["subject"])
            fact["subject"] = new


def _drop_unknown_refs(body: dict[str, Any], known: set[str]) -> None:
    """Remove from a new passage's suggestions every entity that is not in the draft."""
    facts = []
    for fact in body.get("facts") or []:
        if all(
            str(fact.get(k)) in known
            for k in ("subject", "exampleOf", "observationOf", "author")
            if k in fact
        ):
            facts.append(fact)
    if facts:
        body["facts"] = facts
    else:
        body.pop("facts", None)
    for prov in body.get("provisions") or []:
        for key in ("addressee", "action", "condition", "means", "purpose"):
            if key not in prov:
                continue
            value = prov[key]
            ids = [v for v in (value if isinstance(value, list) else [value]) if v in known]
            if not ids:
                del prov[key]
            else:
                prov[key] = ids[0] if len(ids) == 1 else ids
