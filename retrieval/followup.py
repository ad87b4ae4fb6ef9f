"""Arithmetic on a conversation's earlier answers: "what is that times 100?", "what is the sum
divided by 2?", "and what was the average between them?", "what is the total sum including all
3 years?".

The conversation keeps each answer's value and program (:attr:`Conversation.results`) and the
figures it used (:attr:`Conversation.figures`). A question that names an earlier result and an
operation with a number the user gives is computed on the calculator from that result, and cites
the figures the result came from; nothing is looked up again. An earlier answer in percent
times or divided by a number is taken as its fraction (12.5% as 0.125), the way "that times
100" is meant; an amount of money times or divided by a thousand, a million or a billion is the
same amount restated in another scale ("$2.5 billion" times 1000 is "$2,500 million").

An expression may name two earlier results by what they were (:func:`referenced`): "the net
change divided by the 2006 value" (the last difference, the one figure read for 2006), "that
amount in relation to this purchase price" (the turn that asked about the purchase price), or
one earlier result and a figure of its own, looked up as a question ("that divided by the 2007
net revenues").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from ingest.models import Fact
from ingest.numbers import scale_factor

from . import instructions
from .calculator import PERCENT, RATIO, Quantity, Step, plain, render, run, to_percent
from .compose import cite, display, figure_name, not_found, quantity, rounded
from .errors import CalculationError
from .instructions import Instructions
from .models import Answer, Conversation, Value
from .periods import YEAR
from .search import tokens

_NUMBER = r"(-?\d[\d,]*(?:\.\d+)?|-?\.\d+)"
# "less an initial $100 investment", "less an assumed initial $100": a performance graph's base
_GIVEN = r"(?:(?:an?|the)\s+)?(?:assumed\s+)?(?:initial\s+)?\$?"
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
    rf"(times|multiplied by|divided by|over|plus|minus|less|x)\s+{_GIVEN}{_NUMBER}"
    r"(?:\s+(?:investment|invested))?(?:,? then)?\s*\??",
    re.IGNORECASE,
)
# "what is the value of Loews common stock in 2011 less 100?", "what is the value of North
# American net sales in 2008 times 1000?": one figure asked for, then a number the user gives
_TRAILING_CONSTANT = re.compile(
    r"(?P<rest>(?:what|how much)\b.*?\S),?\s+(?P<op>times|multiplied by|divided by|plus|minus|less)"
    r"\s+(?:(?:an?|the) (?:initial )?(?:investment|base|amount) of\s+)?"
    rf"{_GIVEN}{_NUMBER}(?!\s*(?:%|percent|thousand|million|billion))"
    r"(?:\s+(?:investment|invested))?\s*\??",
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
    r"(?:and |so |then )?(?:what is|what's|what was|what would be|what about)(?:,? then,?)? "
    r"the average"
    r"(?: (?:during|over|for|in|across|between) (?:this|that|the|those|these) "
    r"(?:time|period|span|(?:two|three|four|five|[2-9]) years))?"
    rf"{_SCALE_ASKED}",
    re.I,
)
# "what is the total sum including all 3 years?", "combined, what was the total for these
# three years?", "what is the total sum from the 4 projects?": the figures just given; "what is
# the total sum?" after a sum and one more figure: all of them
_SUM_N = re.compile(
    r"(?:combined,? |and |so |then )?(?:what is|what's|what was|what would be)(?:,? then,?)? "
    r"the (?:total |combined )?(?P<sum>sum|total)(?: (?:including|of|for|from|across|in|over) "
    r"(?:all )?(?:the |these |those )?(?P<n>[2-5]|two|three|four|five)(?: [a-z]+)?)?"
    rf"{_SCALE_ASKED}",
    re.I,
)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}


# "what is the percent change?", "what percentage change does this represent?", "so what was
# the growth rate over this time?" after a difference: that difference over the figure it was
# taken from
_PERCENT_CHANGE = re.compile(
    r"(?:and |so |then )?(?:(?:what is|what was|what's|what would be) )?(?:the|as a) "
    r"(?:(?:percent(?:age)?|%) (?:change|growth|increase|decrease|decline|reduction|drop)"
    r"|growth rate)(?: (?:of|in) (?:that|this|it))?"
    r"(?: (?:during|over|in|across) (?:this|that|the) (?:time|period|span|interval))?\s*\??"
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
        "reduction drop "
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
    question: str,
    conversation: Conversation,
    facts: Callable[[str], Fact | None],
    read: Callable[[str], Fact | None] | None = None,
) -> Answer | None:
    """The answer computed from earlier results, when the question asks for one; None when
    it does not, or when the results it needs were not given (a refused turn). ``read`` looks
    up a figure an expression names beside an earlier result (:func:`referenced`)."""
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
        return referenced(asked, conversation, facts, read) or not_found(
            question,
            "This combines the answer before with another figure the question names; ask for "
            "the two figures, or the calculation, in one question.",
        )
    if conversation.results and (_PERCENT_CHANGE.fullmatch(asked) or _RELATIVE.search(asked)):
        found = _percent_change(question, conversation, facts)
        if found is not None:
            return found
    if found := referenced(asked, conversation, facts, read):
        return found
    if _AVERAGE_TWO.fullmatch(asked):
        return _combined(question, conversation, 2, facts, "average")
    if _AVERAGE_SUM.fullmatch(asked):
        return _sum_averaged(question, conversation, facts)
    if summed := _SUM_N.fullmatch(asked):
        return _summed(question, conversation, summed, facts)
    return None


def _summed(
    question: str,
    conversation: Conversation,
    summed: re.Match[str],
    facts: Callable[[str], Fact | None],
) -> Answer | None:
    """ "The total for these three years": the sum of that many figures just given; "the
    total sum" with no count: a sum just given and the one figure read after it."""
    n = summed.group("n")
    if n:
        return _combined(question, conversation, int(_COUNTS.get(n.lower(), n)), facts, "sum")
    results = conversation.results
    if summed.group("sum").lower() != "sum" or len(results) < 2 or len(conversation.figures) < 2:
        return None  # "what was the total?" asks for a line
    if results[-1][2] or not results[-1][0] or not results[-2][2].startswith(_SUMS):
        return None
    count = len(conversation.figures[-2]) + 1
    return _combined(question, conversation, count, facts, "sum")


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
    if converted := _converted(question, quantity(fact), op, number, [fact], read.value.display):
        return converted
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


