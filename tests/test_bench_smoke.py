"""The benchmarks run end to end on a tiny input (smoke tests; speed figures are not judged)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import bench_ingest

JUNIPER = "juniper_8k_ex99-1_q4fy2007_earnings.txt"


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


@pytest.mark.slow
def test_crossfoot_bench_runs_on_one_small_filing(tmp_path: Path, filings: Path) -> None:
    from evals import bench

    folder = tmp_path / "filings"
    folder.mkdir()
    (folder / JUNIPER).write_bytes((filings / JUNIPER).read_bytes())
    printed: list[str] = []
    out = tmp_path / "bench.json"
    bench.main(folder, scales=(1, 2), repeat=1, out=out, echo=printed.append)
    found = json.loads(out.read_text())
    assert found["filings"] == 1
    assert found["questions"]["n"] == 142  # the Juniper golden questions, one timed pass
    assert (found["ingest"]["chunks"], found["ingest"]["texts"]) == (62, 237)
    assert found["baseline"]["chunks"] == 62
    assert [(s["factor"], s["documents"], s["vectors"]) for s in found["scale"]] == [
        (1, 1, 237),
        (2, 2, 474),
    ]
    assert {system: r["n"] for system, r in found["retrieval"].items()} == {
        "baseline": 132,
        "crossfoot_retriever": 132,
        "crossfoot_answer": 132,
    }
    table = printed[-2]
    assert "LangChain baseline (1024 chars, k=5)" in table
    assert "over HTTP: not measured here; `python -m evals.load` drives" in table
