"""Answers on FinQA dev records copied unchanged into ``tests/data`` (issue 15): performance
graphs with dates as rows, a breakdown's "other" line that is not its total, and shares of a
total as FinQA dev phrases them."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from evals.finqa import engine_for, markdown
from ingest.pipeline import prepare
from retrieval.understand import understand

CASES = Path(__file__).parents[1] / "data" / "finqa" / "finqa_dev_cases.json"


def _record(record_id: str) -> dict[str, object]:
    return next(r for r in json.loads(CASES.read_text()) if r["id"] == record_id)


def _ask(record_id: str, question: str) -> tuple[str, str, Decimal | None]:
    answer = engine_for(f"{record_id}.md", markdown(_record(record_id))).answer(question)
    return answer.status, answer.answer, answer.value.number if answer.value else None


def test_a_date_alone_in_the_label_column_dates_its_row() -> None:
    """ "31-dec-2012" (day, month, year with dashes) and "december 31 2013" are instants."""
    facts = prepare(Path("c.md"), markdown(_record("C/2017/page_328.pdf-1")).encode()).facts
    citi = sorted(
        (f.period.end.isoformat(), f.value) for f in facts if f.column == "citi" and f.period
    )
    assert citi[0] == ("2012-12-31", Decimal("100.0"))
    assert citi[-1] == ("2017-12-31", Decimal("193.5"))


def test_a_return_read_down_a_column_of_a_graph_turned_on_its_side() -> None:
    status, answer, value = _ask(
        "PM/2018/page_24.pdf-3",
        "what was the percentage return for pmi common stock for the five years ended 2018?",
    )
    assert (status, value) == ("answered", Decimal("-3.5000"))
    assert answer == (
        "pmi fell 3.5%, from $100 as of December 31, 2013 to $96.5 as of December 31, 2018."
    )


def test_the_other_line_is_not_the_total_it_is_part_of() -> None:
    """ "total other income" first binds "other", a line beside the part in its own table: no
    component is a total, so the whole is the table's line labelled "total"."""
    status, answer, value = _ask(
        "dev-802", "what was royalty income as a percentage of total other income in 2009?"
    )
    assert (status, value) == ("answered", Decimal("30.0"))
    assert answer == (
        "royalty income was 30.0% of total ($45.0 million in FY2009 and $150.0 million in FY2009)."
    )


# shares of a total, as FinQA dev phrases them; every figure checked against the record's table


def test_a_share_of_a_total_read_in_the_total_column_the_question_names() -> None:
    """Devon's reserves: "oil (mmbbls) | gas (bcf) | ngls (mmbbls) | total (mmboe)" are
    measures, not periods; "the total ... mmboe" is the last column, 60 of 243."""
    status, answer, value = _ask(
        "dev-2", "what percentage of the total oil and gas mmboe comes from canada?"
    )
    assert (status, value) == ("answered", Decimal("24.69135802469135802469135802"))
    assert answer == "canada was 24.7% of total (60 and 243)."


def test_a_schedule_asked_without_a_year_is_read_in_its_total_column() -> None:
    """General Mills' obligations by fiscal year: no year asked, so "Total" (13,093.0 of
    17,932.7), not the first year's column."""
    status, answer, value = _ask(
        "dev-476",
        "what portion of the total long-term obligations are incurred from long-term debt?",
    )
    assert (status, value) == ("answered", Decimal("73.01187216648915110384939245"))
    assert answer == (
        "long-term debt (a) was 73.0% of total long-term obligations ($13.09 billion and "
        "$17.93 billion)."
    )


def test_a_part_and_its_total_come_from_one_column() -> None:
    status, answer, value = _ask(
        "dev-610", "what portion of total backlog is related to newport news segment?"
    )
    assert (status, value) == ("answered", Decimal("50.63199911298370107550726245"))
    assert answer == "newport news was 50.6% of total backlog ($9.13 billion and $18.04 billion)."
    status, answer, value = _ask(
        "dev-610", "what percentage of the total backlog was the unfunded backlog of ingalls?"
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "“ingalls” (total backlog) and “total backlog” (december 31 2014 unfunded) stand in "
        "different rows and different columns of one table; a part and its total are read in "
        "the same column or the same row."
    )


