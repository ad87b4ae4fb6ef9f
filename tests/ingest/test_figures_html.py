"""Exact figures from the four HTML filings, through the whole pipeline (``prepare``).

Every expected value was read off the printed filing (the HTML source in
``tests/data/filings``), with its column header and the table's scale note:
"in thousands" 293,618 is ``293618000``; per-share figures are not scaled;
share counts are scaled like dollars unless the title says otherwise (Apple:
"except number of shares, which are reflected in thousands").

Each case is checked in four separate tests (value with unit and printed
text, scale word, period, row path), so a wrong period does not hide a right
value.  Where the pipeline's table interpretation gets an aspect wrong, that
one test is ``xfail(strict=True)`` with the diagnosis as its reason; the
expected value stays the correct one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ingest.loaders.html import load_html
from ingest.models import Fact, LoadedDocument, XbrlFact
from ingest.pipeline import Prepared

from .figures import NO_PERIOD, Docs, Per, instant

FILES = {
    "buckle": "buckle_8k_ex99-1_q3fy2024_earnings.html",
    "apple": "apple_10q_q3fy2025_ixbrl.html",
    "ibm": "ibm_10k_fy2024_ixbrl.htm",
    "medicis": "medicis_10k_fy1999.html",
}


@pytest.fixture(scope="module")
def docs(filings: Path) -> Docs:
    return Docs(filings, FILES)


@pytest.fixture(scope="module")
def apple_loaded(filings: Path) -> LoadedDocument:
    path = filings / FILES["apple"]
    return load_html(path, path.read_bytes())


# --------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    doc: str
    table: str  # substring of the table title; "" matches an untitled table
    row: str  # fact.row (the row label as printed, without a trailing colon)
    column: str | None  # how fact.column ends (the header may carry a stub or title prefix);
    # None: any column (use nth)
    number: str
    unit: str
    printed: str
    scale: str | None
    period: Per | None  # None: not asserted
    path: tuple[str, ...] | None  # None: not asserted
    nth: int = 0  # which of several matching cells, in table order
    bugs: dict[str, str] = field(default_factory=dict)  # aspect -> xfail reason


# Buckle: 52/53-week retail year ending around February 1 ("third quarter of fiscal 2024")
B_Q3_24 = Per("Q3 FY2024", "2024-08-04", "2024-11-02")
B_Q3_23 = Per("Q3 FY2023", "2023-07-30", "2023-10-28")
B_9M_24 = Per("9M FY2024", "2024-02-04", "2024-11-02")
B_9M_23 = Per("9M FY2023", "2023-01-29", "2023-10-28")
# Apple: fiscal year ending on the last Saturday of September; the true starts are the
# XBRL context starts, headers only say "Three/Nine Months Ended"
A_Q3_25 = Per("Q3 FY2025", "2025-03-30", "2025-06-28", slop=3)
A_Q3_24 = Per("Q3 FY2024", "2024-03-31", "2024-06-29", slop=3)
A_9M_25 = Per("9M FY2025", "2024-09-29", "2025-06-28", slop=3)
A_9M_24 = Per("9M FY2024", "2023-10-01", "2024-06-29", slop=3)
I_FY24 = Per("FY2024", "2024-01-01", "2024-12-31")
M_FY99 = Per("FY1999", "1998-07-01", "1999-06-30")

B_IS = "CONSOLIDATED STATEMENTS OF INCOME"
B_BS = "CONSOLIDATED BALANCE SHEETS"
A_IS = "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS"
A_OCI = "STATEMENTS OF COMPREHENSIVE INCOME"
A_BS = "CONDENSED CONSOLIDATED BALANCE SHEETS"
A_SE = "STATEMENTS OF SHAREHOLDERS’ EQUITY"
A_CF = "STATEMENTS OF CASH FLOWS"
A_EPS = "computation of basic and diluted earnings per share"
A_SEC = "cash, cash equivalents and marketable securities by significant"
A_DER = "notional amounts"
A_RSU = "RSU activity"
A_CAT = "net sales by category"
A_TAX = "Provision for Income Taxes"
A_REP = "Share repurchase activity"
I_SCH = "VALUATION AND QUALIFYING ACCOUNTS"
I_REP = "repurchase of common stock for the fourth quarter"
I_EQ = "EQUITY COMPENSATION PLAN INFORMATION"
I_OFF = "Executive Officers"
M_SCH = "SCHEDULE II"

LE = "LIABILITIES AND STOCKHOLDERS’ EQUITY"
LSE = "LIABILITIES AND SHAREHOLDERS’ EQUITY"
CREDIT = "Allowance For Credit Losses (1) (2)"

# ---- diagnoses (tables.py / facts.py / checks.py / numbers.py own these)
CAPS_TOP = (
    "tables._assign_paths: an ALL-CAPS section row ('OPERATING EXPENSES:', 'CURRENT ASSETS:', "
    "'EARNINGS PER SHARE:') becomes the super-section `top`, which only 'net cash'/'total "
    "assets'/'total liabilities and' reset, so later unindented ALL-CAPS lines stay under it"
)
CAPS_REPLACES_TOP = (
    "tables._assign_paths: a second ALL-CAPS section ('CURRENT LIABILITIES:') replaces the "
    "super-section ('LIABILITIES AND STOCKHOLDERS’ EQUITY') instead of nesting under it"
)
HEADER_LABEL_LOST = (
    "tables.parse_table: 'ASSETS' is printed in the label cell of the date header row; header "
    "rows' label cells are discarded, so the super-section is lost"
)
SHARES_IN_THOUSANDS = (
    "tables.parse_table/_EXCEPT_SHARE_DATA_RE: 'except number of shares, which are reflected "
    "in thousands' sets shares_scaled=False and the 'in thousands' for shares is ignored; the "
    "XBRL tag supplies the value (repair xbrl_value_used) but the fact's scale is None"
)
SECOND_SCALE = (
    "tables.detect_scale: only the first scale phrase is read; '(net income in millions and "
    "shares in thousands)' scales share counts by millions (the tag fixes the value, "
    "xbrl_value_used, but scale says 'millions')"
)
ROW_UNIT_ONLY = (
    "tables.unit_for: the unit comes from the row label only; a row whose label has no "
    "'shares' word ('Effect of dilutive share-based awards', 'Balance as of ...', 'Options', a "
    "date range) in a currency table is USD although its column or section says shares or "
    "per share"
)
RATE_IN_LABEL = (
    "tables.unit_for: r'\\brate\\b' in the label 'Interest rate contracts' makes a $ amount a "
    "'ratio' (and scale_for then leaves it unscaled)"
)
NO_TITLE_SCALE = (
    "tables.parse_table: the table continues on a new page (or follows another table of the "
    "same note) with no title lines of its own; the '(in millions)' of the note's 'The "
    "following tables ...' sentence is not carried over, so scale is None (the XBRL tag fixes "
    "the value: xbrl_value_used)"
)
SIGN_FROM_TAG = (
    "facts._cell_fact: value = -abs(tag) only when printed negative, otherwise the tag's value; "
    "a tag with sign='-' on a figure printed positive (cash-flow 'Accounts receivable, net' "
    "5,685; OCI reclassification 404) becomes negative, contradicting the printed statement "
    "and its own sums_to check"
)
BALANCE_IS_INSTANT = (
    "facts._cell_fact: the column period (a duration) is used even though the tag's context is "
    "an instant; beginning/ending balance rows of a roll-forward are instants"
)
XBRL_PERIOD_UNLABELLED = (
    "facts._cell_fact: when the column has no period the tag's period is used as is, without "
    "periods.period_label, so label == ''"
)
CONTINUATION_HEADER = (
    "tables.parse_table: the gross-margin-percentage <table> follows the gross-margin table "
    "with no header rows of its own; its columns are not inherited, so column '' and no period"
)
TITLE_PERIOD = (
    "tables._periods_from_context: a column without a period of its own takes one from the "
    "title ('... for the three- and nine-month periods ended June 28, 2025', 'for the nine "
    "months ended June 28, 2025'), so a 'Three Months Ended Change' column (a percent change) "
    "becomes 9M FY2025 and 'Balance as of June 28, 2025' (an instant row) becomes a duration"
)
STUB_PERIOD_FOR_ALL = (
    "tables._is_header_row takes the first block's 'Year Ended June 30, 1999' row for a header "
    "row and _periods_from_context applies it to every column of every block, so the 1998 and "
    "1997 blocks are labelled FY1999 (their own 'Year Ended June 30, 1998/1997' rows are "
    "section rows whose period is never used) and the 'Balance at beginning/end of year' "
    "columns, instants, become the duration FY1999"
)
YEAR_ROW_AS_HEADER = (
    "tables._is_header_row: a label-only row with a year ('March 30, 2025 to May 3, 2025:', "
    "'Year Ended June 30, 1999') counts as a header row, so the period it names is stacked into "
    "the (unused) label column and lost; periods printed as row sections are never used"
)
ROW_PERIODS = (
    "tables: periods printed as row labels ('October 1, 2024—October 31, 2024') are never "
    "turned into periods; _periods_from_context gives every row the title's 'fourth quarter "
    "of 2024' (Q4 2024) instead of the row's month"
)
INDENTED_UNDER_VALUE_ROW = (
    "tables._assign_paths: 'Less accumulated depreciation and amortization' is indented under "
    "'PROPERTY AND EQUIPMENT' (a row with values); only value-less rows can be parents, and the "
    "ALL-CAPS 'CURRENT ASSETS' top still applies"
)


def c(
    doc: str,
    table: str,
    row: str,
    column: str | None,
    number: str,
    unit: str,
    printed: str,
    scale: str | None,
    period: Per | None,
    path: tuple[str, ...] | None,
    /,
    nth: int = 0,
    **bugs: str,
) -> Case:
    """A case; keyword arguments ``value``/``scale``/``period``/``path`` mark that aspect as a
    known bug (the text is the xfail reason)."""
    return Case(doc, table, row, column, number, unit, printed, scale, period, path, nth, bugs)


Q3_B24 = "Thirteen Weeks Ended November 2, 2024"
Q3_B23 = "Thirteen Weeks Ended October 28, 2023"
M9_B24 = "Thirty-Nine Weeks Ended November 2, 2024"
M9_B23 = "Thirty-Nine Weeks Ended October 28, 2023"
Q3_A25 = "Three Months Ended June 28, 2025"
Q3_A24 = "Three Months Ended June 29, 2024"
M9_A25 = "Nine Months Ended June 28, 2025"
M9_A24 = "Nine Months Ended June 29, 2024"

CASES: list[Case] = [
    # ------------------------------------------------------------------ Buckle (in thousands)
    c(
        "buckle",
        B_IS,
        "SALES, Net of returns and allowances",
        Q3_B24,
        "293618000",
        "USD",
        "$ 293,618",
        "thousands",
        B_Q3_24,
        ("SALES, Net of returns and allowances",),
    ),
    c(
        "buckle",
        B_IS,
        "COST OF SALES (Including buying, distribution, and occupancy costs)",
        M9_B23,
        "459835000",
        "USD",
        "459,835",
        "thousands",
        B_9M_23,
        ("COST OF SALES (Including buying, distribution, and occupancy costs)",),
    ),
    c(
        "buckle",
        B_IS,
        "Gross profit",
        Q3_B23,
        "147215000",
        "USD",
        "147,215",
        "thousands",
        B_Q3_23,
        ("Gross profit",),
    ),
    c(
        "buckle",
        B_IS,
        "Selling",
        Q3_B24,
        "71986000",
        "USD",
        "71,986",
        "thousands",
        B_Q3_24,
        ("OPERATING EXPENSES", "Selling"),
    ),
    c(
        "buckle",
        B_IS,
        "INCOME FROM OPERATIONS",
        M9_B24,
        "145139000",
        "USD",
        "145,139",
        "thousands",
        B_9M_24,
        ("INCOME FROM OPERATIONS",),
    ),
    c(
        "buckle",
        B_IS,
        "NET INCOME",
        Q3_B24,
        "44172000",
        "USD",
        "$ 44,172",
        "thousands",
        B_Q3_24,
        ("NET INCOME",),
    ),
    c(
        "buckle",
        B_IS,
        "Basic",
        Q3_B24,
        "0.89",
        "USD/share",
        "$ 0.89",
        None,
        B_Q3_24,
        ("EARNINGS PER SHARE", "Basic"),
    ),
    c(
        "buckle",
        B_IS,
        "Diluted",
        M9_B23,
        "2.81",
        "USD/share",
        "$ 2.81",
        None,
        B_9M_23,
        ("EARNINGS PER SHARE", "Diluted"),
    ),
    # "Except Per Share Amounts" only: share counts are in thousands too
    c(
        "buckle",
        B_IS,
        "Diluted weighted average shares",
        M9_B24,
        "50230000",
        "shares",
        "50,230",
        "thousands",
        B_9M_24,
        ("Diluted weighted average shares",),
    ),
    c(
        "buckle",
        B_BS,
        "Cash and cash equivalents",
        "November 2, 2024",
        "301958000",
        "USD",
        "$ 301,958",
        "thousands",
        instant("2024-11-02"),
        ("ASSETS", "CURRENT ASSETS", "Cash and cash equivalents"),
    ),
    c(
        "buckle",
        B_BS,
        "Less accumulated depreciation and amortization",
        "February 3, 2024 (1)",
        "-360200000",
        "USD",
        "(360,200)",
        "thousands",
        instant("2024-02-03"),
        ("ASSETS", "PROPERTY AND EQUIPMENT", "Less accumulated depreciation and amortization"),
    ),
    c(
        "buckle",
        B_BS,
        "Total assets",
        "October 28, 2023",
        "921207000",
        "USD",
        "$ 921,207",
        "thousands",
        instant("2023-10-28"),
        ("ASSETS", "Total assets"),
    ),
    c(
        "buckle",
        B_BS,
        "Income taxes payable",
        "October 28, 2023",
        "536000",
        "USD",
        "536",
        "thousands",
        instant("2023-10-28"),
        (LE, "CURRENT LIABILITIES", "Income taxes payable"),
    ),
    c(
        "buckle",
        B_BS,
        "DEFERRED COMPENSATION",
        "November 2, 2024",
        "27261000",
        "USD",
        "27,261",
        "thousands",
        instant("2024-11-02"),
        (LE, "DEFERRED COMPENSATION"),
    ),
    c(
        "buckle",
        B_BS,
        "Retained earnings",
        "February 3, 2024 (1)",
        "220030000",
        "USD",
        "220,030",
        "thousands",
        instant("2024-02-03"),
        (LE, "STOCKHOLDERS’ EQUITY", "Retained earnings"),
    ),
    # ------------------------------------------------------------------ Apple (in millions)
    c(
        "apple",
        A_IS,
        "Products",
        Q3_A25,
        "66613000000",
        "USD",
        "$ 66,613",
        "millions",
        A_Q3_25,
        ("Net sales", "Products"),
    ),
    c(
        "apple",
        A_IS,
        "Total net sales",
        M9_A25,
        "313695000000",
        "USD",
        "313,695",
        "millions",
        A_9M_25,
        ("Total net sales",),
    ),
    c(
        "apple",
        A_IS,
        "Services",
        M9_A24,
        "18634000000",
        "USD",
        "18,634",
        "millions",
        A_9M_24,
        ("Cost of sales", "Services"),
        nth=1,
    ),
    c(
        "apple",
        A_IS,
        "Operating income",
        Q3_A24,
        "25352000000",
        "USD",
        "25,352",
        "millions",
        A_Q3_24,
        ("Operating income",),
    ),
    c(
        "apple",
        A_IS,
        "Other income/(expense), net",
        Q3_A25,
        "-171000000",
        "USD",
        "(171)",
        "millions",
        A_Q3_25,
        ("Other income/(expense), net",),
    ),
    c(
        "apple",
        A_IS,
        "Net income",
        M9_A25,
        "84544000000",
        "USD",
        "$ 84,544",
        "millions",
        A_9M_25,
        ("Net income",),
    ),
    c(
        "apple",
        A_IS,
        "Diluted",
        Q3_A25,
        "1.57",
        "USD/share",
        "$ 1.57",
        None,
        A_Q3_25,
        ("Earnings per share", "Diluted"),
    ),
    c(
        "apple",
        A_IS,
        "Basic",
        Q3_A25,
        "14902886000",
        "shares",
        "14,902,886",
        "thousands",
        A_Q3_25,
        ("Shares used in computing earnings per share", "Basic"),
        nth=1,
    ),
    c(
        "apple",
        A_BS,
        "Cash and cash equivalents",
        "June 28, 2025",
        "36269000000",
        "USD",
        "$ 36,269",
        "millions",
        instant("2025-06-28"),
        ("ASSETS", "Current assets", "Cash and cash equivalents"),
    ),
    c(
        "apple",
        A_BS,
        "Total liabilities",
        "September 28, 2024",
        "308030000000",
        "USD",
        "308,030",
        "millions",
        instant("2024-09-28"),
        (LSE, "Total liabilities"),
    ),
    c(
        "apple",
        A_BS,
        "Accumulated deficit",
        "June 28, 2025",
        "-17607000000",
        "USD",
        "(17,607)",
        "millions",
        instant("2025-06-28"),
        (LSE, "Shareholders’ equity", "Accumulated deficit"),
    ),
    c(
        "apple",
        A_CF,
        "Repurchases of common stock",
        M9_A25,
        "-70579000000",
        "USD",
        "(70,579)",
        "millions",
        A_9M_25,
        ("Financing activities", "Repurchases of common stock"),
    ),
    c(
        "apple",
        A_CF,
        "Accounts receivable, net",
        M9_A25,
        "5685000000",
        "USD",
        "5,685",
        "millions",
        A_9M_25,
        ("Changes in operating assets and liabilities", "Accounts receivable, net"),
    ),
    c(
        "apple",
        A_OCI,
        "Adjustment for net (gains)/losses realized and included in net income",
        M9_A25,
        "404000000",
        "USD",
        "404",
        "millions",
        A_9M_25,
        (
            "Change in unrealized gains/losses on marketable debt securities, net of tax",
            "Adjustment for net (gains)/losses realized and included in net income",
        ),
        nth=1,
    ),
    # the retained-earnings block's beginning balance: an instant, the day before Q3 began
    c(
        "apple",
        A_SE,
        "Beginning balances",
        Q3_A25,
        "-15552000000",
        "USD",
        "(15,552)",
        "millions",
        instant("2025-03-29"),
        ("Retained earnings/(Accumulated deficit)", "Beginning balances"),
        nth=1,
    ),
    c(
        "apple",
        A_EPS,
        "Weighted-average diluted shares",
        Q3_A25,
        "14948179000",
        "shares",
        "14,948,179",
        "thousands",
        A_Q3_25,
        ("Denominator", "Weighted-average diluted shares"),
    ),
    c(
        "apple",
        A_EPS,
        "Effect of dilutive share-based awards",
        M9_A25,
        "58828000",
        "shares",
        "58,828",
        "thousands",
        A_9M_25,
        ("Denominator", "Effect of dilutive share-based awards"),
    ),
    c(
        "apple",
        A_DER,
        "Interest rate contracts",
        "June 28, 2025",
        "12875000000",
        "USD",
        "$ 12,875",
        "millions",
        instant("2025-06-28"),
        ("Derivative instruments designated as accounting hedges", "Interest rate contracts"),
    ),
    c(
        "apple",
        A_RSU,
        "Balance as of June 28, 2025",
        "Number of RSUs (in thousands)",
        "149976000",
        "shares",
        "149,976",
        "thousands",
        instant("2025-06-28"),
        ("Balance as of June 28, 2025",),
    ),
    c(
        "apple",
        A_RSU,
        "RSUs granted",
        "Weighted-Average Grant-Date Fair Value Per RSU",
        "226.87",
        "USD/share",
        "$ 226.87",
        None,
        A_9M_25,
        ("RSUs granted",),
    ),
    c(  # a table continuing the one above it on a new page: its title is carried over
        "apple",
        "Cash, Cash Equivalents and Marketable Securities",
        "Cash",
        "September 28, 2024 Adjusted Cost",
        "27199000000",
        "USD",
        "$ 27,199",
        "millions",
        instant("2024-09-28"),
        ("Cash",),
    ),
    c("apple", A_CAT, "iPad", Q3_A25, "6581000000", "USD", "6,581", "millions", A_Q3_25, ("iPad",)),
    c(
        "apple",
        A_CAT,
        "iPad",
        "Three Months Ended Change",
        "-8",
        "percent",
        "(8)%",
        None,
        NO_PERIOD,
        ("iPad",),
    ),
    c(
        "apple",
        A_TAX,
        "Effective tax rate",
        M9_A25,
        "15.4",
        "percent",
        "15.4%",
        None,
        A_9M_25,
        ("Effective tax rate",),
    ),
    c(  # a table with no header rows of its own continues the one above it
        "apple",
        "Gross Margin",
        "Products",
        None,
        "34.5",
        "percent",
        "34.5%",
        None,
        A_Q3_25,
        ("Gross margin percentage", "Products"),
        nth=4,  # after the four $ cells of "Gross margin > Products"
    ),
    c(
        "apple",
        A_REP,
        "Open market and privately negotiated purchases",
        "Total Number of Shares Purchased",
        "43161000",
        "shares",
        "43,161",
        "thousands",
        Per("", "2025-03-30", "2025-05-03"),
        ("Open market and privately negotiated purchases",),  # the block row names the period
    ),
    c(
        "apple",
        A_REP,
        "Open market and privately negotiated purchases",
        "Average Price Paid Per Share",
        "200.79",
        "USD/share",
        "$ 200.79",
        None,
        None,
        None,
    ),
    # ------------------------------------------------------------------ IBM
    c(
        "ibm",
        I_SCH,
        "–Current",
        "Balance at Beginning of Period",
        "431000000",
        "USD",
        "$ 431",
        "millions",
        instant("2023-12-31"),
        (CREDIT, "2024", "–Current"),
    ),
    c(
        "ibm",
        I_SCH,
        "–Current",
        "Write-offs",
        "-146000000",
        "USD",
        "$(146)",
        "millions",
        I_FY24,
        (CREDIT, "2024", "–Current"),
    ),
    c(
        "ibm",
        I_SCH,
        "–Noncurrent",
        "Write-offs",
        "0",
        "USD",
        "$ —",
        "millions",
        Per("FY2023", "2023-01-01", "2023-12-31"),
        (CREDIT, "2023", "–Noncurrent"),
        nth=1,
    ),
    c(
        "ibm",
        I_SCH,
        "2024",
        "Balance at End of Period",
        "577000000",
        "USD",
        "$ 577",
        "millions",
        instant("2024-12-31"),
        ("Allowance For Inventory Losses", "2024"),
    ),
    c(
        "ibm",
        I_SCH,
        "2022",
        "Additions/ (Deductions)",
        "620000000",
        "USD",
        "$ 620",
        "millions",
        Per("FY2022", "2022-01-01", "2022-12-31"),
        ("Revenue Based Provisions", "2022"),
        nth=1,
    ),
    c(
        "ibm",
        I_REP,
        "October 1, 2024—October 31, 2024",
        "Total Number of Shares Purchased",
        "0",
        "shares",
        "—",
        None,
        Per("", "2024-10-01", "2024-10-31"),
        ("October 1, 2024—October 31, 2024",),
    ),
    c(
        "ibm",
        I_REP,
        "December 1, 2024—December 31, 2024",
        "Approximate Dollar Value of Shares that May Yet Be Purchased Under the Program (1)",
        "2007611768",
        "USD",
        "$ 2,007,611,768",
        None,
        None,
        ("December 1, 2024—December 31, 2024",),
    ),
    c(
        "ibm",
        I_EQ,
        "Options",
        "Number of securities to be issued upon exercise of outstanding options, warrants and "
        "rights (1) (a)",
        "9268766",
        "shares",
        "9,268,766",
        None,
        None,
        ("Equity compensation plans approved by security holders", "Options"),
    ),
    c(
        "ibm",
        I_EQ,
        "Options",
        "Weighted-average exercise price of outstanding options, warrants and rights (1) (b)",
        "146.86",
        "USD/share",
        "$ 146.86",
        None,
        None,
        ("Equity compensation plans not approved by security holders", "Options"),
        nth=1,
    ),
    c(
        "ibm",
        I_EQ,
        "Total",
        "Number of securities remaining available for future issuance under equity compensation "
        "plans (excluding securities reflected in column (a)) (c)",
        "40298470",
        "shares",
        "40,298,470",
        None,
        None,
        ("Total",),
    ),
    c(
        "ibm",
        I_OFF,
        "Arvind Krishna, Chairman of the Board, President and Chief Executive Officer (1)",
        "Age",
        "62",
        "count",
        "62",
        None,
        NO_PERIOD,
        None,
    ),
    # ------------------------------------------------------------------ Medicis (in dollars)
    # Schedule II: each "Year Ended June 30, ..." row names the period of the block below it
    c(
        "medicis",
        M_SCH,
        "Allowances",
        "Balance at beginning of year",
        "2826000",
        "USD",
        "$ 2,826,000",
        None,
        instant("1998-06-30"),
        ("Accounts Receivable", "Allowances"),
    ),
    c(
        "medicis",
        M_SCH,
        "Allowances",
        "Charged to Costs and expenses",
        "989000",
        "USD",
        "$ 989,000",
        None,
        M_FY99,
        ("Accounts Receivable", "Allowances"),
    ),
    c(
        "medicis",
        M_SCH,
        "Allowances",
        "Deductions",
        "0",
        "USD",
        "$ —",
        None,
        M_FY99,
        ("Accounts Receivable", "Allowances"),
    ),
    c(
        "medicis",
        M_SCH,
        "Allowances",
        "Balance at end of year",
        "3815000",
        "USD",
        "$ 3,815,000",
        None,
        instant("1999-06-30"),
        ("Accounts Receivable", "Allowances"),
    ),
    c(
        "medicis",
        M_SCH,
        "Allowances",
        "Charged to other accounts",
        "1216000",
        "USD",
        "1,216,000 (1)",
        None,
        Per("FY1998", "1997-07-01", "1998-06-30"),
        ("Accounts Receivable", "Allowances"),
        nth=1,
    ),
    c(
        "medicis",
        M_SCH,
        "Allowances",
        "Balance at end of year",
        "2826000",
        "USD",
        "2,826,000",
        None,
        instant("1998-06-30"),
        ("Accounts Receivable", "Allowances"),
        nth=1,
    ),
    c(
        "medicis",
        M_SCH,
        "Allowances",
        "Balance at end of year",
        "1150000",
        "USD",
        "1,150,000",
        None,
        instant("1997-06-30"),
        ("Accounts Receivable", "Allowances"),
        nth=2,
    ),
    c(
        "medicis",
        M_SCH,
        "Valuation allowance",
        "Balance at beginning of year",
        "8600000",
        "USD",
        "8,600,000",
        None,
        instant("1996-06-30"),
        ("Deferred tax assets", "Valuation allowance"),
    ),
    c(
        "medicis",
        M_SCH,
        "Valuation allowance",
        "Charged to Costs and expenses",
        "-8600000",
        "USD",
        "(8,600,000)",
        None,
        Per("FY1997", "1996-07-01", "1997-06-30"),
        ("Deferred tax assets", "Valuation allowance"),
    ),
    c(
        "medicis",
        M_SCH,
        "Valuation allowance",
        "Balance at end of year",
        "0",
        "USD",
        "—",
        None,
        instant("1997-06-30"),
        ("Deferred tax assets", "Valuation allowance"),
    ),
]


def _case_id(case: Case) -> str:
    where = case.column if case.column is not None else "any"
    return f"{case.doc}:{case.row[:40]}@{where[:40]}#{case.nth}"


def _params(aspect: str) -> list[Any]:
    params = []
    for case in CASES:
        if aspect == "period" and case.period is None:
            continue
        if aspect == "path" and case.path is None:
            continue
        reason = case.bugs.get(aspect)
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
        and (case.column is None or f.column.endswith(case.column))
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


@pytest.mark.parametrize("case", _params("scale"))
def test_scale(docs: Docs, case: Case) -> None:
    assert find(docs[case.doc], case).scale == case.scale


@pytest.mark.parametrize("case", _params("period"))
def test_period(docs: Docs, case: Case) -> None:
    fact = find(docs[case.doc], case)
    expected = case.period
    assert expected is not None
    if expected == NO_PERIOD:
        assert fact.period is None
        return
    assert fact.period is not None, "no period"
    if expected.label:  # "" when the period has no customary name (Mar 30 - May 3, 2025)
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


def test_enough_figures_per_filing() -> None:
    per_doc = Counter(case.doc for case in CASES)
    assert min(per_doc.values()) >= 10 and set(per_doc) == set(FILES)


# --------------------------------------------------------------------------- document metadata


@pytest.mark.parametrize(
    ("key", "company", "ticker", "form", "period"),
    [
        ("buckle", "The Buckle, Inc.", "BKE", "EX-99.1 earnings release", "Q3 FY2024"),
        ("apple", "Apple Inc.", "AAPL", "10-Q", "Q3 FY2025"),
        ("ibm", "INTERNATIONAL BUSINESS MACHINES CORPORATION", "IBM", "10-K", "FY2024"),
        # the 1999 cover page names no trading symbol
        ("medicis", "MEDICIS PHARMACEUTICAL CORPORATION", None, "10-K", "FY1999"),
    ],
)
def test_document_metadata(
    docs: Docs, key: str, company: str, ticker: str | None, form: str, period: str
) -> None:
    record = docs[key].record
    assert (record.company, record.ticker, record.form, record.period) == (
        company,
        ticker,
        form,
        period,
    )
    assert record.document == FILES[key]


def test_buckle_release_date(docs: Docs) -> None:
    # "For Immediate Release: November 22, 2024"
    assert docs["buckle"].record.date == "2024-11-22"


# --------------------------------------------------------------------------- periods per filing


def _labels(prepared: Prepared, table: str) -> dict[str, str | None]:
    return {
        f.column: (f.period.label if f.period else None)
        for f in prepared.facts
        if f.kind == "table_cell" and table in (f.table or "")
    }


def test_buckle_columns_are_fiscal_periods(docs: Docs) -> None:
    assert _labels(docs["buckle"], B_IS) == {
        Q3_B24: "Q3 FY2024",
        Q3_B23: "Q3 FY2023",
        M9_B24: "9M FY2024",
        M9_B23: "9M FY2023",
    }
    assert _labels(docs["buckle"], B_BS) == {
        "November 2, 2024": "November 2, 2024",
        "February 3, 2024 (1)": "February 3, 2024",
        "October 28, 2023": "October 28, 2023",
    }


def test_apple_columns_are_fiscal_periods(docs: Docs) -> None:
    assert _labels(docs["apple"], A_IS) == {
        Q3_A25: "Q3 FY2025",
        Q3_A24: "Q3 FY2024",
        M9_A25: "9M FY2025",
        M9_A24: "9M FY2024",
    }
    assert _labels(docs["apple"], A_CF) == {M9_A25: "9M FY2025", M9_A24: "9M FY2024"}
    assert _labels(docs["apple"], A_BS) == {
        "June 28, 2025": "June 28, 2025",
        "September 28, 2024": "September 28, 2024",
    }


def test_ibm_schedule_periods_are_labelled(docs: Docs) -> None:
    labels = {
        f.period.label
        for f in docs["ibm"].facts
        if f.kind == "table_cell" and I_SCH in (f.table or "") and f.period
    }
    assert labels == {
        "FY2024",
        "FY2023",
        "FY2022",
        "December 31, 2024",
        "December 31, 2023",
        "December 31, 2022",
        "December 31, 2021",
    }


def test_medicis_schedule_years_are_told_apart(docs: Docs) -> None:
    # three "Allowances" rows (years ended June 30, 1999, 1998, 1997) under one column
    ends = [
        f
        for f in docs["medicis"].facts
        if f.row == "Allowances" and f.column.endswith("Balance at end of year")
    ]
    assert [f.value for f in ends] == [Decimal(3815000), Decimal(2826000), Decimal(1150000)]
    assert len({(f.row_path, f.period) for f in ends}) == 3


# --------------------------------------------------------------------------- other defects


def test_buckle_unlabeled_subtotals_are_kept(docs: Docs) -> None:
    values = {
        f.value
        for f in docs["buckle"].facts
        if f.kind == "table_cell" and f.period and f.period.label == "Q3 FY2024"
    }
    assert Decimal("85588000") in values


def test_buckle_unlabeled_rows_are_reported(docs: Docs) -> None:
    # total operating expenses (85,588) adds up the rows above it: kept and named; net
    # property and equipment (143,032) is a difference, not a sum: dropped, and said so
    report = docs["buckle"].report
    assert [line.split("): ", 1)[1] for line in report] == [
        "a row with no label adds up the rows above it; kept it as 'Total operating expenses'",
        "dropped a row with no label",
    ]
    kept = [f for f in docs["buckle"].facts if "unlabeled_subtotal_labelled" in f.repairs]
    assert {(f.row_path, f.period.label if f.period else None, f.value) for f in kept} == {
        (("Total operating expenses",), "Q3 FY2024", Decimal("85588000")),
        (("Total operating expenses",), "Q3 FY2023", Decimal("83150000")),
        (("Total operating expenses",), "9M FY2024", Decimal("248163000")),
        (("Total operating expenses",), "9M FY2023", Decimal("244328000")),
    }


def _prose(prepared: Prepared, subject: str) -> dict[str, Decimal]:
    return {
        f.period.label: f.value
        for f in prepared.facts
        if f.kind == "sentence" and f.period and subject in f.row.lower()
    }


def test_buckle_prose_net_income_is_the_quarter(docs: Docs) -> None:
    # "Net income for the third quarter of fiscal 2024 was $44.2 million"
    income = {
        f.period.label: f.value
        for f in docs["buckle"].facts
        if f.kind == "sentence" and f.period and f.row == "Net income"
    }
    assert income.get("Q3 FY2024") == Decimal("44200000")


def test_buckle_prose_diluted_eps_is_positive(docs: Docs) -> None:
    per_share = [
        f.value for f in docs["buckle"].facts if f.kind == "sentence" and f.unit == "USD/share"
    ]
    assert per_share and all(value > 0 for value in per_share)


def test_medicis_prose_respectively(docs: Docs) -> None:
    # "research and development costs ... for fiscal 1999, 1998 and 1997 were $3,396,000,
    # $2,885,000 and $1,450,000, respectively"
    assert _prose(docs["medicis"], "research and development costs") == {
        "FY1999": Decimal(3396000),
        "FY1998": Decimal(2885000),
        "FY1997": Decimal(1450000),
    }


def test_ibm_not_applicable_is_no_figure(docs: Docs) -> None:
    printed = [f.as_printed for f in docs["ibm"].facts if f.kind == "table_cell"]
    assert "N/A" not in printed


def test_apple_share_repurchase_table_validates(docs: Docs) -> None:
    facts = [f for f in docs["apple"].facts if A_REP in (f.table or "")]
    total = [
        f
        for f in facts
        if f.row == "Total" and f.column.endswith("Total Number of Shares Purchased")
    ]
    assert total[0].as_printed == "104,264"  # 43,161 + 28,223 + 32,880
    assert all(f.validated for f in facts)


# --------------------------------------------------------------------------- Apple: XBRL vs tables


def _tagged(docs: Docs) -> list[Fact]:
    return [f for f in docs["apple"].facts if f.kind == "table_cell" and f.concept]


def _tag_of(fact: Fact, loaded: LoadedDocument) -> XbrlFact:
    inside = [
        x
        for x in loaded.xbrl_facts
        if fact.char_start <= x.char_start and x.char_end <= fact.char_end
    ]
    assert len(inside) == 1, fact
    return inside[0]


def _disagreeing(docs: Docs) -> list[Fact]:
    return [f for f in _tagged(docs) if "xbrl_value_used" in f.repairs]


def test_apple_every_tagged_cell_is_checked_against_its_tag(
    docs: Docs, apple_loaded: LoadedDocument
) -> None:
    tagged = _tagged(docs)
    # 683 visible tags; 634 sit in the 24 data tables (the rest are in prose)
    assert len(tagged) == 634
    for fact in tagged:
        agrees = f"xbrl:{fact.concept}" in fact.checks
        repaired = "xbrl_value_used" in fact.repairs
        assert agrees != repaired, fact
        tag = _tag_of(fact, apple_loaded)
        assert tag.concept == fact.concept
        assert abs(fact.value) == abs(tag.value)  # the tag's magnitude is authoritative


def test_apple_all_tagged_cells_agree_with_their_tags(docs: Docs) -> None:
    """Each of the 634 tagged cells reads, from the table alone (printed number x the scale
    its title or header states, for the unit its row and column name), the tag's value."""
    assert len(_tagged(docs)) == 634
    assert _disagreeing(docs) == []


