"""The HTTP load benchmark's own bookkeeping, for a few seconds against a real uvicorn (the
figures themselves are measured by `python -m evals.load`, never asserted)."""

from __future__ import annotations

import pytest

from evals.load import golden_questions, run_load, summary

from .conftest import ASK_KEY, JUNIPER, KEYS, LiveServer

pytestmark = pytest.mark.slow


def test_load_counts_every_request(live_server: LiveServer) -> None:
    url = live_server(api_keys=KEYS, rate_limit_per_minute="0")
    questions = [q for q in golden_questions() if q.get("doc") == JUNIPER][:10]
    assert len(questions) == 10
    for stream in (False, True):
        result = run_load(url, questions, clients=3, seconds=2, key=ASK_KEY, stream=stream)
        assert result.errors == 0, result.error_samples
        assert result.served > 0
        assert sum(result.statuses.values()) == result.served
        assert result.p50_ms <= result.p95_ms <= result.p99_ms <= result.max_ms
        assert f"served {result.served} " in summary(result)
    refused = run_load(url, questions, clients=2, seconds=1, key=None, warmup=0)
    assert refused.served == 0
    assert set(refused.errors_by_kind) == {"http 401"}
