"""Running a benchmark from the command line: progress, results.json, report.html, summary.

``crossfoot eval tatqa|finqa|convfinqa|golden`` and ``python -m evals.tatqa|finqa|convfinqa|golden``
all end here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .harness import default_out, progress


def report_arguments(parser: argparse.ArgumentParser, items: str | None, show: int = 10) -> None:
    """The options every benchmark's command line takes: how many ``items`` to run (none for
    a benchmark that runs whole files), where the report goes, what to compare it with and how
    many failures to print."""
    if items is not None:
        parser.add_argument("--limit", type=int, default=0, help=f"first N {items} (0: all)")
    parser.add_argument("--out", type=Path, help="results folder (default evals/runs/...)")
    parser.add_argument("--compare", type=Path, help="an earlier run's results.json")
    parser.add_argument("--show", type=int, default=show, help="failures to print")


def run_benchmark(
    name: str,
    work: Callable[[Callable[[int], None]], dict[str, Any]],
    total: int,
    out: Path | None = None,
    compare: Path | None = None,
    show: int = 10,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run ``work`` (given a progress callback), write the report, print the figures."""
    from .report import comparison_text, summary_text, write_report

    with progress(total, name) as bar:
        found = work(bar.update)
    folder = out or default_out(name)
    json_path, html_path, comparison = write_report(found, folder, compare)
    echo(summary_text(found))
    failures = [r for r in found["records"] if r["verdict"] != "correct"]
    failures.sort(key=lambda r: r["verdict"] != "wrong")
    for record in failures[:show]:
        got = record["answer"]
        value = got["value"]["display"] if got.get("value") else got["status"]
        echo(
            f"  {record['verdict'].upper():8} {record['id']} {record['question']}\n"
            f"           gold {_short(record['gold'])} | got {value}: {got['answer'][:140]}"
        )
    if comparison is not None:
        echo(comparison_text(comparison))
    echo(f"results: {json_path}\nreport:  {html_path}")
    return found


def _short(gold: Any) -> str:
    if isinstance(gold, dict):  # FinQA's dev file has no answer string: its exe_ans then
        gold = gold["answer"] if gold.get("answer") is not None else gold.get("exe_ans", gold)
    text = str(gold)
    return text if len(text) <= 100 else text[:97] + "..."
