"""The pdfplumber PDF loader on the five PDF filings and on small generated PDFs.

Expected values were read from the printed pages (rendered, and ``pdfplumber``'s layout
text) of the files in ``tests/data/filings``.  Each filing is loaded once per module.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.errors import CorruptFile, EmptyFile, EncryptedFile
from ingest.loaders.pdf import _close, _Helper, _open, _parse_pages, load_pdf
from ingest.models import LoadedDocument, RawCell, RawTable, TextBlock

FILINGS = Path(__file__).resolve().parents[1] / "data" / "filings"
AMAZON = "amazon_10k_fy2019.pdf"
AMCOR = "amcor_fy2023q4_earnings_release.pdf"
INTEL = "intel_2022q4_earnings_release.pdf"
MCDONALDS = "mcdonalds_2023q1_earnings_release_ex99-1.pdf"
EBAY = "ebay_2023q1_8k.pdf"
ALL = (AMAZON, AMCOR, INTEL, MCDONALDS, EBAY)

_LOADED: dict[str, LoadedDocument] = {}


def _load(name: str) -> LoadedDocument:
    if name not in _LOADED:
        path = FILINGS / name
        _LOADED[name] = load_pdf(path, path.read_bytes())
    return _LOADED[name]


@pytest.fixture(scope="module")
def amazon() -> LoadedDocument:
    return _load(AMAZON)


@pytest.fixture(scope="module")
def amcor() -> LoadedDocument:
    return _load(AMCOR)


@pytest.fixture(scope="module")
def intel() -> LoadedDocument:
    return _load(INTEL)


@pytest.fixture(scope="module")
def mcdonalds() -> LoadedDocument:
    return _load(MCDONALDS)


@pytest.fixture(scope="module")
def ebay() -> LoadedDocument:
    return _load(EBAY)


def tables(doc: LoadedDocument) -> list[RawTable]:
    return [block for block in doc.blocks if isinstance(block, RawTable)]


def table_with_title(doc: LoadedDocument, title: str) -> RawTable:
    found = [t for t in tables(doc) if title in t.title_lines]
    assert len(found) == 1, [t.title_lines for t in tables(doc)]
    return found[0]


def texts(row: Sequence[RawCell]) -> list[str]:
    return [cell.text for cell in row]


def row(table: RawTable, label: str, nth: int = 0) -> list[str]:
    matches = [texts(r) for r in table.rows if r[0].text == label]
    assert len(matches) > nth, f"no row {label!r} in {[r[0].text for r in table.rows]}"
    return matches[nth]


def header(table: RawTable, index: int) -> list[tuple[str, int]]:
    return [(cell.text, cell.colspan) for cell in table.rows[index]]


def paragraphs(doc: LoadedDocument) -> list[TextBlock]:
    return [b for b in doc.blocks if isinstance(b, TextBlock) and b.kind == "paragraph"]


def headings(doc: LoadedDocument) -> list[TextBlock]:
    return [b for b in doc.blocks if isinstance(b, TextBlock) and b.kind == "heading"]


def _pdf_bytes(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Every filing
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "pages"), [(AMAZON, 83), (AMCOR, 14), (INTEL, 17), (MCDONALDS, 4), (EBAY, 3)]
)
def test_page_count_and_format(name: str, pages: int) -> None:
    doc = _load(name)
    assert doc.format == "pdf"
    assert doc.pages == pages
    assert doc.warnings == []


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL)
def test_every_offset_indexes_the_text(name: str) -> None:
    doc = _load(name)
    for block in doc.blocks:
        assert 0 <= block.char_start <= block.char_end <= len(doc.text)
        if isinstance(block, TextBlock):
            assert doc.text[block.char_start : block.char_end] == block.text
            assert block.page is not None and 1 <= block.page <= (doc.pages or 0)
            continue
        assert block.aligned
        assert block.page is not None and 1 <= block.page <= (doc.pages or 0)
        width = sum(cell.colspan for cell in block.rows[0])
        for cells in block.rows:
            assert sum(cell.colspan for cell in cells) == width  # a clean logical grid
            for cell in cells:
                assert doc.text[cell.char_start : cell.char_end] == cell.text
                assert block.char_start <= cell.char_start <= cell.char_end <= block.char_end


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL)
def test_blocks_are_in_reading_order(name: str) -> None:
    doc = _load(name)
    starts = [block.char_start for block in doc.blocks]
    assert starts == sorted(starts)
    pages = [block.page or 0 for block in doc.blocks]
    assert pages == sorted(pages)


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL)
def test_no_bare_page_numbers_in_text(name: str) -> None:
    doc = _load(name)
    assert not [b.text for b in doc.blocks if isinstance(b, TextBlock) and b.text.isdigit()]


@pytest.mark.slow
@pytest.mark.parametrize("name", [AMAZON, AMCOR, INTEL, MCDONALDS])
def test_parallel_helper_reads_pages_like_this_process(name: str) -> None:
    data = (FILINGS / name).read_bytes()
    helper = _Helper.start(data, 1, 3)
    assert helper is not None
    from_helper = helper.finish(timeout=120)
    pdf = _open(FILINGS / name, data)
    try:
        here = _parse_pages(pdf.pages[1:3], data, FILINGS / name)
    finally:
        _close(pdf)
    assert from_helper == here


# --------------------------------------------------------------------------------------------
# Intel earnings release
# --------------------------------------------------------------------------------------------
def test_intel_income_statement(intel: LoadedDocument) -> None:
    table = table_with_title(intel, "Consolidated Statements of Income and Other Information")
    assert table.page == 8
    assert table.title_lines == [
        "Intel Corporation",
        "Consolidated Statements of Income and Other Information",
    ]
    assert header(table, 0) == [("", 1), ("Three Months Ended", 2), ("Twelve Months Ended", 2)]
    assert texts(table.rows[1]) == [
        "(In Millions, Except Per Share Amounts; unaudited)",
        "Dec 31, 2022",
        "Dec 25, 2021",
        "Dec 31, 2022",
        "Dec 25, 2021",
    ]
    assert row(table, "Net revenue") == [
        "Net revenue",
        "$ 14,042",
        "$ 20,528",
        "$ 63,054",
        "$ 79,024",
    ]
    assert row(table, "Operating income (loss)")[1:] == ["(1,132)", "4,989", "2,334", "19,456"]
    assert row(table, "Less: Net income attributable to non-controlling interests")[1:] == [
        "3",
        "—",
        "3",
        "—",
    ]
    assert row(table, "Earnings (loss) per share attributable to Intel—diluted")[1:] == [
        "$ (0.16)",
        "$ 1.13",
        "$ 1.94",
        "$ 4.86",
    ]
    assert row(table, "Weighted average shares of common stock outstanding:")[1:] == [""] * 4
    assert "Intel Corporation" not in texts(table.rows[0])  # titles stay out of the grid


def test_intel_balance_sheet_keeps_section_labels(intel: LoadedDocument) -> None:
    table = table_with_title(intel, "Consolidated Balance Sheets")
    assert table.page == 9
    assert texts(table.rows[0]) == [
        "(In Millions, Except Par Value; Unaudited)",
        "Dec 31, 2022",
        "Dec 25, 2021",
    ]
    assert texts(table.rows[1]) == ["Assets", "", ""]
    assert row(table, "Total assets") == ["Total assets", "$ 182,103", "$ 168,406"]
    assert row(table, "Accumulated other comprehensive income (loss)")[1:] == ["(562)", "(880)"]
    # a label wrapped over two printed lines is one row label
    assert row(
        table,
        "Common stock, $0.001 par value, 10,000 shares authorized; 4,137 shares issued and "
        "outstanding (4,070 issued and outstanding in 2021) and capital in excess of par value",
    )[1:] == ["31,580", "28,006"]


def test_intel_group_headers_take_their_span_from_the_rule_under_them(
    intel: LoadedDocument,
) -> None:
    table = next(t for t in tables(intel) if t.page == 1)
    assert header(table, 0) == [("", 1), ("GAAP", 3), ("Non-GAAP", 3)]
    assert texts(table.rows[1]) == [
        "",
        "Q4 2022",
        "Q4 2021",
        "vs. Q4 2021",
        "Q4 2022",
        "Q4 2021",
        "vs. Q4 2021",
    ]
    assert row(table, "Operating margin (loss)")[1:] == [
        "(8.1)%",
        "24.3%",
        "down 32.4 ppts",
        "4.3%",
        "28.2%",
        "down 23.9 ppts",
    ]


def test_intel_reconciliation_continued_on_next_page_is_one_table(intel: LoadedDocument) -> None:
    title = "Supplemental Reconciliations of GAAP Actuals to Non-GAAP Actuals"
    (table,) = [t for t in tables(intel) if t.page == 15]
    assert title in table.section
    assert row(table, "GAAP net revenue")[1:] == ["$ 14,042", "$ 20,528", "$ 63,054", "$ 79,024"]
    assert row(table, "GAAP gross margin percentage")[1:] == [
        "39.2 %",
        "53.6 %",
        "42.6 %",
        "55.4 %",
    ]
    assert row(table, "Patent settlement", nth=1)[1:] == ["— %", "— %", "0.3 %", "— %"]
    # rows printed on page 16 follow, under the same columns
    assert row(table, "GAAP tax rate")[1:] == ["17.0 %", "11.0 %", "(3.2) %", "8.5 %"]
    assert row(table, "Non-GAAP earnings per share—diluted")[1:] == [
        "$ 0.10",
        "$ 1.15",
        "$ 1.84",
        "$ 5.30",
    ]
    # the column headings repeated at the top of page 16 are not repeated in the grid
    assert [texts(r)[1] for r in table.rows].count("Three Months Ended") == 1
    assert not [t for t in tables(intel) if t.page == 16 and "GAAP tax rate" in str(t.rows)]
    # the second table on page 16 is a different table
    cash = [t for t in tables(intel) if t.page == 16]
    assert len(cash) == 1
    assert row(cash[0], "Adjusted free cash flow")[1:] == ["$ 3,064", "$ (4,075)"]


def test_intel_ruled_text_table_spans_two_pages(intel: LoadedDocument) -> None:
    (table,) = [t for t in tables(intel) if t.page == 13]
    assert texts(table.rows[0]) == [
        "Non-GAAP adjustment or measure",
        "Definition",
        "Usefulness to management and investors",
    ]
    labels = [r[0].text for r in table.rows]
    assert labels[1] == "NAND memory business"
    assert "Patent settlement" in labels  # printed on page 14
    assert labels[-1] == "Adjusted free cash flow"
    assert labels.count("Non-GAAP adjustment or measure") == 1
    assert row(table, "Share-based compensation")[1] == (
        "Share-based compensation consists of charges related to our employee equity "
        "incentive plans."
    )


def test_intel_running_header_is_dropped(intel: LoadedDocument) -> None:
    assert "Intel/Page" not in intel.text
    assert re.search(r"Page \d+", intel.text) is None


def test_intel_paragraph_joined_across_lines(intel: LoadedDocument) -> None:
    sentence = (
        "The company also announced that its board of directors has declared a quarterly "
        "dividend of $0.365 per share on the company’s common stock, which will be payable on "
        "March 1, 2023, to shareholders of record as of February 7, 2023."
    )
    (block,) = [p for p in paragraphs(intel) if sentence in p.text]
    assert block.page == 1
    assert block.text.startswith("SANTA CLARA, Calif., Jan. 26, 2023 -- Intel Corporation")


def test_intel_bullet_items_are_separate_paragraphs(intel: LoadedDocument) -> None:
    bullets = [p.text for p in paragraphs(intel) if p.page == 1 and p.text.startswith("▪")]
    assert bullets[2] == (
        "▪ Forecasting first-quarter 2023 revenue of $10.5 billion to $11.5 billion; expecting "
        "first-quarter EPS of $(0.80) (non-GAAP EPS of $(0.15))."
    )
    assert len(bullets) == 4


def test_intel_headings_and_sections(intel: LoadedDocument) -> None:
    titles = [h.text for h in headings(intel)]
    assert "Business Outlook" in titles
    assert "Forward-Looking Statements" in titles
    outlook = next(t for t in tables(intel) if t.page == 3)
    assert outlook.section[-1] == "Business Outlook"
    assert header(outlook, 0) == [("Q1 2023", 1), ("GAAP*", 1), ("Non-GAAP*", 1)]
    assert row(outlook, "Tax rate")[1:] == ["(84)%", "13%"]


# --------------------------------------------------------------------------------------------
# Amazon 10-K
# --------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_amazon_statement_of_operations(amazon: LoadedDocument) -> None:
    table = table_with_title(amazon, "CONSOLIDATED STATEMENTS OF OPERATIONS")
    assert table.page == 38
    assert table.title_lines == [
        "AMAZON.COM, INC.",
        "CONSOLIDATED STATEMENTS OF OPERATIONS",
        "(in millions, except per share data)",
    ]
    assert header(table, 0) == [("", 1), ("Year Ended December 31,", 3)]
    assert texts(table.rows[1]) == ["", "2017", "2018", "2019"]
    assert row(table, "Net product sales")[1:] == ["$ 118,573", "$ 141,915", "$ 160,408"]
    assert row(table, "Total net sales")[1:] == ["177,866", "232,887", "280,522"]
    assert row(table, "Operating expenses:")[1:] == ["", "", ""]
    assert row(table, "Interest expense")[1:] == ["(848)", "(1,417)", "(1,600)"]
    assert row(table, "Diluted earnings per share")[1:] == ["$ 6.15", "$ 20.14", "$ 23.01"]
    assert row(table, "Diluted")[1:] == ["493", "500", "504"]


@pytest.mark.slow
def test_amazon_cash_flows_wrapped_label_and_nil(amazon: LoadedDocument) -> None:
    table = table_with_title(amazon, "CONSOLIDATED STATEMENTS OF CASH FLOWS")
    assert table.page == 37
    label = (
        "Depreciation and amortization of property and equipment and capitalized content costs, "
        "operating lease assets, and other"
    )
    assert row(table, label)[1:] == ["11,478", "15,341", "21,789"]
    assert row(table, "Cash paid for operating leases")[1:] == ["—", "—", "3,361"]
    assert row(table, "CASH, CASH EQUIVALENTS, AND RESTRICTED CASH, END OF PERIOD")[1:] == [
        "$ 21,856",
        "$ 32,173",
        "$ 36,410",
    ]


@pytest.mark.slow
def test_amazon_balance_sheet_is_one_table(amazon: LoadedDocument) -> None:
    table = table_with_title(amazon, "CONSOLIDATED BALANCE SHEETS")
    assert table.page == 40
    assert header(table, 0) == [("", 1), ("December 31,", 2)]
    assert texts(table.rows[1]) == ["", "2018", "2019"]
    assert texts(table.rows[2]) == ["ASSETS", "", ""]
    assert row(table, "Total assets")[1:] == ["$ 162,648", "$ 225,248"]
    assert row(table, "Issued and outstanding shares — none")[1:] == ["—", "—"]
    assert row(table, "Authorized shares — 5,000")[1:] == ["", ""]
    assert row(table, "Treasury stock, at cost")[1:] == ["(1,837)", "(1,837)"]
    assert row(table, "Total liabilities and stockholders’ equity")[1:] == [
        "$ 162,648",
        "$ 225,248",
    ]


@pytest.mark.slow
def test_amazon_equity_statement_headers(amazon: LoadedDocument) -> None:
    table = table_with_title(amazon, "CONSOLIDATED STATEMENTS OF STOCKHOLDERS’ EQUITY")
    assert table.page == 41
    # the rule under "Common Stock" is drawn over Shares, Amount and Treasury Stock
    assert header(table, 0) == [("", 1), ("Common Stock", 3), ("", 1), ("", 1), ("", 1), ("", 1)]
    # headings set solid over three printed lines, one per column, are one header row
    assert texts(table.rows[1]) == [
        "",
        "Shares",
        "Amount",
        "Treasury Stock",
        "Additional Paid-In Capital",
        "Accumulated Other Comprehensive Income (Loss)",
        "Retained Earnings",
        "Total Stockholders’ Equity",
    ]
    assert row(table, "Balance as of January 1, 2017")[1:] == [
        "477",
        "$ 5",
        "$ (1,837)",
        "$ 17,186",
        "$ (985)",
        "$ 4,916",
        "$ 19,285",
    ]


@pytest.mark.slow
def test_amazon_tables_split_by_period_are_not_merged(amazon: LoadedDocument) -> None:
    # page 52 starts with the December 31, 2019 version of page 51's table: same columns but
    # different headings, so it stays a table of its own
    first = [t for t in tables(amazon) if t.page == 51]
    second = [t for t in tables(amazon) if t.page == 52]
    assert header(first[0], 0) == [("", 1), ("December 31, 2018", 4)]
    assert header(second[0], 0) == [("", 1), ("December 31, 2019", 4)]
    assert second[0].title_lines == []
    assert row(second[0], "Total cash, cash equivalents, and marketable securities")[1:] == [
        "",
        "",
        "",
        "$ 55,021",
    ]


@pytest.mark.slow
def test_amazon_running_lines_dropped(amazon: LoadedDocument) -> None:
    assert "Table of Contents" not in amazon.text


@pytest.mark.slow
def test_amazon_paragraph_continues_on_next_page(amazon: LoadedDocument) -> None:
    # page 22 ends with "... as well as our capital in our foreign"; page 23 goes on
    sentence = (
        "We intend to invest substantially all of our foreign subsidiary earnings, as well as "
        "our capital in our foreign subsidiaries, indefinitely outside of the U.S. in those "
        "jurisdictions in which we would incur significant, additional costs upon repatriation "
        "of such amounts. As of December 31, 2019, cash, cash equivalents, and marketable "
        "securities held by foreign subsidiaries was $13.4 billion."
    )
    (block,) = [p for p in paragraphs(amazon) if sentence in p.text]
    assert block.page == 22
    assert block.text.startswith("In 2018 and 2019, we recorded net tax provisions")


@pytest.mark.slow
def test_amazon_sections_follow_items_and_notes(amazon: LoadedDocument) -> None:
    table = next(t for t in tables(amazon) if t.page == 57)
    assert table.section == (
        "PART II",
        "Item 8. Financial Statements and Supplementary Data",
        "Note 6 — DEBT",
    )
    assert row(table, "2.600% Notes due on December 5, 2019")[1:] == ["1,000", "—"]


# --------------------------------------------------------------------------------------------
# Amcor earnings release
# --------------------------------------------------------------------------------------------
def test_amcor_income_statement(amcor: LoadedDocument) -> None:
    title = "U.S. GAAP Condensed Consolidated Statements of Income (Unaudited)"
    table = table_with_title(amcor, title)
    assert table.page == 8
    assert header(table, 0) == [
        ("", 1),
        ("Three Months Ended June 30,", 2),
        ("Twelve Months Ended June 30,", 2),
    ]
    assert texts(table.rows[1]) == [
        "($ million, except per share amounts)",
        "2022",
        "2023",
        "2022",
        "2023",
    ]
    assert row(table, "Net sales")[1:] == ["3,909", "3,673", "14,544", "14,694"]
    assert row(table, "Cost of sales")[1:] == ["(3,115)", "(2,951)", "(11,724)", "(11,969)"]
    assert row(table, "Restructuring, impairment and other related activities, net")[1:] == [
        "(207)",
        "(59)",
        "(234)",
        "104",
    ]


def test_amcor_key_financials(amcor: LoadedDocument) -> None:
    first, second = [t for t in tables(amcor) if t.page == 1]
    assert header(first, 0) == [("", 1), ("Twelve Months Ended June 30,", 2)]
    assert texts(first.rows[1]) == ["GAAP results", "2022 $ million", "2023 $ million"]
    assert row(first, "Net income")[1:] == ["805", "1,048"]
    assert header(second, 0) == [
        ("", 1),
        ("Twelve Months Ended June 30,", 2),
        ("", 1),
        ("Comparable", 1),
    ]
    # "Comparable" / "constant" / "currency ∆%" is one heading wrapped over three lines
    assert texts(second.rows[1]) == [
        "Adjusted non-GAAP results",
        "2022 $ million",
        "2023 $ million",
        "Reported ∆%",
        "constant currency ∆%",
    ]
    assert row(second, "Net sales")[1:] == ["14,544", "14,694", "1", "—"]
    assert row(second, "Net income")[1:] == ["1,224", "1,089", "(11)", "(4)"]
    assert row(second, "Free Cash Flow")[1:] == ["1,066", "848", "", ""]


def test_amcor_reconciliation_tables_per_period(amcor: LoadedDocument) -> None:
    three, twelve = [t for t in tables(amcor) if t.page in (11, 12)]
    assert three.page == 11 and twelve.page == 12
    assert header(three, 0) == [
        ("", 1),
        ("Three Months Ended June 30, 2022", 4),
        ("Three Months Ended June 30, 2023", 4),
    ]
    assert header(twelve, 0)[1] == ("Twelve Months Ended June 30, 2022", 4)
    assert row(three, "Net income attributable to non-controlling interests")[1:] == [
        "3",
        "3",
        "",
        "",
        "4",
        "4",
        "",
        "",
    ]
    assert row(three, "Adjusted Free Cash Flow")[1:] == ["803", "", "", "", "834", "", "", ""]
    assert row(twelve, "Russia-Ukraine conflict impacts (4)")[5:] == [
        "(90)",
        "(90)",
        "(90)",
        "(6.0)",
    ]


def test_amcor_page_numbers_dropped(amcor: LoadedDocument) -> None:
    last = [p for p in paragraphs(amcor) if p.page == 1][-1]
    assert last.text.endswith("totals provided due to rounding.")


# --------------------------------------------------------------------------------------------
# McDonald's earnings release
# --------------------------------------------------------------------------------------------
def test_mcdonalds_income_statement(mcdonalds: LoadedDocument) -> None:
    table = table_with_title(mcdonalds, "CONDENSED CONSOLIDATED STATEMENT OF INCOME (UNAUDITED)")
    assert table.page == 4
    assert table.title_lines == [
        "McDONALD'S CORPORATION",
        "CONDENSED CONSOLIDATED STATEMENT OF INCOME (UNAUDITED)",
        "Dollars and shares in millions, except per share data",
    ]
    assert texts(table.rows[0]) == ["Quarters Ended March 31,", "2023", "2022", "Inc/ (Dec)", ""]
    assert row(table, "Sales by Company-operated restaurants")[1:] == [
        "$ 2,224.3",
        "$ 2,302.4",
        "$ (78.1)",
        "(3)%",
    ]
    assert row(table, "TOTAL REVENUES")[1:] == ["5,897.8", "5,665.6", "232.2", "4"]
    assert row(table, "Total operating costs and expenses")[1:] == [
        "3,365.4",
        "3,353.0",
        "12.4",
        "—",
    ]
    assert row(table, "Other operating (income) expense, net")[4] == "n/m"


def test_mcdonalds_reconciliation_group_headers(mcdonalds: LoadedDocument) -> None:
    title = "NET INCOME AND EARNINGS PER SHARE-DILUTED RECONCILIATION"
    table = next(t for t in tables(mcdonalds) if title in t.title_lines)
    assert header(table, 0) == [("", 1), ("Quarters Ended March 31,", 8)]
    assert header(table, 1) == [("", 1), ("Net Income", 4), ("Earnings per share - diluted", 4)]
    assert row(table, "GAAP")[1:] == [
        "$1,802.3",
        "$1,104.4",
        "63 %",
        "69 %",
        "$ 2.45",
        "$ 1.48",
        "66 %",
        "72 %",
    ]
    assert row(table, "Tax settlement")[1:] == ["—", "500.0", "", "", "—", "0.67", "", ""]


def test_mcdonalds_headings_wrapped_per_column_are_one_header_row(
    mcdonalds: LoadedDocument,
) -> None:
    # "Inc/ (Dec)" / "Excluding" / "Currency" / "Translation" over one column, and "Inc/" /
    # "(Dec)" over its neighbour, are printed on four lines: one header row, read downwards
    title = "NET INCOME AND EARNINGS PER SHARE-DILUTED RECONCILIATION"
    table = next(t for t in tables(mcdonalds) if title in t.title_lines)
    change = ["Inc/ (Dec)", "Inc/ (Dec) Excluding Currency Translation"]
    assert texts(table.rows[2]) == ["", "2023", "2022", *change, "2023", "2022", *change]
    assert texts(table.rows[3])[0] == "GAAP"  # three header rows in all
    key = table_with_title(mcdonalds, "KEY FINANCIAL METRICS - CONSOLIDATED")
    assert header(key, 0) == [("", 1), ("Quarters Ended March 31,", 4)]
    assert texts(key.rows[1]) == ["", "2023", "2022", *change]


def test_mcdonalds_comparable_sales_spanning_header(mcdonalds: LoadedDocument) -> None:
    table = table_with_title(mcdonalds, "COMPARABLE SALES")
    assert header(table, 0) == [("", 1), ("Increase/(Decrease)", 2)]
    assert header(table, 1) == [("", 1), ("Quarters Ended March 31,", 2)]
    assert row(table, "U.S.")[1:] == ["12.6 %", "3.5 %"]


def test_mcdonalds_bold_bullet_wraps_into_one_paragraph(mcdonalds: LoadedDocument) -> None:
    expected = (
        "• Digital Systemwide sales* in our top six markets were nearly $7.5 billion for the "
        "quarter, representing almost 40% of their Systemwide sales"
    )
    assert expected in [p.text for p in paragraphs(mcdonalds)]


# --------------------------------------------------------------------------------------------
# Table titles: the short heading lines just above a table, never body text
# --------------------------------------------------------------------------------------------
def test_mcdonalds_titles_stop_at_the_paragraph_above(mcdonalds: LoadedDocument) -> None:
    # "Excluding the above items, results reflected ... margins." is printed just above
    titles = [t.title_lines for t in tables(mcdonalds) if t.page == 2]
    assert titles == [
        ["COMPARABLE SALES"],
        ["KEY FINANCIAL METRICS - CONSOLIDATED", "Dollars in millions, except per share data"],
        [
            "NET INCOME AND EARNINGS PER SHARE-DILUTED RECONCILIATION",
            "Dollars in millions, except per share data",
        ],
    ]


def test_intel_titles_skip_the_introduction_to_reach_the_heading(intel: LoadedDocument) -> None:
    by_page = {t.page: t.title_lines for t in tables(intel)}
    # one paragraph ("Set forth below are reconciliations ...") between heading and table
    assert by_page[15] == [
        "Intel Corporation",
        "Supplemental Reconciliations of GAAP Actuals to Non-GAAP Actuals",
    ]
    # three paragraphs on page 17
    assert by_page[17] == [
        "Intel Corporation",
        "Supplemental Reconciliations of GAAP Outlook to Non-GAAP Outlook",
    ]
    # an underlined sub-heading directly above; the quotation above it is body text
    assert by_page[1] == ["Q4 2022 Financial Results"]
    # below the first table's footnote, no heading: no title (not the footnote)
    (cash,) = [t for t in tables(intel) if t.page == 16]
    assert cash.title_lines == []
    segment = [t for t in tables(intel) if t.page == 11]
    assert segment[1].title_lines == [
        "The following table presents intersegment revenue before eliminations:"
    ]


def test_amazon_titles_keep_the_lead_in_sentence_with_the_scale(amazon: LoadedDocument) -> None:
    by_title = {tuple(t.title_lines): t.page for t in tables(amazon)}
    # heading, then the last sentence of the lead-in paragraph (it carries "(in millions)")
    assert (
        by_title[
            (
                "Note 3 — PROPERTY AND EQUIPMENT",
                "Property and equipment, at cost, consisted of the following (in millions):",
            )
        ]
        == 53
    )
    assert (
        by_title[
            (
                "Net Sales",
                "Net sales information is as follows (in millions):",
            )
        ]
        == 24
    )
    assert (
        by_title[
            (
                "Free Cash Flow",
                "The following is a reconciliation of free cash flow to the most comparable "
                "GAAP cash flow measure, “Net cash provided by (used in) operating activities,” "
                "for 2018 and 2019 (in millions):",
            )
        ]
        == 29
    )
    for table in tables(amazon):
        for line in table.title_lines:
            # never a sentence of body text ("AMAZON.COM, INC." is a name)
            assert not line.endswith(".") or line.endswith("INC."), (table.page, line)


def test_amcor_bold_heading_wrapped_over_two_lines_is_one_title(amcor: LoadedDocument) -> None:
    (table,) = [t for t in tables(amcor) if t.page == 11]
    assert table.title_lines == [
        "Reconciliation of Non-GAAP Measures",
        "Reconciliation of adjusted Earnings before interest, tax, depreciation and amortization "
        "(EBITDA), Earnings before interest and tax (EBIT), Net income, Earnings per share (EPS) "
        "and Free Cash Flow",
    ]
    # a table under body paragraphs and an underlined, not bold, sub-heading has no title
    (flexibles,) = [t for t in tables(amcor) if t.page == 3]
    assert flexibles.title_lines == []


# --------------------------------------------------------------------------------------------
# eBay 8-K (a memo, no financial tables)
# --------------------------------------------------------------------------------------------
def test_ebay_memo(ebay: LoadedDocument) -> None:
    assert tables(ebay) == []
    sentence = (
        "Over the next 24 hours, we’ll be letting approximately 500 employees globally know that "
        "their jobs will be eliminated."
    )
    (block,) = [p for p in paragraphs(ebay) if sentence in p.text]
    assert block.page == 2
    assert block.section == ("Item 7.01. Regulation FD Disclosure.",)
    assert "Item 9.01. Financial Statements and Exhibits." in [h.text for h in headings(ebay)]


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------
def test_html_named_pdf_is_corrupt() -> None:
    data = b"<!DOCTYPE html>\n<html><body><h1>404 Not Found</h1></body></html>\n"
    with pytest.raises(CorruptFile, match="HTML"):
        load_pdf(Path("x.pdf"), data)


def test_random_bytes_are_corrupt() -> None:
    with pytest.raises(CorruptFile, match="no %PDF- header"):
        load_pdf(Path("noise.pdf"), bytes(range(256)) * 8)


def test_pdf_header_without_a_body_is_corrupt() -> None:
    with pytest.raises(CorruptFile, match="damaged or truncated"):
        load_pdf(Path("stub.pdf"), b"%PDF-1.7\n" + b"0" * 500)


@pytest.mark.parametrize("name", [MCDONALDS, EBAY])
def test_truncated_pdf_is_corrupt(name: str) -> None:
    # pdfminer cannot recover the cross-reference table of the first half of these files
    data = (FILINGS / name).read_bytes()
    with pytest.raises(CorruptFile, match="damaged or truncated") as caught:
        load_pdf(Path(name), data[: len(data) // 2])
    assert caught.value.path == Path(name)


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_password_protected_pdf_is_encrypted(algorithm: str) -> None:
    writer = PdfWriter(clone_from=PdfReader(FILINGS / MCDONALDS))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm=algorithm)
    with pytest.raises(EncryptedFile, match="password"):
        load_pdf(Path("locked.pdf"), _pdf_bytes(writer))


def test_owner_password_only_opens() -> None:
    writer = PdfWriter(clone_from=PdfReader(FILINGS / MCDONALDS))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    doc = load_pdf(Path("restricted.pdf"), _pdf_bytes(writer))
    assert doc.pages == 4
    assert "McDONALD'S REPORTS FIRST QUARTER 2023 RESULTS" in doc.text


def test_pdf_without_text_layer_is_empty() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_blank_page(width=612, height=792)
    with pytest.raises(EmptyFile, match=r"no text layer.*OCR is not supported"):
        load_pdf(Path("scan.pdf"), _pdf_bytes(writer))


@pytest.mark.parametrize("rotate", [90, 270])
def test_a_landscape_page_turned_with_rotate_reads_like_the_upright_original(rotate: int) -> None:
    """PDFium reads glyphs in user space, so a page with /Rotate (content drawn turned, shown
    upright) goes to pdfminer, which applies the rotation: the text comes out the same."""
    from pypdf import Transformation
    from pypdf.generic import RectangleObject

    original = (FILINGS / EBAY).read_bytes()
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(original)).pages:
        writer.add_page(page)
    first = writer.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    if rotate == 90:
        turn = Transformation().rotate(90).translate(height, 0)
    else:
        turn = Transformation().rotate(-90).translate(0, width)
    first.add_transformation(turn)
    first.mediabox = RectangleObject([0, 0, height, width])
    first.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)

    turned = load_pdf(Path("turned.pdf"), out.getvalue())
    upright = load_pdf(FILINGS / EBAY, original)
    assert turned.text.startswith("UNITED STATES\n\nSECURITIES AND EXCHANGE COMMISSION\n\n")
    assert turned.text == upright.text
