"""A figure asked for with a number the question gives ("the value of X in 2018 less an
initial investment of $100"), what a follow-up may build on, and a sentence's figure without
a year beside figures with theirs."""

from __future__ import annotations

from decimal import Decimal

from evals.tatqa import engine_for
from retrieval.followup import trailing_constant
from retrieval.models import Conversation, Filters

_GRAPH = (
    "The graph compares the cumulative total return of an investment of $100 made on December "
    "31, 2013.\n\n"
    "| | 2013 | 2018 |\n|---|---|---|\n"
    "| Loews common stock | 100.00 | 311.13 |\n"
    "| S&P 500 index | 100.00 | 165.84 |\n"
)


def test_a_figure_less_a_number_the_question_gives() -> None:
    engine = engine_for("graph", _GRAPH)
    conversation = Conversation()
    first = engine.answer(
        "what is the value of loews common stock in 2018 less an initial investment of $100?",
        Filters(doc="graph.md"),
        conversation,
    )
    assert first.value is not None and first.value.number == Decimal("211.13")
    assert first.program == "subtract(311.13, 100)"
    assert first.answer == "$211.13: $311.13 (Loews common stock) − 100."
    assert [c.as_printed for c in first.citations] == ["311.13"]
    then = engine.answer("what is that divided by 100?", Filters(doc="graph.md"), conversation)
    assert then.value is not None and then.value.number == Decimal("2.1113")
    times = engine.answer("what is the value of the s&p 500 index in 2018 times 1000?")
    assert times.value is not None and times.value.number == Decimal("165840")


def test_what_a_trailing_number_is_taken_from() -> None:
    assert trailing_constant("what is the value of loews common stock in 2011 less 100?") == (
        "what is the value of loews common stock in 2011?",
        "subtract",
        Decimal("100"),
    )
    for question in (
        "what is 100000 divided by 100?",  # no figure named
        "what is that less 100?",  # the answer before: a follow-up
        "what was revenue in 2019 less 2018?",  # a year is no number given
        "what was revenue less 5 million?",  # an amount with its scale
    ):
        assert trailing_constant(question) is None, question


_SCALED = "(in millions)\n\n| | 2019 |\n|---|---|\n| Revenue | 1,200 |\n"


def test_a_number_to_take_off_a_scaled_figure_is_not_guessed() -> None:
    """ "$1.2 billion less 100": 100 of what? Only a figure read as printed takes it."""
    answer = engine_for("scaled", _SCALED).answer("what was revenue in 2019 less 100?")
    assert answer.value is None or answer.value.number != Decimal("1199999900")


def test_that_less_another_named_figure_combines_the_two_not_the_named_one_alone() -> None:
    """ "That less the value of Loews common stock in 2018": the figure just given less the one
    the question names, looked up on its own; not the named figure read alone."""
    engine = engine_for("graph", _GRAPH)
    conversation = Conversation()
    engine.answer("what was the s&p 500 index in 2018?", Filters(doc="graph.md"), conversation)
    answer = engine.answer(
        "what is that less the value of loews common stock in 2018?",
        Filters(doc="graph.md"),
        conversation,
    )
    assert answer.value is not None and answer.value.number == Decimal("-145.29")
    assert answer.program == "subtract(165.84, 311.13)"
    assert [c.as_printed for c in answer.citations] == ["165.84", "311.13"]


def test_the_difference_between_the_two_after_a_refused_turn_is_refused() -> None:
    engine = engine_for("graph", _GRAPH)
    conversation = Conversation()
    engine.answer("what was the s&p 500 index in 2018?", Filters(doc="graph.md"), conversation)
    engine.answer("what was the russell 2000 index in 2018?", Filters(doc="graph.md"), conversation)
    answer = engine.answer(
        "what is the difference between the two?", Filters(doc="graph.md"), conversation
    )
    assert (answer.status, answer.value) == ("not_found", None)
    assert answer.answer is not None and "did not give" in answer.answer


_SALES = (
    "North American consumer packaging net sales were $2.2 billion compared with $2.5 billion "
    "in 2008 and $2.4 billion in 2007.\n"
)


def test_a_figure_without_a_year_is_not_the_year_another_figure_states() -> None:
    engine = engine_for("sales", _SALES)
    for year, amount in (("2008", "2500000000"), ("2007", "2400000000")):
        answer = engine.answer(f"what were north american consumer packaging net sales in {year}?")
        assert answer.value is not None and answer.value.number == Decimal(amount), year
