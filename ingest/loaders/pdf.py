"""Load a PDF filing with pdfplumber: headings, paragraphs and aligned tables.

Approach
--------
1. **Guard rails.**  Bytes without a ``%PDF`` header, files pdfminer cannot parse, password
   protected files and files without a text layer raise :class:`CorruptFile`,
   :class:`EncryptedFile` or :class:`EmptyFile` with a message saying what to do.
2. **One pass over each page.**  pdfplumber opens and validates the file; each page's glyphs
   and painted paths are then read through PDFium (``pypdfium2``, the renderer pdfplumber ships
   with; :mod:`ingest.loaders.pdfium_page`), which is about five times faster than pdfminer's
   pure-Python content-stream interpreter, the cost that dominated ingest time.  Per glyph we
   keep pdfminer's box (origin, advance, descent line, size), text and font style; thin paths
   become horizontal/vertical rules.  Pages PDFium cannot read, and pages turned with
   ``/Rotate`` (pdfminer applies the rotation, PDFium reads user space), are read from pdfminer's
   ``page.layout`` instead, into the same shapes.  On long files a helper process (``python
   -c``, never ``multiprocessing``) reads the second half of the pages meanwhile.
   Glyphs are grouped into visual lines (same top or same baseline), lines into words (a space
   glyph or a gap wider than ~0.18 em) and words into *phrases* (a gap wider than ~0.8 em):
   in a financial statement every cell is one phrase.
3. **Running headers and footers.**  The first/last lines of every page are compared across
   pages with digits masked ("Intel/Page 3" -> "intel/page #"); a line repeated on at least half
   the pages is dropped, as are bare page numbers.
4. **Tables.**  Financial statements are aligned with whitespace, not rules.  A *data row* is a
   line with a label on the left and at least one numeric phrase to its right (``$ 1,234``,
   ``(1,234)``, ``12.6 %``, ``—``; years alone make a header row).  Runs of data rows (with the
   short label lines between them) form a table region.  Value columns are the union of the x
   intervals of the row phrases (numbers are right aligned, so a column's values overlap);
   header lines above the region are mapped onto those columns by x overlap, a phrase covering
   several columns becomes one cell with a ``colspan``; headings wrapped over several lines one
   column each ("Inc/ (Dec)" / "Excluding" / "Currency" / "Translation") are joined into one
   header row.  Wrapped row labels are joined.  A table's ``title_lines`` are the short heading
   lines just above it (nearest last): a lead-in paragraph ending with a colon gives its last
   sentence (it carries "(in millions)"), other prose right above the table is passed over to
   reach a proper heading (larger, bold, capitals or centred), and prose above the titles ends
   them, so body text never becomes a title.  Pages
   that carry a real grid of vertical rules are also given to pdfplumber's ruled-line table
   finder (``page.find_tables``, fed the edges we already read, so pdfminer never interprets
   the page), and its cells are filled from our glyphs.  A table that continues at the top of
   the next page with the same columns and no title (repeated header rows are dropped) is
   merged into the first one.
5. **Text.**  Remaining lines become headings (larger, bold or all-caps short lines; "PART I",
   "Item 7.", "Note 3" rank above style-based headings for the section path, and a heading's
   own ``section`` ends with itself) and paragraphs
   (wrapped lines joined, a paragraph may continue on the next page; a line-end hyphen is kept
   for compounds such as "non-GAAP" and removed when the joined word occurs elsewhere in the
   document).  The document text is written block by block: paragraphs and headings separated by
   a blank line, a table as one line per row with cells separated by tabs (a cell spanning ``n``
   columns is followed by ``n`` tabs), so every block and cell offset indexes into the text.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import pickle
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.layout import LTChar, LTContainer, LTCurve
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.page import Page
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import PdfminerException

from ingest.errors import CorruptFile, EmptyFile, EncryptedFile
from ingest.loaders import pdfium_page
from ingest.models import Block, LoadedDocument, RawCell, RawTable, TextBlock

__all__ = ["load_pdf"]

# --------------------------------------------------------------------------------------------
# Tunables (in units of the font size unless stated otherwise)
# --------------------------------------------------------------------------------------------
_WORD_GAP = 0.18  # gap between glyphs that starts a new word
_PHRASE_GAP = 0.8  # gap between words that starts a new phrase (table cell)
_LINE_TOL = 0.45  # top/bottom tolerance when grouping glyphs into a line
_LEFT_ZONE = 0.3  # share of the text width where row labels start
_MAX_TITLE_LINES = 4
_MAX_HEADER_LINES = 8
_PARALLEL_MIN_PAGES = 40  # below this a helper process costs more than it saves

_Char = tuple[float, float, float, float, str, float, bool, bool]  # x0 x1 top bottom text size b i

_LIGATURES = str.maketrans({"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "\xa0": " "})
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_VALUE_TOKEN = re.compile(
    rf"""^(?:
        [$€£¥]                                              # currency sign alone
      | %                                                    # percent sign alone
      | [—–\-−]{{1,2}}%?                                     # nil dash
      | \(?[$€£¥]?\(?[-−+]?(?:{_NUM})\)?%?\)?(?:x|bps)?[*^†‡]?  # 1,234  (1,234)  $(0.16)  12.6%
      | n/?m | n/?a | nmf | nil | \*                         # not meaningful / not applicable
    )$""",
    re.X | re.I,
)
_SCALE_WORDS = frozenset(
    {"million", "millions", "billion", "billions", "thousand", "thousands", "bps", "ppt", "ppts"}
    | {"pts", "points", "up", "down", "flat"}
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_FOOTNOTE_MARK = re.compile(r"^\(\d{1,2}\)$")
_CURRENCY = frozenset("$€£¥")
_DIGIT = re.compile(r"\d")
_BULLET = re.compile(r"^(?:[•▪◦●‣○■□☐☒◆\-–*]\s|[•▪◦●‣○■□◆]|\(\w{1,3}\)\s|\d{1,2}[.)]\s)")
_SENTENCE_END = re.compile(r"[.!?:;”\"]$")
_ABBREVIATION_END = re.compile(r"\b(?:[A-Z]|inc|corp|co|ltd|plc|llc|l\.p)\.$", re.I)
_PART = re.compile(r"^part\s+[ivx]+\b", re.I)
_ITEM = re.compile(r"^item\s+\d+[a-z]?\b", re.I)
_NOTE = re.compile(r"^note\s+\d+\b", re.I)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b$", re.I)
_ITALIC_FONT = re.compile(r"italic|oblique|,i$", re.I)
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—]?\s*#\s*[-–—]?(?:\s*of\s*#)?$", re.I)
_KEEP_HYPHEN_PREFIXES = frozenset(
    {"non", "third", "second", "first", "long", "short", "forward", "year", "co", "pre", "self"}
    | {"cross", "well", "multi", "high", "low", "full", "part", "over", "under", "mid", "end"}
    | {"one", "two", "off", "on", "in", "out", "up", "down", "post", "anti", "inter", "sub"}
)


# --------------------------------------------------------------------------------------------
# Internal layout model
# --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool


@dataclass(slots=True)
class _Phrase:
    """Words separated by normal spaces: one table cell, or a run of prose."""

    words: list[_Word]
    text: str
    x0: float
    x1: float
    kind: str  # "value" | "year" | "text" | "currency"


@dataclass(slots=True)
class _Line:
    words: list[_Word]
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    italic: bool
    text: str
    phrases: list[_Phrase] = field(default_factory=list)
    label: list[_Phrase] = field(default_factory=list)
    cells: list[_Phrase] = field(default_factory=list)
    is_data: bool = False


@dataclass(slots=True)
class _Cell:
    text: str
    colspan: int = 1


@dataclass(slots=True)
class _Table:
    page: int
    top: float
    bottom: float
    header: list[list[_Cell]]
    body: list[list[_Cell]]
    ncols: int
    col_edges: list[float]
    title_lines: list[str] = field(default_factory=list)
    ruled: bool = False


@dataclass(slots=True)
class _PageData:
    number: int
    width: float
    height: float
    lines: list[_Line]
    hrules: list[tuple[float, float, float]]  # x0, x1, y
    tables: list[_Table]


@dataclass(slots=True)
class _Grid:
    """Column geometry of one whitespace table region."""

    columns: list[tuple[float, float]]  # x extent of each value column
    label_end: float  # typical right end of the row labels
    hrules: list[tuple[float, float, float]]
    centre: float  # horizontal centre of the page's text, where titles are centred

    @property
    def value_x0(self) -> float:
        return self.columns[0][0]


_Item = _Line | _Table


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------
def load_pdf(path: Path, data: bytes) -> LoadedDocument:
    """Extract text, headings, paragraphs and aligned tables from the bytes of a PDF file."""
    _check_signature(path, data)
    warnings: list[str] = []
    pages = _read_pages(path, data, warnings)
    if not any(p.lines or p.tables for p in pages):
        raise EmptyFile(
            path,
            "the PDF has no text layer (it looks like a scanned image); OCR is not supported, "
            "so run it through an OCR tool first or ingest a text/HTML version of the filing",
        )
    _drop_running_lines(pages)
    vocabulary = _vocabulary(pages)
    body_size = _body_size(pages)
    margins = _right_margins(pages)
    items: list[list[_Item]] = [
        _page_items(p, body_size, vocabulary, margins.get(p.number)) for p in pages
    ]
    _merge_continued_tables(items)
    text, blocks = _assemble(items, body_size, vocabulary, margins)
    return LoadedDocument(
        text=text, blocks=blocks, format="pdf", pages=len(pages), warnings=warnings
    )


# --------------------------------------------------------------------------------------------
# Opening the file
# --------------------------------------------------------------------------------------------
def _check_signature(path: Path, data: bytes) -> None:
    head = data[:1024]
    if b"%PDF-" in head:
        return
    sniff = head.lstrip()[:200].lower()
    if sniff.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        what = "an HTML/XML document"
    elif not head.strip():
        what = "empty or blank"
    else:
        what = "not a PDF (no %PDF- header in the first 1024 bytes)"
    raise CorruptFile(
        path,
        f"the file is named .pdf but its content is {what}; re-download the PDF or rename the "
        "file with the extension that matches its content",
    )


def _read_pages(path: Path, data: bytes, warnings: list[str]) -> list[_PageData]:
    """Parse every page; on big files a helper process parses the second part meanwhile."""
    pdf = _open(path, data)
    try:
        try:
            page_list = pdf.pages
        except Exception as exc:
            raise _open_error(path, exc) from exc
        if not page_list:
            raise CorruptFile(path, "the PDF has no pages; re-download or re-export the file")
        count = len(page_list)
        split = _split_point(count)
        helper = _Helper.start(data, split, count) if split < count else None
        started = time.monotonic()
        pages, failures = _parse_pages(page_list[:split], data, path)
        if helper is not None:
            rest = helper.finish(timeout=30 + 4 * (time.monotonic() - started))
            if rest is None:
                rest = _parse_pages(page_list[split:], data, path)
            pages += rest[0]
            failures += rest[1]
    finally:
        _close(pdf)
    if failures and len(failures) == len(pages):
        raise CorruptFile(
            path,
            f"pdfminer could not read any of the {len(pages)} pages ({failures[0]}); the file is "
            "damaged or truncated, re-download or re-export it",
        )
    warnings.extend(f"{f}; page skipped" for f in failures)
    return pages


def _close(pdf: PDF) -> None:
    """Close without re-reading a broken page tree (``PDF.close`` walks ``pdf.pages``)."""
    for page in getattr(pdf, "_pages", []):
        page.close()
    pdf.flush_cache()


def _open(path: Path, data: bytes) -> PDF:
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise _open_error(path, exc) from exc
    except Exception as exc:  # pdfminer raises bare ValueError/KeyError on some damage
        raise _corrupt(path, exc) from exc


def _parse_pages(
    page_list: Sequence[Page], data: bytes, path: Path
) -> tuple[list[_PageData], list[str]]:
    """Read each page with PDFium; pdfminer (through pdfplumber) reads what PDFium cannot."""
    fonts: dict[str, tuple[bool, bool]] = {}
    styles = pdfium_page.FontStyles()
    try:
        document: pdfium.PdfDocument | None = pdfium.PdfDocument(data)
    except Exception:  # damage PDFium refuses but pdfminer may still read
        document = None
    pages: list[_PageData] = []
    failures: list[str] = []
    try:
        for page in page_list:
            try:
                read = _read_page_pdfium(document, page, styles) if document else None
                pages.append(read if read is not None else _read_page(page, fonts))
            except Exception as exc:
                cause = _cause(exc)
                if isinstance(cause, PDFEncryptionError):
                    raise _open_error(path, exc) from exc
                detail = str(cause)[:120]
                failures.append(f"page {page.page_number}: {type(cause).__name__}: {detail}")
                pages.append(_PageData(page.page_number, 0.0, 0.0, [], [], []))
            finally:
                page.close()
    finally:
        if document is not None:
            document.close()
    return pages, failures


def _read_page_pdfium(
    document: pdfium.PdfDocument, page: Page, styles: pdfium_page.FontStyles
) -> _PageData | None:
    """One page through PDFium, or None when pdfminer must read it."""
    try:
        handle = document[page.page_number - 1]
    except Exception:
        return None
    try:
        width, height, chars, shapes = pdfium_page.read_page(handle, styles)
    except pdfium_page.Unreadable:
        return None
    finally:
        handle.close()
    return _page_data(page, width, height, chars, shapes)


def _split_point(count: int) -> int:
    """Pages parsed in this process; the rest go to a helper process when that pays off."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    python = Path(sys.executable or "").name.lower()
    if count < _PARALLEL_MIN_PAGES or (cpus or 1) < 2 or not python.startswith("python"):
        return count
    return math.ceil(count * 0.52)  # the helper starts ~0.3 s late


