"""Analyst questions over full-length reports (issue 16): every instruction kind, definition
phrasing and standard measure, answered end to end over real 10-K and 10-Q reports in a real
Chroma store with the real model. Each expected value is computed here from the figures the
reports print (in millions, as printed), never from crossfoot."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.embed import Embedder
from ingest.pipeline import ingest_paths
from ingest.store import Store
from retrieval.answer import Answer, Engine, Filters

ANNUAL = Path(__file__).parents[1] / "data" / "annual"
APPLE = "APPLE_2019_10K.pdf"
MCD = "MCDONALDS_2022_10K.pdf"
CRM = "SALESFORCE_2023Q3_10Q.pdf"
INTEL = "INTEL_2020_10K_statements.pdf"  # the cover and the four statements of Intel's 10-K
# later reports of the same companies, for a store shared by many filings
OTHERS = (
    "apple_10q_q3fy2025_ixbrl.html",
    "mcdonalds_2023q1_earnings_release_ex99-1.pdf",
    "intel_2022q4_earnings_release.pdf",
)
M = Decimal(1_000_000)


@pytest.fixture(scope="module")
def engine(
    tmp_path_factory: pytest.TempPathFactory, filings: Path, embedder: Embedder
) -> Iterator[Engine]:
    store = Store.open(data_dir=tmp_path_factory.mktemp("analyst"))
    paths = sorted(ANNUAL.glob("*.pdf")) + [filings / name for name in OTHERS]
    results = ingest_paths(paths, store, embedder)
    assert [r.status for r in results] == ["ingested"] * len(paths)
    yield Engine.from_store(store, embedder)


def ask(engine: Engine, doc: str | None, question: str) -> Answer:
    answer = engine.answer(question, Filters(doc=doc))
    assert answer.status == "answered", answer.answer
    assert answer.value is not None
    return answer


def close(value: Decimal, expected: Decimal) -> bool:
    """Equal to the fourth decimal place (the calculator divides to 28 digits)."""
    q = Decimal("0.0001")
    return value.quantize(q) == expected.quantize(q)


# ------------------------------------------------------------------ instructions

INSTRUCTIONS = [
    # (doc, question, number, unit, display): scale, rounding, statements, role-play,
    # politeness, context sentences and method clauses
    (
        APPLE,
        "Assume you are an equity analyst covering Apple. What was Apple's FY2019 capital "
        "expenditure (payments for acquisition of property, plant and equipment)? Answer in USD "
        "millions. Base your answer on the cash flow statement.",
        10_495 * M,
        "USD",
        "$10,495.00 million",
    ),
    (
        APPLE,
        "Using only the cash flow statement, how much did Apple pay in dividends and dividend "
        "equivalents in FY2019? Answer in USD billions and round to one decimal place.",
        14_119 * M,
        "USD",
        "$14.1 billion",
    ),
    (
        CRM,
        "What were Salesforce's total revenues in Q3 fiscal 2023? Answer in USD thousands.",
        7_837 * M,
        "USD",
        "$7,837,000.00 thousand",
    ),
    (
        APPLE,
        "What was Apple's operating margin in FY2019? Answer in units of percents and round "
        "your answer to two decimal places.",
        Decimal(63_930) / Decimal(260_174) * 100,
        "percent",
        "24.57%",
    ),
    (
        CRM,
        "What was Salesforce's gross margin in Q3 fiscal 2023, in percent?",
        Decimal(5_749) / Decimal(7_837) * 100,
        "percent",
        "73.36%",
    ),
    (
        APPLE,
        "What were Apple's days sales outstanding in FY2019? Round to the nearest whole number.",
        365 * (Decimal(22_926) + Decimal(23_186)) / 2 / Decimal(260_174),
        "days",
        "32 days",
    ),
    (
        APPLE,
        "According to the statement of financial position, what were Apple's total current "
        "liabilities at the end of FY2019?",
        105_718 * M,
        "USD",
        None,
    ),
    (
        APPLE,
        "Based on the P&L, what was Apple's operating income in FY2019?",
        63_930 * M,
        "USD",
        None,
    ),
    (
        APPLE,
        "What was Apple's total shareholders' equity at the end of FY2019? Base your answer on "
        "the statement of shareholders' equity.",
        90_488 * M,
        "USD",
        None,
    ),
    (
        MCD,
        "What was McDonald's interest coverage ratio for FY2022? I want to know how comfortably "
        "operating income covers interest.",
        Decimal("9371.0") / Decimal("1207.0"),
        "ratio",
        None,
    ),
    (
        INTEL,
        "What was Intel's FY2020 gross margin percentage, computed from the gross margin and net "
        "revenue shown in the income statement?",
        Decimal(43_612) / Decimal(77_867) * 100,
        "percent",
        None,
    ),
    (
        APPLE,
        "Please calculate Apple's FY2019 effective tax rate.",
        Decimal(10_481) / Decimal(65_737) * 100,
        "percent",
        None,
    ),
]


@pytest.mark.parametrize(("doc", "question", "number", "unit", "display"), INSTRUCTIONS)
def test_instructions_shape_the_reply_not_the_figure(
    engine: Engine, doc: str, question: str, number: Decimal, unit: str, display: str | None
) -> None:
    answer = ask(engine, doc, question)
    assert answer.value is not None
    assert close(answer.value.number, number), answer.answer
    assert answer.value.unit == unit
    if display is not None:
        assert answer.value.display == display
        assert answer.answer.startswith(f"{display} (")


def test_a_statement_instruction_filters_the_tables(engine: Engine) -> None:
    """Apple's balance sheet prints no revenue: the instruction is a filter, not a hint."""
    answer = engine.answer(
        "Using only the balance sheet, what were Apple's total net sales in FY2019?",
        Filters(doc=APPLE),
    )
    assert answer.status == "not_found"
    assert answer.answer.startswith("The balance sheet prints no figure matching")


