"""A measure the question defines becomes the program (issue 16, point 1): "DSO is defined as
365 * (average accounts receivable between FY2006 and FY2007) / FY2007 revenue", "Define
unadjusted EBITDA as operating income plus depreciation and amortization from the cash flow
statement"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from retrieval.answer import Engine
from retrieval.definitions import Operand, Term, find, parse
from retrieval.pick import Missing


def _operands(expr: object) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    if isinstance(expr, Term):
        return _operands(expr.left) + _operands(expr.right)
    if isinstance(expr, Operand):
        return [(expr.phrase, tuple(p.text for p in expr.periods), expr.statements)]
    return []


def test_a_definition_is_taken_out_of_the_question() -> None:
    found = find(
        "What is Apple's FY2019 days sales outstanding (DSO)? DSO is defined as: 365 * "
        "(average accounts receivable, net between FY2018 and FY2019) / FY2019 total net sales."
    )
    assert found is not None
    assert (found.name, found.rest) == (
        "DSO",
        "What is Apple's FY2019 days sales outstanding (DSO)?",
    )
    assert found.expression == (
        "365 * (average accounts receivable, net between FY2018 and FY2019) / FY2019 total net "
        "sales"
    )
    found = find(
        "Define net debt as notes payable, current plus notes payable and other borrowings, "
        "non-current, less cash and cash equivalents. What was Oracle's net debt in FY2021?"
    )
    assert found is not None
    assert (found.name, found.rest) == ("net debt", "What was Oracle's net debt in FY2021?")
    assert find("What was Oracle's total revenue in FY2021?") is None


def test_the_expression_is_read_with_precedence_periods_and_statements() -> None:
    tree = parse(
        "365 * (average accounts receivable, net between FY2018 and FY2019) / FY2019 revenue"
    )
    assert isinstance(tree, Term) and tree.op == "divide"
    assert isinstance(tree.left, Term) and tree.left.op == "multiply"
    assert tree.left.left == Decimal("365")
    assert _operands(tree) == [
        ("accounts receivable, net", ("FY2018", "FY2019"), ("balance_sheet",)),
        ("revenue", ("FY2019",), ()),
    ]
    # a statement said after one operand is that operand's; "all from" is every operand's
    assert _operands(
        parse("operating income plus depreciation and amortization from the cash flow statement")
    ) == [("operating income", (), ()), ("depreciation and amortization", (), ("cash_flow",))]
    assert _operands(
        parse(
            "operating income (from the income statement) plus depreciation and amortization "
            "(from the cash flow statement)"
        )
    ) == [
        ("operating income", (), ("income_statement",)),
        ("depreciation and amortization", (), ("cash_flow",)),
    ]
    tree = parse(
        "cash plus short-term investments, less short-term debt, all from the balance sheet"
    )
    assert isinstance(tree, Term) and tree.op == "subtract"
    assert [s for _, _, s in _operands(tree)] == [("balance_sheet",)] * 3
    tree = parse("(revenue minus cost of revenue) as a % of revenue")
    assert isinstance(tree, Term) and tree.op == "percent_of"
    with pytest.raises(Missing):
        parse("revenue plus")


def _ask(engine: Engine, question: str) -> tuple[str, str, Decimal | None, str | None, str | None]:
    answer = engine.answer(question)
    value = answer.value
    return (
        answer.status,
        answer.answer,
        value.number if value else None,
        value.unit if value else None,
        answer.program,
    )


def test_a_defined_measure_is_computed_from_the_figures_it_names(engine: Engine) -> None:
    status, text, number, unit, program = _ask(
        engine,
        "Define unadjusted EBITDA as operating income plus depreciation and amortization from "
        "the cash flow statement. What was Juniper's unadjusted EBITDA in fiscal 2007? Answer "
        "in USD millions.",
    )
    assert (status, number, unit) == ("answered", Decimal("600228000"), "USD")
    assert program == "add(407062000, 193166000)"
    assert text.startswith(
        "$600.23 million (in USD millions, as asked). unadjusted EBITDA (operating income plus "
        "depreciation and amortization from the cash flow statement, as the question defines "
        "it) is $600.2 million (Operating income (loss) $407.1 million in FY2007; OPERATING "
        "ACTIVITIES > "
    )


def test_a_defined_measure_over_revenue_is_its_margin(engine: Engine) -> None:
    status, text, number, unit, program = _ask(
        engine,
        "Define unadjusted EBITDA as operating income plus depreciation and amortization from "
        "the cash flow statement. What was Juniper's unadjusted EBITDA margin in fiscal 2007? "
        "Round your answer to two decimal places.",
    )
    assert (status, unit) == ("answered", "percent")
    assert number == Decimal("21.16394131634843488636459800")
    assert program == "divide(add(407062000, 193166000), 2836088000)"
    assert text.startswith("21.16% (to two decimal places, as asked).")


def test_days_outstanding_average_balances_at_each_years_end(engine: Engine) -> None:
    status, text, number, unit, program = _ask(
        engine,
        "What is Juniper's FY2007 days sales outstanding (DSO)? DSO is defined as: 365 * "
        "(average accounts receivable, net between FY2006 and FY2007) / FY2007 total net "
        "revenues. Round your answer to two decimal places.",
    )
    assert (status, unit) == ("answered", "days")
    assert number == Decimal("40.48877538355650459365153690576597")
    assert program == "divide(multiply(365, divide(add(249445000, 379759000), 2)), 2836088000)"
    assert text.startswith("40.49 days (to two decimal places, as asked). DSO (365 * ")


def test_a_definition_naming_a_line_the_filing_lacks_is_refused(engine: Engine) -> None:
    status, text, number, _, _ = _ask(
        engine,
        "Define inventory turnover as cost of revenues divided by average inventories between "
        "FY2006 and FY2007. What was Juniper's inventory turnover in fiscal 2007?",
    )
    assert (status, number) == ("not_found", None)
    assert text == "The balance sheet prints no figure matching “inventories”."
