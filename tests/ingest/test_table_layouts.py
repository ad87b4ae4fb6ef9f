"""Periods read from how a table is built, on TAT-QA and FinQA dev tables copied unchanged
into ``tests/data`` (issue 15): a units row under the years, a title row over header rows of
words, dates printed alone in the label column, a year over its quarters, a spanning "Percent
Change", a year printed over two columns, comparisons between years, balances at a day of the
year, and the sentence above a table that dates only its own figure."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from evals.tatqa import markdown
from ingest.models import Fact
from ingest.periods import parse_header_period
from ingest.pipeline import prepare

LAYOUTS = Path(__file__).parents[1] / "data" / "tatqa" / "tatqa_dev_layouts.json"
FINQA = Path(__file__).parents[1] / "data" / "finqa" / "finqa_dev_cases.json"


def _fy(year: int, value: Decimal) -> tuple[str, date, date, Decimal]:
    """A figure of calendar year ``year``, as :func:`_periods` gives it."""
    return ("duration", date(year, 1, 1), date(year, 12, 31), value)


def _facts(table_uid: str) -> list[Fact]:
    context = next(c for c in json.loads(LAYOUTS.read_text()) if c["table"]["uid"] == table_uid)
    return prepare(Path(f"{table_uid}.md"), markdown(context).encode()).facts


def _periods(facts: list[Fact], row: str) -> dict[tuple[str, str], object]:
    """(column, unit) → (period kind, start, end, value) for one row's figures."""
    return {
        (f.column, f.unit): (
            (f.period.kind, f.period.start, f.period.end, f.value) if f.period else f.value
        )
        for f in facts
        if f.row == row
    }


def test_a_units_row_of_percent_signs_under_the_years() -> None:
    """ "2019 | 2018" over "% | %": the years date the columns (the "%" is their unit)."""
    rate = _periods(_facts("78b73a25-9328-4177-8f82-0da14f052461"), "Discount rate")
    assert rate == {
        ("2019 %", "percent"): _fy(2019, Decimal("2.9")),
        ("2018 %", "percent"): _fy(2018, Decimal("3.8")),
    }


def test_a_title_row_over_header_rows_of_words() -> None:
    """Oracle: "Year Ended May 31," over "Percent Change" over "2019 | Actual | Constant |
    2018". The title is part of the header, and "Percent Change" spans the two percent
    columns, not the 2018 column beside them."""
    interest = _periods(_facts("79a8ddc2-5848-4471-ad53-c3c70e4ec0c4"), "Interest expense")
    assert interest == {
        ("Year Ended May 31, 2019", "USD"): (
            "duration",
            date(2018, 6, 1),
            date(2019, 5, 31),
            Decimal("2082000000"),
        ),
        ("Actual", "percent"): Decimal("3"),
        ("Percent Change Constant", "percent"): Decimal("3"),
        ("Year Ended May 31, 2018", "USD"): (
            "duration",
            date(2017, 6, 1),
            date(2018, 5, 31),
            Decimal("2025000000"),
        ),
    }


def test_a_date_alone_in_the_label_column_dates_the_rows_below() -> None:
    """ "June 30, 2019" under "Gross Carrying Amount | Accumulated Amortization | Net" heads
    its block of balances (through its totals); "June 30, 2018" heads the next block."""
    facts = _facts("54c494f7-d731-49bf-b9cd-d494aea72e34")
    indefinite = {
        (f.period.end if f.period else None, f.value)
        for f in facts
        if f.row_path == ("Indefinite-Lived Intangible Assets", "Underlying rights and other")
        and f.column == "Net (in millions)"
    }
    assert indefinite == {
        (date(2019, 6, 30), Decimal("14500000")),
        (date(2018, 6, 30), Decimal("15100000")),
    }
    finite = {
        (f.period.kind, f.period.end, f.value)
        for f in facts
        if f.row_path == ("Finite-Lived Intangible Assets", "Underlying rights and other")
        and f.column == "Net (in millions)"
        and f.period
    }
    assert finite == {
        ("instant", date(2019, 6, 30), Decimal("1900000")),
        ("instant", date(2018, 6, 30), Decimal("2100000")),
    }


