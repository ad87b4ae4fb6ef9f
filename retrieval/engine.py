"""The engine: a question goes through the stages, top to bottom.

    str ─► understand ─► plan ─► pick ─► verify ─► calculator ─► compose ─► Answer
           Intent       OPERATIONS  Fact…   RULES, confidence   (inside the operations)

:mod:`retrieval.scope` says whether a question can be asked and which filings it is about;
:func:`~retrieval.understand.understand` reads it; :func:`~retrieval.operations.plan` runs the
first entry of ``OPERATIONS`` that asks for it, picking each figure with
:class:`~retrieval.pick.Picker`; :func:`~retrieval.verify.checked` passes it through ``RULES``
and the confidence threshold, or makes it ``not_found``. Passages and people come from
:class:`~retrieval.narrative.Narrative`. Any stage may stop with a refusal.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from . import definitions, fitted, followup, instructions, scope, stated
from .compose import MAX_QUESTION, clarify, not_found, yes_or_no
from .corpus import Corpus, Sentence
from .errors import CalculationError
from .llm import LanguageModel, proposed_answer
from .models import Answer, Conversation, Filters
from .narrative import Narrative
from .operations import absolute_periods, plan
from .periods import YEAR, fiscal_year_of_label
from .pick import Ambiguous, Missing, Picker, of_a_kind
from .search import tokens
from .understand import ASKS_WORDS, Intent, fronted, understand
from .verify import checked

if TYPE_CHECKING:
    from ingest.embed import Embedder
    from ingest.models import Fact
    from ingest.store import Store

    from .dense import DenseIndex

HISTORY = 8  # earlier turns a conversation keeps for the fitted search
GIVEN = 4096  # figures of earlier answers kept for follow-ups that cite them (_fact)
MIN_CONFIDENCE = 0.2  # below it an answer is not_found; see evals/fit_confidence.py and the README


# the words of "including the year of 2015", "the value for 2015" besides the year
_YEAR_WORDS = frozenset(tokens("year value amount figure then also fiscal"))


class Engine:
    """The query side over one store's corpus."""

    def __init__(
        self,
        corpus: Corpus,
        llm: LanguageModel | None = None,
        dense: DenseIndex | None = None,
        min_confidence: float | None = None,
        fold: int | None = None,
        search: bool = True,
    ) -> None:
        self.corpus, self.llm = corpus, llm
        # the fitted program search's models: all the data's, or (an evaluation on a
        # development set) the cross-validation fold's that did not see this page
        self.fold = fold
        self.search = search  # False: the rules alone (evals.train measures them so)
        self._documents: dict[str, tuple[list[tuple[Fact, ...]], list[Sentence]]] = {}
        self._ids: dict[str, dict[str, Fact]] = {}  # each filing's figures by id (_fact)
        # the figures conversations' answers used, by id, the latest GIVEN (_fact)
        self._given: OrderedDict[str, Fact] = OrderedDict()
        self._given_lock = threading.Lock()
        self.min_confidence = min_confidence  # None: the fitted MIN_CONFIDENCE
        self.refused: Counter[str] = Counter()  # refusals by rule, since the engine was built
        self.picker = Picker(corpus, dense)
        self.narrative = Narrative(self.picker, self.refused, fold)

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
        if conversation is not None:  # the turn, for the next turns' follow-ups
            used = tuple(f.fact_id for f in result.operands) if result.status == "answered" else ()
            with self._given_lock:
                for fact in result.operands if used else ():
                    # a figure read off a sentence at question time is in no filing's index
                    self._given[fact.fact_id] = fact
                    self._given.move_to_end(fact.fact_id)
                while len(self._given) > GIVEN:
                    self._given.popitem(last=False)
            conversation.questions = (*conversation.questions, question)[-HISTORY:]
            conversation.figures = (*conversation.figures, used)[-HISTORY:]
            conversation.results = (*conversation.results, followup.result_of(result))[-HISTORY:]
        conversation_id = conversation.id if conversation else None
        return replace(
            result,
            question=question[:MAX_QUESTION],
            conversation_id=conversation_id,
            id=qid,
            timings_ms={"total": elapsed},
        )

    def _answer(self, question: str, filters: Filters, conversation: Conversation | None) -> Answer:
        text = " ".join(question.split())
        if refusal := scope.unanswerable(text, self.corpus):
            return not_found(question, refusal)
        doc_ids = scope.filings(self.corpus, text, filters, conversation)
        if not doc_ids:
            return not_found(
                question, f"No ingested filing matches {filters.doc or filters.company!r}."
            )
        asked = instructions.read(text)
        # "concerning the euro notes, what was their full total for 2014?"
        asked = replace(asked, ask=fronted(asked.ask))
        if (tail := followup.trailing_constant(asked.ask)) is not None:
            # "what is the value of X in 2011 less 100?": the figure, then the number given
            rest, op, number = tail
            read = self._asked(rest, replace(asked, ask=rest), doc_ids, conversation)
            if read.kind == "lookup" and (
                done := followup.with_constant(question, read, op, number)
            ):
                return instructions.reply(done, asked)
        result = self._asked(question, asked, doc_ids, conversation)
        return instructions.reply(result, asked)

    def _asked(
        self,
        question: str,
        asked: instructions.Instructions,
        doc_ids: set[str],
        conversation: Conversation | None,
    ) -> Answer:
        if conversation is not None and conversation.results:
            # "what is that times 100?": the earlier answer's value, computed on
            worked = followup.answer(
                asked.ask,
                conversation,
                lambda i: self._fact(i, doc_ids),
                lambda phrase: self._read_one(phrase, doc_ids),
            ) or followup.including(
                asked.ask,
                conversation,
                lambda i: self._fact(i, doc_ids),
                lambda phrase, like: self._included(phrase, like, doc_ids),
            )
            if worked is not None:
                return worked
        defined = (
            definitions.find(asked.ask)
            or definitions.averaged(asked.ask)
            or definitions.standard(asked.ask, lambda pattern: self.picker.prints(pattern, doc_ids))
        )
        ask = scope.dated_quarters(defined.rest if defined else asked.ask, conversation)
        read = understand(ask)
        if asked.statements:
            read = replace(read, statements=asked.statements)
        if asked.amount and read.operation == "percent_change":
            read = replace(read, operation="difference")  # "the change ..., in dollars"
        intent = scope.follow_up(read, conversation)
        if defined is not None:
            intent = replace(intent, defined=tuple(definitions.names(defined, asked.ask)))
            return self._defined(intent, defined, doc_ids)
        if conversation is not None:
            conversation.doc_ids = frozenset(doc_ids)
        if (
            intent.operation == "narrative"
            or (not intent.metrics and not intent.derived and intent.operation == "lookup")
            or ASKS_WORDS.match(asked.ask)
        ):
            return self.narrative.answer(question, doc_ids)
        result = self._figures(intent, doc_ids)
        if conversation is not None and read.periods and intent.carried:
            result = self._same_sentence(intent, doc_ids, result, conversation)
        if result.status == "not_found" and result.kind is None and conversation is not None:
            # "what was the price in 2011?" after "the price of lkq corporation in 2016": the
            # earlier measure by fewer of its words, when those words alone name no figure
            # (not when a figure they name was refused)
            shorter = scope.follow_up(read, conversation, shortened=True)
            if shorter.metrics != intent.metrics:
                again = self._figures(shorter, doc_ids)
                if again.status == "answered":
                    result, intent = again, shorter
        if result.status == "not_found" and (given := definitions.inline(asked.ask)):
            # "net working capital (total current assets less total current liabilities)":
            # the ask's own definition, when the ask alone found no figure
            own = replace(
                understand(given.rest),
                statements=asked.statements,
                defined=tuple(definitions.names(given, asked.ask)),
            )
            computed = self._defined(own, given, doc_ids)
            if computed.status == "answered":
                result = computed
        if result.status == "not_found" and self.llm is not None and intent.metrics:
            proposed = proposed_answer(self.llm, self.picker, intent, doc_ids)
            if proposed is not None:  # the model's figures pass the same rules
                verified = self._checked(intent, doc_ids, proposed)
                result = verified if verified.status == "answered" else result
        if (
            (
                (result.status == "not_found" and result.kind in (None, "refused:operation_done"))
                or (result.status == "answered" and followup.fewer_asked(asked.ask, result))
            )
            and conversation is not None
            and conversation.results
        ):
            # "what is the net change?" when the rules found no reading of it, or read it as
            # one figure (the verify stage's operation_done), or "the combined total for the
            # two years" read over a row's three; not another refused reading
            two = followup.two_figures(asked.ask, conversation, lambda i: self._fact(i, doc_ids))
            if two is not None:
                return two  # the measure the conversation carries stays the earlier turns'
        if result.status == "not_found":
            searched = self._searched(asked.ask, intent, doc_ids, conversation)
            result = searched if searched is not None else result
        if result.status == "not_found" and (
            words := self.narrative.instead(question, intent, doc_ids)
        ):
            return words
        if conversation is not None and result.status == "answered":
            scope.remember(conversation, intent)
        return result

    def _defined(
        self, intent: Intent, defined: definitions.Definition, doc_ids: set[str]
    ) -> Answer:
        """A measure the question defines, computed by its definition and then verified."""
        specs = absolute_periods(self.picker, intent, doc_ids)
        base = definitions.divisor(intent, defined)
        if base == "revenue":  # "X margin": the word is the operation's
            intent = replace(intent, defined=(*intent.defined, "margin"))
        chosen: list[str] = []
        planned = _planned(
            intent,
            lambda: definitions.answer(
                self.picker, intent, defined, doc_ids, specs, base, chosen=chosen
            ),
        )
        # the definition's words are the question's: each operand answers for its own; a
        # conventional definition's are the lines it was read as (of "cost of sales | cost of
        # revenues", the one the filing prints)
        words = defined.expression if defined.source == definitions.ASKED else " ".join(chosen)
        said = replace(intent, question=f"{intent.question} {words}")
        return self._checked(said, doc_ids, planned)

    def _same_sentence(
        self, intent: Intent, doc_ids: set[str], result: Answer, conversation: Conversation
    ) -> Answer:
        """ "and what was it in 2016?" after a figure read off a sentence that lists the
        measure by year ("$11 million and $8 million as of december 31, 2017 and 2016,
        respectively"): the same sentence's figure for the year asked stands, though the
        follow-up's few words leave its confidence low. Only the confidence is waived: the
        verify rules still hold, and the figure must be the one the sentence states for that
        year (ConvFinQA dev: 14 such turns right, 3 wrong), or the very figure the last
        answer took for that year ("the value in 2001" after a change from 2001 to 2002)."""
        if result.kind != "refused:confidence" or len(result.operands) != 1:
            return result
        fact = result.operands[0]
        last = [self._fact(i, doc_ids) for i in (conversation.figures or ((),))[-1]]
        said = any(
            f is not None
            and f.kind == "sentence"
            and (f.doc_id, f.char_start) == (fact.doc_id, fact.char_start)
            for f in last
        )
        whole_year = fact.period is not None and fact.period.label.startswith("FY")
        year = fiscal_year_of_label(fact.period) if fact.period and whole_year else None
        asked = {p.fiscal_year for p in intent.periods}
        if fact.kind != "sentence" or not said or year is None or asked != {year}:
            return result
        planned = _planned(intent, lambda: plan(self.picker, intent, doc_ids))
        if planned.status != "answered" or [f.fact_id for f in planned.operands] != [fact.fact_id]:
            return result
        again, refusal = checked(self.picker.check(intent, doc_ids), planned, 0.0)
        return result if refusal is not None else again

    def _searched(
        self, ask: str, intent: Intent, doc_ids: set[str], conversation: Conversation | None
    ) -> Answer | None:
        """The fitted program search's answer, when its calibrated probability of being right
        clears the fitted threshold; else None (the refusal stands). The verify rules, tuned
        for the rules' own readings, are not asked: the calibrator was fitted on exactly the
        questions the rules refuse."""
        models = fitted.saved() if self.search else None
        if models is None:
            return None
        model = models["all" if self.fold is None else str(self.fold)]
        history = None
        if conversation is not None:
            history = fitted.History(
                conversation.questions, tuple(frozenset(ids) for ids in conversation.figures)
            )
        rows = fitted.scope_rows(
            [r for d in sorted(doc_ids) for r in self._by_doc(d)[0]],
            [s for d in sorted(doc_ids) for s in self._by_doc(d)[1]],
            ask,
            self.picker.sentences,
        )
        scores = fitted.row_scores(self.picker.rows, ask, doc_ids)
        candidates = fitted.candidates(ask, rows, history)
        found = fitted.search(model, ask, candidates, history, scores)
        if found is None or not model.clears(found):
            return None
        try:
            answer = fitted.answer(intent, found)
        except CalculationError:
            return None
        return answer

    def _included(self, phrase: str, summed: list[Fact], doc_ids: set[str]) -> Fact | None:
        """The figure "including ..." adds to a sum: a year alone ("2016", "the year of 2015",
        "the value for 2015") is that year's figure on the one line the sum added up; other
        words ("contract-based intangible assets") are a question of their own, one figure
        answered, of the period the sum's figures share."""
        years = YEAR.findall(phrase)
        like = summed[-1]
        if not set(tokens(phrase)) - _YEAR_WORDS:
            lines = {(f.doc_id, f.table_index, f.table, f.row_path, f.row) for f in summed}
            if len(years) != 1 or like.kind == "sentence" or len(lines) != 1:
                return None
            year = int(years[0])
            same = {
                f.period.label: f
                for f in self.picker.row_of(like).facts
                if f.period is not None
                and of_a_kind(f, like)
                and year in (fiscal_year_of_label(f.period), f.period.end.year)
            }
            return next(iter(same.values())) if len(same) == 1 else None
        periods = {f.period for f in summed}
        if len(periods) != 1:
            return None  # a sum across periods: no one period for the line
        alone = self._one_figure(phrase, doc_ids)
        if alone is None:
            return None
        added = alone.operands[0]
        if added.period not in periods and added.kind != "sentence":
            # the line's figure in the sum's period, not its latest
            added = next((f for f in self.picker.row_of(added).facts if f.period in periods), added)
        return added if added.period in periods else None

    def _one_figure(self, phrase: str, doc_ids: set[str]) -> Answer | None:
        """A phrase asked as a question of its own ("what was the 2008 rider revenue?"), when
        its answer is one figure with no calculation; else None."""
        alone = self._asked(phrase, instructions.read(f"what was {phrase}?"), doc_ids, None)
        if alone.status != "answered" or len(alone.operands) != 1 or alone.program:
            return None
        return alone

    def _read_one(self, phrase: str, doc_ids: set[str]) -> Fact | None:
        """The one figure a phrase names, read as printed ("the 2008 rider revenue"), as a
        question of its own; None when it is answered any other way."""
        alone = self._one_figure(phrase, doc_ids)
        return alone.operands[0] if alone is not None and alone.kind == "lookup" else None

    def _fact(self, fact_id: str, doc_ids: set[str]) -> Fact | None:
        """A figure of the filings by its id: a table's or a sentence's, or one of the other
        figures a sentence prints that the fitted search reads (:func:`fitted.mentions`)."""
        with self._given_lock:
            given = self._given.get(fact_id)
        if given is not None and given.doc_id in doc_ids:
            return given
        for doc_id in sorted(doc_ids):
            if doc_id not in self._ids:
                rows, sentences = self._by_doc(doc_id)
                known = [f for row in rows for f in row]
                self._ids[doc_id] = {f.fact_id: f for f in [*known, *fitted.mentions(sentences)]}
            if fact_id in self._ids[doc_id]:
                return self._ids[doc_id][fact_id]
        return None

    def _by_doc(self, doc_id: str) -> tuple[list[tuple[Fact, ...]], list[Sentence]]:
        """A filing's rows of figures and its sentences, gathered once."""
        if doc_id not in self._documents:
            rows = [row.facts for row in self.corpus.rows if row.doc_id == doc_id]
            sentences = [s for s in self.corpus.sentences if s.doc_id == doc_id]
            self._documents[doc_id] = (rows, sentences)
        return self._documents[doc_id]

    def _figures(self, intent: Intent, doc_ids: set[str]) -> Answer:
        """Plan and pick, then verify; a stage that stops says why."""
        if foreign := self.picker.foreign(intent.question, doc_ids):
            return not_found(intent.question, f"The indexed filings do not mention “{foreign}”.")
        planned = _planned(intent, lambda: plan(self.picker, intent, doc_ids))
        return yes_or_no(intent.question, self._stated(self._checked(intent, doc_ids, planned)))

    def _stated(self, answer: Answer) -> Answer:
        """A computed change the filing's text or the line's own "% change" cell also
        prints, rounded: said and cited beside the cells (:mod:`retrieval.stated`). Only the
        filing's sentences that hold the line's first word are read for it."""
        if answer.kind not in stated.KINDS or not answer.operands:
            return answer
        _, sentences = self._by_doc(answer.operands[0].doc_id)
        first = (tokens(answer.operands[0].row) or [""])[0]
        said = [
            (fact, s.text)
            for s in sentences
            if first in tokens(s.text)
            for fact in fitted.mentions([s])
        ]
        try:
            line = self.picker.row_of(answer.operands[0]).facts
        except StopIteration:  # a figure the search offered from outside the rows
            line = ()
        return stated.stated(answer, said, line)

    def _checked(self, intent: Intent, doc_ids: set[str], answer: Answer) -> Answer:
        if answer.status != "answered" or not answer.operands:
            return answer
        threshold = MIN_CONFIDENCE if self.min_confidence is None else self.min_confidence
        result, refusal = checked(self.picker.check(intent, doc_ids), answer, threshold)
        if refusal is not None:
            self.refused[refusal.rule] += 1
        elif result.status == "answered" and (
            asked := self.picker.read_as_of(intent, result.operands)
        ):
            # a table that prints no date, read as of the period asked: say so
            result = replace(
                result,
                answer=f"{result.answer} The table prints no date; crossfoot read it as of "
                f"{asked}, the period asked.",
            )
        return result


def _planned(intent: Intent, make: Callable[[], Answer]) -> Answer:
    """A planned answer, or the refusal the stage that stopped gives."""
    try:
        return make()
    except Missing as missing:
        return not_found(intent.question, missing.message)
    except Ambiguous as ambiguous:
        return clarify(intent.question, ambiguous.facts)
    except CalculationError as error:
        return not_found(intent.question, f"That cannot be calculated: {error}.")
