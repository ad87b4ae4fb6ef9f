"""Arithmetic on a conversation's earlier answers: "what is that times 100?", "what is the sum
divided by 2?", "and what was the average between them?", "what is the total sum including all
3 years?".

The conversation keeps each answer's value and program (:attr:`Conversation.results`) and the
figures it used (:attr:`Conversation.figures`). A question that names an earlier result and an
operation with a number the user gives is computed on the calculator from that result, and cites
the figures the result came from; nothing is looked up again. An earlier answer in percent
times or divided by a number is taken as its fraction (12.5% as 0.125), the way "that times
100" is meant.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from ingest.models import Fact

from . import instructions
from .calculator import PERCENT, RATIO, Quantity, Step, plain, render, run, to_percent
from .compose import cite, display, figure_name, not_found, quantity
from .errors import CalculationError
from .instructions import Instructions
from .models import Answer, Conversation, Value
from .periods import YEAR
from .search import tokens

_NUMBER = r"(-?\d[\d,]*(?:\.\d+)?|-?\.\d+)"
_OPS = {
    "times": "multiply",
    "multiplied by": "multiply",
    "x": "multiply",
    "divided by": "divide",
    "over": "divide",
    "plus": "add",
    "minus": "subtract",
    "less": "subtract",
}
_SIGNS = {"multiply": "×", "divide": "÷", "add": "+", "subtract": "−"}
# "what is that times 100?", "and what is the sum divided by 2?", "what is that difference
# divided by 100?": an earlier result, an operation, a number the user gives
_CONSTANT = re.compile(
    r"(?:and |so |then |ok,? |okay,? )?(?:what is|what's|what was|what would be|how much is)\s+"
    r"(?:that|this|it|the)(?: total| net)?"
    r"(?: (?:sum|total|difference|change|result|value|amount|ratio|average|product|quotient"
    r"|number|figure))?(?: value| amount)?,?\s+(?:then,?\s+)?"
    rf"(times|multiplied by|divided by|over|plus|minus|less|x)\s+{_NUMBER}(?:,? then)?\s*\??",
    re.IGNORECASE,
)
# "what is the value of Loews common stock in 2011 less 100?", "what is the value of North
# American net sales in 2008 times 1000?": one figure asked for, then a number the user gives
_TRAILING_CONSTANT = re.compile(
    r"(?P<rest>(?:what|how much)\b.*?\S),?\s+(?P<op>times|multiplied by|divided by|plus|minus|less)"
    r"\s+(?:(?:an?|the) (?:initial )?(?:investment|base|amount) of\s+)?"
    rf"\$?{_NUMBER}(?!\s*(?:%|percent|thousand|million|billion))\s*\??",
    re.IGNORECASE,
)
# "what is that less the value of assets held for sale?": the answer before and another
# figure, named (not a number given)
_WITH_ANOTHER = re.compile(
    r"(?:and |so |then )?(?:what is|what's|what was|what would be) (?:that|this|it)"
    r"(?: value| amount| result)?,?\s+(?:less|minus|plus|times|multiplied by|divided by)\s+"
    r"(?!\$?-?\.?\d)(?:the |an? )?(?:value|amount|total|sum|number|figure)\b",
    re.IGNORECASE,
)
_SCALE_ASKED = r"(?:,? in (?P<scale>thousands|millions|billions))?"
# "and what was the average between them?": the two figures just given; nothing else named
_AVERAGE_TWO = re.compile(
    r"(?:and |so |then )?(?:what is|what's|what was|what would be)(?:,? then,?)? the average"
    rf"(?: \w+)? (?:between|of) (?:them|those|these|the two|both)(?: values| figures)?"
    rf"{_SCALE_ASKED}",
    re.I,
)
# "so what was the average during this time?" after a sum: the sum over its figures' count
_AVERAGE_SUM = re.compile(
    r"(?:and |so |then )?(?:what is|what's|what was|what would be)(?:,? then,?)? the average"
    r"(?: (?:during|over|for|in|across|between) (?:this|that|the|those|these) "
    r"(?:time|period|span|(?:two|three|four|five|[2-9]) years))?"
    rf"{_SCALE_ASKED}",
    re.I,
)
# "what is the total sum including all 3 years?": the three figures just given
_SUM_THREE = re.compile(
    r"(?:and |so |then )?(?:what is|what's|what was|what would be)(?:,? then,?)? the "
    r"(?:total )?(?:sum|total) (?:including|of|for) all (?:3|three)(?: years| values)?"
    rf"{_SCALE_ASKED}",
    re.I,
)


# "what is the percent change?", "what percentage change does this represent?" after a
# difference: that difference over the figure it was taken from
_PERCENT_CHANGE = re.compile(
    r"(?:and |so |then )?(?:what is|what was|what's|what would be) the (?:percent(?:age)?|%) "
    r"(?:change|growth|increase|decrease|decline)(?: (?:of|in) (?:that|this|it))?\s*\??"
    r"|(?:and )?what (?:percent(?:age)?) (?:change|growth|increase|decrease|decline) "
    r"(?:does|did) (?:this|that|it) represent\s*\??",
    re.IGNORECASE,
)
# "and how much does that change represent in relation to this 2010 value?", "what is this
# increase as a percent of the 2014 losses?": a difference related to a figure, said or not
_RELATIVE = re.compile(
    r"\b(?:percent(?:age)?|in relation to|relative to|represent|as a (?:portion|proportion|share"
    r"|fraction) of|over (?:the|that|this))\b|%",
    re.IGNORECASE,
)
# words that name no other figure: the difference, its base, the time it spans
_RELATION_WORDS = frozenset(
    tokens(
        "percent percentage change changes increase increases decrease decline growth difference "
        "variation fluctuation net value amount time period year years span represent "
        "relation relative portion proportion share fraction initial original earlier first base "
        "starting prior previous during over this that these those what how much does did do is "
        "was were so and then the of in to as a rate"
    )
)
# "that balance", "that amount of guarantees", "those costs" before a year, a comma or the end:
# the figure already given, named again
_POINTED = re.compile(
    r"\b(?:that|those)\s+(?:[a-z&/-]+\s+){0,3}?[a-z&/-]+(?=\s+in\s+(?:19|20)\d\d\b|\s*[,?]|\s*$)",
    re.IGNORECASE,
)
_POINTABLE = frozenset(
    tokens("balance amount value figure total number sum cost costs level one ones them")
)
_SUMS = ("add(", "table_sum(")  # the programs of a sum just given
_SUBTRACTION = re.compile(rf"subtract\({_NUMBER}, {_NUMBER}\)")
# "what is the change over 2018?" names a year, no number
_FALL = re.compile(r"\b(?:decline|declines|decrease|decreases|drop|fall|fell|reduction)\b", re.I)

# "what is the net change?", "so what was the difference between the two years?", "what was,
# then, the increase over the year?", "what is the sum of those 2 years?", "combined, what was
# the total for the two years?": the two figures just given, differenced or added; no other
# figure named (every word is one of these)
_TWO_WORDS = frozenset(
    tokens(
        "and so then what is was were the a net change changes difference differences increase "
        "decrease variation vary varied fluctuation fluctuate by how much did do does it they "
        "this that these those them two 2 both over between in of value values amount amounts "
        "figure figures number numbers year years period periods time span during from to "
        "price prices rate rates sum total combined together add added up both segment segments"
    )
)
_DIFFERENCE_WORDS = re.compile(
    r"\b(?:change|changes|difference|differences|increase|increased|decrease|decreased|"
    r"variation|vary|varied|fluctuation)\b",
    re.I,
)
_BOTH = re.compile(r"\b(?:two|both|2|these|those|them|combined|together)\b", re.I)
_SUM_WORDS = re.compile(r"\b(?:sum|total|combined|together)\b", re.I)

# "what is this change as a percentage of ...", "and what is that in billions?": a question
# built on the answer before it
_POINTS_BACK = re.compile(
    r"\b(?:this|that) (?:change|difference|increase|decrease|decline|growth|sum|result)\b"
    r"|^(?:and |so |then )?(?:what is|what's|how much is|what was) (?:that|this|it)"
    r"(?:$|,|\s+(?:in (?:dollars|thousands|millions|billions)|as|over|times|divided|less|plus|minus"
    r"|value|amount|figure|number|percent|percentage|worth|then)\b)"
    r"|\bbetween (?:the|these|those) two\b|\b(?:the|these|those) two (?:values|figures|amounts"
    r"|results)\b",
    re.IGNORECASE,
)
# "and what is that?" (what is left of "and what is that in billions?" once the instruction
# is read): the answer before, restated
_RESTATE = re.compile(
    r"(?:and |so |then )?(?:what is|what's|how much is|what was) (?:that|this|it)"
    r"(?: value| amount| figure)?(?:,? in (?P<scale>thousands|millions|billions))?",
    re.IGNORECASE,
)


NOT_GIVEN = ("", "", "")  # a refused turn's result
IN_WORDS = ("", "words", "")  # an answer without a value: a passage, a listing


def _answered(
    question: str,
    value: Value,
    said: str,
    program: str | None,
    cited: Sequence[Fact],
    kind: str,
) -> Answer:
    """A follow-up's answer: its value, the words said, the program run, and the figures it
    used, each cited."""
    return Answer(
        question=question,
        status="answered",
        answer=said,
        value=value,
        program=program,
        citations=tuple(cite(f) for f in cited),
        operands=tuple(cited),
        kind=kind,
    )


def result_of(answer: Answer) -> tuple[str, str, str]:
    """What a conversation keeps of an answer: its value, unit and program ("" if none);
    :data:`NOT_GIVEN` for a refusal, :data:`IN_WORDS` for an answer without one value."""
    if answer.status != "answered":
        return NOT_GIVEN
    if answer.value is None:
        return IN_WORDS
    return (plain(answer.value.number), answer.value.unit, answer.program or "")


def answer(
    question: str, conversation: Conversation, facts: Callable[[str], Fact | None]
) -> Answer | None:
    """The answer computed from earlier results, when the question asks for one; None when
    it does not, or when the results it needs were not given (a refused turn)."""
    asked = " ".join(question.split()).rstrip("?").strip()
    if _POINTS_BACK.search(asked) and conversation.results[-1:] == (NOT_GIVEN,):
        return not_found(
            question,
            "This builds on the answer before it, which crossfoot did not give; ask for the "
            "figures themselves.",
        )
    if (said := _RESTATE.fullmatch(asked)) and (
        restated := _restated(question, conversation, facts, said.group("scale"))
    ):
        return restated
    if (match := _CONSTANT.fullmatch(asked)) and not YEAR.fullmatch(match.group(2)):
        op, number = _OPS[match.group(1).lower()], Decimal(match.group(2).replace(",", ""))
        return _computed(question, conversation, op, Quantity.constant(number), facts)
    if _WITH_ANOTHER.match(asked):
        return not_found(
            question,
            "This combines the answer before with another figure the question names; ask for "
            "the two figures, or the calculation, in one question.",
        )
    if conversation.results and (_PERCENT_CHANGE.fullmatch(asked) or _RELATIVE.search(asked)):
        found = _percent_change(question, conversation, facts)
        if found is not None:
            return found
    if _AVERAGE_TWO.fullmatch(asked):
        return _combined(question, conversation, 2, facts)
    if _AVERAGE_SUM.fullmatch(asked):
        return _sum_averaged(question, conversation, facts)
    if _SUM_THREE.fullmatch(asked):
        return _combined(question, conversation, 3, facts)
    return None


def _restated(
    question: str,
    conversation: Conversation,
    facts: Callable[[str], Fact | None],
    scale: str | None = None,
) -> Answer | None:
    """The answer before, its value and citations again, in the scale asked ("in billions")."""
    number, unit, ran = conversation.results[-1]
    earlier = _earlier(conversation, [-1])
    if earlier is None or (cited := _cited(earlier, facts)) is None:
        return None
    value = Decimal(number)
    shown = display(value, unit)
    if scale:
        shown = instructions.shown(value, unit, Instructions("", scale=scale.lower())) or shown
    return _answered(
        question,
        Value(value, unit, shown),
        f"{shown}: the earlier answer.",
        ran or None,
        cited,
        "followup",
    )


def _earlier(
    conversation: Conversation, turns: Sequence[int], fraction: bool = False
) -> list[Quantity] | None:
    """The results of the given turns (negative: counted back) as quantities citing the
    figures each used (a percent as its fraction, if asked); None when any turn was refused,
    answered in words or used no figure."""
    out = []
    for turn in turns:
        if len(conversation.results) < -turn or len(conversation.figures) < -turn:
            return None
        number, unit, _ = conversation.results[turn]
        ids = conversation.figures[turn]
        if not number or not ids:
            return None
        value = Decimal(number)
        if fraction and unit == PERCENT:
            value, unit = value / 100, RATIO
        out.append(Quantity(value, unit, tuple(ids)))
    return out


def _cited(
    quantities: Sequence[Quantity], facts: Callable[[str], Fact | None]
) -> list[Fact] | None:
    """The figures the quantities came from; None when one cannot be found (never answer a
    figure without its source)."""
    found = [facts(i) for q in quantities for i in q.citations]
    if any(not q.citations for q in quantities) or any(f is None for f in found):
        return None
    return list(dict.fromkeys(f for f in found if f is not None))


def trailing_constant(question: str) -> tuple[str, str, Decimal] | None:
    """(the question for one figure, the operation, the number) of a question that asks for
    a figure and then an operation with a number it gives ("… in 2011 less 100?"), or None."""
    asked = " ".join(question.split())
    match = _TRAILING_CONSTANT.fullmatch(asked)
    if match is None or YEAR.fullmatch(match.group(3)):
        return None
    if re.fullmatch(
        r"(?:what|how much)(?: is| was)?(?: that| this| it| \$?[\d,.]+)?", match.group("rest"), re.I
    ):
        return None  # "what is 100000 divided by 100?", "what is that less 100?": no figure named
    number = Decimal(match.group(3).replace(",", ""))
    return f"{match.group('rest')}?", _OPS[match.group("op").lower()], number


def _given(op: str, number: Decimal, unit: str, cited: Sequence[Fact]) -> Quantity:
    """The number a question gives as an operand: a plain factor to multiply or divide by; to
    add or take off, an amount in the figure's unit ("the index in 2011 less 100"), but only
    when every figure is read as printed (no "in millions" to say what "100" is in)."""
    if op in ("add", "subtract") and all(f.scale is None for f in cited):
        return Quantity(number, unit)
    return Quantity.constant(number)


def with_constant(question: str, read: Answer, op: str, number: Decimal) -> Answer | None:
    """One figure read (``read``, a lookup), then the operation with the number the question
    gives: its citation is the figure's."""
    if read.status != "answered" or read.value is None or len(read.operands) != 1:
        return None
    fact = read.operands[0]
    try:
        result = run(Step(op, (quantity(fact), _given(op, number, fact.unit, [fact]))))
    except CalculationError:
        return None
    shown = display(result.value, result.unit)
    said = f"{shown}: {read.value.display} ({figure_name(fact)}) {_SIGNS[op]} {plain(number)}."
    program = f"{op}({plain(fact.value)}, {plain(number)})"
    return _answered(
        question, Value(result.value, result.unit, shown), said, program, [fact], "followup"
    )


