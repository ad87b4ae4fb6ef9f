"""Arithmetic on a conversation's earlier answers (retrieval/followup.py), on ConvFinQA dev
conversations: "what is that less 1?", "what is that divided by 2?", "what is the sum including
all 3 years?", each computed from the value just given and citing the figures it came from."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from evals import convfinqa, finqa
from retrieval import followup
from retrieval.answer import Conversation, Filters
from retrieval.models import Answer

DATA = Path(__file__).resolve().parents[1] / "data" / "convfinqa" / "convfinqa_dev_followup.json"
RECORDS = {r["id"]: r for r in json.loads(DATA.read_text(encoding="utf-8"))["dev"]}


def _conversation(record_id: str) -> tuple[list[Answer], Conversation]:
    record = RECORDS[record_id]
    engine = finqa.engine_for("page.md", convfinqa.markdown(record))
    conversation = Conversation()
    answers = [
        engine.answer(q, Filters(doc="page.md"), conversation)
        for q in record["dialogue"]["conv_questions"]
    ]
    return answers, conversation


def test_that_less_one_is_the_ratio_just_given_less_one() -> None:
    answers, conversation = _conversation("Single_HUM/2017/page_133.pdf-4")
    ratio, less = answers
    assert ratio.value is not None and less.value is not None
    assert ratio.program == "divide(1.49, 1.16)"
    assert less.value.number == Decimal("1.49") / Decimal("1.16") - 1
    assert less.value.unit == "ratio"
    assert less.program == "subtract(divide(1.49, 1.16), 1)"
    assert less.answer == "0.28: the earlier answer, 1.28, − 1."
    assert [c.as_printed for c in less.citations] == ["1.49", "1.16"]
    assert conversation.results[-1] == (
        str(less.value.number),
        "ratio",
        "subtract(divide(1.49, 1.16), 1)",
    )


def test_the_sum_divided_by_two_is_computed_from_the_sum_just_given() -> None:
    answers, _ = _conversation("Single_ETR/2017/page_316.pdf-1")
    total, half = answers
    assert total.value is not None and half.value is not None
    assert total.value.number == Decimal("3043100000")
    assert half.value.number == Decimal("1521550000")
    assert half.value.unit == "USD"
    assert half.program == "divide(table_sum(1522600000, 1520500000), 2)"
    assert [c.as_printed for c in half.citations] == [c.as_printed for c in total.citations]


def test_the_sum_of_all_three_years_adds_a_sum_of_two_and_the_third() -> None:
    """Turn 1 sums two years, turn 2 reads the third; "the sum including all 3 years" is
    their sum, and "that sum divided by 3" divides it."""
    answers, _ = _conversation("Single_LMT/2017/page_80.pdf-1")
    values = [a.value.number if a.value else None for a in answers]
    assert values == [
        Decimal("593.7"),
        Decimal("314.7"),
        Decimal("908.4"),
        Decimal("302.8"),
    ]
    assert answers[2].program == "add(table_sum(290.6, 303.1), 314.7)"
    assert answers[3].program == "divide(add(table_sum(290.6, 303.1), 314.7), 3)"
    assert [c.as_printed for c in answers[3].citations] == ["290.6", "303.1", "314.7"]


def test_the_percentage_a_change_represents_is_over_the_figure_it_was_taken_from() -> None:
    answers, _ = _conversation("Single_MRO/2009/page_139.pdf-1")
    change, percent = answers[2], answers[3]
    assert change.program == "subtract(257000000, 242000000)"
    assert percent.value is not None
    assert percent.value.number == Decimal(15) / Decimal(242) * 100
    assert percent.value.unit == "percent"
    assert percent.program == "divide(subtract(257000000, 242000000), 242000000)"
    assert percent.answer == ("6.2%: the difference, $15.0 million, over $242.0 million.")
    assert [c.as_printed for c in percent.citations] == ["257", "242"]


def test_a_follow_up_on_a_refused_turn_is_refused_too() -> None:
    """The first turns of this conversation are refused (no dated period); "the average
    between them" has nothing to average and says so rather than guessing."""
    answers, conversation = _conversation("Double_STT/2008/page_83.pdf")
    assert [a.status for a in answers] == ["not_found"] * 6
    assert conversation.results == (("", "", ""),) * 6


