"""The compose stage: an answer's wording and a citation for every figure it uses.

Every figure is shown the way the filing's readers expect ("$809.2 million", "35.8%", "$0.22
per share"), every operand is cited (document, table, row, column, the cell as printed,
offsets, page), and computed answers say what was computed from what.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from ingest.models import Fact
from ingest.periods import MONTH_RE

from .calculator import Node, Quantity, Step, render, run, to_percent
from .corpus import Sentence
from .models import Answer, Citation, Value
from .schedule import when as falls_due
from .understand import Intent, polarity

MAX_QUESTION = 2000


def quantity(fact: Fact) -> Quantity:
    return Quantity(fact.value, fact.unit, (fact.fact_id,))


def cite(fact: Fact) -> Citation:
    return Citation(
        doc_id=fact.doc_id,
        document=fact.document,
        kind=fact.kind,
        table=fact.table,
        row=" > ".join(fact.row_path) or fact.row,
        column=fact.column or (fact.period.label if fact.period else None),
        as_printed=fact.as_printed,
        scale=fact.scale,
        page=fact.page,
        char_start=fact.char_start,
        char_end=fact.char_end,
    )


def sentence_citation(sentence: Sentence) -> Citation:
    return Citation(
        doc_id=sentence.doc_id,
        document=sentence.document,
        kind="sentence",
        table=None,
        row=None,
        column=None,
        as_printed=sentence.text,
        scale=None,
        page=sentence.page,
        char_start=sentence.char_start,
        char_end=sentence.char_end,
    )


def display(number: Decimal, unit: str) -> str:
    """A figure the way the filing's readers expect: $809.2 million, 35.8%, $0.22 per share."""
    sign = "-" if number < 0 else ""
    size = abs(number)
    if unit == "percent":
        return f"{sign}{rounded(size, 1)}%"
    if unit == "USD/share":
        return f"{sign}${rounded(size, 2)} per share"
    if unit == "ratio":
        return f"{sign}{rounded(size, 2)}"
    if unit in ("shares", "count"):
        word = " shares" if unit == "shares" else ""
        if size >= 1_000_000_000:
            return f"{sign}{rounded(size / 1_000_000_000, 2)} billion{word}"
        if size >= 1_000_000:
            return f"{sign}{rounded(size / 1_000_000, 1)} million{word}"
        return f"{sign}{rounded(size, _printed_places(size))}{word}"
    currency = {"USD": "$", "other": ""}.get(unit, f"{unit} ")
    if size >= 1_000_000_000:
        return f"{sign}{currency}{rounded(size / 1_000_000_000, 2)} billion"
    if size >= 1_000_000:
        return f"{sign}{currency}{rounded(size / 1_000_000, 1)} million"
    return f"{sign}{currency}{rounded(size, _printed_places(size))}"


def _printed_places(size: Decimal) -> int:
    """An amount in a table's own units keeps its cents or tenths (86.8, not 87), to two."""
    exponent = size.normalize().as_tuple().exponent
    return min(2, -exponent) if isinstance(exponent, int) and exponent < 0 else 0


