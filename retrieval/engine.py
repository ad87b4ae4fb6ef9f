"""The engine: a question goes through the stages, top to bottom.

    str ─► understand ─► plan ─► pick ─► verify ─► calculator ─► compose ─► Answer
           Intent       OPERATIONS  Fact…   RULES, confidence   (inside the operations)

:func:`~retrieval.understand.understand` reads the question; :mod:`retrieval.scope` says which
filings it is about and fills a follow-up from the conversation; :func:`~retrieval.operations.plan`
runs the first operation of ``OPERATIONS`` that asks for it, picking each figure with
:class:`~retrieval.pick.Picker` and computing with :mod:`retrieval.calculator`; every figure
answer then passes :func:`~retrieval.verify.verify` and needs a ``confidence`` of at least
``MIN_CONFIDENCE``, or it is ``not_found`` naming the closest figure.  Questions answered in
words go to :class:`~retrieval.narrative.Narrative`.  Any stage may stop with a refusal.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from . import scope
from .compose import MAX_QUESTION, cite, display, figure_name, not_found, period_words, yes_or_no
from .corpus import Corpus
from .errors import CalculationError
from .llm import LanguageModel, proposed_answer
from .models import Answer, Conversation, Filters, Refusal
from .narrative import Narrative
from .operations import plan
from .pick import Ambiguous, Missing, Picker
from .understand import FIGURE_WORDS, WORDY, Intent, understand
from .verify import Check, features, probability, verify

if TYPE_CHECKING:
    from ingest.embed import Embedder
    from ingest.store import Store

    from .dense import DenseIndex

MIN_CONFIDENCE = 0.2  # below it an answer is not_found; see evals/fit_confidence.py and the README


class Engine:
    """The query side over one store's corpus."""

    def __init__(
        self,
        corpus: Corpus,
        llm: LanguageModel | None = None,
        dense: DenseIndex | None = None,
        min_confidence: float | None = None,
    ) -> None:
        self.corpus = corpus
        self.llm = llm
        self.min_confidence = min_confidence  # None: the fitted MIN_CONFIDENCE
        self.refused: Counter[str] = Counter()  # refusals by rule, since the engine was built
        self.picker = Picker(corpus, dense)
        self.narrative = Narrative(self.picker, self.refused)

    @classmethod
    def from_store(
        cls,
        store: Store,
        embedder: Embedder | None = None,
        llm: LanguageModel | None = None,
        min_confidence: float | None = None,
    ) -> Engine:
        """The one way every entry point builds an engine: the store's corpus, and with an
        embedder the store's embeddings for the hybrid search."""
        corpus = Corpus.load(store)
        dense = None
        if embedder is not None:
            from .dense import DenseIndex

            dense = DenseIndex(store, embedder, corpus)
        return cls(corpus, llm, dense, min_confidence)

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
        return replace(
            result,
            question=question[:MAX_QUESTION],
            conversation_id=conversation.id if conversation else None,
            id=qid,
            timings_ms={"total": elapsed},
        )

    def _answer(self, question: str, filters: Filters, conversation: Conversation | None) -> Answer:
        text = " ".join(question.split())
        refusal = _unanswerable(text, self.corpus)
        if refusal is not None:
            return not_found(question, refusal)
        doc_ids = scope.documents(self.corpus, filters)
        if not doc_ids:
            return not_found(
                question, f"No ingested filing matches {filters.doc or filters.company!r}."
            )
        if named := scope.companies_named(self.corpus, text, doc_ids):
            doc_ids = named  # "Who signed Apple's 10-Q?": the company named is a filter
        elif conversation is not None and conversation.doc_ids and doc_ids & conversation.doc_ids:
            doc_ids = doc_ids & set(conversation.doc_ids)  # "And in 2006?": the same filings
        intent = scope.follow_up(understand(text), conversation)
        if conversation is not None:
            conversation.doc_ids = frozenset(doc_ids)
        if intent.operation == "narrative" or (
            not intent.metrics and not intent.derived and intent.operation == "lookup"
        ):
            return self.narrative.answer(question, doc_ids)
        result = self._figures(intent, doc_ids)
        if result.status == "not_found" and self.llm is not None and intent.metrics:
            proposed = proposed_answer(self.llm, self.picker, intent, doc_ids)
            if proposed is not None:  # the model's figures pass the same rules
                checked = self._checked(intent, doc_ids, proposed)
                result = checked if checked.status == "answered" else result
        wordy = bool(WORDY.match(question))
        if result.status == "not_found" and (
            (intent.operation == "lookup" and wordy)
            or (not FIGURE_WORDS.search(question) and (intent.operation == "lookup" or wordy))
        ):
            # no table row carries it: the words of the filing may ("How quickly...", "to what
            # did it increase"); a calculation asked for ("the change in the average of
            # investments") is not answered with a passage
            words = self.narrative.answer(question, doc_ids, strict=True)
            if words.status == "answered":
                return words
        if conversation is not None and result.status == "answered":
            scope.remember(conversation, intent)
        return result

    def _figures(self, intent: Intent, doc_ids: set[str]) -> Answer:
        """Plan and pick, then verify; a stage that stops says why."""
        foreign = self.picker.foreign(intent.question, doc_ids)
        if foreign:
            return not_found(intent.question, f"The indexed filings do not mention “{foreign}”.")
        try:
            planned = plan(self.picker, intent, doc_ids)
        except Missing as missing:
            return not_found(intent.question, missing.message)
        except Ambiguous as ambiguous:
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
        return yes_or_no(intent.question, self._checked(intent, doc_ids, planned))

    def _checked(self, intent: Intent, doc_ids: set[str], answer: Answer) -> Answer:
        """The verify stage: every rule passes and the confidence clears the threshold, or
        the answer is ``not_found`` naming the closest figure."""
        if answer.status != "answered" or not answer.operands:
            return answer
        picker = self.picker
        context = partial(picker.table_context, question=intent.question)
        check = Check(
            intent.question,
            intent,
            picker.names(doc_ids),
            picker.rows.idf,
            context,
            picker.binding.get,
        )
        refusal = verify(check, answer)
        answer = replace(answer, features=features(check, answer))
        sure = probability(answer.features or {})
        threshold = MIN_CONFIDENCE if self.min_confidence is None else self.min_confidence
        if refusal is None and sure < threshold:
            closest = answer.operands[0]
            name = figure_name(closest)
            quoted = name if name.startswith("“") else f"“{name}”"  # a sentence comes quoted
            refusal = Refusal(
                reason=f"The closest figure is {quoted}{period_words(closest)} "
                f"({display(closest.value, closest.unit)}), but it fits the question too loosely "
                "to give as the answer.",
                rule="confidence",
                closest=closest,
            )
        if refusal is None:
            return replace(answer, confidence=sure)
        self.refused[refusal.rule] += 1
        return replace(
            not_found(intent.question, refusal.reason),
            confidence=sure,  # the rejected reading's
            operands=answer.operands,
            kind=f"refused:{refusal.rule}",
            features=answer.features,
        )


def _unanswerable(text: str, corpus: Corpus) -> str | None:
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
