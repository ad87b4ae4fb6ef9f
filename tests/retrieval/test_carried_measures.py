"""What a follow-up carries from the turn before it, and measures named by a table's columns,
on ConvFinQA and FinQA dev pages: a per-share measure stays per share ("what was the value in
2016?" after "net earnings for basic and diluted eps"), a figure an earlier turn used for a
year is that year's figure, a table titled for EPS still holds the line asked before, "cash flow
provided by operations" is cash from operations, and the "Total" row of a table whose dated
columns name the measure ("net goodwill at december 31 2011") stands for it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from evals import finqa
from ingest.tables import EPS_INPUT
from retrieval.answer import Filters
from retrieval.compose import display_name
from retrieval.understand import understand

from .test_followup import _conversation

CASES = Path(__file__).resolve().parents[1] / "data" / "finqa" / "finqa_dev_cases.json"
FINQA = {r["id"]: r for r in json.loads(CASES.read_text(encoding="utf-8"))}


def _finqa(record_id: str, question: str | None = None):  # type: ignore[no-untyped-def]
    record = FINQA[record_id]
    engine = finqa.engine_for("page.md", finqa.markdown(record))
    return engine.answer(question or record["qa"]["question"], Filters(doc="page.md"))


def test_the_numerator_of_eps_is_money_not_a_per_share_figure() -> None:
    assert EPS_INPUT.search("net earnings for basic and diluted eps")
    assert EPS_INPUT.search("income used in computing diluted earnings per share")
    assert not EPS_INPUT.search("diluted earnings per share")
    assert understand("what was diluted eps in 2017?").per_share is True
    assert (
        understand("what is the value of net earnings for basic and diluted eps in 2017?").per_share
        is False
    )


def test_a_follow_up_keeps_the_measure_of_the_eps_numerator_line() -> None:
    """PMI 2017: "net earnings for basic and diluted eps" (6,021), then "what was the value in
    2016?" is that line's 2016 figure, not "net earnings attributable to pmi" (6,967), and
    is money, not dollars per share."""
    answers, _ = _conversation("Single_PM/2017/page_99.pdf-2")
    assert [a.value.number if a.value else None for a in answers[:4]] == [
        Decimal("6021"),
        Decimal("6948"),
        Decimal("-927"),
        Decimal("6948"),
    ]
    assert answers[0].answer == "net earnings for basic and diluted eps was 6,021 in FY2017."
    assert answers[1].answer == "net earnings for basic and diluted eps was 6,948 in FY2016."
    assert answers[2].program == "subtract(6021, 6948)"
    assert answers[4].program == "divide(subtract(6021, 6948), 6948)"
    assert answers[4].answer == "-13.3%: the difference, -927, over 6,948."


def test_a_follow_up_reads_the_line_asked_before_in_a_table_titled_for_eps() -> None:
    """The table is titled "basic and diluted earnings per share ("eps") were calculated using
    the following"; "what was that in 2016?" after "net earnings attributable to pmi" is that
    line (the title was the first question's, which asked for the line by name)."""
    answers, _ = _conversation("Double_PM/2017/page_99.pdf")
    assert [a.value.number if a.value else None for a in answers[:3]] == [
        Decimal("6035"),
        Decimal("6967"),
        Decimal("-932"),
    ]
    assert [c.as_printed for c in answers[1].citations] == ["6,967"]
    assert answers[3].program == "divide(subtract(6035, 6967), 6967)"


def test_a_total_asked_after_a_per_share_figure_is_not_per_share() -> None:
    """BLL 2007: "the annual cash dividends ... per share" is $0.40; "the total of dividends
    paid in that year, in millions" names the measure by its own words and is no per-share
    figure: it is refused (the page prints no such total), not answered $0.40 again."""
    answers, _ = _conversation("Single_BLL/2007/page_47.pdf-3")
    assert answers[0].value is not None and answers[0].value.number == Decimal("0.4")
    assert answers[1].status == "not_found"
    assert answers[1].value is None


def test_the_value_an_earlier_turn_used_for_a_year_is_that_years_value() -> None:
    """ETR 2002: the change from 2001 to 2002 took $128 million as 2001's (from the sentence
    "the increase in earnings in 2001 ... from $49 million to $128 million"); "what was the
    value in 2001?" gives that figure though the follow-up's few words leave its confidence
    low."""
    answers, _ = _conversation("Single_ETR/2002/page_24.pdf-1")
    assert answers[0].program == "subtract(201000000, 128000000)"
    assert answers[1].status == "answered"
    assert answers[1].value is not None and answers[1].value.number == Decimal("128000000")
    assert [c.as_printed for c in answers[1].citations] == ["$128 million"]


def test_cash_flow_provided_by_operations_is_cash_from_operations() -> None:
    answers, _ = _conversation("Single_SLB/2012/page_44.pdf-4")
    assert [a.value.number if a.value else None for a in answers[:2]] == [
        Decimal("700000000"),
        Decimal("6100000000"),
    ]
    assert answers[0].program == "subtract(6800000000, 6100000000)"
    assert [c.as_printed for c in answers[1].citations] == ["$6.1 billion"]
    assert answers[2].program == "divide(subtract(6800000000, 6100000000), 6100000000)"


def test_the_total_row_of_dated_measure_columns_stands_for_the_measure() -> None:
    """MAS 2012: "gross goodwill at december 31 2010 | accumulated impairment losses | net
    goodwill at december 31 2010 | ... | net goodwill at december 31 2011" over segments and a
    "total" row: "total net goodwill" is that row in the net goodwill columns, also when a
    follow-up asks for "the 2010 value" (not the gross goodwill column of 2010)."""
    answers, _ = _conversation("Single_MAS/2012/page_70.pdf-1")
    change, earlier, ratio = answers
    assert change.program == "subtract(1891, 2383)"
    assert change.answer == (
        "total net goodwill fell $492, from $2,383 as of December 31, 2010 to $1,891 as of "
        "December 31, 2011."
    )
    assert earlier.value is not None and earlier.value.number == Decimal("2383")
    assert [c.column for c in earlier.citations] == ["net goodwill at december 31 2010"]
    assert ratio.program == "divide(subtract(1891, 2383), 2383)"


def test_the_plain_total_row_stands_for_a_measure_of_the_columns() -> None:
    """MRO 2018: "net undeveloped acres expiring year ended december 31, 2018" columns over
    "u.s. | ... | total africa | ... | total": the share of the U.S. is of "total", not of
    "total africa"."""
    answer = _finqa("dev-137")
    assert answer.program == "divide(128000, 1018000)"
    assert answer.value is not None
    assert answer.value.number == Decimal("128000") / Decimal("1018000") * 100
    assert [c.row for c in answer.citations] == ["u.s.", "total"]


def test_a_date_is_no_measure_named_by_dated_columns() -> None:
    """ETFC: "as of december 31" (read as a measure from a garbled question) is no column's
    measure, though the only column is headed "december 31 2011"."""
    answer = _finqa("dev-348")
    assert answer.status == "not_found"
    assert answer.answer == "The indexed filings have no figure matching “as of december 31”."


def test_a_total_row_is_named_by_its_columns_measure() -> None:
    answers, _ = _conversation("Single_MAS/2012/page_70.pdf-1")
    fact = answers[1].operands[0]
    assert fact.row == "total"
    assert display_name(fact) == "total net goodwill"
