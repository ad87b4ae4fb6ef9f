"""Cross-footing: do components add up to their totals?

Three kinds of check are found in a parsed table:

* **section**: the rows under a section row ("Net revenues:") add up to the
  "Total ..." row that closes it;
* **reconciliation**: a "GAAP X" row plus the adjustment rows below it adds up
  to the "Non-GAAP X" row;
* **running total**: any other "Total ..." row equals the rows above it back to
  the previous section, counting earlier totals instead of their components.

Sums are exact up to the rounding the printed precision allows (half a unit of
the last printed digit per component).  A check is evaluated per column and
only where every figure is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .tables import Entry, ParsedTable, Row, is_total_label


@dataclass(frozen=True)
class Check:
    kind: str  # "section", "reconciliation", "running"
    total: int
    components: tuple[int, ...]
    strong: bool  # a failure means the table is wrong (not just an unmatched guess)


def _stem(label: str) -> str:
    text = re.sub(r"\b(non-gaap|gaap)\b", "", label.lower())
    text = re.sub(r"\b(expense|expenses)\b|[^a-z% ]", " ", text)
    return " ".join(text.split())


def find_checks(table: ParsedTable) -> list[Check]:
    rows = table.rows
    checks: list[Check] = []
    consumed: set[int] = set()
    # reconciliation blocks
    for start, row in enumerate(rows):
        if not row.label.lower().startswith("gaap "):
            continue
        stem = _stem(row.label)
        for end in range(start + 1, len(rows)):
            label = rows[end].label.lower()
            if label.startswith("gaap "):
                break
            if label.startswith("non-gaap ") and _stem(rows[end].label) == stem:
                parts = tuple(i for i in range(start, end) if not rows[i].section)
                checks.append(Check("reconciliation", end, parts, strong=True))
                consumed.update(range(start, end + 1))
                break
    # rows that add up the rows above them without saying "Total" ("Net foreign currency
    # translation adjustments" after its two lines): implicit subtotals
    for index in range(len(rows)):
        if index in consumed or is_total_label(rows[index].label) or rows[index].section:
            continue
        parts = _section_rows_above(rows, index)
        if len(parts) >= 2:
            check = Check("subtotal", index, parts, strong=False)
            if _holds(table, check):
                checks.append(check)
                consumed.add(index)
    # totals
    for index, row in enumerate(rows):
        if index in consumed or not is_total_label(row.label) or not row.has_values:
            continue
        if any(entry is not None and entry.value.percent for entry in row.values):
            continue  # percentages of different bases do not add up
        candidates, strong = _components(rows, index, checks)
        kind = "section" if strong else "running"
        tried = [Check(kind, index, parts, strong) for parts in candidates if parts]
        holding = next((check for check in tried if _holds(table, check)), None)
        if holding is not None:
            checks.append(holding)
        elif strong:
            checks.append(tried[0])  # the section's own rows: a failure to report
    return checks


def _section_rows_above(rows: list[Row], index: int) -> tuple[int, ...]:
    """The plain rows directly above ``index`` back to their section row (none if no section
    row or another total comes first)."""
    parts: list[int] = []
    for above in range(index - 1, -1, -1):
        row = rows[above]
        if row.section:
            return tuple(reversed(parts))
        if is_total_label(row.label) or row.pending or not row.has_values:
            return ()
        parts.append(above)
    return ()


def checked_columns(table: ParsedTable) -> list[int]:
    """Columns whose figures should add up: the period columns when the table has any
    (a change or "%" column beside them does not cross-foot), else every column."""
    additive = [
        i
        for i, column in enumerate(table.columns)
        if not column.percent and column.unit_hint not in ("USD/share", "percent")
    ]
    dated = [i for i in additive if table.columns[i].period is not None]
    return dated or additive


def _holds(table: ParsedTable, check: Check) -> bool:
    results = [evaluate(table, check, column) for column in checked_columns(table)]
    return any(results) and not any(result is False for result in results)


def _span_start(total: int, by_total: dict[int, Check]) -> int:
    """The first row a total covers, through the totals it is built from."""
    check = by_total.get(total)
    if check is None or not check.components:
        return total
    return min(_span_start(part, by_total) if part != total else part for part in check.components)


def _components(
    rows: list[Row], total: int, found: list[Check]
) -> tuple[list[tuple[int, ...]], bool]:
    """Candidate sets of rows summing to ``rows[total]``, most likely first, and whether a
    section row announced them ("Cost of revenues:" ... "Total cost of revenues").

    Walking up from the total, rows fall into groups separated by section rows; an earlier
    total or subtotal stands for the rows it adds up.  Candidates: the nearest group's
    suffixes, shortest first ("Interest income, Interest expense, Other" above "Total
    non-operating income", with "Operating income" above them), then the nearest group with
    each further group added.
    """
    by_total = {check.total: check for check in found}
    groups: list[list[int]] = []
    closers: list[Row | None] = []  # the section row that closed each group
    group: list[int] = []
    index = total - 1
    while index >= 0:
        row = rows[index]
        if row.section:
            groups.append(group)
            closers.append(row)
            group = []
            index -= 1
            continue
        group.append(index)
        index = _span_start(index, by_total) - 1 if index in by_total else index - 1
    groups.append(group)
    closers.append(None)
    first = groups[0]
    candidates = [tuple(sorted(first[:size])) for size in range(2, len(first) + 1)]
    if len(first) == 1:
        candidates.append((first[0],))
    accumulated = list(first)
    for extra in groups[1:]:
        if extra:
            accumulated += extra
            candidates.append(tuple(sorted(accumulated)))
    closer = closers[0]
    # a total directly under its section row has no rows of its own to fail on
    strong = bool(first) and closer is not None and _related(closer.label, rows[total].label)
    return candidates, strong


def _related(section: str, total: str) -> bool:
    """ "Operating expenses:" announces "Total operating expenses"."""
    stop = {"total", "net", "and", "of", "the", "other", "income", "expense", "expenses"}
    words = {w for w in re.findall(r"[a-z]+", section.lower()) if w not in stop}
    return bool(words & set(re.findall(r"[a-z]+", total.lower())))


def _precision(entry: Entry) -> Decimal:
    text = entry.cell.text
    match = re.search(r"\.(\d+)", text)
    return Decimal(1).scaleb(-len(match.group(1))) if match else Decimal(1)


def column_value(row: Row, column: int, total: bool = False) -> tuple[Decimal | None, Decimal]:
    """(value, precision) of a row in a column; unknown values give None.  A blank cell
    counts as nil in a component row, but a total left blank states nothing."""
    if row.aligned and not row.pending:
        entry = row.values[column] if column < len(row.values) else None
        if entry is None:
            known = any(row.values) and not total
            return (Decimal(0), Decimal(0)) if known else (None, Decimal(0))
        return entry.value.value, _precision(entry)
    if not row.aligned and row.pending and all(entry.value.nil for entry in row.pending):
        return Decimal(0), Decimal(0)
    entry = row.values[column] if column < len(row.values) else None
    if entry is None:
        return None, Decimal(0)
    return entry.value.value, _precision(entry)


_DEDUCTION = re.compile(
    r"^less\b|^accumulated (?:depreciation|amortization)|^total accumulated (?:depreciation|"
    r"amortization)",
    re.IGNORECASE,
)


def evaluate(table: ParsedTable, check: Check, column: int) -> bool | None:
    """True/False when the column's figures are all known, else None."""
    total, total_precision = column_value(table.rows[check.total], column, total=True)
    if total is None:
        return None
    rows = [table.rows[index] for index in check.components]
    if all(column >= len(row.values) or row.values[column] is None for row in rows):
        return None  # nothing printed above the total in this column: nothing to add up
    accumulated = Decimal(0)
    tolerance = total_precision / 2
    for index in check.components:
        value, precision = column_value(table.rows[index], column)
        if value is None:
            return None
        if value > 0 and _DEDUCTION.search(table.rows[index].label):
            value = -value  # "Less accumulated depreciation" printed without parentheses
        accumulated += value
        tolerance += precision / 2
    if not check.components:
        return None
    return abs(accumulated - total) <= tolerance


def run_checks(table: ParsedTable) -> None:
    """Evaluate every check; record passes on the figures and failures on the table."""
    table.failed_checks = []
    table.passed_checks = 0
    for row in table.rows:
        row.checks = [set() for _ in table.columns]
    for check in find_checks(table):
        total_label = table.rows[check.total].label
        for column in checked_columns(table):
            result = evaluate(table, check, column)
            if result is None:
                continue
            if result:
                table.passed_checks += 1
                for index in check.components:
                    table.rows[index].checks[column].add(f"sums_to:{total_label}")
                table.rows[check.total].checks[column].add(f"total_of:{len(check.components)}_rows")
            elif check.strong:
                header = table.columns[column].header or f"column {column + 1}"
                table.failed_checks.append(f"{total_label} ≠ sum of its components ({header})")