_SCALE_NAMES = {Decimal(10**3): "thousand", Decimal(10**6): "million", Decimal(10**9): "billion"}
_PRINTED_WORD = re.compile(r"\b(thousand|million|billion)s?\b", re.IGNORECASE)


def _printed_scale(cited: Sequence[Fact]) -> Decimal | None:
    """The one scale the figures are printed in (a table's "in millions", a sentence's "$2.5
    billion"; 1 for a table's own units), or None when they differ."""
    scales = set()
    for fact in cited:
        if fact.kind == "sentence":
            word = _PRINTED_WORD.search(fact.as_printed)
            scales.add(scale_factor(word.group(1) if word else ""))
        else:
            scales.add(scale_factor(fact.scale or ""))
    return scales.pop() if len(scales) == 1 else None


def _converted(
    question: str,
    amount: Quantity,
    op: str,
    number: Decimal,
    cited: Sequence[Fact],
    shown_before: str,
) -> Answer | None:
    """ "What is that times 1000?" after $2.5 billion (printed "2.5"): the same amount in
    millions, "$2,500 million", not $2,500 billion. An amount of money multiplied or divided by
    a thousand, a million or a billion is the figure as printed restated in another scale; None
    for any other operation, or when the scale it would take is none of those."""
    if amount.unit != "USD" or op not in ("multiply", "divide") or number not in _SCALE_NAMES:
        return None
    printed = _printed_scale(cited)
    if printed is None:
        return None
    target = printed / number if op == "multiply" else printed * number
    word = _SCALE_NAMES.get(target)
    if word is None:
        return None
    scaled = amount.value / target
    exponent = scaled.normalize().as_tuple().exponent
    places = min(3, -exponent) if isinstance(exponent, int) and exponent < 0 else 0
    shown = f"{'-' if scaled < 0 else ''}${rounded(abs(scaled), places)} {word}"
    said = (
        f"{shown}: the earlier answer, {shown_before}, as printed {_SIGNS[op]} {plain(number)} "
        f"(in {word}s)."
    )
    return _answered(
        question, Value(amount.value, amount.unit, shown), said, None, cited, "followup"
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
    number, unit, ran = conversation.results[-1]
    shown_before = display(Decimal(number), unit)
    if converted := _converted(question, previous, op, constant.value, cited, shown_before):
        return converted
    try:
        result = run(Step(op, (previous, _given(op, constant.value, previous.unit, cited))))
    except CalculationError:
        return None
    before = ran or plain(previous.value)
    shown = display(result.value, result.unit)
    said = f"{shown}: the earlier answer, {shown_before}, {_SIGNS[op]} {plain(constant.value)}."
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
    question: str,
    conversation: Conversation,
    count: int,
    facts: Callable[[str], Fact | None],
    word: str,
) -> Answer | None:
    """The sum or the average of ``count`` figures from the turns just answered: each a figure
    read as printed, or a sum of printed figures (its figures count as many)."""
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
    average = word == "average"
    program = Step("divide", (total, Quantity.constant(count))) if average else total
    # the program as the earlier answers ran it: "add(table_sum(290.6, 303.1), 314.7)"
    parts = [
        conversation.results[t][2] or plain(q.value) for t, q in zip(turns, earlier, strict=True)
    ]
    written = parts[0]
    for part in parts[1:]:
        written = f"add({written}, {part})"
    if average:
        written = f"divide({written}, {count})"
    try:
        result = run(program)
    except CalculationError:
        return None
    shown = display(result.value, result.unit)
    figures = ", ".join(display(q.value, q.unit) for q in earlier)
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