def test_a_period_follow_up_is_checked_against_the_measure_it_carries() -> None:
    """'And what was it in 2016?' after the operating income: the row names a measure
    ("operating income") the question's own words do not; the conversation's do. Then the
    change, the base read again, and the change over that base."""
    answers, _ = _conversation("Single_PM/2017/page_38.pdf-4")
    # the table states no scale; the text's "$11.5 billion" of operating income reads it in
    # millions
    assert [a.value.number if a.value else None for a in answers[:4]] == [
        Decimal("11503000000"),
        Decimal("10815000000"),
        Decimal("688000000"),
        Decimal("10815000000"),
    ]
    assert answers[1].answer == "operating income was $10.82 billion in FY2016."
    last = answers[4]
    assert last.program == "divide(subtract(11503000000, 10815000000), 10815000000)"
    assert last.value is not None
    assert last.value.number == Decimal(688) / Decimal(10815) * 100


def test_a_question_built_on_a_refused_answer_is_refused() -> None:
    """The change in "the total of equipment rents payable" from 2007 is refused (its 2007
    figure is read as of December 31, 2008); 'what is this change as a percentage of that
    total in 2007?' builds on that refused change and is refused with the reason, rather than
    answered from another figure."""
    answers, conversation = _conversation("Double_UNP/2008/page_77.pdf")
    assert [a.status for a in answers] == [*["answered"] * 3, *["not_found"] * 2]
    assert answers[-1].answer == (
        "This builds on the answer before it, which crossfoot did not give; ask for the "
        "figures themselves."
    )
    assert answers[-1].citations == ()
    assert conversation.results[-1] == ("", "", "")


def test_that_in_billions_restates_the_answer_before_in_billions() -> None:
    record = RECORDS["Single_ETR/2017/page_316.pdf-1"]
    engine = finqa.engine_for("page.md", convfinqa.markdown(record))
    conversation = Conversation()
    total = engine.answer(
        "what is the sum of net revenues from 2016 and 2017?", Filters(doc="page.md"), conversation
    )
    again = engine.answer("and what is that in billions?", Filters(doc="page.md"), conversation)
    assert again.status == "answered"
    assert again.value is not None and total.value is not None
    assert again.value.number == total.value.number == Decimal("3043100000")
    assert again.program == total.program
    assert [c.as_printed for c in again.citations] == [c.as_printed for c in total.citations]
    assert again.answer == "$3.04 billion: the earlier answer."


def test_a_decrease_over_its_base_is_the_later_year_less_the_earlier_over_the_earlier() -> None:
    """The change was computed later minus earlier (a fall, -332); 'what percentage change
    does this represent?' is -332 over the 2007 figure, and 'the percent decrease' is the
    fall's size over it."""
    record = RECORDS["Single_ABMD/2006/page_75.pdf-1"]
    engine = finqa.engine_for("page.md", convfinqa.markdown(record))
    asked = [
        "what were operating leases in 2007?",
        "what were they in 2008?",
        "what is the net change from 2007 to 2008?",
        "what percentage change does this represent?",
    ]
    conversation = Conversation()
    answers = [engine.answer(q, Filters(doc="page.md"), conversation) for q in asked]
    assert answers[2].program == "subtract(1371, 1703)"
    change = answers[3]
    assert change.value is not None
    assert change.value.number == Decimal(-332) / Decimal(1703) * 100
    assert change.program == "divide(subtract(1371, 1703), 1703)"
    assert change.answer == "-19.5%: the difference, -332, over 1,703."
    decrease, _ = _conversation("Single_ABMD/2006/page_75.pdf-1")
    assert decrease[-1].value is not None
    assert decrease[-1].value.number == Decimal(332) / Decimal(1703) * 100
    assert decrease[-1].program == "divide(subtract(1703, 1371), 1703)"


