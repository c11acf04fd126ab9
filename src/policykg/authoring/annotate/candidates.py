"""New term candidates: recurring phrases that are not in the lexicon."""

from __future__ import annotations

import re
from array import array
from collections import Counter

from policykg.authoring.annotate.base import Spans, _Base
from policykg.authoring.annotate.vocab import _PREPOSITIONS, _STOP
from policykg.authoring.terms import Mention


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


class _CandidateStage(_Base):
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
            # one pass over the tokens, none of them kept (a 10 MB text has millions)
            specific: dict[str, bool] = {}

            def ok(w: str) -> bool:
                found = specific.get(w)
                if found is None:
                    found = specific[w] = _zh_specific(w)
                return found

            prev_a, prev_w = -1, ""
            for a, b in self._zh_tokens(mentions):
                if masked[a] < "\u4e00":
                    continue
                w = masked[a:b]
                if 3 <= len(w) <= 8 and ok(w):
                    counts[w] += 1
                if (
                    prev_a + len(prev_w) == a
                    and len(prev_w) >= 2
                    and len(w) >= 2
                    and len(prev_w) + len(w) <= 8
                    and ok(prev_w)
                    and ok(w)
                ):
                    counts[prev_w + w] += 1
                prev_a, prev_w = a, w
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

    def _zh_tokens(self, mentions: list[Mention]) -> Spans:
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
            starts, ends = array("q"), array("q")
            add_start, add_end = starts.append, ends.append
            i, base, shift = 0, 0, 0  # span index, its start in compact, original - compact
            if spans:
                shift = spans[0][0]
            b = 0  # the words' offsets as jieba.tokenize counts them (one generator less)
            for w in jieba.cut(compact, HMM=False):
                a, b = b, b + len(w)
                if not "\u4e00" <= w[0] <= "\u9fff":
                    continue
                while a >= base + (spans[i][1] - spans[i][0]) + 1:
                    base += spans[i][1] - spans[i][0] + 1
                    i += 1
                    shift = spans[i][0] - base
                add_start(a + shift)
                add_end(b + shift)
            self.tokens = Spans.of(starts, ends)
        return self.tokens
