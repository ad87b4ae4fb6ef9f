"""Imports point inward (server → retrieval → ingest) and only server/ reads the environment."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"fastapi", "slack_bolt", "typer", "server"}


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["ingest", "retrieval"])
def test_inner_packages_do_not_import_entry_points(package: str) -> None:
    for path in _modules(package):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path} imports {name}"
        if package == "ingest":
            assert "import retrieval" not in path.read_text(), path


@pytest.mark.parametrize("package", ["ingest", "retrieval"])
def test_inner_packages_do_not_read_the_environment(package: str) -> None:
    for path in _modules(package):
        text = path.read_text()
        # settings come from server/settings.py; passing the environment on to a child
        # process (dict(os.environ)) is not reading it
        assert not re.search(r"os\.environ(\[|\.get|\.setdefault)|getenv", text), path


def test_importing_ingest_does_not_load_the_model() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ingest.pipeline, ingest.store, server.cli; "
        "print(sorted(m for m in ('sentence_transformers', 'torch', 'chromadb', 'pdfplumber') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stderr
