"""Fitted program search: the answer the rules could not find, from models fitted on data.

When the rule stages refuse a figure question, :func:`search` tries once more with the models
``python -m evals.train`` fits on the development sets' gold programs (FinQA dev, ConvFinQA
dev, TAT-QA dev) and saves in ``retrieval/fitted/programs.json``:

* **shape**: the question's words (and the operation the rules read it as) → the program
  shape it asks for (one of :data:`SHAPES`), a multinomial logistic regression over word
  unigrams and bigrams;
* **operand**: each candidate figure's fit to the question (:func:`fact_features`) → the
  log-odds it is one of the program's operands, a logistic regression;
* **pair**: for a two-figure shape, which ordered pair of the best figures (the later period
  first in a change, the part first in a share), a logistic regression over
  :func:`pair_features`;
* **calibrator**: the found program (:func:`calibration_features`) → the probability it is
  right, fitted on the questions the rules alone refuse.

The program runs on :mod:`retrieval.calculator` like every other answer, each operand cited
(:func:`answer`).  The engine gives it only when :meth:`Models.clears` it: the calibrated
probability reaches the saved ``threshold``, chosen so that a wrong answer costs as much as
:data:`WRONG_COST` right ones.  The models are saved once per cross-validation fold too: an
evaluation on a development set passes the fold a page was held out of (:func:`fold_of`),
so every figure the evals print is measured on data the models did not see.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from ingest.models import Fact
from ingest.numbers import scale_factor

from .calculator import Node, Quantity, Step
from .compose import amounts, computed, lookup_answer
from .corpus import Sentence
from .models import Answer
from .search import RowIndex, SentenceIndex, tokens
from .understand import Intent, understand

MODEL_PATH = Path(__file__).parent / "fitted" / "programs.json"
FOLDS = 5
WRONG_COST = 10.0  # a wrong answer costs as much as this many right ones (threshold choice)
MAX_ROWS = 60  # rows considered: the best-matching ones by label overlap

# shape -> how many figures it takes (the program each runs: :func:`answer`); "other" is every
# program the search does not write
SHAPES: dict[str, int] = {
    "lookup": 1,
    "subtract": 2,  # a - b
    "change_percent": 2,  # (a - b) / b
    "divide": 2,  # a / b
    "add": 2,  # a + b
    "average": 2,  # (a + b) / 2
    "multiply": 2,  # a x b
    "other": 0,
}

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_NUMBER = re.compile(r"\(?-?\$?\s*\(?(\d[\d,]*(?:\.\d+)?|\.\d+)")
_WORD = re.compile(r"[a-z]+|\d+(?:\.\d+)?%?|%")
_TOTAL = re.compile(r"\btotal\b", re.I)
_PERCENTISH = re.compile(r"%|\bpercent(?:age)?\b|\bportion\b|\bshare of\b|\brate\b", re.I)
_CHANGE_COLUMN = re.compile(r"chang|increas|decreas|%|variance", re.I)


def printed_number(fact: Fact) -> Decimal | None:
    """The number as the filing prints it: "$1,234.5" -> 1234.5, "(12)" -> -12."""
    match = _NUMBER.search(fact.as_printed)
    if match is None:
        return None
    try:
        number = Decimal(match.group(1).replace(",", ""))
    except InvalidOperation:
        return None
    return -number if fact.value < 0 else number


def fact_year(fact: Fact) -> int | None:
    if fact.period is not None:
        return fact.period.end.year
    match = _YEAR.search(fact.column)
    return int(match.group(1)) if match else None


def group_key(row_labels: Iterable[str]) -> str:
    """A page's key for cross-validation: its table's row labels, normalised. FinQA and
    ConvFinQA print the same pages in different layouts; the key is the same for both."""
    labels = sorted({re.sub(r"[^a-z0-9]", "", label.lower()) for label in row_labels} - {""})
    return "|".join(labels)


def fold_of(key: str) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % FOLDS


# ---------------------------------------------------------------------------- features
def question_terms(question: str, follow_up: bool = False) -> list[str]:
    """The shape model's terms: words and word pairs (years and numbers as tokens), the
    operation the rules read the question as (:func:`retrieval.understand.understand`), and
    "<follow>" for a question asked after others in a conversation."""
    words = _WORD.findall(question.lower())
    words = ["<year>" if _YEAR.fullmatch(w) else "<num>" if w[0].isdigit() else w for w in words]
    grams = list(words)
    grams += [f"{a} {b}" for a, b in itertools.pairwise(words)]
    if follow_up:
        grams += ["<follow>", *(f"<follow> {w}" for w in words[:3])]
    return [*grams, f"<rule {_read(question).operation}>"]


@lru_cache(maxsize=4096)
def _read(question: str) -> Intent:
    return understand(question)


FACT_FEATURES = (
    "bias",
    "row_overlap",  # share of the row's words the question uses
    "question_cover",  # share of the question's words the row uses
    "column_overlap",
    "title_overlap",
    "year_asked",
    "undated_when_years_asked",
    "latest_year_asked",
    "earliest_year_asked",
    "number_in_question",
    "sentence",
    "percent",
    "percent_asked_and_percent",
    "total_row",
    "total_asked_and_total_row",
    "best_row",
    "row_rank",
    "column_position",
    "change_column",
    "latest_year_in_scope",
    "label_in_question",
    "no_year_asked",
    "follow_up",
    "last_turn_figure",  # the figure the last answer in the conversation used
    "earlier_figure",  # one any earlier answer used
    "row_of_last_figure",  # in the row of a figure the last answer used
    "column_of_last_figure",
    "earlier_question_overlap",  # share of the row's words the earlier questions used
    "metric_cover",  # share of the rules' figure words the row and column use
    "metric_row_overlap",  # share of the row's words among the rules' figure words
    "rules_row_score",  # the row's score under the rules' row search, the best 1.0
    "rules_best_row",
)


@dataclass(frozen=True)
class History:
    """A conversation's earlier turns: their questions, and the figures (fact ids) each
    answer used, oldest first."""

    questions: tuple[str, ...] = ()
    figures: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Asked:
    """The question as the features read it."""

    words: frozenset[str]
    years: tuple[int, ...]
    numbers: frozenset[Decimal]
    text: str
    percent: bool
    total: bool
    history: History = field(default_factory=History)
    earlier_words: frozenset[str] = frozenset()
    metric_words: frozenset[str] = frozenset()  # the figure the rules read the question as
    # each table row's score under the rules' row search for that figure, by row key
    # (:func:`row_key`), the best 1.0
    row_scores: Mapping[RowKey, float] = field(default_factory=dict)

    @property
    def follow_up(self) -> bool:
        return bool(self.history.questions)


RowKey = tuple[str, int | None, tuple[str, ...]]


def row_key(fact: Fact) -> RowKey:
    return (fact.doc_id, fact.table_index, fact.row_path or (fact.row,))


def row_scores(index: RowIndex, question: str, doc_ids: set[str]) -> dict[RowKey, float]:
    """The rules' row search (:class:`retrieval.search.RowIndex`) for each figure the rules
    read the question as: every row it finds, scored against the best (1.0)."""
    out: dict[RowKey, float] = {}
    for metric in _read(question).metrics:
        found = index.search(metric, doc_ids, limit=10)
        if not found:
            continue
        top = found[0].score or 1.0
        for scored in found:
            key = (scored.row.doc_id, scored.row.facts[0].table_index, scored.row.path)
            out[key] = max(out.get(key, 0.0), scored.score / top)
    return out


def asked(
    question: str,
    history: History | None = None,
    scores: Mapping[RowKey, float] | None = None,
) -> Asked:
    numbers = set()
    for match in re.finditer(r"\d[\d,]*(?:\.\d+)?", question):
        try:
            numbers.add(Decimal(match.group(0).replace(",", "")))
        except InvalidOperation:
            continue
    return Asked(
        words=frozenset(tokens(question)),
        years=tuple(sorted({int(y) for y in _YEAR.findall(question)})),
        numbers=frozenset(numbers),
        text=" ".join(re.findall(r"[a-z0-9]+", question.lower())),
        percent=bool(_PERCENTISH.search(question)),
        total=bool(_TOTAL.search(question)),
        history=history or History(),
        earlier_words=frozenset(
            w for q in (history.questions[-2:] if history else ()) for w in tokens(q)
        ),
        metric_words=frozenset(w for m in _read(question).metrics for w in tokens(m)),
        row_scores=scores or {},
    )


@lru_cache(maxsize=100_000)
def _words(text: str) -> tuple[str, ...]:
    """:func:`retrieval.search.tokens`, remembered: a filing's labels recur question after
    question."""
    return tuple(tokens(text))


def _overlap(words: frozenset[str], other: Sequence[str]) -> float:
    theirs = set(other)
    return len(words & theirs) / len(theirs) if theirs else 0.0


def fact_features(question: Asked, facts: Sequence[Fact]) -> list[list[float]]:
    """One row of :data:`FACT_FEATURES` per fact."""
    row_words = [_words(" ".join(f.row_path or (f.row,))) for f in facts]
    overlaps = [_overlap(question.words, w) for w in row_words]
    ranked = sorted(set(overlaps), reverse=True)
    years = [fact_year(f) for f in facts]
    latest = max((y for y in years if y), default=None)
    columns: dict[tuple[int | None, str], list[str]] = {}
    for f in facts:
        columns.setdefault((f.table_index, " ".join(f.row_path)), []).append(f.column)
    last = question.history.figures[-1] if question.history.figures else frozenset()
    everything = frozenset().union(*question.history.figures)
    last_rows = {(f.table_index, f.row_path) for f in facts if f.fact_id in last}
    last_columns = {(f.table_index, f.column) for f in facts if f.fact_id in last}
    out = []
    for fact, words, overlap, year in zip(facts, row_words, overlaps, years, strict=True):
        column_words = [w for w in _words(fact.column) if not _YEAR.fullmatch(w)]
        label = " ".join(re.findall(r"[a-z0-9]+", fact.row.lower()))
        siblings = columns[(fact.table_index, " ".join(fact.row_path))]
        printed = printed_number(fact)
        total_row = bool(_TOTAL.search(fact.row))
        out.append(
            [
                1.0,
                overlap,
                len(question.words & set(words)) / len(question.words) if question.words else 0.0,
                _overlap(question.words, column_words),
                _overlap(question.words, _words(fact.table or "")),
                float(year is not None and year in question.years),
                float(bool(question.years) and year is None),
                float(bool(question.years) and year == question.years[-1]),
                float(len(question.years) > 1 and year == question.years[0]),
                float(printed is not None and abs(printed) in question.numbers),
                float(fact.kind == "sentence"),
                float(fact.unit == "percent"),
                float(question.percent and fact.unit == "percent"),
                float(total_row),
                float(question.total and total_row),
                float(bool(ranked) and overlap == ranked[0] and overlap > 0),
                ranked.index(overlap) / len(ranked) if ranked else 1.0,
                siblings.index(fact.column) / max(len(siblings) - 1, 1),
                float(year is None and bool(_CHANGE_COLUMN.search(fact.column))),
                float(year is not None and year == latest),
                float(len(label) > 3 and f" {label} " in f" {question.text} "),
                float(not question.years),
                float(question.follow_up),
                float(fact.fact_id in last),
                float(fact.fact_id in everything),
                float((fact.table_index, fact.row_path) in last_rows),
                float((fact.table_index, fact.column) in last_columns),
                _overlap(question.earlier_words, words),
                len(question.metric_words & {*words, *column_words}) / len(question.metric_words)
                if question.metric_words
                else 0.0,
                _overlap(question.metric_words, words),
                (score := question.row_scores.get(row_key(fact), 0.0)),
                float(score == 1.0),
            ]
        )
    return out


PAIR_FEATURES = (
    "bias",
    "first_operand",  # the operand model's log-odds for the first figure
    "second_operand",
    "first_later",
    "first_earlier",
    "first_larger",
    "first_total",
    "second_total",
    "first_said_first",
    "same_row",
    "same_column",
    "first_percent",
    "second_percent",
    "first_said_more_recently",  # a's answer came after b's in the conversation
    "both_earlier_figures",
)
ORDERED = ("subtract", "change_percent", "divide")  # where the figures' order matters


def pair_features(
    shape: str, question: Asked, a: Fact, b: Fact, logit_a: float, logit_b: float
) -> list[float]:
    """:data:`PAIR_FEATURES` of the ordered pair (a, b), once as is and once for each shape
    (a percent change wants the same row in two years, a share the same column and a
    total second)."""
    base = pair_base(question, a, b)
    out = [1.0, logit_a, logit_b, *base]
    for name in PAIR_SHAPES:
        out += [x if name == shape else 0.0 for x in (1.0, *base)]
    return out


def pair_base(question: Asked, a: Fact, b: Fact) -> list[float]:
    """The pair's own features, before they are laid out per shape."""
    ya, yb = fact_year(a), fact_year(b)
    return [
        float(ya is not None and yb is not None and ya > yb),
        float(ya is not None and yb is not None and ya < yb),
        float(abs(a.value) > abs(b.value)),
        float(bool(_TOTAL.search(a.row))),
        float(bool(_TOTAL.search(b.row))),
        _first_said(question.text, a, b),
        float(a.row_path == b.row_path and a.table_index == b.table_index),
        float(a.column == b.column),
        float(a.unit == "percent"),
        float(b.unit == "percent"),
        float(_turn(question.history, a) > _turn(question.history, b)),
        float(_turn(question.history, a) >= 0 and _turn(question.history, b) >= 0),
    ]


