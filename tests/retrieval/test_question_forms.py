"""Ways ConvFinQA and FinQA dev questions are put, read the way they are meant: a topic put
first and named again by a pronoun ("concerning the euro notes, what was their full total?"),
"the variance in X from 2010 to 2011" as the change, the lines of a variance analysis dated by
the year they changed, and an "Other" line that is no "other regulatory credits"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from retrieval.operations import _TOTAL_COLUMN
from retrieval.search import tokens
from retrieval.understand import _PERCENT_SIGN_CHANGE, fronted, understand, year_less_year

from .test_carried_measures import _finqa
from .test_followup import _conversation


@pytest.mark.parametrize(
    ("asked", "read"),
    [
        (
            "and concerning that goodwill, what percentage does it represent in relation to the "
            "current assets?",
            "and what percentage does that goodwill represent in relation to the current assets?",
        ),
        (
            "and concerning the euro notes, what was their full total for 2014, also in millions?",
            "and what was the full total of the euro notes for 2014, also in millions?",
        ),
        (
            "and concerning the net earnings for basic and diluted eps, what was their change "
            "over that period?",
            "and what was the change in the net earnings for basic and diluted eps over that "
            "period?",
        ),
        (
            "and concerning the total assets in that same acquisition, what amount of them was "
            "due to goodwill?",
            "and what amount of the total assets in that same acquisition was due to goodwill?",
        ),
        (
            "and concerning that free cash flow, what was the change in it between the two "
            "previous years, from 2013 to 2014?",
            "and what was the change in that free cash flow between the two previous years, "
            "from 2013 to 2014?",
        ),
    ],
)
def test_a_topic_put_first_is_read_where_its_pronoun_stands(asked: str, read: str) -> None:
    assert fronted(asked) == read


@pytest.mark.parametrize(
    "asked",
    [
        # a condition, not the topic
        "considering the closing price, what was, then, their total value?",
        # only a period
        "and concerning these same two years, how much did the 2005 total represent in "
        "relation to the 2004 one?",
        # no pronoun names the topic again
        "regarding revenue, what was the total in 2019?",
        "what was the revenue in 2019?",
    ],
)
def test_a_question_with_no_topic_put_first_is_left_as_asked(asked: str) -> None:
    assert fronted(asked) == asked


def test_a_fronted_topic_is_the_measure_asked() -> None:
    """IPG 2009: "and concerning the defined contribution plans in various foreign countries,
    what was their amount in 2008?" is the $28.7 the sentence states for 2008."""
    answers, _ = _conversation("Double_IPG/2009/page_85.pdf")
    assert answers[1].status == "answered"
    assert answers[1].value is not None and answers[1].value.number == Decimal("28.7")
    assert [c.as_printed for c in answers[1].citations] == ["$28.7"]


def test_a_variance_between_two_years_is_their_change() -> None:
    asked = "what was the total variance in net revenue from 2010 to 2011?"
    assert understand(asked).operation == "difference"
    assert understand("what was the variation of ipalco common stock?").operation == ("difference")
    # a value-at-risk table's "variance of" a product is a figure of its own
    assert understand("what was the variance of the foreign exchange products?").operation == (
        "lookup"
    )
    assert understand("what was the average var in 2011?").operation != "difference"
    answers, _ = _conversation("Single_ETR/2011/page_376.pdf-2")
    assert answers[0].program == "subtract(577800000, 540200000)"
    assert answers[0].value is not None and answers[0].value.number == Decimal("37600000")
    goldman, _ = _conversation("Double_GS/2017/page_143.pdf")
    assert goldman[0].program == "subtract(1505, 2504)"
    assert goldman[0].answer == (
        "credit net fell 999, from 2,504 as of December 31, 2016 to 1,505 as of December 31, 2017."
    )
    assert goldman[2].program == "divide(subtract(1505, 2504), 2504)"


def test_a_line_of_a_variance_analysis_is_of_the_year_it_changed() -> None:
    """Entergy 2008: "2007 net revenue | volume/weather | net gas revenue | rider revenue | ...
    | 2008 net revenue": "the 2008 rider revenue divided by that net change" is 3.9 over the
    change of net revenue just given."""
    answers, _ = _conversation("Single_ETR/2008/page_355.pdf-2")
    change, ratio = answers
    assert change.program == "subtract(252700000, 231000000)"
    assert ratio.program == "divide(3900000, subtract(252700000, 231000000))"
    assert ratio.answer == "0.18: $3.9 million (the 2008 rider revenue) ÷ $21.7 million."
    assert [c.row for c in ratio.citations] == [
        "rider revenue",
        "2008 net revenue",
        "2007 net revenue",
    ]


