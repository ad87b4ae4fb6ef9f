"""The same question gets the same answer in every process: scores that sum word weights
over sets are exact sums (math.fsum), so the order Python's hash seed gives a set's words
cannot change their last bit and flip a tie."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_answer_does_not_depend_on_the_hash_seed() -> None:
    """FinQA dev-780: a sentence's figure and a table line scored alike; the scores summed
    word weights over sets, whose order (and so the float sum's last bit) follows Python's hash
    seed, and the refusal named the line under one seed and the sentence under another. Sums
    of weights are exact now (math.fsum): every process gives the same answer."""
    script = (
        "import json, sys; from evals import finqa; from retrieval.answer import Filters; "
        "from tests.retrieval.test_carried_measures import FINQA; "
        "r = FINQA['dev-780']; e = finqa.engine_for('page.md', finqa.markdown(r)); "
        "print(e.answer(r['qa']['question'], Filters(doc='page.md')).answer)"
    )
    answers = set()
    for seed in ("1", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "HF_HUB_OFFLINE": "1"}
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        answers.add(done.stdout.strip())
    assert answers == {
        "The closest figure is “a sentence of the filing”, but it says nothing of “revenue”; "
        "the filings print no figure that matches the question in full."
    }
