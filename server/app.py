"""The HTTP API (``crossfoot serve``), the chat widget's files and the demo page.

Every question goes through the one ``Engine.answer``.  What must outlive a request
(conversations, upload jobs) lives in the store, so several replicas behind a load balancer
can share one Chroma server; each replica rebuilds its in-memory query side when the store's
documents change (at once for its own uploads and deletions, within ``refresh_seconds`` for
another replica's).

Errors are JSON, always ``{"error": {"code", "message"}}``, never a stack trace.
"""

import base64
import html
import json
import logging
import math
import re
import shutil
import tempfile
import threading
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    Response,
    StreamingResponse,
)
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ingest.errors import CrossfootError
from ingest.store import DocumentRecord, Store, now

from .settings import Settings

if TYPE_CHECKING:
    from retrieval.answer import Answer, Conversation, Engine

log = logging.getLogger("crossfoot.server")

STATIC = Path(__file__).parent / "static"
MAX_JSON_BYTES = 64 * 1024  # a question request; uploads have their own limit
SOURCE_CONTEXT_LINES = 2
SOURCE_MAX_CONTEXT = 600  # characters either side of the cited span, at most
_ID = r"^[A-Za-z0-9_.-]{1,64}$"
MAX_CONVERSATION_ID = 4096
_CONVERSATION = rf"^[A-Za-z0-9_.-]{{1,{MAX_CONVERSATION_ID}}}$"


# ---------------------------------------------------------------------------- errors
class ApiError(Exception):
    """An error the client gets as ``{"error": {"code", "message"}}`` with ``status``."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def _error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(
        error_body(error.code, error.message), status_code=error.status, headers=error.headers
    )


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
}


class BodyLimit:
    """Rejects a request body over its limit with 413 before the app reads it all: by its
    Content-Length, or while it streams in when it has none."""

    def __init__(self, app: ASGIApp, json_limit: int, upload_limit: int) -> None:
        self.app = app
        self.json_limit = json_limit
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["path"].rstrip("/") == "/v1/documents" and scope["method"] == "POST"
        limit = self.upload_limit if upload else self.json_limit
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            response = JSONResponse(error_body("too_large", _too_large(limit, upload)), 413)
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise ApiError(413, "too_large", _too_large(limit, upload))
            return message

        await self.app(scope, counted, send)


def _too_large(limit: int, upload: bool) -> str:
    if upload:
        return (
            f"the upload is larger than {limit / 1024 / 1024:.0f} MB in all; send fewer or "
            "smaller files at a time"
        )
    return f"the request body is larger than {limit // 1024} KB; ask one question at a time"


# ---------------------------------------------------------------------------- models
class AskRequest(BaseModel):
    question: str = Field(description="the question, in plain English")
    conversation_id: str | None = Field(
        default=None,
        pattern=_CONVERSATION,
        description="continue a conversation: the conversation_id of the previous answer "
        "(it carries the conversation's state and changes every turn); omit to start one",
    )
    doc: str | None = Field(
        default=None, max_length=300, description="only this document (id or file name)"
    )
    company: str | None = Field(
        default=None, max_length=200, description="only this company (name or ticker)"
    )


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": code}
    for status, code in _STATUS_CODES.items()
    if status in (401, 403, 413, 422, 429)
}


# ---------------------------------------------------------------------------- access
@dataclass
class Caller:
    key: str | None
    scope: Literal["ask", "admin"]
    client: str


class RateLimiter:
    """A token bucket per API key (per client address when no keys are configured)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def check(self, who: str) -> None:
        if self.per_minute <= 0:
            return
        rate = self.per_minute / 60.0
        with self.lock:
            at = time.monotonic()
            tokens, then = self.buckets.get(who, (float(self.per_minute), at))
            tokens = min(float(self.per_minute), tokens + (at - then) * rate)
            if tokens < 1.0:
                self.buckets[who] = (tokens, at)
                wait = math.ceil((1.0 - tokens) / rate)
                raise ApiError(
                    429,
                    "rate_limited",
                    f"too many requests: the limit is {self.per_minute} a minute; "
                    f"try again in {wait} s",
                    {"Retry-After": str(wait)},
                )
            self.buckets[who] = (tokens - 1.0, at)