def test_a_year_is_never_the_number_an_earlier_answer_is_divided_by() -> None:
    """'What is the change over 2016?' names a year: not 11,503 / 2016."""
    record = RECORDS["Single_PM/2017/page_38.pdf-4"]
    engine = finqa.engine_for("page.md", convfinqa.markdown(record))
    conversation = Conversation()
    engine.answer("what was the operating income in 2017?", Filters(doc="page.md"), conversation)
    over = engine.answer("what is the change over 2016?", Filters(doc="page.md"), conversation)
    assert over.status == "not_found"
    assert over.value is None and over.program is None


def test_an_answer_in_words_is_kept_apart_from_a_refusal() -> None:
    """A turn answered with a passage is not a turn refused: a question built on it is not
    refused for want of an answer."""
    words = Answer(question="why?", status="answered", answer="“Because.”")
    refused = Answer(question="what?", status="not_found", answer="No figure.")
    assert followup.result_of(words) == followup.IN_WORDS == ("", "words", "")
    assert followup.result_of(refused) == followup.NOT_GIVEN == ("", "", "")


def test_a_malformed_saved_result_loads_as_a_refused_turn() -> None:
    """The conversation token is the client's: results that are no number load as refused
    turns, and more results than turns are dropped, so nothing raises when they are read."""
    saved = {
        "id": "c1",
        "figures": [["f1"], ["f2"], ["f3"]],
        "results": [["abc", "USD", ""], ["NaN", "USD", ""], ["12.5", "percent", ""]],
    }
    loaded = Conversation.from_json(saved)
    assert loaded.results == (("", "", ""), ("", "", ""), ("12.5", "percent", ""))
    saved["results"] = [["1", "USD", ""]] * 4
    assert Conversation.from_json(saved).results == ()
    saved["results"] = [None, ["2", "USD", "", "extra"]]
    assert Conversation.from_json(saved).results == (("", "", ""), ("", "", ""))


def test_results_survive_the_conversation_json_and_old_json_loads_without_them() -> None:
    _, conversation = _conversation("Single_HUM/2017/page_133.pdf-4")
    again = Conversation.from_json(json.loads(json.dumps(conversation.to_json())))
    assert again.results == conversation.results
    old = conversation.to_json()
    del old["results"]
    assert Conversation.from_json(old).results == ()


def test_without_a_conversation_that_times_is_not_computed() -> None:
    record = RECORDS["Single_HUM/2017/page_133.pdf-4"]
    engine = finqa.engine_for("page.md", convfinqa.markdown(record))
    alone = engine.answer("what is that less 1?", Filters(doc="page.md"))
    assert alone.status == "not_found"
    assert alone.value is None


def test_the_combined_total_of_the_two_figures_just_given() -> None:
    """ "combined, what was the total cost for the two years?" after the interest cost of 2018
    and 2017: the two figures added ("cost" is the lines' own word), and the measure the
    conversation carries stays the interest cost for "and in 2016?"."""
    answers, conversation = _conversation("Single_BDX/2018/page_82.pdf-3")
    assert [a.value.number if a.value else None for a in answers[:4]] == [
        Decimal("90"),
        Decimal("61"),
        Decimal("151"),
        Decimal("72"),
    ]
    total = answers[2]
    assert total.program == "add(90, 61)"
    assert total.answer == "The sum of the two figures just given (90 and 61) is 151."
    assert [c.as_printed for c in total.citations] == ["90", "61"]
    assert conversation.results[2] == ("151", "count", "add(90, 61)")


def test_the_difference_of_two_figures_read_off_one_sentence() -> None:
    """ "what is the difference?" after two figures read off a sentence at question time:
    the engine keeps the figures its answers used, so the follow-up cites them."""
    answers, _ = _conversation("Single_AES/2017/page_175.pdf-1")
    total, overdue, difference = answers[:3]
    assert [c.kind for c in (*total.citations, *overdue.citations)] == ["sentence", "sentence"]
    assert difference.value is not None
    assert difference.value.number == Decimal("33000000")
    assert difference.program == "subtract(86000000, 53000000)"
    assert [c.as_printed for c in difference.citations] == ["$86 million", "$53 million"]
    again = followup.two_figures("what is the difference?", Conversation(), lambda _: None)
    assert again is None  # no conversation, no two figures