@dataclass
class _Helper:
    """A child Python process that parses pages ``first..last`` of the same bytes.

    Building lines and words from glyphs is Python, bound to one core by the GIL, so a second
    process is the only way to use a second core.  The
    child is started with ``python -c`` (not multiprocessing), so the caller's ``__main__`` is
    never re-imported; any failure makes the parent parse those pages itself.
    """

    proc: subprocess.Popen[bytes]
    thread: threading.Thread
    result: list[bytes]

    @classmethod
    def start(cls, data: bytes, first: int, last: int) -> _Helper | None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        code = "from ingest.loaders.pdf import _helper_main; _helper_main()"
        try:
            proc = subprocess.Popen(
                [sys.executable, "-c", code],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            return None
        payload = pickle.dumps((data, first, last), protocol=pickle.HIGHEST_PROTOCOL)
        result: list[bytes] = []

        def talk() -> None:
            try:
                out, _ = proc.communicate(payload)
                result.append(out)
            except Exception:  # the parent falls back to parsing the pages itself
                return

        thread = threading.Thread(target=talk, name="pdf-helper", daemon=True)
        thread.start()
        return cls(proc, thread, result)

    def finish(self, timeout: float) -> tuple[list[_PageData], list[str]] | None:
        self.thread.join(timeout)
        if self.thread.is_alive():
            self.proc.kill()
            self.thread.join()
            return None
        if self.proc.returncode != 0 or not self.result:
            return None
        try:
            pages, failures = pickle.loads(self.result[0])
        except Exception:
            return None
        return list(pages), list(failures)


def _helper_main() -> None:
    """Entry point of the helper process: pickled (bytes, first, last) in, pages out."""
    data, first, last = pickle.load(sys.stdin.buffer)
    pdf = pdfplumber.open(io.BytesIO(data))
    try:
        result = _parse_pages(pdf.pages[first:last], data, Path("helper.pdf"))
    finally:
        _close(pdf)
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.flush()


def _cause(exc: BaseException) -> BaseException:
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc


def _open_error(path: Path, exc: BaseException) -> CorruptFile | EncryptedFile:
    cause = _cause(exc)
    if isinstance(cause, PDFEncryptionError):
        return EncryptedFile(
            path,
            "the PDF is encrypted and needs a password to open; save an unencrypted copy (for "
            "example print it to PDF from a viewer that has the password) and ingest that",
        )
    return _corrupt(path, cause)


def _corrupt(path: Path, exc: BaseException) -> CorruptFile:
    detail = str(exc).strip() or type(exc).__name__
    return CorruptFile(
        path,
        f"the PDF is damaged or truncated and cannot be parsed ({type(exc).__name__}: "
        f"{detail[:160]}); re-download or re-export the file",
    )


# --------------------------------------------------------------------------------------------
# One page: glyphs -> lines -> words -> phrases
# --------------------------------------------------------------------------------------------
def _font_style(fontname: Any, fonts: dict[str, tuple[bool, bool]]) -> tuple[bool, bool]:
    name = fontname if isinstance(fontname, str) else str(fontname)
    style = fonts.get(name)
    if style is None:
        style = (bool(_BOLD_FONT.search(name)), bool(_ITALIC_FONT.search(name)))
        fonts[name] = style
    return style


def _read_page(page: Page, fonts: dict[str, tuple[bool, bool]]) -> _PageData:
    height = float(page.height)
    dx, dy = float(page.mediabox[0]), float(page.mediabox[1])
    chars: list[_Char] = []
    shapes: list[tuple[float, float, float, float, bool]] = []
    stack: list[Iterable[Any]] = [page.layout]
    while stack:
        for obj in stack.pop():
            if isinstance(obj, LTChar):
                text = obj.get_text()
                if not obj.upright or text.startswith("(cid:"):
                    continue
                bold, italic = _font_style(obj.fontname, fonts)
                chars.append(
                    (
                        obj.x0 + dx,
                        obj.x1 + dx,
                        height - obj.y1 + dy,
                        height - obj.y0 + dy,
                        text,
                        obj.size,
                        bold,
                        italic,
                    )
                )
            elif isinstance(obj, LTCurve):
                shapes.append(
                    (
                        obj.x0 + dx,
                        obj.x1 + dx,
                        height - obj.y1 + dy,
                        height - obj.y0 + dy,
                        bool(obj.stroke),
                    )
                )
            elif isinstance(obj, LTContainer):
                stack.append(obj)
    return _page_data(page, float(page.width), height, chars, shapes)


def _page_data(
    page: Page,
    width: float,
    height: float,
    chars: list[_Char],
    shapes: Sequence[tuple[float, float, float, float, bool]],
) -> _PageData:
    hrules, vrules = _rules(shapes)
    tables: list[_Table] = []
    if _has_grid(hrules, vrules):
        tables, chars = _ruled_tables(page, chars, shapes)
    lines = _lines(chars, page.page_number)
    return _PageData(page.page_number, width, height, lines, hrules, tables)


def _rules(
    shapes: Sequence[tuple[float, float, float, float, bool]],
) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal rules as (x0, x1, y) and vertical rules as (top, bottom, x)."""
    hrules: list[tuple[float, float, float]] = []
    vrules: list[tuple[float, float, float]] = []
    for x0, x1, top, bottom, stroke in shapes:
        width, height = x1 - x0, bottom - top
        if height <= 2.5 and width >= 8:
            hrules.append((x0, x1, (top + bottom) / 2))
        elif width <= 2.5 and height >= 8:
            vrules.append((top, bottom, (x0 + x1) / 2))
        elif stroke and width > 2.5 and height > 2.5:
            hrules += [(x0, x1, top), (x0, x1, bottom)]
            vrules += [(top, bottom, x0), (top, bottom, x1)]
    return hrules, vrules


def _has_grid(
    hrules: Sequence[tuple[float, float, float]], vrules: Sequence[tuple[float, float, float]]
) -> bool:
    """At least three distinct vertical rules sharing a band, crossed by two horizontal ones."""
    if len(vrules) < 3 or len(hrules) < 2:
        return False
    for top, bottom, _ in vrules:
        xs = sorted(x for t, b, x in vrules if t < bottom - 2 and b > top + 2)
        distinct = 1 + sum(1 for a, b in itertools.pairwise(xs) if b - a > 3)
        if distinct < 3:
            continue
        crossing = sum(1 for x0, x1, y in hrules if top - 2 <= y <= bottom + 2 and x1 - x0 > 20)
        if crossing >= 2:
            return True
    return False


def _lines(chars: list[_Char], page_number: int) -> list[_Line]:
    """Group glyphs into visual lines (same top or same baseline) and split them into words."""
    chars.sort(key=itemgetter(2, 0))
    groups: list[list[_Char]] = []
    refs: list[tuple[float, float, float]] = []
    for ch in chars:
        top, bottom, size = ch[2], ch[3], ch[5]
        placed = False
        count = len(groups)
        for k in range(count - 1, count - 4 if count > 3 else -1, -1):
            ref_top, ref_bottom, ref_size = refs[k]
            tol = _LINE_TOL * (ref_size if ref_size < size else size)
            if tol < 1.0:
                tol = 1.0
            if -tol <= top - ref_top <= tol or -tol <= bottom - ref_bottom <= tol:
                groups[k].append(ch)
                if size > ref_size:
                    refs[k] = (top, bottom, size)
                placed = True
                break
        if not placed:
            groups.append([ch])
            refs.append((top, bottom, size))
    lines = [line for g in groups if (line := _make_line(g, page_number)) is not None]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def _make_line(group: list[_Char], page_number: int) -> _Line | None:
    group.sort(key=itemgetter(0))
    sizes: dict[float, int] = {}
    words: list[_Word] = []
    buf: list[_Char] = []
    for ch in group:
        text = ch[4]
        if text.isspace():
            _flush_word(buf, words)
            continue
        key = round(ch[5], 1)
        sizes[key] = sizes.get(key, 0) + 1
        if buf:
            prev = buf[-1]
            width = prev[1] - prev[0]
            if text == prev[4] and abs(ch[0] - prev[0]) < 0.3 * (width if width > 0.5 else 0.5):
                continue  # the same glyph printed twice (fake bold)
            bigger = ch[5] if ch[5] > prev[5] else prev[5]
            if ch[0] - prev[1] > _WORD_GAP * bigger or _script_change(prev, ch):
                _flush_word(buf, words)
        buf.append(ch)
    _flush_word(buf, words)
    if not words:
        return None
    size = max(sizes, key=sizes.__getitem__)  # the commonest; the leftmost of equals
    return _Line(
        words=words,
        page=page_number,
        top=min(w.top for w in words),
        bottom=max(w.bottom for w in words),
        x0=words[0].x0,
        x1=max(w.x1 for w in words),
        size=size,
        bold=all(w.bold for w in words),
        italic=all(w.italic for w in words),
        text=" ".join(w.text for w in words),
    )


def _script_change(prev: _Char, ch: _Char) -> bool:
    """A superscript (footnote mark) starts or ends between these two glyphs."""
    small, big = (ch, prev) if ch[5] < prev[5] else (prev, ch)
    return small[5] < 0.8 * big[5] and small[3] < big[3] - 0.2 * big[5]


def _flush_word(buf: list[_Char], words: list[_Word]) -> None:
    if not buf:
        return
    text = "".join([c[4] for c in buf]).translate(_LIGATURES).strip()
    if text:
        half = len(buf) / 2
        words.append(
            _Word(
                text=text,
                x0=buf[0][0],
                x1=max(map(_X1, buf)),
                top=min(map(_TOP, buf)),
                bottom=max(map(_BOTTOM, buf)),
                size=max(map(_SIZE, buf)),
                bold=sum(map(_BOLD, buf)) > half,
                italic=sum(map(_ITALIC, buf)) > half,
            )
        )
    buf.clear()


_X1, _TOP, _BOTTOM, _SIZE, _BOLD, _ITALIC = (itemgetter(i) for i in (1, 2, 3, 5, 6, 7))


# --------------------------------------------------------------------------------------------
# Ruled tables (pdfplumber's line strategy, only on pages that have a grid)
# --------------------------------------------------------------------------------------------
def _ruled_tables(
    page: Page, chars: list[_Char], shapes: Sequence[tuple[float, float, float, float, bool]]
) -> tuple[list[_Table], list[_Char]]:
    """pdfplumber's lattice table finder, fed the page's painted edges we already read.

    Passing the edges explicitly is what pdfplumber's ``lines`` strategy does with the edges of
    every rect, line and curve, without making pdfminer interpret the page a second time.
    """
    vertical: list[dict[str, Any]] = []
    horizontal: list[dict[str, Any]] = []
    for x0, x1, top, bottom, _ in shapes:
        for y in {top, bottom}:
            horizontal.append(_edge(x0, x1, y, y, "h"))
        for x in {x0, x1}:
            vertical.append(_edge(x, x, top, bottom, "v"))
    settings: dict[str, Any] = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
    }
    found: list[_Table] = []
    claimed: list[tuple[float, float, float, float]] = []
    for table in page.find_tables(settings):
        built = _ruled_table(table, chars, page.page_number)
        if built is not None:
            found.append(built)
            claimed.append(tuple(float(v) for v in table.bbox))  # type: ignore[arg-type]
    if not claimed:
        return [], chars
    rest = [c for c in chars if not any(_inside(c, box) for box in claimed)]
    return found, rest


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str) -> dict[str, Any]:
    return {
        "object_type": "rect_edge",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }


def _inside(ch: _Char, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (ch[0] + ch[1]) / 2, (ch[2] + ch[3]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _ruled_table(table: Any, chars: list[_Char], page_number: int) -> _Table | None:
    boxes = [[c for c in row.cells] for row in table.rows]
    edges = sorted(
        {round(b[0], 0) for row in boxes for b in row if b}
        | {round(b[2], 0) for row in boxes for b in row if b}
    )
    xs: list[float] = []
    for x in edges:
        if not xs or x - xs[-1] > 3:
            xs.append(x)
    ncols = len(xs) - 1
    if len(boxes) < 2 or ncols < 2:
        return None
    total = sum(len(row) for row in boxes)
    missing = sum(1 for row in boxes for b in row if b is None)
    if missing > 0.25 * total:
        return None
    rows: list[list[_Cell]] = []
    empty = filled = 0
    for row in boxes:
        cells: list[_Cell] = []
        col = 0
        for box in sorted((b for b in row if b), key=itemgetter(0)):
            first = _nearest_index(xs, box[0])
            last = max(first + 1, _nearest_index(xs, box[2]))
            while col < first:
                cells.append(_Cell(""))
                col += 1
            inside = [c for c in chars if _inside(c, box)]
            lines = _lines(inside, page_number)
            if sum(1 for ln in lines if _is_numeric_line(ln)) >= 2:
                return None  # a highlight box around several rows, not a grid cell
            text = _join_lines([ln.text for ln in lines], set())
            cells.append(_Cell(text, last - first))
            col = last
            filled += 1
            empty += not text
        while col < ncols:
            cells.append(_Cell(""))
            col += 1
        rows.append(cells)
    if filled == 0 or empty > 0.35 * filled:
        return None
    top, bottom = float(table.bbox[1]), float(table.bbox[3])
    return _Table(page_number, top, bottom, [], rows, ncols, xs[1:], ruled=True)


def _nearest_index(xs: Sequence[float], x: float) -> int:
    return min(range(len(xs)), key=lambda i: abs(xs[i] - x))


def _is_numeric_line(line: _Line) -> bool:
    return all(_VALUE_TOKEN.match(w.text) for w in line.words)


# --------------------------------------------------------------------------------------------
# Running headers and footers
# --------------------------------------------------------------------------------------------
def _running_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", " ".join(line.text.lower().split()))


def _edge_lines(page: _PageData) -> tuple[list[_Line], list[_Line]]:
    top = [ln for ln in page.lines[:2] if ln.top < 0.25 * page.height]
    return top, page.lines[-2:]


def _drop_running_lines(pages: list[_PageData]) -> None:
    """Drop banners, running titles and page numbers repeated at the top/bottom of pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        top, bottom = _edge_lines(page)
        counts.update({_running_key(ln) for ln in top + bottom})
    threshold = max(2, math.ceil(0.5 * len(pages)))
    running = {key for key, n in counts.items() if n >= threshold}
    for page in pages:
        while (
            page.lines
            and page.lines[0].top < 0.25 * page.height
            and _running_key(page.lines[0]) in running
        ):
            page.lines.pop(0)
        for _ in range(2):
            if page.lines and (
                _running_key(page.lines[-1]) in running or _is_page_number(page.lines[-1], page)
            ):
                page.lines.pop()


def _is_page_number(line: _Line, page: _PageData) -> bool:
    """A bare "7", "- 7 -" or "Page 7" that matches this page's position in the file."""
    if not _PAGE_NUMBER.match(_running_key(line)):
        return False
    digits = re.sub(r"\D", "", line.text)
    return bool(digits) and page.number - 10 <= int(digits) <= page.number


def _vocabulary(pages: Sequence[_PageData]) -> set[str]:
    words: set[str] = set()
    for page in pages:
        for line in page.lines:
            for word in line.words:
                words.add(word.text.strip(".,;:()“”\"'’").lower())
    return words


def _right_margins(pages: Sequence[_PageData]) -> dict[int, float]:
    """Right edge of the running text per page (90th percentile of the ends of long lines)."""

    def edge(xs: list[float]) -> float:
        xs.sort()
        return xs[int(0.9 * (len(xs) - 1))]

    every = [ln.x1 for p in pages for ln in p.lines if len(ln.words) >= 8]
    default = edge(every) if every else 0.0
    margins: dict[int, float] = {}
    for page in pages:
        xs = [ln.x1 for ln in page.lines if len(ln.words) >= 8]
        margins[page.number] = edge(xs) if len(xs) >= 3 else default
    return margins


def _body_size(pages: Sequence[_PageData]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


# --------------------------------------------------------------------------------------------
# Phrases and row classification
# --------------------------------------------------------------------------------------------
def _is_value_word(text: str) -> bool:
    return bool(_VALUE_TOKEN.match(text)) or text.lower() in _SCALE_WORDS


def _phrase_kind(words: Sequence[_Word]) -> str:
    texts = [w.text for w in words]
    if len(texts) == 1 and texts[0] in _CURRENCY:
        return "currency"
    if not all(_is_value_word(t) for t in texts):
        return "text"
    if len(texts) > 1 and texts[0] == "%":
        return "text"  # "% (1)": the end of a heading ("EBIT / Average funds employed %(1)")
    numeric = [t for t in texts if _DIGIT.search(t) or (_VALUE_TOKEN.match(t) and t not in "$%")]
    if not numeric:
        return "text"
    core = [t for t in numeric if not _FOOTNOTE_MARK.match(t)] if len(numeric) > 1 else numeric
    if core and all(_YEAR.match(t) for t in core):
        return "year"
    return "value"


def _make_phrase(words: list[_Word]) -> _Phrase:
    return _Phrase(
        words=words,
        text=" ".join(w.text for w in words),
        x0=words[0].x0,
        x1=max(w.x1 for w in words),
        kind=_phrase_kind(words),
    )


def _phrases(line: _Line) -> list[_Phrase]:
    """Split a line at wide gaps; glue a lone ``$`` to its number and a lone ``%`` to its own."""
    limit = _PHRASE_GAP * line.size
    words = line.words
    groups: list[list[_Word]] = []
    for i, word in enumerate(words):
        if groups:
            prev = groups[-1][-1]
            gap = word.x0 - prev.x1
            glued = (word.text == "%" and gap <= 2.5 * limit) or prev.text in _CURRENCY
            amount = (
                word.text in _CURRENCY
                and prev.text not in _CURRENCY
                and i + 1 < len(words)
                and _DIGIT.search(words[i + 1].text) is not None
            )
            if not glued and (gap > limit or amount):
                groups.append([word])
                continue
            groups[-1].append(word)
        else:
            groups.append([word])
    return [_make_phrase(g) for g in groups]


def _classify(line: _Line, margin: float, left_zone: float) -> None:
    """Split a line into label phrases (left) and cell phrases; flag data rows."""
    phrases = _phrases(line)
    line.phrases = phrases
    label: list[_Phrase] = []
    index = 0
    if phrases:  # an amount only labels a row when it hugs the margin ("2020  $ 486")
        wordy = phrases[0].kind in ("text", "year")
        limit = left_zone if wordy else margin + (left_zone - margin) / 3
    if phrases and phrases[0].x0 < limit:
        label.append(phrases[0])
        index = 1
        while (
            index < len(phrases)
            and phrases[index].kind == "text"
            and (phrases[index].x0 < left_zone)
        ):
            label.append(phrases[index])
            index += 1
    line.label = label
    line.cells = phrases[index:]
    line.is_data = any(p.kind == "value" for p in line.cells)


# --------------------------------------------------------------------------------------------
# Page layout: table regions and the text lines around them
# --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _TextFrame:
    """What a page's running text looks like, to tell headings from prose above a table."""

    body_size: float  # the size of the page's running text
    vocabulary: set[str]
    left: float
    right: float  # right edge of full lines of running text

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2

    def full(self, line: _Line) -> bool:
        """A line that runs to the right margin, so the sentence goes on on the next line."""
        return len(line.words) >= 6 and line.x1 >= self.right - 0.15 * (self.right - line.x0)


def _page_items(
    page: _PageData, body_size: float, vocabulary: set[str], margin: float | None = None
) -> list[_Item]:
    """The page in reading order: text lines and tables (whitespace-aligned and ruled)."""
    lines = page.lines
    if not lines:
        return list(page.tables)
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    left_zone = left + _LEFT_ZONE * max(right - left, 1.0)
    for line in lines:
        _classify(line, left, left_zone)
    frame = _TextFrame(body_size, vocabulary, left, margin or right)
    prose = Counter(round(ln.size * 2) / 2 for ln in lines if frame.full(ln) and not ln.is_data)
    if prose:
        frame.body_size = prose.most_common(1)[0][0]
    tables: list[_Table] = []
    taken: set[int] = set()
    index = 0
    while index < len(lines):
        region = (
            _region(lines, index, page.hrules, (left + right) / 2) if lines[index].is_data else None
        )
        if region is None:
            index += 1
            continue
        first, last, table = region
        floor = _floor(table.top, page.tables)
        table.title_lines = _titles_above(lines, first, table.top, taken, frame, floor)
        taken.update(range(first, last + 1))
        tables.append(table)
        index = last + 1
    for table in page.tables:
        above = [i for i, ln in enumerate(lines) if ln.bottom <= table.top + 1]
        floor = _floor(table.top, [*tables, *page.tables])
        first = above[-1] + 1 if above else 0
        table.title_lines = _titles_above(lines, first, table.top, taken, frame, floor)
    items: list[_Item] = [ln for i, ln in enumerate(lines) if i not in taken]
    items.extend(tables)
    items.extend(page.tables)
    items.sort(key=lambda it: it.top)
    return items


def _floor(top: float, tables: Sequence[_Table]) -> float:
    """Bottom of the nearest table above ``top``: titles are never looked for beyond it."""
    return max((t.bottom for t in tables if t.bottom <= top + 1), default=-math.inf)


_MAX_SKIPPED_LINES = 30  # prose between a table and its heading ("Set forth below are ...")
_FOOTNOTE_START = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}\s+[A-Z]|[*^†‡¹²³⁴⁵]|_{3,})")
_SENTENCE_SPLIT = re.compile(r"[.!?][”\"’)]?\s+(?=[A-Z“\"(])")


