"""The "Total" line of a table whose lead-in names what it adds up: "Accrued liabilities ...
consisted of the following (in thousands):" over lines and an unlabelled sum (read as
"Subtotal"), "the following table summarizes our U.S. and foreign components of income (loss)
from continuing operations before income taxes" over "United States | Foreign | Total". A
question asking for the total of that measure reads that line; one that names the measure
without "total" does not take a breakdown's "Totals" line for it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from retrieval.answer import Answer
from retrieval.pick import _TOTAL_ROW
from retrieval.understand import understand

from .test_carried_measures import _finqa
from .test_followup import _conversation
from .test_quarter_rows import tatqa_answer

TOTALS = Path(__file__).resolve().parents[1] / "data" / "tatqa" / "tatqa_dev_totals.json"


def _tatqa(question: str) -> Answer:
    return tatqa_answer(TOTALS, question)


def test_the_total_of_a_measure_the_lead_in_names_is_its_total_line() -> None:
    accrued = _tatqa(
        "What is the difference in the total accrued liabilities between 2018 and 2019?"
    )
    assert accrued.program == "subtract(3571000, 3416000)"
    assert accrued.value is not None and accrued.value.number == Decimal("155000")
    assert [(c.row, c.as_printed) for c in accrued.citations] == [
        ("Subtotal", "$3,571"),
        ("Subtotal", "$3,416"),
    ]
    income = _tatqa(
        "What is the percentage change in total income from continuing operations between 2018 "
        "and 2019?"
    )
    # the reading of the change drops "total" from the measure; the question still says it
    assert income.program == "divide(subtract(66100000, 62900000), 62900000)"
    assert [c.row for c in income.citations] == ["Total", "Total"]


def test_a_breakdowns_totals_line_is_not_the_measure_its_lead_in_names() -> None:
    """Sysco 2019: "our sales by type of customer ... were as follows" over "restaurants |
    ... | totals | (100)": "the percentage of sales to restaurants" is not read with the
    "totals" line as the sales (it had been: "totals was 161.3% of restaurants")."""
    answers, _ = _conversation("Double_SYY/2019/page_9.pdf")
    assert answers[0].status == "not_found"
    assert answers[0].answer == "The indexed filings have no figure matching “sales”."


def test_total_lines_are_headed_total_or_subtotal_alone() -> None:
    assert _TOTAL_ROW.fullmatch("Total")
    assert _TOTAL_ROW.fullmatch("Subtotal")
    assert _TOTAL_ROW.fullmatch("totals:")
    assert not _TOTAL_ROW.fullmatch("Total revenue")


def test_observed_is_a_questions_framing_not_a_word_of_the_line() -> None:
    """FinQA dev: "considering the years 2014-2016, what is the highest interest expense
    observed?" (it had been refused: the line says nothing of "observed")."""
    highest = _finqa("dev-488")
    assert highest.value is not None and highest.value.number == Decimal("125.1")
    assert highest.answer == (
        "$125.1: interest expense was highest in FY2014 (against $115.5 in FY2016; $103.5 in "
        "FY2015)."
    )
    lowest = _finqa("dev-368")
    assert lowest.value is not None and lowest.value.number == Decimal("148.4")


def test_a_percentual_increase_observed_is_a_percentage_change() -> None:
    """FinQA dev HUM/2017/page_133.pdf-4: "considering the years 2016-2017, what is the
    percentual increase observed in the payment amount per share?" (it had been refused: no
    line is named "the percentual increase observed in the payment amount per share")."""
    intent = understand(
        "considering the years 2016-2017 , what is the percentual increase observed in the "
        "payment amount per share?"
    )
    assert intent.operation == "percent_change"
    assert intent.metrics == ("the in the payment amount per share",)
    answer = _finqa("HUM/2017/page_133.pdf-4")
    assert answer.program == "divide(subtract(1.49, 1.16), 1.16)"
    assert answer.value is not None and answer.value.display == "28.4%"