def test_as_at_a_date_heads_a_block_of_balances() -> None:
    """Tencent: "As at 31 December 2019" then its monetary assets, "As at 31 December 2018"
    then the prior year's."""
    usd = sorted(
        (f.period.kind, f.period.end, f.value)
        for f in _facts("861ad987-4b1b-40e0-bef3-1fbd25a33c6b")
        if f.row == "Monetary assets, current"
        and f.column == "USD denominated RMB’Million"
        and f.period
    )
    assert usd == [
        ("instant", date(2018, 12, 31), Decimal("18041")),
        ("instant", date(2019, 12, 31), Decimal("27728")),
    ]


def test_a_year_over_its_quarters() -> None:
    """ "2019:" over "Fourth Quarter | $11.44 | $9.47": the fourth quarter of 2019."""
    facts = _facts("43f8c656-9ff1-4b11-b64b-20c049094b6e")
    high = {
        (f.row_path, f.period.label): f.value
        for f in facts
        if f.column == "High" and f.period and f.row in ("Fourth Quarter", "Third Quarter")
    }
    assert high == {
        (("2019", "Fourth Quarter"), "Q4 2019"): Decimal("11.44"),
        (("2019", "Third Quarter"), "Q3 2019"): Decimal("14.96"),
        (("2018", "Fourth Quarter"), "Q4 2018"): Decimal("12.16"),
        (("2018", "Third Quarter"), "Q3 2018"): Decimal("20.6"),
    }


def test_a_year_ended_row_heads_its_block() -> None:
    """ "Year ended 30 June 2019" (day first) heads Leasehold and Freehold for that fiscal
    year; "Year ended 30 June 2018" the next block."""
    leasehold = {
        (f.column, f.period.start, f.period.end): f.value
        for f in _facts("c107d7d9-5208-4e97-823c-ec492c4ce75e")
        if f.row == "Leasehold" and f.period
    }
    assert leasehold == {
        ("External valuation %", date(2018, 7, 1), date(2019, 6, 30)): Decimal("23"),
        ("Internal valuation %", date(2018, 7, 1), date(2019, 6, 30)): Decimal("77"),
        ("External valuation %", date(2017, 7, 1), date(2018, 6, 30)): Decimal("60"),
        ("Internal valuation %", date(2017, 7, 1), date(2018, 6, 30)): Decimal("40"),
    }


def test_a_year_printed_over_two_columns_of_a_pipe_table() -> None:
    """ "2019 | (blank) | 2018 | (blank) | Change | (blank)": each year heads its amount and
    the percentage beside it; the figures stay in their cells."""
    software = _periods(_facts("9b0abd12-8d9e-48ba-9ac2-baacfa92e7eb"), "Software license")
    assert software == {
        ("2019", "USD"): _fy(2019, Decimal("275792000")),
        ("2019", "percent"): _fy(2019, Decimal("99")),
        ("2018", "USD"): _fy(2018, Decimal("282950000")),
        ("2018", "percent"): _fy(2018, Decimal("98")),
        ("Change", "USD"): Decimal("-7158000"),
        ("Change", "percent"): Decimal("-3"),
    }


def test_a_cell_that_is_no_figure_keeps_the_others_in_place() -> None:
    """Woolworths: "Gross margin (%) | 22.9 | 23.1 | (16) bps | (14) bps". Before, the two
    unreadable cells left the row unaligned; in a pipe table each cell keeps its column."""
    margin = _periods(_facts("00addb09-bf31-4240-a351-bc4480a3cecc"), "Gross margin (%)")
    assert margin == {
        ("F19 53 WEEKS", "percent"): _fy(2019, Decimal("22.9")),
        ("F18 (3) 52 WEEKS", "percent"): _fy(2018, Decimal("23.1")),
    }


@pytest.mark.parametrize(
    "header", ["Years Ended 2019 over 2018", "2019 vs 2018", "Fiscal 2019 compared to 2018"]
)
def test_a_comparison_of_two_years_is_no_period(header: str) -> None:
    assert parse_header_period(header) is None


def test_balances_at_a_day_of_each_year() -> None:
    """Intu: "At 1 January" and "At 31 December" under "2019 | 2018" are the balances on
    those days, so "from 31 December 2018 to 31 December 2019" can find them."""
    facts = _facts("6ea63cce-37b7-4210-b446-952afde67eb5")
    balances = {
        (f.row, f.column): (f.period.kind, f.period.end, f.value)
        for f in facts
        if f.row.startswith("At ") and f.period
    }
    assert balances == {
        ("At 1 January", "2019"): ("instant", date(2018, 12, 31), Decimal("65.6")),
        ("At 1 January", "2018"): ("instant", date(2017, 12, 31), Decimal("64.8")),
        ("At 31 December", "2019"): ("instant", date(2019, 12, 31), Decimal("53.7")),
        ("At 31 December", "2018"): ("instant", date(2018, 12, 31), Decimal("65.6")),
    }


