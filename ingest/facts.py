"""Facts: one per table cell, and one per figure stated in prose.

Table facts carry the row path, the column header and its period, the value
in base units (a 809,182 cell of a table "in thousands" is ``809182000``), the
printed text, scale, basis, note marker, the checks the figure passed and the
repairs applied to its table.  When an inline-XBRL tag sits in the cell its
value is authoritative and its concept name is kept.

Prose facts come from sentences such as "Capital expenditures and
depreciation during the fourth quarter of 2007 were $35.9 million and $28.4
million, respectively": each amount is paired with its subject and period.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from .models import Basis, Fact, Period, TextBlock, Unit
from .numbers import clean_text, parse_number, scale_factor
from .periods import (
    MONTH_RE,
    MONTHS,
    add_months,
    duration_start,
    month_end,
    named_by_start,
    parse_date,
    period_label,
)
from .statements import table_kind
from .tables import ParsedTable, Row, scale_for, unit_for


def fact_id(doc_id: str, locator: str) -> str:
    return hashlib.sha256(f"{doc_id}|{locator}".encode()).hexdigest()[:24]


def _basis(table: ParsedTable, row: Row) -> Basis | None:
    label = " ".join(row.path).lower()
    if re.search(r"\bnon-gaap\b|\badjusted\b|\bfree cash flow\b|\bebitda\b|\borganic\b", label):
        return "non-GAAP"
    if re.search(r"\bgaap\b", label):
        return "GAAP"
    return table.basis_hint


def table_facts(table: ParsedTable, doc_id: str, document: str) -> list[Fact]:
    facts: list[Fact] = []
    kind = table_kind(table.title, [" > ".join(row.path) or row.label for row in table.rows])
    for row_index, row in enumerate(table.rows):
        if not row.label:
            continue
        entries = row.values if row.aligned else [None] * len(table.columns)
        for column_index, entry in enumerate(entries):
            if entry is None:
                continue
            facts.append(_cell_fact(table, row, row_index, column_index, doc_id, document))
        if not row.aligned:
            for position in range(len(row.pending)):
                facts.append(_unaligned_fact(table, row, row_index, position, doc_id, document))
    return [replace(f, statement=kind) for f in facts]


def _cell_fact(
    table: ParsedTable, row: Row, row_index: int, column_index: int, doc_id: str, document: str
) -> Fact:
    entry = row.values[column_index]
    assert entry is not None
    column = table.columns[column_index]
    unit = unit_for(table, row, entry, column_index)
    factor, scale_word = scale_for(table, unit, row, column_index)
    value = entry.value.value
    assert value is not None
    value = value * factor
    concept = None
    xbrl = entry.cell.xbrl
    checks = list(sorted(row.checks[column_index])) if column_index < len(row.checks) else []
    repairs = list(dict.fromkeys([*table.repairs, *row.repairs]))
    period = column.period
    if row.period is not None and (period is None or column.from_context):
        period = row.period  # "October 1, 2024—October 31, 2024" beats the title's quarter
    if row.quarter is not None and column.quarterly and period is not None:
        period = quarter_within(period, row.quarter, table.fy_end_month)
    period = balance_instant(period, f"{column.header} {row.label}", table.fy_end_month)
    if xbrl is not None:
        # The tag is authoritative for the magnitude, unit, scale and period.  The printed
        # sign is kept: XBRL concepts are signless where a statement prints an outflow in
        # parentheses, and sign="-" where a positive figure is printed under a "loss" label.
        concept = xbrl.concept
        if abs(xbrl.value) == abs(value):
            checks.append(f"xbrl:{concept}")
        else:
            repairs.append("xbrl_value_used")
        printed = entry.value.value or Decimal(0)
        value = abs(xbrl.value) if printed > 0 else -abs(xbrl.value) if printed < 0 else xbrl.value
        unit = _xbrl_unit(xbrl.unit, entry.value.percent) or unit
        scale_word = _SCALE_NAMES.get(xbrl.scale) if unit in ("USD", "shares") else None
        if xbrl.period is not None:  # the context's exact dates (Apple's Q3 began March 30)
            tagged = xbrl.period
            period = Period(
                tagged.kind,
                tagged.end,
                tagged.start,
                tagged.label or period_label(tagged, table.fy_end_month),
            )
    return Fact(
        fact_id=fact_id(doc_id, f"t{table.index}:r{row_index}:c{column_index}"),
        doc_id=doc_id,
        document=document,
        table=table.title or None,
        row=row.label.rstrip(":"),
        row_path=row.path,
        column=column.header,
        period=period,
        value=_normal(value),
        unit=unit,
        as_printed=clean_text(entry.cell.text),
        scale=scale_word,
        basis=_basis(table, row),
        note=row.note or entry.value.note,
        checks=tuple(checks),
        repairs=tuple(repairs),
        char_start=entry.cell.char_start,
        char_end=entry.cell.char_end,
        page=table.raw.page,
        concept=concept,
        validated=table.validated,
        table_index=table.index,
    )


_SCALE_NAMES = {3: "thousands", 6: "millions", 9: "billions"}
_OPENING = re.compile(
    r"\b(?:balances? at (?:the )?beginning|beginning (?:of (?:the )?(?:year|period)|"
    r"balances?)|at beginning of)",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"\b(?:balances? at (?:the )?end|ending balances?|at end of "
    r"(?:the )?(?:year|period))",
    re.IGNORECASE,
)


_AT_DAY = re.compile(  # "At 1 January", "As at 31 December": a balance on that day each year
    rf"(?:^|\s)(?:balances?\s+)?(?:as\s+)?at\s+(?:(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{MONTH_RE})"
    rf"|(?P<m2>{MONTH_RE})\s+(?P<d2>\d{{1,2}}))\s*$",
    re.IGNORECASE,
)


def quarter_within(period: Period, quarter: int, fy_end_month: int) -> Period | None:
    """The ``quarter``-th quarter of a fiscal year ("second" under "2016 high": the quarter
    ended June 30, 2016); None for a period that is no year."""
    if period.kind != "duration" or period.start is None:
        return None
    if round((period.end - period.start).days / 30.44) != 12:
        return None
    last = add_months(period.end.replace(day=1), -3 * (4 - quarter))
    end = month_end(last.year, last.month)
    span = Period("duration", end=end, start=duration_start(end, 3))
    return Period(span.kind, span.end, span.start, period_label(span, fy_end_month))


def balance_instant(period: Period | None, text: str, fy_end_month: int) -> Period | None:
    """A balance at the beginning or end of a period is an instant: "Balance at beginning of
    year" in the year ended June 30, 1999 is June 30, 1998."""
    if period is None or period.kind != "duration" or period.start is None:
        return period
    on = _AT_DAY.search(text)
    at = (
        (MONTHS[(on.group("m") or on.group("m2")).lower()], int(on.group("d") or on.group("d2")))
        if on
        else None
    )
    opening, closing = _OPENING.search(text), _CLOSING.search(text)
    if opening and closing:
        # "Balance at Beginning of" spanned over "Balance at End of Period": the column's own
        # words come last
        opening, closing = (None, closing) if closing.start() > opening.start() else (opening, None)
    if opening or at == (period.start.month, period.start.day):
        day = period.start - timedelta(days=1)
    elif closing or at == (period.end.month, period.end.day):
        day = period.end
    else:
        return period
    instant = Period("instant", end=day)
    return Period("instant", end=day, label=period_label(instant, fy_end_month))


