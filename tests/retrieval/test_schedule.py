"""Maturity schedules (issue 15): the share of a schedule's total due in a year or after
it, on FinQA dev contexts copied unchanged into ``tests/data``. A schedule whose amounts do
not add up to a printed total is not divided."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from evals.finqa import engine_for, markdown
from retrieval.schedule import span
from retrieval.understand import understand

CASES = Path(__file__).parents[1] / "data" / "finqa" / "finqa_dev_cases.json"


def _ask(record_id: str, question: str) -> tuple[str, str, Decimal | None, str | None]:
    record = next(r for r in json.loads(CASES.read_text()) if r["id"] == record_id)
    answer = engine_for(f"{record_id}.md", markdown(record)).answer(question)
    value = answer.value.number if answer.value else None
    return answer.status, answer.answer, value, answer.program


@pytest.mark.parametrize(
    ("text", "after", "expected"),
    [
        ("2008", None, (2008, 2008)),
        ("payments due by period (1) 2011", None, (2011, 2011)),
        ("payments due by fiscal year 2021 -22", None, (2021, 2022)),
        ("payments due by fiscal year 2025 and thereafter", None, (2025, None)),
        ("thereafter", 2012, (2013, None)),
        ("thereafter", None, None),
        ("fiscal 2010", None, (2010, 2010)),
        ("total debt", 2012, None),
        # buckets counted from the schedule's first year
        ("commitment expiration by period less than 1 year ( a )", None, (1, 1)),
        ("commitment expiration by period 1-3 years ( a )", 1, (2, 3)),
        ("payments due by period 2 2013 3 years", 1, (2, 3)),  # FinQA's "2–3 years"
        ("commitment expiration by period 3-5 years", 3, (4, 5)),
        ("payments due by period more than 5 years", 5, (6, None)),
        ("payments due by period after 5 years", 5, (6, None)),
    ],
)
def test_span_reads_when_an_amount_falls_due(
    text: str, after: int | None, expected: tuple[int, int | None] | None
) -> None:
    assert span(text, after) == expected


def test_the_question_names_the_year_and_the_side_of_it() -> None:
    intent = understand("what percentage of total purchase commitments are due after 2014?")
    assert (intent.operation, intent.metrics, intent.due, intent.as_percent) == (
        "due_share",
        ("total purchase commitments",),
        ("after", 2014),
        True,
    )
    # "due to" is a cause, not a schedule
    assert understand("what percentage of the increase was due to rider revenue?").due is None


def test_years_as_columns_beside_a_total() -> None:
    status, answer, value, program = _ask(
        "dev-17",
        "what was the percent of the total long-term debt obligations that was due after 2011",
    )
    assert (status, round(value, 4) if value else None) == ("answered", Decimal("35.0992"))
    assert program == "divide(1451000000, 4134000000)"
    assert answer == (
        "35.1% of long-term debt obligations ($4.13 billion) falls due thereafter ($1.45 billion)."
    )


def test_after_a_year_inside_the_schedule_adds_every_later_amount() -> None:
    status, _, value, program = _ask(
        "dev-17", "what percentage of total long-term debt obligations are due after 2009?"
    )
    assert status == "answered"
    assert program == ("divide(table_sum(534000000, 607000000, 1451000000), 4134000000)")
    assert round(value, 2) == Decimal("62.70")


def test_years_as_rows_whose_first_row_is_data() -> None:
    status, answer, _value, program = _ask(
        "dev-349",
        "as of as of december 31 , 2007 what was the percent of the total debt maturities that "
        "was due in 2009",
    )
    assert (status, program) == ("answered", "divide(542, 7680)")
    assert answer == "7.1% of total debt ($7,680) falls due in 2009 ($542)."


def test_thereafter_after_the_last_year() -> None:
    status, answer, _, program = _ask(
        "dev-436", "what percent of the commitments will be due after 2022?"
    )
    assert (status, program) == ("answered", "divide(1580000000, 2206000000)")
    assert answer == "71.6% of the total ($2.21 billion) falls due thereafter ($1.58 billion)."


def test_a_year_inside_a_two_year_column_is_not_split() -> None:
    status, answer, value, _ = _ask(
        "dev-195", "what percentage of long-term debt (a) is due in 2021?"
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "The schedule of “long-term debt (a)” does not split at 2021: it lists 2020, 2021, "
        "2023, 2025."
    )


def test_a_schedule_without_a_printed_total_is_not_divided() -> None:
    """International Paper prints lease obligations by year with no total column; the FinQA
    gold divides by the 2014 column's total of leases and purchases, which is not the
    share asked."""
    status, answer, value, _ = _ask(
        "dev-800",
        "at december 31 , 2012 , what was the percent of the total future minimum commitments "
        "under existing non-cancelable operating leases that was due in 2014",
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "The indexed filings have no schedule of “future minimum commitments under existing "
        "non-cancelable operating leases” by year that adds up to a printed total."
    )


UPS = "UPS/2006/page_32.pdf-4"  # a performance graph: "$100.00" at "12/31/01" ... "12/31/06"


def test_a_performance_graph_is_read_at_its_numeric_dates() -> None:
    status, answer, value, _ = _ask(UPS, "what was the s&p 500 index at 12/31/04?")
    assert (status, value) == ("answered", Decimal("111.15"))
    assert answer == "s&p 500 index was $111.15 as of December 31, 2004."


def test_a_constant_to_take_off_is_not_dropped_from_a_calculation() -> None:
    """ "less 100" asks for the change from the graph's base of 100; the change over the
    year that the question's other words find is not it."""
    status, answer, value, _ = _ask(
        UPS, "what is the net change of the dow jones transportation average in 2006 less 100?"
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "The question asks to take 100 off (“less 100”), which the calculation crossfoot found "
        "does not do; it does not answer."
    )


