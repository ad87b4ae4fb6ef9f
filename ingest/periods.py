"""Reading reporting periods from column headers and sentences.

A column's stacked header text ("Three Months Ended December 31, 2007",
"Twelve Months Ended December 31, 2006*", "December 31, 2007",
"Thirteen Weeks Ended Nov 2, 2024", "Fiscal 2023") becomes a :class:`Period`:
a duration with start and end dates, or an instant.  Labels follow the fiscal
calendar when it is known (``fy_end_month``): a quarter ending in June for a
company whose fiscal year ends in September is "Q3 FY2025".
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from .models import Period
from .numbers import NUMBER_WORD_RE, unspaced_years, words_to_number

MONTHS = (
    {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
    | {name.lower(): index for index, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)

MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

DATE_RE = re.compile(
    rf"\b(?P<month>{MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
MONTH_DAY_RE = re.compile(rf"\b(?P<month>{MONTH_RE})\.?\s+(?P<day>\d{{1,2}})\b", re.IGNORECASE)
YEAR_RE = re.compile(r"(?<![\d,.$])(?P<year>(?:19|20)\d\d)(?![\d,%])")
_LENGTH_RE = re.compile(
    rf"\b(?P<n>\d{{1,2}}|{NUMBER_WORD_RE})"
    r"[\s-]+(?P<unit>months?|weeks?)\b",
    re.IGNORECASE,
)
QUARTER_RE = re.compile(
    r"\b(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?quarter"
    r"|Q(?P<q>[1-4]))\b",
    re.IGNORECASE,
)
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def effective_month(day: date) -> tuple[int, int]:
    """(year, month) a period end belongs to; 52/53-week ends in a month's first week
    belong to the previous month (Buckle's quarter ended November 2 is an October quarter)."""
    if day.day <= 7:
        prev = day.replace(day=1) - timedelta(days=1)
        return prev.year, prev.month
    return day.year, day.month


class FiscalYearEnd(int):
    """The month a fiscal year ends in, and how its years are named.

    Years are named by the calendar year they end in, except that years ending in
    January or February are usually named by the year they start in (a retailer's
    "fiscal 2022" ends on January 28, 2023).  Some such companies name them by the
    year they end in (Salesforce's "fiscal 2023" ended on January 31, 2023):
    ``named_by_end`` says which.  A plain ``int`` month follows the usual rule.
    """

    named_by_end: bool

    def __new__(cls, month: int, named_by_end: bool | None = None) -> FiscalYearEnd:
        made = super().__new__(cls, month)
        made.named_by_end = month > 2 if named_by_end is None else named_by_end
        return made

    def __repr__(self) -> str:
        return f"FiscalYearEnd({int(self)}, named_by_end={self.named_by_end})"


def named_by_start(fy_end_month: int) -> bool:
    """Are this calendar's fiscal years named by the calendar year they start in?"""
    return not getattr(fy_end_month, "named_by_end", fy_end_month > 2)


def fiscal_year_of(end: date, fy_end_month: int) -> int:
    """The fiscal year a period ending on ``end`` falls in, named as the calendar
    (:class:`FiscalYearEnd`) names it."""
    year, month = effective_month(end)
    fy_end_year = year if month <= fy_end_month else year + 1
    return fy_end_year - 1 if named_by_start(fy_end_month) else fy_end_year


def quarter_of(end: date, fy_end_month: int) -> int:
    _, month = effective_month(end)
    return ((month - fy_end_month - 1) % 12) // 3 + 1


def period_label(period: Period, fy_end_month: int = 12) -> str:
    """A short label: "Q4 2007", "FY2007", "Q3 FY2025", "9M FY2024", "December 31, 2007"."""
    end = period.end
    if period.kind == "instant" or period.start is None:
        return f"{calendar.month_name[end.month]} {end.day}, {end.year}"
    months = round((end - period.start).days / 30.44)
    fiscal_year = fiscal_year_of(end, fy_end_month)
    prefix = "" if fy_end_month == 12 else "FY"
    if months == 3:
        return f"Q{quarter_of(end, fy_end_month)} {prefix}{fiscal_year}"
    if months == 12:
        return f"FY{fiscal_year}"
    return f"{months}M {prefix}{fiscal_year}"


def _length_months(text: str) -> tuple[int, str] | None:
    """("three months" → (3, "months")), ("13 weeks" → (13, "weeks")), year/quarter words."""
    match = _LENGTH_RE.search(text)
    if match:
        raw = match.group("n").lower()
        count = int(raw) if raw.isdigit() else int(words_to_number(raw) or 0)
        unit = "weeks" if match.group("unit").lower().startswith("week") else "months"
        return count, unit
    lowered = text.lower()
    if re.search(r"\b(?:quarters?|qtr)\b\s+end", lowered) or re.search(r"\bq[1-4]\b", lowered):
        return 3, "months"
    if re.search(
        r"\b(?:fiscal\s+)?years?\b[\s-]+end|\bfiscal\s+(?:year\s+)?(?:19|20)\d\d|\bfy\s?'?\d"
        r"|\bfull[- ]year\b",
        lowered,
    ):
        return 12, "months"
    return None


def duration_start(end: date, months: int) -> date:
    """First day of a period of ``months`` ending on ``end`` (calendar month ends are exact)."""
    if end == month_end(end.year, end.month):
        return add_months(end.replace(day=1), -(months - 1))
    return add_months(end, -months) + timedelta(days=1)


def _start_for(end: date, count: int, unit: str) -> date:
    if unit == "weeks":
        return end - timedelta(days=7 * count - 1)
    return duration_start(end, count)


DAY_FIRST_RE = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+|-)(?P<month>{MONTH_RE})\.?,?(?:\s*|-)"
    rf"(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def parse_date(text: str) -> date | None:
    """ "December 31, 2007", or the day-first "30 June 2019" of UK and Australian reports."""
    match = DATE_RE.search(text) or DAY_FIRST_RE.search(text)
    if not match:
        return None
    try:
        return date(
            int(match.group("year")), MONTHS[match.group("month").lower()], int(match.group("day"))
        )
    except ValueError:
        return None