def _computed(
    question: str,
    conversation: Conversation,
    op: str,
    constant: Quantity,
    facts: Callable[[str], Fact | None],
) -> Answer | None:
    """The answer just given, then the operation with the number asked."""
    earlier = _earlier(conversation, [-1], fraction=op in ("multiply", "divide"))
    if earlier is None:
        return None
    cited = _cited(earlier, facts)
    if cited is None:
        return None
    previous = earlier[0]
    try:
        result = run(Step(op, (previous, _given(op, constant.value, previous.unit, cited))))
    except CalculationError:
        return None
    number, unit, ran = conversation.results[-1]
    before = ran or plain(previous.value)
    shown = display(result.value, result.unit)
    said = (
        f"{shown}: the earlier answer, {display(Decimal(number), unit)}, "
        f"{_SIGNS[op]} {plain(constant.value)}."
    )
    return _answered(
        question,
        Value(result.value, result.unit, shown),
        said,
        f"{op}({before}, {plain(constant.value)})",
        cited,
        "followup",
    )


def _percent_change(
    question: str, conversation: Conversation, facts: Callable[[str], Fact | None]
) -> Answer | None:
    """A difference just given over the figure it was taken from, in percent: the later
    period's figure less the earlier's, over the earlier's (two figures of one period: the
    difference as computed, over its second figure). None when the last answer was no
    difference of two figures. The difference may be the answer before last when the last
    one read its base again ("what is the net change?", "what is the cost in 2016?", "what
    percentage change does this represent?")."""
    turn = -1
    if len(conversation.results) >= 2 and not conversation.results[-1][2]:
        turn = -2  # a figure read as printed: its base, if the answer before is a difference
    ran = conversation.results[turn][2]
    taken = _SUBTRACTION.fullmatch(ran)
    earlier = _earlier(conversation, [turn])
    if taken is None or earlier is None or (cited := _cited(earlier, facts)) is None:
        return None
    first, second = (Decimal(taken.group(k).replace(",", "")) for k in (1, 2))
    a = next((f for f in cited if f.value == first), None)
    b = next((f for f in cited if f.value == second and f is not a), None)
    if a is None or b is None:
        return None
    later, base = a, b
    if a.period and b.period and a.period.end != b.period.end:
        later, base = sorted((a, b), key=lambda f: f.period.end if f.period else date.min)[::-1]
    if turn == -2 and conversation.results[-1][0] != plain(base.value):
        return None
    # the question may name the base ("the 2014 losses") and its years, never another figure
    period = base.period
    dated = f"{base.column} {period.label} {period.start} {period.end}" if period else base.column
    known = set(tokens(" ".join([*base.row_path, base.row or "", base.column or ""])))
    years = set(YEAR.findall(question))
    # "in relation to that balance in 2016": words a demonstrative points back with, when
    # they are generic or the base's own ("that revenue" names another figure)
    pointed = _POINTED.sub(
        lambda m: " " if set(tokens(m.group(0))) <= _POINTABLE | known else m.group(0), question
    )
    if set(tokens(pointed)) - _RELATION_WORDS - known or years - set(YEAR.findall(dated or "")):
        return None
    if _FALL.search(question) and later.value < base.value:
        # "this decline as a portion of the 2007 total": the fall's size, over the base
        change = Step("subtract", (quantity(base), quantity(later)))
    else:
        change = Step("subtract", (quantity(later), quantity(base)))
    try:
        result = to_percent(run(Step("divide", (change, quantity(base)))))
        difference = run(change)
    except CalculationError:
        return None
    shown = display(result.value, result.unit)
    return _answered(
        question,
        Value(result.value, result.unit, shown),
        f"{shown}: the difference, {display(difference.value, difference.unit)}, over "
        f"{display(base.value, base.unit)}.",
        render(Step("divide", (change, quantity(base)))),
        (later, base),
        "growth",
    )


