"""Rebuild every fitted model from the development sets: ``python -m evals.train``.

Reads FinQA dev (``dev_evidence.json``), ConvFinQA dev (``convfinqa_dev.json``) and TAT-QA
dev (``tatqa_dataset_dev.json``) from ``--datasets`` (default ``../shared/datasets``), builds
each page as the evaluations do (the real ingester's parsing stage), and finds every gold
program's operands among the page's printed figures.  From those examples it fits the three
models of :mod:`retrieval.fitted` (program shape, operand, operand order) with scikit-learn,
seeded and deterministic, once on everything and once per cross-validation fold (pages
grouped by :func:`retrieval.fitted.group_key`, so a page FinQA and ConvFinQA both print is in
one fold).  The answering threshold is chosen on the out-of-fold searches.  Writes
``retrieval/fitted/programs.json`` (the weights) and ``retrieval/fitted/MODEL_CARD.md`` (data,
features, cross-validated scores).  Then it fits :mod:`retrieval.spans`, the short answer inside
a sentence, on TAT-QA dev's span answers (:mod:`evals.train_spans`), into
``retrieval/fitted/spans.json``, and adds its section to the model card.  scikit-learn (and
scipy) are needed here only: answering reads the saved weights with plain Python.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any

from ingest.models import Fact
from retrieval import fitted
from retrieval.answer import Answer, Conversation, Engine, Filters
from retrieval.errors import CalculationError
from retrieval.understand import understand

from . import convfinqa, finqa, generate, tatqa, train_spans
from .tatqa_metric import score as tatqa_score

DEFAULT_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"
SEED = 17
GENERATED_WEIGHT = 1.0  # a generated question weighs as much as a real one in the fitting
SOURCES = ("finqa", "convfinqa", "tatqa")
_ARG = r"(-?\d[\d,]*(?:\.\d+)?%?)"


@dataclass
class Example:
    source: str  # finqa, convfinqa, tatqa
    group: str  # fitted.group_key of the page
    question: str
    facts: list[Fact]
    shape: str
    operands: list[Decimal]  # in program order
    history: fitted.History = field(default_factory=fitted.History)  # earlier turns
    ruled: bool = False  # the rules alone answered it (the search is not asked)
    judge: Callable[[Answer], bool] | None = None  # the evaluation's own verdict
    scores: dict[fitted.RowKey, float] = field(default_factory=dict)  # fitted.row_scores
    # the page's rules row scores for another question (generated questions need them)
    scorer: Callable[[str], dict[fitted.RowKey, float]] | None = None
    generated: bool = False  # made from a page's table by :func:`generated_examples`

    @property
    def follow_up(self) -> bool:
        return bool(self.history.questions)

    @property
    def weight(self) -> float:
        """Its weight in the fitting: :data:`GENERATED_WEIGHT` for a generated question."""
        return GENERATED_WEIGHT if self.generated else 1.0


# ------------------------------------------------------------------------ gold programs
_FINQA_SHAPES = [
    (re.compile(rf"^{_ARG}$"), "lookup"),
    (re.compile(rf"^subtract\({_ARG}, {_ARG}\)$"), "subtract"),
    (re.compile(rf"^subtract\({_ARG}, {_ARG}\), divide\(#0, (\2)\)$"), "change_percent"),
    (re.compile(rf"^divide\({_ARG}, {_ARG}\)(?:, multiply\(#0, const_100\))?$"), "divide"),
    (re.compile(rf"^add\({_ARG}, {_ARG}\)$"), "add"),
    (re.compile(rf"^add\({_ARG}, {_ARG}\), divide\(#0, const_2\)$"), "average"),
    (re.compile(rf"^multiply\({_ARG}, {_ARG}\)$"), "multiply"),
]
_N = r"(\(?-?\$?\s?\d[\d,]*(?:\.\d+)?%?\)?)"
_TATQA_SHAPES = [
    (re.compile(rf"^{_N}\s*-\s*{_N}$"), "subtract"),
    (re.compile(rf"^\(\s*{_N}\s*-\s*{_N}\s*\)\s*/\s*{_N}(?:\s*\*\s*100)?$"), "change_percent"),
    (re.compile(rf"^{_N}\s*/\s*{_N}(?:\s*\*\s*100)?$"), "divide"),
    (re.compile(rf"^{_N}\s*\+\s*{_N}$"), "add"),
    (re.compile(rf"^\(\s*{_N}\s*\+\s*{_N}\s*\)\s*/\s*2$"), "average"),
    (re.compile(rf"^{_N}\s*\*\s*{_N}$"), "multiply"),
]


def number(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s$,%()]", "", text)
    try:
        return abs(Decimal(cleaned))
    except InvalidOperation:
        return None


def finqa_shape(program: str) -> tuple[str, list[Decimal]]:
    """A FinQA/ConvFinQA program's shape and its operands, or ("other", [])."""
    program = program.strip()
    for pattern, shape in _FINQA_SHAPES:
        if match := pattern.match(program):
            args = [number(a) for a in match.groups()[:2] if a is not None]
            if all(a is not None for a in args):
                return shape, [a for a in args if a is not None]
    return "other", []