def test_share_phrasings_name_the_part_and_the_whole() -> None:
    status, answer, value = _ask(
        "dev-121", "what percentage was eurasia sbu of total revenue in 2017?"
    )
    assert (status, value) == ("answered", Decimal("15.09971509971509971509971510"))
    assert answer == (
        "eurasia sbu was 15.1% of total revenue ($1,590 in FY2017 and $10,530 in FY2017)."
    )
    status, answer, value = _ask(
        "dev-665",
        "in 2018 what was the percent of the total commitments to extend credit and other "
        "commitments for home equity lines of credit",
    )
    assert (status, value) == ("answered", Decimal("9.329779970486531726978393498"))
    assert answer.startswith("home equity lines of credit was 9.3% of total commitments")


def test_a_month_asked_is_not_a_fiscal_year_ending_in_another_month() -> None:
    status, answer, value = _ask(
        "LMT/2015/page_99.pdf-4",
        "in november 2015 what was the percent of the discounts and debt issuance costs to the "
        "long-term debt november 2015 notes in millions",
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "The question asks about november 2015, but “less: unamortized discounts and deferred "
        "financing costs” is for FY2015, which ends in December."
    )


def test_a_balance_at_a_years_end_in_a_sentence_is_that_years_figure() -> None:
    """ "$28.5 billion at december 31, 2015, and $29.5 billion at december 31, 2014"."""
    status, answer, value = _ask(
        "PM/2015/page_85.pdf-1", "what is the percentage change in total debt from 2014 to 2015?"
    )
    assert (status, value) == ("answered", Decimal("-3.389830508474576271186440678"))
    assert answer.endswith("fell 3.4%, from $29.50 billion in FY2014 to $28.50 billion in FY2015.")


def test_the_value_of_shares_is_not_their_count() -> None:
    status, answer, value = _ask(
        "IPG/2008/page_21.pdf-1", "what was the total value of the shares purchased in october?"
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "The question asks for an amount, but the closest figure, “october 1-31”, is 29,704 shares."
    )
    status, answer, value = _ask(
        "IPG/2008/page_21.pdf-1", "what was the total number of shares purchased in october?"
    )
    assert (status, value) == ("answered", Decimal("29704"))


@pytest.mark.parametrize(
    ("question", "part", "whole"),
    [
        # FinQA dev's phrasings of a share, part first or whole first
        (
            "in 2008 what was the percent of the total operating revenues that was associated "
            "with other revenues",
            "other revenues",
            "the total operating revenues",
        ),
        (
            "what portion of the total notes payable comes from u.s . commercial paper?",
            "u.s . commercial paper",
            "the total notes payable",
        ),
        (
            "what percentage was andes sbu of total revenue in 2017?",
            "andes sbu",
            "total revenue in",
        ),
        (
            "in 2005 what was the percent of the investment banking as part of the total "
            "segments operations",
            "the investment banking",
            "total segments operations",
        ),
        (
            "what was the percent of the impairment charges to the net revenue in 2013",
            "the impairment charges",
            "net revenue in",
        ),
        (
            "what portion of the company owned facilities are located in the rest of the world?",
            "the rest of the world",
            "the company owned facilities",
        ),
        (
            "in 2013 what was the percent of the total operating revenues from mexico",
            "mexico",
            "total operating revenues",
        ),
        (
            "as of december 31 , 2016 what was the percent of the total commercial lending of "
            "the total commitments to extend credit and other commitments",
            "the total commercial lending",
            "total commitments to extend credit and other commitments",
        ),
        # "related to" joins the part to its whole; it is no "to" of "X to Y"
        (
            "what portion of the robert mondavi's total assets acquired is related to goodwill?",
            "goodwill",
            "the robert mondavi total assets acquired",
        ),
    ],
)
def test_share_phrasings_parse(question: str, part: str, whole: str) -> None:
    intent = understand(question)
    assert (intent.operation, intent.metrics, intent.as_percent) == ("ratio", (part, whole), True)