def _combined(
    question: str, conversation: Conversation, count: int, facts: Callable[[str], Fact | None]
) -> Answer | None:
    """The sum of three figures or the average of two, from the turns just answered: each a
    figure read as printed, or a sum of printed figures (its figures count as many)."""
    turns: list[int] = []
    covered = 0
    for turn in range(-1, -len(conversation.results) - 1, -1):
        if len(conversation.figures) < -turn:
            return None
        ran = conversation.results[turn][2]
        if ran and not ran.startswith(_SUMS):
            return None  # a computed figure that is no sum: it may already hold the others
        covered += len(conversation.figures[turn]) if ran else 1
        turns.insert(0, turn)
        if covered >= count:
            break
    if covered != count:
        return None
    earlier = _earlier(conversation, turns)
    if earlier is None:
        return None
    cited = _cited(earlier, facts)
    if cited is None:
        return None
    total: Step | Quantity = earlier[0]
    for more in earlier[1:]:
        total = Step("add", (total, more))
    program = Step("divide", (total, Quantity.constant(2))) if count == 2 else total
    # the program as the earlier answers ran it: "add(table_sum(290.6, 303.1), 314.7)"
    parts = [
        conversation.results[t][2] or plain(q.value) for t, q in zip(turns, earlier, strict=True)
    ]
    written = parts[0]
    for part in parts[1:]:
        written = f"add({written}, {part})"
    if count == 2:
        written = f"divide({written}, 2)"
    try:
        result = run(program)
    except CalculationError:
        return None
    shown = display(result.value, result.unit)
    figures = ", ".join(display(q.value, q.unit) for q in earlier)
    word = "average" if count == 2 else "sum"
    return _answered(
        question,
        Value(result.value, result.unit, shown),
        f"The {word} of the figures just given ({figures}) is {shown}.",
        written,
        cited,
        word,
    )


