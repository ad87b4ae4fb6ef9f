"""`crossfoot serve` as a user starts it: with no API keys it binds to 127.0.0.1 only and
says so."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

from .conftest import ROOT, start_crossfoot

pytestmark = pytest.mark.slow


def _other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))
            address = str(sock.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_no_keys_binds_loopback_only(store_copy: Path) -> None:
    port = free_port()
    env = {**os.environ, "CROSSFOOT_DATA_DIR": str(store_copy), "HF_HUB_OFFLINE": "1"}
    env.pop("CROSSFOOT_API_KEYS", None)
    process = start_crossfoot("serve", "--host", "0.0.0.0", "--port", str(port), env=env)
    try:
        deadline = time.time() + 120
        while True:
            assert process.poll() is None
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.time() < deadline
            time.sleep(0.3)
        other = _other_address()
        if other is not None:
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"http://{other}:{port}/healthz", timeout=2)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert (
        "No API keys are configured (CROSSFOOT_API_KEYS), so crossfoot binds to 127.0.0.1 "
        "only, not 0.0.0.0." in stderr
    )
    assert f"http://127.0.0.1:{port}/" in stderr


def test_malformed_keys_exit_2(store_copy: Path) -> None:
    script = Path(sys.executable).parent / "crossfoot"
    env = {**os.environ, "CROSSFOOT_DATA_DIR": str(store_copy), "CROSSFOOT_API_KEYS": "k:root"}
    done = subprocess.run(
        [str(script), "serve"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr == "error: CROSSFOOT_API_KEYS entry k:ro... is not KEY:ask or KEY:admin\n"


def test_slack_socket_mode_needs_tokens_and_says_when_slack_is_unreachable(
    store_copy: Path,
) -> None:
    script = Path(sys.executable).parent / "crossfoot"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSFOOT_SLACK")} | {
        "CROSSFOOT_DATA_DIR": str(store_copy),
        "HF_HUB_OFFLINE": "1",
    }
    missing = subprocess.run(
        [str(script), "slack"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert missing.returncode == 2
    assert missing.stderr.startswith(
        "error: set CROSSFOOT_SLACK_BOT_TOKEN and CROSSFOOT_SLACK_APP_TOKEN"
    )
    closed = free_port()  # nothing listens there
    unreachable = subprocess.run(
        [str(script), "slack"],
        cwd=ROOT,
        env=env
        | {
            "CROSSFOOT_SLACK_BOT_TOKEN": "xoxb-test",
            "CROSSFOOT_SLACK_APP_TOKEN": "xapp-test",
            "CROSSFOOT_SLACK_API_URL": f"http://127.0.0.1:{closed}/api/",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert unreachable.returncode == 1
    assert unreachable.stderr.splitlines()[-1] == (
        "error: could not connect to Slack over Socket Mode: <urlopen error [Errno 111] "
        "Connection refused>"
    )
    assert "Traceback" not in unreachable.stderr
