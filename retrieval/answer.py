"""``answer(question, filters, conversation) -> Answer``: the one function every entry point calls.

Offline and deterministic: :mod:`retrieval.understand` reads the question, :mod:`retrieval.search`
finds the rows and sentences, this module picks the figures for the asked periods, builds a
program for :mod:`retrieval.calculator`, and words the answer with a citation for every figure.
When the figure or the period is not in the filings it says ``not_found`` and names what is
there; it never guesses.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import partial

from ingest.facts import fact_id
from ingest.models import Fact, Period

from .calculator import Node, Quantity, Step
from .compose import (
    ASKED_LENGTH,
    MAX_QUESTION,
    cite,
    compare_answer,
    computed,
    display,
    figure_name,
    lookup_answer,
    not_found,
    period_words,
    quantity,
    sentence_citation,
    which_answer,
    yes_or_no,
)
from .corpus import Corpus, Row, Sentence
from .dense import DenseIndex
from .errors import CalculationError
from .llm import LanguageModel
from .models import Answer, Citation, Conversation, Filters, Refusal, Value
from .periods import (
    MONTHS,
    ORDINAL,
    PeriodSpec,
    find_periods,
    fiscal_year_of_label,
    matches,
    months_of,
    shift,
)
from .prose import Mention, Pick, dates_in, loose, loose_word, mentions, pick, wanted_unit
from .search import GENERIC, RowIndex, Scored, SentenceIndex, normalise, tokens
from .understand import FIGURE_WORDS, Intent, metric_phrase, understand
from .verify import Check, features, is_vague, passage_answers, probability, verify

__all__ = [
    "Answer",
    "Citation",
    "Conversation",
    "Engine",
    "Filters",
    "Refusal",
    "Value",
    "answer",
    "cite",
    "display",
]

MIN_CONFIDENCE = 0.2  # below it an answer is not_found; see evals/fit_confidence.py and the README
DENSE_BOOST = 0.1  # added to a word match the embeddings also rank near the metric
DENSE_MIN = 0.75  # cosine similarity a row found only by the embeddings needs
DENSE_ONLY = 0.3  # its score per unit of similarity


class Engine:
    """The in-memory query side over one store's corpus."""

    def __init__(
        self,
        corpus: Corpus,
        llm: LanguageModel | None = None,
        dense: DenseIndex | None = None,
        min_confidence: float | None = None,
    ) -> None:
        self.corpus = corpus
        self.min_confidence = min_confidence
        self.refused: Counter[str] = Counter()  # refusals by rule, since the engine was built
        self.llm = llm
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
        self._lower: dict[str, set[str]] = {}
        self._muddled: dict[int, set[tuple[str, str]]] = {}
        self._captions: dict[tuple[str, object], str] = {}
        self._table_index: _Tables | None = None
        self._by_doc: dict[str, list[Sentence]] = {}
        self._sentence_named: dict[tuple[str, str], Sentence] = {}
        self._latest: dict[frozenset[str], date | None] = {}
        # how each figure chosen for a table row was bound: (word match, fit after the
        # period, basis and unit checks, lead over the runner-up), for the confidence
        self._binding: dict[str, tuple[float, float, float]] = {}

    def answer(
        self,
        question: str,
        filters: Filters | None = None,
        conversation: Conversation | None = None,
        qid: str | None = None,
    ) -> Answer:
        started = time.perf_counter()
        result = self._answer(question, filters or Filters(), conversation)
        if self.llm is not None and result.status == "answered":
            result = self.llm.word(question, result)
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        return Answer(
            question=question[:MAX_QUESTION],
            status=result.status,
            answer=result.answer,
            value=result.value,
            program=result.program,
            citations=result.citations,
            conversation_id=conversation.id if conversation else None,
            id=qid,
            timings_ms={"total": elapsed},
            confidence=result.confidence,
            operands=result.operands,
            kind=result.kind,
            features=result.features,
        )

    # ------------------------------------------------------------------ the steps
    def _answer(self, question: str, filters: Filters, conversation: Conversation | None) -> Answer:
        text = " ".join(question.split())
        if not text:
            return not_found(question, "The question is empty; ask about a figure or a fact.")
        if len(text) > MAX_QUESTION:
            return not_found(
                question,
                f"The question is {len(text):,} characters long; crossfoot reads questions of "
                f"up to {MAX_QUESTION:,} characters. Ask about one figure or fact at a time.",
            )
        if not self.corpus.documents:
            return not_found(
                question, "No filings are ingested yet; run `crossfoot ingest PATH` first."
            )
        doc_ids = self._documents(filters)
        if not doc_ids:
            return not_found(
                question, f"No ingested filing matches {filters.doc or filters.company!r}."
            )
        named = self._companies_named(text, doc_ids)
        if named:
            # "Who signed Apple's 10-Q?": the company the question names is a filter
            doc_ids = named
        elif conversation is not None and conversation.doc_ids and doc_ids & conversation.doc_ids:
            # "And in 2006?": the filings the conversation is about
            doc_ids = doc_ids & set(conversation.doc_ids)
        intent = understand(text)
        intent = _follow_up(intent, conversation)
        if conversation is not None:
            conversation.doc_ids = frozenset(doc_ids)
        if intent.operation == "narrative" or (
            not intent.metrics and not intent.derived and intent.operation == "lookup"
        ):
            return self._narrative(question, doc_ids)
        result = self._figures(intent, doc_ids)
        if result.status == "not_found" and self.llm is not None and intent.metrics:
            proposed = self._proposed(intent, doc_ids)
            if proposed is not None:
                checked = self._checked(intent, doc_ids, proposed)
                result = checked if checked.status == "answered" else result
        if result.status == "not_found" and (
            (intent.operation == "lookup" and _WORDY.match(question))
            or not FIGURE_WORDS.search(question)
        ):
            # no table row carries it: the words of the filing may ("How quickly...", "Until
            # what date...")
            words = self._narrative(question, doc_ids, strict=True)
            if words.status == "answered":
                return words
        if conversation is not None and result.status == "answered":
            conversation.metrics = intent.metrics or conversation.metrics
            new = [p for p in intent.periods if p.kind != "relative"]
            if new:
                said = {_same_period(p) for p in new}
                kept = [p for p in conversation.periods if _same_period(p) not in said]
                conversation.periods = tuple([*kept, *new][-2:])
        return result

    def _table_context(self, fact: Fact, question: str = "") -> str:
        """What a figure's surroundings say of it: for a table cell, the text printed just
        before its table (its caption or lead-in, up to two sentences within 600 characters
        of its first cell) and the totals its row adds up to; for a sentence that opens with
        "This number ..." or "These ...", the sentence before."""
        if fact.kind == "sentence":
            if not _POINTS_BACK.match(fact.row):
                return ""
            previous = self._neighbour(fact.doc_id, fact.row, -1)
            return previous.text if previous is not None else ""
        key = _table_key(fact)
        cached = self._captions.get(key)
        if cached is None:
            start = self._tables().starts.get(key, fact.char_start)
            cached = " ".join(s.text for s in self._sentences_before(fact.doc_id, start, 600)[-2:])
            self._captions[key] = cached
        return f"{cached} {self._totals_above(fact, question)} {self._reconciled(fact)}"

    def _tables(self) -> _Tables:
        """Where each table starts, its rows in print order and the totals each row sums to,
        read from the corpus once."""
        if self._table_index is None:
            tables = _Tables()
            for row in self.corpus.rows:
                first = row.facts[0]
                key = _table_key(first)
                tables.sums.setdefault(key, {})[row.path[-1].lower() if row.path else ""] = tuple(
                    c.split(":", 1)[1] for c in first.checks if c.startswith("sums_to:")
                )
                if first.kind != "sentence":
                    tables.rows.setdefault(key, []).append((first.char_start, row.label))
                for f in row.facts:
                    if f.kind != "sentence":
                        k = _table_key(f)
                        start = tables.starts.get(k)
                        if start is None or f.char_start < start:
                            tables.starts[k] = f.char_start
            for rows in tables.rows.values():
                rows.sort()
            self._table_index = tables
        return self._table_index

    def _reconciled(self, fact: Fact) -> str:
        """In a reconciliation table, the measures an adjustment row stands between: the
        nearest "GAAP ..." row above it and "Non-GAAP ..." row below it ("Other charges -
        stock option investigation costs" is excluded from non-GAAP operating income)."""
        if not fact.table or "reconcil" not in fact.table.lower():
            return ""
        rows = self._tables().rows.get(_table_key(fact), [])
        above = [label for start, label in rows if start < fact.char_start]
        below = [label for start, label in rows if start > fact.char_start]
        gaap = next((x for x in reversed(above) if re.match(r"gaap\b", x, re.I)), "")
        non_gaap = next((x for x in below if re.match(r"non[- ]?gaap\b", x, re.I)), "")
        return f"{gaap} {non_gaap}"

    def _sentences_before(self, doc_id: str, start: int, within: int) -> list[Sentence]:
        """The document's sentences that end before ``start``, less than ``within``
        characters before it, in order."""
        if not self._by_doc:
            for sentence in self.corpus.sentences:
                self._by_doc.setdefault(sentence.doc_id, []).append(sentence)
        ends = self._by_doc.get(doc_id, [])
        return [s for s in ends if s.char_end <= start and start - s.char_end < within]

    def _totals_above(self, fact: Fact, question: str = "") -> str:
        """The labels of the totals a figure's row adds up to, checked at ingestion
        ("Software maintenance" sums to "Total services", which sums to "Total revenue")."""
        table = self._tables().sums.get(_table_key(fact), {})
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

    def _companies_named(self, question: str, doc_ids: set[str]) -> set[str]:
        """The documents of the companies (or tickers) the question names."""
        words = {
            re.sub(r"(?:'|’)s$", "", w) for w in re.findall(r"[a-z0-9.&'’-]+", question.lower())
        }
        words |= {w.rstrip(".") for w in words}
        named = set()
        for doc_id in doc_ids:
            record = self.corpus.documents.get(doc_id)
            if record is not None and _company_keys(record.company, record.ticker) & words:
                named.add(doc_id)
        return named if named != doc_ids else set()

    def _documents(self, filters: Filters) -> set[str]:
        docs = set(self.corpus.documents)
        if filters.doc:
            key = filters.doc
            docs = {
                d
                for d, r in self.corpus.documents.items()
                if key in (d, r.document) or (len(key) >= 6 and d.startswith(key))
            }
        if filters.company:
            key = filters.company.lower()
            docs = {
                d
                for d in docs
                if key in (self.corpus.documents[d].company or "").lower()
                or key == (self.corpus.documents[d].ticker or "").lower()
            }
        return docs

    def _who(self, question: str, doc_ids: set[str]) -> Answer | None:
        """ "Who signed the 10-Q?", "Who is the CFO contact?": the person named in or right
        next to the lines the question's words point to (a signature block, a contact list)."""
        names = self._names(doc_ids)
        # "for the quarter ended June 28, 2025" says which filing, not where the name is
        asked = question
        for period in sorted(find_periods(question), key=lambda p: p.start, reverse=True):
            asked = asked[: period.start] + " " + asked[period.end :]
        # the filing's own name ("Form 10-Q", "the release") says which document, not where
        ignore = names | _FILING_WORDS
        scores = self.sentences.scores(asked, doc_ids, ignore=ignore)
        if not scores:
            return None
        sentences = self.corpus.sentences
        best: tuple[float, int, str] | None = None
        for index, sentence in enumerate(sentences):
            if sentence.doc_id not in doc_ids:
                continue
            person = _person(sentence.text, self._lowercase_words(sentence.doc_id), names)
            if person is None:
                continue
            # a label line before a name ("Investor Relations:") tells most, a title after it;
            # a label belongs to the names after it, up to the next label
            score = scores.get(index, 0.0)
            for step, weights in ((-1, (1.0, 0.6)), (1, (0.8, 0.5))):
                for distance, weight in enumerate(weights, 1):
                    other = index + step * distance
                    if not (0 <= other < len(sentences) and _near(sentences[other], sentence)):
                        break
                    label = sentences[other].text.rstrip().endswith(":")
                    if label and step > 0:
                        break
                    score += weight * scores.get(other, 0.0)
                    if label:
                        break
            if best is None or score > best[0]:
                best = (score, index, person)
        top = max(scores.values())
        if best is None or best[0] < 0.5 * top:
            return None
        _, index, person = best
        window = [
            sentences[i]
            for i in range(max(0, index - 2), min(len(sentences), index + 3))
            if _near(sentences[i], sentences[index])
        ]
        quoted = " ".join(s.text for s in window)
        return Answer(
            question=question,
            status="answered",
            answer=f"{person}: “{quoted}”",
            citations=(sentence_citation(sentences[index]),),
        )

    def _lowercase_words(self, doc_id: str) -> set[str]:
        """Words the document prints in lower case: "Financial" is a word, "Parekh" a name."""
        cached = self._lower.get(doc_id)
        if cached is None:
            cached = set()
            for sentence in self.corpus.sentences:
                if sentence.doc_id == doc_id:
                    cached |= set(re.findall(r"\b[a-z][a-z'’-]+\b", sentence.text))
            self._lower[doc_id] = cached
        return cached

    def _narrative(self, question: str, doc_ids: set[str], strict: bool = False) -> Answer:
        """A passage (or a person) that answers the question in words, if one passes
        :func:`~retrieval.verify.passage_answers`."""
        found = self._passage(question, doc_ids, strict)
        if found.status != "answered":
            return found
        check = Check(question, understand(question), self._names(doc_ids), self.sentences.idf)
        refusal = passage_answers(check, f"{found.answer} {self._next_sentences(found)}")
        if refusal is not None:
            self.refused[refusal.rule] += 1
            return not_found(question, refusal.reason)
        return found

    def _next_sentences(self, found: Answer) -> str:
        """The sentence after each one a passage answer quotes: "shared the following
        message with eBay employees" is about what the next sentence says."""
        after = (self._neighbour(c.doc_id, c.as_printed, 1) for c in found.citations)
        return " ".join(s.text for s in after if s is not None)

    def _neighbour(self, doc_id: str, text: str, step: int) -> Sentence | None:
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

    def _passage(self, question: str, doc_ids: set[str], strict: bool = False) -> Answer:
        if re.match(r"\s*who\b", question, re.I):
            person = self._who(question, doc_ids)
            if person is not None:
                return person
        names = self._names(doc_ids)
        hits = self.sentences.search(question, doc_ids, limit=3, ignore=names)
        needed = 0.6 if strict else 0.4
        if not hits or self.sentences.coverage(question, hits[0][0], names) < needed:
            return not_found(
                question,
                "The indexed filings do not say; no passage answers this question.",
            )
        hits = [(s, score) for s, score in hits if len(s.text.split()) >= 5] or hits
        best = [s for s, score in hits if score >= 0.6 * hits[0][1]][:2]
        if re.fullmatch(r"\(.*\)", best[0].text.strip()):
            # a cover page's caption, "(Address of principal executive office)", names the
            # line printed above it
            above = self._before(best[0])
            if above is not None:
                return Answer(
                    question=question,
                    status="answered",
                    answer=f"“{above.text}” {best[0].text}",
                    citations=(sentence_citation(above), sentence_citation(best[0])),
                )
        return Answer(
            question=question,
            status="answered",
            answer=" ".join(f"“{s.text}”" for s in best),
            citations=tuple(sentence_citation(s) for s in best),
        )

    def _figures(self, intent: Intent, doc_ids: set[str]) -> Answer:
        foreign = self._foreign(intent.question, doc_ids)
        if foreign:
            return not_found(intent.question, f"The indexed filings do not mention “{foreign}”.")
        try:
            plan = self._plan(intent, doc_ids)
        except _Missing as missing:
            return not_found(intent.question, missing.message)
        except _Ambiguous as ambiguous:
            readings = "; or ".join(
                f"{figure_name(f)} ({f.table or 'text'}){period_words(f)}: "
                f"{display(f.value, f.unit)}"
                for f in ambiguous.facts
            )
            return Answer(
                question=intent.question,
                status="needs_clarification",
                answer=f"Two figures fit equally well; which one do you mean: {readings}?",
                citations=tuple(cite(f) for f in ambiguous.facts),
            )
        except CalculationError as error:
            return not_found(intent.question, f"That cannot be calculated: {error}.")
        return yes_or_no(intent.question, self._checked(intent, doc_ids, plan))

    def _checked(self, intent: Intent, doc_ids: set[str], answer: Answer) -> Answer:
        """The verify stage: every rule passes, and the confidence clears the threshold, or
        the answer is ``not_found`` naming the closest figure."""
        if answer.status != "answered" or not answer.operands:
            return answer
        check = Check(
            intent.question,
            intent,
            self._names(doc_ids),
            self.rows.idf,
            partial(self._table_context, question=intent.question),
            self._binding.get,
        )
        refusal = verify(check, answer)
        values = features(check, answer)
        sure = probability(values)
        answer = replace(answer, features=values)
        threshold = MIN_CONFIDENCE if self.min_confidence is None else self.min_confidence
        if refusal is None and sure < threshold:
            closest = answer.operands[0]
            refusal = Refusal(
                reason=f"The closest figure is “{figure_name(closest)}”{period_words(closest)} "
                f"({display(closest.value, closest.unit)}), but it fits the question too loosely "
                "to give as the answer.",
                rule="confidence",
                closest=closest,
            )
        if refusal is not None:
            self.refused[refusal.rule] += 1
            return replace(
                not_found(intent.question, refusal.reason),
                confidence=sure,  # the rejected reading's
                operands=answer.operands,
                kind=f"refused:{refusal.rule}",
                features=answer.features,
            )
        return replace(answer, confidence=sure)

    # ------------------------------------------------------------------ planning
    def _plan(self, intent: Intent, doc_ids: set[str]) -> Answer:
        specs = self._absolute_periods(intent, doc_ids)
        op = intent.operation
        if intent.derived:
            return self._derived(intent, doc_ids, specs)
        if op == "lookup":
            fact = self._fact(intent.metrics[0], intent, doc_ids, specs[0] if specs else None)
            return lookup_answer(intent, fact)
        if op == "which_period":
            return which_answer(intent, self._which_facts(intent, doc_ids))
        if op == "difference" and len(intent.metrics) == 1 and len(specs) <= 1:
            changed = self._printed_change(intent, doc_ids, specs[0] if specs else None)
            if changed is not None:
                return changed
        if op == "percent_change" and len(intent.metrics) == 1:
            printed = self._printed_growth(intent, doc_ids, specs)
            if printed is not None:
                return printed
        if op in ("percent_change", "difference", "cagr") and len(intent.metrics) == 1:
            earlier, later = self._two_periods(intent, specs)
            old = self._fact(intent.metrics[0], intent, doc_ids, earlier)
            new = self._fact(intent.metrics[0], intent, doc_ids, later, like=old)
            if old.period and new.period and old.period.end > new.period.end:
                old, new = new, old
            a, b = quantity(old), quantity(new)
            if op == "difference":
                step = Step("subtract", (a, b) if intent.decrease and b.value < a.value else (b, a))
                return computed(intent, step, [new, old], "change")
            if op == "cagr":
                years = Decimal(max(1, round((new.period.end - old.period.end).days / 365.25)))  # type: ignore[union-attr]
                program: Node = Step(
                    "subtract",
                    (
                        Step(
                            "exp",
                            (
                                Step("divide", (b, a)),
                                Step("divide", (Quantity.constant(1), Quantity.constant(years))),
                            ),
                        ),
                        Quantity.constant(1),
                    ),
                )
                return computed(intent, program, [new, old], "cagr")
            return computed(
                intent, Step("divide", (Step("subtract", (b, a)), a)), [new, old], "growth"
            )
        spec = specs[0] if specs else None
        if op == "ratio" and len(intent.metrics) == 1 and len(specs) >= 2:
            one = self._fact(intent.metrics[0], intent, doc_ids, specs[0])
            other = self._fact(intent.metrics[0], intent, doc_ids, specs[1], like=one)
            step = Step("divide", (quantity(one), quantity(other)))
            return computed(intent, step, [one, other], "ratio")
        if op in ("ratio", "difference", "compare") and len(intent.metrics) >= 2:
            first = self._fact(intent.metrics[0], intent, doc_ids, spec)
            second = self._fact(intent.metrics[1], intent, doc_ids, spec, like=first)
            if (
                op == "ratio"
                and first.unit == "percent"
                and second.unit == "USD"
                and intent.as_percent
                and re.search(r"revenue|sales", figure_name(second), re.I)
                and re.search(r"%|percent|margin|rate", f"{figure_name(first)} {first.table}", re.I)
                and not self._lacks(intent.metrics[0], first, doc_ids)
            ):
                return lookup_answer(intent, first)  # the filing prints this ratio itself
            if op == "ratio" and first.unit != second.unit and "USD" in (first.unit, second.unit):
                # "net income as a percent of revenue": amounts over amounts, not a printed
                # percentage over an amount
                first = self._fact(intent.metrics[0], intent, doc_ids, spec, unit="USD")
                second = self._fact(
                    intent.metrics[1], intent, doc_ids, spec, like=first, unit="USD"
                )
            a, b = quantity(first), quantity(second)
            if op == "ratio" and intent.as_percent:
                printed = self._printed_percent(intent, first, second, doc_ids, spec)
                if printed is not None:
                    return printed
            if op == "ratio":
                if a.value < 0 < b.value and _EXPENSE.search(figure_name(first)):
                    a = Quantity(abs(a.value), a.unit, a.citations)  # a cost printed as (193)
                return computed(intent, Step("divide", (a, b)), [first, second], "ratio")
            if op == "difference" and intent.over:
                # "(product revenue less product cost of revenues, over product revenue)"
                base = self._fact(intent.over, intent, doc_ids, spec, like=first, unit="USD")
                ratio: Node = Step("divide", (Step("subtract", (a, b)), quantity(base)))
                return computed(intent, ratio, [first, second, base], "formula")
            if op == "difference":
                if b.value < 0 < a.value and _OUTFLOW.search(figure_name(second)):
                    # "operating cash flow minus purchases of property" with the purchase
                    # printed as (146,858): subtract what was spent, not a negative number
                    b = Quantity(abs(b.value), b.unit, b.citations)
                step = Step("subtract", (b, a) if intent.decrease and a.value < b.value else (a, b))
                return computed(intent, step, [first, second], "difference")
            return compare_answer(intent, first, second)
        if op in ("sum", "average"):
            facts: list[Fact] = []
            printed_total = self._printed_total(intent, doc_ids, spec) if op == "sum" else None
            if printed_total is not None:
                return printed_total
            if len(intent.metrics) >= 2:
                for metric in intent.metrics:
                    facts.append(
                        self._fact(metric, intent, doc_ids, spec, like=facts[0] if facts else None)
                    )
            elif intent.all_periods or _is_range(intent, specs) or (not specs and op == "average"):
                facts = self._across_periods(intent.metrics[0], intent, doc_ids, specs)
            elif len(specs) >= 2:
                for each in specs:
                    facts.append(
                        self._fact(
                            intent.metrics[0],
                            intent,
                            doc_ids,
                            each,
                            like=facts[0] if facts else None,
                        )
                    )
            elif op == "average":
                # "the 2019 average inventory": the balance at the start and the end of 2019,
                # i.e. the 2019 and 2018 figures
                earlier, later = self._two_periods(intent, specs)
                facts = [self._fact(intent.metrics[0], intent, doc_ids, later)]
                facts.append(self._fact(intent.metrics[0], intent, doc_ids, earlier, like=facts[0]))
            else:
                # "the aggregate market value ... on September 9, 1999": one figure, read off
                lookup = replace(intent, operation="lookup")
                return lookup_answer(lookup, self._fact(intent.metrics[0], lookup, doc_ids, spec))
            # "cash, cash equivalents and ...": two names of one line are one figure
            facts = list(
                {
                    (figure_name(f).split(" > ")[-1].lower(), f.value, period_words(f)): f
                    for f in reversed(facts)
                }.values()
            )[::-1]
            if len(facts) < 2:
                raise _Missing("The parts named come to one figure; name two different ones.")
            name = "table_sum" if op == "sum" else "table_average"
            if all(f.value < 0 for f in facts) and _AS_SPENT.search(intent.question):
                # "purchases of property ... (as a positive amount spent)": the amounts paid
                quantities = tuple(Quantity(abs(f.value), f.unit, (f.fact_id,)) for f in facts)
                return computed(intent, Step(name, quantities), facts, op)
            return computed(intent, Step(name, tuple(quantity(f) for f in facts)), facts, op)
        if op == "compare" and len(specs) >= 2 and intent.metrics:
            one = self._fact(intent.metrics[0], intent, doc_ids, specs[0])
            other = self._fact(intent.metrics[0], intent, doc_ids, specs[1], like=one)
            return compare_answer(intent, one, other)
        if intent.metrics:
            fact = self._fact(intent.metrics[0], intent, doc_ids, spec)
            return lookup_answer(intent, fact)
        raise _Missing("The question names no figure crossfoot can look up.")

    def _across_periods(
        self, metric: str, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
    ) -> list[Fact]:
        """One figure per period of the best row: every period, or the years of a range."""
        first = self._fact(metric, intent, doc_ids, specs[0] if specs else None)
        row = self._row_of(first)
        years = range(0)
        if len(specs) >= 2 and specs[0].fiscal_year and specs[-1].fiscal_year:
            low, high = sorted((specs[0].fiscal_year, specs[-1].fiscal_year))
            years = range(low, high + 1)
        chosen: dict[str, Fact] = {}
        for fact in row.facts:
            period = fact.period
            if period is None or first.period is None or period.kind != first.period.kind:
                continue
            if months_of(period) != months_of(first.period) or fact.unit != first.unit:
                continue
            if years and fiscal_year_of_label(period) not in years and period.end.year not in years:
                continue
            chosen.setdefault(period.label, fact)
        if len(chosen) < 2:
            raise _Missing(f"“{row.label}” has fewer than two periods to combine.")
        return sorted(chosen.values(), key=_period_end, reverse=True)

    def _row_of(self, fact: Fact) -> Row:
        """The row a figure of the corpus belongs to."""
        return next(r for r in self.rows.rows if fact in r.facts)

    def _which_facts(self, intent: Intent, doc_ids: set[str]) -> list[Fact]:
        """The figures of the best row that a which-period question compares: one per
        period, of the length it asks about ("which year": years or year-end balances;
        "which quarter": quarters), else of the length of the row's best figure."""
        first = self._fact(intent.metrics[0], intent, doc_ids, None)
        row = self._row_of(first)
        asked = ASKED_LENGTH.search(intent.question)
        months = {"year": 12, "quarter": 3}.get(asked.group(1).lower() if asked else "", 0)

        def length(fact: Fact) -> tuple[str, int]:
            assert fact.period is not None
            kind = fact.period.kind
            return kind, 0 if kind == "instant" else months_of(fact.period) or 0

        dated = [f for f in row.facts if f.period is not None and f.unit == first.unit]
        wanted = [f for f in dated if length(f)[1] in (months, 0)] if months else []
        group = length(wanted[0] if wanted else first) if dated else None
        chosen: dict[str, Fact] = {}
        for fact in sorted(dated, key=_period_end, reverse=True):
            if length(fact) == group:
                chosen.setdefault(fact.period.label, fact)  # type: ignore[union-attr]
        if len(chosen) < 2:
            raise _Missing(f"“{row.label}” has fewer than two periods to compare.")
        return list(chosen.values())

    def _proposed(self, intent: Intent, doc_ids: set[str]) -> Answer | None:
        """Let the language model pick the operation and the figures; the calculator computes."""
        assert self.llm is not None
        facts: dict[str, Fact] = {}
        for metric in intent.metrics:
            for scored in self.rows.search(metric, doc_ids, limit=5, ignore=self._names(doc_ids)):
                for fact in scored.row.facts:
                    facts.setdefault(fact.fact_id, fact)
        if not facts:
            return None
        listing = [
            (
                fid,
                f"{figure_name(f)} | {f.period.label if f.period else f.column} | "
                f"{display(f.value, f.unit)}",
            )
            for fid, f in list(facts.items())[:40]
        ]
        proposal = self.llm.propose(intent.question, listing)
        if proposal is None:
            return None
        chosen = [facts[i] for i in proposal.fact_ids]
        quantities = tuple(quantity(f) for f in chosen)
        try:
            if proposal.operation == "lookup" and len(chosen) == 1:
                return lookup_answer(intent, chosen[0])
            if proposal.operation == "percent_change" and len(chosen) == 2:
                new, old = quantities
                growth = Step("divide", (Step("subtract", (new, old)), old))
                return computed(replace(intent, as_percent=True), growth, chosen, "growth")
            if proposal.operation in ("add", "subtract", "divide") and len(chosen) == 2:
                kind = {"add": "sum", "subtract": "difference", "divide": "ratio"}[
                    proposal.operation
                ]
                return computed(intent, Step(proposal.operation, quantities), chosen, kind)
        except CalculationError:
            return None
        return None

    def _with_dense(self, metric: str, doc_ids: set[str], lexical: list[Scored]) -> list[Scored]:
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

    def _printed_percent(
        self, intent: Intent, part: Fact, whole: Fact, doc_ids: set[str], spec: PeriodSpec | None
    ) -> Answer | None:
        """ "Gross margin as a % of revenue": when the filing prints that percentage for the
        same period, cite it rather than recompute it (they can differ in the last digit)."""
        if not re.search(r"revenue|sales", figure_name(whole), re.I) or part.period is None:
            return None
        phrase = f"{figure_name(part).split(' > ')[-1]} as a % of revenue"
        for scored in self.rows.search(phrase, {part.doc_id}, limit=5):
            if scored.score < 0.5 or (
                "%" not in scored.row.label and "percent" not in (scored.row.label.lower())
            ):
                continue
            for fact in scored.row.facts:
                if (
                    fact.unit == "percent"
                    and fact.period is not None
                    and fact.period.label == part.period.label
                    and (fact.basis == part.basis or part.basis is None)
                ):
                    return lookup_answer(intent, fact)
        return None

    def _names(self, doc_ids: set[str]) -> frozenset[str]:
        """Words of the companies' own names: "Intel's net revenue" is about net revenue."""
        words: set[str] = set()
        for doc_id in doc_ids:
            record = self.corpus.documents.get(doc_id)
            if record is not None:
                words |= set(tokens(f"{record.company or ''} {record.ticker or ''}"))
        # "McDonald's" reads "mcdonald'" here and "McDonald" once the question drops its "'s"
        words |= {re.sub(r"'s?$", "", w) for w in words}
        return frozenset(words - {"revenue", "capex", "cash"})

    def _foreign(self, question: str, doc_ids: set[str]) -> str | None:
        """A name the question relies on that the filings never mention ("AirPods")."""
        vocabulary = self._vocabulary(doc_ids)
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

    def _vocabulary(self, doc_ids: set[str]) -> set[str]:
        key = frozenset(doc_ids)
        cached = self._vocabularies.get(key)
        if cached is None:
            cached = set(self._names(doc_ids))
            for row in self.corpus.rows:
                if row.doc_id in doc_ids:
                    text = " ".join(row.path) + " " + (row.table or "")
                    cached |= set(tokens(text)) | set(re.findall(r"[a-z0-9]+", text.lower()))
            for sentence in self.corpus.sentences:
                if sentence.doc_id in doc_ids:
                    cached |= set(tokens(sentence.text))
                    cached |= set(re.findall(r"[a-z0-9]+", sentence.text.lower()))
            for doc_id in doc_ids:
                record = self.corpus.documents.get(doc_id)
                if record is not None:
                    cached |= set(tokens(record.document.replace("_", " ")))
            self._vocabularies[key] = cached
        return cached

    def _latest_quarter_end(self, doc_ids: set[str]) -> date | None:
        """The end of the latest quarter the filings report: what "last quarter" and "year to
        date" are counted from when the question names no period of its own."""
        key = frozenset(doc_ids)
        if key not in self._latest:
            ends = [
                f.period.end
                for row in self.corpus.rows
                if row.doc_id in doc_ids
                for f in row.facts
                if f.period is not None and f.period.kind == "duration" and months_of(f.period) == 3
            ]
            self._latest[key] = max(ends) if ends else None
        return self._latest[key]

    def _from_latest(self, spec: PeriodSpec, doc_ids: set[str]) -> PeriodSpec | None:
        """A relative period with nothing in the question to count from, counted from the
        filings' latest quarter: "last quarter", "this quarter", "the prior-year quarter",
        "year to date"."""
        end = self._latest_quarter_end(doc_ids)
        if end is None:
            return None
        text = spec.text.lower()
        if spec.relative == "latest_quarter" or re.match(r"last\s+quarter", text):
            return replace(spec, kind="ended", months=3, date=end, relative=None)
        if spec.relative == "prior_year" and "quarter" in text:
            try:
                earlier = end.replace(year=end.year - 1)
            except ValueError:  # February 29
                earlier = end.replace(year=end.year - 1, day=28)
            return replace(spec, kind="ended", months=3, date=earlier, relative=None)
        if spec.relative == "year_to_date":
            fy_end = max((self.corpus.fy_end_month.get(d, 12) for d in doc_ids), default=12)
            months = (end.month - fy_end - 1) % 12 + 1
            return replace(spec, kind="ended", months=months, date=end, relative=None)
        return None

    def _absolute_periods(
        self, intent: Intent, doc_ids: set[str] | None = None
    ) -> list[PeriodSpec]:
        out: list[PeriodSpec] = []
        absolute = [p for p in intent.periods if p.kind != "relative"]
        two = intent.operation in ("percent_change", "difference", "cagr", "compare")
        if two and len(absolute) == 2 and absolute[1].kind in ("year", "bare_year"):
            before = intent.question[: absolute[1].start].lower()
            if re.search(r"\bsame (?:period|quarter|months|weeks)(?: of| in)?\s*$", before):
                # "the first thirty-nine weeks of fiscal 2024 than the same period of fiscal
                # 2023": the first period's span, in the second's year
                absolute = [
                    absolute[0],
                    replace(absolute[0], fiscal_year=absolute[1].fiscal_year, date=None),
                ]
        if absolute and (not two or len(absolute) >= 2):
            # "the prior-year quarter (third quarter of fiscal 2023)": the absolute one says it
            return absolute
        for spec in intent.periods:
            if spec.kind != "relative":
                out.append(spec)
                continue
            anchor = absolute[0] if absolute else None
            moved = shift(spec, anchor) if anchor else None
            if moved is None and not absolute and doc_ids:
                moved = self._from_latest(spec, doc_ids)
            if moved is not None:
                out.append(moved)
        return out

    def _two_periods(
        self, intent: Intent, specs: list[PeriodSpec]
    ) -> tuple[PeriodSpec | None, PeriodSpec | None]:
        if len(specs) >= 2:
            return specs[0], specs[1]
        if len(specs) == 1:
            prior = shift(PeriodSpec("relative", "", 0, 0, relative="prior_year"), specs[0])
            return prior, specs[0]
        return None, None

    def _derived(self, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
        spec = specs[0] if specs else None
        name = intent.derived
        parts = {
            "gross_margin": ("gross profit", "total revenue"),
            "operating_margin": ("operating income", "total revenue"),
            "net_margin": ("net income", "total revenue"),
            "effective_tax_rate": ("provision for income taxes", "income before income taxes"),
            "current_ratio": ("total current assets", "total current liabilities"),
            "free_cash_flow": ("net cash provided by operating activities", "capex"),
        }[name or ""]
        printed = self._printed_measure(intent, doc_ids, spec, name or "")
        if printed is not None:
            return printed
        first = self._fact(parts[0], intent, doc_ids, spec, unit="USD")
        second = self._fact(parts[1], intent, doc_ids, spec, like=first, unit="USD")
        a, b = quantity(first), quantity(second)
        if name in ("gross_margin", "operating_margin", "net_margin"):
            printed = self._printed_percent(intent, first, second, doc_ids, spec)
            if printed is not None:
                return printed
        if name == "effective_tax_rate":  # an expense printed in parentheses is still a cost
            a = Quantity(abs(a.value), a.unit, a.citations)
        if name == "free_cash_flow":
            capex = Quantity(abs(b.value), b.unit, b.citations)
            return computed(intent, Step("subtract", (a, capex)), [first, second], "free_cash_flow")
        return computed(intent, Step("divide", (a, b)), [first, second], name or "ratio")

    def _printed_growth(
        self, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
    ) -> Answer | None:
        """A growth rate the filing prints: a percentage row of changes ("Comparable sales
        > International Operated Markets 20.4%"), or a sentence ("Comparable store net sales
        ... decreased 0.7 percent") when no row names the metric."""
        pair = [p for p in self._two_periods(intent, specs) if p is not None]
        if not pair:
            return None
        # the growth belongs to the later period
        later = max(pair, key=lambda p: (p.fiscal_year or 0, p.date or date.min, p.quarter or 0))
        metric = intent.metrics[0]
        lookup = replace(intent, operation="lookup", as_percent=True)
        names = self._names(doc_ids)
        candidates = self.rows.search(metric, doc_ids, limit=10, ignore=names)
        for scored in candidates:
            if scored.score < 0.5:
                break
            words = f"{scored.row.label} {scored.row.table or ''}"
            if not _GROWTH_WORDS.search(words) or self._lacks(metric, scored.row.facts[0], doc_ids):
                continue
            for fact in scored.row.facts:
                fits = self._penalty(fact, scored.row, lookup, later, None, _basis(metric, intent))
                if fact.unit in ("percent", "other") and fits is not None and fits < 0.3:
                    # a table of changes prints rates; a bare "20.4" in it is one too
                    return lookup_answer(intent, replace(fact, unit="percent"))
        if candidates and not self._lacks(metric, candidates[0].row.facts[0], doc_ids):
            return None  # a row names it: compute the growth from its figures
        said = self._sentence_fact(metric, lookup, doc_ids, later, "percent", changes=True)
        return lookup_answer(intent, said) if said is not None else None

    def _printed_change(
        self, intent: Intent, doc_ids: set[str], spec: PeriodSpec | None
    ) -> Answer | None:
        """ "The change in accounts receivable shown in operating cash flows": a row printed
        under "Changes in ..." is that change itself, not a difference of two balances."""
        if spec is None or not re.search(r"\bchanges? in\b", intent.question, re.I):
            return None
        lookup = replace(intent, operation="lookup")
        try:
            fact = self._fact(intent.metrics[0], lookup, doc_ids, spec)
        except (_Missing, _Ambiguous):
            return None
        if not re.search(r"\bchanges? in\b", " ".join(fact.row_path), re.I):
            return None
        return lookup_answer(intent, fact)

    def _printed_total(
        self, intent: Intent, doc_ids: set[str], spec: PeriodSpec | None
    ) -> Answer | None:
        """ "The total of cash, cash equivalents and available-for-sale investments": when a
        table totals exactly those, its Total row is the filing's own sum."""
        if len(intent.metrics) < 2:
            return None
        phrase = re.sub(r"\([^)]*\)", " ", metric_phrase(intent.question))
        lookup = replace(intent, operation="lookup")
        scored = self.rows.search(phrase, doc_ids, limit=5, ignore=self._names(doc_ids))
        for candidate in scored:
            if candidate.score < 0.5 * scored[0].score:
                break
            label = candidate.row.path[-1].strip().lower() if candidate.row.path else ""
            own = set(tokens(label))
            # "GAAP R&D and MG&A" prints the sum of research and development and MG&A
            parts = set().union(*(set(tokens(m)) for m in intent.metrics))
            covers_parts = (
                bool(re.search(r"\band\b|&|\+", normalise(label)))
                and all(
                    set(tokens(m)) - GENERIC - self._names(doc_ids) - {"expense", "cost"} <= own
                    for m in intent.metrics
                )
                # "Short-term debt and current portion of long-term debt" names more than the
                # two parts: it is one line, not their total
                and not own - parts - GENERIC - {"expense", "cost", "total"}
            )
            plain_phrase = re.sub(r"\b(?:expenses?|costs?)\b", " ", phrase, flags=re.I)
            if not (label.startswith("total") or covers_parts) or self._lacks(
                plain_phrase, candidate.row.facts[0], doc_ids
            ):
                continue
            for fact in candidate.row.facts:
                if self._penalty(fact, candidate.row, lookup, spec, None) is not None and (
                    spec is not None
                ):
                    return lookup_answer(intent, fact)
        return None

    def _printed_measure(
        self, intent: Intent, doc_ids: set[str], spec: PeriodSpec | None, name: str
    ) -> Answer | None:
        """ "Non-GAAP operating margin", "Products gross margin percentage", "Adjusted free
        cash flow": a row (in the measure's unit) whose own words carry every word of the
        question's measure is the filing's own figure."""
        phrase = metric_phrase(intent.question)
        measure = {
            "gross_margin": "grossprofit",
            "effective_tax_rate": "tax",
            "net_margin": "netincome",
            "free_cash_flow": "free",
            "current_ratio": "ratio",
        }.get(name, name.split("_")[0])
        unit = {"free_cash_flow": "USD", "current_ratio": "ratio"}.get(name, "percent")
        basis = _basis(phrase, intent)
        lookup = replace(intent, operation="lookup")
        for scored in self.rows.search(phrase, doc_ids, limit=10, ignore=self._names(doc_ids)):
            if scored.score < 0.5:
                break
            label = set(tokens(" ".join(scored.row.path)))
            if not any(measure in t for t in label) or self._lacks(
                phrase, scored.row.facts[0], doc_ids, own_words=True
            ):
                continue
            for fact in scored.row.facts:
                fits = self._penalty(fact, scored.row, lookup, spec, None, basis, None)
                if fact.unit == unit and fits is not None and fits < 0.3:
                    return lookup_answer(intent, fact)
        return None

    def _fact(
        self,
        metric: str,
        intent: Intent,
        doc_ids: set[str],
        spec: PeriodSpec | None,
        like: Fact | None = None,
        unit: str | None = None,
    ) -> Fact:
        """The figure for one metric and period.  ``unit``: only figures in that unit (the
        operands of a margin are amounts, never a printed percentage)."""
        required = unit
        candidates = self.rows.search(metric, doc_ids, limit=25, ignore=self._names(doc_ids))
        if self.dense is not None:
            candidates = self._with_dense(metric, doc_ids, candidates)
        unit = self._prose_unit(intent, like)
        if not candidates:
            said = self._sentence_fact(metric, intent, doc_ids, spec, unit) if unit else None
            if said is not None:
                return said
            raise _Missing(f"The indexed filings have no figure matching “{metric}”.")
        best: tuple[float, Fact] | None = None
        runner_up: tuple[float, Fact, str] | None = None
        barred = [set(tokens(x)) for x in intent.excluded if tokens(x)]
        raw: dict[str, float] = {}  # how well each figure's words match, before penalties
        fit: dict[str, float] = {}  # and how well it fits, after them
        statement = _STATEMENT_KIND.search(intent.question)
        wanted = set(tokens(metric)) - self._names(doc_ids)
        asked_words = _split_hyphens(wanted)
        basis, diluted = _basis(metric, intent), _dilution(metric, intent)
        for scored in candidates:
            if any(words <= set(tokens(scored.row.label)) for words in barred):
                continue  # "depreciation (not depreciation and amortization)"
            row_penalty = _row_penalty(scored.row, wanted, statement)
            for fact in scored.row.facts:
                if required is not None and fact.unit != required:
                    continue
                fits = self._penalty(fact, scored.row, intent, spec, like, basis, diluted)
                if fits is None:
                    continue
                penalty = row_penalty + fits
                # "(b) Weighted-average exercise price of outstanding options": a column
                # whose own words the question uses
                named = _column_words(fact, scored.row) & asked_words
                bonus = 0.5 * len(named) / max(1, len(wanted - GENERIC))
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
            and intent.operation == "lookup"
            and best[0] - runner_up[0] < _TIE
            and runner_up[1].value != best[1].value
            and (
                figure_name(runner_up[1]) != figure_name(best[1])
                or runner_up[1].table != best[1].table
            )
        )
        if unit is not None and (
            best is None
            or not _same_unit(best[1].unit, unit)
            or self._lacks(metric, best[1], doc_ids)
        ):
            # the filing may state it in words: "144 full-time employees", "online sales
            # increased 1.1 percent to $46.6 million"
            said = self._sentence_fact(metric, intent, doc_ids, spec, unit)
            if said is not None and (
                best is None
                or not _same_unit(best[1].unit, unit)
                or self._lacks(metric, best[1], doc_ids, said)
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
                raise _Missing(
                    f"The filings print “{figure_name(best[1])}” in {shown}, but no "
                    f"{'number of ' + unit if unit != 'percent' else 'percentage'} for it."
                )
        if tied and best is not None and runner_up is not None:
            raise _Ambiguous([best[1], runner_up[1]])
        if best is None and loose_match is not None:
            raise _Missing(
                f"The closest figure, “{figure_name(loose_match)}”, matches the question only "
                "loosely; name the line item as the filing prints it."
            )
        if best is None:
            top = candidates[0].row
            periods = sorted({f.period.label for f in top.facts if f.period}, reverse=True)
            asked = spec.text if spec else "that period"
            raise _Missing(
                f"The filings have “{top.label}” for {', '.join(periods) or 'no dated period'}"
                f", but nothing for {asked}."
            )
        margin = best[0] - runner_up[0] if runner_up is not None else 1.0
        self._binding[best[1].fact_id] = (raw[best[1].fact_id], fit[best[1].fact_id], margin)
        return best[1]

    def _prose_unit(self, intent: Intent, like: Fact | None) -> str | None:
        """The unit of a figure the text may state, for the questions that read one figure
        per metric (lookups, and the parts of sums and differences)."""
        if like is not None and like.kind == "sentence":
            return like.unit
        if intent.operation not in ("lookup", "sum", "average", "difference") or intent.derived:
            return None
        if intent.operation != "lookup" and len(intent.metrics) < 2:
            return None
        return wanted_unit(intent.question, intent.per_share, intent.counts_shares)

    def _lacks(
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
        telling = set(tokens(metric)) - self._names(doc_ids) - GENERIC
        title = "" if own_words else f"{fact.table or ''} {fact.column or ''}"
        have = set(tokens(" ".join(fact.row_path) + " " + fact.row + " " + title))
        missing = telling - have
        if said is None:
            return bool(missing)
        # the sentence must carry what the row lacks, and everything the row does carry
        words = set(loose(said.row))
        own = self._names(doc_ids)
        names = {loose_word(n) for n in own} | set(loose(" ".join(own)))
        asked = set(loose(metric)) - names - GENERIC
        return bool(missing) and asked <= words

    def _sentence_fact(
        self,
        metric: str,
        intent: Intent,
        doc_ids: set[str],
        spec: PeriodSpec | None,
        unit: str,
        changes: bool = False,
    ) -> Fact | None:
        """The figure a sentence states for the metric, in the wanted unit and period
        (``changes``: the change it states, "decreased 0.7 percent" read as -0.7)."""
        names = self._names(doc_ids)
        wanted = set(loose(metric)) - {loose_word(n) for n in names}
        if not wanted - GENERIC:
            return None
        years = _asked_years(intent, spec)
        query = f"{metric} {spec.text if spec else ''}"
        weights = {loose_word(t): self.sentences.idf(t) for t in tokens(metric)}
        rare = max(weights.values(), default=1.0)  # "classb": a name no passage spells so

        def weight(token: str) -> float:
            return weights.get(token, rare)

        total = sum(weight(t) for t in wanted)
        asked = set(loose(intent.question))
        best: tuple[Pick, Sentence] | None = None
        found = []
        if not _STATEMENT.search(intent.question):
            # "on the balance sheet": the statement's figure, not the text's
            found = self.sentences.search(query, doc_ids, limit=8, ignore=names)
        found += self.labels.search(query, doc_ids, limit=3, ignore=names)
        for sentence, _ in found:
            have = set(loose(sentence.text))
            if _ANAPHOR.match(sentence.text):
                # "This number represents about 4% of our total employee base": the sentence
                # before says what "this number" is
                have |= set(loose(self._previous(sentence)))
            if sum(weight(t) for t in wanted & have) < 0.6 * total:
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
        return Fact(
            fact_id=fact_id(
                sentence.doc_id, f"q{sentence.char_start}|{sentence.text}|{mention.start}"
            ),
            doc_id=sentence.doc_id,
            document=sentence.document,
            table=None,
            row=sentence.text,
            row_path=(),
            column="",
            period=None,
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
        before = self._before(sentence)
        return before.text if before is not None else ""

    def _before(self, sentence: Sentence) -> Sentence | None:
        """The sentence printed just before, in the same passage or the one before it."""
        index = self._positions.get(id(sentence))
        if not index:
            return None
        before = self.corpus.sentences[index - 1]
        return before if _near(before, sentence) else None

    def _lead_in(self, sentence: Sentence) -> str:
        """The line ending in ':' that a bulleted line belongs to, or ''."""
        if not _BULLET.match(sentence.text):
            return ""
        index = self._positions.get(id(sentence))
        if index is None:
            return ""
        for back in range(index - 1, max(-1, index - 12), -1):
            other = self.corpus.sentences[back]
            if not _near(other, sentence):
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
        stated = set(re.findall(r"\b(?:19|20)\d\d\b", text))
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
        if stated:
            return bool(stated & years)
        own = set(re.findall(r"(?:19|20)\d\d", f"{record.date or ''} {record.period or ''}"))
        return bool(own & years)

    def _penalty(
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
                and abs((period.end - spec.date).days) <= 7
            )  # "at December 31, 2024" in a table of months: the December row's balance
            if monthly:
                penalty += 0.05
            elif not dated_label and (period is None or not matches(spec, period, fy_end)):
                return None
            if spec.kind == "bare_year" and period is not None and period.kind == "instant":
                penalty += 0.05  # a bare year reads as the fiscal year first
        elif period is None:
            penalty += 0.3
        else:
            penalty += _recency_penalty(period)
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
            asked = _split_hyphens(set(tokens(intent.question)))
            penalty += -0.05 if column & asked else 0.3
        if fact.kind == "sentence":
            penalty += 0.4  # a figure printed in a table and in the text: cite the table
        return penalty


_PERCENT_ASKED = re.compile(r"\b(?:percent(?:age)?|margin|rate|ratio|yield|growth)\b|%", re.I)
_MONEY = re.compile(
    r"\b(?:revenues?|sales|income|earnings|profit|cash|expenses?|costs?|assets|liabilities|"
    r"debt|equity|capex|spend|spent|paid|dollars?)\b",
    re.I,
)
_OUTFLOW = re.compile(
    r"\b(?:purchases?|payments?|acquisitions?|additions?|repurchases?|capital expenditures?|"
    r"capex|buybacks?|dividends? paid|spent)\b",
    re.I,
)
_EXPENSE = re.compile(r"\b(?:expenses?|provision|costs?|tax(?:es)?|charges?)\b", re.I)
_WORDY = re.compile(
    r".*\b(?:related|due|attributable|attributed|tied) to\?\s*$|"
    r"(?:[^,?]{0,40},\s*)?(?:how (?:quickly|long|soon|often)|until (?:what|when)|"
    r"what (?:kind|type|sort)s? of|"
    r"which|who|whom|where|when|why|what (?:are|were) the (?:\w+ )?(?:categories|types|kinds|"
    r"reasons|factors|risks|products|drivers)|to what|in what|on what|over what)\b",
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
    ]
)


def _basis(metric: str, intent: Intent) -> str | None:
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


_NAME = re.compile(
    r"\b([A-Z][^\W\d_]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][^\W\d_'’-]+(?:[-'’][A-Z][^\W\d_]+)?){1,2})\b"
)
_TITLE_WORDS = frozenset(
    [
        "chief",
        "executive",
        "financial",
        "operating",
        "accounting",
        "officer",
        "vice",
        "president",
        "senior",
        "general",
        "counsel",
        "secretary",
        "treasurer",
        "controller",
        "director",
        "directors",
        "chairman",
        "board",
        "investor",
        "relations",
        "contact",
        "date",
        "name",
        "title",
        "by",
        "inc",
        "corporation",
        "company",
        "media",
        "the",
    ]
)


def _person(text: str, lowercase: set[str], company: frozenset[str] = frozenset()) -> str | None:
    """A person's name in a line: capitalised words the document never prints in lower case
    ("Kevan Parekh", "Thomas B. Heacock"), not titles or the company's words."""
    candidates = []
    for match in _NAME.finditer(text):
        # "Molly Finn Name:", "Kathleen Bela Juniper Networks": the name may be the first words
        parts = match.group(1).split()
        for size in range(len(parts), 1, -1):
            name = " ".join(parts[:size])
            if parts[size - 1].endswith("."):
                continue
            candidates.append((match.start(), match.start() + len(name), name))
    for start, end, name in candidates:
        words = [w for w in name.split() if not re.fullmatch(r"[A-Z]\.", w)]
        if any(
            w.lower() in _TITLE_WORDS or w.lower() in lowercase or (w.isupper() and len(w) > 1)
            for w in words
        ):
            continue
        before, after = text[:start], text[end:]
        signed = re.search(r"(?:/s/|\bby:|\bname:|\bcontact:)\s*$", before, re.I)
        titled = re.match(
            r",?\s+(?:the\s+)?(?:our\s+)?(?:[\w&]+\s+){0,3}?(?:chief|president|chairman|"
            r"director|officer|controller|counsel|secretary|treasurer|ceo|cfo|founder)\b",
            after,
            re.I,
        )
        # a line that is just the name, or the name and the company ("Kathleen Bela Juniper
        # Networks, Inc. (408) ...")
        rest = after.strip()
        alone = not before.strip() and (not rest or rest.split()[0].lower().strip(",") in company)
        if signed or titled or alone:
            return name
    return None


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
    r"\b(?P<balance>balance sheets?|statements? of financial position)\b"
    r"|\b(?P<cash>cash flows? statements?|statements? of cash flows)\b"
    r"|\b(?P<income>income statements?|statements? of (?:operations|income|earnings))\b",
    re.I,
)
_TITLES = {
    "balance": re.compile(r"balance sheets?|financial position", re.I),
    "cash": re.compile(r"cash flows?", re.I),
    "income": re.compile(r"statements? of (?:consolidated )?(?:operations|income|earnings)", re.I),
}
_ROW_QUALIFIERS = frozenset(
    ["current", "noncurrent", "non-current", "long-term", "short-term", "other", "deferred"]
)


def _row_penalty(row: Row, wanted: set[str], statement: re.Match[str] | None) -> float:
    """What a row's name says against the metric, whatever the figure: a statement the
    question names that the row is not in ("on the balance sheet"), and a qualifier the
    question does not say ("Total current liabilities" for total liabilities)."""
    penalty = 0.0
    if statement is not None:
        kind = statement.lastgroup or ""
        if not _TITLES[kind].search(row.table or ""):
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


_AS_SPENT = re.compile(r"\bas an? positive\b|\bspent\b|\bspend\b|\bpaid\b", re.I)
_GROWTH_WORDS = re.compile(
    r"\bgrowth\b|\bincrease|\bdecrease|\bchanges?\b|\bcomparable\b|% (?:change|increase|"
    r"decrease|growth)",
    re.I,
)
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


def _column_words(fact: Fact, row: Row) -> set[str]:
    own = _split_hyphens(set(tokens(fact.column or "")))
    return own - GENERIC - _PERIOD_TOKENS - _split_hyphens(set(tokens(row.label)))


def _split_hyphens(words: set[str]) -> set[str]:
    """ "write-off" also reads as "write" and "off" (the question's "write off")."""
    return words | {part for word in words if "-" in word for part in word.split("-") if part}


_LEGAL_WORDS = frozenset(
    ["the", "inc", "inc.", "corp", "corporation", "company", "co", "plc", "ltd", "llc", "group"]
)
_COMMON_FIRST_WORDS = frozenset(
    ["international", "general", "united", "american", "national", "first", "global", "new"]
)


def _company_keys(company: str | None, ticker: str | None) -> set[str]:
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


def _near(a: Sentence, b: Sentence) -> bool:
    """Lines of one passage or of the passages right next to it."""
    return a.doc_id == b.doc_id and abs(a.char_start - b.char_start) <= 1500


_FILING_WORDS = frozenset(
    ["form", "10-q", "10-k", "8-k", "report", "release", "filing", "quarter", "ended", "year"]
)


def _asked_years(intent: Intent, spec: PeriodSpec | None) -> set[str]:
    specs = [spec] if spec is not None else [p for p in intent.periods if p.kind != "relative"]
    years: set[str] = set()
    for each in specs:
        years |= set(re.findall(r"(?:19|20)\d\d", each.text))
        if each.fiscal_year:
            years.add(str(each.fiscal_year))
        if each.date:
            years.add(str(each.date.year))
    return years


def _period_end(fact: Fact) -> date:
    return fact.period.end if fact.period else date.min


def _is_range(intent: Intent, specs: list[PeriodSpec]) -> bool:
    """ "from 2015 to 2019", "between 2017 and 2019", "2017-2019": every year in between."""
    if len(specs) != 2 or not all(s.kind in ("bare_year", "year") for s in specs):
        return False
    between = intent.question[specs[0].end : specs[1].start].lower()
    return bool(re.fullmatch(r"\s*(?:to|through|-|–|and)\s*", between)) and bool(
        re.search(
            r"\b(?:from|between|over|for the years?)\s*$", intent.question[: specs[0].start].lower()
        )
        or "-" in between
        or "–" in between
    )


def _recency_penalty(period: Period) -> float:
    """Without a period in the question, the latest figure wins; quarters before years."""
    months = months_of(period) or 0
    return 0.001 * max(0, 40000 - period.end.toordinal() // 10) / 100 + (
        0.001 if months >= 12 else 0
    )


def _table_key(fact: Fact) -> tuple[str, object]:
    """Which table of which document a figure is printed in."""
    return (fact.doc_id, fact.table_index if fact.table_index is not None else fact.table)


@dataclass
class _Tables:
    """Per table: where it starts, its rows (start, label) in print order, and for each
    row's label the totals it sums to."""

    starts: dict[tuple[str, object], int] = field(default_factory=dict)
    rows: dict[tuple[str, object], list[tuple[int, str]]] = field(default_factory=dict)
    sums: dict[tuple[str, object], dict[str, tuple[str, ...]]] = field(default_factory=dict)


_ASKS_TOTAL = re.compile(r"\b(?:total|combined|together|all|sum|aggregate)\b", re.I)
_POINTS_BACK = re.compile(r"\s*(?:this|that|these|those|such|it)\b", re.I)
_TIE = 0.002  # two readings this close are equally good
# a figure whose row's words match the question under _WEAK shares only a word or two with
# it, and one whose fit after the period, basis and unit checks is under _WEAK_FIT fits
# badly: refusing beats guessing (golden: 2 fewer correct for about 15 fewer wrong)
_WEAK = 0.15
_WEAK_FIT = 0.1


class _Ambiguous(Exception):
    def __init__(self, facts: list[Fact]) -> None:
        super().__init__("ambiguous")
        self.facts = facts


class _Missing(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _same_period(spec: PeriodSpec) -> tuple[object, ...]:
    """A period as a value, whatever question said it ("in 2007" in turn 2 and turn 4)."""
    return (spec.kind, spec.fiscal_year, spec.quarter, spec.months, spec.date, spec.relative)


def _follow_up(intent: Intent, conversation: Conversation | None) -> Intent:
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


def answer(
    question: str,
    filters: Filters | None = None,
    conversation: Conversation | None = None,
    *,
    engine: Engine,
) -> Answer:
    """The product: answer one question over the ingested filings."""
    return engine.answer(question, filters, conversation)
