"""The HTTP API through FastAPI's test client over a real store holding the Juniper filing:
every endpoint, every error status, the stream's event sequence, conversations continued by
another app instance (a replica)."""

from __future__ import annotations

import base64
import json
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.conftest import ANSWER_KEYS

from .conftest import ADMIN_KEY, ASK_KEY, JUNIPER, KEYS

pytestmark = pytest.mark.slow

ASK = {"Authorization": f"Bearer {ASK_KEY}"}
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
Q4 = "What were total net revenues in Q4 2007?"


@contextmanager
def _client(data_dir: Path, **settings: Any) -> Iterator[TestClient]:
    """The app with its lifespan running, once it is ready (model loaded, index built)."""
    options: dict[str, Any] = {"api_keys": KEYS, "rate_limit_per_minute": 0, **settings}
    with TestClient(create_app(Settings(data_dir=data_dir, **options))) as client:
        deadline = time.time() + 120
        while client.get("/readyz").status_code != 200:
            assert time.time() < deadline, "not ready within 120 s"
            time.sleep(0.1)
        yield client


@pytest.fixture
def client(store_copy: Path) -> Iterator[TestClient]:
    with _client(store_copy) as test_client:
        yield test_client


def _no_trace(body: str) -> None:
    assert "Traceback" not in body
    assert 'File "' not in body


def _events(text: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        out.append((lines["event"], json.loads(lines["data"])))
    return out


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "ready": True,
        "model_loaded": True,
        "store_reachable": True,
        "documents": 1,
        "error": None,
    }
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {
        "/healthz",
        "/readyz",
        "/v1/ask",
        "/v1/ask/stream",
        "/v1/documents",
        "/v1/jobs/{job_id}",
        "/v1/documents/{doc_id}",
        "/v1/documents/{doc_id}/source",
        "/v1/facts",
    }
    assert client.get("/docs").status_code == 200


