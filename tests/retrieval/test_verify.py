"""The verify stage over real filings: each rule refuses a real question with its own sentence
and passes a correct answer of the same shape; the content terms it reads of a question; the
confidence features.

The engines here are lexical (filings parsed, not embedded), so the file runs without the
embedding model.
"""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.models import Fact
from ingest.pipeline import prepare
from retrieval import verify
from retrieval.answer import Engine, Filters
from retrieval.corpus import Corpus
from retrieval.models import Answer, Value
from retrieval.scope import documents
from retrieval.understand import understand
from retrieval.verify import RULES, Check

JUNIPER = "juniper_8k_ex99-1_q4fy2007_earnings.txt"
INTEL = "intel_2022q4_earnings_release.pdf"
MCDONALDS = "mcdonalds_2023q1_earnings_release_ex99-1.pdf"
DOCS = {"juniper": JUNIPER, "intel": INTEL, "mcdonalds": MCDONALDS}
STATEMENT = "Condensed Consolidated Statements of Operations"


def _engine(path: Path) -> Engine:
    return Engine(Corpus.prepared(prepare(path, path.read_bytes())))


@pytest.fixture(scope="module")
def juniper(filings: Path) -> Engine:
    return _engine(filings / JUNIPER)


@pytest.fixture(scope="module")
def intel(filings: Path) -> Engine:
    return _engine(filings / INTEL)


@pytest.fixture(scope="module")
def mcdonalds(filings: Path) -> Engine:
    return _engine(filings / MCDONALDS)


def _ask(request: pytest.FixtureRequest, filing: str, question: str) -> tuple[Engine, Answer]:
    engine: Engine = request.getfixturevalue(filing)
    return engine, engine.answer(question, Filters(doc=DOCS[filing]))


def _check(engine: Engine, filing: str, question: str) -> Check:
    """The question as the engine's verify stage reads it (Engine._checked)."""
    doc_ids = documents(engine.corpus, Filters(doc=DOCS[filing]))
    return Check(
        question,
        understand(question),
        engine.picker.names(doc_ids),
        engine.picker.rows.idf,
        engine.picker.table_context,
        engine.picker.binding.get,
    )


def _fact(engine: Engine, path: tuple[str, ...], period: str, table: str = STATEMENT) -> Fact:
    """A figure of the engine's corpus, by its row path, table and period label."""
    for row in engine.corpus.rows:
        if row.path == path and table in (row.table or ""):
            for fact in row.facts:
                if fact.period is not None and fact.period.label == period:
                    return fact
    raise AssertionError(f"no {path} {period}")


# ------------------------------------------------------------------------- the rule list


def test_the_rules_run_in_this_order() -> None:
    assert [name for name, _ in RULES] == [
        "asks_for_a_name",
        "periods_understood",
        "every_year_used",
        "sentence_span_agrees",
        "one_cell_once",
        "each_one_given",
        "operation_done",
        "two_measures_two_rows",
        "change_not_differenced",
        "part_not_whole",
        "unit_agrees",
        "same_measure",
        "opposite_not_taken",
        "qualifier_not_asked",
        "one_period_for_two_measures",
        "terms_accounted_for",
    ]
    assert all(rule.__name__ == name for name, rule in RULES)