def test_a_change_over_the_figure_a_demonstrative_names_again() -> None:
    """ "in relation to that balance in 2016": "that balance" is the figure the change was
    taken from, named again, not another figure."""
    answers, _ = _conversation("Single_RE/2017/page_159.pdf-4")
    assert answers[0].program == "subtract(144618, 146507)"
    assert answers[1].value is not None
    assert round(answers[1].value.number, 2) == Decimal("-1.29")
    assert answers[1].program == "divide(subtract(144618, 146507), 146507)"


def test_a_change_read_off_a_respectively_sentence_keeps_each_figures_year() -> None:
    """ "$255.7 and $327.1 as of december 31, 2008 and 2007, respectively": each figure read
    off the sentence is dated by its place, so "that amount of guarantees in 2007" is $327.1."""
    answers, _ = _conversation("Single_IPG/2008/page_93.pdf-2")
    assert [c.column for c in answers[0].citations] == ["FY2008", "FY2007"]
    assert answers[1].value is not None
    assert round(answers[1].value.number, 2) == Decimal("-21.83")
    assert [c.as_printed for c in answers[1].citations] == ["$255.7", "$327.1"]


def test_the_two_years_combined_then_one_more_year_included() -> None:
    """ "the combined total for the two years" is the two figures just given, not the row's
    three; "including 2016" adds that year's figure on the same line to the sum."""
    answers, _ = _conversation("Double_JPM/2018/page_110.pdf")
    two, three, average = answers[2:5]
    assert two.value is not None and two.value.number == Decimal("428928")
    assert two.program == "add(228681, 200247)"
    assert three.value is not None and three.value.number == Decimal("665598")
    assert three.program == "add(add(228681, 200247), 236670)"
    assert [c.as_printed for c in three.citations] == ["228,681", "200,247", "236,670"]
    assert average.value is not None and average.value.number == Decimal("221866")


def test_the_average_during_this_time_is_the_sum_over_its_figures() -> None:
    answers, _ = _conversation("Double_LMT/2017/page_80.pdf")
    total, included, average = answers[:3]
    assert total.program == "table_sum(303.1, 290.6)"
    assert included.program == "add(table_sum(303.1, 290.6), 314.7)"
    assert average.value is not None and average.value.number == Decimal("302.8")
    assert average.program == "divide(add(table_sum(303.1, 290.6), 314.7), 3)"
    assert average.answer == "302.8 shares: the sum just given, 908.4 shares, over its 3 figures."


def test_a_line_named_after_including_is_read_as_a_question_of_its_own() -> None:
    answers, _ = _conversation("Single_GPN/2009/page_70.pdf-4")
    # the lead-in: "... business acquisitions (in thousands):"
    assert answers[2].value is not None and answers[2].value.number == Decimal("17627000")
    assert answers[3].value is not None and answers[3].value.number == Decimal("18658000")
    assert answers[3].program == "add(add(13536000, 4091000), 1031000)"
    assert answers[3].citations[-1].row == "contract-based intangible assets"


def test_the_earlier_measure_by_fewer_of_its_words_is_the_same_measure() -> None:
    """'what was the price in 2011?' after 'what was the price of lkq corporation in 2016?':
    "the price" names no row of the graph; it is the earlier measure, LKQ's line, in 2011."""
    answers, _ = _conversation("Single_LKQ/2016/page_26.pdf-1")
    first, again, difference = answers[:3]
    assert first.value is not None and first.value.number == Decimal("204")
    assert again.status == "answered" and again.value is not None
    assert again.value.number == Decimal("100")
    assert again.answer == "lkq corporation was 100 as of December 31, 2011."
    assert [c.as_printed for c in again.citations] == ["100"]
    assert difference.value is not None and difference.value.number == Decimal("104")
    assert difference.program == "subtract(204, 100)"