# ------------------------------------------------------------------ definitions

DEFINITIONS = [
    # "X is defined as", 365 *, parentheses, an average between two fiscal years
    (
        APPLE,
        "What is Apple's FY2019 days payable outstanding (DPO)? DPO is defined as: 365 * "
        "(average accounts payable between FY2018 and FY2019) / FY2019 total cost of sales.",
        365 * ((Decimal(46_236) + Decimal(55_888)) / 2) / Decimal(161_782),
        "days",
    ),
    # "Define X as", plus, an operand's own statement
    (
        MCD,
        "Define unadjusted EBITDA as operating income plus depreciation and amortization from the "
        "cash flow statement. What was McDonald's unadjusted EBITDA in FY2022?",
        (Decimal("9371.0") + Decimal("1870.6")) * M,
        "USD",
    ),
    # "Calculate X using"
    (
        APPLE,
        "Calculate Apple's FY2019 liquid assets using cash and cash equivalents plus accounts "
        "receivable, net.",
        (48_844 + 22_926) * M,
        "USD",
    ),
    # minus inside parentheses, "divided by", "expressed as a %"
    (
        APPLE,
        "Define FCF margin as (cash generated by operating activities - payments for acquisition "
        "of property, plant and equipment) divided by total net sales, expressed as a %. What "
        "was Apple's FCF margin in FY2019?",
        (Decimal(69_391) - Decimal(10_495)) / Decimal(260_174) * 100,
        "percent",
    ),
    # "less"
    (
        MCD,
        "Define operating cash surplus as cash provided by operations less capital expenditures. "
        "What was McDonald's operating cash surplus in FY2022?",
        (Decimal("7386.7") - Decimal("1899.2")) * M,
        "USD",
    ),
    # "as a % of"
    (
        APPLE,
        "Define R&D intensity as research and development as a % of total net sales. What was "
        "Apple's R&D intensity in FY2019?",
        Decimal(16_217) / Decimal(260_174) * 100,
        "percent",
    ),
    # a 3 year average of a ratio: each year's ratio, then their mean
    (
        APPLE,
        "What is the 3 year average (FY2017 to FY2019) of Apple's research and development "
        "expense as a % of total net sales?",
        (
            Decimal(11_581) / Decimal(229_234)
            + Decimal(14_236) / Decimal(265_595)
            + Decimal(16_217) / Decimal(260_174)
        )
        / 3
        * 100,
        "percent",
    ),
    # year-over-year growth
    (
        APPLE,
        "Define revenue growth as the year-over-year growth in total net sales. What was Apple's "
        "revenue growth in FY2019?",
        (Decimal(260_174) - Decimal(265_595)) / Decimal(265_595) * 100,
        "percent",
    ),
    # year-over-year change
    (
        APPLE,
        "Define the R&D step-up as the year-over-year change in research and development. What "
        "was Apple's R&D step-up in FY2019?",
        (16_217 - 14_236) * M,
        "USD",
    ),
    # a definition given inline, in parentheses
    (
        CRM,
        "What was Salesforce's working capital (total current assets less total current "
        "liabilities) as of October 31, 2022?",
        (19_209 - 18_227) * M,
        "USD",
    ),
    # a definition given inline, ", defined ... as"
    (
        MCD,
        "What was McDonald's free cash flow in FY2022, defined in the usual way as cash provided "
        "by operations less capital expenditures?",
        (Decimal("7386.7") - Decimal("1899.2")) * M,
        "USD",
    ),
]


