"""Periods as users say them, resolved against the filing's own columns: "year to date" is
the filing's longest period ending with its latest quarter ("9M FY2025"), "Q3" is that quarter
of the latest year printed, "vs the prior-year quarter" compares with the latest quarter, "last
quarter" is the quarter reported (not one an outlook names), and a change of a margin asked
"in percentage points" is the margin in each period, then their difference."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.models import Fact
from ingest.pipeline import prepare
from retrieval.answer import Engine
from retrieval.compose import display_name
from retrieval.corpus import Corpus
from retrieval.periods import find_periods
from retrieval.search import tokens

APPLE = "apple_10q_q3fy2025_ixbrl.html"
BUCKLE = "buckle_8k_ex99-1_q3fy2024_earnings.html"
INTEL = "intel_2022q4_earnings_release.pdf"
MCDONALDS = "mcdonalds_2023q1_earnings_release_ex99-1.pdf"


@pytest.fixture(scope="module")
def engines(filings: Path) -> dict[str, Engine]:
    def one(name: str) -> Engine:
        path = filings / name
        return Engine(Corpus.prepared(prepare(path, path.read_bytes())))

    return {name: one(name) for name in (APPLE, BUCKLE, INTEL, MCDONALDS)}


@pytest.mark.parametrize(
    ("filing", "question", "value", "text"),
    [
        (
            APPLE,
            "Year to date, how much bigger were Apple's product sales than its services sales?",
            Decimal("152879000000"),
            "The difference is $152.88 billion: Net sales > Products $233.29 billion in 9M "
            "FY2025 against Net sales > Services $80.41 billion in 9M FY2025.",
        ),
        (
            APPLE,
            "How much did SG&A grow year to date versus the same nine months last year?",
            Decimal("5.001532645345866966383978747"),
            "Operating expenses > Selling, general and administrative grew 5.0%, from $19.57 "
            "billion in 9M FY2024 to $20.55 billion in 9M FY2025.",
        ),
        (
            BUCKLE,
            "What was the YoY % change in Buckle's year-to-date diluted EPS?",
            Decimal("-16.37010676156583629893238434"),
            "EARNINGS PER SHARE > Diluted fell 16.4%, from $2.81 per share in 9M FY2023 to "
            "$2.35 per share in 9M FY2024.",
        ),
        (
            BUCKLE,
            "By what % did Buckle's pretax income change in Q3 vs the prior-year quarter?",
            Decimal("-14.65830355189264094522646051"),
            "INCOME BEFORE INCOME TAXES fell 14.7%, from $68.6 million in Q3 FY2023 to $58.5 "
            "million in Q3 FY2024.",
        ),
        (
            INTEL,
            "By what % did Intel's desktop revenue change in Q4 year over year?",
            Decimal("-33.20021299254526091586794462"),
            "Client Computing > Desktop fell 33.2%, from $3.76 billion in Q4 2021 to $2.51 "
            "billion in Q4 2022.",
        ),
        (
            INTEL,
            "What was Intel's revenue last quarter?",
            Decimal("14042000000"),
            "Net revenue was $14.04 billion in Q4 2022.",
        ),
        (
            MCDONALDS,
            "What were McDonald's U.S. comps in the prior-year quarter?",
            Decimal("3.5"),
            "U.S. was 3.5% in Q1 2022.",
        ),
    ],
)
def test_colloquial_periods(
    engines: dict[str, Engine], filing: str, question: str, value: Decimal, text: str
) -> None:
    answer = engines[filing].answer(question)
    assert answer.status == "answered"
    assert answer.value is not None and answer.value.number == value
    assert answer.answer == text


def test_a_change_against_the_prior_year_quarter_alone_is_from_the_latest_quarter(
    engines: dict[str, Engine],
) -> None:
    answer = engines[MCDONALDS].answer(
        "How did sales at McDonald's company-operated restaurants change vs the prior-year "
        "quarter, in percent?"
    )
    assert answer.value is not None
    assert answer.value.number == Decimal("-3.392112578179291174426685198")
    assert [c.column for c in answer.citations] == [
        "Quarters Ended March 31, 2023",
        "Quarters Ended March 31, 2022",
    ]


def test_a_margin_change_in_points_is_the_margin_in_each_period(
    engines: dict[str, Engine],
) -> None:
    answer = engines[BUCKLE].answer(
        "By how many percentage points did Buckle's year-to-date gross margin change versus "
        "the same period last year?"
    )
    assert answer.value is not None
    assert answer.value.number == Decimal("-0.76386091441778015010804067")
    assert answer.value.unit == "percent"
    assert answer.answer == (
        "Gross margin (gross profit ÷ revenue, its conventional definition) fell 0.76 "
        "percentage points, from 47.7% in 9M FY2023 to 46.9% in 9M FY2024."
    )
    assert len(answer.citations) == 4  # gross profit and net sales, in each period


def test_an_outlooks_quarter_is_not_the_latest_reported(engines: dict[str, Engine]) -> None:
    """Intel's fourth-quarter release prints a few "Q1 2023" outlook figures: "last quarter"
    is still the fourth quarter, its year to date the full year."""
    picker = engines[INTEL].picker
    docs = set(picker.corpus.documents)
    assert str(picker.latest_quarter_end(docs)) == "2022-12-31"
    assert picker.year_to_date_months(docs) is None
    apple = engines[APPLE].picker
    assert apple.year_to_date_months(set(apple.corpus.documents)) == 9


def test_a_segment_named_us_is_asked_for() -> None:
    """ "U.S." is one word that must be found ("U.S. segment revenues" is not "TOTAL
    REVENUES"), however the question spells its dots."""
    assert tokens("McDonald U.S. segment revenues") == ["mcdonald", "usa", "segment", "revenue"]
    assert tokens("the u.s?") == ["usa"]
    assert tokens("pretax income") == tokens("INCOME BEFORE INCOME TAXES") == ["pretax", "income"]
    assert tokens("D&A") == tokens("Depreciation and amortization") == ["dna"]
    assert tokens("stock comp") == tokens("Stock-based compensation") == ["sbc"]


def test_the_mcdonalds_us_segment_revenue_is_not_the_total(engines: dict[str, Engine]) -> None:
    answer = engines[MCDONALDS].answer("What were McDonald's U.S. segment revenues in Q1 2023?")
    assert answer.status == "not_found"


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("By what % did pretax income change in Q3 vs the prior-year quarter?", [3, None]),
        ("what did they earn in q2?", [2]),
        ("what was revenue during the third quarter?", [3]),
        ("What was revenue in Q4 2022?", []),  # a quarter with its year
        # a quarter that is a line of the table ("first quarter | $1.10") is no period
        ("what percentage of the total dividend in 2019 is from the first quarter?", []),
    ],
)
def test_a_quarter_named_without_its_year(question: str, read: list[int | None]) -> None:
    found = [p.quarter for p in find_periods(question) if p.kind == "relative"]
    assert found == read


