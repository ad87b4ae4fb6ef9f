"""Tables and prose of a loaded document → checked facts and an ingest report.

Order matters: every table is parsed and repaired on its own first (shifted
labels, stray rows) and checked; then rows with missing cells are aligned
using evidence from the whole document; then the final checks are recorded on
the facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .checks import run_checks
from .facts import prose_facts, table_facts
from .models import Fact, LoadedDocument, TextBlock
from .numbers import scale_factor
from .repair import Evidence, align_short_rows, drop_stray_rows, shift_labels
from .tables import ParsedTable, parse_table, unit_for


@dataclass
class Extraction:
    tables: list[ParsedTable]
    facts: list[Fact]
    report: list[str] = field(default_factory=list)


def parse_tables(
    loaded: LoadedDocument, fy_end_month: int = 12, prose: list[Fact] | None = None
) -> list[ParsedTable]:
    tables: list[ParsedTable] = []
    since_table: list[TextBlock] = []  # text between the previous table and this one
    for block in loaded.blocks:
        if isinstance(block, TextBlock):
            since_table.append(block)
            continue
        # headings, page footers and short captions between two tables keep them adjacent
        adjacent = tables and not any(
            b.kind == "paragraph" and len(b.text.split()) >= 12 for b in since_table
        )
        previous = tables[-1] if adjacent else None
        tables.append(parse_table(block, len(tables), fy_end_month, previous))
        since_table = []
    for table in tables:
        shift_labels(table)
        drop_stray_rows(table)
        run_checks(table)
    evidence = Evidence(tables)
    evidence.add_facts(prose or [])
    rounds = 3
    for round_ in range(rounds):
        for table in tables:
            align_short_rows(table, evidence, last_round=round_ == rounds - 1)
    for table in tables:
        run_checks(table)
    _scale_from_text(tables, loaded)
    return tables


# "$24.2 million", "$1,153 million": an amount the text states with its scale
_STATED = re.compile(r"\$\s?(\d{1,3}(?:,\d{3})*(?:\.\d+)?)\s*(thousand|million|billion)\b", re.I)
_PRINTED = re.compile(
    r"\$\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?!\d|\s*(?:thousand|million|billion))", re.I
)
_INFERABLE = (("thousands", Decimal(1000)), ("millions", Decimal(1_000_000)))


def _scale_from_text(tables: list[ParsedTable], loaded: LoadedDocument) -> None:
    """A table of amounts that states no scale, whose figures the text states with one: the
    text's "$24.2 million of net income" is the table's "Net income | $24,193" read in
    thousands. Only when every amount the text so matches points to one scale, two or more
    of the table's figures are matched (or one of four significant digits or more), and no
    amount of the text matches a figure as printed."""
    stated: list[tuple[Decimal, Decimal, int]] = []  # (value, half a printed unit, digits)
    for block in loaded.blocks:
        if not isinstance(block, TextBlock):
            continue
        for match in _STATED.finditer(block.text):
            figure = match.group(1).replace(",", "")
            factor = scale_factor(match.group(2).lower() + "s")
            decimals = len(figure.split(".")[1]) if "." in figure else 0
            digits = len(figure.replace(".", "").lstrip("0"))
            value = Decimal(figure) * factor
            stated.append((value, factor * Decimal(10) ** -decimals / 2, digits))
    if not stated:
        return
    printed = {  # "$24,193": an amount the text prints without a scale
        Decimal(match.group(1).replace(",", ""))
        for block in loaded.blocks
        if isinstance(block, TextBlock)
        for match in _PRINTED.finditer(block.text)
    }
    for table in tables:
        if table.scale_word is not None:
            continue
        amounts = {
            abs(entry.value.value)
            for row in table.rows
            for column, entry in enumerate(row.values)
            if entry is not None
            and entry.value.value is not None
            and abs(entry.value.value) >= 100
            and unit_for(table, row, entry, column) == "USD"
        }
        if not amounts:
            continue
        if amounts & printed:
            continue  # the text prints one of its figures as it is: in dollars
        found: dict[str, list[tuple[Decimal, int]]] = {}
        for word, factor in _INFERABLE:
            found[word] = [
                (a, digits)
                for value, half, digits in stated
                if digits >= 3
                for a in amounts
                if abs(a * factor - value) <= half
            ]
        hits = [word for word, matched in found.items() if matched]
        if len(hits) != 1:
            continue
        matched = found[hits[0]]
        if len({a for a, _ in matched}) >= 2 or any(digits >= 4 for _, digits in matched):
            table.scale_word = hits[0]
            table.scale = dict(_INFERABLE)[hits[0]]
            table.report.append(
                f"table {table.index + 1} ({table.title or 'untitled'}) states no scale; the "
                f"text states {len(matched)} of its figures in {hits[0]}, so it is read in "
                f"{hits[0]}"
            )


def extract(
    loaded: LoadedDocument, doc_id: str, document: str, fy_end_month: int = 12
) -> Extraction:
    prose: list[Fact] = []
    for block in loaded.blocks:
        if isinstance(block, TextBlock) and block.kind == "paragraph":
            prose.extend(prose_facts(block, loaded.text, doc_id, document, fy_end_month))
    tables = parse_tables(loaded, fy_end_month, prose)
    facts: list[Fact] = []
    report: list[str] = []
    for table in tables:
        facts.extend(table_facts(table, doc_id, document))
        report.extend(table.report)
        if table.failed_checks:
            report.append(
                f"table {table.index + 1} ({table.name}) fails its checks and "
                f"could not be repaired; its figures are marked unvalidated: "
                + "; ".join(table.failed_checks[:3])
            )
    facts.extend(prose)
    return Extraction(tables=tables, facts=facts, report=report)