@pytest.mark.parametrize(("doc", "question", "number", "unit"), DEFINITIONS)
def test_a_definition_becomes_the_program(
    engine: Engine, doc: str, question: str, number: Decimal, unit: str
) -> None:
    answer = ask(engine, doc, question)
    assert answer.value is not None
    assert close(answer.value.number, number), answer.answer
    assert answer.value.unit == unit


# ------------------------------------------------------------------ standard measures

STANDARD = [
    # (doc, question, number, unit, the definition's words in the answer)
    (
        APPLE,
        "What was Apple's quick ratio at the end of FY2019?",
        (Decimal(48_844) + Decimal(51_713) + Decimal(22_926)) / Decimal(105_718),
        "ratio",
        "Quick ratio ((cash and cash equivalents + short-term investments + receivables) ÷ "
        "current liabilities, its conventional definition)",
    ),
    (
        APPLE,  # Apple prints interest expense only in a note: read there
        "What was Apple's interest coverage ratio in FY2019?",
        Decimal(63_930) / Decimal(3_576),
        "ratio",
        "Interest coverage (operating income ÷ interest expense, its conventional definition)",
    ),
    (
        APPLE,
        "What was Apple's return on assets (ROA) for FY2019?",
        Decimal(55_256) / ((Decimal(338_516) + Decimal(365_725)) / 2) * 100,
        "percent",
        "Return on assets (net income ÷ average total assets",
    ),
    (
        APPLE,
        "What was Apple's return on equity for FY2019?",
        Decimal(55_256) / ((Decimal(90_488) + Decimal(107_147)) / 2) * 100,
        "percent",
        "Return on equity (net income ÷ average stockholders' equity",
    ),
    (
        APPLE,
        "What was Apple's inventory turnover in FY2019?",
        Decimal(161_782) / ((Decimal(4_106) + Decimal(3_956)) / 2),
        "ratio",
        "Inventory turnover (cost of sales ÷ average inventory",
    ),
    (
        APPLE,
        "What was Apple's asset turnover in FY2019?",
        Decimal(260_174) / ((Decimal(338_516) + Decimal(365_725)) / 2),
        "ratio",
        "Asset turnover (revenue ÷ average total assets",
    ),
    (
        APPLE,
        "What was Apple's fixed asset turnover in FY2019?",
        Decimal(260_174) / ((Decimal(37_378) + Decimal(41_304)) / 2),
        "ratio",
        "Fixed-asset turnover (revenue ÷ average net property, plant and equipment",
    ),
    (
        APPLE,
        "What were Apple's days sales outstanding in FY2019?",
        365 * ((Decimal(22_926) + Decimal(23_186)) / 2) / Decimal(260_174),
        "days",
        "Days sales outstanding (365 × average receivables ÷ revenue",
    ),
    (
        APPLE,
        "What were Apple's days payables outstanding in FY2019?",
        365 * ((Decimal(46_236) + Decimal(55_888)) / 2) / Decimal(161_782),
        "days",
        "Days payables outstanding (365 × average accounts payable ÷ cost of sales",
    ),
    (
        APPLE,
        "What were Apple's days inventory outstanding in FY2019?",
        365 * ((Decimal(4_106) + Decimal(3_956)) / 2) / Decimal(161_782),
        "days",
        "Days inventory outstanding (365 × average inventory ÷ cost of sales",
    ),
    (
        APPLE,
        "What was Apple's cash conversion cycle in FY2019?",
        365 * ((Decimal(22_926) + Decimal(23_186)) / 2) / Decimal(260_174)
        + 365 * ((Decimal(4_106) + Decimal(3_956)) / 2) / Decimal(161_782)
        - 365 * ((Decimal(46_236) + Decimal(55_888)) / 2) / Decimal(161_782),
        "days",
        "Cash conversion cycle (days sales outstanding + days inventory outstanding − days "
        "payables outstanding",
    ),
    (
        APPLE,
        "What was Apple's operating cash flow ratio for FY2019?",
        Decimal(69_391) / Decimal(105_718),
        "ratio",
        "Operating cash flow ratio (operating cash flow ÷ current liabilities",
    ),
    (
        APPLE,
        "What was Apple's dividend payout ratio in FY2019?",
        Decimal(14_119) / Decimal(55_256) * 100,
        "percent",
        "Dividend payout ratio (dividends paid ÷ net income",
    ),
    (
        APPLE,
        "What was Apple's debt-to-equity ratio at the end of FY2019?",
        Decimal(248_028) / Decimal(90_488),
        "ratio",
        "Debt-to-equity ratio (total liabilities ÷ stockholders' equity",
    ),
    (
        APPLE,
        "What was Apple's free cash flow in FY2019?",
        (69_391 - 10_495) * M,
        "USD",
        "Free cash flow (operating cash flow − capital expenditures",
    ),
    (
        MCD,  # McDonald's prints its own free cash flow: that line wins
        "What was McDonald's free cash flow in FY2022?",
        (Decimal("7386.7") - Decimal("1899.2")) * M,
        "USD",
        "Free cash flow (non-GAAP) was $5.49 billion in FY2022.",
    ),
    (
        APPLE,
        "What was Apple's working capital at the end of FY2019?",
        (162_819 - 105_718) * M,
        "USD",
        "Working capital (current assets − current liabilities)",
    ),
    (
        APPLE,
        "What was Apple's working capital ratio at the end of FY2019?",
        Decimal(162_819) / Decimal(105_718),
        "ratio",
        "The current ratio (current assets ÷ current liabilities)",
    ),
    (
        APPLE,
        "What was Apple's current ratio at the end of FY2019?",
        Decimal(162_819) / Decimal(105_718),
        "ratio",
        "The current ratio (current assets ÷ current liabilities)",
    ),
    (
        APPLE,
        "What was Apple's gross margin percentage in FY2019?",
        Decimal(98_392) / Decimal(260_174) * 100,
        "percent",
        "Gross margin (gross profit ÷ revenue)",
    ),
    (
        CRM,  # Salesforce prints gross profit and no gross-margin line
        "What was Salesforce's gross margin in Q3 fiscal 2023?",
        Decimal(5_749) / Decimal(7_837) * 100,
        "percent",
        "Gross margin (gross profit ÷ revenue, its conventional definition)",
    ),
    (
        APPLE,
        "What was Apple's operating margin in FY2019?",
        Decimal(63_930) / Decimal(260_174) * 100,
        "percent",
        "Operating margin (operating income ÷ revenue)",
    ),
    (
        APPLE,
        "What was Apple's net margin in FY2019?",
        Decimal(55_256) / Decimal(260_174) * 100,
        "percent",
        "Net margin (net income ÷ revenue)",
    ),
    (
        APPLE,
        "What was Apple's effective tax rate in FY2019?",
        Decimal(10_481) / Decimal(65_737) * 100,
        "percent",
        "The effective tax rate (income tax provision ÷ income before taxes)",
    ),
    (
        APPLE,
        "What was Apple's capital expenditure as a % of total net sales in FY2019?",
        Decimal(10_495) / Decimal(260_174) * 100,
        "percent",
        "Investing activities > Payments for acquisition of property, plant and equipment was "
        "4.0% of Total net sales",
    ),
    (
        MCD,
        "What was McDonald's unadjusted EBITDA for FY2022?",
        (Decimal("9371.0") + Decimal("1870.6")) * M,
        "USD",
        "Unadjusted EBITDA (operating income + depreciation and amortization from the cash flow "
        "statement, its conventional definition)",
    ),
    (
        MCD,
        "What was McDonald's EBITDA margin in FY2022?",
        (Decimal("9371.0") + Decimal("1870.6")) / Decimal("23182.6") * 100,
        "percent",
        "Unadjusted EBITDA margin ((operating income + depreciation and amortization from the "
        "cash flow statement) ÷ revenue",
    ),
    (
        MCD,
        "What was McDonald's dividend payout ratio in FY2022?",
        Decimal("4168.2") / Decimal("6177.4") * 100,
        "percent",
        "Dividend payout ratio (dividends paid ÷ net income",
    ),
    (
        INTEL,
        "What was Intel's return on assets for FY2020?",
        Decimal(20_899) / ((Decimal(153_091) + Decimal(136_524)) / 2) * 100,
        "percent",
        "Return on assets (net income ÷ average total assets",
    ),
    (
        INTEL,
        "What was Intel's inventory turnover ratio for FY2020?",
        Decimal(34_255) / ((Decimal(8_427) + Decimal(8_744)) / 2),
        "ratio",
        "Inventory turnover (cost of sales ÷ average inventory",
    ),
]