def tatqa_shape(question: dict[str, Any]) -> tuple[str, list[Decimal]]:
    derivation = str(question.get("derivation") or "").strip()
    if question.get("answer_type") == "span" and not derivation:
        answer = question.get("answer")
        value = number(str(answer[0])) if isinstance(answer, list) and len(answer) == 1 else None
        return ("lookup", [value]) if value is not None else ("other", [])
    if question.get("answer_type") != "arithmetic":
        return "other", []
    for pattern, shape in _TATQA_SHAPES:
        if match := pattern.match(derivation):
            args = [number(a) for a in match.groups()[:2]]
            if shape == "change_percent" and number(match.group(3)) != args[1]:
                return "other", []
            if all(a is not None for a in args):
                return shape, [a for a in args if a is not None]
    return "other", []


# ------------------------------------------------------------------------ the pages
def facts_of(engine: Engine) -> list[Fact]:
    """Every figure the search may use on a one-page engine (:func:`fitted.scope_rows`)."""
    corpus = engine.corpus
    rows = fitted.scope_rows([row.facts for row in corpus.rows], corpus.sentences, "")
    return [fact for row in rows for fact in row]


def finqa_examples(path: Path) -> Iterator[Example]:
    """Each FinQA question, answered by the rules alone on its page as the evaluation asks
    it, with its gold program's shape and operands."""
    for number_, record in enumerate(finqa.load(path), 1):
        name = f"finqa-{number_}.md"
        engine = finqa.engine_for(name, finqa.markdown(record), search=False)
        scorer = _scorer(engine)
        qa = record["qa"]
        question = finqa.asked(qa["question"])
        ruled = engine.answer(question, Filters(doc=name))
        shape, operands = finqa_shape(qa.get("program", ""))
        gold = qa["exe_ans"]
        yield Example(
            "finqa",
            finqa.group(record),
            question,
            facts_of(engine),
            shape,
            operands,
            ruled=ruled.status == "answered",
            judge=partial(_finqa_right, gold),
            scores=scorer(question),
            scorer=scorer,
        )


def _scorer(engine: Engine) -> Callable[[str], dict[fitted.RowKey, float]]:
    """The page's rules row scores for any question, without keeping the whole engine."""
    return partial(_row_scores, engine.picker.rows, frozenset(engine.corpus.documents))


def _row_scores(index: Any, doc_ids: frozenset[str], question: str) -> dict[fitted.RowKey, float]:
    return fitted.row_scores(index, question, set(doc_ids))


def _finqa_right(gold: Any, answer: Answer) -> bool:
    return finqa.scored(gold, answer)[0] == 1.0


