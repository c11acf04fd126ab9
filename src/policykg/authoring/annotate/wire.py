"""English wire copy: the reporting clauses of a sentence and who they name (issue 21).

A reporting clause before a cue, or trailing it (", Li said, adding that …"), names its speaker
(docs/annotate-en.md): a surname alone is the last person named with it, "the premier" the last
one with that title, "the meeting" / "the ministry" / "according to the guideline" the body the
text named with it (a meeting or a document is no actor: it speaks for its body); nothing is
invented when none was named. :class:`~policykg.authoring.annotate.speakers.WireSpeech` resolves
what :func:`wire_speakers` finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from policykg.authoring.reporting import ASIDE, REPORT_VERB, SAID_NAME

# -- English wire copy: the reporting clauses of a sentence (issue 21) ----------------------------

#: reporting verbs of wire copy and readouts (:mod:`policykg.authoring.reporting`); those that
#: also direct (urged, called for, demanded that) are modality cues as well
_EN_REPORT = REPORT_VERB
#: words between a reporting clause's subject and its verb: "Li Qiang on Wednesday called for",
#: "Li also said", "the meeting, chaired by Li Qiang, noted" (the appositive is cut apart)
_EN_ADJUNCTS = re.compile(
    r"(?:\s+(?:also|again|further|here|today|later|earlier|repeatedly|once again|has|have|had|"
    r"(?:on|in|at|during)\s+(?:(?:a|an|the)\s+)?[\w-]+(?:\s+\d{1,2})?))*\s*$"
)
_EN_APPOSITIVE = re.compile(r",[^,;:()\"“”]{1,160},\s*$")
#: words that open a name without being part of it: titles and nationalities
_EN_TITLE_WORDS = frozenset(
    re.findall(
        r"\S+",
        "Chinese China's Premier Vice President Chairman Chairwoman Minister Foreign Commerce "
        "Finance Trade Secretary General Spokesperson Spokesman Spokeswoman Director Governor "
        "Mayor Chief Deputy State Councilor Councillor Member Senior Ambassador Commissioner Head "
        "Party Mr Mr. Ms Ms. Mrs Mrs. Dr Dr. Professor Prof. Executive Assistant Former "
        "President's Acting Executive Standing Political Bureau Central Committee Justice Defense "
        "Defence Envoy Special Representative Leader Top Legislator Lawmaker Official The A An",
    )
)
_EN_NOT_NAMES = frozenset(
    re.findall(
        r"\S+",
        "The This That These Those It They We China Chinese In On At As It's He She I You Our Its "
        "Their But And Yet So Such Some Many Most All Both Each Every Other Another",
    )
)
_CAP = r"[A-Z][\w'’-]*"
#: a name of capitalised words joined by of / for / the / and ("National Development and Reform
#: Commission"), at most ten words; "and the" begins a second name
_NAME = rf"{_CAP}(?:(?:\s+(?:of|for|the|and(?!\s+the\b)))*\s+{_CAP}){{0,9}}"
_EN_CAPS = re.compile(rf"{_NAME}$")
#: nouns of a meeting, a document or a spokesperson: each speaks for the body it belongs to
_EN_FOR_BODY_HEADS = (
    "meeting|meetings|conference|session|symposium|plenum|plenary session|report|plan|"
    "guideline|guidelines|opinion|opinions|circular|notice|document|statement|communique|"
    "communiqué|regulation|regulations|readout|white paper|decision|resolution|outline|"
    "spokesperson|spokesman|spokeswoman"
)
#: the head nouns of bodies: "the ministry said" is the ministry the text named
_EN_BODY_HEADS = (
    "ministry|commission|council|bureau|administration|office|committee|department|agency|"
    "bank|court|government|cabinet|procuratorate|academy|association|federation|group"
)
_EN_HEAD_WORDS = frozenset(
    w.split()[-1] for w in f"{_EN_FOR_BODY_HEADS}|{_EN_BODY_HEADS}".split("|")
)
#: "a meeting of X", "a guideline issued by X", "a spokesperson for X": the body X
_EN_OF_BODY = re.compile(
    rf"\b(?P<head>{_EN_FOR_BODY_HEADS}),?\s+(?:of|for|from|(?:(?:was|were|has been|have been)\s+)?"
    r"(?:jointly\s+)?(?:issued|released|published|unveiled|adopted|held|convened)\s+by)\s+"
    rf"(?:the\s+)?(?P<body>{_NAME})"
)
_EN_FUNCTION = "to|the|a|an|of|in|on|for|by|with|and|or|from|at|as|that|is|are|was|were|its"
#: "the State Council executive meeting", "a Ministry of Commerce circular", "the NDRC's plan"
_EN_BODY_BEFORE = re.compile(
    rf"(?P<body>{_CAP}(?:(?:\s+(?:of|for|the|and(?!\s+the\b)))*\s+{_CAP}){{0,5}}?)(?:'s|’s)?"
    rf"(?:\s+(?!(?:{_EN_FUNCTION})\b)[a-z][\w-]*){{0,2}}\s+(?P<head>{_EN_FOR_BODY_HEADS})\b"
)
_EN_DEFINITE = re.compile(
    rf"\b(?:[Tt]he|[Tt]his|[Tt]hat|[Ii]ts)\s+(?:[a-z][\w-]*\s+){{0,2}}"
    rf"(?P<head>{_EN_FOR_BODY_HEADS}|{_EN_BODY_HEADS})$"
)
_EN_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+(?P<what>[^,;:.!?]{2,120})")
_EN_SAID_NAME = re.compile(rf"{SAID_NAME}(?P<what>{_CAP}(?:\s+{_CAP}){{0,3}})")
_EN_PRONOUN_SUBJECT = re.compile(r"(?:^|[\s,(\"“])(?P<w>[Hh]e|[Ss]he|[Ii]t)$")
#: what follows the verb of a reporting clause that trails what it reports: the clause's end
#: (", Li said.", ", Li said on Tuesday, adding that ...")
_EN_TRAIL_AFTER = re.compile(
    r"(?:\s+(?:on|in|at|during)(?:\s+(?!that\b)[\w'’-]+){1,4})?\s*(?:[,;.!?]|$)"
)
_EN_CLAUSE_BREAK = re.compile(r"(?:[,;:()\"“”—–]|\s--\s?|\s-\s)")


@dataclass(frozen=True)
class WireSpeaker:
    """A reporting clause's subject: who (or what) a sentence says is speaking.

    ``kind``: ``name`` (two or three words of a name, titles left out), ``surname`` (one word:
    "Li said"), ``pronoun`` (he / she), ``it`` (the body that spoke last), ``titled`` ("the
    premier": ``head`` is the title), ``body`` (an organisation's name, or the body a meeting,
    document or spokesperson the words name belongs to), ``definite`` ("the meeting", "the
    ministry", "the report": the one the text named before; ``head`` is its noun).
    ``trailing``: the clause follows what it reports (", Li said", ", said Li Qiang").
    """

    start: int
    end: int
    kind: str
    words: str
    head: str = ""
    trailing: bool = False
    #: where its reporting verb begins (what the text named before it may be referred back to)
    verb: int = -1


def _singular(word: str) -> str:
    w = word.lower()
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _name_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a name in a capitalised sequence, titles and nationalities left out."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group() in _EN_TITLE_WORDS:
        words.pop(0)
    if not words or words[0].group() in _EN_NOT_NAMES:
        return None
    if any(not w.group()[:1].isupper() for w in words) or len(words) > 3:
        return None
    return start + words[0].start(), start + words[-1].end()


def _last(pattern: re.Pattern[str], phrase: str) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(phrase):  # noqa: B007 (the last match is wanted)
        pass
    return found


def _classify(text: str, start: int, end: int, trailing: bool) -> WireSpeaker | None:
    """The subject that ends at ``end`` (a reporting verb follows), or ``None``."""
    phrase = text[start:end]
    pro = _EN_PRONOUN_SUBJECT.search(phrase)
    if pro:
        a, b = start + pro.start("w"), start + pro.end("w")
        kind = "it" if pro.group("w").lower() == "it" else "pronoun"
        return WireSpeaker(a, b, kind, pro.group("w"), "", trailing)
    of = _last(_EN_OF_BODY, phrase)
    if of is not None and of.end() == len(phrase.rstrip()):
        a, b = start + of.start("body"), start + of.end("body")
        return WireSpeaker(
            a, b, "body", text[a:b], _singular(of.group("head").split()[-1]), trailing
        )
    before = _last(_EN_BODY_BEFORE, phrase)
    if before is not None and before.end() == len(phrase.rstrip()):
        a, b = start + before.start("body"), start + before.end("body")
        if text[a:b] not in _EN_NOT_NAMES:
            return WireSpeaker(
                a, b, "body", text[a:b], _singular(before.group("head").split()[-1]), trailing
            )
    titled = _EN_TITLE_DEFINITE.search(phrase.rstrip())
    if titled:
        a = start + titled.start()
        b, head = start + titled.end(), titled.group("head")
        return WireSpeaker(a, b, "titled", text[a:b], head, trailing)
    definite = _EN_DEFINITE.search(phrase.rstrip())
    if definite:
        a = start + definite.start()
        return WireSpeaker(
            a,
            start + definite.end(),
            "definite",
            definite.group(),
            _singular(definite.group("head").split()[-1]),
            trailing,
        )
    caps = _EN_CAPS.search(phrase.rstrip())
    if caps is None:
        return None
    a, b = start + caps.start(), start + caps.end()
    words = text[a:b].split()
    if words[-1].rstrip(".").lower() in _EN_HEAD_WORDS or " of " in text[a:b]:
        while words and words[0] in ("The", "A", "An"):
            a += len(words.pop(0)) + 1
        return WireSpeaker(a, b, "body", text[a:b], "", trailing) if words else None
    span = _name_words(text, a, b)
    if span is None:
        return None
    a, b = span
    name = text[a:b]
    if len(name) > 1 and name.isupper() and name.isalpha():
        return WireSpeaker(a, b, "body", name, "", trailing)  # an acronym: "the NBS said"
    kind = "surname" if len(name.split()) == 1 else "name"
    return WireSpeaker(a, b, kind, name, "", trailing)


def wire_speakers(text: str, start: int, end: int) -> list[WireSpeaker]:
    """The subjects of the reporting clauses of the sentence ``text[start:end]``, in order.

    ``X said`` / ``X on Tuesday called for`` / ``X, premier of ..., stressed`` /
    ``, X said, adding that`` / ``, said X`` / ``according to X`` / ``the meeting noted``.
    """
    out: list[WireSpeaker] = []
    for v in _EN_REPORT.finditer(text, start, end):
        lo = max(start, v.start() - 240)
        left = text[lo : v.start()]
        left = left[: _EN_ADJUNCTS.search(left).start()]  # type: ignore[union-attr]
        appositive = _EN_APPOSITIVE.search(left)
        if appositive:
            left = left[: appositive.start()]
        breaks = list(_EN_CLAUSE_BREAK.finditer(left))
        at = lo + (breaks[-1].end() if breaks else 0)
        head = text[lo:at].rstrip()
        trailing = (
            bool(breaks)
            and head.endswith((",", '"', "”"))
            and bool(_EN_TRAIL_AFTER.match(text, v.end(), end))
        )
        if not text[at : lo + len(left)].strip():
            continue
        found = _classify(text, at, lo + len(left), trailing)
        if found is not None:
            out.append(replace(found, verb=v.start()))
    for m in _EN_SAID_NAME.finditer(text, start, end):
        span = _name_words(text, m.start("what"), m.end("what"))
        if span is not None:
            kind = "surname" if len(text[span[0] : span[1]].split()) == 1 else "name"
            out.append(WireSpeaker(*span, kind, text[span[0] : span[1]], "", True, m.start()))
    for m in _EN_ACCORDING_TO.finditer(text, start, end):
        trails = text[start : m.start()].rstrip().endswith(",")  # ", according to X."
        found = _classify(text, m.start("what"), m.end("what"), trails)
        if found is not None:
            out.append(replace(found, verb=m.start()))
    out.sort(key=lambda s: s.start)
    return out


#: a name a text gives a person: after a title ("Premier Li Qiang", "Vice Premier He Lifeng")
_EN_TITLES = (
    "Premier|President|Chairman|Chairwoman|Minister|Secretary|Spokesperson|Spokesman|"
    "Spokeswoman|Director|Governor|Mayor|Councilor|Councillor|Ambassador|Commissioner|Envoy"
)
_EN_TITLED = re.compile(
    rf"\b(?P<title>{_EN_TITLES})\s+(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){{1,2}})\b"
)
#: "the premier said", "the vice premier stressed": the last person the text named so
_EN_TITLE_DEFINITE = re.compile(rf"\b[Tt]he\s+(?:[a-z]+\s+)?(?P<head>{_EN_TITLES.lower()})$")


_EN_NAME = re.compile(_NAME)


def wire_persons(text: str) -> list[tuple[int, str, str]]:
    """The persons' names a text gives after a title: (offset, name, title lower-cased)."""
    return [
        (m.start("name"), m.group("name"), m.group("title").lower())
        for m in _EN_TITLED.finditer(text)
    ]


def wire_bodies(text: str) -> list[tuple[int, str, str]]:
    """What an English text names that a reference back may mean: (offset, head, body words).

    A meeting, document or spokesperson with the body it belongs to ("an executive meeting of
    the State Council": ``meeting``, ``State Council``), and a body's own name ("the Ministry of
    Commerce": ``ministry``, ``Ministry of Commerce``).
    """
    out: list[tuple[int, str, str]] = []
    for m in _EN_OF_BODY.finditer(text):
        out.append((m.start(), _singular(m.group("head").split()[-1]), m.group("body")))
    for m in _EN_BODY_BEFORE.finditer(text):
        body = m.group("body")
        if body.split()[0] not in ("The", "A", "An") or len(body.split()) > 1:
            body = re.sub(r"^(?:The|A|An)\s+", "", body)
            if body and body not in _EN_NOT_NAMES:
                out.append((m.start(), _singular(m.group("head").split()[-1]), body))
    for m in _EN_NAME.finditer(text):
        words = m.group().split()
        heads = [w.lower() for w in words if w.lower() in _EN_HEAD_WORDS and w[0].isupper()]
        if heads and len(words) > 1:
            body = re.sub(r"^(?:The|A|An)\s+", "", m.group())
            out.append((m.start(), _singular(heads[0]), body))
    out.sort()
    return out


# -- a person's name needs evidence (docs/annotate-en.md, "Names need evidence") -----------------

#: the commonest Chinese surnames in pinyin (a closed class): a name that opens with one and goes
#: on with a two-syllable given name is a person's ("Wu Jianguo", "Zhao Minghui")
_PINYIN_SURNAMES = frozenset(
    re.findall(
        r"\S+",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng "
        "Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Yu Jiang Cai Jia "
        "Ding Wei Xue Ye Yan Shen Lu Du Dai Cheng Fu Fan Fang Shi Qian Jin Qin Meng Bai Cui Kang "
        "Mao Qiu Qi Kong Gu Hou Shao Wan Lei Long Duan Hao Yin Chang Wen Tan Xiong Huo Ren Mo Yi "
        "Lyu Lu Niu Xing Ou Yue Zou Shang Su Pang Ji Hong Mei Zuo Bao Zhan Liao Wei Geng Ning",
    )
)
_PINYIN_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])"
_PINYIN_FINAL = (
    r"(?:iang|iong|uang|ang|eng|ing|ong|uan|ian|iao|uai|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|"
    r"ui|ue|er|a|o|e|i|u|v|ü)"
)
#: two syllables; the second opens with a consonant, or after an apostrophe (Xi'an): "Wei" and
#: "Kong" are one
_PINYIN_GIVEN = re.compile(
    rf"(?i){_PINYIN_INITIAL}?{_PINYIN_FINAL}(?:{_PINYIN_INITIAL}|['’-]){_PINYIN_FINAL}"
)
_PERSONAL_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er|[Hh]im)\b")
_TITLE_BEFORE = re.compile(rf"\b(?:{_EN_TITLES})\s+$")


