"""Glyphs and painted shapes of one PDF page, read through PDFium.

PDFium ships with pdfplumber (``pypdfium2`` is its rendering dependency) and reads a page's
text several times faster than pdfminer's pure-Python interpreter, which dominated ingest time
for long PDFs.  The output has exactly the shape the pdfminer path produced, in pdfplumber's
coordinates (origin top-left, ``top`` grows downwards), so the rest of the PDF loader does not
know which engine read the page:

* a glyph is ``(x0, x1, top, bottom, text, size, bold, italic)`` with ``x0`` the glyph origin,
  ``x1`` its advance, ``bottom`` the font's descent line and ``top = bottom - size`` (pdfminer's
  box);
* a shape is one painted subpath's ``(x0, x1, top, bottom, stroked)``.

Pages PDFium cannot read and rotated pages (``/Rotate``) raise :class:`Unreadable`; the caller
reads those with pdfminer instead.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Glyph = tuple[float, float, float, float, str, float, bool, bool]
Shape = tuple[float, float, float, float, bool]
_Matrix = tuple[float, float, float, float, float, float]

_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b$", re.I)
_ITALIC_FONT = re.compile(r"italic|oblique|,i$", re.I)
_FORCE_BOLD = 1 << 18  # PDF font descriptor flags
_ITALIC_FLAG = 1 << 6
_MAX_SEGMENTS = 2000  # a path this long is a drawing, not a rule: its bounds are enough
_SKIP = frozenset({0, 0xA, 0xD, 0xFFFE, 0xFFFF})


class Unreadable(Exception):
    """PDFium could not give this page's glyphs in the expected orientation."""


class FontStyles:
    """Bold/italic per font name, decided once per document."""

    def __init__(self) -> None:
        self._styles: dict[tuple[str, int], tuple[bool, bool]] = {}

    def style(self, name: str, flags: int) -> tuple[bool, bool]:
        key = (name, flags)
        found = self._styles.get(key)
        if found is None:
            found = (
                bool(_BOLD_FONT.search(name)) or bool(flags & _FORCE_BOLD),
                bool(_ITALIC_FONT.search(name)) or bool(flags & _ITALIC_FLAG),
            )
            self._styles[key] = found
        return found


def read_page(
    page: pdfium.PdfPage, styles: FontStyles
) -> tuple[float, float, list[Glyph], list[Shape]]:
    """``(width, height, glyphs, shapes)`` of one page in pdfplumber's coordinates."""
    raw = page.raw
    if pdfium_c.FPDFPage_GetRotation(raw) % 4:
        raise Unreadable("rotated page")
    x0, y0, x1, y1 = page.get_mediabox()
    width, height = x1 - x0, y1 - y0
    # pdfplumber's frame: x as in user space, top measured from the media box's top edge
    flip = height + 2 * y0
    glyphs = _glyphs(page, styles, flip)
    shapes: list[Shape] = []
    identity: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        _collect_shapes(pdfium_c.FPDFPage_GetObject(raw, i), identity, flip, shapes)
    return width, height, glyphs, shapes