def convfinqa_examples(path: Path) -> Iterator[Example]:
    """Each ConvFinQA turn, asked in its conversation by the rules alone; its history is the
    engine's (the earlier questions, the figures the rules' earlier answers used)."""
    for number_, record in enumerate(convfinqa.load(path), 1):
        name = f"convfinqa-{number_}.md"
        engine = finqa.engine_for(name, convfinqa.markdown(record), search=False)
        facts = facts_of(engine)
        scorer = _scorer(engine)
        group = convfinqa.group(record)
        dialogue = record["dialogue"]
        programs = dialogue.get("turn_program") or []
        conversation = Conversation()
        for turn, question in enumerate(dialogue["conv_questions"]):
            program = programs[turn] if turn < len(programs) else ""
            shape, operands = finqa_shape(program)
            gold = dialogue["executed_answers"][turn]
            history = fitted.History(
                conversation.questions, tuple(frozenset(ids) for ids in conversation.figures)
            )
            ruled = engine.answer(question, Filters(doc=name), conversation)
            yield Example(
                "convfinqa",
                group,
                question,
                facts,
                shape,
                operands,
                history,
                ruled=ruled.status == "answered",
                judge=partial(_finqa_right, gold),
                scores=scorer(question),
                scorer=scorer,
            )


def tatqa_examples(path: Path) -> Iterator[Example]:
    """Each TAT-QA question, answered by the rules alone on its context; judged by TAT-QA's
    exact match with its scale."""
    for context in json.loads(path.read_text(encoding="utf-8")):
        uid = str(context["table"]["uid"])
        text = tatqa.markdown(context)
        engine = tatqa.engine_for(uid, text, search=False)
        facts = facts_of(engine)
        scorer = _scorer(engine)
        scale = tatqa.stated_scale(text)
        for question in context["questions"]:
            shape, operands = tatqa_shape(question)
            ruled = engine.answer(question["question"], Filters(doc=f"{uid}.md"))
            yield Example(
                "tatqa",
                tatqa.group(context),
                question["question"],
                facts,
                shape,
                operands,
                ruled=ruled.status == "answered",
                judge=partial(_tatqa_right, question, scale),
                scores=scorer(question["question"]),
                scorer=scorer,
            )


def _tatqa_right(question: dict[str, Any], scale: str, answer: Answer) -> bool:
    return tatqa_score(question, *tatqa.prediction(answer, scale))[0] == 1.0


def printed_in(facts: Sequence[Fact], program: str) -> frozenset[str]:
    """The facts printing a number the program uses: an earlier turn's figures, as the
    engine remembers the figures its earlier answers used."""
    numbers = {number(n) for n in re.findall(r"(?<![#\w])-?\d[\d,]*(?:\.\d+)?", program)}
    return frozenset(
        f.fact_id
        for f in facts
        if (p := fitted.printed_number(f)) is not None and abs(p) in numbers
    )


def operand_indices(example: Example, facts: Sequence[Fact]) -> list[int] | None:
    """Each gold operand's fact, in program order. A number printed more than once is read
    where it shares a row or a column with the other operand (a program combines figures of
    one row or one column far more often than not), else where it is first printed."""
    matches = []
    for operand in example.operands:
        found = [
            i
            for i, fact in enumerate(facts)
            if (p := fitted.printed_number(fact)) is not None and abs(p) == operand
        ]
        if not found:
            return None
        matches.append(found)
    if not matches:
        return None
    if len(matches) == 1:
        return [matches[0][0]]

    def kin(i: int, j: int) -> int:
        a, b = facts[i], facts[j]
        same_row = a.row_path == b.row_path and a.table_index == b.table_index
        return int(same_row or a.column == b.column)

    pairs = [(i, j) for i in matches[0] for j in matches[1] if i != j]
    if not pairs:
        return [matches[0][0], matches[1][0]]
    return list(max(pairs, key=lambda p: kin(*p)))


