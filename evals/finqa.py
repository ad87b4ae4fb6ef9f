"""FinQA adapter: FinQA's JSON records, scored by execution accuracy.

A FinQA record (``id``, ``pre_text`` and ``post_text`` as lists of sentences, ``table`` as a
list of rows with the header first, ``qa`` with ``question``, ``answer``, ``program`` and
``exe_ans``) becomes a Markdown document (the text before, the table, the text after, with
FinQA's tokenisation undone: "$ 35.9" reads "$35.9", "( 1,234 )" reads "(1,234)"; and its
cell quirks undone: "11.1% ( 11.1 % )" reads "11.1%", "-1342 ( 1342 )" reads "(1342)",
"( 0.4 ) % (  % )" reads "(0.4)%", a cell "2014" (an em dash that lost its encoding) reads
"—", "2019s" reads "'s", "2014market" reads "— market") that goes through the real
ingester's parsing stage (:func:`ingest.pipeline.prepare`; nothing is embedded, so search is
lexical), and :meth:`retrieval.answer.Engine.answer` answers its question filtered to that
document.
``evals/convfinqa.py`` builds its pages with the same helpers (:func:`page`,
:func:`table_cell`, :func:`engine_for`) and scores with the same rules (:func:`scored`).

The FinQA dev file on this machine (``dev_evidence.json``) has ``qa.answer`` null (the gold is
``exe_ans``), ``post_text`` always empty, ``pre_text`` the evidence sentences only, and
``exe_ans`` "yes" / "no" for the 10 programs with ``greater``.

Execution accuracy as FinQA defines it: the executed value equals ``exe_ans`` after both are
rounded to 5 decimal places.  A percentage is compared as a fraction (our 14.464 percent is
0.14464, as FinQA's ``divide`` gives it) and as printed (27.0 percent is 27.0, as a program
that subtracts two printed percentages uses them); a figure read from a table "in thousands"
or a sentence's "$ 35.9 million" is compared in the units printed, as FinQA's programs use
the printed numbers, and an amount is also compared in the scale the answer states it ("$2,500
million" is 2500); a plain number (a ratio) is compared as it is.  The tolerance variant beside
it accepts a value within 0.5% of ``exe_ans`` (rounding of printed figures, a percentage point
shown to one decimal).  A yes/no question (``exe_ans`` "yes" or "no") is correct when our
answer is answered and its text starts with the same word.  Every record is also correct /
refused / wrong, broken down by the gold program's first operation ("yes/no" for the yes/no
questions) and its number of steps.

``python -m evals.finqa FILE [--limit N] [--out DIR] [--compare OLD.json]``;
``crossfoot eval finqa FILE`` does the same.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any

from ingest.pipeline import prepare
from retrieval import fitted
from retrieval.answer import Answer, Engine, Filters
from retrieval.corpus import Corpus

from .harness import Record, markdown_table, results, timed

METRICS = ("execution_accuracy", "execution_accuracy_tolerance")
TOLERANCE = Decimal("0.005")  # relative, for the tolerance variant
YES_NO = "yes/no"  # the operation group of the questions whose exe_ans is "yes" or "no"
_DIVISOR = {"thousands": 1_000, "millions": 1_000_000, "billions": 1_000_000_000}
_SHOWN = re.compile(r"-?\$?[\d,]+(?:\.\d+)? (thousand|million|billion)", re.IGNORECASE)
_PRINTED_SCALE = re.compile(r"\b(thousand|million|billion)s?\b", re.IGNORECASE)
_OPERATION = re.compile(r"([a-z_]+)\(")
_YES_NO = re.compile(r"\s*(yes|no)\b", re.IGNORECASE)
_FIGURE = r"\d[\d,]*(?:\.\d+)?"
# FinQA's cells print a figure twice: "11.1% ( 11.1 % )", "-1342 ( 1342 )", "( 0.4 ) % (  % )"
_TWICE_PERCENT = re.compile(rf"(?<![\d.])({_FIGURE}) ?% \( \1 % \)")
_TWICE_NEGATIVE = re.compile(rf"-({_FIGURE}) \( \1 \)")
_EMPTY_PERCENT = re.compile(rf"\( ({_FIGURE}) \) % \(  % \)")
_EM_DASH = re.compile(r"\$? ?2014")  # a cell holding only U+2014 that lost its encoding


def detokenize(text: str) -> str:
    """Undo FinQA's tokenisation so the text reads as printed: "$ 35.9" -> "$35.9",
    "5.0% ( 5.0 % )" -> "5.0%", "-16.2 ( 16.2 )" -> "(16.2)", "bank 2019s" -> "bank's"."""
    text = _TWICE_PERCENT.sub(r"\1%", text)
    text = _TWICE_NEGATIVE.sub(r"( \1 )", text)
    text = _EMPTY_PERCENT.sub(r"( \1 )%", text)
    # U+2019 (’), U+2018 (‘), U+2013 (–), U+2014 (—) printed as their code points
    text = re.sub(r" 2019s\b", "'s", text)
    text = re.sub(r"\b2019 2019\b", '"', re.sub(r"\b2018 2018(?!\d) ?", '"', text))
    text = re.sub(r"\b201[34](?=[a-z])", "— ", text)
    text = re.sub(r" ?\b201d\b", '"', re.sub(r"\b201c ?", '"', text))  # U+201C, U+201D
    text = re.sub(r"\$ (?=[\d.(-])", "$", text)
    text = re.sub(r"\( ([^()]*?) \)", r"(\1)", text)
    text = re.sub(r" ([,.;:%?!])(?=\s|$)", r"\1", text)
    text = re.sub(r"(\d) %", r"\1%", text)
    return re.sub(r" (['’]s)\b", r"\1", text)


_ESCAPED_BREAK = re.compile(r"(?:\\+n)+")


def asked(question: str) -> str:
    """A FinQA question as a user would type it: some keep a line break as the characters
    backslash and "n" ("... the mondavi acquisition?\\n", "...\\nwere what percent of"),
    which are a space."""
    return " ".join(_ESCAPED_BREAK.sub(" ", question).split())


def table_cell(text: str) -> str:
    """One table cell as printed: :func:`detokenize`, and "2014" alone (an em dash) as "—"."""
    return "—" if _EM_DASH.fullmatch(text.strip()) else detokenize(text)


def page(before: Sequence[str], rows: Sequence[Sequence[str]], after: Sequence[str]) -> str:
    """A filing page as Markdown: each text line a paragraph, the table (rows of cells, the
    header first; data cells through :func:`table_cell`) between."""
    table = [
        [detokenize(str(c)) if i == 0 or j == 0 else table_cell(str(c)) for j, c in enumerate(row)]
        for i, row in enumerate(rows)
    ]
    parts = [detokenize(str(line)) for line in before]
    parts.append(markdown_table(table))
    parts.extend(detokenize(str(line)) for line in after)
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def markdown(record: dict[str, Any]) -> str:
    """The record as a filing page: each text line a paragraph, the table between."""
    return page(
        record.get("pre_text") or [], record.get("table") or [], record.get("post_text") or []
    )


def engine_for(name: str, text: str, fold: int | None = None, search: bool = True) -> Engine:
    """An engine over one page, parsed by the ingester but not stored or embedded; ``fold``:
    the fitted models' cross-validation fold that held this page out; ``search``: False for
    the rules alone."""
    corpus = Corpus.prepared(prepare(Path(name), text.encode()))
    return Engine(corpus, fold=fold, search=search)


def group(record: dict[str, Any]) -> str:
    """The page's cross-validation key (:func:`retrieval.fitted.group_key`)."""
    return fitted.group_key(str(row[0]) for row in (record.get("table") or [])[1:] if row)


