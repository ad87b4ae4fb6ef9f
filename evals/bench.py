"""``crossfoot bench``: ingest speed, answer latency, memory and scale, beside the plain
LangChain baseline, in one run on the same filings.

1. **Ingest** (:mod:`evals.bench_ingest`): parse-only throughput, end-to-end chunks per second
   into a fresh store, and the model's raw embedding throughput on the same texts (the
   ceiling).
2. **Questions**: ``answer()`` latency p50 / p95 / p99 over the golden questions about these
   filings, warm (one untimed pass first), in process, hybrid search; resident memory.
3. **Scale**: the store grown to 10x and 100x its filings (copies under other document ids,
   vectors reused: :meth:`ingest.store.Store.copy_document`); for each, the time to load the
   query side, latency over the same questions (still about the originals) and memory.
4. **Baseline** (:mod:`evals.baseline`): ``RecursiveCharacterTextSplitter(chunk_size=1024)`` +
   ``langchain_chroma.Chroma`` with the same model and ``as_retriever(k=5)``; recall@5 of the
   golden evidence and retrieval latency, against crossfoot's retriever and its answers'
   citations.

The HTTP API's latency is not measured yet: the service arrives with the HTTP issue.
It prints a table and writes every figure as JSON (``--json``, default
``evals/runs/<timestamp>-bench/bench.json``).
"""

from __future__ import annotations

import gc
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .golden import FILINGS, GOLDEN, load
from .harness import default_out, latency


def memory_mb() -> dict[str, float]:
    """Resident memory now and at peak, in MB (Linux /proc)."""
    out = {"rss_mb": 0.0, "peak_rss_mb": 0.0}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                name = "rss_mb" if key == "VmRSS" else "peak_rss_mb"
                out[name] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return out


def _latencies(engine: Any, items: list[dict[str, Any]], repeat: int) -> list[float]:
    from retrieval.answer import Filters

    for item in items:  # warm
        engine.answer(item["question"], Filters(doc=item.get("doc")))
    timings = []
    for _ in range(repeat):
        for item in items:
            started = time.perf_counter()
            engine.answer(item["question"], Filters(doc=item.get("doc")))
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _query_side(store: Any, embedder: Any) -> tuple[Any, float]:
    from retrieval.engine import Engine

    gc.collect()
    started = time.perf_counter()
    engine = Engine.from_store(store, embedder)
    return engine, time.perf_counter() - started


