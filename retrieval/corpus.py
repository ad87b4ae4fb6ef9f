"""What the query side holds in memory: every committed document's rows of figures and its
narrative sentences, read once from the store (the store stays the one source of truth).

A :class:`Row` is one table row of one document (its figures across all periods), or the
figures one sentence states about one subject.  A :class:`Sentence` is one sentence of a
narrative chunk, with its offsets into the document text for citations.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.facts import sentences as split_sentences
from ingest.models import Fact, TextBlock
from ingest.periods import FiscalYearEnd, effective_month
from ingest.store import DocumentRecord, Store

if TYPE_CHECKING:
    from ingest.pipeline import Prepared

_FY_LABEL = re.compile(r"^FY\d{4}$")


@dataclass(frozen=True)
class Row:
    doc_id: str
    document: str
    table: str | None
    path: tuple[str, ...]
    facts: tuple[Fact, ...]

    @property
    def label(self) -> str:
        return " > ".join(self.path)


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    document: str
    text: str
    section: tuple[str, ...]
    char_start: int
    char_end: int
    page: int | None


@dataclass
class Corpus:
    documents: dict[str, DocumentRecord]
    rows: list[Row]
    sentences: list[Sentence]
    fy_end_month: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store) -> Corpus:
        records = {r.doc_id: r for r in store.records()}
        ids = list(records)
        facts = list(store.iter_facts(ids)) if ids else []
        return cls.build(records, facts, _sentences(store, ids))

    @classmethod
    def build(
        cls, records: dict[str, DocumentRecord], facts: list[Fact], sentences: list[Sentence]
    ) -> Corpus:
        grouped: dict[tuple[str, int | None, str | None, tuple[str, ...]], list[Fact]] = (
            defaultdict(list)
        )
        for fact in facts:
            path = fact.row_path or (fact.row,)
            grouped[(fact.doc_id, fact.table_index, fact.table, path)].append(fact)
        rows = [
            Row(doc_id, members[0].document, table, path, tuple(members))
            for (doc_id, _, table, path), members in grouped.items()
        ]
        return cls(records, rows, sentences, _fiscal_year_ends(facts))

    @classmethod
    def prepared(cls, *documents: Prepared) -> Corpus:
        """The corpus of documents parsed but not stored (no embeddings): the TAT-QA adapter
        and tests that need a query side over a few filings."""
        return cls.build(
            {d.record.doc_id: d.record for d in documents},
            [fact for d in documents for fact in d.facts],
            [
                sentence
                for d in documents
                for c in d.chunks
                if c.kind == "narrative"
                for sentence in chunk_sentences(
                    c.doc_id, c.document, c.text, c.section, c.char_start, c.char_end, c.page
                )
            ],
        )

    def period_labels(self, doc_ids: set[str] | None = None) -> list[str]:
        """The periods the figures cover, most recent first (for not_found messages)."""
        seen: dict[str, tuple[int, str]] = {}
        for row in self.rows:
            if doc_ids is not None and row.doc_id not in doc_ids:
                continue
            for fact in row.facts:
                if fact.period and fact.period.kind == "duration" and fact.period.label:
                    seen[fact.period.label] = (fact.period.end.toordinal(), fact.period.label)
        return [label for _, label in sorted(seen.values(), reverse=True)]


def _fiscal_year_ends(facts: list[Fact]) -> dict[str, int]:
    """Each document's fiscal year-end month, read off its fiscal-year periods."""
    months: dict[str, int] = {}
    for fact in facts:
        period = fact.period
        if period and _FY_LABEL.match(period.label) and fact.doc_id not in months:
            year, month = effective_month(period.end)
            # a year ending in January named by the year it ends in ("FY2023" ended
            # January 31, 2023) keeps that naming for the questions' fiscal years
            named = int(period.label[2:]) == year if month <= 2 else None
            months[fact.doc_id] = FiscalYearEnd(month, named_by_end=named)
    # a document with balances only: every balance date in one month, over two or more years
    # ("30 June 2019", "30 June 2018"), dates its fiscal years
    balances: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for fact in facts:
        if fact.doc_id not in months and fact.period and fact.period.kind == "instant":
            balances[fact.doc_id].add(effective_month(fact.period.end))
    for doc_id, year_months in balances.items():
        if len({m for _, m in year_months}) == 1 and len(year_months) >= 2:
            months[doc_id] = next(iter(year_months))[1]
    return months


def _sentences(store: Store, doc_ids: list[str]) -> list[Sentence]:
    if not doc_ids:
        return []
    by_doc = store.doc_filter(doc_ids)
    where = {"$and": [by_doc, {"kind": "narrative"}]} if by_doc else {"kind": "narrative"}
    got = store.get_all(store.chunks, where, ["documents", "metadatas"])
    wanted = set(doc_ids)
    out: list[Sentence] = []
    for text, meta in zip(got["documents"], got["metadatas"], strict=True):
        if meta["doc_id"] not in wanted:
            continue
        page = meta.get("page")
        out.extend(
            chunk_sentences(
                meta["doc_id"],
                meta["document"],
                text,
                tuple(s for s in str(meta.get("section", "")).split(" > ") if s),
                int(meta.get("char_start", 0)),
                int(meta.get("char_end", 0)),
                int(page) if page is not None else None,
            )
        )
    return out


def chunk_sentences(
    doc_id: str,
    document: str,
    text: str,
    section: tuple[str, ...],
    start: int,
    end: int,
    page: int | None,
) -> list[Sentence]:
    """The sentences of one narrative chunk; each is cited by its chunk's span in the
    document text and quoted verbatim."""
    out: list[Sentence] = []
    for paragraph in text.split("\n\n"):
        block = TextBlock("paragraph", paragraph, 0, len(paragraph))
        for sentence_start, sentence_end in split_sentences(block):
            sentence = paragraph[sentence_start:sentence_end].strip()
            if len(sentence) >= 12:
                out.append(Sentence(doc_id, document, sentence, section, start, end, page))
    return out
