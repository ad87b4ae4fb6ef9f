"""TAT-QA adapter: every question of a TAT-QA JSON file, scored by TAT-QA's own metric.

Each context (one table and its paragraphs) becomes a Markdown document (the first paragraph,
the table, the other paragraphs).  By default every context is written as a file and ingested
by the real ingester into a temporary Chroma store with embeddings, exactly as ``crossfoot
ingest`` does, and :meth:`retrieval.answer.Engine.answer` answers each question with hybrid
search filtered to its document.  ``--lexical`` parses each context on its own instead
(:func:`ingest.pipeline.prepare`: tables, periods, checks, facts; no store, no model), which is
what the regression guard runs: seconds instead of minutes.

The prediction TAT-QA scores is built from the answer object: a figure in the cited table's
own scale ("thousand", "million", "billion"; "percent" for percentages; a ratio as a plain
number; a figure from a sentence in whole units), or the answer's text for a narrative
answer, or nothing for a refusal.  When the cited cells carry no scale (TAT-QA cuts the
"(in millions)" line off most tables), their figures are taken as printed, with the scale the
context states in words, as TAT-QA's own models predict one.  Scores:
:mod:`evals.tatqa_metric` (exact match and F1 with scale), and our verdict: correct (EM 1),
refused (``not_found`` or ``needs_clarification``), wrong; broken down by answer type and
answer source.

``python -m evals.tatqa [FILE] [--limit N] [--lexical] [--out DIR] [--compare OLD.json]``;
``crossfoot eval tatqa FILE`` does the same.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from ingest.models import Fact
from ingest.pipeline import prepare
from retrieval import fitted
from retrieval.answer import Answer, Engine, Filters
from retrieval.calculator import plain
from retrieval.compose import cite, own_label
from retrieval.corpus import Corpus
from retrieval.models import Value

from .harness import ROOT, Record, markdown_table, progress, results, timed
from .tatqa_metric import is_number, normalize, score, to_number

DATASET = ROOT.parent / "shared" / "datasets" / "tatqa" / "tatqa_dataset_dev.json"
METRICS = ("em", "f1")
_DIVISOR = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_LEADING_YEARS = re.compile(r"((?:19|20)\d\d(?:(?:, | and )(?:19|20)\d\d)*)\. ")
_COUNTED = re.compile(r"\d+ (?:years?|quarters?|periods?)\b")  # "2 years (2019, 2018)."
_LEAD_IN = re.compile(
    r"\b(?:following|below) tables?\b|\btables? (?:below|that follows)\b|\bas follows\b|:\s*$", re.I
)
_CENTS = re.compile(r"\bcents\b", re.I)
_SCALE_WORDS = {"thousands": "thousand", "millions": "million", "billions": "billion"}
_SCALE_OF = {
    **{w: w for w in ("thousand", "million", "billion")},
    **{"000": "thousand", "k": "thousand", "m": "million", "mn": "million", "mio": "million"},
    **{"bn": "billion", "b": "billion"},
}
_CURRENCY = r"(?:[$€£¥]|\b(?:usd|us\$|a\$|hk\$|nt\$|s\$|rmb|eur|gbp|chf|sek|nok|dkk|cad|aud|inr))"
_STATED_SCALE = re.compile(
    r"\b(?:in|\$\s*in|dollars in|amounts in)\s+(thousand|million|billion)s?\b"
    r"|\$\s*'?(000)s?\b|\((000)s?\)|['’](000)s?\b|\bin\s+(000)['’]?s\b"
    r"|\b(thousand|million|billion)s? of (?:dollars|euros|pounds)"
    r"|\((thousand|million|billion)s?\)"
    rf"|{_CURRENCY}\s*['’]?\s*(m|mn|mio|million|bn|billion)s?\b",
    re.IGNORECASE,
)
_PRINTED_SCALE = re.compile(
    r"\b(thousand|million|billion)s?\b|\d\s?(k|m|mn|bn|b)\b", re.IGNORECASE
)  # "$85.1 million", "€12.5m"


def markdown(context: dict[str, Any]) -> str:
    """The context as a document: its paragraphs in order, and its table after the first
    paragraph that leads into a table ("The following table sets forth …:"), or after the
    first paragraph when none does.  TAT-QA keeps no table position; a lead-in precedes its
    table in the filing, and its words ("shares in thousands") are the table's."""
    paragraphs = [p["text"] for p in sorted(context["paragraphs"], key=lambda p: p["order"])]
    table = markdown_table(context["table"]["table"])
    at = next((i for i, p in enumerate(paragraphs) if _LEAD_IN.search(p)), 0) + 1
    return "\n\n".join([*paragraphs[:at], table, *paragraphs[at:]]) + "\n"