# ----------------------------------------------------------------------------------------
# An expression over earlier results, each named by what it was: "what is the net change
# divided by the 2006 value?", "how much does this change represent in relation to that return
# in 2009?", "what is the ratio times the 2011 value?", "what is the 2008 rider revenue divided
# by that net change?" (one side a figure of its own, looked up)

_ASK = (
    r"(?:and |so |then |ok,? |okay,? )?(?:what is|what's|what was|what were|what would be"
    r"|how much is|how much was)(?:,? then,?)?\s+"
)
_TAIL = r"(?:,? then)?(?:,? (?:in|as a) percent(?:age)?(?: terms)?)?"
# (pattern, operation, in percent): the operands are named ``a`` and ``b``
_EXPRESSIONS = tuple(
    (re.compile(pattern + _TAIL, re.IGNORECASE), op, percent)
    for pattern, op, percent in (
        (
            _ASK + r"(?:the )?ratio (?:of|between) (?P<a>.+?) (?:to|and|over|versus) (?P<b>.+?)",
            "divide",
            False,
        ),
        (_ASK + r"(?:the )?(?:sum|total) of (?P<a>.+?) and (?P<b>.+?)", "add", False),
        (
            _ASK + r"(?:the )?difference (?:between|of) (?P<a>.+?) (?:and|less|minus) (?P<b>.+?)",
            "subtract",
            False,
        ),
        (
            _ASK + r"(?P<a>.+?),? as an? (?:percent(?:age)?|portion|proportion|share|fraction) of "
            r"(?P<b>.+?)",
            "divide",
            True,
        ),
        (_ASK + r"(?P<a>.+?),? (?:divided by|divide by|over) (?P<b>.+?)", "divide", False),
        (_ASK + r"(?P<a>.+?),? (?:times|multiplied by) (?P<b>.+?)", "multiply", False),
        (_ASK + r"(?P<a>.+?),? (?:plus|added to) (?P<b>.+?)", "add", False),
        (_ASK + r"(?P<a>.+?),? (?:minus|less) (?P<b>.+?)", "subtract", False),
        (
            r"(?:and |so )?(?:how much|what percent(?:age)?|what portion|what proportion"
            r"|what fraction|what share)(?:,? (?:then|in percent(?:age)?),?)? (?:does|did|do|would)"
            r" (?P<a>.+?) represent (?:in relation to|relative to|of|out of|compared to"
            r"|compared with) (?P<b>.+?)",
            "divide",
            True,
        ),
        (
            r"(?:and |so )?(?:what percent(?:age)?|what portion|what proportion|what fraction"
            r"|how much) of (?P<b>.+?) (?:does|did|do) (?P<a>.+?) represent",
            "divide",
            True,
        ),
        (
            # "how much, then, in relation to this total did that amount represent?"
            r"(?:and |so )?(?:how much|what percent(?:age)?|what portion|what proportion)"
            r"(?:,? then,?)? (?:in relation to|relative to|compared to|compared with) (?P<b>.+?) "
            r"(?:does|did|do|would) (?P<a>.+?) represent",
            "divide",
            True,
        ),
    )
)
# the kind of result a word names, by the program that computed it
_KINDS = (
    (
        r"(?:net |total |overall )?(?:change|difference|variation|fluctuation|increase|decrease"
        r"|decline|reduction|drop)",
        ("subtract(",),
    ),
    (r"(?:total |combined |prior |previous |whole )?(?:sum|total)", ("add(", "table_sum(")),
    (r"(?:ratio|quotient|fraction)", ("divide(",)),
    (r"product", ("multiply(",)),
    (r"(?:average|mean)", ("table_average(",)),
)
_GENERIC = r"(?:value|amount|figure|number|result|one|total|balance)"
_DEMONSTRATIVE = r"(?:that|this|those|these)"
_LAST = re.compile(rf"(?:that|this|it)(?: {_GENERIC})?", re.IGNORECASE)
_OF_YEAR = re.compile(
    rf"(?:the|{_DEMONSTRATIVE}) (?:(?:beginning|starting|initial|original|base|ending) )?"
    rf"(?P<y1>{YEAR.pattern})(?: {_GENERIC})?"
    rf"|(?:the )?{_GENERIC} (?:in|for|of|at)(?: the end of)? (?P<y2>{YEAR.pattern})"
    rf"|(?:that|the one) in (?P<y3>{YEAR.pattern})",
    re.IGNORECASE,
)
# "that return in 2009", "this 2013 price", "those spendings in 2013": a demonstrative points
# back to the figure of that year, whatever it calls it
_POINTED_YEAR = re.compile(
    rf"{_DEMONSTRATIVE} (?:(?:[\w&'’.-]+ ){{0,4}}?(?:in|for|of|at) (?P<y1>{YEAR.pattern})"
    rf"|(?P<y2>{YEAR.pattern})(?: [\w&'’.-]+){{1,4}})",
    re.IGNORECASE,
)
# "this purchase price", "those requirements": a demonstrative and the words an earlier turn
# asked with
_POINTED_WORDS = re.compile(rf"{_DEMONSTRATIVE} (?P<words>(?:[\w&'’.-]+ ?){{1,5}})", re.I)