def _xbrl_unit(unit: str, percent: bool) -> Unit | None:
    if percent:
        return "percent"
    known: dict[str, Unit] = {
        "USD": "USD",
        "USD/share": "USD/share",
        "shares": "shares",
        "ratio": "ratio",
    }
    return known.get(unit)


def _unaligned_fact(
    table: ParsedTable,
    row: Row,
    row_index: int,
    position: int,
    doc_id: str,
    document: str,
) -> Fact:
    entry = row.pending[position]
    unit = unit_for(table, row, entry)
    factor, scale_word = scale_for(table, unit, row)
    value = entry.value.value
    assert value is not None
    return Fact(
        fact_id=fact_id(doc_id, f"t{table.index}:r{row_index}:u{position}"),
        doc_id=doc_id,
        document=document,
        table=table.title or None,
        row=row.label.rstrip(":"),
        row_path=row.path,
        column="(unaligned)",
        period=None,
        value=_normal(value * factor),
        unit=unit,
        as_printed=clean_text(entry.cell.text),
        scale=scale_word,
        basis=_basis(table, row),
        note=row.note,
        checks=(),
        repairs=tuple(dict.fromkeys([*table.repairs, "unaligned_row"])),
        char_start=entry.cell.char_start,
        char_end=entry.cell.char_end,
        page=table.raw.page,
        validated=False,
        table_index=table.index,
    )


