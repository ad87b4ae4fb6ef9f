"""Tables led into by a paragraph ("The following table …:"), and the questions their layout
raises: a schedule of payments due by year under an "as of" date, a "Total" column of one
day's balances, a question that asks which line (a name, not a figure), a lead-in that says
nothing itself."""

from __future__ import annotations

from decimal import Decimal

from evals.tatqa import engine_for
from retrieval import spans

_OBLIGATIONS = (
    "Contractual Obligations\n\n"
    "The following table provides aggregate information regarding our contractual obligations "
    "as of March 31, 2019.\n\n"
    "| (In thousands) | Total | 2020 | 2021-2022 | Thereafter |\n|---|---|---|---|---|\n"
    "| Operating leases | $19,437 | $4,143 | $7,111 | $8,183 |\n"
    "| Capital leases | 65 | 27 | 38 | — |\n"
    "| Total contractual obligations | $19,502 | $4,170 | $7,149 | $8,183 |\n"
)


def test_a_schedules_years_after_its_as_of_date_are_payments_due_not_balances() -> None:
    engine = engine_for("obligations", _OBLIGATIONS)
    facts = {
        f.column: f for r in engine.corpus.rows if r.label == "Capital leases" for f in r.facts
    }
    assert facts["Total"].period is not None
    assert str(facts["Total"].period.end) == "2019-03-31"
    assert facts["2020"].period is None  # due in 2020: no balance on March 31, 2020
    answer = engine.answer("What is the total capital leases?")
    assert answer.value is not None and answer.value.number == Decimal("65000")


_DUE = (
    "The following summarizes our contractual obligations as of December 31, 2019 (in "
    "thousands):\n\n"
    "| | Up to 1 year | 1 to 3 years | Total |\n|---|---|---|---|\n"
    "| Financing obligations | 2,956 | 5,912 | 8,868 |\n"
    "| Purchase obligations | 55,755 | 41,464 | 97,219 |\n"
)


def test_total_asked_reads_the_total_column_of_one_days_balances() -> None:
    answer = engine_for("due", _DUE).answer(
        "What is the total financing obligations as a percentage of total purchase obligations?"
    )
    assert answer.value is not None
    assert round(answer.value.number, 4) == Decimal("9.1217")


_CHARGES = (
    "The following table summarizes expected, incurred, and remaining charges for the fiscal "
    "2019 program by segment:\n\n"
    "| | Total Expected Charges | Remaining Expected Charges |\n|---|---|---|\n"
    "| | (in millions) | |\n"
    "| Transportation Solutions | $ 160 | $ 16 |\n| Industrial Solutions | 80 | 14 |\n"
    "| Total | $ 240 | $ 30 |\n"
)


def test_a_question_asking_which_line_is_not_answered_by_a_figure() -> None:
    engine = engine_for("charges", _CHARGES)
    for question in (
        "In which segment was the Remaining Expected Charges the largest?",
        "What charges does the table summarize for the fiscal 2019 program?",
    ):
        answer = engine.answer(question)
        assert (answer.status, answer.value) == ("not_found", None), question
        assert answer.answer is not None and "asks for a name" in answer.answer
    # a figure asked for is still read
    total = engine.answer("What were the Remaining Expected Charges in total?")
    assert total.value is not None and total.value.number == Decimal("30000000")


def test_a_lead_in_sentence_is_no_answer_in_words() -> None:
    text = (
        "A summary of our contractual obligations as of May 26, 2019, was as follows:\n\n"
        "| In millions | Total |\n|---|---|\n| Long-term debt | 11,624.8 |\n"
    )
    answer = engine_for("summary", text).answer("Which contractual obligation is summarized?")
    assert answer.status == "not_found"


def test_a_span_of_stop_words_alone_is_no_short_answer() -> None:
    weights = {"bias": 0.0, "len=1": 5.0, "start0": 5.0}
    assert spans.best("Which obligation?", "A summary of obligations.", weights) is None
    said = spans.best("Which obligation?", "Debt was the largest.", weights)
    assert said is not None and said.text == "Debt"


_NET_DEBT = (
    "Net debt to earnings before interest, tax, depreciation and amortisation (EBITDA)\n\n"
    "| | 2019 | 2018 |\n|---|---|---|\n| Net debt | 295.2 | 235.8 |\n| EBITDA | 120.1 | 110.4 |\n"
)


def test_a_title_that_names_the_line_lists_measures() -> None:
    """ "Net debt to EBITDA" over "Net debt" names the line: no other measure qualifies it."""
    debt = engine_for("debt", _NET_DEBT).answer(
        "What was the change in net debt from 2018 to 2019?"
    )
    assert debt.value is not None and debt.value.number == Decimal("59.4")