# ------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("filing", "question", "rule", "says", "operands"),
    [
        # a period phrase crossfoot cannot date is not answered with another period
        (
            "juniper",
            "What was product revenue in the first three quarters of 2007?",
            "periods_understood",
            "crossfoot cannot tell which period “first three quarters” means; name it as the "
            "filing does (a quarter, a fiscal year, or the months ended on a date).",
            ["$ 2,326,983"],
        ),
        # a calculation asked for is not one figure read off
        (
            "juniper",
            "What was net income in Q4 2007 times two?",  # "times 2" is computed
            "operation_done",
            "The question asks for a calculation (“times”) that crossfoot cannot make here; the "
            "closest figure, “Net income (loss)”, is one figure as printed.",
            ["$ 122,904"],
        ),
        # "less 100" is a subtraction asked for, not the figure itself
        (
            "juniper",
            "What was net income in Q4 2007 less 100?",
            "operation_done",
            "The question asks for a calculation (“less 100”) that crossfoot cannot make here; "
            "the closest figure, “Net income (loss)”, is one figure as printed.",
            ["$ 122,904"],
        ),
        # an average over a range uses every year in it, not the two the row has
        (
            "juniper",
            "What was the average total net revenues from 2006 to 2008?",
            "every_year_used",
            "The question asks about 2006, 2007, 2008, but the figures found cover only 2006, "
            "2007; the filings print nothing for 2008 in that row.",
            ["2,836,088", "2,303,580"],
        ),
        # a sentence about the twelve months does not answer for the first nine
        (
            "juniper",
            "What were total net revenues for the first nine months of 2007?",
            "sentence_span_agrees",
            "The closest figure is read from a sentence about another span of time: “Net "
            "revenues for the twelve months ended December 31, 2007 were $2,836.1 million, "
            "compared with $2,303.6 million for the 2006 fiscal year, an increase of 23…”.",
            ["$2,836.1 million"],
        ),
        # the part and the whole are one cell
        (
            "juniper",
            "What percentage of total net revenues was total net revenues in Q4 2007?",
            "one_cell_once",
            "Only one figure fits, “Total net revenues”; the calculation needs two different ones.",
            ["809,182", "809,182"],
        ),
        # a row that is itself a change is not differenced again
        (
            "juniper",
            "How much did the net increase in cash and cash equivalents grow from 2006 to 2007?",
            "change_not_differenced",
            "“Net increase in cash and cash equivalents” is itself a change for each period; the "
            "filings print it per period rather than as a figure to compare across periods.",
            ["119,777", "677,932"],
        ),
        # the statement's total and the reconciliation's GAAP line: one figure printed twice
        (
            "juniper",
            "What percentage of total operating expenses was GAAP operating expense in Q4 2007?",
            "part_not_whole",
            "“GAAP Operating expense” and “Total operating expenses” are the same figure "
            "(399,133); a share of itself says nothing.",
            ["399,133", "399,133"],
        ),
        # "U.S. revenue" is an amount; the U.S. row found is comparable sales, a percentage
        (
            "mcdonalds",
            "What was McDonald's U.S. revenue in Q1 2023?",
            "unit_agrees",
            "The question asks for an amount, but the closest figure, “U.S.”, is 12.6%.",
            ["12.6 %"],
        ),
        # "income" asked; the line found is income before taxes, a measure not asked about
        (
            "juniper",
            "What was Juniper's income in Q4 2007?",
            "same_measure",
            "The closest figure, “Income (Loss) before income taxes”, measures something the "
            "question does not ask about.",
            ["167,991"],
        ),
        # interest income is not the interest expense asked for
        (
            "juniper",
            "What was interest expense in 2007?",
            "opposite_not_taken",
            "The closest figure, “Interest and other income, net”, is not the expense figure "
            "the question asks for.",
            ["96,776"],
        ),
        # year-end cash over the cash flow statement's opening balance: two periods
        (
            "juniper",
            "What is the ratio of ending cash and cash equivalents to beginning cash and cash "
            "equivalents?",
            "one_period_for_two_measures",
            "The figures found are of different periods (“ASSETS > Current assets > Cash and "
            "cash equivalents” December 31, 2007, “Cash and cash equivalents at beginning of "
            "period” December 31, 2006); the question compares two measures in one period.",
            ["$ 1,716,110", "1,596,333"],
        ),
        # a segment the filing does not report: the company total says nothing of it
        (
            "juniper",
            "What was Juniper's data center revenue in Q4 2007?",
            "terms_accounted_for",
            "The closest figure is “Total net revenues”, but it says nothing of “data”, "
            "“center”; the filings print no figure that matches the question in full.",
            ["809,182"],
        ),
        (
            "intel",
            "What was Intel's DCAI revenue in Q4 2022?",
            "terms_accounted_for",
            "The closest figure is “Net revenue”, but it says nothing of “dcai”; the filings "
            "print no figure that matches the question in full.",
            ["$ 14,042"],
        ),
        # the only sentence naming France is about a tax audit there
        (
            "mcdonalds",
            "What is the capital of France?",
            "terms_accounted_for",
            "The closest figure is “a sentence of the filing”, but it says nothing of "
            "“capital”; the filings print no figure that matches the question in full.",
            ["$500 million"],
        ),
    ],
    ids=[
        "periods_understood",
        "operation_done",
        "operation_done-less",
        "every_year_used",
        "sentence_span_agrees",
        "one_cell_once",
        "change_not_differenced",
        "part_not_whole",
        "unit_agrees",
        "same_measure",
        "opposite_not_taken",
        "one_period_for_two_measures",
        "terms_accounted_for-juniper",
        "terms_accounted_for-intel",
        "terms_accounted_for-mcdonalds",
    ],
)
def test_each_rule_refuses_a_real_question(
    request: pytest.FixtureRequest,
    filing: str,
    question: str,
    rule: str,
    says: str,
    operands: list[str],
) -> None:
    engine: Engine = request.getfixturevalue(filing)
    before = engine.refused.get(rule, 0)
    result = engine.answer(question, Filters(doc=DOCS[filing]))
    assert (result.status, result.answer, result.kind) == ("not_found", says, f"refused:{rule}")
    assert (result.value, result.program, result.citations) == (None, None, ())
    assert [f.as_printed for f in result.operands] == operands
    assert engine.refused[rule] == before + 1
    assert result.confidence is not None and 0.0 <= result.confidence <= 1.0
    internal = engine._answer(question, Filters(doc=DOCS[filing]), None)
    assert (internal.status, internal.answer, internal.kind) == (
        "not_found",
        says,
        f"refused:{rule}",
    )


