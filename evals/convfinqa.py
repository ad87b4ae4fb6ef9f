"""ConvFinQA adapter: every turn of every conversation, answered in its conversation.

A ConvFinQA record (the reformatted layout of ``convfinqa_dev.json``: ``{"dev": [...]}``, each
conversation with ``id``, ``doc`` holding ``pre_text`` and ``post_text`` as strings and
``table`` as ``{column: {row: number}}``, and ``dialogue`` with ``conv_questions``,
``conv_answers``, ``turn_program`` and ``executed_answers``) becomes one Markdown page built
like the FinQA adapter's (:func:`evals.finqa.page`: each sentence of the text before a
paragraph, the table, the text after; FinQA's tokenisation undone), parsed by the ingester
without a store or the model (lexical search).  The turns are asked in order through
:meth:`retrieval.answer.Engine.answer` with one :class:`retrieval.answer.Conversation` per
dialogue, so "and what was it in 2005?" and "what was, then, the change?" resolve against
the earlier turns, as a user asking them one after another would.

Table figures are numbers in this layout; each is written as a printed-looking string:
thousands separators ("1,234.5"; a whole number without decimals: 5.0 is "5", and a year-like
2007 stays "2007"), a negative with a leading minus ("-27"), the sign kept as stored.  The
layout lost the printed form: "27.0% ( 27.0 % )" (a percentage FinQA prints twice) comes out
as -27.0 and "-1342 ( 1342 )" (a negative) as -1342, so a stored negative may be a
percentage whose sign and "%" are artefacts; the adapter cannot tell them apart and does not
guess (``evals.convfinqa.suspect_signs`` counts the turns whose gold program uses such a cell
unsigned).  2014 (an em dash, U+2014, that lost its encoding; no gold program uses it) is
written "—".  Text cells ("nm", "( a )") go through :func:`evals.finqa.table_cell`.

Every turn is scored as FinQA scores a question (:func:`evals.finqa.scored`): the value
equals ``executed_answers`` after both are rounded to 5 decimals, percentages compared as
fractions (and as printed), with the 0.5% tolerance variant beside it; a "yes"/"no" gold
wants an answer starting with that word.  Verdicts per turn: correct / refused / wrong,
broken down by turn index ("1st", "2nd", ...), by the gold turn program's operations
("lookup" for a bare number, "subtract, divide" for a two-step program, "3+ steps", "yes/no")
and by conversation type ("Single", or "Double": two FinQA questions over one page).

``python -m evals.convfinqa [FILE] [--limit N] [--out DIR] [--compare OLD.json]``;
``crossfoot eval convfinqa FILE`` does the same.  ``--limit`` takes the first N
conversations (all their turns).
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from retrieval import fitted
from retrieval.answer import Conversation, Filters

from .finqa import (
    METRICS,
    YES_NO,
    engine_for,
    is_yes_no,
    page,
    predicted,
    scored,
    table_cell,
    verdict,
)
from .harness import ROOT, Record, results, timed

DATASET = ROOT.parent / "shared" / "datasets" / "convfinqa" / "convfinqa_dev.json"
_OPERATION = re.compile(r"([a-z_]+)\(")
_NUMBER = re.compile(r"(?<![\w.#])-?\d+(?:\.\d+)?(?![\w.])")
# " . " ends a sentence unless it follows an abbreviation FinQA tokenised the same way
_ABBREVIATION = re.compile(
    r"(?:^|\s)(?:[a-z]|u\.s|inc|corp|co|ltd|no|nos|vs|mr|ms|dr|jr|st|n\.a|l\.p|e\.g|i\.e"
    r"|approx|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)$",
    re.IGNORECASE,
)
_ORDINAL = {1: "st", 2: "nd", 3: "rd"}


def printed(value: Any) -> str:
    """A table value as a printed cell: 1234.5 -> "1,234.5", 5.0 -> "5", -27.0 -> "-27",
    2007.0 -> "2007", 2014.0 (an em dash) -> "—", a string through FinQA's cell rules."""
    if isinstance(value, str):
        return table_cell(value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "" if value is None else str(value)
    if value == 2014:
        return "—"
    number = Decimal(repr(float(value)))
    sign, number = ("-" if number < 0 else ""), abs(number)
    whole, _, fraction = format(number, "f").partition(".")
    fraction = fraction.rstrip("0")
    if 1900 <= number <= 2100 and not fraction:
        return sign + whole  # a year: no separator
    return sign + f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def rows(table: dict[str, dict[str, Any]]) -> list[list[str]]:
    """``{column: {row: value}}`` as rows of cells, the header first (an empty corner)."""
    labels = list(dict.fromkeys(label for column in table.values() for label in column))
    out = [["", *table]]
    for label in labels:
        out.append(
            [
                label,
                *(printed(column[label]) if label in column else "" for column in table.values()),
            ]
        )
    return out


def sentences(text: str) -> list[str]:
    """FinQA's tokenised text ("... in 2007 . the total ...") split back into its sentences,
    one paragraph each, as the FinQA records list them (the ingester reads a lowercase run-on
    paragraph as one sentence)."""
    out, start = [], 0
    for match in re.finditer(r" \. (?=\S)", text):
        if _ABBREVIATION.search(text[start : match.start()]):
            continue
        out.append(text[start : match.start() + 2])
        start = match.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip(" .")]


def markdown(record: dict[str, Any]) -> str:
    doc = record["doc"]
    return page(
        sentences(str(doc.get("pre_text") or "")),
        rows(doc.get("table") or {}),
        sentences(str(doc.get("post_text") or "")),
    )


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else _ORDINAL.get(n % 10, 'th')}"


