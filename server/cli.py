"""The ``crossfoot`` command line (FORMATS.md): ingest, docs, facts, remove, ask, chat, eval."""

from __future__ import annotations

import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from ingest.errors import CrossfootError
from ingest.models import Fact

from .settings import Settings

app = typer.Typer(
    help="crossfoot: ask questions about company filings; every figure is cited.\n\n"
    "Configuration comes from CROSSFOOT_* environment variables (CROSSFOOT_DATA_DIR, "
    "CROSSFOOT_CHROMA_URL, CROSSFOOT_EMBEDDING_MODEL, CROSSFOOT_MAX_FILE_MB).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _store(settings: Settings):  # type: ignore[no-untyped-def]
    from ingest.store import Store

    return Store.open(
        data_dir=settings.data_dir, url=settings.chroma_url, model_name=settings.embedding_model
    )


def _fail(error: CrossfootError) -> None:
    typer.echo(f"error: {error}", err=True)
    raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (walked recursively)")],
    company: Annotated[str | None, typer.Option(help="company name, overriding detection")] = None,
    ticker: Annotated[str | None, typer.Option(help="ticker, overriding detection")] = None,
    form: Annotated[
        str | None, typer.Option(help="form type (10-K, 8-K...), overriding detection")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per file")] = False,
) -> None:
    """Ingest filings (.txt, .md, .htm/.html with inline XBRL, .pdf) into the store."""
    from tqdm import tqdm

    from ingest.embed import Embedder
    from ingest.pipeline import Overrides, Result, expand_paths, ingest_paths

    settings = Settings()
    try:
        store = _store(settings)
    except CrossfootError as error:
        _fail(error)
    embedder = Embedder(settings.embedding_model)
    total = len(expand_paths(paths))
    bar = tqdm(
        total=total, unit="file", file=sys.stderr, disable=None, leave=False, dynamic_ncols=True
    )

    texts = tqdm(
        total=0,
        unit="text",
        file=sys.stderr,
        disable=None,
        leave=False,
        position=1,
        dynamic_ncols=True,
    )

    def started(path: Path) -> None:
        bar.set_description(path.name[:40])
        texts.reset(total=0)
        texts.set_description("reading")

    def progress(stage: str, done: int, total: int) -> None:
        texts.set_description(stage)
        if texts.total != total:
            texts.reset(total=total)
        texts.n = done
        texts.refresh()

    def finished(result: Result) -> None:
        bar.update(1)
        line = json.dumps(result.to_json()) if as_json else _result_line(result)
        bar.write(line, file=sys.stdout)

    try:
        results = ingest_paths(
            paths,
            store,
            embedder,
            Overrides(company=company, ticker=ticker, form=form),
            settings.max_bytes,
            on_file=finished,
            on_start=started,
            on_progress=progress,
        )
    except CrossfootError as error:
        texts.close()
        bar.close()
        _fail(error)
    texts.close()
    bar.close()
    if any(result.status == "failed" for result in results):
        raise typer.Exit(1)


def _result_line(result: object) -> str:
    from ingest.pipeline import Result

    assert isinstance(result, Result)
    if result.status == "failed":
        return f"FAILED     {result.path}: {result.error}"
    if result.status == "skipped":
        return f"skipped    {result.path}: {result.error}"
    line = (
        f"{result.status:<10} {result.doc_id}  {result.path.name}  tables={result.tables} "
        f"facts={result.facts} chunks={result.chunks} {result.seconds:.1f}s"
    )
    # the ingest report: repairs made, rows dropped, tables that fail their checks
    return "\n".join([line, *(f"           - {note}" for note in result.report)])


@app.command()
def docs(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """List the ingested documents."""
    try:
        records = _store(Settings()).records()
    except CrossfootError as error:
        _fail(error)
    if as_json:
        for record in records:
            typer.echo(json.dumps(record.to_json()))
        return
    if not records:
        typer.echo("No documents yet. Add some with: crossfoot ingest PATH...")
        return
    header = ("doc_id", "document", "company", "form", "period", "tables", "facts", "chunks")
    rows = [
        (
            r.doc_id,
            r.document,
            r.company or "-",
            r.form or "-",
            r.period or "-",
            str(r.tables),
            str(r.facts),
            str(r.chunks),
        )
        for r in records
    ]
    limits = (20, 48, 36, 26, 16, 6, 6, 6)
    widths = [
        min(limit, max(len(row[i]) for row in [header, *rows])) for i, limit in enumerate(limits)
    ]
    for row in [header, *rows]:
        cells = [
            cell[:width].rjust(width) if i >= 5 else cell[:width].ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        typer.echo("  ".join(cells).rstrip())


@app.command()
def facts(
    doc: Annotated[str | None, typer.Option(help="document id or file name")] = None,
    query: Annotated[
        str | None, typer.Option(help="words that must appear in the row, table or column")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(help="period label or column text, e.g. 'Q4 2007', 'FY2007', '2007-12-31'"),
    ] = None,
    limit: Annotated[int, typer.Option(help="at most this many facts (0: all)")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per line")] = False,
) -> None:
    """List extracted figures."""
    try:
        store = _store(Settings())
        doc_ids = None
        if doc:
            record = store.find(doc)
            if record is None:
                typer.echo(f"error: no ingested document '{doc}' (see crossfoot docs)", err=True)
                raise typer.Exit(1)
            doc_ids = [record.doc_id]
        shown = 0
        for fact in store.iter_facts(doc_ids):
            if not fact.matches(query, period):
                continue
            typer.echo(json.dumps(fact.to_json()) if as_json else _fact_line(fact))
            shown += 1
            if limit and shown >= limit:
                break
    except CrossfootError as error:
        _fail(error)


def _fact_line(fact: Fact) -> str:
    period = fact.period.label if fact.period else fact.column
    flag = "" if fact.validated else "  [unvalidated]"
    return (
        f"{' > '.join(fact.row_path) or fact.row}  |  {period}  |  {fact.value} {fact.unit}"
        f"  (printed {fact.as_printed!r}{', ' + fact.scale if fact.scale else ''})"
        f"  {fact.table or 'text'}{flag}"
    )


@app.command()
def remove(
    doc: Annotated[str, typer.Argument(help="document id or file name")],
) -> None:
    """Delete a document and everything derived from it."""
    try:
        store = _store(Settings())
        record = store.find(doc)
        if record is None:
            typer.echo(f"error: no ingested document '{doc}' (see crossfoot docs)", err=True)
            raise typer.Exit(1)
        store.remove(record)
        typer.echo(f"removed {record.doc_id}  {record.document}")
    except CrossfootError as error:
        _fail(error)


def _engine(settings: Settings):  # type: ignore[no-untyped-def]
    from .engine import build_engine

    return build_engine(settings, _store(settings))


def _answer_text(result: object) -> str:
    from retrieval.answer import Answer

    assert isinstance(result, Answer)
    lines = [result.answer]
    if result.program:
        lines.append(f"  program: {result.program}")
    for citation in result.citations:
        where = " / ".join(part for part in (citation.table, citation.row, citation.column) if part)
        page = f", page {citation.page}" if citation.page else ""
        lines.append(
            f"  [{citation.document}{page}] {where}: {citation.as_printed!r} "
            f"(chars {citation.char_start}-{citation.char_end})"
        )
    return "\n".join(lines)


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="the question, in plain English")] = None,
    doc: Annotated[str | None, typer.Option(help="only this document (id or file name)")] = None,
    company: Annotated[str | None, typer.Option(help="only this company (name or ticker)")] = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            help="a JSONL file of questions ('question', optional 'id', 'doc', "
            "'company', 'conversation_id'); prints one answer per line, in order"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the answer object")] = False,
) -> None:
    """Answer a question about the ingested filings, citing every figure."""
    from retrieval.answer import Conversation, Filters

    if (question is None) == (batch is None):
        typer.echo("error: give a QUESTION or --batch FILE (not both)", err=True)
        raise typer.Exit(2)
    try:
        engine = _engine(Settings())
    except CrossfootError as error:
        _fail(error)
    if question is not None:
        result = engine.answer(question, Filters(doc=doc, company=company))
        typer.echo(json.dumps(result.to_json()) if as_json else _answer_text(result))
        return
    assert batch is not None
    try:
        lines = batch.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        typer.echo(f"error: cannot read {batch}: {error.strerror}", err=True)
        raise typer.Exit(1) from error
    conversations: dict[str, Conversation] = {}
    failed = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["question"]
        except (json.JSONDecodeError, KeyError, TypeError):
            typer.echo(f"error: {batch}:{number}: not a JSON object with a 'question'", err=True)
            failed = True
            continue
        conversation = None
        if item.get("conversation_id"):
            key = str(item["conversation_id"])
            conversation = conversations.setdefault(key, Conversation(id=key))
        result = engine.answer(
            str(text),
            Filters(doc=item.get("doc") or doc, company=item.get("company") or company),
            conversation,
            qid=item.get("id"),
        )
        typer.echo(json.dumps(result.to_json()) if as_json else _answer_text(result))
    if failed:
        raise typer.Exit(1)


@app.command()
def chat(
    doc: Annotated[str | None, typer.Option(help="only this document (id or file name)")] = None,
    company: Annotated[str | None, typer.Option(help="only this company (name or ticker)")] = None,
) -> None:
    """Talk with the filings: follow-up questions use the earlier turns. Ctrl-D ends."""
    from retrieval.answer import Conversation, Filters

    try:
        engine = _engine(Settings())
    except CrossfootError as error:
        _fail(error)
    conversation = Conversation()
    typer.echo("Ask about the ingested filings (Ctrl-D to end).", err=True)
    while True:
        try:
            line = input("> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("", err=True)
            return
        if not line.strip():
            continue
        result = engine.answer(line, Filters(doc=doc, company=company), conversation)
        typer.echo(_answer_text(result))


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="address to bind (0.0.0.0 for every interface; needs API keys)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[
        int, typer.Option(help="worker processes (each loads the model and the index)")
    ] = 1,
) -> None:
    """Run the HTTP API, the chat widget and its demo page (http://HOST:PORT/)."""
    import uvicorn

    settings = Settings()
    try:
        keys = settings.keys
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    if not keys:
        if host not in _LOOPBACK:
            typer.echo(
                f"No API keys are configured (CROSSFOOT_API_KEYS), so crossfoot binds to "
                f"127.0.0.1 only, not {host}.",
                err=True,
            )
        else:
            typer.echo(
                "No API keys are configured (CROSSFOOT_API_KEYS): binding to 127.0.0.1 only; "
                "anyone on this machine may ask, upload and delete.",
                err=True,
            )
        host = "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    typer.echo(
        f"crossfoot: the demo page and API at http://{shown}:{port}/ (docs at /docs)", err=True
    )
    if workers > 1:
        uvicorn.run("server.app:create_app", factory=True, host=host, port=port, workers=workers)
    else:
        from .app import create_app

        uvicorn.run(create_app(settings), host=host, port=port)


