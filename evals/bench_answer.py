"""Answer latency: every golden question against a store holding all the sample filings, warm.

``python -m evals.bench_answer [--store DIR] [--repeat N]`` ingests the filings in
``tests/data/filings`` into the store if they are not there yet (default ``.crossfoot-eval/``,
shared with :mod:`evals.golden`), loads the query side once (timed separately), warms it with
one pass (which loads the embedding model), then times ``answer()`` over the golden questions
``--repeat`` times and prints the median, 95th percentile and maximum in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from evals.golden import FILINGS, GOLDEN, ROOT, load


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="answer() latency over the golden questions.")
    parser.add_argument("--store", type=Path, default=ROOT / ".crossfoot-eval")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-dense", action="store_true", help="lexical search only")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from ingest.embed import Embedder
    from ingest.load import SUPPORTED
    from ingest.pipeline import ingest_paths
    from ingest.store import Store
    from retrieval.answer import Engine, Filters
    from retrieval.corpus import Corpus
    from retrieval.dense import DenseIndex

    store = Store.open(data_dir=args.store)
    files = sorted(p for p in FILINGS.iterdir() if p.suffix in SUPPORTED)
    embedder = Embedder()
    ingest_paths(files, store, embedder)
    started = time.perf_counter()
    corpus = Corpus.load(store)
    engine = Engine(corpus, dense=None if args.no_dense else DenseIndex(store, embedder, corpus))
    load_s = time.perf_counter() - started
    items = load(sorted(GOLDEN.glob("*.jsonl")))
    for item in items:  # warm
        engine.answer(item["question"], Filters(doc=item.get("doc")))
    timings: list[float] = []
    for _ in range(args.repeat):
        for item in items:
            started = time.perf_counter()
            engine.answer(item["question"], Filters(doc=item.get("doc")))
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    print(
        f"{len(store.records())} filings, {len(engine.corpus.rows)} rows, "
        f"{len(engine.corpus.sentences)} sentences; query side loaded in {load_s:.2f}s"
    )
    print(
        f"answer() over {len(items)} golden questions x {args.repeat}: median "
        f"{statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