def test_two_measures_found_as_one_row_in_two_periods_are_refused(juniper: Engine) -> None:
    """The planner reads both measures of a two-measure question for one period, so it never
    builds this answer itself (a language model's proposal could): the rule is run on the
    real figures directly, and through the engine's verify stage."""
    question = "What was the difference between product revenue and service revenue in Q4 2007?"
    product_q4_2007 = _fact(juniper, ("Net revenues", "Product"), "Q4 2007")
    product_q4_2006 = _fact(juniper, ("Net revenues", "Product"), "Q4 2006")
    built = Answer(
        question=question,
        status="answered",
        answer="The difference is $185.6 million.",
        value=Value(Decimal("185570000"), "USD", "$185.6 million"),
        program="subtract(668746000, 483176000)",
        operands=(product_q4_2007, product_q4_2006),
        kind="difference",
    )
    says = (
        "The question names two measures, but only “Net revenues > Product” was found, in two "
        "periods."
    )
    check = Check(question, understand(question), frozenset({"juniper"}))
    refusal = verify.two_measures_two_rows(check, built)
    assert refusal is not None
    assert (refusal.reason, refusal.rule, refusal.closest) == (
        says,
        "two_measures_two_rows",
        product_q4_2007,
    )
    assert verify.verify(check, built) == refusal
    # the rules before it let this answer through: the two figures are different cells
    assert verify.one_cell_once(check, built) is None
    # the engine's own verify stage says the same to the user
    doc_ids = documents(juniper.corpus, Filters(doc=JUNIPER))
    checked = juniper._checked(understand(question), doc_ids, built)
    assert (checked.status, checked.answer, checked.kind) == (
        "not_found",
        says,
        "refused:two_measures_two_rows",
    )
    assert checked.value is None


def test_two_measures_two_rows_passes_other_shapes(juniper: Engine) -> None:
    """One measure asked, one period used, or a change across periods: the rule passes."""
    two = "What was the difference between product revenue and service revenue in Q4 2007?"
    one = "What was the change in product revenue from Q4 2006 to Q4 2007?"
    assert understand(two).metrics == ("the product revenue", "service revenue in")
    assert len(understand(one).metrics) == 1
    product_q4_2007 = _fact(juniper, ("Net revenues", "Product"), "Q4 2007")
    product_q4_2006 = _fact(juniper, ("Net revenues", "Product"), "Q4 2006")
    service_q4_2007 = _fact(juniper, ("Net revenues", "Service"), "Q4 2007")
    across = Answer(
        one, "answered", "", operands=(product_q4_2007, product_q4_2006), kind="difference"
    )
    assert verify.two_measures_two_rows(Check(one, understand(one)), across) is None
    as_change = replace(across, question=two, kind="change")
    assert verify.two_measures_two_rows(Check(two, understand(two)), as_change) is None
    two_rows = replace(across, question=two, operands=(product_q4_2007, service_q4_2007))
    assert verify.two_measures_two_rows(Check(two, understand(two)), two_rows) is None


# ------------------------------------------------------------------------- passes


