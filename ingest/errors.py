"""Errors raised by the ingester.

The tree::

    CrossfootError                 anything crossfoot raises on purpose
    ├── IngestError                one file could not be ingested (carries the path)
    │   ├── FileMissing            the path does not exist
    │   ├── EmptyFile              zero bytes, or no text at all
    │   ├── UnsupportedFormat      an extension crossfoot does not read
    │   ├── TooLarge               over the configured size limit
    │   ├── CorruptFile            bytes unlike the extension (binary .html, broken PDF)
    │   └── EncryptedFile          a password-protected PDF
    └── StoreError                 the store cannot be opened or written
        └── ModelMismatch          collections built with another embedding model

Every message says what is wrong and what to do about it; entry points map
them once (CLI exit status 1, HTTP 4xx).
"""

from __future__ import annotations

from pathlib import Path


class CrossfootError(Exception):
    """Base class for errors with a message meant for the user."""


class IngestError(CrossfootError):
    """One file could not be ingested; nothing was written for it."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.reason = message
        super().__init__(f"{self.path.name}: {message}")

    def __reduce__(self) -> tuple[type[IngestError], tuple[Path, str]]:
        # so the error crosses a process boundary (files are parsed ahead in a worker)
        return (self.__class__, (self.path, self.reason))


class FileMissing(IngestError):
    pass


class EmptyFile(IngestError):
    pass


class UnsupportedFormat(IngestError):
    pass


class TooLarge(IngestError):
    pass


class CorruptFile(IngestError):
    pass


class EncryptedFile(IngestError):
    pass


class StoreError(CrossfootError):
    """The store could not be opened, read or written."""


class ModelMismatch(StoreError):
    """The collections were built with a different embedding model."""