@pytest.mark.parametrize(("doc", "question", "number", "unit", "said"), STANDARD)
def test_a_standard_measure_by_its_conventional_definition(
    engine: Engine, doc: str, question: str, number: Decimal, unit: str, said: str
) -> None:
    answer = ask(engine, doc, question)
    assert answer.value is not None
    assert close(answer.value.number, number), answer.answer
    assert answer.value.unit == unit
    assert answer.answer.startswith(said), answer.answer


# ------------------------------------------------------------------ a store of many filings

SHARED = [
    # the company and the period find the report, with no document filter
    (
        "What was Apple's gross margin percentage in FY2019?",
        Decimal(98_392) / Decimal(260_174) * 100,
        APPLE,
    ),
    (
        "What was McDonald's return on assets (ROA) for FY2022?",
        Decimal("6177.4") / ((Decimal("50435.6") + Decimal("53854.3")) / 2) * 100,
        MCD,
    ),
    # a quarter of 2023 is the first-quarter release's, not the 2022 annual report's
    ("What were McDonald's total revenues in Q1 2023?", Decimal("5897.8") * M, OTHERS[1]),
]


@pytest.mark.parametrize(("question", "number", "document"), SHARED)
def test_a_shared_store_finds_the_report_the_question_names(
    engine: Engine, question: str, number: Decimal, document: str
) -> None:
    answer = ask(engine, None, question)
    assert answer.value is not None
    assert close(answer.value.number, number), answer.answer
    assert {c.document for c in answer.citations} == {document}


def test_of_two_companies_named_the_first_is_the_subject(engine: Engine) -> None:
    """Intel's sales to Apple are Intel's figure: Apple's own filings do not answer it, and
    Intel's statements do not name Apple."""
    answer = engine.answer(
        "How much net revenue did Intel generate from sales to Apple Inc. in FY2020?", Filters()
    )
    assert answer.status == "not_found"
    assert answer.answer == "The indexed filings do not mention “Apple”."


def test_a_percentage_asked_for_but_an_amount_found_is_refused(engine: Engine) -> None:
    """The reply's unit comes from the question; when the figure found is an amount, the
    question was not understood, and no amount is passed off as a percentage."""
    answer = engine.answer(
        "What were Apple's total net sales in FY2019? Answer in units of percents.",
        Filters(doc=APPLE),
    )
    assert (answer.status, answer.value, answer.citations) == ("not_found", None, ())
    assert answer.answer == (
        "The question asks for a percentage, but crossfoot found an amount ($260.17 billion); "
        "name the two figures to divide."
    )