def _years_of(fact: Fact) -> set[int]:
    """The years a figure is of: its period's end, and a year its column prints."""
    dated = f"{fact.column or ''} {fact.period.label if fact.period else ''}"
    years = {int(y) for y in YEAR.findall(dated)}
    if fact.period is not None:
        years.add(fact.period.end.year)
    return years


def _read_as_printed(
    conversation: Conversation, facts: Callable[[str], Fact | None]
) -> list[tuple[int, Fact]]:
    """The turns that read one figure as printed, the latest first, with the figure."""
    out = []
    results = conversation.results
    for turn in range(-1, -min(len(results), len(conversation.figures)) - 1, -1):
        number, _, program = results[turn]
        ids = conversation.figures[turn]
        if number and not program and len(ids) == 1 and (fact := facts(ids[0])) is not None:
            out.append((turn, fact))
    return out


def _turn_named(
    phrase: str, conversation: Conversation, facts: Callable[[str], Fact | None]
) -> tuple[int | None, int | None] | None:
    """(the earlier turn a phrase names, counted back from the last; the year it names) or None
    when it names none: "that" (the last), "the net change" (the last difference), "the sum",
    "the 2006 value" (the one figure read for 2006; no turn when none read it), "that return in
    2009", "this purchase price" (the last turn that asked with those words)."""
    phrase = phrase.strip(" ,")
    results = conversation.results
    if _LAST.fullmatch(phrase):
        return (-1, None) if results else None
    for words, starts in _KINDS:
        if re.fullmatch(rf"(?:the|that|this) {words}(?: {_GENERIC})?", phrase, re.IGNORECASE):
            turns = range(-1, -len(results) - 1, -1)
            turn = next((t for t in turns if results[t][2].startswith(starts)), None)
            if turn is not None:
                return (turn, None)
            if not _POINTED_WORDS.fullmatch(phrase):
                return None
            break  # "this total" after "what was the total of accounts payable ...?", below
    dated = _OF_YEAR.fullmatch(phrase) or _POINTED_YEAR.fullmatch(phrase)
    if dated is not None:
        year = int(next(g for g in dated.groups() if g))
        turn = next(
            (t for t, f in _read_as_printed(conversation, facts) if year in _years_of(f)), None
        )
        return (turn, year)  # no turn read it: a difference's own figure of the year may
    pointed = _POINTED_WORDS.fullmatch(phrase)
    if pointed is None or YEAR.search(phrase):
        return None
    # "this total": a word a search does not weigh, but the earlier question's own
    raw = not tokens(pointed.group("words"))
    wanted = _words_of(pointed.group("words"), raw)
    if not wanted:
        return None
    for turn in range(-1, -min(len(results), len(conversation.questions)) - 1, -1):
        if results[turn][0] and wanted <= _words_of(conversation.questions[turn], raw):
            return (turn, None)
    return None