def test_an_aside_is_no_part_of_a_share() -> None:
    """ "computed from the income statement" says where, not what the part is."""
    intent = understand(
        "What was Apple's total gross margin as a percentage of total net sales in fiscal Q3 "
        "2025, computed from the income statement?"
    )
    assert intent.metrics == ("Apple total gross margin", "total net sales in computed")


def test_figures_listed_with_commas_each_take_their_own_year() -> None:
    """ "$820 million in 2010, $852 million in 2009, and $926 million in 2008": the 2009
    figure shares the sentence's subject, though only a comma joins it to the first."""
    status, answer, value = _ask(
        "LMT/2010/page_42.pdf-1",
        "what was the percentage change in capital expenditures for property , plant and "
        "equipment from 2009 to 2010?",
    )
    assert (status, value) == ("answered", Decimal("-3.755868544600938967136150235"))
    assert answer.endswith("fell 3.8%, from $852.0 million in FY2009 to $820.0 million in FY2010.")


def test_the_ratio_of_one_measure_in_two_years_is_the_first_over_the_second() -> None:
    status, answer, value = _ask(
        "dev-80", "what was the ratio of the segment net sales in 2008 to 2009"
    )
    assert (status, value) == ("answered", Decimal("1.693115029387069689336691855583543"))
    assert answer == (
        "segment net sales: $12.10 billion in FY2008 is 1.69 times $7.15 billion in FY2009."
    )


def test_a_numbered_name_is_not_another_number() -> None:
    """Citigroup's capital: "tier 2 capital" is never the "tier 1 capital" line."""
    question = "what was the ratio of the tier 2 capital in 2008 compared to 2007"
    status, answer, value = _ask("C/2008/page_102.pdf-1", question)
    assert (status, value) == ("not_found", None)
    assert answer == (
        "The closest figure, “tier 1 capital”, is tier 1; the question asks for tier 2."
    )
    status, answer, value = _ask("C/2008/page_102.pdf-1", question.replace("tier 2", "tier 1"))
    assert (status, value) == ("answered", Decimal("0.8658536585365853658536585365853659"))
    # a ratio of results worked out in earlier turns is no printed line
    status, answer, value = _ask(
        "C/2008/page_102.pdf-1",
        "what is the ratio of the differences in capital from 2008 to 2007?",
    )
    assert (status, value) == ("not_found", None)


def test_a_table_that_prints_no_date_is_read_as_of_the_date_asked_and_says_so() -> None:
    """E*TRADE's offices by square footage print no date, and nothing on the page dates
    anything else: "at december 31 , 2013" (a date printed with a space before its comma)
    is read as the table's date, and the answer says it did."""
    status, answer, value = _ask(
        "dev-184",
        "at december 31 , 2013 what was the ratio of square feet of our office in alpharetta , "
        "georgia to the jersey city new jersey",
    )
    assert (status, value) == ("answered", Decimal("2.373831775700934579439252336448598"))
    assert answer == (
        "location > alpharetta georgia was 2.37 of location > jersey city new jersey (254,000 "
        "and 107,000). The table prints no date; crossfoot read it as of December 31, 2013, "
        "the period asked."
    )
    # Lockheed Martin's commitments by expiration: "the total commitment applicable to" the
    # part is a share of the total, at the date asked
    status, answer, value = _ask(
        "dev-185",
        "at december 31 , 2005 what was the percent of the total commitment applicable to the "
        "standby letters of credit",
    )
    assert (status, value) == ("answered", Decimal("85.77951728636660143509458578"))
    assert answer.startswith(
        "standby letters of credit was 85.8% of total commitments ($2.63 billion and $3.07 "
        "billion)."
    )


def test_a_row_of_its_own_month_is_never_read_as_of_another_date() -> None:
    """Valero's repurchases by month ("december 2018"): an undated row that names its own
    month is not the table read as of the date asked."""
    status, _, value = _ask(
        "dev-433", "as of december 2018 what was the percent of the 2018 program still outstanding"
    )
    assert (status, value) == ("not_found", None)


