"""A computed change the filing also prints, rounded, is said with the filing's words
(retrieval.stated); "the difference in X between 2018 and 2019" of two amounts is the gap's
size (retrieval.operations._gap). TAT-QA dev contexts in tests/data/tatqa/tatqa_dev_stated.json,
FinQA dev-706 and two ConvFinQA dev conversations."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from evals import tatqa
from ingest.models import Fact
from retrieval.answer import Answer
from retrieval.stated import _agrees

from .test_carried_measures import _finqa
from .test_followup import _conversation
from .test_quarter_rows import tatqa_answer

STATED = Path(__file__).resolve().parents[1] / "data" / "tatqa" / "tatqa_dev_stated.json"


def _tatqa(start: str) -> Answer:
    """The answer to the one question of the file that starts so."""
    contexts = json.loads(STATED.read_text(encoding="utf-8"))
    asked = [q["question"] for c in contexts for q in c["questions"]]
    (question,) = [q for q in asked if q.startswith(start)]
    return tatqa_answer(STATED, question)


def test_a_rate_the_line_prints_in_its_change_column_is_stated() -> None:
    answer = _tatqa("What was the percentage change in underlying EBITDA")
    assert answer.program == "divide(subtract(85123000, 62575000), 62575000)"
    # the value stays the computed one; the answer says what the filing prints
    assert answer.value is not None and answer.value.display == "36.0%"
    assert answer.answer.endswith("The table prints it as 36% under “Change %”.")
    assert answer.stated is not None and answer.stated.as_printed == "36%"
    assert [(c.row, c.column, c.as_printed) for c in answer.citations][2] == (
        "Underlying EBITDA",
        "Change %",
        "36%",
    )
    # TAT-QA's gold copies the printed "36%"
    assert tatqa.prediction(answer) == ("36", "percent")


def test_a_change_a_sentence_states_in_millions() -> None:
    answer = _tatqa("What was the increase in interest income in 2019")
    assert answer.program == "subtract(30182000, 13281000)"
    assert answer.value is not None and answer.value.number == Decimal("16901000")
    assert answer.answer.endswith("The filing states it as $16.9 million.")
    assert answer.citations[-1].kind == "sentence"
    assert answer.citations[-1].as_printed == "$16.9 million"
    assert tatqa.prediction(answer) == ("16.9", "million")


def test_a_rounding_too_coarse_for_the_figure_is_not_its_statement() -> None:
    """Net sales grew 4.14%; "4%" (3.4% off) does not stand for it."""
    answer = _tatqa("What is the net percentage difference in net sales")
    assert answer.program == "divide(subtract(3063117000, 2941324000), 2941324000)"
    assert answer.stated is None
    assert tatqa.prediction(answer) == ("4.140754299764323821517112702", "percent")


def _mention(printed: str, value: str) -> Fact:
    answer = _tatqa("What was the increase in interest income in 2019")
    assert answer.stated is not None
    return replace(answer.stated, as_printed=printed, value=Decimal(value))


def test_what_agrees_with_a_printed_figure() -> None:
    million = _mention("$16.9 million", "16900000")
    assert _agrees(Decimal("16901000"), million, (Decimal(1),)) == Decimal(1)
    assert _agrees(Decimal("16949999"), million, (Decimal(1),)) == Decimal(1)
    assert _agrees(Decimal("16950000"), million, (Decimal(1),)) is None  # rounds to 17.0
    assert _agrees(Decimal("16900000"), million, (Decimal(1),)) is None  # the same: no news
    # an unscaled table's 16,901 is 16.9 million read as thousands
    unscaled = (Decimal(1), Decimal(1000), Decimal(1000000))
    assert _agrees(Decimal("16901"), million, unscaled) == Decimal(1000)
    # "$9.6 million" for a computed fall of 9,577,144: the size agrees
    assert _agrees(Decimal("-9577144"), _mention("$9.6 million", "9600000"), (Decimal(1),)) == 1


def test_the_difference_between_two_years_is_the_gap() -> None:
    answer = _tatqa("What is the difference in net deferred tax assets between 2018 and 2019")
    assert answer.program == "subtract(4317000, 3851000)"
    assert answer.value is not None and answer.value.number == Decimal("466000")
    assert answer.answer.startswith("Net deferred tax assets fell $466,000, from $4.3 million")
    answers, _ = _conversation("Single_ETR/2017/page_26.pdf-1")
    # "what was the difference in net revenue between 2015 and 2016?" (ConvFinQA's gold: 124)
    assert answers[0].program == "subtract(1666000000, 1542000000)"


def test_a_difference_of_negative_figures_or_a_change_keeps_its_sign() -> None:
    outflow = _tatqa("What is the difference between the net cash used for financing")
    assert outflow.program == "subtract(-42056000000, -9982000000)"
    assert outflow.value is not None and outflow.value.number == Decimal("-32074000000")
    # "differences" in the line's own name ask nothing
    change = _tatqa("How much is the change between 2018 and 2019 currency translation")
    assert change.program == "subtract(1740, 4946)"


def test_a_difference_of_rates_or_of_years_named_later_first_keeps_its_sign() -> None:
    margins = _finqa("dev-706")
    assert margins.program == "subtract(15.1, 15.7)"
    answers, _ = _conversation("Single_UNP/2015/page_24.pdf-3")
    # "what was the difference in free cash flow between 2015 and 2014"
    assert answers[0].program == "subtract(524, 1504)"
