"""The regression guard: the golden files and the first 100 TAT-QA dev questions, scored on
every test run against the figures recorded in ``evals/guard.json``.

Correct may fall at most ``correct_drop`` points and wrong rise at most ``wrong_rise`` points
before this fails; the recorded figures are raised deliberately, in their own commit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evals import golden, tatqa
from evals.harness import ROOT, summarize

GUARD = json.loads((ROOT / "evals" / "guard.json").read_text())
TATQA_SLICE = Path(__file__).parent / "data" / "tatqa" / "tatqa_dev_first100.json"


def check(name: str, summary: dict[str, Any]) -> None:
    recorded = GUARD[name]
    assert summary["n"] == recorded["n"], f"{name}: {summary['n']} questions, not {recorded['n']}"
    floor = recorded["correct"] - GUARD["correct_drop"]
    ceiling = recorded["wrong"] + GUARD["wrong_rise"]
    assert summary["correct"] >= floor, (
        f"{name}: correct fell to {summary['correct']}% (recorded {recorded['correct']}%)"
    )
    assert summary["wrong"] <= ceiling, (
        f"{name}: wrong rose to {summary['wrong']}% (recorded {recorded['wrong']}%)"
    )


@pytest.mark.slow
def test_golden_files_hold_their_recorded_figures(
    tmp_path_factory: pytest.TempPathFactory, filings: Path
) -> None:
    items = golden.load(sorted(golden.GOLDEN.glob("*.jsonl")))
    engine = golden.engine_for(items, tmp_path_factory.mktemp("guard"), filings)
    check("golden", summarize(golden.evaluate(engine, items)))


def test_first_100_tatqa_dev_questions_hold_their_recorded_figures() -> None:
    records = tatqa.evaluate(TATQA_SLICE)
    summary = summarize(records, tatqa.METRICS)
    check("tatqa_dev_first100", summary)
    assert summary["em"] == summary["correct"]


def test_the_guard_fails_on_a_drop() -> None:
    recorded = GUARD["golden"]
    worse = {"n": recorded["n"], "correct": recorded["correct"] - 2.5, "wrong": recorded["wrong"]}
    with pytest.raises(AssertionError, match="correct fell"):
        check("golden", worse)
    worse = {"n": recorded["n"], "correct": recorded["correct"], "wrong": recorded["wrong"] + 1.5}
    with pytest.raises(AssertionError, match="wrong rose"):
        check("golden", worse)