def test_a_sentence_that_lists_the_years_answers_for_each_year_of_a_range() -> None:
    """Air Products: "cash paid for interest, net of amounts capitalized, was $121.1 in 2016,
    $97.5 in 2015, and $132.4 in 2014". No table row names it; the sentence gives each year
    of "2014-2016", and the answer quotes it once."""
    status, answer, value = _ask(
        "APD/2016/page_96.pdf-1",
        "considering the years 2014-2016 , what was the average cash paid for interest?",
    )
    assert (status, value) == ("answered", Decimal("117.0"))
    assert answer == (
        "The average is $117 ($121.1 in FY2016; $97.5 in FY2015; $132.4 in FY2014, as the "
        "filing states: “cash paid for interest, net of amounts capitalized, was $121.1 in 2016, "
        "$97.5 in 2015, and $132.4 in 2014..”)."
    )
    # as ConvFinQA asks it
    status, _, value = _ask(
        "APD/2016/page_96.pdf-1",
        "what was the total cash paid for interest in the years of 2015 and 2016, combined?",
    )
    assert (status, value) == ("answered", Decimal("218.6"))
    # a year the sentence does not give is never filled in
    status, _, value = _ask(
        "APD/2016/page_96.pdf-1", "what was the average cash paid for interest from 2013 to 2015?"
    )
    assert (status, value) == ("not_found", None)


def test_the_whole_of_a_share_is_the_parts_table_total_labelled_total_alone() -> None:
    """General Mills' notes payable end in a line labelled "total": "the total notes payable"
    is that line, in the part's column; a whole the table never names is still refused."""
    status, answer, value = _ask(
        "dev-63", "what portion of the total notes payable comes from u.s . commercial paper?"
    )
    assert (status, value) == ("answered", Decimal("78.25261158594491927825261159"))
    assert answer == (
        "u.s. commercial paper was 78.3% of total notes payable ($412.0 million as of May 27, "
        "2012 and "
        "$526.5 million as of May 27, 2012)."
    )
    status, answer, value = _ask(
        "dev-63", "what portion of the total revenue comes from u.s . commercial paper?"
    )
    assert (status, value) == ("not_found", None)


def test_cash_used_printed_negative_enters_a_ratio_as_its_size() -> None:
    """ "Cash used in investing activities -4249 ( 4249 )" over cash from operations: the cash
    used is 4,249, so the ratio is 0.58, not -0.58. (FinQA's gold reads the 2013 column.)"""
    status, answer, value = _ask(
        "dev-618",
        "in 2014 what was the ratio of the cash used for investment to the cash from operations",
    )
    assert (status, value) == ("answered", Decimal("0.5753554502369668246445497630331754"))
    assert answer.startswith("cash used in investing activities was 0.58 of cash provided by")


def test_what_repurchases_cost_is_shares_times_their_average_price() -> None:
    """Union Pacific's fourth-quarter repurchases by month: the quarter is the total line; the
    year is not (the table holds one quarter), so "for all of 2011" is refused."""
    status, answer, value = _ask(
        "dev-365",
        "for the 4th quarter of 2011 approximately how much was spent on stock repurchases?",
    )
    assert (status, value) == ("answered", Decimal("384491911.05"))
    assert answer == (
        "$384.5 million: 3915795 shares bought at an average $98.19 per share (total)."
    )
    status, answer, value = _ask(
        "dev-365", "for all of 2011 , approximately how much was spent on stock repurchases?"
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "The table of repurchases gives months and their total, not a year's repurchases."
    )


def test_a_change_with_no_period_named_is_between_a_rows_two_periods() -> None:
    """PNC's commitments print two year-ends: with no year named, the change is between them.
    Lockheed Martin's cash flows print three years: the question must name two."""
    status, answer, value = _ask(
        "dev-665",
        "what was the percentage increase total commitments to extend credit and other commitments",
    )
    assert (status, value) == ("answered", Decimal("5.269503422771720544165637806"))
    assert answer == (
        "total commitments to extend credit and other commitments grew 5.3%, from $172.52 "
        "billion as of December 31, 2017 to $181.61 billion as of December 31, 2018."
    )
    status, answer, value = _ask(
        "LMT/2010/page_42.pdf-1",
        "what was the percentage change in net cash provided by operating activities?",
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "“net cash provided by operating activities” is printed for 3 periods; name the two to "
        "compare."
    )