PAIR_SHAPES = ("subtract", "change_percent", "divide", "add", "average", "multiply")


def _turn(history: History, fact: Fact) -> int:
    """The last earlier turn whose answer used the fact, or -1."""
    return max((i for i, ids in enumerate(history.figures) if fact.fact_id in ids), default=-1)


def _first_said(text: str, a: Fact, b: Fact) -> float:
    """1 when the question names a's row (or year) before b's, 0 after, 0.5 when unsaid."""

    def where(fact: Fact) -> int:
        for word in [*re.findall(r"[a-z]{4,}", fact.row.lower()), str(fact_year(fact) or "")]:
            if word and (at := text.find(word)) >= 0:
                return at
        return -1

    wa, wb = where(a), where(b)
    if wa < 0 or wb < 0 or wa == wb:
        return 0.5
    return float(wa < wb)


# ---------------------------------------------------------------------------- the models
def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(min(x, 30.0), -30.0)))


def _dot(weights: Sequence[float], features: Sequence[float]) -> float:
    return sum(w * x for w, x in zip(weights, features, strict=True))


@dataclass(frozen=True)
class Models:
    """One fold's (or the full fit's) weights."""

    shapes: tuple[str, ...]
    shape_bias: tuple[float, ...]
    shape_terms: dict[str, tuple[float, ...]]
    operand: tuple[float, ...]
    pair: tuple[float, ...]
    calibrator: tuple[float, ...]  # over calibration_features: the probability it is right
    threshold: float  # the calibrated probability it answers from

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Models:
        return cls(
            shapes=tuple(data["shapes"]),
            shape_bias=tuple(data["shape_bias"]),
            shape_terms={k: tuple(v) for k, v in data["shape_terms"].items()},
            operand=tuple(data["operand"]),
            pair=tuple(data["pair"]),
            calibrator=tuple(data["calibrator"]),
            threshold=float(data["threshold"]),
        )

    def shape_probabilities(self, question: str, follow_up: bool = False) -> dict[str, float]:
        scores = list(self.shape_bias)
        for term in question_terms(question, follow_up):
            if (weights := self.shape_terms.get(term)) is not None:
                scores = [s + w for s, w in zip(scores, weights, strict=True)]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {shape: e / total for shape, e in zip(self.shapes, exps, strict=True)}

    def right(self, found: Found) -> float:
        """The calibrated probability that the found program is right."""
        if not self.calibrator:
            return 0.0
        return _sigmoid(_dot(self.calibrator, calibration_features(found)))

    def clears(self, found: Found) -> bool:
        return self.right(found) >= self.threshold

    def operand_logits(self, question: Asked, facts: Sequence[Fact]) -> list[float]:
        return [_dot(self.operand, x) for x in fact_features(question, facts)]

    def pair_probability(
        self, shape: str, base: Sequence[float], logit_a: float, logit_b: float
    ) -> float:
        """:func:`pair_features`' dot product, read off the shared and the shape's weights
        (the other shapes' features are zero)."""
        w = self.pair
        width = len(base)
        common = w[0] + w[1] * logit_a + w[2] * logit_b + _dot(w[3 : 3 + width], base)
        at = 3 + width + PAIR_SHAPES.index(shape) * (width + 1)
        return _sigmoid(common + w[at] + _dot(w[at + 1 : at + 1 + width], base))