def candidates(answer: Answer) -> list[Decimal]:
    """Our value in the ways FinQA's programs could state it (fraction, printed units)."""
    if answer.status != "answered" or answer.value is None:
        return []
    number, unit = answer.value.number, answer.value.unit
    if unit == "percent":
        return [number / 100, number]
    if unit == "ratio":
        return [number]  # a plain number is in no table's units: "782.47" is not 0.78247
    out = [number]
    shown = _SHOWN.fullmatch(answer.value.display)
    if shown:  # "$2,500 million": the amount in the scale the answer states it
        out.append(number / _DIVISOR[shown.group(1).lower() + "s"])
    for citation in answer.citations:
        if citation.kind == "table_cell" and citation.scale in _DIVISOR:
            out.append(number / _DIVISOR[citation.scale])
        elif citation.kind == "sentence":
            match = _PRINTED_SCALE.search(citation.as_printed)
            if match:
                # "$2.2 billion" as printed (2.2), and in the smaller units the page's tables
                # state amounts in (2,200 million)
                printed = _DIVISOR[match.group(1).lower() + "s"]
                out += [number / d for d in _DIVISOR.values() if d <= printed]
    return list(dict.fromkeys(out))


def yes_no(answer: Answer) -> str | None:
    """ "yes" or "no" when the answer is answered and its text starts with that word."""
    if answer.status != "answered":
        return None
    match = _YES_NO.match(answer.answer)
    return match.group(1).lower() if match else None


