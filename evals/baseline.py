"""The "plain LangChain" baseline, and retrieval recall@5 for it and for crossfoot.

The baseline is what a user would otherwise pick: each filing's text (extracted by crossfoot's
own loaders, :func:`ingest.load.load`, so both systems read the same text) split with
``RecursiveCharacterTextSplitter(chunk_size=1024)`` (library defaults otherwise: overlap 200,
paragraph → line → word separators), embedded with the same bundled all-MiniLM-L6-v2 model
crossfoot uses (:class:`BundledEmbeddings`), stored in a ``langchain_chroma.Chroma`` collection
with ``{"source": file name}`` metadata, and read back with ``as_retriever(search_kwargs={"k": 5,
"filter": {"source": name}})`` when the question names a filing.  Only chunking, indexing and
retrieval differ between the systems.

Three systems are scored on the golden items that carry evidence (``kind`` ``not_found`` is
skipped): the baseline's 5 chunks; ``CrossfootRetriever(rows=3, sentences=2)``'s 5 documents;
and the citations of ``Engine.answer`` (the evidence the answer actually used), each rendered as
"row, table, column, as printed", up to 5.

The hit rule (:func:`evidence_hit`) is the same for every system.  A passage hits when, for any
evidence entry, it contains the quote once case, whitespace and "$" are normalised away, or it
contains every figure printed in the quote (tokens such as ``809,182``, ``0.67``, ``(1,234)``
compared as printed, digits with their separators, "$" and parentheses ignored).  The figure
rule applies only to quotes with at least one figure of 3+ digits (a year such as 2007 does not
count) or with a decimal point, so a bare "2007" or "4" never hits by itself.  A table row in a
raw 1024-character chunk ("Total net revenues      809,182     595,830") and a crossfoot row
document (label and figures on separate lines) are judged alike.  Note: a quote that prints a
whole row ("Net sales 177,866 232,887 280,522") needs all its figures in one passage, which one
cited cell never has.

Run: ``python -m evals.baseline [--store DIR] [--json OUT]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import VectorStoreRetriever
from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.embed import Embedder
from ingest.load import SUPPORTED, load, read_checked
from retrieval.answer import Citation, Engine, Filters
from retrieval.tools import CrossfootRetriever

ROOT = Path(__file__).resolve().parents[1]
K = 5


class BundledEmbeddings(Embeddings):
    """LangChain embeddings over crossfoot's :class:`Embedder` (the bundled model)."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self.embedder = embedder or Embedder()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0]


@dataclass
class Baseline:
    vectorstore: Chroma
    chunks: int
    load_seconds: float  # crossfoot's text extraction, the same for both systems
    split_seconds: float
    index_seconds: float  # embed + add
    _retrievers: dict[str | None, VectorStoreRetriever] = field(default_factory=dict, repr=False)

    def retriever(self, source: str | None = None) -> VectorStoreRetriever:
        """Top 5 chunks, restricted to the file ``source`` when given (one retriever per file)."""
        if source not in self._retrievers:
            kwargs: dict[str, Any] = {"k": K} | ({"filter": {"source": source}} if source else {})
            self._retrievers[source] = self.vectorstore.as_retriever(search_kwargs=kwargs)
        return self._retrievers[source]


def build_baseline(paths: list[Path], embedder: Embedder, persist_dir: Path) -> Baseline:
    """Split and index the filings into a fresh ``baseline`` collection under ``persist_dir``."""
    started = time.perf_counter()
    texts = [(path.name, load(path, read_checked(path)).text) for path in paths]
    loaded = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=1024)
    documents = [splitter.create_documents([text], [{"source": name}]) for name, text in texts]
    split = time.perf_counter()
    persist_dir.mkdir(parents=True, exist_ok=True)
    store = Chroma(
        collection_name="baseline",
        embedding_function=BundledEmbeddings(embedder),
        persist_directory=str(persist_dir),
    )
    store.reset_collection()
    for docs in documents:  # one add per filing keeps each write under Chroma's batch limit
        store.add_documents(docs)
    indexed = time.perf_counter()
    return Baseline(
        store,
        sum(len(docs) for docs in documents),
        loaded - started,
        split - loaded,
        indexed - split,
    )


# ---------------------------------------------------------------------------- the hit rule
_FIGURE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"\\?\$", "", text).lower().split())  # "\$": an escaped "$"


def _figures(text: str) -> list[str]:
    return _FIGURE.findall(text)


def _significant(figure: str) -> bool:
    """An amount, not a year or a small count: a decimal point, or 3+ digits but not 19xx/20xx."""
    return "." in figure or (sum(c.isdigit() for c in figure) >= 3 and not _YEAR.fullmatch(figure))


def evidence_hit(passage: str, evidence: list[dict[str, Any]]) -> bool:
    """Whether ``passage`` holds any evidence quote (normalised), or every figure it prints."""
    text = _normalised(passage)
    printed: set[str] | None = None
    for entry in evidence:
        quote = str(entry.get("quote") or "")
        if not quote.strip():
            continue
        if _normalised(quote) in text:
            return True
        wanted = _figures(quote)
        if any(_significant(f) for f in wanted):
            printed = set(_figures(passage)) if printed is None else printed
            if printed.issuperset(wanted):
                return True
    return False


