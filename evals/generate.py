"""Questions with known answers, made from the development pages' own tables.

The development sets' questions are the phrasings: a question whose gold operands are one row's
figures for two years (or one figure), with the row's label and the years printed in it, is a
:class:`Template` ("what was the change in ⟨label⟩ from ⟨b⟩ to ⟨a⟩?", shape ``subtract``, the
first operand the later year's). Each page's other rows fill the templates of its own
cross-validation fold, so a fold held out lends its phrasings to none of the data that scores
it: :mod:`evals.train` adds these examples to the fitting (at ``GENERATED_WEIGHT``) and never
measures on them. Real development questions stay the measure.

Nothing here guesses a figure: a row becomes a question only when its label names one row of
the page, each year one of its columns, and the template's words hold no other number.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ingest.models import Fact
from retrieval import fitted
from retrieval.search import STOPWORDS

SHAPES = ("lookup", "subtract", "change_percent", "average", "add", "divide")
PER_PAGE = 10  # questions made from each page
LABEL_SHARE = 0.025  # a word more of the row labels print is a page's own, not a phrasing
_LABEL, _A, _B = "\x00label\x00", "\x00a\x00", "\x00b\x00"
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Template:
    shape: str
    text: str  # the question with the label and the years taken out
    later_first: bool | None  # two operands: the first operand's year is the later one
    lower: bool  # the question is written in lower case: so is the label put in


@dataclass(frozen=True)
class Made:
    """One generated question on a page, with its gold shape and operands."""

    group: str
    question: str
    shape: str
    operands: tuple[Decimal, ...]
    template: Template


def template_of(question: str, shape: str, operands: Sequence[Fact]) -> Template | None:
    """The question as a template, when its operands are one row's figures of distinct years
    and both the row's label and the years are printed in it; else None."""
    if shape not in SHAPES or len(operands) != fitted.SHAPES[shape]:
        return None
    years = [fitted.fact_year(f) for f in operands]
    if any(y is None for y in years) or len(set(years)) != len(years):
        return None
    first = operands[0]
    if any(f.row_path != first.row_path or f.table_index != first.table_index for f in operands):
        return None
    label = _label(first)
    if label is None:
        return None
    text = " ".join(question.split())
    found = list(re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", text, re.I))
    if len(found) != 1:
        return None
    text = text[: found[0].start()] + _LABEL + text[found[0].end() :]
    for slot, year in zip((_A, _B), years, strict=False):
        if len(re.findall(rf"\b{year}\b", text)) != 1:
            return None
        text = re.sub(rf"\b{year}\b", slot, text)
    if _DIGIT.search(text):
        return None  # another number: what it does to the answer is not known
    later = None if len(years) == 1 else bool(years[0] and years[1] and years[0] > years[1])
    return Template(shape, text, later, question == question.lower())


def common(templates: Iterable[Template], labels: Iterable[str], least: int = 3) -> list[Template]:
    """The templates made of the ways questions ask alone: each word (stop words aside) used
    by at least ``least`` templates and by at most :data:`LABEL_SHARE` of the row ``labels``
    ("change", "between", "average"), not a page's own words ("… ⟨label⟩ sales", "net")."""
    unique = sorted(set(templates), key=lambda t: (t.shape, t.text, t.later_first, t.lower))
    counts: Counter[str] = Counter()
    for template in unique:
        counts.update(set(_words(template.text)))
    distinct = {label.lower() for label in labels}
    in_labels: Counter[str] = Counter()
    for label in distinct:
        in_labels.update(set(_words(label)))
    most = LABEL_SHARE * len(distinct)
    return [
        t
        for t in unique
        if all(counts[w] >= least and in_labels[w] <= most for w in _words(t.text))
    ]


def _words(text: str) -> list[str]:
    """A template's words: its slots and stop words left out."""
    for slot in (_LABEL, _A, _B):
        text = text.replace(slot, " ")
    return [w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOPWORDS]


def _label(fact: Fact) -> str | None:
    """The row's label as printed, when it has words to name it by."""
    label = " ".join(fact.row.split())
    if not re.search(r"[A-Za-z]{3}", label) or _DIGIT.search(label):
        return None
    return label


def _rows(facts: Sequence[Fact]) -> list[tuple[str, dict[int, Fact]]]:
    """The page's table rows a question can name: a label no other row prints, and the row's
    figures by year (a year printed in two of its columns is left out)."""
    rows = []
    labels: Counter[str] = Counter()
    for row in fitted.rows_of(facts):
        if row[0].kind != "table_cell":
            continue
        label = _label(row[0])
        if label is None:
            continue
        labels[label.lower()] += 1
        by_year: dict[int, list[Fact]] = defaultdict(list)
        for fact in row:
            year = fitted.fact_year(fact)
            if year is not None and fitted.printed_number(fact) is not None:
                by_year[year].append(fact)
        single = {y: fs[0] for y, fs in by_year.items() if len(fs) == 1}
        if single:
            rows.append((label, single))
    return [(label, years) for label, years in rows if labels[label.lower()] == 1]


def generate(
    pages: Iterable[tuple[str, Sequence[Fact]]],
    templates: Callable[[str], Sequence[Template]],
    seed: int,
) -> list[Made]:
    """Up to :data:`PER_PAGE` questions for each page (its group and its figures), from the
    templates ``templates(group)`` lends it; seeded by the page, so the same data makes the
    same questions."""
    made: list[Made] = []
    for group, facts in pages:
        pool = templates(group)
        rows = _rows(facts)
        if not pool or not rows:
            continue
        by_shape: dict[str, list[Template]] = defaultdict(list)
        for template in pool:
            by_shape[template.shape].append(template)
        shapes = sorted(by_shape)
        rng = random.Random(f"{seed}:{group}")
        asked: set[str] = set()
        for _ in range(PER_PAGE * 3):
            if len(asked) >= PER_PAGE:
                break
            template = rng.choice(by_shape[rng.choice(shapes)])
            label, years = rng.choice(rows)
            arity = fitted.SHAPES[template.shape]
            if len(years) < arity:
                continue
            chosen = sorted(rng.sample(sorted(years), arity), reverse=bool(template.later_first))
            question = template.text.replace(_LABEL, label.lower() if template.lower else label)
            for slot, year in zip((_A, _B), chosen, strict=False):
                question = question.replace(slot, str(year))
            if question in asked:
                continue
            operands = tuple(abs(fitted.printed_number(years[y]) or Decimal(0)) for y in chosen)
            if arity == 2 and operands[0] == operands[1]:
                continue
            asked.add(question)
            made.append(Made(group, question, template.shape, operands, template))
    return made
