"""The calculator: FinQA's operations over exact ``Decimal`` quantities with units.

Pure: no I/O, no model, no floats.  A program is a tree of :class:`Step` nodes whose leaves
are :class:`Quantity` operands (a cited figure or a constant); :func:`run` evaluates it and
:func:`render` writes it the FinQA way, operands in base units::

    >>> rev07 = Quantity(Decimal("809182000"), "USD", ("f1",))
    >>> rev06 = Quantity(Decimal("595830000"), "USD", ("f2",))
    >>> growth = Step("divide", (Step("subtract", (rev07, rev06)), rev06))
    >>> render(growth)
    'divide(subtract(809182000, 595830000), 595830000)'
    >>> run(growth).unit
    'ratio'

Units combine the way an analyst expects: USD ± USD is USD, USD ÷ USD is a ratio, USD ÷ shares
is USD/share, USD/share × shares is USD, anything × or ÷ a ratio keeps its unit, a percent
multiplies as its hundredth.  Everything else (USD + shares, EUR − USD, dividing by zero, a
negative base under a fractional power) raises :class:`CalculationError` with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from .errors import CalculationError

RATIO = "ratio"
PERCENT = "percent"
BOOLEAN = "boolean"
_PRECISION = 34


@dataclass(frozen=True)
class Quantity:
    """A figure with its unit and the facts it comes from (no citations: a constant)."""

    value: Decimal
    unit: str
    citations: tuple[str, ...] = ()

    @classmethod
    def constant(cls, value: int | str | Decimal) -> Quantity:
        return cls(Decimal(value), RATIO)


@dataclass(frozen=True)
class Step:
    """One operation over operands or other steps."""

    op: str
    args: tuple[Node, ...]


Node = Quantity | Step

BINARY = ("add", "subtract", "multiply", "divide", "exp", "greater")
TABLE = ("table_sum", "table_average", "table_max", "table_min")
OPERATIONS = BINARY + TABLE


def run(node: Node) -> Quantity:
    """Evaluate a program; the result cites every operand it used, in order."""
    if isinstance(node, Quantity):
        return node
    if node.op not in OPERATIONS:
        raise CalculationError(
            f"unknown operation '{node.op}'; the calculator knows {', '.join(OPERATIONS)}"
        )
    values = [run(arg) for arg in node.args]
    if node.op in BINARY:
        if len(values) != 2:
            raise CalculationError(f"{node.op} takes two operands, got {len(values)}")
        with localcontext() as ctx:
            ctx.prec = _PRECISION
            return _BINARY[node.op](values[0], values[1])
    if not values:
        raise CalculationError(f"{node.op} needs at least one figure")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return _table(node.op, values)


def render(node: Node) -> str:
    """The program in FinQA style, operands as plain decimals in base units."""
    if isinstance(node, Quantity):
        return plain(node.value)
    return f"{node.op}({', '.join(render(arg) for arg in node.args)})"


def operands(node: Node) -> list[Quantity]:
    """The leaves of a program, left to right."""
    if isinstance(node, Quantity):
        return [node]
    return [leaf for arg in node.args for leaf in operands(arg)]


def plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``809182000``, ``0.22``, ``-1.5``."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def to_percent(quantity: Quantity) -> Quantity:
    """A ratio as percent points (0.3581 → 35.81)."""
    if quantity.unit == PERCENT:
        return quantity
    if quantity.unit != RATIO:
        raise CalculationError(f"only a ratio can be shown as a percentage, not {quantity.unit}")
    return Quantity(quantity.value * 100, PERCENT, quantity.citations)


# ------------------------------------------------------------------------------ operations
def _cites(*quantities: Quantity) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for q in quantities for c in q.citations))


def _as_ratio(quantity: Quantity) -> Decimal | None:
    """The value as a plain multiplier, when the quantity has no dimension."""
    if quantity.unit == RATIO:
        return quantity.value
    if quantity.unit == PERCENT:
        return quantity.value / 100
    return None


def _same_unit(op: str, a: Quantity, b: Quantity) -> None:
    if a.unit != b.unit:
        raise CalculationError(
            f"cannot {op} {a.unit} and {b.unit}: the figures are in different units"
        )


def _add(a: Quantity, b: Quantity) -> Quantity:
    _same_unit("add", a, b)
    return Quantity(a.value + b.value, a.unit, _cites(a, b))


def _subtract(a: Quantity, b: Quantity) -> Quantity:
    _same_unit("subtract", a, b)
    return Quantity(a.value - b.value, a.unit, _cites(a, b))


def _multiply(a: Quantity, b: Quantity) -> Quantity:
    ra, rb = _as_ratio(a), _as_ratio(b)
    cites = _cites(a, b)
    if ra is not None and rb is not None:
        return Quantity(ra * rb, RATIO, cites)
    if rb is not None:
        return Quantity(a.value * rb, a.unit, cites)
    if ra is not None:
        return Quantity(ra * b.value, b.unit, cites)
    units = {a.unit, b.unit}
    for unit in units:
        if unit.endswith("/share") and units == {unit, "shares"}:
            return Quantity(a.value * b.value, unit.removesuffix("/share"), cites)
    raise CalculationError(f"cannot multiply {a.unit} by {b.unit}")


def _divide(a: Quantity, b: Quantity) -> Quantity:
    if b.value == 0:
        raise CalculationError("cannot divide by zero: the divisor figure is 0")
    cites = _cites(a, b)
    if a.unit == b.unit:
        return Quantity(a.value / b.value, RATIO, cites)
    rb = _as_ratio(b)
    if rb is not None:
        return Quantity(a.value / rb, a.unit, cites)
    if b.unit == "shares" and a.unit not in ("shares", "count", BOOLEAN):
        return Quantity(a.value / b.value, f"{a.unit}/share", cites)
    raise CalculationError(f"cannot divide {a.unit} by {b.unit}")


def _exp(a: Quantity, b: Quantity) -> Quantity:
    base, power = _as_ratio(a), _as_ratio(b)
    if base is None or power is None:
        raise CalculationError(f"exp takes plain numbers, not {a.unit} and {b.unit}")
    if base < 0 and power != power.to_integral_value():
        raise CalculationError("cannot raise a negative number to a fractional power")
    if base == 0 and power < 0:
        raise CalculationError("cannot divide by zero: zero raised to a negative power")
    try:
        return Quantity(base**power, RATIO, _cites(a, b))
    except InvalidOperation as error:
        raise CalculationError(f"exp({plain(base)}, {plain(power)}) is undefined") from error


def _greater(a: Quantity, b: Quantity) -> Quantity:
    _same_unit("compare", a, b)
    return Quantity(Decimal(1 if a.value > b.value else 0), BOOLEAN, _cites(a, b))


_BINARY: dict[str, Callable[[Quantity, Quantity], Quantity]] = {
    "add": _add,
    "subtract": _subtract,
    "multiply": _multiply,
    "divide": _divide,
    "exp": _exp,
    "greater": _greater,
}


def _table(op: str, values: Sequence[Quantity]) -> Quantity:
    units = {q.unit for q in values}
    if len(units) > 1:
        raise CalculationError(f"{op} over figures in different units ({', '.join(sorted(units))})")
    unit = values[0].unit
    numbers = [q.value for q in values]
    cites = _cites(*values)
    if op == "table_sum":
        return Quantity(sum(numbers, Decimal(0)), unit, cites)
    if op == "table_average":
        return Quantity(sum(numbers, Decimal(0)) / len(numbers), unit, cites)
    if op == "table_max":
        best = max(values, key=lambda q: q.value)
    else:
        best = min(values, key=lambda q: q.value)
    return Quantity(best.value, unit, best.citations)
