"""Reading printed figures: ``$ (1,001,437)``, ``67.6%``, ``-``, ``C (595)``.

:func:`parse_cell` turns one cell's text into a :class:`CellValue`: the exact
``Decimal`` as printed (no scale applied), whether it was a nil dash, a
percentage or a currency amount, and a note marker printed in the same cell.
Parentheses and a leading minus make a figure negative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_MARKUP = re.compile(r"</?(?:u|b|i|strong|em|sup|sub)>", re.IGNORECASE)
_NOTE_PREFIX = re.compile(r"^(?P<note>[A-Z](?:/[A-Z])*)\s+(?=[-−–—$€£(\d.])")
_NOTE_ONLY = re.compile(r"^[A-Z](?:/[A-Z])*$")
_NIL = {"-", "—", "–", "−", "--", "---", "—%", "-%", "nil", "*"}  # "N/A", "NM" state no figure
_NUMBER = re.compile(
    r"""^(?P<lead_minus>[-−–])?\s*
        (?P<currency>[$€£¥]|US\$|USD)?\s*
        (?P<open>\()?\s*
        (?P<currency2>[$€£¥])?\s*
        (?P<minus>[-−–])?\s*
        (?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
        \s*(?P<close>\))?\s*
        (?P<pct>%)?\s*
        (?P<close2>\))?\s*
        (?P<suffix>[*†‡]+|\(\w\))?$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class CellValue:
    """A parsed cell. ``value`` is ``None`` only when the cell holds no figure."""

    value: Decimal | None
    nil: bool = False
    percent: bool = False
    currency: bool = False
    note: str | None = None

    @property
    def is_figure(self) -> bool:
        return self.value is not None


EMPTY = CellValue(value=None)


# "2 0 1 8": a year printed letter-spaced (a PDF's extraction), not next to other digits
_SPACED_YEAR = re.compile(r"(?<!\d)(?<!\d )(?:1 9|2 0) \d \d(?! ?\d)")


def unspaced_years(text: str) -> str:
    """ "2 0 1 8" (a PDF's letter spacing) as 2018; other digits as they are."""
    return _SPACED_YEAR.sub(lambda m: m.group(0).replace(" ", ""), text)


def clean_text(text: str) -> str:
    """Strip inline markup and markdown escapes, collapse whitespace; a cell that is only a
    year printed letter-spaced ("2 0 1 8", a PDF's extraction) closed up."""
    text = _MARKUP.sub("", text).replace("\\$", "$").replace("\xa0", " ")
    text = " ".join(text.replace("**", "").split())
    return text.replace(" ", "") if _SPACED_YEAR.fullmatch(text) else text


def is_note_marker(text: str) -> bool:
    """A bare note reference such as ``A``, ``B`` or ``A/B`` printed in its own cell."""
    return bool(_NOTE_ONLY.match(clean_text(text)))


def parse_cell(text: str) -> CellValue:
    """Parse a table cell.  Returns :data:`EMPTY` for labels and blank cells."""
    raw = clean_text(text)
    if not raw:
        return EMPTY
    note = None
    match = _NOTE_PREFIX.match(raw)
    if match:
        note = match.group("note")
        raw = raw[match.end() :].strip()
    bare = raw.replace("$", "").replace(" ", "").lower()
    if bare in _NIL or re.fullmatch(r"\(?[-−–—]+\)?%?", bare):
        return CellValue(
            value=Decimal(0), nil=True, percent="%" in raw, note=note, currency="$" in raw
        )
    parsed = parse_number(raw)
    if parsed is None:
        return EMPTY
    value, percent, currency = parsed
    return CellValue(value=value, percent=percent, currency=currency, note=note)


def parse_number(raw: str) -> tuple[Decimal, bool, bool] | None:
    """``(value, is_percent, is_currency)`` for a printed number, or None."""
    match = _NUMBER.match(raw.strip())
    if not match:
        return None
    digits = match.group("digits").replace(",", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    negative = bool(
        match.group("lead_minus")
        or match.group("minus")
        or (match.group("open") and (match.group("close") or match.group("close2")))
    )
    if match.group("open") and not (match.group("close") or match.group("close2")):
        return None
    if (match.group("close") or match.group("close2")) and not match.group("open"):
        return None
    if negative:
        value = -value
    currency = bool(match.group("currency") or match.group("currency2"))
    return value, bool(match.group("pct")), currency


_WORD_SCALE = {
    "thousand": Decimal(1000),
    "million": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
    "trillion": Decimal(1_000_000_000_000),
}


def scale_factor(word: str) -> Decimal:
    """``thousands`` → 1000; unknown words → 1."""
    word = word.lower().rstrip("s")
    if word in ("k", "thousand"):
        return _WORD_SCALE["thousand"]
    if word in ("m", "mm", "mn", "million"):
        return _WORD_SCALE["million"]
    if word in ("b", "bn", "billion"):
        return _WORD_SCALE["billion"]
    return _WORD_SCALE.get(word, Decimal(1))


WORD_NUMBERS = {
    "no": 0,
    "none": 0,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}


def words_to_number(text: str) -> Decimal | None:
    """ "thirty-nine" → 39, "one hundred twenty" → 120, "no" → 0; None if not a number."""
    total = current = 0
    words = [w for w in re.split(r"[\s\-]+", text.lower().strip(" .")) if w and w != "and"]
    if not words:
        return None
    for word in words:
        if word in WORD_NUMBERS:
            current += WORD_NUMBERS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _WORD_SCALES:
            total += max(current, 1) * _WORD_SCALES[word]
            current = 0
        elif re.fullmatch(r"\d+", word):
            current += int(word)
        else:
            return None
    return Decimal(total + current)


_UNITS = "|".join(
    sorted((w for w, n in WORD_NUMBERS.items() if 1 <= n <= 19), key=len, reverse=True)
)
_TENS = "|".join(w for w, n in WORD_NUMBERS.items() if n >= 20)
#: a number written in words up to ninety-nine ("three", "thirteen", "thirty-nine")
NUMBER_WORD_RE = rf"(?:(?:{_TENS})[\s-])?(?:{_UNITS})|(?:{_TENS})"
