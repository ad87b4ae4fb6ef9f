"""The eval harness's scoring rules (FORMATS.md) and the TAT-QA adapter on a slice of dev."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evals import tatqa
from evals.golden import number_matches, verdict
from retrieval.answer import Answer, Value


def answered(number: str, unit: str) -> Answer:
    return Answer("q", "answered", "text", Value(Decimal(number), unit, number))


@pytest.mark.parametrize(
    ("gold", "number", "unit", "ok"),
    [
        ({"number": "809182000", "unit": "USD", "tolerance_pct": 0.01}, "809182000", "USD", True),
        ({"number": "809182000", "unit": "USD", "tolerance_pct": 0.01}, "809300000", "USD", False),
        (
            {"number": "809182000", "unit": "USD", "tolerance_pct": 0.01},
            "809182000",
            "shares",
            False,
        ),
        ({"number": "35.81", "unit": "percent", "tolerance_abs": 0.1}, "35.75", "percent", True),
        ({"number": "35.81", "unit": "percent", "tolerance_abs": 0.1}, "35.6", "percent", False),
        (
            {"number": "-1001405000", "unit": "USD", "abs": True, "tolerance_pct": 0.01},
            "1001405000",
            "USD",
            True,
        ),
        (
            {"number": "-1001405000", "unit": "USD", "tolerance_pct": 0.01},
            "1001405000",
            "USD",
            False,
        ),
    ],
)
def test_number_matches(gold: dict[str, object], number: str, unit: str, ok: bool) -> None:
    assert number_matches(gold, Decimal(number), unit) is ok


def test_verdicts() -> None:
    lookup = {"kind": "lookup", "gold": {"number": "1", "unit": "USD"}}
    assert verdict(lookup, answered("1", "USD")) == "correct"
    assert verdict(lookup, answered("2", "USD")) == "wrong"
    assert verdict(lookup, Answer("q", "not_found", "no")) == "refused"
    missing = {"kind": "not_found", "gold": {"unit": "none"}}
    assert verdict(missing, Answer("q", "not_found", "no")) == "correct"
    assert verdict(missing, answered("1", "USD")) == "wrong"
    narrative = {"kind": "narrative", "gold": {"text_any": ["Elion", "Neo Telecoms"]}}
    assert verdict(narrative, Answer("q", "answered", "… selected by neo telecoms …")) == "correct"
    assert verdict(narrative, Answer("q", "answered", "Verizon")) == "wrong"


def test_tatqa_adapter_on_a_slice(capsys: pytest.CaptureFixture[str]) -> None:
    if not tatqa.DATASET.exists():
        pytest.skip("the shared TAT-QA dev split is not on this machine")
    tatqa.main(["--limit", "20", "--show", "0"])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(
        "TAT-QA dev, arithmetic questions from tables: 36 questions, exact match "
    )


def test_tatqa_exact_match_is_scale_aware() -> None:
    assert tatqa.exact(Decimal("-94000000"), "USD", Decimal("-94"), "million")
    assert tatqa.exact(Decimal("-12.144"), "percent", Decimal("-12.14"), "percent")
    assert not tatqa.exact(Decimal("94000000"), "USD", Decimal("-94"), "million")
    assert tatqa.exact(Decimal("2.9306"), "ratio", Decimal("2.93"), "")
