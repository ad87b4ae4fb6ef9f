"""Analysts' instructions read apart from the ask (issue 16, point 1): the unit and rounding
of the reply, the statement the figures must come from, role-play and politeness ignored."""

from __future__ import annotations

from decimal import Decimal

import pytest

from retrieval.answer import Engine
from retrieval.instructions import Instructions, read


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "What is the FY2020 days sales outstanding for Oracle? Round your answer to two "
            "decimal places. Base your answer on the balance sheet and the income statement.",
            Instructions(
                "What is the FY2020 days sales outstanding for Oracle?",
                decimals=2,
                statements=("balance_sheet", "income_statement"),
            ),
        ),
        (
            "Using only the cash flow statement, how much did eBay spend on repurchases of "
            "common stock in FY2019? Answer in USD billions.",
            Instructions(
                "How much did eBay spend on repurchases of common stock in FY2019?",
                scale="billions",
                statements=("cash_flow",),
            ),
        ),
        (
            "Assume you are an equity analyst. What is FedEx's FY2023 capital expenditure as a "
            "percentage of revenue? Answer in units of percents and round to one decimal place.",
            Instructions(
                "What is FedEx's FY2023 capital expenditure as a percentage of revenue?",
                percent=True,
                decimals=1,
            ),
        ),
        (
            "Please tell me the change in cash flow from operations in FY2019 (in USD millions).",
            Instructions(
                "What is the change in cash flow from operations in FY2019.", scale="millions"
            ),
        ),
        (
            "As an equity analyst, what was Intel's net income in FY2020 shown in the "
            "statement of operations? Round to the nearest whole number.",
            Instructions(
                "What was Intel's net income in FY2020 shown in the statement of operations?",
                decimals=0,
            ),
        ),
        (
            "What were total assets on the statement of financial position at the end of "
            "FY2019? Please answer in millions.",
            Instructions(
                "What were total assets on the statement of financial position at the end of "
                "FY2019?",
                scale="millions",
            ),
        ),
    ],
)
def test_instructions_are_read_apart_from_the_ask(question: str, expected: Instructions) -> None:
    assert read(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        # the ask's own words, not instructions: kept as asked
        "what is the difference in payments between entergy arkansas and entergy louisiana , "
        "in millions?",
        "what was the difference in percentage return for pmi common stock compared to the "
        "s&p 500 index?",
        "What was net income as a percentage of revenue in 2019?",
        "What was the change in cash flow from operations in FY2019?",
        "How many shares were outstanding as of June 28, 2025, according to the balance sheet?",
    ],
)
def test_an_ask_without_instructions_is_left_as_asked(question: str) -> None:
    assert read(question) == Instructions(question)


def _ask(engine: Engine, question: str) -> tuple[str, str, Decimal | None, str | None]:
    answer = engine.answer(question)
    value = answer.value
    return (
        answer.status,
        answer.answer,
        value.number if value else None,
        value.display if value else None,
    )


def test_the_reply_is_given_in_the_unit_asked(engine: Engine) -> None:
    status, text, number, display = _ask(
        engine, "What were Juniper's total net revenues in Q4 2007? Answer in USD millions."
    )
    assert (status, number, display) == ("answered", Decimal("809182000"), "$809.18 million")
    assert text == (
        "$809.18 million (in USD millions, as asked). Total net revenues was $809.2 million in "
        "Q4 2007."
    )


def test_the_reply_is_rounded_as_asked_and_the_figure_kept_whole(engine: Engine) -> None:
    status, text, number, display = _ask(
        engine,
        "By what percentage did Juniper's total net revenues grow in Q4 2007 compared with "
        "Q4 2006? Round your answer to two decimal places.",
    )
    assert (status, display) == ("answered", "35.81%")
    assert number == Decimal("35.80752899316919255492338419")
    assert text.startswith("35.81% (to two decimal places, as asked). Total net revenues grew")


def test_role_play_and_a_percent_unit_with_rounding(engine: Engine) -> None:
    status, text, number, display = _ask(
        engine,
        "Assume you are an equity analyst. What was Juniper's net income in fiscal 2007? "
        "Answer in USD billions, rounded to three decimal places.",
    )
    assert (status, number, display) == ("answered", Decimal("360830000"), "$0.361 billion")
    assert text == (
        "$0.361 billion (in USD billions, to three decimal places, as asked). Net income (loss) "
        "was $360.8 million in FY2007."
    )


def test_a_statement_named_is_a_filter_on_tables(engine: Engine) -> None:
    status, _, number, _ = _ask(
        engine,
        "Using only the cash flow statement, what was Juniper's depreciation and amortization "
        "in fiscal 2007?",
    )
    assert (status, number) == ("answered", Decimal("193166000"))
    status, text, number, _ = _ask(
        engine,
        "What were Juniper's total net revenues in Q4 2007? Base your answer on the balance sheet.",
    )
    assert (status, number) == ("not_found", None)
    assert text == "The balance sheet prints no figure matching “Juniper total net revenues in”."
    status, _, number, _ = _ask(
        engine,
        "What were Juniper's total net revenues in Q4 2007? Base your answer on the income "
        "statement.",
    )
    assert (status, number) == ("answered", Decimal("809182000"))