def test_a_whole_or_another_operation_is_not_the_earlier_measure_shortened() -> None:
    """'the full total of notes payable' after the notes payable of commercial paper asks for
    the whole, and 'the net change added to the 2007 costs' for more than the costs: neither
    takes the earlier measure (the first is the table's total line, not the part; the second
    is the change and the costs, both given before, added)."""
    notes, _ = _conversation("Double_GIS/2012/page_64.pdf")
    assert notes[1].value is not None and notes[1].value.number == Decimal("412")
    # the whole: the "total" line in the notes payable column, not the part again
    assert notes[2].value is not None and notes[2].value.number == Decimal("526.5")
    assert [(c.row, c.column) for c in notes[2].citations] == [
        ("total", "may 27 2012 notes payable")
    ]
    # "how much, then, in relation to this total did that amount represent?"
    assert notes[3].program == "divide(412, 526.5)"
    costs, _ = _conversation("Single_MRO/2007/page_149.pdf-2")
    assert costs[1].value is not None and costs[1].value.number == Decimal("1654")
    assert costs[2].value is not None and costs[2].value.number == Decimal("2057")
    assert costs[2].program == "add(subtract(1654, 1251), 1654)"


def test_debt_due_in_two_years_is_read_off_a_schedule_of_maturities() -> None:
    """A table of years alone ("2004 | 503,215") under "the annual long-term debt maturities
    ... are as follows:": "long-term debt due in 2004 and 2005" is its 2004 and 2005 rows
    ("due" is what a schedule of maturities says), and the turns after build on them."""
    answers, _ = _conversation("Single_ETR/2003/page_84.pdf-2")
    both, third, three = answers[:3]
    assert both.value is not None and both.value.number == Decimal("965635000")
    assert [c.as_printed for c in both.citations] == ["503,215", "462,420"]
    assert third.value is not None and third.value.number == Decimal("75896000")
    assert three.value is not None and three.value.number == Decimal("1041531000")


def test_a_printed_free_cash_flow_line_and_that_same_year() -> None:
    """A table that prints its own "free cash flow" line (cash from operations less investing
    less dividends, figures without a currency sign) answers with that line, not with
    operating cash flow less capital expenditures; "in that same year" is the year before."""
    answers, _ = _conversation("Double_UNP/2015/page_24.pdf")
    free, operating = answers[:2]
    assert free.status == "answered" and free.value is not None
    assert free.value.number == Decimal("524")
    assert [c.as_printed for c in free.citations] == ["524"]
    assert operating.answer == "cash provided by operating activities was 7,344 in FY2015."


def test_the_net_change_divided_by_a_years_value_names_two_earlier_results() -> None:
    """'the net change' is the difference given before, 'the 2006 value' the one figure read
    for 2006; nothing is looked up again."""
    answers, _ = _conversation("Single_JPM/2007/page_33.pdf-2")
    change, ratio = answers[2], answers[3]
    assert change.program == "subtract(6635, 5520)"
    assert ratio.value is not None and ratio.value.unit == "ratio"
    assert ratio.value.number == Decimal("0.2019927536231884057971014492753623")
    assert ratio.program == "divide(subtract(6635, 5520), 5520)"
    assert ratio.answer == "0.20: 1,115 ÷ 5,520."
    assert [c.as_printed for c in ratio.citations] == ["6,635", "5,520"]


def test_the_ratio_times_the_years_value() -> None:
    answers, _ = _conversation("Single_PPG/2011/page_70.pdf-1")
    product = answers[4]
    assert product.value is not None and product.value.unit == "USD"
    assert product.value.number == Decimal("24923076.92307692307692307692280000")
    assert product.program == "multiply(divide(36000000, 52000000), 36000000)"
    assert [c.as_printed for c in product.citations] == ["$36 million", "$52 million"]


