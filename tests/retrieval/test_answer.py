"""answer() over the seed filing ingested into a real Chroma store with the bundled model."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.embed import Embedder
from ingest.store import Store
from retrieval.answer import Answer, Conversation, Engine, Filters
from retrieval.corpus import Corpus
from retrieval.dense import DenseIndex

JUNIPER = "juniper_8k_ex99-1_q4fy2007_earnings.txt"


def ask(engine: Engine, question: str) -> Answer:
    return engine.answer(question, Filters(doc=JUNIPER))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "number", "unit", "row", "as_printed"),
    [
        (
            "What was Juniper's product revenue in Q4 2007?",
            "668746000",
            "USD",
            "Net revenues > Product",
            "$ 668,746",
        ),
        (
            "What was Infrastructure segment net product revenue in the fourth quarter of 2007?",
            "500359000",
            "USD",
            "Infrastructure",
            "$ 500,359",
        ),
        (
            "How much stock-based compensation expense was allocated to research and development "
            "for the twelve months ended December 31, 2007?",
            "36589000",
            "USD",
            "Research and development",
            "36,589",
        ),
        (
            "What was GAAP diluted earnings per share for full year 2007?",
            "0.62",
            "USD/share",
            "Net income (loss) per share > Diluted",
            "$ 0.62",
        ),
        (
            "What was Juniper's capex (purchases of property and equipment, net) in fiscal 2006?",
            "102093000",  # capital expenditures: what was spent, the outflow's size
            "USD",
            "INVESTING ACTIVITIES > Purchases of property and equipment, net",
            "(102,093)",
        ),
        (
            "What were Juniper's capital expenditures in the fourth quarter of 2007?",
            "35900000",
            "USD",
            "Capital expenditures",
            "$35.9 million",
        ),
        (
            "What were total current liabilities at year-end 2006?",
            "762617000",
            "USD",
            "LIABILITIES AND STOCKHOLDERS' EQUITY > Total current liabilities",
            "762,617",
        ),
    ],
)
def test_lookups_cite_the_cell(
    engine: Engine, question: str, number: str, unit: str, row: str, as_printed: str
) -> None:
    result = ask(engine, question)
    assert result.status == "answered", result.answer
    assert result.value is not None
    assert (result.value.number, result.value.unit) == (Decimal(number), unit)
    assert result.program is None
    (citation,) = result.citations
    assert (citation.row, citation.as_printed) == (row, as_printed)
    assert citation.document == JUNIPER


@pytest.mark.slow
def test_growth_runs_the_calculator_and_cites_both_operands(engine: Engine) -> None:
    result = ask(
        engine, "By what percentage did total net revenues grow in Q4 2007 compared with Q4 2006?"
    )
    assert result.status == "answered"
    assert result.value is not None
    assert result.value.unit == "percent"
    assert result.value.display == "35.8%"
    assert result.value.number.quantize(Decimal("0.01")) == Decimal("35.81")
    assert result.program == "divide(subtract(809182000, 595830000), 595830000)"
    # the two cells, and the headline that states the growth rounded ("up 36% from Q4'06")
    assert [c.as_printed for c in result.citations] == ["809,182", "595,830", "36%"]
    assert [c.kind for c in result.citations] == ["table_cell", "table_cell", "sentence"]
    assert result.answer.endswith("The filing states it as 36%.")
    payload = result.to_json()
    assert payload["value"] == {
        "number": str(result.value.number),
        "unit": "percent",
        "display": "35.8%",
    }
    json.dumps(payload)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "number", "unit", "as_printed"),
    [
        # "operating loss" names the Operating income (loss) row, printed (997,782)
        (
            "What was Juniper's GAAP operating loss for fiscal year 2006?",
            "-997782000",
            "USD",
            "(997,782)",
        ),
        # the filing prints the measure: its percentage is cited, not recomputed
        (
            "What non-GAAP operating margin did Juniper report for fiscal 2006?",
            "22.2",
            "percent",
            "22.2%",
        ),
        # not "GAAP Net income (loss) as a % of revenue" (11.9%): the question asks no percent
        (
            "What was Juniper's GAAP net income for the fourth quarter of 2006?",
            "70982000",
            "USD",
            "70,982",
        ),
        # printed (6,575) in one reconciliation and 6,575 in another: "how much" is the amount
        (
            "How much in stock option investigation costs was excluded from non-GAAP operating "
            "income in Q4 2006?",
            "6575000",
            "USD",
            "6,575",
        ),
        # "excluded from GAAP operating expense" says where the figure sits, not what it is
        (
            "What net gain on legal settlement was excluded from GAAP operating expense in "
            "fiscal 2007?",
            "5278000",
            "USD",
            "5,278",
        ),
        # "(not depreciation and amortization)" bars the cash flow row; the text states it
        (
            "What was depreciation (not depreciation and amortization) during the twelve "
            "months of 2007?",
            "101800000",
            "USD",
            "$101.8 million",
        ),
        # the table that totals exactly these three lines prints the sum itself
        (
            "What was the total of cash, cash equivalents and available-for-sale investments "
            "(short- and long-term) at December 31, 2007?",
            "2015794000",
            "USD",
            "$ 2,015,794",
        ),
    ],
)
def test_loss_wordings_and_printed_measures(
    engine: Engine, question: str, number: str, unit: str, as_printed: str
) -> None:
    result = ask(engine, question)
    assert result.value is not None, result.answer
    assert (result.value.number, result.value.unit) == (Decimal(number), unit)
    assert [c.as_printed for c in result.citations] == [as_printed]


@pytest.mark.slow
def test_a_formula_with_a_divisor(engine: Engine) -> None:
    result = ask(
        engine,
        "What was the GAAP product gross margin percentage in Q4 2007 (product revenue less "
        "product cost of revenues, over product revenue)?",
    )
    assert result.value is not None, result.answer
    # the statement of operations' rows, not the stock-based compensation table's
    # "Cost of revenues – Product" ($595 thousand)
    assert result.program == "divide(subtract(668746000, 193302000), 668746000)"
    assert (result.value.unit, result.value.display) == ("percent", "71.1%")


@pytest.mark.slow
def test_a_change_printed_in_the_cash_flow_statement_is_read_not_computed(engine: Engine) -> None:
    result = ask(
        engine,
        "What was the change in accounts receivable shown in operating cash flows for fiscal 2007?",
    )
    assert result.value is not None, result.answer
    assert result.program is None
    assert result.value.number == Decimal("-120904000")
    assert result.citations[0].row == (
        "OPERATING ACTIVITIES > Changes in operating assets and liabilities > "
        "Accounts receivable, net"
    )


@pytest.mark.slow
def test_why_questions_are_answered_in_words(engine: Engine) -> None:
    result = ask(engine, "What drove the increase in Juniper's service revenue in 2007?")
    assert result.value is None
    assert result.program is None


@pytest.mark.slow
def test_a_named_measure_explained_in_parentheses(engine: Engine) -> None:
    result = ask(
        engine,
        "What was Juniper's GAAP net margin (net income or loss as a percent of revenue) for "
        "fiscal 2006?",
    )
    assert result.value is not None, result.answer
    assert result.program == "divide(-1001437000, 2303580000)"
    assert (result.value.unit, result.value.display) == ("percent", "-43.5%")


@pytest.mark.slow
def test_current_minus_prior_reads_two_periods(engine: Engine) -> None:
    result = ask(
        engine,
        "What was the change in Juniper's total net revenues in the fourth quarter of 2007 "
        "versus the prior-year quarter (current minus prior)?",
    )
    assert result.value is not None, result.answer
    assert result.program == "subtract(809182000, 595830000)"
    assert result.value.number == Decimal("213352000")


@pytest.mark.slow
def test_current_ratio_by_definition(engine: Engine) -> None:
    result = ask(engine, "What was the current ratio at year-end 2006?")
    assert result.value is not None
    assert (result.value.unit, result.value.display) == ("ratio", "3.31")
    assert result.program == "divide(2521806000, 762617000)"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("What were Juniper's total net revenues for Q1 2008?", "nothing for Q1 2008"),
        # the headline "Q4'07 Revenue of $809.2M" is about Q4 2007, not Q4 2012
        ("What was total revenue in Q4 2012?", "nothing for Q4 2012"),
        ("What dividend per share did Juniper pay in fiscal 2007?", "no figure"),
        ("", "empty"),
        ("   ", "empty"),
        ("revenue " * 20000, "characters long"),
    ],
)
def test_not_found_says_what_is_missing(engine: Engine, question: str, says: str) -> None:
    result = ask(engine, question)
    assert result.status == "not_found"
    assert result.value is None
    assert says in result.answer


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "Quel était le chiffre d'affaires du premier trimestre 2009 ?",
        "'; DROP TABLE facts; -- what was revenue in Q1 2010?",
        "<script>alert(1)</script> What was revenue in Q1 2010?",
    ],
)
def test_odd_questions_never_invent_a_figure(engine: Engine, question: str) -> None:
    result = ask(engine, question)
    assert result.status == "not_found"
    assert result.value is None


def test_nothing_ingested_yet(tmp_path: Path) -> None:
    empty = Engine(Corpus.load(Store.open(data_dir=tmp_path / "store")))
    result = empty.answer("What was revenue in Q4 2007?")
    assert result.status == "not_found"
    assert "No filings are ingested yet" in result.answer


@pytest.mark.slow
def test_follow_ups_resolve_against_earlier_turns(engine: Engine) -> None:
    conversation = Conversation()
    first = engine.answer(
        "What was product revenue in Q4 2007?", Filters(doc=JUNIPER), conversation
    )
    assert first.value is not None and first.value.number == Decimal("668746000")
    second = engine.answer("And in Q4 2006?", Filters(doc=JUNIPER), conversation)
    assert second.value is not None and second.value.number == Decimal("483176000")
    assert second.conversation_id == conversation.id
    # the state survives a trip through JSON (a store, another replica, a request)
    carried = Conversation.from_json(json.loads(json.dumps(conversation.to_json())))
    assert carried == conversation
    assert carried.to_json()["periods"][0]["text"] == "Q4 2007"
    third = engine.answer("How much did it grow?", Filters(doc=JUNIPER), carried)
    assert third.program == "divide(subtract(668746000, 483176000), 483176000)"
    assert third.answer == (
        "Net revenues > Product grew 38.4%, from $483.2 million in Q4 2006 to $668.7 million in "
        "Q4 2007."
    )


@pytest.mark.slow
def test_the_dense_half_finds_rows_by_meaning(store: Store, embedder: Embedder) -> None:
    corpus = Corpus.load(store)
    dense = DenseIndex(store, embedder, corpus)
    hits = dense.rows("sales of the Infrastructure segment", set(corpus.documents), limit=3)
    assert hits[0][0].label == "Infrastructure"
    assert 0.5 < hits[0][1] <= 1.0
    hybrid = Engine(corpus, dense=dense)
    result = hybrid.answer(
        "What was Infrastructure segment net product revenue in the fourth quarter of 2007?",
        Filters(doc=JUNIPER),
    )
    assert result.value is not None and result.value.number == Decimal("500359000")
    assert hybrid.answer("", Filters(doc=JUNIPER)).status == "not_found"


TWO_SEGMENTS = """Segment results (in millions)

