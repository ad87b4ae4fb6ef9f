"""A figure question that no table row answers may be answered in the filing's words
(``Narrative.instead``), but not by a passage without a figure when it asks for a period's
figure (a TAT-QA dev context copied unchanged into ``tests/data``)."""

from __future__ import annotations

import json
from pathlib import Path

from evals import tatqa
from retrieval.answer import Filters

DATA = Path(__file__).resolve().parents[1] / "data" / "tatqa" / "tatqa_dev_words_for_figures.json"


def _engine():  # type: ignore[no-untyped-def]
    context = json.loads(DATA.read_text(encoding="utf-8"))[0]
    return tatqa.engine_for("goodwill", tatqa.markdown(context))


def test_a_periods_figure_is_not_a_passage_without_one() -> None:
    """The table's goodwill roll-forward has no line the rules take for the year-end balance;
    the passage "The value of Autodesk's goodwill could also be impacted by ..." names no
    figure, so the question is refused, not answered with it."""
    answer = _engine().answer(
        "What was Autodesk's goodwill at the end of 2018?", Filters(doc="goodwill.md")
    )
    assert answer.status == "not_found" and answer.value is None
    assert answer.answer == (
        "The closest figure, “Goodwill, beginning of the year”, is not the end figure the "
        "question asks for."
    )


def test_a_question_in_words_is_still_answered_in_words() -> None:
    answer = _engine().answer("What does goodwill consist of?", Filters(doc="goodwill.md"))
    assert answer.status == "answered"
    assert answer.span == (
        "the excess of the consideration transferred over the fair value of net assets "
        "acquired in business combinations"
    )
