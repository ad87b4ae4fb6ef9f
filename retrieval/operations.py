"""The plan stage: which operation a question asks for, and the program it runs.

``OPERATIONS`` is the table of operations, in the order they are tried.  Each entry says
which questions it answers (``asks``), the figures it needs (``slots``), how it picks them and
writes the calculator program (``build``), its sign convention (``sign``) and how the answer
is worded (``wording``, a kind :mod:`retrieval.compose` knows).  :func:`plan` resolves the
question's periods, then runs the first entry that asks for the question and returns an
answer; an entry whose ``build`` returns ``None`` (the filing prints no such figure) passes
the question on to the next.  A new operation is one entry.

Every figure comes from :class:`~retrieval.pick.Picker`; every number from
:mod:`retrieval.calculator`.  A stage that cannot go on raises :class:`~retrieval.pick.Missing`
or :class:`~retrieval.pick.Ambiguous`, which the engine turns into a refusal or a question
back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ingest.models import Fact
from ingest.periods import date_only

from . import schedule
from .calculator import Node, Quantity, Step
from .compose import (
    amounts,
    compare_answer,
    computed,
    figure_name,
    listing_answer,
    lookup_answer,
    own_label,
    parts_answer,
    period_words,
    quantity,
    which_answer,
)
from .corpus import Row
from .models import Answer
from .periods import MONTH_WORD, PeriodSpec, matches, shift
from .pick import Ambiguous, Missing, Picker, basis_of, of_a_kind, period_end, table_key
from .search import GENERIC, normalise, tokens
from .understand import Intent, metric_phrase

Build = Callable[[Picker, Intent, set[str], list[PeriodSpec]], "Answer | None"]


@dataclass(frozen=True)
class Operation:
    """One operation: when it applies, what it needs, how it computes, how it reads."""

    name: str
    asks: Callable[[Intent, list[PeriodSpec]], bool]
    slots: str  # the figures it picks
    build: Build  # picks them and runs the program; None when the filing has no such figure
    sign: str  # its sign convention
    wording: str  # the kind compose words it as


def plan(picker: Picker, intent: Intent, doc_ids: set[str]) -> Answer:
    """The answer of the first operation that asks for the question and finds its figures."""
    return planned(picker, intent, doc_ids)[1]


def planned(picker: Picker, intent: Intent, doc_ids: set[str]) -> tuple[Operation, Answer]:
    """The operation that answered, and its answer."""
    specs = absolute_periods(picker, intent, doc_ids)
    for operation in candidates(intent, specs):
        answer = operation.build(picker, intent, doc_ids, specs)
        if answer is not None:
            return operation, answer
    raise Missing("The question names no figure crossfoot can look up.")


def candidates(intent: Intent, specs: list[PeriodSpec]) -> list[Operation]:
    """The operations that ask for the question, in the order they are tried."""
    return [op for op in OPERATIONS.values() if op.asks(intent, specs)]


# ------------------------------------------------------------------------------ the builds
def _one(specs: list[PeriodSpec]) -> PeriodSpec | None:
    return specs[0] if specs else None


def _lookup(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    fact = picker.fact(intent.metrics[0], intent, doc_ids, _one(specs))
    return lookup_answer(intent, fact, size=_asked_as_size(intent, fact))


def _asked_as_size(intent: Intent, fact: Fact) -> bool:
    """A negative figure asked for as an amount: asked as a positive value or as spent, a
    count ("how many shares vested", "the number of options forfeited"), or losses asked for
    by that word ("what were the total
    accumulated other comprehensive losses"). A charge or an allowance printed negative is
    a reversal and keeps its sign."""
    if fact.value >= 0 or fact.kind == "sentence":
        return False
    if _AS_SPENT.search(intent.question) or _POSITIVE.search(intent.question):
        return True  # "the positive value of debt assumed", "how much was spent"
    if fact.unit in ("shares", "count") and _COUNT_ASKED.search(intent.question):
        return True
    if _CAPEX_ASKED.search(intent.question) and OUTFLOW.search(figure_name(fact)):
        return True  # "capital expenditure" is what was spent: the cash outflow's size
    return bool(_LOSSES.search(own_label(fact)) and _LOSSES.search(intent.question))


_CAPEX_ASKED = re.compile(r"\bcapital\s+expenditures?\b|\bcapex\b", re.I)


def _which(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    facts = picker.which_facts(intent, doc_ids)
    if intent.extreme and len(specs) >= 2 and all(s.fiscal_year for s in specs):
        # "from 2010 to 2012": only the years of the range
        low, high = sorted(s.fiscal_year or 0 for s in specs[:2])
        facts = [f for f in facts if f.period is not None and low <= period_end(f).year <= high]
        if len(facts) < 2:
            raise Missing("The row prints fewer than two of the years asked to compare.")
    return which_answer(intent, facts)


def _parts(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    """The lines that make up a total ("Total current assets": the rows checked at ingestion
    to add up to it) or that a heading holds ("Deferred tax liabilities:" over its lines),
    each cited in one period: the one asked, else the table's latest. The best-matching line
    or heading that has such lines answers."""
    whole = intent.metrics[0]
    wanted = set(tokens(whole)) - GENERIC - picker.names(doc_ids)
    found = picker.rows.search(whole, doc_ids, limit=5, ignore=picker.names(doc_ids))
    if not wanted or not found:
        raise Missing(f"The indexed filings have no line or heading “{whole}”.")
    for scored in found:
        named = _lines_of(picker, scored.row, wanted)
        if named is not None:
            label, parts = named
            break
    else:
        raise Missing(f"“{whole}” is not printed as the sum of lines, nor over lines of its own.")
    spec = specs[0] if specs else None
    chosen: list[Fact] = []
    for row in parts:
        dated = [f for f in row.facts if f.period is not None]
        if spec is not None:
            fy_end = picker.corpus.fy_end_month.get(row.doc_id, 12)
            dated = [f for f in dated if f.period is not None and matches(spec, f.period, fy_end)]
            if not dated:
                raise Missing(f"“{row.label}” prints nothing for {spec.text}.")
        # the latest period; a line of an undated table, its first figure
        pick_one = max(dated, key=period_end) if dated else (row.facts[0] if row.facts else None)
        if pick_one is None:
            raise Missing(f"“{row.label}” prints no figure to cite.")
        chosen.append(pick_one)
    return parts_answer(intent, label, chosen)


def _lines_of(picker: Picker, top: Row, wanted: set[str]) -> tuple[str, list[Row]] | None:
    """(the total's or heading's label, its lines) for a row the words name, or None."""
    if not top.facts:
        return None
    rows = picker.table_rows(top.facts[0])

    def summing(total: Row) -> list[Row]:
        label = total.path[-1] if total.path else total.label
        return [r for r in rows if any(f"sums_to:{label}" in f.checks for f in r.facts)]

    label = top.path[-1] if top.path else top.label
    # the total named in full: "components of revenue" is not "Total deferred revenue"
    named = set(tokens(label)) - GENERIC - _TOTAL_WORDS
    parts = summing(top) if wanted <= set(tokens(label)) and named <= wanted else []
    if len(parts) < 2:
        # a heading: the lines printed under it; of those, the ones its first total adds up
        heading = [r for r in rows if len(r.path) >= 2 and wanted <= set(tokens(r.path[-2]))]
        if len({r.path[-2] for r in heading}) != 1:
            return None
        label = heading[0].path[-2]
        totals = [r for r in heading if _is_total(r)]
        parts = summing(totals[0]) if totals else heading
    return (label, parts) if len(parts) >= 2 else None


_TOTAL_WORDS = frozenset(tokens("total totals"))


def _is_total(row: Row) -> bool:
    """A row checked at ingestion to be the sum of the rows above it."""
    return any(c.startswith("total_of:") for f in row.facts for c in f.checks)


def _table_periods(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> Answer:
    """ "Which years does the table show?": the periods of the table the question's words
    name (its title, caption or rows), or of the only table there is; a figure of each,
    from the row that prints the most of them."""
    tables: dict[tuple[str, object], list[Row]] = {}
    for row in picker.corpus.rows:
        if row.doc_id in doc_ids and row.facts and row.facts[0].kind != "sentence":
            tables.setdefault(table_key(row.facts[0]), []).append(row)
    if not tables:
        raise Missing("The indexed filings print no table.")
    if intent.metrics:
        wanted = set(tokens(intent.metrics[0])) - GENERIC - picker.names(doc_ids)

        def said(rows: list[Row]) -> int:
            fact = rows[0].facts[0]
            text = " ".join(
                [fact.table or "", picker.table_context(fact), *(" ".join(r.path) for r in rows)]
            )
            return len(wanted & set(tokens(text)))

        ranked = sorted(tables.values(), key=said, reverse=True)
        if not wanted or said(ranked[0]) * 2 < len(wanted):
            raise Missing(f"No table of the filings is about “{intent.metrics[0]}”.")
        if len(ranked) > 1 and said(ranked[1]) == said(ranked[0]):
            raise Missing(f"Several tables are about “{intent.metrics[0]}”; name one line.")
        rows = ranked[0]
    elif len(tables) == 1:
        rows = next(iter(tables.values()))
    else:
        raise Missing("The filings print several tables; say what the table shows.")

    def dated(row: Row) -> tuple[int, int]:
        # the most periods; of as many, a row of years over a balance's beginnings and ends
        periods = {f.period for f in row.facts if f.period is not None}
        return len(periods), sum(p.kind == "duration" for p in periods)

    best = max(rows, key=dated)
    facts = list({f.period: f for f in reversed(best.facts) if f.period is not None}.values())
    facts.reverse()
    if len(facts) < 2:
        # one dated column (a schedule whose years are its rows, "2020 ... Thereafter"): its
        # periods are not its columns'
        raise Missing("The table prints fewer than two dated columns.")
    return which_answer(intent, facts)


def _over_time(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> tuple[Fact, Fact, Quantity, Quantity]:
    """One measure in two periods, the earlier first."""
    if not specs:
        return _two_printed(picker, intent, doc_ids)
    earlier, later = two_periods(specs)
    old = picker.fact(intent.metrics[0], intent, doc_ids, earlier)
    new = picker.fact(intent.metrics[0], intent, doc_ids, later, like=old)
    if old.period and new.period and old.period.end > new.period.end:
        old, new = new, old
    a, b = amounts([old, new])
    return old, new, a, b


def _two_printed(
    picker: Picker, intent: Intent, doc_ids: set[str]
) -> tuple[Fact, Fact, Quantity, Quantity]:
    """No period named ("what is the growth rate of the net earnings attributable to pmi?"):
    the row's two periods when it prints exactly two of a kind; more need the years named."""
    new = picker.fact(intent.metrics[0], intent, doc_ids, None)
    if new.kind == "sentence" or new.period is None:
        raise Missing(f"“{figure_name(new)}” has no two periods to compare; name the years.")
    kin = [f for f in picker.row_of(new).facts if of_a_kind(f, new)]
    ends = sorted({f.period.end for f in kin if f.period is not None})
    if len(ends) != 2 or len(kin) != 2:
        raise Missing(
            f"“{figure_name(new)}” is printed for {len(ends)} periods; name the two to compare."
        )
    old, new = sorted(kin, key=period_end)
    a, b = amounts([old, new])
    return old, new, a, b


# "the difference in X between 2018 and 2019": the gap between two figures, not a direction;
# "the net difference", "the difference from 2018 to 2019" are signed changes
_GAP = re.compile(r"\bdifference (?:in|between|of)\b", re.I)
_DIRECTED = re.compile(r"\bnet difference\b|\bfrom\b.*\bto\b", re.I)


def _gap(intent: Intent, a: Quantity, b: Quantity) -> bool:
    """The question asks the size of a gap between two periods' amounts, not a change: not
    of rates (a margin's difference is its change in points: FinQA dev), nor with the later
    year named first ("between 2015 and 2014": that order is meant)."""
    said = intent.question
    if intent.carried or not _GAP.search(said) or _DIRECTED.search(said):
        return False
    years = [p.fiscal_year or 0 for p in sorted(intent.periods, key=lambda p: p.start)]
    named_down = len(years) == 2 and years[0] > years[1] > 0
    return not named_down and a.value >= 0 and b.value >= 0 and "percent" not in (a.unit, b.unit)


def _change(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    old, new, a, b = _over_time(picker, intent, doc_ids, specs)
    if b.value < a.value and (intent.decrease or _gap(intent, a, b)):
        # "by how much did it decrease": the size of the fall; "the difference in X between
        # 2018 and 2019" of two figures that are not negative: the gap's size (TAT-QA dev's
        # answers to these are the larger less the smaller 42 times in 50)
        return computed(intent, Step("subtract", (a, b)), [new, old], "decline")
    return computed(intent, Step("subtract", (b, a)), [new, old], "change")


def _growth(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    old, new, a, b = _over_time(picker, intent, doc_ids, specs)
    return computed(intent, Step("divide", (Step("subtract", (b, a)), a)), [new, old], "growth")


def _cagr(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    old, new, a, b = _over_time(picker, intent, doc_ids, specs)
    assert old.period is not None and new.period is not None
    years = Decimal(max(1, round((new.period.end - old.period.end).days / 365.25)))
    power = Step("divide", (Quantity.constant(1), Quantity.constant(years)))
    program: Node = Step(
        "subtract", (Step("exp", (Step("divide", (b, a)), power)), Quantity.constant(1))
    )
    return computed(intent, program, [new, old], "cagr")


def _period_ratio(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> Answer:
    one = picker.fact(intent.metrics[0], intent, doc_ids, specs[0])
    other = picker.fact(intent.metrics[0], intent, doc_ids, specs[1], like=one)
    return computed(intent, Step("divide", (quantity(one), quantity(other))), [one, other], "ratio")


def _two_measures(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> tuple[Fact, Fact]:
    first = picker.fact(intent.metrics[0], intent, doc_ids, _one(specs))
    return first, picker.fact(intent.metrics[1], intent, doc_ids, _one(specs), like=first)


def _ratio(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    spec = _one(specs)
    try:
        first = picker.fact(intent.metrics[0], intent, doc_ids, spec)
    except Missing:
        # "what portion of the long-term retail/hnw is related to americas?": the part is a
        # column of the whole's line
        across = _column_share(picker, intent, doc_ids, spec) or picker.sentence_share(
            intent, doc_ids, spec
        )
        if across is None:
            raise
        first, second = across
        return computed(
            intent, Step("divide", (quantity(first), quantity(second))), [first, second], "ratio"
        )
    try:
        second = picker.fact(intent.metrics[1], intent, doc_ids, spec, like=first)
    except Missing:
        total = _bare_total(picker, intent, first)
        if total is None:
            stated = picker.sentence_share(intent, doc_ids, spec)
            if stated is None:
                raise
            first, total = stated
        second = total
    else:
        if second.fact_id == first.fact_id and re.match(
            r"\s*(?:the\s+)?total\b", intent.metrics[1], re.I
        ):
            # "the long-term retail/hnw in emea as a percentage of the total long-term
            # retail/hnw": the whole is the same line's "total" column
            second = _total_column(picker, first) or second
        if (
            first.kind != "sentence"
            and (
                second.row_path != first.row_path
                # the part's own figure again, for a whole that does not name its line
                or (second.fact_id == first.fact_id and not _names_line(intent.metrics[1], first))
            )
            and second.fact_id in {f.fact_id for row in picker.table_rows(first) for f in row.facts}
            and not re.match(r"\s*total\b", own_label(second), re.I)
        ):
            # "total operating revenues" bound to "freight revenues", a line beside the part
            # in its own table: no component is a total; the table's "Total" line is
            second = _bare_total(picker, intent, first) or second
    if (
        first.unit == "percent"
        and second.unit == "USD"
        and intent.as_percent
        and re.search(r"revenue|sales", figure_name(second), re.I)
        and re.search(r"%|percent|margin|rate", f"{figure_name(first)} {first.table}", re.I)
        and not picker.lacks(intent.metrics[0], first, doc_ids)
    ):
        return lookup_answer(intent, first)  # the filing prints this ratio itself
    if first.unit != second.unit and "USD" in (first.unit, second.unit):
        # "net income as a percent of revenue": amounts over amounts, not a printed
        # percentage over an amount
        first = picker.fact(intent.metrics[0], intent, doc_ids, spec, unit="USD")
        second = picker.fact(intent.metrics[1], intent, doc_ids, spec, like=first, unit="USD")
    a, b = quantity(first), quantity(second)
    if intent.as_percent:
        printed = printed_percent(picker, intent, first, second, doc_ids, spec)
        if printed is not None:
            return printed
    if a.value < 0 < b.value and (
        _EXPENSE.search(figure_name(first))
        or first.unit in ("shares", "count")
        or OUTFLOW.search(figure_name(first))
    ):
        # a cost printed as (193); shares a roll-forward deducts ("Vested (365,223)"); cash
        # spent on purchases of property ("capital expenditures as a % of revenue")
        a = Quantity(abs(a.value), a.unit, a.citations)
    return computed(intent, Step("divide", (a, b)), [first, second], "ratio")


def _names_line(phrase: str, fact: Fact) -> bool:
    """Whether a phrase says every word of a figure's own line ("total operating leases"
    names the line "Operating leases"; "total contractual obligations" does not name
    "Purchase obligations")."""
    return set(tokens(own_label(fact))) <= set(tokens(phrase))


# a column headed "total" alone: "Total", "Total (in thousands)"; not "Total Number of Shares
# Purchased as Part of Publicly Announced Program"
_TOTAL_COLUMN = re.compile(r"\s*total\s*(?:\([^()]*\)\s*)?", re.I)


def _total_column(picker: Picker, fact: Fact) -> Fact | None:
    """The same line's figure under a column headed "total" ("americas | emea | total"), of
    the same period and unit; none for a sentence's figure."""
    if fact.kind == "sentence":
        return None
    totals = [
        f
        for f in picker.row_of(fact).facts
        if f.fact_id != fact.fact_id
        and _TOTAL_COLUMN.fullmatch(f.column or "")
        and f.period == fact.period
        and f.unit == fact.unit
    ]
    return totals[0] if len(totals) == 1 else None


def _column_share(
    picker: Picker, intent: Intent, doc_ids: set[str], spec: PeriodSpec | None
) -> tuple[Fact, Fact] | None:
    """A share whose part names a column, not a line: "what portion of the long-term
    retail/hnw is related to americas?" is the line's "americas" figure over its "total"
    one. The part must name every content word of exactly one column of the whole's line."""
    try:
        whole = picker.fact(intent.metrics[1], intent, doc_ids, spec)
    except Missing:
        return None
    if whole.kind == "sentence":
        return None
    asked = set(tokens(intent.metrics[0])) - GENERIC
    if not asked:
        return None
    parts = [
        f
        for f in picker.row_of(whole).facts
        if asked <= set(tokens(f.column or ""))
        and f.period == whole.period
        and f.unit == whole.unit
    ]
    if len(parts) != 1:
        return None
    total = whole if _TOTAL_COLUMN.fullmatch(whole.column or "") else _total_column(picker, whole)
    if total is None or total.fact_id == parts[0].fact_id:
        return None
    return parts[0], total


def _bare_total(picker: Picker, intent: Intent, part: Fact) -> Fact | None:
    """ "What percentage of total inventories is comprised of finished goods": no line is
    named "total inventories", but the part's own table ends in a line labelled "Total"
    alone; its figure in the part's column is the whole."""
    whole = intent.metrics[1] if len(intent.metrics) == 2 else ""
    if (
        not intent.as_percent
        or part.kind == "sentence"
        or not re.match(r"\s*(?:the\s+)?total\b", whole, re.I)
    ):
        return None
    totals = [
        f
        for row in picker.table_rows(part)
        if re.fullmatch(r"\s*total\s*:?\s*", row.label, re.I)
        for f in row.facts
        if f.column == part.column and f.period == part.period and f.unit == part.unit
    ]
    return totals[0] if len(totals) == 1 and totals[0].fact_id != part.fact_id else None


def _formula(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    # "(product revenue less product cost of revenues, over product revenue)"
    first, second = _two_measures(picker, intent, doc_ids, specs)
    assert intent.over is not None
    base = picker.fact(intent.over, intent, doc_ids, _one(specs), like=first, unit="USD")
    a, b = quantity(first), quantity(second)
    ratio: Node = Step("divide", (Step("subtract", (a, b)), quantity(base)))
    return computed(intent, ratio, [first, second, base], "formula")


def _difference(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> Answer:
    first, second = _two_measures(picker, intent, doc_ids, specs)
    a, b = quantity(first), quantity(second)
    if b.value < 0 < a.value and OUTFLOW.search(figure_name(second)):
        # "operating cash flow minus purchases of property" with the purchase printed as
        # (146,858): subtract what was spent, not a negative number
        b = Quantity(abs(b.value), b.unit, b.citations)
    step = Step("subtract", (b, a) if intent.decrease and a.value < b.value else (a, b))
    return computed(intent, step, [first, second], "difference")


def _compare(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    return compare_answer(intent, *_two_measures(picker, intent, doc_ids, specs))


def _compare_periods(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> Answer:
    one = picker.fact(intent.metrics[0], intent, doc_ids, specs[0])
    return compare_answer(
        intent, one, picker.fact(intent.metrics[0], intent, doc_ids, specs[1], like=one)
    )


def _sum_or_average(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> Answer:
    op = intent.operation
    spec = _one(specs)
    facts: list[Fact] = []
    printed = printed_total(picker, intent, doc_ids, spec) if op == "sum" else None
    if printed is not None:
        return printed
    if len(intent.metrics) >= 2:
        for metric in intent.metrics:
            facts.append(
                picker.fact(metric, intent, doc_ids, spec, like=facts[0] if facts else None)
            )
    elif intent.all_periods or _is_range(intent, specs) or (not specs and op == "average"):
        facts = picker.across_periods(intent.metrics[0], intent, doc_ids, specs)
    elif len(specs) >= 2:
        for each in specs:
            like = facts[0] if facts else None
            facts.append(picker.fact(intent.metrics[0], intent, doc_ids, each, like=like))
        if len({f.kind for f in facts}) > 1:
            # "Internal use software $33,351" in a table for 2019 and a sentence's "amounts
            # capitalized" for 2018 are two measures, not one measure's two years
            raise Missing(
                f"The figures found for “{intent.metrics[0]}” come from a table for one period "
                "and a sentence for another; crossfoot cannot tell they are one measure."
            )
    elif op == "average":
        # "the 2019 average inventory": the balance at the start and the end of 2019, i.e.
        # the 2019 and 2018 figures
        earlier, later = two_periods(specs)
        facts = [picker.fact(intent.metrics[0], intent, doc_ids, later)]
        facts.append(picker.fact(intent.metrics[0], intent, doc_ids, earlier, like=facts[0]))
    else:
        # "the aggregate market value ... on September 9, 1999": one figure, read off
        lookup = replace(intent, operation="lookup")
        return lookup_answer(lookup, picker.fact(intent.metrics[0], lookup, doc_ids, spec))
    # "cash, cash equivalents and ...": two names of one line are one figure
    facts = list(
        {
            (figure_name(f).split(" > ")[-1].lower(), f.value, period_words(f)): f
            for f in reversed(facts)
        }.values()
    )[::-1]
    if len(facts) < 2:
        raise Missing("The parts named come to one figure; name two different ones.")
    sentences = {(f.doc_id, f.row) for f in facts if f.kind == "sentence"}
    if op == "sum" and len(sentences) > 1 and all(f.kind == "sentence" for f in facts):
        # "$26 million in each of the years 2008 through 2012" and "a total of $136 million"
        # are no parts of one sum: a sum's parts come from one listing (on the development
        # sets every sum across sentences was wrong, every sum within one right)
        raise Missing(
            f"The figures found for “{intent.metrics[0]}” come from different sentences; "
            "crossfoot cannot tell they are parts of one total."
        )
    name = "table_sum" if op == "sum" else "table_average"
    if all(f.value < 0 for f in facts) and _AS_SPENT.search(intent.question):
        # "purchases of property ... (as a positive amount spent)": the amounts paid
        quantities = tuple(Quantity(abs(f.value), f.unit, (f.fact_id,)) for f in facts)
        return computed(intent, Step(name, quantities), facts, op)
    return computed(intent, Step(name, amounts(facts, outflows=True)), facts, op)


# "What was the Gross Profit in 2019, 2018 and 2017 respectively?", "What are the respective
# values of raw materials in 2018 and 2019?": one figure per year named, in the order named.
# Without "respectively", "what was X in 2008 and 2012" is a listing in TAT-QA dev (3 of 4)
# and a sum in ConvFinQA dev (1 of 1): too few to read either way, so it stays a lookup.
_RESPECTIVELY = re.compile(r"\brespective(?:ly)?\b", re.I)
_NOT_A_LIST = re.compile(
    r"\b(?:sum|combined|together|difference|change|how many|average|growth|increase|"
    r"decrease|ratio|percentage change|between)\b",
    re.I,
)


def _lists_years(intent: Intent, specs: list[PeriodSpec]) -> bool:
    """Two or more years (or days) asked for one measure "respectively", each to be read
    off, with no word that combines them."""
    if intent.operation != "lookup" or len(intent.metrics) != 1 or len(specs) < 2:
        return False
    years = all(
        s.kind in ("bare_year", "year") or (s.kind, s.months) == ("ended", 12) for s in specs
    )
    # "the respective cash amount at June 30 and December 31, 2019": a balance on each day
    days = all(s.kind == "instant" and s.date is not None for s in specs)
    if not (years or days):
        return False
    if _NOT_A_LIST.search(_RESPECTIVELY.sub(" ", intent.question)):
        return False
    return bool(_RESPECTIVELY.search(intent.question))


def _quoted(name: str) -> str:
    return name if name.startswith("“") else f"“{name}”"  # a sentence comes quoted


def _listing(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    """Each year's figure of one measure, in the order the question names the years; a
    range ("for fiscal years 2019 to 2017 respectively") is every year in it. The figures
    are one line's (or one sentence's), all of one kind of period."""
    metric = _RESPECTIVELY.sub(" ", intent.metrics[0])
    facts: list[Fact] = []
    between = intent.question[specs[0].end : specs[1].start]
    if _is_range(intent, specs) or re.fullmatch(r"\s*(?:to|through|-|–)\s*", between):
        facts = picker.across_periods(metric, intent, doc_ids, specs[:2])
        later_first = (specs[0].fiscal_year or 0) > (specs[1].fiscal_year or 0)
        facts.sort(key=lambda f: f.period.end if f.period else date.min, reverse=later_first)
    for spec in specs if not facts else ():
        facts.append(picker.fact(metric, intent, doc_ids, spec, like=facts[0] if facts else None))
    if len({f.fact_id for f in facts}) < len(facts):
        raise Missing("The filings print one figure for the years named, not one for each.")
    lines = {(f.kind, f.table_index, "" if f.kind == "sentence" else own_label(f)) for f in facts}
    if len(lines) > 1:
        # a sentence's figure for one year beside a table's for the other is two readings
        first, last = (_quoted(figure_name(f)) for f in (facts[0], facts[-1]))
        raise Missing(
            f"The figures found for the years named are not one line's: {first} and {last}."
        )
    if len({f.period.kind if f.period else None for f in facts if f.kind != "sentence"}) > 1:
        # "Net income ... as of December 27, 2019" beside "in FY2018": a column misdated
        raise Missing(
            f"The figures found for {_quoted(figure_name(facts[0]))} are not all for a year: "
            + ", ".join(period_words(f).strip() or "undated" for f in facts)
            + "."
        )
    return listing_answer(intent, facts)


_COMPANY_WORDS = frozenset(tokens("inc incorporated corp corporation co company plc ltd the"))


def _total_return(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> Answer:
    """A performance graph's return: each line's value at the date asked (else its last)
    over its value at the graph's base, where every line starts at 100; two lines named
    ("A compared to B") give the difference of their returns."""
    end = specs[-1] if specs else None
    returns: list[Node] = []
    facts: list[Fact] = []
    for metric in intent.metrics[:2]:
        found = picker.fact(metric, intent, doc_ids, end, like=facts[0] if facts else None)
        row = picker.row_of(found)
        line, name = list(row.facts), row.label
        if row.path and date_only(row.path[-1]):
            # dates as rows, the lines as columns ("december 31 2013 | $100.00 | ..." under
            # "date | pmi | s&p 500 index"): the line is the column
            line = [
                replace(f, row_path=(f.column,))  # named by its column: "pmi", not the date
                for r in picker.table_rows(found)
                for f in r.facts
                if f.column == found.column
            ]
            name = found.column
            found = next(f for f in line if f.fact_id == found.fact_id)
        wanted = set(tokens(metric)) - GENERIC - _COMPANY_WORDS - picker.names(doc_ids)
        if not wanted or not wanted <= set(tokens(name)):
            # "s&p500 inc" is not "cadence design systems inc.": a line is named in full
            raise Missing(
                f"No line of a performance graph is named “{metric}”; the closest is “{name}”."
            )
        dated = [f for f in line if f.period is not None]
        if not dated:
            raise Missing(f"“{figure_name(found)}” has no dated values: no return to read.")
        base = min(dated, key=period_end)
        last = found if end is not None else max(dated, key=period_end)  # its last column
        if end is not None and end.kind == "bare_year":
            printed = _printed_with(dated, end.fiscal_year)
            if len(printed) == 1:
                last = printed[0]  # "to 2004": the column printed "january 3 2004", fiscal 2003
        start = specs[0] if len(specs) >= 2 else None
        if start is not None and start.kind == "bare_year":
            # "the roi of an investment in nasdaq from 2017 to 2018": from the 2017 value,
            # which is the base only when the graph starts there
            printed = _printed_with(dated, start.fiscal_year)
            if len(printed) != 1:  # dates as rows: the date its period ends on
                printed = [f for f in dated if period_end(f).year == start.fiscal_year]
            if len(printed) != 1 or printed[0] is last:
                raise Missing(
                    f"“{figure_name(last)}” prints no one value for {start.text} to read a "
                    "return from."
                )
            base = printed[0]
        elif base.value != 100 or base is last:
            raise Missing(
                f"“{figure_name(last)}” does not start from a base of 100 before "
                f"{period_words(last).strip() or 'its last column'}: no return to read."
            )
        # an index level: "$100.00" and "79.96" in one line are one unit
        now, then = (Quantity(f.value, "count", (f.fact_id,)) for f in (last, base))
        returns.append(Step("divide", (Step("subtract", (now, then)), then)))
        facts += [last, base]
    if len(returns) == 1:
        return computed(intent, returns[0], facts, "growth")
    return computed(intent, Step("subtract", (returns[0], returns[1])), facts, "total_return")


def _printed_with(facts: list[Fact], year: int | None) -> list[Fact]:
    """The figures whose column is printed with ``year`` ("january 3 2004" for 2004)."""
    return [f for f in facts if re.search(rf"\b{year}\b", f.column)]


_SHARES_COLUMN = re.compile(r"number\s*of\s*shares|shares\s*(?:re)?purchased", re.I)
_PART_OF_PLAN = re.compile(r"as\s*part\s*of|not\s*purchased|may\s*yet|maximum|value", re.I)
_PRICE_COLUMN = re.compile(r"average\s*price", re.I)


def _repurchase_cost(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> Answer:
    """What repurchases cost: the shares bought times their average price, from a table of
    repurchases by month ("total number of shares purchased | average price paid per share"),
    in the month asked, else its total line (the quarter, the year, or "the total")."""
    tables = []
    for rows in picker.repurchase_tables(doc_ids):
        columns = list(dict.fromkeys(f.column for row in rows for f in row.facts))
        counted = [c for c in columns if _SHARES_COLUMN.search(c) and not _PART_OF_PLAN.search(c)]
        priced = [c for c in columns if _PRICE_COLUMN.search(c)]
        if len(counted) == 1 and len(priced) == 1:
            tables.append((rows, counted[0], priced[0]))
    if len(tables) != 1:
        raise Missing(
            "The filings print no one table of repurchases with a column of shares bought and "
            "one of their average price."
        )
    rows, counted_column, priced_column = tables[0]
    month = MONTH_WORD.search(re.sub(r"\bdecember 31\b", " ", intent.question, flags=re.I))
    if month is None and any(spec.kind in ("bare_year", "year") for spec in specs):
        # "for all of 2011" over a table of one quarter's months: its total is the quarter's
        raise Missing(
            "The table of repurchases gives months and their total, not a year's repurchases."
        )
    if month is not None:
        wanted = [r for r in rows if r.label.lower().startswith(month.group(1).lower()[:3])]
    else:
        wanted = [r for r in rows if re.match(r"\s*total\b", r.label, re.I)]
    if len(wanted) != 1:
        said = month.group(1) if month else "the total"
        raise Missing(f"The table of repurchases has no one line for {said}.")
    row = wanted[0]
    count = next((f for f in row.facts if f.column == counted_column), None)
    price = next((f for f in row.facts if f.column == priced_column), None)
    if count is None or price is None or count.value <= 0 or price.value <= 0:
        raise Missing(f"“{row.label}” prints no number of shares and average price to multiply.")
    bought = Quantity(count.value, "shares", (count.fact_id,))
    each = Quantity(price.value, "USD/share", (price.fact_id,))
    return computed(intent, Step("multiply", (bought, each)), [count, price], "repurchase_cost")


def _due_share(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> Answer:
    """The share of a schedule's total falling due in a year, or after it: the amounts of
    those years (added when several) over the printed total they add up to."""
    table = schedule.find(picker, intent.metrics[0], doc_ids)
    if intent.within is not None:
        parts = table.within(*intent.within)
        if not parts:
            raise Missing(
                f"The schedule of “{figure_name(table.total)}” does not split where the question "
                "asks: its columns are " + ", ".join(schedule.when(f) for _, f in table.parts) + "."
            )
    else:
        assert intent.due is not None
        when, year = intent.due
        parts = table.due(when, year)
        if not parts:
            raise Missing(
                f"The schedule of “{figure_name(table.total)}” does not split at {year}: "
                f"it lists {', '.join(sorted({str(first) for (first, _), _ in table.parts}))}."
            )
    part: Node = (
        quantity(parts[0])
        if len(parts) == 1
        else Step("table_sum", tuple(quantity(f) for f in parts))
    )
    return computed(
        intent, Step("divide", (part, quantity(table.total))), [*parts, table.total], "due_share"
    )


# ------------------------------------------------------------------ figures the filing prints


def derived(picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]) -> Answer:
    """A standard measure: the filing's own figure when it prints one, else computed from
    its definition."""
    spec = specs[0] if specs else None
    name = intent.derived
    parts = {
        "gross_margin": ("gross profit", "total revenue"),
        "operating_margin": ("operating income", "total revenue"),
        "net_margin": ("net income", "total revenue"),
        "effective_tax_rate": ("provision for income taxes", "income before income taxes"),
        "current_ratio": ("total current assets", "total current liabilities"),
        "working_capital": ("total current assets", "total current liabilities"),
        "free_cash_flow": ("net cash provided by operating activities", "capex"),
        "return_on_assets": ("net income", "total assets"),
    }[name or ""]
    # the measure as the filing reports it when the question asks for that ("as reported",
    # "non-GAAP"); otherwise computed from the financial statements' own lines, which a
    # rounded "Operating margin 34%" in the discussion only approximates
    phrase = metric_phrase(intent.question)
    reported = bool(_REPORTED.search(intent.question)) or basis_of(phrase, intent) == "non-GAAP"
    # "Products gross margin percentage": a part's measure, which the filing prints itself
    narrowed = set(tokens(phrase)) - picker.names(doc_ids) - GENERIC - _MEASURE_WORDS
    reported = reported or bool(narrowed)
    # free cash flow has no one definition (this one less dividends, that one less
    # acquisitions): a line the filing prints is the company's own, asked before the
    # statements' lines
    printed_first = name == "free_cash_flow" and not reported
    if printed_first:
        printed = printed_measure(picker, intent, doc_ids, spec, name or "")
        if printed is not None:
            return printed
    pair = None if reported else _statement_pair(picker, intent, doc_ids, spec, parts)
    if pair is None:
        printed = (
            None if printed_first else printed_measure(picker, intent, doc_ids, spec, name or "")
        )
        if printed is not None:
            return printed
        first = picker.fact(parts[0], intent, doc_ids, spec, unit="USD")
        second = picker.fact(parts[1], intent, doc_ids, spec, like=first, unit="USD")
    else:
        first, second = pair
    if name in ("current_ratio", "working_capital") and not all(
        re.search(r"\bcurrent\b", own_label(f), re.I) for f in (first, second)
    ):
        # a balance sheet without current subtotals (a REIT's) has no current ratio
        raise Missing(
            f"The balance sheet prints no current assets and current liabilities subtotals; "
            f"the closest lines are “{figure_name(first)}” and “{figure_name(second)}”."
        )
    a, b = quantity(first), quantity(second)
    if name in ("gross_margin", "operating_margin", "net_margin") and pair is None:
        printed = printed_percent(picker, intent, first, second, doc_ids, spec)
        if printed is not None:
            return printed
    if name == "effective_tax_rate":  # an expense printed in parentheses is still a cost
        a = Quantity(abs(a.value), a.unit, a.citations)
    if name == "working_capital":
        return computed(intent, Step("subtract", (a, b)), [first, second], "working_capital")
    if name == "free_cash_flow":
        capex = Quantity(abs(b.value), b.unit, b.citations)
        return computed(intent, Step("subtract", (a, capex)), [first, second], "free_cash_flow")
    return computed(intent, Step("divide", (a, b)), [first, second], name or "ratio")


_REPORTED = re.compile(
    r"\b(?:as\s+reported|as\s+(?:the\s+)?(?:company|filing)\s+reports?|reported|did\s+[\w.&'’ -]+?"
    r"\s+report)\b",
    re.I,
)
_STATEMENTS = ("income_statement", "balance_sheet", "cash_flow", "equity")
# the words of the standard measures' own names (as ``tokens`` reads them)
_MEASURE_WORDS = frozenset(
    tokens(
        "gross profit margin percentage percent rate operating net income effective tax "
        "current ratio working capital free cash flow return on total average assets roa "
        "consolidated company total of the"
    )
)


def _statement_pair(
    picker: Picker,
    intent: Intent,
    doc_ids: set[str],
    spec: PeriodSpec | None,
    parts: tuple[str, str],
) -> tuple[Fact, Fact] | None:
    """A measure's two lines from the financial statements (or the statements the question
    names), or None when they do not print both."""
    within = replace(intent, statements=intent.statements or _STATEMENTS)
    try:
        first = picker.fact(parts[0], within, doc_ids, spec, unit="USD", prose=False)
        second = picker.fact(parts[1], within, doc_ids, spec, like=first, unit="USD", prose=False)
    except (Missing, Ambiguous):
        return None
    for part, fact in ((parts[0], first), (parts[1], second)):
        plain = re.sub(r"\b(?:expenses?|costs?|capex)\b", " ", part, flags=re.I)
        if picker.lacks(plain, fact, doc_ids, own_words=True):
            return None  # "Operating activities > Net income" is not the cash from operations
    return first, second


def printed_growth(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> Answer | None:
    """A growth rate the filing prints: a percentage row of changes ("Comparable sales
    > International Operated Markets 20.4%"), or a sentence ("Comparable store net sales
    ... decreased 0.7 percent") when no row names the metric."""
    pair = [p for p in two_periods(specs) if p is not None]
    if not pair:
        return None
    # the growth belongs to the later period
    later = max(pair, key=lambda p: (p.fiscal_year or 0, p.date or date.min, p.quarter or 0))
    metric = intent.metrics[0]
    lookup = replace(intent, operation="lookup", as_percent=True)
    names = picker.names(doc_ids)
    candidates = picker.rows.search(metric, doc_ids, limit=10, ignore=names)
    for scored in candidates:
        if scored.score < 0.5:
            break
        words = f"{scored.row.label} {scored.row.table or ''}"
        if not _GROWTH_WORDS.search(words) or picker.lacks(metric, scored.row.facts[0], doc_ids):
            continue
        for fact in scored.row.facts:
            fits = picker.penalty(fact, scored.row, lookup, later, None, basis_of(metric, intent))
            if fact.unit in ("percent", "other") and fits is not None and fits < 0.3:
                # a table of changes prints rates; a bare "20.4" in it is one too
                return lookup_answer(intent, replace(fact, unit="percent"))
    if candidates and not picker.lacks(metric, candidates[0].row.facts[0], doc_ids):
        return None  # a row names it: compute the growth from its figures
    said = picker.sentence_fact(metric, lookup, doc_ids, later, "percent", changes=True)
    return lookup_answer(intent, said) if said is not None else None


def printed_change(
    picker: Picker, intent: Intent, doc_ids: set[str], specs: list[PeriodSpec]
) -> Answer | None:
    """ "The change in accounts receivable shown in operating cash flows": a row printed
    under "Changes in ..." is that change itself, not a difference of two balances."""
    spec = _one(specs)
    if spec is None or not re.search(r"\bchanges? in\b", intent.question, re.I):
        return None
    lookup = replace(intent, operation="lookup")
    try:
        fact = picker.fact(intent.metrics[0], lookup, doc_ids, spec)
    except (Missing, Ambiguous):
        return None
    if not re.search(r"\bchanges? in\b", " ".join(fact.row_path), re.I):
        return None
    return lookup_answer(intent, fact)


def printed_total(
    picker: Picker, intent: Intent, doc_ids: set[str], spec: PeriodSpec | None
) -> Answer | None:
    """ "The total of cash, cash equivalents and available-for-sale investments": when a
    table totals exactly those, its Total row is the filing's own sum."""
    if len(intent.metrics) < 2:
        return None
    phrase = re.sub(r"\([^)]*\)", " ", metric_phrase(intent.question))
    lookup = replace(intent, operation="lookup")
    scored = picker.rows.search(phrase, doc_ids, limit=5, ignore=picker.names(doc_ids))
    for candidate in scored:
        if candidate.score < 0.5 * scored[0].score:
            break
        label = candidate.row.path[-1].strip().lower() if candidate.row.path else ""
        own = set(tokens(label))
        # "GAAP R&D and MG&A" prints the sum of research and development and MG&A
        parts = set().union(*(set(tokens(m)) for m in intent.metrics))
        covers_parts = (
            bool(re.search(r"\band\b|&|\+", normalise(label)))
            and all(
                set(tokens(m)) - GENERIC - picker.names(doc_ids) - {"expense", "cost"} <= own
                for m in intent.metrics
            )
            # "Short-term debt and current portion of long-term debt" names more than the
            # two parts: it is one line, not their total
            and not own - parts - GENERIC - {"expense", "cost", "total"}
        )
        plain_phrase = re.sub(r"\b(?:expenses?|costs?)\b", " ", phrase, flags=re.I)
        if not (label.startswith("total") or covers_parts) or picker.lacks(
            plain_phrase, candidate.row.facts[0], doc_ids
        ):
            continue
        for fact in candidate.row.facts:
            if picker.penalty(fact, candidate.row, lookup, spec, None) is not None and (
                spec is not None
            ):
                return lookup_answer(intent, fact)
    return None


def printed_measure(
    picker: Picker, intent: Intent, doc_ids: set[str], spec: PeriodSpec | None, name: str
) -> Answer | None:
    """ "Non-GAAP operating margin", "Products gross margin percentage", "Adjusted free
    cash flow": a row (in the measure's unit) whose own words carry every word of the
    question's measure is the filing's own figure."""
    phrase = metric_phrase(intent.question)
    measure = {
        "gross_margin": "grossprofit",
        "effective_tax_rate": "tax",
        "net_margin": "netincome",
        "free_cash_flow": "free",
        "current_ratio": "ratio",
        "working_capital": "working",
        "return_on_assets": "roa",
    }.get(name, name.split("_")[0])
    unit = {"free_cash_flow": "USD", "working_capital": "USD", "current_ratio": "ratio"}.get(
        name, "percent"
    )
    basis = basis_of(phrase, intent)
    lookup = replace(intent, operation="lookup")
    for scored in picker.rows.search(phrase, doc_ids, limit=10, ignore=picker.names(doc_ids)):
        if scored.score < 0.5:
            break
        label = set(tokens(" ".join(scored.row.path)))
        if not any(measure in t for t in label) or picker.lacks(
            phrase, scored.row.facts[0], doc_ids, own_words=True
        ):
            continue
        free = name == "free_cash_flow"
        # free cash flow is a non-GAAP measure by definition: its line's basis is no penalty
        limit = 0.3 + (0.4 if free else 0.0)
        for fact in scored.row.facts:
            # a cash flow table printed without a currency sign reads its figures as counts
            # (and :meth:`Picker.penalty` charges a count asked as money 0.3)
            counted = free and fact.unit == "count"
            if fact.unit != unit and not counted:
                continue
            fits = picker.penalty(fact, scored.row, lookup, spec, None, basis, None)
            if fits is not None and fits < limit + (0.3 if counted else 0.0):
                return lookup_answer(intent, fact)
    return None


def printed_percent(
    picker: Picker,
    intent: Intent,
    part: Fact,
    whole: Fact,
    doc_ids: set[str],
    spec: PeriodSpec | None,
) -> Answer | None:
    """ "Gross margin as a % of revenue": when the filing prints that percentage for the
    same period, cite it rather than recompute it (they can differ in the last digit)."""
    if not re.search(r"revenue|sales", figure_name(whole), re.I) or part.period is None:
        return None
    phrase = f"{figure_name(part).split(' > ')[-1]} as a % of revenue"
    printed: list[tuple[float, int, bool, int, Fact]] = []
    for order, scored in enumerate(picker.rows.search(phrase, {part.doc_id}, limit=5)):
        if scored.score < 0.5 or (
            "%" not in scored.row.label and "percent" not in (scored.row.label.lower())
        ):
            continue
        for fact in scored.row.facts:
            if (
                fact.unit == "percent"
                and fact.period is not None
                and fact.period.label == part.period.label
                and (fact.basis == part.basis or part.basis is None)
            ):
                # one line printed in several reconciliations: the one whose table says the
                # question's other words, else the one beside the amount
                says = picker.context_says(fact, intent.question, phrase)
                same = fact.table_index == part.table_index
                printed.append((round(scored.score, 6), says, same, -order, fact))
    if not printed:
        return None
    return lookup_answer(intent, max(printed, key=lambda p: p[:4])[4])


def two_periods(specs: list[PeriodSpec]) -> tuple[PeriodSpec | None, PeriodSpec | None]:
    """The earlier and the later period of a change: the two named, or the one named and the
    year before it."""
    if len(specs) >= 2:
        return specs[0], specs[1]
    if len(specs) == 1:
        prior = shift(PeriodSpec("relative", "", 0, 0, relative="prior_year"), specs[0])
        return prior, specs[0]
    return None, None


def absolute_periods(
    picker: Picker, intent: Intent, doc_ids: set[str] | None = None
) -> list[PeriodSpec]:
    out: list[PeriodSpec] = []
    periods = _quarter_of_year(intent.periods)
    absolute = [p for p in periods if p.kind != "relative"]
    two = intent.operation in ("percent_change", "difference", "cagr", "compare")
    if two and len(absolute) == 2 and absolute[1].kind in ("year", "bare_year"):
        before = intent.question[: absolute[1].start].lower()
        if re.search(r"\bsame (?:period|quarter|months|weeks)(?: of| in)?\s*$", before):
            # "the first thirty-nine weeks of fiscal 2024 than the same period of fiscal
            # 2023": the first period's span, in the second's year
            absolute = [
                absolute[0],
                replace(absolute[0], fiscal_year=absolute[1].fiscal_year, date=None),
            ]
    if absolute and (not two or len(absolute) >= 2):
        # "the prior-year quarter (third quarter of fiscal 2023)": the absolute one says it
        return absolute
    for spec in periods:
        if spec.kind != "relative":
            out.append(spec)
            continue
        anchor = absolute[0] if absolute else None
        moved = shift(spec, anchor) if anchor else None
        if moved is None and doc_ids and (not absolute or spec.relative == "this_years_quarter"):
            # "Q3 vs the prior-year quarter", "year to date ... versus the same period last
            # year": the period before it in the question, a year earlier; else counted from
            # the filings' latest quarter
            moved = shift(spec, out[-1]) if out else None
            moved = moved or from_latest(picker, spec, doc_ids, intent.question)
        if moved is not None:
            out.append(moved)
        elif (
            not absolute
            and not out
            and len(intent.periods) == 1
            and re.search(
                r"\ba\s+year\s+(?:ago|earlier|before)\b|\byear[\s-]+ago\b", spec.text, re.I
            )
        ):
            # "a year ago" with nothing to count from: asked as said (no figure fits it), not
            # dropped for the latest period's
            out.append(spec)
    relative = [p for p in periods if p.kind == "relative"]
    if (
        two
        and doc_ids
        and len(out) == 1
        and not absolute
        and len(relative) == 1
        and relative[0].relative in ("prior_year", "prior_quarter")
        and "quarter" in relative[0].text.lower()
    ):
        # "how did sales change vs the prior-year quarter?": from that quarter to the latest
        latest = from_latest(
            picker,
            PeriodSpec("relative", "latest quarter", 0, 0, relative="latest_quarter"),
            doc_ids,
        )
        if latest is not None and (latest.date, latest.months) != (out[0].date, out[0].months):
            out.insert(0, latest)
    return out


def _quarter_of_year(periods: tuple[PeriodSpec, ...]) -> tuple[PeriodSpec, ...]:
    """ "In 2007, what was fourth quarter revenue?": a quarter named without its year and the
    one year the question names are one quarter, that year's."""
    bare = [p for p in periods if p.relative == "this_years_quarter"]
    years = [p for p in periods if p.kind in ("year", "bare_year") and p.fiscal_year]
    if len(bare) != 1 or len(years) != 1:
        return periods
    quarter = replace(bare[0], kind="quarter", fiscal_year=years[0].fiscal_year, relative=None)
    return tuple(quarter if p is bare[0] else p for p in periods if p is not years[0])


def from_latest(
    picker: Picker, spec: PeriodSpec, doc_ids: set[str], question: str = ""
) -> PeriodSpec | None:
    """A relative period with nothing in the question to count from, counted from the
    filings' latest quarter: "last quarter", "this quarter", "the prior-year quarter",
    "year to date"; "at the end of last quarter" is the balance on that quarter's last day."""
    if spec.relative == "this_years_quarter" and spec.quarter:
        # "Q3": that quarter of the latest year the filings print it for
        year = picker.latest_year_of_quarter(doc_ids, spec.quarter)
        if year is None:
            return None
        return replace(spec, kind="quarter", fiscal_year=year, relative=None)
    end = picker.latest_quarter_end(doc_ids)
    if end is None:
        return None
    text = spec.text.lower()
    if spec.relative == "latest_quarter" or re.match(r"last\s+quarter", text):
        if _AT_THE_END.search(question[: spec.start]):
            return replace(spec, kind="instant", months=None, date=end, relative=None)
        return replace(spec, kind="ended", months=3, date=end, relative=None)
    if spec.relative == "prior_year" and "quarter" in text:
        try:
            earlier = end.replace(year=end.year - 1)
        except ValueError:  # February 29
            earlier = end.replace(year=end.year - 1, day=28)
        return replace(spec, kind="ended", months=3, date=earlier, relative=None)
    if spec.relative == "year_to_date":
        # the filings' own year-to-date columns say how long it is ("Nine Months Ended");
        # else it is counted from the fiscal year's end
        months = picker.year_to_date_months(doc_ids)
        if months is None:
            fy_end = max((picker.corpus.fy_end_month.get(d, 12) for d in doc_ids), default=12)
            months = (end.month - fy_end - 1) % 12 + 1
        return replace(spec, kind="ended", months=months, date=end, relative=None)
    return None


_AT_THE_END = re.compile(r"\b(?:at|as of|by) the end of\s+(?:the\s+)?$", re.I)
OUTFLOW = re.compile(
    r"\b(?:purchases?|payments?|acquisitions?|additions?|repurchases?|capital expenditures?|"
    r"capex|buybacks?|dividends? paid|spent)\b",
    re.I,
)


# lines whose figure is an outflow printed negative: "(4,249)" of "Cash used in investing
# activities" is 4,249 used
_EXPENSE = re.compile(
    r"\b(?:expenses?|provision|costs?|tax(?:es)?|charges?|used (?:in|for)|capital expenditures)\b",
    re.I,
)


_COUNT_ASKED = re.compile(r"\bhow many\b|\bnumber of\b", re.I)
_LOSSES = re.compile(r"\blosses\b", re.I)
_POSITIVE = re.compile(r"\bpositive\b", re.I)  # "the positive value of debt assumed"
_AS_SPENT = re.compile(
    r"\bas an? positive\b|\bspent\b|\bspend\b|\bpaid\b|\bhow much did\b[^?]*\bpay\b", re.I
)


def _is_range(intent: Intent, specs: list[PeriodSpec]) -> bool:
    """ "from 2015 to 2019", "between 2017 and 2019", "2017-2019": every year in between."""
    if len(specs) != 2 or not all(s.kind in ("bare_year", "year") for s in specs):
        return False
    between = intent.question[specs[0].end : specs[1].start].lower()
    return bool(re.fullmatch(r"\s*(?:to|through|-|–|and)\s*", between)) and bool(
        re.search(
            r"\b(?:from|between|over|for the years?)\s*$", intent.question[: specs[0].start].lower()
        )
        or "-" in between
        or "–" in between
    )


_GROWTH_WORDS = re.compile(
    r"\bgrowth\b|\bincrease|\bdecrease|\bchanges?\b|\bcomparable\b|% (?:change|increase|"
    r"decrease|growth)",
    re.I,
)


# ------------------------------------------------------------------ the table
def _one_measure(op: str) -> Callable[[Intent, list[PeriodSpec]], bool]:
    return lambda intent, specs: intent.operation == op and len(intent.metrics) == 1


def _two_measures_asked(op: str) -> Callable[[Intent, list[PeriodSpec]], bool]:
    return lambda intent, specs: intent.operation == op and len(intent.metrics) >= 2


_OVER_TIME = "later period minus earlier; a fall asked as 'how much did it decline' is its size"

OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation(
            "measure",
            lambda intent, specs: bool(intent.derived),
            "the measure as printed, else its two defining figures (MEASURES)",
            derived,
            "a cost printed in parentheses (tax, capex) enters as its size",
            "gross_margin, operating_margin, net_margin, effective_tax_rate, current_ratio, "
            "free_cash_flow, return_on_assets, working_capital",
        ),
        Operation(
            "due_share",
            lambda intent, specs: intent.operation == "due_share",
            "a schedule's amounts due in (or after) a year, and their printed total",
            _due_share,
            "as printed",
            "due_share",
        ),
        Operation(
            "repurchase_cost",
            lambda intent, specs: intent.operation == "repurchase_cost",
            "a table of repurchases: shares bought and their average price, in the month "
            "asked or its total line",
            _repurchase_cost,
            "shares × average price per share",
            "repurchase_cost",
        ),
        Operation(
            "total_return",
            lambda intent, specs: intent.operation == "total_return" and bool(intent.metrics),
            "a performance graph line at the date asked and at its base of 100 (two lines: each)",
            _total_return,
            "(value - base) / base; two lines: the first's return minus the second's",
            "growth, total_return",
        ),
        Operation(
            "listing",
            _lists_years,
            "one measure, each year named",
            _listing,
            "as printed, one figure per year",
            "listing",
        ),
        Operation(
            "lookup",
            lambda intent, specs: intent.operation == "lookup",
            "one figure, one period",
            _lookup,
            "as printed; '(193)' is -193",
            "lookup",
        ),
        Operation(
            "parts",
            lambda intent, specs: intent.operation == "parts",
            "the lines that add up to a total, or that a heading holds, in its latest period",
            _parts,
            "as printed",
            "parts",
        ),
        Operation(
            "table_periods",
            lambda intent, specs: intent.operation == "table_periods",
            "one figure per period the table prints, from its most dated row",
            _table_periods,
            "as printed",
            "which",
        ),
        Operation(
            "which",
            lambda intent, specs: intent.operation == "which_period",
            "every period of one row",
            _which,
            "as printed",
            "which",
        ),
        Operation(
            "printed_change",
            lambda intent, specs: (
                intent.operation == "difference" and len(intent.metrics) == 1 and len(specs) <= 1
            ),
            "a row printed under 'Changes in ...' for the period",
            printed_change,
            "as printed",
            "lookup",
        ),
        Operation(
            "printed_growth",
            _one_measure("percent_change"),
            "a printed rate of change for the later period",
            printed_growth,
            "as printed",
            "lookup",
        ),
        Operation(
            "change",
            _one_measure("difference"),
            "one measure, two periods",
            _change,
            _OVER_TIME,
            "change, decline",
        ),
        Operation(
            "growth",
            _one_measure("percent_change"),
            "one measure, two periods",
            _growth,
            "(later - earlier) / earlier",
            "growth",
        ),
        Operation(
            "cagr",
            _one_measure("cagr"),
            "one measure, two periods",
            _cagr,
            "(later / earlier) ^ (1 / years) - 1",
            "cagr",
        ),
        Operation(
            "period_ratio",
            lambda intent, specs: (
                intent.operation == "ratio" and len(intent.metrics) == 1 and len(specs) >= 2
            ),
            "one measure, two periods",
            _period_ratio,
            "first period named over second",
            "ratio",
        ),
        Operation(
            "ratio",
            _two_measures_asked("ratio"),
            "two measures, one period",
            _ratio,
            "first over second; a cost printed as (193) divides as its size",
            "ratio",
        ),
        Operation(
            "formula",
            lambda intent, specs: (
                intent.operation == "difference" and len(intent.metrics) >= 2 and bool(intent.over)
            ),
            "three measures, one period",
            _formula,
            "(first - second) / third",
            "formula",
        ),
        Operation(
            "difference",
            _two_measures_asked("difference"),
            "two measures, one period",
            _difference,
            "first minus second; an outflow printed as (146,858) is subtracted as spent",
            "difference",
        ),
        Operation(
            "compare",
            _two_measures_asked("compare"),
            "two measures, one period",
            _compare,
            "as printed",
            "compare",
        ),
        Operation(
            "sum",
            lambda intent, specs: intent.operation == "sum",
            "a printed total, else two or more figures",
            _sum_or_average,
            "as printed; amounts asked 'as spent' add as their sizes",
            "sum",
        ),
        Operation(
            "average",
            lambda intent, specs: intent.operation == "average",
            "two or more figures",
            _sum_or_average,
            "as printed",
            "average",
        ),
        Operation(
            "compare_periods",
            lambda intent, specs: (
                intent.operation == "compare" and len(specs) >= 2 and bool(intent.metrics)
            ),
            "one measure, two periods",
            _compare_periods,
            "as printed",
            "compare",
        ),
        Operation(
            "read_off",
            lambda intent, specs: bool(intent.metrics),
            "one figure, one period: any other question that names a measure",
            _lookup,
            "as printed",
            "lookup",
        ),
    )
}