def _titles_above(
    lines: list[_Line],
    first: int,
    top: float,
    taken: set[int],
    frame: _TextFrame,
    floor: float = -math.inf,
) -> list[str]:
    """The short heading lines just above a table (nearest last), never body text.

    Walking up from the table: short heading-like lines ("Intel Corporation", "CONSOLIDATED
    BALANCE SHEETS", "(in millions)", "Dollars in millions, except per share data") are titles.
    A lead-in paragraph ending with a colon right above the table contributes its last sentence
    ("Property and equipment, at cost, consisted of the following (in millions):"), which often
    carries the table's scale.  Other prose directly above the table ("Set forth below are
    reconciliations ...") is passed over, and only headings proper (larger, bold, capitals or
    centred) above it are taken; prose above the titles ends the search.
    """
    titles: list[str] = []
    skipped = 0
    caption = False
    scale: str | None = None
    below = top
    k = first - 1

    def usable(i: int) -> bool:
        return i >= 0 and i not in taken and lines[i].top >= floor - 1

    while usable(k) and len(titles) < _MAX_TITLE_LINES:
        start = k
        while usable(start - 1) and _flows_into(lines[start - 1], lines[start], frame):
            start -= 1
        block = lines[start : k + 1]
        last = block[-1]
        if below - last.bottom > 5.0 * max(last.size, 1.0):
            break
        text = _join_lines([ln.text for ln in block], frame.vocabulary)
        single = len(block) == 1
        if not caption and not skipped and text.endswith(":"):
            titles.append(_last_sentence(text))
            caption = True
        elif (
            single and _title_line(last, frame) and (not skipped or _strong_title(last, frame))
        ) or (not single and _wrapped_heading(block, text)):
            titles.append(text)
        elif not titles and skipped + len(block) <= _MAX_SKIPPED_LINES:
            skipped += len(block)
            # the lead-in's scale still applies: "... presented below (in millions, except
            # number of shares, which are reflected in thousands, and per share amounts)."
            stated = _SCALE_ASIDE.search(text)
            if stated and scale is None:
                scale = stated.group(0)
        else:
            break
        below = block[0].top
        k = start - 1
    return titles[::-1] + ([scale] if scale else [])


