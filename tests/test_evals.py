"""The eval harness: golden scoring rules (FORMATS.md), TAT-QA's official metric and adapter
(with the scale of table, sentence and computed figures), the FinQA adapter on a FinQA-format
file written from a page of the Juniper filing and on real FinQA dev records (FinQA's cell
quirks, yes/no questions), the ConvFinQA adapter on real dev conversations (every turn in its
conversation), and the ``crossfoot eval`` commands with their results.json, report.html and
--compare.  Everything runs on the lexical (parse-only) path except the first command test's
hybrid TAT-QA run."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from evals import convfinqa, finqa, tatqa
from evals.golden import number_matches, verdict
from evals.harness import percentile, summarize
from evals.tatqa_metric import answer_string, normalize, score
from retrieval.answer import Answer, Citation, Conversation, Filters, Value

DATA = Path(__file__).parent / "data"
TATQA_SLICE = DATA / "tatqa" / "tatqa_dev_first100.json"
FINQA_SAMPLE = DATA / "finqa" / "juniper_q4fy2007_finqa.json"
FINQA_DEV = DATA / "finqa" / "finqa_dev_sample.json"
CONVFINQA_DEV = DATA / "convfinqa" / "convfinqa_dev_sample.json"
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
    assert tatqa.prediction(prose, "million") == ("85.1", "million")
    assert tatqa.prediction(Answer("q", "not_found", "no")) == (None, "")
    assert tatqa.prediction(Answer("q", "answered", "Annual basis.")) == ("Annual basis.", "")
    years = Answer("q", "answered", "2019 and 2018. Total equity was 1,220.5 in FY2019, ...")
    assert tatqa.prediction(years) == (["2019", "2018"], "")


def test_tatqa_a_looked_up_cell_is_given_as_printed() -> None:
    """TAT-QA copies a looked-up cell as a span and its metric reads "(2,085)" as 2085 and a
    printed "−298" as text: a one-cell lookup is given as the cell prints it (TAT-QA dev's
    "What was the interest expense in 2018?", gold "(2,085)", was scored wrong as -2085)."""

    def lookup(number: str, unit: str, *cells: Citation) -> Answer:
        return replace(answered(number, unit, *cells), kind="lookup")

    expense = lookup("-2085000", "USD", cell("thousands", "(2,085)"))
    assert tatqa.prediction(expense) == ("(2,085)", "thousand")
    question = tq("span", ["(2,085)"], "thousand")
    assert score(question, *tatqa.prediction(expense)) == (1.0, 1.0)
    assert score(question, "-2085", "thousand") == (0.0, 0.0)
    taxes = lookup("-298", "USD", cell(None, "−298"))
    assert tatqa.prediction(taxes, "million") == ("−298", "million")
    assert score(tq("span", ["−298"], "million"), "−298", "million") == (1.0, 1.0)
    # a cell whose figure is not the answer's (cents shown as dollars), a percentage, two
    # cells, a computed answer: as before
    assert tatqa.prediction(lookup("2", "USD", cell(None, "$1.50"))) == ("2", "")
    assert tatqa.prediction(lookup("27.1", "percent", cell(None, "27.1%"))) == ("27.1", "percent")
    two = lookup("42271", "USD", cell(None, "42,271"), cell(None, "42,271"))
    assert tatqa.prediction(two) == ("42271", "")
    computed = answered("-2085", "USD", cell(None, "(2,085)"))
    assert tatqa.prediction(computed) == ("-2085", "")


def test_tatqa_stated_scale() -> None:
    assert tatqa.stated_scale("All amounts in thousands of dollars") == "thousand"
    assert tatqa.stated_scale("($ in millions)") == "million"
    assert tatqa.stated_scale("| $'000 | 2019 |") == "thousand"
    assert tatqa.stated_scale("Revenue grew in 2019") == ""
    # the forms TAT-QA's tables print their units in
    assert tatqa.stated_scale("|  | 2019 €m | 2018 €m |") == "million"
    assert tatqa.stated_scale("|  | $’000 | $’000 |") == "thousand"
    assert tatqa.stated_scale("| USDm | 2019 |") == "million"
    assert tatqa.stated_scale("| $ million | 2019 | Change (%) |") == "million"
    assert tatqa.stated_scale("| (in million) | January 31, 2019 |") == "million"
    assert tatqa.stated_scale("| RMB’Million | RMB’Million |") == "million"
    assert tatqa.stated_scale("Appropriation of earnings (in thousand NT dollars)") == "thousand"
    assert tatqa.stated_scale("We paid $5m in 2019. Revenue was $2 million.") == ""
    assert tatqa.stated_scale("Comparison of Year Ended December 31, 2019 (in 000’s)") == "thousand"
    # the table's own header before a sentence elsewhere
    assert tatqa.stated_scale("(in thousands) in a note\n\n| $ million | 2019 |") == "million"


def test_tatqa_scale_of_table_sentence_and_computed_answers() -> None:
    """The scale reported is the one TAT-QA's metric expects: the metric rounds to two decimals
    in that scale before multiplying out, so whole units are not the same answer."""
    difference = answered("-12600", "USD", cell("thousands", "44,100"), cell("thousands"))
    assert tatqa.prediction(difference) == ("-12.6", "thousand")
    ratio_in_percent = answered("14.4644", "percent", cell("thousands"), cell("thousands"))
    assert tatqa.prediction(ratio_in_percent) == ("14.4644", "percent")
    assert tatqa.prediction(answered("2.5", "USD/share", cell("millions"))) == ("2.5", "")
    billion = answered("1200000000", "USD", sentence("$1.2 billion"))
    assert tatqa.prediction(billion) == ("1.2", "billion")
    average = answered("1375000", "USD", sentence("$1.5 million"), sentence("$1.25 million"))
    assert tatqa.prediction(average) == ("1.375", "million")
    gold = tq("arithmetic", 1.38, "million")  # TAT-QA's gold, rounded to two decimals
    assert score(gold, *tatqa.prediction(average)) == (1.0, 1.0)
    assert score(gold, "1375000", "") == (0.0, 0.0)  # the whole-units prediction it replaces
    mixed = answered("5100500", "USD", sentence("$5.1 million"), sentence("500"))
    assert tatqa.prediction(mixed) == ("5100500", "")
    counted = answered("1027", "count", sentence("1,027"))
    assert tatqa.prediction(counted) == ("1027", "")


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
        {"answer": "$1,496.5", "scale": "million"},  # the cell as printed
        "correct",
    )
    largest = records[3]
    assert (largest.question, largest.prediction, largest.verdict) == (
        "In which year is the amount of total sales the largest?",
        {"answer": ["2019"], "scale": ""},
        "correct",
    )
    summary = summarize(records, tatqa.METRICS)
    assert set(summary["breakdown"]) == {"answer_type", "answer_source", "answered_as"}
    assert sum(g["n"] for g in summary["breakdown"]["answer_type"].values()) == 100
    # what kind of answer each was: of the passages, the wrong ones whose cited sentence holds
    # the gold span (a short answer read off the right sentence) and the others
    kinds = Counter((r.groups["answered_as"], r.verdict) for r in records)
    assert kinds == {
        ("figure", "correct"): 36,
        ("figure", "wrong"): 5,
        ("lines or periods named", "correct"): 13,
        (tatqa.HOLDS, "correct"): 5,
        (tatqa.HOLDS, "wrong"): 8,
        ("passage, other", "wrong"): 3,
        ("refused", "refused"): 30,
    }
    board = next(r for r in records if r.question == "Who approved the financial statements?")
    assert board.groups["answered_as"] == tatqa.HOLDS
    assert board.prediction["answer"] == (
        "were approved by the Board of Directors on 6 June 2019 and authorised for issue"
    )
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


def test_finqa_questions_lose_their_escaped_line_breaks() -> None:
    """FinQA dev keeps some line breaks as backslashes and an "n": dev-656 asks "... greater
    than the notional amount of" + that + "derivatives not designated ...", which was read as
    a word "nderivatives" and refused."""
    escaped = "goodwill was what percent of the mondavi acquisition?\\\\n"
    assert finqa.asked(escaped) == "goodwill was what percent of the mondavi acquisition?"
    assert finqa.asked("amount of\\\\nderivatives not") == "amount of derivatives not"
    assert finqa.asked("amount of\\nderivatives not") == "amount of derivatives not"
    assert finqa.asked("the net change in revenue") == "the net change in revenue"


def test_finqa_execution_accuracy_rules() -> None:
    assert finqa.executed(0.14464, [Decimal("14.464") / 100]) == (1.0, 1.0)
    assert finqa.executed(0.144644, [Decimal("0.144636")]) == (1.0, 1.0)  # 5 decimals
    assert finqa.executed(0.14464, [Decimal("0.1446")]) == (0.0, 1.0)  # within 0.5%
    assert finqa.executed(0.14464, [Decimal("0.15")]) == (0.0, 0.0)
    assert finqa.executed("yes", [Decimal(1)]) == (0.0, 0.0)
    percent = answered("14.464", "percent", cell("thousands"))
    assert finqa.candidates(percent) == [Decimal("0.14464"), Decimal("14.464")]
    thousands = answered("809182000", "USD", cell("thousands"))
    assert finqa.candidates(thousands) == [Decimal("809182000"), Decimal("809182")]
    prose = answered("35900000", "USD", sentence("$35.9 million"))
    assert finqa.candidates(prose) == [Decimal("35900000"), Decimal("35900"), Decimal("35.9")]
    # "$2.2 billion" is also 2,200 in a page whose tables are in millions
    billions = answered("2200000000", "USD", sentence("$2.2 billion"))
    assert finqa.candidates(billions) == [
        Decimal("2200000000"),
        Decimal("2200000"),
        Decimal("2200"),
        Decimal("2.2"),
    ]


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
    # the page's table states no scale; its text's "$809.2 million" reads it in thousands
    assert [r.answer.program for r in records] == [
        "divide(subtract(809182000, 595830000), 595830000)",
        "divide(1908450000, 2836088000)",
        "subtract(2326983000, 1893328000)",
        "table_sum(165279000, 181425000)",
        None,
        "divide(35900000, 28400000)",
        "subtract(407062000, -997782000)",
    ]
    summary = summarize(records, finqa.METRICS)
    assert (summary["n"], summary["execution_accuracy"], summary["refused"]) == (7, 85.71, 14.29)


def test_finqa_rejects_other_json(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"data": []}')
    with pytest.raises(ValueError, match=r"wrong\.json: not a FinQA JSON file"):
        finqa.load(wrong)


def test_finqa_cell_quirks_read_as_printed() -> None:
    assert finqa.table_cell("11.1% ( 11.1 % )") == "11.1%"
    assert finqa.table_cell("-1342 ( 1342 )") == "(1342)"
    assert finqa.table_cell("$ -181 ( 181 )") == "$(181)"
    assert finqa.table_cell("( 0.4 ) % (  % )") == "(0.4)%"
    assert finqa.table_cell("2014") == "—"  # an em dash that lost its encoding
    assert finqa.table_cell("$ 2014") == "—"
    assert finqa.table_cell("$ 2457") == "$2457"
    assert finqa.detokenize("up 5% ( 5 % ) in 2007 .") == "up 5% in 2007."
    assert finqa.detokenize("the cardholder 2019s account") == "the cardholder's account"
    assert finqa.detokenize("item 5 2014market for ( 201cawards 201d )") == (
        'item 5 — market for ("awards")'
    )
    assert finqa.detokenize("in 2014 and 2013") == "in 2014 and 2013"  # years stay


def test_finqa_dev_reader_on_real_records() -> None:
    """Five records of dev_evidence.json: qa.answer null, post_text [], exe_ans yes/no."""
    records = finqa.load(FINQA_DEV)
    page = finqa.markdown(records[1])  # dev-25: percentages printed twice
    assert "| aaa/aaa | 14% | 19% |" in page
    assert "| total | 100% | 100% |" in page
    assert "| currency hedges | $150 | $(233) | $160 |" in finqa.markdown(records[2])
    found = finqa.evaluate(FINQA_DEV)
    assert [(r.id, r.verdict, r.groups["operation"], r.groups["steps"]) for r in found] == [
        ("dev-0", "refused", "divide", "1"),
        # the rows are "aaa/aaa", "bbb/baa or below": nothing says "securities rated"
        ("dev-25", "refused", "subtract", "1"),
        ("dev-96", "correct", "subtract", "1"),
        ("dev-144", "refused", "yes/no", "1"),
        ("dev-684", "refused", "yes/no", "1"),
    ]
    assert found[0].gold == {
        "answer": None,
        "exe_ans": 127.4,
        "filename": "V/2008/page_17.pdf",
        "dev_index": 0,
    }
    assert found[2].answer.program == "subtract(150000000, -233000000)"  # "-233 ( 233 )"
    assert found[2].scores == {"execution_accuracy": 1.0, "execution_accuracy_tolerance": 1.0}
    assert found[3].gold_program == "greater(14, 19)"
    # "more significant than ... due to the retail electric price change": no figure says so
    assert found[4].prediction is None
    summary = summarize(found, finqa.METRICS)
    assert (summary["correct"], summary["refused"], summary["wrong"]) == (20.0, 80.0, 0.0)
    assert summary["breakdown"]["operation"]["yes/no"] == {
        "n": 2,
        "correct": 0.0,
        "refused": 100.0,
        "wrong": 0.0,
        "execution_accuracy": 0.0,
        "execution_accuracy_tolerance": 0.0,
    }


def said(text: str, status: str = "answered") -> Answer:
    return Answer("q", status, text)


def test_yes_no_scoring() -> None:
    assert finqa.yes_no(said("No. 14% in 2009 against 19% in 2008.")) == "no"
    assert finqa.yes_no(said("yes, it did")) == "yes"
    assert finqa.yes_no(said("Nothing changed")) is None  # a word, not "no"
    assert finqa.yes_no(said("Not in 2009")) is None
    assert finqa.yes_no(said("No figure matches", "not_found")) is None  # a refusal
    assert finqa.scored("no", said("No, it decreased.")) == (1.0, 1.0)
    assert finqa.scored("yes", said("No, it decreased.")) == (0.0, 0.0)
    assert finqa.scored(" Yes", said("YES: 7.0 against 5.4")) == (1.0, 1.0)
    assert finqa.scored("yes", answered("1", "count")) == (0.0, 0.0)
    assert finqa.scored(0.5, said("Yes")) == (0.0, 0.0)
    assert finqa.verdict(0.0, said("No figure", "not_found")) == "refused"
    assert finqa.verdict(0.0, said("Yes")) == "wrong"
    assert finqa.predicted(said("No, it fell")) == {"yes/no": "no"}
    assert finqa.predicted(said("It fell")) is None


def test_finqa_yes_no_questions_scored_from_the_answer_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the engine says "No ..." (its coming ``greater``: value null), the row counts."""

    class Says:
        def __init__(self, text: str) -> None:
            self.text = text

        def answer(self, question: str, *_: object, **__: object) -> Answer:
            return Answer(question, "answered", self.text)

    says = Says("No. 14% against 19%.")
    monkeypatch.setattr(finqa, "engine_for", lambda name, text, fold=None: says)
    found = finqa.evaluate(FINQA_DEV)
    assert [r.verdict for r in found] == ["wrong", "wrong", "wrong", "correct", "wrong"]
    assert found[3].prediction == {"yes/no": "no"}
    yes_no = summarize(found, finqa.METRICS)["breakdown"]["operation"]["yes/no"]
    assert (yes_no["n"], yes_no["correct"], yes_no["execution_accuracy"]) == (2, 50.0, 50.0)


