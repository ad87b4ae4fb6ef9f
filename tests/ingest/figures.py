"""Shared helpers of the exact-figure tests: filings prepared once, expected periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest.pipeline import Prepared, prepare


class Docs:
    """Each filing prepared once per test module, on first use."""

    def __init__(self, root: Path, files: dict[str, str]) -> None:
        self.root = root
        self.files = files
        self.cache: dict[str, Prepared] = {}

    def __getitem__(self, key: str) -> Prepared:
        if key not in self.cache:
            path = self.root / self.files[key]
            self.cache[key] = prepare(path, path.read_bytes())
        return self.cache[key]


@dataclass(frozen=True)
class Per:
    """Expected period: label, start (None for an instant), end; ``slop`` days allowed on
    the start when the header does not state it ("Three Months Ended June 28, 2025", 52/53-week
    years)."""

    label: str
    start: str | None
    end: str
    slop: int = 0


NO_PERIOD = Per("", None, "")  # the figure has no period of its own (a change, an age)


def instant(day: str) -> Per:
    parsed = date.fromisoformat(day)
    return Per(f"{parsed:%B} {parsed.day}, {parsed.year}", None, day)
