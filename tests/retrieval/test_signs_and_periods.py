"""A cost the table prints in parentheses is an amount, not a negative figure; a line of a
net section keeps its sign. Real TAT-QA contexts (annual-report notes), answered end to end."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from evals.tatqa import engine_for, markdown
from retrieval.engine import Engine

CASES = Path(__file__).parents[1] / "data" / "tatqa"


def _engine(table_uid: str, slice_: str = "tatqa_dev_cases.json") -> Engine:
    contexts = json.loads((CASES / slice_).read_text())
    context = next(c for c in contexts if c["table"]["uid"] == table_uid)
    return engine_for(table_uid, markdown(context))


@pytest.mark.parametrize(
    ("table_uid", "question", "value", "text"),
    [
        (
            "a86d227e-37d3-446b-8d4a-793aff901edc",  # Teekay: "Voyage expenses (21,387) (28,237)"
            "What is the increase/ (decrease) in Voyage expenses from, 2019 to 2018?",
            Decimal("-6850000"),
            "Voyage expenses fell $6.9 million, from -$28.2 million in FY2018 to -$21.4 million "
            "in FY2019.",
        ),
        (
            "4c5c8cde-039b-4945-949f-13348549a4e5",  # "Cost of sales $(5,860) $(5,803) $(5,075)"
            "What is the average Cost of sales?",
            Decimal("5579333333.333333333333333333333333"),
            "The average is $5.58 billion",
        ),
        (
            # "Other income (expense): ... Interest expense (598) (268)": a line of a net
            # section keeps the sign the section gives it
            "cac80246-6de4-4c07-a884-ab40ec4cbb72",
            "What is the average Interest expense for 2017 and 2018?",
            Decimal("-433000"),
            "The average is -$433,000",
        ),
    ],
)
def test_costs_in_parentheses(table_uid: str, question: str, value: Decimal, text: str) -> None:
    answer = _engine(table_uid).answer(question)
    assert answer.status == "answered"
    assert answer.value is not None and answer.value.number == value
    assert answer.answer.startswith(text)


def test_a_year_asks_for_the_balance_at_that_fiscal_year_end() -> None:
    """Every balance of the note is at September 30: "2019" is September 30, 2019."""
    engine = _engine("52164b70-6973-4844-af6a-76e8f1298d64", "tatqa_dev_first100.json")
    answer = engine.answer(
        "What is the year on year percentage change in domestic discount rate between 2018 and "
        "2019?"
    )
    assert answer.value is not None
    assert answer.value.number == Decimal("6.666666666666666666666666667")
    assert answer.answer == (
        "Discount rate grew 6.7%, from 3.8% as of September 30, 2018 to 4.0% as of "
        "September 30, 2019."
    )


@pytest.mark.parametrize(
    ("table_uid", "question", "value", "text"),
    [
        # a count asked "number of" is the count, though the roll-forward deducts it
        (
            "bee68d71-44ca-4177-a1c7-8c127f6f9203",
            "What is the number of non-vested shares vested in 2019?",
            Decimal("365223"),
            "Non-vested awards > Vested was 365,223 shares in FY2019.",
        ),
        # an allowance printed (135) and (23) changes by its size
        (
            "a961dd41-e5cb-40ce-876d-7c2f2c7dae96",
            "What is the change in Allowance for expected credit losses from 2018 to 2019?",
            Decimal("112000"),
            "Current > Allowance for expected credit losses grew $112,000, from -$23,000 in "
            "FY2018 to -$135,000 in FY2019.",
        ),
    ],
)
def test_an_amount_asked_for_is_its_size(
    table_uid: str, question: str, value: Decimal, text: str
) -> None:
    answer = _engine(table_uid).answer(question)
    assert answer.value is not None and answer.value.number == value
    assert answer.answer == text


def _finqa(record_id: str) -> Engine:
    from evals.finqa import engine_for as finqa_engine
    from evals.finqa import markdown as finqa_markdown

    records = json.loads(
        (Path(__file__).parents[1] / "data" / "finqa" / "finqa_dev_cases.json").read_text()
    )
    record = next(r for r in records if r["id"] == record_id)
    return finqa_engine(f"{record_id.replace('/', '_')}.md", finqa_markdown(record))


def test_losses_asked_for_by_that_word_are_their_size() -> None:
    """Philip Morris prints "total accumulated other comprehensive losses $ -9402"; asked for
    the losses, the answer is 9,402 (million), citing the printed cell."""
    engine = _finqa("dev-470")
    answer = engine.answer("What were the total accumulated other comprehensive losses in 2015?")
    assert answer.value is not None and answer.value.number == Decimal("9402000000")
    assert [c.as_printed for c in answer.citations] == ["$(9402)"]  # "$ -9402 ( 9402 )"


def test_a_schedule_of_years_is_named_by_the_text_before_it() -> None:
    """Entergy: "the annual long-term debt maturities ... for the next five years are as
    follows:" over rows "2014 $385,373" ... "2018 $1,324,616". No row label says the measure;
    the lead-in does, and the row for each year holds its figure."""
    engine = _finqa("ETR/2013/page_118.pdf-1")
    answer = engine.answer(
        "what is the percent change in annual long-term debt maturities from 2016 to 2017?"
    )
    assert answer.value is not None
    assert answer.value.number == Decimal(
        "183.1070104706629450770162303"
    )  # (766,801 - 270,852) / 270,852
    assert [c.as_printed for c in answer.citations] == ["$766801", "$270852"]
    # the lead-in must carry the measure: another measure finds no schedule
    other = engine.answer("what were the annual lease payments in 2016?")
    assert (other.status, other.value) == ("not_found", None)


def test_asked_as_a_positive_value_is_the_size() -> None:
    """ "The positive value of ..." asks for the size of a figure printed in parentheses
    (Teekay's "Voyage expenses (21,387)")."""
    answer = _engine("a86d227e-37d3-446b-8d4a-793aff901edc").answer(
        "What is the positive value of Voyage expenses in 2019?"
    )
    assert answer.value is not None and answer.value.number == Decimal("21387000")


def test_a_share_of_deducted_shares_is_of_their_count(tmp_path: Path) -> None:
    """Hybrid search (a store of the TAT-QA test contexts, the bundled model), as
    `crossfoot eval tatqa` runs it: "Vested (365,223)" over "Non-vested at December 31, 2019
    1,283,281" is 28.46%, not -28.46%."""
    from evals.tatqa import stored_engine
    from retrieval.models import Filters

    contexts = [
        *json.loads((CASES / "tatqa_dev_cases.json").read_text()),
        *json.loads((CASES / "tatqa_dev_first100.json").read_text()),
    ]
    engine = stored_engine([(c["table"]["uid"], markdown(c), None) for c in contexts], tmp_path)
    answer = engine.answer(
        "What is the percentage of non-vested shares vested in 2019 as a percentage of the total "
        "non-vested shares at December 31, 2019?",
        Filters(doc="bee68d71-44ca-4177-a1c7-8c127f6f9203.md"),
    )
    assert answer.value is not None
    assert answer.value.number == Decimal("28.46009564545878883892148329")  # 365,223 / 1,283,281
    assert [c.as_printed for c in answer.citations] == ["(365,223)", "1,283,281"]
