"""Periods in the words people use, matched against the periods of extracted figures.

:func:`find_periods` reads "Q4 2007", "the fourth quarter of 2007", "Q4'07", "three months
ended December 31, 2007", "fiscal 2007", "FY07", "full year 2007", "the first nine months of
fiscal 2025", "as of December 31, 2007", "year-end 2006", a bare "2007", and relative phrases
("prior year", "prior-year quarter", "last quarter", "latest quarter") into
:class:`PeriodSpec`\\ s.  :func:`matches` then decides whether a fact's
:class:`~ingest.models.Period` is that period.  Fiscal calendars need nothing special here:
the ingester already labels periods on the company's fiscal calendar ("Q3 FY2024" for
Buckle's quarter ended November 2, 2024), so "third quarter of fiscal 2024" matches by label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from ingest.models import Period
from ingest.periods import DATE_RE, DAY_FIRST_RE, numeric_date, parse_date, same_day

SpecKind = Literal[
    "quarter", "year", "ytd", "ended", "instant", "year_end", "bare_year", "relative"
]
Relative = Literal[
    "prior_year",
    "prior_quarter",
    "latest_quarter",
    "latest_year",
    "latest",
    "year_to_date",
    "this_years_quarter",
]

ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3}
ORDINAL |= {"4th": 4}
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUMBERS = {m: i + 1 for i, m in enumerate(MONTHS)}
# a month's name as a word: "october", "December"
MONTH_WORD = re.compile(r"\b(" + "|".join(MONTHS) + r")\b", re.I)
_DOCUMENT_AFTER = re.compile(
    r"\s+(?:form\s+)?(?:10-?k|10-?q|8-?k|annual report|proxy|earnings release|press release)\b",
    re.I,
)
# a four-digit year standing alone: "2019", not "20190" or "12019"
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_COUNT = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "3": 3, "6": 6, "9": 9, "12": 12}
_WEEKS = {"13": 3, "thirteen": 3, "26": 6, "twenty-six": 6, "39": 9, "thirty-nine": 9}
_WEEKS |= {"52": 12, "fifty-two": 12, "53": 12, "fifty-three": 12}

_YEAR = r"(?:'|’)?(?P<year>(?:19|20)\d\d|\d\d)\b"
_FISCAL = r"(?:fiscal(?:\s+year)?\s+|fy\s?'?|f)"
_YEAR2 = _YEAR.replace("year", "year2")
_YEAR3 = _YEAR.replace("year", "year3")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "ended",
        re.compile(
            rf"\b(?P<n>three|six|nine|twelve|3|6|9|12)[\s-]+months?\s+(?:period\s+)?end(?:ed|ing)\s+"
            rf"(?P<date>{DATE_RE.pattern})",
            re.I,
        ),
    ),
    (
        "ended_weeks",
        re.compile(
            rf"\b(?P<n>13|26|39|52|53|thirteen|twenty-six|thirty-nine|fifty-two|fifty-three)"
            rf"[\s-]+weeks?\s+end(?:ed|ing)\s+(?P<date>{DATE_RE.pattern})",
            re.I,
        ),
    ),
    (
        "month_quarter",  # "the June 2023 quarter": the quarter ending that month
        re.compile(
            r"\b(?:the\s+)?(?P<month>january|february|march|april|may|june|july|august|"
            r"september|october|november|december)\s+(?P<year>(?:19|20)\d\d)\s+quarter\b",
            re.I,
        ),
    ),
    (
        "ended_word",
        re.compile(
            rf"\b(?P<what>quarters?|years?|fiscal\s+years?)\s+end(?:ed|ing)\s+"
            rf"(?P<date>{DATE_RE.pattern})",
            re.I,
        ),
    ),
    (
        "ended_word",  # "the year ended 31 December 2019" of UK and Australian reports
        re.compile(
            rf"\b(?P<what>quarter|year|fiscal\s+year)\s+end(?:ed|ing)\s+"
            rf"(?P<date>{DAY_FIRST_RE.pattern})",
            re.I,
        ),
    ),
    (
        "quarter",
        re.compile(
            rf"\b(?:the\s+)?(?:(?:fiscal\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
            rf"[\s-]+(?:fiscal\s+)?quarter\s+(?:of\s+|in\s+)?(?:{_FISCAL})?{_YEAR}"
            rf"|(?:fiscal\s+)?q(?P<q>[1-4])[\s-]*(?:of\s+)?(?:{_FISCAL})?{_YEAR2}"
            rf"|(?P<q3>[1-4])q[\s-]?(?:{_FISCAL})?{_YEAR3})",
            re.I,
        ),
    ),
    (
        # "Q3", "the fourth quarter" with no year: that quarter of the filings' latest year
        "bare_quarter",
        re.compile(
            r"(?:(?<=\bin\s)|(?<=\bduring\s)|(?<=\bfor\s))the\s+(?P<ord>first|second|third|fourth)"
            r"\s+(?:fiscal\s+)?quarter\b(?!\s*(?:of\s+)?(?:fiscal\s+|fy\s?)?'?\d)"
            r"|\bq(?P<q>[1-4])\b(?!\s*(?:of\s+)?(?:fiscal\s+|fy\s?)?'?\d)",
            re.I,
        ),
    ),
    (
        "ytd",
        re.compile(
            rf"\b(?:the\s+)?(?:first\s+)?(?P<n>six|nine|6|9)\s+months\s+(?:of\s+|in\s+)?"
            rf"(?:{_FISCAL})?{_YEAR}"
            rf"|\b(?P<h>first\s+half|h1)\s+(?:of\s+)?(?:{_FISCAL})?{_YEAR2}"
            rf"|\b(?:the\s+)?(?:first\s+)?(?P<w>twenty-six|26|thirty-nine|39)\s+weeks\s+"
            rf"(?:of\s+|in\s+)?(?:{_FISCAL})?{_YEAR3}",
            re.I,
        ),
    ),
    (
        "year_end",
        re.compile(
            rf"\b(?:(?:fiscal\s+)?year[\s-]+end(?:ed)?\s+(?:of\s+)?(?:{_FISCAL})?{_YEAR}"
            rf"|(?:the\s+)?end\s+of\s+(?:{_FISCAL})?{_YEAR2}"
            rf"|{_YEAR3}\s+year[\s-]+end)",
            re.I,
        ),
    ),
    (
        "year_start",  # "at the beginning of fiscal 1997": the balance at the end of 1996
        re.compile(
            rf"\b(?:the\s+)?(?:beginning|start)\s+of\s+(?:the\s+)?(?:{_FISCAL})?{_YEAR}",
            re.I,
        ),
    ),
    ("instant", re.compile(rf"(?:\b(?:as\s+of|at|on)\s+)?(?P<date>{DATE_RE.pattern})", re.I)),
    (
        "numeric",  # "at 12/31/04", "as of 30/9/2018"
        re.compile(
            r"(?:\b(?:as\s+(?:of|at)|at|on|ended)\s+)?"
            r"(?P<date>(?<![\d/])\d{1,2}/\d{1,2}/(?:(?:19|20)\d\d|\d\d)(?![\d/]))",
            re.I,
        ),
    ),
    (
        "instant",
        re.compile(rf"(?:\b(?:as\s+(?:of|at)|at|on)\s+)?(?P<date>{DAY_FIRST_RE.pattern})", re.I),
    ),
    (
        "year",
        re.compile(
            rf"\b(?:{_FISCAL}|full[\s-]+(?:fiscal\s+)?year\s+(?:of\s+)?|"
            rf"(?:the\s+)?(?:twelve|12)\s+months\s+(?:of\s+|in\s+)?|(?:calendar\s+)?year\s+)"
            rf"{_YEAR}",
            re.I,
        ),
    ),
    ("bare_year", re.compile(r"(?<![\d$.,])(?P<year>(?:19|20)\d\d)(?![\d%]|[,.]\d)")),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>prior[\s-]+year(?:'s)?(?:\s+(?:quarter|period))?|previous[\s-]+year|"
            r"last\s+year|a\s+year\s+(?:earlier|ago|before)|year[\s-]+ago(?:\s+quarter)?|"
            r"same\s+(?:quarter|period)\s+(?:of\s+)?(?:last|the\s+prior|the\s+previous)\s+year|"
            r"prior[\s-]+quarter|previous\s+quarter|last\s+quarter|preceding\s+quarter|"
            r"(?:most\s+)?recent\s+quarter|latest\s+quarter|this\s+quarter|current\s+quarter|"
            r"latest\s+(?:fiscal\s+)?year|most\s+recent\s+(?:fiscal\s+)?year|"
            r"(?:fiscal\s+)?year[\s-]+to[\s-]+date|ytd)\b",
            re.I,
        ),
    ),
]


@dataclass(frozen=True)
class PeriodSpec:
    """A period as the question states it (not yet resolved against any document)."""

    kind: SpecKind
    text: str
    start: int  # character span in the question
    end: int
    fiscal_year: int | None = None
    quarter: int | None = None
    months: int | None = None
    date: date | None = None
    relative: Relative | None = None


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    value = int(raw)
    if value < 100:
        value += 2000 if value < 50 else 1900
    return value


# "2019" standing for a right single quote (U+2019) in FinQA's text: "company 2019s",
# "stockholders 2019 equity", "snap-on 2019s performance"
_APOSTROPHE_2019 = re.compile(
    r"2019(?:s\b|(?<=stockholders 2019)(?=\s+equity\b)|(?<=shareholders 2019)(?=\s+equity\b))",
    re.I,
)


_YEAR_LEADS = frozenset(
    [
        "in",
        "of",
        "for",
        "during",
        "fiscal",
        "year",
        "from",
        "to",
        "and",
        "since",
        "by",
        "at",
        "as",
        "until",
        "through",
        "between",
        "the",
        "fy",
        "on",
        "over",
        "vs",
        "versus",
        "than",
        "or",
        "with",
        "ended",
        "ending",
    ]
)


def _apostrophe(question: str, at: int) -> bool:
    """Is the "2019" at ``at`` an apostrophe: after a word that never leads a year?"""
    if not _APOSTROPHE_2019.match(question, at):
        return False
    before = re.findall(r"[a-z&.-]+", question[:at].lower())
    return bool(before) and before[-1] not in _YEAR_LEADS


def find_periods(question: str) -> list[PeriodSpec]:
    """Every period the question names, in reading order (overlapping readings resolved by
    the more specific pattern first)."""
    taken: list[tuple[int, int]] = []
    found: list[PeriodSpec] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(question):
            span = match.span()
            if any(span[0] < b and a < span[1] for a, b in taken):
                continue
            if name == "bare_year" and _DOCUMENT_AFTER.match(question[span[1] :]):
                continue  # "Amazon's 2019 10-K" names the filing, not the period asked about
            if _apostrophe(question, span[0]) and name == "bare_year":
                continue  # "the company 2019s net sales": FinQA's rendering of "company’s"
            spec = _spec(name, match)
            if spec is None:
                continue
            taken.append(span)
            found.append(spec)
    return _shared_length(question, _shared_year(question, sorted(found, key=lambda s: s.start)))


# "June 30 and December 31, 2019": a month and day with no year, right before a dated day
_YEARLESS_DAY = re.compile(
    r"\b(?P<month>" + "|".join(MONTHS) + r")\s+(?P<day>\d{1,2})\s*(?:,?\s*and|,|or|to)\s*$",
    re.I,
)


def _shared_year(question: str, found: list[PeriodSpec]) -> list[PeriodSpec]:
    """ "at June 30 and December 31, 2019": the first day is 2019's too (a balance on each
    day)."""
    out: list[PeriodSpec] = []
    for spec in found:
        offset = out[-1].end if out else 0
        yearless = _YEARLESS_DAY.search(question[offset : spec.start])
        if spec.kind == "instant" and spec.date is not None and yearless:
            try:
                day = date(
                    spec.date.year,
                    _MONTH_NUMBERS[yearless.group("month").lower()],
                    int(yearless.group("day")),
                )
            except ValueError:
                day = None
            if day is not None and day < spec.date:  # "December 31 and June 30, 2019": no
                start, end = offset + yearless.start(), offset + yearless.end("day")
                out.append(replace(spec, text=question[start:end], start=start, end=end, date=day))
        out.append(spec)
    return out


def _shared_length(question: str, found: list[PeriodSpec]) -> list[PeriodSpec]:
    """ "the quarters ended January 26, 2019 and October 27, 2018": the second date ends a
    quarter too, not a balance on that day; "the years ended December 31, 2018 and 2019": the
    second year's period ends the same day."""
    out = list(found)
    for i in range(1, len(out)):
        before, spec = out[i - 1], out[i]
        between = question[before.end : spec.start]
        joined = re.fullmatch(r"\s*(?:,|and|,\s*and|or|vs\.?|versus|to)\s*", between, re.I)
        if before.kind == "ended" and spec.kind == "instant" and joined:
            out[i] = replace(spec, kind="ended", months=before.months)
        elif (
            before.kind == "ended"
            and before.date is not None
            and spec.kind == "bare_year"
            and spec.fiscal_year is not None
            and joined
            and (before.date.month, before.date.day) != (2, 29)
        ):
            # "the years ended December 31, 2018 and 2019": the same day of 2019
            day = before.date.replace(year=spec.fiscal_year)
            out[i] = replace(spec, kind="ended", months=before.months, date=day, fiscal_year=None)
        elif (
            before.kind in ("quarter", "ytd")
            and spec.kind == "bare_year"
            and re.fullmatch(r"\s*(?:and|,\s*and|or|vs\.?|versus)\s*", between, re.I)
            and spec.fiscal_year != before.fiscal_year
            and not re.match(
                r"\s*(?:full|fiscal|calendar|year|total|annual)\b", question[spec.end :], re.I
            )
        ):
            # "in Q4 2019 and 2018", "the first half of 2019 and 2018": the same part of 2018
            out[i] = replace(
                before, text=spec.text, start=spec.start, end=spec.end, fiscal_year=spec.fiscal_year
            )
    return out