def test_a_decrease_asked_is_its_size_and_is_said_to_fall() -> None:
    status, answer, value = _ask(
        "LMT/2010/page_42.pdf-1",
        "by how much did net cash provided by operating activities decrease from 2008 to 2009?",
    )
    assert (status, value) == ("answered", Decimal("1248000000"))
    assert answer == (
        "net cash provided by operating activities fell $1.25 billion, from $4.42 billion in "
        "FY2008 to $3.17 billion in FY2009."
    )


def test_the_profit_margin_alone_is_the_net_margin() -> None:
    status, answer, value = _ask("dev-192", "what was the profit margin in 2015")
    assert (status, value) == ("answered", Decimal("5.830010930151892811912655583"))
    assert answer == (
        "Net margin (net income ÷ revenue) was 5.8%, from net income $231.3 million in FY2015 "
        "and net revenues $3.97 billion in FY2015."
    )
    intent = understand("what was the operating profit margin in 2015")
    assert intent.derived is None  # an operating profit margin is not the net margin


def test_return_on_assets_is_net_income_over_total_assets() -> None:
    status, answer, value = _ask("dev-257", "what was the return on total assets during 2013?")
    assert (status, value) == ("answered", Decimal("4.216478190630048465266558966"))
    assert answer == (
        "Return on assets (net income ÷ total assets) was 4.2%, from net earnings (loss) $261.0 "
        "million in FY2013 and total assets $6.19 billion in FY2013."
    )


def test_the_highest_or_lowest_figure_of_a_row_is_the_answer_not_its_year() -> None:
    status, answer, value = _ask("dev-150", "what is the lowest segment operating income?")
    assert (status, value) == ("answered", Decimal("846"))
    assert answer == (
        "$846: segment operating income was lowest in FY2008 (against $900 in FY2009; $954 in "
        "FY2007)."
    )
    status, _, value = _ask(
        "dev-775", "what was the greatest gross margin in millions for the three year period?"
    )
    assert (status, value) == ("answered", Decimal("2259"))
    # one year named: that year's figure, not an extreme
    assert understand("what was the highest gross margin in 2004?").operation != "which_period"


def test_an_average_over_rows_that_each_name_their_year() -> None:
    """Entergy's analysis opens with "2010 net revenue" and closes with "2011 net revenue":
    one measure, a row per year. (FinQA's gold adds 2 before halving: 560.0.)"""
    status, answer, value = _ask("dev-646", "what was the average net revenue from 2010 to 2011")
    assert (status, value) == ("answered", Decimal("559000000"))
    assert answer == (
        "The average is $559.0 million (2011 net revenue $577.8 million in FY2011; 2010 net "
        "revenue $540.2 million in FY2010)."
    )


def test_a_total_the_table_never_names_is_its_total_line_where_the_table_is_silent() -> None:
    """ "total inventories", "total operating revenues", "total full-time employees of american"
    and "total aggregate contractual obligations": words the page never prints, over tables
    with no title and no measure in their headers; the whole is the part's table's line
    labelled "total", in the part's column."""
    cases = [
        (
            "dev-264",
            "what percentage of total inventories is comprised of finished goods in 2007?",
            "61.61466986646975570734108670",
            "finished goods was 61.6% of total ($1,001.3 in FY2007 and $1,625.1 in FY2007).",
        ),
        (
            "dev-110",
            "in 2008 what was the percent of the total operating revenues that was associated "
            "with other revenues",
            "4.741235392320534223706176962",
            "other revenues was 4.7% of total ($852.0 million in FY2008 and $17.97 billion in "
            "FY2008).",
        ),
        (
            "dev-544",
            "what portion of the total full-time employees of american are flight attendants?",
            "24.95840266222961730449251248",
            "flight attendants was 25.0% of total (15,000 and 60,100).",
        ),
        (
            "dev-571",
            "what percentage of total aggregate contractual obligations is due to purchase "
            "obligationst?",
            "34.01112603107615576443506618",
            "purchase obligations was 34.0% of total ($177.3 million and $521.3 million).",
        ),
    ]
    for record, question, expected, text in cases:
        status, answer, value = _ask(record, question)
        assert (status, value, answer) == ("answered", Decimal(expected), text), record


