"""Score golden Q&A files (FORMATS.md): correct / refused / wrong, per kind, with the failures.

``python -m evals.golden [FILES...] [--store DIR] [--filings DIR] [--show N]`` ingests the
filings the questions name (from ``--filings``, default ``tests/data/filings``) into a store
(default ``.crossfoot-eval/``, reused between runs: unchanged files are not re-ingested), then
answers every question with :func:`retrieval.answer.answer` and prints the scores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from retrieval.answer import Answer, Engine, Filters

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "evals" / "golden"
FILINGS = ROOT / "tests" / "data" / "filings"


@dataclass(frozen=True)
class Scored:
    item: dict[str, Any]
    answer: Answer
    verdict: str  # correct | refused | wrong


def load(paths: list[Path]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.strip():
                try:
                    items.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise SystemExit(f"{path}:{number}: not JSON ({error})") from error
    return items


def verdict(item: dict[str, Any], answer: Answer) -> str:
    gold = item["gold"]
    refused = answer.status in ("not_found", "needs_clarification")
    if item["kind"] == "not_found" or gold.get("unit") == "none":
        return "correct" if answer.status == "not_found" else "wrong"
    if refused:
        return "refused"
    if "text_any" in gold:
        text = answer.answer.lower()
        return "correct" if any(p.lower() in text for p in gold["text_any"]) else "wrong"
    if answer.value is None:
        return "wrong"
    return "correct" if number_matches(gold, answer.value.number, answer.value.unit) else "wrong"


def number_matches(gold: dict[str, Any], number: Decimal, unit: str) -> bool:
    try:
        want = Decimal(str(gold["number"]))
    except (InvalidOperation, KeyError):
        return False
    if gold.get("unit") and gold["unit"] != unit:
        return False
    got = abs(number) if gold.get("abs") else number
    want = abs(want) if gold.get("abs") else want
    tolerance = Decimal(0)
    if "tolerance_abs" in gold:
        tolerance = max(tolerance, Decimal(str(gold["tolerance_abs"])))
    if "tolerance_pct" in gold:
        tolerance = max(tolerance, abs(want) * Decimal(str(gold["tolerance_pct"])) / 100)
    return abs(got - want) <= tolerance


def evaluate(engine: Engine, items: list[dict[str, Any]]) -> list[Scored]:
    out = []
    for item in items:
        result = engine.answer(item["question"], Filters(doc=item.get("doc")), qid=item.get("id"))
        out.append(Scored(item, result, verdict(item, result)))
    return out


def report(scored: list[Scored], show: int = 20) -> str:
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for s in scored:
        by_kind[s.item["kind"]][s.verdict] += 1
        by_kind["ALL"][s.verdict] += 1
    lines = [f"{'kind':<12}{'n':>5}{'correct':>10}{'refused':>10}{'wrong':>8}"]
    for kind in sorted(by_kind, key=lambda k: (k == "ALL", k)):
        c = by_kind[kind]
        n = sum(c.values())
        lines.append(
            f"{kind:<12}{n:>5}{100 * c['correct'] / n:>9.1f}%{100 * c['refused'] / n:>9.1f}%"
            f"{100 * c['wrong'] / n:>7.1f}%"
        )
    timings = [s.answer.timings_ms.get("total", 0.0) for s in scored]
    if timings:
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
        lines.append(f"latency ms: median {statistics.median(timings):.1f}, p95 {p95:.1f}")
    failures = [s for s in scored if s.verdict != "correct"][:show]
    for s in failures:
        gold = s.item["gold"]
        want = gold.get("number") or gold.get("text_any") or gold.get("unit")
        got = s.answer.value.to_json() if s.answer.value else None
        lines.append(
            f"  {s.verdict.upper():8} {s.item.get('id')} [{s.item['kind']}] {s.item['question']}\n"
            f"           gold {want} | got {s.answer.status}: {got} {s.answer.answer[:160]}"
        )
    return "\n".join(lines)


def engine_for(
    items: list[dict[str, Any]], store_dir: Path, filings: Path, dense: bool = True
) -> Engine:
    from ingest.embed import Embedder
    from ingest.pipeline import ingest_paths
    from ingest.store import Store
    from retrieval.corpus import Corpus

    store = Store.open(data_dir=store_dir)
    embedder = Embedder()
    names = sorted({item["doc"] for item in items if item.get("doc")})
    paths = [filings / name for name in names if (filings / name).exists()]
    if paths:
        results = ingest_paths(paths, store, embedder)
        failed = [r for r in results if r.status == "failed"]
        for r in failed:
            print(f"ingest failed: {r.path.name}: {r.error}")
    from retrieval.dense import DenseIndex

    corpus = Corpus.load(store)
    return Engine(corpus, dense=DenseIndex(store, embedder, corpus) if dense else None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Score golden Q&A files.")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--store", type=Path, default=ROOT / ".crossfoot-eval")
    parser.add_argument("--filings", type=Path, default=FILINGS)
    parser.add_argument("--show", type=int, default=20, help="failures to print")
    parser.add_argument("--no-dense", action="store_true", help="lexical search only")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    files = args.files or sorted(GOLDEN.glob("*.jsonl"))
    items = load(files)
    engine = engine_for(items, args.store, args.filings, dense=not args.no_dense)
    print(report(evaluate(engine, items), args.show))


if __name__ == "__main__":
    main()
