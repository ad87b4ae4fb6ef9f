"""Document metadata stated in the text: company, ticker, form, period covered, date.

Inline XBRL's ``dei:`` facts win when present; otherwise the first pages are
read for the sentences filings use ("Juniper Networks, Inc. (NASDAQ: JNPR)
today reported its results for the three and twelve months ended December
31, 2007", "FORM 10-Q", "For the quarterly period ended June 28, 2025").
"""

from __future__ import annotations

import re

from .models import DocumentMeta, LoadedDocument
from .periods import DATE_RE, FiscalYearEnd, parse_date, parse_header_period

_COMPANY_TICKER = re.compile(
    r"(?P<company>[A-Z][A-Za-z0-9.,&'\- ]{2,80}?(?:Inc\.|Incorporated|Corporation|Corp\.|plc|PLC|"
    r"Ltd\.|Limited|Company|Co\.|N\.V\.|S\.A\.|AG|SE))\s*,?\s*\(\s*(?:NASDAQ|Nasdaq|NYSE|"
    r"NYSE American|AMEX|NASDAQ GS|Nasdaq GS)\s*[:\-]?\s*(?P<ticker>[A-Z][A-Z.]{0,5})\s*\)"
)
_COMPANY_ONLY = re.compile(
    r"\b(?P<company>(?:[A-Z][A-Za-z0-9.&'\-]*,?\s){1,5}(?:Inc\.|INC\.|Corporation|CORPORATION|"
    r"Corp\.|plc|PLC|Ltd\.))"
)
_REGISTRANT_HEADING = re.compile(
    r"(?:^|\n)\W*(?P<company>(?:[A-Za-z][\w.&'-]*\s+){0,3}[A-Za-z][\w.&'-]*,?\s+"
    r"(?:inc\.|corporation|corp\.|llc|l\.l\.c\.))\s+(?:and subsidiaries\s+)?"
    r"management'?s financial discussion and analysis\b",
    re.IGNORECASE,
)
_FORM = re.compile(r"\bFORM\s+(10-K|10-Q|8-K|20-F|6-K|40-F)\b(?:/A)?", re.IGNORECASE)
_EXHIBIT = re.compile(r"\bEx(?:hibit|\.)?\s*99(?:\.\d+)?\b", re.IGNORECASE)
_FISCAL_QUARTER = re.compile(
    r"\b(?P<ord>first|second|third|fourth)\s+(?:fiscal\s+)?quarter\s+(?:of\s+)?fiscal\s+"
    r"(?:year\s+)?(?P<year>\d{4})",
    re.IGNORECASE,
)
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_QUARTER_ENDED = (
    r"(?:(?:three|thirteen|13)[\s-]+(?:months?|weeks?)(?:\s+fiscal)?(?:\s+quarter)?"
    r"|(?:fiscal\s+)?quarter(?:ly period)?)\s+ended\s+"
)


def fiscal_year_end_month(loaded: LoadedDocument) -> int:
    """The month a company's fiscal year ends in, from XBRL or the text; 12 by default.
    A year ending in January or February carries how the filing names its years
    (:class:`FiscalYearEnd`)."""
    month = _fiscal_year_end_month(loaded)
    if month > 2:
        return month
    return FiscalYearEnd(month, named_by_end=_named_by_end(loaded.text, month))


