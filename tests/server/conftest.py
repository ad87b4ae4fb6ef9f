"""Fixtures for the HTTP service: a store holding the Juniper filing, the FastAPI app through
its test client, and a real ``uvicorn`` on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from evals.load import uvicorn_command, wait_ready
from tests.conftest import free_port

JUNIPER = "juniper_8k_ex99-1_q4fy2007_earnings.txt"
ROOT = Path(__file__).resolve().parents[2]
ASK_KEY = "pk-ask-0123456789"
ADMIN_KEY = "sk-admin-0123456789"
KEYS = f"{ASK_KEY}:ask,{ADMIN_KEY}:admin"


@pytest.fixture(scope="session")
def juniper_store(
    tmp_path_factory: pytest.TempPathFactory, filings: Path, embedder: object
) -> Path:
    """A store folder holding the Juniper filing; tests copy it, never write to it."""
    from ingest.pipeline import ingest_file
    from ingest.store import Store

    folder = tmp_path_factory.mktemp("juniper-store")
    source = tmp_path_factory.mktemp("juniper-in") / JUNIPER
    shutil.copy(filings / JUNIPER, source)
    result = ingest_file(source, Store.open(data_dir=folder), embedder)  # type: ignore[arg-type]
    assert result.status == "ingested"
    return folder


@pytest.fixture
def store_copy(juniper_store: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(juniper_store, target)
    return target


def start_crossfoot(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """``crossfoot ARGS`` as a user starts it, in the background, its output captured."""
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "crossfoot"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


LiveServer = Callable[..., str]


@pytest.fixture(scope="module")
def live_server(
    tmp_path_factory: pytest.TempPathFactory, juniper_store: Path
) -> Iterator[LiveServer]:
    """Starts ``uvicorn server.app:create_app`` on loopback over a copy of the Juniper store
    (extra ``CROSSFOOT_*`` settings as keyword arguments) and returns its base URL."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(**settings: str) -> str:
        data_dir = tmp_path_factory.mktemp("live-store")
        shutil.rmtree(data_dir)
        shutil.copytree(juniper_store, data_dir)
        port = free_port()
        env = {
            **os.environ,
            "CROSSFOOT_DATA_DIR": str(data_dir),
            "HF_HUB_OFFLINE": "1",
            **{f"CROSSFOOT_{name.upper()}": value for name, value in settings.items()},
        }
        log = (data_dir.parent / f"uvicorn-{port}.log").open("wb")
        process = subprocess.Popen(
            uvicorn_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_ready(process, url, workers=1, timeout=120)
        except RuntimeError as error:
            pytest.fail(f"{error}: see {log.name}")
        return url

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
