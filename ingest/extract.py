"""Tables and prose of a loaded document → checked facts and an ingest report.

Order matters: every table is parsed and repaired on its own first (shifted
labels, stray rows) and checked; then rows with missing cells are aligned
using evidence from the whole document; then the final checks are recorded on
the facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import run_checks
from .facts import prose_facts, table_facts
from .models import Fact, LoadedDocument, TextBlock
from .repair import Evidence, align_short_rows, drop_stray_rows, shift_labels
from .tables import ParsedTable, parse_table


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
    return tables


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