def _sum_averaged(
    question: str, conversation: Conversation, facts: Callable[[str], Fact | None]
) -> Answer | None:
    """The sum just given over the number of figures it added; None when the answer before
    is no sum of figures as printed."""
    number, unit, ran = conversation.results[-1]
    earlier = _earlier(conversation, [-1])
    if not ran or "(" in re.sub(r"\b(?:add|table_sum)\(", "", ran):
        return None  # a sum of figures as printed only: "add(table_sum(303.1, 290.6), 314.7)"
    if earlier is None or (cited := _cited(earlier, facts)) is None or len(cited) < 2:
        return None
    count = Quantity.constant(Decimal(len(cited)))
    step = Step("divide", (earlier[0], count))
    try:
        result = run(step)
    except CalculationError:
        return None
    shown = display(result.value, result.unit)
    return _answered(
        question,
        Value(result.value, result.unit, shown),
        f"{shown}: the sum just given, {display(Decimal(number), unit)}, over its "
        f"{len(cited)} figures.",
        f"divide({ran}, {len(cited)})",
        cited,
        "average",
    )


# "including 2016, what then becomes this total?", "what is the sum including the 2013 value?",
# "and including the value for 2015?": the sum just given and one more figure
_INCLUDING = re.compile(
    r"(?:and |so )?(?:(?:what is|what's|what was|what would be) the (?:total )?(?:sum|total) )?"
    r"including,?(?: then,)? (?P<what>.+?)"
    r"(?:,? what (?:then )?(?:becomes|is|would be) (?:this|that|the) total"
    r"(?: value| amount| sum| liability| of losses)?)?"
    r"(?:,? (?:also )?in (?:thousands|millions|billions))?",
    re.IGNORECASE,
)