def date_only(label: str) -> bool:
    """A label that is a date and nothing else: "december 31 2013", "31-dec-2012"."""
    return bool(DATE_RE.fullmatch(label.strip()) or DAY_FIRST_RE.fullmatch(label.strip()))


def parse_header_period(
    text: str, fy_end_month: int = 12, default_month_day: tuple[int, int] | None = None
) -> Period | None:
    """The period a column header names, or None when it names none.

    ``default_month_day`` supplies the month and day when the header only has a
    year (a column "2007" under "Twelve Months Ended" whose date the row above gave).
    """
    text = _spelled_out(text.replace("*", " "))
    if _COMPARED.search(text):
        return None  # "2019 over 2018", "2019 vs 2018": a change between two periods
    quarter_in_year = QUARTER_RE.search(text)
    if quarter_in_year and re.search(r"\byears?\s+ended\b", text, re.IGNORECASE):
        # "Year Ended December 31, 2019" over "Fourth Quarter": that year's fourth quarter
        year_end = parse_date(text)
        q = int(
            quarter_in_year.group("q") or ORDINALS[(quarter_in_year.group("ord") or "").lower()]
        )
        if year_end is not None:
            year_month = effective_month(year_end)
            last_month = month_end(*year_month)
            quarter_end = add_months(last_month.replace(day=1), -3 * (4 - q))
            quarter_end = month_end(quarter_end.year, quarter_end.month)
            if q == 4:
                quarter_end = year_end
            period = Period("duration", end=quarter_end, start=duration_start(quarter_end, 3))
            return labelled(period, fy_end_month)
    length = _length_months(text)
    end = parse_date(text)
    if end is None:
        month_day = MONTH_DAY_RE.search(text)
        years = YEAR_RE.findall(text)
        if not years:
            return None
        year = int(years[-1])
        if month_day:
            month, day = MONTHS[month_day.group("month").lower()], int(month_day.group("day"))
        elif default_month_day:
            month, day = default_month_day
        elif (
            (length is not None and length == (12, "months"))
            or re.search(r"\b(fiscal|fy)\b", text, re.IGNORECASE)
        ) and not (QUARTER_RE.search(text) and not re.search(r"\band\b", text, re.IGNORECASE)):
            # ("Q3 fiscal 2024", "third quarter of fiscal 2024": a quarter of that year;
            # "Fourth Quarter and Fiscal Year 2024" heads both, the year as before)
            month, day = fy_end_month, calendar.monthrange(year, fy_end_month)[1]
            if named_by_start(fy_end_month):
                year += 1
            length = length or (12, "months")
        else:
            quarter = QUARTER_RE.search(text)
            if quarter is None:
                return None
            q = int(quarter.group("q") or ORDINALS[(quarter.group("ord") or "").lower()])
            end_month = (fy_end_month + 3 * q - 1) % 12 + 1
            end_year = year if end_month <= fy_end_month or fy_end_month == 12 else year - 1
            if named_by_start(fy_end_month):
                # fiscal 2024 runs from February 2024 to January 2025: its fourth quarter
                # ends in 2025
                end_year = year if end_month > fy_end_month else year + 1
            end = month_end(end_year, end_month)
            period = Period("duration", end=end, start=_start_for(end, 3, "months"))
            return labelled(period, fy_end_month)
        try:
            end = date(year, month, min(day, calendar.monthrange(year, month)[1]))
        except ValueError:
            return None
    if length is None:
        if re.search(r"\b(as of|at|balance)\b", text, re.IGNORECASE) or not re.search(
            r"\bended\b|\bending\b", text, re.IGNORECASE
        ):
            return labelled(Period("instant", end=end), fy_end_month)
        return None
    count, unit = length
    period = Period("duration", end=end, start=_start_for(end, count, unit))
    return labelled(period, fy_end_month)


