"""Shared fixtures: the filings shipped for tests, offline model settings."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from evals.load import free_port

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

FILINGS = Path(__file__).parent / "data" / "filings"
# the answer object's fields (FORMATS.md), from every front end alike
ANSWER_KEYS = {
    "id",
    "question",
    "status",
    "answer",
    "value",
    "program",
    "citations",
    "confidence",
    "conversation_id",
    "timings_ms",
}


@pytest.fixture(scope="session")
def filings() -> Path:
    return FILINGS


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from ingest.embed import Embedder

    return Embedder()


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        found = shutil.which("chroma")
        assert found, "the chroma CLI comes with the chromadb package"
        chroma = Path(found)
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield url
    process.terminate()
    process.wait(timeout=30)