def is_yes_no(gold: Any) -> bool:
    return isinstance(gold, str) and gold.strip().lower() in ("yes", "no")


def executed(gold: Any, ours: list[Decimal]) -> tuple[float, float]:
    """(execution accuracy, tolerance variant) of our candidate values against ``exe_ans``."""
    try:
        want = Decimal(str(float(gold)))
    except (TypeError, ValueError, InvalidOperation):
        return 0.0, 0.0  # a yes/no exe_ans: see scored()
    places = Decimal("0.00001")
    exact = any(c.quantize(places) == want.quantize(places) for c in ours)
    near = any(abs(c - want) <= max(abs(want) * TOLERANCE, places) for c in ours)
    return float(exact), float(exact or near)


def scored(gold: Any, answer: Answer) -> tuple[float, float]:
    """(execution accuracy, tolerance variant) of one answer: a yes/no ``exe_ans`` against the
    answer's first word, a number against :func:`candidates`."""
    if is_yes_no(gold):
        right = float(yes_no(answer) == str(gold).strip().lower())
        return right, right
    return executed(gold, candidates(answer))


def predicted(answer: Answer) -> Any:
    """What was scored: our value, or the yes/no our answer starts with, or nothing."""
    if answer.value is not None:
        return answer.value.to_json()
    word = yes_no(answer)
    return {"yes/no": word} if word else None


def verdict(exact: float, answer: Answer) -> str:
    return "correct" if exact else "refused" if answer.status != "answered" else "wrong"


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
        engine = engine_for(name, markdown(record), fitted.fold_of(group(record)))
        question = asked(qa["question"])
        answer, ms = timed(partial(engine.answer, question, Filters(doc=name), qid=rid))
        gold = qa.get("exe_ans")
        exact, near = scored(gold, answer)
        operation, steps = shape(qa.get("program", ""))
        out.append(
            Record(
                id=rid,
                question=question,
                doc=name,
                gold={
                    "answer": qa.get("answer"),
                    "exe_ans": gold,
                    **{k: record[k] for k in ("filename", "dev_index") if k in record},
                },
                gold_program=qa.get("program"),
                answer=answer,
                verdict=verdict(exact, answer),
                latency_ms=ms,
                groups={"operation": YES_NO if is_yes_no(gold) else operation, "steps": steps},
                scores={"execution_accuracy": exact, "execution_accuracy_tolerance": near},
                prediction=predicted(answer),
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
    from .run import report_arguments, run_benchmark

    parser = argparse.ArgumentParser(description="FinQA: execution accuracy, per operation.")
    parser.add_argument("file", type=Path)
    report_arguments(parser, "records")
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
