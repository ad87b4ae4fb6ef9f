"""Generated training questions (evals/generate.py): real questions become templates, each
page's other rows fill its own fold's templates, and the operands are the page's figures."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from evals import generate, tatqa, train
from retrieval import fitted

DATA = Path(__file__).resolve().parent / "data"
CASH = "ceb7f8c7-91ee-4244-ba35-93c4e30271bb"  # a working capital table, fold 2
SALES = "88097457-b056-45fb-bb8d-9106df18df0d"  # sales by country, fold 4


def _contexts() -> dict[str, dict]:
    contexts = json.loads((DATA / "tatqa" / "tatqa_dev_fitted.json").read_text())
    return {c["table"]["uid"]: c for c in contexts}


@pytest.fixture(scope="module")
def pages() -> dict[str, list[train.Example]]:
    """Every question of the test contexts as the training command reads it."""
    out: dict[str, list[train.Example]] = {}
    for uid, context in _contexts().items():
        engine = tatqa.engine_for(uid, tatqa.markdown(context), search=False)
        facts = train.facts_of(engine)
        out[uid] = [
            train.Example(
                "tatqa",
                tatqa.group(context),
                q["question"],
                facts,
                *train.tatqa_shape(q),
                scorer=train._scorer(engine),
            )
            for q in context["questions"]
        ]
    return out


def _operands(example: train.Example) -> list:
    indices = train.operand_indices(example, example.facts)
    assert indices is not None
    return [example.facts[i] for i in indices]


def _asking(examples: list[train.Example], start: str) -> train.Example:
    return next(e for e in examples if e.question.startswith(start))


def test_a_question_on_one_rows_two_years_is_a_template(pages) -> None:
    example = _asking(pages[CASH], "What was the percentage change in cash")
    template = generate.template_of(example.question, example.shape, _operands(example))
    assert template == generate.Template(
        "change_percent",
        "What was the percentage change in \x00label\x00 from \x00b\x00 to \x00a\x00 year end?",
        True,
        False,
    )


def test_a_question_with_another_number_or_another_row_is_no_template(pages) -> None:
    example = _asking(pages[CASH], "What was the percentage change in cash")
    operands = _operands(example)
    asked = example.question.replace("?", " by 10%?")
    assert generate.template_of(asked, example.shape, operands) is None
    # the label is not printed in the question
    unnamed = "What was the change from 2018 to 2019?"
    assert generate.template_of(unnamed, "subtract", operands) is None
    # one operand for a shape of two
    assert generate.template_of(example.question, "subtract", operands[:1]) is None


def test_a_template_is_filled_with_another_row_and_its_figures(pages) -> None:
    template = generate.Template(
        "subtract", "What was the change in \x00label\x00 from \x00b\x00 to \x00a\x00?", True, False
    )
    facts = pages[CASH][0].facts
    made = generate.generate([("g", facts)], lambda group: [template], seed=17)
    questions = [m.question for m in made]
    assert 0 < len(questions) <= generate.PER_PAGE and len(set(questions)) == len(questions)
    assert made == generate.generate([("g", facts)], lambda group: [template], seed=17)
    by_question = {m.question: m.operands for m in made}
    assert by_question["What was the change in Cash and cash equivalents from 2018 to 2019?"] == (
        Decimal("9472"),
        Decimal("7554"),
    )
    assert all(m.shape == "subtract" and m.group == "g" for m in made)


def test_templates_keep_the_ways_of_asking_not_a_pages_words() -> None:
    def template(text: str) -> generate.Template:
        return generate.Template("subtract", text, True, False)

    asked = [
        template("What was the change in \x00label\x00 between \x00b\x00 and \x00a\x00?"),
        template("What is the change in \x00label\x00 between \x00b\x00 and \x00a\x00?"),
        template("What was the change in \x00label\x00 sales between \x00b\x00 and \x00a\x00?"),
        template("What was the change in cost \x00label\x00 between \x00b\x00 and \x00a\x00?"),
    ]
    labels = ["Net sales", "Cost of revenue", "Sales", "Cost of sales"]
    labels += [f"Row {i}" for i in range(40)]
    assert generate.common(asked * 3, labels, least=2) == sorted(
        asked[:2], key=lambda t: (t.shape, t.text, t.later_first, t.lower)
    )


def test_each_page_is_asked_only_in_its_own_folds_phrasings(pages) -> None:
    examples = [e for uid in (CASH, SALES) for e in pages[uid]]
    assert fitted.fold_of(examples[0].group) != fitted.fold_of(pages[SALES][0].group)
    made = train.generated_examples(examples, least=1)  # two pages: each phrasing once
    assert made and all(e.generated and e.source == "generated" for e in made)
    cash = [e for e in made if e.group == pages[CASH][0].group]
    sales = [e for e in made if e.group == pages[SALES][0].group]
    assert cash and sales
    # "sales in ..." is the other fold's phrasing; "amount in ..." this page's fold's
    assert not any("sales in" in e.question for e in cash)
    assert not any("year end" in e.question for e in sales)
    first = cash[0]
    assert first.scores == pages[CASH][0].scorer(first.question)  # type: ignore[misc]