def test_a_date_in_a_row_label_does_not_move_its_column() -> None:
    """ "Final dividend for the year ended 30 June 2018 of AU 14 cents" under "2019 | 2018":
    the label names the dividend, the columns the year it was paid."""
    facts = _facts("fd28a5b6-ecac-4f54-987d-e6a4b1e63bb6")
    final = {
        f.column: (f.period.label, f.value)
        for f in facts
        if f.row.startswith("Final dividend for the year ended 30 June 2018") and f.period
    }
    assert final == {
        "2019 US$’000": ("FY2019", Decimal("13327000")),
        "2018 US$’000": ("FY2018", Decimal("12534000")),
    }


def test_header_rows_of_words_over_the_years() -> None:
    """ "2.1 Office Buildings" over "Indicators | For the year ended 31 December" over
    "2019 | 2018"."""
    energy = _periods(
        _facts("0f04b820-97bc-4592-983b-00cfd0788011"), "Total energy consumption (MWh)"
    )
    assert energy == {
        ("For the year ended 31 December 2019", "other"): _fy(2019, Decimal("205092.26")),
        ("For the year ended 31 December 2018", "other"): _fy(2018, Decimal("167488.48")),
    }


def test_a_sentence_above_the_table_dates_only_its_own_figure() -> None:
    """Valero: the block above the share repurchase table is "as of december 31, 2018, we
    had $2.2 billion remaining ..."; the monthly rows are not balances at that date."""
    from evals.finqa import markdown as finqa_markdown

    record = next(r for r in json.loads(FINQA.read_text()) if r["id"] == "dev-433")
    facts = prepare(Path("vlo.md"), finqa_markdown(record).encode()).facts
    december = [f for f in facts if f.row == "december 2018"]
    assert sorted((f.value, f.period) for f in december) == [
        (Decimal("73.43"), None),
        (Decimal("4522"), None),
        (Decimal("3072842"), None),
        (Decimal("3077364"), None),
    ]


def test_a_balance_at_the_end_under_a_spanned_beginning() -> None:
    """ "Balance at Beginning of" printed over "Period (1/1/19)" spans into the next header
    cells; the last column's own words, "Balance at End of Period", make it the closing
    balance of the year ended December 31, 2019, and "1/1/19" is a date."""
    deferred = _periods(
        _facts("82dca6c3-9259-4be6-9c9f-fc74aa6c81f7"), "Deferred revenue (current)"
    )
    assert deferred[("Balance at Beginning of Period (1/1/19)", "USD")] == (
        "instant",
        None,
        date(2019, 1, 1),
        Decimal("5101000"),  # the lead-in above the table: "… are as follows (in thousands):"
    )
    assert deferred[("Balance at Beginning of Balance at End of Period", "USD")] == (
        "instant",
        None,
        date(2019, 12, 31),
        Decimal("4483000"),
    )


def test_a_spanning_fiscal_year_ended_over_dates_alone() -> None:
    """ "Fiscal Year Ended" printed over the middle of "December 27, 2019 | December 28, 2018
    | December 29, 2017": the first column is fiscal 2019 too, not a balance on December 27.
    The table states no scale; its text's "$24.2 million of net income" reads it in thousands."""
    cells = [f for f in _facts("577a9bb6-6158-41aa-b2ec-1a3dd5cdfa06") if f.kind == "table_cell"]
    income = _periods(cells, "Net income")
    assert income == {
        ("December 27, 2019", "USD"): (
            "duration",
            date(2018, 12, 28),
            date(2019, 12, 27),
            Decimal("24193000"),
        ),
        ("Fiscal Year Ended December 28, 2018", "USD"): (
            "duration",
            date(2017, 12, 29),
            date(2018, 12, 28),
            Decimal("20402000"),
        ),
        ("Fiscal Year Ended December 29, 2017", "USD"): (
            "duration",
            date(2016, 12, 30),
            date(2017, 12, 29),
            Decimal("14366000"),
        ),
    }