def _period_mismatches(docs: Docs, loaded: LoadedDocument) -> list[Fact]:
    out = []
    for fact in _tagged(docs):
        tag = _tag_of(fact, loaded)
        mine, theirs = fact.period, tag.period
        assert mine is not None and theirs is not None
        same = (
            mine.kind == theirs.kind
            and abs((mine.end - theirs.end).days) <= 3
            and (
                theirs.start is None
                or (mine.start is not None and abs((mine.start - theirs.start).days) <= 3)
            )
        )
        if not same:
            out.append(fact)
    return out


def test_apple_period_labels_follow_the_fiscal_calendar(docs: Docs) -> None:
    labels = {f.period.label for f in _tagged(docs) if f.period}
    assert {
        "Q3 FY2025",
        "Q3 FY2024",
        "9M FY2025",
        "9M FY2024",
        "June 28, 2025",
        "September 28, 2024",
    } <= labels


def test_apple_all_periods_match_the_xbrl_contexts(
    docs: Docs, apple_loaded: LoadedDocument
) -> None:
    assert _period_mismatches(docs, apple_loaded) == []


def test_apple_values_keep_the_printed_sign(docs: Docs) -> None:
    assert all((f.value < 0) == ("(" in f.as_printed) for f in _tagged(docs) if f.value != 0)