# ConvFinQA


def test_convfinqa_table_values_as_printed_cells() -> None:
    assert convfinqa.printed(1234.5) == "1,234.5"
    assert convfinqa.printed(60.94) == "60.94"
    assert convfinqa.printed(5.0) == "5"
    assert convfinqa.printed(-27.0) == "-27"  # the sign as stored (see the module's notes)
    assert convfinqa.printed(-1641.6) == "-1,641.6"
    assert convfinqa.printed(1234567.0) == "1,234,567"
    assert convfinqa.printed(2007.0) == "2007"  # a year: no separator
    assert convfinqa.printed(2014.0) == "—"  # FinQA's lost em dash
    assert convfinqa.printed(0.0001) == "0.0001"
    assert convfinqa.printed("( a )") == "(a)"
    table = {"2008": {"a": 1.0, "b": 2.5}, "2007": {"a": -3.0, "c": 1000.0}}
    assert convfinqa.rows(table) == [
        ["", "2008", "2007"],
        ["a", "1", "-3"],
        ["b", "2.5", ""],
        ["c", "", "1,000"],
    ]
    assert convfinqa.sentences("in 2007 , 2006 and 2005 . the u.s . notes rose . dec . 31 .") == [
        "in 2007 , 2006 and 2005 .",
        "the u.s . notes rose .",
        "dec . 31 .",
    ]
    assert convfinqa.sentences(".") == []
    assert [convfinqa.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd",
    ]  # fmt: skip
    assert convfinqa.operation("60.94", 60.94) == "lookup"
    assert convfinqa.operation("subtract(60.94, 25.14), divide(#0, 25.14)", 1.4) == (
        "subtract, divide"
    )
    assert convfinqa.operation("add(1, 2), add(#0, 3), divide(#1, 3)", 2.0) == "3+ steps"
    assert convfinqa.operation("subtract(1, 2), greater(#0, 3)", "no") == "yes/no"


