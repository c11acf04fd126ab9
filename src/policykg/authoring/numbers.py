"""Numbers written in words or numerals: ``五点三`` = 5.3, ``三十`` = 30, ``twelve`` = 12.

Split from :mod:`policykg.authoring.figures` (which re-exports :func:`zh_number` and
:func:`en_number`).
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["en_number", "zh_number"]

_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_DECIMAL_WAN = re.compile(r"(\d+(?:\.\d+)?)(万)?")
_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}


def zh_number(s: str) -> Decimal | None:
    """Read a number written with Arabic digits or Chinese numerals (五点三 = 5.3, 三十 = 30)."""
    if _DECIMAL.fullmatch(s):
        return Decimal(s)
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = zh_number(whole) if whole else Decimal(0)
        digits = "".join(
            str("零一二三四五六七八九".find(c)) for c in frac if c in "零一二三四五六七八九"
        )
        if w is None or len(digits) != len(frac):
            return None
        return Decimal(f"{w}.{digits}") if digits else w
    if "亿" in s:  # 三亿五千万 = 3 * 10^8 + 5000 * 10^4
        high, _, low = s.partition("亿")
        h = zh_number(high) if high else Decimal(1)
        lo = zh_number(low) if low else Decimal(0)
        if h is None or lo is None:
            return None
        return h * 10**8 + lo
    arabic = _DECIMAL_WAN.fullmatch(s)
    if arabic:  # 3.5万
        return Decimal(arabic.group(1)) * (10**4 if arabic.group(2) else 1)
    vals = {c: i for i, c in enumerate("零一二三四五六七八九")}
    vals.update({"〇": 0, "两": 2})
    units = {"十": 10, "百": 100, "千": 1000, "万": 10000}
    total, section, digit = 0, 0, None
    if not s:
        return None
    for c in s:
        if c in vals:
            if digit and c not in "零〇":
                return None  # 三四 (three or four) is not one number
            digit = vals[c]
        elif c in units:
            u = units[c]
            if u == 10000:
                total = (total + section + (digit or 0)) * u
                section, digit = 0, None
            else:
                section += (digit if digit is not None else 1) * u
                digit = None
        else:
            return None
    return Decimal(total + section + (digit or 0))


_EN_SMALL = dict(
    zip(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ),
        range(20),
        strict=True,
    )
)
_EN_TENS = dict(
    zip(
        (
            "twenty",
            "thirty",
            "forty",
            "fifty",
            "sixty",
            "seventy",
            "eighty",
            "ninety",
        ),
        range(20, 100, 10),
        strict=True,
    )
)
_EN_SCALES = {"hundred": 100, **_SCALE}


def en_number(words: str) -> Decimal | None:
    """Read an English number written in words (``twenty-five``, ``two hundred and five``).

    Returns ``None`` for words that are not one number (``five six``).
    """
    total, current, last = 0, 0, ""
    tokens = re.split(r"[\s-]+", words.lower().strip())
    if not tokens or tokens == [""]:
        return None
    for i, w in enumerate(tokens):
        if w == "and":
            if last not in ("hundred", "thousand", "million", "billion", "trillion"):
                return None
            continue
        if w in ("a", "an") and i == 0:
            current, last = 1, "a"
            continue
        if w in _EN_SMALL:
            if last in _EN_SMALL or last in ("a",) or (last in _EN_TENS and _EN_SMALL[w] >= 10):
                return None
            current += _EN_SMALL[w]
        elif w in _EN_TENS:
            if last in _EN_SMALL or last in _EN_TENS:
                return None
            current += _EN_TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in _SCALE:
            total += (current or 1) * _SCALE[w]
            current = 0
        else:
            return None
        last = w
    return Decimal(total + current)
