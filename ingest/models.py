"""Typed models passed between the ingest stages.

Loaders produce a :class:`LoadedDocument` (text, blocks, raw tables, XBRL facts);
``tables`` turns each :class:`RawTable` into a :class:`ParsedTable`; ``facts``
turns parsed tables and prose into :class:`Fact` objects; ``chunk`` makes
:class:`Chunk` passages.  Everything here is a plain frozen dataclass so the
stages stay independent of Chroma and of each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

Unit = Literal["USD", "USD/share", "shares", "percent", "ratio", "count", "other"]
Basis = Literal["GAAP", "non-GAAP"]
PeriodKind = Literal["duration", "instant"]


@dataclass(frozen=True)
class Period:
    """A reporting period: a duration (start..end) or an instant (end only)."""

    kind: PeriodKind
    end: date
    start: date | None = None
    label: str = ""

    def to_json(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat(),
            "label": self.label,
        }

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> Period:
        start = data.get("start")
        end = data.get("end")
        assert end is not None
        kind = data.get("kind") or "duration"
        return cls(
            kind="instant" if kind == "instant" else "duration",
            end=date.fromisoformat(end),
            start=date.fromisoformat(start) if start else None,
            label=data.get("label") or "",
        )


@dataclass(frozen=True)
class XbrlFact:
    """One inline-XBRL tagged figure (``ix:nonFraction``), already scaled and signed."""

    concept: str
    value: Decimal
    unit: str
    period: Period | None
    context_ref: str
    scale: int
    as_printed: str
    char_start: int
    char_end: int
    decimals: str | None = None
    #: (axis, member) pairs of a segmented context; empty for consolidated figures
    dimensions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RawCell:
    """A cell as extracted: its text, its place in the document text, the columns it spans."""

    text: str
    char_start: int
    char_end: int
    colspan: int = 1
    xbrl: XbrlFact | None = None
    #: how far the text is indented, in points (0 when the loader cannot tell)
    indent: float = 0.0


@dataclass(frozen=True)
class RawTable:
    """A grid of cells as the loader found it, plus the text lines just above it.

    Row 0..k are usually header rows; the first cell of a data row is its label.
    Loaders keep rows as ragged as the source (the table parser repairs them).
    """

    rows: list[list[RawCell]]
    title_lines: list[str]
    char_start: int
    char_end: int
    page: int | None = None
    section: tuple[str, ...] = ()
    #: True when the loader already aligned cells to logical columns (HTML, PDF),
    #: False for delimiter-separated text where positions are only approximate.
    aligned: bool = False
    #: True for a Markdown pipe table whose rows all have as many cells: a cell's place is
    #: its column, though a header printed over two columns fills only one of them.
    positional: bool = False
    #: the paragraph that leads into the table ("The following table sets forth … (shares in
    #: thousands, except per share data):") when it is too long to be its title: its scale
    #: and period words are the table's, its other words are not its name
    lead_in: str = ""


@dataclass(frozen=True)
class TextBlock:
    """A heading or paragraph of narrative text."""

    kind: Literal["heading", "paragraph"]
    text: str
    char_start: int
    char_end: int
    page: int | None = None
    section: tuple[str, ...] = ()


Block = TextBlock | RawTable


@dataclass
class LoadedDocument:
    """What a loader returns: the extracted text and the blocks that index into it."""

    text: str
    blocks: list[Block]
    format: Literal["text", "markdown", "html", "ixbrl", "pdf"]
    pages: int | None = None
    xbrl_facts: list[XbrlFact] = field(default_factory=list)
    #: ``ix:nonNumeric`` values by concept (``dei:EntityRegistrantName``, ``dei:TradingSymbol``...)
    xbrl_meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Fact:
    """One figure with everything needed to use and cite it (FORMATS.md "Fact")."""

    fact_id: str
    doc_id: str
    document: str
    table: str | None
    row: str
    row_path: tuple[str, ...]
    column: str
    period: Period | None
    value: Decimal
    unit: Unit
    as_printed: str
    scale: str | None
    basis: Basis | None
    note: str | None
    checks: tuple[str, ...]
    repairs: tuple[str, ...]
    char_start: int
    char_end: int
    page: int | None = None
    kind: Literal["table_cell", "sentence"] = "table_cell"
    concept: str | None = None
    validated: bool = True
    table_index: int | None = None
    # which kind of table: "income_statement", "balance_sheet", "cash_flow", "equity",
    # "segment", "note", "other"; None for a figure read from prose (ingest/statements.py)
    statement: str | None = None

    def matches(self, query: str | None = None, period: str | None = None) -> bool:
        """``query``: words that all appear in the row, table or column; ``period``: a period
        label ("Q4 2007"), an end date ("2007-12-31") or column text."""
        if query:
            haystack = " ".join([*self.row_path, self.row, self.table or "", self.column]).lower()
            if not all(word in haystack for word in query.lower().split()):
                return False
        if period:
            wanted = period.lower()
            label = (self.period.label if self.period else "").lower()
            end = self.period.end.isoformat() if self.period else ""
            if wanted not in (label, end) and wanted not in self.column.lower():
                return False
        return True

    def to_json(self) -> dict[str, object]:
        return {
            "fact_id": self.fact_id,
            "doc_id": self.doc_id,
            "document": self.document,
            "table": self.table,
            "row": self.row,
            "row_path": list(self.row_path),
            "column": self.column,
            "period": self.period.to_json() if self.period else None,
            "value": {"number": _plain(self.value), "unit": self.unit},
            "as_printed": self.as_printed,
            "scale": self.scale,
            "basis": self.basis,
            "note": self.note,
            "statement": self.statement,
            "checks": list(self.checks),
            "repairs": list(self.repairs),
            "kind": self.kind,
            "concept": self.concept,
            "validated": self.validated,
            "page": self.page,
            "char_start": self.char_start,
            "char_end": self.char_end,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fact:
        """The inverse of :meth:`to_json` (a ``table_index`` key, if present, is read too)."""
        period = data.get("period")
        return cls(
            fact_id=data["fact_id"],
            doc_id=data["doc_id"],
            document=data["document"],
            table=data.get("table"),
            row=data["row"],
            row_path=tuple(data["row_path"]),
            column=data.get("column", ""),
            period=Period.from_json(period) if period else None,
            value=Decimal(data["value"]["number"]),
            unit=data["value"]["unit"],
            as_printed=data.get("as_printed", ""),
            scale=data.get("scale"),
            basis=data.get("basis"),
            note=data.get("note"),
            checks=tuple(data.get("checks", ())),
            repairs=tuple(data.get("repairs", ())),
            char_start=int(data.get("char_start", 0)),
            char_end=int(data.get("char_end", 0)),
            page=data.get("page"),
            kind=data.get("kind", "table_cell"),
            concept=data.get("concept"),
            validated=bool(data.get("validated", True)),
            table_index=data.get("table_index"),
            statement=data.get("statement"),
        )


@dataclass(frozen=True)
class Chunk:
    """A passage for retrieval: narrative text or a self-contained table excerpt."""

    chunk_id: str
    doc_id: str
    document: str
    kind: Literal["narrative", "table"]
    text: str
    section: tuple[str, ...]
    char_start: int
    char_end: int
    page: int | None = None
    table: str | None = None


@dataclass(frozen=True)
class DocumentMeta:
    """Document-level metadata detected from the text (or given by the user)."""

    company: str | None = None
    ticker: str | None = None
    form: str | None = None
    period: str | None = None
    date: str | None = None


def _plain(value: Decimal) -> str:
    """A Decimal as a plain string without exponent ("809182000", "0.22", "-1.76")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
