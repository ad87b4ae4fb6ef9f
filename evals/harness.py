"""What every benchmark run shares: one record per question, the summary, results.json.

A run is a list of :class:`Record` (the question, the gold answer, crossfoot's answer object,
the verdict and the benchmark's own per-question scores); :func:`results` turns it into the
``results.json`` document the report reads (``evals/report.py``)::

    {"benchmark", "dataset", "created", "commit", "settings",
     "summary": {"n", "correct", "refused", "wrong", <metrics>, "latency_ms", "breakdown"},
     "records": [{"id", "question", "doc", "gold", "gold_program", "groups", "scores",
                  "prediction", "answer", "verdict", "latency_ms"}]}

``correct``, ``refused``, ``wrong`` and the metrics are percentages of ``n``; ``breakdown``
holds the same figures per group of each dimension a benchmark records (TAT-QA's answer type
and source, FinQA's first operation and step count, the golden files' kind).
"""

from __future__ import annotations

import math
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from retrieval.answer import Answer

ROOT = Path(__file__).resolve().parents[1]
RUNS = ROOT / "evals" / "runs"
VERDICTS = ("correct", "refused", "wrong")


@dataclass
class Record:
    id: str
    question: str
    doc: str | None
    gold: Any
    answer: Answer
    verdict: str  # correct | refused | wrong
    latency_ms: float
    groups: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    prediction: Any = None
    gold_program: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "doc": self.doc,
            "gold": self.gold,
            "gold_program": self.gold_program,
            "groups": self.groups,
            "scores": self.scores,
            "prediction": self.prediction,
            "answer": self.answer.to_json(),
            "verdict": self.verdict,
            "latency_ms": round(self.latency_ms, 3),
        }


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    """A benchmark's table (a list of rows, the header first) as a Markdown table, the form
    crossfoot's ingester reads; short rows are padded, "|" in a cell becomes "/"."""
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    lines = []
    for i, row in enumerate(rows):
        cells = [str(c).replace("|", "/").strip() for c in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def timed(ask: Callable[[], Answer]) -> tuple[Answer, float]:
    started = time.perf_counter()
    answer = ask()
    return answer, (time.perf_counter() - started) * 1000


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def latency(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 0.5), 2),
        "p95": round(percentile(values, 0.95), 2),
        "p99": round(percentile(values, 0.99), 2),
        "max": round(max(values, default=0.0), 2),
    }


def _stats(records: Sequence[Record], metrics: Sequence[str]) -> dict[str, Any]:
    n = len(records)
    out: dict[str, Any] = {"n": n}
    for verdict in VERDICTS:
        out[verdict] = round(100 * sum(r.verdict == verdict for r in records) / max(1, n), 2)
    for metric in metrics:
        out[metric] = round(100 * sum(r.scores.get(metric, 0.0) for r in records) / max(1, n), 2)
    return out


def summarize(records: Sequence[Record], metrics: Sequence[str] = ()) -> dict[str, Any]:
    summary = _stats(records, metrics)
    summary["latency_ms"] = latency([r.latency_ms for r in records])
    groups: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    for record in records:
        for dimension, group in record.groups.items():
            groups[dimension][group].append(record)
    summary["breakdown"] = {
        dimension: {group: _stats(members, metrics) for group, members in sorted(by.items())}
        for dimension, by in groups.items()
    }
    return summary


def commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def results(
    benchmark: str,
    dataset: str,
    records: Iterable[Record],
    metrics: Sequence[str] = (),
    settings: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    records = list(records)
    summary = summarize(records, metrics)
    summary.update(extra or {})
    return {
        "benchmark": benchmark,
        "dataset": dataset,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit(),
        "settings": settings or {},
        "summary": summary,
        "records": [r.to_json() for r in records],
    }


def default_out(benchmark: str) -> Path:
    return RUNS / f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{benchmark}"


def progress(total: int, label: str) -> Any:
    """A progress bar on stderr (tqdm), silent when stderr is not a terminal."""
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="q", disable=not sys.stderr.isatty(), leave=False)