_SCALE_ASIDE = re.compile(
    r"\((?:[^()]*?\b)?in\s+(?:thousands|millions|billions)\b[^()]*\)", re.IGNORECASE
)


def _flows_into(upper: _Line, lower: _Line, frame: _TextFrame) -> bool:
    """Is ``lower`` the next line of the paragraph ``upper`` is in?"""
    return (
        frame.full(upper)
        and abs(upper.size - lower.size) < 1.0
        and -1.0 <= lower.top - upper.bottom < 0.9 * lower.size
    )


def _title_line(line: _Line, frame: _TextFrame) -> bool:
    """A short line that is not a sentence, a footnote or a list item."""
    text = line.text
    if len(line.words) > 16 or frame.full(line) or line.is_data:
        return False
    if _BULLET.match(text) or _FOOTNOTE_START.match(text) or text[-1] in ";":
        return False
    return not (text.endswith(".") and not _ABBREVIATION_END.search(text))


def _wrapped_heading(block: Sequence[_Line], text: str) -> bool:
    """A bold heading wrapped over two or three lines ("Reconciliation of adjusted Earnings
    before interest, tax, ... and Free Cash Flow")."""
    if len(block) > 3 or not all(ln.bold for ln in block) or _FOOTNOTE_START.match(text):
        return False
    return not (text.endswith(".") and not _ABBREVIATION_END.search(text))


