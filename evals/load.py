"""Load benchmark of the HTTP service: N concurrent clients asking the golden questions.

``python -m evals.load [--url URL] [--clients 20] [--seconds 60] [--stream] [--json]``

``clients`` workers (asyncio tasks in one thread, each with its own ``httpx.AsyncClient`` and
connection, so the client side costs little CPU next to a server on the same machine) each
loop over the golden questions (``evals/golden/*.jsonl``, every line; each worker starts at a
different offset) and send ``POST /v1/ask`` (``--stream``: ``POST /v1/ask/stream``, read to the
end of the event stream) until the time is up; requests in flight then finish and count. It
prints the requests served and their rate, the errors by kind (the target is none) with the
first distinct messages, latency p50 / p95 / p99 / max over the served requests (nearest rank,
wall time from sending to the full answer) and the answers' statuses::

    load: 20 clients, 60.0 s, POST /v1/ask on http://127.0.0.1:8765 (367 questions)
      served 5400 (90.0/s)  errors 0
      latency ms  p50 180.2  p95 410.3  p99 520.0  max 900.1
      answers: answered 5100, not_found 300, needs_clarification 0

A request is served when the status is 200 and the body is JSON with a ``status`` of
``answered``, ``not_found`` or ``needs_clarification`` (streamed: an ``answer`` event arrives;
its data's ``status`` is counted, ``?`` if it has none); a non-200 status, an ``error`` event, a
connection error, a bad body or 30 s without the answer is an error. Three untimed requests go
first so the model is loaded.

Without ``--url`` it starts its own server on a free loopback port (``uvicorn
server.app:create_app --factory``, ``--workers``; its output goes to stderr) over
``--data-dir`` (default ``.crossfoot-eval`` in the repository, the store ``python -m
evals.golden`` fills with the sample filings) with no rate limit and the Hub offline, waits for
``GET /readyz`` (from every worker, as far as a new connection per check can tell), records its
peak resident memory (VmHWM, summed over its processes) and stops it at the end, also on
Ctrl-C or an error. ``--key`` (default ``$CROSSFOOT_LOAD_KEY``) is sent as a bearer token. Proxy
variables are ignored: the benchmark is meant for loopback. ``--json`` prints the figures as
JSON instead of the text.

Exit status: 0 when any request was served, 1 when none was or the server did not start, 2 for
a missing store or no questions, 130 on Ctrl-C (the first finishes the requests in flight).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .golden import GOLDEN, load
from .harness import ROOT, percentile

__all__ = ["LoadResult", "golden_questions", "main", "run_load", "summary"]

STATUSES = ("answered", "not_found", "needs_clarification")
TIMEOUT_S = 30.0
READY_TIMEOUT_S = 120.0
WARMUP = 3
SAMPLES = 5  # distinct error messages kept
DATA_DIR = ROOT / ".crossfoot-eval"


@dataclass
class LoadResult:
    url: str
    endpoint: str
    clients: int
    requested_seconds: float
    seconds: float  # actual elapsed, until the last request in flight at the deadline ended
    questions: int
    served: int
    errors: int
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    throughput: float = 0.0  # served per second
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    server: dict[str, Any] | None = None  # the server this script started: workers, peak RSS

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "endpoint": self.endpoint,
            "clients": self.clients,
            "requested_seconds": self.requested_seconds,
            "seconds": round(self.seconds, 3),
            "questions": self.questions,
            "served": self.served,
            "errors": self.errors,
            "errors_by_kind": self.errors_by_kind,
            "error_samples": self.error_samples,
            "throughput_per_s": round(self.throughput, 2),
            "latency_ms": {
                "p50": round(self.p50_ms, 2),
                "p95": round(self.p95_ms, 2),
                "p99": round(self.p99_ms, 2),
                "max": round(self.max_ms, 2),
            },
            "statuses": self.statuses,
            "server": self.server,
        }


def golden_questions(paths: Sequence[Path] | None = None) -> list[dict[str, Any]]:
    """Every line of the golden JSONL files (default ``evals/golden/*.jsonl``) that asks a
    question."""
    files = list(paths) if paths else sorted(GOLDEN.glob("*.jsonl"))
    return [item for item in load(files) if item.get("question")]


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)

    def error(self, kind: str, message: str) -> None:
        self.errors[kind] += 1
        sample = f"{kind}: {message}"[:300]
        if len(self.samples) < SAMPLES and sample not in self.samples:
            self.samples.append(sample)


class _Failed(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class _Interrupt:
    """Ctrl-C during the load: the workers finish the requests in flight and stop (a second
    Ctrl-C stops at once); :func:`run_load` then raises KeyboardInterrupt. Only in the main
    thread and when SIGINT has Python's default handler; otherwise asyncio's own handling."""

    def __init__(self) -> None:
        self.pressed = False
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> _Interrupt:
        main_thread = threading.current_thread() is threading.main_thread()
        if main_thread and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._previous = signal.signal(signal.SIGINT, self._handle)
            self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: Any) -> None:
        if self.pressed:
            raise KeyboardInterrupt
        self.pressed = True
        print("interrupted: finishing the requests in flight ...", file=sys.stderr)


def _payload(question: dict[str, Any]) -> dict[str, Any]:
    return {"question": question["question"], "doc": question.get("doc")}


async def _ask(client: httpx.AsyncClient, path: str, question: dict[str, Any]) -> str:
    """One ``POST /v1/ask``; the answer's status, or :class:`_Failed`."""
    response = await client.post(path, json=_payload(question))
    if response.status_code != 200:
        raise _Failed(f"http {response.status_code}", response.text[:200])
    try:
        body = response.json()
    except ValueError:
        raise _Failed("bad body", f"not JSON: {response.text[:200]!r}") from None
    status = body.get("status") if isinstance(body, dict) else None
    if status not in STATUSES:
        raise _Failed("bad body", f"status {status!r}: {response.text[:200]!r}")
    return str(status)


async def _ask_stream(client: httpx.AsyncClient, path: str, question: dict[str, Any]) -> str:
    """One ``POST /v1/ask/stream`` read as server-sent events up to ``event: answer`` (its data's
    ``status``, ``"?"`` when it has none) or ``event: error`` (:class:`_Failed`); the rest of the
    stream is drained so the connection is reused."""
    async with client.stream("POST", path, json=_payload(question)) as response:
        if response.status_code != 200:
            text = (await response.aread()).decode(errors="replace")
            raise _Failed(f"http {response.status_code}", text[:200])
        event, data = "", []
        lines = response.aiter_lines()
        while True:
            line = await anext(lines, None)
            if line:
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "event":
                    event = value
                elif name == "data":
                    data.append(value)
                continue
            # a blank line (or the end of the stream) ends an event
            if event == "error":
                raise _Failed("event error", "\n".join(data)[:200])
            if event == "answer":
                async for _ in lines:  # drain, so that the connection is reused
                    pass
                return _status_of("\n".join(data))
            if line is None:
                raise _Failed("bad stream", "ended without an answer or error event")
            event, data = "", []


def _status_of(data: str) -> str:
    try:
        found = json.loads(data)
    except ValueError:
        return "?"
    status = found.get("status") if isinstance(found, dict) else None
    return status if isinstance(status, str) else "?"


async def _one(
    client: httpx.AsyncClient, path: str, stream: bool, question: dict[str, Any], tally: _Tally
) -> None:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(TIMEOUT_S):
            if stream:
                status = await _ask_stream(client, path, question)
            else:
                status = await _ask(client, path, question)
    except _Failed as failed:
        tally.error(failed.kind, str(failed))
    except TimeoutError:
        tally.error("timeout", f"no answer in {TIMEOUT_S:.0f} s")
    except (httpx.HTTPError, httpx.StreamError, OSError) as error:
        tally.error(type(error).__name__, str(error) or repr(error))
    else:
        tally.latencies.append((time.perf_counter() - started) * 1000)
        tally.statuses[status] += 1


async def _load(
    base_url: str,
    questions: list[dict[str, Any]],
    clients: int,
    seconds: float,
    headers: dict[str, str],
    path: str,
    stream: bool,
    warmup: int,
    interrupt: _Interrupt,
) -> tuple[_Tally, float]:
    # one client (one connection) per worker: httpcore's pool does work for every connection
    # on every request, which with one pool of 20 made the client the bottleneck
    tls = ssl.create_default_context()  # loaded once, not once per client
    async with contextlib.AsyncExitStack() as stack:
        pool = [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    base_url=base_url,
                    headers=headers,
                    limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
                    timeout=TIMEOUT_S,
                    trust_env=False,
                    verify=tls,
                )
            )
            for _ in range(clients)
        ]
        ignored = _Tally()
        for i in range(warmup):
            if not interrupt.pressed:
                await _one(pool[0], path, stream, questions[i % len(questions)], ignored)
        tally = _Tally()
        started = time.perf_counter()
        deadline = started + seconds

        async def worker(client: httpx.AsyncClient, offset: int) -> None:
            i = offset
            while not interrupt.pressed and time.perf_counter() < deadline:
                await _one(client, path, stream, questions[i % len(questions)], tally)
                i += 1

        n = len(questions)
        await asyncio.gather(*(worker(pool[c], c * n // clients) for c in range(clients)))
        return tally, time.perf_counter() - started


def run_load(
    base_url: str,
    questions: list[dict[str, Any]],
    clients: int = 20,
    seconds: float = 60.0,
    key: str | None = None,
    stream: bool = False,
    warmup: int = WARMUP,
) -> LoadResult:
    """``clients`` concurrent workers asking ``questions`` of the server at ``base_url`` for
    ``seconds`` (after ``warmup`` untimed requests in sequence)."""
    if not questions:
        raise ValueError("no questions to ask")
    if clients < 1:
        raise ValueError("clients must be at least 1")
    base_url = base_url.rstrip("/")
    path = "/v1/ask/stream" if stream else "/v1/ask"
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with _Interrupt() as interrupt:
        tally, elapsed = asyncio.run(
            _load(base_url, questions, clients, seconds, headers, path, stream, warmup, interrupt)
        )
    if interrupt.pressed:
        raise KeyboardInterrupt
    served = len(tally.latencies)
    statuses = {status: tally.statuses.get(status, 0) for status in STATUSES}
    statuses.update({s: n for s, n in tally.statuses.items() if s not in STATUSES})
    return LoadResult(
        url=base_url,
        endpoint=path,
        clients=clients,
        requested_seconds=seconds,
        seconds=elapsed,
        questions=len(questions),
        served=served,
        errors=sum(tally.errors.values()),
        errors_by_kind=dict(tally.errors.most_common()),
        error_samples=tally.samples,
        throughput=served / elapsed if elapsed > 0 else 0.0,
        p50_ms=percentile(tally.latencies, 0.5),
        p95_ms=percentile(tally.latencies, 0.95),
        p99_ms=percentile(tally.latencies, 0.99),
        max_ms=max(tally.latencies, default=0.0),
        statuses=statuses,
    )


def summary(result: LoadResult) -> str:
    """The figures as text."""
    lines = [
        f"load: {result.clients} clients, {result.seconds:.1f} s, POST {result.endpoint} on "
        f"{result.url} ({result.questions} questions)",
        f"  served {result.served} ({result.throughput:.1f}/s)  errors {result.errors}",
        f"  latency ms  p50 {result.p50_ms:.1f}  p95 {result.p95_ms:.1f}  "
        f"p99 {result.p99_ms:.1f}  max {result.max_ms:.1f}",
        "  answers: " + ", ".join(f"{s} {n}" for s, n in result.statuses.items()),
    ]
    if result.errors_by_kind:
        kinds = ", ".join(f"{kind} {n}" for kind, n in result.errors_by_kind.items())
        lines.append(f"  errors by kind: {kinds}")
        lines += [f"    {sample}" for sample in result.error_samples]
    if result.server:
        s = result.server
        rss = s.get("peak_rss_mb")
        memory = f"peak RSS {rss} MB" if rss is not None else "peak RSS unknown"
        lines.append(
            f"  server: {s['workers']} worker(s), {memory} over {s.get('processes', 0)} "
            f"process(es), ready in {s['ready_s']} s"
        )
    return "\n".join(lines)


# --- a server of our own -----------------------------------------------------------------


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()  # after "pid (comm) "
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def _peak_rss_mb(pid: int) -> tuple[float | None, int]:
    """The sum of the peak resident memory (VmHWM) of ``pid`` and its descendants, in MB, and
    how many processes that is (an upper bound of the peak of the sum)."""
    total_kb, count = 0, 0
    try:
        pids = _descendants(pid)
    except OSError:
        return None, 0
    for each in pids:
        try:
            lines = Path(f"/proc/{each}/status").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            if line.startswith("VmHWM:"):
                total_kb += int(line.split()[1])
                count += 1
    return (round(total_kb / 1024, 1) if count else None), count


def uvicorn_command(port: int, workers: int = 1) -> list[str]:
    """The command that serves ``server.app`` on loopback (its settings come from the
    ``CROSSFOOT_*`` environment)."""
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "server.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    if workers > 1:
        command += ["--workers", str(workers)]
    return command


def _start_server(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CROSSFOOT_DATA_DIR": str(data_dir),
        "CROSSFOOT_RATE_LIMIT_PER_MINUTE": "0",
        "HF_HUB_OFFLINE": "1",
    }
    # the server's output goes to stderr, so that --json leaves stdout clean
    return subprocess.Popen(uvicorn_command(port, workers), cwd=ROOT, env=env, stdout=sys.stderr)


def wait_ready(
    process: subprocess.Popen[bytes], base_url: str, workers: int, timeout: float
) -> tuple[float, dict[str, Any]]:
    """Seconds until ``GET /readyz`` answered 200, and its body; RuntimeError if the server
    exits or is not ready within ``timeout``. Each check opens a new connection and, with
    several workers (each loads its own model and any of them may take a connection), it
    takes ``3 * workers`` 200s in a row."""
    started = time.perf_counter()
    last, streak, need = "no answer", 0, 1 if workers == 1 else 3 * workers
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            response = httpx.get(f"{base_url}/readyz", timeout=5.0, trust_env=False)
        except httpx.HTTPError as error:
            last, streak = type(error).__name__, 0
        else:
            if response.status_code == 200:
                streak += 1
                if streak >= need:
                    try:
                        body = response.json()
                    except ValueError:
                        body = None
                    return time.perf_counter() - started, body if isinstance(body, dict) else {}
                time.sleep(0.1)
                continue
            last, streak = f"http {response.status_code}: {response.text[:200]}", 0
        time.sleep(0.5)
    raise RuntimeError(f"the server was not ready in {timeout:.0f} s (GET /readyz: {last})")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- command line ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.load",
        description="Concurrent clients asking the golden questions over HTTP: requests served, "
        "errors, latency p50/p95/p99.",
    )
    parser.add_argument("--url", help="a running server (default: start one on a free port)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DATA_DIR,
        help="the store the started server reads (default .crossfoot-eval in the repository)",
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of that server")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to send requests")
    parser.add_argument(
        "--key",
        default=os.environ.get("CROSSFOOT_LOAD_KEY"),
        help="API key sent as a bearer token (default $CROSSFOOT_LOAD_KEY)",
    )
    parser.add_argument("--stream", action="store_true", help="POST /v1/ask/stream (SSE)")
    parser.add_argument(
        "--golden",
        type=Path,
        nargs="+",
        help="golden JSONL files whose questions are asked (default evals/golden/*.jsonl)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.workers < 1:
        parser.error("--clients and --workers must be at least 1, --seconds more than 0")

    try:
        questions = golden_questions(args.golden)
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not questions:
        print("error: the golden files hold no questions", file=sys.stderr)
        return 2

    try:
        if args.url:
            found: LoadResult | int = run_load(
                args.url, questions, args.clients, args.seconds, args.key, args.stream
            )
        else:
            found = _own_server(args, questions)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    if isinstance(found, int):
        return found
    print(json.dumps(found.to_json(), indent=1) if args.json else summary(found))
    return 0 if found.served else 1


def _own_server(args: argparse.Namespace, questions: list[dict[str, Any]]) -> LoadResult | int:
    """The load on a server started for it over ``--data-dir``, stopped at the end; an exit
    code if it cannot start."""
    data_dir: Path = args.data_dir.resolve()
    if not data_dir.is_dir():
        print(
            f"error: {data_dir} does not exist. Fill it with the sample filings first "
            "(python -m evals.golden, or CROSSFOOT_DATA_DIR=.crossfoot-eval crossfoot eval "
            "golden evals/golden/*.jsonl --filings tests/data/filings), pass the store "
            "with --data-dir, or load a running server with --url.",
            file=sys.stderr,
        )
        return 2
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    print(f"starting the server on {base_url} over {data_dir} ...", file=sys.stderr)
    process = _start_server(data_dir, port, args.workers)
    try:
        try:
            ready_s, ready = wait_ready(process, base_url, args.workers, READY_TIMEOUT_S)
        except RuntimeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        documents = ready.get("documents")
        print(f"ready in {ready_s:.1f} s ({documents} documents); loading ...", file=sys.stderr)
        if documents == 0:
            print(f"warning: {data_dir} holds no documents", file=sys.stderr)
        result = run_load(base_url, questions, args.clients, args.seconds, args.key, args.stream)
        rss, processes = _peak_rss_mb(process.pid)  # before it stops
        result.server = {
            "workers": args.workers,
            "data_dir": str(data_dir),
            "documents": documents,
            "ready_s": round(ready_s, 1),
            "peak_rss_mb": rss,
            "processes": processes,
        }
        return result
    finally:
        _stop(process)


if __name__ == "__main__":
    sys.exit(main())