def _normal(value: Decimal) -> Decimal:
    """Drop exponent noise: 809182.000 * 1000 → 809182000."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


# ---------------------------------------------------------------- prose facts

_AMOUNT_RE = re.compile(
    r"(?P<open>\()?(?P<cur>\\?\$)\s?(?P<open2>\()?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<close>\))?"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|M|B|bn)\b)?"
    r"(?P<per_share>\s+(?:per|a)\s+(?:diluted\s+|basic\s+)?share)?",
    re.IGNORECASE,
)
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_PERIOD_PHRASES = [
    re.compile(
        r"(?P<ord>first|second|third|fourth) quarter of (?:fiscal (?:year )?)?(?P<y>\d{4})", re.I
    ),
    re.compile(r"(?:twelve|12) months ended (?P<date>[A-Z][a-z]+\.? \d{1,2},? \d{4})", re.I),
    re.compile(r"(?:three|3) months ended (?P<qdate>[A-Z][a-z]+\.? \d{1,2},? \d{4})", re.I),
    re.compile(
        r"(?P<fy>\d{4}) fiscal year|fiscal (?:year )?(?P<fy2>\d{4})|full year (?P<fy3>\d{4})"
        r"|(?:twelve|12) months (?:of|in) (?P<fy4>\d{4})",
        re.I,
    ),
    re.compile(r"\bQ(?P<q>[1-4])\s?'(?P<yy>\d\d)\b"),
    re.compile(r"(?:same|comparable|corresponding) quarter (?:of|in) (?P<same>\d{4})", re.I),
]


def _phrase_period(match: re.Match[str], fy_end_month: int) -> Period | None:
    groups = match.groupdict()
    if groups.get("same"):
        previous = re.findall(
            r"\b(first|second|third|fourth) quarter", match.string[: match.start()], re.I
        )
        if not previous:
            return None
        groups = {"ord": previous[-1], "y": groups["same"]}
    if groups.get("ord") or groups.get("q"):
        quarter = _ORD[groups["ord"].lower()] if groups.get("ord") else int(groups["q"])
        year = int(groups["y"]) if groups.get("y") else 2000 + int(groups["yy"])
        end_month = (fy_end_month + 3 * quarter - 1) % 12 + 1
        fy_end_year = year + 1 if named_by_start(fy_end_month) else year
        end_year = fy_end_year if end_month <= fy_end_month else fy_end_year - 1
        end, months = month_end(end_year, end_month), 3
    elif groups.get("date") or groups.get("qdate"):
        parsed = parse_date(groups.get("date") or groups.get("qdate") or "")
        if parsed is None:
            return None
        end, months = parsed, 12 if groups.get("date") else 3
    else:
        year = int(
            groups.get("fy") or groups.get("fy2") or groups.get("fy3") or groups.get("fy4") or 0
        )
        end_year = year + 1 if named_by_start(fy_end_month) else year
        end, months = month_end(end_year, fy_end_month), 12
    period = Period("duration", end=end, start=duration_start(end, months))
    return Period(period.kind, period.end, period.start, period_label(period, fy_end_month))


_SUBJECT_RE = re.compile(
    r"^(?P<subject>.{3,160}?)\s+(?:for|during|in|of)\s+the\s+.{0,80}?\s+(?:was|were|totaled|"
    r"amounted to|of)\s+",
    re.IGNORECASE,
)


def sentences(block: TextBlock) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a block in document offsets."""
    spans = []
    start = 0
    text = block.text
    for match in re.finditer(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z“\"(])", text):
        before = text[max(0, match.start() - 4) : match.start()]
        if re.search(r"\b(?:Inc|Corp|Co|Ltd|No|U\.S|vs|Mr|Ms|Dr)\.$", before) or re.search(
            r"\b[A-Z]\.$", before
        ):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(block.char_start + a, block.char_start + b) for a, b in spans if b > a]


def prose_facts(
    block: TextBlock, doc_text: str, doc_id: str, document: str, fy_end_month: int = 12
) -> list[Fact]:
    facts: list[Fact] = []
    for start, end in sentences(block):
        sentence = doc_text[start:end]
        if "$" not in sentence:
            continue
        amounts = list(_AMOUNT_RE.finditer(sentence))
        if not amounts:
            continue
        found = [
            (match.start(), match.end(), period)
            for pattern in _PERIOD_PHRASES
            for match in pattern.finditer(sentence)
            if (period := _phrase_period(match, fy_end_month)) is not None
        ]
        # "fiscal 2024" inside "third quarter of fiscal 2024" is not a period of its own
        periods = [
            (start, period)
            for start, end, period in found
            if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in found)
        ]
        listed = _listed_years(sentence, len(amounts), fy_end_month)
        if not periods and not listed:
            continue
        periods.sort(key=lambda item: item[0])
        subjects = _subjects(sentence, len(amounts))
        for index, match in enumerate(amounts):
            parsed = parse_number(match.group("num"))
            if parsed is None:
                continue
            number = parsed[0]
            if (match.group("open") or match.group("open2")) and match.group("close"):
                number = -number  # "$(0.16)" or "($0.16)"; not "($0.88 per share ...)"
            period = (
                listed[index]
                if listed
                else _period_for(match.start(), match.end(), sentence, periods)
            )
            per_share = bool(match.group("per_share"))
            unit: Unit = "USD/share" if per_share else "USD"
            factor = scale_factor(match.group("scale") or "")
            subject = subjects[index] if index < len(subjects) else subjects[-1]
            local = _local_subject(sentence, match.start(), match.end())
            if local and not (len(subjects) > 1 and index < len(subjects)):
                subject = local
            lowered = sentence.lower()
            basis: Basis | None = (
                "non-GAAP"
                if "non-gaap" in subject.lower()
                or "non-gaap" in lowered[max(0, match.start() - 80) : match.start()]
                else "GAAP"
                if "gaap" in lowered
                else None
            )
            if per_share:
                subject = f"{subject} per share"
            facts.append(
                Fact(
                    fact_id=fact_id(doc_id, f"s{start + match.start()}"),
                    doc_id=doc_id,
                    document=document,
                    table=None,
                    row=subject,
                    row_path=(subject,),
                    column=period.label,
                    period=period,
                    value=_normal(number * factor),
                    unit=unit,
                    as_printed=match.group(0).replace("\\$", "$"),
                    scale=_SCALE_WORDS.get((match.group("scale") or "").lower()),
                    basis=basis,
                    note=None,
                    checks=(),
                    repairs=(),
                    char_start=start + match.start(),
                    char_end=start + match.end(),
                    page=block.page,
                    kind="sentence",
                    validated=True,
                )
            )
    return facts