# ---------------------------------------------------------------------------- the service
@dataclass
class Job:
    id: str
    files: list[str]
    status: Literal["queued", "running", "done"] = "queued"
    stage: str = "queued"
    done: int = 0
    total: int = 0
    results: list[dict[str, object]] = field(default_factory=list)
    created_at: str = field(default_factory=now)
    finished_at: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "status": self.status,
            "files": self.files,
            "progress": {
                "files_done": len(self.results),
                "files_total": len(self.files),
                "stage": self.stage,
                "done": self.done,
                "total": self.total,
            },
            "results": self.results,
            "created_at": self.created_at,
            "finished_at": self.finished_at,
        }


class Service:
    """The store, the query side built over it, and the ingest worker."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store.open(
            data_dir=settings.data_dir, url=settings.chroma_url, model_name=settings.embedding_model
        )
        self.embedder: Any = None
        self._engine: Engine | None = None
        self._fingerprint: tuple[str, ...] = ()
        self._checked = 0.0
        self._stale = False
        self._ready = threading.Event()
        self._load_error: str | None = None
        self._reload_lock = threading.Lock()
        self._embedder_lock = threading.Lock()
        self.ingest_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

    # -- the query side
    def load(self) -> None:
        """Build the query side (and load the model); run once at start, in a thread."""
        try:
            self._rebuild()
            engine = self._engine
            assert engine is not None
            if engine.picker.dense is not None:
                engine.picker.dense.embedder.embed(
                    ["warm up"]
                )  # load the model now, not on a question
        except Exception as error:  # readyz reports it; requests get 503
            log.exception("could not build the query side")
            self._load_error = str(error)
            self._engine = None
        finally:
            self._ready.set()

    def _rebuild(self) -> None:
        from .engine import build_engine

        with self._reload_lock:
            embedder = self._embedder() if self.settings.dense_search else None
            self._engine = build_engine(self.settings, self.store, embedder)
            corpus = self._engine.corpus
            self._fingerprint = tuple(sorted(corpus.documents))
            self._checked = time.monotonic()
            self._stale = False

    def _embedder(self) -> Any:
        """The embedding model, loaded once for the query side and the uploads alike."""
        with self._embedder_lock:
            if self.embedder is None:
                from ingest.embed import Embedder

                self.embedder = Embedder(self.settings.embedding_model)
            return self.embedder

    def invalidate(self) -> None:
        self._stale = True

    def engine(self) -> "Engine":
        if not self._ready.wait(timeout=300):
            raise ApiError(503, "not_ready", "the server is still starting; try again shortly")
        if self._engine is None:
            raise ApiError(
                503, "not_ready", f"the server could not load its index: {self._load_error}"
            )
        if self._stale or time.monotonic() - self._checked > self.settings.refresh_seconds:
            self._checked = time.monotonic()
            current = tuple(sorted(self.store.committed_ids()))
            if self._stale or current != self._fingerprint:
                self._rebuild()
        return self._engine

    @property
    def load_error(self) -> str | None:
        return self._load_error

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._engine is not None

    # -- answering
    def ask(self, body: AskRequest) -> "Answer":
        """Answer with the conversation the request carries (its ``conversation_id`` is the
        state itself), and return the state to carry to the next turn."""
        from retrieval.answer import Conversation, Filters

        engine = self.engine()
        if body.conversation_id:
            conversation = read_conversation(body.conversation_id)
        else:
            conversation = Conversation(id="")
        result = engine.answer(
            body.question, Filters(doc=body.doc, company=body.company), conversation
        )
        if conversation.doc_ids is not None and conversation.doc_ids >= set(
            engine.corpus.documents
        ):
            conversation.doc_ids = None  # every filing: the same as no restriction, and shorter
        return replace(result, conversation_id=write_conversation(conversation))

    # -- uploads
    def start_job(self, folder: Path, names: list[str]) -> Job:
        job = Job(id=uuid.uuid4().hex, files=names, total=0)
        self.save_job(job)
        self.ingest_pool.submit(self._run_job, job, folder)
        return job

    def save_job(self, job: Job) -> None:
        self.store.put_state(f"job:{job.id}", job.to_json())

    def _run_job(self, job: Job, folder: Path) -> None:
        from ingest.pipeline import Result, ingest_paths

        job.status = "running"
        job.stage = "reading"
        self.save_job(job)
        last = 0.0

        def progress(stage: str, done: int, total: int) -> None:
            nonlocal last
            job.stage, job.done, job.total = stage, done, total
            if time.monotonic() - last > 0.5:
                last = time.monotonic()
                self.save_job(job)

        def finished(result: Result) -> None:
            out = result.to_json()
            out.pop("path", None)  # a server-side temporary path means nothing to the client
            job.results.append(out)
            self.save_job(job)

        try:
            ingest_paths(
                [folder / name for name in job.files],
                self.store,
                self._embedder(),
                max_bytes=self.settings.max_bytes,
                on_file=finished,
                on_progress=progress,
            )
        except Exception as error:  # the store failed: every file not yet done failed with it
            log.exception("upload job %s failed", job.id)
            message = str(error) if isinstance(error, CrossfootError) else "internal error"
            for name in job.files[len(job.results) :]:
                job.results.append(
                    {"document": name, "status": "failed", "doc_id": None, "error": message}
                )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            job.status = "done"
            job.stage = "done"
            job.finished_at = now()
            self.save_job(job)
            self.invalidate()

    def job(self, job_id: str) -> dict[str, Any] | None:
        return self.store.get_state(f"job:{job_id}")

    # -- the source of a citation
    def document(self, doc: str) -> DocumentRecord:
        """The ingested document ``doc`` (id or file name); 404 when there is none."""
        record = self.store.find(doc)
        if record is None:
            raise ApiError(404, "document_not_found", f"no ingested document '{doc}'")
        return record

    def source(self, doc: str, start: int, end: int) -> dict[str, object]:
        record = self.document(doc)
        wide = SOURCE_MAX_CONTEXT * 2
        got = self.store.text(record.doc_id, start - wide, end + wide)
        if got is None and self.store.text(record.doc_id, 0, 1) is not None:
            got = (start, "")  # past the end of the text
        if got is None:
            raise ApiError(
                404,
                "source_unavailable",
                f"the store holds no extracted text for {record.document} (it was ingested by "
                "an earlier version); ingest the file again to show sources",
            )
        offset, text = got
        if not offset <= start <= end <= offset + len(text) or end == start == offset + len(text):
            raise ApiError(
                422,
                "out_of_range",
                f"{start}-{end} is outside {record.document}'s extracted text",
            )
        lo, hi = start - offset, end - offset
        # whole lines: the table row or the sentence's line, with a little context
        first = lo
        for _ in range(SOURCE_CONTEXT_LINES + 1):
            first = text.rfind("\n", 0, max(first - 1, 0)) + 1 if first > 0 else 0
        last = hi
        for _ in range(SOURCE_CONTEXT_LINES + 1):
            found = text.find("\n", last + (1 if last > hi else 0))
            last = len(text) if found < 0 else found
        first = max(first, lo - SOURCE_MAX_CONTEXT)
        last = min(last, hi + SOURCE_MAX_CONTEXT)
        return {
            "doc_id": record.doc_id,
            "document": record.document,
            "text": text[first:last],
            "offset": offset + first,
            "start": start,
            "end": end,
            "page": self._page(record.doc_id, start),
        }

    def _page(self, doc_id: str, start: int) -> int | None:
        got = self.store.chunks.get(
            where={
                "$and": [
                    {"doc_id": doc_id},
                    {"char_start": {"$lte": start}},
                    {"char_end": {"$gte": start}},
                ]
            },
            include=["metadatas"],
            limit=1,
        )
        for meta in got["metadatas"] or []:
            page = meta.get("page")
            return int(page) if page is not None else None
        return None


# ---------------------------------------------------------------------------- the app
def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI app (``uvicorn server.app:create_app --factory``)."""
    settings = settings or Settings()
    keys = settings.keys
    limiter = RateLimiter(settings.rate_limit_per_minute)
    holder: dict[str, Service] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = Service(settings)
        holder["service"] = service
        loader = threading.Thread(target=service.load, name="load-index", daemon=True)
        loader.start()
        yield
        service.ingest_pool.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="crossfoot",
        version="0.1.0",
        summary="Questions about company filings, answered with cited, calculated figures.",
        lifespan=lifespan,
        responses={500: {"model": ErrorResponse, "description": "internal error"}},
    )
    app.state.settings = settings

    def service() -> Service:
        return holder["service"]

    # -- errors: one JSON shape, no stack traces
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return _error_response(error)

    @app.exception_handler(CrossfootError)
    async def crossfoot_error(request: Request, error: CrossfootError) -> JSONResponse:
        log.warning("store error: %s", error)
        return JSONResponse(error_body("store_error", str(error)), status_code=503)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = []
        for item in error.errors():
            where = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
            problems.append(f"{where or 'body'}: {item.get('msg', 'invalid')}")
        message = "; ".join(problems[:5]) or "the request is not valid"
        if any(item.get("type") == "json_invalid" for item in error.errors()):
            message = "the body is not valid JSON: " + message
        return JSONResponse(error_body("invalid_request", message), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(error.status_code, "error")
        message = str(error.detail) if error.detail else code.replace("_", " ")
        return JSONResponse(
            error_body(code, message), status_code=error.status_code, headers=error.headers
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(
            error_body("internal", "internal error; the details are in the server log"),
            status_code=500,
        )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Any]]
    ) -> Any:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    if settings.origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type"],
            expose_headers=["Retry-After"],
            max_age=600,
        )
    app.add_middleware(
        BodyLimit,
        json_limit=MAX_JSON_BYTES,
        upload_limit=settings.max_bytes * settings.max_upload_files + 1024 * 1024,
    )

    # -- access
    def caller(request: Request) -> Caller:
        client = request.client.host if request.client else "unknown"
        if not keys:
            return Caller(None, "admin", client)
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401,
                "unauthorized",
                "an API key is required: send 'Authorization: Bearer KEY'",
                {"WWW-Authenticate": "Bearer"},
            )
        scope = keys.get(token.strip())
        if scope is None:
            raise ApiError(
                401, "unauthorized", "the API key is not valid", {"WWW-Authenticate": "Bearer"}
            )
        return Caller(token.strip(), "admin" if scope == "admin" else "ask", client)

    def asker(who: Annotated[Caller, Depends(caller)]) -> Caller:
        limiter.check(who.key or who.client)
        return who

    def admin(who: Annotated[Caller, Depends(caller)]) -> Caller:
        if who.scope != "admin":
            raise ApiError(
                403, "forbidden", "this API key may ask questions but not change documents"
            )
        limiter.check(who.key or who.client)
        return who

    Asker = Annotated[Caller, Depends(asker)]
    Admin = Annotated[Caller, Depends(admin)]

    def checked_question(body: AskRequest) -> AskRequest:
        text = body.question.strip()
        if not text:
            raise ApiError(422, "invalid_request", "question: the question is empty")
        if len(body.question) > settings.max_question_chars:
            raise ApiError(
                413,
                "question_too_long",
                f"the question is {len(body.question):,} characters long; the limit is "
                f"{settings.max_question_chars:,}. Ask about one figure or fact at a time.",
            )
        if body.conversation_id:
            read_conversation(body.conversation_id)  # a bad one is refused before any stream
        return body

    # -- health
    @app.get("/healthz", tags=["health"], summary="The process is up")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["health"],
        summary="The model is loaded and the store is reachable",
        responses={503: {"description": "not ready yet"}},
    )
    def readyz() -> JSONResponse:
        svc = service()
        store_ok, documents = True, 0
        try:
            svc.store.client.heartbeat()
            documents = len(svc.store.committed_ids())
        except Exception as error:
            log.warning("store unreachable: %s", error)
            store_ok = False
        model = svc.ready and (svc.embedder is not None or not settings.dense_search)
        body = {
            "ready": bool(model and store_ok),
            "model_loaded": bool(model),
            "store_reachable": store_ok,
            "documents": documents,
            "error": svc.load_error,
        }
        return JSONResponse(body, status_code=200 if body["ready"] else 503)

    # -- asking
    @app.post(
        "/v1/ask",
        tags=["ask"],
        summary="Answer a question (the answer object of FORMATS.md)",
        responses=_ERRORS,
    )
    async def ask(body: AskRequest, who: Asker) -> dict[str, object]:
        body = checked_question(body)
        result = await run_in_threadpool(service().ask, body)
        return result.to_json()

    @app.post(
        "/v1/ask/stream",
        tags=["ask"],
        summary="Answer a question as Server-Sent Events: status, delta..., citation..., answer",
        responses={
            **_ERRORS,
            200: {"content": {"text/event-stream": {}}, "description": "the event stream"},
        },
    )
    async def ask_stream(body: AskRequest, who: Asker, request: Request) -> StreamingResponse:
        body = checked_question(body)
        svc = service()

        async def events() -> AsyncIterator[str]:
            yield _event("status", {"state": "working"})
            try:
                result = await run_in_threadpool(svc.ask, body)
            except ApiError as error:
                yield _event("error", error_body(error.code, error.message))
                return
            except Exception:
                log.exception("answering failed in a stream")
                yield _event("error", error_body("internal", "internal error"))
                return
            for piece in _pieces(result.answer):
                if await request.is_disconnected():
                    return
                yield _event("delta", {"text": piece})
            for index, citation in enumerate(result.citations):
                yield _event("citation", {"index": index, **citation.to_json()})
            yield _event("answer", result.to_json())

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    # -- documents
    @app.get(
        "/v1/documents", tags=["documents"], summary="The ingested documents", responses=_ERRORS
    )
    def documents(who: Asker) -> list[dict[str, object]]:
        return [record.to_json() for record in service().store.records()]

    @app.post(
        "/v1/documents",
        tags=["documents"],
        summary="Upload filings (multipart, field 'files'); ingests them in the background",
        status_code=202,
        responses=_ERRORS,
    )
    async def upload(
        who: Admin, files: Annotated[list[UploadFile], File(description="one or more filings")]
    ) -> dict[str, object]:
        if len(files) > settings.max_upload_files:
            raise ApiError(
                413,
                "too_many_files",
                f"{len(files)} files in one upload; the limit is {settings.max_upload_files}",
            )
        names: list[str] = []
        for upload_file in files:
            name = _safe_name(upload_file.filename)
            if name in names:
                raise ApiError(422, "duplicate_name", f"'{name}' appears twice in the upload")
            size = upload_file.size if upload_file.size is not None else 0
            if size > settings.max_bytes:
                raise ApiError(
                    413,
                    "file_too_large",
                    f"{name} is {size / 1024 / 1024:.1f} MB; the limit is "
                    f"{settings.max_file_mb:g} MB (CROSSFOOT_MAX_FILE_MB). Nothing was ingested.",
                )
            names.append(name)
        folder = Path(tempfile.mkdtemp(prefix="crossfoot-upload-"))
        try:
            for name, upload_file in zip(names, files, strict=True):
                with (folder / name).open("wb") as out:
                    await run_in_threadpool(shutil.copyfileobj, upload_file.file, out)
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        job = service().start_job(folder, names)
        return {"job_id": job.id, "status": job.status, "files": names, "url": f"/v1/jobs/{job.id}"}

    @app.get(
        "/v1/jobs/{job_id}",
        tags=["documents"],
        summary="An upload job's progress and per-file results",
        responses={**_ERRORS, 404: {"model": ErrorResponse, "description": "no such job"}},
    )
    def job(job_id: str, who: Admin) -> dict[str, Any]:
        found = service().job(job_id) if re.match(_ID, job_id) else None
        if found is None:
            raise ApiError(404, "job_not_found", f"no upload job '{job_id}'")
        return found

    @app.delete(
        "/v1/documents/{doc_id}",
        tags=["documents"],
        summary="Delete a document and everything derived from it",
        responses={**_ERRORS, 404: {"model": ErrorResponse, "description": "no such document"}},
    )
    def delete(doc_id: str, who: Admin) -> dict[str, object]:
        svc = service()
        record = svc.document(doc_id)
        svc.store.remove(record)
        svc.invalidate()
        return {"deleted": record.doc_id, "document": record.document}

    @app.get(
        "/v1/documents/{doc_id}/source",
        tags=["documents"],
        summary="The extracted text around a citation's span, for 'show source'",
        responses={**_ERRORS, 404: {"model": ErrorResponse, "description": "no such document"}},
    )
    def source(
        doc_id: str,
        who: Asker,
        start: Annotated[int, Query(ge=0, le=10**9, description="the citation's char_start")],
        end: Annotated[int, Query(ge=0, le=10**9, description="the citation's char_end")],
    ) -> dict[str, object]:
        if end < start or end - start > 10_000:
            raise ApiError(
                422, "invalid_request", "end must be at least start and at most 10,000 past it"
            )
        return service().source(doc_id, start, end)

    @app.get(
        "/v1/facts",
        tags=["documents"],
        summary="Extracted figures (the fact objects)",
        responses=_ERRORS,
    )
    def facts(
        who: Asker,
        doc: Annotated[
            str | None, Query(max_length=300, description="document id or file name")
        ] = None,
        query: Annotated[
            str | None,
            Query(max_length=300, description="words that must appear in the row, table or column"),
        ] = None,
        period: Annotated[
            str | None,
            Query(
                max_length=100, description="period label or column text: 'Q4 2007', '2007-12-31'"
            ),
        ] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    ) -> dict[str, object]:
        svc = service()
        doc_ids = [svc.document(doc).doc_id] if doc else None
        out: list[dict[str, object]] = []
        matched = 0
        for fact in svc.store.iter_facts(doc_ids):
            if not fact.matches(query, period):
                continue
            if matched >= offset and len(out) < limit:
                out.append(fact.to_json())
            matched += 1
        return {"facts": out, "total": matched, "offset": offset, "limit": limit}

    # -- Slack (HTTP mode): events, slash commands and button clicks
    if settings.slack_bot_token and settings.slack_signing_secret:
        from .slack import Bot

        bot = Bot(settings, service)

        @app.post("/slack/events", include_in_schema=False)
        async def slack_events(request: Request) -> Response:
            body = (await request.body()).decode("utf-8", errors="replace")
            answered = await run_in_threadpool(
                bot.dispatch, body, dict(request.query_params), dict(request.headers)
            )
            return Response(
                content=answered.body,
                status_code=answered.status,
                headers=answered.first_headers_without_set_cookie(),
            )

    # -- the widget and the demo page
    @app.get("/widget.js", include_in_schema=False)
    def widget() -> FileResponse:
        return FileResponse(
            STATIC / "widget.js",
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=300"},
        )

    @app.get("/", include_in_schema=False)
    def demo() -> HTMLResponse:
        page = (STATIC / "demo.html").read_text(encoding="utf-8")
        key = next((k for k, scope in keys.items() if scope == "ask"), "")
        page = page.replace("__CROSSFOOT_DEMO_KEY__", html.escape(key, quote=True))
        return HTMLResponse(
            page,
            headers={
                "Content-Security-Policy": "default-src 'self'; style-src 'self' "
                "'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'"
            },
        )

    return app


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def _pieces(text: str, words: int = 4) -> list[str]:
    """The answer text in small pieces (``delta`` events); joined they give it back exactly."""
    parts = re.findall(r"\S+\s*|\s+", text)
    return ["".join(parts[i : i + words]) for i in range(0, len(parts), words)] or [""]


