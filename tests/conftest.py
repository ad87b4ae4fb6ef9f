"""Shared fixtures: the filings shipped for tests, offline model settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

FILINGS = Path(__file__).parent / "data" / "filings"


@pytest.fixture(scope="session")
def filings() -> Path:
    return FILINGS


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from ingest.embed import Embedder

    return Embedder()
