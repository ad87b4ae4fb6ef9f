"""Passages for retrieval.

Narrative chunks follow paragraphs and sentences: paragraphs of one section
are packed up to a size budget, a paragraph longer than the budget is split
between sentences, and no sentence is ever cut.  Every table also yields table
chunks that stand on their own: the title, the column headers with their
periods, then the row lines, so a passage of bare numbers always carries its
context.
"""

from __future__ import annotations

import hashlib

from .facts import sentences
from .models import Chunk, LoadedDocument, TextBlock
from .numbers import clean_text
from .tables import ParsedTable

MAX_CHARS = 1000
TABLE_ROWS = 14


def _chunk_id(doc_id: str, locator: str) -> str:
    return hashlib.sha256(f"{doc_id}|chunk|{locator}".encode()).hexdigest()[:24]


def narrative_chunks(loaded: LoadedDocument, doc_id: str, document: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    pieces: list[tuple[int, int, int | None]] = []  # (start, end, page) of the current chunk
    section: tuple[str, ...] = ()

    def flush() -> None:
        if not pieces:
            return
        start, end, page = pieces[0][0], pieces[-1][1], pieces[0][2]
        text = "\n\n".join(clean_text(loaded.text[a:b]) for a, b, _ in pieces)
        chunks.append(
            Chunk(
                chunk_id=_chunk_id(doc_id, f"n{start}"),
                doc_id=doc_id,
                document=document,
                kind="narrative",
                text=text,
                section=section,
                char_start=start,
                char_end=end,
                page=page,
            )
        )
        pieces.clear()

    def size() -> int:
        return sum(b - a for a, b, _ in pieces)

    for block in loaded.blocks:
        if not isinstance(block, TextBlock):
            flush()
            continue
        if block.section != section:
            flush()
            section = block.section
        if block.kind == "heading":
            continue
        spans = [(block.char_start, block.char_end)]
        if block.char_end - block.char_start > MAX_CHARS:
            spans = sentences(block)
        for start, end in spans:
            if pieces and (size() + end - start > MAX_CHARS or pieces[-1][2] != block.page):
                flush()
            pieces.append((start, end, block.page))
    flush()
    return chunks


def table_chunks(table: ParsedTable, doc_id: str, document: str) -> list[Chunk]:
    title = table.title or "Table"
    header = " | ".join(
        f"{column.header}" + (f" ({column.period.label})" if column.period else "")
        for column in table.columns
    )
    lines: list[tuple[str, int, int]] = []
    for row in table.rows:
        if not row.label:
            continue
        cells = row.values if row.aligned else []
        printed = " | ".join(clean_text(entry.cell.text) if entry else "" for entry in cells)
        if not row.aligned and row.pending:
            printed = " ".join(clean_text(entry.cell.text) for entry in row.pending)
        name = " > ".join(row.path) or row.label
        start = row.label_cell.char_start if row.label_cell else table.raw.char_start
        end = max([start, *(e.cell.char_end for e in [*cells, *row.pending] if e)])
        lines.append((f"{name}: {printed}" if printed else name, start, end))
    chunks = []
    for offset in range(0, len(lines), TABLE_ROWS):
        part = lines[offset : offset + TABLE_ROWS]
        text = "\n".join([title, f"Columns: {header}" if header else "", *(p[0] for p in part)])
        chunks.append(
            Chunk(
                chunk_id=_chunk_id(doc_id, f"t{table.index}:{offset}"),
                doc_id=doc_id,
                document=document,
                kind="table",
                text=text.replace("\n\n", "\n"),
                section=table.raw.section,
                char_start=min(p[1] for p in part),
                char_end=max(p[2] for p in part),
                page=table.raw.page,
                table=table.title or None,
            )
        )
    return chunks