def test_ask_returns_the_answer_object_with_citations(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": Q4}, headers=ASK)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "answered"
    assert body["value"] == {"number": "809182000", "unit": "USD", "display": "$809.2 million"}
    assert body["answer"] == "Total net revenues was $809.2 million in Q4 2007."
    assert body["program"] is None
    [citation] = body["citations"]
    assert citation["document"] == JUNIPER
    assert citation["row"] == "Total net revenues"
    assert citation["column"] == "Three Months Ended December 31, 2007"
    assert citation["as_printed"] == "809,182"
    assert citation["scale"] == "thousands"
    assert body["conversation_id"].startswith("cv1.")
    assert isinstance(body["confidence"], float)
    from retrieval.answer import MIN_CONFIDENCE

    assert MIN_CONFIDENCE <= body["confidence"] <= 1  # answered: at least the threshold
    assert set(body) == ANSWER_KEYS


def test_follow_up_continues_across_replicas(store_copy: Path) -> None:
    """Conversation state travels with the request: a second app on the same store (another
    replica behind a load balancer) continues a conversation the first one started."""
    with _client(store_copy) as first:
        opened = first.post("/v1/ask", json={"question": Q4}, headers=ASK).json()
    with _client(store_copy) as second:
        follow = second.post(
            "/v1/ask",
            json={"question": "And in Q4 2006?", "conversation_id": opened["conversation_id"]},
            headers=ASK,
        ).json()
        assert follow["status"] == "answered"
        assert follow["value"]["number"] == "595830000"
        assert follow["conversation_id"].startswith("cv1.")  # the state after this turn
        assert follow["conversation_id"] != opened["conversation_id"]
        alone = second.post("/v1/ask", json={"question": "And in Q4 2006?"}, headers=ASK).json()
        assert alone["value"] is None or alone["value"]["number"] != "595830000"


def test_stream_event_sequence(client: TestClient) -> None:
    question = "By what percentage did total net revenues grow in Q4 2007 compared with Q4 2006?"
    with client.stream("POST", "/v1/ask/stream", json={"question": question}, headers=ASK) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = _events(text)
    names = [name for name, _ in events]
    assert names[0] == "status"
    assert names[-1] == "answer"
    deltas = [data["text"] for name, data in events if name == "delta"]
    citations = [data for name, data in events if name == "citation"]
    final = events[-1][1]
    assert names == ["status"] + ["delta"] * len(deltas) + ["citation"] * len(citations) + [
        "answer"
    ]
    assert len(deltas) >= 2
    assert "".join(deltas) == final["answer"]
    assert final["value"] == {
        "number": "35.80752899316919255492338419",
        "unit": "percent",
        "display": "35.8%",
    }
    assert final["program"] == "divide(subtract(809182000, 595830000), 595830000)"
    assert [c["index"] for c in citations] == list(range(len(final["citations"])))
    assert [{k: v for k, v in c.items() if k != "index"} for c in citations] == final["citations"]
    assert [c["as_printed"] for c in citations] == ["809,182", "595,830", "36%"]
    assert events[0][1] == {"state": "working"}


def test_stream_error_statuses_are_json(client: TestClient) -> None:
    response = client.post("/v1/ask/stream", json={"question": ""}, headers=ASK)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert client.post("/v1/ask/stream", json={"question": Q4}).status_code == 401


def test_not_found_is_an_answer_not_an_error(client: TestClient) -> None:
    body = client.post(
        "/v1/ask", json={"question": "What were total net revenues in fiscal 2012?"}, headers=ASK
    ).json()
    assert body["status"] == "not_found"
    assert body["value"] is None
    assert body["answer"] == (
        "The filings have “Net revenues” for Q4 2007, Q4 2006, FY2007, FY2006, but nothing "
        "for fiscal 2012."
    )


def test_keys_and_scopes(client: TestClient) -> None:
    calls = [
        ("POST", "/v1/ask", {"json": {"question": Q4}}),
        ("POST", "/v1/ask/stream", {"json": {"question": Q4}}),
        ("GET", "/v1/documents", {}),
        ("POST", "/v1/documents", {"files": {"files": ("a.txt", b"Revenue was $5.")}}),
        ("GET", "/v1/jobs/abc", {}),
        ("DELETE", f"/v1/documents/{JUNIPER}", {}),
        ("GET", "/v1/facts", {}),
        ("GET", f"/v1/documents/{JUNIPER}/source?start=0&end=10", {}),
    ]
    for method, path, kwargs in calls:
        missing = client.request(method, path, **kwargs)
        assert missing.status_code == 401, path
        assert missing.json()["error"]["code"] == "unauthorized"
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = client.request(method, path, headers={"Authorization": "Bearer nope"}, **kwargs)
        assert wrong.status_code == 401, path
        basic = client.request(method, path, headers={"Authorization": "Basic eDp5"}, **kwargs)
        assert basic.status_code == 401, path
    for method, path, kwargs in calls[3:6]:
        forbidden = client.request(method, path, headers=ASK, **kwargs)
        assert forbidden.status_code == 403, path
        assert forbidden.json() == {
            "error": {
                "code": "forbidden",
                "message": "this API key may ask questions but not change documents",
            }
        }
    # health needs no key
    assert client.get("/healthz").status_code == 200
    assert [d["document"] for d in client.get("/v1/documents", headers=ADMIN).json()] == [JUNIPER]


def test_limits_give_clear_json_errors(client: TestClient) -> None:
    long = client.post("/v1/ask", json={"question": "revenue " * 300}, headers=ASK)
    assert long.status_code == 413
    assert long.json() == {
        "error": {
            "code": "question_too_long",
            "message": "the question is 2,400 characters long; the limit is 2,000. Ask about "
            "one figure or fact at a time.",
        }
    }
    empty = client.post("/v1/ask", json={"question": "   "}, headers=ASK)
    assert empty.status_code == 422
    assert empty.json()["error"] == {
        "code": "invalid_request",
        "message": "question: the question is empty",
    }
    malformed = client.post(
        "/v1/ask",
        content=b'{"question": "revenue',
        headers={**ASK, "Content-Type": "application/json"},
    )
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "invalid_request"
    assert malformed.json()["error"]["message"].startswith("the body is not valid JSON")
    missing = client.post("/v1/ask", json={"q": Q4}, headers=ASK)
    assert missing.status_code == 422
    assert missing.json()["error"]["message"] == "question: Field required"
    wrong_type = client.post("/v1/ask", json={"question": 5}, headers=ASK)
    assert wrong_type.status_code == 422
    bad_conversation = client.post(
        "/v1/ask", json={"question": Q4, "conversation_id": "../../x"}, headers=ASK
    )
    assert bad_conversation.status_code == 422
    for forged in ("abc", "cv1.", "cv1.bm90IHpsaWI", "cv1.eJyLNowFAAHTAOo"):
        refused = client.post(
            "/v1/ask", json={"question": Q4, "conversation_id": forged}, headers=ASK
        )
        assert refused.status_code == 422, forged
        assert refused.json()["error"]["code"] == "invalid_conversation"
    bomb = "cv1." + base64.urlsafe_b64encode(zlib.compress(b" " * 200_000)).decode().rstrip("=")
    refused = client.post("/v1/ask/stream", json={"question": Q4, "conversation_id": bomb})
    assert refused.status_code in (401, 422)
    refused = client.post(
        "/v1/ask/stream", json={"question": Q4, "conversation_id": bomb}, headers=ASK
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid_conversation"
    huge = client.post(
        "/v1/ask",
        content=json.dumps({"question": "x", "pad": "y" * 70_000}).encode(),
        headers={**ASK, "Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    assert huge.json()["error"]["code"] == "too_large"
    unknown = client.get("/v1/nothing", headers=ASK)
    assert unknown.status_code == 404
    assert unknown.json() == {"error": {"code": "not_found", "message": "Not Found"}}
    wrong_method = client.put("/v1/ask", headers=ASK)
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"
    for response in (long, empty, malformed, missing, wrong_type, huge, unknown):
        _no_trace(response.text)


def test_rate_limit_per_key(store_copy: Path) -> None:
    with _client(store_copy, rate_limit_per_minute=2) as client:
        for _ in range(2):
            assert client.get("/v1/documents", headers=ASK).status_code == 200
        limited = client.get("/v1/documents", headers=ASK)
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "30"
        assert limited.json() == {
            "error": {
                "code": "rate_limited",
                "message": "too many requests: the limit is 2 a minute; try again in 30 s",
            }
        }
        # another key has its own allowance
        assert client.get("/v1/documents", headers=ADMIN).status_code == 200


def _wait_for_job(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.time() + 300
    while time.time() < deadline:
        job = client.get(f"/v1/jobs/{job_id}", headers=ADMIN).json()
        if job["status"] == "done":
            return job  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError("the upload job did not finish within 300 s")


def test_upload_job_delete_and_ask_the_new_filing(client: TestClient) -> None:
    filing = (
        b"Acme Widgets, Inc. Reports Fourth Quarter 2023 Results\n\n"
        b"Revenue for the fourth quarter of 2023 was $12.5 million, compared with $10.0 "
        b"million in the fourth quarter of 2022.\n"
    )
    response = client.post(
        "/v1/documents",
        headers=ADMIN,
        files=[
            ("files", ("../../acme_q4_2023.txt", filing, "text/plain")),
            ("files", ("empty.txt", b"", "text/plain")),
            ("files", ("scan.pdf", b"\x00\x01binary" * 100, "application/pdf")),
            ("files", ("notes.docx", b"PK\x03\x04", "application/octet-stream")),
        ],
    )
    assert response.status_code == 202
    accepted = response.json()
    assert accepted["files"] == ["acme_q4_2023.txt", "empty.txt", "scan.pdf", "notes.docx"]
    job = _wait_for_job(client, accepted["job_id"])
    results = {r["document"]: r for r in job["results"]}
    assert [r["status"] for r in job["results"]] == ["ingested", "failed", "failed", "failed"]
    assert results["empty.txt"]["error"] == "the file is empty (0 bytes)"
    assert "PDF" in results["scan.pdf"]["error"]
    assert "docx" in results["notes.docx"]["error"]
    assert "path" not in results["acme_q4_2023.txt"]
    assert job["progress"]["files_done"] == 4
    assert job["progress"]["files_total"] == 4
    documents = client.get("/v1/documents", headers=ASK).json()
    assert sorted(d["document"] for d in documents) == ["acme_q4_2023.txt", JUNIPER]
    # the new filing is answerable at once, and the Juniper one is untouched
    acme = client.post(
        "/v1/ask",
        json={"question": "What was revenue in the fourth quarter of 2023?", "doc": "acme"},
        headers=ASK,
    )
    assert acme.status_code == 200
    assert acme.json()["status"] == "not_found"  # "acme" is no document id or file name
    acme = client.post(
        "/v1/ask",
        json={
            "question": "What was revenue in the fourth quarter of 2023?",
            "doc": "acme_q4_2023.txt",
        },
        headers=ASK,
    ).json()
    assert acme["value"]["number"] == "12500000"
    juniper = client.post("/v1/ask", json={"question": Q4}, headers=ASK).json()
    assert juniper["value"]["number"] == "809182000"
    deleted = client.delete("/v1/documents/acme_q4_2023.txt", headers=ADMIN)
    assert deleted.status_code == 200
    assert deleted.json()["document"] == "acme_q4_2023.txt"
    again = client.delete("/v1/documents/acme_q4_2023.txt", headers=ADMIN)
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "document_not_found"
    assert [d["document"] for d in client.get("/v1/documents", headers=ASK).json()] == [JUNIPER]
    gone = client.get("/v1/jobs/0000", headers=ADMIN)
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "job_not_found"


def test_upload_limits(store_copy: Path) -> None:
    with _client(store_copy, max_file_mb=0.01, max_upload_files=2) as client:
        big = client.post(
            "/v1/documents",
            headers=ADMIN,
            files=[("files", ("big.txt", b"Revenue was $1.0 million.\n" * 1000, "text/plain"))],
        )
        assert big.status_code == 413
        assert big.json()["error"]["code"] == "file_too_large"
        assert big.json()["error"]["message"].startswith("big.txt is 0.0 MB; the limit is 0.01 MB")
        many = client.post(
            "/v1/documents",
            headers=ADMIN,
            files=[("files", (f"f{i}.txt", b"Revenue.", "text/plain")) for i in range(3)],
        )
        assert many.status_code == 413
        assert many.json()["error"]["code"] == "too_many_files"
        hidden = client.post(
            "/v1/documents", headers=ADMIN, files=[("files", (".env", b"x", "text/plain"))]
        )
        assert hidden.status_code == 422
        assert hidden.json()["error"]["code"] == "invalid_name"
        none = client.post("/v1/documents", headers=ADMIN)
        assert none.status_code == 422
        # nothing was lost
        assert [d["document"] for d in client.get("/v1/documents", headers=ASK).json()] == [JUNIPER]


def test_facts_are_filterable(client: TestClient) -> None:
    response = client.get(
        "/v1/facts",
        params={"doc": JUNIPER, "query": "total net revenues", "period": "Q4 2007"},
        headers=ASK,
    )
    assert response.status_code == 200
    body = response.json()
    values = {(f["table"].split(" / ")[1], f["value"]["number"]) for f in body["facts"]}
    assert ("Condensed Consolidated Statements of Operations", "809182000") in values
    assert body["total"] == len(body["facts"])
    [fact] = [f for f in body["facts"] if f["value"]["number"] == "809182000"][:1]
    assert fact["period"] == {
        "kind": "duration",
        "start": "2007-10-01",
        "end": "2007-12-31",
        "label": "Q4 2007",
    }
    page = client.get("/v1/facts", params={"limit": 5, "offset": 5}, headers=ASK).json()
    assert len(page["facts"]) == 5
    assert page["total"] > 100
    assert client.get("/v1/facts", params={"doc": "nope.txt"}, headers=ASK).status_code == 404
    assert client.get("/v1/facts", params={"limit": 0}, headers=ASK).status_code == 422


def test_source_around_a_citation(client: TestClient) -> None:
    citation = client.post("/v1/ask", json={"question": Q4}, headers=ASK).json()["citations"][0]
    response = client.get(
        f"/v1/documents/{citation['doc_id']}/source",
        params={"start": citation["char_start"], "end": citation["char_end"]},
        headers=ASK,
    )
    assert response.status_code == 200
    source = response.json()
    text, offset = source["text"], source["offset"]
    cited = text[source["start"] - offset : source["end"] - offset]
    assert "809,182" in cited
    line = next(line for line in text.splitlines() if "809,182" in line)
    assert line.startswith("Total net revenues")
    assert "595,830" in line  # the whole row, for checking against the other columns
    assert source["document"] == JUNIPER
    assert source["page"] is None
    assert len(text.splitlines()) == 5  # the row with two lines either side
    by_name = client.get(
        f"/v1/documents/{JUNIPER}/source",
        params={"start": citation["char_start"], "end": citation["char_end"]},
        headers=ASK,
    ).json()
    assert by_name == source
    bad = [
        (f"/v1/documents/{JUNIPER}/source?start=20&end=10", 422),
        (f"/v1/documents/{JUNIPER}/source?start=-1&end=10", 422),
        (f"/v1/documents/{JUNIPER}/source?start=99999999&end=99999999", 422),
        (f"/v1/documents/{JUNIPER}/source?start=x&end=10", 422),
        ("/v1/documents/nope.txt/source?start=0&end=10", 404),
    ]
    for path, status in bad:
        response = client.get(path, headers=ASK)
        assert response.status_code == status, path
        assert set(response.json()["error"]) == {"code", "message"}


def test_cors_only_for_allowed_origins(store_copy: Path) -> None:
    with _client(store_copy, allowed_origins="https://ir.example.com") as client:
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        }
        allowed = client.options(
            "/v1/ask", headers={"Origin": "https://ir.example.com", **preflight}
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://ir.example.com"
        refused = client.options("/v1/ask", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in refused.headers
        simple = client.get("/v1/documents", headers={"Origin": "https://evil.example", **ASK})
        assert "access-control-allow-origin" not in simple.headers


def test_widget_and_demo_page(client: TestClient) -> None:
    script = client.get("/widget.js")
    assert script.status_code == 200
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "attachShadow" in script.text
    page = client.get("/")
    assert page.status_code == 200
    assert f'data-key="{ASK_KEY}"' in page.text
    assert ADMIN_KEY not in page.text  # only a publishable (ask) key is ever put in a page
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-content-type-options"] == "nosniff"


def test_no_keys_means_open_on_loopback(store_copy: Path) -> None:
    with _client(store_copy, api_keys="") as client:
        assert client.get("/v1/documents").status_code == 200
        assert 'data-key=""' in client.get("/").text


def test_bad_api_keys_setting_is_an_error(store_copy: Path) -> None:
    with pytest.raises(ValueError, match="is not KEY:ask or KEY:admin"):
        create_app(Settings(data_dir=store_copy, api_keys="abc:root"))


def test_min_confidence_setting_reaches_the_engine(store_copy: Path) -> None:
    """CROSSFOOT_MIN_CONFIDENCE is the engine's threshold, in the server and the command line:
    at 1.0 the question answered at the fitted default is refused, naming the closest figure,
    with the same confidence."""
    from retrieval.answer import MIN_CONFIDENCE
    from server.app import AskRequest, Service
    from server.cli import _engine

    def service(**settings: Any) -> Service:
        built = Service(Settings(data_dir=store_copy, dense_search=False, **settings))
        built.load()
        return built

    default, strict = service(), service(min_confidence=1.0)
    assert (default.engine().min_confidence, strict.engine().min_confidence) == (None, 1.0)
    answered = default.ask(AskRequest(question=Q4))
    refused = strict.ask(AskRequest(question=Q4))
    assert answered.status == "answered"
    assert answered.confidence is not None and MIN_CONFIDENCE <= answered.confidence < 1.0
    assert refused.status == "not_found"
    assert refused.answer == (
        "The closest figure is “Total net revenues” in Q4 2007 ($809.2 million), but it fits "
        "the question too loosely to give as the answer."
    )
    assert refused.value is None
    assert refused.confidence == answered.confidence
    cli = _engine(Settings(data_dir=store_copy, dense_search=False, min_confidence=1.0))
    assert cli.min_confidence == 1.0
    assert cli.answer(Q4).status == "not_found"


def test_min_confidence_setting_is_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from retrieval.answer import MIN_CONFIDENCE

    monkeypatch.delenv("CROSSFOOT_MIN_CONFIDENCE", raising=False)
    assert Settings().min_confidence is None  # unset: the engine's fitted MIN_CONFIDENCE
    assert 0 < MIN_CONFIDENCE < 1
    monkeypatch.setenv("CROSSFOOT_MIN_CONFIDENCE", "0.75")
    assert Settings().min_confidence == 0.75
    for bad in ("-0.1", "1.01", "nan", "inf", "high"):
        monkeypatch.setenv("CROSSFOOT_MIN_CONFIDENCE", bad)
        with pytest.raises(ValidationError, match="min_confidence"):
            Settings()


def test_replicas_share_one_chroma_server(
    chroma_server: str, live_server: Any, filings: Path
) -> None:
    """Two uvicorn replicas on one `chroma run` server: a filing uploaded through one is
    answered by the other, and a conversation started on one continues on the other."""
    first = live_server(api_keys=KEYS, rate_limit_per_minute="0", chroma_url=chroma_server)
    second = live_server(
        api_keys=KEYS, rate_limit_per_minute="0", chroma_url=chroma_server, refresh_seconds="0"
    )
    import httpx

    upload = httpx.post(
        f"{first}/v1/documents",
        headers=ADMIN,
        files=[("files", (JUNIPER, (filings / JUNIPER).read_bytes(), "text/plain"))],
        timeout=60,
    )
    assert upload.status_code == 202
    job_id = upload.json()["job_id"]
    deadline = time.time() + 300
    while True:
        # the job's progress is in the store: the other replica reports it too
        job = httpx.get(f"{second}/v1/jobs/{job_id}", headers=ADMIN).json()
        if job["status"] == "done":
            break
        assert time.time() < deadline
        time.sleep(0.5)
    assert [r["status"] for r in job["results"]] == ["ingested"]
    opened = httpx.post(f"{second}/v1/ask", json={"question": Q4}, headers=ASK, timeout=60)
    assert opened.json()["value"]["number"] == "809182000"
    follow = httpx.post(
        f"{first}/v1/ask",
        json={"question": "And in Q4 2006?", "conversation_id": opened.json()["conversation_id"]},
        headers=ASK,
        timeout=60,
    ).json()
    assert follow["value"]["number"] == "595830000"


def test_stream_reports_failure_as_an_error_event(tmp_path: Path) -> None:
    """A server that could not build its index (here: no such embedding model) answers
    503 on /v1/ask, and an `error` event, after `status`, on the stream."""
    app = create_app(
        Settings(data_dir=tmp_path / "store", embedding_model=str(tmp_path / "no-model"))
    )
    with TestClient(app) as client:
        deadline = time.time() + 60
        while client.get("/readyz").json()["error"] is None:
            assert time.time() < deadline
            time.sleep(0.1)
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["ready"] is False
        plain = client.post("/v1/ask", json={"question": Q4})
        assert plain.status_code == 503
        assert plain.json()["error"]["code"] == "not_ready"
        assert plain.json()["error"]["message"].startswith("the server could not load its index: ")
        with client.stream("POST", "/v1/ask/stream", json={"question": Q4}) as response:
            assert response.status_code == 200
            events = _events("".join(response.iter_text()))
    assert [name for name, _ in events] == ["status", "error"]
    assert events[1][1]["error"]["code"] == "not_ready"


def test_a_client_that_disconnects_ends_its_stream(live_server: Any) -> None:
    import httpx

    url = live_server(api_keys=KEYS, rate_limit_per_minute="0")
    with httpx.stream(
        "POST", f"{url}/v1/ask/stream", json={"question": Q4}, headers=ASK, timeout=60
    ) as response:
        first = next(response.iter_lines())
        assert first == "event: status"
    # the server carries on serving after the client went away mid-stream
    for _ in range(3):
        again = httpx.post(f"{url}/v1/ask", json={"question": Q4}, headers=ASK, timeout=60)
        assert again.json()["value"]["number"] == "809182000"
    assert httpx.get(f"{url}/healthz").status_code == 200