def test_the_difference_of_two_lines_returns() -> None:
    status, answer, value, program = _ask(
        UPS,
        "what was the difference in percentage cumulative total return for united parcel "
        "service inc. compared to the s&p 500 index for the five years ended 12/31/06?",
    )
    assert (status, value) == ("answered", Decimal("13.9000"))
    assert program == (
        "subtract(divide(subtract(148.92, 100), 100), divide(subtract(135.02, 100), 100))"
    )
    assert answer == (
        "united parcel service inc. returned 48.9% and s&p 500 index 35.0% from December 31, "
        "2001 to December 31, 2006 (from a base of 100): a difference of 13.9%."
    )


def test_a_line_not_named_in_full_has_no_return() -> None:
    """ "the dow jones industrial average" is not the graph's "dow jones transportation
    average": the line must carry every word of the name asked."""
    status, answer, value, _ = _ask(
        UPS,
        "what was the percentage cumulative total return for the dow jones industrial average "
        "for the five years ended 12/31/06?",
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "No line of a performance graph is named “the dow jones industrial”; the closest "
        "is “dow jones transportation average”."
    )


@pytest.mark.parametrize(
    ("question", "within"),
    [
        ("what percent of total commitments expire in less than 1 year?", (1, 1)),
        ("what percent of total commitments expire in 1-3 years?", (2, 3)),
        (
            "what portion of the total contractual obligations are due within the next 12 months?",
            (1, 1),
        ),
        ("what percentage of total contractual obligations come from after five years?", (6, None)),
        ("what portion of total long-term borrowings is due in the next 36 months?", (1, 3)),
    ],
)
def test_the_question_names_a_bucket_of_years(
    question: str, within: tuple[int, int | None]
) -> None:
    intent = understand(question)
    assert (intent.operation, intent.within, intent.due) == ("due_share", within, None)


def test_buckets_of_years_as_columns_beside_a_total_commitment() -> None:
    """Lockheed Martin's commitments: "total commitment | less than 1 year (a) | 1-3 years (a)
    | 3-5 years | after 5 years"; a bucket over the total it adds up to."""
    status, answer, value, program = _ask(
        "dev-185", "what percent of total commitments expire in 1-3 years?"
    )
    assert (status, value) == ("answered", Decimal("17.09067188519243313763861709"))
    assert answer == (
        "17.1% of total commitments ($3.07 billion) falls due in 1-3 years ($524.0 million)."
    )
    assert program == "divide(524000000, 3066000000)"
    status, _, value, _ = _ask(
        "dev-185", "what percent of total commitments expire in less than 1 year?"
    )
    assert (status, value) == ("answered", Decimal("81.70254403131115459882583170"))
    # no column splits at two years: refused, not guessed
    status, answer, value, _ = _ask(
        "dev-185", "what percent of total commitments expire in the next 24 months?"
    )
    assert (status, value) == ("not_found", None)
    assert answer.startswith(
        "The schedule of “total commitments” does not split where the question asks"
    )


def test_a_return_from_the_year_asked_not_only_from_the_base() -> None:
    """ "The roi of an investment in pmi from 2013 to 2014" (the graph's base year) and "the
    rate of return of an investment in nasdaq from 2017 to 2018" (a later year): from the
    value at the first year asked to the value at the second."""
    status, answer, value, program = _ask(
        "PM/2018/page_24.pdf-3", "what is the roi of an investment in pmi from 2013 to 2014?"
    )
    assert (status, value, program) == (
        "answered",
        Decimal("-2.100"),
        "divide(subtract(97.9, 100), 100)",
    )
    assert (
        answer
        == "pmi fell 2.1%, from $100 as of December 31, 2013 to $97.9 as of December 31, 2014."
    )
    status, answer, value, program = _ask(
        "CDNS/2018/page_31.pdf-3",
        "what is the rate of return of an investment in nasdaq from 2017 to 2018?",
    )
    assert (status, value) == ("answered", Decimal("-3.643018999477078612515251874"))
    assert program == "divide(subtract(165.84, 172.11), 172.11)"
    # a year the graph does not print is no start
    status, answer, value, _ = _ask(
        "CDNS/2018/page_31.pdf-3",
        "what is the rate of return of an investment in nasdaq from 2010 to 2018?",
    )
    assert (status, value) == ("not_found", None)
    assert answer == "“nasdaq composite” prints no one value for 2010 to read a return from."


def test_total_cumulative_return_on_investment_is_a_graphs_return() -> None:
    status, answer, value, _ = _ask(
        "UPS/2006/page_32.pdf-4",
        "what was the percentage total cumulative return on investment for united parcel "
        "service inc . for the five years ended 12/31/2006?",
    )
    assert (status, value) == ("answered", Decimal("48.9200"))
    assert answer == (
        "united parcel service inc. grew 48.9%, from $100 as of December 31, 2001 to $148.92 as "
        "of December 31, 2006."
    )
    assert (
        understand(
            "what is the percentage reduction in the loews common stock from 2013 to 2014"
        ).operation
        == "percent_change"
    )