@app.command()
def slack() -> None:
    """Run the Slack bot over Socket Mode (no public URL needed; see "Add crossfoot to Slack"
    in the README)."""
    settings = Settings()
    missing = [
        name
        for name, value in (
            ("CROSSFOOT_SLACK_BOT_TOKEN", settings.slack_bot_token),
            ("CROSSFOOT_SLACK_APP_TOKEN", settings.slack_app_token),
        )
        if not value
    ]
    if missing:
        typer.echo(
            f"error: set {' and '.join(missing)} (the bot token xoxb-... and the app-level "
            "token xapp-... with connections:write; see 'Add crossfoot to Slack' in the README)",
            err=True,
        )
        raise typer.Exit(2)
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from .app import Service
    from .slack import Bot

    try:
        service = Service(settings)
    except CrossfootError as error:
        _fail(error)
    typer.echo("crossfoot: loading the index and the model ...", err=True)
    service.load()
    if not service.ready:
        typer.echo(f"error: could not load the index: {service.load_error}", err=True)
        raise typer.Exit(1)
    bot = Bot(settings, lambda: service)
    typer.echo("crossfoot: connecting to Slack over Socket Mode (Ctrl-C stops)", err=True)
    handler = SocketModeHandler(bot.app, settings.slack_app_token)
    try:
        handler.connect()  # type: ignore[no-untyped-call]
    except Exception as error:  # a refused token, no route to Slack: say so, no trace
        typer.echo(f"error: could not connect to Slack over Socket Mode: {error}", err=True)
        raise typer.Exit(1) from error
    _serve_until_stopped(handler.close)