def test_convfinqa_page_from_a_real_conversation() -> None:
    record = convfinqa.load(CONVFINQA_DEV)[0]  # Single_MRO/2007/page_134.pdf-1
    page = convfinqa.markdown(record)
    assert "|  | 2007 | 2006 | 2005 |\n|---|---|---|---|\n" in page
    assert "| weighted average exercise price per share | 60.94 | 37.84 | 25.14 |" in page
    assert "| expected volatility | -27 | -28 | -28 |" in page
    assert (
        "\n\nthe total related income tax benefits were $29 million, $31 million and $39 " in page
    )
    assert page.index("black-scholes assumptions") < page.index("| 2007 |")
    assert convfinqa.suspect_signs(record) == 0
    aes = convfinqa.load(CONVFINQA_DEV)[2]  # text cells and a header of figures
    assert "| second quarter | 9.17 | 3.55 | second quarter | 52.25 | 39.95 |" in (
        convfinqa.markdown(aes)
    )


def test_convfinqa_turns_answered_in_their_conversation() -> None:
    records = convfinqa.evaluate(CONVFINQA_DEV)
    assert [(r.id.split("/")[0] + r.id[r.id.index("#") :], r.verdict) for r in records] == [
        ("Single_MRO#1", "correct"),
        ("Single_MRO#2", "correct"),  # "and what was it in 2005?"
        ("Single_MRO#3", "correct"),  # "what was, then, the change over the years?"
        ("Single_MRO#4", "correct"),
        ("Single_MRO#5", "correct"),  # "how much does that change represent in relation to ..."
        ("Single_UNP#1", "correct"),
        ("Single_UNP#2", "correct"),  # "and in 2007?"
        ("Single_UNP#3", "correct"),  # "so what was the difference between the two years?"
        ("Single_UNP#4", "correct"),
        ("Single_UNP#5", "correct"),  # "so what was the percentage change during this time?"
        ("Single_AES#1", "refused"),
        ("Single_AES#2", "refused"),
        ("Single_AES#3", "refused"),
        ("Single_AES#4", "refused"),
        ("Single_AES#5", "refused"),
    ]
    unp = records[5:10]
    assert [r.question for r in unp[:2]] == [
        "what was the equipment rents payable in 2008?",
        "and in 2007?",
    ]
    assert unp[1].prediction == {"number": "103000000", "unit": "USD", "display": "$103.0 million"}
    assert unp[1].gold == {
        "answer": "103",
        "exe_ans": 103.0,
        "conversation": "Single_UNP/2008/page_77.pdf-2",
        "turn": 2,
        "earlier": ["what was the equipment rents payable in 2008?"],
    }
    # one conversation per dialogue, every turn in it
    ids = [{r.answer.conversation_id for r in records[i : i + 5]} for i in (0, 5, 10)]
    assert all(len(one) == 1 and None not in one for one in ids)
    assert len(set.union(*ids)) == 3
    assert [r.groups for r in records[10:15:4]] == [
        {"turn": "1st", "operation": "subtract", "conversation": "Single"},
        {"turn": "5th", "operation": "yes/no", "conversation": "Single"},
    ]
    assert records[14].gold["exe_ans"] == "no"
    summary = summarize(records, finqa.METRICS)
    assert (summary["n"], summary["correct"], summary["refused"], summary["wrong"]) == (
        15,
        66.67,
        33.33,
        0.0,
    )
    assert summary["execution_accuracy"] == summary["correct"]
    assert {g: s["correct"] for g, s in summary["breakdown"]["turn"].items()} == {
        "1st": 66.67,
        "2nd": 66.67,
        "3rd": 66.67,
        "4th": 66.67,
        "5th": 66.67,
    }
    assert summary["breakdown"]["operation"]["lookup"]["n"] == 8
    assert convfinqa.conversations(records) == {
        "conversations": 3,
        "conversations_all_correct": 66.67,  # MRO's and UNP's five turns
    }


