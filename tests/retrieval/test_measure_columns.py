"""A table whose columns name the measures and whose sections date the rows: "December 31,
2019" over "Transaction related | Servicing related | Total", columns "Accounts Receivable,
Gross | Allowance for Losses | Accounts Receivable, Net" (a TAT-QA dev context copied unchanged
into ``tests/data``). The measure a question names is a column; its "Total" rows, one per
section, hold its periods."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from evals import tatqa
from retrieval.answer import Answer, Filters

DATA = Path(__file__).resolve().parents[1] / "data" / "tatqa" / "tatqa_dev_measure_columns.json"


def _ask(question: str) -> Answer:
    context = json.loads(DATA.read_text(encoding="utf-8"))[0]
    engine = tatqa.engine_for("receivables", tatqa.markdown(context), search=False)
    return engine.answer(question, Filters(doc="receivables.md"))


def test_the_change_in_a_columns_total_between_two_sections() -> None:
    answer = _ask(
        "What was the change in the total gross accounts receivable between 2018 and 2019?"
    )
    assert answer.value is not None and answer.value.number == Decimal("4163")
    assert answer.program == "subtract(19731, 15568)"
    assert [(c.row, c.column) for c in answer.citations] == [
        ("Total", "Accounts Receivable, Gross"),
        ("Total", "Accounts Receivable, Gross"),
    ]


def test_net_is_the_net_column_not_the_gross_one() -> None:
    """ "net" is a word search does not weigh; the column that says "Gross" is not the
    net figure."""
    answer = _ask("What was the total net accounts receivable in 2019?")
    assert answer.value is not None and answer.value.number == Decimal("19493")
    assert [(c.column, c.as_printed) for c in answer.citations] == [
        ("Accounts Receivable, Net", "$19,493")
    ]


def test_a_count_of_years_reads_one_columns_periods() -> None:
    answer = _ask("How many years did the total net Accounts Receivable exceed $15,000 thousand?")
    assert answer.value is not None and answer.value.number == Decimal("2")
    assert [c.as_printed for c in answer.citations] == ["$19,493", "$15,400"]


def test_a_negative_allowance_grows_by_its_size() -> None:
    answer = _ask(
        "What was the percentage change in the total allowance for losses between 2018 and 2019?"
    )
    assert answer.program == "divide(subtract(-238, -168), -168)"
    assert [c.as_printed for c in answer.citations] == ["$(238)", "$(168)"]
