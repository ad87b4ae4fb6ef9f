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
from dataclasses import dataclass, replace
from decimal import Decimal

from ingest.models import Fact

from .calculator import Node, Quantity, Step, render, run
from .compose import cite, display, figure_name, own_label, period_words, quantity
from .instructions import STATEMENT_NAMES, STATEMENT_SOURCE
from .models import Answer, Value
from .operations import OUTFLOW
from .periods import PeriodSpec, find_periods
from .pick import Missing, Picker
from .understand import Intent

# "DSO is defined as: ...", "Define X as ...", "X, computed as ...", "X = ..."
_END = r"\s*(?:(?<!\b[A-Z])[.?!](?=\s|$)|$)"  # a sentence's end, not "U.S."
_IS_DEFINED = re.compile(
    r"(?P<name>[^.?!]*?)\s+(?:is|are)\s+(?:defined|calculated|computed|measured)\s+as\s*:?\s*"
    rf"(?P<expr>.+?){_END}",
    re.I,
)
_DEFINE = re.compile(
    rf"^\s*(?:please\s+)?(?:define|consider|treat)\s+(?P<name>.+?)\s+as\s*:?\s*(?P<expr>.+?){_END}",
    re.I,
)
_OPERATORS = re.compile(
    r"\s*(\(|\)|\+|\s[-−–]\s|\*|×|/|÷|\bplus\b|\bless\b|\bminus\b|\btimes\b|\bmultiplied\s+by\b|"
    r"\bdivided\s+by\b|\bover\b|\bas\s+an?\s+(?:%|percent(?:age)?)\s+of\b|\bsubtract(?:ing)?\b|"
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


@dataclass(frozen=True)
class Definition:
    name: str  # "DSO", "unadjusted EBITDA"
    expression: str  # as the question writes it
    rest: str  # the question without the definition


@dataclass(frozen=True)
class Operand:
    """A line item the definition names, with its own period or statement if it says one."""

    phrase: str
    periods: tuple[PeriodSpec, ...] = ()  # two: the average of both
    statements: tuple[str, ...] = ()


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
        if match is None or not match.group("expr").strip():
            continue
        name = _name(match.group("name"))
        if not name:
            continue
        rest = " ".join(question.replace(sentence, " ").split())
        return Definition(name, match.group("expr").strip(), rest)
    return None


def _name(text: str) -> str:
    """ "What is Apple's FY2019 days sales outstanding (DSO)? DSO" → "DSO"."""
    text = re.sub(r"^.*[?]\s*", "", text.strip())
    text = re.sub(r"^(?:the|a|an|we|i)\s+", "", text.strip(), flags=re.I)
    return text.strip(" ,:;\"“”'")


def names(definition: Definition) -> set[str]:
    """The words that name the defined term: its name and an abbreviation in parentheses."""
    return {w.lower() for w in re.findall(r"[A-Za-z][\w&-]*", definition.name)}


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
) -> Answer:
    """The defined measure for the period the ask names (``specs``), computed from the
    figures its definition names; ``divisor``: the ask divides it by another line ("X as a %
    of revenue")."""
    tree = parse(definition.expression)
    facts: list[Fact] = []
    program = _node(picker, intent, tree, doc_ids, specs, facts)
    percent = _is_percent(tree)
    if divisor is not None:
        base = _operand(divisor, ())
        program = Step("divide", (program, _node(picker, intent, base, doc_ids, specs, facts)))
        percent = True
    result = run(program)
    unit = result.unit
    if percent and unit == "ratio":
        result = Quantity(result.value * 100, "percent", result.citations)
        unit = "percent"
    if unit == "ratio" and _is_days(tree):
        unit = "days"
    shown = display(result.value, unit) if unit != "days" else f"{result.value:,.2f} days"
    used = "; ".join(f"{figure_name(f)} {display(f.value, f.unit)}{period_words(f)}" for f in facts)
    over = f" as a share of {divisor}" if divisor is not None else ""
    text = (
        f"{definition.name} ({definition.expression}, as the question defines it){over} is "
        f"{shown} ({used})."
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


def _node(
    picker: Picker,
    intent: Intent,
    expr: Expr,
    doc_ids: set[str],
    specs: list[PeriodSpec],
    facts: list[Fact],
) -> Node:
    if isinstance(expr, Decimal):
        return Quantity.constant(expr)
    if isinstance(expr, Term):
        left = _node(picker, intent, expr.left, doc_ids, specs, facts)
        right = _node(picker, intent, expr.right, doc_ids, specs, facts)
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
    periods = list(expr.periods) or specs[:1]
    if not periods:
        raise Missing(f"The question names no period for “{expr.phrase}”.")
    found: list[Fact] = []
    for spec in periods:
        like = found[0] if found else None
        found.append(picker.fact(expr.phrase, asked, doc_ids, spec, like=like, prose=False))
    facts.extend(found)
    if len(found) == 1:
        only = found[0]
        if only.value < 0 and OUTFLOW.search(own_label(only)):  # capital expenditures: spent
            return Quantity(abs(only.value), only.unit, (only.fact_id,))
        return quantity(only)
    if len({f.fact_id for f in found}) < len(found):
        raise Missing(f"“{expr.phrase}” is printed for only one of the periods to average.")
    total: Node = quantity(found[0])
    for fact in found[1:]:
        total = Step("add", (total, quantity(fact)))
    return Step("divide", (total, Quantity.constant(len(found))))


def _is_percent(expr: Expr) -> bool:
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