@pytest.mark.parametrize(
    ("filing", "question", "kind", "number", "program", "printed"),
    [
        # terms_accounted_for: every word carried by the row
        (
            "juniper",
            "What was Juniper's product revenue in Q4 2007?",
            "lookup",
            Decimal("668746000"),
            None,
            ["$ 668,746"],
        ),
        # terms_accounted_for: "(DCAI)" is an acronym aside, not a word the row must carry
        (
            "intel",
            "What was Intel's Data Center and AI (DCAI) operating income in Q4 2022?",
            "lookup",
            Decimal("371000000"),
            None,
            ["371"],
        ),
        # one_cell_once, part_not_whole: a part over its total, two different figures
        (
            "juniper",
            "What percentage of total net revenues was product revenue in Q4 2007?",
            "ratio",
            Decimal("82.64469550731479444673756955"),
            "divide(668746000, 809182000)",
            ["$ 668,746", "809,182"],
        ),
        # two_measures_two_rows: two measures, two rows, one period
        (
            "juniper",
            "What was the difference between product revenue and service revenue in Q4 2007?",
            "difference",
            Decimal("528310000"),
            "subtract(668746000, 140436000)",
            ["$ 668,746", "140,436"],
        ),
        # change_not_differenced: a growth of a row that is not itself a change
        (
            "juniper",
            "By what percentage did total net revenues grow in Q4 2007 compared with Q4 2006?",
            "growth",
            Decimal("35.80752899316919255492338419"),
            "divide(subtract(809182000, 595830000), 595830000)",
            ["809,182", "595,830", "36%"],  # and the headline's "up 36%" (retrieval.stated)
        ),
        # change_not_differenced: the question asks for the change in the change itself
        (
            "juniper",
            "What was the change in net increase in cash and cash equivalents from 2006 to 2007?",
            "change",
            Decimal("-558155000"),
            "subtract(119777000, 677932000)",
            ["119,777", "677,932"],
        ),
        # unit_agrees: an amount asked, an amount found
        (
            "mcdonalds",
            "What were McDonald's total revenues in Q1 2023?",
            "lookup",
            Decimal("5897800000"),
            None,
            ["5,897.8"],
        ),
        # same_measure: the line's own measure ("impairment") is the one asked
        (
            "juniper",
            "What were Juniper's impairment charges in fiscal 2006?",
            "lookup",
            Decimal("1283421000"),
            None,
            ["1,283,421"],
        ),
        # one_period_for_two_measures: both balances at December 31, 2007
        (
            "juniper",
            "What is the ratio of current deferred revenue to long-term deferred revenue?",
            "ratio",
            Decimal("4.853221576006386132968411449424108"),
            "divide(425579000, 87690000)",
            ["425,579", "87,690"],
        ),
    ],
    ids=[
        "terms-lookup",
        "terms-acronym",
        "part-of-whole",
        "two-rows-one-period",
        "growth",
        "change-of-a-change",
        "amount",
        "own-measure",
        "one-period",
    ],
)
def test_a_correct_answer_of_the_same_shape_passes_every_rule(
    request: pytest.FixtureRequest,
    filing: str,
    question: str,
    kind: str,
    number: Decimal,
    program: str | None,
    printed: list[str],
) -> None:
    engine, result = _ask(request, filing, question)
    assert (result.status, result.kind) == ("answered", kind), result.answer
    assert result.value is not None and result.value.number == number
    assert result.program == program
    assert [c.as_printed for c in result.citations] == printed
    check = _check(engine, filing, question)
    assert {name: rule(check, result) for name, rule in RULES} == dict.fromkeys(
        (name for name, _ in RULES), None
    )
    assert verify.verify(check, result) is None


def test_the_product_revenue_answer_in_full(juniper: Engine) -> None:
    result = juniper.answer("What was Juniper's product revenue in Q4 2007?", Filters(doc=JUNIPER))
    assert result.answer == "Net revenues > Product was $668.7 million in Q4 2007."
    assert result.value is not None
    assert (result.value.number, result.value.unit) == (Decimal("668746000"), "USD")
    assert result.confidence == 0.527


def test_verify_passes_what_is_not_an_answered_figure(juniper: Engine) -> None:
    question = "What percentage of total net revenues was total net revenues in Q4 2007?"
    total = _fact(juniper, ("Total net revenues",), "Q4 2007")
    check = Check(question, understand(question))
    same_cell = Answer(question, "answered", "100%", operands=(total, total), kind="ratio")
    refusal = verify.verify(check, same_cell)
    assert refusal is not None and refusal.rule == "one_cell_once"
    assert refusal.reason == (
        "Only one figure fits, “Total net revenues”; the calculation needs two different ones."
    )
    assert verify.verify(check, replace(same_cell, status="not_found")) is None
    assert verify.verify(check, replace(same_cell, operands=())) is None
    # the first refusal wins: without one_cell_once, part_not_whole refuses the same cell
    later = verify.verify(check, same_cell, rules=[r for r in RULES if r[0] != "one_cell_once"])
    assert later is not None
    assert (later.rule, later.reason) == (
        "part_not_whole",
        "“Total net revenues” and “Total net revenues” are the same figure (809,182); a share "
        "of itself says nothing.",
    )
    assert verify.verify(check, same_cell, rules=[]) is None


# ------------------------------------------------------------------------- passages


@pytest.mark.parametrize(
    ("filing", "question", "says"),
    [
        (
            "mcdonalds",
            "Where is the capital of France?",
            "The indexed filings do not say; the closest passage says nothing of “capital”.",
        ),
        (
            "juniper",
            "Why did Juniper move its capital to europe?",
            "The indexed filings do not say; the closest passage says nothing of “capital”.",
        ),
    ],
)
def test_a_passage_about_something_else_is_refused(
    request: pytest.FixtureRequest, filing: str, question: str, says: str
) -> None:
    engine: Engine = request.getfixturevalue(filing)
    before = engine.refused.get("passage_answers", 0)
    result = engine.answer(question, Filters(doc=DOCS[filing]))
    assert (result.status, result.answer, result.value, result.citations) == (
        "not_found",
        says,
        None,
        (),
    )
    assert result.kind is None  # a passage refusal carries no operands
    assert engine.refused["passage_answers"] == before + 1