def test_a_total_line_never_stands_for_a_whole_its_table_contradicts() -> None:
    """General Mills' table heads its column "notes payable": "total revenue" is not its total
    line. And a whole that names the part's own line ("the total finished goods") is that
    line's figure again, never the table's total."""
    status, _, value = _ask(
        "dev-63", "what portion of the total revenue comes from u.s . commercial paper?"
    )
    assert (status, value) == ("not_found", None)
    status, answer, value = _ask(
        "dev-264", "what percentage of the total finished goods is finished goods in 2007?"
    )
    assert (status, value) == ("not_found", None)
    assert answer == (
        "Only one figure fits, “finished goods”; the calculation needs two different ones."
    )


def test_spend_more_on_one_than_on_another_compares_the_two_lines() -> None:
    """ "Does the company spend more on advertising in 2012 than on research and
    development?" compares the two 2012 figures and answers No before them."""
    question = (
        "does the company spend more on advertising in 2012 than on research and development?"
    )
    assert understand(question).operation == "compare"
    status, answer, value = _ask("dev-318", question)
    assert status == "answered" and answer.startswith("No. ")
    assert value == Decimal("468000000")
    assert "($468.0 million)" in answer and "($288.0 million)" in answer


def test_a_part_and_its_whole_that_one_sentence_states() -> None:
    """ "..., totaling $5.5 billion, of which $4.6 billion was held by our foreign
    subsidiaries": no table line holds either; the sentence gives both, quoted once."""
    status, answer, value = _ask(
        "dev-679",
        "as of may 31 , 2016 what percentage of cash and cash equivalents was held in foreign "
        "subsidiaries?",
    )
    assert (status, value) == ("answered", Decimal("83.63636363636363636363636364"))
    assert answer == (
        "$4.60 billion is 83.6% of $5.50 billion, as the filing states: “as of may 31, 2016, "
        "we had cash, cash equivalents and short-term investments totaling $5.5 billion, of "
        "which $4.6 billion was held by our foreign subsidiaries.”"
    )


def test_a_sentence_that_lists_each_part_with_its_own_name() -> None:
    """ "fees of $1.6 million, $0.3 million of estimated facilities closure costs ...": each
    figure is followed by its own name, so the list says which is which; the whole is the
    sentence's $2.8 million, not the table's 2,831 thousand."""
    status, _, value = _ask(
        "dev-875",
        "what is the percentage of tax and accounting fees among the total acquisition-related "
        "costs?",
    )
    assert (status, value) == ("answered", Decimal("57.14285714285714285714285714"))


@pytest.mark.parametrize(
    ("record_id", "question"),
    [
        # "$105 million and $94 million, of which $52 million and $43 million was classified
        # as current, as of december 31, 2018 and 2017, respectively"
        (
            "dev-851",
            "what was the percent of the total self-insurance reserves that was classified as "
            "current in 2018",
        ),
        # "of which $49 million, $48 million, and $39 million related to our aeronautics,
        # space systems, and our is&gs business segments"
        (
            "dev-669",
            "what was the percentage of the total severance actions related to our aeronautics "
            ", space systems , and our is&gs business segments and corporate headquarters in "
            "2011 related to the aeronautics",
        ),
    ],
)
def test_figures_listed_together_are_no_part_and_whole(record_id: str, question: str) -> None:
    """Figures listed together share the words after them: which is the part is for
    "respectively" to say, not for the words around one of them."""
    status, _, _ = _ask(record_id, question)
    assert status == "not_found"
