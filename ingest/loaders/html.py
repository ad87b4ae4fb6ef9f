"""EDGAR HTML and inline-XBRL filings.

Approach
--------
1. **Bytes to text.**  A UTF-16 BOM or a declared charset (``<?xml encoding>`` /
   ``<meta charset>``) wins; otherwise UTF-8, then cp1252, then latin-1, so
   decoding never fails.  PDF signatures, archives, images and text with many
   NUL/control bytes raise :class:`CorruptFile`.  The SGML wrapper EDGAR puts
   around exhibits (``<DOCUMENT><TYPE>...<TEXT>``) is removed.
2. **Parse.**  Well-formed XHTML (all inline XBRL) is parsed with lxml's XML
   parser (no DTDs, no entities, no network); anything else, or XHTML that is
   not well formed, with lxml's forgiving HTML parser.  Tag names are
   normalised (``ix:nonfraction``, ``xbrli:context``, ``div``) so both trees
   are walked the same way.  Nothing from the page is ever executed.
3. **XBRL index.**  One pass collects ``xbrli:context`` periods and
   dimensions (explicit and typed members), ``xbrli:unit`` names and the
   first ``dei:`` ``ix:nonNumeric`` values.
4. **Walk.**  ``etree.iterwalk`` visits the body once.  Script, style, head,
   comments, ``ix:header`` and ``display:none`` subtrees are skipped.  Inline
   text is accumulated with whitespace collapsed *as it is appended*, so the
   offsets of ``ix:nonFraction`` tags are known exactly; block elements end a
   paragraph (``<br><br>`` too).  The document text is built from the emitted
   blocks (blank line between blocks; a table is one line per row, cells
   separated by tabs, a cell spanning n columns followed by n-1 extra tabs), so
   every offset indexes ``LoadedDocument.text``.
5. **Tables.**  A ``<table>`` without nested tables whose rows hold a label
   followed by a number (and that is not a table of contents / exhibit list)
   is a data table; other tables are layout and are rendered as text (each
   simple row becomes one paragraph).  A data table becomes a clean logical
   grid: cells are placed on the physical grid (colspan/rowspan), ``$``/``(``
   cells are merged into the value after them and ``)``/``%`` cells (and note
   markers such as ``(1)`` printed in a column of their own) into the value
   before them, footnote superscripts are dropped, and physical columns are
   grouped into logical columns from the narrowest cells up (cells overlapping
   two groups are spanning headers).  Empty spacer columns and empty rows
   disappear; colspans are recomputed over the logical columns.
6. **Headings.**  ``<h1>``..``<h6>`` or short bold / all-caps / centred lines;
   "PART I" is level 1, "Item 7." level 2, other caps lines 3, the rest 4.
   Blocks carry the heading path as ``section`` and the page (counted from CSS
   page breaks) as ``page``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from ..errors import CorruptFile, EmptyFile
from ..models import Block, LoadedDocument, Period, RawCell, RawTable, TextBlock, XbrlFact
from ..numbers import words_to_number

Element = Any  # lxml ships no type stubs; elements are handled through small helpers

# --------------------------------------------------------------------------- public API


def load_html(path: Path, data: bytes) -> LoadedDocument:
    """Load an EDGAR HTML or inline-XBRL filing from its raw bytes."""
    if not data.strip():
        raise EmptyFile(path, "the file is empty; download the filing again")
    text = _decode(path, data)
    root = _parse(text)
    if root is None:
        raise EmptyFile(path, "the page has no content; check that it is the filing you meant")
    xbrl = _index_xbrl(root)
    walker = _Walker(xbrl)
    walker.walk(root)
    doc = walker.doc
    full_text = "".join(doc.parts)
    if not full_text.strip():
        raise EmptyFile(
            path,
            "the page has no visible text (only markup, scripts or hidden content); "
            "check that it is the filing itself and not an index or redirect page",
        )
    warnings = list(walker.warnings)
    hidden = xbrl.numeric_count - len(doc.facts) - walker.unreadable
    if hidden > 0:
        warnings.append(f"{hidden} inline XBRL figure(s) are not in the visible text; skipped")
    return LoadedDocument(
        text=full_text,
        blocks=doc.blocks,
        format="ixbrl" if xbrl.present else "html",
        pages=_page_count(doc.blocks),
        xbrl_facts=doc.facts,
        xbrl_meta=dict(xbrl.meta),
        warnings=warnings,
    )


def _page_count(blocks: list[Block]) -> int | None:
    last = max((block.page or 1 for block in blocks), default=1)
    return last if last > 1 else None


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_SIGNATURES = (
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\xd0\xcf\x11\xe0", "an Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip archive"),
)
_DECLARED = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)"""
    rb"""|<meta[^>]*?charset\s*=\s*["']?([A-Za-z0-9._:-]+)""",
    re.IGNORECASE,
)
_WINDOWS_FAMILY = {"ascii", "latin_1", "cp1252"}
_CODEC_ALIASES = {"us_ascii": "ascii", "iso8859_1": "latin_1", "windows_1252": "cp1252"}


