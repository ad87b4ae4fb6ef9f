"""Full-length reports read right (issue 16): how a company names its fiscal years, statement
columns headed by a date alone, and a scale stated in the lead-in above a table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from ingest.load import load
from ingest.metadata import fiscal_year_end_month
from ingest.models import Fact
from ingest.periods import FiscalYearEnd, fiscal_year_of, parse_header_period
from ingest.pipeline import Prepared, prepare

ANNUAL = Path(__file__).parents[1] / "data" / "annual"


@cache
def prepared(name: str) -> Prepared:
    path = ANNUAL / name
    return prepare(path, path.read_bytes())


def facts(name: str, row: str, table: str) -> list[Fact]:
    return [f for f in prepared(name).facts if f.row == row and table in (f.table or "")]


def test_salesforce_names_its_fiscal_year_by_the_year_it_ends_in() -> None:
    """ "References to fiscal 2023 ... refer to the fiscal year ending January 31, 2023"."""
    path = ANNUAL / "SALESFORCE_2023Q3_10Q.pdf"
    month = fiscal_year_end_month(load(path, path.read_bytes()))
    assert (int(month), isinstance(month, FiscalYearEnd), month.named_by_end) == (1, True, True)
    revenue = {
        f.period.label: f.value
        for f in facts("SALESFORCE_2023Q3_10Q.pdf", "Total revenues", "Statements of Operations")
        if f.period
    }
    assert revenue == {
        "Q3 FY2023": Decimal("7837000000"),
        "Q3 FY2022": Decimal("6863000000"),
        "9M FY2023": Decimal("22968000000"),
        "9M FY2022": Decimal("19166000000"),
    }
    assert prepared("SALESFORCE_2023Q3_10Q.pdf").record.period == "Q3 FY2023"


def test_a_retailer_names_its_fiscal_year_by_the_year_it_starts_in() -> None:
    """A plain month keeps the usual naming: the year ending January 28, 2023 is fiscal 2022
    for a retailer; the same year is fiscal 2023 for Salesforce."""
    end = date(2023, 1, 28)
    assert fiscal_year_of(end, 1) == 2022
    assert fiscal_year_of(end, FiscalYearEnd(1, named_by_end=True)) == 2023
    assert fiscal_year_of(date(2022, 10, 31), FiscalYearEnd(1, named_by_end=True)) == 2023
    period = parse_header_period("Fiscal 2023", FiscalYearEnd(1, named_by_end=True))
    assert period is not None
    assert (period.end, period.label) == (date(2023, 1, 31), "FY2023")


def test_date_columns_under_a_years_ended_stub_are_years() -> None:
    """Intel's statements print "Years Ended" in the stub and "Dec 26, 2020" over each column:
    each column is that fiscal year, not a balance on the day."""
    revenue = facts("INTEL_2020_10K_statements.pdf", "Net revenue", "Statements of Income")
    assert [(f.period.kind, f.period.label, f.value) for f in revenue if f.period] == [
        ("duration", "FY2020", Decimal("77867000000")),
        ("duration", "FY2019", Decimal("71965000000")),
        ("duration", "FY2018", Decimal("70848000000")),
    ]
    assets = facts("INTEL_2020_10K_statements.pdf", "Total assets", "Balance Sheets")
    assert [(f.period.kind, f.period.label) for f in assets if f.period] == [
        ("instant", "December 26, 2020"),
        ("instant", "December 28, 2019"),
    ]


def test_a_scale_stated_in_the_lead_in_above_a_table_applies() -> None:
    """Apple's Selected Financial Data: "(in millions, except number of shares, which are
    reflected in thousands, and per share amounts)" ends the paragraph above the table."""
    sales = facts("APPLE_2019_10K.pdf", "Total net sales", "Selected Financial Data")
    assert [(f.period.label, f.value, f.scale) for f in sales if f.period][:2] == [
        ("FY2019", Decimal("260174000000"), "millions"),
        ("FY2018", Decimal("265595000000"), "millions"),
    ]


@pytest.mark.parametrize(
    ("header", "end", "label"),
    [
        # Buckle's fiscal 2024 runs from February 2024 to February 1, 2025
        ("Q3 fiscal 2024", date(2024, 10, 31), "Q3 FY2024"),  # was read as fiscal 2024 whole
        ("third quarter of fiscal 2024", date(2024, 10, 31), "Q3 FY2024"),
        ("Q4 FY2024", date(2025, 1, 31), "Q4 FY2024"),  # was the quarter ending January 2024
        ("Q1 fiscal 2023", date(2023, 4, 30), "Q1 FY2023"),
    ],
)
def test_a_retailers_fiscal_quarters(header: str, end: date, label: str) -> None:
    period = parse_header_period(header, 1)
    assert period is not None
    assert (period.end, period.label) == (end, label)


def test_a_header_over_a_quarter_and_its_year_is_the_year() -> None:
    period = parse_header_period("Fourth Quarter and Fiscal Year 2024", 1)
    assert period is not None and period.label == "FY2024"