Americas results (in millions):

| | Fiscal 2023 | Fiscal 2022 |
|---|---|---|
| Revenue | 120 | 100 |

Europe results (in millions):

| | Fiscal 2023 | Fiscal 2022 |
|---|---|---|
| Revenue | 80 | 90 |
"""


def test_two_equally_good_readings_ask_which(tmp_path: Path) -> None:
    from ingest.pipeline import prepare

    prepared = prepare(Path("segments.md"), TWO_SEGMENTS.encode())
    record = prepared.record
    engine = Engine(Corpus.build({record.doc_id: record}, prepared.facts, []))
    result = engine.answer("What was revenue in fiscal 2023?")
    assert result.status == "needs_clarification"
    assert result.value is None
    assert "$120.0 million" in result.answer and "$80.0 million" in result.answer
    assert sorted(c.as_printed for c in result.citations) == ["120", "80"]
    # naming the table settles it
    americas = engine.answer("What was Americas revenue in fiscal 2023?")
    assert americas.status == "answered"
    assert americas.value is not None and americas.value.number == Decimal("120000000")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "person"),
    [
        # the name sits on the line after a label line: "Investor Relations:" / "Kathleen Bela"
        ("Who is the Investor Relations contact listed on the release?", "Kathleen Bela"),
        (
            "Who is Juniper's Chairman and Chief Executive Officer, quoted in the release?",
            "Scott Kriens",
        ),
    ],
)
def test_who_questions_name_the_person(engine: Engine, question: str, person: str) -> None:
    result = ask(engine, question)
    assert result.status == "answered"
    assert result.answer.startswith(f"{person}: “")
    assert result.value is None
    assert [c.kind for c in result.citations] == ["sentence"]
    assert person in (result.citations[0].as_printed or "")


@pytest.mark.slow
def test_a_sum_of_outflows_as_the_amount_spent(engine: Engine) -> None:
    result = ask(
        engine,
        "What were purchases of property and equipment, net, over fiscal 2006 and fiscal 2007 "
        "together (as a positive amount spent)?",
    )
    assert result.value is not None, result.answer
    assert result.value.number == Decimal("248951000")  # 146,858 + 102,093, printed negative
    assert [c.as_printed for c in result.citations] == ["(146,858)", "(102,093)"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "answer", "printed"),
    [
        (
            "In which year were total net revenues the largest?",
            "2007. Total net revenues was $2.84 billion in FY2007, $2.30 billion in FY2006.",
            ["2,836,088", "2,303,580"],
        ),
        (
            "In which quarter was service revenue higher?",
            "Q4 2007. Net revenues > Service was $140.4 million in Q4 2007, $112.7 million in "
            "Q4 2006.",
            ["140,436", "112,654"],
        ),
        (
            "In which year was operating income less than 0?",
            "2006. Operating income (loss) was $407.1 million in FY2007, -$997.8 million in "
            "FY2006.",
            ["407,062", "(997,782)"],
        ),
        (
            # "negative": below zero
            "In which year was operating income negative?",
            "2006. Operating income (loss) was $407.1 million in FY2007, -$997.8 million in "
            "FY2006.",
            ["407,062", "(997,782)"],
        ),
        (
            # a threshold below zero
            "In which year was operating income less than -500 million?",
            "2006. Operating income (loss) was $407.1 million in FY2007, -$997.8 million in "
            "FY2006.",
            ["407,062", "(997,782)"],
        ),
        (
            "Which years did total net revenues exceed $2,500 million?",
            "2007. Total net revenues was $2.84 billion in FY2007, $2.30 billion in FY2006.",
            ["2,836,088", "2,303,580"],
        ),
        (
            "Which years does the statement of operations show product revenue for?",
            "2007 and 2006. Net revenues > Product was $2.33 billion in FY2007, $1.89 billion in "
            "FY2006.",
            ["$ 2,326,983", "$ 1,893,328"],
        ),
    ],
)
def test_which_period_questions_name_the_period_and_cite_every_figure_compared(
    engine: Engine, question: str, answer: str, printed: list[str]
) -> None:
    result = ask(engine, question)
    assert (result.status, result.answer, result.value) == ("answered", answer, None)
    assert [c.as_printed for c in result.citations] == printed


@pytest.mark.slow
def test_how_many_periods_counts_the_periods_that_pass(engine: Engine) -> None:
    result = ask(engine, "How many quarters did service revenue exceed $120 million?")
    assert result.value is not None
    assert (result.value.number, result.value.unit, result.value.display) == (
        Decimal(1),
        "count",
        "1 period",
    )
    assert result.answer == (
        "1 period (Q4 2007). Net revenues > Service was $140.4 million in Q4 2007, $112.7 "
        "million in Q4 2006."
    )
    assert [c.as_printed for c in result.citations] == ["140,436", "112,654"]
    years = ask(engine, "How many years did total net revenues exceed $2,000 million?")
    assert years.value is not None
    assert (years.value.number, years.answer[:15]) == (Decimal(2), "2 years (2007, ")


@pytest.mark.parametrize(
    ("question", "text"),
    [
        (
            "Did total net revenues increase in Q4 2007 compared with Q4 2006?",
            "Yes. Total net revenues grew $213.4 million, from $595.8 million in Q4 2006 to "
            "$809.2 million in Q4 2007.",
        ),
        (
            "Did service revenue decrease from 2006 to 2007?",
            "No. Net revenues > Service grew $98.9 million, from $410.3 million in FY2006 to "
            "$509.1 million in FY2007.",
        ),
        (
            "Was product revenue greater than service revenue in Q4 2007?",
            "Yes. Net revenues > Product in Q4 2007 ($668.7 million) was larger than Net "
            "revenues > Service in Q4 2007 ($140.4 million).",
        ),
        (
            "Was service revenue higher than product revenue in Q4 2007?",
            "No. Net revenues > Product in Q4 2007 ($668.7 million) was larger than Net "
            "revenues > Service in Q4 2007 ($140.4 million).",
        ),
    ],
)
def test_yes_no_questions_are_answered_yes_or_no(engine: Engine, question: str, text: str) -> None:
    """A yes/no question about a comparison (FinQA's `greater`) says yes or no first, then the
    figures that decide it."""
    result = ask(engine, question)
    assert (result.status, result.answer) == ("answered", text)
    assert len(result.citations) == 2
