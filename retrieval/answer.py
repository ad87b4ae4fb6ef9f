"""``answer(question, filters, conversation) -> Answer``: the one function every entry point
calls, and the names callers need.

The stages live one a module (see :mod:`retrieval.engine` for the order): ``understand``,
``scope``, ``operations`` (the plan), ``pick``, ``verify``, ``calculator``, ``compose`` and
``narrative``; the types between them in ``models``.  This module is the stable import
surface: the engine, the answer types and the citation helpers.
"""

from __future__ import annotations

from .compose import cite, display
from .engine import MIN_CONFIDENCE, Engine
from .models import Answer, Citation, Conversation, Filters, Refusal, Value

__all__ = [
    "MIN_CONFIDENCE",
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


def answer(
    question: str,
    filters: Filters | None = None,
    conversation: Conversation | None = None,
    *,
    engine: Engine,
) -> Answer:
    """The product: answer one question over the ingested filings."""
    return engine.answer(question, filters, conversation)
