"""Errors raised while answering.

The tree (under :class:`ingest.errors.CrossfootError`)::

    CrossfootError
    └── RetrievalError            a question could not be answered as asked
        ├── CalculationError      an operation the calculator refuses: division by zero,
        │                         units that do not combine (USD + shares), a bad program
        └── BadQuestion           empty, too long, or not a question crossfoot can read

Every message says what is wrong in words a user can act on.
"""

from __future__ import annotations

from ingest.errors import CrossfootError


class RetrievalError(CrossfootError):
    """A question could not be answered as asked."""


class CalculationError(RetrievalError):
    """The calculator refused an operation; the message says which and why."""


class BadQuestion(RetrievalError):
    """The question itself cannot be used (empty, far too long, ...)."""