def _strong_title(line: _Line, frame: _TextFrame) -> bool:
    """A heading by its looks: larger, bold or capitals, or centred on the page."""
    if line.size >= frame.body_size + 1.0 or line.bold or _is_caps(line.text):
        return True
    width = max(frame.right - frame.left, 1.0)
    centre = (line.x0 + line.x1) / 2
    return abs(centre - frame.centre) < 0.04 * width and line.x0 > frame.left + 0.1 * width


def _last_sentence(text: str) -> str:
    """The last sentence of a paragraph ("... The following is a reconciliation ...:")."""
    start = 0
    for match in _SENTENCE_SPLIT.finditer(text):
        before = text[: match.start() + 1]
        if re.search(r"(?:\b[A-Z]|\b(?:Inc|Corp|Co|Ltd|No|vs|Mr|Ms|Dr|e\.g|i\.e))\.$", before):
            continue
        start = match.end()
    return text[start:]


def _region(
    lines: list[_Line], start: int, hrules: list[tuple[float, float, float]], centre: float
) -> tuple[int, int, _Table] | None:
    """Grow a table region from the data row at ``start``; build the table."""
    end = start
    value_x0 = _first_value_x0(lines[start])
    j = start + 1
    while j < len(lines):
        line = lines[j]
        gap = line.top - lines[j - 1].bottom
        size = max(line.size, lines[j - 1].size)
        if line.is_data and gap <= 3.0 * size:
            end = j
            value_x0 = min(value_x0, _first_value_x0(line))
            j += 1
            continue
        nxt = _bridge(lines, j, value_x0)
        if nxt is None:
            break
        end = nxt
        j = nxt
    data_rows = [ln for ln in lines[start : end + 1] if ln.is_data]
    if len(data_rows) < 2:
        return None
    columns = _columns(data_rows)
    if not columns:
        return None
    ends = [row.label[-1].x1 for row in data_rows if row.label]
    label_end = statistics.median(ends) if ends else columns[0][0]
    grid = _Grid(columns, label_end, hrules, centre)
    first = _header_start(lines, start, grid)
    table = _build_table(lines[first : end + 1], grid, start - first)
    return first, end, table


def _first_value_x0(line: _Line) -> float:
    return min((p.x0 for p in line.cells if p.kind == "value"), default=math.inf)


def _bridge(lines: list[_Line], j: int, value_x0: float) -> int | None:
    """Index of the next data row if only row labels ("Current assets:") separate it."""
    for k in range(j, min(j + 6, len(lines))):
        line = lines[k]
        gap = line.top - lines[k - 1].bottom
        if gap > 3.0 * max(line.size, lines[k - 1].size):
            return None
        if line.is_data:
            return k if k > j else None
        if not _is_row_label(line, value_x0) and not _is_section_row(line, lines, k):
            return None
    return None