def test_that_amount_in_relation_to_this_purchase_price_is_the_earlier_over_the_last() -> None:
    """'that amount' (the goodwill) in relation to 'this purchase price' (the turn just asked
    about the purchase price): the bare 'that' is the result before the one the words name."""
    answers, _ = _conversation("Double_EW/2016/page_79.pdf")
    share = answers[2]
    assert share.value is not None and share.value.unit == "percent"
    assert share.value.number == Decimal(258900000) / Decimal(320100000) * 100
    assert share.program == "divide(258900000, 320100000)"
    assert share.answer == "80.9%: $258.9 million ÷ $320.1 million, in percent."


def test_that_divided_by_a_named_figure_looks_the_figure_up() -> None:
    """'what is that divided by the 2007 net revenues?': the change just given over the figure
    the words name, read as a question of its own."""
    answers, _ = _conversation("Single_ETR/2008/page_355.pdf-1")
    ratio = answers[1]
    assert ratio.value is not None
    assert ratio.value.number == Decimal("0.09393939393939393939393939393939394")
    assert ratio.program == "divide(subtract(252700000, 231000000), 231000000)"
    assert ratio.answer == "0.09: $21.7 million ÷ $231.0 million (the 2007 net revenues)."


def test_an_amount_times_a_thousand_is_restated_in_the_next_scale() -> None:
    """'$2.5 billion' times 1000 is the amount in millions ($2,500 million), not $2,500 billion;
    divided by the next figure it is still $2.5 billion."""
    answers, _ = _conversation("Single_IP/2009/page_37.pdf-2")
    restated, ratio = answers[:2]
    assert restated.value is not None and restated.value.number == Decimal(2500000000)
    assert restated.value.display == "$2,500 million"
    assert restated.program is None
    assert [c.as_printed for c in restated.citations] == ["$2.5 billion"]
    assert ratio.value is not None and ratio.value.unit == "ratio"
    assert ratio.value.number == Decimal("0.7824726134585289514866979655712050")
    assert ratio.program == "divide(2500000000, 3195000000)"


def test_the_total_for_these_three_years_adds_a_sum_and_the_third_year() -> None:
    answers, _ = _conversation("Single_BDX/2018/page_82.pdf-4")
    assert answers[2].program == "add(137, 138)"
    three = answers[4]
    assert three.value is not None and three.value.number == Decimal(388)
    assert three.program == "add(add(137, 138), 113)"
    assert [c.as_printed for c in three.citations] == ["137", "138", "113"]
    every, _ = _conversation("Single_JPM/2018/page_110.pdf-1")
    assert every[4].value is not None and every[4].value.number == Decimal(665598)
    assert every[4].program == "add(add(228681, 200247), 236670)"


def test_an_increase_as_a_percent_of_losses_is_of_their_size() -> None:
    """Losses printed (6,826): the increase as a percent of them is 37.7%, not -37.7%."""
    answers, _ = _conversation("Double_PM/2015/page_127.pdf")
    percent = answers[3]
    assert percent.value is not None and percent.value.unit == "percent"
    assert percent.value.number == Decimal(2576) / Decimal(6826) * 100
    assert percent.program == "divide(subtract(9402, 6826), 6826)"


def test_a_stated_amount_over_a_tables_unstated_units_is_refused() -> None:
    """'$30.2 million' against a table whose units the ingester did not read (475,288, in
    thousands by its lead-in): no ratio of the two is given."""
    answers, _ = _conversation("Single_ETR/2002/page_86.pdf-3")
    assert answers[1].status == "not_found" and answers[1].value is None


def test_a_change_in_relation_to_its_years_figure_uses_the_changes_own_figure() -> None:
    answers, _ = _conversation("Double_HII/2017/page_104.pdf")
    percent = answers[1]
    assert percent.value is not None
    assert percent.value.number == Decimal(-4) / Decimal(19) * 100
    assert percent.program == "divide(subtract(15000000, 19000000), 19000000)"