def including(
    question: str,
    conversation: Conversation,
    facts: Callable[[str], Fact | None],
    read: Callable[[str, list[Fact]], Fact | None],
) -> Answer | None:
    """ "Including 2016, what then becomes this total?" after a sum: the sum plus the figure
    the words name, which ``read`` finds (a year of the sum's line, or a line of its own in
    the sum's period) from the phrase and the sum's figures. Refused when the answer before
    is no sum or the figure is not found, is one of the sum's or is in another unit (never
    read as a question of its own: it asks for a total); None when it is no such question."""
    asked = " ".join(question.split()).rstrip("?").strip()
    found = _INCLUDING.fullmatch(asked)
    if found is None or not conversation.results:
        return None
    what = found.group("what")
    if "," in what or re.search(r"\bwhat\b", what, re.I):
        return None  # "including 2016, what is the total revenue?": another question
    number, unit, ran = conversation.results[-1]
    earlier = _earlier(conversation, [-1])
    cited = _cited(earlier, facts) if earlier is not None else None
    if not ran.startswith(_SUMS) or earlier is None or cited is None:
        return not_found(
            question,
            "This adds a figure to the sum just given, and the answer before is no sum "
            "crossfoot gave; ask for the figures themselves.",
        )
    added = read(what, cited)
    if added is None or added.unit != unit or added.fact_id in {f.fact_id for f in cited}:
        return not_found(
            question,
            f"This adds “{what}” to the sum just given; crossfoot found no one figure for it "
            "of the sum's line and period.",
        )
    step = Step("add", (earlier[0], quantity(added)))
    try:
        result = run(step)
    except CalculationError as error:
        return not_found(question, f"That cannot be calculated: {error}.")
    shown = display(result.value, result.unit)
    return _answered(
        question,
        Value(result.value, result.unit, shown),
        f"{shown}: the sum just given, {display(Decimal(number), unit)}, and "
        f"{display(added.value, added.unit)}.",
        f"add({ran}, {plain(added.value)})",
        (*cited, added),
        "sum",
    )