def _serve_until_stopped(close: Callable[[], object], grace: float = 5.0) -> NoReturn:
    """Block until Ctrl-C (SIGINT) or SIGTERM, close the connection within ``grace`` seconds,
    and end the process at once.

    Python's normal exit waits for every non-daemon thread and runs every atexit hook: the
    Socket Mode client's worker pool, bolt's listener pool and a half-closed WebSocket can
    each keep a stopped bot alive (seen as ``crossfoot slack`` still running 30 s after
    SIGINT). Everything the bot keeps is already written to the store, so nothing is lost by
    not waiting for them. ``kill -USR1 PID`` prints every thread's stack to stderr, to see
    what a bot that seems stuck is doing."""
    import faulthandler
    import os
    import threading

    faulthandler.register(signal.SIGUSR1, all_threads=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass
    closing = threading.Thread(target=close, name="crossfoot-slack-close", daemon=True)
    closing.start()
    closing.join(grace)
    typer.echo("crossfoot: stopped", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


eval_app = typer.Typer(help="The evaluation harness.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


_OUT_HELP = "folder for results.json and report.html (default evals/runs/<timestamp>-<benchmark>)"
_COMPARE_HELP = "an earlier run's results.json: show what was fixed, broken or unchanged"


def _run(name: str, work, total: int, out: Path | None, compare: Path | None, show: int) -> None:  # type: ignore[no-untyped-def]
    from evals.run import run_benchmark

    try:
        run_benchmark(name, work, total, out, compare, show, echo=typer.echo)
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


@eval_app.command("golden")
def eval_golden(
    files: Annotated[list[Path], typer.Argument(help="golden JSONL files (FORMATS.md)")],
    filings: Annotated[
        Path | None,
        typer.Option(
            help="folder with the filings the questions name; they are ingested first "
            "(unchanged files are skipped); without it, the questions run over what is ingested"
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help=_OUT_HELP)] = None,
    compare: Annotated[Path | None, typer.Option(help=_COMPARE_HELP)] = None,
    show: Annotated[int, typer.Option(help="failures to print")] = 20,
) -> None:
    """Score golden Q&A files: correct / refused / wrong per kind, latency, the failures."""
    from evals.golden import load, run

    settings = Settings()
    try:
        items = load(files)
    except (OSError, SystemExit) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    try:
        if filings is not None:
            from ingest.embed import Embedder
            from ingest.pipeline import ingest_paths

            names = sorted({str(i["doc"]) for i in items if i.get("doc")})
            paths = [filings / name for name in names if (filings / name).exists()]
            ingest_paths(paths, _store(settings), Embedder(settings.embedding_model))
        engine = _engine(settings)
    except CrossfootError as error:
        _fail(error)
    dataset = ", ".join(str(f) for f in files)
    options = {"dense": settings.dense_search}
    _run(
        "golden",
        lambda tick: run(engine, items, dataset, tick, options),
        len(items),
        out,
        compare,
        show,
    )


@eval_app.command("tatqa")
def eval_tatqa(
    file: Annotated[Path, typer.Argument(help="a TAT-QA JSON file (dev, or test with gold)")],
    limit: Annotated[int, typer.Option(help="only the first N questions (0: all)")] = 0,
    lexical: Annotated[
        bool,
        typer.Option(
            "--lexical",
            help="parse each context on its own, without a store or the model (lexical search "
            "only; seconds instead of minutes)",
        ),
    ] = False,
    out: Annotated[Path | None, typer.Option(help=_OUT_HELP)] = None,
    compare: Annotated[Path | None, typer.Option(help=_COMPARE_HELP)] = None,
    show: Annotated[int, typer.Option(help="failures to print")] = 10,
) -> None:
    """TAT-QA: each context ingested as its own document; official EM and F1 with scale."""
    from evals import tatqa

    try:
        total = tatqa.count(file, limit)
    except (OSError, ValueError, TypeError, AttributeError) as error:
        typer.echo(f"error: {file}: not a TAT-QA JSON file ({error})", err=True)
        raise typer.Exit(1) from None
    _run("tatqa", lambda tick: tatqa.run(file, limit, tick, lexical), total, out, compare, show)


@eval_app.command("finqa")
def eval_finqa(
    file: Annotated[Path, typer.Argument(help="a FinQA JSON file (train, dev or test)")],
    limit: Annotated[int, typer.Option(help="only the first N records (0: all)")] = 0,
    out: Annotated[Path | None, typer.Option(help=_OUT_HELP)] = None,
    compare: Annotated[Path | None, typer.Option(help=_COMPARE_HELP)] = None,
    show: Annotated[int, typer.Option(help="failures to print")] = 10,
) -> None:
    """FinQA: each record ingested as its own document; execution accuracy (5 decimals)."""
    from evals import finqa

    try:
        total = len(finqa.load(file))
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    total = min(total, limit) if limit else total
    _run("finqa", lambda tick: finqa.run(file, limit, tick), total, out, compare, show)


@eval_app.command("convfinqa")
def eval_convfinqa(
    file: Annotated[
        Path, typer.Argument(help="a ConvFinQA JSON file ({'dev': [...]} or a list of records)")
    ],
    limit: Annotated[int, typer.Option(help="only the first N conversations (0: all)")] = 0,
    out: Annotated[Path | None, typer.Option(help=_OUT_HELP)] = None,
    compare: Annotated[Path | None, typer.Option(help=_COMPARE_HELP)] = None,
    show: Annotated[int, typer.Option(help="failures to print")] = 10,
) -> None:
    """ConvFinQA: every turn asked in its conversation; execution accuracy per turn."""
    from evals import convfinqa

    try:
        total = convfinqa.count(file, limit)
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    _run("convfinqa", lambda tick: convfinqa.run(file, limit, tick), total, out, compare, show)


@app.command()
def bench(
    filings: Annotated[Path, typer.Option(help="folder of filings to benchmark on")] = Path(
        "tests/data/filings"
    ),
    golden: Annotated[
        list[Path] | None,
        typer.Option(help="golden JSONL files whose questions are timed (default evals/golden)"),
    ] = None,
    scales: Annotated[
        str, typer.Option(help="store sizes to measure, as multiples of the filings")
    ] = "1,10,100",
    repeat: Annotated[int, typer.Option(help="timed passes over the questions")] = 3,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="where to write the figures (default evals/runs/...)"),
    ] = None,
) -> None:
    """Ingest throughput, answer latency, memory and scale, beside a plain LangChain baseline."""
    from evals import bench as benchmark

    try:
        factors = tuple(int(f) for f in scales.split(",") if f.strip())
        if not factors or min(factors) < 1:
            raise ValueError
    except ValueError:
        typer.echo(
            f"error: --scales takes whole multiples such as 1,10,100, not {scales!r}", err=True
        )
        raise typer.Exit(2) from None
    try:
        benchmark.main(filings, golden, factors, repeat, json_out, echo=typer.echo)
    except (ValueError, OSError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    except CrossfootError as error:
        _fail(error)


def main() -> None:
    from pydantic import ValidationError

    try:
        app()
    except ValidationError as error:  # a CROSSFOOT_* setting that does not parse
        for problem in error.errors():
            name = "CROSSFOOT_" + "_".join(str(part) for part in problem["loc"]).upper()
            value = problem.get("input")
            typer.echo(
                f"error: {name}={value!r} is not a valid setting: {problem['msg']} "
                "(see the README's settings table)",
                err=True,
            )
        raise SystemExit(2) from None