_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")


def capitalised_words(text: str) -> dict[str, list[int]]:
    """Where each capitalised word of ``text`` begins, in order (built once per text)."""
    out: dict[str, list[int]] = {}
    for m in _CAPITALISED.finditer(text):
        w = m.group()
        w = w[:-2] if w.endswith(("'s", "’s")) else w  # "Blinken's"
        out.setdefault(w, []).append(m.start())
    return out


def person_evidence(
    text: str, start: int, end: int, persons: frozenset[str], words_at: dict[str, list[int]]
) -> bool:
    """Whether the capitalised words ``text[start:end]`` name a person, by what the text says.

    A name of two or three words is a person's when the text gives it a title (here or where it
    names it after one: ``persons``, from :func:`wire_persons`), refers to it by its last word
    alone elsewhere ("Blinken said"; ``words_at``: :func:`capitalised_words`), goes on with he /
    she / his / her within the next 300 characters, or when it is a Chinese name (a pinyin
    surname, then a given name of two syllables). "Hong Kong said", "New Delhi said": none of
    these, so no person is made of the words (the speaker is left out).
    """
    words = text[start:end].split()
    if _TITLE_BEFORE.search(text, max(0, start - 40), start) or " ".join(words) in persons:
        return True
    if words[0] in _PINYIN_SURNAMES and _PINYIN_GIVEN.fullmatch(words[-1]) and len(words) == 2:
        return True
    first = words[-2] if len(words) > 1 else ""
    for at in words_at.get(words[-1], ()):
        if not start <= at < end and not text.endswith(first, 0, max(0, at - 1)):
            return True  # the surname alone, elsewhere
    return bool(_PERSONAL_PRONOUN.search(text, end, min(len(text), end + 300)))


def aside_at(text: str, start: int, cue_at: int) -> int | None:
    """Where a reporting clause set between commas right before ``cue_at`` begins, if any.

    "Local governments, the ministry said on Monday, must ...": the aside's words (the ministry)
    are its speaker, not the subject of the cue.
    """
    last = text.rfind(",", start, cue_at)
    first = text.rfind(",", start, last) if last > start else -1
    if first < 0 or not ASIDE.match(text[first:cue_at]):
        return None
    return first
