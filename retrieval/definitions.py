"""A measure the question defines becomes the program.

"DSO is defined as: 365 * (average accounts receivable between FY2018 and FY2019) / FY2019
revenue", "Define unadjusted EBITDA as operating income plus depreciation and amortization
from the cash flow statement": :func:`find` takes the definition out of the question, and
:func:`parse` reads its expression, with ``+ - * /``, parentheses, "plus", "less", "minus",
"times", "divided by", "over", "as a % of", numbers ("365"), and operands that are line items
with their own period ("FY2019 revenue"), an average of two periods ("average X between
FY2018 and FY2019") or a statement ("from the cash flow statement").

:func:`answer` evaluates it: each operand is one figure the picker finds (for the period the
ask names unless the operand names its own), the calculator runs the tree, and the answer
cites every figure. The defined term is never a missing name: the words of its name are the
question's own, not the filing's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from ingest.models import Fact

from .calculator import Node, Quantity, Step, render, run
from .compose import cite, display, figure_name, own_label, period_words, quantity
from .instructions import STATEMENT_NAMES, STATEMENT_SOURCE
from .models import Answer, Value
from .operations import OUTFLOW
from .periods import PeriodSpec, find_periods, shift
from .pick import Ambiguous, Missing, Picker
from .search import tokens
from .understand import Intent

# "DSO is defined as: ...", "Define X as ...", "X, computed as ...", "X = ..."
# a sentence's end, not "U.S." or "Boston Properties, Inc. divided by ..."
_END = r"\s*(?:(?<!\b[A-Z])(?<!\bInc)(?<!\bCorp)(?<!\bCo)(?<!\bLtd)[.?!](?=\s+[A-Z(]|\s*$)|$)"
_IS_DEFINED = re.compile(
    r"(?P<name>[^.?!]*?)\s+(?:is|are)\s+(?:defined|calculated|computed|measured)\s+as\s*:?\s*"
    rf"(?P<expr>.+?){_END}",
    re.I,
)
_DEFINE = re.compile(
    rf"^\s*(?:please\s+)?(?:define|consider|treat)\s+(?P<name>.+?)\s+as\b\s*:?\s*(?P<expr>.+?){_END}",
    re.I,
)
# "Calculate Apple's FY2019 unadjusted EBITDA using operating income plus depreciation and
# amortization.": the measure asked for and its definition in one sentence
_CALCULATE = re.compile(
    rf"^\s*(?:please\s+)?(?:calculate|compute|work\s+out|determine)\s+(?P<name>.+?)\s+"
    rf"(?:using|as|by\s+taking)\b\s*:?\s*(?P<expr>.+?){_END}",
    re.I,
)
_OPERATORS = re.compile(
    r"\s*(\(|\)|\+|(?<=[\s)])[-−–]\s|\*|×|/|÷|\bplus\b|\bless\b|\bminus\b|\btimes\b|\bmultiplied\s+by\b|"
    r"\bdivided\s+by\b|(?<![-\w])over(?![-\w])|\bas\s+an?\s+(?:%|percent(?:age)?)\s+of\b|\bsubtract(?:ing)?\b|"
    r"\badd(?:ing)?\b)\s*",
    re.I,
)
_OP_WORDS = {
    "+": "add",
    "plus": "add",
    "add": "add",
    "adding": "add",
    "-": "subtract",
    "−": "subtract",
    "–": "subtract",
    "less": "subtract",
    "minus": "subtract",
    "subtract": "subtract",
    "subtracting": "subtract",
    "*": "multiply",
    "×": "multiply",
    "times": "multiply",
    "multiplied by": "multiply",
    "/": "divide",
    "÷": "divide",
    "divided by": "divide",
    "over": "divide",
}
_PRECEDENCE = {"add": 1, "subtract": 1, "multiply": 2, "divide": 2, "percent_of": 0}
_AVERAGE = re.compile(
    r"^(?:the\s+)?average\s+(?:of\s+)?(?:the\s+)?(?P<what>.+?)\s+(?:between|at|for|of|over|"
    r"from)\s+(?P<a>.+?)\s+(?:and|to)\s+(?P<b>.+)$",
    re.I,
)
_NUMBER = re.compile(r"^\(?\s*(\d+(?:\.\d+)?)\s*\)?$")
_STATEMENT_TAIL = re.compile(
    r",?\s*(?:all|both|each)?\s*(?:as\s+)?(?:reported|taken|shown|found|printed)?\s*"
    r"(?:in|from|on)\s+(?:the\s+)?(?:investing\s+section\s+of\s+the\s+)?"
    rf"(?:{'|'.join(STATEMENT_NAMES.values())})\s*$",
    re.I,
)


PRIMARY = ("income_statement", "balance_sheet", "cash_flow", "equity")
ASKED = "as the question defines it"


@dataclass(frozen=True)
class Definition:
    name: str  # "DSO", "unadjusted EBITDA"
    expression: str  # as the question writes it
    rest: str  # the question without the definition
    source: str = ASKED
    shown: str = ""  # the expression in the answer's words, when not as written
    over: tuple[PeriodSpec, ...] = ()  # an average of the measure over these periods

    @property
    def described(self) -> str:
        return self.shown or self.expression


@dataclass(frozen=True)
class Operand:
    """A line item the definition names, with its own period or statement if it says one;
    ``change``: its year-over-year "change" (later less earlier) or "growth" (that over the
    earlier)."""

    phrase: str  # "accounts receivable | trade receivables": the first the filing prints
    periods: tuple[PeriodSpec, ...] = ()  # two: the average of both
    statements: tuple[str, ...] = ()
    average: bool = False  # "average total assets": the year's opening and closing balances
    size: bool = False  # "size of interest expense": printed in parentheses, taken as spent
    optional: bool = False  # "[short-term investments]": left out when the filing has none
    change: str | None = None  # "change", "growth": against the same period a year before


@dataclass(frozen=True)
class Term:
    op: str  # "add", "subtract", "multiply", "divide", "percent_of"
    left: Expr
    right: Expr


Expr = Operand | Decimal | Term


def find(question: str) -> Definition | None:
    """The definition a question gives, and the question without it."""
    for sentence in re.split(r"(?<=[.?!])\s+(?=[A-Z])", question):
        match = _DEFINE.match(sentence) or _IS_DEFINED.search(sentence)
        asks = False
        if match is None and (match := _CALCULATE.match(sentence)):
            # "Calculate X using A plus B": a definition only with an operation in it; the
            # sentence is then also the ask, for X in the period it names
            if not _OPERATORS.search(f" {match.group('expr')} "):
                continue
            asks = True
        if match is None or not match.group("expr").strip():
            continue
        name = _name(match.group("name"))
        if not name:
            continue
        rest = " ".join(question.replace(sentence, " ").split())
        if asks:
            rest = f"What is {name}? {rest}".strip()
            name = _NAME_LEAD.sub(
                "", re.sub(r"\b(?:(?:fiscal|fy)\s*)?(?:19|20)\d\d\b", " ", name, flags=re.I)
            )
            name = " ".join(name.split()) or match.group("name")
        return Definition(name, match.group("expr").strip(), rest)
    return None


def _name(text: str) -> str:
    """ "What is Apple's FY2019 days sales outstanding (DSO)? DSO" → "DSO"."""
    text = re.sub(r"^.*[?]\s*", "", text.strip())
    text = re.sub(r"^(?:the|a|an|we|i)\s+", "", text.strip(), flags=re.I)
    return text.strip(" ,:;\"“”'")


def names(definition: Definition, question: str = "") -> set[str]:
    """The words that name the defined term: its name, and the words an abbreviation stands
    for where the question spells it out ("days payable outstanding (DPO)")."""
    words = {w.lower() for w in re.findall(r"[A-Za-z][\w&-]*", definition.name)}
    words |= {part for w in list(words) for part in w.split("-") if part}
    # as the checks read them: "days sales outstanding" is "dso", "turnover" is "revenue"
    words |= set(tokens(definition.name.replace("-", " ")))
    for found in re.finditer(r"((?:[A-Za-z][\w&-]*\s+){1,5})\(([A-Z]{2,6})\)", question):
        spelled = found.group(1).split()
        acronym = found.group(2)
        if acronym.lower() in words and len(spelled) >= len(acronym):
            words |= {w.lower() for w in spelled[-len(acronym) :]}
    return words


# "net working capital (total current assets less total current liabilities)", "free cash
# flow, defined in the usual way as cash from operations less capital expenditures": a
# definition inside the ask, read when the ask alone is not answered
_INLINE_PARENS = re.compile(
    r"(?P<name>(?:[A-Za-z][\w&'’-]*\s+){0,4}[A-Za-z][\w&-]*)\s*\((?:i\.e\.,?\s*)?"
    r"(?P<expr>[^()]*?\b(?:less|minus|plus|divided\s+by|over|as\s+an?\s+(?:%|percent(?:age)?)\s+of)"
    r"\b[^()]*)\)",
    re.I,
)
_INLINE_DEFINED = re.compile(
    r"(?P<name>(?:[A-Za-z][\w&'’-]*\s+){0,4}[A-Za-z][\w&-]*)"
    r"(?:\s+(?:for|in|of|at|as\s+of)\s+[^,()?]*?)?(?:\s*\([^()]*\))?\s*,\s*"
    r"(?:defined|computed|calculated|measured)\b(?:\s+[\w-]+){0,4}?\s+as\s+(?P<expr>[^?]+?)"
    r"\s*(?=[?]|$)",
    re.I,
)
_NAME_LEAD = re.compile(
    r"^(?:.*?['’]s\s+)?(?:(?:what|was|is|were|are|the|of|for|a|an|its|their)\s+)*", re.I
)


def inline(ask: str) -> Definition | None:
    """A definition the ask gives in passing, and the ask without it."""
    for pattern in (_INLINE_DEFINED, _INLINE_PARENS):
        found = pattern.search(ask)
        if found is None:
            continue
        name = _NAME_LEAD.sub("", found.group("name")).strip()
        if not name or not _OPERATORS.search(f" {found.group('expr')} "):
            continue
        if pattern is _INLINE_DEFINED:
            cut = list(
                re.finditer(r",\s*(?:defined|computed|calculated|measured)\b", found.group(0))
            )
            rest = ask[: found.start() + cut[-1].start()] + ask[found.end() :]
        else:
            rest = ask[: found.start()] + found.group("name") + ask[found.end() :]
        return Definition(name, found.group("expr").strip(" ,"), " ".join(rest.split()))
    return None


def parse(expression: str) -> Expr:
    """The expression as a tree; raises Missing when it cannot be read."""
    statements: tuple[str, ...] = ()
    text = expression.strip().rstrip(".")
    # ", all from the balance sheet": every operand's statement
    tail = _STATEMENT_TAIL.search(text)
    if tail and re.match(r",?\s*(?:all|both|each)\b", tail.group(0).strip(), re.I):
        statements = _statements(tail.group(0))
        text = text[: tail.start()]
    # "operating income (from the income statement) plus ...": the operand's own statement
    text = re.sub(r"\(\s*((?:taken\s+)?(?:from|in|on|per)\s+the\s+[^()]*?)\s*\)", r" \1 ", text)
    text = re.sub(r",\s*with\s+.*$", "", text)  # ", with D&A taken from the cash flow ..."
    # "A less B, divided by A, expressed as a % of A": the division, shown in percent
    percent = re.search(
        r",?\s*(?:expressed|shown|given|stated)\s+(?:as\s+an?|in)\s+(?:%|percent(?:age)?s?)"
        r"(?:\s+of\s+.+)?$",
        text,
        re.I,
    )
    if percent:
        text = text[: percent.start()]
    # "A less B, divided by A": the comma closes what comes before, (A - B) / A
    while grouped := re.search(r",\s*(divided\s+by|over|times|multiplied\s+by)\s", text, re.I):
        text = f"({text[: grouped.start()]}) {grouped.group(1)} {text[grouped.end() :]}"
    tokens = [t for t in _OPERATORS.split(f" {text} ") if t and t.strip()]
    position = 0

    def expression_at(level: int) -> Expr:
        nonlocal position
        left = atom()
        while position < len(tokens):
            op = _operator(tokens[position])
            if op is None or _PRECEDENCE[op] < level:
                break
            position += 1
            right = expression_at(_PRECEDENCE[op] + 1)
            left = Term(op, left, right)
        return left

    def atom() -> Expr:
        nonlocal position
        if position >= len(tokens):
            raise Missing(f"The definition “{expression}” ends before its last operand.")
        token = tokens[position].strip()
        position += 1
        if token == "(":
            inner = expression_at(0)
            if position < len(tokens) and tokens[position].strip() == ")":
                position += 1
            return inner
        if _operator(token) is not None:
            raise Missing(f"The definition “{expression}” has an operator where a figure goes.")
        return _operand(token, statements)

    tree = expression_at(0)
    if position != len(tokens):
        raise Missing(f"crossfoot could not read the definition “{expression}”.")
    if percent and isinstance(tree, Term) and tree.op == "divide":
        tree = replace(tree, op="percent_of")
    return tree


def _operator(token: str) -> str | None:
    word = " ".join(token.strip().lower().split())
    if re.fullmatch(r"as an? (?:%|percent(?:age)?) of", word):
        return "percent_of"
    return _OP_WORDS.get(word)


def _statements(text: str) -> tuple[str, ...]:
    found = []
    for kind, pattern in STATEMENT_NAMES.items():
        if re.search(pattern, text, re.I):
            found.append(kind)
    return tuple(found)


def _operand(text: str, statements: tuple[str, ...]) -> Expr:
    text = " ".join(text.strip(" ,;:").split())
    number = _NUMBER.match(text)
    if number:
        return Decimal(number.group(1))
    optional = text.startswith("[") and text.endswith("]")
    size = bool(re.match(r"size\s+of\s+", text.strip("[]"), re.I))
    if optional or size:
        inner = re.sub(r"^size\s+of\s+", "", text.strip("[]"), flags=re.I)
        made = _operand(inner, statements)
        if isinstance(made, Operand):
            return replace(made, optional=optional, size=size or made.size)
        return made
    own: tuple[str, ...] = ()
    for match in STATEMENT_SOURCE.finditer(text):
        own = _statements(match.group(0))
        text = (text[: match.start()] + text[match.end() :]).strip(" ,;:()")
    text = re.sub(r"\((?:from|in|on)\s+the\s+[^)]*\)", "", text).strip(" ,;:()")
    average = _AVERAGE.match(text)
    if average:
        periods = [*find_periods(average.group("a")), *find_periods(average.group("b"))]
        if len(periods) == 2:
            # an average of two years' figures is of balances, at each year's end
            years = tuple(
                replace(p, kind="bare_year") if p.kind == "year" and p.fiscal_year else p
                for p in periods
            )
            where = own or statements or ("balance_sheet",)
            return Operand(_bare(average.group("what")), years, where)
    # "the year-over-year change in total revenues", "year-over-year growth of net income"
    yoy = re.match(
        r"^(?:the\s+)?(?:year[- ]over[- ]year|yoy|annual)\s+(?P<kind>change|growth|increase)\s+"
        r"(?:in|of)\s+(?:the\s+)?(?P<what>.+)$",
        text,
        re.I,
    )
    if yoy:
        kind = "change" if yoy.group("kind").lower() in ("change", "increase") else "growth"
        return Operand(_bare(yoy.group("what")), (), own or statements, change=kind)
    # "average total assets": the balances that open and close the period asked
    opening = re.match(r"^(?:the\s+)?average\s+(?:of\s+)?(?:the\s+)?(?P<what>.+)$", text, re.I)
    if opening and not find_periods(text):
        where = own or statements or ("balance_sheet",)
        return Operand(_bare(opening.group("what")), (), where, average=True)
    periods = find_periods(text)
    phrase = text
    for period in sorted(periods, key=lambda p: p.start, reverse=True):
        phrase = phrase[: period.start] + " " + phrase[period.end :]
    return Operand(_bare(phrase), tuple(periods[:1]), own or statements)


def _bare(phrase: str) -> str:
    phrase = re.sub(r"^(?:the|its|their|total\s+of\s+the)\s+", "", phrase.strip(), flags=re.I)
    return " ".join(phrase.strip(" ,;:()").split())


def answer(
    picker: Picker,
    intent: Intent,
    definition: Definition,
    doc_ids: set[str],
    specs: list[PeriodSpec],
    divisor: str | None = None,
    chosen: list[str] | None = None,
) -> Answer:
    """The defined measure for the period the ask names (``specs``), computed from the
    figures its definition names; ``divisor``: the ask divides it by another line ("X as a %
    of revenue")."""
    tree = parse(definition.expression)
    facts: list[Fact] = []
    used: dict[str, tuple[str, str]] = {}
    if (
        intent.operation in ("difference", "percent_change")
        and len(specs) == 2
        and not definition.over
        and (_is_percent(tree) or divisor is not None)
    ):
        # "how many percentage points did gross margin change versus the same period last
        # year": the measure in each period, then the change between them
        return _changed(picker, intent, definition, doc_ids, specs, divisor, chosen)
    if definition.over:
        # "the 3 year average (FY2017 to FY2019) of R&D as a % of net sales": the measure for
        # each period, then their mean
        each = [
            _node(picker, intent, tree, doc_ids, [spec], facts, used) for spec in definition.over
        ]
        total = each[0]
        for node in each[1:]:
            total = Step("add", (total, node))
        program: Node = Step("divide", (total, Quantity.constant(len(each))))
    else:
        program = _node(picker, intent, tree, doc_ids, specs, facts, used)
    if chosen is not None:  # the lines the definition's operands were read as
        chosen.extend(dict.fromkeys(phrase for _, phrase in used.values()))
    percent = _is_percent(tree)
    if divisor is not None:
        base = _operand(divisor, ())
        program = Step("divide", (program, _node(picker, intent, base, doc_ids, specs, facts)))
        # "X as a % of revenue" and "X margin" are shares; "the ratio of X to equity" is not
        percent = bool(
            re.search(
                r"\bas\s+an?\s+(?:%|percent(?:age)?)\s+of\b|\bmargin\b", intent.question, re.I
            )
        )
    result = run(program)
    unit = result.unit
    if percent and unit == "ratio":
        result = Quantity(result.value * 100, "percent", result.citations)
        unit = "percent"
    if unit == "ratio" and _is_days(tree):
        unit = "days"
    if unit == "ratio" and re.search(r"\b(?:margin|percentage)\b", definition.name, re.I):
        # "subscription and support gross margin": a margin is a share of revenue, in percent
        result = Quantity(result.value * 100, "percent", result.citations)
        unit = "percent"
    shown = display(result.value, unit) if unit != "days" else f"{result.value:,.2f} days"
    figures = "; ".join(
        f"{figure_name(f)} {display(f.value, f.unit)}{period_words(f)}" for f in facts
    )
    over = f" as a share of {divisor}" if divisor is not None else ""
    if definition.over:
        text = (
            f"The average over {len(definition.over)} periods of {definition.name} is {shown} "
            f"({figures})."
        )
    else:
        text = (
            f"{definition.name} ({definition.described}, {definition.source}){over} is "
            f"{shown} ({figures})."
        )
    return Answer(
        question=intent.question,
        status="answered",
        answer=text,
        value=Value(result.value, unit, shown),
        program=render(program),
        citations=tuple(cite(f) for f in dict.fromkeys(facts)),
        operands=tuple(facts),
        kind="definition",
    )


def _changed(
    picker: Picker,
    intent: Intent,
    definition: Definition,
    doc_ids: set[str],
    specs: list[PeriodSpec],
    divisor: str | None,
    chosen: list[str] | None,
) -> Answer:
    """The change of a defined rate (a margin, a share) between the two periods asked: its
    value in each (each period's own figures), the later less the earlier (in points for a
    percentage), or that as a rate of change."""
    single = replace(intent, operation="lookup")
    measured = [
        answer(picker, single, definition, doc_ids, [spec], divisor, chosen) for spec in specs
    ]
    ends = []
    for one in measured:
        dated = [f.period.end for f in one.operands if f.period is not None]
        if one.value is None or not dated:
            raise Missing(f"{definition.name} could not be worked out for both periods.")
        ends.append(max(dated))
    if ends[0] == ends[1]:
        raise Missing(f"{definition.name} was found for one period only; name the two.")
    (_, earlier), (_, later) = sorted(zip(ends, measured, strict=True), key=lambda p: p[0])
    assert earlier.value is not None and later.value is not None
    unit = later.value.unit
    old, new = earlier.value.number, later.value.number
    facts = [*earlier.operands, *later.operands]
    if intent.operation == "percent_change":
        if old == 0:
            raise Missing(f"{definition.name} was zero in the earlier period: no rate of change.")
        value, unit = (new - old) / abs(old) * 100, "percent"
        program = f"divide(subtract({later.program}, {earlier.program}), {earlier.program})"
    else:
        value = new - old
        program = f"subtract({later.program}, {earlier.program})"
    shown = display(value, unit)
    size = display(abs(value), unit)
    if unit == "percent" and intent.operation == "difference":
        shown = f"{value:.2f} percentage points"
        size = f"{abs(value):.2f} percentage points"
    verb = "rose" if value > 0 else "fell" if value < 0 else "was unchanged"
    by = f" {size}" if value else ""
    when = [period_words(a.operands[-1]).strip() for a in (earlier, later)]
    text = (
        f"{definition.name} ({definition.described}, {definition.source}) {verb}{by}, "
        f"from {earlier.value.display} {when[0]} to {later.value.display} {when[1]}."
    )
    return Answer(
        question=intent.question,
        status="answered",
        answer=text,
        value=Value(value, unit, shown),
        program=program,
        citations=tuple(cite(f) for f in dict.fromkeys(facts)),
        operands=tuple(facts),
        kind="definition",
    )


def _node(
    picker: Picker,
    intent: Intent,
    expr: Expr,
    doc_ids: set[str],
    specs: list[PeriodSpec],
    facts: list[Fact],
    used: dict[str, tuple[str, str]] | None = None,
) -> Node:
    used = {} if used is None else used
    if isinstance(expr, Decimal):
        return Quantity.constant(expr)
    if isinstance(expr, Term):
        left = _optional(picker, intent, expr.left, doc_ids, specs, facts, used)
        right = _optional(picker, intent, expr.right, doc_ids, specs, facts, used)
        if left is None or right is None:
            if expr.op not in ("add", "subtract") or (left is None and right is None):
                raise Missing("A definition's optional line stands where a figure is needed.")
            if left is None:
                assert right is not None
                return (
                    right if expr.op == "add" else Step("subtract", (Quantity.constant(0), right))
                )
            return left
        op = "divide" if expr.op == "percent_of" else expr.op
        return Step(op, (left, right))
    asked = replace(
        intent,
        question=expr.phrase,
        operation="lookup",
        metrics=(expr.phrase,),
        # a definition's lines are the financial statements' unless it says which
        statements=expr.statements or intent.statements or PRIMARY,
        as_percent=False,
    )
    # a fiscal year asked reads a balance at that year's end as well as the year's flow
    periods = list(expr.periods) or [
        replace(s, kind="bare_year") if s.kind == "year" and s.fiscal_year else s for s in specs[:1]
    ]
    if not periods:
        raise Missing(f"The question names no period for “{expr.phrase}”.")
    if expr.change is not None:
        now = replace(expr, change=None, periods=(periods[0],))
        before = replace(expr, change=None, periods=(_year_before(periods[0], expr.phrase),))
        later = _node(picker, intent, now, doc_ids, specs, facts, used)
        earlier = _node(picker, intent, before, doc_ids, specs, facts, used)
        difference: Node = Step("subtract", (later, earlier))
        return difference if expr.change == "change" else Step("divide", (difference, earlier))
    if expr.average and not expr.periods:
        periods = _opening_and_closing(periods[0], expr.phrase)
    found: list[Fact] = []
    choices = [p.strip() for p in expr.phrase.split("|") if p.strip()]
    picked: list[str] = []
    # lines from the statements the definition names, or from the four financial statements;
    # a conventional definition's line the statements do not print (Apple's interest expense,
    # in a note) from any table
    scopes = [asked]
    if not expr.statements and not intent.statements and not expr.periods:
        scopes.append(replace(asked, statements=()))
    for spec in periods:
        like = found[0] if found else None
        fact, phrase = _first_fit(picker, choices, scopes, doc_ids, spec, like)
        found.append(fact)
        picked.append(phrase)
    for fact, phrase in zip(found, picked, strict=True):
        other, _ = used.setdefault(fact.fact_id, (expr.phrase, phrase))
        if other != expr.phrase:
            # "total net revenues less U.S. net revenues" read as one line twice
            raise Missing(
                f"“{other.split('|')[0].strip()}” and “{choices[0]}” both read as "
                f"“{figure_name(fact)}”; the filing prints no separate line for one of them."
            )
    facts.extend(found)
    if len(found) == 1:
        only = found[0]
        if only.value < 0 and (expr.size or OUTFLOW.search(own_label(only))):
            # capital expenditures, interest expense in parentheses: the amount spent
            return Quantity(abs(only.value), only.unit, (only.fact_id,))
        return quantity(only)
    if len({f.fact_id for f in found}) < len(found):
        raise Missing(f"“{expr.phrase}” is printed for only one of the periods to average.")
    total: Node = quantity(found[0])
    for fact in found[1:]:
        total = Step("add", (total, quantity(fact)))
    return Step("divide", (total, Quantity.constant(len(found))))


_CHANGE_ROW = re.compile(
    r"\bchanges?\s+in\b|\bincrease\s*/?\s*\(?decrease\)?|\(increase\)|\bdecrease\s*\(increase\)",
    re.I,
)


# a flow's own total printed at the foot of a "Changes in ..." section
_FLOW_LINE = re.compile(r"\b(?:activities|provided|generated|used|total)\b", re.I)


def _first_fit(
    picker: Picker,
    choices: list[str],
    scopes: list[Intent],
    doc_ids: set[str],
    spec: PeriodSpec,
    like: Fact | None,
) -> tuple[Fact, str]:
    """The figure for the first of a line's names ("net cash provided by operating activities |
    cash provided by operations") whose line carries every telling word of it; else the first
    figure found at all (the checks then judge it)."""
    fallback: tuple[Fact, str] | None = None
    missing: Missing | None = None
    for scope in scopes:
        for phrase in choices:
            try:
                fact = picker.fact(phrase, scope, doc_ids, spec, like=like, prose=False)
            except Missing as error:
                missing = missing or error
                continue
            except Ambiguous:
                continue  # another name of the line may be printed once
            # "research and development expense" is the line "Operating expenses > Research and
            # development": the kind of line is not a word it must print
            plain = re.sub(r"\b(?:expenses?|costs?)\b", " ", phrase, flags=re.I)
            if (
                _CHANGE_ROW.search(" ".join(fact.row_path))
                and not _CHANGE_ROW.search(phrase)
                and not _FLOW_LINE.search(own_label(fact))
            ):
                # "accounts receivable, net" is the balance, not the cash flow statement's
                # "Changes in operating assets > Accounts receivable, net"
                try:
                    fact = picker.fact(
                        phrase,
                        replace(scope, statements=("balance_sheet",)),
                        doc_ids,
                        spec,
                        like=like,
                        prose=False,
                    )
                except (Missing, Ambiguous):
                    continue
            if not picker.lacks(plain, fact, doc_ids, own_words=True):
                return fact, phrase
            fallback = fallback or (fact, phrase)
    if fallback is not None:
        return fallback
    raise missing or Missing(f"“{choices[0]}” fits several lines equally well.")


def _optional(
    picker: Picker,
    intent: Intent,
    expr: Expr,
    doc_ids: set[str],
    specs: list[PeriodSpec],
    facts: list[Fact],
    used: dict[str, tuple[str, str]],
) -> Node | None:
    """An operand's figure, or None for an optional line the filing does not print."""
    if isinstance(expr, Operand) and expr.optional:
        try:
            return _node(picker, intent, expr, doc_ids, specs, facts, used)
        except Missing:
            return None
    return _node(picker, intent, expr, doc_ids, specs, facts, used)


def _year_before(spec: PeriodSpec, phrase: str) -> PeriodSpec:
    """The same period a year earlier (the question's "prior year" of it): fiscal 2019 for
    fiscal 2020, Q3 FY2022 for Q3 FY2023."""
    earlier = shift(replace(spec, relative="prior_year"), spec)
    if earlier is None:
        raise Missing(f"The year-over-year change in “{phrase}” needs a period to compare.")
    if spec.fiscal_year is not None:
        return replace(earlier, text=f"{spec.text} (a year before)")
    return earlier


def _opening_and_closing(spec: PeriodSpec, phrase: str) -> list[PeriodSpec]:
    """The balances an average over a fiscal year takes: at the year's end and the prior's."""
    if spec.fiscal_year is None or spec.kind not in ("year", "bare_year", "year_end"):
        raise Missing(
            f"The average of “{phrase.split('|')[0].strip()}” needs a fiscal year, to take its "
            "opening and closing balances."
        )
    closing = replace(spec, kind="bare_year")
    return [closing, replace(closing, fiscal_year=spec.fiscal_year - 1)]


def _is_percent(expr: Expr) -> bool:
    """A share ("as a % of") or a growth rate, shown in percent."""
    if isinstance(expr, Operand):
        return expr.change == "growth"
    return isinstance(expr, Term) and expr.op == "percent_of"


def _is_days(expr: Expr) -> bool:
    """ "365 * (average receivables) / revenue": a number of days."""
    while isinstance(expr, Term):
        if isinstance(expr.left, Decimal) and expr.left in (Decimal(365), Decimal(360)):
            return True
        expr = expr.left
    return False


def divisor(intent: Intent, definition: Definition) -> str | None:
    """What the ask divides the defined measure by: "unadjusted EBITDA as a % of FY2019 total
    net sales", "unadjusted EBITDA margin" (over revenue)."""
    name = re.escape(definition.name)
    match = re.search(
        rf"{name}\s+(?:as\s+an?\s+(?:%|percent(?:age)?)\s+of|divided\s+by|over|to)\s+"
        r"(?P<base>[^?.;]+)",
        intent.question,
        re.I,
    )
    if match:
        return match.group("base").strip(" ,")
    if re.search(rf"{name}\s+margin\b", intent.question, re.I):
        return "revenue"
    return None


# ------------------------------------------------------------------ standard measures

_REVENUE = "total revenue | total net revenues | total net sales | net revenues | net sales"
_COST = "cost of sales | cost of revenues | cost of goods sold | total cost of revenues"
_RECEIVABLES = "accounts receivable | trade receivables | receivables"
_EQUITY = "total stockholders' equity | total shareholders' equity | total equity"


@dataclass(frozen=True)
class Standard:
    """A measure analysts use without defining it, by its conventional definition."""

    name: str  # as the answer names it
    pattern: re.Pattern[str]  # how questions name it
    expression: str  # in the language of definitions; "a | b": the first the filing prints
    shown: str  # the definition in the answer's words
    printed: re.Pattern[str] | None = None  # a line that is the filing's own figure for it


def _standard(name: str, pattern: str, expression: str, shown: str, printed: str = "") -> Standard:
    return Standard(
        name,
        re.compile(pattern, re.I),
        expression,
        shown,
        # the line is the measure: it leads the label ("Free cash flow", "Adjusted EBITDA"),
        # not a pension table's "Expected long-term rate of return on assets"
        re.compile(rf"^\s*(?:(?:adjusted|non-gaap|total|consolidated)\s+)*(?:{printed})", re.I)
        if printed
        else None,
    )


# one entry per measure; the filing's own line for it wins (``printed``), and a question's own
# definition wins over both
STANDARD: tuple[Standard, ...] = (
    # "gross margin" where the filing prints gross profit and no gross-margin line: the share
    _standard(
        "Gross margin",
        r"\bgross margin\b(?!\s+(?:in|of)\s+(?:us\s+)?dollars)",
        f"gross profit as a % of ({_REVENUE})",
        "gross profit ÷ revenue",
        r"\bgross margin\b",
    ),
    _standard(
        "Free cash flow",
        r"\bfree cash flows?\b",
        "(net cash provided by operating activities | cash provided by operating activities | "
        "cash generated by operating activities | cash provided by operations) - size of "
        "capital expenditures | purchases of property and equipment | payments for acquisition "
        "of property, plant and equipment | additions to property, plant and equipment",
        "operating cash flow − capital expenditures",
        r"free cash flows?\b",
    ),
    _standard(
        "Quick ratio",
        r"\bquick ratio\b|\bacid[- ]test ratio\b",
        f"(cash and cash equivalents + [marketable securities | short-term investments] + "
        f"{_RECEIVABLES}) / total current liabilities, all from the balance sheet",
        "(cash and cash equivalents + short-term investments + receivables) ÷ current liabilities",
        r"\bquick ratio\b",
    ),
    _standard(
        "Interest coverage",
        r"\binterest coverage\b|\btimes interest earned\b",
        "(operating income | income from operations) / size of interest expense",
        "operating income ÷ interest expense",
        r"\binterest coverage\b|\btimes interest earned\b",
    ),
    _standard(
        "Return on assets",
        # "return on total assets" alone is net income over the year-end line (FinQA's use)
        r"\breturn on (?:average )?assets\b|\breturn on average total assets\b|\broa\b",
        "(net income | net loss) as a % of average total assets",
        "net income ÷ average total assets, the opening and closing balances",
        r"\breturn on (?:average )?(?:total )?assets\b|\broa\b",
    ),
    _standard(
        "Return on equity",
        r"\breturn on (?:average )?(?:common |stockholders['’] |shareholders['’] )?equity\b|"
        r"\broe\b",
        f"(net income | net loss) as a % of average {_EQUITY}",
        "net income ÷ average stockholders' equity, the opening and closing balances",
        r"\breturn on (?:average )?(?:common )?(?:stockholders['’] |shareholders['’] )?equity\b",
    ),
    _standard(
        "Debt-to-equity ratio",
        r"\bdebt[- ]to[- ]equity\b|\bd/e ratio\b",
        f"total liabilities / {_EQUITY}, all from the balance sheet",
        "total liabilities ÷ stockholders' equity",
        r"debt[- ]to[- ]equity\b",
    ),
    _standard(
        "Inventory turnover",
        r"\binventory turnover\b|\binventory turns\b",
        f"({_COST}) / average inventories | inventory",
        "cost of sales ÷ average inventory",
        r"\binventory turnover\b",
    ),
    _standard(
        "Asset turnover",
        r"(?<!fixed )(?<!fixed-)\b(?:total )?asset turnover\b",
        f"({_REVENUE}) / average total assets",
        "revenue ÷ average total assets",
        r"(?<!fixed )\basset turnover\b",
    ),
    _standard(
        "Fixed-asset turnover",
        r"\bfixed[- ]asset turnover\b",
        f"({_REVENUE}) / average property and equipment, net | property, plant and equipment, net",
        "revenue ÷ average net property, plant and equipment",
        r"\bfixed[- ]asset turnover\b",
    ),
    _standard(
        "Cash conversion cycle",
        r"\bcash conversion cycle\b",
        f"365 * average {_RECEIVABLES} / ({_REVENUE}) + 365 * average inventories | inventory / "
        f"({_COST}) - 365 * average accounts payable / ({_COST})",
        "days sales outstanding + days inventory outstanding − days payables outstanding, each "
        "on average balances",
        r"\bcash conversion cycle\b",
    ),
    _standard(
        "Days sales outstanding",
        r"\bdays sales outstanding\b|\bdso\b",
        f"365 * average {_RECEIVABLES} / ({_REVENUE})",
        "365 × average receivables ÷ revenue",
        r"\bdays sales outstanding\b|\bdso\b",
    ),
    _standard(
        "Days payables outstanding",
        r"\bdays payables? outstanding\b|\bdpo\b",
        f"365 * average accounts payable / ({_COST})",
        "365 × average accounts payable ÷ cost of sales",
        r"\bdays payables? outstanding\b|\bdpo\b",
    ),
    _standard(
        "Days inventory outstanding",
        r"\bdays (?:of )?inventory outstanding\b|\bdio\b|\bdays in inventory\b",
        f"365 * average inventories | inventory / ({_COST})",
        "365 × average inventory ÷ cost of sales",
        r"\bdays (?:of )?inventory outstanding\b|\bdio\b|\bdays in inventory\b",
    ),
    _standard(
        "Operating cash flow ratio",
        r"\boperating cash flow ratio\b",
        "net cash provided by operating activities | cash provided by operating activities | "
        "cash generated by operating activities / total current liabilities",
        "operating cash flow ÷ current liabilities",
        r"\boperating cash flow ratio\b",
    ),
    _standard(
        "Dividend payout ratio",
        r"\b(?:dividend )?payout ratio\b",
        "size of dividends paid | payments for dividends | cash dividends paid | dividends "
        "as a % of net income",
        "dividends paid ÷ net income",
        r"\bpayout ratio\b",
    ),
    _standard(
        "Unadjusted EBITDA margin",
        r"\bebitda margin\b",
        f"(operating income | income from operations) + (depreciation and amortization | "
        f"depreciation, amortization and other from the cash flow statement) as a % of "
        f"({_REVENUE})",
        "(operating income + depreciation and amortization from the cash flow statement) ÷ revenue",
        r"\bebitda\b",
    ),
    _standard(
        "Unadjusted EBITDA",
        r"\bebitda\b",
        "(operating income | income from operations) + (depreciation and amortization | "
        "depreciation, amortization and other from the cash flow statement)",
        "operating income + depreciation and amortization from the cash flow statement",
        r"\bebitda\b",
    ),
)


def standard(ask: str, printed: Callable[[re.Pattern[str]], bool]) -> Definition | None:
    """The conventional definition of a standard measure the ask names, unless the filing
    prints its own line for it (``printed``)."""
    if re.match(
        r"\s*(?:why|how\s+(?:is|are|was|were|do|does|did)\b(?!\s+(?:much|many)))", ask, re.I
    ):
        return None  # "How is EBITDA calculated?": the filing's words, not a figure
    for measure in STANDARD:
        found = measure.pattern.search(ask)
        if found is None:
            continue
        if measure.printed is not None and printed(measure.printed):
            return None
        return Definition(
            measure.name,
            measure.expression,
            ask,
            source="its conventional definition",
            shown=measure.shown,
        )
    return None


# "the 3 year average (FY2017 to FY2019) of Apple's R&D expense as a % of total net sales",
# "the two-period average of cost of net revenues as a % of net revenues for 6M 2022 and 6M 2023"
_PERIODS_AVERAGE = re.compile(
    r"\b(?P<n>\d|two|three|four|five)[- ](?:year|period|fiscal[- ]year)\s+average\s*"
    r"(?:\((?P<range>[^()]*)\))?\s+(?:of\s+)?(?P<what>[^?]+?)(?P<tail>\s+(?:for|over|between|"
    r"from|in)\s+[^?]*)?\s*(?:[?.]|$)",
    re.I,
)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}


