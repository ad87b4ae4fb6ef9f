"""FinQA adapter: FinQA's JSON records, scored by execution accuracy.

A FinQA record (``id``, ``pre_text`` and ``post_text`` as lists of sentences, ``table`` as a
list of rows with the header first, ``qa`` with ``question``, ``answer``, ``program`` and
``exe_ans``) becomes a Markdown document (the text before, the table, the text after, with FinQA's
tokenisation undone: "$ 35.9" reads "$35.9", "( 1,234 )" reads "(1,234)") that
goes through the real ingester's parsing stage (:func:`ingest.pipeline.prepare`; nothing is
embedded, so search is lexical), and :meth:`retrieval.answer.Engine.answer` answers its
question filtered to that document.

Execution accuracy as FinQA defines it: the executed value equals ``exe_ans`` after both are
rounded to 5 decimal places.  Percentages are compared as fractions (our 14.464 percent is
0.14464, as FinQA's ``divide`` gives it), and a figure read from a table "in thousands" or a
sentence's "$ 35.9 million" is compared in the units printed, as FinQA's programs use the
printed numbers.  The tolerance variant beside it accepts a value within 0.5% of
``exe_ans`` (rounding of printed figures, a percentage point shown to one decimal).  Every
record is also correct / refused / wrong, broken down by the gold program's first
operation and its number of steps.

``python -m evals.finqa FILE [--limit N] [--out DIR] [--compare OLD.json]``;
``crossfoot eval finqa FILE`` does the same.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any

from ingest.pipeline import prepare
from retrieval.answer import Answer, Engine
from retrieval.corpus import Corpus

from .harness import Record, markdown_table, results, timed

METRICS = ("execution_accuracy", "execution_accuracy_tolerance")
TOLERANCE = Decimal("0.005")  # relative, for the tolerance variant
_DIVISOR = {"thousands": 1_000, "millions": 1_000_000, "billions": 1_000_000_000}
_PRINTED_SCALE = re.compile(r"\b(thousand|million|billion)s?\b", re.IGNORECASE)
_OPERATION = re.compile(r"([a-z_]+)\(")


def detokenize(text: str) -> str:
    """Undo FinQA's tokenisation so the text reads as printed: "$ 35.9" -> "$35.9"."""
    text = re.sub(r"\$ (?=[\d.(-])", "$", text)
    text = re.sub(r"\( ([^()]*?) \)", r"(\1)", text)
    text = re.sub(r" ([,.;:%?!])(?=\s|$)", r"\1", text)
    text = re.sub(r"(\d) %", r"\1%", text)
    return re.sub(r" (['’]s)\b", r"\1", text)


def markdown(record: dict[str, Any]) -> str:
    """The record as a filing page: each text line a paragraph, the table between."""
    rows = [[detokenize(str(c)) for c in row] for row in record.get("table") or []]
    parts = [detokenize(str(line)) for line in record.get("pre_text") or []]
    parts.append(markdown_table(rows))
    parts.extend(detokenize(str(line)) for line in record.get("post_text") or [])
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def candidates(answer: Answer) -> list[Decimal]:
    """Our value in the ways FinQA's programs could state it (fraction, printed units)."""
    if answer.status != "answered" or answer.value is None:
        return []
    number, unit = answer.value.number, answer.value.unit
    if unit == "percent":
        return [number / 100]
    out = [number]
    for citation in answer.citations:
        if citation.kind == "table_cell" and citation.scale in _DIVISOR:
            out.append(number / _DIVISOR[citation.scale])
        elif citation.kind == "sentence":
            match = _PRINTED_SCALE.search(citation.as_printed)
            if match:
                out.append(number / _DIVISOR[match.group(1).lower() + "s"])
    return list(dict.fromkeys(out))


def executed(gold: Any, ours: list[Decimal]) -> tuple[float, float]:
    """(execution accuracy, tolerance variant) of our candidate values against ``exe_ans``."""
    try:
        want = Decimal(str(float(gold)))
    except (TypeError, ValueError, InvalidOperation):
        return 0.0, 0.0  # a yes/no exe_ans: the calculator's "greater" is not asked here
    places = Decimal("0.00001")
    exact = any(c.quantize(places) == want.quantize(places) for c in ours)
    near = any(abs(c - want) <= max(abs(want) * TOLERANCE, places) for c in ours)
    return float(exact), float(exact or near)


def shape(program: str) -> tuple[str, str]:
    """The gold program's first operation and its step count ("1", "2", "3+")."""
    operations = _OPERATION.findall(program or "")
    steps = len(operations)
    return (operations[0] if operations else "none"), ("3+" if steps >= 3 else str(steps))


def load(path: Path) -> list[dict[str, Any]]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{path}: not a FinQA JSON file ({error})") from error
    if not isinstance(records, list) or not all(
        isinstance(r, dict) and isinstance(r.get("qa"), dict) and "question" in r["qa"]
        for r in records
    ):
        raise ValueError(f"{path}: not a FinQA JSON file (a list of records with 'qa' expected)")
    return records


def evaluate(path: Path, limit: int = 0, tick: Callable[[int], None] | None = None) -> list[Record]:
    out = []
    for number, record in enumerate(load(path)[: limit or None], 1):
        qa = record["qa"]
        rid = str(record.get("id") or f"finqa-{number}")
        name = f"finqa-{number}.md"
        engine = Engine(Corpus.prepared(prepare(Path(name), markdown(record).encode())))
        answer, ms = timed(partial(engine.answer, qa["question"], qid=rid))
        exact, near = executed(qa.get("exe_ans"), candidates(answer))
        operation, steps = shape(qa.get("program", ""))
        refused = answer.status != "answered"
        out.append(
            Record(
                id=rid,
                question=qa["question"],
                doc=name,
                gold={"answer": qa.get("answer"), "exe_ans": qa.get("exe_ans")},
                gold_program=qa.get("program"),
                answer=answer,
                verdict="correct" if exact else "refused" if refused else "wrong",
                latency_ms=ms,
                groups={"operation": operation, "steps": steps},
                scores={"execution_accuracy": exact, "execution_accuracy_tolerance": near},
                prediction=answer.value.to_json() if answer.value else None,
            )
        )
        if tick:
            tick(1)
    return out


def run(path: Path, limit: int = 0, tick: Callable[[int], None] | None = None) -> dict[str, Any]:
    return results(
        "finqa",
        str(path),
        evaluate(path, limit, tick),
        METRICS,
        settings={"limit": limit, "search": "lexical", "ingest": "prepare (no embedding)"},
    )


def main(argv: list[str] | None = None) -> None:
    from .run import run_benchmark

    parser = argparse.ArgumentParser(description="FinQA: execution accuracy, per operation.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="first N records (0: all)")
    parser.add_argument("--out", type=Path, help="results folder (default evals/runs/...)")
    parser.add_argument("--compare", type=Path, help="an earlier run's results.json")
    parser.add_argument("--show", type=int, default=10, help="failures to print")
    args = parser.parse_args(argv)
    total = len(load(args.file))
    run_benchmark(
        "finqa",
        lambda tick: run(args.file, args.limit, tick),
        min(total, args.limit) if args.limit else total,
        args.out,
        args.compare,
        args.show,
    )


if __name__ == "__main__":
    main()