@cache
def saved(path: Path = MODEL_PATH) -> dict[str, Models] | None:
    """The saved models by fold ("all" and "0".."4"), or None when none are saved."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return {name: Models.from_json(weights) for name, weights in data["models"].items()}


@dataclass(frozen=True)
class Found:
    """The search's best program: its shape, operands in order and fitted probability, and
    what the calibrator reads beside it."""

    shape: str
    facts: tuple[Fact, ...]
    probability: float
    runner_up: float = 0.0  # the next best program's probability
    shape_probability: float = 0.0
    agrees: bool = False  # the rules read the question as the same operation
    follow_up: bool = False
    last_answer: bool = False  # its figures are all ones the conversation's last answer used
    rules_row: bool = False  # every figure is in a row the rules' row search ranks first
    years_asked: bool = False  # its figures' years are exactly the years the question names
    one_row: bool = False  # its figures share one row


# the rules' operation (Intent.operation) that is each shape
_RULE_SHAPES = {
    "lookup": "lookup",
    "percent_change": "change_percent",
    "difference": "subtract",
    "ratio": "divide",
    "sum": "add",
    "average": "average",
}
CALIBRATION = (
    "bias",
    "log_odds",
    "runner_up_log_odds",
    "margin",
    "shape_probability",
    "agrees",
    "follow_up",
    "last_answer",
    "rules_row",
    "years_asked",
    "one_row",
    *(f"shape={s}" for s in SHAPES if s != "other"),
    *(f"last_answer shape={s}" for s in SHAPES if s != "other"),
)


def calibration_features(found: Found) -> list[float]:
    """What says whether a found program is right, for the fitted calibrator."""

    def odds(p: float) -> float:
        p = min(max(p, 1e-6), 1 - 1e-6)
        return math.log(p / (1 - p))

    return [
        1.0,
        odds(found.probability),
        odds(found.runner_up),
        found.probability - found.runner_up,
        found.shape_probability,
        float(found.agrees),
        float(found.follow_up),
        float(found.last_answer),
        float(found.rules_row),
        float(found.years_asked),
        float(found.one_row),
        *(float(found.shape == s) for s in SHAPES if s != "other"),
        *(float(found.last_answer and found.shape == s) for s in SHAPES if s != "other"),
    ]


TOP = 8  # the figures the pair search combines: the operand model's best


def search(
    models: Models,
    question: str,
    facts: Sequence[Fact],
    history: History | None = None,
    scores: Mapping[RowKey, float] | None = None,
) -> Found | None:
    """The most probable (shape, operands) for the question over these facts; ``history``:
    the conversation's earlier turns; ``scores``: :func:`row_scores`."""
    if not facts:
        return None
    q = asked(question, history, scores)
    shapes = models.shape_probabilities(question, q.follow_up)
    logits = models.operand_logits(q, facts)
    ranked = sorted(range(len(facts)), key=lambda i: -logits[i])[:TOP]
    bases = {(i, j): pair_base(q, facts[i], facts[j]) for i in ranked for j in ranked if i != j}
    best: Found | None = None
    runner_up = 0.0
    for shape, p_shape in shapes.items():
        arity = SHAPES[shape]
        if arity == 0 or p_shape < 0.05:
            continue
        if arity == 1:
            i = ranked[0]
            second = _sigmoid(logits[ranked[1]]) if len(ranked) > 1 else 0.0
            candidates_ = [Found(shape, (facts[i],), p_shape * _sigmoid(logits[i]) * (1 - second))]
        else:
            candidates_ = [
                Found(
                    shape,
                    (facts[i], facts[j]),
                    p_shape * models.pair_probability(shape, base, logits[i], logits[j]),
                )
                for (i, j), base in bases.items()
            ]
        for found in candidates_:
            if best is None or found.probability > best.probability:
                runner_up = best.probability if best is not None else runner_up
                best = found
            elif found.probability > runner_up:
                runner_up = found.probability
    if best is None:
        return None
    rule = _RULE_SHAPES.get(_read(question).operation)
    return replace(
        best,
        runner_up=runner_up,
        shape_probability=shapes[best.shape],
        agrees=rule == best.shape,
        follow_up=q.follow_up,
        last_answer=bool(q.history.figures)
        and all(f.fact_id in q.history.figures[-1] for f in best.facts),
        rules_row=all(q.row_scores.get(row_key(f)) == 1.0 for f in best.facts),
        years_asked=bool(q.years) and {fact_year(f) for f in best.facts} == set(q.years),
        one_row=len({row_key(f) for f in best.facts}) == 1,
    )