def test_figures_in_the_years_range_under_a_row_of_years_are_data() -> None:
    """Citigroup: "shares outstanding at beginning of period | 1945 | 1974" (millions of
    shares) under "2014 | 2013" is the first row of the roll-forward, not a second header."""
    from evals.finqa import markdown as finqa_markdown

    record = next(r for r in json.loads(FINQA.read_text()) if r["id"] == "dev-303")
    facts = prepare(Path("c.md"), finqa_markdown(record).encode()).facts
    opening = {
        f.column: (f.value, f.period.end if f.period else None)
        for f in facts
        if f.row == "shares outstanding at beginning of period"
    }
    assert opening == {
        "2014": (Decimal("1945"), date(2013, 12, 31)),
        "2013": (Decimal("1974"), date(2012, 12, 31)),
    }


def test_quarter_rows_under_a_year_in_the_header_and_a_repeated_header() -> None:
    """American Tower: "2008 | high | low" heads "quarter ended march 31" ... "quarter ended
    december 31"; a "2007 | high | low" row opens the next year's quarters."""
    from evals.finqa import markdown as finqa_markdown

    record = next(r for r in json.loads(FINQA.read_text()) if r["id"] == "AMT/2008/page_32.pdf-4")
    facts = prepare(Path("a.md"), finqa_markdown(record).encode()).facts
    high = [
        (f.period.label if f.period else None, f.period.start if f.period else None, f.value)
        for f in facts
        if f.column == "high" and f.row == "quarter ended december 31"
    ]
    assert high == [
        ("Q4 2008", date(2008, 10, 1), Decimal("37.28")),
        ("Q4 2007", date(2007, 10, 1), Decimal("46.53")),
    ]


def test_short_fiscal_years_with_footnote_marks_head_their_columns() -> None:
    """ "Emissions from: | FY19** | FY18** | FY18***" under a title row and a units row
    ("Emissions reported in tonnes CO2e*"): the short fiscal years date the columns."""
    facts = _facts("502dd70a-926b-49d7-b236-63855c98e740")
    gross = [
        (f.period.label if f.period else None, f.value)
        for f in facts
        if f.row == "Total gross emissions (Scope 1 and 2)"
    ]
    assert gross == [
        ("FY2019", Decimal("87128")),
        ("FY2018", Decimal("98725")),
        ("FY2018", Decimal("143354")),
    ]


def test_a_year_printed_letter_spaced_heads_its_column() -> None:
    """ "December 31" over "2019 | 2 0 1 8" (a PDF's letter spacing): both columns dated."""
    text = (
        "|  | December 31 |  |\n|---|---|---|\n|  | 2019 | 2 0 1 8 |\n"
        "| Operating loss carryforward | 73,260 | 57,768 |\n| Valuation allowance | (19,911) "
        "| (15,916) |\n"
    )
    facts = prepare(Path("spaced.md"), text.encode()).facts
    carried = {
        f.period.label if f.period else None: f.value for f in facts if f.row.startswith("Op")
    }
    assert carried == {
        "December 31, 2019": Decimal("73260"),
        "December 31, 2018": Decimal("57768"),
    }
    assert parse_header_period("December 31, 2 0 1 9").end == date(2019, 12, 31)


_NO_SCALE = (
    "|  | 2019 | 2018 |\n|---|---|---|\n| Revenue | $93,662 | $103,350 |\n"
    "| Net income | $24,193 | $20,402 |\n"
)


@pytest.mark.parametrize(
    ("text", "net_income"),
    [
        # the text states two of the table's figures in millions: the table is in thousands
        (
            "Net income was $24.2 million, against $20.4 million a year before.\n\n",
            Decimal("24193000"),
        ),
        # one figure of three significant digits could be chance: left as printed
        ("Net income was $24.2 million.\n\n", Decimal("24193")),
        # the text prints a figure as the table does: the table is in dollars
        (
            "Net income was $24.2 million, against $20.4 million; revenue was $93,662.\n\n",
            Decimal("24193"),
        ),
    ],
)
def test_a_table_stating_no_scale_takes_the_one_the_text_states_its_figures_in(
    text: str, net_income: Decimal
) -> None:
    facts = prepare(Path("scale.md"), (text + _NO_SCALE).encode()).facts
    found = {f.value for f in facts if f.kind != "sentence" and f.row == "Net income"}
    assert found == {net_income, net_income * 20402 / 24193}
