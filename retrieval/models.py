"""The data types between the answering stages, and the answer object every entry point returns.

``Answer`` is the contract of ``FORMATS.md`` (``to_json``); ``Refusal`` is what any stage
returns instead of a figure it cannot stand behind: the sentence the user sees, the rule that
refused, and the best rejected reading, if any.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from ingest.models import Fact

from .calculator import plain
from .periods import PeriodSpec

Status = Literal["answered", "not_found", "needs_clarification"]


@dataclass(frozen=True)
class Citation:
    doc_id: str
    document: str
    kind: str
    table: str | None
    row: str | None
    column: str | None
    as_printed: str
    scale: str | None
    page: int | None
    char_start: int
    char_end: int

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Value:
    number: Decimal
    unit: str
    display: str

    def to_json(self) -> dict[str, object]:
        return {"number": plain(self.number), "unit": self.unit, "display": self.display}


@dataclass(frozen=True)
class Answer:
    question: str
    status: Status
    answer: str
    value: Value | None = None
    program: str | None = None
    citations: tuple[Citation, ...] = ()
    conversation_id: str | None = None
    id: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    confidence: float | None = None
    # what the answer was built from (not part of the answer object): the figures bound to
    # the operation's slots, and the operation's kind, for the verify stage
    operands: tuple[Fact, ...] = field(default=(), compare=False, repr=False)
    kind: str | None = field(default=None, compare=False, repr=False)
    # the evidence the confidence was computed from (verify.features)
    features: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    # a narrative answer's short answer (retrieval.spans): the words of its first quoted
    # sentence that answer the question, or that whole sentence
    span: str | None = field(default=None, compare=False, repr=False)
    # a computed figure the filing's text or the line also prints, rounded (retrieval.stated)
    stated: Fact | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "question": self.question,
            "status": self.status,
            "answer": self.answer,
            "value": self.value.to_json() if self.value else None,
            "program": self.program,
            "citations": [c.to_json() for c in self.citations],
            "confidence": self.confidence,
            "conversation_id": self.conversation_id,
            "timings_ms": self.timings_ms,
        }


@dataclass(frozen=True)
class Refusal:
    """Why a stage will not answer: the sentence the user sees (``reason``), the rule that
    decided (``rule``), and the best reading it rejected, if there was one."""

    reason: str
    rule: str
    closest: Fact | None = None


@dataclass(frozen=True)
class Filters:
    doc: str | None = None  # doc id, id prefix or file name
    company: str | None = None  # company name or ticker


@dataclass
class Conversation:
    """Earlier turns, so "And in 2006?" and "How much did it grow?" resolve."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    metrics: tuple[str, ...] = ()
    periods: tuple[PeriodSpec, ...] = ()
    doc_ids: frozenset[str] | None = None
    # every earlier question, and the figures (fact ids) each one's answer used (none when
    # refused): "and the change?" is the change between the figures just given
    questions: tuple[str, ...] = ()
    figures: tuple[tuple[str, ...], ...] = ()
    # each earlier answer's value, unit and program ("" each when refused or words): "what is
    # that times 100?" is computed from the value just given (retrieval.followup)
    results: tuple[tuple[str, str, str], ...] = ()

    def to_json(self) -> dict[str, object]:
        """Plain JSON, so the state can live outside the process (a store, a request)."""
        return {
            "id": self.id,
            "metrics": list(self.metrics),
            "periods": [
                {**spec.__dict__, "date": spec.date.isoformat() if spec.date else None}
                for spec in self.periods
            ],
            "doc_ids": sorted(self.doc_ids) if self.doc_ids is not None else None,
            "questions": list(self.questions),
            "figures": [list(ids) for ids in self.figures],
            "results": [list(r) for r in self.results],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Conversation:
        periods = tuple(
            PeriodSpec(
                **{
                    **spec,
                    "date": date.fromisoformat(spec["date"]) if spec.get("date") else None,
                }
            )
            for spec in data.get("periods") or ()
        )
        doc_ids = data.get("doc_ids")
        return cls(
            id=str(data["id"]),
            metrics=tuple(str(m) for m in data.get("metrics") or ()),
            periods=periods,
            doc_ids=frozenset(doc_ids) if doc_ids is not None else None,
            questions=tuple(str(q) for q in data.get("questions") or ()),
            figures=tuple(tuple(str(i) for i in ids) for ids in data.get("figures") or ()),
            results=_results(data.get("results"), len(data.get("figures") or ())),
        )


def _results(saved: Any, turns: int) -> tuple[tuple[str, str, str], ...]:
    """A conversation's saved results, one per turn of its figures: a malformed entry (a
    value that is not a finite number) is kept as a refused turn's, and a list longer than
    the figures' is dropped (the two are read turn by turn from the latest; a conversation
    saved before results were kept has fewer)."""
    if not isinstance(saved, list) or len(saved) > turns:
        return ()
    out = []
    for entry in saved:
        if not (isinstance(entry, list) and len(entry) == 3):
            out.append(("", "", ""))
            continue
        number, unit, program = (str(part) for part in entry)
        try:
            finite = not number or Decimal(number).is_finite()
        except InvalidOperation:
            finite = False
        out.append((number, unit, program) if finite else ("", "", ""))
    return tuple(out)
