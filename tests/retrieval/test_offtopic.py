"""Questions the filings cannot answer (general knowledge, companies not ingested, opinions,
predictions, personal questions, prompt injections, look-alikes of line items) are refused
with ``not_found`` over all ten sample filings: no value, no citations."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ingest.pipeline import prepare
from retrieval.answer import Engine
from retrieval.corpus import Corpus

OFFTOPIC = Path(__file__).resolve().parents[2] / "evals" / "offtopic.jsonl"
CATEGORIES = {
    "general_knowledge",
    "company_not_ingested",
    "opinion",
    "prediction",
    "personal",
    "prompt_injection",
    "tricky_shared_words",
}


def _items() -> list[dict[str, Any]]:
    return [json.loads(line) for line in OFFTOPIC.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def engine(filings: Path) -> Engine:
    """Every sample filing, parsed but not embedded (lexical search only)."""
    paths = sorted(p for p in filings.iterdir() if p.name != "MANIFEST.tsv")
    assert len(paths) == 10
    return Engine(Corpus.prepared(*(prepare(path, path.read_bytes()) for path in paths)))


def test_the_file_is_golden_shaped_and_covers_every_category() -> None:
    items = _items()
    assert len(items) >= 45
    assert len({item["id"] for item in items}) == len(items)
    for item in items:
        assert item["doc"] is None
        assert item["kind"] == "not_found"
        assert item["gold"] == {"unit": "none"}
        assert item["program"] is None
        assert item["evidence"] == []
        assert item["category"] in CATEGORIES
    counts = Counter(item["category"] for item in items)
    assert set(counts) == CATEGORIES
    assert min(counts.values()) >= 6, counts


@pytest.mark.slow
def test_off_topic_questions_are_not_found(engine: Engine) -> None:
    assert len(engine.corpus.documents) == 10
    failures = []
    for item in _items():
        answer = engine.answer(item["question"])
        if answer.status != "not_found" or answer.value is not None or answer.citations:
            failures.append(
                f"{item['id']} [{item['category']}] {item['question']!r}\n"
                f"    -> status={answer.status} value={answer.value} "
                f"citations={len(answer.citations)}: {answer.answer!r}"
            )
    if failures:
        pytest.fail(f"{len(failures)} off-topic questions answered:\n" + "\n".join(failures))
