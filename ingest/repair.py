"""Repairs of extracted tables, each applied only when evidence supports it.

* :func:`shift_labels` — row labels shifted down by one row (the first value
  row has no label, the last label has no values).  The labels are moved up;
  the repair is kept only when the repaired table passes its total check.
* :func:`drop_stray_rows` — rows with no label whose values repeat other rows
  are dropped and reported.
* :func:`align_short_rows` — rows with fewer values than columns.  Every
  order-keeping placement of the values is scored by evidence: the same figure
  for the same period in another row with a related label anywhere in the
  document, a stated "% of revenue" that matches the figures, and the table's
  own sums.  A row is placed only when one placement is strictly best;
  otherwise it stays unaligned and no value is filed under a period.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .checks import checked_columns, evaluate, find_checks, run_checks
from .models import Fact, Period
from .tables import Entry, ParsedTable, Row, _assign_paths

_STOP = {
    "gaap",
    "non",
    "of",
    "the",
    "a",
    "an",
    "and",
    "as",
    "in",
    "on",
    "to",
    "for",
    "by",
    "total",
    "revenue",
    "related",
    "net",
    "expense",
    "expenses",
    "other",
    "charges",
}


def _words(label: str) -> set[str]:
    return {word for word in re.findall(r"[a-z]+", label.lower()) if word not in _STOP}


def shift_labels(table: ParsedTable) -> None:
    rows = table.rows
    if len(rows) < 3 or rows[0].label or not rows[0].has_values:
        return
    last = next(
        (i for i in range(len(rows) - 1, 0, -1) if rows[i].label and not rows[i].has_values),
        None,
    )
    if last is None or last < 2:
        return
    if any(not rows[i].label for i in range(1, last + 1)):
        return
    before = [(row.label, row.label_cell, row.section) for row in rows]
    for i in range(last):
        rows[i].label = rows[i + 1].label
        rows[i].label_cell = rows[i + 1].label_cell
        rows[i].section = False
    removed = rows.pop(last)
    _assign_paths(rows)
    run_checks(table)
    totals = [c for c in find_checks(table) if c.total >= last - 1]
    passed = (
        totals
        and all(
            evaluate(table, check, col) is not False
            for check in totals
            for col in checked_columns(table)
        )
        and any(evaluate(table, check, col) for check in totals for col in checked_columns(table))
    )
    if passed:
        table.repairs.append("row_labels_shifted")
        table.report.append(
            f"table {table.index + 1} ({table.name}): row labels were shifted "
            "down by one row; moved them up (the repaired table passes its total check)"
        )
        return
    rows.insert(last, removed)
    for row, (label, cell, section) in zip(rows, before, strict=True):
        row.label, row.label_cell, row.section = label, cell, section
    _assign_paths(rows)


def drop_stray_rows(table: ParsedTable) -> None:
    kept: list[Row] = []
    for row in table.rows:
        if row.label or not row.has_values:
            kept.append(row)
            continue
        subtotal = _subtotal_of(kept, row)
        if subtotal is not None:
            row.label = subtotal
            row.repairs.append("unlabeled_subtotal_labelled")
            kept.append(row)
            table.report.append(
                f"table {table.index + 1} ({table.name}): a row with no label "
                f"adds up the rows above it; kept it as '{subtotal}'"
            )
            continue
        mine = [e.value.value for e in [*row.pending, *(v for v in row.values if v)]]
        repeated = None
        for other in table.rows:
            if other is row or not other.label:
                continue
            theirs = {e.value.value for e in [*other.pending, *(v for v in other.values if v)]}
            same = sum(1 for value in mine if value in theirs)
            if mine and same * 2 >= len(mine):
                repeated = other.label
        table.report.append(
            f"table {table.index + 1} ({table.name}): dropped a row with no "
            + (f"label that repeats '{repeated}'" if repeated else "label")
        )
        table.repairs.append("stray_row_dropped")
    table.rows = kept
    if any("unlabeled_subtotal_labelled" in row.repairs for row in kept):
        _assign_paths(kept)


def _subtotal_of(above: list[Row], row: Row) -> str | None:
    """ "Total <section>" when an unlabeled row equals the sum of the rows above it, back to
    their section row (or the table's start); None otherwise."""
    if row.pending or not any(row.values):
        return None
    parts: list[Row] = []
    section = None
    for candidate in reversed(above):
        if candidate.section:
            section = candidate.label.rstrip(":").strip()
            break
        if candidate.pending or not candidate.aligned:
            return None
        parts.append(candidate)
    if len(parts) < 2:
        return None
    for column, entry in enumerate(row.values):
        if entry is None or entry.value.value is None:
            continue
        total = Decimal(0)
        for part in parts:
            cell = part.values[column] if column < len(part.values) else None
            total += cell.value.value or Decimal(0) if cell is not None else Decimal(0)
        if total != entry.value.value:
            return None
    return f"Total {section.lower()}" if section else "Subtotal"


@dataclass(frozen=True)
class Known:
    label: str
    value: Decimal
    table: int


class Evidence:
    """Figures already placed under a period anywhere in the document."""

    def __init__(self, tables: list[ParsedTable]) -> None:
        self.by_value: dict[tuple[Period, Decimal], list[Known]] = defaultdict(list)
        self.by_period: dict[Period, list[Known]] = defaultdict(list)
        for table in tables:
            for row in table.rows:
                if not row.aligned or row.pending:
                    continue
                self.add_row(table, row)

    def add_row(self, table: ParsedTable, row: Row) -> None:
        label = " ".join(row.path) or row.label
        for column, entry in zip(table.columns, row.values, strict=False):
            if entry is None or column.period is None or entry.value.value is None:
                continue
            self.add(column.period, label, entry.value.value, table.index)

    def add(self, period: Period, label: str, value: Decimal, table: int) -> None:
        known = Known(label, value, table)
        self.by_value[(period, abs(value))].append(known)
        self.by_period[period].append(known)

    def add_facts(self, facts: list[Fact]) -> None:
        for fact in facts:
            if fact.period is not None:
                self.add(fact.period, fact.row, fact.value, -1)

    def same_figure(self, period: Period, label: str, value: Decimal) -> bool:
        words = _words(label)
        return any(
            words & _words(known.label) for known in self.by_value.get((period, abs(value)), [])
        )

    def revenue(self, period: Period) -> Decimal | None:
        best = None
        for known in self.by_period.get(period, []):
            label = known.label.lower().strip(": ")
            revenue_row = re.fullmatch(r"(total )?(net )?(revenues?|sales)|revenues?, net", label)
            if revenue_row and (best is None or label.startswith("total")):
                best = known.value
        return best

    def percent_matches(self, period: Period, label: str, entry: Entry) -> bool:
        match = re.match(
            r"(.*?)\s+(?:as a |as )?%\s*of (?:net )?(?:revenues?|sales)", label, re.IGNORECASE
        )
        revenue = self.revenue(period)
        if not match or not revenue:
            return False
        printed = entry.value.value
        if printed is None:
            return False
        exponent = printed.as_tuple().exponent
        quantum = Decimal(1).scaleb(exponent if isinstance(exponent, int) else -1)
        words = _words(match.group(1)) - {"loss"}
        for known in self.by_period.get(period, []):
            if not words or words != _words(known.label) - {"loss"}:
                continue
            ratio = (abs(known.value) / abs(revenue) * 100).quantize(quantum)
            if ratio == abs(printed) and printed != 0:
                return True
        return False


def _placements(row: Row, width: int) -> list[tuple[int, ...]]:
    return list(itertools.combinations(range(width), len(row.pending)))


def _apply(row: Row, placement: tuple[int, ...] | None, width: int) -> None:
    row.values = [None] * width
    if placement is None:
        return
    for column, entry in zip(placement, row.pending, strict=True):
        row.values[column] = entry


def align_short_rows(table: ParsedTable, evidence: Evidence, last_round: bool = True) -> None:
    width = len(table.columns)
    short = [
        row
        for row in table.rows
        if row.pending and len(row.pending) < width and "aligned_by_evidence" not in row.repairs
    ]
    for row in table.rows:
        if row.pending and len(row.pending) > width:
            row.aligned = False
    if not short:
        return
    chosen: dict[int, tuple[int, ...] | None] = {id(row): None for row in short}
    for _ in range(2):
        changed = False
        for row in short:
            if chosen[id(row)] is not None:
                continue
            scores = {p: _score(table, row, p, evidence, width) for p in _placements(row, width)}
            best = max(scores.values(), default=0)
            winners = [p for p, score in scores.items() if score == best]
            if best <= 0 or not _agreed(row, winners, width):
                continue
            chosen[id(row)] = winners[0]
            _apply(row, winners[0], width)
            if len(winners) > 1:  # keep only the cells every best placement agrees on
                agreed = _agreed(row, winners, width)
                row.values = [
                    entry if column in agreed else None for column, entry in enumerate(row.values)
                ]
            row.aligned = True
            row.repairs.append("aligned_by_evidence")
            evidence.add_row(table, row)
            changed = True
        if not changed:
            break
    for row in short:
        if chosen[id(row)] is None and not last_round:
            continue
        if chosen[id(row)] is None and (placement := _sibling_placement(table, row)):
            chosen[id(row)] = placement
            _apply(row, placement, width)
            row.aligned = True
            row.repairs.append("aligned_like_sibling")
            evidence.add_row(table, row)
            continue
        if chosen[id(row)] is None:
            row.aligned = False
            _apply(row, None, width)
            table.report.append(
                f"table {table.index + 1} ({table.name}): row '{row.label}' has "
                f"{len(row.pending)} values for {width} columns and no evidence places them; "
                "its figures are kept without a period"
            )
    if any(chosen.values()) and "short_rows_aligned" not in table.repairs:
        table.repairs.append("short_rows_aligned")


def _sibling_placement(table: ParsedTable, row: Row) -> tuple[int, ...] | None:
    """The columns of a sibling printed the same way: under one heading, the same note letter
    and as many figures ("Basic D $0.29 $0.20 $0.94" beside "Diluted D $0.27 $0.19 $0.87",
    which the document's other figures placed). Siblings placed differently place nothing."""
    if row.note is None or not row.path:
        return None
    found: set[tuple[int, ...]] = set()
    for other in table.rows:
        if (
            other is row
            or "aligned_by_evidence" not in other.repairs
            or other.note != row.note
            or other.path[:-1] != row.path[:-1]
            or len(other.pending) != len(row.pending)
        ):
            continue
        placed = tuple(i for i, entry in enumerate(other.values) if entry is not None)
        if len(placed) == len(row.pending):
            found.add(placed)
    return found.pop() if len(found) == 1 else None


def _agreed(row: Row, winners: list[tuple[int, ...]], width: int) -> set[int]:
    """Columns where every winning placement puts the same figure; empty when they
    disagree about any non-nil figure."""
    placed: list[dict[int, Decimal | None]] = [
        {column: entry.value.value for column, entry in zip(p, row.pending, strict=True)}
        for p in winners
    ]
    agreed = set()
    for column in range(width):
        values = {placement.get(column, None) for placement in placed}
        present = [column in placement for placement in placed]
        nonzero = {value for value in values if value not in (None, 0)}
        if len(nonzero) > 1 or (nonzero and not all(present)):
            return set()
        if all(present) and len(values) == 1:
            agreed.add(column)
    return agreed


def _score(
    table: ParsedTable, row: Row, placement: tuple[int, ...], evidence: Evidence, width: int
) -> int:
    score = 0
    for column, entry in zip(placement, row.pending, strict=True):
        period = table.columns[column].period
        value = entry.value.value
        if period is None or value is None:
            continue
        label = " ".join(row.path) or row.label
        if value == 0:
            score += 1 if evidence.same_figure(period, label, value) else 0
        elif entry.value.percent:
            score += 2 if evidence.percent_matches(period, row.label, entry) else 0
        elif evidence.same_figure(period, label, value):
            score += 2
    # the table's own sums, with this placement tried and the row's others unknown
    saved = (row.values, row.aligned)
    _apply(row, placement, width)
    row.aligned = True
    for check in find_checks(table):
        index = table.rows.index(row)
        if index != check.total and index not in check.components:
            continue
        for column in range(width):
            result = evaluate(table, check, column)
            if result is True:
                score += 1
            elif result is False:
                score -= 3
    row.values, row.aligned = saved
    return score
