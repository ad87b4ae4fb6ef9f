"""Text and Markdown loading, printed numbers and period headers, on small exact inputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.errors import CorruptFile, EmptyFile
from ingest.loaders.text import load_text
from ingest.models import RawTable, TextBlock
from ingest.numbers import parse_cell
from ingest.periods import parse_header_period
from ingest.pipeline import prepare

MARKDOWN = """# Acme Corp. Reports Results

Acme Corp. (NYSE: ACME) today reported results for the three months ended March 31, 2024.

## Segment results

Acme Corp.
Revenue by Segment
(in millions)

| | Three Months Ended March 31, 2024 | Three Months Ended March 31, 2023 |
|---|---:|---:|
| Widgets | $ 120.5 | $ 100.0 |
| Gadgets | 30.0 | (2.5) |
| Total revenue | $ 150.5 | $ 97.5 |

Operating cash flow for the first quarter of 2024 was $12.3 million.
"""


@pytest.mark.parametrize(
    ("printed", "value", "percent", "nil", "note"),
    [
        ("$ 668,746", "668746", False, False, None),
        ("<u>$(1,001,437)</u>", "-1001437", False, False, None),
        ("$ (1.76)", "-1.76", False, False, None),
        ("(43.3)%", "-43.3", True, False, None),
        ("C (595)", "-595", False, False, "C"),
        ("A/B 438", "438", False, False, "A/B"),
        ("-", "0", False, True, None),
        ("\\$ -", "0", False, True, None),
        ("—", "0", False, True, None),
        ("67.6%", "67.6", True, False, None),
        ("-12.5", "-12.5", False, False, None),
    ],
)
def test_parse_cell(printed: str, value: str, percent: bool, nil: bool, note: str | None) -> None:
    cell = parse_cell(printed)
    assert (cell.value, cell.percent, cell.nil, cell.note) == (Decimal(value), percent, nil, note)


@pytest.mark.parametrize("printed", ["Net revenues:", "", "A", "12abc", "(((", "$$"])
def test_non_figures(printed: str) -> None:
    assert parse_cell(printed).value is None


@pytest.mark.parametrize(
    ("header", "fy_end", "kind", "start", "end", "label"),
    [
        (
            "Three Months Ended December 31, 2007",
            12,
            "duration",
            date(2007, 10, 1),
            date(2007, 12, 31),
            "Q4 2007",
        ),
        (
            "Twelve Months Ended December 31, 2006*",
            12,
            "duration",
            date(2006, 1, 1),
            date(2006, 12, 31),
            "FY2006",
        ),
        ("December 31, 2007", 12, "instant", None, date(2007, 12, 31), "December 31, 2007"),
        (
            "Thirteen Weeks Ended Nov 2, 2024",
            1,
            "duration",
            date(2024, 8, 4),
            date(2024, 11, 2),
            "Q3 FY2024",
        ),
        (
            "Three Months Ended June 28, 2025",
            9,
            "duration",
            date(2025, 3, 29),
            date(2025, 6, 28),
            "Q3 FY2025",
        ),
        ("Year Ended June 30, 1999", 6, "duration", date(1998, 7, 1), date(1999, 6, 30), "FY1999"),
        (
            "Six Months Ended June 30, 2023",
            12,
            "duration",
            date(2023, 1, 1),
            date(2023, 6, 30),
            "6M 2023",
        ),
    ],
)
def test_header_periods(
    header: str, fy_end: int, kind: str, start: date | None, end: date, label: str
) -> None:
    period = parse_header_period(header, fy_end)
    assert period is not None
    assert (period.kind, period.start, period.end, period.label) == (kind, start, end, label)


def test_markdown_blocks_and_pipe_table(tmp_path: Path) -> None:
    path = tmp_path / "acme.md"
    path.write_text(MARKDOWN)
    loaded = load_text(path, path.read_bytes())
    headings = [b.text for b in loaded.blocks if isinstance(b, TextBlock) and b.kind == "heading"]
    assert headings[:2] == ["# Acme Corp. Reports Results", "## Segment results"]
    table = next(b for b in loaded.blocks if isinstance(b, RawTable))
    assert table.title_lines == ["Acme Corp.", "Revenue by Segment", "(in millions)"]
    assert [[c.text for c in row] for row in table.rows] == [
        ["", "Three Months Ended March 31, 2024", "Three Months Ended March 31, 2023"],
        ["Widgets", "$ 120.5", "$ 100.0"],
        ["Gadgets", "30.0", "(2.5)"],
        ["Total revenue", "$ 150.5", "$ 97.5"],
    ]
    for row in table.rows:
        for cell in row:
            assert loaded.text[cell.char_start : cell.char_end] == cell.text


def test_markdown_figures(tmp_path: Path) -> None:
    path = tmp_path / "acme.md"
    path.write_text(MARKDOWN)
    prepared = prepare(path, path.read_bytes())
    facts = {(f.row, f.period.label if f.period else None): f for f in prepared.facts}
    assert facts[("Gadgets", "Q1 2023")].value == Decimal("-2500000")
    assert facts[("Widgets", "Q1 2024")].value == Decimal("120500000")
    assert facts[("Widgets", "Q1 2024")].checks == ("sums_to:Total revenue",)
    assert facts[("Operating cash flow", "Q1 2024")].value == Decimal("12300000")
    record = prepared.record
    assert (record.company, record.ticker, record.period) == ("Acme Corp.", "ACME", "Q1 2024")


def test_text_errors(tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text("   \n\n  ")
    with pytest.raises(EmptyFile, match=r"blank\.txt: the file has no text"):
        load_text(blank, blank.read_bytes())
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(CorruptFile, match="binary data, not text"):
        load_text(binary, binary.read_bytes())


def test_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Résumé of the quarter – revenue rose.\n".encode("cp1252"))
    loaded = load_text(path, path.read_bytes())
    assert loaded.text.startswith("Résumé of the quarter – revenue rose.")


NOTE_TABLE = """Net sales by segment were as follows:

|  |  | Fiscal |  |
|---|---|---|---|
|  | 2019 | 2018 | 2017 |
|  |  | (in millions) |  |
| Communications Solutions: |  |  |  |
| Appliances | 680 | 774 | 676 |
"""

BARE_YEARS = """Deferred tax assets were as follows (in thousands):

|  | 2019 | 2018 | % Change |
|---|---|---|---|
| Net deferred tax asset | 795 | 772 | 3% |
"""


def test_a_year_column_beside_fiscal_years_is_a_fiscal_year() -> None:
    prepared = prepare(Path("note.md"), NOTE_TABLE.encode())
    values = {f.period.label: f.value for f in prepared.facts if f.row == "Appliances" and f.period}
    assert values == {
        "FY2019": Decimal("680000000"),
        "FY2018": Decimal("774000000"),
        "FY2017": Decimal("676000000"),
    }


def test_a_row_of_bare_years_names_fiscal_years() -> None:
    prepared = prepare(Path("taxes.md"), BARE_YEARS.encode())
    values = {
        (f.period.label if f.period else None): f.value
        for f in prepared.facts
        if f.row == "Net deferred tax asset" and f.unit == "USD"
    }
    assert values == {"FY2019": Decimal("795000"), "FY2018": Decimal("772000")}


def test_day_first_dates_and_units_under_the_years() -> None:
    assert parse_header_period("30 June 2019") == parse_header_period("June 30, 2019")
    euro = """Income statement expense

|  |  |  |  |
|---|---|---|---|
|  | 2019 €m | 2018 €m | 2017 €m |
| Defined contribution schemes | 166 | 178 | 192 |
"""
    prepared = prepare(Path("pensions.md"), euro.encode())
    assert sorted(f.period.label for f in prepared.facts if f.period) == [
        "FY2017",
        "FY2018",
        "FY2019",
    ]


def test_a_scale_note_in_the_label_column_heads_the_table() -> None:
    table = """Research and development costs:

| ($ in millions) |  |  |  |
|---|---|---|---|
| For the year ended December 31: | 2019 | 2018 | 2017 |
| Cost | $100 | $82 | $91 |
"""
    prepared = prepare(Path("rd.md"), table.encode())
    values = {f.period.label: f.value for f in prepared.facts if f.row == "Cost" and f.period}
    assert values == {
        "FY2019": Decimal("100000000"),
        "FY2018": Decimal("82000000"),
        "FY2017": Decimal("91000000"),
    }


def test_a_lead_in_paragraph_lends_its_scale_and_the_heading_above_it_names_the_table(
    tmp_path: Path,
) -> None:
    """ "The following table sets forth … (shares in thousands, except per share data):" is too
    long to be a title: the heading above it is the table's title, and the lead-in's share
    scale is the table's."""
    path = tmp_path / "eps.md"
    path.write_text(
        "EARNINGS PER COMMON SHARE\n\n"
        "The following table sets forth basic and diluted net income per common share "
        "computational data for the years ended December 31, (shares in thousands, except per "
        "share data):\n\n"
        "|  | 2019 | 2018 |\n|---|---|---|\n"
        "| Basic weighted average common shares outstanding | 442,319 | 439,606 |\n"
    )
    table = next(b for b in load_text(path, path.read_bytes()).blocks if isinstance(b, RawTable))
    assert table.title_lines == ["EARNINGS PER COMMON SHARE"]
    assert table.lead_in.startswith("The following table sets forth basic and diluted")
    facts = prepare(path, path.read_bytes()).facts
    assert [(f.column, f.value, f.unit) for f in facts] == [
        ("2019", Decimal("442319000"), "shares"),
        ("2018", Decimal("439606000"), "shares"),
    ]