_TWO_ASKED = re.compile(r"\b(?:the|those|these) (?:two|2)\b|\bboth\b", re.I)


def fewer_asked(question: str, answer: Answer) -> bool:
    """ "What was the combined total for the two years?" answered over more than two figures
    (a row's every period): the question asks about two."""
    return bool(_TWO_ASKED.search(question)) and len(answer.operands) > 2


def two_figures(
    question: str, conversation: Conversation, facts: Callable[[str], Fact | None]
) -> Answer | None:
    """ "What is the net change?", "what is the sum of those 2 years?" naming nothing else,
    when the rules found no reading: the two figures the last two turns read as printed;
    None when the question names anything else or the turns did not read two figures."""
    asked = " ".join(question.split()).rstrip("?").strip()
    words = set(tokens(asked))
    if not words or YEAR.search(asked):
        return None
    if not words <= _TWO_WORDS:
        # "combined, what was the total cost for the two years?": the lines' own words
        ids = [i for turn in conversation.figures[-2:] for i in turn]
        lines = [f for f in map(facts, ids) if f is not None and f.kind != "sentence"]
        if not words <= _TWO_WORDS | set(tokens(" ".join(p for f in lines for p in f.row_path))):
            return None
        if not _BOTH.search(asked):
            return None  # "what was the total revenue?" asks for a line, not the two figures
    differs, sums = bool(_DIFFERENCE_WORDS.search(asked)), bool(_SUM_WORDS.search(asked))
    if differs == sums:
        return None
    return _two(question, conversation, "subtract" if differs else "add", facts)


def _two(
    question: str, conversation: Conversation, op: str, facts: Callable[[str], Fact | None]
) -> Answer | None:
    """The two figures the last two turns read as printed, in one unit, differenced (the
    later period's less the earlier's; of one period, the first asked less the second) or
    added; None when either turn computed its answer or gave none."""
    if len(conversation.results) < 2 or any(r[2] for r in conversation.results[-2:]):
        return None
    earlier = _earlier(conversation, [-2, -1])
    if earlier is None or earlier[0].unit != earlier[1].unit:
        return None
    cited = _cited(earlier, facts)
    if cited is None or len(cited) != 2:
        return None
    first, second = cited
    if op == "subtract" and first.period and second.period and first.period.end < second.period.end:
        first, second = second, first  # "the change over the year": the later less the earlier
    step = Step(op, (quantity(first), quantity(second)))
    try:
        result = run(step)
    except CalculationError:
        return None
    shown = display(result.value, result.unit)
    said = "difference" if op == "subtract" else "sum"
    return _answered(
        question,
        Value(result.value, result.unit, shown),
        f"The {said} of the two figures just given ({display(first.value, first.unit)} "
        f"and {display(second.value, second.unit)}) is {shown}.",
        render(step),
        (first, second),
        said,
    )
