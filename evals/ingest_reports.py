"""Ingest figures per report (issue 16, point 3): seconds, peak memory, pages, tables, facts,
and the share of tables that pass their cross-foot checks.

Each report is ingested end to end (parse, embed, write) into a fresh Chroma store in a
process of its own, so its peak resident memory is its own; the table checks are read from a
second, untimed parse. Run::

    python -m evals.ingest_reports ../shared/filings/annual/*.pdf [--json OUT]

The targets are at most 15 s per 100 pages and 1.5 GB peak on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from ingest.embed import Embedder
from ingest.pipeline import ingest_file
from ingest.store import Store
path, store = Path(sys.argv[1]), Path(sys.argv[2])
embedder = Embedder()
embedder.embed(["warm up"])
started = time.perf_counter()
result = ingest_file(path, Store.open(data_dir=store), embedder)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"status": result.status, "seconds": round(seconds, 1),
                  "peak_mb": round(peak), "tables": result.tables, "facts": result.facts,
                  "chunks": result.chunks, "error": result.error}))
"""


def checks(path: Path) -> dict[str, int]:
    """How many tables a report has, how many carry a cross-foot check, how many pass all."""
    from ingest.extract import extract
    from ingest.load import load
    from ingest.metadata import fiscal_year_end_month

    loaded = load(path, path.read_bytes())
    extraction = extract(loaded, "x", path.name, fiscal_year_end_month(loaded))
    checked = [t for t in extraction.tables if t.passed_checks or t.failed_checks]
    return {
        "tables": len(extraction.tables),
        "checked": len(checked),
        "passing": sum(1 for t in checked if not t.failed_checks),
    }


def pages(path: Path) -> int | None:
    if path.suffix.lower() != ".pdf":
        return None
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


def measure(path: Path) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), str(Path(tmp) / "store")],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        wall = time.perf_counter() - started
    if child.returncode != 0:
        return {"file": path.name, "status": "failed", "error": child.stderr.strip()[-300:]}
    row: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    row.update(file=path.name, wall_s=round(wall, 1), pages=pages(path))
    row.update({f"tables_{k}": v for k, v in checks(path).items()})
    if row["pages"]:
        row["s_per_100_pages"] = round(100 * row["seconds"] / row["pages"], 1)
    checked = row["tables_checked"]
    row["passing_share"] = round(row["tables_passing"] / checked, 3) if checked else None
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Ingest figures per report.")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    rows = []
    header = (
        f"{'report':34} {'pages':>5} {'s':>6} {'s/100p':>6} {'peak MB':>7} {'tables':>6} "
        f"{'facts':>6} {'checked':>7} {'pass':>5}"
    )
    print(header)
    for path in args.files:
        row = measure(path)
        rows.append(row)
        if row["status"] == "failed":
            print(f"{path.name:34} failed: {row['error']}")
            continue
        share = f"{100 * row['passing_share']:.0f}%" if row["passing_share"] is not None else "-"
        print(
            f"{row['file']:34} {row['pages'] or '-':>5} {row['seconds']:>6} "
            f"{row.get('s_per_100_pages', '-'):>6} {row['peak_mb']:>7} {row['tables']:>6} "
            f"{row['facts']:>6} {row['tables_checked']:>7} {share:>5}",
            flush=True,
        )
    done = [r for r in rows if r["status"] != "failed"]
    total_pages = sum(r["pages"] or 0 for r in done)
    total_s = sum(r["seconds"] for r in done)
    if total_pages:
        print(
            f"TOTAL {len(done)} reports, {total_pages} pages, {total_s:.0f} s "
            f"({100 * total_s / total_pages:.1f} s per 100 pages), peak "
            f"{max(r['peak_mb'] for r in done)} MB"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