def _words_of(text: str, raw: bool) -> set[str]:
    """The words a search weighs, or (``raw``) every word as printed."""
    return set(re.findall(r"[a-z]+", text.lower())) if raw else set(tokens(text))


def _operand(
    conversation: Conversation, facts: Callable[[str], Fact | None], turn: int
) -> tuple[Quantity, str, list[Fact]] | None:
    """An earlier turn's result as an operand: its quantity, its program (or value) and the
    figures it cites."""
    earlier = _earlier(conversation, [turn])
    found = _cited(earlier, facts) if earlier is not None else None
    if earlier is None or found is None:
        return None
    value, program = earlier[0], conversation.results[turn][2]
    return value, program or plain(value.value), found


def _unscaled(cited: Sequence[Fact]) -> bool:
    """Whether a figure is a table's, in units the table does not state."""
    return any(f.kind == "table_cell" and f.scale is None for f in cited)


def _scaled(cited: Sequence[Fact]) -> bool:
    """Whether a figure is in units stated: a table's "in millions", a sentence's "$30.2
    million"."""
    return any(f.kind == "sentence" or f.scale is not None for f in cited)


def referenced(
    question: str,
    conversation: Conversation,
    facts: Callable[[str], Fact | None],
    read: Callable[[str], Fact | None] | None = None,
) -> Answer | None:
    """An operation on two earlier results, each named by what it was ("the net change divided
    by the 2006 value"), or on one earlier result and a figure the question names, which
    ``read`` looks up ("the 2008 rider revenue divided by that net change"). None when the
    question is no such expression or a side names nothing given."""
    asked = " ".join(question.split()).rstrip("?").strip()
    for pattern, op, percent in _EXPRESSIONS:
        match = pattern.fullmatch(asked)
        if match is None:
            continue
        phrases = (match.group("a"), match.group("b"))
        named = [_turn_named(p, conversation, facts) for p in phrases]
        if all(n is None or n[0] is None for n in named):
            return None
        first, second = named
        if first and second and first[0] is not None and first[0] == second[0]:
            # "that amount ... in relation to this purchase price": a bare "that" is the
            # result before the one the other side names
            bare = [bool(_LAST.fullmatch(p.strip(" ,"))) for p in phrases]
            pointers = [p.strip(" ,").split()[0].lower() for p in phrases]
            if bare.count(True) == 2 and sorted(pointers) == ["that", "this"]:
                # "that amount ... this total": "this" is the nearer, "that" the one before
                bare = [word == "that" for word in pointers]
            if bare.count(True) != 1:
                return None
            i = bare.index(True)
            taken = first[0]
            results = conversation.results
            turns = range(-1, -len(results) - 1, -1)
            turn = next((t for t in turns if t != taken and results[t][0]), None)
            if turn is None:
                return None
            named[i] = (turn, None)
        return _expression(question, conversation, facts, read, op, percent, phrases, named)
    return None


