"""From a raw grid to a table of figures: header periods, row hierarchy, scale, units, basis.

:func:`parse_table` reads a :class:`~ingest.models.RawTable`:

* header rows (leading rows with no figures other than years) are stacked per
  column into one header text ("Three Months Ended December 31," over "2007"
  gives "Three Months Ended December 31, 2007") and resolved into a period;
* data rows are split into a label, an optional note marker (A, B, A/B) and
  values.  Rows whose values fill every column are placed directly; rows with
  fewer values keep them in ``pending`` for :mod:`ingest.repair` to align by
  evidence (a value is never placed by guesswork);
* section rows ("Cost of revenues:") give the rows below them a ``path``;
* the title and header give the scale ("in thousands, except per share
  amounts"), which applies to dollars and share counts but not to per-share
  amounts or percentages.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .models import Basis, Period, RawCell, RawTable, Unit
from .numbers import CellValue, clean_text, is_note_marker, parse_cell, scale_factor
from .periods import (
    DATE_RE,
    MONTH_RE,
    ORDINALS,
    QUARTER_RE,
    YEAR_RE,
    date_only,
    duration_start,
    labelled,
    parse_date,
    parse_header_period,
)


@dataclass
class Entry:
    """One value of a row: the parsed figure and the cell it came from."""

    value: CellValue
    cell: RawCell


@dataclass
class Row:
    label: str
    values: list[Entry | None]
    path: tuple[str, ...] = ()
    note: str | None = None
    pending: list[Entry] = field(default_factory=list)
    aligned: bool = True
    section: bool = False
    label_cell: RawCell | None = None
    checks: list[set[str]] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    period: Period | None = None  # a period named by the row label or its section row
    quarter: int | None = None  # "second", "quarter ended june 30": of its column's year

    @property
    def has_values(self) -> bool:
        return any(entry is not None for entry in self.values) or bool(self.pending)

    def numbers(self) -> list[Decimal | None]:
        return [entry.value.value if entry else None for entry in self.values]


@dataclass
class Column:
    header: str
    period: Period | None
    percent: bool = False  # a column of percentages ("% change"), whatever its cells print
    unit_hint: Unit | None = None  # what the header says its figures are ("Number of shares")
    from_context: bool = False  # the period came from the title or stub, not the header
    quarterly: bool = False  # "2016 high" over quarter rows: each row is a quarter of its year


@dataclass
class ParsedTable:
    index: int
    raw: RawTable
    title: str
    columns: list[Column]
    rows: list[Row]
    scale_word: str | None
    scale: Decimal
    share_scale: str | None
    basis_hint: Basis | None
    currency: bool
    fy_end_month: int = 12
    repairs: list[str] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)
    passed_checks: int = 0

    @property
    def validated(self) -> bool:
        return not self.failed_checks

    @property
    def name(self) -> str:
        """The title's most specific line, for reports: "Stock-Based Compensation by Category"
        rather than the company name or "(in thousands)"."""
        parts = [part for part in self.title.split(" / ") if part]
        specific = [
            part
            for part in parts
            if not part.startswith("(")
            and not re.search(r"\b(?:Inc\.|INC\.|Corporation|CORPORATION|Corp\.|plc|Ltd\.)", part)
        ]
        return (specific or parts or ["untitled"])[0]


_SCALE_RE = re.compile(
    r"\b(?:in|amounts? in|dollars in|\$ in|usd in)\s+(thousands?|millions?|billions?)\b"
    r"|\((?:\$|usd)?\s*(thousands?|millions?|billions?|000s|000's)\b"
    r"|\b(thousands|millions|billions) of (?:u\.s\. )?dollars\b"
    r"|\(\s*in(thousands|millions|billions)\s*\)"  # "(inthousands)": a PDF's words run together
    r"|(?<![\d.,])(?:\$|US\$|USD)\s*(thousands?|millions?|billions?)\b"
    # "All figures in USD ‘000", "$'000", "£000s": thousands
    r"|(?:\$|\bUSD|\bUS\$|€|£|\bin)\s*\(?[‘'’]?(000s?)\)?(?![.,]?\d)",
    re.IGNORECASE,
)
_ROW_SCALE_RE = re.compile(
    r"\(\s*(?:\$|US\$)\s*(?:in\s+)?(B|M|K|bn|mm|billions?|millions?|thousands?)\s*\)"
    r"|\((?:\$\s*)?in\s+(billions?|millions?|thousands?)\)",
    re.IGNORECASE,
)


def row_scale(label: str) -> str | None:
    """A scale stated in a row label: "Revenue ($B)", "Employees (in thousands)"."""
    match = _ROW_SCALE_RE.search(label)
    if not match:
        return None
    word = (match.group(1) or match.group(2)).lower()
    return {
        "b": "billions",
        "bn": "billions",
        "m": "millions",
        "mm": "millions",
        "k": "thousands",
    }.get(word, word if word.endswith("s") else word + "s")


_EXCEPT_SHARE_DATA_RE = re.compile(r"except\s+(?:for\s+)?(?:number of\s+)?shares?\b", re.IGNORECASE)
_SHARE_SCALE_RE = re.compile(
    r"\bshares?\b[^.;)]{0,40}?\b(?:in|reflected in)\s+(thousands|millions|billions)\b",
    re.IGNORECASE,
)


def detect_share_scale(text: str, scale_word: str | None) -> str | None:
    """The scale of share counts: stated separately ("shares in thousands", "except number
    of shares, which are reflected in thousands"), excluded ("except share data"), or the
    table's own."""
    stated = _SHARE_SCALE_RE.search(text)
    if stated:
        return stated.group(1).lower()
    if _EXCEPT_SHARE_DATA_RE.search(text):
        return None
    return scale_word


def detect_scale(text: str) -> tuple[str | None, Decimal]:
    match = next(
        (
            m
            for m in _SCALE_RE.finditer(text)
            if re.search(
                r"\b(?:dollars|amounts)\s+and\s+shares?\s+$",
                text[max(0, m.start() - 40) : m.start()],
                re.IGNORECASE,
            )
            or not re.search(
                r"\bshares?\s+(?:\w+\s+){0,2}$",
                text[max(0, m.start() - 40) : m.start()],
                re.IGNORECASE,
            )
        ),
        None,
    )
    if not match:
        return None, Decimal(1)
    word = next(group for group in match.groups() if group).lower()
    if word.startswith("000"):
        word = "thousands"
    if not word.endswith("s"):
        word += "s"  # "$ million" → "millions"
    return word, scale_factor(word)


def _is_header_row(cells: list[RawCell]) -> bool:
    """A header row has no figure other than years, dates and words."""
    texts = [clean_text(cell.text) for cell in cells[1:]]
    label = clean_text(cells[0].text) if cells else ""
    non_empty = [text for text in texts if text]
    if not non_empty:
        # "March 30, 2025 to May 3, 2025:" heads the rows below it; "2007" heads columns
        if label.endswith(":") or row_period(label) is not None:
            return False
        if re.fullmatch(
            r"\(?\s*(?:[$€£¥]\s*)?(?:amounts\s+)?in\s+(?:thousands|millions|billions)"
            r"(?:\s+of\s+\w+)?\s*\)?",
            label,
            re.I,
        ):
            return True  # "($ in millions)" printed in the label column above the years
        return not label or bool(re.search(r"\b(?:19|20)\d\d\b", label))
    for text in non_empty:
        bare = _unmarked(text)  # "2017 (1)", "2006*"
        if YEAR_RE.fullmatch(bare) or _SHORT_YEAR.fullmatch(bare):
            continue
        value = parse_cell(text)
        if value.is_figure and not value.nil:
            return False
        if value.nil:
            return False
    return True


def _figures_like_years(cells: list[RawCell], header_rows: list[list[RawCell]]) -> bool:
    """ "shares outstanding at beginning of period | 1945 | 1974" under "2014 | 2013": a row
    named in words whose figures fall in the years' range, below a header row of years, is
    data (share counts in millions), not a second header row."""
    label = clean_text(cells[0].text) if cells else ""
    if not header_rows or not re.search(r"[a-z]{3}", label, re.I) or row_period(label):
        return False
    above = [clean_text(c.text) for c in header_rows[-1][1:]]
    own = [clean_text(c.text) for c in cells[1:] if clean_text(c.text)]
    return (
        bool(own)
        and any(YEAR_RE.fullmatch(t) for t in above)
        and all(YEAR_RE.fullmatch(t) for t in own)
    )


def _title_row(cells: list[RawCell], following: list[list[RawCell]]) -> bool:
    """A label-only row over a row of years ("Years Ended December 31" or "Income statement
    expense" over "2019 2018 2017") is part of the header, not a section of rows; so is one
    over header rows of words that lead to the years ("Year Ended May 31," over "Percent
    Change" over "2019 Actual Constant 2018")."""
    if not cells or any(clean_text(cell.text) for cell in cells[1:]):
        return False
    label = clean_text(cells[0].text)
    if not label or label.endswith(":") or row_period(label) is not None:
        return False
    for row in following[:3]:
        if not _is_header_row(row):
            return False
        if any(_year_header(clean_text(c.text)) for c in row[1:]):
            return True
    return False


# a fiscal year printed short: "FY19", "FY 2019**", "Q4 FY19"
_SHORT_YEAR = re.compile(r"(?:q[1-4]\s*)?fy\s?'?(?:\d{2}|\d{4})", re.I)


def _unmarked(text: str) -> str:
    """A header cell without its note marks: "2017 (1)", "2006*", "FY19**"."""
    return re.sub(r"\(\d\)|\*", "", text).strip()


def _year_header(text: str) -> bool:
    return bool(YEAR_RE.search(text) or _SHORT_YEAR.fullmatch(_unmarked(text)))


def _dates_rows(header_rows: list[list[RawCell]]) -> bool:
    """Is the last header row a date printed alone in the label column, under column headers
    that carry no year?"""
    last = header_rows[-1]
    label = clean_text(last[0].text) if last else ""
    if any(clean_text(cell.text) for cell in last[1:]) or _date_alone(label) is None:
        return False
    return not any(YEAR_RE.search(clean_text(c.text)) for row in header_rows[:-1] for c in row[1:])


def _date_alone(label: str) -> date | None:
    """The day a label that is only a date names ("June 30, 2019", "As at 31 December 2019")."""
    dated = _SECTION_DATE.fullmatch(label.strip())
    return parse_date(dated.group("date")) if dated else None


def _expand(row: list[RawCell]) -> list[RawCell | None]:
    """Logical positions of an aligned row; a spanning cell covers its colspan."""
    out: list[RawCell | None] = []
    for cell in row:
        out.append(cell)
        out.extend([cell] * (cell.colspan - 1))
    return out


def _header_texts_tsv(
    header_rows: list[list[RawCell]], data_rows: list[list[RawCell]]
) -> tuple[list[int], list[str]]:
    """Column positions from the fullest header row (the last of equals: "2007 2006" under a
    spanning "Three Months Ended", not an "(in millions)" note under the years); stacked
    header text per column.  With ``data_rows`` (a table whose cells keep their places), a
    place no header names but the figures use is a column too: the "%" beside "2019", under
    the year printed over both."""
    counts = [sum(1 for cell in row[1:] if clean_text(cell.text)) for row in header_rows]
    fullest = max(i for i, n in enumerate(counts) if n == max(counts))
    last = header_rows[fullest]
    positions = [i for i, cell in enumerate(last) if i > 0 and clean_text(cell.text)]
    used = {
        i
        for row in data_rows
        for i, cell in enumerate(row)
        if i > 0 and parse_cell(clean_text(cell.text)).is_figure
    }
    positions = sorted(set(positions) | used)
    texts = []
    for pos in positions:
        parts = []
        own = clean_text(last[pos].text) if pos < len(last) else ""
        for row in header_rows:
            text = _spanning_text_tsv(row, pos)
            spanned = pos >= len(row) or not clean_text(row[pos].text)
            if spanned and _CHANGE_RE.search(text) and YEAR_RE.fullmatch(_bare_year(own)):
                continue  # "Percent Change" spans "Actual Constant", not the "2018" beside them
            parts.append(text)
        texts.append(" ".join(part for part in parts if part))
    return positions, texts


def _spanning_text_tsv(row: list[RawCell], pos: int) -> str:
    """Text of the cell at or before ``pos`` that spans to it (empty cells extend a span)."""
    for index in range(min(pos, len(row) - 1), 0, -1):
        text = clean_text(row[index].text)
        if text:
            return text
    return ""


def parse_table(
    raw: RawTable, index: int, fy_end_month: int = 12, previous: ParsedTable | None = None
) -> ParsedTable:
    """Parse one table.  ``previous`` is the table just before it in the document: a table
    with no title of its own continues it (same title and scale), and one with no header
    rows and as many columns takes its column headers."""
    rows = [row for row in raw.rows if any(clean_text(cell.text) for cell in row)]
    header_rows: list[list[RawCell]] = []
    while (
        rows
        and len(header_rows) < 5
        and (_is_header_row(rows[0]) or _title_row(rows[0], rows[1:]))
        and not _figures_like_years(rows[0], header_rows)
    ):
        header_rows.append(rows.pop(0))
    if len(header_rows) > 1 and _dates_rows(header_rows):
        # "June 30, 2019" alone under "Gross Carrying Amount | Net": it dates the rows below
        # it (a later "June 30, 2018" dates the next block), not the columns
        rows.insert(0, header_rows.pop())
    title = " / ".join(line for line in raw.title_lines if line)
    context = " ".join([*raw.title_lines, *(c.text for r in header_rows for c in r)])
    # a lead-in's "(in thousands, except per share data)" is the table's, after its own words
    scoped = f"{context} {raw.lead_in}" if raw.lead_in else context
    scale_word, scale = detect_scale(scoped)
    share_scale = detect_share_scale(scoped, scale_word)

    notes_at = None
    if raw.aligned:
        columns, positions = _aligned_columns(raw, header_rows, fy_end_month)
    else:
        columns, positions, notes_at = _tsv_columns(rows, header_rows, fy_end_month, raw.positional)
    _periods_from_context(columns, raw, header_rows, fy_end_month)
    continued = previous is not None and not raw.title_lines
    if continued and previous is not None:
        title = previous.title
        scale_word, scale, share_scale = previous.scale_word, previous.scale, previous.share_scale
        context = f"{previous.title} {context}"
        if not header_rows and len(columns) == len(previous.columns):
            columns = [Column(c.header, c.period) for c in previous.columns]
    elif previous is not None and scale_word is None and previous.scale_word:
        # a table of the same note under its own heading: "(in millions)" was said once above
        scale_word, scale, share_scale = previous.scale_word, previous.scale, previous.share_scale
    parsed_rows = [
        _data_row(row, positions, raw.aligned or raw.positional, notes_at) for row in rows
    ]
    stubs = [row[0] for row in header_rows if row and clean_text(row[0].text)]
    stub = clean_text(stubs[-1].text) if stubs else ""
    if (
        stub
        and not _PERIOD_WORDS.search(stub)
        and not YEAR_RE.search(stub)
        and not stub.startswith("(")
        and not re.search(r"\b(?:millions?|thousands?|billions?|unaudited)\b|[$€£¥]", stub, re.I)
    ):
        # "ASSETS" printed in the header row's label cell heads the rows below it
        parsed_rows.insert(
            0,
            Row(label=stub, values=[None] * len(columns), section=True, label_cell=stubs[-1]),
        )
    _assign_paths(parsed_rows)
    _row_periods(parsed_rows, fy_end_month, stub if YEAR_RE.fullmatch(stub) else None)
    _quarter_rows(parsed_rows, columns, fy_end_month)
    if not any(column.period for column in columns):
        _periods_from_labels(parsed_rows, fy_end_month)
    _percent_columns(columns, parsed_rows)
    lowered = (title + " " + context).lower()
    basis: Basis | None = None
    if "non-gaap" in lowered or "reconciliation" in lowered or "adjusted" in lowered:
        basis = None
    else:
        basis = "GAAP"
    currency = (
        "$" in context
        or any(entry.value.currency for row in parsed_rows for entry in row.values if entry)
        or any(entry.value.currency for row in parsed_rows for entry in row.pending)
    )
    return ParsedTable(
        index=index,
        raw=raw,
        title=title,
        columns=columns,
        rows=parsed_rows,
        scale_word=scale_word,
        scale=scale,
        share_scale=share_scale,
        basis_hint=basis,
        currency=currency or scale_word is not None,
        fy_end_month=fy_end_month,
    )


_PERIOD_WORDS = re.compile(
    r"\b(ended|ending|months|weeks|quarters?|years?|fiscal|as of)\b", re.IGNORECASE
)


_CHANGE_RE = re.compile(
    r"\bchange\b|%|inc\.?\s*/\s*\(?dec|increase|decrease|variance", re.IGNORECASE
)
_RANGE_RE = re.compile(
    r"(?P<a>[A-Z][a-z]+\.? \d{1,2},? \d{4}|[A-Z][a-z]+\.? \d{1,2})\s*(?:to|through|[-–—])\s*"
    r"(?P<b>[A-Z][a-z]+\.? \d{1,2},? \d{4})",
)


def row_period(label: str, fy_end_month: int = 12) -> Period | None:
    """The period a row label names: "October 1, 2024—October 31, 2024", "March 30, 2025 to
    May 3, 2025:" (repurchases by month), "Year Ended June 30, 1999" (a schedule's blocks).
    None for ordinary labels."""
    match = _RANGE_RE.search(label)
    if not match:
        if re.search(r"\b(?:ended|ending)\b", label, re.IGNORECASE) and DATE_RE.search(label):
            period = parse_header_period(label, fy_end_month)
            return period if period is not None and period.kind == "duration" else None
        return None
    end = parse_date(match.group("b"))
    start = parse_date(match.group("a")) if re.search(r"\d{4}", match.group("a")) else None
    if end is None:
        return None
    if start is None:
        start = parse_date(f"{match.group('a')}, {end.year}")
    if start is None or start > end:
        return None
    return Period("duration", end, start, f"{start.isoformat()} to {end.isoformat()}")


_LEADING_YEAR = re.compile(r"^(?:fiscal |fy ?)?((?:19|20)\d\d)\b(?![,./-]\d)(?:\s*\(\w\))?", re.I)
_BALANCE_WORDS = re.compile(
    r"\b(?:balance|as of|at|outstanding|liability|ending|beginning)\b", re.I
)


def _periods_from_labels(rows: list[Row], fy_end_month: int) -> None:
    """A table with no dated column dates its rows from their labels: a schedule of years
    ("2011 $62,465", "2012 54,236"), a year that opens the label ("2015 net revenue",
    "2016 net revenue"), a balance at a date ("balance as of december 31 2006"), and the
    changes between two dated balances the span between them."""
    for row in rows:
        if row.period is not None or row.section:
            continue
        label = row.label.strip()
        leading = _LEADING_YEAR.match(label)
        if leading and not re.search(r"\b(?:19|20)\d\d\b", label[leading.end() :]):
            row.period = parse_header_period(f"fiscal {leading.group(1)}", fy_end_month)
        elif (_BALANCE_WORDS.search(label) or date_only(label)) and (
            day := parse_date(label)
        ) is not None:
            # "balance as of december 31 2006"; a date alone, "december 31 2013" or
            # "31-dec-2012", in a table of dates as rows (a performance graph turned on its side)
            row.period = labelled(Period("instant", end=day), fy_end_month)
    _variance_rows(rows)
    # a roll-forward: the changes between two dated balances happened between those dates
    balances = [i for i, row in enumerate(rows) if row.period and row.period.kind == "instant"]
    for first, second in itertools.pairwise(balances):
        opening, closing = rows[first].period, rows[second].period
        if opening is None or closing is None or closing.end <= opening.end:
            continue
        start = opening.end + timedelta(days=1)
        span = labelled(Period("duration", end=closing.end, start=start), fy_end_month)
        for row in rows[first + 1 : second]:
            if row.period is None and not row.section:
                row.period = span


def _variance_rows(rows: list[Row]) -> None:
    """A variance analysis: "2007 net revenue | volume/weather | rider revenue | ... | 2008
    net revenue". The lines between a year's measure and the next year's are what changed it
    over the later year ("the rider revenue in 2008"), so they take that year."""
    yearly = [
        (i, row.period, _LEADING_YEAR.sub("", row.label).strip().lower())
        for i, row in enumerate(rows)
        if row.period is not None
        and row.period.kind == "duration"
        and _LEADING_YEAR.match(row.label.strip())
    ]
    for (first, _, measure), (second, period, other) in itertools.pairwise(yearly):
        between = rows[first + 1 : second]
        if (
            not measure
            or measure != other
            or period is None
            or not between
            or rows[first].period is None
            or rows[first].period.end >= period.end  # type: ignore[union-attr]
            or any(row.period is not None for row in between)
        ):
            continue
        for row in between:
            if not row.section:
                row.period = period


def _periods_from_context(
    columns: list[Column], raw: RawTable, header_rows: list[list[RawCell]], fy_end_month: int
) -> None:
    """Columns headed only "2023" take their period words from the header's stub cell
    ("Quarters Ended March 31,") or from the title ("For the year ended June 30")."""
    stubs = [clean_text(row[0].text) for row in header_rows if row and clean_text(row[0].text)]
    stub = " ".join(s for s in stubs if _PERIOD_WORDS.search(s))
    # (context, is_stub): a stub is part of the header; a title only lends its period
    contexts = [(stub, True)] if stub else []
    # a sentence of the narrative above the table ("as of December 31, 2018, we had $2.2
    # billion remaining") dates its own figure, not the table's columns
    contexts += [
        (line, False)
        for line in raw.title_lines
        if _PERIOD_WORDS.search(line) and not re.search(r"[$€£]\s?\d|\bwe\b", line, re.I)
    ]
    for column in columns:
        if _CHANGE_RE.search(column.header):
            continue
        if column.period is not None:
            _dated_by_context(column, contexts, fy_end_month)
            continue
        for context, is_stub in contexts:
            lent = _for_year(context, column.header)
            if lent is None:
                continue
            period = parse_header_period(f"{lent} {column.header}", fy_end_month)
            if period is not None:
                column.period = period
                column.from_context = not is_stub
                if is_stub and column.header and column.header not in context:
                    column.header = f"{context} {column.header}".strip()
                break
    _periods_from_siblings(columns, fy_end_month)
    _ended_siblings(columns, fy_end_month)


_ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _for_year(context: str, header: str) -> str | None:
    """The words a context lends a column headed by a year: "for the years ended December 31,
    2019 and 2018" over "2018" lends "for the years ended December 31," (the header's year
    dates the column, not the context's first); with several dates ("January 2, 2021 and
    December 28, 2019"), the one of the header's year, or all of them when none is; nothing to
    a year after the context's (a schedule's years of payments due)."""
    year, years = YEAR_RE.search(header), list(_ANY_YEAR.finditer(context))
    if year is None or not years:
        return context
    if int(year.group("year")) > max(int(y.group()) for y in years):
        return None  # "2020 | 2021-2022" under "obligations as of March 31, 2019": payments due
    dates = list(DATE_RE.finditer(context))
    if len(dates) <= 1:  # "fiscal 2019 and 2018", "December 31, 2019 and 2018"
        return context[: dates[0].start("year") if dates else years[0].start()]
    for found in dates:
        if found.group("year") == year.group("year"):
            return context[: dates[0].start()] + context[found.start() : found.start("year")]
    return context


def _dated_by_context(column: Column, contexts: list[tuple[str, bool]], fy_end_month: int) -> None:
    """A column headed by a date alone ("Dec 26, 2020") under a stub or title that says how
    long the period ended on it is ("Years Ended (In Millions)") is that period, not a balance
    on that date."""
    if column.period is None or column.period.kind != "instant":
        return
    if not date_only(re.sub(r"\s*\(\s*\w{1,2}\s*\)\s*$", "", column.header)):
        return  # "July 27, 2019 (1)": a date with a footnote mark is still a date alone
    for context, _ in contexts:
        if not re.search(r"\b(?:ended|ending)\b", context, re.I):
            continue
        period = parse_header_period(f"{context} {column.header}", fy_end_month)
        if period is not None and period.kind == "duration":
            column.period = period
            return


def _ended_siblings(columns: list[Column], fy_end_month: int) -> None:
    """ "Fiscal Year Ended" printed over the middle of "December 27, 2019 | December 28, 2018
    | December 29, 2017" spans all three: a column headed by a date alone, beside columns of
    periods of one length ended on a date, is a period of that length too."""
    durations = [c for c in columns if c.period and c.period.kind == "duration" and c.period.start]
    # in months, from days: a 52-53 week year is 12 months
    lengths = {
        round((c.period.end - c.period.start).days / 30.44)
        for c in durations
        if c.period and c.period.start
    }
    if len(lengths) != 1 or not any(re.search(r"\bended\b", c.header, re.I) for c in durations):
        return
    months = lengths.pop()
    for column in columns:
        if (
            column.period is not None
            and column.period.kind == "instant"
            and DATE_RE.fullmatch(column.header.strip())
        ):
            end = column.period.end
            column.period = labelled(
                Period("duration", end=end, start=duration_start(end, months)), fy_end_month
            )


def _periods_from_siblings(columns: list[Column], fy_end_month: int) -> None:
    """A column headed only "2019" beside "Fiscal 2018" and "Fiscal 2017" (a spanning word
    printed over the middle column) is fiscal 2019; a row of bare years with no period words
    anywhere ("2019 2018" in an annual report's note) names fiscal years."""
    bare = [c for c in columns if c.period is None and YEAR_RE.fullmatch(_bare_year(c.header))]
    if not bare:
        _worded_years(columns, fy_end_month)
        return
    _bare_years(columns, bare, fy_end_month)
    # "(losses) earnings 2015", "(losses) earnings 2014", "2013": bare and worded together
    _worded_years(columns, fy_end_month)


def _bare_years(columns: list[Column], bare: list[Column], fy_end_month: int) -> None:
    dated = [c for c in columns if c.period is not None and YEAR_RE.search(c.header)]
    for column in bare:
        year = _bare_year(column.header)
        if dated:
            model = dated[0]
            text = YEAR_RE.sub(year, model.header, count=1)
            column.period = parse_header_period(text, fy_end_month)
            column.from_context = True
        elif len({c.header for c in bare}) == len(bare) and all(
            c in bare or not c.header or _CHANGE_RE.search(c.header) for c in columns
        ):
            column.period = parse_header_period(f"fiscal {year}", fy_end_month)
            column.from_context = True


def _worded_years(columns: list[Column], fy_end_month: int) -> None:
    """A table none of whose columns names a period, headed by one year each among other
    words ("pension plans 2018", "2017 actual asset allocation", "2016 high"): fiscal years."""
    if any(c.period is not None for c in columns):
        return
    years = [set(YEAR_RE.findall(c.header)) for c in columns]
    worded = [
        (column, found.pop())
        for column, found in zip(columns, years, strict=True)
        if len(found) == 1 and not _CHANGE_RE.search(column.header)
    ]
    if len({year for _, year in worded}) < 2:
        return  # one year in every header is the table's date, not its columns'
    for column, year in worded:
        column.period = parse_header_period(f"fiscal {year}", fy_end_month)
        column.from_context = True


def _bare_year(header: str) -> str:
    """ "2019", "2019 (1)", "2019*", "2019 €m", "2019 $'000": the year, with the unit noise
    (currency and scale printed under the year) left out."""
    text = re.sub(r"\(\d\)|\*|\(%\)|(?<=\d)\s+%$", "", header)
    text = re.sub(
        r"(?:[$€£¥]|us\$|usd|eur|gbp|rmb|aud)\s*(?:m|mn|bn|b|k|'000|’000|000s|millions?|"
        r"thousands?)?\b|\b(?:m|mn|bn|'000|’000)\b|[$€£¥]",
        " ",
        text,
        flags=re.I,
    )
    return " ".join(text.split())


def _percent_columns(columns: list[Column], rows: list[Row]) -> None:
    for index, column in enumerate(columns):
        entries = [row.values[index] for row in rows if index < len(row.values)]
        figures = [e for e in entries if e is not None and not e.value.nil]
        percents = sum(1 for e in figures if e.value.percent)
        dollars = sum(1 for e in figures if e.value.currency)
        column.percent = "%" in column.header or (
            percents > 0 and dollars == 0 and column.period is None
        )
        column.unit_hint = header_unit(column.header)


def _tsv_columns(
    rows: list[list[RawCell]],
    header_rows: list[list[RawCell]],
    fy_end_month: int,
    positional: bool = False,
) -> tuple[list[Column], list[int], int | None]:
    if header_rows:
        positions, texts = _header_texts_tsv(header_rows, rows if positional else [])
    else:
        width = max((len(row) for row in rows), default=1)
        positions = list(range(1, width))
        texts = ["" for _ in positions]
    # a column headed "Notes" holds note references ("17"), not figures, as a column of note
    # markers does in an aligned table
    notes_at = next(
        (p for p, t in zip(positions, texts, strict=True) if _NOTES_HEADER.fullmatch(t)), None
    )
    kept = [(p, t) for p, t in zip(positions, texts, strict=True) if p != notes_at]
    columns = [Column(header=t, period=parse_header_period(t, fy_end_month)) for _, t in kept]
    return columns, [p for p, _ in kept], notes_at


def _aligned_columns(
    raw: RawTable, header_rows: list[list[RawCell]], fy_end_month: int
) -> tuple[list[Column], list[int]]:
    width = max((sum(cell.colspan for cell in row) for row in raw.rows), default=1)
    expanded = [_expand(row) for row in header_rows]
    positions = []
    data_rows = raw.rows[len(header_rows) :]
    for pos in range(1, width):
        used = any(
            pos < len(_expand(row)) and clean_text(_expand(row)[pos].text or "")  # type: ignore[union-attr]
            for row in data_rows
        )
        header = any(pos < len(row) and row[pos] is not None for row in expanded)
        if used or header:
            positions.append(pos)
    # a column of bare note markers (A, B, A/B) holds no values
    positions = [pos for pos in positions if not _note_column(data_rows, pos)]
    columns = []
    for pos in positions:
        parts: list[str] = []
        for row in expanded:
            cell = row[pos] if pos < len(row) else None
            text = clean_text(cell.text) if cell is not None else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        text = " ".join(parts)
        columns.append(Column(header=text, period=parse_header_period(text, fy_end_month)))
    return columns, positions


def _note_column(rows: list[list[RawCell]], pos: int) -> bool:
    texts = []
    for row in rows:
        cells = _expand(row)
        if pos < len(cells) and cells[pos] is not None:
            text = clean_text(cells[pos].text)  # type: ignore[union-attr]
            if text:
                texts.append(text)
    return bool(texts) and all(is_note_marker(text) for text in texts)


_NOTES_HEADER = re.compile(r"notes?|note\s*\(s\)|note reference", re.I)


def _data_row(
    cells: list[RawCell], positions: list[int], aligned: bool, notes_at: int | None = None
) -> Row:
    label_cell = cells[0] if cells else None
    label = clean_text(label_cell.text) if label_cell else ""
    label = label.rstrip()
    note = None
    if aligned:
        expanded = _expand(cells)
        values: list[Entry | None] = []
        for pos in positions:
            cell = expanded[pos] if pos < len(expanded) else None
            if cell is None or not clean_text(cell.text):
                values.append(None)
                continue
            parsed = parse_cell(cell.text)
            if parsed.note:
                note = parsed.note
            values.append(Entry(parsed, cell) if parsed.is_figure else None)
        for index, cell in enumerate(cells[1:], start=1):
            if is_note_marker(cell.text) or (index == notes_at and clean_text(cell.text)):
                note = clean_text(cell.text)
        row = Row(label=label, values=values, note=note, label_cell=label_cell)
        row.section = not row.has_values
        return row
    entries: list[Entry] = []
    for index, cell in enumerate(cells[1:], start=1):
        text = clean_text(cell.text)
        if not text:
            continue
        if index == notes_at:
            note = text
            continue
        if is_note_marker(text):
            note = text
            continue
        parsed = parse_cell(text)
        if parsed.note:
            note = parsed.note
        if parsed.is_figure:
            entries.append(Entry(parsed, cell))
    width = len(positions)
    if len(entries) == width:
        row = Row(label=label, values=list[Entry | None](entries), note=note, label_cell=label_cell)
    else:
        row = Row(
            label=label,
            values=[None] * width,
            note=note,
            pending=entries,
            aligned=not entries,
            label_cell=label_cell,
        )
    row.section = not entries
    return row


_TOTAL_RE = re.compile(
    r"^(total|net cash|net (increase|decrease)|subtotal)\b|^ending balances?\b|"
    r"^balances?,? (at )?end of (the )?(period|year|quarter)\b",
    re.IGNORECASE,
)


def is_total_label(label: str) -> bool:
    return bool(_TOTAL_RE.match(label))


_YEAR_ONLY = re.compile(r"(?:19|20)\d\d")


def _assign_paths(rows: list[Row]) -> None:
    """Section rows make parents: "Cost of revenues:" > "Product".

    A section ends at its total, at the next section row, at a row that names
    its own basis ("GAAP ...", "Non-GAAP ..."), and, when its children so far
    are short names such as "Basic" and "Diluted", at a long label.
    """
    top: str | None = None  # an ALL CAPS super-section (ASSETS, OPERATING ACTIVITIES:)
    current: str | None = None
    year: str | None = None  # a year heading nested in the current section
    children: list[str] = []
    sections = [row.label for row in rows if row.section and row.label and not _note(row.label)]
    # ALL CAPS marks a super-section only where the table also has mixed-case sections;
    # in a table that capitalises every heading, capitals carry no rank
    caps_rank = any(not _caps(label) for label in sections) and any(map(_caps, sections))
    # ...or, among capitalised headings, "ASSETS" outranks "CURRENT ASSETS:"
    colon_rank = any(label.endswith(":") for label in sections)
    # a row with figures that the indented rows below it qualify ("Less accumulated
    # depreciation" under "PROPERTY AND EQUIPMENT")
    value_parent: Row | None = None
    for position, row in enumerate(rows):
        if value_parent is not None and (
            row.section or is_total_label(row.label) or _indent(row) <= _indent(value_parent) + 2
        ):
            value_parent = None
        name = row.label.rstrip(":").strip()
        caption = bool(re.search(r"\d", re.sub(r"\b(?:19|20)\d\d\b|\(\d\)", "", row.label)))
        # "Commitments and contingencies" is a balance-sheet line printed without figures
        caption = caption or bool(re.match(r"commitments\b", row.label, re.IGNORECASE))
        if row.section and (_note(row.label) or caption or row_period(row.label) is not None):
            # a footnote heads nothing; a period row ("Year Ended June 30, 1999") gives the
            # rows below it their period, not a parent
            row.path = (name,)
            current = year = None
            continue
        if row.section and name:
            if current and _YEAR_ONLY.fullmatch(name) and not _YEAR_ONLY.fullmatch(current):
                # "Allowance For Credit Losses" > "2024" > "–Current": a year heading under a
                # section nests in it
                year = name
                row.path = tuple(part for part in (top, current, year) if part)
                children = []
                continue
            is_top = _caps(name) and (caps_rank or (colon_rank and not row.label.endswith(":")))
            if is_top:
                top, current = name, None
            else:
                current = name
            year = None
            children = []
            row.path = tuple(part for part in (top, current) if part)
            continue
        words = len(row.label.split())
        if current and (
            re.match(r"(non-)?gaap\b", row.label, re.IGNORECASE)
            or (
                _caps(row.label)
                and len(row.label.split()) > 1
                and children
                and not any(map(_caps, children))
            )
            or (
                re.search(r"per share|shares used", current, re.IGNORECASE)
                and children
                and all(len(c.split()) <= 2 for c in children)
                and words >= 4
            )
        ):
            current = None
        if is_total_label(row.label):
            stem = row.label.lower()
            if not re.match(r"ending balance|balances?,? (at )?end", stem):
                current = None  # a total closes its section; a roll-forward's ending balance
            row.path = tuple(part for part in (top, current, row.label) if part)  # stays in it
            current = None
            if stem.startswith(("net cash", "total liabilities and", "total assets")):
                top = None
            continue
        children.append(row.label)
        parent = value_parent.label if value_parent is not None else None
        nested = year if current else None
        row.path = tuple(part for part in (top, current, nested, parent, row.label) if part)
        following = rows[position + 1] if position + 1 < len(rows) else None
        if (
            value_parent is None
            and row.has_values
            and following is not None
            and not following.section
            and not is_total_label(following.label)
            and _indent(following) > _indent(row) + 2
            and _QUALIFIER.match(following.label)
        ):
            # "PROPERTY AND EQUIPMENT 508,273" over an indented "Less accumulated depreciation"
            value_parent = row


def _row_periods(rows: list[Row], fy_end_month: int, year: str | None = None) -> None:
    """Rows labelled with a date range, and the rows of a section so labelled, have a
    period of their own (used for columns that have none). ``year``: a year printed in the
    header's label cell ("2008 | high | low"), heading the quarter rows below it."""
    current: Period | None = None
    for row in rows:
        own = row_period(row.label, fy_end_month)
        if row.section:
            if own is None and re.search(r"\bended\b", row.label, re.I):
                # "Year ended 30 June 2019" heads that year's rows
                own = parse_header_period(row.label, fy_end_month)
            elif own is None and (day := _date_alone(row.label)) is not None:
                # "As at 31 December 2019", "June 30, 2019": the balances below are at that day
                own = labelled(Period("instant", end=day), fy_end_month)
            if own is not None:
                current, year = own, None  # other section rows ("Receivable:") keep the period
            elif years := _SECTION_YEAR.fullmatch(row.label.strip()):
                current, year = None, years.group(1)  # "2019:" over "Fourth Quarter"
            continue
        if is_total_label(row.label) and (current is None or current.kind == "duration"):
            current = year = None  # a block's total ends it; a balance date holds on
        if year is not None and own is None and QUARTER_RE.fullmatch(row.label.strip()):
            own = parse_header_period(f"{row.label} {year}", fy_end_month)
        ended = _QUARTER_ENDED.fullmatch(row.label.strip())
        if year is not None and own is None and ended and fy_end_month == 12:
            # "quarter ended march 31" in the 2008 block of a calendar-year filer
            own = parse_header_period(f"three months ended {ended.group(1)}, {year}", 12)
        row.period = own or current


# "second", "fourth (separation occurred on november 1 2016)", "first quarter:"
_QUARTER_ROW = re.compile(
    r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)(?:\s+(?:fiscal\s+)?quarter)?"
    r"(?:\s*\(.*\))?\s*:?",
    re.I,
)