def engine_for(uid: str, text: str, fold: int | None = None, search: bool = True) -> Engine:
    corpus = Corpus.prepared(prepare(Path(f"{uid}.md"), text.encode()))
    return Engine(corpus, fold=fold, search=search)


def group(context: dict[str, Any]) -> str:
    """The context's cross-validation key: its table's row labels."""
    return fitted.group_key(str(row[0]) for row in context["table"]["table"] if row)


def stated_scale(text: str) -> str:
    """The scale a context states in words ("in thousands", "$'000", "€m", "$ million"), or "";
    the table's own lines first (its header says what its figures are in), then the text."""
    table = "\n".join(line for line in text.splitlines() if line.startswith("|"))
    for part in (table, text):
        match = _STATED_SCALE.search(part)
        if match:
            return _SCALE_OF[next(g for g in match.groups() if g).lower()]
    return ""


def printed_scale(printed: str) -> str:
    """The scale word a sentence's figure is printed with ("$85.1 million" -> "million")."""
    match = _PRINTED_SCALE.search(printed)
    return _SCALE_OF[next(g for g in match.groups() if g).lower()] if match else ""


def prediction(answer: Answer, context_scale: str = "") -> tuple[str | list[str] | None, str]:
    """(prediction, scale) for TAT-QA's metric from one answer object."""
    if answer.status != "answered":
        return None, ""
    value = answer.value
    if answer.kind == "listing" and answer.operands:
        return _listed(answer, context_scale)
    if answer.kind == "parts":
        # the lines named, or how many there are: a count, not an amount in the cells' scale
        if value is None:
            return [own_label(f) for f in answer.operands], ""
        return plain(value.number), ""
    if value is not None and answer.stated is not None:
        return _stated(answer.stated)
    if value is not None and answer.kind == "lookup":
        span, scale = _figure(answer, context_scale)
        if isinstance(span, str) and scale != "percent":
            return _as_printed(answer, span), scale
        return span, scale
    return _figure(answer, context_scale)


_DIGITS = re.compile(r"[^\d.]")


def _as_printed(answer: Answer, span: str) -> str:
    """A figure read from one cell as the cell prints it ("(2,085)", "$33,014"): TAT-QA copies
    a looked-up cell as a span, and its metric reads a printed "(2,085)" as 2085."""
    cells = [c for c in answer.citations if c.kind == "table_cell"]
    if len(cells) != 1:
        return span
    printed = cells[0].as_printed.strip()
    digits, figure = _DIGITS.sub("", printed), _DIGITS.sub("", span)
    try:
        same = bool(digits) and float(digits) == float(figure)
    except ValueError:
        return span
    return printed if same else span


def _stated(fact: Fact) -> tuple[str, str]:
    """A computed figure the filing also prints, rounded ("36%", "$16.9 million"), as it
    prints it: TAT-QA copies the printed figure as a span."""
    number = abs(fact.value)
    if fact.unit == "percent":
        return plain(number), "percent"
    word = printed_scale(fact.as_printed)
    return plain(number / _DIVISOR[word] if word else number), word