def _decode(path: Path, data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    _reject_binary(path, data)
    declared = _declared_codec(data[:4096])
    if declared is not None:
        if declared in _WINDOWS_FAMILY and not data.isascii():
            # Mislabelled pages are common: valid UTF-8 with non-ASCII bytes is UTF-8.
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                declared = "cp1252"
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _reject_binary(path: Path, data: bytes) -> None:
    head = data[:65536]
    stripped = head.lstrip()
    for signature, what in _SIGNATURES:
        if stripped.startswith(signature):
            raise CorruptFile(
                path,
                f"this file is {what}, not HTML; give it its proper extension "
                "(for example .pdf) or export the filing as HTML and retry",
            )
    if not head:
        return
    nuls = head.count(0)
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    if nuls * 100 >= len(head) or controls * 20 > len(head):
        raise CorruptFile(
            path,
            "this is binary data, not HTML; check the download (it may be truncated or "
            "another format) and save the filing as .html, .txt or .pdf",
        )


def _declared_codec(head: bytes) -> str | None:
    match = _DECLARED.search(head)
    if not match:
        return None
    name = (match.group(1) or match.group(2) or b"").decode("ascii", errors="ignore")
    try:
        codec = codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        return None
    return _CODEC_ALIASES.get(codec, codec)


# --------------------------------------------------------------------------- parsing

_SGML_HEAD = re.compile(r"^\s*<DOCUMENT>.*?<TEXT>\s*", re.IGNORECASE | re.DOTALL)
_SGML_TAIL = re.compile(r"</TEXT>\s*</DOCUMENT>\s*$", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NS_PREFIX = {
    "http://www.w3.org/1999/xhtml": "",
    "http://www.xbrl.org/2013/inlineXBRL": "ix",
    "http://www.xbrl.org/2008/inlineXBRL": "ix",
    "http://www.xbrl.org/2003/instance": "xbrli",
    "http://xbrl.org/2006/xbrldi": "xbrldi",
}
_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_TAG_CACHE: dict[str, str] = {}


def _parse(text: str) -> Element | None:
    head = text[:4096]
    if _SGML_HEAD.match(head):
        text = _SGML_HEAD.sub("", text, count=1)
        text = _SGML_TAIL.sub("", text)
    text = _CONTROL.sub(" ", text.replace("\x0c", "\n"))
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        return None
    if _looks_xhtml(text[:4096]):
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
        )
        try:
            return etree.fromstring(text, parser)
        except etree.XMLSyntaxError:
            pass
    parser = etree.HTMLParser(no_network=True, huge_tree=True)
    return etree.fromstring(text, parser)


def _looks_xhtml(head: str) -> bool:
    lowered = head.lower()
    return "xmlns" in lowered and "<html" in lowered


def _tag(el: Element) -> str:
    """Normalised tag name: ``div``, ``ix:nonfraction``, ``xbrli:context``; "" for comments."""
    raw = el.tag
    if not isinstance(raw, str):
        return ""
    cached = _TAG_CACHE.get(raw)
    if cached is not None:
        return cached
    if raw.startswith("{"):
        uri, _, local = raw[1:].partition("}")
        prefix = _NS_PREFIX.get(uri, "ns")
        name = f"{prefix}:{local.lower()}" if prefix else local.lower()
    else:
        name = raw.lower()
    if len(_TAG_CACHE) < 4096:
        _TAG_CACHE[raw] = name
    return name


def _local(tag: str) -> str:
    return tag.rpartition(":")[2]


def _attr(el: Element, name: str) -> str | None:
    value = el.get(name)
    if value is None:
        value = el.get(name.lower())
    return str(value) if value is not None else None


def _is_nil(el: Element) -> bool:
    value = el.get(_XSI_NIL) or el.get("xsi:nil")
    return str(value).strip().lower() == "true" if value is not None else False


# --------------------------------------------------------------------------- XBRL index


@dataclass
class _Xbrl:
    present: bool = False
    contexts: dict[str, Period | None] = field(default_factory=dict)
    #: (axis, member) pairs of each segmented context; absent for consolidated contexts
    dimensions: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    numeric_count: int = 0  # ix:nonFraction tags that are not xsi:nil


def _index_xbrl(root: Element) -> _Xbrl:
    xbrl = _Xbrl()
    for el in root.iter():
        tag = _tag(el)
        if not tag or ":" not in tag:
            continue
        prefix, _, local = tag.partition(":")
        if prefix == "ix":
            xbrl.present = True
            if local == "nonfraction" and not _is_nil(el):
                xbrl.numeric_count += 1
            elif local == "nonnumeric":
                name = _attr(el, "name") or ""
                if name.startswith("dei:") and name not in xbrl.meta:
                    xbrl.meta[name] = " ".join("".join(el.itertext()).split())
        elif local == "context":
            ident = el.get("id")
            if ident:
                xbrl.contexts[ident] = _context_period(el)
                members = _context_dimensions(el)
                if members:
                    xbrl.dimensions[ident] = members
        elif local == "unit":
            ident = el.get("id")
            if ident:
                xbrl.units[ident] = _unit_name(el)
    return xbrl


def _context_period(context: Element) -> Period | None:
    start = end = instant = None
    for el in context.iter():
        local = _local(_tag(el))
        if local == "startdate":
            start = _iso_date(el.text)
        elif local == "enddate":
            end = _iso_date(el.text)
        elif local == "instant":
            instant = _iso_date(el.text)
    if instant is not None:
        return Period(kind="instant", end=instant)
    if end is not None:
        return Period(kind="duration", end=end, start=start)
    return None


def _context_dimensions(context: Element) -> tuple[tuple[str, str], ...]:
    """The (axis, member) pairs of a context's segment or scenario, in document order.

    An explicit member is the member's QName (``us-gaap:ProductMember``); a typed
    member is the text of its domain element (``2025-01-01``), whitespace collapsed.
    """
    members: list[tuple[str, str]] = []
    for el in context.iter():
        local = _local(_tag(el))
        if local not in ("explicitmember", "typedmember"):
            continue
        axis = (_attr(el, "dimension") or "").strip()
        value = " ".join("".join(el.itertext()).split())
        if axis and value:
            members.append((axis, value))
    return tuple(members)


def _iso_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _unit_name(unit: Element) -> str:
    numerator: list[str] = []
    denominator: list[str] = []
    for el in unit.iter():
        if _local(_tag(el)) != "measure" or not el.text:
            continue
        measure = el.text.strip().rpartition(":")[2]
        parent = el.getparent()
        in_denominator = parent is not None and _local(_tag(parent)) == "unitdenominator"
        (denominator if in_denominator else numerator).append(measure)
    if denominator:
        den = "*".join("share" if m == "shares" else m for m in denominator)
        return f"{'*'.join(numerator) or '1'}/{den}"
    if numerator == ["pure"]:
        return "ratio"
    return "*".join(numerator)


def _fact_number(el: Element) -> Decimal | None:
    """The printed number of an ``ix:nonFraction`` read through its ``format``."""
    printed = "".join(el.itertext()).strip()
    fmt = _local((_attr(el, "format") or "").lower())
    if fmt in ("fixed-zero", "fixedzero", "zerodash", "zero-dash"):
        return Decimal(0)
    if "word" in fmt:
        return words_to_number(printed)
    if fmt in ("num-comma-decimal", "numcommadecimal", "numspacecomma", "numdotcomma"):
        digits = re.sub(r"[^\d,]", "", printed)
        head, _, tail = digits.rpartition(",")
        digits = f"{head.replace(',', '')}.{tail}" if head else tail
    else:
        digits = re.sub(r"[^\d.]", "", printed)
    if not re.search(r"\d", digits):
        if printed in ("-", "—", "–", "−"):
            return Decimal(0)
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _make_fact(el: Element, xbrl: _Xbrl, printed: str, start: int, end: int) -> XbrlFact | None:
    number = _fact_number(el)
    if number is None:
        return None
    try:
        scale = int((_attr(el, "scale") or "0").strip())
    except ValueError:
        scale = 0
    value = number * (Decimal(10) ** scale)
    if value == value.to_integral_value():
        value = value.to_integral_value()
    if (_attr(el, "sign") or "").strip() == "-":
        value = -value
    context_ref = _attr(el, "contextRef") or ""
    unit_ref = _attr(el, "unitRef") or ""
    return XbrlFact(
        concept=_attr(el, "name") or "",
        value=value,
        unit=xbrl.units.get(unit_ref, unit_ref),
        period=xbrl.contexts.get(context_ref),
        dimensions=xbrl.dimensions.get(context_ref, ()),
        context_ref=context_ref,
        scale=scale,
        as_printed=printed,
        char_start=start,
        char_end=end,
        decimals=_attr(el, "decimals"),
    )


# --------------------------------------------------------------------------- inline text

_WS = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad"))


@dataclass
class _Marker:
    """Where an ``ix:nonFraction`` sits inside an inline buffer (end None while open)."""

    el: Element
    start: int
    end: int | None = None


@dataclass
class _Piece:
    """Finished inline text: a paragraph, a layout-cell line or a table cell."""

    text: str
    markers: list[tuple[Element, int, int]]
    bold: int = 0
    chars: int = 0
    centered: int = 0
    level: int | None = None


class _Inline:
    """Inline text with whitespace collapsed while appending, so offsets stay exact."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.space = True  # the buffer is empty or ends with whitespace
        self.bold = 0
        self.chars = 0
        self.centered = 0
        self.level: int | None = None
        self.markers: list[_Marker] = []

    def add(self, text: str, bold: bool = False, centered: bool = False) -> None:
        text = _WS.sub(" ", text.translate(_INVISIBLE))
        if self.space and text.startswith(" "):
            text = text[1:]
        if not text:
            return
        self.parts.append(text)
        self.length += len(text)
        self.space = text.endswith(" ")
        visible = len(text) - text.count(" ")
        self.chars += visible
        if bold:
            self.bold += visible
        if centered:
            self.centered += visible

    def add_raw_line(self, text: str) -> None:
        """Preformatted text: keep inner spacing, drop trailing spaces."""
        text = text.translate(_INVISIBLE).expandtabs().rstrip()
        if not text:
            return
        if self.length and not self.space:
            self.line_break()
        self.parts.append(text)
        self.length += len(text)
        self.space = False
        self.chars += len(text) - text.count(" ")

    def space_break(self) -> None:
        if not self.space:
            self.parts.append(" ")
            self.length += 1
            self.space = True

    def line_break(self) -> None:
        if not self.length:
            return
        last = self.parts[-1]
        if last.endswith("\n"):
            return
        if last.endswith(" "):
            self.parts[-1] = last[:-1] + "\n"
        else:
            self.parts.append("\n")
            self.length += 1
        self.space = True

    def ends_with_newline(self) -> bool:
        return bool(self.parts) and self.parts[-1].endswith("\n")

    def open_marker(self, el: Element) -> _Marker:
        marker = _Marker(el, self.length)
        self.markers.append(marker)
        return marker

    def finish(self) -> _Piece:
        text = "".join(self.parts).rstrip()
        spans: list[tuple[Element, int, int]] = []
        for marker in self.markers:
            start = marker.start
            end = min(len(text), marker.end if marker.end is not None else len(text))
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                spans.append((marker.el, start, end))
        return _Piece(text, spans, self.bold, self.chars, self.centered, self.level)


# --------------------------------------------------------------------------- styles

_SKIP = frozenset(
    {
        "script",
        "style",
        "head",
        "title",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "meta",
        "link",
        "ix:header",
        "ix:hidden",
        "ix:references",
        "ix:resources",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "center",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "address",
        "form",
        "fieldset",
        "hr",
        "caption",
        "figure",
        "figcaption",
        "main",
        "body",
        "html",
        "table",
        "tr",
        "thead",
        "tbody",
        "tfoot",
        "td",
        "th",
        "page",
    }
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_FONT_WEIGHT = re.compile(r"font-weight\s*:\s*([a-z0-9]+)", re.IGNORECASE)
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*([a-z]+)", re.IGNORECASE)
_BREAK_BEFORE = re.compile(r"(page-)?break-before\s*:\s*(always|page)", re.IGNORECASE)
_BREAK_AFTER = re.compile(r"(page-)?break-after\s*:\s*(always|page)", re.IGNORECASE)


@dataclass(frozen=True)
class _Style:
    bold: bool = False
    centered: bool = False
    heading: int | None = None
    pre: bool = False


_PLAIN = _Style()


def _hidden(el: Element, tag: str) -> bool:
    if tag in _SKIP:
        return True
    style = el.get("style")
    if style is not None and _DISPLAY_NONE.search(style):
        return True
    return el.get("hidden") is not None


def _style_of(el: Element, tag: str, parent: _Style) -> _Style:
    bold, centered, heading, pre = parent.bold, parent.centered, parent.heading, parent.pre
    if tag in ("b", "strong"):
        bold = True
    elif tag in _HEADINGS:
        heading = _HEADINGS[tag]
    elif tag == "center":
        centered = True
    elif tag in ("pre", "xmp", "listing", "plaintext"):
        pre = True
    css = el.get("style")
    if css:
        weight = _FONT_WEIGHT.search(css)
        if weight:
            value = weight.group(1).lower()
            bold = value in ("bold", "bolder") or (value.isdigit() and int(value) >= 600)
        align = _TEXT_ALIGN.search(css)
        if align and tag in _BLOCK:
            centered = align.group(1).lower() == "center"
    align_attr = el.get("align")
    if align_attr is not None and tag in _BLOCK:
        centered = str(align_attr).strip().lower() == "center"
    if (bold, centered, heading, pre) == (
        parent.bold,
        parent.centered,
        parent.heading,
        parent.pre,
    ):
        return parent
    return _Style(bold, centered, heading, pre)


# --------------------------------------------------------------------------- headings

_PART = re.compile(r"^part\s+[ivx]+\b", re.IGNORECASE)
_ITEM = re.compile(r"^item\s+\d+[a-z]?\b", re.IGNORECASE)
_ABBREVIATION_END = re.compile(r"\b(inc|corp|co|ltd|llc|l\.p|n\.a|no|u\.s|s\.a|plc)\.$", re.I)
_NOT_HEADING = re.compile(
    r"^(table of contents|index|pages?|page \d+|[-–— ]*\d+[-–— ]*|.*[|•]\s*\d{1,3}|.*[☐☒].*|"
    r"(january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\s+\d{1,2},?\s+\d{4})$",
    re.IGNORECASE,
)


def _heading_level(piece: _Piece, allow_centered: bool = True) -> int | None:
    text = piece.text
    if piece.level is not None and len(text) <= 300:
        return piece.level
    if len(text) > 150 or len(text.split()) > 16 or not re.search(r"[A-Za-z]{3}", text):
        return None
    if text.startswith("(") or _NOT_HEADING.match(text):
        return None
    if (
        text[-1] in ".,;:"
        and not _PART.match(text)
        and not _ITEM.match(text)
        and not _ABBREVIATION_END.search(text)
    ):
        return None
    letters = [ch for ch in text if ch.isalpha()]
    caps = len(letters) >= 4 and all(ch.isupper() for ch in letters)
    bold = piece.chars > 0 and piece.bold >= 0.9 * piece.chars
    centered = allow_centered and piece.chars > 0 and piece.centered >= 0.9 * piece.chars
    if not (bold or caps or (centered and len(text.split()) > 1 and text[0].isupper())):
        return None
    if _PART.match(text):
        return 1
    if _ITEM.match(text):
        return 2
    return 3 if caps else 4


# --------------------------------------------------------------------------- document builder


class _Doc:
    """The growing document text and the blocks and facts that index into it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        self.facts: list[XbrlFact] = []

    def begin_block(self) -> int:
        if self.length:
            self.parts.append("\n\n")
            self.length += 2
        return self.length

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)