def run(
    filings: Path = FILINGS,
    golden: list[Path] | None = None,
    scales: tuple[int, ...] = (1, 10, 100),
    repeat: int = 3,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    from ingest.load import SUPPORTED
    from ingest.store import Store

    from .baseline import build_baseline, compare_retrieval
    from .bench_ingest import TimedEmbedder, measure

    files = sorted(p for p in filings.iterdir() if p.suffix.lower() in SUPPORTED)
    if not files:
        raise ValueError(f"{filings}: no filings to benchmark")
    names = {p.name for p in files}
    items = [i for i in load(golden or sorted(GOLDEN.glob("*.jsonl"))) if i.get("doc") in names]
    if not items:
        raise ValueError(f"no golden questions are about the filings in {filings}")
    out: dict[str, Any] = {"filings": len(files), "questions": len(items), "repeat": repeat}
    embedder = TimedEmbedder()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(data_dir=Path(tmp) / "store")
        echo(f"ingest: {len(files)} filings ...")
        out["ingest"] = measure(files, store, embedder, echo=None)["total"]

        echo(f"questions: {len(items)} golden questions x {repeat}, warm ...")
        engine, load_s = _query_side(store, embedder)
        timings = _latencies(engine, items, repeat)
        out["questions"] = {
            "n": len(items) * repeat,
            "load_s": round(load_s, 2),
            "latency_ms": latency(timings),
            "http": None,
            **memory_mb(),
        }

        echo("baseline: split, embed and index the same filings ...")
        baseline = build_baseline(files, embedder, Path(tmp) / "baseline")
        out["baseline"] = {
            "chunks": baseline.chunks,
            "build_s": round(baseline.split_seconds + baseline.index_seconds, 2),
            "chunks_per_s": round(
                baseline.chunks / max(baseline.split_seconds + baseline.index_seconds, 1e-9), 1
            ),
        }
        out["retrieval"] = {
            system: {k: v for k, v in figures.items() if k != "misses"}
            for system, figures in compare_retrieval(items, engine, baseline).items()
        }
        del engine

        out["scale"] = []
        originals = store.records()
        have = 1
        for factor in sorted(set(scales)):
            if factor > have:
                echo(f"scale: growing the store to {factor}x ...")
                for copy in range(have, factor):
                    for record in originals:
                        store.copy_document(record, copy)
                have = factor
            engine, load_s = _query_side(store, embedder)
            timings = _latencies(engine, items, 1)
            out["scale"].append(
                {
                    "factor": factor,
                    "documents": len(engine.corpus.documents),
                    "rows": len(engine.corpus.rows),
                    "sentences": len(engine.corpus.sentences),
                    "vectors": store.chunks.count() + store.facts.count(),
                    "load_s": round(load_s, 2),
                    "latency_ms": latency(timings),
                    **memory_mb(),
                }
            )
            echo(f"  {factor}x: {_scale_line(out['scale'][-1])}")
            del engine
    return out


def _scale_line(s: dict[str, Any]) -> str:
    ms = s["latency_ms"]
    return (
        f"{s['documents']} documents, {s['vectors']} vectors; load {s['load_s']} s; "
        f"p50 {ms['p50']} ms, p95 {ms['p95']} ms, p99 {ms['p99']} ms; RSS {s['rss_mb']} MB"
    )


def table(found: dict[str, Any]) -> str:
    ing, q = found["ingest"], found["questions"]
    ms = q["latency_ms"]
    lines = [
        f"crossfoot bench: {found['filings']} filings, {q['n']} timed answers",
        "",
        "ingest",
        f"  parse only          {ing['parse_kb_per_s']:>10} KB/s ({ing['kb']:.0f} KB in "
        f"{ing['parse_s']} s)",
        f"  end to end          {ing['end_to_end_chunks_per_s']:>10} chunks/s "
        f"({ing['end_to_end_texts_per_s']} texts/s with fact rows; {ing['chunks']:.0f} chunks, "
        f"{ing['texts']:.0f} texts in {ing['end_to_end_s']} s)",
        f"  raw embedding       {ing['raw_embed_texts_per_s']:>10} texts/s (the ceiling)",
        f"  baseline            {found['baseline']['chunks_per_s']:>10} chunks/s "
        f"({found['baseline']['chunks']} chunks of 1024 characters in "
        f"{found['baseline']['build_s']} s)",
        "",
        "answer() latency, warm, in process",
        f"  p50 {ms['p50']} ms, p95 {ms['p95']} ms, p99 {ms['p99']} ms, max {ms['max']} ms; "
        f"query side loaded in {q['load_s']} s; RSS {q['rss_mb']} MB (peak {q['peak_rss_mb']})",
        "  over HTTP: not measured here; `python -m evals.load` drives `crossfoot serve` with "
        "concurrent clients",
        "",
        "retrieval of the golden evidence",
        f"  {'system':<44}{'n':>5}{'recall@5':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
    ]
    names = {
        "baseline": "LangChain baseline (1024 chars, k=5)",
        "crossfoot_retriever": "crossfoot retriever (3 rows + 2 sentences)",
        "crossfoot_answer": "crossfoot answer citations",
    }
    for system, r in found["retrieval"].items():
        rl = r["latency_ms"]
        lines.append(
            f"  {names.get(system, system):<44}{r['n']:>5}{r['recall_at_5']:>9.1f}%"
            f"{rl['p50']:>9.1f}{rl['p95']:>9.1f}{rl['p99']:>9.1f}"
        )
    lines += ["", "scale (copies of the filings in the store)"]
    lines += [f"  {s['factor']:>3}x: {_scale_line(s)}" for s in found["scale"]]
    return "\n".join(lines)


def main(
    filings: Path = FILINGS,
    golden: list[Path] | None = None,
    scales: tuple[int, ...] = (1, 10, 100),
    repeat: int = 3,
    out: Path | None = None,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    found = run(filings, golden, scales, repeat, echo)
    path = out or default_out("bench") / "bench.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(found, indent=1))
    echo(table(found))
    echo(f"figures: {path}")
    return found


if __name__ == "__main__":
    main()
