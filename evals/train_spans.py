"""Fit :mod:`retrieval.spans`, the short answer inside a sentence, on TAT-QA dev's span
answers; ``python -m evals.train`` runs it after the program models.

An example is a TAT-QA question whose one gold span is found, normalised as TAT-QA's metric
normalises, in a sentence of its page as the ingester splits it. Every candidate span of
every such sentence is scored, and a conditional logit (softmax over one question's
candidates, L2 penalty :data:`PENALTY`) is fitted by L-BFGS to put the gold span first.
Weights are fitted once on every example and once per cross-validation fold, the folds of
:func:`retrieval.fitted.fold_of` over the page's key, and the report is the out-of-fold
exact match: the span ranked first, judged by TAT-QA's exact match.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

from retrieval import fitted, spans

from . import tatqa
from .tatqa_metric import normalize

PENALTY = 1.0
MIN_EXAMPLES = 2  # a feature fewer examples show is not fitted
SOURCES = ("text", "table-text")  # TAT-QA's answer sources a sentence holds


@dataclass
class Example:
    group: str
    question: str
    gold: str  # the span normalised as the metric normalises it
    sentences: list[str]  # the page's sentences that hold it


def examples(path: Path) -> Iterator[Example]:
    """Each single-span TAT-QA question whose span a sentence of its page holds."""
    for context in json.loads(path.read_text(encoding="utf-8")):
        asked = [
            q
            for q in context["questions"]
            if q["answer_type"] == "span" and q["answer_from"] in SOURCES and len(q["answer"]) == 1
        ]
        if not asked:
            continue
        uid = str(context["table"]["uid"])
        engine = tatqa.engine_for(uid, tatqa.markdown(context), search=False)
        texts = [s.text for s in engine.picker.sentences.sentences]
        normalised = [normalize(t) for t in texts]
        for question in asked:
            gold = normalize(str(question["answer"][0]))
            holding = [t for t, n in zip(texts, normalised, strict=True) if gold and gold in n]
            if holding:
                yield Example(tatqa.group(context), question["question"], gold, holding)


Candidates = list[tuple[dict[str, float], bool]]


def candidates(example: Example) -> Candidates:
    """Every candidate span of the example's sentences: its features, and whether it is the
    gold span."""
    out = []
    for text in example.sentences:
        read = spans.Sentence.read(example.question, text)
        for i, j in read.candidates():
            out.append((read.features(i, j), normalize(read.span(i, j)) == example.gold))
    return out


def fit(chosen: Sequence[Candidates]) -> dict[str, float]:
    """Conditional-logit weights by feature name, rounded, near-zero ones dropped. Examples
    with no gold candidate teach nothing and are left out; so are features fewer than
    :data:`MIN_EXAMPLES` examples show."""
    chosen = [c for c in chosen if any(right for _, right in c)]
    seen = Counter(name for c in chosen for name in {n for f, _ in c for n in f})
    names = sorted(name for name, k in seen.items() if k >= MIN_EXAMPLES)
    column = {name: k for k, name in enumerate(names)}
    indptr, indices, values, right, group = [0], [], [], [], []
    for index, c in enumerate(chosen):
        for f, ok in c:
            for name, value in sorted(f.items()):
                if name in column:
                    indices.append(column[name])
                    values.append(value)
            indptr.append(len(indices))
            right.append(ok)
            group.append(index)
    x = sparse.csr_matrix((values, indices, indptr), shape=(len(right), len(names)))
    y = np.array(right, dtype=float)
    starts = np.r_[0, np.flatnonzero(np.diff(np.array(group))) + 1]
    sizes = np.diff(np.r_[starts, len(y)])
    golds = np.maximum(np.add.reduceat(y, starts), 1)
    target = y / np.repeat(golds, sizes)  # several gold candidates share the credit

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        top = np.maximum.reduceat(s, starts)
        e = np.exp(s - np.repeat(top, sizes))
        z = np.add.reduceat(e, starts)
        value = float((top + np.log(z)).sum() - (s * target).sum() + PENALTY * w @ w / 2)
        p = e / np.repeat(z, sizes)
        return value, x.T @ (p - target) + PENALTY * w

    w = minimize(
        loss, np.zeros(len(names)), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    ).x
    return {name: round(float(v), 3) for name, v in zip(names, w, strict=True) if abs(v) >= 0.005}


def exact(weights: dict[str, float], example: Example) -> bool:
    """Whether the span ranked first over the example's sentences is the gold one."""
    found = [spans.best(example.question, text, weights) for text in example.sentences]
    top = max((f for f in found if f is not None), key=lambda f: f.score, default=None)
    return top is not None and normalize(top.text) == example.gold


def train(path: Path, out: Path) -> dict[str, Any]:
    """Fit, cross-validate and save; returns the report the model card prints."""
    found = list(examples(path))
    spans_of = [candidates(e) for e in found]
    models: dict[str, dict[str, float]] = {"all": fit(spans_of)}
    right = 0
    for k in range(fitted.FOLDS):
        seen = [fitted.fold_of(e.group) != k for e in found]
        models[str(k)] = fit([c for c, s in zip(spans_of, seen, strict=True) if s])
        right += sum(exact(models[str(k)], e) for e, s in zip(found, seen, strict=True) if not s)
    report = {"examples": len(found), "exact_out_of_fold": right, "penalty": PENALTY}
    saved = {"models": models, "cross_validated": report}
    out.write_text(json.dumps(saved, separators=(",", ":")), encoding="utf-8")
    return report


def card(report: dict[str, Any]) -> str:
    """The span model's section of the model card."""
    return "\n".join(
        [
            "",
            "# Short answers (`retrieval/fitted/spans.json`)",
            "",
            "See `retrieval/spans.py` and `evals/train_spans.py`.",
            "",
            "## Data",
            "",
            f"TAT-QA dev's single-span answers from the text: {report['examples']} questions "
            "whose gold span, normalised as TAT-QA's metric normalises, a sentence of the page "
            "holds as the ingester splits it. Every run of up to "
            f"{spans.LONGEST} words of those sentences is a candidate.",
            "",
            "## Model",
            "",
            "Conditional logit (softmax over one question's candidates) fitted by L-BFGS, L2 "
            f"penalty {report['penalty']:g}; features a candidate's place against the words it "
            "shares with the question, its bounds (punctuation, the sentence's ends, a note's "
            "marker), length, first, last, preceding and following words, the question's "
            "wh-word and last word; features fewer than "
            f"{MIN_EXAMPLES} questions show are not fitted. Saved fitted on all the data and "
            "per fold, the folds of the program models.",
            "",
            "## Cross-validated score",
            "",
            f"Out of fold, the span ranked first is the gold span for "
            f"{report['exact_out_of_fold']} of {report['examples']} questions "
            f"({100 * report['exact_out_of_fold'] / report['examples']:.1f}%).",
            "",
        ]
    )