def test_convfinqa_follow_up_needs_its_conversation() -> None:
    record = convfinqa.load(CONVFINQA_DEV)[1]
    engine = finqa.engine_for("p.md", convfinqa.markdown(record))
    alone = engine.answer("and in 2007?", Filters(doc="p.md"))
    conversation = Conversation()
    engine.answer(
        "what was the equipment rents payable in 2008?", Filters(doc="p.md"), conversation
    )
    follow_up = engine.answer("and in 2007?", Filters(doc="p.md"), conversation)
    assert alone.status != "answered"
    assert follow_up.value is not None and follow_up.value.number == Decimal("103000000")


def test_convfinqa_limit_and_bad_files(tmp_path: Path) -> None:
    assert convfinqa.count(CONVFINQA_DEV) == 15
    assert convfinqa.count(CONVFINQA_DEV, 1) == 5
    assert len(convfinqa.evaluate(CONVFINQA_DEV, limit=2)) == 10
    plain_list = tmp_path / "list.json"
    plain_list.write_text(json.dumps(json.loads(CONVFINQA_DEV.read_text())["dev"][:1]))
    assert convfinqa.count(plain_list) == 5
    for bad in ('{"dev": [{"doc": {}}]}', "[]", "not json"):
        wrong = tmp_path / "wrong.json"
        wrong.write_text(bad)
        with pytest.raises(ValueError, match=r"wrong\.json: not a ConvFinQA JSON file"):
            convfinqa.load(wrong)


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


