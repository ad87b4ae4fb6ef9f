"""The plain-LangChain baseline and the evidence hit rule shared by every system scored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from evals.baseline import baseline_retrieve, build_baseline, evidence_hit, recall_at_k

JUNIPER = "juniper_8k_ex99-1_q4fy2007_earnings.txt"
REVENUES = [{"quote": "Total net revenues 809,182", "where": "Statements of Operations"}]


def test_quote_matches_after_whitespace_case_and_dollar_normalisation() -> None:
    assert evidence_hit("Net revenues:\nTOTAL  net\trevenues  $ 809,182   595,830", REVENUES)
    product = [{"quote": "Product $ 668,746", "where": ""}]
    assert evidence_hit("Product\t\\$ 668,746\t\\$ 483,176", product)


def test_figures_on_separate_lines_match_a_row_document() -> None:
    row = (
        "Total net revenues | Condensed Consolidated Statements of Operations\n"
        "Q4 2007: 809,182 (809182000 USD)\nQ4 2006: 595,830 (595830000 USD)"
    )
    assert evidence_hit(row, REVENUES)
    assert evidence_hit("Diluted, Statements, Q4 2007, (1.76)", [{"quote": "Diluted $ (1.76)"}])
    whole_row = [{"quote": "Net sales 177,866 232,887 280,522"}]
    assert evidence_hit("Net sales\n2019: 280,522\n2018: 232,887\n2017: 177,866", whole_row)
    assert not evidence_hit("Net sales, Statements, FY2019, 280,522", whole_row)


def test_a_different_figure_does_not_match() -> None:
    assert not evidence_hit("Total net revenues 595,830 2,836,088", REVENUES)
    assert not evidence_hit("Total net revenues 1,809,182", REVENUES)
    assert not evidence_hit("anything", [{"quote": ""}])


def test_a_quote_without_significant_figures_needs_the_words() -> None:
    year = [{"quote": "a strong year in 2007"}]
    assert not evidence_hit("Revenue grew in 2007 to a record", year)
    assert evidence_hit("It was A strong year\nin 2007, he said", year)
    percent = [{"quote": "about 4% of our total employee base"}]
    assert not evidence_hit("4 employees in 2023", percent)


def test_recall_skips_items_without_evidence_and_reports_misses() -> None:
    items: list[dict[str, Any]] = [
        {"id": "a", "question": "q", "kind": "lookup", "evidence": REVENUES},
        {"id": "b", "question": "q", "kind": "lookup", "evidence": [{"quote": "Service 509,105"}]},
        {"id": "c", "question": "q", "kind": "not_found", "evidence": REVENUES},
        {"id": "d", "question": "q", "kind": "lookup", "evidence": []},
    ]
    passages = ["x"] * 5 + ["Total net revenues 809,182", "Service 509,105"]
    result = recall_at_k(lambda item: passages if item["id"] == "a" else passages[-1:], items)
    assert result["n"] == 2
    assert result["recall_at_5"] == 50.0  # item a's hit is 6th, past k
    assert result["misses"] == ["a"]
    assert set(result["latency_ms"]) == {"p50", "p95", "p99"}


@pytest.mark.slow
def test_baseline_over_one_filing(filings: Path, embedder: Any, tmp_path: Path) -> None:
    baseline = build_baseline([filings / JUNIPER], embedder, tmp_path / "chroma")
    assert baseline.chunks == 62
    docs = baseline.retriever(JUNIPER).invoke("What were total net revenues in Q4 2007?")
    assert len(docs) == 5
    assert {d.metadata["source"] for d in docs} == {JUNIPER}
    golden = Path(__file__).parents[1] / "evals" / "golden" / "juniper.jsonl"
    items = [json.loads(line) for line in golden.read_text().splitlines() if line.strip()][:5]
    result = recall_at_k(baseline_retrieve(baseline), items)
    assert result["n"] == 5
    assert result["recall_at_5"] == 40.0
