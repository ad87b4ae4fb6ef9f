"""Ingest benchmark: how much of ingesting is embedding, and how much is everything else.

For each filing (default: the sample filings in tests/data/filings) it measures, in one run:

* parse-only: load + tables + facts + chunks (:func:`ingest.pipeline.prepare`), as KB/s and
  pages/s;
* end to end: the same plus embedding and the Chroma write into a fresh store, as
  chunks/s (chunks and facts are both embedded; both are counted as "texts");
* the model's raw throughput embedding exactly the same texts, the ceiling.

``overhead`` = (end-to-end seconds − raw embedding seconds) / end-to-end seconds: the share of
the time not spent in the model.  Run: ``python -m evals.bench_ingest [FILES...] [--json OUT]``.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "filings"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from ingest.embed import Embedder
    from ingest.load import SUPPORTED
    from ingest.pipeline import _chunk_embed_text, ingest_file, prepare
    from ingest.store import Store, fact_text

    files = args.files or sorted(p for p in DEFAULT.iterdir() if p.suffix in SUPPORTED)
    embedder = Embedder()
    embedder.embed(["warm up"])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(data_dir=Path(tmp) / "store")
        for path in files:
            data = path.read_bytes()
            started = time.perf_counter()
            prepared = prepare(path, data)
            parse_s = time.perf_counter() - started
            texts = [_chunk_embed_text(c) for c in prepared.chunks] + list(
                dict.fromkeys(fact_text(f) for f in prepared.facts)
            )
            started = time.perf_counter()
            result = ingest_file(path, store, embedder)
            total_s = time.perf_counter() - started
            started = time.perf_counter()
            embedder.embed(texts)
            embed_s = time.perf_counter() - started
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
                    "end_to_end_texts_per_s": round(len(texts) / total_s, 1),
                    "end_to_end_chunks_per_s": round(result.chunks / total_s, 1),
                    "raw_embed_s": round(embed_s, 3),
                    "raw_embed_texts_per_s": round(len(texts) / embed_s, 1) if embed_s else None,
                    "overhead": round((total_s - embed_s) / total_s, 3),
                }
            )
            print(_line(rows[-1]), flush=True)
    total = {
        key: round(sum(r[key] for r in rows), 3)
        for key in ("parse_s", "end_to_end_s", "raw_embed_s", "texts", "chunks", "facts")
    }
    total["overhead"] = round(
        (total["end_to_end_s"] - total["raw_embed_s"]) / total["end_to_end_s"], 3
    )
    print("TOTAL", json.dumps(total))
    if args.json:
        args.json.write_text(json.dumps({"files": rows, "total": total}, indent=2))


def _pages(path: Path) -> int | None:
    if path.suffix.lower() != ".pdf":
        return None
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def _line(row: dict[str, object]) -> str:
    return (
        f"{str(row['file'])[:44]:<44} parse {row['parse_s']:>7}s ({row['parse_kb_per_s']} KB/s, "
        f"{row['parse_pages_per_s'] or '-'} pages/s)  end-to-end {row['end_to_end_s']:>7}s "
        f"({row['end_to_end_chunks_per_s']} chunks/s, {row['end_to_end_texts_per_s']} "
        f"texts/s)  raw embed {row['raw_embed_s']}s ({row['raw_embed_texts_per_s']} "
        f"texts/s)  overhead {row['overhead']:.1%}"
    )


if __name__ == "__main__":
    main()