def generated_examples(examples: Sequence[Example], least: int = 3) -> list[Example]:
    """Questions made from each page's table rows (:mod:`evals.generate`), phrased as the
    real first questions of the page's own fold are phrased (each word of a phrasing used by
    at least ``least`` of them)."""
    templates: dict[int, set[generate.Template]] = {}
    pages: dict[str, Example] = {}
    for example in examples:
        pages.setdefault(example.group, example)
        if example.follow_up or example.shape not in generate.SHAPES or not example.facts:
            continue
        indices = operand_indices(example, example.facts)
        if indices is None:
            continue
        template = generate.template_of(
            example.question, example.shape, [example.facts[i] for i in indices]
        )
        if template is not None:
            templates.setdefault(fitted.fold_of(example.group), set()).add(template)
    labels = {f.row for page in pages.values() for f in page.facts if f.kind == "table_cell"}
    pool = {k: generate.common(v, labels, least) for k, v in templates.items()}
    made = generate.generate(
        ((group, page.facts) for group, page in sorted(pages.items())),
        lambda group: pool.get(fitted.fold_of(group), []),
        SEED,
    )
    out = []
    for item in made:
        page = pages[item.group]
        out.append(
            Example(
                "generated",
                item.group,
                item.question,
                page.facts,
                item.shape,
                list(item.operands),
                ruled=True,
                scores=page.scorer(item.question) if page.scorer is not None else {},
                generated=True,
            )
        )
    return out


