"""Plain-text and Markdown filings.

The decoded file text *is* the document text, so every offset indexes the
file as read.  Blocks are separated by blank lines.  A run of lines holding
tab characters is a tab-separated table (the way EDGAR exhibits are usually
extracted); a run of lines starting with ``|`` is a Markdown pipe table.  The
short block just above a table is its title.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from ..errors import EmptyFile
from ..models import Block, LoadedDocument, RawCell, RawTable, TextBlock
from .decode import decode_text

_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING_MD = re.compile(r"^(#{1,6})\s+(.*)$")


def load_text(path: Path, data: bytes) -> LoadedDocument:
    text = decode_text(path, data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyFile(path, "the file has no text; check that it is the filing you meant")
    blocks = list(_blocks(text))
    markdown = path.suffix.lower() == ".md"
    return LoadedDocument(text=text, blocks=blocks, format="markdown" if markdown else "text")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    spans = []
    start = 0
    for match in re.finditer(r"\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _is_table_line(line: str) -> bool:
    return "\t" in line or line.lstrip().startswith("|")


def _blocks(text: str) -> list[Block]:
    lines = _lines(text)
    blocks: list[Block] = []
    section: list[str] = []
    pending: list[tuple[int, int]] = []  # the current paragraph's lines
    index = 0

    def flush() -> None:
        if not pending:
            return
        start, end = pending[0][0], pending[-1][1]
        body = text[start:end]
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            trail = len(body) - len(body.rstrip())
            kind, title = _classify(stripped)
            assert kind in ("heading", "paragraph")
            if kind == "heading":
                section[:] = [*section[:0], title]
            blocks.append(
                TextBlock(
                    kind=kind,
                    text=stripped,
                    char_start=start + lead,
                    char_end=end - trail,
                    section=tuple(section),
                )
            )
        pending.clear()

    while index < len(lines):
        start, end = lines[index]
        line = text[start:end]
        if _is_table_line(line):
            flush()
            run = []
            while index < len(lines) and _is_table_line(text[lines[index][0] : lines[index][1]]):
                run.append(lines[index])
                index += 1
            title, lead_in = _title_before(blocks)
            blocks.append(_table(text, run, title, tuple(section), lead_in))
            continue
        if not line.strip():
            flush()
        else:
            pending.append((start, end))
        index += 1
    flush()
    return blocks


def _classify(stripped: str) -> tuple[Literal["heading", "paragraph"], str]:
    """("heading", title) for Markdown headings, bold lines and short title-like lines."""
    first = stripped.splitlines()[0]
    md = _HEADING_MD.match(first)
    if md and "\n" not in stripped:
        return "heading", md.group(2).strip()
    clean = stripped.replace("**", "").replace("\\$", "$").strip()
    if "\n" in stripped:
        return "paragraph", clean
    words = clean.split()
    if (
        len(words) <= 12
        and not clean.endswith((".", ",", ";", ":"))
        and (clean.isupper() or (stripped.startswith("**") and stripped.endswith("**")))
    ):
        return "heading", clean
    return "paragraph", clean


_LEAD_IN = re.compile(r":\s*$|\b(?:following|below) tables?\b|\btables? below\b", re.I)


def _title_before(blocks: list[Block]) -> tuple[list[str], str]:
    """The lines of the short block just above a table (its title, scale, "unaudited"), and
    the lead-in paragraph ("The following table sets forth … (shares in thousands):") when
    that is the block above, with the short heading over it as the title."""
    if not blocks or not isinstance(blocks[-1], TextBlock):
        return [], ""
    previous = blocks[-1]
    lines = [line.strip() for line in previous.text.splitlines() if line.strip()]
    if len(lines) > 6 or any(len(line) > 120 for line in lines):
        if (
            previous.kind == "paragraph"
            and len(previous.text) <= 600
            and _LEAD_IN.search(previous.text)
        ):
            above, _ = _title_before(blocks[:-1])
            return (above if len(above) <= 2 else []), " ".join(lines)
        return (lines[-1:] if lines and len(lines[-1]) <= 120 else []), ""
    return lines, ""


def _table(
    text: str,
    run: list[tuple[int, int]],
    title: list[str],
    section: tuple[str, ...],
    lead_in: str = "",
) -> RawTable:
    rows: list[list[RawCell]] = []
    piped = True
    for start, end in run:
        line = text[start:end]
        if _PIPE_SEPARATOR.match(line):
            continue
        if line.lstrip().startswith("|"):
            rows.append(_split(text, start, end, "|", strip_edges=True))
        else:
            piped = False
            rows.append(_split(text, start, end, "\t", strip_edges=False))
    return RawTable(
        rows=rows,
        title_lines=title,
        lead_in=lead_in,
        char_start=run[0][0],
        char_end=run[-1][1],
        section=section,
        aligned=False,
        positional=piped and len({len(row) for row in rows}) == 1 and len(rows[0]) > 1,
    )


def _split(text: str, start: int, end: int, sep: str, strip_edges: bool) -> list[RawCell]:
    cells: list[RawCell] = []
    position = start
    line = text[start:end]
    parts = line.split(sep)
    if strip_edges:
        # "| a | b |" → drop the empty text before the first and after the last bar
        if parts and not parts[0].strip():
            position += len(parts[0]) + 1
            parts = parts[1:]
        if parts and not parts[-1].strip():
            parts = parts[:-1]
    for part in parts:
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        cell_start = position + lead
        cells.append(RawCell(text=body, char_start=cell_start, char_end=cell_start + len(body)))
        position += len(part) + 1
    return cells
