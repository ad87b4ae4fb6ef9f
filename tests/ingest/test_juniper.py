"""Exact figures from the seed filing, the Juniper Q4 2007 release, including its repaired tables.

Every expected value below was read off the printed release
(tests/data/filings/juniper_8k_ex99-1_q4fy2007_earnings.txt).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.models import Fact
from ingest.pipeline import Prepared, prepare

NAME = "juniper_8k_ex99-1_q4fy2007_earnings.txt"


@pytest.fixture(scope="module")
def prepared(filings: Path) -> Prepared:
    path = filings / NAME
    return prepare(path, path.read_bytes())


def find(
    facts: list[Fact], title: str, path: tuple[str, ...], period: str | None, nth: int = 0
) -> Fact:
    """The fact of a table (title substring), row path and period label."""
    matches = [
        f
        for f in facts
        if f.kind == "table_cell"
        and title.lower() in (f.table or "").lower()
        and f.row_path == path
        and (f.period.label if f.period else None) == period
    ]
    assert matches, f"no fact for {title} / {path} / {period}"
    return matches[nth]


IS = "Statements of Operations"
SBC = "Stock-Based Compensation by Category"
TAX = "Payroll Tax by Category"
SEG = "Net Product Revenue by Operating Segment"
REC = "Reconciliation between GAAP"
BS = "Balance Sheets"
CF = "Statements of Cash Flows"

CASES = [
    # income statement: hierarchy, totals, signs, per-share and shares
    (IS, ("Net revenues", "Product"), "Q4 2007", "668746000", "USD"),
    (IS, ("Net revenues", "Service"), "FY2006", "410252000", "USD"),
    (IS, ("Total net revenues",), "Q4 2007", "809182000", "USD"),
    (IS, ("Total net revenues",), "Q4 2006", "595830000", "USD"),
    (IS, ("Cost of revenues", "Product"), "Q4 2007", "193302000", "USD"),
    (IS, ("Cost of revenues", "Service"), "FY2007", "251380000", "USD"),
    (IS, ("Gross margin",), "Q4 2007", "546713000", "USD"),
    (IS, ("Operating expenses", "Impairment charges"), "FY2006", "1283421000", "USD"),
    (IS, ("Operating expenses", "Impairment charges"), "Q4 2007", "0", "USD"),
    (IS, ("Operating income (loss)",), "FY2006", "-997782000", "USD"),
    (IS, ("Net income (loss)",), "FY2006", "-1001437000", "USD"),
    (IS, ("Net income (loss)",), "Q4 2007", "122904000", "USD"),
    (IS, ("Net income (loss) per share", "Basic"), "Q4 2007", "0.24", "USD/share"),
    (IS, ("Net income (loss) per share", "Diluted"), "FY2006", "-1.76", "USD/share"),
    (
        IS,
        ("Shares used in computing net income (loss) per share", "Diluted"),
        "Q4 2007",
        "566288000",
        "shares",
    ),
    # defect 1: labels shifted down one row, repaired
    (SBC, ("Cost of revenues – Product",), "Q4 2007", "595000", "USD"),
    (SBC, ("Research and development",), "FY2007", "36589000", "USD"),
    (SBC, ("General and administrative",), "FY2006", "13033000", "USD"),
    (SBC, ("Total",), "Q4 2007", "19322000", "USD"),
    (TAX, ("Research and development",), "Q4 2006", "1000", "USD"),
    (TAX, ("Cost of revenues – Product",), "Q4 2006", "0", "USD"),
    (SEG, ("Infrastructure",), "Q4 2007", "500359000", "USD"),
    (SEG, ("Service Layer Technologies",), "FY2006", "479893000", "USD"),
    # defect 2: rows with fewer values than columns, aligned by evidence
    (REC, ("GAAP Net income (loss)",), "Q4 2006", "70982000", "USD"),
    (REC, ("GAAP Net income (loss)",), "Q4 2007", "122904000", "USD"),
    (REC, ("GAAP Net income (loss)",), "FY2007", "360830000", "USD"),
    (REC, ("Non-GAAP Net income",), "FY2006", "440377000", "USD"),
    (REC, ("Gain on minority equity investment",), "FY2007", "-6745000", "USD"),
    (REC, ("Non-GAAP Provision for income tax",), "Q4 2006", "37546000", "USD"),
    (REC, ("GAAP Operating margin",), "FY2006", "-43.3", "percent"),
    (REC, ("Non-GAAP Income tax rate",), "Q4 2006", "25", "percent"),
    # (the first such row is in the gross-margin block: 0.3%; the operating-margin block is 2nd)
    (REC, ("Stock-based compensation expense as a % of revenue",), "Q4 2007", "2.4", "percent", 1),
    (REC, ("Stock-based compensation expense as a % of revenue",), "Q4 2006", "3.1", "percent", 1),
    (REC, ("Stock-based compensation expense as a % of revenue",), "Q4 2007", "0.3", "percent", 0),
    (REC, ("Non-GAAP Net income as a % of revenue",), "FY2007", "17.8", "percent"),
    (REC, ("GAAP Net income (loss) as a % of revenue",), "Q4 2007", "15.2", "percent"),
    (REC, ("Non-GAAP Net income per share", "Diluted"), "Q4 2006", "0.19", "USD/share"),
    (
        REC,
        ("Shares used in computing non-GAAP net income per share", "Basic"),
        "FY2007",
        "537767000",
        "shares",
    ),
    # balance sheet instants
    (
        BS,
        ("ASSETS", "Current assets", "Cash and cash equivalents"),
        "December 31, 2007",
        "1716110000",
        "USD",
    ),
    (BS, ("ASSETS", "Total assets"), "December 31, 2006", "7368395000", "USD"),
    (
        BS,
        ("LIABILITIES AND STOCKHOLDERS' EQUITY", "Stockholders' equity", "Accumulated deficit"),
        "December 31, 2007",
        "-2813328000",
        "USD",
    ),
    (
        BS,
        ("LIABILITIES AND STOCKHOLDERS' EQUITY", "Current liabilities", "Debt"),
        "December 31, 2006",
        "0",
        "USD",
    ),
    # cash-flow negatives
    (
        CF,
        ("INVESTING ACTIVITIES", "Purchases of property and equipment, net"),
        "FY2007",
        "-146858000",
        "USD",
    ),
    (CF, ("FINANCING ACTIVITIES", "Retirement of common stock"), "FY2007", "-1623195000", "USD"),
    (
        CF,
        ("FINANCING ACTIVITIES", "Net cash used in financing activities"),
        "FY2006",
        "-89598000",
        "USD",
    ),
    (
        CF,
        ("OPERATING ACTIVITIES", "Net cash provided by operating activities"),
        "FY2007",
        "797622000",
        "USD",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{' > '.join(c[1])}@{c[2]}")
def test_table_figure(prepared: Prepared, case: tuple) -> None:  # type: ignore[type-arg]
    title, path, period, number, unit = case[:5]
    fact = find(prepared.facts, title, path, period, nth=case[5] if len(case) > 5 else 0)
    assert fact.value == Decimal(number)
    assert fact.unit == unit


def test_at_least_forty_figures_checked() -> None:
    assert len(CASES) >= 40


def test_scale_is_kept_with_the_printed_text(prepared: Prepared) -> None:
    fact = find(prepared.facts, IS, ("Total net revenues",), "Q4 2007")
    assert fact.as_printed == "809,182"
    assert fact.scale == "thousands"
    assert fact.column == "Three Months Ended December 31, 2007"
    assert fact.period is not None
    assert (fact.period.start.isoformat(), fact.period.end.isoformat()) == (  # type: ignore[union-attr]
        "2007-10-01",
        "2007-12-31",
    )
    per_share = find(prepared.facts, IS, ("Net income (loss) per share", "Diluted"), "Q4 2007")
    assert per_share.scale is None
    assert per_share.as_printed == "$ 0.22"


def test_product_under_costs_is_a_different_row(prepared: Prepared) -> None:
    revenue = find(prepared.facts, IS, ("Net revenues", "Product"), "Q4 2007")
    cost = find(prepared.facts, IS, ("Cost of revenues", "Product"), "Q4 2007")
    assert (revenue.value, cost.value) == (Decimal("668746000"), Decimal("193302000"))


def test_checks_are_recorded(prepared: Prepared) -> None:
    product = find(prepared.facts, IS, ("Net revenues", "Product"), "Q4 2007")
    assert "sums_to:Total net revenues" in product.checks
    sbc = find(prepared.facts, SBC, ("Research and development",), "FY2007")
    assert sbc.checks == ("sums_to:Total",)
    assert sbc.repairs == ("row_labels_shifted",)
    assert sbc.validated is True
    segment = find(prepared.facts, SEG, ("Infrastructure",), "Q4 2007")
    assert segment.repairs == ("row_labels_shifted",)
    cash = find(prepared.facts, CF, ("OPERATING ACTIVITIES", "Net income (loss)"), "FY2007")
    assert "sums_to:Net cash provided by operating activities" in cash.checks


def test_short_rows_never_filed_under_the_wrong_period(prepared: Prepared) -> None:
    rows = [f for f in prepared.facts if f.row_path == ("GAAP Net income (loss)",)]
    assert sorted((f.period.label if f.period else "", f.value) for f in rows) == [
        ("FY2007", Decimal("360830000")),
        ("Q4 2006", Decimal("70982000")),
        ("Q4 2007", Decimal("122904000")),
    ]
    aligned = find(prepared.facts, REC, ("GAAP Net income (loss)",), "Q4 2006")
    assert "aligned_by_evidence" in aligned.repairs
    # no figure elsewhere places non-GAAP basic EPS ("Basic D $0.29 $0.20 $0.94", three values
    # for four columns); "Diluted D" under the same heading, placed by the document's other
    # figures, places it the same way (112,640 / 569,231 shares = $0.20 in Q4 2006)
    basic = [f for f in prepared.facts if f.row_path == ("Non-GAAP Net income per share", "Basic")]
    assert sorted((f.period.label if f.period else "", f.value) for f in basic) == [
        ("FY2007", Decimal("0.94")),
        ("Q4 2006", Decimal("0.2")),
        ("Q4 2007", Decimal("0.29")),
    ]
    assert all("aligned_like_sibling" in f.repairs for f in basic)


def test_stray_row_is_dropped_and_reported(prepared: Prepared) -> None:
    assert not [f for f in prepared.facts if f.value == Decimal("19.1")]
    assert any(
        "repeats 'Non-GAAP Net income as a % of revenue'" in line for line in prepared.report
    )
    assert sum("row labels were shifted" in line for line in prepared.report) == 3


def test_note_markers_and_basis(prepared: Prepared) -> None:
    sbc = find(prepared.facts, REC, ("Stock-based compensation expense",), "Q4 2007")
    assert (sbc.value, sbc.note, sbc.basis) == (Decimal("-595000"), "C", None)
    non_gaap = find(prepared.facts, REC, ("Non-GAAP Gross margin",), "Q4 2007")
    assert (non_gaap.value, non_gaap.basis) == (Decimal("550527000"), "non-GAAP")
    gaap = find(prepared.facts, IS, ("Gross margin",), "Q4 2007")
    assert gaap.basis == "GAAP"
    legal = find(
        prepared.facts,
        REC,
        ("Other charges - restructuring and acquisition charges",),
        "FY2006",
        nth=0,
    )
    assert (legal.value, legal.note) == (Decimal("-335000"), "A/B")


def test_figures_in_prose(prepared: Prepared) -> None:
    prose = {
        (f.row, f.period.label if f.period else None): f
        for f in prepared.facts
        if f.kind == "sentence"
    }
    capex = prose[("Capital expenditures", "Q4 2007")]
    assert (capex.value, capex.unit, capex.as_printed) == (
        Decimal("35900000"),
        "USD",
        "$35.9 million",
    )
    assert prose[("Depreciation", "Q4 2007")].value == Decimal("28400000")
    assert prose[("Capital expenditures", "FY2007")].value == Decimal("146900000")
    assert prose[("Net revenues", "Q4 2006")].value == Decimal("595800000")
    assert prose[("Non-GAAP net income per share", "FY2006")].value == Decimal("0.73")
    text = Path(prepared.record.path).read_text()
    assert text[capex.char_start : capex.char_end] == "\\$35.9 million"


def test_cell_offsets_point_at_the_printed_figure(prepared: Prepared) -> None:
    text = Path(prepared.record.path).read_text()
    for fact in prepared.facts:
        if fact.kind == "table_cell":
            printed = text[fact.char_start : fact.char_end]
            assert fact.as_printed.replace(" ", "") in printed.replace("\\$", "$").replace(
                "<u>", ""
            ).replace("</u>", "").replace(" ", "")


def test_document_metadata(prepared: Prepared) -> None:
    record = prepared.record
    assert (record.company, record.ticker, record.period, record.date) == (
        "Juniper Networks, Inc.",
        "JNPR",
        "Q4 and FY2007",
        "2008-01-24",
    )
    assert record.tables == 11


def test_table_chunks_carry_their_context(prepared: Prepared) -> None:
    tables = [c for c in prepared.chunks if c.kind == "table"]
    first = next(c for c in tables if "Net revenues > Product" in c.text)
    assert first.text.splitlines()[0] == (
        "Juniper Networks, Inc. / Condensed Consolidated Statements of Operations / "
        "(in thousands, except per share amounts) / (unaudited)"
    )
    assert "Three Months Ended December 31, 2007 (Q4 2007)" in first.text.splitlines()[1]
    assert "Net revenues > Product: $ 668,746 | $ 483,176 | $ 2,326,983 | $ 1,893,328" in first.text


def test_narrative_chunks_never_cut_a_sentence(filings: Path, prepared: Prepared) -> None:
    from ingest.facts import sentences
    from ingest.loaders.text import load_text
    from ingest.models import TextBlock

    path = filings / NAME
    loaded = load_text(path, path.read_bytes())
    starts, ends = set(), set()
    for block in loaded.blocks:
        if isinstance(block, TextBlock):
            starts.add(block.char_start)
            ends.add(block.char_end)
            for start, end in sentences(block):
                starts.add(start)
                ends.add(end)
    narrative = [c for c in prepared.chunks if c.kind == "narrative"]
    assert len(narrative) >= 10
    for chunk in narrative:
        assert chunk.char_start in starts
        assert chunk.char_end in ends
    capex = next(c for c in narrative if "Capital expenditures and depreciation" in c.text)
    assert "$35.9 million and $28.4 million, respectively." in capex.text