def _fast(name: str, restype: Any, *argtypes: Any) -> Any:
    """A PDFium function taking plain addresses: a third less per call than pypdfium2's typed
    wrappers, which matters at a few calls per glyph and a quarter-million glyphs a filing."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    if address is None:
        raise ImportError(f"PDFium has no {name}")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_P = ctypes.c_void_p
_I = ctypes.c_int
_D = ctypes.POINTER(ctypes.c_double)
_text_object = _fast("FPDFText_GetTextObject", _P, _P, _I)
_char_origin = _fast("FPDFText_GetCharOrigin", _I, _P, _I, _D, _D)


@dataclass(frozen=True, slots=True)
class _Run:
    """What the glyphs of one text object share."""

    size: float  # the font size on the page (pdfminer's ``size``)
    bold: bool
    italic: bool
    font: Any  # PDFium font handle
    font_address: int
    text_size: float  # the size set with ``Tf``, before the text matrix
    scale_x: float  # the text matrix's horizontal scale
    descent: float  # baseline to descent line, in page units (negative)


def _glyphs(page: pdfium.PdfPage, styles: FontStyles, flip: float) -> list[Glyph]:
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        if count < 0:
            raise Unreadable("no text layer could be read")
        text = _page_text(raw, count)
        address = ctypes.cast(raw, ctypes.c_void_p).value
        ox, oy = ctypes.c_double(), ctypes.c_double()
        ox_p, oy_p = ctypes.pointer(ox), ctypes.pointer(oy)
        runs: dict[int, _Run | None] = {}  # None: a rotated or mirrored run
        widths: dict[tuple[int, int], float | None] = {}
        glyphs: list[Glyph] = []
        append = glyphs.append
        for i, char in enumerate(text):
            code = ord(char)
            if code == 0xFFFE:  # the bulk text hides PDFium's marks; ask for this character
                code = pdfium_c.FPDFText_GetUnicode(raw, i)
                char = chr(code)
            if code == 0x02:  # PDFium's mark for a printed hyphen that ends a line
                char, code = "-", 0x2D
            elif code in _SKIP or code < 0x20:
                continue
            obj = _text_object(address, i)
            if not obj:
                continue  # a space PDFium inferred from a gap; our own gap rule decides
            if obj in runs:
                run = runs[obj]
            else:
                run = runs[obj] = _run_of(raw, i, styles)
            if run is None:
                continue  # rotated text is not part of the page's reading order
            _char_origin(address, i, ox_p, oy_p)
            x = ox.value
            advance = _advance(run, code, widths)
            if advance is None:
                rect = pdfium_c.FS_RECTF()
                pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
                advance = rect.right - x
            bottom = flip - (oy.value + run.descent)
            size = run.size
            end = x + advance if advance > 0 else x
            if code == 0x20:  # a printed space: a word break, in no particular style
                append((x, end, bottom - size, bottom, char, size, False, False))
            else:
                append((x, end, bottom - size, bottom, char, size, run.bold, run.italic))
        return glyphs
    finally:
        textpage.close()


def _advance(run: _Run, code: int, widths: dict[tuple[int, int], float | None]) -> float | None:
    """The glyph's advance width on the page (pdfminer's box width), from the font's widths.

    ``widths`` caches them for one page: font handles are only stable while it is open."""
    key = (run.font_address, code)
    width = widths.get(key, -1.0)
    if width == -1.0:
        out = ctypes.c_float()
        ok = pdfium_c.FPDFFont_GetGlyphWidth(run.font, code, 1000.0, ctypes.byref(out))
        width = widths[key] = out.value / 1000.0 if ok else None
    return None if width is None else width * run.text_size * run.scale_x


def _page_text(raw: Any, count: int) -> str:
    """The page's characters, one per character index."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    text = bytes(buffer)[: max(0, written - 1) * 2].decode("utf-16-le", errors="replace")
    if len(text) == count:
        return text
    # astral characters took two UTF-16 units: fall back to one call per character
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i)) for i in range(count))


def _run_of(raw: Any, index: int, styles: FontStyles) -> _Run | None:
    """Size, style and font of one text object's glyphs; None when it is not upright."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(raw, index, matrix)
    a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
    if abs(b) > 1e-6 or abs(c) > 1e-6 or a <= 0 or d <= 0:
        return None
    flags = ctypes.c_int()
    name_buf = ctypes.create_string_buffer(256)
    length = pdfium_c.FPDFText_GetFontInfo(raw, index, name_buf, 256, ctypes.byref(flags))
    name = name_buf.raw[: max(0, length - 1)].decode("latin-1") if length else ""
    bold, italic = styles.style(name, flags.value)
    text_size = pdfium_c.FPDFText_GetFontSize(raw, index)
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(raw, index))
    descent = ctypes.c_float()
    if not font or not pdfium_c.FPDFFont_GetDescent(font, text_size, ctypes.byref(descent)):
        descent.value = 0.0
    return _Run(
        size=text_size * d,
        bold=bold,
        italic=italic,
        font=font,
        font_address=ctypes.cast(font, ctypes.c_void_p).value or 0,
        text_size=text_size,
        scale_x=a,
        descent=descent.value * d,
    )


def _collect_shapes(obj: Any, parent: _Matrix, flip: float, shapes: list[Shape]) -> None:
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
        return
    m = pdfium_c.FS_MATRIX()
    own: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    if pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        own = (m.a, m.b, m.c, m.d, m.e, m.f)
    matrix = _compose(own, parent)
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            _collect_shapes(pdfium_c.FPDFFormObj_GetObject(obj, i), matrix, flip, shapes)
        return
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return
    stroked = bool(stroke.value)
    if not fill.value and not stroked:
        return  # a clipping path, nothing painted
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count <= 0:
        return
    if count > _MAX_SEGMENTS:
        box = [ctypes.c_float() for _ in range(4)]
        if pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in box)):
            left, bottom, right, top = (v.value for v in box)
            shapes.append(_shape([(left, bottom), (right, top)], (1, 0, 0, 1, 0, 0), flip, stroked))
        return
    px, py = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    for i in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO and points:
            shapes.append(_shape(points, matrix, flip, stroked))
            points = []
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(px), ctypes.byref(py))
        points.append((px.value, py.value))
    if points:
        shapes.append(_shape(points, matrix, flip, stroked))


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    a, b, c, d, e, f = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _shape(points: list[tuple[float, float]], matrix: _Matrix, flip: float, stroked: bool) -> Shape:
    a, b, c, d, e, f = matrix
    xs = [a * x + c * y + e for x, y in points]
    ys = [b * x + d * y + f for x, y in points]
    x0, x1 = min(xs), max(xs)
    if not (math.isfinite(x0) and math.isfinite(x1)):
        return (0.0, 0.0, 0.0, 0.0, False)
    return (x0, x1, flip - max(ys), flip - min(ys), stroked)