def _figure(answer: Answer, context_scale: str) -> tuple[str | list[str] | None, str]:
    """(prediction, scale) for an answered figure or passage (:func:`prediction`)."""
    value = answer.value
    if value is None:
        # "2019 and 2018. Total equity was ...": the periods a which-year answer names
        years = _LEADING_YEARS.match(answer.answer)
        if years:
            return re.split(r", | and ", years.group(1)), ""
        return answer.span or answer.answer, ""
    if value.unit == "percent":
        return plain(value.number), "percent"
    if value.unit == "USD/share" and any(_CENTS.search(c.row or "") for c in answer.citations):
        # "Total basic earnings per share (cents per share) 206.2": in the cents printed
        return plain(value.number * 100), ""
    if value.unit in ("ratio", "USD/share") or "/" in value.unit or _COUNTED.match(answer.answer):
        return plain(value.number), ""
    cells = [c for c in answer.citations if c.kind == "table_cell"]
    scales = {c.scale for c in cells}
    if len(scales) == 1 and _SCALE_WORDS.get(next(iter(scales)) or ""):
        scale = _SCALE_WORDS[next(iter(scales)) or ""]
        return plain(value.number / _DIVISOR[scale]), scale
    if cells and scales == {None}:  # figures as printed, in the table's unstated units
        return plain(value.number), context_scale
    sentences = [c for c in answer.citations if c.kind == "sentence"]
    words = {printed_scale(c.as_printed) for c in sentences}
    if sentences and not cells and len(words) == 1 and (word := words.pop()):
        # "$85.1 million": in the scale printed, as TAT-QA states it (and rounds it: the metric
        # rounds to two decimals in the answer's scale before multiplying out)
        return plain(value.number / _DIVISOR[word]), word
    return plain(value.number), ""


def _listed(answer: Answer, context_scale: str) -> tuple[list[str] | None, str]:
    """The figures of a listing answer ("X was $9,028 in FY2019 and $9,189 in FY2018"), each
    as a one-figure answer would give it, when they share one scale."""
    spans: list[str] = []
    scales: set[str] = set()
    for fact in answer.operands:
        one = Answer(
            question=answer.question,
            status="answered",
            answer="",
            value=Value(fact.value, fact.unit, ""),
            citations=(cite(fact),),
            operands=(fact,),
            kind="lookup",
        )
        span, scale = prediction(one, context_scale)
        if not isinstance(span, str):
            return None, ""
        if scale == "percent":  # a percentage printed "27.1%" is a span with its sign
            span, scale = f"{span}%", ""
        printed = fact.as_printed.strip()
        if is_number(printed) and to_number(printed) == to_number(span):
            span = printed  # "$14,740" as printed: the metric sorts the spans as text
        spans.append(span)
        scales.add(scale)
    return (spans, scales.pop()) if len(scales) == 1 else (None, "")


