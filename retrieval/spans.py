"""The short answer inside a sentence: "Who approved the financial statements?" is answered
"the Board of Directors", with the sentence that says so as its citation.

Every run of up to :data:`LONGEST` words of the sentence is a candidate. A candidate is
described by where it sits against the words the question shares with the sentence (right
after them, before them, how many it holds), where it starts and stops (a clause's
punctuation, the sentence's end, a list marker), its length, its first, last, preceding and
following words, and how those meet the question's wh-word ("when" and a year, "why" and
"due to"). A conditional-logit model fitted on TAT-QA dev's span answers found in their
sentences (``python -m evals.train``) scores them; the best one is the answer, with its
softmax probability.

The weights live in ``retrieval/fitted/spans.json``, once fitted on all the data and once
per cross-validation fold (:func:`retrieval.fitted.fold_of`), so that an evaluation on TAT-QA
dev answers each page with a model that never saw it.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .periods import YEAR
from .prose import MONTH_NAMES
from .search import STOPWORDS, _stem

MODEL_PATH = Path(__file__).parent / "fitted" / "spans.json"
LONGEST = 60  # words in a candidate span

_TOKEN = re.compile(r"\S+")
_WH = re.compile(
    r"\s*(how (?:much|many|often|long|is|are|was|were|does|did|do|will)|what|when|why|who"
    r"|which|where|how|whom|whose)\b",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\(?[0-9a-z]{1,2}\)|•|[0-9]\.")  # "(2)", "a)", "•": a note's marker
# "until what date", "by when": a when-question
_UNTIL = re.compile(
    r"^\s*(?:until|till|through|by)\s+(?:what|which)\s+(?:date|day)\s+|^\s*(?:until|by)\s+when\s+",
    re.I,
)
_MONTH = re.compile(rf"{MONTH_NAMES},?", re.IGNORECASE)
_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)?,?")
_DATE_YEAR = re.compile(r"(?:19|20)\d\d\W*")


def _inside_dates(words: tuple[tuple[str, int, int], ...]) -> set[int]:
    """The word boundaries (a boundary k lies between words k-1 and k) that fall inside a
    printed date: "March | 14, | 2008", "6 | June | 2019"."""
    inside: set[int] = set()
    text = [w for w, _, _ in words]
    for k in range(len(text) - 2):
        a, b, c = text[k : k + 3]
        month_first = _MONTH.fullmatch(a) and _DAY.fullmatch(b) and _DATE_YEAR.fullmatch(c)
        day_first = _DAY.fullmatch(a) and _MONTH.fullmatch(b) and _DATE_YEAR.fullmatch(c)
        if month_first or day_first:
            inside |= {k + 1, k + 2}
    return inside


_CLAUSE_END = ",;:.)"
_PAIRS = (("“", "”"), ("‘", "’"), ("(", ")"), ("[", "]"))


def _key(word: str) -> str:
    """A word as the question and the sentence are matched on: lower case, letters and
    digits, quotes and the possessive dropped, stemmed as the sentence index stems."""
    word = word.lower().replace("’", "'").strip("'\"“”‘()[],.;:?!")
    word = re.sub(r"[^a-z0-9]", "", word.split("'")[0])
    return _stem(word) if word else ""


def _content(word: str) -> str:
    """The key of a word that is no stop word ("this", "does" are; stemmed they are not)."""
    bare = word.lower().replace("’", "'").strip("'\"“”‘()[],.;:?!")
    return "" if bare in STOPWORDS else _key(word)


def _length_bucket(n: int) -> int:
    return next(b for b in (1, 2, 3, 5, 10, 20) if n <= b) if n <= 20 else 40


def _running(counts: Iterable[int]) -> tuple[int, ...]:
    """Running totals, starting from 0: the count before each position."""
    return (0, *itertools.accumulate(counts))


@dataclass(frozen=True)
class Sentence:
    """One sentence, split into words, with what the question shares with it."""

    text: str
    words: tuple[tuple[str, int, int], ...]  # (word, char start, char end)
    keys: tuple[str, ...]
    asked: tuple[bool, ...]  # the word is one of the question's content words
    wh: str
    verb: str  # the question's last word, often the verb the answer follows ("represent")
    prefix: tuple[int, ...]  # asked words before each position
    last_asked: tuple[int, ...]  # the last asked word before each position, or -1
    digits: tuple[int, ...]  # words with a digit before each position
    years: tuple[int, ...]  # words with a year before each position
    opened: tuple[int, ...]  # "(" before each position
    closed: tuple[int, ...]  # ")" before each position
    marker: bool  # the sentence starts with a note's marker, "(2)"

    @classmethod
    def read(cls, question: str, text: str) -> Sentence:
        words = tuple((m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text))
        keys = tuple(_key(w) for w, _, _ in words)
        wanted = {_content(w) for w in _TOKEN.findall(question)} - {""}
        asked = tuple(k in wanted for k in keys)
        prefix, last = [0], [-1]
        for k, hit in enumerate(asked):
            prefix.append(prefix[-1] + hit)
            last.append(k if hit else last[-1])
        wh = _WH.match(_UNTIL.sub("when ", question))
        said = [k for k in (_key(w) for w in _TOKEN.findall(question)) if k]
        return cls(
            text,
            words,
            keys,
            asked,
            wh.group(1).lower() if wh else "none",
            said[-1] if said else "",
            tuple(prefix),
            tuple(last),
            _running(bool(re.search(r"\d", w)) for w, _, _ in words),
            _running(bool(YEAR.search(w)) for w, _, _ in words),
            _running(w.count("(") for w, _, _ in words),
            _running(w.count(")") for w, _, _ in words),
            bool(words) and bool(_MARKER.fullmatch(words[0][0])),
        )

    def span(self, i: int, j: int) -> str:
        """Words ``i`` to ``j`` as printed, without the clause's closing punctuation or one
        quote mark or bracket the words open or close without the other (“TZOO, £(8.1m)))."""
        text = self.text[self.words[i][1] : self.words[j - 1][2]].rstrip(" ,.;:")
        for opening, closing in _PAIRS:
            if text.startswith(opening) and text.count(opening) > text.count(closing):
                text = text[1:]
            if text.endswith(closing) and text.count(closing) > text.count(opening):
                text = text[:-1].rstrip(" ,.;:")
        for mark in ('"', "'"):
            if text.count(mark) % 2 and (text.startswith(mark) or text.endswith(mark)):
                text = text.strip(mark)
        return text.strip()

    def candidates(self) -> list[tuple[int, int]]:
        """Every run of up to :data:`LONGEST` words that does not cut a date in two ("March
        14, 2008", "6 June 2019")."""
        n, inside = len(self.words), _inside_dates(self.words)
        return [
            (i, j)
            for i in range(n)
            if i not in inside
            for j in range(i + 1, min(n, i + LONGEST) + 1)
            if j not in inside
        ]

    def features(self, i: int, j: int) -> dict[str, float]:
        """Every feature of words ``i`` to ``j``: where it starts, where it ends, and what
        needs both."""
        return {**self.start(i), **self.end(j), **self.both(i, j)}

    def start(self, i: int) -> dict[str, float]:
        """The features that only the span's first word decides."""
        wh, asked, keys, n = self.wh, self.asked, self.keys, len(self.words)
        first = keys[i]
        before = keys[i - 1] if i > 0 else "<s>"
        last_asked = self.last_asked[i]
        gap = min(i - last_asked - 1, 4) if last_asked >= 0 else -1
        marker = self.marker
        on: dict[str, float | bool] = {
            "bias": True,
            "start0": i == 0,
            "prevq": i > 0 and asked[i - 1],
            "prevpunct": i > 0 and self.words[i - 1][0][-1] in ",;:(",
            f"prev={before}": True,
            f"first={first}": True,
            "qbefore": self.prefix[i] / (self.prefix[n] or 1),
            f"dist={gap}": True,
            f"wh={wh}&cap": self.words[i][0][:1].isupper(),
            f"wh={wh}&first={first}": True,
            f"wh={wh}&prev={before}": True,
            "after_marker": marker and i == 1,
            "at_marker": marker and i == 0,
            "after_lastq": i == self.last_asked[n] + 1,
            f"prev={before}&first={first}": True,
            f"wh={wh}&after_marker": marker and i == 1,
            "nq_total=0": not any(asked),
            "prev_is_verb": before == self.verb,
            "prev2_is_verb": i > 1 and keys[i - 2] == self.verb,
            "prev_like_verb": len(self.verb) > 3 and before[:5] == self.verb[:5],
            f"verb={self.verb}&prev={before}": True,
        }
        return {name: float(v) for name, v in on.items() if v}

    def end(self, j: int) -> dict[str, float]:
        """The features that only the span's last word and the word after it decide."""
        n, keys = len(self.words), self.keys
        on: dict[str, float | bool] = {
            "endn": j == n,
            f"last={keys[j - 1]}": True,
            f"next={keys[j] if j < n else '</s>'}": True,
            "nextq": j < n and self.asked[j],
            "endpunct": self.words[j - 1][0][-1] in _CLAUSE_END,
            "qafter": (self.prefix[n] - self.prefix[j]) / (self.prefix[n] or 1),
            f"wh={self.wh}&endn": j == n,
        }
        return {name: float(v) for name, v in on.items() if v}

    def both(self, i: int, j: int) -> dict[str, float]:
        """The features that need both ends of the span."""
        n, wh, prefix, keys = len(self.words), self.wh, self.prefix, self.keys
        length = _length_bucket(j - i)
        inside = prefix[j] - prefix[i]
        last_asked = self.last_asked[i]
        gap = min(i - last_asked - 1, 4) if last_asked >= 0 else -1
        # the words after the last asked one before the span that the question does not ask
        rest = (n - last_asked - 1) - (prefix[n] - prefix[last_asked + 1])
        whole = i == 0 and j == n
        ends_clause = self.words[j - 1][0][-1] in ",;:."
        before = keys[i - 1] if i > 0 else "<s>"
        on: dict[str, float | bool] = {
            f"len={length}": True,
            f"wh={wh}&len={length}": True,
            "whole": whole,
            "qin": inside,
            "qin0": inside == 0,
            "qfrac": inside / (j - i),
            "cover_rest": ((j - i) - inside) / rest if rest else 0.0,
            f"wh={wh}&digit": self.digits[j] > self.digits[i],
            f"wh={wh}&year": self.years[j] > self.years[i],
            f"wh={wh}&whole": whole,
            "paren_bal": self.opened[j] - self.opened[i] != self.closed[j] - self.closed[i],
            "after_lastq&endn": i == self.last_asked[n] + 1 and j == n,
            "dist0&endn": gap == 0 and j == n,
            "dist0&endpunct": gap == 0 and ends_clause,
            f"wh={wh}&qin0": inside == 0,
            "prev_is_verb&endn": before == self.verb and j == n,
        }
        return {name: float(v) for name, v in on.items() if v}

    def scores(self, weights: Mapping[str, float]) -> list[tuple[float, int, int]]:
        """Every candidate's score: the start and end features summed once per word, and
        :meth:`both`'s features summed in place (the same sum, without building its dict)."""

        def dot(features: dict[str, float]) -> float:
            return sum(weights.get(k, 0.0) * v for k, v in features.items())

        def w(*names: str) -> float:
            return sum(weights.get(name, 0.0) for name in names)

        n, wh, prefix, words = len(self.words), self.wh, self.prefix, self.words
        starts = [dot(self.start(i)) for i in range(n)]
        ends = [0.0, *(dot(self.end(j)) for j in range(1, n + 1))]
        by_length = {b: w(f"len={b}", f"wh={wh}&len={b}") for b in (1, 2, 3, 5, 10, 20, 40)}
        whole, qin, qfrac = w("whole", f"wh={wh}&whole"), w("qin"), w("qfrac")
        qin0, cover = w("qin0", f"wh={wh}&qin0"), w("cover_rest")
        digit, year, paren = w(f"wh={wh}&digit"), w(f"wh={wh}&year"), w("paren_bal")
        lastq_endn, dist0_endn = w("after_lastq&endn"), w("dist0&endn")
        dist0_punct, verb_endn = w("dist0&endpunct"), w("prev_is_verb&endn")
        after_all = self.last_asked[n] + 1
        out = []
        for i, j in self.candidates():
            inside = prefix[j] - prefix[i]
            last_asked = self.last_asked[i]
            rest = (n - last_asked - 1) - (prefix[n] - prefix[last_asked + 1])
            gap0 = last_asked >= 0 and i - last_asked - 1 == 0
            score = starts[i] + ends[j] + by_length[_length_bucket(j - i)]
            score += qin * inside + qfrac * inside / (j - i)
            if inside == 0:
                score += qin0
            if rest:
                score += cover * ((j - i) - inside) / rest
            if self.digits[j] > self.digits[i]:
                score += digit
            if self.years[j] > self.years[i]:
                score += year
            if self.opened[j] - self.opened[i] != self.closed[j] - self.closed[i]:
                score += paren
            if gap0 and words[j - 1][0][-1] in ",;:.":
                score += dist0_punct
            if j == n:
                score += (
                    (whole if i == 0 else 0.0)
                    + (lastq_endn if i == after_all else 0.0)
                    + (dist0_endn if gap0 else 0.0)
                    + (verb_endn if (self.keys[i - 1] if i > 0 else "<s>") == self.verb else 0.0)
                )
            out.append((score, i, j))
        return out


@dataclass(frozen=True)
class Span:
    text: str
    probability: float  # among the sentence's candidates
    whole: bool  # the span is the whole sentence (less a note's marker)
    score: float  # the model's score, comparable across sentences


def best(question: str, sentence: str, weights: Mapping[str, float]) -> Span | None:
    """The highest-scoring span of ``sentence`` for ``question``, with its probability among
    all the sentence's candidates; None for a sentence with no words, or whose best span is
    punctuation or stop words alone."""
    read = Sentence.read(question, sentence)
    scored = read.scores(weights)
    if not scored:
        return None
    top, i, j = max(scored)
    total = sum(math.exp(s - top) for s, _, _ in scored)
    text = read.span(i, j)
    if not any(_content(w) for w in text.split()):
        return None  # "A", "the": no word of substance
    whole = j == len(read.words) and i <= int(read.marker)
    return Span(text, 1.0 / total, whole, top)


@cache
def saved(path: Path = MODEL_PATH) -> dict[str, dict[str, float]] | None:
    """The saved span weights by fold ("all" and "0".."4"), or None when none are saved."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return {name: dict(weights) for name, weights in data["models"].items()}
