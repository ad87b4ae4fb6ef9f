"""TAT-QA's official exact match and numeracy-focused F1, with scale.

Reimplemented from the TAT-QA paper (Zhu et al., ACL 2021, section 5.1) and the rules of its
published evaluation script (``tatqa_metric.py`` / ``tatqa_utils.py`` in NExTplusplus/TAT-QA):

* every answer (gold and predicted) becomes one string: the spans sorted and joined with
  spaces; a number is multiplied out by its scale ("thousand" x 1000, "percent" x 0.01) after
  rounding to two decimals and printed with four decimals, so a prediction is right only when
  its value *and* its scale are right (12.14 "percent" = -0.1214 = 0.1214 as a ratio);
  a number that already carries "%" is read as a fraction;
* normalising lowercases, strips punctuation (not inside numbers) and articles, and rewrites
  each number token as a float ("1,496.5" -> "1496.5"; "(134)" -> "-134");
* exact match needs the normalised strings to be equal; F1 is DROP's bag-of-words F1 between
  them (without DROP's number-matching gate, as the TAT-QA script does; the spans are joined
  before comparing, so its span alignment has one pair), rounded to two places;
* for arithmetic and count questions F1 equals exact match.

A predicted answer with no scale that is a plain number is also tried as-is (the script's
``add_percent_pred``), so 0.2342 matches 23.42 "percent".
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence
from typing import Any

_NOT_IN_NUMBER = set("'\"\\$€£¥%(),[]")
_NUMBER = re.compile(r"([+-]?\d+(\.\d+)?)|([+-]?\.\d+)")
_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = set(string.punctuation)


def scale_factor(scale: str) -> float:
    scale = scale.lower()
    for word, factor in (
        ("hundred", 100.0),
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("percent", 0.01),
    ):
        if word in scale:
            return factor
    return 1.0


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch not in _NOT_IN_NUMBER)


def is_number(text: str) -> bool:
    words = " ".join(_clean(w) for w in text.split()).split()
    if not words:
        return False
    try:
        number = float(words[0])
    except ValueError:
        return False
    if math.isnan(number):
        return False
    # "1 million" is a number; "1 apple" is not
    return len(words) < 2 or scale_factor(words[1]) != 1


def to_number(text: str) -> float | None:
    groups = _NUMBER.findall(_clean(text))
    if not groups or not groups[0][0]:
        return None
    raw = groups[0][0]
    number: float = float(raw) if "." in raw else int(raw)
    scale = 1.0
    for match in re.finditer(r"[\d.]+\s?[a-zA-Z]+", text):
        scale = scale_factor(match.group(0))
        break
    negative = -1 if re.search(r"\([\d.\s%]+\)", text.strip()) else 1
    percent = 0.01 if re.search(r"[\d.\s]+%", text.strip()) else 1
    return round(number * scale * negative * percent, 4)


def _token(token: str) -> str:
    token = token.lower()
    if not is_number(token):
        token = "".join(ch for ch in token if ch not in _PUNCTUATION)
    if is_number(token):
        token = str(to_number(token))
    return " ".join(_ARTICLES.sub(" ", token).split())


def normalize(text: str) -> str:
    return " ".join(part for part in (_token(t) for t in text.split(" ")) if part.strip())


def answer_string(answers: Sequence[Any], scale: str) -> str:
    """The spans of one answer as the one string the metric compares."""
    out = []
    for answer in sorted(str(a) for a in answers):
        text = answer
        number = to_number(text) if is_number(text) else None
        if is_number(text) and number is not None:
            if "%" in text:
                text = f"{number:.4f}"
            else:
                text = f"{round(number, 2) * scale_factor(scale):.4f}"
        elif scale:
            text = f"{text} {scale}"
        out.append(text)
    return " ".join(out)


def _f1(predicted: set[str], gold: set[str]) -> float:
    common = len(gold & predicted)
    precision = common / len(predicted) if predicted else 1.0
    recall = common / len(gold) if gold else 1.0
    if precision == 0 and recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def em_f1(predicted: str, gold: str) -> tuple[float, float]:
    """Exact match and F1 of two answer strings (each one span, as the script compares)."""
    p, g = normalize(predicted), normalize(gold)
    # one span each (answers are joined first), so DROP's span alignment is just this F1
    return (1.0 if p == g else 0.0), round(_f1(set(p.split()), set(g.split())), 2)


def gold_answers(question: dict[str, Any]) -> list[str]:
    kind, answer = question["answer_type"], question["answer"]
    if kind in ("span", "multi-span"):
        return [str(a) for a in answer] if isinstance(answer, list) else [str(answer)]
    if kind == "count":
        return [str(int(float(answer)))]
    return [str(answer)]


def score(
    question: dict[str, Any], prediction: str | list[str] | None, scale: str = ""
) -> tuple[float, float]:
    """(EM, F1) of one prediction with its scale against one TAT-QA question."""
    if not prediction:
        return 0.0, 0.0
    gold = gold_answers(question)
    if not gold:
        return 0.0, 0.0
    spans = prediction if isinstance(prediction, list) else [prediction]
    candidates = [answer_string(spans, scale)]
    if len(spans) == 1 and not scale and "%" not in spans[0] and is_number(spans[0]):
        number = to_number(spans[0])
        if number is not None:
            candidates.append(f"{number:.4f}")
    want = answer_string(gold, question["scale"])
    exact, f1 = max(em_f1(candidate, want) for candidate in candidates)
    if question["answer_type"] in ("arithmetic", "count"):
        f1 = exact
    return exact, f1