def test_a_sum_of_figures_from_different_sentences_is_refused() -> None:
    """'The total of intangible assets': goodwill's $3.4 million in one sentence and another
    sentence's figure are no parts of one total (the filing prints $8.5 million of intangible
    assets elsewhere); and the turns built on it are refused in turn."""
    answers, _ = _conversation("Double_SNPS/2006/page_69.pdf")
    total, thousands = answers[:2]
    assert total.status == "not_found" and total.value is None
    assert total.answer.startswith("The figures found for “the intangible assets” come from")
    assert thousands.status == "not_found" and thousands.value is None


def test_the_specific_value_again_is_the_measure_in_that_year() -> None:
    answers, _ = _conversation("Single_MO/2012/page_44.pdf-3")
    again = answers[1]
    assert again.value is not None and again.value.number == Decimal("734.6")
    assert [c.as_printed for c in again.citations] == ["734.6"]


def test_then_between_commas_names_nothing() -> None:
    """'what was, then, the combined total of both short-term borrowings and current portion
    of long-term debt in 2016?': "then" is a connective, not a line; and "that combined
    total in relation to this total debt" is the sum over the figure just read."""
    answers, _ = _conversation("Single_APD/2016/page_96.pdf-2")
    combined, share = answers[2], answers[4]
    assert combined.value is not None and combined.value.number == Decimal("1307.1")
    assert combined.program == "table_sum(935.8, 371.3)"
    assert share.value is not None and share.value.unit == "percent"
    assert share.program == "divide(table_sum(935.8, 371.3), 6225.2)"


def test_that_performance_value_in_a_year_is_the_changes_own_figure() -> None:
    """'this change in relation to that performance value in 2012': the change's own figure of
    2012 (the graph's base of 100), though no turn read it alone."""
    answers, _ = _conversation("Single_TSCO/2017/page_31.pdf-2")
    share = answers[1]
    assert share.value is not None and share.value.number == Decimal("111.6700")
    assert share.program == "divide(subtract(211.67, 100), 100)"
    assert [c.as_printed for c in share.citations] == ["211.67", "100"]


def test_the_one_in_another_year_is_the_same_measure_in_that_year() -> None:
    """ "how much does the fuel surcharge revenue in 2014 represent in relation to the one in
    2013?": "the one" is the fuel surcharge revenue, read for each year from one sentence."""
    answers, _ = _conversation("Single_UNP/2014/page_25.pdf-1")
    ratio = answers[0]
    assert ratio.value is not None
    assert ratio.value.number == Decimal("1.076923076923076923076923076923077")
    assert ratio.program == "divide(2800000000, 2600000000)"
    assert [c.as_printed for c in ratio.citations] == ["$2.8 billion", "$2.6 billion"]


def test_the_total_one_is_the_total_of_the_noun_named_before() -> None:
    """ "what percentage did the tier 2 capital represent in relation to the total one?": the
    total capital, not the total tier 2 capital."""
    answers, _ = _conversation("Double_JPM/2008/page_85.pdf")
    share = answers[0]
    assert share.program == "divide(48616, 184720)"
    assert share.answer == (
        "total tier 2 capital was 26.3% of total capital (48,616 in FY2008 and 184,720 in FY2008)."
    )


def test_a_one_that_names_no_line_is_not_read_as_the_months_row() -> None:
    """ "the october total value ... the november one": the values worked out before (shares
    times price), which were refused; the months' rows of share counts do not answer."""
    answers, _ = _conversation("Single_IPG/2008/page_21.pdf-1")
    assert [a.status for a in answers[:3]] == ["not_found", "not_found", "not_found"]


def test_a_rise_in_a_named_year_dates_the_figures_it_went_from_and_to() -> None:
    """ "the increase in earnings in 2002 for non-utility nuclear from $128 million to $201
    million": $128 million is 2001's, $201 million 2002's."""
    answers, _ = _conversation("Single_ETR/2002/page_24.pdf-1")
    change = answers[0]
    assert change.value is not None and change.value.number == Decimal("73000000")
    assert change.program == "subtract(201000000, 128000000)"
    assert [(c.column, c.as_printed) for c in change.citations] == [
        ("FY2002", "$201 million"),
        ("FY2001", "$128 million"),
    ]