def rounded(number: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{number.quantize(quantum, rounding=ROUND_HALF_UP):,}"


def period_words(fact: Fact) -> str:
    if fact.period is None:
        return ""
    if fact.period.kind == "instant":
        return f" as of {fact.period.label}"
    return f" in {fact.period.label}"


_DEDUCTION = re.compile(
    r"\b(?:costs?|expenses?|allowances?|depreciation|amorti[sz]ation|losses)\b|^less\b", re.I
)
# a roll-forward's outflows, "Vested (118)", "Forfeited (41)": added or averaged as their
# sizes (a change between two of them stays signed: the outflow grew or shrank)
_OUTFLOW = re.compile(
    r"^(?:vested|forfeited|forfeitures?|cancell?ed|cancell?ations?|expired|exercised|"
    r"repurchased|redeemed|settlements?|payments?|paid|write-offs?|charge-offs?|utili[sz]ed|"
    r"utili[sz]ation|reversals?|disposals?|retirements?|deductions?|used)\b",
    re.I,
)
_NOT_DEDUCTION = re.compile(r"\b(?:income|gains?|benefits?|revenues?|profit|net)\b", re.I)


def amounts(facts: list[Fact], outflows: bool = False) -> tuple[Quantity, ...]:
    """The figures as quantities; a cost printed in parentheses on every side ("Voyage
    expenses (28,223)") is deducted by the table, not negative: it counts as the amount
    (``outflows``: so does a roll-forward's outflow, "Vested (118)", in a sum or average)."""
    deducted = all(
        f.value < 0
        and (
            _DEDUCTION.search(own_label(f))
            or (outflows and _OUTFLOW.search(own_label(f)) is not None)
        )
        and not _NOT_DEDUCTION.search(figure_name(f))  # "Other income (expense) > Interest"
        for f in facts
    )
    if not deducted:
        return tuple(quantity(f) for f in facts)
    return tuple(Quantity(abs(f.value), f.unit, (f.fact_id,)) for f in facts)


def own_label(fact: Fact) -> str:
    """A figure's own line label, without the headings above it."""
    return fact.row_path[-1] if fact.row_path else fact.row


# a column header's period words: "net goodwill at december 31 2010" names "net goodwill"
_HEADER_PERIOD = re.compile(
    rf"\b(?:(?:at|as of|for the (?:fiscal )?years?|years?|ended|ending)\b|(?:{MONTH_RE})\b|"
    r"\d[\d,]*)|\(\d\)",
    re.IGNORECASE,
)
# a row named by its period alone: "second" (quarter) of a stock price table
_PERIOD_ROW = re.compile(
    rf"(?:\b(?:first|second|third|fourth|quarter|ended|{MONTH_RE})\b|\d+|[\s,.:])+", re.IGNORECASE
)


def figure_name(fact: Fact) -> str:
    """A figure's line as the filing prints it (its row path)."""
    if fact.kind == "sentence" and not fact.row_path:
        return f"“{fact.row}”"  # a figure read off a sentence: the sentence names it
    return " > ".join(fact.row_path) or fact.row


def display_name(fact: Fact) -> str:
    """A figure's line as an answer names it: its row path, and for a row named only
    "total" or by its quarter in a table whose columns name the measures, that measure
    ("total net goodwill", "high (second)")."""
    # a line printed as the start of a sentence, "Total depreciation expense ... was | $2.5
    # million": the answer says "was" itself
    name = _VERB_AFTER.sub("", figure_name(fact))
    if fact.kind == "sentence":
        return name
    unwrapped = re.sub(r"\([^()]*\)", " ", fact.column or "")  # "(dollars in millions)"
    measure = " ".join(_HEADER_PERIOD.sub(" ", unwrapped).split()).strip(" ,")
    if not re.search(r"[a-z]{3}", measure, re.I) or measure.lower().startswith(name.lower()):
        return name  # "total (mmboe)" names no more than the "total" row
    if name.strip().lower() == "total" and len(measure.split()) > 1:
        # the "Total" row of a table whose columns name the measures: "total net goodwill"
        return f"{name} {measure}"
    if _PERIOD_ROW.fullmatch(name):
        return f"{measure} ({name})"  # "high (second)": the high price of the second quarter
    return name


def lookup_answer(intent: Intent, fact: Fact, size: bool = False) -> Answer:
    """One figure read off; ``size``: asked as an amount ("how many shares vested", "the
    losses"), a figure the table prints negative as a deduction is given as its size."""
    number = abs(fact.value) if size else fact.value
    shown = display(number, fact.unit)
    basis = f" ({fact.basis})" if fact.basis == "non-GAAP" else ""
    text = f"{display_name(fact)}{basis} was {shown}{period_words(fact)}."
    if fact.kind == "sentence" and not fact.row_path:
        text = f"{shown}, as the filing states: {figure_name(fact)}"
    return Answer(
        question=intent.question,
        status="answered",
        answer=text,
        value=Value(number, fact.unit, shown),
        citations=(cite(fact),),
        operands=(fact,),
        kind="lookup",
    )


_VERB_AFTER = re.compile(
    r"\s+(?:was|were|is|are)$"
)  # a sentence's subject "Depreciation expense was"


def listing_answer(intent: Intent, facts: list[Fact]) -> Answer:
    """One measure's figure for each period asked, in the order asked: no figure is computed,
    so the answer carries no single value."""
    shown = [f"{display(f.value, f.unit)}{period_words(f)}" for f in facts]
    listed = ", ".join(shown[:-1]) + f" and {shown[-1]}"
    return Answer(
        question=intent.question,
        status="answered",
        answer=f"{_VERB_AFTER.sub('', figure_name(facts[0]))} was {listed}.",
        value=None,
        citations=tuple(cite(f) for f in facts),
        operands=tuple(facts),
        kind="listing",
    )


def parts_answer(intent: Intent, whole: str, facts: list[Fact]) -> Answer:
    """The lines that make up ``whole``, each with its figure cited; asked how many, their
    count."""
    listed = "; ".join(own_label(f) for f in facts)
    figures = "; ".join(f"{own_label(f)} {_figure(f)}" for f in facts)
    value = None
    text = f"{listed}: the lines of {whole} ({figures})."
    if intent.counting:
        shown = str(len(facts))
        value = Value(Decimal(len(facts)), "count", shown)
        text = f"{shown}: {listed} ({figures}), the lines of {whole}."
    return Answer(
        question=intent.question,
        status="answered",
        answer=text,
        value=value,
        citations=tuple(cite(f) for f in facts),
        operands=tuple(facts),
        kind="parts",
    )


def computed(intent: Intent, program: Node, facts: list[Fact], kind: str) -> Answer:
    result = run(program)
    if intent.as_percent and result.unit == "ratio":
        result = to_percent(result)
    shown = display(result.value, result.unit)
    text = _wording(kind, shown, result.value, facts)
    return Answer(
        question=intent.question,
        status="answered",
        answer=text,
        value=Value(result.value, result.unit, shown),
        program=render(program),
        citations=tuple(cite(f) for f in dict.fromkeys(facts)),
        operands=tuple(facts),
        kind=kind,
    )


def _figure(fact: Fact) -> str:
    return f"{display(fact.value, fact.unit)}{period_words(fact)}"


_DEFINITIONS = {
    "gross_margin": "Gross margin (gross profit ÷ revenue)",
    "operating_margin": "Operating margin (operating income ÷ revenue)",
    "net_margin": "Net margin (net income ÷ revenue)",
    "effective_tax_rate": "The effective tax rate (income tax provision ÷ income before taxes)",
    "current_ratio": "The current ratio (current assets ÷ current liabilities)",
    "free_cash_flow": "Free cash flow (operating cash flow − capital expenditures)",
    "working_capital": "Working capital (current assets − current liabilities)",
    "return_on_assets": "Return on assets (net income ÷ total assets)",
}


def _wording(kind: str, shown: str, value: Decimal, facts: list[Fact]) -> str:
    if kind in ("growth", "change", "decline", "cagr") and len(facts) == 2:
        new, old = facts
        name = display_name(new)
        if kind == "cagr":
            return (
                f"{name} grew at a compound annual rate of {shown}, from {_figure(old)} to "
                f"{_figure(new)}."
            )
        verb = "grew" if value > 0 else "fell" if value < 0 else "was unchanged"
        if kind == "decline":  # a fall asked as "the decline": its size, but it fell
            verb = "fell"
        amount = shown.lstrip("-") if value else ""
        by = f" {amount}" if amount else ""
        return f"{name} {verb}{by}, from {_figure(old)} to {_figure(new)}."
    if kind in _DEFINITIONS:
        parts = " and ".join(f"{display_name(f)} {_figure(f)}" for f in facts)
        return f"{_DEFINITIONS[kind]} was {shown}, from {parts}."
    if kind in ("ratio", "difference") and len(facts) == 2:
        a, b = facts
        if kind == "ratio" and figure_name(a) == figure_name(b) and a.period != b.period:
            # one measure in two periods: "segment net sales: $12.10 billion in FY2008 is 1.69
            # times $7.15 billion in FY2009"
            times = "of" if shown.endswith("%") else "times"
            return f"{display_name(a)}: {_figure(a)} is {shown} {times} {_figure(b)}."
        if kind == "ratio" and a.kind == b.kind == "sentence" and a.row == b.row:
            # a part and its whole one sentence states: quote it once
            return f"{_figure(a)} is {shown} of {_figure(b)}, as the filing states: “{a.row}”"
        if kind == "ratio":
            first, second = display_name(a), display_name(b)
            if first == second and a.period == b.period and a.column != b.column:
                # one line's columns: "long-term retail/hnw (emea) was 19.3% of ... (total)"
                first, second = f"{first} ({a.column})", f"{second} ({b.column})"
            return f"{first} was {shown} of {second} ({_figure(a)} and {_figure(b)})."
        return (
            f"The difference is {shown}: {display_name(a)} {_figure(a)} against "
            f"{display_name(b)} {_figure(b)}."
        )
    listed = "; ".join(f"{display_name(f)} {_figure(f)}" for f in facts)
    if kind == "total_return" and len(facts) == 4:
        a, a_base, b, b_base = facts
        first, second = (
            display((x.value - base.value) / base.value * 100, "percent")
            for x, base in ((a, a_base), (b, b_base))
        )
        since, until = (f.period.label if f.period else "its base" for f in (a_base, a))
        return (
            f"{figure_name(a)} returned {first} and {figure_name(b)} {second} from {since} to "
            f"{until} (from a base of 100): a difference of {shown}."
        )
    if kind == "repurchase_cost" and len(facts) == 2:
        count, price = facts
        return (
            f"{shown}: {count.as_printed} shares bought at an average "
            f"{display(price.value, 'USD/share')} ({figure_name(count)})."
        )
    if kind == "due_share":
        *amounts, total = facts
        due = " and ".join(f"{falls_due(f)} ({display(f.value, f.unit)})" for f in amounts)
        name = figure_name(total)
        whole = name if re.search(r"[a-z]{3}", re.sub(r"(?i)\btotal\b", "", name)) else "the total"
        return f"{shown} of {whole} ({display(total.value, total.unit)}) falls due {due}."
    if kind == "formula" and len(facts) == 3:
        a, b, c = facts
        return (
            f"({figure_name(a)} − {figure_name(b)}) ÷ {figure_name(c)} = {shown} "
            f"({_figure(a)}, {_figure(b)}, {_figure(c)})."
        )
    said = {f.row for f in facts if f.kind == "sentence"}
    if kind in ("sum", "average") and len(said) == 1 and all(f.kind == "sentence" for f in facts):
        # one sentence lists every figure: quote it once
        listed = (
            "; ".join(_figure(f) for f in facts)
            + f", as the filing states: {figure_name(facts[0])}"
        )
    if kind == "sum":
        return f"Together they come to {shown} ({listed})."
    if kind == "average":
        return f"The average is {shown} ({listed})."
    return f"{shown} ({listed})."


ASKED_LENGTH = re.compile(
    r"\b(?:which|what|how many)(?: of the)? (?:fiscal )?(year|quarter)s?\b", re.I
)


def period_name(fact: Fact, years: bool = False) -> str:
    """A period as people say it: the year of a fiscal year ("2019"), or with ``years`` of
    any period ("December 31, 2019" is 2019), else its label."""
    label = fact.period.label if fact.period else fact.column or ""
    fiscal = re.fullmatch(r"FY(\d{4})", label)
    printed: set[str] = set(re.findall(r"\b(?:19|20)\d\d\b", fact.column or ""))
    if fiscal and len(printed) == 1:
        # the year its column prints: "January 3, 2020" is fiscal 2019 by the 52-53 week
        # rule, but the filing shows it as 2020
        return printed.pop()
    if fiscal:
        return fiscal.group(1)
    return str(fact.period.end.year) if years and fact.period else label


def which_answer(intent: Intent, facts: list[Fact]) -> Answer:
    """The period(s) of one row that the question picks out, every figure compared cited."""
    # the comparisons are the calculator's: table_max / table_min, and greater against the
    # question's threshold in the figures' own unit
    if intent.which in ("max", "min"):
        best = run(Step(f"table_{intent.which}", tuple(quantity(f) for f in facts)))
        chosen = [next(f for f in facts if (f.fact_id,) == best.citations)]
    elif intent.which in ("above", "below") and intent.threshold is not None:
        number, scale = intent.threshold
        above = intent.which == "above"

        def passes(fact: Fact) -> bool:
            # "less than 100.0 million" against a table printed in millions but carrying no
            # scale: compare as printed
            limit = number * scale if fact.scale else number
            if fact.unit == "percent":
                limit = number
            bound = Quantity(limit, fact.unit)
            pair = (quantity(fact), bound) if above else (bound, quantity(fact))
            return run(Step("greater", pair)).value == 1

        chosen = [f for f in facts if passes(f)]
    else:
        chosen = list(facts)
    if intent.extreme and len(chosen) == 1:
        # the figure is the answer: "the highest net rental expense" was $267 million
        best_fact = chosen[0]
        shown = display(best_fact.value, best_fact.unit)
        word = "highest" if intent.which == "max" else "lowest"
        others = "; ".join(_figure(f) for f in facts if f is not best_fact)
        return Answer(
            question=intent.question,
            status="answered",
            answer=f"{shown}: {figure_name(best_fact)} was {word}{period_words(best_fact)} "
            f"(against {others}).",
            value=Value(best_fact.value, best_fact.unit, shown),
            program=render(Step(f"table_{intent.which}", tuple(quantity(f) for f in facts))),
            citations=tuple(cite(f) for f in facts),
            operands=tuple(facts),
            kind="lookup",
        )
    asked = ASKED_LENGTH.search(intent.question)
    years = bool(asked and asked.group(1).lower() == "year")
    names = list(dict.fromkeys(period_name(f, years) for f in chosen))
    figures = ", ".join(_figure(f) for f in facts)
    cited = tuple(cite(f) for f in facts)
    if intent.counting:
        unit = "year" if years else "period"
        count = f"{len(names)} {unit}{'' if len(names) == 1 else 's'}"
        listed = f" ({', '.join(names)})" if names else ""
        text = f"{count}{listed}. {figure_name(facts[0])} was {figures}."
        value = Value(Decimal(len(names)), "count", count)
        return Answer(
            intent.question,
            "answered",
            text,
            value,
            citations=cited,
            operands=tuple(facts),
            kind="which",
        )
    if not names:
        text = f"None of the periods: {figure_name(facts[0])} was {figures}."
    else:
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        text = f"{listed}. {figure_name(facts[0])} was {figures}."
    return Answer(
        intent.question, "answered", text, citations=cited, operands=tuple(facts), kind="which"
    )


def compare_answer(intent: Intent, first: Fact, second: Fact) -> Answer:
    program = Step("greater", (quantity(first), quantity(second)))
    bigger, smaller = (first, second) if run(program).value == 1 else (second, first)
    text = (
        f"{figure_name(bigger)}{period_words(bigger)} ({display(bigger.value, bigger.unit)}) "
        f"was larger than {figure_name(smaller)}{period_words(smaller)} "
        f"({display(smaller.value, smaller.unit)})."
    )
    return Answer(
        question=intent.question,
        status="answered",
        answer=text,
        value=Value(bigger.value, bigger.unit, display(bigger.value, bigger.unit)),
        program=render(program),
        citations=(cite(first), cite(second)),
        operands=(first, second),
        kind="compare",
    )


def yes_or_no(question: str, answer: Answer) -> Answer:
    """A yes/no question about a comparison is answered "Yes" or "No" before the figures that
    decide it: a change's sign, or which of two figures is larger."""
    asked = polarity(question)
    if asked is None or answer.status != "answered" or len(answer.operands) != 2:
        return answer
    if answer.kind not in ("change", "decline", "growth", "cagr", "compare", "difference"):
        return answer
    # a change's operands are (later, earlier); a comparison's, the measures as named
    first, second = answer.operands
    larger = first.value > second.value
    yes = larger if asked == "more" else not larger and first.value != second.value
    return replace(answer, answer=f"{'Yes' if yes else 'No'}. {answer.answer}")


def clarify(question: str, facts: list[Fact]) -> Answer:
    """Two figures that fit equally well: the user says which."""
    readings = "; or ".join(
        f"{figure_name(f)} ({f.table or 'text'}){period_words(f)}: {display(f.value, f.unit)}"
        for f in facts
    )
    return Answer(
        question=question,
        status="needs_clarification",
        answer=f"Two figures fit equally well; which one do you mean: {readings}?",
        citations=tuple(cite(f) for f in facts),
    )


def not_found(question: str, message: str) -> Answer:
    return Answer(question=question[:MAX_QUESTION], status="not_found", answer=message)
