"""Which kind of table a table is: one of the four financial statements, a segment table, a
note, or another table (FORMATS.md's ``statement`` field of a fact).

A table is a statement by its heading ("ORACLE CORPORATION / CONSOLIDATED STATEMENTS OF
OPERATIONS"), else by the lines only that statement prints together: the cash flow
statement's net cash from activities, the balance sheet's total assets and liabilities, the
income statement's revenue, income and per-share lines. Selected data, summaries, quarterly
data, segment tables and non-GAAP reconciliations restate figures of the statements and are
none of them. Ingestion stores the kind on every figure of a table; answering reads it to
follow "Base your answer on the cash flow statement".
"""

from __future__ import annotations

import re

# the four financial statements, as instructions and the fact object name them
STATEMENTS = ("income_statement", "balance_sheet", "cash_flow", "equity")

# how a heading names each statement
TITLES = {
    "balance_sheet": re.compile(r"balance sheets?|financial (?:position|condition)", re.I),
    "cash_flow": re.compile(r"cash flows?", re.I),
    "income_statement": re.compile(
        r"statements? of (?:consolidated )?(?:comprehensive )?(?:operations|income|earnings)"
        r"|income statements?",
        re.I,
    ),
    "equity": re.compile(r"(?:stockholders|shareholders)['’]?\s+equity", re.I),
}
# the lines only that statement prints together
_LINES = {
    "cash_flow": re.compile(
        r"net cash (?:provided|used|from|generated)|cash flows? from|investing activities|"
        r"financing activities",
        re.I,
    ),
    "balance_sheet": re.compile(
        r"^total (?:assets|liabilities)\b|total current (?:assets|liabilities)", re.I
    ),
    "income_statement": re.compile(
        r"^(?:total )?(?:net )?(?:revenues?|sales)\b|^net income\b|^(?:total )?operating income|"
        r"income before|earnings per share|^(?:basic|diluted)\b",
        re.I,
    ),
}
_RESTATED = re.compile(
    r"selected|summary|highlights|quarterly|supplementa|segment|reconcil|non-gaap", re.I
)


def financial_statement(title: str, labels: list[str]) -> str | None:
    """The financial statement a table is (``STATEMENTS``), or None for any other table.
    ``labels``: its rows' labels (a row path's last part is its own label)."""
    # a heading names the statement; a sentence that mentions one ("... was included in the
    # following line items of our consolidated statements of operations") titles a note's
    headings = [
        part
        for part in title.split(" / ")
        if len(part.split()) <= 10
        and not re.search(r"\b(?:our|its|included|following)\b", part, re.I)
    ]
    titled = [k for k, pattern in TITLES.items() if any(pattern.search(p) for p in headings)]
    if len(titled) == 1 and not re.search(r"\bnotes?\b|following table", title, re.I):
        return titled[0]
    if _RESTATED.search(title):
        return None  # figures from the statements, restated elsewhere
    counts = {
        k: sum(1 for label in labels if pattern.search(label.split(" > ")[-1]))
        for k, pattern in _LINES.items()
    }
    kind, count = max(counts.items(), key=lambda item: item[1])
    others = sum(counts.values()) - count
    return kind if count >= 3 and count > 2 * others else None


def table_kind(title: str, labels: list[str]) -> str:
    """FORMATS.md's ``statement`` of a table's figures: a financial statement, ``segment``,
    ``note`` or ``other``."""
    statement = financial_statement(title, labels)
    if statement is not None:
        return statement
    if re.search(r"\bsegments?\b", title, re.I):
        return "segment"
    if re.search(r"\bnotes? (?:to|\d)|\bnote\s+\d|\bnotes to\b", title, re.I):
        return "note"
    return "other"
