"""The eval harness: golden scoring rules (FORMATS.md), TAT-QA's official metric and adapter,
the FinQA adapter on a FinQA-format file written from a page of the Juniper filing, and the
``crossfoot eval`` commands with their results.json, report.html and --compare."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from evals import finqa, tatqa
from evals.golden import number_matches, verdict
from evals.harness import percentile, summarize
from evals.tatqa_metric import answer_string, normalize, score
from retrieval.answer import Answer, Citation, Value

DATA = Path(__file__).parent / "data"
TATQA_SLICE = DATA / "tatqa" / "tatqa_dev_first100.json"
FINQA_SAMPLE = DATA / "finqa" / "juniper_q4fy2007_finqa.json"
ROOT = Path(__file__).resolve().parents[1]


def answered(number: str, unit: str, *citations: Citation) -> Answer:
    return Answer("q", "answered", "text", Value(Decimal(number), unit, number), None, citations)


def cell(scale: str | None, printed: str = "1") -> Citation:
    return Citation("d", "d.md", "table_cell", "t", "r", "c", printed, scale, None, 0, 1)


def sentence(printed: str) -> Citation:
    return Citation("d", "d.md", "sentence", None, None, None, printed, None, None, 0, 1)


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


# TAT-QA's official metric: the published script's rules


def tq(kind: str, answer: object, scale: str = "") -> dict[str, object]:
    return {"answer_type": kind, "answer": answer, "scale": scale}


@pytest.mark.parametrize(
    ("question", "prediction", "scale", "em", "f1"),
    [
        (tq("arithmetic", -12.14, "percent"), "-12.1447", "percent", 1.0, 1.0),
        (tq("arithmetic", -12.14, "percent"), "-0.121447", "", 1.0, 1.0),  # a ratio
        (tq("arithmetic", -12.14, "percent"), "-12.14", "", 0.0, 0.0),  # scale wrong
        (tq("arithmetic", -12.14, "percent"), "12.14", "percent", 0.0, 0.0),  # sign wrong
        (tq("arithmetic", -94, "million"), "-94000000", "", 1.0, 1.0),  # scale multiplied out
        (tq("arithmetic", -94, "million"), "-94", "thousand", 0.0, 0.0),
        (tq("span", ["$1,496.5"], "million"), "1496.5", "million", 1.0, 1.0),
        (tq("span", ["(427)"], "thousand"), "-427", "thousand", 1.0, 1.0),
        # the script's rule: parentheses make a number negative only without a comma in them
        (tq("span", ["(2,427)"], "thousand"), "2427", "thousand", 1.0, 1.0),
        (tq("span", ["3.6%"], ""), "3.6", "percent", 1.0, 1.0),
        (tq("count", 3), "3", "", 1.0, 1.0),
        (tq("span", ["Annual basis"]), "on an annual basis", "", 0.0, 0.8),
        (
            tq("multi-span", ["fixed-price type", "cost-plus type"]),
            ["cost-plus type", "fixed-price type"],
            "",
            1.0,
            1.0,
        ),
        (tq("multi-span", ["fixed-price type", "cost-plus type"]), "cost-plus type", "", 0.0, 0.8),
        (tq("span", ["2019"]), None, "", 0.0, 0.0),
    ],
)
def test_tatqa_official_em_and_f1(
    question: dict[str, object], prediction: object, scale: str, em: float, f1: float
) -> None:
    assert score(question, prediction, scale) == (em, f1)  # type: ignore[arg-type]


def test_tatqa_normalisation() -> None:
    assert (
        normalize("The (134) Fixed-Price 1,496.5 and an apple")
        == "-134.0 fixedprice 1496.5 and apple"
    )
    assert answer_string(["$1,496.5"], "million") == "1496500000.0000"
    assert answer_string(["12%"], "percent") == "0.1200"
    assert answer_string(["b", "a"], "") == "a b"


def test_tatqa_prediction_in_the_tables_own_scale() -> None:
    thousands = answered("42271000", "USD", cell("thousands"), cell("thousands"))
    assert tatqa.prediction(thousands) == ("42271", "thousand")
    unstated = answered("42271", "USD", cell(None))
    assert tatqa.prediction(unstated, "thousand") == ("42271", "thousand")
    assert tatqa.prediction(answered("-12.5", "percent", cell(None))) == ("-12.5", "percent")
    assert tatqa.prediction(answered("1.85", "ratio", cell("millions"))) == ("1.85", "")
    prose = answered("85100000", "USD", sentence("$85.1 million"))
    assert tatqa.prediction(prose, "million") == ("85100000", "")
    assert tatqa.prediction(Answer("q", "not_found", "no")) == (None, "")
    assert tatqa.prediction(Answer("q", "answered", "Annual basis.")) == ("Annual basis.", "")
    years = Answer("q", "answered", "2019 and 2018. Total equity was 1,220.5 in FY2019, ...")
    assert tatqa.prediction(years) == (["2019", "2018"], "")


def test_tatqa_stated_scale() -> None:
    assert tatqa.stated_scale("All amounts in thousands of dollars") == "thousand"
    assert tatqa.stated_scale("($ in millions)") == "million"
    assert tatqa.stated_scale("| $'000 | 2019 |") == "thousand"
    assert tatqa.stated_scale("Revenue grew in 2019") == ""


def test_tatqa_adapter_on_the_first_100_dev_questions() -> None:
    records = tatqa.evaluate(TATQA_SLICE)
    assert len(records) == 100
    first_arithmetic = next(r for r in records if r.groups["answer_type"] == "arithmetic")
    assert first_arithmetic.question == "What is the change in Other in 2019 from 2018?"
    assert first_arithmetic.prediction == {"answer": "-12.6", "scale": "million"}
    assert (first_arithmetic.verdict, first_arithmetic.scores) == (
        "correct",
        {"em": 1.0, "f1": 1.0},
    )
    assert first_arithmetic.answer.program == "subtract(44.1, 56.7)"
    span = records[1]
    assert (span.question, span.prediction, span.verdict) == (
        "What is the amount of total sales in 2019?",
        {"answer": "1496.5", "scale": "million"},
        "correct",
    )
    largest = records[3]
    assert (largest.question, largest.prediction, largest.verdict) == (
        "In which year is the amount of total sales the largest?",
        {"answer": ["2019"], "scale": ""},
        "correct",
    )
    summary = summarize(records, tatqa.METRICS)
    assert set(summary["breakdown"]) == {"answer_type", "answer_source"}
    assert sum(g["n"] for g in summary["breakdown"]["answer_type"].values()) == 100
    assert summary["em"] == summary["correct"]


def test_tatqa_limit_counts_questions() -> None:
    contexts = json.loads(TATQA_SLICE.read_text())
    asked = list(tatqa.questions(contexts, 7))
    assert sum(len(q) for _, q in asked) == 7
    assert tatqa.count(TATQA_SLICE) == 100
    assert tatqa.count(TATQA_SLICE, 7) == 7


# FinQA


def test_finqa_detokenize_and_program_shape() -> None:
    assert (
        finqa.detokenize("were $ 35.9 million , or ( 1,234 ) .")
        == "were $35.9 million, or (1,234)."
    )
    assert finqa.detokenize("up 5 % from 2006 's level") == "up 5% from 2006's level"
    assert finqa.shape("subtract(809182, 595830), divide(#0, 595830)") == ("subtract", "2")
    assert finqa.shape("divide(1, 2)") == ("divide", "1")
    assert finqa.shape("add(1, 2), add(#0, 3), divide(#1, 3)") == ("add", "3+")


def test_finqa_execution_accuracy_rules() -> None:
    assert finqa.executed(0.14464, [Decimal("14.464") / 100]) == (1.0, 1.0)
    assert finqa.executed(0.144644, [Decimal("0.144636")]) == (1.0, 1.0)  # 5 decimals
    assert finqa.executed(0.14464, [Decimal("0.1446")]) == (0.0, 1.0)  # within 0.5%
    assert finqa.executed(0.14464, [Decimal("0.15")]) == (0.0, 0.0)
    assert finqa.executed("yes", [Decimal(1)]) == (0.0, 0.0)
    percent = answered("14.464", "percent", cell("thousands"))
    assert finqa.candidates(percent) == [Decimal("0.14464")]
    thousands = answered("809182000", "USD", cell("thousands"))
    assert finqa.candidates(thousands) == [Decimal("809182000"), Decimal("809182")]
    prose = answered("35900000", "USD", sentence("$35.9 million"))
    assert finqa.candidates(prose) == [Decimal("35900000"), Decimal("35.9")]


def test_finqa_adapter_on_a_page_of_the_juniper_filing() -> None:
    records = finqa.evaluate(FINQA_SAMPLE)
    assert [(r.verdict, r.groups["operation"], r.groups["steps"]) for r in records] == [
        ("correct", "subtract", "2"),
        ("correct", "divide", "1"),
        ("correct", "subtract", "1"),
        ("correct", "add", "1"),
        ("refused", "divide", "1"),
        ("correct", "divide", "1"),
        ("correct", "subtract", "1"),
    ]
    assert [r.answer.program for r in records] == [
        "divide(subtract(809182, 595830), 595830)",
        "divide(1908450, 2836088)",
        "subtract(2326983, 1893328)",
        "table_sum(165279, 181425)",
        None,
        "divide(35900000, 28400000)",
        "subtract(407062, -997782)",
    ]
    summary = summarize(records, finqa.METRICS)
    assert (summary["n"], summary["execution_accuracy"], summary["refused"]) == (7, 85.71, 14.29)


def test_finqa_rejects_other_json(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"data": []}')
    with pytest.raises(ValueError, match=r"wrong\.json: not a FinQA JSON file"):
        finqa.load(wrong)


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)) == (
        50.0,
        95.0,
        99.0,
    )
    assert percentile([], 0.5) == 0.0


# The commands, as a user runs them


def crossfoot(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "crossfoot"
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, timeout=600, cwd=cwd
    )


def test_eval_tatqa_and_finqa_commands_write_results_report_and_compare(tmp_path: Path) -> None:
    first = crossfoot(
        "eval", "tatqa", str(TATQA_SLICE), "--limit", "12", "--out", str(tmp_path / "a")
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("tatqa  n=12  correct ")
    results = json.loads((tmp_path / "a" / "results.json").read_text())
    assert results["benchmark"] == "tatqa"
    assert set(results["summary"]) >= {"n", "correct", "refused", "wrong", "em", "f1"}
    assert len(results["records"]) == 12
    assert set(results["records"][0]) >= {
        "id",
        "question",
        "gold",
        "answer",
        "verdict",
        "latency_ms",
    }
    html = (tmp_path / "a" / "report.html").read_text()
    assert "What is the amount of total sales in 2019?" not in html.split("Failures", 1)[-1]

    second = crossfoot(
        "eval", "tatqa", str(TATQA_SLICE), "--limit", "12", "--lexical",
        "--out", str(tmp_path / "b"), "--compare", str(tmp_path / "a" / "results.json"),
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    lexical = json.loads((tmp_path / "b" / "results.json").read_text())
    assert lexical["settings"]["search"] == "lexical"
    assert results["settings"]["search"] == "hybrid"
    assert f"vs {tmp_path / 'a' / 'results.json'}" in second.stdout

    fin = crossfoot("eval", "finqa", str(FINQA_SAMPLE), "--out", str(tmp_path / "f"))
    assert fin.returncode == 0, fin.stderr
    assert fin.stdout.startswith(
        "finqa  n=7  correct 85.7%  refused 14.3%  wrong 0.0%  exec. accuracy 85.7%"
    )

    bad = crossfoot("eval", "finqa", str(TATQA_SLICE), "--out", str(tmp_path / "x"))
    assert bad.returncode == 1
    assert "not a FinQA JSON file" in bad.stderr
    assert not (tmp_path / "x").exists()
    missing = crossfoot("eval", "tatqa", str(tmp_path / "nope.json"))
    assert missing.returncode == 1
    assert "not a TAT-QA JSON file" in missing.stderr