def test_a_passage_that_answers_passes(mcdonalds: Engine) -> None:
    question = "Why did McDonald's close restaurants in Russia?"
    before = dict(mcdonalds.refused)
    result = mcdonalds.answer(question, Filters(doc=MCDONALDS))
    assert result.status == "answered"
    assert result.answer == (
        "“Restaurants in Russia were treated as permanently closed as of April 1, 2022 and "
        "therefore excluded from the calculation of comparable sales and comparable guest "
        "counts beginning in the second quarter of 2022.” “• Pre-tax expenses of $127 million, "
        "or $0.13 per share, primarily incurred to support the Company's business in Russia”"
    )
    assert result.value is None
    assert len(result.citations) == 2
    assert mcdonalds.refused == before
    check = _check(mcdonalds, "mcdonalds", question)
    assert check.terms() == ["restaurant", "russia"]  # "close" is a period word
    assert verify.passage_answers(check, result.answer) is None


def test_passage_answers_on_the_tax_audit_sentence(mcdonalds: Engine) -> None:
    """The docstring's example: "What is the capital of France?" is not answered by "... a
    tax audit in France"."""
    (sentence,) = [s.text for s in mcdonalds.corpus.sentences if "tax audit in France" in s.text]
    assert sentence == (
        "• $500 million, or $0.67 per share, of nonoperating expense related to the settlement "
        "of a tax audit in France"
    )
    question = "What is the capital of France?"
    check = Check(question, understand(question), frozenset({"mcdonald"}))
    assert check.terms() == ["capital", "france"]
    assert verify.passage_misses(check, sentence) == ["capital"]
    refusal = verify.passage_answers(check, sentence)
    assert refusal is not None
    assert (refusal.reason, refusal.rule, refusal.closest) == (
        "The indexed filings do not say; the closest passage says nothing of “capital”.",
        "passage_answers",
        None,
    )
    # one term of three unsaid is allowed; a question with no terms is never answered
    europe = "Where did the capital of France hold its tax audit?"
    assert Check(europe, understand(europe)).terms() == ["capital", "france", "tax", "audit"]
    assert verify.passage_answers(Check(europe, understand(europe)), sentence) is None
    vague = Check("Where is it?", understand("Where is it?"))
    assert vague.terms() == []
    refused = verify.passage_answers(vague, sentence)
    assert refused is not None
    assert refused.reason == "The indexed filings do not say; no passage answers this question."


# ------------------------------------------------------------------------- content terms


@pytest.mark.parametrize(
    ("question", "ignore", "terms"),
    [
        # the period and the function words go; the company's own name is ignored
        (
            "What was Juniper's product revenue in Q4 2007?",
            {"juniper", "networks", "inc"},
            ["product", "revenue"],
        ),
        # the possessive is a word of its own unless the name is ignored
        (
            "What was Juniper's product revenue in Q4 2007?",
            set(),
            ["juniper", "product", "revenue"],
        ),
        (
            "What was McDonald's franchise revenue in the quarter ended March 31, 2023?",
            {"mcdonald", "corporation"},
            ["franchise", "revenue"],
        ),
        # an acronym after its words is an aside; "operating income" is one term
        (
            "What was Intel's Data Center and AI (DCAI) operating income in Q4 2022?",
            {"intel", "corp"},
            ["data", "center", "ai", "opincome"],
        ),
        # "X, i.e. A minus B": the operands answer for the definition, not the name
        (
            "What was free cash flow, i.e. operating cash flow minus capital expenditures, in "
            "fiscal 2007?",
            set(),
            ["cfo", "capex"],
        ),
        (
            "What was the gross margin (gross profit divided by revenue) for the fourth quarter "
            "of 2007?",
            set(),
            ["grossprofit", "revenue"],
        ),
        # "(not ...)" names what is left out
        (
            "What was depreciation (not depreciation and amortization) during the twelve months "
            "of 2007?",
            set(),
            ["depreciation"],
        ),
        # the operation's own words and the periods
        (
            "How much did total net revenues grow in Q4 2007 compared with Q4 2006?",
            set(),
            ["revenue"],
        ),
        # the statement a figure is printed in, and the release, say where, not what
        (
            "What was net income on the consolidated statements of operations for fiscal 2007?",
            set(),
            ["netincome"],
        ),
        ("What was operating income in the Q4 2007 earnings release?", set(), ["opincome"]),
        (
            "What was the weighted-average diluted share count for fiscal 2006?",
            set(),
            ["diluted", "sharecount"],
        ),
        ("What is the capital of France?", set(), ["capital", "france"]),
    ],
)
def test_content_terms(question: str, ignore: set[str], terms: list[str]) -> None:
    assert Check(question, understand(question), frozenset(ignore)).terms() == terms