def test_a_change_asked_in_dollars_is_the_amount(engines: dict[str, Engine]) -> None:
    """ "..., in dollars?" asks the change as an amount; "Q4 versus Q4 2021": the bare quarter
    is the latest year's."""
    answer = engines[INTEL].answer(
        "What was the change in Intel's GAAP revenue in Q4 versus Q4 2021, in dollars?"
    )
    assert answer.value is not None and answer.value.number == Decimal("-6486000000")
    assert answer.answer == (
        "GAAP net revenue fell $6.49 billion, from $20.53 billion in Q4 2021 to $14.04 billion "
        "in Q4 2022."
    )


def test_a_year_ago_with_nothing_to_count_from_is_not_the_latest_balance(
    engines: dict[str, Engine],
) -> None:
    """ "a year ago" names no column of a release; the latest balance is not its answer."""
    answer = engines[BUCKLE].answer("How much cash on hand did Buckle have a year ago?")
    assert answer.status == "not_found"
    assert answer.answer.endswith("but nothing for a year ago.")


def test_a_line_printed_as_a_sentences_start_is_said_once() -> None:
    """ "Total depreciation expense on property and equipment was | $2.5 million": the answer
    does not say "was was"."""
    fact = Fact(
        fact_id="f",
        doc_id="d",
        document="d.md",
        table="t",
        row="Total depreciation expense on property and equipment was",
        row_path=("Total depreciation expense on property and equipment was",),
        column="2019",
        period=None,
        value=Decimal("2500000"),
        unit="USD",
        as_printed="$2.5 million",
        scale=None,
        basis=None,
        note=None,
        checks=(),
        repairs=(),
        char_start=0,
        char_end=10,
    )
    assert display_name(fact) == "Total depreciation expense on property and equipment"
