"""Maturity schedules: amounts falling due year by year, "thereafter", and their printed total.

Two layouts print them. Years as columns, one row per obligation::

    | (in millions)              | total  | 2007  | 2008 | ... | thereafter |
    | long-term debt obligations | $4134  | $1340 | $198 | ... | $1451      |

and years as rows, the measure named by the text before the table or by its total row::

    | 2008                | $689  |
    | 2009                | 542   |
    | thereafter          | 4717  |
    | total debt          | $7680 |

:func:`find` reads either into a :class:`Schedule`: each amount with the first and last year
it falls due in (``None`` for "thereafter"), and the total. A schedule is only taken when its
amounts add up to the printed total, so a missing year or a misread column refuses instead of
dividing by the wrong whole. "What percentage of total purchase commitments are due in 2013"
is then the 2013 amount over the total; "due after 2012" adds every amount after 2012.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ingest.models import Fact

from .corpus import Row
from .search import GENERIC, Scored, tokens

if TYPE_CHECKING:
    from .pick import Picker

_YEAR = r"(?:19|20)\d\d"
# the end of a header or label: "payments due by period (1) 2008", "2021 -22", "fiscal 2010"
_ONE_YEAR = re.compile(rf"(?:^|\s)(?:fiscal\s+|fy\s*)?({_YEAR})\s*$", re.I)
_YEARS = re.compile(rf"(?:^|\s)({_YEAR})\s*(?:-|–|to|through)\s*((?:19|20)?\d\d)\s*$", re.I)
_ON_FROM = re.compile(rf"(?:^|\s)({_YEAR})\s*(?:and|&)\s*(?:thereafter|beyond|later)\s*$", re.I)
_AFTER = re.compile(
    rf"(?:^|\s)(?:thereafter|later years|after\s+({_YEAR})|beyond\s+({_YEAR}))\s*$", re.I
)
# buckets counted from the schedule's first year: "less than 1 year", "1-3 years", "2 2013 3
# years" (FinQA's "2–3 years"), "more than 5 years"; a trailing note mark "( a )" aside
_NOTE_MARK = re.compile(r"\s*\(\s*(?:[a-z]|\d)\s*\)\s*$", re.I)
_FIRST_YEAR = re.compile(r"(?:^|\s)(?:less than|under|within)\s+(?:1|one)\s+year\s*$", re.I)
_YEARS_FROM = re.compile(
    r"(?:^|\s)(?P<a>[1-9])\s*(?:-|–|to|2013)\s*(?P<b>[1-9]|10)\s+years\s*$", re.I
)
_YEARS_ON = re.compile(
    r"(?:^|\s)(?:more than|after|over|beyond)\s+(?P<a>[1-9]|10|five|three)\s+years\s*$", re.I
)
_TOTAL = re.compile(r"\btotal\b", re.I)
_SUMS_TO = "sums_to:"
_SCHEDULE_WORDS = frozenset(tokens("due payable maturity maturities maturing scheduled thereafter"))

_NAMED_SHARE = 0.75  # of the measure's word weight a years-as-rows schedule's total, title
# and lead-in must say (as for any schedule of years, pick._SCHEDULE_SHARE)
Span = tuple[int, int | None]  # the first and last year an amount falls due; None: no end


@dataclass(frozen=True)
class Schedule:
    """Amounts by the years they fall due in, and the total they add up to."""

    parts: tuple[tuple[Span, Fact], ...]
    total: Fact

    def within(self, first: int, last: int | None) -> list[Fact]:
        """The amounts of the schedule's ``first`` to ``last`` years, counted from its first
        (1): "the next 12 months" is its first year, "1-3 years" its second and third; empty
        when its columns do not split there."""
        starts = [f for (f, _), _ in self.parts]
        base = min(starts) - 1 if starts and min(starts) >= 1900 else 0
        return _covering(list(self.parts), base + first, None if last is None else base + last)

    def due(self, when: str, year: int) -> list[Fact]:
        """The amounts due in ``year`` (``when`` "in") or after it (``when`` "after"); empty
        when the schedule does not split there ("due in 2022" against a "2021-22" column)."""
        if when == "in":
            return [fact for (first, last), fact in self.parts if first == last == year]
        if any(first <= year and (last is None or last > year) for (first, last), _ in self.parts):
            return []  # a column straddles the year
        if not any(last is not None and last >= year for (_, last), _ in self.parts):
            return []  # the schedule starts after the year: nothing says where it splits
        return [fact for (first, _), fact in self.parts if first > year]


def _covering(parts: list[tuple[Span, Fact]], first: int, last: int | None) -> list[Fact]:
    """The amounts whose spans fill ``first`` to ``last`` exactly, in order; empty when a span
    straddles either end or leaves a gap."""
    chosen = sorted(
        (
            (start, end, fact)
            for (start, end), fact in parts
            if start >= first and (last is None or (end is not None and end <= last))
        ),
        key=lambda item: item[0],
    )
    expected = first
    for start, end, _ in chosen:
        if start != expected:
            return []
        expected = end + 1 if end is not None else -1
    if (
        not chosen
        or (last is None and expected != -1)
        or (last is not None and expected != last + 1)
    ):
        return []
    return [fact for _, _, fact in chosen]


def span(text: str, after: int | None) -> Span | None:
    """The years an amount headed or labelled ``text`` falls due in; ``after``: the last year
    before it, for "thereafter"."""
    text = _NOTE_MARK.sub("", text.strip())
    if _FIRST_YEAR.search(text):
        return 1, 1
    bucket = _YEARS_FROM.search(text)
    if bucket:
        low, high = int(bucket.group("a")), int(bucket.group("b"))
        # "1-3 years" after "less than 1 year" starts in the second year
        begin = after + 1 if after is not None and after < 1900 and after >= low else low
        return (begin, high) if high >= begin else None
    beyond = _YEARS_ON.search(text)
    if beyond:
        word = beyond.group("a").lower()
        count = int(word) if word.isdigit() else {"five": 5, "three": 3}[word]
        return count + 1, None
    one = _ONE_YEAR.search(text)
    if one:
        year = int(one.group(1))
        return year, year
    years = _YEARS.search(text)
    if years:
        first, end = int(years.group(1)), years.group(2)
        last = int(end) if len(end) == 4 else first // 100 * 100 + int(end)
        return (first, last) if last > first else None
    on_from = _ON_FROM.search(text)
    if on_from:
        return int(on_from.group(1)), None
    later = _AFTER.search(text)
    if later:
        named = later.group(1) or later.group(2)
        start = int(named) if named else after
        return (start + 1, None) if start is not None else None
    return None


def when(fact: Fact) -> str:
    """When a schedule's amount falls due, as its column or row prints it: "in 2013",
    "in 2021 -22", "thereafter", "in 2025 and thereafter"."""
    for text in (fact.column, fact.row_path[-1] if fact.row_path else fact.row):
        text = _NOTE_MARK.sub("", text or "")
        for pattern in (_FIRST_YEAR, _YEARS_FROM, _YEARS_ON):
            found = pattern.search(text)
            if found:
                said = found.group(0).strip()
                return said if pattern is _YEARS_ON else f"in {said}"
        for pattern in (_ONE_YEAR, _YEARS, _ON_FROM, _AFTER):
            found = pattern.search(text or "")
            if found:
                said = found.group(0).strip()
                return said if pattern is _AFTER else f"in {said}"
    return fact.row


def _spans(texts: Iterable[str]) -> list[Span] | None:
    """Each text's span, "thereafter" after the latest year before it; None when any text
    names no span."""
    out: list[Span] = []
    latest: int | None = None
    for text in texts:
        got = span(text, latest)
        if got is None:
            return None
        out.append(got)
        latest = got[1] if got[1] is not None else latest
    return out


def _adds_up(parts: list[Fact], total: Fact) -> bool:
    """The amounts come to the total, up to rounding in the last printed digit of each."""
    if total.value == 0 or any(p.unit != total.unit for p in parts):
        return False
    gap = abs(sum((p.value for p in parts), Decimal(0)) - total.value)
    return gap <= abs(total.value) * Decimal("0.002") or gap <= len(parts) * _last_digit(total)


def _last_digit(fact: Fact) -> Decimal:
    """What one in the last printed digit of a figure is worth ("$7,680" in millions: 1e6)."""
    digits = re.sub(r"[^\d.]", "", fact.as_printed)
    if not digits or not digits.replace(".", ""):
        return Decimal(0)
    printed = Decimal(digits)
    if printed == 0:
        return Decimal(0)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return abs(fact.value) / printed * Decimal(1).scaleb(-decimals)


def _by_columns(row: Row) -> Schedule | None:
    """A row whose columns are years, "thereafter" and a total."""
    totals = [f for f in row.facts if _TOTAL.search(f.column)]
    dated = [f for f in row.facts if not _TOTAL.search(f.column)]
    if len(totals) != 1 or len(dated) < 2:
        return None
    spans = _spans(f.column for f in dated)
    if spans is None or not _adds_up(dated, totals[0]):
        return None
    return Schedule(tuple(zip(spans, dated, strict=True)), totals[0])


def _by_rows(rows: list[Row], metric: str) -> Schedule | None:
    """A table whose rows are years and "thereafter", then their total: in the column whose
    header the metric names when there are several."""
    columns = list(dict.fromkeys(f.column for row in rows for f in row.facts))
    if len(columns) > 1:
        wanted = set(tokens(metric)) - GENERIC
        fit = {c: len(wanted & set(tokens(c))) for c in columns}
        best = max(fit.values())
        if best == 0 or list(fit.values()).count(best) > 1:
            return None
        columns = [c for c in columns if fit[c] == best]
    column = columns[0] if columns else ""
    labels: list[str] = []
    amounts: list[Fact] = []
    for row in rows:
        cell = next((f for f in row.facts if f.column == column), None)
        if cell is None:
            continue
        label = row.path[-1] if row.path else ""
        if amounts and (_TOTAL.search(label) or f"{_SUMS_TO}{label}" in amounts[-1].checks):
            spans = _spans(labels)
            if spans is not None and len(spans) >= 2 and _adds_up(amounts, cell):
                return Schedule(tuple(zip(spans, amounts, strict=True)), cell)
        if span(label, 0) is None:
            labels, amounts = [], []  # a row of words ends the run of years
            continue
        labels.append(label)
        amounts.append(cell)
    return None


def find(picker: Picker, metric: str, doc_ids: set[str]) -> Schedule:
    """The schedule of the metric that adds up: from the rows the metric's words find, in
    their order, then from schedules whose lead-in names the metric."""
    from .pick import Missing  # pick imports this module's callers; not at import time

    measure = re.sub(r"^\s*(?:the\s+)?total\s+", "", metric, flags=re.I)
    found: list[Scored] = picker.rows.search(
        measure, doc_ids, limit=10, ignore=picker.names(doc_ids)
    )
    found += picker.schedule_rows(measure, doc_ids)
    # a schedule's own words are no part of its measure: it is the maturities
    wanted = set(tokens(measure)) - GENERIC - picker.names(doc_ids) - _SCHEDULE_WORDS

    weight = picker.rows.weight(wanted)

    def says(text: str, share: float) -> bool:
        """The text carries ``share`` of the measure's word weight."""
        return weight > 0 and picker.rows.weight(wanted & set(tokens(text))) >= share * weight

    seen: set[tuple[str, object]] = set()
    for scored in found:
        row = scored.row
        if not row.facts or row.facts[0].kind == "sentence":
            continue
        across = _by_columns(row)
        if across is not None and says(row.label, 1.0):
            # the obligation's own row: "long-term debt obligations", not "unconditional
            # purchase obligations" in a table titled "contractual obligations"
            return across
        cell = row.facts[0]
        key = (cell.doc_id, cell.table_index if cell.table_index is not None else cell.table)
        if key in seen:
            continue
        seen.add(key)
        down = _by_rows(picker.table_rows(cell), metric)
        if down is not None:
            total = down.total
            named = f"{total.row} {total.table or ''} {picker.table_context(total)}"
            if says(named, _NAMED_SHARE):
                return down
    raise Missing(
        f"The indexed filings have no schedule of “{measure}” by year that adds up to a "
        "printed total."
    )