def _quarter_rows(rows: list[Row], columns: list[Column], fy_end_month: int) -> None:
    """A quarterly table whose rows name quarters without a year ("first | second | third |
    fourth | year" of a stock price table) under columns each headed by one year and a
    measure ("2016 high | 2016 low | 2016 dividend"): each row is that quarter of its
    column's fiscal year. Columns that repeat a measure under the same year ("2016 high ...
    2016 high", the other year lost in extraction) date only the first. Columns headed by a
    year alone ("2019 | 2018" over "first quarter ... total") keep their years: the rows are
    parts of the year ("the share of the first quarter in the total dividend in 2019")."""
    quarters = []
    for row in rows:
        if row.period is not None or row.section:
            continue
        label = row.label.strip()
        if found := _QUARTER_ROW.fullmatch(label):
            quarters.append((row, ORDINALS[found.group("ord").lower()]))
        elif (ended := _QUARTER_ENDED.fullmatch(label.rstrip(": "))) and (
            day := parse_date(f"{ended.group(1).split()[0].rstrip('.')} 1, 2000")
        ):
            # "quarter ended march 31": the quarter of the fiscal year its month ends
            quarters.append((row, (day.month - fy_end_month - 1) % 12 // 3 + 1))
    if len(quarters) < 2 or len({q for _, q in quarters}) < 2:
        return
    seen: set[tuple[str, str]] = set()
    for column in columns:
        years = YEAR_RE.findall(column.header)
        measure = re.sub(r"\(\d\)|\s+", " ", YEAR_RE.sub(" ", column.header)).strip().lower()
        if column.period is not None or len(years) != 1 or not re.search(r"[a-z]{3}", measure):
            continue
        if (years[0], measure) in seen:
            continue  # "2016 high" again: another year's, which the header no longer says
        seen.add((years[0], measure))
        column.period = parse_header_period(f"fiscal {years[0]}", fy_end_month)
        column.from_context = column.quarterly = True
    for row, quarter in quarters:
        row.quarter = quarter


_SECTION_DATE = re.compile(
    r"(?:(?:balances?\s+)?(?:as\s+(?:at|of)|at)\s+)?(?P<date>.{6,30}?\b(?:19|20)\d\d)\s*:?", re.I
)
_SECTION_YEAR = re.compile(r"(?:fiscal\s+|fy\s?)?((?:19|20)\d\d)\s*:?", re.I)
_QUARTER_ENDED = re.compile(
    rf"(?:three months|(?:fiscal )?quarter) ended\s+((?:{MONTH_RE})\.?\s+\d{{1,2}})", re.I
)


# rows that qualify the row above them rather than follow it: a contra account or a part
_QUALIFIER = re.compile(
    r"(?:less|plus|add|net of|accumulated|of which|including|excluding)\b", re.IGNORECASE
)


def _indent(row: Row) -> float:
    return row.label_cell.indent if row.label_cell is not None else 0.0


def _note(label: str) -> bool:
    """A footnote printed as a table row: "(1) Derived from audited statements.", "* ..."."""
    return bool(re.match(r"^(\(\d+\)|\d+\)|\*+)\s", label)) or (
        label.endswith(".") and len(label.split()) > 5
    )


def _caps(label: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", label)
    return len(letters) > 3 and letters.isupper()


_PER_SHARE_RE = re.compile(
    r"per (?:common |diluted |basic )?share|\beps\b|earnings per", re.IGNORECASE
)
# "net earnings for basic and diluted eps", "income used in computing diluted earnings per
# share": the numerator of a per-share figure, an amount of money
EPS_INPUT = re.compile(
    r"\b(?:for|used in (?:computing|calculating|the calculation of))\s+(?:basic|diluted)?"
    r"(?:\s+and\s+diluted)?\s*(?:eps|earnings per (?:common )?share|net income per share)",
    re.IGNORECASE,
)
_SHARES_RE = re.compile(
    r"\bshares\b(?!holders)|weighted[- ]average (?:number of )?(?:common )?shares|share count"
    r"|dilutive (?:effect of )?(?:share|stock)[- ]based awards|dilutive securities",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(r"%|\bpercent|\bmargin as a|\brate\b|\bas a % of", re.IGNORECASE)


def header_unit(header: str) -> Unit | None:
    """A unit named by a column header: "Number of Shares Purchased", "Average Price Paid
    per Share", "Weighted-Average Exercise Price", "% Change"."""
    text = re.sub(r"\([^)]*\b(?:except|in millions|in thousands)\b[^)]*\)?", "", header.lower())
    if "%" in text or "percent" in text:
        return "percent"
    if re.search(r"per (?:share|unit|rsu)|\bprice\b|fair value per|\beps\b|\bcents\b", text):
        return "USD/share"
    if re.search(
        r"number of (?:shares|securities|rsus|units|options)|\bshares\b|\brsus\b", text
    ) and not re.search(r"value|\$|dollar|amount", text):
        return "shares"
    return None


def unit_for(table: ParsedTable, row: Row, entry: Entry | None, column: int | None = None) -> Unit:
    text = " ".join(row.path) or row.label
    if entry is not None and entry.value.percent:
        return "percent"
    if column is not None and table.columns[column].percent:
        return "percent"
    if column is not None and table.columns[column].unit_hint:
        return table.columns[column].unit_hint  # type: ignore[return-value]
    if re.search(r"%|\bpercent", text, re.IGNORECASE):
        return "percent"
    label = row.label
    # a label listing several measures ("Adjusted EBITDA, EBIT, Net income, and EPS") says
    # nothing about the unit of one column
    listing = label.count(",") >= 2 or bool(re.search(r",\s+and\b", label))
    count_first = re.match(
        r"(?:basic|diluted)?\s*(?:weighted[- ]average|shares used|number of|(?:basic |diluted )?"
        r"shares\b(?! of)|common shares outstanding)",
        label,
        re.IGNORECASE,
    )
    flow = re.search(
        r"purchas|repurchas|issuance|proceeds|payments?|dividends|\bvalue\b|\$|\bcost\b",
        label,
        re.IGNORECASE,
    )
    if count_first and not flow:
        return "shares"
    if (
        not listing
        and _PER_SHARE_RE.search(text)
        and not re.search(r"shares used|number of shares|weighted", text, re.IGNORECASE)
        and not EPS_INPUT.search(label)
    ):
        return "USD/share"
    if (
        not listing
        and _SHARES_RE.search(text)
        and not flow
        and not re.search(r"per share", label, re.IGNORECASE)
    ):
        return "shares"
    money = re.search(
        r"\b(?:revenues?|sales|income|expenses?|costs?|margins?|profits?|earnings|rent|fees|"
        r"charges|occupancy|payroll|cash|assets?|liabilit)",
        label,
        re.I,
    )
    if (
        re.search(r"\b(?:employees|headcount|stores|restaurants|locations)\b", label, re.I)
        and not (entry is not None and entry.value.currency)
        and not (money and table.currency)  # "Revenues from franchised restaurants" is money
    ):
        return "count"
    if re.search(r"\bratio\b", row.label, re.IGNORECASE) and not (
        entry is not None and entry.value.currency
    ):
        return "ratio"
    if table.currency:
        return "USD"
    value = entry.value.value if entry is not None else None
    if value is None or value != value.to_integral_value():
        return "other"
    # a whole number beside fractions in its row or column is the same measure ("100" at the
    # base date of a performance graph whose later values are "96.5", "127.7")
    beside = [e for e in row.values if e is not None]
    if column is not None:
        beside += [
            e for r in table.rows if column < len(r.values) and (e := r.values[column]) is not None
        ]
    fractions = [
        abs(e.value.value)
        for e in beside
        if e.value.value is not None and e.value.value != e.value.value.to_integral_value()
    ]
    # ... but not one many times their size ("95" among dividends of "1.10": a misprint)
    return "other" if fractions and abs(value) <= 20 * max(fractions) else "count"


def scale_for(
    table: ParsedTable, unit: Unit, row: Row | None = None, column: int | None = None
) -> tuple[Decimal, str | None]:
    """The factor and the word for a figure of ``unit`` in this table (a row label's own
    "($B)" or "(in thousands)" wins; per-share figures "in cents" are divided by 100)."""
    header = table.columns[column].header if column is not None else ""
    if unit == "USD/share" and re.search(
        r"\bcents\b|\bcps\b", f"{header} {row.label if row else ''}", re.IGNORECASE
    ):
        return Decimal("0.01"), "cents"
    own = row_scale(row.label) if row is not None else None
    if own and unit in ("USD", "shares", "count"):
        return scale_factor(own), own
    if unit == "USD":
        return table.scale, table.scale_word
    if unit == "shares" and table.share_scale:
        return scale_factor(table.share_scale), table.share_scale
    return Decimal(1), None
