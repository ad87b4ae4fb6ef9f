"""The ingest benchmark runs end to end on a tiny input (a smoke test; figures are not judged)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import bench_ingest


@pytest.mark.slow
def test_bench_ingest_runs_on_one_small_filing(
    tmp_path: Path, filings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    bench_ingest.main(
        [str(filings / "juniper_8k_ex99-1_q4fy2007_earnings.txt"), "--json", str(out)]
    )
    printed = capsys.readouterr().out
    assert "juniper_8k_ex99-1_q4fy2007_earnings.txt" in printed
    assert "TOTAL" in printed
    result = json.loads(out.read_text())
    row = result["files"][0]
    assert (row["tables"], row["chunks"]) == (11, result["total"]["chunks"])
    assert set(row) >= {
        "parse_kb_per_s",
        "end_to_end_chunks_per_s",
        "raw_embed_texts_per_s",
        "overhead",
    }