def _safe_name(filename: str | None) -> str:
    """A client's file name as a plain file name: no folders, no hidden files."""
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    name = re.sub(r"[\x00-\x1f/]", "", name)
    if not name or name in (".", "..") or name.startswith("."):
        raise ApiError(422, "invalid_name", f"'{filename}' is not a usable file name")
    return name[:200]


_TOKEN = "cv1."


def write_conversation(conversation: "Conversation") -> str:
    """The conversation's state as an opaque, URL-safe ``conversation_id``: the state
    travels with the request, so no replica has to remember it (and nothing is written)."""
    state = conversation.to_json()
    state.pop("id", None)
    packed = zlib.compress(json.dumps(state, separators=(",", ":")).encode(), 9)
    return _TOKEN + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def read_conversation(token: str) -> "Conversation":
    from retrieval.answer import Conversation

    refused = ApiError(
        422,
        "invalid_conversation",
        "conversation_id is not one crossfoot issued; send the conversation_id of the "
        "previous answer, or none to start a conversation",
    )
    if not token.startswith(_TOKEN):
        raise refused
    try:
        packed = base64.urlsafe_b64decode(token[len(_TOKEN) :] + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, 64 * 1024)
        if inflater.unconsumed_tail:
            raise ValueError("too large")
        state = json.loads(raw)
        if not isinstance(state, dict):
            raise ValueError("not an object")
        return Conversation.from_json({**state, "id": token})
    except Exception as error:  # any malformed token is the client's error, never a 500
        raise refused from error
