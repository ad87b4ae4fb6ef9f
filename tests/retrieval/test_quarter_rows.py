"""Stock price tables by quarter: rows "first | second | third | fourth | year" under columns
"2016 high | 2016 low | 2016 dividend | 2016 high | 2016 low | dividend" (HWM's, in ConvFinQA
dev; the second group is another year the extraction lost), and TAT-QA's "2019:" and "2018:"
blocks of quarters under "High | Low". Each row is a quarter of its column's year; the column
the question names ("high") is the measure."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from evals import tatqa
from evals.finqa import engine_for
from ingest.periods import Period
from retrieval.answer import Answer, Conversation, Filters
from retrieval.compose import display_name
from retrieval.periods import find_periods
from retrieval.scope import dated_quarters

from .test_followup import RECORDS, _conversation

QUARTERS = Path(__file__).resolve().parents[1] / "data" / "tatqa" / "tatqa_dev_quarters.json"


def _facts_of(record_id: str) -> dict[tuple[str, str], tuple[Period | None, Decimal]]:
    from evals import convfinqa

    engine = engine_for("page.md", convfinqa.markdown(RECORDS[record_id]), search=False)
    return {
        (f.row, f.column or ""): (f.period, f.value)
        for row in engine.picker.corpus.rows
        for f in row.facts
        if f.kind != "sentence"
    }


def test_quarter_rows_are_quarters_of_their_columns_year() -> None:
    facts = _facts_of("Single_HWM/2016/page_40.pdf-2")
    period, value = facts[("second", "2016 high (1)")]
    assert value == Decimal("34.5")
    assert period == Period("duration", date(2016, 6, 30), date(2016, 4, 1), "Q2 2016")
    year, total = facts[("year", "2016 high (1)")]
    assert total == Decimal("34.5")
    assert year is not None and year.label == "FY2016"
    # the repeated "2016 high" is another year's, which the header no longer says
    assert facts[("second", "2016 high (2)")] == (None, Decimal("42.87"))
    assert facts[("second", "dividend")] == (None, Decimal("0.09"))


def test_quarters_under_columns_of_years_stay_parts_of_the_year() -> None:
    """APD 2019: "2019 | 2018" over "first quarter ... total": the share of the first quarter
    in 2019's total dividend."""
    facts = _facts_of("Single_APD/2019/page_31.pdf-2")
    period, value = facts[("first quarter", "2019")]
    assert value == Decimal("1.1")
    assert period is not None and period.label == "FY2019"
    answers, _ = _conversation("Single_APD/2019/page_31.pdf-2")
    assert answers[0].program == "divide(1.1, 4.58)"


def test_the_high_price_of_a_quarter_and_a_quarter_named_without_its_year() -> None:
    answers, _ = _conversation("Single_HWM/2016/page_40.pdf-2")
    second, first, ratio, less = answers
    assert second.value is not None and second.value.number == Decimal("34.5")
    assert second.answer == "high (second) was 34.5 in Q2 2016."
    assert [(c.row, c.column) for c in second.citations] == [("second", "2016 high (1)")]
    # "what was the high price in the first quarter?": of 2016, the year just asked about
    assert first.value is not None and first.value.number == Decimal("30.66")
    assert [(c.row, c.column) for c in first.citations] == [("first", "2016 high (1)")]
    assert ratio.program == "divide(34.5, 30.66)"
    assert less.program == "subtract(divide(34.5, 30.66), 1)"


def test_a_bare_quarter_takes_the_conversations_year() -> None:
    conversation = Conversation()
    assert dated_quarters("what was the high price in the first quarter?", conversation) == (
        "what was the high price in the first quarter?"
    )
    conversation.periods = tuple(find_periods("the second quarter of 2016"))
    assert dated_quarters("what was the high price in the first quarter?", conversation) == (
        "what was the high price in the first quarter of 2016?"
    )
    # a question that dates itself keeps its own dates
    assert dated_quarters("the first quarter of 2015 revenue?", conversation) == (
        "the first quarter of 2015 revenue?"
    )


def test_a_quarter_row_is_named_by_its_columns_measure() -> None:
    answers, _ = _conversation("Single_HWM/2016/page_40.pdf-2")
    assert display_name(answers[0].operands[0]) == "high (second)"


def tatqa_answer(contexts: Path, question: str) -> Answer:
    """The answer to a TAT-QA question, over the one context of a file of them that asks it."""
    for context in json.loads(contexts.read_text(encoding="utf-8")):
        if any(q["question"] == question for q in context["questions"]):
            engine = tatqa.engine_for(
                context["table"]["uid"], tatqa.markdown(context), search=False
            )
            return engine.answer(question, Filters(doc=f"{context['table']['uid']}.md"))
    raise AssertionError(question)


def _tatqa(question: str) -> Answer:
    return tatqa_answer(QUARTERS, question)


def test_high_less_low_in_a_quarter_of_a_years_block() -> None:
    answer = _tatqa(
        "What is the difference in the high and low prices of the common stock in the fourth "
        "quarter of 2019?"
    )
    assert answer.program == "subtract(11.44, 9.47)"
    assert answer.value is not None and answer.value.number == Decimal("1.97")
    assert [(c.row, c.column) for c in answer.citations] == [
        ("2019 > Fourth Quarter", "High"),
        ("2019 > Fourth Quarter", "Low"),
    ]


def test_several_figures_asked_respectively_are_not_answered_by_one() -> None:
    answer = _tatqa(
        "What is the high and low sale prices of the common stock in the fourth quarter of 2019 "
        "respectively?"
    )
    assert answer.status == "not_found"
    assert answer.answer.startswith(
        "The question asks for several figures (“respectively”); crossfoot found one, "
        "“2019 > Fourth Quarter”."
    )


def test_a_quarter_row_is_no_answer_to_words_its_columns_share() -> None:
    """ "the symbol of the company's common stock": "common stock" is in the column title, no
    column's own name ("Low", "High"), so the quarter rows are not figures for it; the text
    states the symbol."""
    answer = _tatqa(
        "What is the symbol of the company's common stock that is listed on the Nasdaq Global "
        "Market?"
    )
    assert answer.status == "answered"
    assert answer.value is None
    assert answer.answer.startswith("LWAY — ")
