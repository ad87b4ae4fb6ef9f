"""Fuzz the API from its own OpenAPI schema (schemathesis) against a real uvicorn on
loopback: whatever the generated request, valid or not, the answer is never a 5xx, never a
trace, and every error has the one JSON shape.

(schemathesis's own pytest plugin does not run under pytest 9, so the tests draw cases from
its Hypothesis strategies directly, one test per operation and generation mode.)"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from server.app import create_app
from server.settings import Settings

from .conftest import ADMIN_KEY, KEYS, LiveServer

pytestmark = pytest.mark.slow

SCHEMA = schemathesis.openapi.from_dict(
    create_app(Settings(data_dir=Path("unused"), api_keys=KEYS)).openapi()
)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
EXAMPLES = 50


@pytest.fixture(scope="module")
def base_url(live_server: LiveServer) -> str:
    return live_server(api_keys=KEYS, rate_limit_per_minute="0")


# invalid requests for every operation that takes a body or a query (a path parameter is any
# string, so an operation with nothing else has no invalid form to generate)
CASES = [
    pytest.param(op, mode, id=f"{op.method.upper()} {op.path} {mode.value}")
    for op in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode == GenerationMode.POSITIVE or len(op.query) or len(op.body)
]


@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_no_server_errors(
    base_url: str, operation: schemathesis.APIOperation, mode: GenerationMode
) -> None:
    seen: list[int] = []

    @given(data=st.data())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        headers = {**(case.headers or {}), "Authorization": f"Bearer {ADMIN_KEY}"}
        response = case.call(base_url=base_url, headers=headers, timeout=120)
        seen.append(response.status_code)
        where = f"{case.method} {case.formatted_path} {case.query} {str(case.body)[:200]}"
        assert response.status_code < 500, f"{where}: {response.text[:500]}"
        assert "Traceback" not in response.text
        if response.status_code >= 400:
            assert set(response.json()["error"]) >= {"code", "message"}, where

    check()
    assert seen  # the operation really was called
    counts = ", ".join(f"{status}: {n}" for status, n in sorted(Counter(seen).items()))
    print(f"fuzz {operation.method.upper()} {operation.path} {mode.value}: {counts}")