# ---------------------------------------------------------------------------- recall@k
def _percentile(ordered: list[float], pct: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(pct / 100 * len(ordered)) - 1))]


def recall_at_k(
    retrieve: Callable[[dict[str, Any]], list[str]], items: list[dict[str, Any]], k: int = K
) -> dict[str, Any]:
    """Percent of evidence-bearing items with a hit among the first ``k`` passages, and the
    warm latency of ``retrieve`` (one untimed call first)."""
    scored = [i for i in items if i.get("evidence") and i.get("kind") != "not_found"]
    if scored:
        retrieve(scored[0])
    hits, timings, misses = 0, [], []
    for item in scored:
        started = time.perf_counter()
        passages = retrieve(item)[:k]
        timings.append((time.perf_counter() - started) * 1000)
        if any(evidence_hit(p, item["evidence"]) for p in passages):
            hits += 1
        else:
            misses.append(item.get("id"))
    timings.sort()
    return {
        "n": len(scored),
        f"recall_at_{k}": round(100 * hits / len(scored), 1) if scored else 0.0,
        "latency_ms": {f"p{p}": round(_percentile(timings, p), 2) for p in (50, 95, 99)},
        "misses": misses,
    }


# ---------------------------------------------------------------------------- the retrievers
def baseline_retrieve(baseline: Baseline) -> Callable[[dict[str, Any]], list[str]]:
    def retrieve(item: dict[str, Any]) -> list[str]:
        docs = baseline.retriever(item.get("doc")).invoke(item["question"])
        return [d.page_content for d in docs]

    return retrieve


def crossfoot_retrieve(engine: Engine) -> Callable[[dict[str, Any]], list[str]]:
    ids = {record.document: doc_id for doc_id, record in engine.corpus.documents.items()}
    retrievers: dict[str | None, CrossfootRetriever] = {}

    def retrieve(item: dict[str, Any]) -> list[str]:
        doc = item.get("doc")
        if doc not in retrievers:
            retrievers[doc] = CrossfootRetriever(
                engine=engine, rows=3, sentences=2, doc_ids=[ids[doc]] if doc else None
            )
        return [d.page_content for d in retrievers[doc].invoke(item["question"])]

    return retrieve


def render_citation(citation: Citation) -> str:
    parts = (citation.row, citation.table, citation.column, citation.as_printed)
    return ", ".join(p for p in parts if p)


def answer_retrieve(engine: Engine) -> Callable[[dict[str, Any]], list[str]]:
    def retrieve(item: dict[str, Any]) -> list[str]:
        result = engine.answer(item["question"], Filters(doc=item.get("doc")))
        return [render_citation(c) for c in result.citations[:K]]

    return retrieve


def compare_retrieval(
    items: list[dict[str, Any]], engine: Engine, baseline: Baseline
) -> dict[str, dict[str, Any]]:
    return {
        "baseline": recall_at_k(baseline_retrieve(baseline), items),
        "crossfoot_retriever": recall_at_k(crossfoot_retrieve(engine), items),
        "crossfoot_answer": recall_at_k(answer_retrieve(engine), items),
    }


def table(results: dict[str, dict[str, Any]], baseline: Baseline, files: int) -> str:
    lines = [f"{'system':<22}{'n':>5}{'recall@5':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"]
    for system, r in results.items():
        ms = r["latency_ms"]
        lines.append(
            f"{system:<22}{r['n']:>5}{r['recall_at_5']:>9.1f}%"
            f"{ms['p50']:>9.1f}{ms['p95']:>9.1f}{ms['p99']:>9.1f}"
        )
    build = baseline.split_seconds + baseline.index_seconds
    lines.append(
        f"baseline: {files} filings, {baseline.chunks} chunks; text extraction "
        f"{baseline.load_seconds:.1f} s, split {baseline.split_seconds:.2f} s, embed+add "
        f"{baseline.index_seconds:.1f} s ({baseline.chunks / max(build, 1e-9):.1f} chunks/s)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Retrieval recall@5: baseline vs crossfoot.")
    parser.add_argument("--store", type=Path, default=ROOT / ".crossfoot-eval")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from evals.golden import FILINGS, GOLDEN, engine_for
    from evals.golden import load as load_golden

    items = load_golden(sorted(GOLDEN.glob("*.jsonl")))
    paths = sorted(p for p in FILINGS.iterdir() if p.suffix.lower() in SUPPORTED)
    engine = engine_for(items, args.store, FILINGS)
    with tempfile.TemporaryDirectory(prefix="crossfoot-baseline-") as tmp:
        baseline = build_baseline(paths, Embedder(), Path(tmp))
        results = compare_retrieval(items, engine, baseline)
    print(table(results, baseline, len(paths)))
    if args.json:
        stats = {
            k: getattr(baseline, k)
            for k in ("chunks", "load_seconds", "split_seconds", "index_seconds")
        }
        args.json.write_text(json.dumps({**results, "baseline_build": stats}, indent=2) + "\n")


if __name__ == "__main__":
    main()
