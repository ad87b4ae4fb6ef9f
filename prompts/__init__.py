"""Prompt templates, one text file each, loaded by name with :func:`load`.

Templates use ``{name}`` fields (``str.format``); :func:`fields` lists them so a test can
check every caller supplies each one.
"""

from __future__ import annotations

import string
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def load(name: str) -> str:
    path = _HERE / f"{name}.txt"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in _HERE.glob("*.txt")))
        raise KeyError(f"no prompt '{name}' (known: {known})")
    return path.read_text(encoding="utf-8")


def fields(name: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(load(name)) if f}


def names() -> list[str]:
    return sorted(p.stem for p in _HERE.glob("*.txt"))