_YEAR_LIST = re.compile(
    r"\b(?:fiscal(?: years?)?|years?|in|for|during)\s+"
    r"((?:(?:fiscal\s+)?(?:19|20)\d\d,?\s+)+and\s+(?:fiscal\s+)?(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def _listed_years(sentence: str, count: int, fy_end_month: int) -> list[Period]:
    """ "for fiscal 1999, 1998 and 1997 were $3.4 million, $2.9 million and $1.5 million,
    respectively" ("during fiscal 2019 and fiscal 2018"): one fiscal year per amount, in
    order."""
    if "respectively" not in sentence or count < 2:
        return []
    match = _YEAR_LIST.search(sentence)
    years = re.findall(r"(?:19|20)\d\d", match.group(1)) if match else []
    if len(years) != count:
        return []
    periods = []
    for year in years:
        end_year = int(year) + 1 if named_by_start(fy_end_month) else int(year)
        end = month_end(end_year, fy_end_month)
        period = Period("duration", end=end, start=duration_start(end, 12))
        periods.append(Period("duration", end, period.start, period_label(period, fy_end_month)))
    return periods


def _period_for(start: int, end: int, sentence: str, periods: list[tuple[int, Period]]) -> Period:
    """The period phrase right after the amount in the same clause, else the nearest before."""
    for position, period in periods:
        gap = sentence[end:position]
        if (
            position >= end
            and len(gap) < 90
            and not re.search(
                r";|\bcompared\b|\bversus\b|\bwhile\b|, and\b|\band \$|\bfrom\b|\b(up|down)\b",
                gap,
                re.IGNORECASE,
            )
        ):
            return period
    before = [period for position, period in periods if position < start]
    return before[-1] if before else periods[0][1]


_SCALE_WORDS = {
    "thousand": "thousands",
    "million": "millions",
    "billion": "billions",
    "trillion": "trillions",
    "m": "millions",
    "b": "billions",
    "bn": "billions",
}


def _local_subject(sentence: str, start: int, end: int) -> str | None:
    """ "a GAAP net loss of $1,001.4 million" → "GAAP net loss";
    "$1,283.4 million of impairment charges" → "Impairment charges"."""
    after = re.match(
        r"\s+of\s+((?:[a-z][\w-]*\s?){1,5}?)(?=[,.;]|\s+(?:or|and|for|in|during)\b)", sentence[end:]
    )
    if after:
        return after.group(1).strip().capitalize()
    before = re.search(
        r"(?:with|to|and|,)\s+(?:a |an |the )?((?:[A-Za-z][\w-]*\s){1,6})of\s*$",
        sentence[:start].replace("\\", ""),
    )
    if before:
        phrase = re.sub(
            r"^(?:compared (?:with|to)\s+)?(?:a |an |the )?",
            "",
            before.group(1).strip(),
            flags=re.IGNORECASE,
        )
        return phrase[:1].upper() + phrase[1:]
    return None


def _subjects(sentence: str, count: int) -> list[str]:
    clean = sentence.replace("\\$", "$").replace("**", "")
    match = _SUBJECT_RE.match(clean)
    subject = match.group("subject") if match else clean.split("$")[0]
    subject = re.sub(r"^(?:the|our)\s+", "", subject.strip(), flags=re.IGNORECASE)
    subject = re.sub(r"\s+(?:on a (?:gaap|non-gaap) basis)$", "", subject, flags=re.IGNORECASE)
    if "respectively" in clean and count > 1:
        parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", subject) if p.strip()]
        if len(parts) == count:
            return [part[:1].upper() + part[1:] for part in parts]
    subject = subject[:1].upper() + subject[1:]
    return [subject]
