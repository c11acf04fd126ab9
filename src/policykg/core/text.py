r"""Text made safe to show: control characters escaped, messages of bounded length.

Labels, quotes and error messages come from user files and remote servers; written raw to a
terminal, an ANSI/OSC escape sequence (``ESC [ ... m``, ``ESC ] 52 ; ...``) can recolour, retitle
or rewrite the terminal, and a newline can forge a line of output. :func:`escape_controls` shows
every such character as a visible escape instead (``\x1b``, ``\n``), so the text stays readable
and cannot act.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MAX_MESSAGE",
    "escape_controls",
    "match_key",
    "one_line",
    "shorten",
    "spreadsheet_safe",
    "terminal_safe",
]

#: The longest error message policykg shows (characters); longer ones are cut in the middle.
MAX_MESSAGE = 2000

# C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators and bidi overrides.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return _escape_code(match)


def _escape_code(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str, *, keep: str = "", named: bool = True) -> str:
    r"""Return ``text`` with every control character shown as an escape (``\x1b``, ``\n``).

    Args:
        text: the text to show.
        keep: control characters to leave as they are (``"\n"`` for multi-line output).
        named: write line ends and tabs as ``\n``, ``\r``, ``\t``; ``False`` writes every
            control by its code (``\x0a``), as logs do.
    """
    if not named:
        return _CONTROLS.sub(_escape_code, text)
    if keep:
        return _CONTROLS.sub(lambda m: m.group() if m.group() in keep else _escape(m), text)
    return _CONTROLS.sub(_escape, text)


def terminal_safe(text: str) -> str:
    """Return multi-line output fit for a terminal: line ends and tabs kept, other controls escaped.

    A carriage return is kept only in a CRLF line end (CSV's), where it cannot overwrite a line.
    """
    return "\r\n".join(escape_controls(part, keep="\n\t") for part in text.split("\r\n"))


#: What makes a spreadsheet read a CSV cell as a formula (OWASP's "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """Return ``cell`` with a leading ``'`` when a spreadsheet would run it as a formula.

    ``=HYPERLINK(...)``, ``+1``, ``-1``, ``@SUM(...)`` and cells starting with a tab or carriage
    return get the quote; a spreadsheet then shows the text as written. Negative numbers are
    quoted too (the price of the rule being simple and complete).
    """
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    """Return ``text`` cut in the middle to at most about ``limit`` characters."""
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    tail = limit - head
    return f"{text[:head]} [... {len(text) - limit:,} characters left out ...] {text[-tail:]}"


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """Return ``text`` shortened and on one line with no raw control character (for messages)."""
    return escape_controls(shorten(text, limit))


def match_key(text: str) -> str:
    """Return the form two labels are compared in: NFKC, case-folded, spaces collapsed.

    ``ＮＱＰＦ``, ``nqpf`` and `` NQPF `` give the same key. The entity resolver of the graph
    layer and the HTML graph's views both match names with it.
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
