"""The calculator: every operation with exact values, units, citations and its refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from retrieval.calculator import (
    Quantity,
    Step,
    operands,
    plain,
    render,
    run,
    to_percent,
)
from retrieval.errors import CalculationError

REV07 = Quantity(Decimal("809182000"), "USD", ("rev07",))
REV06 = Quantity(Decimal("595830000"), "USD", ("rev06",))
GM07 = Quantity(Decimal("546713000"), "USD", ("gm07",))
EPS = Quantity(Decimal("0.22"), "USD/share", ("eps",))
SHARES = Quantity(Decimal("571347000"), "shares", ("shares",))
PCT = Quantity(Decimal("67.6"), "percent", ("pct",))


def q(value: str, unit: str = "USD", cite: str = "x") -> Quantity:
    return Quantity(Decimal(value), unit, (cite,))


def test_growth_is_a_ratio_citing_both_operands_once() -> None:
    program = Step("divide", (Step("subtract", (REV07, REV06)), REV06))
    result = run(program)
    assert result.unit == "ratio"
    assert result.value.quantize(Decimal("0.000001")) == Decimal("0.358075")
    assert result.citations == ("rev07", "rev06")
    assert render(program) == "divide(subtract(809182000, 595830000), 595830000)"
    assert operands(program) == [REV07, REV06, REV06]
    assert to_percent(result).unit == "percent"
    assert to_percent(result).value.quantize(Decimal("0.01")) == Decimal("35.81")


@pytest.mark.parametrize(
    ("op", "a", "b", "value", "unit"),
    [
        ("add", REV07, REV06, "1405012000", "USD"),
        ("subtract", REV06, REV07, "-213352000", "USD"),
        ("divide", GM07, REV07, "0.6756366", "ratio"),
        ("multiply", EPS, SHARES, "125696340", "USD"),
        ("multiply", SHARES, EPS, "125696340", "USD"),
        ("multiply", REV07, Quantity.constant("0.5"), "404591000", "USD"),
        ("multiply", PCT, REV07, "547007032", "USD"),
        ("divide", REV07, SHARES, "1.416271", "USD/share"),
        ("divide", REV07, Quantity.constant(2), "404591000", "USD"),
        ("divide", PCT, PCT, "1", "ratio"),
        ("exp", Quantity.constant("1.21"), Quantity.constant("0.5"), "1.1", "ratio"),
        ("exp", Quantity.constant(-2), Quantity.constant(3), "-8", "ratio"),
        ("greater", REV07, REV06, "1", "boolean"),
        ("greater", REV06, REV07, "0", "boolean"),
        ("add", PCT, PCT, "135.2", "percent"),
    ],
)
def test_binary_operations(op: str, a: Quantity, b: Quantity, value: str, unit: str) -> None:
    result = run(Step(op, (a, b)))
    places = Decimal(value).as_tuple().exponent
    assert result.unit == unit
    assert result.value.quantize(Decimal(1).scaleb(places)) == Decimal(value)


def test_table_operations_over_one_row() -> None:
    row = [q("100", cite="a"), q("250", cite="b"), q("-50", cite="c")]
    assert run(Step("table_sum", tuple(row))) == Quantity(Decimal("300"), "USD", ("a", "b", "c"))
    assert run(Step("table_average", tuple(row))).value == Decimal("100")
    assert run(Step("table_max", tuple(row))) == Quantity(Decimal("250"), "USD", ("b",))
    assert run(Step("table_min", tuple(row))) == Quantity(Decimal("-50"), "USD", ("c",))


def test_cagr_program() -> None:
    start, end = q("100", cite="s"), q("121", cite="e")
    years = Quantity.constant(2)
    cagr = Step(
        "subtract",
        (
            Step(
                "exp", (Step("divide", (end, start)), Step("divide", (Quantity.constant(1), years)))
            ),
            Quantity.constant(1),
        ),
    )
    assert run(cagr).value == Decimal("0.1")
    assert render(cagr) == "subtract(exp(divide(121, 100), divide(1, 2)), 1)"


@pytest.mark.parametrize(
    ("program", "message"),
    [
        (Step("add", (REV07, SHARES)), "cannot add USD and shares"),
        (Step("subtract", (q("1", "EUR"), REV07)), "cannot subtract EUR and USD"),
        (Step("divide", (REV07, q("0"))), "cannot divide by zero"),
        (Step("divide", (REV07, Quantity.constant(0))), "cannot divide by zero"),
        (Step("multiply", (REV07, REV06)), "cannot multiply USD by USD"),
        (Step("divide", (SHARES, REV07)), "cannot divide shares by USD"),
        (Step("exp", (Quantity.constant(-8), Quantity.constant("0.5"))), "negative number"),
        (Step("exp", (Quantity.constant(0), Quantity.constant(-1))), "divide by zero"),
        (Step("exp", (REV07, Quantity.constant(2))), "exp takes plain numbers"),
        (Step("greater", (REV07, EPS)), "cannot compare USD and USD/share"),
        (Step("table_sum", (REV07, SHARES)), r"different units \(USD, shares\)"),
        (Step("table_max", ()), "needs at least one figure"),
        (Step("add", (REV07,)), "add takes two operands, got 1"),
        (Step("modulo", (REV07, REV06)), "unknown operation 'modulo'"),
    ],
)
def test_refusals_say_why(program: Step, message: str) -> None:
    with pytest.raises(CalculationError, match=message):
        run(program)


def test_to_percent_refuses_dollars() -> None:
    with pytest.raises(CalculationError, match="only a ratio"):
        to_percent(REV07)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("809182000", "809182000"),
        ("8.09182E+8", "809182000"),
        ("0.2200", "0.22"),
        ("0", "0"),
        ("-1.50", "-1.5"),
        ("0E-7", "0"),
    ],
)
def test_plain(value: str, text: str) -> None:
    assert plain(Decimal(value)) == text