def test_an_other_line_is_no_other_named_measure() -> None:
    """Entergy Louisiana 2003: the variance lines end with "other | 8.9"; "the increase in
    other regulatory credits" (which the text itemises) is not that line."""
    answer = _finqa("dev-546")
    assert answer.status == "not_found"
    assert answer.value is None
    assert answer.answer == (
        "The indexed filings have no figure matching “the in other regulatory credits”."
    )


def test_that_amount_and_this_total_are_the_two_figures_just_given() -> None:
    """UNP 2008: the accrued wages (367), then "the total of accounts payable and other current
    liabilities" (2,560): "what percentage, then, did that amount represent in relation to
    this total?" is the earlier over the later ("this" the nearer, "that" the one before)."""
    answers, _ = _conversation("Double_UNP/2008/page_77.pdf")
    share = answers[2]
    assert share.program == "divide(367000000, 2560000000)"
    assert share.value is not None
    assert share.value.number == Decimal("367") / Decimal("2560") * 100
    assert share.answer == "14.3%: $367.0 million ÷ $2.56 billion, in percent."


@pytest.mark.parametrize(
    ("asked", "read"),
    [
        (
            "what is the 2015 value of outstanding fuel hedges less the 2014 value?",
            "what is the change in outstanding fuel hedges from 2014 to 2015?",
        ),
        ("what is the 2016 less the 2015 values?", "what is the change from 2015 to 2016?"),
        ("what is the 2015 value less the 2014?", "what is the change from 2014 to 2015?"),
    ],
)
def test_one_years_figure_less_anothers_is_the_change_between_them(asked: str, read: str) -> None:
    assert year_less_year(asked) == read


@pytest.mark.parametrize(
    "asked",
    [
        "what is the price of pmi in 2014 less 100?",  # a number given, not another year's
        "what is the 2015 value less the 2015 one?",
        "what is the total capital in 2008 less tier 1 capital?",
    ],
)
def test_a_figure_less_something_else_is_left_as_asked(asked: str) -> None:
    assert year_less_year(asked) == asked


def test_the_2015_value_less_the_2014_value_reads_both_from_one_sentence() -> None:
    """RSG 2015: "the aggregate fair values of our outstanding fuel hedges as of december 31,
    2015 and 2014 were current liabilities of $37.8 million and $34.4 million, respectively"."""
    answers, _ = _conversation("Single_RSG/2015/page_142.pdf-2")
    change, earlier, ratio = answers
    assert change.program == "subtract(37800000, 34400000)"
    assert [c.as_printed for c in change.citations] == ["$37.8 million", "$34.4 million"]
    assert earlier.value is not None and earlier.value.number == Decimal("34400000")
    assert ratio.program == "divide(subtract(37800000, 34400000), 34400000)"
    # and after two turns that named the measure, "the 2016 less the 2015 values" is its change
    entergy, _ = _conversation("Single_ETR/2017/page_26.pdf-4")
    assert entergy[2].program == "subtract(1542000000, 1666000000)"
    assert entergy[3].program == "divide(subtract(1542000000, 1666000000), 1666000000)"


def test_a_change_in_free_cash_flow_reads_the_line_the_filing_prints() -> None:
    """UNP 2015: "free cash flow | $524 | $1504 | $2085" under "2015 | 2014 | 2013"; "the
    percentage change in free cash flow from 2013 to 2014" compares the line's two years (it
    had been read as the one-period measure free cash flow, worked out by its definition)."""
    answer = _finqa("dev-798")
    assert answer.program == "divide(subtract(1504, 2085), 2085)"
    assert answer.answer == "free cash flow fell 27.9%, from $2,085 in FY2013 to $1,504 in FY2014."


def test_cap_ex_for_pp_and_e_is_capital_expenditures_for_property_plant_and_equipment() -> None:
    assert tokens("cap ex for pp&e") == ["capex", "property", "plant", "equipment"]
    assert tokens("purchases of pp&e") == ["capex"]
    answers, _ = _conversation("Single_LMT/2010/page_42.pdf-1")
    assert [a.value.number if a.value else None for a in answers[:2]] == [
        Decimal("820000000"),
        Decimal("852000000"),
    ]
    assert [c.as_printed for c in answers[0].citations] == ["$820 million"]
    assert answers[3].program == "divide(subtract(820000000, 852000000), 852000000)"


def test_the_highest_stock_price_of_a_quarter_and_the_average_of_the_two() -> None:
    """HWM 2017: "the highest stock price in the second quarter of 2017" is the "2017 high"
    column's second row; "what about the average?" after their sum is that sum over two."""
    assert tokens("the highest stock price") == ["high", "stock", "price"]
    assert tokens("the highest revenue") == ["highest", "revenue"]
    answers, _ = _conversation("Single_HWM/2017/page_41.pdf-2")
    assert [(c.row, c.column) for c in answers[0].citations] == [("second", "2017 high (1)")]
    assert [(c.row, c.column) for c in answers[1].citations] == [("second", "2017 low (1)")]
    assert answers[3].program == "divide(add(28.65, 21.76), 2)"
    assert answers[3].answer == "25.21: the sum just given, 50.41, over its 2 figures."


