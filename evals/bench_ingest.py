"""Ingest benchmark: how much of ingesting is embedding, and how much is everything else.

For each filing (default: the sample filings in tests/data/filings) it measures, in one run:

* parse-only: load + tables + facts + chunks (:func:`ingest.pipeline.prepare`), as KB/s and
  pages/s;
* end to end: the same plus embedding and the Chroma write into a fresh store, as chunks/s
  and texts/s (chunks and fact rows are both embedded);
* the model's raw throughput embedding exactly the same texts again, the ceiling.

``overhead`` = (end-to-end seconds - seconds spent inside the model during that same run) /
end-to-end seconds: the share of the time spent on everything but embedding (reading,
parsing, checking, chunking, writing to Chroma).
Run: ``python -m evals.bench_ingest [FILES...] [--json OUT]``.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.embed import Embedder

if TYPE_CHECKING:
    from ingest.store import Store

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "filings"


class TimedEmbedder(Embedder):
    """The real embedder, counting the seconds spent inside it."""

    seconds = 0.0

    def embed(
        self, texts: list[str], progress: Callable[[int], None] | None = None
    ) -> list[list[float]]:
        started = time.perf_counter()
        try:
            return super().embed(texts, progress)
        finally:
            self.seconds += time.perf_counter() - started


def measure(
    files: list[Path],
    store: Store,
    embedder: TimedEmbedder,
    echo: Callable[[str], None] | None = print,
) -> dict[str, Any]:
    """Ingest ``files`` into ``store``, timing each stage; returns per-file rows and totals."""
    from ingest.pipeline import _chunk_embed_text, ingest_file, prepare
    from ingest.store import fact_rows

    embedder.embed(["warm up"])
    rows: list[dict[str, float | int | str | None]] = []
    for path in files:
        data = path.read_bytes()
        started = time.perf_counter()
        prepared = prepare(path, data)
        parse_s = time.perf_counter() - started
        texts = [_chunk_embed_text(c) for c in prepared.chunks] + [
            row.text for row in fact_rows(prepared.facts)
        ]
        embedder.seconds = 0.0
        started = time.perf_counter()
        result = ingest_file(path, store, embedder)
        total_s = time.perf_counter() - started
        inside_s = embedder.seconds
        started = time.perf_counter()
        embedder.embed(texts)
        raw_s = time.perf_counter() - started
        pages = _pages(path)
        rows.append(
            {
                "file": path.name,
                "kb": round(len(data) / 1024, 1),
                "pages": pages,
                "tables": result.tables,
                "facts": result.facts,
                "chunks": result.chunks,
                "texts": len(texts),
                "parse_s": round(parse_s, 3),
                "parse_kb_per_s": round(len(data) / 1024 / parse_s, 1),
                "parse_pages_per_s": round(pages / parse_s, 2) if pages else None,
                "end_to_end_s": round(total_s, 3),
                "end_to_end_chunks_per_s": round(result.chunks / total_s, 1),
                "end_to_end_texts_per_s": round(len(texts) / total_s, 1),
                "embed_in_run_s": round(inside_s, 3),
                "raw_embed_s": round(raw_s, 3),
                "raw_embed_texts_per_s": round(len(texts) / raw_s, 1),
                "overhead": round((total_s - inside_s) / total_s, 3),
            }
        )
        if echo:
            echo(_line(rows[-1]))
    keys = ("kb", "parse_s", "end_to_end_s", "embed_in_run_s", "raw_embed_s", "texts", "chunks")
    total: dict[str, float] = {k: round(sum(float(r[k] or 0) for r in rows), 3) for k in keys}
    total["overhead"] = round(
        (total["end_to_end_s"] - total["embed_in_run_s"]) / total["end_to_end_s"], 3
    )
    total["parse_kb_per_s"] = round(total["kb"] / total["parse_s"], 1)
    total["end_to_end_chunks_per_s"] = round(total["chunks"] / total["end_to_end_s"], 1)
    total["end_to_end_texts_per_s"] = round(total["texts"] / total["end_to_end_s"], 1)
    total["raw_embed_texts_per_s"] = round(total["texts"] / total["raw_embed_s"], 1)
    return {"files": rows, "total": total}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Ingest throughput: parsing vs embedding.")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from ingest.load import SUPPORTED
    from ingest.store import Store

    files = args.files or sorted(p for p in DEFAULT.iterdir() if p.suffix in SUPPORTED)
    with tempfile.TemporaryDirectory() as tmp:
        found = measure(files, Store.open(data_dir=Path(tmp) / "store"), TimedEmbedder())
    print("TOTAL", json.dumps(found["total"]))
    if args.json:
        args.json.write_text(json.dumps(found, indent=2))


def _pages(path: Path) -> int | None:
    if path.suffix.lower() != ".pdf":
        return None
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def _line(row: dict[str, float | int | str | None]) -> str:
    return (
        f"{str(row['file'])[:44]:<44} parse {row['parse_s']}s ({row['parse_kb_per_s']} KB/s, "
        f"{row['parse_pages_per_s'] or '-'} pages/s) | end-to-end {row['end_to_end_s']}s "
        f"({row['end_to_end_chunks_per_s']} chunks/s, {row['end_to_end_texts_per_s']} texts/s; "
        f"{row['embed_in_run_s']}s in the model) | raw embed {row['raw_embed_s']}s "
        f"({row['raw_embed_texts_per_s']} texts/s) | overhead {float(row['overhead'] or 0):.1%}"
    )


if __name__ == "__main__":
    main()
