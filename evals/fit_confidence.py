"""Fit the answer confidence (:data:`retrieval.verify.WEIGHTS`) and its threshold on the
development sets, with cross-validation.

Every question of TAT-QA dev (parsed, lexical), FinQA dev and ConvFinQA dev is answered with
the threshold off; each answer the rules let through gives one row of
:func:`retrieval.verify.features` and a label (was it correct).  A logistic regression (L2,
gradient descent, numpy) is fitted in 5 folds grouped by document, so no page is both fitted
and scored; every answer is scored by the model that did not see its page.  For each
threshold the table shows what the three sets would score, counting an answer under the
threshold as refused; the chosen threshold is the one with the most correct answers minus
three times the wrong ones (a wrong figure with a citation costs more than a refusal).  The
final weights are fitted on everything and printed as Python, for ``retrieval/verify.py``.

``python -m evals.fit_confidence [--limit N] [--json OUT]``
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

import retrieval.engine

from . import convfinqa, finqa, tatqa
from .harness import Record

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
FILES = {
    "tatqa": DATASETS / "tatqa" / "tatqa_dataset_dev.json",
    "finqa": DATASETS / "finqa" / "dev_evidence.json",
    "convfinqa": DATASETS / "convfinqa" / "convfinqa_dev.json",
}
COST_OF_WRONG = 3.0
FOLDS = 5


def collect(limit: int = 0) -> dict[str, list[Record]]:
    """Every dev question answered with the confidence threshold off."""
    saved = retrieval.engine.MIN_CONFIDENCE
    retrieval.engine.MIN_CONFIDENCE = 0.0
    try:
        return {
            "tatqa": tatqa.evaluate(FILES["tatqa"], limit),
            "finqa": finqa.evaluate(FILES["finqa"], limit),
            "convfinqa": convfinqa.evaluate(FILES["convfinqa"], limit),
        }
    finally:
        retrieval.engine.MIN_CONFIDENCE = saved


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, steps: int = 3000) -> np.ndarray:
    """Logistic regression weights (bias first) by gradient descent."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    rate = 0.5
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) / len(y) + l2 * np.r_[0, w[1:]]
        w -= rate * grad
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    p: np.ndarray = 1 / (1 + np.exp(-(np.hstack([np.ones((len(x), 1)), x]) @ w)))
    return p


def cross_validated(records: dict[str, list[Record]], names: list[str]) -> dict[int, float]:
    """Each answered record's out-of-fold probability, keyed by id(record)."""
    rows = [
        (name, r)
        for name, recs in records.items()
        for r in recs
        if r.answer.status == "answered" and r.answer.features
    ]
    groups = sorted({f"{name}:{r.doc}" for name, r in rows})
    random.Random(7).shuffle(groups)
    fold_of = {g: i % FOLDS for i, g in enumerate(groups)}
    x = np.array([[r.answer.features.get(n, 0.0) for n in names] for _, r in rows])
    y = np.array([1.0 if r.verdict == "correct" else 0.0 for _, r in rows])
    folds = np.array([fold_of[f"{name}:{r.doc}"] for name, r in rows])
    out: dict[int, float] = {}
    for k in range(FOLDS):
        w = fit(x[folds != k], y[folds != k])
        for (_, r), p in zip(
            [row for row, f in zip(rows, folds, strict=True) if f == k],
            predict(w, x[folds == k]),
            strict=True,
        ):
            out[id(r)] = float(p)
    return out


def table(
    records: dict[str, list[Record]], scores: dict[int, float], threshold: float
) -> dict[str, Any]:
    """correct / refused / wrong per set if answers under ``threshold`` were refused."""
    out: dict[str, Any] = {}
    numeric = [
        r
        for r in records.get("tatqa", [])
        if r.groups.get("answer_type") in ("arithmetic", "count")
    ]
    for name, recs in [*records.items(), ("tatqa numeric", numeric)]:
        counts: dict[str, int] = defaultdict(int)
        for r in recs:
            verdict = r.verdict
            if r.answer.status == "answered" and scores.get(id(r), 1.0) < threshold:
                verdict = "refused"
            counts[verdict] += 1
        n = len(recs) or 1
        out[name] = {v: round(100 * counts[v] / n, 1) for v in ("correct", "refused", "wrong")}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="first N questions of each set")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    records = collect(args.limit)
    names = sorted({k for recs in records.values() for r in recs for k in r.answer.features})
    scores = cross_validated(records, names)
    print("threshold  " + "  ".join(f"{n:>24}" for n in [*records, "tatqa numeric"]))
    best: tuple[float, float] = (-math.inf, 0.0)
    rows = {}
    for step in range(0, 20):
        threshold = step / 20
        figures = table(records, scores, threshold)
        rows[threshold] = figures
        gain = sum(figures[n]["correct"] - COST_OF_WRONG * figures[n]["wrong"] for n in records)
        if gain > best[0]:
            best = (gain, threshold)
        cells = "  ".join(
            f"{f['correct']:>6} / {f['refused']:>5} / {f['wrong']:>5}" for f in figures.values()
        )
        print(f"{threshold:>9.2f}  {cells}")
    print(f"chosen threshold (correct - {COST_OF_WRONG:g} x wrong, cross-validated): {best[1]}")
    answered = [
        r
        for recs in records.values()
        for r in recs
        if r.answer.status == "answered" and r.answer.features
    ]
    x = np.array([[r.answer.features.get(n, 0.0) for n in names] for r in answered])
    y = np.array([1.0 if r.verdict == "correct" else 0.0 for r in answered])
    w = fit(x, y)
    weights = {"bias": round(float(w[0]), 3)} | {
        n: round(float(v), 3) for n, v in zip(names, w[1:], strict=True)
    }
    print("WEIGHTS =", json.dumps(weights, indent=4))
    if args.json:
        args.json.write_text(
            json.dumps({"threshold": best[1], "weights": weights, "table": rows}, indent=2)
        )


if __name__ == "__main__":
    main()
