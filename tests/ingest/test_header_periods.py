"""Column periods read off the header the way annual reports print it: shorthand years, a
title row over the years, and a document whose balances all fall in one month."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from evals.tatqa import markdown
from ingest.models import Fact
from ingest.periods import Period, parse_header_period
from ingest.pipeline import prepare
from retrieval.corpus import Corpus

CASES = Path(__file__).parents[1] / "data" / "tatqa"


def fy(year: int, start: date | None = None, end: date | None = None) -> Period:
    return Period(
        "duration",
        end=end or date(year, 12, 31),
        start=start or date(year, 1, 1),
        label=f"FY{year}",
    )


@pytest.mark.parametrize(
    ("header", "period"),
    [
        ("F19", fy(2019)),
        ("FY19", fy(2019)),
        ("F18 (3)", fy(2018)),
        ("2018/2019", fy(2019)),  # a fiscal year across two calendar years
        ("2017/18", fy(2018)),
        ("2019 53 WEEKS", fy(2019)),  # a 53-week fiscal year under its year
        ("Year-ended 31 March 2019", fy(2019, date(2018, 4, 1), date(2019, 3, 31))),
        ("52 weeks ended 30 Mar 2019 £m", fy(2019, date(2018, 4, 1), date(2019, 3, 30))),
        ("December31, 2019", Period("instant", end=date(2019, 12, 31), label="December 31, 2019")),
        ("12/28/2013", Period("instant", end=date(2013, 12, 28), label="December 28, 2013")),
        ("30/9/2018", Period("instant", end=date(2018, 9, 30), label="September 30, 2018")),
        # a performance graph's columns (UPS FY2006, E*Trade FY2014 in FinQA dev)
        ("12/31/01", Period("instant", end=date(2001, 12, 31), label="December 31, 2001")),
        ("12/31/98", Period("instant", end=date(1998, 12, 31), label="December 31, 1998")),
        ("12/09", Period("instant", end=date(2009, 12, 31), label="December 31, 2009")),
        (
            "level 3 assets ( liabilities ) as of december 2017",  # no day: the month's end
            Period("instant", end=date(2017, 12, 31), label="December 31, 2017"),
        ),
    ],
)
def test_header_shorthand_names_its_period(header: str, period: Period) -> None:
    assert parse_header_period(header) == period


@pytest.mark.parametrize(
    "header", ["Percentage of Total Fees", "Note", "53 WEEKS", "£m", "13/09", "1-3 years"]
)
def test_headers_without_a_year_name_no_period(header: str) -> None:
    assert parse_header_period(header) is None


def _by_period(facts: list[Fact], row: str) -> dict[str, Decimal]:
    """A row's figures by period label."""
    return {f.period.label: f.value for f in facts if f.row == row and f.period is not None}


def _context(path: Path, table_uid: str) -> dict:
    return next(c for c in json.loads(path.read_text()) if c["table"]["uid"] == table_uid)


def test_a_title_row_over_the_years_is_part_of_the_header() -> None:
    """ "Years Ended December 31" alone on the first row, "Black-Scholes Assumptions 2019
    2018 2017" under it: the years head the columns; they are not a row of figures."""
    context = _context(CASES / "tatqa_dev_cases.json", "00a5764e-8bb7-48f1-a4cb-bea0edf188b1")
    prepared = prepare(Path("assumptions.md"), markdown(context).encode())
    dividend = _by_period(prepared.facts, "Dividend yield")
    assert dividend == {
        "FY2019": Decimal("4.5"),
        "FY2018": Decimal("4.6"),
        "FY2017": Decimal("4.1"),
    }
    assert not [f for f in prepared.facts if f.value == Decimal("2019")]


def test_a_caption_row_over_years_with_units_dates_the_columns() -> None:
    """ "Income statement expense" over "2019 €m 2018 €m 2017 €m" (Vodafone's pensions note)."""
    context = json.loads((CASES / "tatqa_dev_first100.json").read_text())[3]
    prepared = prepare(Path("pensions.md"), markdown(context).encode())
    schemes = _by_period(prepared.facts, "Defined contribution schemes")
    assert schemes == {"FY2019": Decimal("166"), "FY2018": Decimal("178"), "FY2017": Decimal("192")}


def test_balances_all_in_one_month_date_the_fiscal_year() -> None:
    """A note whose every balance is at September 30 (2019 and 2018): its fiscal year ends in
    September, so "2019" asks for the September 30, 2019 balance."""
    context = json.loads((CASES / "tatqa_dev_first100.json").read_text())[2]
    prepared = prepare(Path("pensions.md"), markdown(context).encode())
    corpus = Corpus.prepared(prepared)
    assert corpus.fy_end_month == {prepared.record.doc_id: 9}


FINQA = Path(__file__).parents[1] / "data" / "finqa" / "finqa_dev_cases.json"


def _finqa_facts(record_id: str) -> list[Fact]:
    from evals.finqa import markdown as finqa_markdown

    record = next(r for r in json.loads(FINQA.read_text()) if r["id"] == record_id)
    return prepare(Path(f"{record_id.replace('/', '_')}.md"), finqa_markdown(record).encode()).facts