def test_uncovered_names_the_terms_a_figure_leaves_unsaid(juniper: Engine) -> None:
    question = "What was Juniper's data center revenue in Q4 2007?"
    total = _fact(juniper, ("Total net revenues",), "Q4 2007")
    product = _fact(juniper, ("Net revenues", "Product"), "Q4 2007")
    check = Check(question, understand(question), frozenset({"juniper"}))
    built = Answer(question, "answered", "", operands=(total,), kind="lookup")
    assert verify.uncovered(check, built) == ["data", "center"]
    refusal = verify.terms_accounted_for(check, built)
    assert refusal is not None
    assert (refusal.reason, refusal.rule, refusal.closest) == (
        "The closest figure is “Total net revenues”, but it says nothing of “data”, “center”; "
        "the filings print no figure that matches the question in full.",
        "terms_accounted_for",
        total,
    )
    asked = "What was Juniper's product revenue in Q4 2007?"
    fits = Check(asked, understand(asked), frozenset({"juniper"}))
    assert (
        verify.terms_accounted_for(
            fits, Answer(asked, "answered", "", operands=(product,), kind="lookup")
        )
        is None
    )


# ------------------------------------------------------------------------- confidence

FEATURES = [
    "context_share",
    "extra",
    "fit",
    "kind_aggregate",
    "kind_change",
    "kind_difference",
    "kind_formula",
    "kind_lookup",
    "kind_ratio",
    "kind_which",
    "lead",
    "match",
    "operands",
    "own_share",
    "period_asked",
    "sentence",
    "terms",
    "unbound",
    "undated",
    "unit_conflict",
    "unvalidated",
]


def test_features_are_the_documented_keys_and_weighted(juniper: Engine) -> None:
    result = juniper.answer("What was Juniper's product revenue in Q4 2007?", Filters(doc=JUNIPER))
    assert sorted(result.features) == FEATURES
    assert sorted(k for k in verify.WEIGHTS if k != "bias") == FEATURES
    assert {k: v for k, v in result.features.items() if k not in ("match", "fit", "lead")} == {
        "own_share": 1.0,
        "context_share": 1.0,
        "extra": 0.0,
        "terms": round(math.log1p(2), 9),
        "unit_conflict": 0.0,
        "sentence": 0.0,
        "unvalidated": 0.0,
        "undated": 0.0,
        "period_asked": 1.0,
        "operands": round(math.log1p(1), 9),
        "unbound": 0.0,
        "kind_lookup": 1.0,
        "kind_change": 0.0,
        "kind_difference": 0.0,
        "kind_ratio": 0.0,
        "kind_aggregate": 0.0,
        "kind_which": 0.0,
        "kind_formula": 0.0,
    }
    assert (result.features["match"], result.features["fit"]) == (
        0.838838612,
        0.838838612,
    )
    assert result.features["lead"] == 0.110983395


def test_features_of_figures_found_without_search(juniper: Engine) -> None:
    """No binding: the match and fit are the figures' own word share, the lead a half."""
    question = "What percentage of total net revenues was product revenue in Q4 2007?"
    product = _fact(juniper, ("Net revenues", "Product"), "Q4 2007")
    total = _fact(juniper, ("Total net revenues",), "Q4 2007")
    built = Answer(
        question,
        "answered",
        "",
        value=Value(Decimal("82.6"), "percent", "82.6%"),
        operands=(product, total),
        kind="ratio",
    )
    check = Check(question, understand(question))
    values = verify.features(check, built)
    assert sorted(values) == FEATURES
    assert values == {
        "own_share": 1.0,
        "context_share": 1.0,
        "extra": 0.0,
        "terms": round(math.log1p(2), 9),
        "unit_conflict": 0.0,
        "sentence": 0.0,
        "unvalidated": 0.0,
        "undated": 0.0,
        "period_asked": 1.0,
        "operands": round(math.log1p(2), 9),
        "match": 1.0,
        "fit": 1.0,
        "lead": 0.5,
        "unbound": 1.0,
        "kind_lookup": 0.0,
        "kind_change": 0.0,
        "kind_difference": 0.0,
        "kind_ratio": 1.0,
        "kind_aggregate": 0.0,
        "kind_which": 0.0,
        "kind_formula": 0.0,
    }
    assert verify.confidence(check, built) == 0.709
    assert verify.confidence(check, replace(built, operands=())) == 0.0