def test_each_table_of_the_seed_filing_is_classed_by_its_statement(engine: Engine) -> None:
    """By title, else by the lines only one statement prints together; a reconciliation of
    non-GAAP measures, with net income and revenue lines among others, is none of them."""
    classes: dict[str, str | None] = {}
    for row in engine.corpus.rows:
        if row.facts[0].kind == "sentence" or row.table is None:
            continue
        name = row.table.split(" / ")[1]
        classes.setdefault(name, engine.picker.statement_of(row))
    assert classes == {
        "Condensed Consolidated Statements of Operations": "income_statement",
        "Condensed Consolidated Balance Sheets": "balance_sheet",
        "Condensed Consolidated Statements of Cash Flows": "cash_flow",
        "Stock-Based Compensation by Category": None,
        "Stock-Based Compensation Related Payroll Tax by Category": None,
        "Net Product Revenue by Operating Segment": None,
        "Reconciliation between GAAP and non-GAAP Financial Measures": None,
        "Cash, Cash Equivalents and Available-For-Sale Investments": None,
    }


def test_classes_by_the_lines_printed_when_the_title_is_lost() -> None:
    from ingest.statements import financial_statement, table_kind

    cash = ["Net income", "Depreciation and amortization", "Net cash provided by operating "
            "activities", "Capital expenditures", "Net cash used in investing activities",
            "Net cash used in financing activities"]  # fmt: skip
    assert financial_statement("", cash) == "cash_flow"
    balance = ["Cash", "Total current assets", "Total assets", "Total current liabilities",
               "Total liabilities", "Total stockholders' equity"]  # fmt: skip
    assert financial_statement("", balance) == "balance_sheet"
    # "Item 6. Selected Financial Data" restates the statements' lines: not a statement
    selected = ["Total net sales", "Net income", "Basic", "Diluted", "Total assets"]
    assert financial_statement("Item 6. Selected Financial Data", selected) is None
    assert financial_statement("", selected) == "income_statement"
    assert table_kind("Item 6. Selected Financial Data", selected) == "other"
    assert table_kind("Net Product Revenue by Operating Segment", ["Infrastructure"]) == "segment"
    assert table_kind("ORACLE CORPORATION / NOTES TO CONSOLIDATED FINANCIAL STATEMENTS", []) == (
        "note"
    )


def test_every_figure_carries_its_table_kind(engine: Engine) -> None:
    """FORMATS.md's ``statement`` field: stored at ingest on each figure of a table, null for a
    figure read from a sentence."""
    kinds: dict[str, set[str | None]] = {}
    for row in engine.corpus.rows:
        for fact in row.facts:
            name = (fact.table or "").split(" / ")[1] if fact.table else fact.kind
            kinds.setdefault(name, set()).add(fact.statement)
    assert kinds["Condensed Consolidated Statements of Operations"] == {"income_statement"}
    assert kinds["Condensed Consolidated Balance Sheets"] == {"balance_sheet"}
    assert kinds["Condensed Consolidated Statements of Cash Flows"] == {"cash_flow"}
    assert kinds["Net Product Revenue by Operating Segment"] == {"segment"}
    assert kinds["Reconciliation between GAAP and non-GAAP Financial Measures"] == {"other"}
    assert kinds["sentence"] == {None}
    fact = next(f for r in engine.corpus.rows for f in r.facts if f.statement == "cash_flow")
    assert fact.to_json()["statement"] == "cash_flow"


def test_capital_expenditures_are_what_was_spent(engine: Engine) -> None:
    """The cash flow statement prints "Purchases of property and equipment, net (146,858)":
    capital expenditures asked for are that outflow's size."""
    status, text, number, _ = _ask(
        engine, "What were Juniper's capital expenditures in fiscal 2007?"
    )
    assert (status, number) == ("answered", Decimal("146858000"))
    assert text == (
        "INVESTING ACTIVITIES > Purchases of property and equipment, net was $146.9 million in "
        "FY2007."
    )


def test_working_capital_is_current_assets_less_current_liabilities(engine: Engine) -> None:
    status, text, number, _ = _ask(
        engine,
        "Using only the balance sheet, what was Juniper's working capital at the end of fiscal "
        "2007? Answer in USD billions and round to two decimal places.",
    )
    assert (status, number) == ("answered", Decimal("1175272000"))
    assert text.startswith(
        "$1.18 billion (in USD billions, to two decimal places, as asked). Working capital "
        "(current assets − current liabilities) was $1.18 billion, from ASSETS > Total current "
        "assets $2.56 billion as of December 31, 2007 and "
    )
    from retrieval.understand import understand

    # the change in working capital is a line of the cash flow statement, not the measure
    assert (
        understand("What was the change in working capital between 2018 and 2019?").derived is None
    )
