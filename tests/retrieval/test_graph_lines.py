"""Performance graphs printed with a row per date and a column per line ("snap-on | peer
group (3) | s&p 500"): the line asked for by its own words, "S&P 500" as one name, the base
"100" of the same measure as the later "108.59", and lines that tie refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from evals.tatqa import engine_for
from ingest.pipeline import prepare
from retrieval.search import tokens

_GRAPH = (
    "snap-on incorporated total shareholder return (1) fiscal year ended (2) snap-on "
    "incorporated peer group (3) s&p 500.\n\n"
    "| | snap-onincorporated | peer group (3) | s&p 500 |\n|---|---|---|---|\n"
    "| december 31 2007 | 100 | 100 | 100 |\n"
    "| december 31 2011 | 117.47 | 109.7 | 93.61 |\n"
    "| december 31 2012 | 187.26 | 129 | 108.59 |\n"
)


def test_s_and_p_500_is_one_name() -> None:
    assert tokens("the s&p 500 index") == ["sp500", "index"]
    assert tokens("S&P500") == tokens("Standard & Poor's 500") == ["sp500"]
    assert tokens("s&p financials") == ["sp", "financial"]


def test_the_line_asked_for_by_its_own_words() -> None:
    answer = engine_for("graph", _GRAPH).answer(
        "what was the performance price of the s&p 500 in 2012?"
    )
    assert answer.value is not None and answer.value.number == Decimal("108.59")
    assert [c.column for c in answer.citations] == ["s&p 500"]


def test_a_graphs_base_is_the_same_measure_as_its_later_values() -> None:
    facts = prepare(Path("graph.md"), _GRAPH.encode()).facts
    assert {f.unit for f in facts if f.column == "s&p 500"} == {"other"}
    change = engine_for("graph", _GRAPH).answer(
        "what was the change in the s&p 500 from 2007 to 2012?"
    )
    assert change.value is not None and change.value.number == Decimal("8.59")


def test_lines_the_question_does_not_tell_apart_are_not_chosen_between() -> None:
    answer = engine_for("graph", _GRAPH).answer(
        "what was the change in that performance price from 2007 to 2012?"
    )
    assert (answer.status, answer.value) == ("needs_clarification", None)


def test_a_ratio_of_differences_is_not_a_ratio_of_two_figures() -> None:
    answer = engine_for("graph", _GRAPH).answer(
        "what is the ratio of the difference of snap-on incorporated to the s&p 500 in 2012?"
    )
    assert answer.value is None or "subtract" in (answer.program or "")


def test_a_whole_number_many_times_its_neighbours_stays_apart() -> None:
    """ "95" among quarterly dividends of "1.10" is a misprint (0.95), not the same measure."""
    text = (
        "| | 2019 | 2018 |\n|---|---|---|\n| first quarter | 1.1 | 95 |\n"
        "| second quarter | 1.16 | 1.1 |\n| total | 4.58 | 4.25 |\n"
    )
    units = {(f.row, f.column): f.unit for f in prepare(Path("d.md"), text.encode()).facts}
    assert units[("first quarter", "2018")] == "count"
    assert units[("second quarter", "2018")] == "other"