@pytest.mark.parametrize(
    ("filing", "question", "status", "sure"),
    [
        ("juniper", "What was Juniper's product revenue in Q4 2007?", "answered", 0.527),
        (
            "juniper",
            "What percentage of total net revenues was product revenue in Q4 2007?",
            "answered",
            0.695,
        ),
        (
            "intel",
            "What was Intel's Data Center and AI (DCAI) operating income in Q4 2022?",
            "answered",
            0.478,
        ),
        # a refusal carries the confidence of the reading it rejected
        ("juniper", "What was Juniper's data center revenue in Q4 2007?", "not_found", 0.347),
        (
            "juniper",
            "What percentage of total net revenues was total net revenues in Q4 2007?",
            "not_found",
            0.706,
        ),
        ("mcdonalds", "What is the capital of France?", "not_found", 0.17),
    ],
)
def test_confidence_is_a_probability(
    request: pytest.FixtureRequest, filing: str, question: str, status: str, sure: float
) -> None:
    engine, result = _ask(request, filing, question)
    assert (result.status, result.confidence) == (status, sure)
    assert 0.0 <= sure <= 1.0
    assert sorted(result.features) == FEATURES
    if status == "answered":
        assert verify.confidence(_check(engine, filing, question), result) == sure


def _sentence_fact(engine: Engine, row: str, period: str) -> Fact:
    for candidate in engine.corpus.rows:
        for fact in candidate.facts:
            dated = fact.period.label if fact.period is not None else None
            if fact.kind == "sentence" and fact.row.startswith(row) and dated == period:
                return fact
    raise AssertionError(f"no sentence figure {row} {period}")


def test_a_figure_the_text_repeats_is_one_figure(juniper: Engine) -> None:
    """The release states diluted net income per share in a sentence and prints it in the
    statement: the two are one figure, so their difference says nothing."""
    question = "What was the difference between diluted EPS and net income per share in Q4 2007?"
    printed = _fact(juniper, ("Net income (loss) per share", "Diluted"), "Q4 2007")
    stated = _sentence_fact(juniper, "Net income per share", "Q4 2007")
    assert (printed.value, stated.value) == (Decimal("0.22"), Decimal("0.22"))
    built = Answer(
        question=question,
        status="answered",
        answer="The difference is $0.00 per share.",
        value=Value(Decimal("0"), "USD/share", "$0.00 per share"),
        operands=(printed, stated),
        kind="difference",
    )
    check = Check(question, understand(question), frozenset({"juniper"}))
    refusal = verify.one_cell_once(check, built)
    assert refusal is not None
    assert (refusal.rule, refusal.closest) == ("one_cell_once", printed)
    assert refusal.reason == (
        "Only one figure fits, “Net income (loss) per share > Diluted”; the calculation needs "
        "two different ones."
    )
    # two different figures of equal value in two rows of a table are two figures
    basic = _fact(juniper, ("Net income (loss) per share", "Basic"), "Q4 2006")
    diluted = _fact(juniper, ("Net income (loss) per share", "Diluted"), "Q4 2006")
    assert basic.value == diluted.value == Decimal("0.12")
    assert verify.one_cell_once(check, replace(built, operands=(basic, diluted))) is None


def test_one_undated_figure_does_not_answer_for_two_years(juniper: Engine) -> None:
    question = "What were total net revenues in 2006 and 2007 combined?"
    stated = replace(_sentence_fact(juniper, "Net revenues", "FY2007"), period=None)
    built = Answer(
        question=question,
        status="answered",
        answer="Net revenues was $2,836.1 million.",
        value=Value(stated.value, "USD", "$2.84 billion"),
        operands=(stated,),
        kind="lookup",
    )
    check = Check(question, understand(question), frozenset({"juniper"}))
    refusal = verify.every_year_used(check, built)
    assert refusal is not None
    assert refusal.reason == (
        "The question asks about 2006, 2007, but the filings give one undated figure for it "
        "($2,836.1 million)."
    )
    # dated, the same figure covers its own year only
    dated = replace(built, operands=(_sentence_fact(juniper, "Net revenues", "FY2007"),))
    refused = verify.every_year_used(check, dated)
    assert refused is not None and refused.reason.endswith("nothing for 2006 in that row.")


BALANCE_SHEET = "Condensed Consolidated Balance Sheets"
LIABILITIES = "LIABILITIES AND STOCKHOLDERS' EQUITY"


def test_a_line_narrowed_by_a_word_not_asked_is_a_part(juniper: Engine) -> None:
    """Total current liabilities is not total liabilities (Juniper prints no such line)."""
    question = "What were total liabilities at December 31, 2007?"
    current = _fact(
        juniper, (LIABILITIES, "Total current liabilities"), "December 31, 2007", BALANCE_SHEET
    )
    built = Answer(question, "answered", "…", operands=(current,), kind="lookup")
    check = Check(question, understand(question), frozenset({"juniper"}))
    refusal = verify.qualifier_not_asked(check, built)
    assert refusal is not None
    assert (refusal.reason, refusal.closest) == (
        "The closest figure, “LIABILITIES AND STOCKHOLDERS' EQUITY > Total current "
        "liabilities”, is only the “current” part; the question does not ask for it.",
        current,
    )
    # asked with its qualifier, the line passes
    asked = "What were total current liabilities at December 31, 2007?"
    check = Check(asked, understand(asked), frozenset({"juniper"}))
    assert verify.qualifier_not_asked(check, replace(built, question=asked)) is None


