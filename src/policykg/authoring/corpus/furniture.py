r"""Page furniture of a published record, dropped before a document's text is stored.

The Government Work Reports come from Wikisource pages (``../shared/corpus/gwr-zh.jsonl``), whose
``content`` keeps what is not part of the document:

- **the licence notice** at the end, from its first line (``本作品是中华人民共和国…`` or
  ``本作品来自…``) to the trailing ``Public domain`` / ``false`` lines;
- **zero-width characters** (U+200B, U+200C, U+200D, U+FEFF), left by the page's markup; a
  line that holds nothing else is a page-break artefact inside a paragraph
  (``交出一份人\n\u200b\n民满意``) and is removed with its line break, so the paragraph's two
  halves join;
- **line breaks inside a paragraph**, left by links and subscripts
  (``所作的\n政府工作报告\n。``, ``PM\n2.5\n）``, ``政府工作报\n告``): the lines of one
  paragraph are joined with nothing between them, as Chinese text is written;
- **runs of blank lines** (and lines of spaces only, such as a lone U+2003): paragraphs are
  separated by exactly one blank line;
- **the title block's full-width spaces** (``国务院总理\u3000\n李\u3000强``): in the lines before
  the salutation (``各位代表：``) or, in a resolution, before its first paragraph of text, U+3000
  is typographic spacing and is removed (``国务院总理李强``).

What remains is the stored text: every offset of every passage indexes it (in code points), and
its SHA-256 is recorded. :func:`drop_furniture` says per kind what it dropped, so an import can
report it. The function is pure and deterministic: the same content gives the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Cleaned", "drop_furniture"]

_ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
_ZERO_WIDTH_RE = re.compile(f"[{_ZERO_WIDTH}]")
#: The first line of Wikisource's licence notice on these pages.
_LICENCE_RE = re.compile(r"^[ \t\u3000]*本作品(?:是|来自)", re.MULTILINE)
#: Blank: nothing but (any kind of) white space.
_BLANK_RE = re.compile(r"^\s*$")
#: Where the title block ends: the salutation of a report, or a resolution's first sentence.
_BODY_START_RE = re.compile(
    r"^(?:各位代表|第[一二三四五六七八九十]+届全国人民代表大会第.+次会议听取)"
)


@dataclass(frozen=True)
class Cleaned:
    """A record's content with its furniture dropped.

    Attributes:
        text: the stored text.
        dropped: what was dropped, one entry per kind, in the order of the module's list
            (e.g. ``"licence notice (412 characters)"``); empty when nothing was.
        licence: the licence notice as it stood (its lines joined by single spaces), or ``""``.
    """

    text: str
    dropped: tuple[str, ...] = field(default_factory=tuple)
    licence: str = ""


def drop_furniture(content: str) -> Cleaned:
    """Drop the page furniture of ``content`` (see the module's docstring) and say what it was."""
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    dropped: list[str] = []
    licence = ""
    match = _LICENCE_RE.search(content)
    if match is not None:
        notice = content[match.start() :]
        licence = " ".join(line.strip() for line in notice.splitlines() if line.strip())
        dropped.append(f"licence notice ({len(notice.strip())} characters)")
        content = content[: match.start()]

    zero_width = len(_ZERO_WIDTH_RE.findall(content))
    lines = content.split("\n")
    kept: list[str] = []
    artefact_lines = 0
    for line in lines:
        if line and not _ZERO_WIDTH_RE.sub("", line):
            artefact_lines += 1  # a line of zero-width characters only: no break at all
            continue
        kept.append(_ZERO_WIDTH_RE.sub("", line))
    if zero_width:
        dropped.append(f"zero-width characters ({zero_width})")

    paragraphs: list[list[str]] = []
    current: list[str] = []
    blank_lines = 0
    for line in kept:
        if _BLANK_RE.match(line):
            blank_lines += 1
            if current:
                paragraphs.append(current)
                current = []
            continue
        current.append(line.strip(" \t\u2003\u00a0"))
    if current:
        paragraphs.append(current)

    title_spaces = 0
    for index, para in enumerate(paragraphs):
        if _BODY_START_RE.match(para[0]):
            break
        for i, line in enumerate(para):
            title_spaces += line.count("\u3000")
            para[i] = line.replace("\u3000", "")
        paragraphs[index] = [line for line in para if line]
    paragraphs = [para for para in paragraphs if para]
    if title_spaces:
        dropped.append(f"full-width spaces of the title block ({title_spaces})")

    inner_breaks = sum(len(para) - 1 for para in paragraphs)
    if inner_breaks:
        dropped.append(f"line breaks inside paragraphs ({inner_breaks})")
    separators = max(len(paragraphs) - 1, 0)
    extra_blank = blank_lines - separators
    if extra_blank > 0:
        dropped.append(f"blank lines beyond one between paragraphs ({extra_blank})")
    text = "\n\n".join("".join(para) for para in paragraphs)
    if text:
        text += "\n"
    return Cleaned(text=text, dropped=tuple(dropped), licence=licence)