def test_years_that_open_the_row_labels_date_the_rows() -> None:
    """Entergy's net revenue analysis: one column "amount (in millions)", rows "2007 net
    revenue $231.0", the changes, "2008 net revenue $252.7". The changes between the two
    years' net revenue are what changed it over 2008: "the rider revenue in 2008"."""
    dated = {
        f.row: (f.period.label, f.value)
        for f in _finqa_facts("ETR/2008/page_355.pdf-1")
        if f.period is not None and f.kind != "sentence"
    }
    assert dated == {
        "2007 net revenue": ("FY2007", Decimal("231000000")),
        "volume/weather": ("FY2008", Decimal("15500000")),
        "net gas revenue": ("FY2008", Decimal("6600000")),
        "rider revenue": ("FY2008", Decimal("3900000")),
        "base revenue": ("FY2008", Decimal("-11300000")),
        "other": ("FY2008", Decimal("7000000")),
        "2008 net revenue": ("FY2008", Decimal("252700000")),
    }


def test_a_year_among_other_header_words_is_that_fiscal_year() -> None:
    service = _by_period(_finqa_facts("BDX/2018/page_82.pdf-1"), "service cost")
    assert service == {
        "FY2018": Decimal("136000000"),
        "FY2017": Decimal("110000000"),
        "FY2016": Decimal("81000000"),
    }


def test_a_month_and_year_header_is_that_month_end() -> None:
    credit = _by_period(_finqa_facts("GS/2017/page_143.pdf-1"), "credit net")
    assert credit == {
        "December 31, 2017": Decimal("1505000000"),
        "December 31, 2016": Decimal("2504000000"),
    }


def test_a_column_headed_notes_holds_note_references() -> None:
    """ "Notes | 2019 $'000 | 2018 $'000": "Receivables from related parties 17 11,880 8,039"
    has two figures and note 17; "Trade receivables 3,770 3,054" is not short a column."""
    context = _context(CASES / "tatqa_dev_cases.json", "a961dd41-e5cb-40ce-876d-7c2f2c7dae96")
    facts = prepare(Path("receivables.md"), markdown(context).encode()).facts
    trade = {f.period.label: f.value for f in facts if f.row == "Trade receivables" and f.period}
    assert trade == {"FY2019": Decimal("3770000"), "FY2018": Decimal("3054000")}
    related = [f for f in facts if f.row == "Receivables from related parties"]
    assert sorted((f.value, f.note) for f in related) == [
        (Decimal("8039000"), "17"),
        (Decimal("11880000"), "17"),
    ]


def test_a_roll_forward_dates_its_changes_between_its_balances() -> None:
    """ "Non-vested at December 31, 2018", Granted, Vested, Forfeited, "Non-vested at
    December 31, 2019": the changes are of 2019, the balances at their dates."""
    context = _context(CASES / "tatqa_dev_cases.json", "bee68d71-44ca-4177-a1c7-8c127f6f9203")
    facts = prepare(Path("awards.md"), markdown(context).encode()).facts
    shares = {
        f.row: (f.period.kind, f.period.start, f.period.end, f.value)
        for f in facts
        if f.column == "Shares" and f.period is not None
    }
    assert shares == {
        "Non-vested at December 31, 2018": (
            "instant",
            None,
            date(2018, 12, 31),
            Decimal("1187586"),
        ),
        "Granted": ("duration", date(2019, 1, 1), date(2019, 12, 31), Decimal("473550")),
        "Vested": ("duration", date(2019, 1, 1), date(2019, 12, 31), Decimal("-365223")),
        "Forfeited": ("duration", date(2019, 1, 1), date(2019, 12, 31), Decimal("-12632")),
        "Non-vested at December 31, 2019": (
            "instant",
            None,
            date(2019, 12, 31),
            Decimal("1283281"),
        ),
    }


def test_bare_and_worded_years_in_one_header() -> None:
    """ "( losses ) earnings 2015 | ( losses ) earnings 2014 | 2013" (Philip Morris)."""
    total = _by_period(_finqa_facts("dev-470"), "total accumulated other comprehensive losses")
    assert total == {
        "FY2015": Decimal("-9402000000"),
        "FY2014": Decimal("-6826000000"),
        "FY2013": Decimal("-4190000000"),
    }


@pytest.mark.parametrize(
    ("title", "headers", "ends"),
    [
        # the title's first year dated every column before
        (
            "Revenue by product for the years ended December 31, 2019 and 2018.",
            ("2019", "2018"),
            (date(2019, 12, 31), date(2018, 12, 31)),
        ),
        (
            "The table below represents product group revenues for the fiscal years ended "
            "March 31, 2018 and 2019.",
            ("2018", "2019"),
            (date(2018, 3, 31), date(2019, 3, 31)),
        ),
        (
            "Sales for the fiscal years ended January 2, 2021 and December 28, 2019.",
            ("2020", "2019"),
            (date(2021, 1, 2), date(2019, 12, 28)),
        ),
    ],
)
def test_a_title_of_several_years_lends_its_day_not_its_first_year(
    title: str, headers: tuple[str, str], ends: tuple[date, date]
) -> None:
    text = (
        f"{title}\n\n| Net sales (in thousands) | {headers[0]} | {headers[1]} |\n|---|---|---|\n"
        "| Widgets | $226,204 | $421,849 |\n"
    )
    facts = prepare(Path("sales.md"), text.encode()).facts
    assert [(f.column, f.period.end if f.period else None, f.value) for f in facts] == [
        (headers[0], ends[0], Decimal("226204000")),
        (headers[1], ends[1], Decimal("421849000")),
    ]
