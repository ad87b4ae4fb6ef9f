"""The EDGAR HTML / inline-XBRL loader on four real filings and on tiny pages.

Expected values were read from the HTML sources in ``tests/data/filings``.
Each filing is loaded once per module.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.errors import CorruptFile, EmptyFile
from ingest.loaders.html import load_html
from ingest.models import LoadedDocument, Period, RawCell, RawTable, TextBlock

FILINGS = Path(__file__).resolve().parents[1] / "data" / "filings"
BUCKLE = "buckle_8k_ex99-1_q3fy2024_earnings.html"
APPLE = "apple_10q_q3fy2025_ixbrl.html"
IBM = "ibm_10k_fy2024_ixbrl.htm"
MEDICIS = "medicis_10k_fy1999.html"

_LOADED: dict[str, tuple[LoadedDocument, float]] = {}


def _load(name: str) -> LoadedDocument:
    if name not in _LOADED:
        path = FILINGS / name
        data = path.read_bytes()
        started = time.perf_counter()
        doc = load_html(path, data)
        _LOADED[name] = (doc, time.perf_counter() - started)
    return _LOADED[name][0]


@pytest.fixture(scope="module")
def buckle() -> LoadedDocument:
    return _load(BUCKLE)


@pytest.fixture(scope="module")
def apple() -> LoadedDocument:
    return _load(APPLE)


@pytest.fixture(scope="module")
def ibm() -> LoadedDocument:
    return _load(IBM)


@pytest.fixture(scope="module")
def medicis() -> LoadedDocument:
    return _load(MEDICIS)


def tables(doc: LoadedDocument) -> list[RawTable]:
    return [block for block in doc.blocks if isinstance(block, RawTable)]


def texts(row: list[RawCell]) -> list[str]:
    return [cell.text for cell in row]


def row_by_label(table: RawTable, label: str, occurrence: int = 0) -> list[str]:
    rows = [texts(row) for row in table.rows if row[0].text == label]
    return rows[occurrence]


def load_bytes(data: bytes, name: str = "page.html") -> LoadedDocument:
    return load_html(Path(name), data)


# --------------------------------------------------------------------------- invariants


@pytest.mark.parametrize("name", [BUCKLE, APPLE, IBM, MEDICIS])
def test_every_offset_indexes_the_text(name: str) -> None:
    doc = _load(name)
    text = doc.text
    previous_end = 0
    for block in doc.blocks:
        assert block.char_start >= previous_end
        previous_end = block.char_end
        if isinstance(block, TextBlock):
            assert text[block.char_start : block.char_end] == block.text
            assert block.text == block.text.strip()
            continue
        assert block.aligned is True
        width = sum(cell.colspan for cell in block.rows[0])
        for row in block.rows:
            assert sum(cell.colspan for cell in row) == width
            assert any(cell.text for cell in row)
            for cell in row:
                assert text[cell.char_start : cell.char_end] == cell.text
                assert block.char_start <= cell.char_start <= cell.char_end <= block.char_end
                assert "\t" not in cell.text and "\n" not in cell.text
        assert len(text[block.char_start : block.char_end].split("\n")) == len(block.rows)
    for fact in doc.xbrl_facts:
        assert text[fact.char_start : fact.char_end] == fact.as_printed


@pytest.mark.parametrize("name", [BUCKLE, APPLE, IBM, MEDICIS])
def test_no_markup_or_hidden_content_leaks(name: str) -> None:
    doc = _load(name)
    assert "<" + "div" not in doc.text
    assert "font-family" not in doc.text
    assert "Workiva" not in doc.text  # only in HTML comments
    assert "xbrli" not in doc.text and "iso4217" not in doc.text
    assert "\xa0" not in doc.text and "  " not in doc.text.replace("\t", "")


def test_ibm_loads_fast(ibm: LoadedDocument) -> None:
    assert _LOADED[IBM][1] < 3.0


# --------------------------------------------------------------------------- Buckle 8-K


def test_buckle_finds_the_two_statements(buckle: LoadedDocument) -> None:
    # 4 <table>s: a letterhead and a contact block (layout), the income statement
    # and the balance sheet (data).
    assert buckle.format == "html"
    assert buckle.xbrl_facts == [] and buckle.xbrl_meta == {}
    assert len(tables(buckle)) == 2
    assert "Contact: Thomas B. Heacock, Chief Financial Officer" in buckle.text


def test_buckle_income_statement_grid(buckle: LoadedDocument) -> None:
    income = tables(buckle)[0]
    assert income.title_lines == [
        "THE BUCKLE, INC.",
        "CONSOLIDATED STATEMENTS OF INCOME",
        "(Amounts in Thousands Except Per Share Amounts)",
        "(Unaudited)",
    ]
    header, dates = income.rows[0], income.rows[1]
    assert [(c.text, c.colspan) for c in header] == [
        ("", 1),
        ("Thirteen Weeks Ended", 2),
        ("Thirty-Nine Weeks Ended", 2),
    ]
    assert texts(dates) == [
        "",
        "November 2, 2024",
        "October 28, 2023",
        "November 2, 2024",
        "October 28, 2023",
    ]
    assert row_by_label(income, "SALES, Net of returns and allowances") == [
        "SALES, Net of returns and allowances",
        "$ 293,618",
        "$ 303,457",
        "$ 838,490",
        "$ 878,719",
    ]
    assert row_by_label(income, "Gross profit")[1:] == ["140,071", "147,215", "393,302", "418,884"]
    assert row_by_label(income, "Diluted")[1:] == ["$ 0.88", "$ 1.04", "$ 2.35", "$ 2.81"]
    assert all(sum(c.colspan for c in row) == 5 for row in income.rows)
    assert income.section[-1] == "CONSOLIDATED STATEMENTS OF INCOME"


def test_buckle_balance_sheet_parentheses_and_footnote(buckle: LoadedDocument) -> None:
    balance = tables(buckle)[1]
    assert texts(balance.rows[0]) == [
        "ASSETS",
        "November 2, 2024",
        "February 3, 2024 (1)",
        "October 28, 2023",
    ]
    assert row_by_label(balance, "Less accumulated depreciation and amortization")[1:] == [
        "(365,241)",
        "(360,200)",
        "(359,367)",
    ]
    assert row_by_label(balance, "Total assets")[1:] == ["$ 976,270", "$ 889,810", "$ 921,207"]
    assert balance.title_lines[1] == "CONSOLIDATED BALANCE SHEETS"


def test_buckle_headings_and_text(buckle: LoadedDocument) -> None:
    headings = [b.text for b in buckle.blocks if isinstance(b, TextBlock) and b.kind == "heading"]
    assert "THE BUCKLE, INC. REPORTS THIRD QUARTER NET INCOME" in headings
    assert "About Buckle" in headings
    assert "EX-99.1" not in buckle.text  # the EDGAR SGML wrapper is not text
    assert "net income for the fiscal quarter ended November 2, 2024 was $44.2" in buckle.text
    # page breaks are counted
    assert buckle.pages == 4
    assert tables(buckle)[0].page == 3


# --------------------------------------------------------------------------- Apple 10-Q


def test_apple_format_tables_and_fact_count(apple: LoadedDocument) -> None:
    assert apple.format == "ixbrl"
    # 38 <table>s: cover page, check boxes, table of contents, exhibit index and
    # signatures are layout; the statements and notes are 24 data tables.
    assert len(tables(apple)) == 24
    # 685 ix:nonFraction tags, two of them xsi:nil (CommitmentsAndContingencies)
    assert len(apple.xbrl_facts) == 683
    assert apple.warnings == []


def test_apple_dei_meta(apple: LoadedDocument) -> None:
    meta = apple.xbrl_meta
    assert meta["dei:DocumentType"] == "10-Q"
    assert meta["dei:TradingSymbol"] == "AAPL"
    assert meta["dei:EntityRegistrantName"] == "Apple Inc."
    assert meta["dei:DocumentPeriodEndDate"] == "June 28, 2025"
    assert meta["dei:DocumentFiscalPeriodFocus"] == "Q3"  # from the hidden ix:header
    assert meta["dei:DocumentFiscalYearFocus"] == "2025"


def test_apple_specific_facts(apple: LoadedDocument) -> None:
    by_ref = {(f.concept, f.context_ref): f for f in apple.xbrl_facts}
    revenue = by_ref[("us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax", "c-19")]
    assert revenue.value == Decimal("94036000000")
    assert revenue.scale == 6 and revenue.unit == "USD" and revenue.as_printed == "94,036"
    assert revenue.period == Period("duration", date(2025, 6, 28), date(2025, 3, 30))
    assert revenue.decimals == "-6"

    eps = [f for f in apple.xbrl_facts if f.concept == "us-gaap:EarningsPerShareDiluted"]
    assert eps[0].value == Decimal("1.57") and eps[0].unit == "USD/share"

    shares = apple.xbrl_facts[0]
    assert shares.concept == "dei:EntityCommonStockSharesOutstanding"
    assert shares.value == Decimal("14840390000") and shares.unit == "shares"
    assert shares.period == Period("instant", date(2025, 7, 18))

    # sign="-": printed "171" under "Other income/(expense), net" is -171 million
    other = by_ref[("us-gaap:NonoperatingIncomeExpense", "c-19")]
    assert other.as_printed == "171" and other.value == Decimal("-171000000")
    assert sum(1 for f in apple.xbrl_facts if f.value < 0) == 52

    # ixt-sec:numwordsen "two", ixt:fixed-zero "—", scale -2 percentages -> ratio
    vendors = [f for f in apple.xbrl_facts if f.concept == "aapl:NumberOfSignificantVendors"]
    assert vendors[0].value == Decimal(2) and vendors[0].as_printed == "two"
    issued = "us-gaap:StockIssuedDuringPeriodValueNewIssues"
    zero = [f for f in apple.xbrl_facts if f.concept == issued]
    assert zero[0].value == 0 and zero[0].as_printed == "—"
    ratio = [f for f in apple.xbrl_facts if f.concept == "us-gaap:ConcentrationRiskPercentage1"]
    assert ratio[0].unit == "ratio" and ratio[0].scale == -2
    assert ratio[0].value == Decimal(ratio[0].as_printed) / 100


def test_apple_income_statement_cells_carry_facts(apple: LoadedDocument) -> None:
    income = tables(apple)[0]
    assert income.title_lines[-2:] == [
        "CONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS (Unaudited)",
        "(In millions, except number of shares, which are reflected in thousands, "
        "and per-share amounts)",
    ]
    assert [(c.text, c.colspan) for c in income.rows[0]] == [
        ("", 1),
        ("Three Months Ended", 2),
        ("Nine Months Ended", 2),
    ]
    assert texts(income.rows[1])[1:] == [
        "June 28, 2025",
        "June 29, 2024",
        "June 28, 2025",
        "June 29, 2024",
    ]
    total = next(row for row in income.rows if row[0].text == "Total net sales")
    assert texts(total)[1:] == ["94,036", "85,777", "313,695", "296,105"]
    fact = total[1].xbrl
    assert fact is not None
    assert fact.concept == "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax"
    assert fact.value == Decimal("94036000000")
    assert (fact.char_start, fact.char_end) == (total[1].char_start, total[1].char_end)
    products = next(row for row in income.rows if row[0].text == "Products")
    assert products[1].text == "$ 66,613"
    assert products[1].xbrl is not None and products[1].xbrl.value == Decimal("66613000000")
    # the fact covers the number only, the cell also holds the "$"
    assert apple.text[products[1].xbrl.char_start : products[1].xbrl.char_end] == "66,613"
    other = next(row for row in income.rows if row[0].text == "Other income/(expense), net")
    assert texts(other)[1:] == ["(171)", "142", "(698)", "250"]
    assert other[1].xbrl is not None and other[1].xbrl.value == Decimal("-171000000")
    assert income.section[:2] == ("PART I — FINANCIAL INFORMATION", "Item 1. Financial Statements")


def test_apple_percent_cells_and_spanning_headers(apple: LoadedDocument) -> None:
    by_category = tables(apple)[18]
    assert by_category.title_lines[0] == "Products and Services Performance"
    assert [(c.text, c.colspan) for c in by_category.rows[0]] == [
        ("", 1),
        ("Three Months Ended", 3),
        ("Nine Months Ended", 3),
    ]
    assert row_by_label(by_category, "iPad") == [
        "iPad",
        "6,581",
        "7,162",
        "(8)%",
        "21,071",
        "19,744",
        "7%",
    ]
    margins = tables(apple)[20]
    assert row_by_label(margins, "Total gross margin percentage")[1:] == [
        "46.5%",
        "46.3%",
        "46.8%",
        "46.2%",
    ]
    securities = tables(apple)[7]
    assert [(c.text, c.colspan) for c in securities.rows[0]] == [("", 1), ("June 28, 2025", 7)]
    assert texts(securities.rows[1])[5] == "Cash and Cash Equivalents"
    assert row_by_label(securities, "Total")[1:4] == ["$ 136,270", "$ 525", "$(3,809)"]


def test_apple_table_of_contents_is_text(apple: LoadedDocument) -> None:
    assert "Item 1A. Risk Factors 21" in apple.text
    assert all(not row_by_label_safe(t, "Item 1A.") for t in tables(apple))


def row_by_label_safe(table: RawTable, label: str) -> bool:
    return any(row[0].text == label for row in table.rows)


# --------------------------------------------------------------------------- IBM 10-K


def test_ibm_tables_and_facts(ibm: LoadedDocument) -> None:
    assert ibm.format == "ixbrl"
    # 27 <table>s; data: executive officers, repurchases, equity plans, schedule II
    assert len(tables(ibm)) == 4
    assert len(ibm.xbrl_facts) == 62
    assert ibm.xbrl_meta["dei:DocumentType"] == "10-K"
    assert ibm.xbrl_meta["dei:TradingSymbol"] == "IBM"
    name = ibm.xbrl_meta["dei:EntityRegistrantName"]
    assert name == "INTERNATIONAL BUSINESS MACHINES CORPORATION"
    public_float = next(f for f in ibm.xbrl_facts if f.concept == "dei:EntityPublicFloat")
    assert public_float.value == Decimal("159200000000") and public_float.scale == 9


def test_ibm_schedule_ii(ibm: LoadedDocument) -> None:
    schedule = tables(ibm)[3]
    assert schedule.title_lines == [
        "INTERNATIONAL BUSINESS MACHINES CORPORATION AND SUBSIDIARY COMPANIES",
        "VALUATION AND QUALIFYING ACCOUNTS AND RESERVES",
        "For the Years Ended December 31:",
        "(Dollars in Millions)",
    ]
    assert texts(schedule.rows[0]) == [
        "Description",
        "Balance at Beginning of Period",
        "Additions/ (Deductions)",
        "Write-offs",
        "Foreign Currency and Other",
        "Balance at End of Period",
    ]
    current = next(row for row in schedule.rows if row[0].text == "–Current")
    assert texts(current)[1:] == ["$ 431", "$(11)", "$(146)", "$(20)", "$ 254"]
    charged = current[2].xbrl
    assert charged is not None
    assert charged.concept == "us-gaap:ValuationAllowancesAndReservesChargedToCostAndExpense"
    assert charged.value == Decimal("-11000000")  # sign="-"
    assert charged.period == Period("duration", date(2024, 12, 31), date(2024, 1, 1))
    write_off = current[3].xbrl
    assert write_off is not None and write_off.value == Decimal("146000000")  # no sign


def test_ibm_officers_table(ibm: LoadedDocument) -> None:
    officers = tables(ibm)[0]
    assert texts(officers.rows[0]) == ["", "Age", "Officer since"]
    assert texts(officers.rows[2]) == ["Gary D. Cohn, Vice Chairman", "64", "2021"]
    assert officers.title_lines[-1] == (
        "Information About Our Executive Officers (at February 25, 2025):"
    )


# --------------------------------------------------------------------------- Medicis 1999


def test_medicis_legacy_schedule(medicis: LoadedDocument) -> None:
    assert medicis.format == "html"
    # 27 <table>s: check boxes, bullets, an index with page numbers, exhibit
    # lists, footnotes and signatures are layout; Schedule II is the one data table.
    assert len(tables(medicis)) == 1
    schedule = tables(medicis)[0]
    assert schedule.title_lines == ["SCHEDULE II — VALUATION AND QUALIFYING ACCOUNTS"]
    assert texts(schedule.rows[2]) == [
        "Description",
        "year",
        "expenses",
        "other accounts",
        "Deductions",
        "end of year",
    ]
    assert row_by_label(schedule, "Allowances", 0)[1:] == [
        "$ 2,826,000",
        "$ 989,000",
        "$ —",
        "$ —",
        "$ 3,815,000",
    ]
    # "(1)" printed in its own note column joins the value; "(8,600,000" + ")" merge
    assert row_by_label(schedule, "Allowances", 1)[3] == "1,216,000 (1)"
    assert row_by_label(schedule, "Valuation allowance")[1:3] == ["8,600,000", "(8,600,000)"]
    # indented labels in three physical columns form one label column
    assert all(len(row) == 6 for row in schedule.rows)


def test_medicis_text_and_headings(medicis: LoadedDocument) -> None:
    assert "MEDICIS PHARMACEUTICAL CORPORATION" in medicis.text
    assert "Registrant’s telephone number" in medicis.text  # &#146; read as cp1252
    headings = [b for b in medicis.blocks if isinstance(b, TextBlock) and b.kind == "heading"]
    assert any(h.text == "PART I" for h in headings)
    business = next(h for h in headings if h.text == "Item 1: Business")
    assert business.section == ("PART I", "Item 1: Business")
    # bullet tables read as one line per bullet
    assert "• changes in the amount we spend to promote our products" in medicis.text


# --------------------------------------------------------------------------- tiny pages


def test_script_and_event_handlers_are_not_text() -> None:
    doc = load_bytes(b"<img src=x onerror=alert(1)><script>alert(1)</script><p>Hello</p>")
    assert doc.text == "Hello"
    assert doc.format == "html"


def test_style_head_comments_and_hidden_content_dropped() -> None:
    page = (
        b"<html><head><title>T</title><style>p{color:red}</style></head><body>"
        b"<!-- a comment --><p>A<script>var x = 1;</script>B</p>"
        b"<div style='display: none'>secret</div><noscript>nojs</noscript><p>C</p></body></html>"
    )
    doc = load_bytes(page)
    assert doc.text == "AB\n\nC"


def test_nested_layout_table_around_data_table() -> None:
    page = b"""<html><body>
    <table><tr><td>
      <p><b>Acme Corp.</b></p>
      <p>Condensed Statements of Operations</p>
      <table>
        <tr><td></td><td colspan="6" align="center">Three Months Ended</td></tr>
        <tr><td></td><td colspan="3">2024</td><td colspan="3">2023</td></tr>
        <tr><td>Revenue</td><td>$</td><td>1,234</td><td></td><td>$</td><td>1,100</td><td></td></tr>
        <tr><td>Net loss</td><td>$</td><td>(56</td><td>)</td><td>$</td><td>(1.76</td><td>)</td></tr>
        <tr><td>Margin</td><td></td><td>12.5</td><td>%</td><td></td><td>(</td><td>3</td></tr>
      </table>
    </td></tr></table></body></html>"""
    doc = load_bytes(page)
    found = tables(doc)
    assert len(found) == 1
    table = found[0]
    assert table.title_lines == ["Acme Corp.", "Condensed Statements of Operations"]
    assert [(c.text, c.colspan) for c in table.rows[0]] == [("", 1), ("Three Months Ended", 2)]
    assert texts(table.rows[1]) == ["", "2024", "2023"]
    assert texts(table.rows[2]) == ["Revenue", "$ 1,234", "$ 1,100"]
    assert texts(table.rows[3]) == ["Net loss", "$(56)", "$(1.76)"]
    assert texts(table.rows[4]) == ["Margin", "12.5%", "(3"]
    assert "Revenue\t$ 1,234\t$ 1,100" in doc.text
    assert doc.blocks[0] == TextBlock(
        kind="heading",
        text="Acme Corp.",
        char_start=0,
        char_end=10,
        page=1,
        section=("Acme Corp.",),
    )


def test_layout_tables_become_text() -> None:
    page = b"""<table><tr><td>&#8226;</td><td>Revenue grew 10%</td></tr>
    <tr><td>&#8226;</td><td>Margins improved</td></tr></table>
    <table><tr><td>Item 1.</td><td>Business</td><td>3</td></tr>
    <tr><td>Item 2.</td><td>Properties</td><td>7</td></tr>
    <tr><td>Item 3.</td><td>Legal Proceedings</td><td>9</td></tr></table>
    <table><tr><td>Signature</td></tr><tr><td>/s/ Jane Doe</td></tr></table>"""
    doc = load_bytes(page)
    assert tables(doc) == []
    assert doc.text.split("\n\n") == [
        "• Revenue grew 10%",
        "• Margins improved",
        "Item 1. Business 3",
        "Item 2. Properties 7",
        "Item 3. Legal Proceedings 9",
        "Signature",
        "/s/ Jane Doe",
    ]


def test_title_lines_stop_at_previous_table() -> None:
    page = b"""<p>Segment results</p>
    <table><tr><td>Americas</td><td>10</td></tr><tr><td>Europe</td><td>20</td></tr></table>
    <p>(in millions)</p>
    <table><tr><td>Cash</td><td>5</td></tr><tr><td>Debt</td><td>7</td></tr></table>"""
    first, second = tables(load_bytes(page))
    assert first.title_lines == ["Segment results"]
    assert second.title_lines == ["(in millions)"]


def test_headings_build_the_section_path() -> None:
    page = b"""<h1>PART I</h1><p><b>Item 7. Management's Discussion</b></p>
    <div style="font-weight:bold">Liquidity</div><p>Cash was fine.</p>"""
    doc = load_bytes(page)
    paragraph = doc.blocks[-1]
    assert isinstance(paragraph, TextBlock) and paragraph.kind == "paragraph"
    assert paragraph.section == ("PART I", "Item 7. Management's Discussion", "Liquidity")
    kinds = [b.kind for b in doc.blocks if isinstance(b, TextBlock)]
    assert kinds == ["heading", "heading", "heading", "paragraph"] and len(doc.blocks) == 4


def test_cp1252_bytes_are_decoded() -> None:
    body = "<p>Caf\u00e9 \u201cquoted\u201d \u2014 5\u00bd%</p>"
    assert load_bytes(body.encode("cp1252")).text == "Café “quoted” — 5½%"
    declared = '<html><head><meta charset="iso-8859-1"></head><body>' + body + "</body></html>"
    assert load_bytes(declared.encode("cp1252")).text == "Café “quoted” — 5½%"
    utf8 = '<?xml version="1.0" encoding="utf-8"?><html><body>' + body + "</body></html>"
    assert load_bytes(utf8.encode("utf-8")).text == "Café “quoted” — 5½%"


def test_binary_named_html_is_corrupt() -> None:
    with pytest.raises(CorruptFile, match="binary"):
        load_bytes(bytes(range(256)) * 16, "report.html")
    with pytest.raises(CorruptFile, match="PDF"):
        load_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "report.html")


def test_empty_pages_raise_empty_file() -> None:
    with pytest.raises(EmptyFile):
        load_bytes(b"")
    with pytest.raises(EmptyFile):
        load_bytes(b"<html><head><title>x</title></head><body><script>1</script></body></html>")
    with pytest.raises(EmptyFile):
        load_bytes(b"<html><body><div style='display:none'>hidden</div>&nbsp;</body></html>")


INLINE_XBRL = """<?xml version='1.0' encoding='ASCII'?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
 xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:xbrldi="http://xbrl.org/2006/xbrldi"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><head><title>t</title></head><body>
<div style="display:none"><ix:header><ix:hidden>
<ix:nonNumeric name="dei:DocumentType" contextRef="d">10-Q</ix:nonNumeric>
</ix:hidden><ix:resources>
<xbrli:context id="d"><xbrli:entity><xbrli:identifier scheme="x">1</xbrli:identifier></xbrli:entity>
<xbrli:period><xbrli:startDate>2025-01-01</xbrli:startDate><xbrli:endDate>2025-03-31</xbrli:endDate>
</xbrli:period></xbrli:context>
<xbrli:context id="i"><xbrli:entity><xbrli:identifier scheme="x">1</xbrli:identifier>
<xbrli:segment><xbrldi:explicitMember dimension="a:Seg">a:East</xbrldi:explicitMember>
</xbrli:segment>
</xbrli:entity><xbrli:period><xbrli:instant>2025-03-31</xbrli:instant></xbrli:period></xbrli:context>
<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>
<xbrli:unit id="eps"><xbrli:divide><xbrli:unitNumerator><xbrli:measure>iso4217:USD</xbrli:measure>
</xbrli:unitNumerator><xbrli:unitDenominator><xbrli:measure>xbrli:shares</xbrli:measure>
</xbrli:unitDenominator></xbrli:divide></xbrli:unit>
<xbrli:unit id="pure"><xbrli:measure>xbrli:pure</xbrli:measure></xbrli:unit>
</ix:resources></ix:header></div>
<p>Registrant: <ix:nonNumeric name="dei:EntityRegistrantName"
 contextRef="d">Acme&#160;Corp</ix:nonNumeric>
sold <ix:nonFraction name="us-gaap:Revenues" contextRef="d" unitRef="usd" scale="6"
 decimals="-5" format="ixt:num-dot-decimal">1,234.5</ix:nonFraction> million.</p>
<table>
<tr><td/><td colspan="3">Q1 2025</td></tr>
<tr><td>Net loss per share</td><td>$</td><td>(<ix:nonFraction name="us-gaap:EarningsPerShareBasic"
 contextRef="d" unitRef="eps" sign="-" scale="0">0.42</ix:nonFraction></td><td>)</td></tr>
<tr><td>Assets (East)</td><td/><td><ix:nonFraction name="us-gaap:Assets" contextRef="i"
 unitRef="usd" scale="3" format="ixt:fixed-zero">&#8212;</ix:nonFraction></td><td/></tr>
<tr><td>Tax rate</td><td/><td><ix:nonFraction name="us-gaap:Rate" contextRef="d" unitRef="pure"
 scale="-2">21.0</ix:nonFraction></td><td>%</td></tr>
<tr><td>Commitments</td><td/><td><ix:nonFraction name="us-gaap:Commitments" contextRef="d"
 unitRef="usd" xsi:nil="true"/></td><td/></tr>
</table></body></html>"""


@pytest.mark.parametrize("well_formed", [True, False])
def test_tiny_inline_xbrl_page(well_formed: bool) -> None:
    # an undefined entity makes the XHTML ill-formed: the HTML parser takes over
    source = INLINE_XBRL if well_formed else INLINE_XBRL.replace("</body>", "&nbsp;</body>")
    doc = load_bytes(source.encode("ascii"), "tiny.htm")
    assert doc.format == "ixbrl"
    assert doc.xbrl_meta == {"dei:DocumentType": "10-Q", "dei:EntityRegistrantName": "Acme Corp"}
    assert doc.text.startswith("Registrant: Acme Corp sold 1,234.5 million.")
    facts = {f.concept: f for f in doc.xbrl_facts}
    assert set(facts) == {
        "us-gaap:Revenues",
        "us-gaap:EarningsPerShareBasic",
        "us-gaap:Assets",
        "us-gaap:Rate",
    }
    revenue = facts["us-gaap:Revenues"]
    assert revenue.value == Decimal("1234500000") and revenue.unit == "USD"
    assert str(revenue.value) == "1234500000"
    assert revenue.period == Period("duration", date(2025, 3, 31), date(2025, 1, 1))
    assert doc.text[revenue.char_start : revenue.char_end] == "1,234.5"
    eps = facts["us-gaap:EarningsPerShareBasic"]
    assert eps.value == Decimal("-0.42") and eps.unit == "USD/share"
    assets = facts["us-gaap:Assets"]
    assert assets.value == 0 and assets.context_ref == "i"
    assert assets.period == Period("instant", date(2025, 3, 31))
    rate = facts["us-gaap:Rate"]
    assert rate.value == Decimal("0.21") and rate.unit == "ratio"
    (table,) = tables(doc)
    assert texts(table.rows[1]) == ["Net loss per share", "$(0.42)"]
    assert table.rows[1][1].xbrl is eps
    assert doc.text[eps.char_start : eps.char_end] == "0.42"
    assert texts(table.rows[3]) == ["Tax rate", "21.0%"]
    assert table.rows[3][1].xbrl is rate
    assert texts(table.rows[4]) == ["Commitments", ""]


# --------------------------------------------------------------------------- XBRL dimensions

DIMENSIONS_PAGE = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL"
 xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:xbrldi="http://xbrl.org/2006/xbrldi"
 xmlns:us-gaap="http://fasb.org/us-gaap/2024" xmlns:srt="http://fasb.org/srt/2024"
 xmlns:iso4217="http://www.xbrl.org/2003/iso4217"><head><title>t</title></head><body>
<div style="display:none"><ix:header><ix:resources>
<xbrli:context id="all"><xbrli:entity><xbrli:identifier scheme="x">1</xbrli:identifier>
</xbrli:entity><xbrli:period><xbrli:instant>2024-12-31</xbrli:instant></xbrli:period>
</xbrli:context>
<xbrli:context id="east"><xbrli:entity><xbrli:identifier scheme="x">1</xbrli:identifier>
<xbrli:segment><xbrldi:explicitMember dimension="srt:StatementGeographicalAxis">
 srt:EastMember </xbrldi:explicitMember></xbrli:segment></xbrli:entity>
<xbrli:period><xbrli:instant>2024-12-31</xbrli:instant></xbrli:period></xbrli:context>
<xbrli:context id="typed"><xbrli:entity><xbrli:identifier scheme="x">1</xbrli:identifier>
<xbrli:segment><xbrldi:typedMember dimension="us-gaap:TimingAxis">
 <us-gaap:TimingAxis.domain>
  2027-01-01
 </us-gaap:TimingAxis.domain></xbrldi:typedMember>
<xbrldi:explicitMember dimension="srt:RangeAxis">srt:MaximumMember</xbrldi:explicitMember>
</xbrli:segment></xbrli:entity>
<xbrli:period><xbrli:instant>2024-12-31</xbrli:instant></xbrli:period>
<xbrli:scenario><xbrldi:explicitMember dimension="us-gaap:ScenarioAxis"
 >us-gaap:ScenarioForecastMember</xbrldi:explicitMember></xbrli:scenario></xbrli:context>
<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>
</ix:resources></ix:header></div>
<p>Total <ix:nonFraction name="us-gaap:Assets" contextRef="all" unitRef="usd"
 decimals="0">10</ix:nonFraction>, East <ix:nonFraction name="us-gaap:Assets" contextRef="east"
 unitRef="usd" decimals="0">4</ix:nonFraction>, backlog <ix:nonFraction
 name="us-gaap:Backlog" contextRef="typed" unitRef="usd" decimals="0">7</ix:nonFraction>.</p>
</body></html>"""


@pytest.mark.parametrize("well_formed", [True, False])
def test_xbrl_dimensions_from_contexts(well_formed: bool) -> None:
    source = DIMENSIONS_PAGE if well_formed else DIMENSIONS_PAGE.replace("</body>", "&nbsp;</body>")
    doc = load_bytes(source.encode("ascii"), "dims.htm")
    facts = {f.context_ref: f for f in doc.xbrl_facts}
    assert set(facts) == {"all", "east", "typed"}
    assert facts["all"].dimensions == ()  # consolidated
    assert facts["east"].dimensions == (("srt:StatementGeographicalAxis", "srt:EastMember"),)
    # typed members give their domain value; segment and scenario members, in document order
    assert facts["typed"].dimensions == (
        ("us-gaap:TimingAxis", "2027-01-01"),
        ("srt:RangeAxis", "srt:MaximumMember"),
        ("us-gaap:ScenarioAxis", "us-gaap:ScenarioForecastMember"),
    )
    assert facts["typed"].value == 7


def test_apple_dimensions(apple: LoadedDocument) -> None:
    income = tables(apple)[0]
    products = next(row for row in income.rows if row[0].text == "Products")
    total = next(row for row in income.rows if row[0].text == "Total net sales")
    assert products[1].xbrl is not None and total[1].xbrl is not None
    assert products[1].xbrl.dimensions == (("srt:ProductOrServiceAxis", "us-gaap:ProductMember"),)
    assert total[1].xbrl.dimensions == ()
    # the context of the statements is consolidated; segment notes carry one or more axes
    by_count: dict[int, int] = {}
    for fact in apple.xbrl_facts:
        by_count[len(fact.dimensions)] = by_count.get(len(fact.dimensions), 0) + 1
    assert by_count == {0: 317, 1: 209, 2: 149, 3: 8}
    customer = next(
        f for f in apple.xbrl_facts if f.concept == "us-gaap:ConcentrationRiskPercentage1"
    )
    assert customer.dimensions == (
        ("srt:MajorCustomersAxis", "aapl:CustomerOneMember"),
        ("us-gaap:ConcentrationRiskByTypeAxis", "us-gaap:CreditConcentrationRiskMember"),
        ("us-gaap:ConcentrationRiskByBenchmarkAxis", "us-gaap:TradeAccountsReceivableMember"),
    )


def test_label_indentation_is_read_from_css_and_nbsp(tmp_path: Path) -> None:
    page = (
        "<html><body><p>Balance sheet (in thousands)</p><table>"
        "<tr><td></td><td>2024</td><td>2023</td></tr>"
        "<tr><td style='padding:2px 1pt 2px 0'>PROPERTY AND EQUIPMENT</td>"
        "<td>508,273</td><td>489,037</td></tr>"
        "<tr><td style='padding:2px 1pt 2px 7.75pt'>Less accumulated depreciation</td>"
        "<td>(365,241)</td><td>(360,200)</td></tr>"
        "<tr><td><div style='margin-left:12px'>Other assets</div></td><td>1</td><td>2</td></tr>"
        "<tr><td>&#160;&#160;Deferred taxes</td><td>3</td><td>4</td></tr>"
        "</table></body></html>"
    )
    path = tmp_path / "indent.html"
    path.write_text(page)
    loaded = load_html(path, path.read_bytes())
    table = next(b for b in loaded.blocks if isinstance(b, RawTable))
    assert [row[0].indent for row in table.rows[1:]] == [0.0, 7.75, 9.0, 6.0]