def test_eval_convfinqa_and_finqa_dev_commands(tmp_path: Path) -> None:
    conv = crossfoot("eval", "convfinqa", str(CONVFINQA_DEV), "--out", str(tmp_path / "c"))
    assert conv.returncode == 0, conv.stderr
    assert conv.stdout.startswith(
        "convfinqa  n=15  correct 66.7%  refused 33.3%  wrong 0.0%  exec. accuracy 66.7%"
    )
    results = json.loads((tmp_path / "c" / "results.json").read_text())
    assert results["benchmark"] == "convfinqa"
    assert set(results["summary"]["breakdown"]) == {"turn", "operation", "conversation"}
    assert (results["summary"]["conversations"], len(results["records"])) == (3, 15)
    assert results["records"][1]["id"] == "Single_MRO/2007/page_134.pdf-1#2"
    report = (tmp_path / "c" / "report.html").read_text()
    assert "what was, then, the variance in that price from low to high?" in report  # a failure,
    assert "what was the high price of common stock in the first quarter of 2001?" in report  # and
    # the turns before it
    again = crossfoot(
        "eval", "convfinqa", str(CONVFINQA_DEV), "--limit", "1", "--out", str(tmp_path / "d"),
        "--compare", str(tmp_path / "c" / "results.json"),
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "fixed 0, broken 0, unchanged 5 correct / 0 failing" in again.stdout

    fin = crossfoot("eval", "finqa", str(FINQA_DEV), "--out", str(tmp_path / "f"), "--show", "5")
    assert fin.returncode == 0, fin.stderr
    assert fin.stdout.startswith("finqa  n=5  correct 20.0%  refused 80.0%  wrong 0.0%")
    assert "gold yes | got not_found" in fin.stdout  # exe_ans shown when qa.answer is null

    bad = crossfoot("eval", "convfinqa", str(FINQA_DEV), "--out", str(tmp_path / "x"))
    assert bad.returncode == 1
    assert "not a ConvFinQA JSON file" in bad.stderr
    assert not (tmp_path / "x").exists()


def test_tatqa_a_figure_printed_in_cents_is_predicted_in_cents() -> None:
    """ "Total basic earnings per share (cents per share) 206.2": the answer is $2.06 per
    share, and TAT-QA's metric compares the 206.2 printed."""
    cases = json.loads((DATA / "tatqa" / "tatqa_dev_cases.json").read_text())
    context = next(c for c in cases if c["table"]["uid"] == "fd7e14ed-efb6-4992-bdc2-b5603d91f126")
    engine = tatqa.engine_for("eps", tatqa.markdown(context))
    answer = engine.answer("What is total basic earnings per share (cents per share)  for 2019?")
    assert answer.value is not None and answer.value.number == Decimal("2.062")
    assert tatqa.prediction(answer) == ("206.2", "")


def test_tatqa_a_lead_in_paragraph_goes_before_the_table() -> None:
    """TAT-QA keeps no table position: the table goes after the first paragraph that leads
    into a table, or after the first paragraph when none does."""
    table = {"uid": "t", "table": [["", "2019"], ["Revenue", "5"]]}

    def context(*texts: str) -> dict[str, object]:
        paragraphs = [{"order": n, "text": t} for n, t in enumerate(texts, 1)]
        return {"table": table, "paragraphs": paragraphs, "questions": []}

    grid = "|  | 2019 |\n|---|---|\n| Revenue | 5 |"
    led = tatqa.markdown(
        context("Note 18", "Basic and diluted earnings are as follows:", "Other text.")
    )
    assert (
        led == f"Note 18\n\nBasic and diluted earnings are as follows:\n\n{grid}\n\nOther text.\n"
    )
    plain = tatqa.markdown(context("Revenue", "Revenue grew."))
    assert plain == f"Revenue\n\n{grid}\n\nRevenue grew.\n"