def test_a_performance_graphs_line_is_the_price_asked_in_a_follow_up() -> None:
    """Loews 2015: "the price of the s&p 500 index in 2015" (180.75), then "what was the price
    in 2010?" is the same line's base, 100, not refused for want of a dollar sign."""
    answers, _ = _conversation("Single_L/2015/page_59.pdf-3")
    assert [a.value.number if a.value else None for a in answers] == [
        Decimal("180.75"),
        Decimal("100"),
        Decimal("80.75"),
        Decimal("0.8075"),
    ]
    assert [(c.row, c.column) for c in answers[1].citations] == [("s&p 500 index", "2010")]


def test_a_share_whose_part_is_a_column_of_the_wholes_line() -> None:
    """BlackRock 2012: "long-term retail/hnw | $298024 | $77699 | $27761 | $403484" under
    "americas | emea | asia-pacific | total": a part named by a column is that column's figure
    of the line, over the line's "total" column (both had been refused: "no figure matching
    “americas”", and "only one figure fits" when the whole named the line again)."""
    americas = _finqa("dev-854", "what portion of the long-term retail/hnw is related to americas?")
    assert americas.program == "divide(298024000000, 403484000000)"
    assert americas.answer == (
        "long-term retail/hnw (americas) was 73.9% of long-term retail/hnw (total) "
        "($298.02 billion and $403.48 billion)."
    )
    emea = _finqa("dev-170")
    assert emea.program == "divide(77699000000, 403484000000)"
    assert [(c.row, c.column) for c in emea.citations] == [
        ("long-term retail/hnw", "emea"),
        ("long-term retail/hnw", "total"),
    ]
    # the question's own words: "long-term assets" is no line of the table
    assert _finqa("dev-854").status == "not_found"


@pytest.mark.parametrize(
    ("asked", "operation", "metrics"),
    [
        # nothing named before "percentage of": the percentage is the figure asked for
        (
            "what was the percentage of equity ownership interests acquired in eurosport?",
            "lookup",
            ("the percentage of equity ownership interests acquired in eurosport",),
        ),
        (
            "in 2009 what was the percentage of equity ownership interests acquired?",
            "lookup",
            ("in the percentage of equity ownership interests acquired",),
        ),
        # a part named before the ratio words
        (
            "what is the percentage of x as a percentage of y",
            "ratio",
            ("the percentage of x", "y"),
        ),
        ("What is the average percentage of net revenues of OEM?", "average", None),
        ("how much did revenue grow from 2018 to 2019, in percentage?", "percent_change", None),
    ],
)
def test_what_was_the_percentage_of_x_asks_for_a_printed_percentage(
    asked: str, operation: str, metrics: tuple[str, ...] | None
) -> None:
    intent = understand(asked)
    assert intent.operation == operation
    if metrics is not None:
        assert intent.metrics == metrics


def test_in_percentage_of_names_a_measure_not_a_percentage_change() -> None:
    """TAT-QA dev: "What is the increase/ (decrease) in percentage of net revenues of OEM from
    2017 to 2019?" asks for the change of a percentage line (4 points), not its growth."""
    assert _PERCENT_SIGN_CHANGE.search("the increase in percentage of net revenues") is None
    assert _PERCENT_SIGN_CHANGE.search("revenue grew in percentage terms")
    assert _PERCENT_SIGN_CHANGE.search("how much did revenue decrease, in percentage?")
    asked = (
        "What is the increase/ (decrease) in percentage of net revenues of OEM from 2017 to 2019?"
    )
    assert understand(asked).operation != "percent_change"


def test_the_percentage_of_an_interest_acquired_is_the_one_the_filing_states() -> None:
    """Discovery 2012: "our international networks segment acquired 20% equity ownership
    interests in eurosport" (it had been read as a share of "the" in that interest)."""
    answers, _ = _conversation("Single_DISCA/2012/page_39.pdf-4")
    assert answers[0].value is not None
    assert (answers[0].value.number, answers[0].value.unit) == (Decimal("20"), "percent")
    assert [c.as_printed for c in answers[0].citations] == ["20%"]


@pytest.mark.parametrize(
    ("column", "total"),
    [
        ("total", True),
        ("Total", True),
        ("Total (in thousands)", True),
        # a measure whose name starts with "total" is no "total" column (TAT-QA dev: a share
        # repurchase table's "Total Number of Shares Purchased as Part of Publicly Announced
        # Program" had been taken for the total of "Total Number of Shares Purchased")
        ("Total Number of Shares Purchased as Part of Publicly Announced Program", False),
        ("americas", False),
    ],
)
def test_a_total_column_is_headed_total_alone(column: str, total: bool) -> None:
    assert bool(_TOTAL_COLUMN.fullmatch(column)) is total
