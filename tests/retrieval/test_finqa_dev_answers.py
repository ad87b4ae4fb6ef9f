"""Answers on FinQA dev records copied unchanged into ``tests/data`` (issue 15): performance
graphs with dates as rows, and a breakdown's "other" line that is not its total."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from evals.finqa import engine_for, markdown
from ingest.pipeline import prepare

CASES = Path(__file__).parents[1] / "data" / "finqa" / "finqa_dev_cases.json"


def _record(record_id: str) -> dict[str, object]:
    return next(r for r in json.loads(CASES.read_text()) if r["id"] == record_id)


def _ask(record_id: str, question: str) -> tuple[str, str, Decimal | None]:
    answer = engine_for(f"{record_id}.md", markdown(_record(record_id))).answer(question)
    return answer.status, answer.answer, answer.value.number if answer.value else None


def test_a_date_alone_in_the_label_column_dates_its_row() -> None:
    """ "31-dec-2012" (day, month, year with dashes) and "december 31 2013" are instants."""
    facts = prepare(Path("c.md"), markdown(_record("C/2017/page_328.pdf-1")).encode()).facts
    citi = sorted(
        (f.period.end.isoformat(), f.value) for f in facts if f.column == "citi" and f.period
    )
    assert citi[0] == ("2012-12-31", Decimal("100.0"))
    assert citi[-1] == ("2017-12-31", Decimal("193.5"))


def test_a_return_read_down_a_column_of_a_graph_turned_on_its_side() -> None:
    status, answer, value = _ask(
        "PM/2018/page_24.pdf-3",
        "what was the percentage return for pmi common stock for the five years ended 2018?",
    )
    assert (status, value) == ("answered", Decimal("-3.5000"))
    assert answer == (
        "pmi fell 3.5%, from $100 as of December 31, 2013 to $96.5 as of December 31, 2018."
    )


def test_the_other_line_is_not_the_total_it_is_part_of() -> None:
    status, answer, value = _ask(
        "dev-802", "what was royalty income as a percentage of total other income in 2009?"
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "The question divides by “total other income”, but the figure found is the line "
        "“other”, one part of the breakdown, not its total."
    )
