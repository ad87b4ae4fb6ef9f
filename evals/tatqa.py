"""A simple TAT-QA adapter: exact match on arithmetic questions answered from tables.

Each TAT-QA context (one table and its paragraphs) becomes a Markdown document that goes
through the real ingester (tables, periods, checks and facts, no embedding: the answering side
does not need vectors), then :class:`retrieval.answer.Engine` answers its arithmetic
``answer_from == "table"`` questions.  Exact match follows TAT-QA's scale-aware rule for
numbers: our value, in the table's own units (the question's ``scale`` says whether those are
thousands, millions or percent), rounded to two decimals, equals the gold rounded the same way.

``python -m evals.tatqa [--limit N] [--show N]``.  The next issue builds the full harness
(every answer type, F1, the official script's normalisation).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ingest.pipeline import prepare
from retrieval.answer import Engine, Filters
from retrieval.corpus import Corpus

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT.parent / "shared" / "datasets" / "tatqa" / "tatqa_dataset_dev.json"
SCALE = {"": 1, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "percent": 1}


def markdown(context: dict[str, Any]) -> str:
    paragraphs = [p["text"] for p in sorted(context["paragraphs"], key=lambda p: p["order"])]
    rows = context["table"]["table"]
    width = max(len(r) for r in rows)
    lines = []
    for i, row in enumerate(rows):
        cells = [c.replace("|", "/").strip() for c in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    return "\n\n".join([*paragraphs[:1], "\n".join(lines), *paragraphs[1:]]) + "\n"


def engine_for(uid: str, text: str) -> Engine:
    return Engine(Corpus.prepared(prepare(Path(f"{uid}.md"), text.encode())))


def gold_number(answer: Any) -> Decimal | None:
    value = answer[0] if isinstance(answer, list) and answer else answer
    try:
        return Decimal(str(value).replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        return None


def exact(ours: Decimal, unit: str, gold: Decimal, scale: str) -> bool:
    want = gold.quantize(Decimal("0.01"))
    candidates = [ours]
    if unit not in ("percent", "ratio") and scale in SCALE:
        candidates.append(ours / SCALE[scale])
    if unit == "ratio":
        candidates.append(ours * 100)
    return any(
        abs(c.quantize(Decimal("0.01"))) == abs(want) and (c < 0) == (gold < 0) for c in candidates
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="TAT-QA dev: arithmetic-from-table EM.")
    parser.add_argument("--dataset", type=Path, default=DATASET)
    parser.add_argument("--limit", type=int, default=0, help="contexts to use (0: all)")
    parser.add_argument("--show", type=int, default=10, help="misses to print")
    args = parser.parse_args(argv)
    contexts = json.loads(args.dataset.read_text())
    if args.limit:
        contexts = contexts[: args.limit]
    tally: Counter[str] = Counter()
    misses: list[str] = []
    for context in contexts:
        questions = [
            q
            for q in context["questions"]
            if q["answer_type"] == "arithmetic" and q["answer_from"] == "table"
        ]
        if not questions:
            continue
        uid = context["table"]["uid"]
        engine = engine_for(uid, markdown(context))
        for q in questions:
            gold = gold_number(q["answer"])
            if gold is None:
                continue
            result = engine.answer(q["question"], Filters(doc=f"{uid}.md"))
            if result.status != "answered" or result.value is None:
                tally["refused"] += 1
                verdict = "refused"
            elif exact(result.value.number, result.value.unit, gold, q["scale"]):
                tally["exact"] += 1
                verdict = "exact"
            else:
                tally["wrong"] += 1
                verdict = "wrong"
            if verdict != "exact" and len(misses) < args.show:
                got = result.value.to_json() if result.value else result.answer[:80]
                misses.append(
                    f"  {verdict:8} {q['question']}\n           gold {gold} ({q['scale']}) "
                    f"{q['derivation']} | got {got} {result.program or ''}"
                )
    total = max(1, sum(tally.values()))
    share = {k: 100 * tally[k] / total for k in ("exact", "refused", "wrong")}
    print(
        f"TAT-QA dev, arithmetic questions from tables: {sum(tally.values())} questions, exact "
        f"match {share['exact']:.1f}%, refused {share['refused']:.1f}%, wrong {share['wrong']:.1f}%"
    )
    print("\n".join(misses))


if __name__ == "__main__":
    main()