_COUNTED = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:fiscal\s+)?$", re.I
)


def _spec(name: str, match: re.Match[str]) -> PeriodSpec | None:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    text, start, end = match.group(0).strip(), match.start(), match.end()
    if name == "numeric":
        on = numeric_date(groups["date"])
        return PeriodSpec("instant", text, start, end, date=on) if on else None
    if name in ("ended", "ended_weeks", "ended_word", "instant"):
        day = parse_date(groups["date"])
        if day is None:
            return None
        if name == "instant":
            return PeriodSpec("instant", text, start, end, date=day)
        if name == "ended":
            months = _COUNT[groups["n"].lower()]
        elif name == "ended_weeks":
            months = _WEEKS[groups["n"].lower()]
        else:
            what = groups["what"].lower()
            if what.endswith("years") and _COUNTED.search(match.string[:start]):
                return None  # "the five years ended December 31, 2014": no one year
            months = 3 if what.startswith("quarter") else 12
        return PeriodSpec("ended", text, start, end, months=months, date=day)
    if name == "month_quarter":
        month = _MONTH_NUMBERS[groups["month"].lower()]
        calendar_year = int(groups["year"])
        last = date(calendar_year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        return PeriodSpec("ended", text, start, end, months=3, date=last)
    if name == "quarter":
        quarter = ORDINAL[groups["ord"].lower()] if "ord" in groups else None
        quarter = quarter or int(groups.get("q") or groups.get("q3") or 0)
        year = _year(groups.get("year") or groups.get("year2") or groups.get("year3"))
        return PeriodSpec("quarter", text, start, end, fiscal_year=year, quarter=quarter, months=3)
    if name == "ytd":
        if "w" in groups:
            months = _WEEKS[groups["w"].lower()]
        else:
            months = 6 if "h" in groups else _COUNT[groups["n"].lower()]
        year = _year(groups.get("year") or groups.get("year2") or groups.get("year3"))
        return PeriodSpec("ytd", text, start, end, fiscal_year=year, months=months)
    if name == "bare_quarter":
        quarter = ORDINAL[groups["ord"].lower()] if "ord" in groups else int(groups["q"])
        return PeriodSpec(
            "relative", text, start, end, quarter=quarter, relative="this_years_quarter"
        )
    if name == "year_start":
        year = _year(groups.get("year"))
        return PeriodSpec("year_end", text, start, end, fiscal_year=year - 1 if year else None)
    if name == "year_end":
        year = _year(groups.get("year") or groups.get("year2") or groups.get("year3"))
        return PeriodSpec("year_end", text, start, end, fiscal_year=year)
    if name == "year":
        return PeriodSpec("year", text, start, end, fiscal_year=_year(groups["year"]), months=12)
    if name == "bare_year":
        return PeriodSpec("bare_year", text, start, end, fiscal_year=_year(groups["year"]))
    rel = re.sub(r"[\s-]+", " ", groups["rel"].lower())
    relative: Relative
    if "to date" in rel or rel == "ytd":
        return PeriodSpec("relative", text, start, end, relative="year_to_date")
    if "quarter" in rel and ("prior year" in rel or "year ago" in rel or "last year" in rel):
        relative = "prior_year"
    elif rel.startswith(("prior quarter", "previous quarter", "last quarter", "preceding")):
        relative = "prior_quarter"
    elif "quarter" in rel:
        relative = "latest_quarter"
    elif rel.startswith(("latest", "most recent")):
        relative = "latest_year"
    else:
        relative = "prior_year"
    return PeriodSpec("relative", text, start, end, relative=relative)


# ------------------------------------------------------------------------------ matching
LABEL_QUARTER = re.compile(r"^Q(?P<q>[1-4]) (?:FY)?(?P<y>\d{4})$")
_LABEL_YEAR = re.compile(r"^FY(?P<y>\d{4})$")
_LABEL_PART = re.compile(r"^(?P<m>\d{1,2})M (?:FY)?(?P<y>\d{4})$")


def months_of(period: Period) -> int | None:
    if period.kind == "instant" or period.start is None:
        return None
    return round((period.end - period.start).days / 30.44)


def fiscal_year_of_label(period: Period) -> int | None:
    for pattern in (LABEL_QUARTER, _LABEL_YEAR, _LABEL_PART):
        match = pattern.match(period.label)
        if match:
            return int(match.group("y"))
    return None


def matches(spec: PeriodSpec, period: Period, fy_end_month: int = 12) -> bool:
    """Is ``period`` (a fact's) the period ``spec`` names?  Relative specs never match
    directly: :func:`shift` turns them into absolute ones first."""
    label = period.label
    if spec.kind == "quarter":
        match = LABEL_QUARTER.match(label)
        return bool(
            match
            and int(match.group("q")) == spec.quarter
            and int(match.group("y")) == spec.fiscal_year
        )
    if spec.kind == "year":
        match = _LABEL_YEAR.match(label)
        return bool(match and int(match.group("y")) == spec.fiscal_year)
    if spec.kind == "ytd":
        match = _LABEL_PART.match(label)
        return bool(
            match
            and int(match.group("m")) == spec.months
            and int(match.group("y")) == spec.fiscal_year
        )
    if spec.kind == "ended":
        months = months_of(period)
        return (
            spec.date is not None
            and months is not None
            and abs(months - (spec.months or 0)) <= 1
            and same_day(period.end, spec.date)
        )
    if spec.kind == "instant":
        return (
            spec.date is not None and period.kind == "instant" and same_day(period.end, spec.date)
        )
    if spec.kind == "year_end":
        return period.kind == "instant" and _is_year_end(period.end, spec.fiscal_year, fy_end_month)
    if spec.kind == "bare_year":
        # a bare year means the fiscal year, or the balance at that fiscal year's end
        if _LABEL_YEAR.match(label):
            return int(label[2:]) == spec.fiscal_year
        return period.kind == "instant" and _is_year_end(period.end, spec.fiscal_year, fy_end_month)
    return False


def _is_year_end(end: date, fiscal_year: int | None, fy_end_month: int) -> bool:
    from ingest.periods import effective_month, fiscal_year_of

    _, month = effective_month(end)
    return month == fy_end_month and fiscal_year_of(end, fy_end_month) == fiscal_year


def shift(spec: PeriodSpec, anchor: PeriodSpec) -> PeriodSpec | None:
    """A relative spec made absolute against another period of the question or conversation:
    "prior year" of Q4 2007 is Q4 2006, of fiscal 2007 is fiscal 2006, of December 31, 2007 is
    December 31, 2006."""
    if spec.relative == "prior_year":
        if anchor.fiscal_year is not None:
            return replace(anchor, fiscal_year=anchor.fiscal_year - 1, relative=None)
        if anchor.date is not None:
            try:
                moved = anchor.date.replace(year=anchor.date.year - 1)
            except ValueError:  # 29 February
                moved = anchor.date.replace(year=anchor.date.year - 1, day=28)
            return replace(anchor, date=moved, relative=None)
        return None
    if spec.relative == "prior_quarter" and anchor.kind == "quarter" and anchor.quarter:
        if anchor.quarter == 1:
            return replace(anchor, quarter=4, fiscal_year=(anchor.fiscal_year or 0) - 1)
        return replace(anchor, quarter=anchor.quarter - 1)
    return None
