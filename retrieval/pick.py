"""The pick stage: for each slot of a plan, the one figure (a table cell or a sentence's
figure) the question asks for, or :class:`Missing` / :class:`Ambiguous`.

:class:`Picker` holds the corpus and the indexes every later stage reads: the row and
sentence indexes (:mod:`retrieval.search`), each table's caption, print order and totals, and
how each chosen figure was bound (word match, fit after the period, basis and unit checks,
lead over the runner-up), which :mod:`retrieval.verify` turns into a confidence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache, partial
from itertools import chain

from ingest.facts import fact_id
from ingest.models import Fact, Period
from ingest.periods import MONTH_RE, date_only, parse_header_period, same_day
from ingest.statements import STATEMENTS, TITLES, financial_statement

from .compose import ASKED_LENGTH, figure_name
from .corpus import Corpus, Row, Sentence
from .dense import DenseIndex
from .periods import (
    LABEL_QUARTER,
    MONTH_WORD,
    MONTHS,
    ORDINAL,
    YEAR,
    PeriodSpec,
    fiscal_year_of_label,
    matches,
    months_of,
)
from .prose import (
    MONTH_NAMES,
    Mention,
    Pick,
    dates_in,
    listed_year,
    loose,
    loose_word,
    mentions,
    pick,
    stated_year,
    wanted_unit,
)
from .search import GENERIC, RowIndex, Scored, SentenceIndex, tokens
from .understand import Intent
from .verify import FALLING_DUE, Check

DENSE_BOOST = 0.1  # added to a word match the embeddings also rank near the metric
DENSE_MIN = 0.75  # cosine similarity a row found only by the embeddings needs
DENSE_ONLY = 0.3  # its score per unit of similarity


def _by_column(row: Row) -> list[Row]:
    """A schedule row of several columns ("2021 | $138 | $6" under "Operating Leases |
    Finance Leases") as one row per column, each labelled by its column."""
    columns: dict[str, list[Fact]] = {}
    for fact in row.facts:
        columns.setdefault(fact.column, []).append(fact)
    if len(columns) < 2 and not re.search(r"[a-z]{3}", row.facts[0].column, re.I):
        return [row]  # one column headed by no measure: the text before the table names it
    # the column names the measure: "Operating Leases" in FY2022, not "2022"
    return [
        Row(
            row.doc_id,
            row.document,
            row.table,
            (column, *row.path),
            tuple(replace(f, row_path=(column,)) for f in facts),
        )
        for column, facts in columns.items()
    ]


def undated(row: Row, asked: str) -> str:
    """The refusal for a row none of whose figures has a period: which table, and what in it
    could not be dated, so the gap shows in the eval report."""
    first = row.facts[0]
    where = f"the table “{row.table}”" if row.table else "a table"
    if first.table_index is not None:
        where += f" (table {first.table_index + 1} of {row.document}"
        where += f", page {first.page})" if first.page else ")"
    headers = list(dict.fromkeys(f.column for f in row.facts if f.column != "(unaligned)"))
    if not headers:
        why = "its figures do not line up with the table's columns"
    elif not any(headers):
        why = "its columns have no headers"
    else:
        shown = ", ".join(f"“{h}”" for h in headers[:4] if h)
        why = f"crossfoot could not read a period in its column headers ({shown})"
    return (
        f"The filings have “{row.label}” in {where} for no dated period: {why}; nothing for "
        f"{asked}."
    )


class Picker:
    """The corpus, its indexes, and the choice of one figure per slot."""

    def __init__(self, corpus: Corpus, dense: DenseIndex | None = None) -> None:
        self.corpus = corpus
        self.dense = dense
        self.rows = RowIndex(corpus.rows)
        self.sentences = SentenceIndex(corpus.sentences)
        # row labels that state figures themselves ("...; 50,773,796 shares and 51,084,115
        # shares at November 2, 2024 and February 3, 2024"), read like sentences
        labelled = {
            id(sentence): (sentence, row)
            for row in corpus.rows
            if _STATES_FIGURES.search(row.label)
            for sentence in (_label_sentence(row),)
        }
        self.labels = SentenceIndex([sentence for sentence, _ in labelled.values()])
        self._label_rows = {key: row for key, (_, row) in labelled.items()}
        self._positions = {id(s): i for i, s in enumerate(corpus.sentences)}
        self._vocabularies: dict[frozenset[str], set[str]] = {}
        self._muddled: dict[int, set[tuple[str, str]]] = {}
        self._other_entity: dict[tuple[str, str], frozenset[str]] = {}
        self._captions: dict[tuple[str, object], list[Sentence]] = {}
        self._again: dict[tuple[str, str, int], str] = {}
        self._table_index: _Tables | None = None
        self._statements: dict[tuple[str, object], str | None] = {}
        self._schedules: list[Row] | None = None  # rows labelled only by a year
        # a roll-forward's closing balances and tables' total lines (True for a total line)
        self._closing: list[tuple[Row, bool]] | None = None
        self._by_doc: dict[str, list[Sentence]] = {}
        self._sentence_named: dict[tuple[str, str], Sentence] = {}
        self._latest: dict[frozenset[str], date | None] = {}
        self._report_years: dict[str, int | None] = {}
        self._dateless_tables: dict[tuple[str, object], bool] = {}
        self._graphs: dict[tuple[str, object], bool] = {}  # performance graphs (_is_graph)
        self._doc_periods: dict[str, list[tuple[Period, bool]]] = {}  # (_periods)
        # how each figure chosen for a table row was bound: (word match, fit after the
        # period, basis and unit checks, lead over the runner-up), for the confidence
        self.binding: dict[str, tuple[float, float, float]] = {}

    def table_context(self, fact: Fact, question: str = "") -> str:
        """What a figure's surroundings say of it: for a table cell, the text printed just
        before its table (its caption or lead-in, up to two sentences within 600 characters
        of its first cell) and the totals its row adds up to; for a sentence that opens with
        "This number ..." or "These ...", the sentence before."""
        if fact.kind == "sentence":
            said = self._said_again(fact)
            if not _POINTS_BACK.match(fact.row):
                return said
            previous = self.neighbour(fact.doc_id, fact.row, -1)
            return f"{previous.text if previous is not None else ''} {said}"
        key = table_key(fact)
        graph = _GRAPH_WORDS if self._is_graph(key) else ""
        return (
            f"{self.caption(fact)} {self._totals_above(fact, question)} "
            f"{self._reconciled(fact)}{graph}"
        )

    def table_lead_in(self, fact: Fact) -> str:
        """The sentences of a table's caption that introduce it ("the following table
        summarizes the activity in our gross unrecognized tax benefits ...:"), not the text
        that only happens to print before it."""
        return " ".join(s.text for s in self._caption_sentences(fact) if _LEAD_IN.search(s.text))

    def caption(self, fact: Fact) -> str:
        """The text printed just before a table cell's table (its caption or lead-in, up to
        two sentences within 600 characters of its first cell), and a lead-in printed just
        after it."""
        return " ".join(s.text for s in self._caption_sentences(fact))

    def _caption_sentences(self, fact: Fact) -> list[Sentence]:
        """The sentences :meth:`caption` reads, found once per table."""
        key = table_key(fact)
        cached = self._captions.get(key)
        if cached is None:
            start = self._tables().starts.get(key, fact.char_start)
            cached = [
                *self._sentences_before(fact.doc_id, start, 600)[-2:],
                *self._said_after(fact.doc_id, key),
            ]
            self._captions[key] = cached
        return cached

    def _said_after(self, doc_id: str, key: tuple[str, object]) -> list[Sentence]:
        """The sentence printed just after a table (within 300 characters of its last cell)
        when it speaks of it: it names a table ("The table above ..."), or it is a lead-in
        ("The following table ...", ending ":") that no other table follows (TAT-QA's contexts
        keep no table position: their lead-ins may print after the table)."""
        tables = self._tables()
        end = tables.ends.get(key)
        if end is None:
            return []
        sentences = self._document_sentences(doc_id)  # in print order
        at = next((i for i, s in enumerate(sentences) if 0 <= s.char_start - end < 300), None)
        if at is None:
            return []
        after = sentences[at]
        lead_in = re.search(r":\s*$", after.text)
        if not lead_in and not re.search(r"\btables?\b", after.text, re.I):
            return []
        if not lead_in and not re.search(r"\b(?:following|below)\b", after.text, re.I):
            return [after]  # "The table above ..."
        # a lead-in speaks of the table after it, if there is one: a table printed before the
        # next sentence (its first figure, at least), however long that table's header
        following = next(
            (s.char_start for s in sentences[at + 1 :] if s.char_start > after.char_end), None
        )
        led = not any(
            start >= after.char_end and (following is None or start < following)
            for start in tables.doc_starts.get(doc_id, ())
        )
        return [after] if led else []

    def _periods(self, doc_id: str) -> list[tuple[Period, bool]]:
        """A filing's distinct periods in print order, each with whether a table cell (not a
        sentence) carries it; gathered once per filing."""
        known = self._doc_periods.get(doc_id)
        if known is None:
            found = dict.fromkeys(
                (f.period, f.kind != "sentence")
                for row in self.corpus.rows
                if row.doc_id == doc_id
                for f in row.facts
                if f.period is not None
            )
            known = self._doc_periods[doc_id] = list(found)
        return known

    def _balance_years(self, doc_id: str) -> frozenset[int]:
        """The years a filing dates a balance in (an instant column of any table)."""
        return frozenset(
            period.end.year
            for period, cell in self._periods(doc_id)
            if cell and period.kind == "instant"
        )

    def _is_graph(self, key: tuple[str, object]) -> bool:
        """Is the table a performance graph: two or more lines (rows, or columns when the
        dates are rows) of three or more dated values starting from 100, and more than half
        of its lines so?"""
        known = self._graphs.get(key)
        if known is not None:
            return known
        lines: dict[str, list[Fact]] = {}
        for row in self._tables().members.get(key, []):
            for fact in row.facts:
                if fact.period is not None:
                    # dates as rows: a line is a column
                    line = fact.column if row.path and date_only(row.path[-1]) else row.label
                    lines.setdefault(line, []).append(fact)
        long = [line for line in lines.values() if len(line) >= 3]
        based = [
            line
            for line in long
            if min(line, key=lambda f: f.period.end if f.period else date.max).value == 100
        ]
        # a footnote flattened into the table ("copyright ... | -9 | -9 | ...") is no line:
        # most lines, and at least two, start from 100
        found = len(based) >= 2 and 2 * len(based) > len(long)
        self._graphs[key] = found
        return found

    def _said_again(self, fact: Fact) -> str:
        """The document's other sentences that state the same figure with the same word after
        it ("operates 445 retail stores" for "it operated 445 stores"): what the filing says
        of that figure elsewhere. Only figures of three or more digits that are not years."""
        printed = fact.as_printed.strip()
        if (
            not re.fullmatch(r"\$?\d{1,3}(?:,\d{3})*(?:\.\d+)?", printed)
            or len(re.sub(r"\D", "", printed)) < 3
            or re.fullmatch(r"(?:19|20)\d\d", printed)
        ):
            return ""
        key = (fact.doc_id, printed, fact.char_start)
        cached = self._again.get(key)
        if cached is None:
            sentences = self._document_sentences(fact.doc_id)
            lead = fact.row[:80]
            home = next((s for s in sentences if lead and lead in s.text), None)
            number = r"(?<![\d,.])" + re.escape(printed) + r"\s+"
            own = re.search(number + r"([a-z]+)", home.text) if home is not None else None
            noun = own.group(1).lower() if own else None
            cached = " ".join(
                s.text
                for s in sentences
                if s is not home
                and noun is not None
                and any(
                    noun in m.group(1).lower().split()
                    for m in re.finditer(number + r"((?:[a-z]+\s+){0,2}[a-z]+)", s.text)
                )
            )
            self._again[key] = cached
        return cached

    def _document_sentences(self, doc_id: str) -> list[Sentence]:
        """The document's sentences in order, grouped from the corpus once."""
        if not self._by_doc:
            for sentence in self.corpus.sentences:
                self._by_doc.setdefault(sentence.doc_id, []).append(sentence)
        return self._by_doc.get(doc_id, [])

    def _tables(self) -> _Tables:
        """Where each table starts, its rows in print order and the totals each row sums to,
        read from the corpus once."""
        if self._table_index is None:
            tables = _Tables()
            for row in self.corpus.rows:
                first = row.facts[0]
                key = table_key(first)
                tables.sums.setdefault(key, {})[row.path[-1].lower() if row.path else ""] = tuple(
                    c.split(":", 1)[1] for c in first.checks if c.startswith("sums_to:")
                )
                if first.kind != "sentence":
                    tables.rows.setdefault(key, []).append((first.char_start, row.label))
                    tables.members.setdefault(key, []).append(row)
                for f in row.facts:
                    if f.kind != "sentence":
                        k = table_key(f)
                        start = tables.starts.get(k)
                        if start is None or f.char_start < start:
                            tables.starts[k] = f.char_start
                        if f.char_end > tables.ends.get(k, -1):
                            tables.ends[k] = f.char_end
            for (doc_id, _), start in tables.starts.items():
                tables.doc_starts.setdefault(doc_id, []).append(start)
            for rows in tables.rows.values():
                rows.sort()
            for members in tables.members.values():
                members.sort(key=lambda r: r.facts[0].char_start)
            self._table_index = tables
        return self._table_index

    def statement_of(self, row: Row) -> str | None:
        """Which financial statement a row's table is (``STATEMENTS``), as ingestion stored it
        on its figures, or read now for a store written before it did (by its title, else by
        the lines it prints); None for a note, a segment table or a table of another kind."""
        first = row.facts[0]
        if first.kind == "sentence":
            return None
        if first.statement is not None:
            return first.statement if first.statement in STATEMENTS else None
        key = table_key(first)
        if key not in self._statements:
            self._statements[key] = financial_statement(
                row.table or "", [r.label for r in self.table_rows(first)]
            )
        return self._statements[key]

    def _as_of(self, fact: Fact, spec: PeriodSpec) -> bool:
        """Does a table that prints no period at all (facilities by square footage, the notes
        a company has outstanding, obligations by "less than 1 year | 1-3 years") stand for the
        year asked? It does when that year is the one the document reports as of: the latest
        year of its dated figures, or else of the full dates its sentences state."""
        if fact.kind == "sentence" or spec.quarter is not None:
            return False
        if MONTH_WORD.search(" ".join(fact.row_path)):
            return False  # "december 2018", "october 1-31": a row of its own month
        year = _spec_year(spec)
        if year is None or not self._dateless(table_key(fact)):
            return False
        titled = dates_in(fact.table or "")
        if titled and all(d.year != year for d in titled):
            return False  # "... at December 31, 2019" is not 2018
        # a document that dates nothing at all cannot say the year asked is another one; the
        # answer says it read the table as of the period asked (:meth:`read_as_of`)
        return self._report_year(fact.doc_id) in (year, None)

    def _dateless(self, key: tuple[str, object]) -> bool:
        """Does a table print no period at all, nor headers that look like periods crossfoot
        did not read ("FY19 | FY18", "2008 trading assets")? Read once per table: the picker
        asks for each undated figure it weighs."""
        if key not in self._dateless_tables:
            facts = [f for row in self._tables().members.get(key, []) for f in row.facts]
            self._dateless_tables[key] = not any(
                f.period or _PERIOD_LIKE.search(f.column or "") for f in facts
            )
        return self._dateless_tables[key]

    def read_as_of(self, intent: Intent, facts: Iterable[Fact]) -> str | None:
        """The period asked that an undated table's figures among ``facts`` were read as of,
        for the answer to say so."""
        specs = [p for p in intent.periods if p.kind != "relative"]
        if len(specs) != 1:
            return None
        spec = specs[0]
        undated = [f for f in facts if f.period is None and f.kind != "sentence"]
        if not undated or not all(self._as_of(f, spec) for f in undated):
            return None
        year = _spec_year(spec)
        if all(any(d.year == year for d in dates_in(f.table or "")) for f in undated):
            return None  # "Aging analysis ... at December 31, 2019": its title dates it
        if spec.date is not None:
            return f"{spec.date:%B} {spec.date.day}, {spec.date.year}"
        return re.sub(r"^(?:at|as of|as at|on|in|for|during)\s+", "", spec.text, flags=re.I)

    def _report_year(self, doc_id: str) -> int | None:
        if doc_id not in self._report_years:
            ends = [
                f.period.end.year
                for row in self.corpus.rows
                if row.doc_id == doc_id
                for f in row.facts
                if f.period is not None and f.kind != "sentence"
            ]
            if not ends:
                ends = [d.year for s in self._document_sentences(doc_id) for d in dates_in(s.text)]
            self._report_years[doc_id] = max(ends) if ends else None
        return self._report_years[doc_id]

    def schedule_rows(self, metric: str, doc_ids: set[str]) -> list[Scored]:
        """Rows labelled only by a year ("2016 $204,079", "2017 $766,451"): a schedule whose
        measure the text before the table names ("annual long-term debt maturities ... are
        as follows:"). Each scores by how much of the measure's weight that text carries."""
        wanted = set(tokens(metric)) - GENERIC - self.names(doc_ids)
        total = self.rows.weight(wanted)
        if not wanted or total <= 0:
            return []
        if self._schedules is None:
            self._schedules = [
                part
                for row in self.corpus.rows
                if row.path
                and row.facts
                and row.facts[0].kind != "sentence"
                and (
                    # a year, or a date alone ("december 31 2013"): dates as rows
                    _YEAR_LABEL.fullmatch(row.path[-1].strip()) or date_only(row.path[-1])
                )
                for part in _by_column(row)
            ]
        found: list[Scored] = []
        for row in self._schedules:
            if row.doc_id not in doc_ids:
                continue
            first = row.facts[0]
            said = set(
                tokens(f"{first.table or ''} {first.column or ''} {self.table_context(first)}")
            )
            if said & _FALLING_DUE:
                # "debt due in 2004" of "long-term debt maturities ... as follows": a schedule
                # of maturities says "due", "maturing" and "payable" in any of their words
                said |= _FALLING_DUE
            share = self.rows.weight(wanted & said) / total
            if share >= _SCHEDULE_SHARE:
                # the text before a performance graph names every line: the column that is
                # the one asked ("s&p 500", not "peer group (3)") ranks first
                own = set(tokens(first.column or "")) - GENERIC
                share += 0.2 * self.rows.weight(wanted & own) / total
                share -= 0.05 * len(own - wanted)
                found.append(Scored(row, share))
        return sorted(found, key=lambda s: -s.score)[:25]

    def balance_rows(
        self, wanted: set[str], doc_ids: set[str], total: bool = False
    ) -> list[Scored]:
        """The closing balances of a roll-forward whose lead-in names the measure ("the
        following table summarizes the activity in our gross unrecognized tax benefits":
        "balance at end of year | 47 | 70.1"), or the "Total" line of a table whose lead-in
        names what it adds up ("accrued liabilities ... consisted of the following": the
        unlabelled sum under the lines, "Subtotal" as read) when the measure is asked as a
        ``total`` (a breakdown's lead-in, "our sales by type of customer were as follows",
        names "sales" without its "Totals" line being the sales), when no line names the
        measure: every telling word of the measure (``wanted``) must be in the lead-in, and one
        table alone may hold such rows."""
        if not wanted:
            return []
        if self._closing is None:
            self._closing = [
                (row, bool(_TOTAL_ROW.fullmatch(row.label.strip())))
                for row in self.corpus.rows
                if row.facts
                and row.facts[0].kind != "sentence"
                and (
                    _CLOSING_ROW.fullmatch(row.label.strip())
                    or _TOTAL_ROW.fullmatch(row.label.strip())
                )
            ]
        found: list[Scored] = []
        for row, total_line in self._closing:
            if row.doc_id not in doc_ids or (total_line and not total):
                continue
            first = row.facts[0]
            said = split_hyphens(set(tokens(f"{first.table or ''} {self.table_lead_in(first)}")))
            if wanted <= said:
                found.append(Scored(row, 0.5))
        return found if len({table_key(s.row.facts[0]) for s in found}) == 1 else []

    def repurchase_tables(self, doc_ids: set[str]) -> list[list[Row]]:
        """The rows of each table of the filings whose columns include an average price (a
        table of share repurchases, by month), in print order."""
        return [
            rows
            for (doc_id, _), rows in self._tables().members.items()
            if doc_id in doc_ids
            and any(
                re.search(r"average\s*price", f.column or "", re.I) for r in rows for f in r.facts
            )
        ]

    def table_rows(self, fact: Fact) -> list[Row]:
        """The rows of the table a figure is printed in, in print order."""
        return self._tables().members.get(table_key(fact), [])

    def context_says(self, fact: Fact, question: str, measure: str) -> int:
        """How many of the question's words besides the measure's own ("in the operating
        margin reconciliation") a figure's table, parents and surroundings say."""
        words = set(tokens(question)) - set(tokens(measure)) - GENERIC
        if not words:
            return 0
        text = " ".join([fact.table or "", *fact.row_path, self.table_context(fact)])
        return len(words & set(tokens(text)))

    def _reconciled(self, fact: Fact) -> str:
        """In a reconciliation table, the measures an adjustment row stands between: the
        nearest "GAAP ..." row above it and "Non-GAAP ..." row below it ("Other charges -
        stock option investigation costs" is excluded from non-GAAP operating income)."""
        if not fact.table or "reconcil" not in fact.table.lower():
            return ""
        rows = self._tables().rows.get(table_key(fact), [])
        above = [label for start, label in rows if start < fact.char_start]
        below = [label for start, label in rows if start > fact.char_start]
        gaap = next((x for x in reversed(above) if re.match(r"gaap\b", x, re.I)), "")
        non_gaap = next((x for x in below if re.match(r"non[- ]?gaap\b", x, re.I)), "")
        return f"{gaap} {non_gaap}"

    def _sentences_before(self, doc_id: str, start: int, within: int) -> list[Sentence]:
        """The document's sentences that end before ``start``, less than ``within``
        characters before it, in order."""
        ends = self._document_sentences(doc_id)
        return [s for s in ends if s.char_end <= start and start - s.char_end < within]

    def _totals_above(self, fact: Fact, question: str = "") -> str:
        """The labels of the totals a figure's row adds up to, checked at ingestion
        ("Software maintenance" sums to "Total services", which sums to "Total revenue")."""
        table = self._tables().sums.get(table_key(fact), {})
        out: list[str] = []
        todo = [c.split(":", 1)[1] for c in fact.checks if c.startswith("sums_to:")]
        while todo and len(out) < 6:
            label = todo.pop()
            if label in out:
                continue
            out.append(label)
            todo.extend(table.get(label.lower(), ()))
        if any(c.startswith("total_of:") for c in fact.checks) and _ASKS_TOTAL.search(question):
            # a total is named by its parts too: "Total" of cash, short- and long-term
            # investments
            own = (fact.row_path[-1] if fact.row_path else fact.row).lower()
            out += [label for label, sums in table.items() if own in (x.lower() for x in sums)]
        return " ".join(out)

    def neighbour(self, doc_id: str, text: str, step: int) -> Sentence | None:
        """The sentence ``step`` places from the document's sentence ``text``, in the same
        document, or None."""
        if not self._sentence_named:
            for each in self.corpus.sentences:
                self._sentence_named.setdefault((each.doc_id, each.text), each)
        found = self._sentence_named.get((doc_id, text))
        index = self._positions.get(id(found)) if found is not None else None
        if index is None or not 0 <= index + step < len(self.corpus.sentences):
            return None
        other = self.corpus.sentences[index + step]
        return other if other.doc_id == doc_id else None

    def across_periods(
        self, metric: str, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
    ) -> list[Fact]:
        """One figure per period of the best row: every period, or the years of a range."""
        years = range(0)
        if len(specs) >= 2 and specs[0].fiscal_year and specs[-1].fiscal_year:
            low, high = sorted((specs[0].fiscal_year, specs[-1].fiscal_year))
            years = range(low, high + 1)
        spec = specs[0] if specs else None
        try:
            first = self.fact(metric, intent, doc_ids, spec, prose=False)
        except Missing:
            # no table row: a sentence may list the years ("$121.1 in 2016, $97.5 in 2015 ...")
            said = self.fact(metric, intent, doc_ids, spec)
            if said.kind != "sentence":
                raise
            return self._said_across(metric, intent, doc_ids, said, years)
        row = self.row_of(first)
        chosen: dict[str, Fact] = {}
        facts = list(row.facts)
        named = YEAR.sub("#", row.label)
        if "#" in named:
            # "2010 net revenue ... 2011 net revenue": one measure, a row per year
            facts += [
                f
                for other in self.table_rows(first)
                if other is not row and YEAR.sub("#", other.label) == named
                for f in other.facts
                if f.column == first.column
            ]
        for fact in facts:
            period = fact.period
            if period is None or not of_a_kind(fact, first):
                continue
            if years and fiscal_year_of_label(period) not in years and period.end.year not in years:
                continue
            chosen.setdefault(period.label, fact)
        if len(chosen) < 2:
            raise Missing(f"“{row.label}” has fewer than two periods to combine.")
        return sorted(chosen.values(), key=period_end, reverse=True)

    def _said_across(
        self, metric: str, intent: Intent, doc_ids: set[str], first: Fact, years: range
    ) -> list[Fact]:
        """ "$121.1 in 2016, $97.5 in 2015, and $132.4 in 2014": each year of the range from
        the one sentence that states the first."""
        if not years:
            raise Missing(f"“{figure_name(first)}” has fewer than two periods to combine.")
        facts: list[Fact] = []
        for year in years:
            spec = PeriodSpec("bare_year", str(year), 0, 0, fiscal_year=year)
            said = self.sentence_fact(metric, intent, doc_ids, spec, first.unit)
            if said is None or said.row != first.row or said.period is None:
                raise Missing(f"The sentence that states “{metric}” gives nothing for {year}.")
            facts.append(said)
        if len({f.period.label for f in facts if f.period}) < len(facts):
            raise Missing(f"The sentence that states “{metric}” does not give each year apart.")
        return sorted(facts, key=period_end, reverse=True)

    def row_of(self, fact: Fact) -> Row:
        """The row a figure of the corpus belongs to (a schedule's column is a row of its
        own)."""
        return next(r for r in chain(self.rows.rows, self._schedules or ()) if fact in r.facts)

    def which_facts(self, intent: Intent, doc_ids: set[str]) -> list[Fact]:
        """The figures of the best row that a which-period question compares: one per
        period, of the length it asks about ("which year": years or year-end balances;
        "which quarter": quarters), else of the length of the row's best figure."""
        first = self.fact(intent.metrics[0], intent, doc_ids, None)
        row = self.row_of(first)
        asked = ASKED_LENGTH.search(intent.question)
        months = {"year": 12, "quarter": 3}.get(asked.group(1).lower() if asked else "", 0)

        def length(fact: Fact) -> tuple[str, int]:
            assert fact.period is not None
            kind = fact.period.kind
            return kind, 0 if kind == "instant" else months_of(fact.period) or 0

        dated = [f for f in row.facts if f.period is not None and f.unit == first.unit]
        measure = _undated_words(first.column)
        if any(f.period == first.period and _undated_words(f.column) != measure for f in dated):
            # columns of measures ("Accounts Receivable, Gross | ... | Net", "Revenues 2019 |
            # Revenues 2018 | Income 2019 | ..."): the periods of the measure found
            dated = [f for f in dated if _undated_words(f.column) == measure]
        wanted = [f for f in dated if length(f)[1] in (months, 0)] if months else []
        group = length(wanted[0] if wanted else first) if dated else None
        chosen: dict[str, Fact] = {}
        for fact in sorted(dated, key=period_end, reverse=True):
            if length(fact) == group:
                chosen.setdefault(fact.period.label, fact)  # type: ignore[union-attr]
        if len(chosen) < 2:
            raise Missing(f"“{row.label}” has fewer than two periods to compare.")
        return list(chosen.values())

    def with_dense(self, metric: str, doc_ids: set[str], lexical: list[Scored]) -> list[Scored]:
        """Blend in the store's embeddings: rows both searches find rise a little; a row only
        the dense search finds joins when it is close, ranked below clear word matches."""
        assert self.dense is not None
        similar = {id(row): (row, sim) for row, sim in self.dense.rows(metric, doc_ids)}
        out = [
            Scored(s.row, s.score + DENSE_BOOST * similar[id(s.row)][1])
            if id(s.row) in similar
            else s
            for s in lexical
        ]
        seen = {id(s.row) for s in lexical}
        for key, (row, sim) in similar.items():
            if key not in seen and sim >= DENSE_MIN:
                out.append(Scored(row, DENSE_ONLY * sim))
        out.sort(key=lambda s: s.score, reverse=True)
        return out

    def check(self, intent: Intent, doc_ids: set[str]) -> Check:
        """What the verify stage reads of a question, with what search knows: the companies'
        names, how telling each word is, each figure's table context and binding."""
        return Check(
            intent.question,
            intent,
            self.names(doc_ids),
            self.rows.idf,
            partial(self.table_context, question=intent.question),
            self.binding.get,
        )

    def prints(self, pattern: re.Pattern[str], doc_ids: set[str]) -> bool:
        """Does a filing print a line (a row's own label) that ``pattern`` finds: "Adjusted
        EBITDA", "Return on assets"?"""
        return any(
            row.doc_id in doc_ids and row.path and pattern.search(row.path[-1])
            for row in self.rows.rows
        )

    def names(self, doc_ids: set[str]) -> frozenset[str]:
        """Words of the companies' own names: "Intel's net revenue" is about net revenue."""
        words: set[str] = set()
        for doc_id in doc_ids:
            record = self.corpus.documents.get(doc_id)
            if record is not None:
                words |= set(tokens(f"{record.company or ''} {record.ticker or ''}"))
        # "McDonald's" reads "mcdonald'" here and "McDonald" once the question drops its "'s"
        words |= {re.sub(r"'s?$", "", w) for w in words}
        return frozenset(words - {"revenue", "capex", "cash"})

    def foreign(self, question: str, doc_ids: set[str]) -> str | None:
        """A name the question relies on that the filings never mention ("AirPods")."""
        vocabulary = self.vocabulary(doc_ids)
        for match in re.finditer(r"(?<!^)\b([A-Z][A-Za-z0-9]+)\b", question):
            word = match.group(1)
            if any(ch.isdigit() for ch in word) or (word.isupper() and len(word) <= 5):
                continue  # GAAP, EPS, FY, CFO: abbreviations
            lowered = word.lower()
            if lowered in _COMMON or lowered.rstrip("s") in _COMMON:
                continue
            stems = tokens(word)
            if stems and not any(t in vocabulary for t in stems) and lowered not in vocabulary:
                return word
        return None

    def vocabulary(self, doc_ids: set[str]) -> set[str]:
        """Every word the filings print, read once per filing (a store shared by many filings
        asks for many different sets of them)."""
        key = frozenset(doc_ids)
        cached = self._vocabularies.get(key)
        if cached is None:
            cached = set(self.names(doc_ids))
            for doc_id in doc_ids:
                cached |= self._doc_vocabulary(doc_id)
            self._vocabularies[key] = cached
        return cached

    def _doc_vocabulary(self, doc_id: str) -> frozenset[str]:
        key = frozenset([f"doc:{doc_id}"])
        cached = self._vocabularies.get(key)
        if cached is None:
            words: set[str] = set()
            for row in self.corpus.rows:
                if row.doc_id == doc_id:
                    text = " ".join(row.path) + " " + (row.table or "")
                    words |= set(tokens(text)) | set(re.findall(r"[a-z0-9]+", text.lower()))
            for sentence in self.corpus.sentences:
                if sentence.doc_id == doc_id:
                    words |= set(tokens(sentence.text))
                    words |= set(re.findall(r"[a-z0-9]+", sentence.text.lower()))
            record = self.corpus.documents.get(doc_id)
            if record is not None:
                words |= set(tokens(record.document.replace("_", " ")))
            cached = self._vocabularies[key] = set(words)
        return frozenset(cached)

    def latest_quarter_end(self, doc_ids: set[str]) -> date | None:
        """The end of the latest quarter the filings report: what "last quarter" and "year to
        date" are counted from when the question names no period of its own."""
        key = frozenset(doc_ids)
        if key not in self._latest:
            ends = Counter(
                f.period.end
                for row in self.corpus.rows
                if row.doc_id in doc_ids
                for f in row.facts
                if f.period is not None and f.period.kind == "duration" and months_of(f.period) == 3
            )
            # the quarter reported, not one an outlook names ("Q1 2023" guidance in a release
            # of the fourth quarter prints a few figures): a quarter with a quarter as many
            # figures as the most printed
            most = max(ends.values(), default=0)
            reported = [end for end, n in ends.items() if 4 * n >= most]
            self._latest[key] = max(reported) if reported else None
        return self._latest[key]

    def latest_year_of_quarter(self, doc_ids: set[str], quarter: int) -> int | None:
        """The latest fiscal year whose quarter ``quarter`` the filings print ("Q3 FY2024"):
        what "Q3" with no year means."""
        years = [
            int(found.group("y"))
            for doc_id in doc_ids
            for period, _ in self._periods(doc_id)
            if (found := LABEL_QUARTER.match(period.label)) is not None
            and int(found.group("q")) == quarter
        ]
        return max(years) if years else None

    def year_to_date_months(self, doc_ids: set[str]) -> int | None:
        """How many months the filings' year-to-date columns span: the longest period of
        four to eleven months ending with their latest quarter ("Nine Months Ended June 28,
        2025"); None when they print none (a first quarter's year to date is the quarter)."""
        end = self.latest_quarter_end(doc_ids)
        if end is None:
            return None
        spans = [
            months
            for doc_id in doc_ids
            for period, _ in self._periods(doc_id)
            if period.kind == "duration"
            and abs((period.end - end).days) <= 7  # "June 28" of a 52/53-week year
            and (months := months_of(period)) is not None
            and 3 < months < 12
        ]
        return max(spans) if spans else None

    def fact(
        self,
        metric: str,
        intent: Intent,
        doc_ids: set[str],
        spec: PeriodSpec | None,
        like: Fact | None = None,
        unit: str | None = None,
        prose: bool = True,
    ) -> Fact:
        """The figure for one metric and period.  ``unit``: only figures in that unit (the
        operands of a margin are amounts, never a printed percentage); ``prose``: whether
        the text may state it instead of a table."""
        required = unit
        instructed = [s for s in intent.statements if s in STATEMENTS]
        candidates = self.rows.search(
            metric, doc_ids, limit=200 if instructed else 25, ignore=self.names(doc_ids)
        )
        if self.dense is not None:
            candidates = self.with_dense(metric, doc_ids, candidates)
        telling = set(tokens(metric)) - GENERIC - _BALANCE_WORDS - self.names(doc_ids)
        if not any(telling <= set(tokens(c.row.label)) for c in candidates):
            # no line is named "unrecognized tax benefits": the closing balance of the
            # roll-forward whose lead-in names them (or, asked for a total, the "Total" line
            # of the table whose lead-in names the measure; the operation's reading may drop
            # the "total" the question says of its one measure: "the percentage change in
            # total income from ...")
            total = bool(re.search(r"\btotal\b", metric, re.I)) or (
                len(intent.metrics) == 1 and bool(re.search(r"\btotal\b", intent.question, re.I))
            )
            balances = self.balance_rows(telling, doc_ids, total=total)
            candidates = [*candidates, *balances]
            captioned = {f.fact_id for b in balances for f in b.row.facts}
        else:
            captioned = set()
        scheduled = False
        if not any(f.period for scored in candidates for f in scored.row.facts):
            # nothing found is dated: a schedule of years may hold the measure by its column
            # ("2021 | $138 | $6" under "Operating Leases | Finance Leases")
            by_column = self.schedule_rows(metric, doc_ids)
            candidates, scheduled = by_column or candidates, bool(by_column)
        if instructed:
            # "Base your answer on the cash flow statement": only that statement's lines
            candidates = [c for c in candidates if self.statement_of(c.row) in instructed][:25]
            if not candidates:
                where = " or the ".join(STATEMENT_WORDS[s] for s in intent.statements)
                raise Missing(f"The {where} prints no figure matching “{metric}”.")
            prose = False  # a statement is a table, never a sentence
        unit = self.prose_unit(intent, like) if prose else None
        if not candidates:
            said = self.sentence_fact(metric, intent, doc_ids, spec, unit) if unit else None
            if said is not None:
                return said
            raise Missing(f"The indexed filings have no figure matching “{metric}”.")
        best: tuple[float, Fact] | None = None
        runner_up: tuple[float, Fact, str] | None = None
        barred = [set(tokens(x)) for x in intent.excluded if tokens(x)]
        raw: dict[str, float] = {}  # how well each figure's words match, before penalties
        fit: dict[str, float] = {}  # and how well it fits, after them
        statement = statement_kinds(intent)
        wanted = set(tokens(metric)) - self.names(doc_ids)
        asked_words = split_hyphens(wanted)
        says_total = bool(re.search(r"\btotal\b", intent.question, re.I))
        question_words = (
            split_hyphens(set(tokens(intent.question))) - self.names(doc_ids) - asked_words
        )
        basis, diluted = basis_of(metric, intent), _dilution(metric, intent)
        # the metric says "total" and the candidates hold both a "Total X" and an X line
        totalled = says_total and _TOTAL_LINE.search(metric) is not None
        plain = {  # the tables holding a candidate line that says no "total"
            table_key(c.row.facts[0])
            for c in candidates
            if c.row.facts and not _TOTAL_LINE.search(c.row.label)
        }
        # "what was the 2010 value?" after "total net goodwill": the carried measure's
        asked_basis = _gross_or_net(" ".join((intent.question, *intent.carried)))
        for scored in candidates:
            if any(words <= set(tokens(scored.row.label)) for words in barred):
                continue  # "depreciation (not depreciation and amortization)"
            row_penalty = _row_penalty(scored.row, wanted, statement)
            for fact in scored.row.facts:
                if required is not None and fact.unit != required:
                    continue
                fits = self.penalty(fact, scored.row, intent, spec, like, basis, diluted)
                if fits is None:
                    continue
                penalty = row_penalty + fits
                # "(b) Weighted-average exercise price of outstanding options": a column
                # whose own words the question uses
                named = _column_words(fact, scored.row) & asked_words
                bonus = 0.5 * len(named) / max(1, len(wanted - GENERIC))
                if (
                    asked_basis
                    and _GROSS_OR_NET.get(_gross_or_net(fact.column) or "") == asked_basis
                ):
                    # "net accounts receivable" is not "Accounts Receivable, Gross" ("net" is a
                    # word search does not weigh)
                    bonus -= 0.05
                if totalled and _TOTAL_LINE.search(scored.row.label) and plain & {table_key(fact)}:
                    # "total cost of goods sold": "Total cost of goods sold" over a line of
                    # the same table that says no "total" ("Cost of goods sold"): "total" is
                    # no word a label match weighs
                    bonus += 0.02
                if fact.period is None and not named:
                    # columns of measures, not periods ("oil (mmbbls) | total (mmboe)"): the
                    # column the rest of the question names ("total oil and gas mmboe")
                    bonus += 0.1 * len(_column_words(fact, scored.row) & question_words)
                if says_total and _TOTAL_COLUMN.search(fact.column or ""):
                    # "total financing obligations" under "Up to 1 year | … | Total", undated
                    # or all as of one day
                    bonus += 0.05
                score = scored.score + bonus - penalty
                raw[fact.fact_id] = scored.score + bonus
                # an undated figure ranks below dated ones and a sentence's below a cell's,
                # but each fits fine when nothing else is against it
                relax = (0.3 if spec is None and fact.period is None else 0) + (
                    0.4 if fact.kind == "sentence" else 0
                )
                fit[fact.fact_id] = score + (relax if penalty - relax <= 0.1 else 0)
                if (
                    best is not None
                    and abs(score - best[0]) < 1e-9
                    and fact.value == -best[1].value
                    and fact.value > 0
                ):
                    # the same amount printed as (6,575) in one place and 6,575 in another:
                    # "how much" asks for the amount
                    best = (score, fact)
                    continue
                if best is None or score > best[0]:
                    if best is not None:
                        runner_up = (best[0], best[1], figure_name(best[1]))
                    best = (score, fact)
                elif runner_up is None or score > runner_up[0]:
                    runner_up = (score, fact, scored.row.label)
        loose_match = None
        if best is not None and (raw[best[1].fact_id] < _WEAK or fit[best[1].fact_id] < _WEAK_FIT):
            # a row that shares a word or two with the question is not its answer
            loose_match, best = best[1], None
        tied = (
            best is not None
            and runner_up is not None
            and like is None
            # a schedule's columns ("snap-on | peer group | s&p 500") tie for any operation
            and (intent.operation == "lookup" or scheduled)
            and best[0] - runner_up[0] < _TIE
            and (runner_up[1].value != best[1].value or scheduled)  # "100" at a graph's base
            and (
                figure_name(runner_up[1]) != figure_name(best[1])
                or runner_up[1].table != best[1].table
            )
        )
        # a table that prints no unit (FinQA's, with its "$" and "(in millions)" cut away)
        # may hold the dollars asked: a line the question names in full, with no word of its
        # own, is not passed over for a sentence's dollars that only share a word with it (a
        # measure a follow-up carries keeps the earlier reading's sources)
        unit_fits = best is not None and (
            _same_unit(best[1].unit, unit or "")
            or (
                best[1].unit == "other"
                and unit == "USD"
                and like is None
                and (
                    (not intent.carried and not set(tokens(best[1].row)) - wanted - GENERIC)
                    or best[1].fact_id in captioned  # the lead-in names it in full
                    # a performance graph's lines are dollars: the value of $100 invested
                    or self._is_graph(table_key(best[1]))
                )
            )
        )
        # a closing balance whose lead-in names the measure misses no word of it
        lacking = best is not None and best[1].fact_id not in captioned
        if unit is not None and (
            best is None or not unit_fits or (lacking and self.lacks(metric, best[1], doc_ids))
        ):
            # the filing may state it in words: "144 full-time employees", "online sales
            # increased 1.1 percent to $46.6 million"
            said = self.sentence_fact(metric, intent, doc_ids, spec, unit)
            if said is not None and (
                best is None
                or not unit_fits
                or (lacking and self.lacks(metric, best[1], doc_ids, said))
            ):
                return said
            if (
                best is not None
                and intent.operation == "lookup"
                and (
                    (unit in ("shares", "count") and best[1].unit == "USD")
                    or (unit == "percent" and best[1].unit in ("USD", "shares", "count"))
                )
            ):
                # asked how many shares, found only dollars; asked what percentage, found
                # only an amount
                shown = "dollars" if best[1].unit == "USD" else best[1].unit
                raise Missing(
                    f"The filings print “{figure_name(best[1])}” in {shown}, but no "
                    f"{'number of ' + unit if unit != 'percent' else 'percentage'} for it."
                )
        if tied and best is not None and runner_up is not None:
            raise Ambiguous([best[1], runner_up[1]])
        if best is None and loose_match is not None:
            raise Missing(
                f"The closest figure, “{figure_name(loose_match)}”, matches the question only "
                "loosely; name the line item as the filing prints it."
            )
        if best is None:
            top = candidates[0].row
            periods = sorted({f.period.label for f in top.facts if f.period}, reverse=True)
            asked = spec.text if spec else "that period"
            if not periods:
                raise Missing(undated(top, asked))
            raise Missing(
                f"The filings have “{top.label}” for {', '.join(periods)}, but nothing for {asked}."
            )
        margin = best[0] - runner_up[0] if runner_up is not None else 1.0
        self.binding[best[1].fact_id] = (raw[best[1].fact_id], fit[best[1].fact_id], margin)
        return best[1]

    def sentence_share(
        self, intent: Intent, doc_ids: set[str], spec: PeriodSpec | None
    ) -> tuple[Fact, Fact] | None:
        """A part and its whole that one sentence states: "cash, cash equivalents and
        short-term investments totaling $5.5 billion, of which $4.6 billion was held by our
        foreign subsidiaries". The sentence must say every telling word of both measures;
        the two are different figures in the same unit, the part no larger than the whole
        when a share of it is asked."""
        if len(intent.metrics) != 2 or not intent.as_percent:
            return None
        unit = wanted_unit(_PERCENT_WORDS.sub(" ", intent.question), intent.per_share, False)
        query = " ".join(intent.metrics)
        names = self.names(doc_ids)
        for sentence, _ in self.sentences.search(query, doc_ids, limit=8, ignore=names):
            part, whole = (
                self.sentence_fact(m, intent, doc_ids, spec, unit, within=sentence)
                for m in intent.metrics
            )
            if part is None or whole is None or part.fact_id == whole.fact_id:
                continue
            if part.unit != whole.unit or not 0 < abs(part.value) <= abs(whole.value):
                continue
            if _listed(sentence.text, part) or _listed(sentence.text, whole):
                continue
            return part, whole
        return None

    def prose_unit(self, intent: Intent, like: Fact | None) -> str | None:
        """The unit of a figure the text may state, for the questions that read one figure
        per metric (lookups, and the parts of sums and differences)."""
        if like is not None and like.kind == "sentence":
            return like.unit
        if intent.derived or intent.operation not in (
            "lookup",
            "sum",
            "average",
            "difference",
            "percent_change",
        ):
            return None
        over_time = (
            intent.operation in ("difference", "percent_change", "average", "sum")
            and len(intent.periods) >= 2
        )
        if intent.operation != "lookup" and len(intent.metrics) < 2 and not over_time:
            return None
        if intent.operation == "percent_change":
            # the operands of a rate of change are amounts, whatever "percentage" says
            return wanted_unit(_PERCENT_WORDS.sub(" ", intent.question), intent.per_share, False)
        return wanted_unit(intent.question, intent.per_share, intent.counts_shares)

    def lacks(
        self,
        metric: str,
        fact: Fact,
        doc_ids: set[str],
        said: Fact | None = None,
        own_words: bool = False,
    ) -> bool:
        """Does the figure's row miss a telling word of the metric (that ``said``'s sentence
        carries)?  "online sales" is not "SALES, Net of returns and allowances".
        ``own_words``: the row's path must carry it, not just its table's title."""
        telling = set(tokens(metric)) - self.names(doc_ids) - GENERIC
        title = "" if own_words else f"{fact.table or ''} {fact.column or ''}"
        have = set(tokens(" ".join(fact.row_path) + " " + fact.row + " " + title))
        missing = telling - have
        if said is None:
            return bool(missing)
        # the sentence must carry what the row lacks, and everything the row does carry
        words = set(loose(said.row))
        own = self.names(doc_ids)
        names = {loose_word(n) for n in own} | set(loose(" ".join(own)))
        asked = set(loose(metric)) - names - GENERIC
        return bool(missing) and asked <= words

    def sentence_fact(
        self,
        metric: str,
        intent: Intent,
        doc_ids: set[str],
        spec: PeriodSpec | None,
        unit: str,
        changes: bool = False,
        within: Sentence | None = None,
    ) -> Fact | None:
        """The figure a sentence states for the metric, in the wanted unit and period
        (``changes``: the change it states, "decreased 0.7 percent" read as -0.7;
        ``within``: only that sentence, which must say every telling word of the metric)."""
        names = self.names(doc_ids)
        wanted = set(loose(metric)) - {loose_word(n) for n in names}
        if not wanted - GENERIC:
            return None
        years = _asked_years(intent, spec)
        query = f"{metric} {spec.text if spec else ''}"
        weights = {loose_word(t): self.sentences.idf(t) for t in tokens(metric)}
        rare = max(weights.values(), default=1.0)  # "classb": a name no passage spells so

        def weight(token: str) -> float:
            return weights.get(token, rare)

        total = math.fsum(weight(t) for t in wanted)
        asked = set(loose(intent.question))
        best: tuple[Pick, Sentence] | None = None
        found = []
        if within is not None:
            found = [(within, 1.0)]
        elif not _STATEMENT.search(intent.question):
            # "on the balance sheet": the statement's figure, not the text's
            found = self.sentences.search(query, doc_ids, limit=8, ignore=names)
        if within is None:
            found += self.labels.search(query, doc_ids, limit=3, ignore=names)
        for sentence, _ in found:
            have = set(loose(sentence.text))
            if within is not None and wanted - GENERIC - have:
                return None
            if _ANAPHOR.match(sentence.text):
                # "This number represents about 4% of our total employee base": the sentence
                # before says what "this number" is
                have |= set(loose(self._previous(sentence)))
            if math.fsum(weight(t) for t in wanted & have) < 0.6 * total:
                continue
            if not self._period_fits(sentence, spec, years):
                continue
            chosen = pick(
                sentence.text,
                unit,
                wanted,
                weight,
                loose,
                years,
                asked,
                spec.date if spec else None,
                changes,
                # one measure in two periods: each figure stated for its own year
                own_year=len(intent.metrics) == 1 and intent.operation != "lookup",
            )
            if chosen is None or chosen.score < 0.5:
                continue
            if best is None or chosen.score > best[0].score:
                best = (chosen, sentence)
        if best is None:
            return None
        chosen, sentence = best
        mention = self._by_column(sentence, unit, spec) or chosen.mention
        if changes and mention.down:
            mention = replace(mention, value=-mention.value)
        shares_in_thousands = bool(
            sentence.section and _SHARES_IN_THOUSANDS.search(sentence.section[0])
        )
        if shares_in_thousands and mention.unit == "shares":
            # "(In millions, except number of shares, which are reflected in thousands ...)"
            mention = replace(mention, value=mention.value * 1000, scale="thousands")
        year = stated_year(sentence.text, mention) or listed_year(sentence.text, mention)
        fy_end = self.corpus.fy_end_month.get(sentence.doc_id, 12)
        period = parse_header_period(f"fiscal {year}", fy_end) if year else None
        if period is None and spec is not None and spec.kind == "quarter":
            # "As of the end of the fiscal quarter, it operated 445 stores" in the release of
            # the quarter asked: the quarter its tables print
            period = self._current_quarter(sentence, spec, fy_end)
        return Fact(
            # the period is part of the figure: one sentence's figure read for another quarter
            # is another figure (conversations cite figures by id)
            fact_id=fact_id(
                sentence.doc_id,
                f"q{sentence.char_start}|{sentence.text}|{mention.start}|"
                f"{period.label if period else ''}",
            ),
            doc_id=sentence.doc_id,
            document=sentence.document,
            table=None,
            row=sentence.text,
            row_path=(),
            column="",
            # "$150.2 million in 2019": the year it is stated for
            period=period,
            value=mention.value,
            unit=mention.unit,  # type: ignore[arg-type]
            as_printed=mention.as_printed,
            scale=mention.scale,
            basis=None,
            note=None,
            checks=(),
            repairs=(),
            char_start=sentence.char_start,
            char_end=sentence.char_end,
            page=sentence.page,
            kind="sentence",
        )

    def _current_quarter(self, sentence: Sentence, spec: PeriodSpec, fy_end: int) -> Period | None:
        """The quarter asked, when the sentence speaks of "the (fiscal) quarter" in the
        release of that quarter: the period its own tables print for it; else None."""
        record = self.corpus.documents.get(sentence.doc_id)
        released = (record.period or "") if record is not None else ""
        if f"Q{spec.quarter}" not in released or str(spec.fiscal_year) not in released:
            return None
        if not re.search(r"\bthe (?:fiscal )?quarter\b", sentence.text, re.I):
            return None
        return next(
            (p for p, _ in self._periods(sentence.doc_id) if matches(spec, p, fy_end)), None
        )

    def _by_column(self, sentence: Sentence, unit: str, spec: PeriodSpec | None) -> Mention | None:
        """A row label that lists one figure per column, "14,856,722 and 15,116,786 shares
        issued and outstanding, respectively": the figure in the asked period's place."""
        if spec is None or not sentence.section or "respectively" not in sentence.text.lower():
            return None
        row = self._label_rows.get(id(sentence))
        if row is None:
            return None
        columns: list[Period] = []
        for fact in row.facts:
            if fact.period is not None and fact.period not in columns:
                columns.append(fact.period)
        fy_end = self.corpus.fy_end_month.get(row.doc_id, 12)
        hits = [i for i, period in enumerate(columns) if matches(spec, period, fy_end)]
        clause = sentence.text[sentence.text.rfind(";") + 1 :]
        offset = sentence.text.rfind(";") + 1
        listed = [m for m in mentions(clause) if m.unit == unit]
        if len(hits) != 1 or len(listed) != len(columns):
            return None
        chosen = listed[hits[0]]
        return replace(chosen, start=chosen.start + offset, end=chosen.end + offset)

    def _previous(self, sentence: Sentence) -> str:
        before = self.before(sentence)
        return before.text if before is not None else ""

    def before(self, sentence: Sentence) -> Sentence | None:
        """The sentence printed just before, in the same passage or the one before it."""
        index = self._positions.get(id(sentence))
        if not index:
            return None
        before = self.corpus.sentences[index - 1]
        return before if near(before, sentence) else None

    def _lead_in(self, sentence: Sentence) -> str:
        """The line ending in ':' that a bulleted line belongs to, or ''."""
        if not _BULLET.match(sentence.text):
            return ""
        index = self._positions.get(id(sentence))
        if index is None:
            return ""
        for back in range(index - 1, max(-1, index - 12), -1):
            other = self.corpus.sentences[back]
            if not near(other, sentence):
                break
            if other.text.rstrip().endswith(":"):
                return other.text
            if not _BULLET.match(other.text):
                break
        return ""

    def _period_fits(self, sentence: Sentence, spec: PeriodSpec | None, years: set[str]) -> bool:
        """A sentence answers for the asked period when it names it: the year, and for a
        quarter the quarter too ("fourth quarter", "Q4'07", or "the fiscal quarter ended..."
        in the release of that quarter); a sentence naming no year counts for a filing of
        that year."""
        if not years:
            return True
        record = self.corpus.documents.get(sentence.doc_id)
        if record is None:
            return False
        # a bullet reads in the context of the line that introduces it ("Results for 2022
        # included the following:")
        text = f"{self._lead_in(sentence)} {sentence.text}"
        stated = set(YEAR.findall(text))
        # "Q4'07", "FY'08", "fiscal '06": a year in two digits
        stated |= {
            f"{'19' if int(short) >= 70 else '20'}{short}"
            for short in re.findall(r"(?:\bQ[1-4]\s?|\bFY\s?|\bfiscal\s)['’](\d\d)\b", text, re.I)
        }
        if spec is not None and spec.kind == "quarter" and spec.quarter:
            ordinals = re.findall(r"\b(first|second|third|fourth) quarter", text, re.I)
            named = {ORDINAL[m.lower()] for m in ordinals}
            named |= {int(q) for q in re.findall(r"\bQ([1-4])\b", text)}
            current = f"Q{spec.quarter}" in (record.period or "") and str(spec.fiscal_year) in (
                record.period or ""
            )
            if named:
                return spec.quarter in named and bool(stated & years or not stated or current)
            if current:
                return not stated or bool(stated & years)
            # the release of a quarter compares it with the same quarter a year before:
            # "Results for 2022 included ..." in the Q1 2023 release is about Q1 2022
            same_quarter = f"Q{spec.quarter}" in (record.period or "")
            return same_quarter and bool(stated & years)
        if (
            spec is not None
            and (spec.kind == "year" or spec.months == 12)
            and (
                re.search(r"\b(?:the|this|that)\s+quarter\b", text, re.I)
                or (not stated and re.match(r"\s*Q[1-4]\b(?!.*\bFY)", record.period or ""))
            )
        ):
            return False  # "... for the quarter", or a quarter's release: not the year asked
        if stated:
            return bool(stated & years)
        own = set(re.findall(r"(?:19|20)\d\d", f"{record.date or ''} {record.period or ''}"))
        return bool(own & years)

    def penalty(
        self,
        fact: Fact,
        row: Row,
        intent: Intent,
        spec: PeriodSpec | None,
        like: Fact | None,
        basis: str | None = None,
        diluted: bool | None = None,
    ) -> float | None:
        """How much worse than its row's score this figure fits; None: it does not fit."""
        penalty = 0.0
        period = fact.period
        fy_end = self.corpus.fy_end_month.get(fact.doc_id, 12)
        if spec is not None:
            dated_label = (
                period is None
                and spec.date is not None
                and spec.date in dates_in(f"{row.label} {row.table or ''}")
            )  # "Number of shares of common stock outstanding as of January 22, 2020"
            monthly = (
                spec.kind == "instant"
                and spec.date is not None
                and period is not None
                and period.kind == "duration"
                and (months_of(period) or 0) <= 1
                and same_day(period.end, spec.date)
            )  # "at December 31, 2024" in a table of months: the December row's balance
            graph_year = (
                spec.kind == "bare_year"
                and period is not None
                and period.kind == "instant"
                and self._is_graph(table_key(fact))
            )
            if graph_year:
                # a performance graph's columns are days its lines are measured on, not
                # fiscal periods: "in 2004" is the column dated in 2004 ("january 3 2004"),
                # not the one that ends fiscal 2004 ("january 1 2005")
                if period is None or period.end.year != spec.fiscal_year:  # (None: for mypy)
                    return None
                if not matches(spec, period, fy_end) and any(
                    other.period is not None
                    and other.period.end.year == spec.fiscal_year
                    and matches(spec, other.period, fy_end)
                    for other in row.facts
                ):
                    return None  # "january 2 2016" and "december 31 2016": the year's end
            elif monthly:
                penalty += 0.05
            elif period is None and not dated_label and self._as_of(fact, spec):
                penalty += 0.1
            elif not dated_label and (period is None or not matches(spec, period, fy_end)):
                if not _printed_year(spec, fact, row, fy_end, self._balance_years(fact.doc_id)):
                    return None
                penalty += 0.1
            if spec.kind == "bare_year" and period is not None and period.kind == "instant":
                penalty += 0.05  # a bare year reads as the fiscal year first
        elif period is None:
            # a schedule's "Total" column answers for all its years when none is asked
            total_column = _TOTAL_COLUMN.search(fact.column or "") and any(
                other.period for other in row.facts
            )
            penalty += 0.0 if total_column else 0.3
        else:
            penalty += _recency_penalty(period)
        if (
            spec is None
            and _END_ASKED.search(intent.question)
            and re.search(r"\bbeginning\b", fact.column or "", re.I)
            and not re.search(r"\bend\b", fact.column or "", re.I)
        ):
            return None  # "as of end of period": not the balance at its beginning
        if (
            like is not None
            and like.period
            and period
            and like.period.kind != period.kind
            and spec is None
        ):
            penalty += 0.2
        label = row.label.lower() + " " + (row.table or "").lower()
        if fact.kind == "sentence":
            label += " " + fact.as_printed.lower()  # "$0.19 per diluted share"
        own = row.label.lower()
        non_gaap = (fact.basis == "non-GAAP" or "non-gaap" in label) and not re.match(
            r"gaap\b", own
        )  # a "GAAP ..." row of a reconciliation is GAAP
        if basis == "non-GAAP" and not non_gaap:
            if re.search(r"\bnon[- ]?gaap\b|\badjusted\b", intent.question, re.I) and (
                intent.operation == "lookup"
            ):
                return None  # asked for the adjusted figure: the GAAP one is another number
            penalty += 0.5
        if basis != "non-GAAP" and non_gaap:
            penalty += 0.4
        priced = fact.unit == "USD/share" and re.search(r"\bprices?\b", intent.question, re.I)
        if intent.per_share != fact.unit.endswith("/share") and not priced:
            penalty += 0.6  # ("an exercise price" is per share without saying so)
        if intent.counts_shares and fact.unit != "shares":
            penalty += 0.6
        if (
            fact.unit in ("count", "shares")
            and not intent.counts_shares
            and _MONEY.search(intent.question)
            and not re.search(r"\bhow many\b|\bnumber of\b", intent.question, re.I)
        ):
            penalty += 0.3  # revenue, income, cash: an amount of money, not a count
        if diluted is True and "diluted" not in label:
            if "basic" in label:
                return None  # asked for diluted, this is basic
            penalty += 0.3
        if diluted is False and "basic" not in label:
            if "diluted" in label:
                return None
            penalty += 0.3
        if diluted is None and intent.per_share and "diluted" in label:
            penalty += 0.02  # plain "EPS" reads as basic unless only diluted is printed
        if fact.unit == "percent" and not intent.as_percent and intent.operation != "lookup":
            penalty += 0.2
        elif (
            fact.unit == "percent"
            and intent.operation == "lookup"
            and not _PERCENT_ASKED.search(intent.question)
        ):
            penalty += 0.1  # "GAAP net income" is the amount, not "... as a % of revenue"
        if not fact.validated:
            penalty += 0.15
        if id(row) not in self._muddled:
            self._muddled[id(row)] = _muddled(row)
        if period is not None and (period.label, fact.unit) in self._muddled[id(row)]:
            # one row, several figures for one period: the column says which ("Charged to
            # costs and expenses" in a valuation schedule); without its words, nobody knows
            # ("Adjusted EBITDA, EBIT, Net income and EPS" with three FY2023 figures)
            column = _column_words(fact, row)
            asked = split_hyphens(set(tokens(intent.question)))
            penalty += -0.05 if column & asked else 0.3
        if fact.kind == "sentence":
            penalty += 0.4  # a figure printed in a table and in the text: cite the table
        if any(_CASH_PAID.search(p) for p in row.path) and not _PAID_ASKED.search(intent.question):
            return None  # "Cash paid for > Income taxes" is a payment, not the tax expense
        other = self.other_entity(fact.doc_id, row.table or "")
        if other and not other <= set(_entity_words(intent.question)):
            # a combined filing's subsidiary ("PACIFIC GAS AND ELECTRIC COMPANY / ...", "BOSTON
            # PROPERTIES LIMITED PARTNERSHIP / ...") beside the parent the question names
            penalty += 0.25
        return penalty

    def other_entity(self, doc_id: str, title: str) -> frozenset[str]:
        """The words of the entity a table's title names when it is not the filing's own
        company (nothing when it is, or when the title names none)."""
        key = (doc_id, title)
        if key not in self._other_entity:
            record = self.corpus.documents.get(doc_id)
            own = set(_entity_words(record.company or "")) if record else set()
            words: frozenset[str] = frozenset()
            for part in title.split(" / ")[:3]:
                if len(part.split()) <= 8 and _ENTITY_TITLE.search(part):
                    named = set(_entity_words(part))
                    words = frozenset(named - own) if own else frozenset()
                    break
            self._other_entity[key] = words
        return self._other_entity[key]


_ENTITY_TITLE = re.compile(
    r"\b(?:corporation|company|inc\.?|incorporated|corp\.?|l\.?p\.?|limited\s+partnership|llc|"
    r"plc|ltd\.?)\s*$",
    re.I,
)
_ENTITY_GENERIC = frozenset(
    ["corporation", "company", "inc", "incorporated", "corp", "co", "the", "and", "llc", "plc",
     "ltd", "of"]
)  # fmt: skip


@lru_cache(maxsize=4096)
def _entity_words(text: str) -> tuple[str, ...]:
    """A company name's own words: "McDONALD’S CORPORATION" → ["mcdonalds"]."""
    plain = re.sub(r"['’]", "", text.lower())
    return tuple(w for w in re.findall(r"[a-z0-9&]+", plain) if w not in _ENTITY_GENERIC)


_CASH_PAID = re.compile(
    r"\bcash paid\b|\bpaid during\b|\bcash payments? for\b|\bsupplemental cash flow", re.I
)
_PAID_ASKED = re.compile(r"\bpaid\b|\bpay(?:s|ments?)?\b|\bcash\b", re.I)
_PERCENT_ASKED = re.compile(r"\b(?:percent(?:age)?|margin|rate|ratio|yield|growth)\b|%", re.I)


_MONEY = re.compile(
    r"\b(?:revenues?|sales|income|earnings|profit|cash|expenses?|costs?|assets|liabilities|"
    r"debt|equity|capex|spend|spent|paid|dollars?)\b",
    re.I,
)


_COMMON = frozenset(MONTHS) | frozenset(
    [
        "fy",
        "fys",
        "fiscal",
        "quarter",
        "quarters",
        "year",
        "years",
        "total",
        "net",
        "gross",
        "what",
        "how",
        "which",
        "who",
        "when",
        "where",
        "why",
        "the",
        "for",
        "and",
        "in",
        "of",
        "on",
        "at",
        "by",
        "as",
        "gaap",
        "non",
        "adjusted",
        "company",
        "companies",
        "group",
        "annual",
        "interim",
        "first",
        "second",
        "third",
        "fourth",
        # period abbreviations, not names: "YoY", "QoQ", "TTM"
        "yoy",
        "qoq",
        "ttm",
        "ytd",
    ]
)


def basis_of(metric: str, intent: Intent) -> str | None:
    """A metric's own basis word wins over the question's ("non-GAAP and GAAP EPS")."""
    if re.search(r"\bnon[- ]?gaap\b|\badjusted\b", metric, re.I):
        return "non-GAAP"
    if re.search(r"(?<![-\w])gaap\b", metric, re.I):
        return "GAAP"
    return intent.basis


def _dilution(metric: str, intent: Intent) -> bool | None:
    """A metric's own "basic"/"diluted" wins over the question's ("diluted than basic")."""
    has_diluted = bool(re.search(r"\bdiluted\b", metric, re.I))
    has_basic = bool(re.search(r"\bbasic\b", metric, re.I))
    if has_diluted != has_basic:
        return has_diluted
    return intent.diluted


_STATEMENT = re.compile(
    r"\b(?:balance sheets?|statements? of (?:consolidated )?(?:operations|income|cash flows|"
    r"financial position)|income statements?|cash flow statements?)\b",
    re.I,
)


def _same_unit(have: str, want: str) -> bool:
    """Options and securities are counted in shares in tables; a count asks for either."""
    return have == want or {have, want} == {"count", "shares"}


_SHARES_IN_THOUSANDS = re.compile(
    r"(?:number of )?shares,?(?: which)?(?: are)?(?: reflected| presented| stated)? in thousands",
    re.I,
)


_STATES_FIGURES = re.compile(r"\d{1,3}(?:,\d{3}){2,}\s+shares\b", re.I)


def _label_sentence(row: Row) -> Sentence:
    first = row.facts[0]
    return Sentence(
        row.doc_id,
        row.document,
        row.path[-1] if row.path else first.row,
        (row.table or "",),
        first.char_start,
        first.char_end,
        first.page,
    )


_STATEMENT_KIND = re.compile(
    r"\b(?P<balance_sheet>balance sheets?|statements? of financial position)\b"
    r"|\b(?P<cash_flow>cash flows? statements?|statements? of cash flows)\b"
    r"|\b(?P<income_statement>income statements?|statements? of (?:operations|income|earnings))\b",
    re.I,
)


# the statements' names in a refusal
STATEMENT_WORDS = {
    "balance_sheet": "balance sheet",
    "cash_flow": "cash flow statement",
    "income_statement": "income statement",
    "equity": "statement of stockholders' equity",
}


_ROW_QUALIFIERS = frozenset(
    ["current", "noncurrent", "non-current", "long-term", "short-term", "other", "deferred"]
)


def statement_kinds(intent: Intent) -> set[str]:
    """The statements a question's figures must come from: those its instructions name ("Base
    your answer on the cash flow statement") and those its ask names ("on the balance sheet")."""
    kinds = {s for s in intent.statements if s in STATEMENTS}
    return kinds | {m.lastgroup or "" for m in _STATEMENT_KIND.finditer(intent.question)}


def _row_penalty(row: Row, wanted: set[str], statement: set[str]) -> float:
    """What a row's name says against the metric, whatever the figure: a statement the
    question names that the row is not in ("on the balance sheet"), and a qualifier the
    question does not say ("Total current liabilities" for total liabilities)."""
    penalty = 0.0
    if statement and not any(TITLES[kind].search(row.table or "") for kind in statement):
        penalty += 0.3
    words = set(re.findall(r"[a-z-]+", (row.path[-1] if row.path else "").lower()))
    if (words & _ROW_QUALIFIERS) - wanted:
        penalty += 0.15
    # "Segment operating income" for Europe's operating income: a telling word of the
    # question that neither the row nor its table names
    named = set(tokens(" ".join(row.path) + " " + (row.table or "")))
    if (wanted - GENERIC) - named:
        penalty += 0.05
    return penalty


_BULLET = re.compile(r"\s*[•▪●◦·\-–*]")


_ANAPHOR = re.compile(
    r"\s*(?:this|these|that|those|such|the) (?:number|figure|amount|reduction|total|sum|"
    r"represents?|amounts?|is|was)\b|\s*(?:this|these|it) ",
    re.I,
)


_PERIOD_TOKENS = frozenset(
    tokens(
        "three six nine twelve months weeks ended ending year quarter fiscal as of at "
        "january february march april may june july august september october november december "
        "balance beginning end period"
    )
)


def of_a_kind(fact: Fact, like: Fact) -> bool:
    """Is ``fact`` dated like ``like``: the same kind of period (instant or duration), of the
    same length, in the same unit?"""
    return (
        fact.period is not None
        and like.period is not None
        and fact.period.kind == like.period.kind
        and months_of(fact.period) == months_of(like.period)
        and fact.unit == like.unit
    )


def _spec_year(spec: PeriodSpec) -> int | None:
    """The year a period asked falls in: its date's, else its fiscal year."""
    return spec.date.year if spec.date is not None else spec.fiscal_year


# column headers that name a period crossfoot could not read
_PERIOD_LIKE = re.compile(r"\b(?:19|20)\d\d\b|\bfy\s?'?\d\d\b|\bq[1-4]\b", re.I)
# a column of totals: "Total", "Payments due by fiscal year Total", "Total (MMBoe)"
_TOTAL_COLUMN = re.compile(r"^\s*total\b|(?:^|\s)total\s*$", re.I)


def _undated_words(column: str | None) -> str:
    """A column header less its years and dates: the measure it names."""
    text = re.sub(
        r"\b(?:19|20)\d\d\b|\b(?:" + MONTH_NAMES + r")\b|\d+", " ", (column or "").lower()
    )
    return " ".join(re.findall(r"[a-z]+", text))


_GROSS_OR_NET = {"gross": "net", "net": "gross"}


def _gross_or_net(text: str | None) -> str | None:
    """ "gross" or "net" when the text says one of them and not the other."""
    said = set(re.findall(r"\b(gross|net)\b", (text or "").lower()))
    return next(iter(said)) if len(said) == 1 else None


def _column_words(fact: Fact, row: Row) -> set[str]:
    own = split_hyphens(set(tokens(fact.column or "")))
    return own - GENERIC - _PERIOD_TOKENS - split_hyphens(set(tokens(row.label)))


def split_hyphens(words: set[str]) -> set[str]:
    """ "write-off" also reads as "write" and "off" (the question's "write off")."""
    return words | {part for word in words if "-" in word for part in word.split("-") if part}


def _muddled(row: Row) -> set[tuple[str, str]]:
    """The (period, unit) pairs for which one row prints different figures."""
    seen: dict[tuple[str, str], Decimal] = {}
    out: set[tuple[str, str]] = set()
    for fact in row.facts:
        if fact.period is None:
            continue
        key = (fact.period.label, fact.unit)
        if key in seen and seen[key] != abs(fact.value):  # (16,101) and 16,101 agree
            out.add(key)
        seen[key] = abs(fact.value)
    return out


def near(a: Sentence, b: Sentence) -> bool:
    """Lines of one passage or of the passages right next to it."""
    return a.doc_id == b.doc_id and abs(a.char_start - b.char_start) <= 1500


_END_ASKED = re.compile(r"\b(?:at|as of) (?:the )?end of (?:the )?(?:period|year)\b", re.I)
# "$105 million and $94 million, of which", "$49 million, $48 million, and $39 million
# related to": figures listed together share the words after them, which one is which is
# for "respectively" or the order of other lists to say
_LISTED_BETWEEN = re.compile(r"\s*(?:,|and|,\s*and)\s*", re.I)
_OWN_NOUN_AFTER = re.compile(r"\s*(?:of|in|for|from)\b", re.I)


def _listed(text: str, fact: Fact) -> bool:
    """Whether a sentence's figure is listed with another of its unit, the two sharing the
    words after the list ("$52 million and $43 million was classified as current"), not
    each followed by its own ("fees of $1.6 million, $0.3 million of estimated ...")."""
    found = [m for m in mentions(text) if m.unit == fact.unit]
    for index, mention in enumerate(found):
        if mention.as_printed != fact.as_printed:
            continue
        for a, b in ((index - 1, index), (index, index + 1)):
            if a < 0 or b >= len(found):
                continue
            if _LISTED_BETWEEN.fullmatch(text[found[a].end : found[b].start]) and not (
                _OWN_NOUN_AFTER.match(text[found[b].end :])
            ):
                return True
    return False


_PERCENT_WORDS = re.compile(r"\bpercent(?:age)?\b|%", re.I)


_YEAR_LABEL = re.compile(r"(?:fiscal |fy ?)?(?:19|20)\d\d", re.I)
_FALLING_DUE = frozenset(tokens(FALLING_DUE))
_SCHEDULE_SHARE = 0.75  # of the measure's word weight the text before a schedule must say


def _asked_years(intent: Intent, spec: PeriodSpec | None) -> set[str]:
    specs = [spec] if spec is not None else [p for p in intent.periods if p.kind != "relative"]
    years: set[str] = set()
    for each in specs:
        if each.kind != "year_end":  # "the start of 2010" is the end of 2009
            years |= set(re.findall(r"(?:19|20)\d\d", each.text))
        if each.fiscal_year:
            years.add(str(each.fiscal_year))
        if each.date:
            years.add(str(each.date.year))
    return years


def period_end(fact: Fact) -> date:
    return fact.period.end if fact.period else date.min


# what a performance graph's values are, whatever its title says: "the price of the s&p 500
# index in 2015", "the value of cadence design systems in 2018", "the price performance"
_GRAPH_WORDS = " stock share price value return performance investment index"
_FLOW_STATEMENTS = frozenset({"income_statement", "cash_flow"})
_BARE_YEAR = re.compile(r"\W*(?:fiscal\s+|fy\s*)?(?:19|20)\d\d\W*", re.I)


_TOTAL_LINE = re.compile(r"\btotal\b", re.I)


_AS_OF = re.compile(r"\b(?:as of|as at|at|balance)\b", re.I)


def _printed_year(
    spec: PeriodSpec, fact: Fact, row: Row, fy_end: int, balance_years: frozenset[int]
) -> bool:
    """A figure for the year the question prints, when no figure of its row is the period
    asked: "October 31, 2019" in a table headed only "2019" of a filing that dates no balance
    in 2019 (one that does, a 10-Q's June 30, 2019, is asked for that day), or "2020" for the
    balance at January 3, 2020 (the end of fiscal 2019 by the calendar of 52-week years)."""
    period = fact.period
    if period is None or any(
        f.period is not None and matches(spec, f.period, fy_end) for f in row.facts
    ):
        return False
    if spec.kind == "instant" and spec.date is not None:
        return (
            fiscal_year_of_label(period) == spec.date.year
            and bool(_BARE_YEAR.fullmatch(fact.column or ""))
            and spec.date.year not in balance_years
        )
    if spec.kind == "bare_year" and period.kind == "instant":
        return period.end.year == spec.fiscal_year
    if spec.kind == "ended" and spec.date is not None and period.kind == "instant":
        # "for the year ended December 31, 2019" over a column headed "December 31, 2019"
        # alone (its "Year Ended" lost): the column of that day, in a row whose days are a
        # year apart (not a quarterly table's "September 30, 2019" for nine months ended)
        days = {
            (f.period.end.month, f.period.end.day, f.period.end.year)
            for f in row.facts
            if f.period is not None and f.period.kind == "instant"
        }
        yearly = len(days) >= 2 and len({(m, d) for m, d, _ in days}) == 1
        return (
            spec.months == 12
            and yearly
            and same_day(period.end, spec.date)
            and not _AS_OF.search(fact.column or "")
        )
    if spec.kind == "year_end" and fact.statement not in _FLOW_STATEMENTS:
        # "2019 year end" in a table of years: that year's column, unless the table is of
        # flows (a cash flow statement's "2019" is the year's change)
        return fiscal_year_of_label(period) == spec.fiscal_year
    return False


def _recency_penalty(period: Period) -> float:
    """Without a period in the question, the latest figure wins; quarters before years."""
    months = months_of(period) or 0
    return 0.001 * max(0, 40000 - period.end.toordinal() // 10) / 100 + (
        0.001 if months >= 12 else 0
    )


def table_key(fact: Fact) -> tuple[str, object]:
    """Which table of which document a figure is printed in."""
    return (fact.doc_id, fact.table_index if fact.table_index is not None else fact.table)


@dataclass
class _Tables:
    """Per table: where it starts and ends, its rows (start, label) in print order, the rows
    themselves in that order, and for each row's label the totals it sums to."""

    starts: dict[tuple[str, object], int] = field(default_factory=dict)
    ends: dict[tuple[str, object], int] = field(default_factory=dict)
    doc_starts: dict[str, list[int]] = field(default_factory=dict)  # every table's, per filing
    rows: dict[tuple[str, object], list[tuple[int, str]]] = field(default_factory=dict)
    members: dict[tuple[str, object], list[Row]] = field(default_factory=dict)
    sums: dict[tuple[str, object], dict[str, tuple[str, ...]]] = field(default_factory=dict)


_ASKS_TOTAL = re.compile(r"\b(?:total|combined|together|all|sum|aggregate)\b", re.I)


_POINTS_BACK = re.compile(r"\s*(?:this|that|these|those|such|it)\b", re.I)


# a roll-forward's closing balance: "balance at end of year", "balance at december 31"
_CLOSING_ROW = re.compile(
    rf"(?:ending |closing )?balances?,?\s+(?:at|as of)?\s*(?:the\s+)?(?:end\s+of\s+(?:the\s+)?"
    rf"(?:fiscal\s+)?(?:year|period)|(?:{MONTH_RE})\s+\d{{1,2}}(?:,?\s*(?:19|20)\d\d)?)\s*:?"
    r"|(?:ending|closing) balances?\s*:?",
    re.I,
)
_TOTAL_ROW = re.compile(r"(?:sub)?totals?\s*:?", re.I)
_LEAD_IN = re.compile(r"\b(?:following|below|above)\b|\btables?\b|:\s*\.?\s*$", re.I)
_BALANCE_WORDS = frozenset(tokens("balance balances value values ending closing end"))
_TIE = 0.002  # two readings this close are equally good


# a figure whose row's words match the question under _WEAK shares only a word or two with
# it, and one whose fit after the period, basis and unit checks is under _WEAK_FIT fits
# badly: refusing beats guessing (golden: 2 fewer correct for about 15 fewer wrong)
_WEAK = 0.15


_WEAK_FIT = 0.1


class Ambiguous(Exception):
    def __init__(self, facts: list[Fact]) -> None:
        super().__init__("ambiguous")
        self.facts = facts


class Missing(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