def test_another_year_of_a_sentence_that_lists_the_years() -> None:
    """ "and in 2016?" after $11 million read off "... of $11 million and $8 million as of
    december 31, 2017 and 2016, respectively": the same sentence's 2016 figure, though the
    follow-up's two words leave the fitted confidence under its threshold."""
    answers, _ = _conversation("Single_HII/2017/page_104.pdf-2")
    first, again, change, repeated = answers[:4]
    assert first.value is not None and first.value.number == Decimal("11000000")
    assert again.value is not None and again.value.number == Decimal("8000000")
    assert [(c.column, c.as_printed) for c in again.citations] == [("FY2016", "$8 million")]
    assert change.program == "subtract(11000000, 8000000)"
    assert repeated.value is not None and repeated.value.number == Decimal("8000000")


def test_a_line_named_in_full_wins_over_a_sentence_for_its_dollars() -> None:
    """ "what was the value of inventories in 2018?": the table's "inventories" line (printed
    without a unit), not "inventories valued under the lifo method comprised $1.57 billion";
    the follow-up for 2017 carries the measure and is not read off that sentence either."""
    answers, _ = _conversation("Single_LLY/2018/page_63.pdf-1")
    first, other_year, change = answers[:3]
    assert first.value is not None and first.value.number == Decimal("4111.8")
    assert [(c.row, c.column) for c in first.citations] == [("inventories", "2018")]
    assert other_year.status == "not_found"
    assert change.program == "subtract(4111.8, 4458.3)"


def test_a_line_with_words_of_its_own_does_not_displace_the_sentence() -> None:
    """ "catastrophe losses and related reinstatement premiums" (points of a loss ratio) is no
    answer for the catastrophe losses in 2008: the sentence's $567 million is."""
    answers, _ = _conversation("Single_CB/2010/page_88.pdf-2")
    losses = answers[1]
    assert losses.value is not None and losses.value.number == Decimal("567000000")
    assert [c.as_printed for c in losses.citations] == ["$567 million"]


def test_a_percentage_asked_for_is_said_once() -> None:
    """ "..., in percentage?": the figure shown as asked leads the answer, and the computed
    answer's own rounding of it ("30.6%") is not said after it."""
    answers, _ = _conversation("Single_FIS/2007/page_94.pdf-3")
    share = answers[4]
    assert share.program == "divide(subtract(106400000, 81500000), 81500000)"
    assert share.answer == (
        "30.55% (in percent, as asked): the difference, $24.9 million, over $81.5 million."
    )
    assert share.value is not None and share.value.display == "30.55%"


def test_a_graph_with_a_footnote_row_is_still_a_graph() -> None:
    """Ball's performance graph carries two copyright lines flattened into rows ("... | -9 |
    -9 | ..."); its three lines from 100 still make it a graph, so "the price of ball
    corporation" is its line, and "less an initial $100 investment" takes the base off."""
    answers, _ = _conversation("Single_BLL/2010/page_28.pdf-1")
    price, less, over = answers
    assert price.value is not None and price.value.number == Decimal("178.93")
    assert [(c.row, c.column) for c in price.citations] == [("ball corporation", "12/31/10")]
    assert less.program == "subtract(178.93, 100)"
    assert less.answer == "78.93: the earlier answer, 178.93, − 100."
    assert over.program == "divide(subtract(178.93, 100), 100)"


def test_the_difference_of_two_lines_changes_is_not_one_lines_change() -> None:
    """ "what is the difference of the e*trade percent change and the s&p percent change?":
    refused, not answered with e*trade's change alone."""
    answers, _ = _conversation("Single_ETFC/2014/page_26.pdf-4")
    first, last = answers[0], answers[-1]
    assert first.program == "subtract(137.81, 100)"
    assert last.status == "not_found"
    assert last.answer == (
        "The question asks for the difference of two changes; crossfoot found the figures of "
        "one line only (“e*trade financial corporation”), so it does not answer."
    )
