"""Each entry of ``OPERATIONS`` answers a question over a real filing with the exact value,
and is the entry that answered it; a new operation without a case here fails the first test."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from evals.finqa import markdown as finqa_markdown
from ingest.pipeline import prepare
from retrieval.corpus import Corpus
from retrieval.engine import Engine
from retrieval.models import Filters
from retrieval.operations import OPERATIONS, planned
from retrieval.scope import documents
from retrieval.understand import understand

JUNIPER = "juniper_8k_ex99-1_q4fy2007_earnings.txt"
BUCKLE = "buckle_8k_ex99-1_q3fy2024_earnings.html"
MEDICIS = "medicis_10k_fy1999.html"
AMAZON = "amazon_10k_fy2019.pdf"
UPS = "finqa:UPS/2006/page_32.pdf-4"  # a FinQA dev record in tests/data/finqa
FINQA_CASES = Path(__file__).parents[1] / "data" / "finqa" / "finqa_dev_cases.json"

# operation: (filing, question, the answer's value, or the start of its text)
CASES: dict[str, tuple[str, str, Decimal | str]] = {
    "measure": (
        JUNIPER,
        "What was the effective tax rate in 2007?",
        Decimal("29.32980534016996257219688082"),  # 149,752 / 510,582 thousand
    ),
    "due_share": (
        AMAZON,
        "What percentage of operating lease liabilities are due in 2020?",
        Decimal(
            "11.75421581203266276632356162"
        ),  # 3,757 of the 31,963 million in the contractual obligations table
    ),
    "repurchase_cost": (
        "finqa:dev-861",  # Valero: "total | 7673266 | $ 81.77" in its table of repurchases
        "what is the total price paid for the total number of shares purchased?",
        Decimal("627442960.82"),
    ),
    "total_return": (
        UPS,  # FinQA dev's UPS performance graph, "$100.00" at 12/31/01 ... "$148.92" at 12/31/06
        "what was the percentage cumulative total return for united parcel service inc. for the "
        "five years ended 12/31/06?",
        Decimal("48.9200"),
    ),
    "listing": (
        JUNIPER,
        "What were total net revenues in 2007 and 2006, respectively?",
        "Total net revenues was $2.84 billion in FY2007 and $2.30 billion in FY2006.",
    ),
    "lookup": (
        JUNIPER,
        "What was net revenues for the three months ended December 31, 2007?",
        Decimal("809182000"),
    ),
    "parts": (
        JUNIPER,
        "What are the components of total net revenues?",
        "Product; Service: the lines of Total net revenues (Product $668.7 million in Q4 2007; "
        "Service $140.4 million in Q4 2007).",
    ),
    "table_periods": (
        JUNIPER,
        "Which years does the table of condensed consolidated balance sheets show?",
        "2007 and 2006. ASSETS > Current assets > Cash and cash equivalents was $1.72 billion as "
        "of December 31, 2007, $1.60 billion as of December 31, 2006.",
    ),
    "which": (
        JUNIPER,
        "Which quarter had higher net revenues, Q4 2007 or Q4 2006?",
        "Q4 2007. Total net revenues was $809.2 million in Q4 2007, $595.8 million in Q4 2006.",
    ),
    "printed_change": (
        JUNIPER,
        "What was the change in accounts receivable shown in operating cash flows for fiscal 2007?",
        Decimal("-120904000"),  # the cash-flow line "Accounts receivable, net (120,904)"
    ),
    "printed_growth": (
        BUCKLE,
        "By what percentage did Buckle's comparable store net sales change in the third quarter "
        "of fiscal 2024 versus the prior-year period?",
        Decimal("-0.7"),  # "comparable store net sales ... decreased 0.7%"
    ),
    "change": (
        JUNIPER,
        "By how much did net revenues change from 2006 to 2007?",
        Decimal("532508000"),  # 2,836,088 - 2,303,580 thousand
    ),
    "growth": (
        JUNIPER,
        "How much did net revenues grow in 2007?",
        Decimal("23.11654034155531824377707742"),
    ),
    "cagr": (
        JUNIPER,
        "What was the CAGR of net revenues from 2006 to 2007?",
        Decimal("23.11654034155531824377707742"),  # one year: the growth
    ),
    "period_ratio": (
        MEDICIS,
        "How many times larger was Medicis's rent expense in fiscal 1999 than in fiscal 1997?",
        Decimal("2.778325123152709359605911330049261"),
    ),
    "ratio": (
        JUNIPER,
        "What was service revenues as a percentage of net revenues in 2007?",
        Decimal("17.95095920860001523224949296"),  # 509,105 / 2,836,088 thousand
    ),
    "formula": (
        JUNIPER,
        "What was the GAAP product gross margin percentage in Q4 2007 (product revenue less "
        "product cost of revenues, over product revenue)?",
        Decimal("71.09485514679713972120954742"),
    ),
    "difference": (
        JUNIPER,
        "What is the difference between product revenues and service revenues in 2007?",
        Decimal("1817878000"),  # 2,326,983 - 509,105 thousand
    ),
    "compare": (
        JUNIPER,
        "Which was greater in fiscal 2007: product revenues or service revenues?",
        "Net revenues > Product in FY2007 ($2.33 billion) was larger than Net revenues > "
        "Service in FY2007 ($509.1 million).",
    ),
    "sum": (
        JUNIPER,
        "What were product revenues and service revenues combined in 2007?",
        Decimal("2836088000"),
    ),
    "average": (
        JUNIPER,
        "What is the average of total net revenues for 2006 and 2007?",
        Decimal("2569834000"),  # (2,836,088 + 2,303,580) / 2 thousand
    ),
    "compare_periods": (
        JUNIPER,
        "Were total net revenues in 2007 greater than in 2006?",
        "Yes. Total net revenues in FY2007 ($2.84 billion) was larger than Total net revenues "
        "in FY2006 ($2.30 billion).",
    ),
    "read_off": (
        JUNIPER,
        "Which was larger in 2007, net income?",  # a comparison with one side: read it off
        Decimal("360830000"),
    ),
}


@pytest.fixture(scope="module")
def engines(filings: Path) -> dict[str, Engine]:
    out = {}
    for name in {filing for filing, _, _ in CASES.values()}:
        if name.startswith("finqa:"):
            record = next(
                r for r in json.loads(FINQA_CASES.read_text()) if r["id"] == name[len("finqa:") :]
            )
            text = finqa_markdown(record).encode()
            out[name] = Engine(Corpus.prepared(prepare(Path("finqa.md"), text)))
            continue
        path = filings / name
        out[name] = Engine(Corpus.prepared(prepare(path, path.read_bytes())))
    return out


def test_every_operation_has_a_case_and_says_what_it_does() -> None:
    assert list(CASES) == list(OPERATIONS)
    for name, operation in OPERATIONS.items():
        assert operation.name == name
        assert operation.slots and operation.sign and operation.wording


@pytest.mark.parametrize("name", list(CASES))
def test_each_operation_answers_its_question_exactly(name: str, engines: dict[str, Engine]) -> None:
    filing, question, expected = CASES[name]
    engine = engines[filing]
    doc_ids = documents(engine.corpus, Filters())
    operation, _ = planned(engine.picker, understand(question), doc_ids)
    assert operation.name == name
    result = engine.answer(question)
    assert result.status == "answered", result.answer
    if isinstance(expected, str):
        assert result.answer == expected
    else:
        assert result.value is not None and result.value.number == expected


@pytest.mark.parametrize(
    ("question", "name", "value"),
    [
        # "the difference in X from A to B" is X's change, not X in one year
        ("What is the difference in net revenues from 2006 to 2007?", "change", "532508000"),
        (
            "What was the difference in total net revenues between 2006 and 2007?",
            "change",
            "532508000",
        ),
        # two measures in one period stay two measures
        (
            "What is the difference in product revenues and service revenues in 2007?",
            "difference",
            "1817878000",
        ),
    ],
)
def test_a_difference_in_one_measure_is_its_change(
    question: str, name: str, value: str, engines: dict[str, Engine]
) -> None:
    engine = engines[JUNIPER]
    operation, _ = planned(engine.picker, understand(question), documents(engine.corpus, Filters()))
    assert operation.name == name
    result = engine.answer(question)
    assert result.value is not None and result.value.number == Decimal(value)


@pytest.mark.parametrize(
    "question",
    [
        "What was the change in the stock option investigation from 2006 to 2007?",
        "What is the average of the conference call replays?",
    ],
)
def test_a_calculation_no_row_holds_is_refused_not_quoted(
    question: str, engines: dict[str, Engine]
) -> None:
    """A passage that shares words with a calculation question does not answer it: the
    answer is not_found, never a quote."""
    result = engines[JUNIPER].answer(question)
    assert (result.status, result.value, result.citations) == ("not_found", None, ())


def test_a_question_asked_in_words_still_gets_its_passage(engines: dict[str, Engine]) -> None:
    result = engines[JUNIPER].answer("Until what date will the webcast replay be archived?")
    assert result.status == "answered"
    # the short answer, a whole date, then the passage it is read from
    assert result.span == "March 14, 2008"
    assert result.answer.startswith(
        "March 14, 2008 — “The webcast replay of the conference call will be archived"
    )


@pytest.mark.parametrize(
    ("question", "printed", "char_start"),
    [
        (
            "In the operating margin reconciliation, what was stock-based compensation expense "
            "as a % of revenue for Q4 2007?",
            "2.4%",
            21275,
        ),
        (
            "In the net income reconciliation, what was stock-based compensation expense as a % "
            "of revenue for Q4 2007?",
            "2.4%",
            23938,
        ),
        # no table named: the one beside the amount (all of it, not the 0.3% cost-of-revenue
        # part the gross margin reconciliation prints under the same label)
        ("What was stock-based compensation expense as a % of revenue in Q4 2007?", "2.4%", 21275),
    ],
)
def test_a_percentage_printed_in_several_reconciliations_is_the_one_asked(
    question: str, printed: str, char_start: int, engines: dict[str, Engine]
) -> None:
    """ "Stock-based compensation expense as a % of revenue" is a line of Juniper's gross
    margin, operating margin and net income reconciliations: the question's other words
    choose the table."""
    result = engines[JUNIPER].answer(question)
    assert [(c.as_printed, c.char_start) for c in result.citations] == [(printed, char_start)]
