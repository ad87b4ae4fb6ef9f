"""An engine over the seed filing, ingested once into a real Chroma store with the real model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.embed import Embedder
from ingest.pipeline import ingest_file
from ingest.store import Store
from retrieval.answer import Engine
from retrieval.corpus import Corpus

JUNIPER = "juniper_8k_ex99-1_q4fy2007_earnings.txt"


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory, filings: Path, embedder: Embedder) -> Store:
    store = Store.open(data_dir=tmp_path_factory.mktemp("store"))
    result = ingest_file(filings / JUNIPER, store, embedder)
    assert result.status == "ingested"
    return store


@pytest.fixture(scope="session")
def engine(store: Store) -> Iterator[Engine]:
    yield Engine(Corpus.load(store))


def statement_fact_id(engine: Engine, row: str, label: str) -> str:
    """The id of a figure of the seed filing's statement of operations."""
    for candidate in engine.corpus.rows:
        if candidate.label == row and "Statements of Operations" in (candidate.table or ""):
            for fact in candidate.facts:
                if fact.period and fact.period.label == label:
                    return fact.fact_id
    raise AssertionError(f"no {row} {label}")