# ------------------------------------------------------------------------ fitting
def fit(examples: Sequence[Example]) -> dict[str, Any]:
    """The three models' weights fitted on these examples (threshold set by the caller)."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    shapes = sorted(fitted.SHAPES)
    terms = Counter(
        t for e in examples for t in set(fitted.question_terms(e.question, e.follow_up))
    )
    kept = {t for t, n in terms.items() if n >= 2}
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(
        [
            {t: 1.0 for t in fitted.question_terms(e.question, e.follow_up) if t in kept}
            for e in examples
        ]
    )
    y = [shapes.index(e.shape) for e in examples]
    weight = [e.weight for e in examples]
    shape_model = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED)
    shape_model.fit(x, y, sample_weight=weight)
    classes = [shapes[c] for c in shape_model.classes_]
    coef = np.zeros((len(shapes), x.shape[1]))
    bias = np.full(len(shapes), -30.0)
    for row, name in enumerate(classes):
        coef[shapes.index(name)] = shape_model.coef_[row]
        bias[shapes.index(name)] = shape_model.intercept_[row]
    shape_terms = {
        term: [round(float(w), 3) for w in coef[:, column]]
        for term, column in vectorizer.vocabulary_.items()
        if np.abs(coef[:, column]).max() >= 0.02
    }

    features: list[list[float]] = []
    labels: list[int] = []
    weights: list[float] = []
    found: list[tuple[Example, list[Fact], list[int], fitted.Asked]] = []
    for example in examples:
        if example.shape == "other" or not example.facts:
            continue
        facts = fitted.candidates(example.question, fitted.rows_of(example.facts), example.history)
        indices = operand_indices(example, facts)
        if indices is None:
            continue
        q = fitted.asked(example.question, example.history, example.scores)
        for i, vector in enumerate(fitted.fact_features(q, facts)):
            features.append(vector)
            labels.append(int(i in indices))
            weights.append(example.weight)
        found.append((example, facts, indices, q))
    operand_model = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED)
    operand_model.fit(np.array(features), np.array(labels), sample_weight=np.array(weights))
    operand = [round(float(w), 4) for w in operand_model.coef_[0]]
    operand[0] += round(float(operand_model.intercept_[0]), 4)
    pair_x, pair_y, pair_w = [], [], []
    for example, facts, indices, q in found:
        if fitted.SHAPES[example.shape] != 2 or len(set(indices)) != 2:
            continue
        logits = [fitted._dot(operand, x) for x in fitted.fact_features(q, facts)]
        ranked = sorted(range(len(facts)), key=lambda i: -logits[i])[: fitted.TOP]
        gold = tuple(indices)
        pool = list(dict.fromkeys([*ranked, *indices]))
        for i in pool:
            for j in pool:
                if i == j:
                    continue
                good = (i, j) == gold or (example.shape not in fitted.ORDERED and (j, i) == gold)
                pair_x.append(
                    fitted.pair_features(example.shape, q, facts[i], facts[j], logits[i], logits[j])
                )
                pair_y.append(int(good))
                pair_w.append(example.weight)
    pair_model = LogisticRegression(C=1.0, max_iter=4000, random_state=SEED)
    pair_model.fit(np.array(pair_x), np.array(pair_y), sample_weight=np.array(pair_w))
    pair = [round(float(w), 4) for w in pair_model.coef_[0]]
    pair[0] += round(float(pair_model.intercept_[0]), 4)
    return {
        "shapes": shapes,
        "shape_bias": [round(float(b), 4) for b in bias],
        "shape_terms": dict(sorted(shape_terms.items())),
        "operand": operand,
        "pair": pair,
        "calibrator": [],
        "threshold": 1.0,
    }


def right(found: fitted.Found | None, example: Example) -> bool:
    """Whether the found program's answer is right as the example's evaluation scores it
    (an example without a judge is never right)."""
    if found is None or example.judge is None:
        return False
    try:
        return example.judge(fitted.answer(understand(example.question), found))
    except CalculationError:
        return False


MIN_ANSWERED = 10  # a shape answers only if its threshold lets through this many of the data


def threshold(scored: Sequence[tuple[float, bool]]) -> float:
    """The probability above which answering gains most: right - WRONG_COST x wrong, over
    at least :data:`MIN_ANSWERED` answers (fewer say nothing of precision); 1.0 when none
    gains."""
    best, at = 0.0, 1.0
    gain = 0.0
    for count, (probability, correct) in enumerate(sorted(scored, reverse=True), 1):
        gain += 1.0 if correct else -fitted.WRONG_COST
        if gain > best and count >= MIN_ANSWERED:
            best, at = gain, probability
    return at


Outcome = tuple[fitted.Found, bool, Example]  # the search's program, right, the example


def cross_validated(examples: Sequence[Example]) -> tuple[dict[str, Any], list[Outcome]]:
    """Each fold's weights, and each example's search by the fold that held it out."""
    folds = {}
    outcomes = []
    for k in range(fitted.FOLDS):
        train = [e for e in examples if fitted.fold_of(e.group) != k]
        weights = fit(train)
        models = fitted.Models.from_json(weights)
        for example in examples:
            if fitted.fold_of(example.group) != k or example.generated:
                continue
            facts = fitted.candidates(
                example.question, fitted.rows_of(example.facts), example.history
            )
            found = fitted.search(models, example.question, facts, example.history, example.scores)
            if found is not None:
                outcomes.append((found, right(found, example), example))
        folds[str(k)] = weights
    return folds, outcomes


def calibrate(outcomes: Sequence[Outcome]) -> tuple[list[float], float]:
    """The calibrator (a logistic regression from :func:`fitted.calibration_features` to
    right) and its answering threshold, fitted on out-of-fold searches of questions the
    rules refused. The threshold stands only if it pays on searches held out from its own
    choice (each fold of these outcomes answered by a calibrator and threshold fitted on the
    others: right - WRONG_COST x wrong above 0); else it is 1.0, and the search stays
    silent."""
    weights, cut = _calibrated(outcomes)
    if cut < 1.0 and held_out_gain(outcomes) <= 0:
        cut = 1.0
    return weights, cut


def _calibrated(outcomes: Sequence[Outcome]) -> tuple[list[float], float]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.array([fitted.calibration_features(found) for found, _, _ in outcomes])
    y = np.array([int(ok) for _, ok, _ in outcomes])
    if len(set(y)) < 2:
        return [], 1.0
    model = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED).fit(x, y)
    weights = [round(float(w), 4) for w in model.coef_[0]]
    weights[0] = round(weights[0] + float(model.intercept_[0]), 4)
    probe = fitted.Models((), (), {}, (), (), tuple(weights), 1.0)
    cut = threshold([(probe.right(found), ok) for found, ok, _ in outcomes])
    return weights, cut


def held_out_gain(outcomes: Sequence[Outcome]) -> float:
    """Right - WRONG_COST x wrong of the searches each fold of ``outcomes`` would answer, with
    the calibrator and threshold fitted on the other folds."""
    gain = 0.0
    for k in sorted({fitted.fold_of(o[2].group) for o in outcomes}):
        weights, cut = _calibrated([o for o in outcomes if fitted.fold_of(o[2].group) != k])
        probe = fitted.Models((), (), {}, (), (), tuple(weights), cut)
        for found, ok, example in outcomes:
            if fitted.fold_of(example.group) == k and weights and probe.clears(found):
                gain += 1.0 if ok else -fitted.WRONG_COST
    return gain


def card(counts: Counter[tuple[str, str]], report: dict[str, Any], cut: float) -> str:
    """The model card: what the models were fitted on, what they read, how they score."""
    columns = (*SOURCES, "generated")
    lines = [
        "# Fitted program search (`retrieval/fitted/programs.json`)",
        "",
        "Written by `python -m evals.train`; do not edit by hand. See `retrieval/fitted.py`.",
        "",
        "## Data",
        "",
        "Development sets only: FinQA dev (`dev_evidence.json`), ConvFinQA dev (every turn), "
        "TAT-QA dev. Each gold program (FinQA, ConvFinQA) or derivation (TAT-QA) is read as a "
        "shape and its operands; an operand is the page's printed figure with that number.",
        "",
        "Generated questions (`evals/generate.py`) are added to the fitting, at weight "
        f"{GENERATED_WEIGHT:g}: a real first question whose operands are one row's figures, "
        "with the row's label and the years printed in it, is a template (label and years "
        "taken out; only templates whose every word, stop words aside, at least three "
        f"templates use and at most {generate.LABEL_SHARE:.1%} of row labels print); up to "
        f"{generate.PER_PAGE} questions per page fill its own fold's templates with the "
        "page's other rows. They are never scored.",
        "",
        "| shape | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for shape in sorted(fitted.SHAPES):
        lines.append(f"| {shape} | " + " | ".join(str(counts[(s, shape)]) for s in columns) + " |")
    lines += [
        "",
        "## Models",
        "",
        "- **shape**: multinomial logistic regression (scikit-learn, C=1) over the question's "
        "word unigrams and bigrams seen at least twice (years and numbers as tokens).",
        f"- **operand**: logistic regression over {len(fitted.FACT_FEATURES)} features of a "
        "figure: " + ", ".join(fitted.FACT_FEATURES[1:]) + ".",
        f"- **pair**: logistic regression over {len(fitted.PAIR_FEATURES)} features of an "
        "ordered pair of the operand model's best figures, each also per shape: "
        + ", ".join(fitted.PAIR_FEATURES[1:])
        + ".",
        f"- Saved: the fit on all the data (`all`) and one per fold (`0`..`{fitted.FOLDS - 1}`, "
        "pages grouped by their row labels so a page FinQA and ConvFinQA share is in one "
        "fold). Evaluations on the development sets use the fold that held the page out.",
        "",
        "- **calibrator**: logistic regression over "
        + ", ".join(fitted.CALIBRATION[1:])
        + ": the probability a found program is right, fitted on the out-of-fold searches of "
        "the questions the rules alone refuse (where the engine asks the search), each judged "
        "by its evaluation's own scorer (FinQA execution accuracy, TAT-QA exact match).",
        "",
        "## Answering threshold",
        "",
        f"{cut:.4f}: the calibrated probability from which the search answers, chosen to "
        f"maximise right - {fitted.WRONG_COST:g} x wrong over at least "
        f"{MIN_ANSWERED} answers, and kept only if it pays on searches held out from its own "
        "choice (else 1.0: it never answers).",
        "",
        "## Cross-validated scores",
        "",
        f"Out-of-fold ({fitted.FOLDS} folds; each fold's calibrator fitted on the other folds' "
        "searches): the questions the rules alone refuse that the search answers:",
        "",
        "| set | questions | answered right | answered wrong |",
        "|---|---|---|---|",
        *(
            f"| {s} | {report[s]['n']} | {report[s]['right']} | {report[s]['wrong']} |"
            for s in SOURCES
        ),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        # set iteration order follows the string hash; fixed, two runs write the same bytes
        os.environ["PYTHONHASHSEED"] = "0"
        given = sys.argv[1:] if argv is None else argv
        os.execv(sys.executable, [sys.executable, "-m", "evals.train", *given])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--out", type=Path, default=fitted.MODEL_PATH)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    d = args.datasets
    examples = [
        *finqa_examples(d / "finqa" / "dev_evidence.json"),
        *convfinqa_examples(d / "convfinqa" / "convfinqa_dev.json"),
        *tatqa_examples(d / "tatqa" / "tatqa_dataset_dev.json"),
    ]
    print(f"{len(examples)} examples read in {time.perf_counter() - started:.0f} s")
    made = generated_examples(examples)
    print(f"{len(made)} questions generated from the pages' tables (evals/generate.py)")
    examples += made
    folds, outcomes = cross_validated(examples)
    # the search is asked only where the rules refused: it is calibrated there, each fold's
    # calibrator on the other folds' searches, and scored on its own
    asked = [o for o in outcomes if not o[2].ruled]
    report: dict[str, Any] = {s: {"n": 0, "right": 0, "wrong": 0} for s in SOURCES}
    for example in examples:
        if not example.generated:
            report[example.source]["n"] += 1
    for k, weights in folds.items():
        weights["calibrator"], weights["threshold"] = calibrate(
            [o for o in asked if fitted.fold_of(o[2].group) != int(k)]
        )
        models = fitted.Models.from_json(weights)
        for found, ok, example in asked:
            if fitted.fold_of(example.group) == int(k) and models.clears(found):
                report[example.source]["right" if ok else "wrong"] += 1
    full = fit(examples)
    full["calibrator"], full["threshold"] = calibrate(asked)
    for source in SOURCES:
        r = report[source]
        print(
            f"{source}: {r['n']} questions, out-of-fold search answers {r['right']} right, "
            f"{r['wrong']} wrong where the rules refused"
        )
    counts = Counter((e.source, e.shape) for e in examples)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    card_text = card(counts, report, full["threshold"])
    (args.out.parent / "MODEL_CARD.md").write_text(card_text, encoding="utf-8")
    args.out.write_text(
        json.dumps({"models": {"all": full, **folds}, "cross_validated": report}, indent=None),
        encoding="utf-8",
    )
    size = args.out.stat().st_size / 1e6
    elapsed = time.perf_counter() - started
    print(f"wrote {args.out} ({size:.2f} MB) in {elapsed:.0f} s; threshold {full['threshold']}")
    span_path = args.out.parent / "spans.json"
    spans = train_spans.train(d / "tatqa" / "tatqa_dataset_dev.json", span_path)
    with (args.out.parent / "MODEL_CARD.md").open("a", encoding="utf-8") as written:
        written.write(train_spans.card(spans))
    print(
        f"wrote {span_path} ({span_path.stat().st_size / 1e6:.2f} MB): out of fold the span "
        f"ranked first is TAT-QA's gold span for {spans['exact_out_of_fold']} of "
        f"{spans['examples']} questions; {time.perf_counter() - started:.0f} s in all"
    )


if __name__ == "__main__":
    main()