def questions(
    contexts: list[dict[str, Any]], limit: int = 0
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each context with its questions, in file order, stopping after ``limit`` questions."""
    left = limit or -1
    for context in contexts:
        asked = context["questions"] if left < 0 else context["questions"][:left]
        if not asked:
            break
        yield context, asked
        if left > 0:
            left -= len(asked)
            if left == 0:
                break


def _contexts(path: Path) -> list[dict[str, Any]]:
    try:
        contexts = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(contexts, list):
            raise ValueError("the top level is not a list of contexts")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{path}: not a TAT-QA JSON file ({error})") from error
    return contexts


def _documents(path: Path, limit: int) -> list[tuple[str, str, list[dict[str, Any]]]]:
    out = []
    for context, asked in questions(_contexts(path), limit):
        try:
            out.append((str(context["table"]["uid"]), markdown(context), asked))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: a context without a table ({error})") from error
    return out


def stored_engine(documents: list[tuple[str, str, Any]], folder: Path) -> Engine:
    """Every context written as a file and ingested into one Chroma store with embeddings,
    exactly as ``crossfoot ingest`` does; hybrid search over it."""
    from ingest.embed import Embedder
    from ingest.pipeline import ingest_paths
    from ingest.store import Store

    (folder / "contexts").mkdir(parents=True, exist_ok=True)
    paths = []
    for uid, text, _ in documents:
        paths.append(folder / "contexts" / f"{uid}.md")
        paths[-1].write_text(text, encoding="utf-8")
    store = Store.open(data_dir=folder / "store")
    embedder = Embedder()
    with progress(len(paths), "ingest") as bar:
        done = ingest_paths(paths, store, embedder, on_file=lambda _: bar.update(1))
    failed = [r for r in done if r.status == "failed"]
    if failed:
        raise ValueError(f"{failed[0].path.name}: {failed[0].error}")
    return Engine.from_store(store, embedder)


def evaluate(
    path: Path,
    limit: int = 0,
    tick: Callable[[int], None] | None = None,
    store: Path | None = None,
) -> list[Record]:
    """Score the first ``limit`` questions; ``store`` (a folder) ingests the contexts into a
    real store with embeddings first, otherwise each is parsed on its own (lexical search)."""
    documents = _documents(path, limit)
    shared = stored_engine(documents, store) if store is not None else None
    folds = {str(c["table"]["uid"]): fitted.fold_of(group(c)) for c in _contexts(path)}
    records = []
    for uid, text, asked in documents:
        engine = shared or engine_for(uid, text, folds[uid])
        scale_here = stated_scale(text)
        for q in asked:
            answer, ms = timed(
                partial(engine.answer, q["question"], Filters(doc=f"{uid}.md"), qid=q["uid"])
            )
            predicted, scale = prediction(answer, scale_here)
            em, f1 = score(q, predicted, scale)
            refused = answer.status != "answered"
            records.append(
                Record(
                    id=q["uid"],
                    question=q["question"],
                    doc=f"{uid}.md",
                    gold={"answer": q["answer"], "scale": q["scale"]},
                    gold_program=q.get("derivation") or None,
                    answer=answer,
                    verdict="correct" if em == 1 else "refused" if refused else "wrong",
                    latency_ms=ms,
                    groups={
                        "answer_type": q["answer_type"],
                        "answer_source": q["answer_from"],
                        "answered_as": answered_as(answer, q["answer"]),
                    },
                    scores={"em": em, "f1": f1},
                    prediction={"answer": predicted, "scale": scale},
                )
            )
            if tick:
                tick(1)
    return records


HOLDS = "passage, its sentence holds the gold"


def answered_as(answer: Answer, gold: Any) -> str:
    """What kind of answer was given, for the report: a figure; the lines or periods of a
    table named; a passage whose cited sentences hold every gold span (normalised as the
    metric normalises: when it is wrong, the short answer read from the right sentence is
    off, mostly at its boundaries); another passage; or a refusal."""
    if answer.status != "answered":
        return "refused"
    if answer.value is not None:
        return "figure"
    sentences = [c.as_printed for c in answer.citations if c.kind == "sentence"]
    if not sentences:
        return "lines or periods named"
    cited = normalize(" ".join(sentences))
    spans = [normalize(str(g)) for g in (gold if isinstance(gold, list) else [gold])]
    return HOLDS if all(s and s in cited for s in spans) else "passage, other"


def run(
    path: Path,
    limit: int = 0,
    tick: Callable[[int], None] | None = None,
    lexical: bool = False,
) -> dict[str, Any]:
    if lexical:
        records = evaluate(path, limit, tick)
        settings = {"ingest": "parsed, not stored or embedded", "search": "lexical"}
    else:
        with tempfile.TemporaryDirectory(prefix="crossfoot-tatqa-") as folder:
            records = evaluate(path, limit, tick, Path(folder))
        settings = {"ingest": "crossfoot ingest into a Chroma store", "search": "hybrid"}
    return results("tatqa", str(path), records, METRICS, settings={"limit": limit, **settings})


def count(path: Path, limit: int = 0) -> int:
    total = sum(len(c.get("questions", [])) for c in _contexts(path))
    return min(total, limit) if limit else total


def main(argv: list[str] | None = None) -> None:
    from .run import report_arguments, run_benchmark

    parser = argparse.ArgumentParser(description="TAT-QA: EM and F1 with scale, per type.")
    parser.add_argument("file", nargs="?", type=Path, default=DATASET)
    report_arguments(parser, "questions")
    parser.add_argument("--lexical", action="store_true", help="parse only: no store, no model")
    args = parser.parse_args(argv)
    run_benchmark(
        "tatqa",
        lambda tick: run(args.file, args.limit, tick, args.lexical),
        count(args.file, args.limit),
        args.out,
        args.compare,
        args.show,
    )


if __name__ == "__main__":
    main()