# --------------------------------------------------------------------------- tables

_NUMERIC = re.compile(
    r"^[-−–(]?\s*(?:[$€£¥]|US\$)?\s*\(?\s*[-−–]?\s*(?:\d[\d,]*(?:\.\d+)?|\.\d+)\s*\)?\s*%?\s*\)?\*?$"
)
_LABEL = re.compile(r"[^\W\d_]{2}")
_PLAIN_SMALL = re.compile(r"^\d{1,3}(?:\.\d{1,2})?$")
_PAGE_HEADER = re.compile(r"^(?:pages?(?:\s+(?:no\.?|number))?|page\(s\).*)$", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:[$€£¥]|US\$|\(|[$€£¥]\s*\()$")
_SUFFIX = re.compile(r"^(?:\)|%|\)\s*%|%\s*\))$")
_VALUE_START = re.compile(r"^[-−–—(]?\s*[$€£¥]?\s*\(?\s*[\d.]|^[-−–—]+$")
_FOOTNOTE = re.compile(r"^\(?(?:\d{1,2}|[a-zA-Z]|[*†‡§]{1,3})\)?$")  # not "th", "TM"
_NOTE_MARK = re.compile(r"^(?:\(\d{1,2}\)|\([a-z]\)|\*{1,3}|[†‡§])$")


@dataclass
class _Cell:
    """A physical cell (or several merged) on the table's column grid."""

    c0: int
    c1: int
    text: str
    markers: list[tuple[Element, int, int]]
    indent: float = 0.0


@dataclass
class _GridCell:
    text: str
    colspan: int
    markers: list[tuple[Element, int, int]]
    indent: float = 0.0


def _table_rows(table: Element) -> list[Element]:
    rows: list[Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(grand for grand in child if _tag(grand) == "tr")
    return rows


def _span(el: Element, name: str) -> int:
    try:
        value = int(str(el.get(name, "1")).strip() or "1")
    except ValueError:
        return 1
    return min(max(value, 1), 200)


def _has_nested_table(table: Element) -> bool:
    return any(_tag(el) == "table" for el in table.iterdescendants())


def _physical_grid(table: Element) -> list[list[_Cell]]:
    """Cells placed on the column grid, honouring colspan and rowspan."""
    grid: list[list[_Cell]] = []
    taken: dict[int, set[int]] = {}
    for r, row in enumerate(_table_rows(table)):
        cells: list[_Cell] = []
        column = 0
        occupied = taken.get(r, set())
        for cell in row:
            if _tag(cell) not in ("td", "th"):
                continue
            while column in occupied:
                column += 1
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            piece = _cell_piece(cell)
            cells.append(
                _Cell(column, column + colspan, piece.text, piece.markers, _indent_of(cell))
            )
            for below in range(r + 1, r + rowspan):
                taken.setdefault(below, set()).update(range(column, column + colspan))
            column += colspan
        grid.append(cells)
    return grid


_LENGTH = re.compile(r"(-?\d*\.?\d+)\s*(pt|px|em|rem|in|%)?", re.IGNORECASE)
_POINTS = {"pt": 1.0, "px": 0.75, "em": 10.0, "rem": 10.0, "in": 72.0, "%": 0.0, "": 0.75}


def _points(value: str) -> float:
    match = _LENGTH.match(value.strip())
    if not match:
        return 0.0
    return float(match.group(1)) * _POINTS[(match.group(2) or "").lower()]


def _left_of(style: str) -> float:
    """Left padding, margin and text-indent of one CSS declaration list, in points."""
    total = 0.0
    for name, value in re.findall(r"([a-z-]+)\s*:\s*([^;]+)", style.lower()):
        if name in ("padding-left", "margin-left", "text-indent"):
            total += _points(value)
        elif name in ("padding", "margin"):
            parts = value.split()
            left = {1: 0, 2: 1, 3: 1, 4: 3}.get(len(parts))
            if left is not None:
                total += _points(parts[left])
    return total


def _indent_of(cell: Element) -> float:
    """How far a cell's text is indented: its own left padding plus that of the first element
    holding its text, and leading non-breaking spaces (about 3 points each)."""
    indent = _left_of(cell.get("style") or "")
    for el in cell.iter():
        if el is cell or not isinstance(el.tag, str):
            continue
        indent += _left_of(el.get("style") or "")
        if (el.text or "").strip():
            break
    text = "".join(cell.itertext())
    return indent + 3.0 * (len(text) - len(text.lstrip("\xa0 ")))


def _cell_piece(cell: Element) -> _Piece:
    """A table cell's cleaned text: blocks and line breaks become spaces, footnote
    superscripts are dropped, ``ix:nonFraction`` positions are kept."""
    inline = _Inline()
    open_markers: dict[int, _Marker] = {}
    walker = etree.iterwalk(cell, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event in ("comment", "pi"):
            if el.tail:
                inline.add(el.tail)
            continue
        tag = _tag(el)
        if event == "start":
            if el is not cell and (_hidden(el, tag) or _is_footnote_sup(el, tag)):
                walker.skip_subtree()
                continue
            if tag == "br" or tag in _BLOCK:
                inline.space_break()
            elif tag == "ix:nonfraction" and not _is_nil(el):
                open_markers[id(el)] = inline.open_marker(el)
            if el.text:
                inline.add(el.text)
        else:
            if el is cell:
                break
            marker = open_markers.pop(id(el), None)
            if marker is not None:
                marker.end = inline.length
            if tag in _BLOCK:
                inline.space_break()
            if el.tail:
                inline.add(el.tail)
    return inline.finish()


def _is_footnote_sup(el: Element, tag: str) -> bool:
    if tag != "sup":
        return False
    text = "".join(el.itertext()).strip()
    return bool(_FOOTNOTE.match(text)) if text else False


def _is_data_table(grid: list[list[_Cell]]) -> bool:
    """At least two non-empty rows, and rows holding a label followed by a number
    (two such rows, or one with two numbers, or one in a table of at most three
    rows; and at least a fifth of the rows);
    tables of contents and exhibit indexes (ascending small reference numbers,
    a "Page" column) are layout."""
    rows = [[c for c in row if c.text] for row in grid]
    rows = [row for row in rows if row]
    if len(rows) < 2:
        return False
    qualifying: list[list[str]] = []
    for row in rows:
        seen_label = False
        numbers: list[str] = []
        for cell in row:
            if _NUMERIC.match(cell.text):
                if seen_label:
                    numbers.append(cell.text)
            elif _LABEL.search(cell.text):
                seen_label = True
        if numbers:
            qualifying.append(numbers)
    if not qualifying:
        return False
    enough = len(qualifying) >= 2 or len(rows) <= 3 or len(qualifying[0]) >= 2
    if not enough or len(qualifying) * 5 < len(rows):
        return False
    return not _is_reference_list(qualifying, rows)


def _is_reference_list(numbers: list[list[str]], rows: list[list[_Cell]]) -> bool:
    if any(_PAGE_HEADER.match(cell.text) for row in rows for cell in row):
        return True
    if len(numbers) < 3 or any(len(found) != 1 for found in numbers):
        return False
    if not all(_PLAIN_SMALL.match(found[0]) for found in numbers):
        return False
    values = [Decimal(found[0]) for found in numbers]
    return all(a <= b for a, b in pairwise(values))


def _note_columns(grid: list[list[_Cell]]) -> set[int]:
    """Physical columns holding only ``)``/``%`` cells and note markers such as ``(1)``."""
    found: dict[int, bool] = {}
    for row in grid:
        for cell in row:
            if cell.text:
                fits = bool(_SUFFIX.match(cell.text) or _NOTE_MARK.match(cell.text))
                found[cell.c0] = found.get(cell.c0, True) and fits
    return {column for column, fits in found.items() if fits}


def _merge_row(cells: list[_Cell], note_columns: set[int]) -> list[_Cell]:
    """Merge ``$``/``(`` cells into the value after them and ``)``/``%`` into the one
    before; a note marker in a column of markers joins the value before it."""
    out: list[_Cell] = []
    pending: list[_Cell] = []
    for cell in cells:
        if not cell.text:
            continue
        if _PREFIX.match(cell.text):
            pending.append(cell)
            continue
        if pending:
            if _VALUE_START.match(cell.text):
                for prefix in reversed(pending):
                    cell = _join(prefix, cell, _prefix_sep(prefix.text, cell.text))
            else:
                out.extend(pending)
            pending = []
        previous = out[-1] if out else None
        if previous is not None and _VALUE_START.match(previous.text):
            if _SUFFIX.match(cell.text):
                out[-1] = _join(previous, cell, "")
                continue
            if cell.c0 in note_columns and _NOTE_MARK.match(cell.text):
                out[-1] = _join(previous, cell, " ")
                continue
        out.append(cell)
    out.extend(pending)
    return out


def _join(first: _Cell, second: _Cell, sep: str) -> _Cell:
    shift = len(first.text) + len(sep)
    markers = first.markers + [(el, s + shift, e + shift) for el, s, e in second.markers]
    return _Cell(
        min(first.c0, second.c0),
        max(first.c1, second.c1),
        first.text + sep + second.text,
        markers,
        first.indent if first.text.strip() else second.indent,
    )


def _prefix_sep(prefix: str, value: str) -> str:
    """``$ 1,234`` but ``$(1.76)`` and ``(1,234``."""
    return "" if prefix.endswith("(") or value.startswith("(") else " "


def _column_groups(rows: list[list[_Cell]]) -> list[list[int]]:
    """Logical columns as [lo, hi) ranges of physical columns, built from the
    narrowest cells up; a cell that would join two groups is a spanning header."""
    spans = sorted({(c.c0, c.c1) for row in rows for c in row}, key=lambda s: (s[1] - s[0], s))
    groups: list[list[int]] = []
    for lo, hi in spans:
        hits = [g for g in groups if g[0] < hi and lo < g[1]]
        if not hits:
            groups.append([lo, hi])
            continue
        if len(hits) > 1:
            continue
        group = hits[0]
        new_lo, new_hi = min(group[0], lo), max(group[1], hi)
        if any(o is not group and o[0] < new_hi and new_lo < o[1] for o in groups):
            continue
        group[0], group[1] = new_lo, new_hi
    groups.sort()
    return groups


def _first_group(cell: _Cell, groups: list[list[int]]) -> int | None:
    for index, (lo, hi) in enumerate(groups):
        if lo < cell.c1 and cell.c0 < hi:
            return index
    return None


def _merge_label_groups(rows: list[list[_Cell]], groups: list[list[int]]) -> list[list[int]]:
    """Indented labels in separate physical columns become one label column: the
    leading groups without numbers merge when no row fills two of them."""
    numeric: set[int] = set()
    for row in rows:
        for cell in row:
            index = _first_group(cell, groups)
            if index is not None and _NUMERIC.match(cell.text):
                numeric.add(index)
    leading = next((i for i in range(len(groups)) if i in numeric), len(groups))
    if leading < 2:
        return groups
    limit = groups[leading - 1][1]
    for row in rows:
        if sum(1 for cell in row if cell.c0 < limit) > 1:
            return groups
    return [[groups[0][0], limit], *groups[leading:]]


def _logical_grid(grid: list[list[_Cell]]) -> list[list[_GridCell]]:
    notes = _note_columns(grid)
    rows = [_merge_row(row, notes) for row in grid]
    rows = [row for row in rows if row]
    groups = _merge_label_groups(rows, _column_groups(rows))
    width = len(groups)
    logical: list[list[_GridCell]] = []
    for row in rows:
        placed: list[tuple[int, int, _Cell]] = []
        for cell in sorted(row, key=lambda c: c.c0):
            hit = [i for i, g in enumerate(groups) if g[0] < cell.c1 and cell.c0 < g[1]]
            if not hit:
                continue
            first, last = hit[0], hit[-1]
            if placed and first <= placed[-1][1]:
                p_first, p_last, previous = placed[-1]
                placed[-1] = (p_first, max(p_last, last), _join(previous, cell, " "))
            else:
                placed.append((first, last, cell))
        cells: list[_GridCell] = []
        column = 0
        for first, last, cell in placed:
            cells.extend(_GridCell("", 1, []) for _ in range(column, first))
            cells.append(_GridCell(cell.text, last - first + 1, cell.markers, cell.indent))
            column = last + 1
        cells.extend(_GridCell("", 1, []) for _ in range(column, width))
        logical.append(cells)
    return logical


# --------------------------------------------------------------------------- layout rows

_LAYOUT_ROW_LIMIT = 400


@dataclass
class _RowBuffer:
    """Paragraphs of one layout-table row, kept until the row ends."""

    pieces: list[_Piece] = field(default_factory=list)
    cell_counts: list[int] = field(default_factory=list)
    cell_start: int = 0


def _join_pieces(pieces: list[_Piece]) -> _Piece:
    text_parts: list[str] = []
    markers: list[tuple[Element, int, int]] = []
    offset = 0
    for piece in pieces:
        if text_parts:
            text_parts.append(" ")
            offset += 1
        markers.extend((el, s + offset, e + offset) for el, s, e in piece.markers)
        text_parts.append(piece.text)
        offset += len(piece.text)
    return _Piece("".join(text_parts), markers)


# --------------------------------------------------------------------------- title lines

_TITLE_MAX_LINES = 4
_TITLE_LINE_LIMIT = 300  # the line nearest the table
_TITLE_OTHER_LIMIT = 200  # lines further up
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-Z(])")
_RUNNING_HEADER = re.compile(r"^(table of contents|index to financial statements)$", re.I)


def _collect_title(text: str, lines: list[str]) -> bool:
    """Add ``text``'s lines (bottom up) to ``lines``; True when the title is complete."""
    for line in reversed(text.split("\n")):
        line = line.strip()
        if not line or _RUNNING_HEADER.match(line):
            continue
        if len(line) > (_TITLE_LINE_LIMIT if not lines else _TITLE_OTHER_LIMIT):
            if not lines:
                last = _SENTENCE_END.split(line)[-1]
                if len(last) <= _TITLE_LINE_LIMIT:
                    lines.append(last)
            return True
        lines.append(line)
        if len(lines) >= _TITLE_MAX_LINES:
            return True
    return False


# --------------------------------------------------------------------------- walker

FrameKind = Literal["block", "inline", "skip", "layout_cell", "layout_row", "pre"]


@dataclass
class _Frame:
    style: _Style
    kind: FrameKind
    marker: _Marker | None = None
    break_after: bool = False


class _Walker:
    """One pass over the body, emitting text blocks, tables and facts."""

    def __init__(self, xbrl: _Xbrl) -> None:
        self.xbrl = xbrl
        self.doc = _Doc()
        self.inline = _Inline()
        self.frames: list[_Frame] = []
        self.section: list[tuple[int, str]] = []
        self.page = 1
        self.row: _RowBuffer | None = None
        self.warnings: list[str] = []
        self.unreadable = 0

    # ---- traversal

    def walk(self, root: Element) -> None:
        walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
        for event, el in walker:
            if event in ("comment", "pi"):
                self._comment(el)
            elif event == "start":
                self._start(el, walker)
            else:
                self._end(el)
        self._flush()
        self._flush_row()

    def _comment(self, el: Element) -> None:
        if (el.text or "").strip().upper() == "PAGEBREAK":
            self._page_break()
        if el.tail:
            self._add(el.tail)

    def _start(self, el: Element, walker: Any) -> None:
        tag = _tag(el)
        parent = self.frames[-1].style if self.frames else _PLAIN
        if _hidden(el, tag):
            walker.skip_subtree()
            self.frames.append(_Frame(parent, "skip"))
            return
        style = _style_of(el, tag, parent)
        css = el.get("style") or ""
        if css and _BREAK_BEFORE.search(css):
            self._page_break()
        frame = _Frame(style, "inline", break_after=bool(css and _BREAK_AFTER.search(css)))
        if tag == "table":
            self._flush()
            self._flush_row()
            if self._data_table(el):
                walker.skip_subtree()
                frame.kind = "skip"
            else:
                frame.kind = "block"
        elif tag == "tr":
            self._flush()
            self._flush_row()
            self.row = _RowBuffer()
            frame.kind = "layout_row"
        elif tag in ("td", "th"):
            self._flush()
            if self.row is not None:
                self.row.cell_start = len(self.row.pieces)
            frame.kind = "layout_cell"
        elif tag in _BLOCK:
            self._flush()
            frame.kind = "pre" if style.pre and not parent.pre else "block"
        elif tag == "br":
            if style.pre:
                self._add("\n", style)
            elif self.inline.ends_with_newline():
                self._flush()  # <br><br> separates paragraphs in legacy pages
            else:
                self.inline.line_break()
        elif tag == "ix:nonfraction" and not _is_nil(el):
            frame.marker = self.inline.open_marker(el)
        self.frames.append(frame)
        if el.text and frame.kind != "skip":
            self._add(el.text, style)

    def _end(self, el: Element) -> None:
        frame = self.frames.pop()
        if frame.marker is not None:
            frame.marker.end = self.inline.length
        if frame.kind == "layout_cell":
            self._flush()
            if self.row is not None:
                self.row.cell_counts.append(len(self.row.pieces) - self.row.cell_start)
        elif frame.kind == "layout_row":
            self._flush()
            self._flush_row()
        elif frame.kind in ("block", "pre"):
            self._flush()
        if frame.break_after:
            self._flush()
            self._page_break()
        if el.tail:
            parent = self.frames[-1].style if self.frames else _PLAIN
            self._add(el.tail, parent)

    def _add(self, text: str, style: _Style = _PLAIN) -> None:
        if style.pre:
            self._add_pre(text)
            return
        if style.heading is not None and text.strip():
            level = self.inline.level
            self.inline.level = style.heading if level is None else min(level, style.heading)
        self.inline.add(text, style.bold, style.centered)

    def _add_pre(self, text: str) -> None:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for index, line in enumerate(lines):
            if index:
                if not line.strip() and self.inline.length:
                    # a blank line inside <pre> ends the paragraph
                    self._flush()
                    continue
                self.inline.line_break()
            if line.strip():
                self.inline.add_raw_line(line)

    def _page_break(self) -> None:
        if self.doc.length or self.inline.length or (self.row and self.row.pieces):
            self._flush()
            self._flush_row()
            self.page += 1

    # ---- paragraphs

    def _flush(self) -> None:
        if not self.inline.length:
            if self.inline.markers:
                self.inline = _Inline()
            return
        piece = self.inline.finish()
        self.inline = _Inline()
        if not piece.text:
            return
        if self.row is not None:
            self.row.pieces.append(piece)
        else:
            self._emit_piece(piece, allow_heading=True)

    def _flush_row(self) -> None:
        row, self.row = self.row, None
        if row is None or not row.pieces:
            return
        simple = (
            len(row.pieces) > 1
            and all(count <= 1 for count in row.cell_counts)
            and len(row.cell_counts) >= len(row.pieces)
            and sum(len(p.text) for p in row.pieces) <= _LAYOUT_ROW_LIMIT
        )
        if simple:
            self._emit_piece(_join_pieces(row.pieces), allow_heading=False)
            return
        for piece in row.pieces:
            self._emit_piece(piece, allow_heading=True, in_table=True)

    def _emit_piece(self, piece: _Piece, allow_heading: bool, in_table: bool = False) -> None:
        """Write a paragraph or heading; centring alone makes no heading inside tables,
        where ``align=center`` cells are common."""
        level = _heading_level(piece, allow_centered=not in_table) if allow_heading else None
        start = self.doc.begin_block()
        self.doc.write(piece.text)
        if level is not None:
            title = " ".join(piece.text.split())
            while self.section and self.section[-1][0] >= level:
                self.section.pop()
            self.section.append((level, title))
        self.doc.blocks.append(
            TextBlock(
                kind="heading" if level is not None else "paragraph",
                text=piece.text,
                char_start=start,
                char_end=start + len(piece.text),
                page=self.page,
                section=self._section(),
            )
        )
        for el, s, e in piece.markers:
            self._fact(el, piece.text[s:e], start + s, start + e)

    def _section(self) -> tuple[str, ...]:
        return tuple(title for _, title in self.section)

    def _fact(self, el: Element, printed: str, start: int, end: int) -> XbrlFact | None:
        fact = _make_fact(el, self.xbrl, printed, start, end)
        if fact is None:
            self.unreadable += 1
            if self.unreadable <= 5:
                self.warnings.append(
                    f"could not read the inline XBRL value {printed!r} of {_attr(el, 'name')}"
                )
            return None
        self.doc.facts.append(fact)
        return fact

    # ---- tables

    def _data_table(self, table: Element) -> bool:
        if _has_nested_table(table):
            return False
        grid = _physical_grid(table)
        if not _is_data_table(grid):
            return False
        logical = _logical_grid(grid)
        if len(logical) < 2:
            return False
        caption = next((c for c in table if _tag(c) == "caption"), None)
        caption_text = " ".join("".join(caption.itertext()).split()) if caption is not None else ""
        self._emit_table(logical, caption_text)
        return True

    def _title_lines(self, caption: str) -> list[str]:
        """Up to four non-empty lines just above the table on the same page, nearest
        last; a long paragraph contributes only its last sentence and ends the title."""
        lines: list[str] = []
        for block in reversed(self.doc.blocks):
            if isinstance(block, RawTable) or block.page != self.page:
                break
            if _collect_title(block.text, lines):
                break
        lines.reverse()
        if caption:
            lines.append(caption)
        return lines

    def _emit_table(self, grid: list[list[_GridCell]], caption: str) -> None:
        title = self._title_lines(caption)
        start = self.doc.begin_block()
        rows: list[list[RawCell]] = []
        for index, row in enumerate(grid):
            if index:
                self.doc.write("\n")
            cells: list[RawCell] = []
            for position, cell in enumerate(row):
                if position:
                    self.doc.write("\t")
                cell_start = self.doc.length
                self.doc.write(cell.text)
                fact: XbrlFact | None = None
                for el, s, e in cell.markers:
                    made = self._fact(el, cell.text[s:e], cell_start + s, cell_start + e)
                    fact = fact or made
                cells.append(
                    RawCell(
                        text=cell.text,
                        char_start=cell_start,
                        char_end=cell_start + len(cell.text),
                        colspan=cell.colspan,
                        xbrl=fact,
                        indent=cell.indent,
                    )
                )
                if cell.colspan > 1:
                    self.doc.write("\t" * (cell.colspan - 1))
            rows.append(cells)
        self.doc.blocks.append(
            RawTable(
                rows=rows,
                title_lines=title,
                char_start=start,
                char_end=self.doc.length,
                page=self.page,
                section=self._section(),
                aligned=True,
            )
        )
