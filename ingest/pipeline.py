"""Ingest, top to bottom: read → load → metadata → tables and facts → chunks → embed → store.

:func:`prepare` does everything but embedding and writing (and is what the
parse-only benchmark times); :func:`ingest_file` adds the embedding and the
all-or-nothing write; :func:`ingest_paths` walks folders and keeps going when
one file fails.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from .chunk import narrative_chunks, table_chunks
from .embed import Embedder
from .errors import IngestError
from .extract import extract
from .load import DEFAULT_MAX_BYTES, SUPPORTED, load, read_checked
from .metadata import detect, fiscal_year_end_month
from .models import Chunk, DocumentMeta, Fact
from .store import DocumentRecord, Store, fact_rows, now

PIPELINE_VERSION = "4"

#: ``(stage, done, total)``: how far a long step has come
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Overrides:
    company: str | None = None
    ticker: str | None = None
    form: str | None = None


@dataclass
class Prepared:
    record: DocumentRecord
    chunks: list[Chunk]
    facts: list[Fact]
    report: list[str]
    text: str = ""


@dataclass
class Result:
    path: Path
    status: Literal["ingested", "replaced", "unchanged", "failed", "skipped"]
    doc_id: str | None = None
    tables: int = 0
    facts: int = 0
    chunks: int = 0
    seconds: float = 0.0
    error: str | None = None
    report: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "document": self.path.name,
            "status": self.status,
            "doc_id": self.doc_id,
            "tables": self.tables,
            "facts": self.facts,
            "chunks": self.chunks,
            "seconds": round(self.seconds, 3),
            "error": self.error,
            "report": self.report,
        }


def document_id(name: str, data: bytes, overrides: Overrides) -> str:
    digest = hashlib.sha256()
    digest.update(f"crossfoot-{PIPELINE_VERSION}\0{name}\0".encode())
    digest.update(json.dumps(overrides.__dict__, sort_keys=True).encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()[:20]


def prepare(path: Path, data: bytes, overrides: Overrides = Overrides()) -> Prepared:
    loaded = load(path, data)
    doc_id = document_id(path.name, data, overrides)
    fy_end = fiscal_year_end_month(loaded)
    meta = detect(loaded, fy_end)
    meta = DocumentMeta(
        company=overrides.company or meta.company,
        ticker=overrides.ticker or meta.ticker,
        form=overrides.form or meta.form,
        period=meta.period,
        date=meta.date,
    )
    extraction = extract(loaded, doc_id, path.name, fy_end)
    chunks = narrative_chunks(loaded, doc_id, path.name)
    for table in extraction.tables:
        chunks.extend(table_chunks(table, doc_id, path.name))
    report = [*loaded.warnings, *extraction.report]
    record = DocumentRecord(
        doc_id=doc_id,
        document=path.name,
        path=str(path.resolve()),
        company=meta.company,
        ticker=meta.ticker,
        form=meta.form,
        period=meta.period,
        date=meta.date,
        tables=len(extraction.tables),
        facts=len(extraction.facts),
        chunks=len(chunks),
        ingested_at=now(),
        report=tuple(report),
    )
    return Prepared(
        record=record, chunks=chunks, facts=extraction.facts, report=report, text=loaded.text
    )


def ingest_file(
    path: Path,
    store: Store,
    embedder: Embedder,
    overrides: Overrides = Overrides(),
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_progress: Progress | None = None,
) -> Result:
    """Ingest one file all-or-nothing.  ``on_progress(stage, done, total)`` reports the
    embedding, the long part, in texts."""
    started = time.perf_counter()
    data = read_checked(path, max_bytes)
    doc_id = document_id(path.name, data, overrides)
    existing = store.record_for(path.name)
    if existing is not None and existing.doc_id == doc_id:
        return Result(
            path,
            "unchanged",
            doc_id,
            existing.tables,
            existing.facts,
            existing.chunks,
            time.perf_counter() - started,
        )
    prepared = prepare(path, data, overrides)
    record = replace(prepared.record, ingested_at=now())
    chunk_texts = [_chunk_embed_text(chunk) for chunk in prepared.chunks]
    rows = fact_rows(prepared.facts)
    total = len(chunk_texts) + len(rows)
    done = 0

    def embedded(count: int) -> None:
        nonlocal done
        done += count
        if on_progress:
            on_progress("embedding", done, total)

    embedded(0)
    chunk_vectors = embedder.embed(chunk_texts, embedded)
    row_vectors = embedder.embed([row.text for row in rows], embedded)
    if on_progress:
        on_progress("writing", total, total)
    replaced = store.write_document(
        record, prepared.chunks, chunk_vectors, rows, row_vectors, prepared.text
    )
    return Result(
        path,
        "replaced" if replaced else "ingested",
        doc_id,
        record.tables,
        record.facts,
        record.chunks,
        time.perf_counter() - started,
        report=prepared.report,
    )


def _chunk_embed_text(chunk: Chunk) -> str:
    if chunk.kind == "narrative" and chunk.section:
        return " > ".join(chunk.section) + "\n" + chunk.text
    return chunk.text


def expand_paths(paths: Iterable[Path]) -> list[tuple[Path, bool]]:
    """Files to ingest; folders are walked (``(path, from_folder)``)."""
    out: list[tuple[Path, bool]] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.parts[-1:]):
                    out.append((child, True))
        else:
            out.append((path, False))
    return out


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    embedder: Embedder,
    overrides: Overrides = Overrides(),
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: Callable[[Result], None] | None = None,
    on_start: Callable[[Path], None] | None = None,
    on_progress: Progress | None = None,
) -> list[Result]:
    """Ingest every file; a failure is reported and the other files still go in."""
    store.collect_garbage()
    results = []
    for path, from_folder in expand_paths(paths):
        if on_start:
            on_start(path)
        if from_folder and path.suffix.lower() not in SUPPORTED:
            result = Result(
                path,
                "skipped",
                error=f"not a filing type crossfoot reads ({path.suffix or 'no extension'})",
            )
        else:
            try:
                result = ingest_file(path, store, embedder, overrides, max_bytes, on_progress)
            except IngestError as error:
                result = Result(path, "failed", error=error.reason)
            except Exception as error:  # a parser bug must not stop the other files
                result = Result(
                    path,
                    "failed",
                    error=f"could not be read ({type(error).__name__}: "
                    f"{error}); nothing was written for it",
                )
        results.append(result)
        if on_file:
            on_file(result)
    return results