def operation(program: str, gold: Any) -> str:
    """The gold turn program's operations: "lookup", "divide", "subtract, divide", "3+ steps",
    or "yes/no" when the executed answer is yes or no."""
    if is_yes_no(gold):
        return YES_NO
    operations = _OPERATION.findall(program or "")
    if not operations:
        return "lookup"
    return "3+ steps" if len(operations) > 2 else ", ".join(operations)


def load(path: Path) -> list[dict[str, Any]]:
    """The conversations of a ConvFinQA file: ``{"dev": [...]}`` (or another split name) or a
    plain list of records."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{path}: not a ConvFinQA JSON file ({error})") from error
    if isinstance(data, dict) and len(data) == 1:
        data = next(iter(data.values()))

    def valid(record: Any) -> bool:
        if not (isinstance(record, dict) and isinstance(record.get("doc"), dict)):
            return False
        dialogue = record.get("dialogue")
        if not isinstance(dialogue, dict):
            return False
        asked, answers = dialogue.get("conv_questions"), dialogue.get("executed_answers")
        return isinstance(asked, list) and isinstance(answers, list) and len(asked) == len(answers)

    if not isinstance(data, list) or not data or not all(valid(r) for r in data):
        raise ValueError(
            f"{path}: not a ConvFinQA JSON file (conversations with 'doc' and 'dialogue' "
            "holding conv_questions and executed_answers expected)"
        )
    return data


def count(path: Path, limit: int = 0) -> int:
    """The turns of the first ``limit`` conversations (all when 0)."""
    return sum(len(r["dialogue"]["conv_questions"]) for r in load(path)[: limit or None])


def suspect_signs(record: dict[str, Any]) -> int:
    """Turns whose gold program uses, unsigned, a figure the table stores as negative (the
    layout's sign artefact, or a printed negative the program takes as a magnitude)."""
    negatives = {
        -Decimal(repr(float(v)))
        for column in (record["doc"].get("table") or {}).values()
        for v in column.values()
        if isinstance(v, int | float) and not isinstance(v, bool) and v < 0
    }
    suspect = 0
    for program in record["dialogue"].get("turn_program") or []:
        used = {Decimal(n) for n in _NUMBER.findall(program or "") if not n.startswith("-")}
        suspect += bool(used & negatives)
    return suspect


def group(record: dict[str, Any]) -> str:
    """The page's cross-validation key: its row labels, as FinQA's page gives them."""
    table = record["doc"].get("table") or {}
    return fitted.group_key(row for column in table.values() for row in column)


def evaluate(path: Path, limit: int = 0, tick: Callable[[int], None] | None = None) -> list[Record]:
    out = []
    for number, record in enumerate(load(path)[: limit or None], 1):
        cid = str(record.get("id") or f"convfinqa-{number}")
        name = f"convfinqa-{number}.md"
        engine = engine_for(name, markdown(record), fitted.fold_of(group(record)))
        conversation = Conversation()
        dialogue = record["dialogue"]
        programs = dialogue.get("turn_program") or []
        answers = dialogue.get("conv_answers") or []
        for turn, question in enumerate(dialogue["conv_questions"]):
            qid = f"{cid}#{turn + 1}"
            ask = partial(engine.answer, question, Filters(doc=name), conversation, qid=qid)
            answer, ms = timed(ask)
            gold = dialogue["executed_answers"][turn]
            program = programs[turn] if turn < len(programs) else ""
            exact, near = scored(gold, answer)
            out.append(
                Record(
                    id=qid,
                    question=question,
                    doc=name,
                    gold={
                        "answer": answers[turn] if turn < len(answers) else None,
                        "exe_ans": gold,
                        "conversation": cid,
                        "turn": turn + 1,
                        "earlier": dialogue["conv_questions"][:turn],  # for reading a failure
                    },
                    gold_program=program or None,
                    answer=answer,
                    verdict=verdict(exact, answer),
                    latency_ms=ms,
                    groups={
                        "turn": ordinal(turn + 1),
                        "operation": operation(program, gold),
                        "conversation": cid.split("_", 1)[0] if "_" in cid else "other",
                    },
                    scores={"execution_accuracy": exact, "execution_accuracy_tolerance": near},
                    prediction=predicted(answer),
                )
            )
            if tick:
                tick(1)
    return out


def conversations(records: list[Record]) -> dict[str, Any]:
    """Per conversation: how many, and the share with every turn correct."""
    by: dict[str, list[str]] = {}
    for record in records:
        by.setdefault(str(record.gold["conversation"]), []).append(record.verdict)
    whole = sum(all(v == "correct" for v in verdicts) for verdicts in by.values())
    return {
        "conversations": len(by),
        "conversations_all_correct": round(100 * whole / max(1, len(by)), 2),
    }


def run(path: Path, limit: int = 0, tick: Callable[[int], None] | None = None) -> dict[str, Any]:
    records = evaluate(path, limit, tick)
    return results(
        "convfinqa",
        str(path),
        records,
        METRICS,
        settings={
            "limit": limit,
            "search": "lexical",
            "ingest": "prepare (no embedding)",
            "turns": "one Conversation per dialogue",
        },
        extra=conversations(records),
    )


def main(argv: list[str] | None = None) -> None:
    from .run import report_arguments, run_benchmark

    parser = argparse.ArgumentParser(
        description="ConvFinQA: execution accuracy per turn, each turn in its conversation."
    )
    parser.add_argument("file", nargs="?", type=Path, default=DATASET)
    report_arguments(parser, "conversations")
    args = parser.parse_args(argv)
    run_benchmark(
        "convfinqa",
        lambda tick: run(args.file, args.limit, tick),
        count(args.file, args.limit),
        args.out,
        args.compare,
        args.show,
    )


if __name__ == "__main__":
    main()
