"""A cost the table prints in parentheses is an amount, not a negative figure; a line of a
net section keeps its sign. Real TAT-QA contexts (annual-report notes), answered end to end."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from evals.tatqa import engine_for, markdown
from retrieval.engine import Engine

CASES = Path(__file__).parents[1] / "data" / "tatqa"


def _engine(table_uid: str, slice_: str = "tatqa_dev_cases.json") -> Engine:
    contexts = json.loads((CASES / slice_).read_text())
    context = next(c for c in contexts if c["table"]["uid"] == table_uid)
    return engine_for(table_uid, markdown(context))


@pytest.mark.parametrize(
    ("table_uid", "question", "value", "text"),
    [
        (
            "a86d227e-37d3-446b-8d4a-793aff901edc",  # Teekay: "Voyage expenses (21,387) (28,237)"
            "What is the increase/ (decrease) in Voyage expenses from, 2019 to 2018?",
            Decimal("-6850000"),
            "Voyage expenses fell $6.9 million, from -$28.2 million in FY2018 to -$21.4 million "
            "in FY2019.",
        ),
        (
            "4c5c8cde-039b-4945-949f-13348549a4e5",  # "Cost of sales $(5,860) $(5,803) $(5,075)"
            "What is the average Cost of sales?",
            Decimal("5579333333.333333333333333333333333"),
            "The average is $5.58 billion",
        ),
        (
            # "Other income (expense): ... Interest expense (598) (268)": a line of a net
            # section keeps the sign the section gives it
            "cac80246-6de4-4c07-a884-ab40ec4cbb72",
            "What is the average Interest expense for 2017 and 2018?",
            Decimal("-433000"),
            "The average is -$433,000",
        ),
    ],
)
def test_costs_in_parentheses(table_uid: str, question: str, value: Decimal, text: str) -> None:
    answer = _engine(table_uid).answer(question)
    assert answer.status == "answered"
    assert answer.value is not None and answer.value.number == value
    assert answer.answer.startswith(text)


def test_a_year_asks_for_the_balance_at_that_fiscal_year_end() -> None:
    """Every balance of the note is at September 30: "2019" is September 30, 2019."""
    engine = _engine("52164b70-6973-4844-af6a-76e8f1298d64", "tatqa_dev_first100.json")
    answer = engine.answer(
        "What is the year on year percentage change in domestic discount rate between 2018 and "
        "2019?"
    )
    assert answer.value is not None
    assert answer.value.number == Decimal("6.666666666666666666666666667")
    assert answer.answer == (
        "Discount rate grew 6.7%, from 3.8% as of September 30, 2018 to 4.0% as of "
        "September 30, 2019."
    )
