"""Exact figures from the PDF filings, through the whole pipeline (``prepare``).

Every expected value was read off the printed page (rendered with ``pdftoppm``) together with
its column header and the table's scale note: "Dollars in millions" 5,897.8 is
``5897800000``; per-share figures are not scaled; share counts are scaled like dollars unless
the title excludes them; a figure in parentheses is negative and a nil dash is zero.

Each case is checked in separate tests (value with unit and printed text, period, row path,
page, basis), so a wrong period does not hide a right value.  Where the pipeline's table
interpretation or metadata gets one aspect wrong, that one test is ``xfail(strict=True)``
with the diagnosis as its reason; the expected value stays the correct one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ingest.models import Fact
from ingest.pipeline import Prepared

from .figures import NO_PERIOD, Docs, Per, instant

FILES = {
    "amazon": "amazon_10k_fy2019.pdf",
    "amcor": "amcor_fy2023q4_earnings_release.pdf",
    "intel": "intel_2022q4_earnings_release.pdf",
    "mcdonalds": "mcdonalds_2023q1_earnings_release_ex99-1.pdf",
    "ebay": "ebay_2023q1_8k.pdf",
}


@pytest.fixture(scope="module")
def docs(filings: Path) -> Docs:
    return Docs(filings, FILES)


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    doc: str
    table: str  # substring of the table title; "" matches an untitled table
    row: str  # fact.row: the row label as printed, without a trailing colon
    column: str  # how fact.column ends
    number: str
    unit: str
    printed: str
    period: Per
    path: tuple[str, ...]
    page: int
    basis: str | None = None  # asserted only when given
    nth: int = 0  # which of several matching cells, in table order
    bugs: dict[str, str] = field(default_factory=dict)  # aspect -> xfail reason


def c(
    doc: str,
    table: str,
    row: str,
    column: str,
    number: str,
    unit: str,
    printed: str,
    period: Per,
    path: tuple[str, ...],
    page: int,
    /,
    basis: str | None = None,
    nth: int = 0,
    **bugs: str,
) -> Case:
    """A case; keyword arguments ``value``/``period``/``path``/``page`` (and ``basis_bug``
    for the basis) mark that aspect as a known bug (the text is the xfail reason)."""
    return Case(
        doc, table, row, column, number, unit, printed, period, path, page, basis, nth, bugs
    )


# ----------------------------------------------------------------- known pipeline bugs (reasons)

SCALE_SINGULAR = (
    "tables._SCALE_RE only knows the plural: '($ million, except per share amounts)', "
    "'($ million)' and a '2023 $ million' column header give no scale"
)
SCALE_IN_LABEL = (
    "tables: a scale in the row label ('Revenue ($B)') is not applied; the figure stays 14.0"
)
CENTS = (
    "tables.unit_for: 'EPS (Diluted US cents)' is a per-share figure in cents; 19.3 is "
    "filed as 19.3 USD/share instead of 0.193"
)
EPS_IN_LABEL = (
    "tables.unit_for: '\\beps\\b' in the label 'Adjusted EBITDA, EBIT, Net income, and EPS' "
    "makes every column of the row USD/share (unscaled), including the $ million ones"
)
SHARES_WORD = (
    "tables.unit_for: _SHARES_RE matches 'shares' in '{0}', so a dollar figure is "
    "filed as a share count"
)
SCALE_NOTE_IN_HEADER = (
    "tables.unit_for: the scale note row '(in millions, except per share data)' is stacked "
    "into every column header ('Year Ended December 31, 2019 (in millions, except per share "
    "data)'), and 'per share' in the header makes the dollar figures USD/share, unscaled"
)
PER_SHARE_VETO = (
    "tables.unit_for: 'per share' in the label 'Shares used in computation of diluted "
    "earnings per share' vetoes the 'shares' unit, so a share count is filed as USD"
)
TREASURY_PATH = (
    "tables._assign_paths keeps one section level under a capitals super-section: the "
    "nested 'Preferred stock, $0.01 par value:' / 'Common stock, $0.01 par value:' replace "
    "'Stockholders’ equity:' as the parent, and 'Treasury stock, at cost' after them loses it"
)


# ----------------------------------------------------------------- the figures

AMZN_FY19 = Per("FY2019", "2019-01-01", "2019-12-31")
AMZN_FY18 = Per("FY2018", "2018-01-01", "2018-12-31")
AMZN_IS = "CONSOLIDATED STATEMENTS OF OPERATIONS"
AMZN_BS = "CONSOLIDATED BALANCE SHEETS"
AMZN_CF = "CONSOLIDATED STATEMENTS OF CASH FLOWS"
AMZN_LSE = "LIABILITIES AND STOCKHOLDERS’ EQUITY"

# Amcor: fiscal year ends June 30
AMCR_Q4_23 = Per("Q4 FY2023", "2023-04-01", "2023-06-30")
AMCR_FY23 = Per("FY2023", "2022-07-01", "2023-06-30")
AMCR_IS = "U.S. GAAP Condensed Consolidated Statements of Income"
AMCR_CF = "U.S. GAAP Condensed Consolidated Statements of Cash Flows"
AMCR_BS = "U.S. GAAP Condensed Consolidated Balance Sheets"
AMCR_REC = "Reconciliation of Non-GAAP Measures"

# Intel: 52/53-week year; "Three Months Ended Dec 31, 2022" is taken as Oct 1 - Dec 31
INTC_Q4_22 = Per("Q4 2022", "2022-10-01", "2022-12-31", slop=1)
INTC_Q4_21 = Per("Q4 2021", "2021-09-26", "2021-12-25", slop=1)
INTC_FY22 = Per("FY2022", "2022-01-01", "2022-12-31", slop=6)
INTC_FY21 = Per("FY2021", "2020-12-26", "2021-12-25", slop=1)
INTC_IS = "Consolidated Statements of Income and Other Information"
INTC_REC = "Supplemental Reconciliations of GAAP Actuals to Non-GAAP Actuals"

MCD_Q1_23 = Per("Q1 2023", "2023-01-01", "2023-03-31")
MCD_Q1_22 = Per("Q1 2022", "2022-01-01", "2022-03-31")
MCD_IS = "CONDENSED CONSOLIDATED STATEMENT OF INCOME"
MCD_KEY = "KEY FINANCIAL METRICS - CONSOLIDATED"
MCD_REC = "NET INCOME AND EARNINGS PER SHARE-DILUTED RECONCILIATION"

CASES: list[Case] = [
    # ------------------------------------------------- Amazon 10-K 2019 (in millions)
    c(
        "amazon",
        AMZN_IS,
        "Total net sales",
        "December 31, 2019",
        "280522000000",
        "USD",
        "280,522",
        AMZN_FY19,
        ("Total net sales",),
        38,
    ),
    c(
        "amazon",
        AMZN_IS,
        "Interest expense",
        "December 31, 2019",
        "-1600000000",
        "USD",
        "(1,600)",
        AMZN_FY19,
        ("Interest expense",),
        38,
    ),
    c(
        "amazon",
        AMZN_IS,
        "Net income",
        "December 31, 2018",
        "10073000000",
        "USD",
        "$ 10,073",
        AMZN_FY18,
        ("Net income",),
        38,
    ),
    c(
        "amazon",
        AMZN_IS,
        "Diluted earnings per share",
        "December 31, 2019",
        "23.01",
        "USD/share",
        "$ 23.01",
        AMZN_FY19,
        ("Diluted earnings per share",),
        38,
    ),
    c(
        "amazon",
        AMZN_IS,
        "Diluted",
        "December 31, 2019",
        "504000000",
        "shares",
        "504",
        AMZN_FY19,
        ("Weighted-average shares used in computation of earnings per share", "Diluted"),
        38,
    ),
    c(
        "amazon",
        AMZN_BS,
        "Total assets",
        "December 31, 2019",
        "225248000000",
        "USD",
        "$ 225,248",
        instant("2019-12-31"),
        ("ASSETS", "Total assets"),
        40,
    ),
    c(
        "amazon",
        AMZN_BS,
        "Accounts payable",
        "December 31, 2019",
        "47183000000",
        "USD",
        "$ 47,183",
        instant("2019-12-31"),
        (AMZN_LSE, "Current liabilities", "Accounts payable"),
        40,
    ),
    c(
        "amazon",
        AMZN_BS,
        "Operating leases",
        "December 31, 2018",
        "0",
        "USD",
        "—",
        instant("2018-12-31"),
        ("ASSETS", "Operating leases"),
        40,
    ),
    c(
        "amazon",
        AMZN_BS,
        "Treasury stock, at cost",
        "December 31, 2019",
        "-1837000000",
        "USD",
        "(1,837)",
        instant("2019-12-31"),
        (AMZN_LSE, "Stockholders’ equity", "Treasury stock, at cost"),
        40,
        path=TREASURY_PATH,
    ),
    c(
        "amazon",
        AMZN_CF,
        "Cash paid for operating leases",
        "December 31, 2018",
        "0",
        "USD",
        "—",
        AMZN_FY18,
        ("SUPPLEMENTAL CASH FLOW INFORMATION", "Cash paid for operating leases"),
        37,
    ),
    c(
        "amazon",
        "reconciliation of free cash flow to the most comparable GAAP",
        "Free cash flow",
        "December 31, 2019",
        "25825000000",
        "USD",
        "$ 25,825",
        AMZN_FY19,
        ("Free cash flow",),
        29,
        basis="non-GAAP",
    ),
    c(
        "amazon",
        "QUARTERLY RESULTS",
        "Net sales",
        "Fourth Quarter",
        "87437000000",
        "USD",
        "$ 87,437",
        Per("Q4 2019", "2019-10-01", "2019-12-31"),
        ("Net sales",),
        70,
        nth=1,
    ),
    c(
        "amazon",
        "Selected Consolidated Financial Data",
        "Net sales",
        "",
        "280522000000",
        "USD",
        "$ 280,522",
        AMZN_FY19,
        ("Statements of Operations", "Net sales"),
        18,
        nth=4,
    ),
    c(
        "amazon",
        "calculation of diluted shares",
        "Shares used in computation of diluted earnings per share",
        "December 31, 2019",
        "504000000",
        "shares",
        "504",
        AMZN_FY19,
        ("Shares used in computation of diluted earnings per share",),
        43,
    ),
    # ------------------------------------------------- Amcor FY2023 release ($ million)
    c(
        "amcor",
        AMCR_IS,
        "Net sales",
        "Three Months Ended June 30, 2023",
        "3673000000",
        "USD",
        "3,673",
        AMCR_Q4_23,
        ("Net sales",),
        8,
    ),
    c(
        "amcor",
        AMCR_IS,
        "Cost of sales",
        "Twelve Months Ended June 30, 2023",
        "-11969000000",
        "USD",
        "(11,969)",
        AMCR_FY23,
        ("Cost of sales",),
        8,
    ),
    c(
        "amcor",
        AMCR_IS,
        "Net income attributable to Amcor plc",
        "Twelve Months Ended June 30, 2023",
        "1048000000",
        "USD",
        "1,048",
        AMCR_FY23,
        ("Net income attributable to Amcor plc",),
        8,
    ),
    c(
        "amcor",
        AMCR_IS,
        "Diluted earnings per share attributable to Amcor",
        "Twelve Months Ended June 30, 2023",
        "0.705",
        "USD/share",
        "0.705",
        AMCR_FY23,
        ("Diluted earnings per share attributable to Amcor",),
        8,
    ),
    c(
        "amcor",
        AMCR_IS,
        "Weighted average number of shares outstanding – Diluted",
        "Three Months Ended June 30, 2023",
        "1456000000",
        "shares",
        "1,456",
        AMCR_Q4_23,
        ("Weighted average number of shares outstanding – Diluted",),
        8,
    ),
    c(
        "amcor",
        AMCR_BS,
        "Total assets",
        "June 30, 2023",
        "17003000000",
        "USD",
        "17,003",
        instant("2023-06-30"),
        ("Total assets",),
        9,
    ),
    c(
        "amcor",
        AMCR_CF,
        "Dividends paid",
        "Twelve Months Ended June 30, 2023",
        "-723000000",
        "USD",
        "(723)",
        AMCR_FY23,
        ("Dividends paid",),
        9,
    ),
    c(
        "amcor",
        AMCR_CF,
        "Russia and Ukraine impairment",
        "Twelve Months Ended June 30, 2023",
        "0",
        "USD",
        "—",
        AMCR_FY23,
        ("Russia and Ukraine impairment",),
        9,
    ),
    c(
        "amcor",
        AMCR_CF,
        "Treasury shares purchases, net",
        "Twelve Months Ended June 30, 2023",
        "-87000000",
        "USD",
        "(87)",
        AMCR_FY23,
        ("Treasury shares purchases, net",),
        9,
    ),
    c(
        "amcor",
        "Key Financials",
        "Net income",
        "2023 $ million",
        "1048000000",
        "USD",
        "1,048",
        AMCR_FY23,
        ("GAAP results", "Net income"),
        1,
        basis="GAAP",
    ),
    # "Adjusted non-GAAP results" is printed in the label column of the header row
    c(
        "amcor",
        "Key Financials",
        "Net income",
        "2023 $ million",
        "1089000000",
        "USD",
        "1,089",
        AMCR_FY23,
        ("Adjusted non-GAAP results", "Net income"),
        1,
        basis="non-GAAP",
        nth=1,
    ),
    c(
        "amcor",
        AMCR_REC,
        "Adjusted EBITDA, EBIT, Net income, and EPS",
        "June 30, 2023 Net Income",
        "282000000",
        "USD",
        "282",
        AMCR_Q4_23,
        ("Adjusted EBITDA, EBIT, Net income, and EPS",),
        11,
        basis="non-GAAP",
    ),
    c(
        "amcor",
        AMCR_REC,
        "Adjusted EBITDA, EBIT, Net income, and EPS",
        "June 30, 2023 EPS (Diluted US cents) (1)",
        "0.193",
        "USD/share",
        "19.3",
        AMCR_Q4_23,
        ("Adjusted EBITDA, EBIT, Net income, and EPS",),
        11,
        basis="non-GAAP",
    ),
    # ------------------------------------------------- Intel Q4 2022 release (in millions)
    c(
        "intel",
        INTC_IS,
        "Net revenue",
        "Three Months Ended Dec 31, 2022",
        "14042000000",
        "USD",
        "$ 14,042",
        INTC_Q4_22,
        ("Net revenue",),
        8,
    ),
    c(
        "intel",
        INTC_IS,
        "Net revenue",
        "Twelve Months Ended Dec 31, 2022",
        "63054000000",
        "USD",
        "$ 63,054",
        INTC_FY22,
        ("Net revenue",),
        8,
    ),
    c(
        "intel",
        INTC_IS,
        "Operating income (loss)",
        "Three Months Ended Dec 31, 2022",
        "-1132000000",
        "USD",
        "(1,132)",
        INTC_Q4_22,
        ("Operating income (loss)",),
        8,
    ),
    c(
        "intel",
        INTC_IS,
        "Less: Net income attributable to non-controlling interests",
        "Three Months Ended Dec 25, 2021",
        "0",
        "USD",
        "—",
        INTC_Q4_21,
        ("Less: Net income attributable to non-controlling interests",),
        8,
    ),
    c(
        "intel",
        INTC_IS,
        "Earnings (loss) per share attributable to Intel—diluted",
        "Three Months Ended Dec 31, 2022",
        "-0.16",
        "USD/share",
        "$ (0.16)",
        INTC_Q4_22,
        ("Earnings (loss) per share attributable to Intel—diluted",),
        8,
    ),
    c(
        "intel",
        INTC_IS,
        "Diluted",
        "Twelve Months Ended Dec 31, 2022",
        "4123000000",
        "shares",
        "4,123",
        INTC_FY22,
        ("Weighted average shares of common stock outstanding", "Diluted"),
        8,
    ),
    c(
        "intel",
        "Consolidated Balance Sheets",
        "Total assets",
        "Dec 31, 2022",
        "182103000000",
        "USD",
        "$ 182,103",
        instant("2022-12-31"),
        ("Total assets",),
        9,
    ),
    c(
        "intel",
        "Consolidated Balance Sheets",
        "Accumulated other comprehensive income (loss)",
        "Dec 25, 2021",
        "-880000000",
        "USD",
        "(880)",
        instant("2021-12-25"),
        ("Stockholders' equity", "Accumulated other comprehensive income (loss)"),
        9,
    ),
    c(
        "intel",
        "Consolidated Statements of Cash Flows",
        "Net cash used for investing activities",
        "Twelve Months Ended Dec 31, 2022",
        "-10477000000",
        "USD",
        "(10,477)",
        INTC_FY22,
        ("Net cash used for investing activities",),
        10,
    ),
    c(
        "intel",
        INTC_REC,
        "Non-GAAP net revenue",
        "Three Months Ended Dec 25, 2021",
        "19532000000",
        "USD",
        "$ 19,532",
        INTC_Q4_21,
        ("Non-GAAP net revenue",),
        15,
        basis="non-GAAP",
    ),
    # printed on page 16, in the part of the reconciliation merged into page 15's table
    c(
        "intel",
        INTC_REC,
        "Non-GAAP earnings per share—diluted",
        "Twelve Months Ended Dec 31, 2022",
        "1.84",
        "USD/share",
        "$ 1.84",
        INTC_FY22,
        ("Non-GAAP earnings per share—diluted",),
        15,
        basis="non-GAAP",
    ),
    c(
        "intel",
        INTC_REC,
        "GAAP tax rate",
        "Twelve Months Ended Dec 31, 2022",
        "-3.2",
        "percent",
        "(3.2) %",
        INTC_FY22,
        ("GAAP tax rate",),
        15,
        basis="GAAP",
    ),
    c(
        "intel",
        "",
        "Adjusted free cash flow",
        "Twelve Months Ended Dec 31, 2022",
        "-4075000000",
        "USD",
        "$ (4,075)",
        INTC_FY22,
        ("Adjusted free cash flow",),
        16,
        basis="non-GAAP",
    ),
    c(
        "intel",
        "Q4 2022 Financial Results",
        "Revenue ($B)",
        "GAAP Q4 2022",
        "14000000000",
        "USD",
        "$14.0",
        INTC_Q4_22,
        ("Revenue ($B)",),
        1,
    ),
    c(
        "intel",
        "Full-Year 2022 Financial Results",
        "Earnings per share",
        "GAAP 2022",
        "1.94",
        "USD/share",
        "$1.94",
        INTC_FY22,
        ("Earnings per share",),
        2,
    ),
    # ------------------------------------------------- McDonald's Q1 2023 (in millions)
    c(
        "mcdonalds",
        MCD_IS,
        "TOTAL REVENUES",
        "March 31, 2023",
        "5897800000",
        "USD",
        "5,897.8",
        MCD_Q1_23,
        ("TOTAL REVENUES",),
        4,
    ),
    c(
        "mcdonalds",
        MCD_IS,
        "Revenues from franchised restaurants",
        "March 31, 2023",
        "3587500000",
        "USD",
        "3,587.5",
        MCD_Q1_23,
        ("Revenues", "Revenues from franchised restaurants"),
        4,
    ),
    c(
        "mcdonalds",
        MCD_IS,
        "Sales by Company-operated restaurants",
        "March 31, 2022",
        "2302400000",
        "USD",
        "$ 2,302.4",
        MCD_Q1_22,
        ("Revenues", "Sales by Company-operated restaurants"),
        4,
    ),
    c(
        "mcdonalds",
        MCD_IS,
        "Nonoperating (income) expense, net",
        "March 31, 2023",
        "-64300000",
        "USD",
        "(64.3)",
        MCD_Q1_23,
        ("Nonoperating (income) expense, net",),
        4,
    ),
    c(
        "mcdonalds",
        MCD_IS,
        "NET INCOME",
        "Inc/ (Dec)",
        "697900000",
        "USD",
        "$ 697.9",
        NO_PERIOD,
        ("NET INCOME",),
        4,
    ),
    c(
        "mcdonalds",
        MCD_IS,
        "EARNINGS PER SHARE-DILUTED",
        "March 31, 2023",
        "2.45",
        "USD/share",
        "$ 2.45",
        MCD_Q1_23,
        ("EARNINGS PER SHARE-DILUTED",),
        4,
    ),
    c(
        "mcdonalds",
        MCD_IS,
        "Weighted average shares outstanding-diluted",
        "March 31, 2023",
        "735500000",
        "shares",
        "735.5",
        MCD_Q1_23,
        ("Weighted average shares outstanding-diluted",),
        4,
    ),
    c(
        "mcdonalds",
        MCD_KEY,
        "Net income",
        "March 31, 2022",
        "1104400000",
        "USD",
        "1,104.4",
        MCD_Q1_22,
        ("Net income",),
        2,
    ),
    c(
        "mcdonalds",
        MCD_REC,
        "Non-GAAP",
        "Net Income 2023",
        "1936700000",
        "USD",
        "$1,936.7",
        MCD_Q1_23,
        ("Non-GAAP",),
        2,
        basis="non-GAAP",
    ),
    c(
        "mcdonalds",
        MCD_REC,
        "Non-GAAP",
        "Earnings per share - diluted 2022",
        "2.28",
        "USD/share",
        "$ 2.28",
        MCD_Q1_22,
        ("Non-GAAP",),
        2,
        basis="non-GAAP",
    ),
    c(
        "mcdonalds",
        MCD_REC,
        "Tax settlement",
        "Net Income 2023",
        "0",
        "USD",
        "—",
        MCD_Q1_23,
        ("Tax settlement",),
        2,
    ),
    c(
        "mcdonalds",
        MCD_REC,
        "Tax settlement",
        "Net Income 2022",
        "500000000",
        "USD",
        "500.0",
        MCD_Q1_22,
        ("Tax settlement",),
        2,
    ),
    c(
        "mcdonalds",
        MCD_REC,
        "GAAP",
        "Earnings per share - diluted 2023",
        "2.45",
        "USD/share",
        "$ 2.45",
        MCD_Q1_23,
        ("GAAP",),
        2,
        basis="GAAP",
    ),
    c(
        "mcdonalds",
        "COMPARABLE SALES",
        "U.S.",
        "2023",
        "12.6",
        "percent",
        "12.6 %",
        MCD_Q1_23,
        ("U.S.",),
        2,
    ),
]


def _case_id(case: Case) -> str:
    return f"{case.doc}:{case.row[:40]}@{case.column[-40:]}#{case.nth}"


def _params(aspect: str) -> list[Any]:
    params = []
    for case in CASES:
        if aspect == "basis" and case.basis is None:
            continue
        reason = case.bugs.get("basis_bug" if aspect == "basis" else aspect)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        params.append(pytest.param(case, id=_case_id(case), marks=marks))
    return params


def find(prepared: Prepared, case: Case) -> Fact:
    matches = [
        f
        for f in prepared.facts
        if f.kind == "table_cell"
        and case.table.lower() in (f.table or "").lower()
        and (case.table or f.table is None)
        and f.row == case.row
        and f.column.endswith(case.column)
    ]
    assert len(matches) > case.nth, f"no fact #{case.nth} for {_case_id(case)}"
    return matches[case.nth]


@pytest.mark.parametrize("case", _params("value"))
def test_value(docs: Docs, case: Case) -> None:
    fact = find(docs[case.doc], case)
    assert (fact.value, fact.unit, fact.as_printed) == (
        Decimal(case.number),
        case.unit,
        case.printed,
    )
    assert str(fact.value) == case.number  # base units, no exponent


@pytest.mark.parametrize("case", _params("period"))
def test_period(docs: Docs, case: Case) -> None:
    fact = find(docs[case.doc], case)
    expected = case.period
    if expected == NO_PERIOD:
        assert fact.period is None
        return
    assert fact.period is not None, "no period"
    assert fact.period.label == expected.label
    assert fact.period.end == date.fromisoformat(expected.end)
    if expected.start is None:
        assert (fact.period.kind, fact.period.start) == ("instant", None)
    else:
        assert fact.period.kind == "duration" and fact.period.start is not None
        slop = abs((fact.period.start - date.fromisoformat(expected.start)).days)
        assert slop <= expected.slop, f"start {fact.period.start} vs {expected.start}"


@pytest.mark.parametrize("case", _params("path"))
def test_row_path(docs: Docs, case: Case) -> None:
    assert find(docs[case.doc], case).row_path == case.path


@pytest.mark.parametrize("case", _params("page"))
def test_page(docs: Docs, case: Case) -> None:
    assert find(docs[case.doc], case).page == case.page


@pytest.mark.parametrize("case", _params("basis"))
def test_basis(docs: Docs, case: Case) -> None:
    assert find(docs[case.doc], case).basis == case.basis


def test_enough_figures_per_filing() -> None:
    per_doc = Counter(case.doc for case in CASES)
    assert min(per_doc.values()) >= 10 and set(per_doc) == set(FILES) - {"ebay"}


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("key", "row", "page", "title"),
    [
        (
            "mcdonalds",
            "Tax settlement",
            2,
            "NET INCOME AND EARNINGS PER SHARE-DILUTED RECONCILIATION / "
            "Dollars in millions, except per share data",
        ),
        ("intel", "Non-GAAP net revenue", 15, f"Intel Corporation / {INTC_REC}"),
        (
            "amazon",
            "Land and buildings",
            53,
            "Note 3 — PROPERTY AND EQUIPMENT / "
            "Property and equipment, at cost, consisted of the following (in millions):",
        ),
        (
            "amcor",
            "Adjusted Free Cash Flow",
            11,
            f"{AMCR_REC} / Reconciliation of adjusted Earnings before interest, tax, "
            "depreciation and amortization (EBITDA), Earnings before interest and tax (EBIT), "
            "Net income, Earnings per share (EPS) and Free Cash Flow",
        ),
    ],
)
def test_table_title_is_its_heading_not_body_text(
    docs: Docs, key: str, row: str, page: int, title: str
) -> None:
    facts = docs[key].facts
    (table,) = {
        f.table for f in facts if f.kind == "table_cell" and f.row == row and f.page == page
    }
    assert table == title


# --------------------------------------------------------------------------- document metadata


@pytest.mark.parametrize(
    ("key", "company", "ticker", "form", "period"),
    [
        ("amazon", "AMAZON.COM, INC.", "AMZN", "10-K", "FY2019"),
        # "About Intel: Intel (Nasdaq: INTC) ..."
        ("intel", "Intel Corporation", "INTC", "EX-99.1 earnings release", "Q4 and FY2022"),
        # "NYSE: AMCR; ASX: AMC"; no exhibit number printed; results for fiscal 2023
        ("amcor", "Amcor plc", "AMCR", "earnings release", "FY2023"),
        # no trading symbol is printed in the McDonald's release
        ("mcdonalds", "McDonald's Corporation", None, "EX-99.1 earnings release", "Q1 2023"),
        # the cover page's "Trading symbol(s)" line: "Common stock EBAY ..."
        ("ebay", "eBay Inc.", "EBAY", "8-K", None),
    ],
)
def test_document_metadata(
    docs: Docs, key: str, company: str, ticker: str | None, form: str, period: str | None
) -> None:
    record = docs[key].record
    assert (record.company, record.ticker, record.form, record.period) == (
        company,
        ticker,
        form,
        period,
    )
    assert record.document == FILES[key]


# --------------------------------------------------------------------------- eBay memo


def test_ebay_memo_has_no_table_facts(docs: Docs) -> None:
    prepared = docs["ebay"]
    assert [f for f in prepared.facts if f.kind == "table_cell"] == []
    assert prepared.record.tables == 0


def test_ebay_sentence_is_in_a_narrative_chunk(docs: Docs) -> None:
    sentence = (
        "Over the next 24 hours, we’ll be letting approximately 500 employees globally know that "
        "their jobs will be eliminated."
    )
    chunks = [ch for ch in docs["ebay"].chunks if sentence in ch.text]
    assert chunks and all(ch.kind == "narrative" and ch.page == 2 for ch in chunks)