def test_total_liabilities_is_not_liabilities_and_equity(juniper: Engine) -> None:
    """The engine once answered this with "Total liabilities and stockholders' equity"."""
    result = juniper.answer("What were total liabilities at December 31, 2007?")
    assert (result.status, result.kind) == ("not_found", "refused:same_measure")
    assert result.answer == (
        "The closest figure, “LIABILITIES AND STOCKHOLDERS' EQUITY > Total liabilities and "
        "stockholders' equity”, measures something the question does not ask about."
    )


def test_averages_and_spans_asked_are_not_single_figures(juniper: Engine) -> None:
    product = _fact(juniper, ("Net revenues", "Product"), "FY2007")
    service = _fact(juniper, ("Net revenues", "Service"), "FY2007")
    question = (
        "What is the difference between the average product revenue and average service revenue?"
    )
    built = Answer(question, "answered", "…", operands=(product, service), kind="difference")
    check = Check(question, understand(question), frozenset({"juniper"}))
    refusal = verify.operation_done(check, built)
    assert refusal is not None and refusal.reason == (
        "The question asks for averages; crossfoot would compare single figures (“Net revenues "
        "> Product”), not averages, so it does not answer."
    )
    # a weighted-average figure is one figure
    weighted = "What is the difference between the weighted-average product and service revenue?"
    check = Check(weighted, understand(weighted), frozenset({"juniper"}))
    assert verify.operation_done(check, replace(built, question=weighted)) is None
    # "due within 5 years" adds the columns of a maturity table
    due = "What is the total product revenue that is due within 5 years?"
    check = Check(due, understand(due), frozenset({"juniper"}))
    one = Answer(due, "answered", "…", operands=(product,), kind="lookup")
    refusal = verify.operation_done(check, one)
    assert refusal is not None and refusal.reason.startswith(
        "The question asks about several periods together; crossfoot found one figure"
    )


def test_a_line_and_a_line_it_includes_are_not_two_measures(juniper: Engine) -> None:
    """Juniper prints no total liabilities: "Total liabilities and stockholders' equity" over
    "Total stockholders' equity" is not the ratio asked (the engine once answered 1.29)."""
    result = juniper.answer(
        "What was the ratio of total liabilities to total stockholders' equity as of "
        "December 31, 2007?"
    )
    assert (result.status, result.kind) == ("not_found", "refused:part_not_whole")
    assert result.answer == (
        "“LIABILITIES AND STOCKHOLDERS' EQUITY > Total liabilities and stockholders' equity” "
        "includes “LIABILITIES AND STOCKHOLDERS' EQUITY > Total stockholders' equity”; the "
        "filings print no line for the first measure alone."
    )


def test_what_the_filing_says_of_a_figure_elsewhere_is_its_context(filings: Path) -> None:
    """Buckle's release says "operates 445 retail stores" in one sentence and "it operated
    445 stores" in the one dated by the quarter: each is the other's context."""
    buckle = _engine(filings / "buckle_8k_ex99-1_q3fy2024_earnings.html")
    question = (
        "How many retail stores did Buckle operate at the end of the third quarter of fiscal 2024?"
    )
    result = buckle.answer(question)
    (stated,) = result.operands
    assert stated.as_printed == "445" and stated.row.startswith("As of the end of the fiscal")
    assert buckle.picker.table_context(stated) == (
        "Headquartered in Kearney, Nebraska, Buckle currently operates 445 retail stores in 42 "
        "states."
    )
    # "retail" is accounted for, and the sentence is dated by the release's quarter: the
    # confidence clears (it was refused at 0.188 while the figure was undated)
    assert (result.kind, result.status) == ("lookup", "answered")
    assert result.answer.startswith("445, as the filing states: “As of the end of the fiscal")
    assert "““" not in result.answer


def test_a_calculation_word_inside_another_word_is_not_printed(juniper: Engine) -> None:
    """ "ratio" is in "Statements of Operations", not in what the figure is: a ratio asked for
    is not net revenues read off (the engine once answered $2.84 billion)."""
    result = juniper.answer("What was the net revenues ratio in 2007?")
    assert (result.status, result.kind) == ("not_found", "refused:operation_done")
    assert result.answer == (
        "The question asks for a calculation (“ratio”) that crossfoot cannot make here; the "
        "closest figure, “Total net revenues”, is one figure as printed."
    )