def averaged(ask: str) -> Definition | None:
    """A ratio averaged over several periods, each computed on its own, and the periods."""
    found = _PERIODS_AVERAGE.search(ask)
    if found is None:
        return None
    what = (
        re.sub(r"^.*?['’]s?\s+", "", found.group("what"))
        if re.search(r"['’]", found.group("what"))
        else found.group("what")
    )
    what = re.sub(r"^(?:the|its)\s+", "", what.strip(" ,"), flags=re.I)
    if not re.search(
        r"\bas\s+an?\s+(?:%|percent(?:age)?)\s+of\b|\bdivided\s+by\b|\bover\b", what, re.I
    ):
        return None  # "the 3 year average of revenue": the average of a line, not of a ratio
    tail = re.sub(r"\([^()]*\)", " ", found.group("tail") or "")  # "(i.e., the six months ...)"
    where = " ".join(filter(None, (found.group("range"), tail)))
    periods = find_periods(where)
    count = found.group("n").lower()
    wanted = int(count) if count.isdigit() else _COUNTS[count]
    if (
        len(periods) == 2
        and all(p.kind == "year" and p.fiscal_year for p in periods)
        and (periods[1].fiscal_year or 0) - (periods[0].fiscal_year or 0) + 1 == wanted
    ):
        first = periods[0].fiscal_year or 0
        periods = [
            replace(periods[0], fiscal_year=first + i, text=f"FY{first + i}") for i in range(wanted)
        ]
    if len(periods) != wanted:
        return None
    return Definition(
        what,
        what,
        ask,
        source="each period computed on its own, then averaged",
        over=tuple(periods),
    )
