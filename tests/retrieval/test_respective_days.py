"""Two days of one year asked "respectively" (a TAT-QA dev context copied unchanged into
``tests/data``): "at June 30 and December 31, 2019" is a balance on each day, both of 2019."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from evals import tatqa
from retrieval.answer import Filters

DATA = Path(__file__).resolve().parents[1] / "data" / "tatqa" / "tatqa_dev_respective_days.json"


def _engine():  # type: ignore[no-untyped-def]
    context = json.loads(DATA.read_text(encoding="utf-8"))[0]
    return tatqa.engine_for("days", tatqa.markdown(context))


def test_the_respective_figures_at_two_days_of_one_year_are_listed() -> None:
    answer = _engine().answer(
        "What are the respective cash amount at June 30 and December 31, 2019?",
        Filters(doc="days.md"),
    )
    assert answer.status == "answered"
    assert answer.answer == (
        "Cash was $3.8 million as of June 30, 2019 and $3.8 million as of December 31, 2019."
    )
    assert [(c.column, c.as_printed) for c in answer.citations] == [
        ("Estimated at June 30, 2019", "$3,795"),
        ("Final as of December 31, 2019", "$3,795"),
    ]


def test_a_change_between_a_day_without_its_year_and_a_dated_day() -> None:
    answer = _engine().answer(
        "What is the percentage change in the working capital adjustment at June 30 and "
        "December 31, 2019?",
        Filters(doc="days.md"),
    )
    assert answer.status == "answered" and answer.value is not None
    assert round(answer.value.number, 2) == Decimal("-52.63")
    assert [c.as_printed for c in answer.citations] == ["(18)", "(38)"]
