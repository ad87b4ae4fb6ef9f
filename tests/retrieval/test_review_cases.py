"""Readings a review of this session's rules showed could cite a wrong figure, each on a small
document written for it: what the rules must refuse or read otherwise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evals.tatqa import engine_for
from retrieval.models import Conversation, Filters
from retrieval.understand import understand

_QUARTERS = (
    "Revenue by quarter.\n\n| (in thousands) | March 31, 2019 | June 30, 2019 | September 30, "
    "2019 | December 31, 2019 |\n|---|---|---|---|---|\n| Revenue | 1,000 | 1,100 | 1,200 | "
    "1,300 |\n"
)


@pytest.mark.parametrize(
    "question",
    [
        "What was revenue for the year ended December 31, 2019?",
        "What was revenue for the nine months ended September 30, 2019?",
    ],
)
def test_a_quarterly_tables_day_is_no_year_or_nine_months_ended(question: str) -> None:
    answer = engine_for("quarters", _QUARTERS).answer(question)
    assert (answer.status, answer.value) == ("not_found", None)


_TWO_TOTALS = (
    "(in millions)\n\n| | 2019 | 2018 |\n|---|---|---|\n| Americas | 100 | 90 |\n"
    "| Europe | 50 | 40 |\n| Total | 150 | 130 |\n\n(in millions)\n\n| | 2017 |\n|---|---|\n"
    "| Engineering | 10 |\n| Sales | 5 |\n| Total | 15 |\n"
)


@pytest.mark.parametrize("question", ["What was the Total in 2019?", "What was the Total?"])
def test_a_bare_total_of_two_tables_of_one_title_is_not_read(question: str) -> None:
    answer = engine_for("totals", _TWO_TOTALS).answer(question)
    assert answer.value is None


_INCOME = (
    "Selected financial data\n\n| | 2017 | 2016 |\n|---|---|---|\n| Revenue | 5,000 | 4,000 |\n"
    "| Net income | 600 | 500 |\n"
)


def _conversation(text: str, questions: list[str]) -> list:
    engine = engine_for("page", text)
    conversation = Conversation()
    return [engine.answer(q, Filters(doc="page.md"), conversation) for q in questions]


@pytest.mark.parametrize(
    ("last", "value"),
    [
        # "that revenue" names another figure than the change's base: 100 over revenue's
        # 4,000, not over net income's 500
        (
            "how much does that change represent in relation to that revenue in 2016?",
            Decimal("2.500"),
        ),
        # "that balance" names the base again
        (
            "how much does that change represent in relation to that balance in 2016?",
            Decimal(20),
        ),
    ],
)
def test_a_demonstrative_names_the_base_again_only_with_its_words(
    last: str, value: Decimal | None
) -> None:
    asked = ["what was net income in 2016?", "what was net income in 2017?"]
    answers = _conversation(_INCOME, [*asked, "what was the net change?", last])
    assert answers[2].value is not None and answers[2].value.number == Decimal(100)
    got = answers[3].value.number if answers[3].value else None
    assert got == value


_INTANGIBLES = (
    "Intangible assets\n\n| | 2017 | 2016 |\n|---|---|---|\n| Customer relationships | 300 | 200 "
    "|\n| Trademarks | 50 | 40 |\n| Contract-based intangible assets | 90 | 10 |\n"
)


def test_a_line_added_to_a_sum_is_of_the_sums_period() -> None:
    answers = _conversation(
        _INTANGIBLES,
        [
            "what were customer relationships in 2016?",
            "what were trademarks in 2016?",
            "what is the sum?",
            "what is the sum including contract-based intangible assets?",
        ],
    )
    assert answers[2].value is not None and answers[2].value.number == Decimal(240)
    assert answers[3].value is not None and answers[3].value.number == Decimal(250)


def test_a_year_added_to_a_sum_of_two_lines_is_refused() -> None:
    answers = _conversation(
        _INTANGIBLES,
        [
            "what was the sum of customer relationships and trademarks in 2016?",
            "including 2017, what then becomes this total?",
        ],
    )
    assert answers[0].value is not None and answers[0].value.number == Decimal(240)
    assert (answers[1].status, answers[1].value) == ("not_found", None)


@pytest.mark.parametrize(
    ("question", "which"),
    [
        ("In which year was the positive impact of foreign exchange the largest?", "max"),
        ("In which year were negative adjustments the smallest?", "min"),
        ("In which year was Other income (expense), net negative?", "below"),
    ],
)
def test_negative_or_positive_is_a_threshold_only_at_the_end(question: str, which: str) -> None:
    assert understand(question).which == which


def test_a_lead_in_to_a_table_with_a_long_header_is_that_tables() -> None:
    header = " ".join(["Weighted average remaining contractual term and intrinsic value"] * 8)
    text = (
        "Future minimum lease payments under operating leases are as follows.\n\n"
        "| Year | Amount |\n|---|---|\n| 2020 | 100 |\n| 2021 | 200 |\n| 2022 | 300 |\n\n"
        "The following table summarizes our purchase obligations:\n\n"
        f"| {header} | Amount |\n|---|---|\n| Vendor commitments due 2021 | 999 |\n"
    )
    engine = engine_for("leases", text)
    first = engine.corpus.rows[0].facts[0]
    assert "purchase obligations" not in engine.picker.table_context(first)