def rows_of(facts: Sequence[Fact]) -> list[tuple[Fact, ...]]:
    """Facts grouped by table row (a sentence's figures are a row of their own)."""
    rows: dict[RowKey, list[Fact]] = {}
    for fact in facts:
        rows.setdefault(row_key(fact), []).append(fact)
    return [tuple(members) for members in rows.values()]


def candidates(
    question: str, rows: Sequence[Sequence[Fact]], history: History | None = None
) -> list[Fact]:
    """The facts the search looks at: every fact of the :data:`MAX_ROWS` rows whose label and
    table title share most words with the question, the rows of the figures earlier answers
    used first (all of a small page's)."""
    if len(rows) <= MAX_ROWS:
        return [fact for row in rows for fact in row]
    words = set(tokens(question))
    used = frozenset().union(*history.figures) if history else frozenset()

    def fit(row: Sequence[Fact]) -> int:
        first = row[0]
        if any(fact.fact_id in used for fact in row):
            return 1_000
        return len(words & set(_words(" ".join([*first.row_path, first.row, first.table or ""]))))

    kept = sorted(rows, key=fit, reverse=True)[:MAX_ROWS]
    return [fact for row in kept for fact in row]


_KINDS = {
    "subtract": "difference",
    "change_percent": "growth",
    "divide": "ratio",
    "add": "sum",
    "average": "average",
    "multiply": "product",
}