# "References to fiscal 2023 ... refer to the fiscal year ended January 31, 2023" and
# "the fiscal year ended January 29, 2022 ("fiscal 2021")"
_FISCAL_THEN_END = re.compile(
    r"\bfiscal\s+(?:year\s+)?(?P<named>(?:19|20)\d\d)\b[^.;]{0,80}?\b(?:ended|ending)\s+(?:on\s+)?"
    r"(?P<month>January|February|Jan\.?|Feb\.?)\s+\d{1,2},?\s+(?P<end>(?:19|20)\d\d)",
    re.IGNORECASE,
)
_END_THEN_FISCAL = re.compile(
    r"\b(?:ended|ending)\s+(?:on\s+)?(?P<month>January|February|Jan\.?|Feb\.?)\s+\d{1,2},?\s+"
    r"(?P<end>(?:19|20)\d\d)\s*\(\s*[\"“”]?\s*fiscal\s+(?:year\s+)?(?P<named>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def _named_by_end(text: str, month: int) -> bool:
    """Does the filing name a fiscal year ending in January or February by the year it
    ends in?  Read from the sentences that pair a fiscal year's name with its end date;
    the usual naming (by the year it starts in) when none does."""
    by_end = by_start = 0
    for pattern in (_FISCAL_THEN_END, _END_THEN_FISCAL):
        for found in pattern.finditer(text):
            named, end = int(found.group("named")), int(found.group("end"))
            if named == end:
                by_end += 1
            elif named == end - 1:
                by_start += 1
    return by_end > by_start


def _fiscal_year_end_month(loaded: LoadedDocument) -> int:
    fye = loaded.xbrl_meta.get("dei:CurrentFiscalYearEndDate", "")
    match = re.match(r"--(\d\d)-(\d\d)", fye.strip())
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        return month - 1 if day <= 7 and month > 1 else (12 if day <= 7 else month)
    head = loaded.text[:20000]
    fiscal_end = re.search(
        r"fiscal year end(?:ed|ing|s)?\s+(?:on\s+)?(" + DATE_RE.pattern[2:-2] + r")",
        head,
        re.IGNORECASE,
    )
    year_ended = re.search(r"(?:fiscal )?year ended\s+(?P<d>[A-Z][a-z]+\.? \d{1,2},? \d{4})", head)
    for found in (fiscal_end, year_ended):
        ended_on = parse_date(found.group(0)) if found else None
        if ended_on:
            return ended_on.month if ended_on.day > 7 else (ended_on.month - 1 or 12)
    quarter = _FISCAL_QUARTER.search(head)
    ended = re.search(
        _QUARTER_ENDED + r"(?P<d>[A-Z][a-z]+\.? \d{1,2},? \d{4})", head, re.IGNORECASE
    )
    quarter_end = parse_date(ended.group("d")) if ended else None
    if quarter and quarter_end:
        month = quarter_end.month if quarter_end.day > 7 else (quarter_end.month - 1 or 12)
        return (month + 3 * (4 - _ORD[quarter.group("ord").lower()]) - 1) % 12 + 1
    return 12


def detect(loaded: LoadedDocument, fy_end_month: int = 12) -> DocumentMeta:
    meta = loaded.xbrl_meta
    head = loaded.text[:15000]
    company = meta.get("dei:EntityRegistrantName")
    ticker = meta.get("dei:TradingSymbol")
    form = meta.get("dei:DocumentType")
    found = _COMPANY_TICKER.search(head)
    if found:
        company = company or " ".join(found.group("company").split())
        ticker = ticker or found.group("ticker")
    registrant = re.search(r"([^\n]{2,80})\n+\s*\(Exact name of registrant", head)
    if not company and registrant:
        company = " ".join(registrant.group(1).split())
    if not ticker:
        symbol = re.search(
            r"(?i:trading\s+symbol).{0,200}?\b([A-Z]{1,5})\s+(?:The\s+)?"
            r"(?:Nasdaq|NASDAQ|New York Stock Exchange|NYSE)",
            head,
            re.DOTALL,
        )
        ticker = symbol.group(1) if symbol else None
    if not ticker:  # "About Intel: Intel (Nasdaq: INTC) is ..." anywhere in the filing
        listed = re.search(
            r"\b(?:NYSE|NASDAQ|Nasdaq)(?: [A-Z]{2})?\s*:\s*([A-Z]{1,5})\b", loaded.text
        )
        ticker = listed.group(1) if listed else None
    if not company:
        only = _COMPANY_ONLY.search(head)
        if only:
            company = " ".join(only.group("company").split())
    if not company:
        # a page of a combined filing headed by its registrant, printed in any case: "entergy
        # texas, inc. and subsidiaries management's financial discussion and analysis"
        heading = _REGISTRANT_HEADING.search(head[:2000])
        if heading:
            company = " ".join(heading.group("company").split())
    release = re.search(
        r"\b(?:reports?|reported|announced?)\b.{0,150}\b(?:results|net income|"
        r"earnings|revenues?|net sales)\b",
        head[:6000],
        re.IGNORECASE | re.DOTALL,
    )
    if not form:
        form_match = _FORM.search(head[:3000] if release else head)
        if form_match:
            form = form_match.group(1).upper()
        elif _EXHIBIT.search(head[:3000]) and release:
            form = "EX-99.1 earnings release"
        elif _EXHIBIT.search(head[:3000]) and re.search(r"\b8-K\b", head):
            form = "8-K EX-99.1"
        elif release:
            form = "earnings release"
    if not company:
        headline = re.search(
            r"^([A-Z][\w.&' ]{1,40}?)\s+(?:reports|reported|announces)\b",
            head,
            re.MULTILINE | re.IGNORECASE,
        )
        company = headline.group(1).strip() if headline else None
    if company and not re.search(r"(?:Inc\.|Corporation|Corp\.|plc|PLC|Ltd\.|Limited)$", company):
        legal = re.search(
            rf"\b{re.escape(company)},?\s+(?:plc|PLC|Inc\.|Corporation|Corp\.|Ltd\.|Limited|N\.V\.)",
            loaded.text,
        )
        company = " ".join(legal.group(0).split()) if legal else company
    period = _period(loaded, head, fy_end_month)
    date_match = DATE_RE.search(head)
    released = None
    numeric = re.search(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b", head[:1500])
    if numeric:
        month, day, year = (int(numeric.group(i)) for i in (1, 2, 3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            released = f"{year:04d}-{month:02d}-{day:02d}"
    dateline = re.search(
        r"[A-Z][A-Za-z .]+,\s+[A-Z][a-z]+\.?,?\s+(" + DATE_RE.pattern[2:-2] + ")", head
    )
    for candidate in (dateline, date_match):
        stated = parse_date(candidate.group(0)) if candidate and not released else None
        if stated:
            released = stated.isoformat()
            break
    return DocumentMeta(company=company, ticker=ticker, form=form, period=period, date=released)


def _period(loaded: LoadedDocument, head: str, fy_end_month: int) -> str | None:
    end = loaded.xbrl_meta.get("dei:DocumentPeriodEndDate")
    focus = loaded.xbrl_meta.get("dei:DocumentFiscalPeriodFocus")
    year = loaded.xbrl_meta.get("dei:DocumentFiscalYearFocus")
    if focus and year:
        prefix = "" if fy_end_month == 12 else "FY"
        return f"{focus} {prefix}{year}" if focus != "FY" else f"FY{year}"
    if end:
        return end
    release = re.search(
        r"\b(first|second|third|fourth)[- ]quarter(?: and (full[- ]year|fiscal[- ]year|fiscal))?"
        r"(?: of)?(?: fiscal)? ((?:19|20)\d\d)\b",
        head[:5000],
        re.IGNORECASE,
    )
    if release:
        name = f"Q{_ORD[release.group(1).lower()]}"
        prefix = "" if fy_end_month == 12 else "FY"
        stated_year = release.group(3)
        return (
            f"{name} and FY{stated_year}" if release.group(2) else f"{name} {prefix}{stated_year}"
        )
    fiscal = re.search(
        r"\b(?:fiscal|full[- ]year) ((?:19|20)\d\d) results\b", head[:3000], re.IGNORECASE
    )
    if fiscal:
        return f"FY{fiscal.group(1)}"
    match = re.search(
        r"(?:three|thirteen)\s+(?:and|&)\s+(?:twelve|fifty-two|fifty-three)\s+(?:months|weeks)"
        r"\s+ended\s+(?P<d>[A-Z][a-z]+\.? \d{1,2},? \d{4})",
        head,
        re.IGNORECASE,
    )
    if match:
        quarter = parse_header_period(f"three months ended {match.group('d')}", fy_end_month)
        year_period = parse_header_period(f"twelve months ended {match.group('d')}", fy_end_month)
        if quarter and year_period:
            return f"{quarter.label.split(' ')[0]} and {year_period.label}"
    for pattern, length in (
        (_QUARTER_ENDED, "three months"),
        (r"(?:fiscal\s+)?year\s+ended\s+", "twelve months"),
    ):
        found = re.search(pattern + r"(?P<d>[A-Z][a-z]+\.? \d{1,2},? \d{4})", head, re.IGNORECASE)
        if found:
            period = parse_header_period(f"{length} ended {found.group('d')}", fy_end_month)
            if period:
                return period.label
    return None
