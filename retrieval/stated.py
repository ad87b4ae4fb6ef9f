"""The figure the filing states for a computed answer.

A change or a rate of change computed from a table is often also printed, rounded: in the
text ("interest income increased $16.9 million", "an increase of 36 percent") or in the
line's own "% change" column ("Underlying EBITDA | 85,123 | 62,575 | 36%"). When a sentence of
the same filing names the measure the table's line names, or the line itself, prints a figure
that is the computed one at its printed precision, the answer says so and cites it beside the
cells: the reader sees the filing's own words. The value stays the computed one
(``Answer.stated`` keeps the printed figure).

A table that prints no scale ("16,901") agrees with a sentence that states the same change in
millions ("$16.9 million") when the cells are read as thousands; the answer says so.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ingest.models import Fact

from .compose import cite
from .models import Answer
from .search import GENERIC, tokens

# the computed answers a sentence may state (a lookup cites its cell as printed already)
KINDS = frozenset({"growth", "change", "decline", "difference"})
# a printed figure that rounds the computed one by more than this share of it is too coarse
# to stand for it ("4%" for 4.14%): TAT-QA dev's gold takes the computed figure then
CLOSE = Decimal("0.01")
_NUMBER = re.compile(r"\d[\d,]*(?:\.(\d+))?")
# an unscaled table against a sentence in thousands or millions
_UNSTATED = (Decimal(1), Decimal(1000), Decimal(1000000))


def _printed(fact: Fact) -> tuple[Decimal, int] | None:
    """(the figure as the sentence prints it, its decimals): "$16.9 million" -> (16.9, 1)."""
    match = _NUMBER.search(fact.as_printed)
    if match is None:
        return None
    try:
        number = Decimal(match.group().replace(",", ""))
    except InvalidOperation:
        return None
    return (number, len(match.group(1) or "")) if number else None


def _agrees(computed: Decimal, fact: Fact, factors: tuple[Decimal, ...]) -> Decimal | None:
    """The factor by which ``computed`` is ``fact``'s figure at its printed precision, within
    :data:`CLOSE` of it, or None. Only a figure that loses precision in print counts (the
    same figure exactly is no news)."""
    printed = _printed(fact)
    if printed is None:
        return None
    number, decimals = printed
    scale = abs(fact.value) / number  # "$16.9 million": 1000000
    quantum = Decimal(1).scaleb(-decimals)
    for factor in factors:
        exact = abs(computed) * factor / scale
        if exact == number:
            return None
        close = abs(exact - number) <= number * CLOSE
        if exact.quantize(quantum, rounding=ROUND_HALF_UP) == number and close:
            return factor
    return None


def _names(fact: Fact, sentence: str) -> bool:
    """The sentence names every word of the line's name (less words like "total")."""
    wanted = set(tokens(fact.row)) - GENERIC - {"total"}
    return bool(wanted) and wanted <= set(tokens(sentence))


def _says(fact: Fact) -> str:
    """Where and how the filing prints the figure: "The filing states it as $16.9 million.",
    "The table prints it as (9)% under “Reported ∆%”." (a "% change" cell's percent sign, which
    the column's heading carries, is printed with it)."""
    printed = fact.as_printed.strip()
    if fact.kind == "sentence":
        return f"The filing states it as {printed}."
    if fact.unit == "percent" and not printed.endswith("%"):
        printed += "%"
    under = f" under “{fact.column}”" if fact.column else ""
    return f"The table prints it as {printed}{under}."


def stated(
    answer: Answer, sentences: list[tuple[Fact, str]], line: tuple[Fact, ...] = ()
) -> Answer:
    """``answer`` with the figure that states it: a sentence's of ``sentences`` (each figure
    read from prose with the text of its sentence) or a cell of the operands' ``line`` (a
    printed "% change" column), when exactly one figure of them does; else unchanged."""
    value, operands = answer.value, answer.operands
    if (
        answer.status != "answered"
        or answer.kind not in KINDS
        or value is None
        or not operands
        or any(f.kind != "table_cell" for f in operands)
    ):
        return answer
    unscaled = all(f.scale is None for f in operands)
    factors = _UNSTATED if unscaled and value.unit != "percent" else (Decimal(1),)
    found: dict[Decimal, tuple[Fact, Decimal]] = {}
    ids = {f.fact_id for f in operands}
    for fact, text in [*sentences, *((f, "") for f in line if f.fact_id not in ids)]:
        if fact.unit != value.unit or fact.doc_id != operands[0].doc_id:
            continue
        factor = _agrees(value.number, fact, factors if text else (Decimal(1),))
        named = not text or all(_names(f, text) for f in operands)
        if factor is not None and named:
            found.setdefault(abs(fact.value), (fact, factor))  # the first place that states it
    if len(found) != 1:
        return answer
    fact, factor = next(iter(found.values()))
    scaled = (
        ""
        if factor == 1
        else f" The table prints no scale: its figures agree with the text read as "
        f"{'thousands' if factor == 1000 else 'millions'}."
    )
    return replace(
        answer,
        answer=f"{answer.answer} {_says(fact)}{scaled}",
        citations=(*answer.citations, cite(fact)),
        stated=fact,
    )
