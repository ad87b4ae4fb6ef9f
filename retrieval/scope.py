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
from .periods import PeriodSpec, find_periods
from .understand import PER_SHARE, Intent
from .verify import content_terms, is_vague

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


def follow_up(intent: Intent, conversation: Conversation | None, shortened: bool = False) -> Intent:
    """A vague follow-up takes the conversation's measures; one without periods, its last
    period (or its last two, for a change). With ``shortened``, so does a follow-up that
    names the earlier measure by fewer of its words ("the price" after "the price of lkq
    corporation"), which the engine asks when the measure as named finds no figure."""
    if conversation is None:
        return intent
    metrics = intent.metrics
    vague = not metrics or all(
        is_vague(m) or (shortened and _shortened(m, conversation.metrics)) for m in metrics
    )
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
    carried = metrics if metrics != intent.metrics else ()
    # "what was the value in 2016?" after "net earnings for basic and diluted eps": the
    # carried measure is per share when it says so, though the follow-up does not (one
    # that names the measure by fewer words, "the total of dividends paid", says what it is)
    per_share = intent.per_share or (
        not intent.counts_shares
        and all(is_vague(m) for m in intent.metrics)
        and any(PER_SHARE.search(m) for m in carried)
    )
    return replace(
        intent,
        metrics=metrics,
        periods=periods,
        operation=operation,
        carried=carried,
        per_share=per_share,
    )


# "the first quarter" with no year after it
_BARE_QUARTER = re.compile(
    r"\b(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?quarter\b"
    r"(?!\s*(?:of\s+|,\s*)?(?:fiscal\s+)?(?:19|20)\d\d)",
    re.I,
)


def dated_quarters(ask: str, conversation: Conversation | None) -> str:
    """ "what was the high price in the first quarter?" after "the second quarter of 2016":
    a quarter named without a year is of the year the conversation was last about."""
    if conversation is None or not conversation.periods or not _BARE_QUARTER.search(ask):
        return ask
    year = conversation.periods[-1].fiscal_year
    if year is None or any(p.relative != "this_years_quarter" for p in find_periods(ask)):
        return ask  # the question dates something itself
    return _BARE_QUARTER.sub(lambda m: f"{m.group(0)} of {year}", ask)


def _shortened(metric: str, earlier: tuple[str, ...]) -> bool:
    """ "the price" after "the price of lkq corporation": the earlier measure, named by fewer
    of its own words."""
    if _WHOLE.search(metric):
        return False  # "the full total of notes payable" after a part of them: the whole
    # every word of it the earlier measure's, operation words too ("the net added to the
    # costs" asks for more than "development costs")
    if not content_terms(metric):
        return False
    named = content_terms(metric, operations=True)
    return any(named < content_terms(e, operations=True) for e in earlier)


_WHOLE = re.compile(r"\b(?:total|full|whole|all|overall|combined|entire)\b", re.I)


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
        return reported_in(corpus, text, _subject(corpus, text, named))
    if conversation is not None and conversation.doc_ids and doc_ids & conversation.doc_ids:
        return doc_ids & set(conversation.doc_ids)
    companies = {frozenset(company_keys(corpus.documents[d].company, None)) for d in doc_ids}
    if len(companies) == 1:  # one company's reports, by a company filter: the one asked about
        return reported_in(corpus, text, doc_ids)
    return doc_ids


_COMPARES = re.compile(
    r"\b(?:or|versus|vs\.?|compared?|comparison|than|both|each|combined|together|between)\b", re.I
)


def _subject(corpus: Corpus, text: str, doc_ids: set[str]) -> set[str]:
    """Of several companies a question names, the one it is about: the first named ("How much
    did Intel sell to Apple Inc.?" is Intel's), unless it compares them."""
    # one company whatever its filings call it ("INTEL CORPORATION", "Intel Corporation")
    keys = {d: frozenset(company_keys(corpus.documents[d].company, None)) for d in doc_ids}
    if len(set(keys.values())) < 2 or _COMPARES.search(text):
        return doc_ids
    lowered = text.lower()

    def first_named(company: frozenset[str]) -> int:
        places = [m.start() for k in company for m in re.finditer(rf"\b{re.escape(k)}", lowered)]
        return min(places, default=len(lowered))

    subject = min(set(keys.values()), key=first_named)
    return {d for d in doc_ids if keys[d] == subject}


_DOCUMENT_NAMED = re.compile(
    r"\b(?:fiscal\s+(?:year\s+)?|fy\s?)?(?P<year>(?:19|20)\d\d)\s+(?:form\s+)?"
    r"(?P<form>10-k|10-q|annual\s+report|quarterly\s+report)\b",
    re.I,
)


def reported_in(corpus: Corpus, text: str, doc_ids: set[str]) -> set[str]:
    """Of one company's filings, the report a question is about: the one it names ("its
    fiscal 2019 10-K"), else the one covering the latest period it asks for (a quarterly
    report for a quarter, an annual one for a year), else the earliest later report that
    prints that period among its comparatives. All of them when none decides."""
    if len(doc_ids) < 2:
        return doc_ids
    periods = {d: _period_of(corpus.documents[d].period) for d in doc_ids}
    forms = {d: (corpus.documents[d].form or "").upper() for d in doc_ids}
    named = _DOCUMENT_NAMED.search(text)
    if named:
        year, form = int(named.group("year")), named.group("form").lower()
        quarterly = "q" in form
        chosen = {d for d in doc_ids if periods[d][0] == year and ("10-Q" in forms[d]) == quarterly}
        return chosen or doc_ids
    asked = [s for s in find_periods(text) if s.fiscal_year or s.date]
    if not asked:
        return doc_ids
    latest = max(asked, key=lambda s: s.fiscal_year or (s.date.year if s.date else 0))
    year = latest.fiscal_year or (latest.date.year if latest.date else 0)
    quarterly = latest.kind in ("quarter", "ytd") or (latest.months or 12) < 12
    exact = {d for d in doc_ids if periods[d][0] == year and periods[d][1] == quarterly}
    if exact:
        return exact
    same_year = {d for d in doc_ids if periods[d][0] == year}
    if same_year:
        return same_year
    later = sorted((periods[d][0], d) for d in doc_ids if periods[d][0] > year)
    if later:
        first = later[0][0]
        return {d for y, d in later if y == first}
    return doc_ids


def _period_of(period: str | None) -> tuple[int, bool]:
    """A report's period ("FY2019", "Q3 FY2023", "Q4 2007") as (fiscal year, quarterly)."""
    found = re.search(r"(?:19|20)\d\d", period or "")
    return (
        int(found.group(0)) if found else 0,
        bool(re.match(r"\s*(?:Q[1-4]|\d+M)\b", period or "")),
    )
