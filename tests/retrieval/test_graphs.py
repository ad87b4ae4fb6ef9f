"""Performance graphs (every line starts at 100 at the first date): their values are a
stock's "price", "value" or "performance" whatever the title says, and their columns are the
days the lines are measured on, so "in 2004" is the column dated in 2004."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from evals import convfinqa, finqa
from retrieval.answer import Filters

DATA = Path(__file__).resolve().parents[1] / "data" / "convfinqa" / "convfinqa_dev_graphs.json"
RECORDS = {r["id"]: r for r in json.loads(DATA.read_text(encoding="utf-8"))["dev"]}


def _ask(record_id: str, question: str) -> tuple[str, str, Decimal | None]:
    engine = finqa.engine_for("graph.md", convfinqa.markdown(RECORDS[record_id]))
    answer = engine.answer(question, Filters(doc="graph.md"))
    return answer.status, answer.answer, answer.value.number if answer.value else None


def test_the_value_in_a_year_is_the_column_dated_in_that_year() -> None:
    # "january 3 2004" ends fiscal 2003 by a 52-week calendar, but a graph's column is a day
    got = _ask(
        "Single_CDNS/2006/page_30.pdf-3",
        "what was the performance value of the cadence design systems inc in 2004?",
    )
    assert got == (
        "answered",
        "cadence design systems inc. was 81.52 as of January 3, 2004.",
        Decimal("81.52"),
    )


def test_of_two_columns_dated_in_a_year_the_one_ending_it_is_the_years() -> None:
    # "1/2/2016" and "12/31/2016" are both dated 2016: the one that ends 2016 answers
    got = _ask(
        "Single_CDNS/2018/page_31.pdf-1",
        "what is the change in price of the s&p 500 from 2015 to 2016?",
    )
    assert got == (
        "answered",
        "s&p 500 grew 18.77, from 110.28 as of January 3, 2015 to 129.05 as of December 31, 2016.",
        Decimal("18.77"),
    )
