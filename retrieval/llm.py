"""The optional language model: it may word answers and propose which figures to use, never
do arithmetic, and every number it writes is checked.

* :meth:`LanguageModel.word` asks the model to rephrase a computed answer.  Every number in
  the reply must be one of the answer's own figures (its value, the figures its template
  wording shows, the cited cells as printed) or a number the question itself contains;
  otherwise the reply is dropped and the template wording stays.
* :meth:`LanguageModel.propose` asks for an operation and fact ids as JSON (structured
  output); ids the candidates do not contain, or any other shape, make it return None.

The model is any LangChain chat model, built by the entry point from settings; with no model
configured none of this runs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import prompts

from .calculator import Step
from .compose import computed, display, figure_name, lookup_answer, quantity
from .errors import CalculationError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from ingest.models import Fact

    from .models import Answer
    from .pick import Picker
    from .understand import Intent

_NUMBER = re.compile(r"(?<![\w.])[-−(]?\$?\d[\d,]*(?:\.\d+)?%?")
PROPOSED_OPERATIONS = ("lookup", "add", "subtract", "divide", "percent_change")


@dataclass(frozen=True)
class Proposal:
    operation: str
    fact_ids: tuple[str, ...]


def numbers_in(text: str) -> set[Decimal]:
    """The numbers a text states, as plain decimals ("$809.2 million" → 809.2)."""
    out: set[Decimal] = set()
    for match in _NUMBER.finditer(text):
        raw = match.group(0).strip("()").replace("−", "-").replace("$", "").replace(",", "")
        raw = raw.rstrip("%")
        try:
            out.add(abs(Decimal(raw)))
        except InvalidOperation:
            continue
    return out


def unverified(text: str, allowed: set[Decimal]) -> set[Decimal]:
    return {n for n in numbers_in(text) if n not in allowed}


class LanguageModel:
    def __init__(self, chat: BaseChatModel) -> None:
        self.chat = chat

    def word(self, question: str, answer: Answer) -> Answer:
        """The model's wording when every number in it checks out, else the template's."""
        if answer.status != "answered":
            return answer
        figures = [answer.answer]
        if answer.value is not None:
            figures.append(f"{answer.value.display} (= {answer.value.number} {answer.value.unit})")
        figures += [f"{c.row or ''} {c.column or ''}: {c.as_printed}" for c in answer.citations]
        allowed = numbers_in(" ".join(figures)) | numbers_in(question)
        if answer.value is not None:
            allowed.add(abs(answer.value.number))
        prompt = prompts.load("word_answer").format(
            question=question, answer=answer.answer, figures="\n".join(figures)
        )
        try:
            reply = _text(self.chat.invoke(prompt))
        except Exception:  # a model that fails leaves the checked answer as it was
            return answer
        if not reply or unverified(reply, allowed):
            return answer
        return replace(answer, answer=reply)

    def propose(self, question: str, candidates: list[tuple[str, str]]) -> Proposal | None:
        """``candidates``: (fact id, description) pairs.  None when the reply does not parse
        or names anything outside them."""
        listing = "\n".join(f"{fid}: {text}" for fid, text in candidates)
        prompt = prompts.load("understand").format(question=question, candidates=listing)
        try:
            reply = _text(self.chat.invoke(prompt))
            data = json.loads(reply[reply.index("{") : reply.rindex("}") + 1])
        except Exception:
            return None
        operation = data.get("operation") if isinstance(data, dict) else None
        ids = data.get("fact_ids") if isinstance(data, dict) else None
        known = {fid for fid, _ in candidates}
        if (
            operation not in PROPOSED_OPERATIONS
            or not isinstance(ids, list)
            or not ids
            or not all(isinstance(i, str) and i in known for i in ids)
        ):
            return None
        return Proposal(operation, tuple(ids))


def proposed_answer(
    model: LanguageModel, picker: Picker, intent: Intent, doc_ids: set[str]
) -> Answer | None:
    """Let the language model pick the operation and the figures among the rows the
    question's measures find; the calculator computes, and the engine verifies it like any
    other answer."""
    facts: dict[str, Fact] = {}
    for metric in intent.metrics:
        for scored in picker.rows.search(metric, doc_ids, limit=5, ignore=picker.names(doc_ids)):
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
    proposal = model.propose(intent.question, listing)
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
            kind = {"add": "sum", "subtract": "difference", "divide": "ratio"}[proposal.operation]
            return computed(intent, Step(proposal.operation, quantities), chosen, kind)
    except CalculationError:
        return None
    return None


def _text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):
        content = " ".join(
            str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content
        )
    return str(content).strip()
