"""Question periods: the words people use, and matching them against extracted periods."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.models import Period
from retrieval.periods import PeriodSpec, find_periods, matches, shift
from retrieval.understand import understand

Q4_07 = Period("duration", date(2007, 12, 31), date(2007, 10, 1), "Q4 2007")
Q4_06 = Period("duration", date(2006, 12, 31), date(2006, 10, 1), "Q4 2006")
FY07 = Period("duration", date(2007, 12, 31), date(2007, 1, 1), "FY2007")
FY06 = Period("duration", date(2006, 12, 31), date(2006, 1, 1), "FY2006")
DEC07 = Period("instant", date(2007, 12, 31), None, "December 31, 2007")
DEC06 = Period("instant", date(2006, 12, 31), None, "December 31, 2006")
BKE_Q3 = Period("duration", date(2024, 11, 2), date(2024, 8, 4), "Q3 FY2024")
BKE_9M = Period("duration", date(2024, 11, 2), date(2024, 2, 4), "9M FY2024")
BKE_FEB = Period("instant", date(2024, 2, 3), None, "February 3, 2024")
AAPL_Q3 = Period("duration", date(2025, 6, 28), date(2025, 3, 30), "Q3 FY2025")
AAPL_9M = Period("duration", date(2025, 6, 28), date(2024, 9, 29), "9M FY2025")
MDRX_FY99 = Period("duration", date(1999, 6, 30), date(1998, 7, 1), "FY1999")
MDRX_JUN99 = Period("instant", date(1999, 6, 30), None, "June 30, 1999")
ALL = [Q4_07, Q4_06, FY07, FY06, DEC07, DEC06]


def only(question: str) -> PeriodSpec:
    (spec,) = find_periods(question)
    return spec


def matching(question: str, periods: list[Period], fy_end_month: int = 12) -> list[str]:
    spec = only(question)
    return [p.label for p in periods if matches(spec, p, fy_end_month)]


@pytest.mark.parametrize(
    "question",
    [
        "What was product revenue in Q4 2007?",
        "product revenue in the fourth quarter of 2007",
        "product revenue Q4'07",
        "Q4 07 product revenue",
        "product revenue in 4Q07",
        "product revenue for the three months ended December 31, 2007",
        "product revenue in the quarter ended December 31, 2007",
        "product revenue in Q4 FY2007",
        "product revenue in fiscal Q4 2007",
    ],
)
def test_quarter_wordings(question: str) -> None:
    assert matching(question, ALL) == ["Q4 2007"]


@pytest.mark.parametrize(
    "question",
    [
        "revenue in fiscal 2007",
        "revenue in FY07",
        "revenue in FY 2007",
        "revenue for the full year 2007",
        "full-year 2007 revenue",
        "revenue for the twelve months of 2007",
        "revenue for the twelve months ended December 31, 2007",
        "revenue for the year ended December 31, 2007",
    ],
)
def test_year_wordings(question: str) -> None:
    assert matching(question, ALL) == ["FY2007"]


@pytest.mark.parametrize(
    ("question", "labels"),
    [
        ("cash as of December 31, 2007", ["December 31, 2007"]),
        ("cash at December 31, 2006", ["December 31, 2006"]),
        ("cash at year-end 2006", ["December 31, 2006"]),
        ("cash at the end of 2007", ["December 31, 2007"]),
        ("cash at 2006 year-end", ["December 31, 2006"]),
        # FinQA's tokenization puts a space before the comma
        ("at december 31 , 2006 what was cash", ["December 31, 2006"]),
    ],
)
def test_instants(question: str, labels: list[str]) -> None:
    assert matching(question, ALL) == labels


def test_a_bare_year_means_the_fiscal_year_or_its_closing_balance() -> None:
    assert matching("total assets in 2007", ALL) == ["FY2007", "December 31, 2007"]


def test_fiscal_calendars_match_by_label() -> None:
    assert matching("net sales in the third quarter of fiscal 2024", [BKE_Q3, BKE_9M], 1) == [
        "Q3 FY2024"
    ]
    assert matching("net sales for the first nine months of fiscal 2024", [BKE_Q3, BKE_9M], 1) == [
        "9M FY2024"
    ]
    assert matching("inventory at fiscal year-end 2023", [BKE_FEB], 1) == ["February 3, 2024"]
    assert matching("Apple's fiscal Q3 2025 net sales", [AAPL_Q3, AAPL_9M], 9) == ["Q3 FY2025"]
    assert matching("net sales in the nine months ended June 28, 2025", [AAPL_Q3, AAPL_9M], 9) == [
        "9M FY2025"
    ]
    assert matching("revenue in fiscal 1999", [MDRX_FY99, MDRX_JUN99], 6) == ["FY1999"]
    assert matching("cash as of June 30, 1999", [MDRX_FY99, MDRX_JUN99], 6) == ["June 30, 1999"]
    assert matching("Buckle 13 weeks ended November 2, 2024", [BKE_Q3, BKE_9M], 1) == ["Q3 FY2024"]


def test_two_periods_in_reading_order() -> None:
    specs = find_periods("How much did revenue grow from Q4 2006 to Q4 2007?")
    assert [(s.kind, s.quarter, s.fiscal_year) for s in specs] == [
        ("quarter", 4, 2006),
        ("quarter", 4, 2007),
    ]


@pytest.mark.parametrize(
    ("question", "relative", "shifted"),
    [
        ("Q4 2007 revenue versus the prior-year quarter", "prior_year", "Q4 2006"),
        ("fiscal 2007 revenue compared with the prior year", "prior_year", "FY2006"),
        ("revenue in fiscal 2007 vs a year earlier", "prior_year", "FY2006"),
        ("revenue in fiscal 2007 vs last year", "prior_year", "FY2006"),
        ("cash at December 31, 2007 and a year earlier", "prior_year", "December 31, 2006"),
    ],
)
def test_relative_periods_shift_against_the_other_period(
    question: str, relative: str, shifted: str
) -> None:
    anchor, rel = find_periods(question)
    assert rel.relative == relative
    moved = shift(rel, anchor)
    assert moved is not None
    assert [p.label for p in ALL if matches(moved, p)] == [shifted]


def test_prior_quarter_of_q1_is_q4_of_the_year_before() -> None:
    anchor, rel = find_periods("Q1 2008 revenue versus the previous quarter")
    moved = shift(rel, anchor)
    assert moved is not None
    assert (moved.quarter, moved.fiscal_year) == (4, 2007)


@pytest.mark.parametrize(
    "question",
    [
        "What was revenue of $2,836 million?",
        "How many of the 1,000 employees left?",
        "What is the gross margin?",
        "Revenue grew 2007%?",
    ],
)
def test_numbers_that_are_not_periods(question: str) -> None:
    assert find_periods(question) == []


def test_a_month_named_quarter_is_the_quarter_ending_that_month() -> None:
    spec = only("What was adjusted EBIT in the June 2023 quarter?")
    assert (spec.kind, spec.months, spec.date) == ("ended", 3, date(2023, 6, 30))
    amcr_q4 = Period("duration", date(2023, 6, 30), date(2023, 4, 1), "Q4 FY2023")
    amcr_fy = Period("duration", date(2023, 6, 30), date(2022, 7, 1), "FY2023")
    assert [p.label for p in (amcr_q4, amcr_fy) if matches(spec, p, 6)] == ["Q4 FY2023"]


def test_a_bare_year_before_a_comma_is_a_year() -> None:
    spec = only("What was Amazon's gross profit for 2019, i.e. net sales minus cost of sales?")
    assert (spec.kind, spec.fiscal_year) == ("bare_year", 2019)


def test_the_beginning_of_a_fiscal_year_is_the_prior_year_end() -> None:
    spec = only("What was the allowance balance at the beginning of fiscal 1999?")
    assert (spec.kind, spec.fiscal_year) == ("year_end", 1998)
    mdrx_jun98 = Period("instant", date(1998, 6, 30), None, "June 30, 1998")
    assert [p.label for p in (mdrx_jun98, MDRX_JUN99, MDRX_FY99) if matches(spec, p, 6)] == [
        "June 30, 1998"
    ]


def test_a_year_that_names_the_filing_is_not_a_period() -> None:
    spec = only(
        "According to the cover page of Amazon's 2019 10-K, how many shares were outstanding "
        "as of January 22, 2020?"
    )
    assert (spec.kind, spec.date) == ("instant", date(2020, 1, 22))


@pytest.mark.parametrize(
    ("question", "years"),
    [
        # FinQA renders a right single quote as "2019": "company’s" is "company 2019s"
        ("in 2009 what was the company 2019s consolidated net sales in billions", ["2009"]),
        ("in 2008 what was the percent of the total gaap stockholders 2019 equity", ["2008"]),
        # a year that is a year
        ("What were the combined 2019 net sales of Amazon's segments?", ["2019"]),
        ("what was revenue in 2019 and 2018?", ["2019", "2018"]),
    ],
)
def test_a_2019_that_stands_for_an_apostrophe_is_no_year(question: str, years: list[str]) -> None:
    assert [p.text for p in find_periods(question)] == years


def test_a_year_after_a_quarter_is_the_same_quarter_of_that_year() -> None:
    # TAT-QA dev (BCE): "in Q4 2019 and 2018" asks for the fourth quarter of both years
    found = find_periods("What is the sum of the operating revenues in Q4 2019 and 2018?")
    assert [(s.kind, s.quarter, s.fiscal_year) for s in found] == [
        ("quarter", 4, 2019),
        ("quarter", 4, 2018),
    ]
    found = find_periods("What were revenues in the first half of 2019 and 2018?")
    assert [(s.kind, s.months, s.fiscal_year) for s in found] == [
        ("ytd", 6, 2019),
        ("ytd", 6, 2018),
    ]


@pytest.mark.parametrize(
    "question",
    [
        "Which years does the table show?",
        "What years are reported by the table?",
        "Which years does the table provide information for net sales by region?",
        "Which periods are highlighted in the table?",
    ],
)
def test_the_periods_of_the_table_are_asked_of_the_table(question: str) -> None:
    assert understand(question).operation == "table_periods"
    assert understand("In which year was revenue higher?").operation == "which_period"


@pytest.mark.parametrize(
    ("question", "whole", "counting"),
    [
        ("What are the components of total revenue?", "total revenue", False),
        ("What were the components making up current assets?", "current assets", False),
        (
            "What financial items does operating free cash flow consist of?",
            "operating free cash flow",
            False,
        ),
        (
            "How many components are there under alternative investments?",
            "alternative investments",
            True,
        ),
    ],
)
def test_questions_for_the_lines_of_a_total(question: str, whole: str, counting: bool) -> None:
    intent = understand(question)
    assert (intent.operation, intent.metrics, intent.counting) == ("parts", (whole,), counting)


def test_the_one_component_that_made_up_the_most_is_not_a_listing() -> None:
    question = "What is the component that made up the most of Personnel expenses in 2018?"
    assert understand(question).operation != "parts"


def test_a_companys_legal_form_after_a_comma_is_part_of_its_name() -> None:
    # FinQA dev (Entergy): "for entergy louisiana , inc." was read as two measures
    intent = understand(
        "what is the net change in net revenue during 2003 for entergy louisiana , inc.?"
    )
    assert (intent.operation, len(intent.metrics)) == ("difference", 1)
    assert "louisiana inc" in intent.metrics[0]


@pytest.mark.parametrize(
    ("question", "operation"),
    [
        # a comparison "in the table" is a comparison, not the table's years
        ("Which year had the highest total revenue in the table?", "which_period"),
        # a pension plan's rate of return is a line, not a performance graph's return
        ("What was the rate of return on plan assets from 2018 to 2019?", "lookup"),
        ("What was the expected long-term rate of return for plan assets in 2019?", "lookup"),
        ("what is the rate of return for nasdaq composite?", "total_return"),
    ],
)
def test_questions_that_only_look_like_table_periods_or_graph_returns(
    question: str, operation: str
) -> None:
    assert understand(question).operation == operation


def test_a_year_after_a_quarter_keeps_its_own_length_when_it_says_so() -> None:
    found = find_periods("revenue in the fourth quarter of 2019, and 2018 full year")
    assert [(s.kind, s.quarter, s.fiscal_year) for s in found] == [
        ("quarter", 4, 2019),
        ("bare_year", None, 2018),
    ]
    found = find_periods("revenue from Q4 2019 to 2020")  # a range, not two fourth quarters
    assert [(s.kind, s.fiscal_year) for s in found] == [("quarter", 2019), ("bare_year", 2020)]


def test_years_ended_one_day_of_two_years() -> None:
    found = find_periods("the years ended December 31, 2018 and 2019")
    assert [(p.kind, p.date, p.months) for p in found] == [
        ("ended", date(2018, 12, 31), 12),
        ("ended", date(2019, 12, 31), 12),
    ]
    # "the five years ended": no one year ended that day
    assert [p.kind for p in find_periods("for the five years ended December 31, 2014")] == [
        "instant"
    ]


def test_a_day_without_a_year_before_a_dated_day_takes_its_year() -> None:
    """ "the working capital adjustment at June 30 and December 31, 2019": June 30 is 2019's
    too; a day later in the year than the dated one is not ("December 31 and June 30, 2019"
    is no earlier December of 2019)."""
    found = find_periods(
        "What is the change in the cash amount between June 30 and December 31, 2019?"
    )
    assert [(p.text, p.kind, p.date) for p in found] == [
        ("June 30", "instant", date(2019, 6, 30)),
        ("December 31, 2019", "instant", date(2019, 12, 31)),
    ]
    later = find_periods("cash at December 31 and June 30, 2019")
    assert [(p.text, p.date) for p in later] == [("June 30, 2019", date(2019, 6, 30))]
