"""What a question is about besides its words: which filings, and what a follow-up carries.

:func:`documents` applies the caller's filters; :func:`companies_named` narrows them to the
companies the question names ("Apple's", "JNPR"); :func:`follow_up` fills a vague follow-up
("And in 2006?", "what about its margin?") from the conversation and :func:`remember` keeps an
answered question's measures and periods for the next one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .compose import MAX_QUESTION
from .corpus import Corpus
from .models import Conversation, Filters
from .periods import PeriodSpec
from .understand import Intent
from .verify import is_vague

_LEGAL_WORDS = frozenset(
    ["the", "inc", "inc.", "corp", "corporation", "company", "co", "plc", "ltd", "llc", "group"]
)
_COMMON_FIRST_WORDS = frozenset(
    ["international", "general", "united", "american", "national", "first", "global", "new"]
)


def documents(corpus: Corpus, filters: Filters) -> set[str]:
    """The ingested filings the filters allow: a document id (or its first six characters or
    more), a file name, a company name or a ticker."""
    docs = set(corpus.documents)
    if filters.doc:
        key = filters.doc
        docs = {
            d
            for d, r in corpus.documents.items()
            if key in (d, r.document) or (len(key) >= 6 and d.startswith(key))
        }
    if filters.company:
        key = filters.company.lower()
        docs = {
            d
            for d in docs
            if key in (corpus.documents[d].company or "").lower()
            or key == (corpus.documents[d].ticker or "").lower()
        }
    return docs


def companies_named(corpus: Corpus, question: str, doc_ids: set[str]) -> set[str]:
    """The documents of the companies (or tickers) the question names; empty when it names
    none, or all of them."""
    words = {re.sub(r"(?:'|’)s$", "", w) for w in re.findall(r"[a-z0-9.&'’-]+", question.lower())}
    words |= {w.rstrip(".") for w in words}
    named = set()
    for doc_id in doc_ids:
        record = corpus.documents.get(doc_id)
        if record is not None and company_keys(record.company, record.ticker) & words:
            named.add(doc_id)
    return named if named != doc_ids else set()


def company_keys(company: str | None, ticker: str | None) -> set[str]:
    """How a question may name a company: "Apple", "McDonald's", "Amazon", "IBM", "JNPR"."""
    keys = {ticker.lower()} if ticker else set()
    words = [
        w
        for w in re.findall(r"[a-z0-9&'’-]+", (company or "").lower().replace(".com", ""))
        if w not in _LEGAL_WORDS
    ]
    if words:
        first = re.sub(r"(?:'|’)s$", "", words[0])
        if first not in _COMMON_FIRST_WORDS and len(first) > 2:
            keys.add(first)
        if len(words) >= 3:
            keys.add("".join(w[0] for w in words))  # International Business Machines: ibm
    return keys


def follow_up(intent: Intent, conversation: Conversation | None) -> Intent:
    """A vague follow-up takes the conversation's measures; one without periods, its last
    period (or its last two, for a change)."""
    if conversation is None:
        return intent
    metrics = intent.metrics
    vague = not metrics or all(is_vague(m) for m in metrics)
    if vague and conversation.metrics:
        metrics = conversation.metrics
    periods = intent.periods
    if not periods and conversation.periods:
        if (
            intent.operation in ("percent_change", "difference", "cagr")
            and len(conversation.periods) >= 2
        ):
            periods = conversation.periods[-2:]
        else:
            periods = conversation.periods[-1:]
    operation = intent.operation
    if operation == "narrative" and metrics:
        operation = "lookup"
    return replace(intent, metrics=metrics, periods=periods, operation=operation)


def remember(conversation: Conversation, intent: Intent) -> None:
    """An answered question's measures and its last two absolute periods, for the next."""
    conversation.metrics = intent.metrics or conversation.metrics
    new = [p for p in intent.periods if p.kind != "relative"]
    if new:
        said = {same_period(p) for p in new}
        kept = [p for p in conversation.periods if same_period(p) not in said]
        conversation.periods = tuple([*kept, *new][-2:])


def same_period(spec: PeriodSpec) -> tuple[object, ...]:
    """A period as a value, whatever question said it ("in 2007" in turn 2 and turn 4)."""
    return (spec.kind, spec.fiscal_year, spec.quarter, spec.months, spec.date, spec.relative)


def unanswerable(text: str, corpus: Corpus) -> str | None:
    """Why a question cannot be asked at all: empty, too long, or nothing ingested."""
    if not text:
        return "The question is empty; ask about a figure or a fact."
    if len(text) > MAX_QUESTION:
        return (
            f"The question is {len(text):,} characters long; crossfoot reads questions of "
            f"up to {MAX_QUESTION:,} characters. Ask about one figure or fact at a time."
        )
    if not corpus.documents:
        return "No filings are ingested yet; run `crossfoot ingest PATH` first."
    return None


def filings(
    corpus: Corpus, text: str, filters: Filters, conversation: Conversation | None
) -> set[str]:
    """The filings a question is about: those the filters allow, narrowed to the company it
    names ("Who signed Apple's 10-Q?"), else to the conversation's ("And in 2006?")."""
    doc_ids = documents(corpus, filters)
    if named := companies_named(corpus, text, doc_ids) if doc_ids else set():
        return named
    if conversation is not None and conversation.doc_ids and doc_ids & conversation.doc_ids:
        return doc_ids & set(conversation.doc_ids)
    return doc_ids
