"""Score golden Q&A files (FORMATS.md): correct / refused / wrong, per kind, with the failures.

``python -m evals.golden [FILES...] [--store DIR] [--filings DIR] [--out DIR] [--compare OLD]``
ingests the filings the questions name (from ``--filings``, default ``tests/data/filings``)
into a store (default ``.crossfoot-eval/``, reused between runs: unchanged files are not
re-ingested), answers every question with :meth:`retrieval.answer.Engine.answer`, prints the
scores per kind and writes ``results.json`` and ``report.html`` (:mod:`evals.harness`).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any

from retrieval.answer import Answer, Engine, Filters

from .harness import ROOT, Record, results, timed

__all__ = ["FILINGS", "GOLDEN", "ROOT", "evaluate", "load", "run", "verdict"]

GOLDEN = ROOT / "evals" / "golden"
FILINGS = ROOT / "tests" / "data" / "filings"


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


def evaluate(
    engine: Engine,
    items: list[dict[str, Any]],
    tick: Callable[[int], None] | None = None,
    shared: bool = False,
) -> list[Record]:
    """Answer every item, filtered to its ``doc`` (or, ``shared``, over the whole store: the
    question itself must find its filing)."""

    def filters(item: dict[str, Any]) -> Filters:
        return Filters() if shared else Filters(doc=item.get("doc"))

    warm: dict[Any, dict[str, Any]] = {}
    for item in items:  # untimed: the first question of each filing loads its caches
        warm.setdefault(item.get("doc"), item)
    for item in warm.values():
        engine.answer(item["question"], filters(item))
    out = []
    for number, item in enumerate(items, 1):
        ask = partial(engine.answer, item["question"], filters(item))
        result, ms = timed(partial(ask, qid=item.get("id")))
        out.append(
            Record(
                id=str(item.get("id") or f"q{number}"),
                question=item["question"],
                doc=item.get("doc"),
                gold=item["gold"],
                gold_program=item.get("program"),
                answer=result,
                verdict=verdict(item, result),
                latency_ms=ms,
                groups={
                    "kind": item["kind"],
                    **({"phrasing": item["phrasing"]} if "phrasing" in item else {}),
                },
                prediction=result.value.to_json() if result.value else None,
            )
        )
        if tick:
            tick(1)
    return out


def run(
    engine: Engine,
    items: list[dict[str, Any]],
    dataset: str,
    tick: Callable[[int], None] | None = None,
    settings: dict[str, Any] | None = None,
    shared: bool = False,
) -> dict[str, Any]:
    records = evaluate(engine, items, tick, shared=shared)
    return results("golden", dataset, records, settings=settings)


def engine_for(
    items: list[dict[str, Any]],
    store_dir: Path,
    filings: Path,
    dense: bool = True,
    also: list[Path] | None = None,
) -> Engine:
    """An engine over a store holding the items' filings (and ``also``: more files, for a
    store shared by many filings)."""
    from ingest.embed import Embedder
    from ingest.pipeline import ingest_paths
    from ingest.store import Store

    store = Store.open(data_dir=store_dir)
    embedder = Embedder()
    names = sorted({item["doc"] for item in items if item.get("doc")})
    paths = [filings / name for name in names if (filings / name).exists()]
    paths += [p for p in also or [] if p not in paths]
    if paths:
        results = ingest_paths(paths, store, embedder)
        failed = [r for r in results if r.status == "failed"]
        for r in failed:
            print(f"ingest failed: {r.path.name}: {r.error}")
    return Engine.from_store(store, embedder if dense else None)


def main(argv: list[str] | None = None) -> None:
    from .run import report_arguments, run_benchmark

    parser = argparse.ArgumentParser(description="Score golden Q&A files.")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--store", type=Path, default=ROOT / ".crossfoot-eval")
    parser.add_argument("--filings", type=Path, default=FILINGS)
    parser.add_argument("--no-dense", action="store_true", help="lexical search only")
    parser.add_argument(
        "--shared",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="ingest these filings too and answer every question over the whole store, "
        "without its document filter (a store shared by many filings)",
    )
    report_arguments(parser, None, show=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    files = args.files or sorted(GOLDEN.glob("*.jsonl"))
    items = load(files)
    engine = engine_for(items, args.store, args.filings, dense=not args.no_dense, also=args.shared)
    dataset = ", ".join(str(f.relative_to(ROOT) if f.is_relative_to(ROOT) else f) for f in files)
    settings = {"dense": not args.no_dense, "shared": bool(args.shared)}
    run_benchmark(
        "golden",
        lambda tick: run(engine, items, dataset, tick, settings, shared=bool(args.shared)),
        len(items),
        args.out,
        args.compare,
        args.show,
    )


if __name__ == "__main__":
    main()
