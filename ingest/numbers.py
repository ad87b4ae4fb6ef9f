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


def clean_text(text: str) -> str:
    """Strip inline markup and markdown escapes, collapse whitespace."""
    text = _MARKUP.sub("", text).replace("\\$", "$").replace("\xa0", " ")
    text = text.replace("**", "")
    return " ".join(text.split())


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