def _named_line(phrase: str, read: Callable[[str], Fact | None] | None) -> Fact | None:
    """The figure a demonstrative phrase's words name as a question of their own ("that revenue
    in 2016": revenue's), or None."""
    if read is None:
        return None
    return read(re.sub(rf"^{_DEMONSTRATIVE}\b", "the", phrase.strip(" ,"), flags=re.I))


def _expression(
    question: str,
    conversation: Conversation,
    facts: Callable[[str], Fact | None],
    read: Callable[[str], Fact | None] | None,
    op: str,
    percent: bool,
    phrases: tuple[str, str],
    named: list[tuple[int | None, int | None] | None],
) -> Answer | None:
    given: list[tuple[Quantity, str, list[Fact]] | None] = []
    for turn in named:
        given.append(_operand(conversation, facts, turn[0]) if turn and turn[0] else None)
        if turn and turn[0] and given[-1] is None:
            return None
    operands: list[tuple[Quantity, str, list[Fact]]] = []
    looked_up: list[bool] = []  # read as a question of its own, not given before
    for i, (phrase, turn) in enumerate(zip(phrases, named, strict=True)):
        looked_up.append(False)
        # "this change in relation to those costs in 2016", "the change over the 2011 price":
        # the difference's own figure of that year
        year, other = turn[1] if turn else None, given[1 - i]
        if year is not None and other is not None and other[1].startswith("subtract("):
            own = [f for f in other[2] if year in _years_of(f)]
            # unless its words name a line of their own: "that revenue in 2016" after a
            # change in net income is revenue's figure
            named_line = _named_line(phrase, read) if _POINTED_YEAR.fullmatch(phrase) else None
            if named_line is not None and (len(own) != 1 or named_line.row != own[0].row):
                operands.append((quantity(named_line), plain(named_line.value), [named_line]))
                looked_up[i] = True
                continue
            if len(own) == 1:
                operands.append((quantity(own[0]), plain(own[0].value), own))
                continue
        if (found := given[i]) is not None:
            operands.append(found)
            continue
        if read is None or re.search(r"\d", YEAR.sub("", phrase)):
            return None  # a number given ("that divided by 100") is another question's
        fact = read(phrase)
        if fact is None:
            return None
        operands.append((quantity(fact), plain(fact.value), [fact]))
        looked_up[i] = True
    (a, program_a, cited_a), (b, program_b, cited_b) = operands
    if (
        a.unit == b.unit
        and a.unit not in (RATIO, PERCENT)
        and ((_unscaled(cited_a) and _scaled(cited_b)) or (_unscaled(cited_b) and _scaled(cited_a)))
    ):
        return None  # "$30.2 million" against a table's 475,288 in units it does not state
    if op == "divide" and a.value >= 0 > b.value and program_b == plain(b.value):
        # "this increase as a percent of the 2014 losses" (printed (6,826)): of its size
        b = Quantity(abs(b.value), b.unit, b.citations)
        program_b = plain(b.value)
    try:
        result = run(Step(op, (a, b)))
        if percent:
            result = to_percent(result)
    except CalculationError:
        return None
    shown = display(result.value, result.unit)
    said = [
        f"{display(q.value, q.unit)} ({p})" if new else display(q.value, q.unit)
        for q, new, p in zip((a, b), looked_up, phrases, strict=True)
    ]
    return _answered(
        question,
        Value(result.value, result.unit, shown),
        f"{shown}: {said[0]} {_SIGNS[op]} {said[1]}" + (", in percent." if percent else "."),
        f"{op}({program_a}, {program_b})",
        list(dict.fromkeys([*cited_a, *cited_b])),
        "followup",
    )