def answer(intent: Intent, found: Found) -> Answer:
    """The found program run on the calculator, each operand cited."""
    if found.shape == "lookup":
        return lookup_answer(intent, found.facts[0])
    # a deducted line counts as its amount, as in the rules (an outflow too, in an average)
    a, b = amounts(list(found.facts), outflows=found.shape in ("add", "average"))
    program: Node
    if found.shape == "change_percent":  # a growth is said in percent
        program = Step("divide", (Step("subtract", (a, b)), b))
        intent = replace(intent, as_percent=True)
    elif found.shape == "average":
        program = Step("divide", (Step("add", (a, b)), Quantity.constant(2)))
    else:
        program = Step(found.shape, (a, b))
    return computed(intent, program, list(found.facts), _KINDS[found.shape])


# ------------------------------------------------------------------ figures in sentences
_MENTION = re.compile(
    r"(?P<open>\()?(?P<cur>\$)?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<close>\))?"
    r"(?P<pct>\s?%|\s?percent\b)?"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion)s?\b)?",
    re.IGNORECASE,
)
_CONTEXT_WORDS = 8  # words either side of a figure that name it
_SCALES = {"thousand": "thousands", "million": "millions", "billion": "billions"}


def mentions(sentences: Iterable[Sentence]) -> list[Fact]:
    """Every figure the sentences print, named by the words around it: the search's
    candidates beyond the figures the ingester read with a subject and a period ("16 of the
    company's 75 warehouses are in north america")."""
    return [fact for s in sentences for fact in _mentions(s)]