def _is_section_row(line: _Line, lines: list[_Line], k: int) -> bool:
    """A wide label line inside a table: a sub-heading, or a label wrapped onto the next row."""
    if len(line.phrases) != 1 or line.is_data:
        return False
    nxt = lines[k + 1] if k + 1 < len(lines) else None
    wrapped = (
        nxt is not None
        and nxt.is_data
        and bool(nxt.label)
        and nxt.label[0].text[:1].islower()
        and nxt.top - line.bottom < 0.8 * line.size
    )
    heading = len(line.words) <= 12 and not _SENTENCE_END.search(line.text)
    return wrapped or heading


def _is_row_label(line: _Line, value_x0: float) -> bool:
    """A line of the label column only: a section label or the first part of a wrapped label."""
    if line.is_data or len(line.words) > 25 or line.x1 >= value_x0 - 2:
        return False
    text = line.text
    if text.endswith(".") and len(line.words) > 6:
        return False  # a sentence between two tables
    return not re.match(r"^(?:\(\d{1,2}\)|\*|_{3,})", text)  # footnotes and their rule


def _columns(rows: Sequence[_Line]) -> list[tuple[float, float]]:
    """Value columns: union of the x intervals of the cell phrases of the data rows."""
    spans: list[tuple[float, float]] = []
    for kinds in (("value", "year"), ("text",)):
        extra = sorted(
            (p.x0, p.x1)
            for row in rows
            for p in row.cells
            if p.kind in kinds and not any(_overlap((p.x0, p.x1), s) > 0 for s in spans)
        )
        spans.extend(_union(extra))
    spans.sort()
    spans = _union(spans)
    return _merge_exclusive(spans, rows)