_COMPARED = re.compile(
    r"\b(?:19|20)\d\d\s*(?:over|vs\.?|versus|compared\s+(?:to|with))\s*(?:fy\s?)?(?:19|20)?\d\d\b",
    re.I,
)
_SHORT_FISCAL = re.compile(r"\bF(?:Y)?\s?['’]?(\d\d)\b", re.IGNORECASE)
_SPLIT_YEAR = re.compile(r"\b(?:19|20)\d\d\s?/\s?((?:19|20)?\d\d)\b")
_GLUED_MONTH = re.compile(rf"\b({MONTH_RE})(\d{{1,2}},)", re.IGNORECASE)
_YEAR_OF_WEEKS = re.compile(r"\b5[23][\s-]+weeks?\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")
# "12/31/01" (a two-digit year) and a header that is only "12/09" (month and year, a
# performance graph's December 2009)
_NUMERIC_SHORT = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d\d)(?![\d/])")
_MONTH_SLASH_YEAR = re.compile(r"\s*(\d{1,2})/(\d\d)\s*")
_MONTH_YEAR = re.compile(rf"(?<!\d )(?<!\d)\b({MONTH_RE})\.?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)


def _numeric_date(match: re.Match[str]) -> str:
    """ "12/28/2013" (month first) or "30/9/2018" (day first, when the first can't be a month)."""
    first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
    month, day = (second, first) if first > 12 else (first, second)
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return match.group(0)
    return f"{calendar.month_name[month]} {day}, {year}"


def numeric_date(text: str) -> date | None:
    """ "12/31/2006", "12/31/06" (month first) or "30/9/2018" (day first) as a date."""
    found = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d\d|(?:19|20)\d\d)\s*", text)
    if not found:
        return None
    year = found.group(3) if len(found.group(3)) == 4 else _century(found.group(3))
    return parse_date(_NUMERIC_DATE.sub(_numeric_date, f"{found[1]}/{found[2]}/{year}"))


def _century(year: str) -> str:
    """A two-digit year: "01" is 2001, "98" is 1998."""
    return f"{'20' if int(year) < 50 else '19'}{year}"


def _month_end(match: re.Match[str]) -> str:
    """ "as of december 2017": the month's last day."""
    month, year = MONTHS[match.group(1).lower()], int(match.group(2))
    return f"{calendar.month_name[month]} {calendar.monthrange(year, month)[1]}, {year}"


def _spelled_out(text: str) -> str:
    """Header shorthands in the words the parser reads: "F19" and "FY19" are fiscal 2019,
    "2018/2019" and "2018/19" the fiscal year ending in 2019, "December31," a month and day,
    "53 WEEKS" beside a year a fiscal year, "12/28/2013" and "30/9/2018" dates, and "as of
    december 2017" the month's last day; "2 0 1 8" (a PDF's letter spacing) is 2018."""
    text = unspaced_years(text)
    text = _SHORT_FISCAL.sub(lambda m: f"fiscal 20{m.group(1)}", text)
    text = _SPLIT_YEAR.sub(
        lambda m: f"fiscal {m.group(1) if len(m.group(1)) == 4 else '20' + m.group(1)}", text
    )
    text = _GLUED_MONTH.sub(r"\1 \2", text)
    text = _NUMERIC_DATE.sub(_numeric_date, text)
    text = _NUMERIC_SHORT.sub(
        lambda m: _NUMERIC_DATE.sub(_numeric_date, f"{m[1]}/{m[2]}/{_century(m[3])}"), text
    )
    month_year = _MONTH_SLASH_YEAR.fullmatch(text)
    if month_year and 1 <= int(month_year.group(1)) <= 12:
        month, year = int(month_year.group(1)), int(_century(month_year.group(2)))
        text = f"{calendar.month_name[month]} {calendar.monthrange(year, month)[1]}, {year}"
    if not DATE_RE.search(text) and not DAY_FIRST_RE.search(text):
        text = _MONTH_YEAR.sub(_month_end, text)
    if YEAR_RE.search(text) and parse_date(text) is None:
        text = _YEAR_OF_WEEKS.sub("fiscal", text)
    return text


def labelled(period: Period, fy_end_month: int) -> Period:
    """The period with its label ("FY2019", "Q4 2007", "June 30, 2019")."""
    return Period(
        period.kind, end=period.end, start=period.start, label=period_label(period, fy_end_month)
    )


def same_day(printed: date, asked: date) -> bool:
    """One day up to a 52/53-week calendar's slop: its June 28 is the quarter "ended June 30"."""
    return abs((printed - asked).days) <= 7


def same_period(a: Period | None, b: Period | None) -> bool:
    """Equal up to a few days of 52/53-week slop in the dates."""
    if a is None or b is None:
        return a is b
    if a.kind != b.kind or not same_day(a.end, b.end):
        return False
    if a.start is None or b.start is None:
        return a.start is b.start
    return same_day(a.start, b.start)