@lru_cache(maxsize=50_000)
def _mentions(sentence: Sentence) -> tuple[Fact, ...]:
    out = []
    text = sentence.text
    for match in _MENTION.finditer(text):
        raw = match.group("num")
        if _YEAR.fullmatch(raw) and not match.group("cur"):
            continue  # a year, not a figure
        begins = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
        before_char = text[begins - 1] if begins > 0 else " "
        if before_char.isalnum() or before_char in "-/.":
            continue  # inside a word, a date or a code
        number = Decimal(raw.replace(",", ""))
        if match.group("open") and match.group("close"):
            if not match.group("cur") and "." not in raw and number < 10:
                continue  # a footnote mark, "(1)"
            number = -number
        scale = (match.group("scale") or "").lower()
        factor = scale_factor(scale)
        before = text[: match.start()].split()[-_CONTEXT_WORDS:]
        after = text[match.end() :].split()[:_CONTEXT_WORDS]
        context = " ".join([*before, *after])
        years = _YEAR.findall(text)
        start = sentence.char_start + begins
        out.append(
            Fact(
                fact_id=f"{sentence.doc_id}:m{start}",
                doc_id=sentence.doc_id,
                document=sentence.document,
                table=None,
                row=context,
                row_path=(context,),
                column=years[0] if len(set(years)) == 1 else "",
                period=None,
                value=(number * factor).normalize() if factor > 1 else number,
                unit="percent" if match.group("pct") else "USD" if match.group("cur") else "count",
                as_printed=match.group(0).strip(),
                scale=_SCALES.get(scale),
                basis=None,
                note=None,
                checks=(),
                repairs=(),
                char_start=start,
                char_end=sentence.char_start + match.end(),
                page=sentence.page,
                kind="sentence",
            )
        )
    return tuple(out)


MAX_SENTENCES = 40  # sentences whose figures a large filing offers: the best-matching ones


def scope_rows(
    rows: Sequence[tuple[Fact, ...]],
    sentences: Sequence[Sentence],
    question: str,
    index: SentenceIndex | None = None,
) -> list[tuple[Fact, ...]]:
    """The rows of figures the search may use: the filings' table rows and read sentences,
    and every other figure their sentences print (:func:`mentions`), one row each; of a
    long filing's sentences, the :data:`MAX_SENTENCES` the sentence index ranks first."""
    if len(sentences) > MAX_SENTENCES and index is not None:
        doc_ids = {s.doc_id for s in sentences}
        sentences = [s for s, _ in index.search(question, doc_ids, limit=MAX_SENTENCES)]
    read = {(f.doc_id, f.char_start) for row in rows for f in row if f.kind == "sentence"}
    extra = [m for m in mentions(sentences) if (m.doc_id, m.char_start) not in read]
    return [*rows, *((m,) for m in extra)]
