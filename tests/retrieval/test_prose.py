"""Figures stated only in words: counts, share numbers, percentages and amounts read off the
sentences of real filings at question time, each cited to its sentence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.pipeline import prepare
from retrieval.answer import Conversation, Engine
from retrieval.corpus import Corpus
from retrieval.prose import loose, mentions, pick, stated_year, wanted_unit


def _engine(*paths: Path) -> Engine:
    return Engine(Corpus.prepared(*(prepare(path, path.read_bytes()) for path in paths)))


@pytest.fixture(scope="module")
def medicis(filings: Path) -> Engine:
    return _engine(filings / "medicis_10k_fy1999.html")


@pytest.fixture(scope="module")
def buckle(filings: Path) -> Engine:
    return _engine(filings / "buckle_8k_ex99-1_q3fy2024_earnings.html")


@pytest.fixture(scope="module")
def ibm(filings: Path) -> Engine:
    return _engine(filings / "ibm_10k_fy2024_ixbrl.htm")


@pytest.fixture(scope="module")
def intel(filings: Path) -> Engine:
    return _engine(filings / "intel_2022q4_earnings_release.pdf")


@pytest.fixture(scope="module")
def mcd(filings: Path) -> Engine:
    return _engine(filings / "mcdonalds_2023q1_earnings_release_ex99-1.pdf")


@pytest.fixture(scope="module")
def juniper_and_buckle(filings: Path) -> Engine:
    return _engine(
        filings / "juniper_8k_ex99-1_q4fy2007_earnings.txt",
        filings / "buckle_8k_ex99-1_q3fy2024_earnings.html",
    )


def test_mentions_read_each_figure_with_its_unit() -> None:
    text = (
        "Amcor repurchased approximately 41 million shares (approximately 3% of total shares "
        "issued and outstanding) during fiscal 2023 for a total cost of $431 million; the "
        "annual dividend increased to 49.0 cents per share and it had 144 full-time employees "
        "as of June 30, 1999."
    )
    got = [(m.value, m.unit, m.as_printed) for m in mentions(text)]
    assert got == [
        (Decimal("41000000"), "shares", "41 million"),
        (Decimal("3"), "percent", "3%"),
        (Decimal("431000000"), "USD", "$431 million"),
        (Decimal("0.49"), "USD/share", "49.0 cents per share"),
        (Decimal("144"), "count", "144"),
    ]  # "30" and "1999" are a date, not figures


def test_mentions_read_abbreviated_scales() -> None:
    text = "Q4'07 Revenue of $809.2M; cash of $1.2B, a $45mn charge and a $3.1bn loan; $500K."
    got = [(m.value, m.as_printed) for m in mentions(text) if m.unit == "USD"]
    assert got == [
        (Decimal("809200000.0"), "$809.2M"),
        (Decimal("1200000000.0"), "$1.2B"),
        (Decimal("45000000"), "$45mn"),
        (Decimal("3100000000.0"), "$3.1bn"),
        (Decimal("500000"), "$500K"),
    ]


def test_a_figure_after_a_change_word_is_a_change() -> None:
    found = mentions("Cost of revenue increased $4.6 billion or 12%, to $38.4 billion.")
    assert [(m.value, m.change) for m in found] == [
        (Decimal("4600000000"), True),
        (Decimal("12"), False),
        (Decimal("38400000000"), False),
    ]


def _picked(text: str, question: str, unit: str = "USD") -> str | None:
    """The figure :func:`pick` reads off ``text`` for ``question``, as printed."""
    wanted = set(loose(question))
    chosen = pick(text, unit, wanted, lambda _: 1.0, loose, set(), set(loose(question)))
    return chosen.mention.as_printed if chosen is not None else None


def test_the_name_printed_right_before_a_figure_is_that_figures_alone() -> None:
    # FinQA/ConvFinQA (Citigroup 2010): "allowance" was read as a word of the $392 million
    text = (
        "the carrying amount of the company's purchased distressed loan portfolio at "
        "december 31, 2010 was $392 million, net of an allowance of $77 million as of "
        "december 31, 2010."
    )
    assert _picked(text, "what is the value of allowances") == "$77 million"
    assert _picked(text, "what is the carrying amount of the loan portfolio") == "$392 million"


def test_a_parenthesis_around_another_figure_says_nothing_of_the_amount_beside_it() -> None:
    # ConvFinQA (Applied Materials 2014): "net sales" belongs to "18 percent", not to the R&D
    text = (
        "applied's investments in rd&e were as follows: $1.4 billion (16 percent of net sales) "
        "in fiscal 2014, $1.3 billion (18 percent of net sales) in fiscal 2013."
    )
    assert _picked(text, "what were net sales") is None
    assert _picked(text, "what were the investments in rd&e") == "$1.4 billion"


def test_a_table_row_flattened_into_a_sentence_is_not_read() -> None:
    # ConvFinQA (Becton Dickinson 2018): three columns run together; which is 2018 is unknown
    text = (
        "net pension cost included in the preceding table that is attributable to "
        "international plans $34 $43 $35 the amounts provided above for amortization."
    )
    assert _picked(text, "what was the net pension cost") is None


def test_a_change_to_a_level_shares_the_subject_before_the_change() -> None:
    # Buckle Q3 2024: "Online sales" names the $46.6 million after the rate, not the $46.1
    text = (
        "Online sales increased 1.1 percent to $46.6 million for the 13-week fiscal quarter "
        "ended November 2, 2024, compared to net sales of $46.1 million for the 13-week fiscal "
        "quarter ended October 28, 2023."
    )
    assert _picked(text, "what were online sales") == "$46.6 million"


def test_a_rise_from_one_figure_to_another_is_the_later_figure() -> None:
    # ConvFinQA (Entergy 2002): the earnings of 2002 are the $201 million they rose to
    text = (
        "non-utility nuclear the increase in earnings in 2002 for non-utility nuclear from "
        "$128 million to $201 million was primarily due to the operation of indian point 2."
    )
    question = "what was the value of earnings for non-utility nuclear in 2002"
    wanted = set(loose(question))
    chosen = pick(text, "USD", wanted, lambda _: 1.0, loose, {"2002"}, wanted)
    assert chosen is not None and chosen.mention.as_printed == "$201 million"


def test_a_change_from_a_level_is_not_that_level() -> None:
    # "increased $12 million from $88 million": $88 million is the year before's level
    text = "Operating income increased $12 million from $88 million."
    assert _picked(text, "what was operating income") is None


def test_the_figure_a_rise_went_from_is_the_year_befores() -> None:
    # the same sentence, asked for 2001: the $128 million earnings rose from
    text = (
        "non-utility nuclear the increase in earnings in 2002 for non-utility nuclear from "
        "$128 million to $201 million was primarily due to the operation of indian point 2 and "
        "vermont yankee, which were purchased in september 2001 and july 2002, respectively."
    )
    question = "what were the earnings for non-utility nuclear in 2001"
    wanted = set(loose(question))
    chosen = pick(text, "USD", wanted, lambda _: 1.0, loose, {"2001"}, wanted, own_year=True)
    assert chosen is not None and chosen.mention.as_printed == "$128 million"
    assert stated_year(text, chosen.mention) == 2001


def test_a_rise_in_a_quarter_dates_no_figure_by_its_year() -> None:
    text = "Sales in the fourth quarter of 2002 increased from $128 million to $201 million."
    question = "what were sales in 2001"
    wanted = set(loose(question))
    chosen = pick(text, "USD", wanted, lambda _: 1.0, loose, {"2001"}, wanted, own_year=True)
    assert chosen is None


def test_a_rise_between_two_named_years_is_read_by_its_years() -> None:
    text = "Compared with 2001, earnings in 2002 rose from $128 million to $201 million."
    question = "what were earnings in 2001"
    wanted = set(loose(question))
    chosen = pick(text, "USD", wanted, lambda _: 1.0, loose, {"2001"}, wanted)
    assert chosen is None or chosen.mention.as_printed != "$201 million"


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("How many shares of Class A Common Stock were outstanding?", "shares"),
        ("How many full-time employees did Medicis have?", "count"),
        ("What percentage of revenues did Cardinal account for?", "percent"),
        ("What quarterly dividend per share did the board declare?", "USD/share"),
        ("How much product liability insurance per claim did Medicis carry?", "USD"),
        ("By how many dollars did non-GAAP gross margin exceed GAAP gross margin?", "USD"),
    ],
)
def test_wanted_unit(question: str, unit: str) -> None:
    assert wanted_unit(question, per_share="per share" in question, counts_shares=False) == unit


def test_a_count_stated_in_a_sentence(medicis: Engine) -> None:
    got = medicis.answer("How many full-time employees did Medicis have as of June 30, 1999?")
    assert got.status == "answered"
    assert got.value is not None
    assert (got.value.number, got.value.unit) == (Decimal("144"), "count")
    assert got.citations[0].kind == "sentence"
    assert got.citations[0].as_printed == "144"
    assert "144 full-time employees" in got.answer


def test_the_figure_next_to_the_asked_class_of_shares(medicis: Engine) -> None:
    got = medicis.answer(
        "How many shares of Class B Common Stock did Medicis have outstanding as of "
        "September 9, 1999?"
    )
    assert got.value is not None
    assert (got.value.number, got.value.unit) == (Decimal("422962"), "shares")
    both = medicis.answer(
        "How many total shares of common stock (Class A plus Class B) did Medicis have "
        "outstanding as of September 9, 1999?"
    )
    assert both.value is not None
    assert both.value.number == Decimal("28793440")  # 28,370,478 + 422,962
    assert len(both.citations) == 2


def test_respectively_gives_each_name_its_own_figure(medicis: Engine) -> None:
    got = medicis.answer(
        "What percentage of Medicis's revenues did Cardinal account for in fiscal 1999?"
    )
    assert got.value is not None
    assert (got.value.number, got.value.unit) == (Decimal("14.1"), "percent")


def test_a_sentence_about_another_year_does_not_answer(medicis: Engine) -> None:
    got = medicis.answer("How many full-time employees did Medicis have as of June 30, 1997?")
    assert got.status == "not_found"
    assert got.value is None


def test_a_sentence_wins_over_a_row_that_lacks_the_asked_word(buckle: Engine) -> None:
    got = buckle.answer("What were Buckle's online sales for the third quarter of fiscal 2024?")
    assert got.value is not None
    assert (got.value.number, got.value.unit) == (Decimal("46600000"), "USD")
    assert got.citations[0].as_printed == "$46.6 million"
    # the release covers the third quarter: its "fiscal quarter" is not the fourth
    later = buckle.answer("What were Buckle's online sales for the fourth quarter of fiscal 2024?")
    assert later.status == "not_found"


def test_the_fiscal_quarter_of_a_quarters_release_is_that_quarter(buckle: Engine) -> None:
    # "As of the end of the fiscal quarter, it operated 445 stores": in the Q3 fiscal 2024
    # release the figure is dated the quarter its tables print (it was undated, and refused
    # as fitting too loosely)
    got = buckle.answer(
        "How many retail stores did Buckle operate at the end of the third quarter of fiscal 2024?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("445"), "count")
    assert (got.citations[0].kind, got.citations[0].column) == ("sentence", "Q3 FY2024")


def test_a_row_label_that_states_share_counts(buckle: Engine) -> None:
    got = buckle.answer(
        "How many shares of Buckle common stock were issued and outstanding at November 2, 2024?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("50773796"), "shares")
    assert got.citations[0].as_printed == "50,773,796"


@pytest.fixture(scope="module")
def apple(filings: Path) -> Engine:
    return _engine(filings / "apple_10q_q3fy2025_ixbrl.html")


def test_a_label_listing_one_figure_per_column_in_thousands(apple: Engine) -> None:
    # "14,856,722 and 15,116,786 shares issued and outstanding, respectively", in a balance
    # sheet "(In millions, except number of shares, which are reflected in thousands ...)"
    got = apple.answer(
        "How many shares of Apple common stock were issued and outstanding as of June 28, 2025, "
        "according to the balance sheet?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("14856722000"), "shares")
    assert (got.citations[0].as_printed, got.citations[0].scale) == ("14,856,722", "thousands")


def test_a_valuation_schedule_column_names_the_figure(medicis: Engine) -> None:
    # one row per account, one column per movement, all of fiscal 1998: the column's words
    # ("Charged to Costs and expenses") pick the figure
    got = medicis.answer(
        "How much was charged to costs and expenses for accounts receivable allowances in "
        "fiscal 1998?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("460000"), "USD")
    assert got.citations[0].column == "Charged to Costs and expenses"


def test_a_bullet_reads_in_the_context_of_its_lead_in(mcd: Engine) -> None:
    # "Results for 2022 included the following:" / "• $500 million, or $0.67 per share, of
    # nonoperating expense related to the settlement of a tax audit in France", in the
    # release of Q1 2023: the bullet is about Q1 2022, and "or $0.67 per share" restates it
    got = mcd.answer(
        "How much nonoperating expense did McDonald's record in Q1 2022 related to the "
        "settlement of a tax audit in France?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("500000000"), "USD")
    assert got.citations[0].as_printed == "$500 million"


def test_the_balance_at_the_beginning_of_a_year(medicis: Engine) -> None:
    got = medicis.answer(
        "What was the balance of Medicis's accounts receivable allowances at the beginning of "
        "fiscal 1999?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("2826000"), "USD")
    assert got.citations[0].column == "Balance at beginning of year"


def test_this_number_refers_to_the_sentence_before(filings: Path) -> None:
    # "...approximately 500 employees globally know that their jobs will be eliminated." /
    # "This number represents about 4% of our total employee base."
    ebay = _engine(filings / "ebay_2023q1_8k.pdf")
    got = ebay.answer(
        "What percentage of eBay's total employee base did the eliminated jobs represent?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("4"), "percent")
    assert got.citations[0].as_printed == "4%"


def test_a_combined_share_adds_each_names_share(medicis: Engine) -> None:
    # "McKesson and Cardinal accounted for 18.0% and 14.1% respectively"
    got = medicis.answer(
        "What combined percentage of Medicis's fiscal 1999 revenues came from McKesson and "
        "Cardinal?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("32.1"), "percent")
    assert [c.as_printed for c in got.citations] == ["18.0%", "14.1%"]


def test_the_same_period_of_another_year(buckle: Engine) -> None:
    got = buckle.answer(
        "How much higher were Buckle's general and administrative expenses in the first "
        "thirty-nine weeks of fiscal 2024 than in the same period of fiscal 2023?"
    )
    assert got.value is not None, got.answer
    assert got.value.number == Decimal("2462000")
    assert [c.column for c in got.citations] == [
        "Thirty-Nine Weeks Ended November 2, 2024",
        "Thirty-Nine Weeks Ended October 28, 2023",
    ]


def test_a_growth_rate_stated_in_words(buckle: Engine) -> None:
    # no row names comparable store sales; the text: "... decreased 0.7 percent from ..."
    got = buckle.answer(
        "By what percentage did Buckle's comparable store net sales change in the third quarter "
        "of fiscal 2024 versus the prior-year period?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("-0.7"), "percent")
    assert got.citations[0].as_printed == "0.7 percent"


def test_a_growth_rate_printed_in_a_table_of_changes(mcd: Engine) -> None:
    got = mcd.answer(
        "What was comparable sales growth for McDonald's International Operated Markets "
        "segment in the first quarter of 2022?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("20.4"), "percent")
    assert got.program is None


def test_an_undated_table_whose_columns_name_the_figures(ibm: Engine) -> None:
    # the equity compensation plan table: rows are plans, columns are (a) securities to be
    # issued, (b) weighted-average exercise price, (c) securities remaining available
    got = ibm.answer(
        "What was the weighted-average exercise price of outstanding options across all of "
        "IBM's equity compensation plans (total)?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("144.81"), "USD/share")
    assert got.citations[0].row == "Total"


def test_a_sum_over_years_a_sentence_lists(medicis: Engine) -> None:
    # "...for fiscal 1999, 1998 and 1997 were $3.4 million, $2.9 million and $1.5 million,
    # respectively" (the three figures as the ingester read them)
    got = medicis.answer(
        "What were Medicis's total research and development costs over fiscal 1997, 1998 and "
        "1999 combined?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("7731000"), "USD")
    assert len(got.citations) == 3
    assert {c.kind for c in got.citations} == {"sentence"}


def test_a_year_row_is_named_by_its_parent_and_columns(ibm: Engine) -> None:
    # Schedule II: "Revenue Based Provisions" > "2024", columns Balance at Beginning of
    # Period, Additions/ (Deductions), Write-offs, ...
    got = ibm.answer("What were the additions to IBM's revenue based provisions in 2024?")
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("348000000"), "USD")
    assert got.citations[0].column == "Additions/ (Deductions)"
    # a year row's parent must say everything asked, and nothing else
    other = ibm.answer("What was IBM's total revenue for 2024?")
    assert other.status == "not_found"


def test_a_write_off_in_a_valuation_schedule(ibm: Engine) -> None:
    # "Allowance For Credit Losses (1) (2)" > "2024" > "–Current", column "Write-offs"
    got = ibm.answer(
        "How much did IBM write off against its current allowance for credit losses in 2024?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("-146000000"), "USD")
    assert got.citations[0].column == "Write-offs"
    assert got.citations[0].row == "Allowance For Credit Losses (1) (2) > 2024 > –Current"


def test_a_month_row_named_by_its_columns(ibm: Engine) -> None:
    # the issuer repurchase table: rows are months, the figure is named by its column
    got = ibm.answer(
        "What approximate dollar value of shares could still be purchased under IBM's "
        "repurchase program at December 31, 2024?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("2007611768"), "USD")
    assert got.citations[0].row == "December 1, 2024—December 31, 2024"


def test_a_question_without_figure_words_is_answered_in_words(intel: Engine) -> None:
    got = intel.answer(
        "Effective January 2023, to what did Intel increase the estimated useful life of "
        "certain production machinery and equipment?"
    )
    assert got.status == "answered"
    assert got.value is None
    assert "from five years to eight years" in got.answer
    assert got.citations[0].kind == "sentence"


def test_a_row_that_prints_the_asked_sum(intel: Engine) -> None:
    # "GAAP R&D and MG&A" is the sum asked for; adding MG&A to it again would count it twice
    got = intel.answer(
        "What was Intel's combined GAAP research and development plus marketing, general and "
        "administrative expense for full-year 2022?"
    )
    assert got.value is not None, got.answer
    assert (got.value.number, got.value.unit) == (Decimal("24530000000"), "USD")
    assert got.program is None


def test_a_cover_page_caption_names_the_line_above(medicis: Engine) -> None:
    got = medicis.answer("Where is Medicis's principal executive office located?")
    assert got.status == "answered"
    assert got.answer.startswith("“4343 East Camelback Road, Phoenix, AZ 85018-2700”")
    assert [c.as_printed for c in got.citations] == [
        "4343 East Camelback Road, Phoenix, AZ 85018-2700",
        "(Address of principal executive office) (Zip Code)",
    ]


def test_the_company_a_question_names_filters_the_filings(juniper_and_buckle: Engine) -> None:
    both = juniper_and_buckle
    buckle = both.answer("Who is listed as the contact on Buckle's earnings release?")
    assert buckle.answer.startswith("Thomas B. Heacock: ")
    assert {c.document for c in buckle.citations} == {"buckle_8k_ex99-1_q3fy2024_earnings.html"}
    juniper = both.answer("Who is JNPR's Investor Relations contact?")
    assert juniper.answer.startswith("Kathleen Bela: ")


def test_a_conversation_stays_with_the_company_it_named(juniper_and_buckle: Engine) -> None:
    both = juniper_and_buckle
    talk = Conversation()
    first = both.answer("What was Juniper's net income in Q4 2007?", None, talk)
    assert first.value is not None, first.answer
    assert first.value.number == Decimal("122904000")
    # the follow-up stays with Juniper, which has no fiscal 2024: Buckle's figure is not it
    later = both.answer("And in the third quarter of fiscal 2024?", None, talk)
    assert later.status == "not_found"
    assert later.value is None
    # naming the other company moves the conversation
    other = both.answer("What was Buckle's net income in Q3 of fiscal 2024?", None, talk)
    assert other.value is not None, other.answer
    assert other.value.number == Decimal("44172000")


APPLE_PAPER = (
    "As of June 28, 2025 and September 28, 2024, the Company had $9.9 billion and $10.0 billion "
    "of commercial paper outstanding, respectively."
)  # Apple's 10-Q for the quarter ended June 28, 2025, Note 9


@pytest.mark.parametrize(
    ("years", "day", "printed"),
    [
        ({"2025"}, None, "$9.9 billion"),
        ({"2024"}, None, "$10.0 billion"),
        # the quarter "ended June 30" of a 52/53-week calendar ends on June 28
        ({"2025"}, date(2025, 6, 30), "$9.9 billion"),
    ],
)
def test_respectively_gives_each_date_its_own_figure(
    years: set[str], day: date | None, printed: str
) -> None:
    chosen = pick(APPLE_PAPER, "USD", {"commercial", "paper"}, lambda _: 1.0, loose, years, day=day)
    assert chosen is not None and (chosen.mention.as_printed, chosen.score) == (printed, 1.0)


def test_the_end_of_last_quarter_is_the_balance_that_day(apple: Engine) -> None:
    """ "At the end of last quarter" asks for the balance sheet's June 28, 2025 column, not
    a sentence that also states the prior year-end's figure."""
    answer = apple.answer("What was Apple's commercial paper at the end of last quarter?")
    assert answer.value is not None and answer.value.number == Decimal("9923000000")
    assert answer.answer == (
        "LIABILITIES AND SHAREHOLDERS’ EQUITY > Current liabilities > Commercial paper was "
        "$9.92 billion as of June 28, 2025."
    )