def _union(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for x0, x1 in sorted(intervals):
        if merged and x0 <= merged[-1][1] + 0.5:
            merged[-1] = (merged[-1][0], max(merged[-1][1], x1))
        else:
            merged.append((x0, x1))
    return merged


def _merge_exclusive(
    spans: list[tuple[float, float]], rows: Sequence[_Line]
) -> list[tuple[float, float]]:
    """Join neighbouring columns that no row uses together (a misaligned dash or total)."""
    changed = True
    while changed and len(spans) > 1:
        changed = False
        usage: list[set[int]] = [set() for _ in spans]
        for r, row in enumerate(rows):
            for p in row.cells:
                usage[_best_column(p.x0, p.x1, spans)].add(r)
        for i in range(len(spans) - 1):
            gap = spans[i + 1][0] - spans[i][1]
            if not usage[i] & usage[i + 1] and gap < 12:
                spans[i : i + 2] = [(spans[i][0], spans[i + 1][1])]
                changed = True
                break
    return spans


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def _best_column(x0: float, x1: float, spans: Sequence[tuple[float, float]]) -> int:
    best, best_score = 0, -math.inf
    for i, span in enumerate(spans):
        score = _overlap((x0, x1), span)
        if score > best_score:
            best, best_score = i, score
    return best


def _header_start(lines: list[_Line], start: int, grid: _Grid) -> int:
    """First line of the table: column headings, then row labels, then the first data row."""
    labels: list[int] = []
    headers: list[int] = []
    k = start - 1
    while k >= 0 and len(labels) + len(headers) < _MAX_HEADER_LINES:
        line, below = lines[k], lines[k + 1]
        if below.top - line.bottom > 3.2 * max(line.size, below.size) or line.is_data:
            break
        if _is_header_line(line, grid):
            headers.append(k)
        elif not headers and _is_row_label(line, grid.value_x0):
            labels.append(k)
        else:
            break
        k -= 1
    if headers:
        return headers[-1]
    first = start
    for i in labels:  # no headings: keep short "Section:" labels directly above
        text = lines[i].text
        if text.endswith(":") and text[:1].isupper() and len(lines[i].words) <= 8:
            first = i
        else:
            break
    return first


def _split_at(line: _Line, grid: _Grid) -> tuple[list[_Phrase], list[_Phrase]]:
    """Phrases left of the value columns (the label) and over them (the cells)."""
    count = 0
    middle = (grid.label_end + grid.value_x0) / 2
    for phrase in line.phrases:
        if phrase.x1 > grid.value_x0 + 2 or phrase.x0 >= middle:
            break
        count += 1
    return line.phrases[:count], line.phrases[count:]


def _is_header_line(line: _Line, grid: _Grid) -> bool:
    """Column headings: phrases over the value columns, none reaching into the label column."""
    if line.is_data:
        return False
    _, right = _split_at(line, grid)
    if not right or right[0].x0 < min(grid.value_x0 - 25, grid.label_end):
        return False
    centred = abs((line.x0 + line.x1) / 2 - grid.centre) < 12
    title = centred and len(line.phrases) == 1 and line.x0 < grid.value_x0 - 5
    return not title


# --------------------------------------------------------------------------------------------
# Building the logical grid
# --------------------------------------------------------------------------------------------
def _build_table(lines: list[_Line], grid: _Grid, first_data: int) -> _Table:
    columns = grid.columns
    ncols = len(columns) + 1
    header_lines = lines[:first_data]
    body_lines = lines[first_data:]
    headed: list[tuple[_Line, list[_Cell]]] = []
    body: list[list[_Cell]] = []
    for line in header_lines:
        if _is_header_line(line, grid):
            headed.append((line, _header_row(line, grid)))
        else:
            body.append(_label_row(line.text, ncols))
    header = _stack_wrapped_headings(headed, ncols)
    body.extend(_body_rows(body_lines, columns))
    return _Table(
        page=lines[0].page,
        top=lines[0].top,
        bottom=lines[-1].bottom,
        header=header,
        body=body,
        ncols=ncols,
        col_edges=[c[1] for c in columns],
    )


def _stack_wrapped_headings(
    headed: list[tuple[_Line, list[_Cell]]], ncols: int
) -> list[list[_Cell]]:
    """Join header lines that are one heading per column wrapped over several printed lines.

    "Inc/ (Dec)" / "Excluding" / "Currency" / "Translation" set solid under one column is one
    heading; so is "Cost or" / "Amortized" / "Cost".  Consecutive header lines whose cells
    each cover a single column, printed without a gap between them, become one header row
    whose cells read top to bottom, as long as the lines so far leave some column empty (a
    line with a heading over every column is complete).  Lines with a heading spanning
    several columns ("Three Months Ended") stay rows of their own.
    """
    rows: list[list[_Cell]] = []
    previous: _Line | None = None
    for line, row in headed:
        narrow = len(row) == ncols
        solid = previous is not None and line.top - previous.bottom < 0.6 * line.size
        partial = bool(rows) and any(not cell.text for cell in rows[-1][1:])
        if rows and narrow and len(rows[-1]) == ncols and solid and partial:
            for cell, below in zip(rows[-1], row, strict=True):
                cell.text = " ".join(part for part in (cell.text, below.text) if part)
        else:
            rows.append([_Cell(cell.text, cell.colspan) for cell in row])
        previous = line
    return rows


def _label_row(label: str, ncols: int) -> list[_Cell]:
    return [_Cell(label)] + [_Cell("") for _ in range(ncols - 1)]


def _body_rows(lines: list[_Line], columns: list[tuple[float, float]]) -> list[list[_Cell]]:
    """Data rows with their wrapped labels joined; standalone label lines as label rows."""
    ncols = len(columns) + 1
    pitches = [b.top - a.top for a, b in itertools.pairwise(lines)]
    pitch = statistics.median(pitches) if pitches else 0.0
    rows: list[list[_Cell]] = []
    pending: list[str] = []  # label lines waiting for their data row
    last_data: list[_Cell] | None = None
    for i, line in enumerate(lines):
        if line.is_data:
            label = " ".join([*pending, *(p.text for p in line.label)])
            pending.clear()
            last_data = _data_row(label, line, columns)
            rows.append(last_data)
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        prv = lines[i - 1] if i > 0 else None
        if nxt is not None and nxt.is_data and _continues_into(line, nxt, pitch):
            pending.append(line.text)
        elif (
            last_data is not None
            and prv is not None
            and prv.is_data
            and line.top - prv.top < 0.8 * pitch
        ):
            last_data[0].text = f"{last_data[0].text} {line.text}".strip()
        else:
            rows.extend(_label_row(text, ncols) for text in pending)
            pending.clear()
            rows.append(_label_row(line.text, ncols))
            last_data = None
    rows.extend(_label_row(text, ncols) for text in pending)
    return rows


def _continues_into(line: _Line, data: _Line, pitch: float) -> bool:
    """Is this label line the first part of the next data row's label?"""
    if line.text.endswith(":"):
        return False
    label = " ".join(p.text for p in data.label)
    if not label or label[:1].islower():
        return True
    return pitch > 0 and data.top - line.top < 0.8 * pitch


def _data_row(label: str, line: _Line, columns: list[tuple[float, float]]) -> list[_Cell]:
    texts: list[list[str]] = [[] for _ in columns]
    for phrase in line.cells:
        texts[_best_column(phrase.x0, phrase.x1, columns)].append(phrase.text)
    return [_Cell(label)] + [_Cell(" ".join(t)) for t in texts]


def _slots(columns: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    slots: list[tuple[float, float]] = []
    for i, (x0, x1) in enumerate(columns):
        left = (columns[i - 1][1] + x0) / 2 if i else -math.inf
        right = (x1 + columns[i + 1][0]) / 2 if i + 1 < len(columns) else math.inf
        slots.append((left, right))
    return slots


@dataclass(slots=True)
class _Placed:
    """A header phrase assigned to the value columns ``first..last``."""

    first: int
    last: int
    text: str
    x0: float
    x1: float
    spanning: bool
    exact: bool = False  # the extent comes from a rule drawn under the heading


def _header_row(line: _Line, grid: _Grid) -> list[_Cell]:
    """Map header phrases onto the value columns; a phrase over several columns spans them."""
    columns = grid.columns
    slots = _slots(columns)
    label, phrases = _split_at(line, grid)
    placed: list[_Placed] = []
    for phrase in phrases:
        others = [p for p in phrases if p is not phrase]
        ruled = _underlined(phrase, others, line.size, grid)
        cols = ruled or _covered(phrase, columns)
        if len(cols) > 1 and not ruled and (pieces := _split_pieces(phrase, slots)) is not None:
            placed.extend(pieces)
            continue
        spans = len(cols) > 1
        placed.append(
            _Placed(cols[0], cols[-1], phrase.text, phrase.x0, phrase.x1, spans, bool(ruled))
        )
    if len(placed) == 1 and not placed[0].spanning and _centred(placed[0], columns):
        placed[0].first, placed[0].last = 0, len(columns) - 1  # "Year Ended December 31,"
    elif placed and all(p.spanning for p in placed):
        _fill_groups(placed, columns)
    cells: list[_Cell | None] = [None] * len(columns)
    owner: list[_Cell | None] = [None] * len(columns)
    for p in sorted(placed, key=lambda p: (p.first, p.x0)):
        free = [c for c in range(p.first, p.last + 1) if owner[c] is None]
        if not free:
            target = owner[p.first]
            if target is not None:
                target.text = f"{target.text} {p.text}"
            continue
        cell = _Cell(p.text, free[-1] - free[0] + 1)
        cells[free[0]] = cell
        for c in range(free[0], free[-1] + 1):
            owner[c] = cell
    row: list[_Cell] = [_Cell(" ".join(p.text for p in label))]
    c = 0
    while c < len(columns):
        found = cells[c]
        row.append(found if found is not None else _Cell(""))
        c += found.colspan if found is not None else 1
    return row


def _centred(placed: _Placed, columns: Sequence[tuple[float, float]]) -> bool:
    """A lone heading near the middle of all the value columns heads all of them."""
    if len(columns) < 2:
        return False
    left, right = columns[0][0], columns[-1][1]
    centre = (placed.x0 + placed.x1) / 2
    if abs(centre - (left + right) / 2) <= 0.15 * (right - left):
        return True
    first = (columns[0][0] + columns[0][1]) / 2
    last = (columns[-1][0] + columns[-1][1]) / 2
    return placed.x1 - placed.x0 >= 0.9 * (last - first)


def _underlined(phrase: _Phrase, others: Sequence[_Phrase], size: float, grid: _Grid) -> list[int]:
    """Columns under a rule drawn just below a spanning heading ("Three Months Ended")."""
    bottom = max(w.bottom for w in phrase.words)
    width = phrase.x1 - phrase.x0
    for x0, x1, y in grid.hrules:
        if not bottom - 1 <= y <= bottom + 0.9 * size:
            continue
        centred = abs((phrase.x0 + phrase.x1) / 2 - (x0 + x1) / 2) < 0.15 * (x1 - x0)
        alone = not any(_overlap((p.x0, p.x1), (x0, x1)) > 0 for p in others)
        inside = x0 - 2 <= phrase.x0 and phrase.x1 <= x1 + 2
        if centred and alone and inside and x1 - x0 > 1.1 * width:
            cols = [
                i
                for i, col in enumerate(grid.columns)
                if _overlap(col, (x0, x1)) >= 0.5 * (col[1] - col[0])
            ]
            if cols:
                return list(range(cols[0], cols[-1] + 1))
    return []


def _covered(phrase: _Phrase, columns: Sequence[tuple[float, float]]) -> list[int]:
    """Columns whose values lie under the phrase (else the column nearest to it)."""
    cols = [i for i, col in enumerate(columns) if _overlap((phrase.x0, phrase.x1), col) > 1.0]
    if not cols:
        slots = _slots(columns)
        centre = (phrase.x0 + phrase.x1) / 2
        cols = [min(range(len(slots)), key=lambda i: _slot_distance(centre, slots[i]))]
    return list(range(cols[0], cols[-1] + 1))


def _slot_distance(x: float, slot: tuple[float, float]) -> float:
    if slot[0] <= x <= slot[1]:
        return 0.0
    return min(abs(x - slot[0]), abs(x - slot[1]))


def _split_pieces(phrase: _Phrase, slots: Sequence[tuple[float, float]]) -> list[_Placed] | None:
    """Split "Dec 31, 2022 Dec 25, 2021" into one header per column when every piece has a digit."""
    pieces: list[tuple[int, list[_Word]]] = []
    for word in phrase.words:
        centre = (word.x0 + word.x1) / 2
        col = min(range(len(slots)), key=lambda i: _slot_distance(centre, slots[i]))
        if pieces and pieces[-1][0] == col:
            pieces[-1][1].append(word)
        else:
            pieces.append((col, [word]))
    texts = [" ".join(w.text for w in ws) for _, ws in pieces]
    if len(pieces) < 2 or not all(_DIGIT.search(t) for t in texts):
        return None
    if len({c for c, _ in pieces}) != len(pieces):
        return None
    return [
        _Placed(c, c, t, ws[0].x0, ws[-1].x1, False)
        for (c, ws), t in zip(pieces, texts, strict=True)
    ]


def _fill_groups(placed: list[_Placed], columns: Sequence[tuple[float, float]]) -> None:
    """Group headers ("Net Income" | "Earnings per share") also own the nearest free columns."""
    ordered = sorted(placed, key=lambda p: p.first)
    for c in range(len(columns)):
        if any(p.first <= c <= p.last for p in ordered):
            continue
        centre = (columns[c][0] + columns[c][1]) / 2
        left = [p for p in ordered if p.last < c and not p.exact]
        right = [p for p in ordered if p.first > c and not p.exact]
        left_gap = centre - left[-1].x1 if left else math.inf
        right_gap = right[0].x0 - centre if right else math.inf
        if left and left_gap <= right_gap:
            left[-1].last = c
        elif right:
            right[0].first = min(right[0].first, c)


# --------------------------------------------------------------------------------------------
# Tables continued on the next page
# --------------------------------------------------------------------------------------------
def _merge_continued_tables(items: list[list[_Item]]) -> None:
    for p in range(len(items) - 1):
        nxt_items = items[p + 1]
        if not nxt_items or not isinstance(nxt_items[0], _Table):
            continue
        tables = [it for it in items[p] if isinstance(it, _Table)]
        if not tables:
            continue
        first, cont = tables[-1], nxt_items[0]
        after = items[p].index(first)
        trailing = [it for it in items[p][after + 1 :]]
        if len(trailing) > 6 or not _same_shape(first, cont):
            continue
        first.body.extend(_continuation_rows(first, cont))
        nxt_items.pop(0)


def _same_shape(first: _Table, cont: _Table) -> bool:
    if cont.title_lines or first.ncols != cont.ncols or first.ruled != cont.ruled:
        return False
    if not first.ruled and any(
        abs(a - b) > 12 for a, b in zip(first.col_edges, cont.col_edges, strict=True)
    ):
        return False
    if first.ruled:  # ruled tables repeat their first row as the header
        return _row_texts(cont.body[:1]) == _row_texts(first.body[:1]) or not first.body
    return not cont.header or _row_texts(cont.header) == _row_texts(first.header)


def _continuation_rows(first: _Table, cont: _Table) -> list[list[_Cell]]:
    if first.ruled and cont.body and _row_texts(cont.body[:1]) == _row_texts(first.body[:1]):
        return cont.body[1:]
    return cont.body


def _row_texts(rows: Sequence[Sequence[_Cell]]) -> list[list[str]]:
    return [[" ".join(c.text.split()) for c in row] for row in rows]


# --------------------------------------------------------------------------------------------
# Text assembly: headings, paragraphs, tables -> text + blocks
# --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Heading:
    rank: tuple[int, float, bool, bool, bool]
    text: str


class _Writer:
    """Accumulates the document text and the blocks that index into it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.blocks: list[Block] = []
        self.stack: list[_Heading] = []

    def write(self, text: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return start, self.pos

    def separate(self) -> None:
        if self.pos:
            self.write("\n\n")

    @property
    def section(self) -> tuple[str, ...]:
        return tuple(h.text for h in self.stack)

    def heading(self, text: str, rank: tuple[int, float, bool, bool, bool], page: int) -> None:
        while self.stack and self.stack[-1].rank <= rank:
            self.stack.pop()
        self.stack.append(_Heading(rank, text))
        self.separate()
        start, end = self.write(text)
        self.blocks.append(TextBlock("heading", text, start, end, page, self.section))

    def paragraph(self, text: str, page: int) -> None:
        self.separate()
        start, end = self.write(text)
        self.blocks.append(TextBlock("paragraph", text, start, end, page, self.section))

    def table(self, table: _Table) -> None:
        self.separate()
        rows: list[list[RawCell]] = []
        start = self.pos
        all_rows = table.header + table.body
        for r, row in enumerate(all_rows):
            cells: list[RawCell] = []
            for c, cell in enumerate(row):
                text = " ".join(cell.text.split())
                s, e = self.write(text)
                cells.append(RawCell(text=text, char_start=s, char_end=e, colspan=cell.colspan))
                if c + 1 < len(row):
                    self.write("\t" * cell.colspan)
            rows.append(cells)
            if r + 1 < len(all_rows):
                self.write("\n")
        self.blocks.append(
            RawTable(
                rows=rows,
                title_lines=list(table.title_lines),
                char_start=start,
                char_end=self.pos,
                page=table.page,
                section=self.section,
                aligned=True,
            )
        )

    def text(self) -> str:
        return "".join(self.parts)


def _assemble(
    items: list[list[_Item]], body_size: float, vocabulary: set[str], margins: dict[int, float]
) -> tuple[str, list[Block]]:
    writer = _Writer()
    stream: list[_Item] = [it for page in items for it in page]
    paragraph: list[_Line] = []
    heading: list[_Line] = []

    def flush() -> None:
        if heading:
            text = _join_lines([ln.text for ln in heading], vocabulary)
            writer.heading(text, _rank(heading[0]), heading[0].page)
            heading.clear()
        if paragraph:
            text = _join_lines([ln.text for ln in paragraph], vocabulary)
            writer.paragraph(text, paragraph[0].page)
            paragraph.clear()

    for item in stream:
        if isinstance(item, _Table):
            flush()
            writer.table(item)
            continue
        right = margins.get(item.page) or item.x1
        continues = (
            bool(paragraph)
            and _same_style(paragraph[-1], item)
            and not _breaks(paragraph, item, right)
        )
        if not continues and _is_heading(item, body_size):
            if heading and _wraps(heading[-1], item, right):
                heading.append(item)
                continue
            flush()
            heading.append(item)
            continue
        if heading:
            flush()
        if paragraph and _breaks(paragraph, item, right):
            flush()
        paragraph.append(item)
    flush()
    return writer.text(), writer.blocks


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _is_heading(line: _Line, body_size: float) -> bool:
    """Short lines set larger, bold or in capitals ("Item 7." headings may run longer)."""
    text = line.text
    numbered = _PART.match(text) or _ITEM.match(text) or _NOTE.match(text)
    limit = 30 if numbered else 14
    if len(line.words) > limit or len(text) > 10 * limit or _BULLET.match(text):
        return False
    if text[-1] in ",;" or not any(c.isalpha() for c in text):
        return False
    if text.endswith(".") and not numbered and not _ABBREVIATION_END.search(text):
        return False
    if line.size >= body_size + 1.0:
        return True
    return line.bold or _is_caps(text)


def _rank(line: _Line) -> tuple[int, float, bool, bool, bool]:
    """Heading level: PART > Item > Note > the rest by size, capitals, bold, upright."""
    text = line.text
    level = 3 if _PART.match(text) else 2 if _ITEM.match(text) else 1 if _NOTE.match(text) else 0
    if level:
        return (level, 0.0, False, False, False)  # numbered headings are peers whatever the style
    return (0, round(line.size * 2) / 2, _is_caps(text), line.bold, not line.italic)


def _wraps(prev: _Line, line: _Line, right: float) -> bool:
    """A heading line that continues the previous one (same style, previous line was full)."""
    return (
        prev.page == line.page
        and abs(prev.size - line.size) < 0.5
        and prev.bold == line.bold
        and abs(prev.x0 - line.x0) < 2 * line.size
        and line.top - prev.bottom < 0.8 * line.size
        and prev.x1 >= right - 0.12 * (right - prev.x0)
    )


def _same_style(a: _Line, b: _Line) -> bool:
    return a.bold == b.bold and a.italic == b.italic and abs(a.size - b.size) < 0.5


def _breaks(paragraph: list[_Line], line: _Line, right: float) -> bool:
    """Does ``line`` start a new paragraph after the lines collected so far?"""
    prev = paragraph[-1]
    text = line.text
    if _BULLET.match(text) or abs(prev.size - line.size) >= 1.0:
        return True
    ended = bool(_SENTENCE_END.search(prev.text))
    if prev.page != line.page:
        return ended or not (text[:1].islower() or prev.text.endswith(("-", ",")))
    if line.top - prev.bottom > 0.75 * line.size:
        return True
    body_left = _body_left(paragraph)
    if ended and line.x0 > body_left + 0.8 * line.size:
        return True
    hanging = len(paragraph) > 1 or _BULLET.match(paragraph[0].text)
    if hanging and line.x0 < body_left - 0.8 * line.size:
        return True  # outdented: the list item is over
    short = prev.x1 < right - 0.15 * max(right - prev.x0, 1.0)
    return ended and short


def _body_left(paragraph: list[_Line]) -> float:
    """Left edge of a paragraph's running text (after a bullet, ignoring a first-line indent)."""
    first = paragraph[0]
    if len(paragraph) > 1:
        return min(ln.x0 for ln in paragraph[1:])
    if _BULLET.match(first.text) and len(first.words) > 1:
        return first.words[1].x0
    return first.x0


def _join_lines(lines: Sequence[str], vocabulary: set[str]) -> str:
    """Undo line wrapping: one space between lines, hyphenation fixed at line ends."""
    out = ""
    for raw in lines:
        text = " ".join(raw.split())
        if not out:
            out = text
            continue
        if out.endswith("\xad"):
            out = out[:-1] + text
        elif out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            out = out + text if _keep_hyphen(out, text, vocabulary) else out[:-1] + text
        else:
            out = f"{out} {text}"
    return out


def _keep_hyphen(before: str, after: str, vocabulary: set[str]) -> bool:
    head = re.split(r"[\s/(“\"]", before[:-1])[-1]
    tail = re.split(r"[\s,.;:)”\"]", after, maxsplit=1)[0]
    if not tail[:1].islower():
        return True  # non-GAAP, mid-2023
    last = head.split("-")[-1].lower()
    if last in _KEEP_HYPHEN_PREFIXES:
        return True
    joined = (last + tail).lower()
    hyphenated = f"{last}-{tail}".lower()
    return not (joined in vocabulary and hyphenated not in vocabulary)
