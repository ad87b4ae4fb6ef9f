"""The verify stage: one place that decides whether the figures chosen for a question may be
given as its answer.

``RULES`` is a list of ``(name, rule)``; each rule reads the question (``Check``: the words,
the understood intent, the company names to ignore) and the built answer (its operands and the
operation's kind) and returns a :class:`~retrieval.models.Refusal` or ``None``.  Every path to
a figure (the rules' own plans and a language model's proposals) passes every rule; the first
refusal wins.  :func:`confidence` scores what passed, from the same evidence.

The content-term rule is the heart of it: every telling word of the question must be accounted
for, by an operand's row, its parents, its table title or column header (or the sentence a
figure was read from), by the operation's own words, by the period, unit and scale words, or by
the short list of function words below.  "Data Center operating income" answered with the
company's "Operating income" leaves "data" and "center" unaccounted for: refused, with the
closest figure named.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from ingest.models import Fact

from .compose import display, figure_name, not_found, own_label, period_words
from .models import Answer, Refusal
from .periods import MONTHS, find_periods, fiscal_year_of_label
from .search import GENERIC, _stem, tokens
from .understand import Intent


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _stems(words: Iterable[str]) -> frozenset[str]:
    return frozenset(w for word in words for w in (word, _stem(word)))


# Words that carry no qualifier: question and reporting verbs, possession, pronouns, hedges,
# generic nouns, words about the document itself. A word here is never required of a figure.
FUNCTION_WORDS = _wordlist(
    """
 about above according across after against ago all also am among amount amounts any
 anything approximately are aren around back based be became become been being below
 between book booked both breakdown bring broken brought calculate calculated came can
 change come company company's compare compared comparison compute computed corporation
 could date detail details did disclose disclosed do does doing
 done each earn earned either end ended ending entire every experience experienced
 expressed
 fact figure figures financial firm for generate generated get give given go going group
 had has have having hit i if inc incur incurred indicate indicated info
 information into is isn it item its keep kept know last late latest let level line list
 listed ll look made make makes making many may me measure measured might more most much
 must my nearly note number numbers of off only or our out over
 overall own paid part past pay per period please point post posted present presented
 previous print printed prior provide provided provides put rather reach reached record
 recorded register registered related relative remain remained report reported reporting
 respective respectively result results roughly said same saw say says see segment
 should show shown shows since so some spend spent stand stated stood such table tables
 tabulated take taken tell than that the their them then there these they thing this
 those though through time to told under until up upon us use used value versus
 vs want was wasn we were weren what whats when where whether which while who whole why
 will with within would year you your yours
 """
)
FUNCTION_WORDS |= _wordlist(
    "spending spends drove drive driven cause caused causes describe described explain "
    "explained again so then also form whose hold carrying allow allowed allows classified receive "
    "received charged allocated summing defined positive negative add-back addback operate "
    "operated declare declared board "
    "excluding excluded exclude including included include before after cover page text "
    "balance sheet statement statements consolidated condensed weighted still large "
    # a question's own framing ("considering the year 2015", "the percentual increase", "and
    # the specific value for 2011 again?", "the highest interest expense observed")
    "considering percentual specific observed observe"
)
# the period, unit and scale words: the period itself is checked against the figure's column
PERIOD_WORDS = _wordlist(
    """
    end-of-period beginning-of-period end-of-year frame timeframe two four five
    annual annually apr april as-of aug august beginning calendar close  date dated
    day days dec december end ended ending feb february fifth fifty-three fifty-two first
    fiscal fourth full fy fys h1 h2 half interim jan january jul july jun june last mar
    march may month monthly months next nine nov november now oct october period periods
    previous prior q1 q2 q3 q4 quarter quarterly quarters recent recently same second sep
    sept september six start third thirteen thirty-nine three time times today trailing ttm
    twelve twenty-six week weekly weeks year year-over-year year-to-date yearly years yoy
    ytd
    """
)
UNIT_WORDS = _wordlist(
    """
    $ % amount b basis billion billions bn bp bps cent cents count dollar dollars figure
    figures k m million millions mn number numbers pct percent percentage percentages point
    points share shares thousand thousands unit units us$ usd
    """
)
# the operations' own words ("grow", "difference", "as a percentage of")
OPERATION_WORDS = _wordlist(
    """
    add added adding aggregate annualised annualized average averaged bigger biggest both
    cagr change changed changes combined compare compared comparison compound decline
    declined decrease decreased decreasing differ difference different divided drop dropped
    each exceed exceeded exceeding expand expanded fall fallen fell fewer fraction gap
    greater greatest grew grow growing grown growth higher highest improve improved increase
    increased increasing jump jumped larger largest less lower lowest max maximum mean min
    minimum minus more move moved much multiple net over percent percentage plus portion
    proportion rate ratio relative respectively rise risen rose share shrank shrink smaller
    smallest spread sum summed swing swung times together altogether total totaled versus which
    worsen worsened year-over-year yoy
    """
)
_REPURCHASE_WORDS = _wordlist(
    """
    spent spend amount repurchase repurchases repurchased buyback buybacks share shares stock
    cash outflow price paid money cost value purchased bought number average given based
    approximately total common
    """
)
# how a share's part is tied to its whole ("the total commitment applicable to standby letters
# of credit", "what portion ... comes from"): words of a ratio question only
_SHARE_WORDS = _wordlist(
    """
    applicable attributable attributed associated represented comprised composed dedicated
    allocated located derived generated accounted comes came come due comprise comprises
    represent represents relation
    """
)
# "the ones hedged in 2017", "this 2015 one": "one" stands for a noun named before it
_ONE_ANAPHOR = re.compile(r"\b(?:the|this|that)\s+(?:[\w&-]+\s+)?ones?\b(?!-)", re.I)
_RETURN_WORDS = _stems(
    [
        "return",
        "roi",
        "returns",
        "cumulative",
        "total",
        "percentage",
        "investment",
        "rate",
        "shareholders",
        "stockholders",
        "shareholder",
        "stockholder",
        "five",
        "year",
        "period",
        "difference",
        "compared",
        "common",
        "stock",
        "class",
    ]
)
_DUE_WORDS = _stems(
    {"due", "payable", "maturing", "mature", "maturity", "maturities", "scheduled", "thereafter"}
)
_SKIP = _stems(FUNCTION_WORDS | PERIOD_WORDS | UNIT_WORDS | OPERATION_WORDS)

# a measure computed by its definition answers for its own words
DERIVED_WORDS = {
    "gross_margin": {"gross", "margin", "grossprofit", "profitability"},
    "operating_margin": {"operating", "margin", "opincome", "profitability"},
    "net_margin": {"net", "margin", "netincome", "profit", "profitability"},
    "effective_tax_rate": {"effective", "tax", "taxe", "rate", "etr"},
    "current_ratio": {"current", "ratio", "liquidity", "working", "capital"},
    "free_cash_flow": {"free", "cash", "flow", "fcf"},
    "working_capital": {"working", "capital", "current"},  # current assets less liabilities
    "return_on_assets": {"return", "roa", "total", "assets", "asset", "average"},
}
# the basis and dilution words a figure must carry itself
_BASIS = {"nongaap": "non-GAAP"}


@dataclass(frozen=True)
class Check:
    """What the verify stage reads of the question."""

    question: str
    intent: Intent
    ignore: frozenset[str] = frozenset()  # the companies' own names
    rarity: Callable[[str], float] = field(default=lambda word: 1.0)  # how telling a word is
    # the words a figure's table gives all its cells: the title and the caption sentence
    # printed before it ("The following table presents revenue by geographic location")
    context: Callable[[Fact], str] = field(default=lambda fact: "")
    # how search bound a figure: (word match, fit, lead over the runner-up), if it did
    binding: Callable[[str], tuple[float, float, float] | None] = field(default=lambda _: None)

    def terms(self) -> list[str]:
        """The question's content terms, each once, in order: its words less the period
        phrases, the function, period, unit and operation words, numbers and names. Read
        once per check (every rule and the confidence ask for them)."""
        return list(self._terms)

    @cached_property
    def _terms(self) -> tuple[str, ...]:
        text = self.question
        for period in sorted(find_periods(text), key=lambda p: p.start, reverse=True):
            text = text[: period.start] + " " + text[period.end :]
        for excluded in self.intent.excluded:
            text = text.replace(excluded, " ")
        text = re.sub(r"\(not [^)]*\)", " ", text, flags=re.I)
        # "X, i.e. A minus B": A and B are the operands
        text = _DEFINED.sub(" ", _ASIDES.sub(" ", text))
        skip = _SKIP | (_stems(DERIVED_WORDS.get(self.intent.derived or "", set())))
        if self.intent.counts_shares:
            skip = skip | {"eps", "computing", "compute"}  # shares "used in computing EPS"
        if self.intent.operation in ("table_periods", "parts"):
            return ()  # the words say which table; its periods are the answer, not a figure
        if self.intent.operation == "total_return":
            skip = skip | _RETURN_WORDS  # the graph's own words
        if self.intent.operation == "ratio":
            skip = skip | _SHARE_WORDS
        if (
            self.intent.operation in ("ratio", "sum")
            and _ONE_ANAPHOR.search(text)
            and not re.search(r"\bnumber one\b", text, re.I)
            # and the reading said what "one" stands for
            and not any(re.search(r"\bones?\b", m) for m in self.intent.metrics)
        ):
            # a difference "between X and the one of Y" is mostly of results worked out before
            skip = skip | _stems(["one", "ones"])
        if self.intent.operation in ("difference", "percent_change"):
            # "the total variance in net revenue from 2010 to 2011": the change asked
            skip = skip | _stems(["variance", "variation", "fluctuation"])
        if self.intent.operation == "repurchase_cost":
            skip = skip | _REPURCHASE_WORDS  # the question's words for shares times price
        if self.intent.operation == "due_share":
            skip = skip | _DUE_WORDS  # the schedule's own words: its years are when it falls due
        names = {_plain(n) for n in self.ignore} | {_plain(d) for d in self.intent.defined}
        # a segment's own name is never a function word: "eBay's Classifieds segment"
        proper = {_plain(t) for m in _NAMED_PART.finditer(text) for t in tokens(m.group(1))}
        out: list[str] = []
        for term in tokens(text):
            word = _plain(term)
            if word in proper and word not in names:
                skip = skip - {word}
            if len(word) < 2 or any(c.isdigit() for c in word) or word in skip or word in names:
                continue
            if "-" in word:  # "weighted-average": the parts that are not skipped
                parts = [p for p in (_plain(x) for x in word.split("-")) if p and p not in skip]
                if not parts:
                    continue
            if word not in out:
                out.append(word)
        return tuple(out)


_NAMED_PART = re.compile(r"\b([A-Z][\w&-]*)\s+(?:segment|division|business|brand|platform)s?\b")
# "What was free cash flow, defined as A minus B": the name before the definition is the
# operation's own; the operands answer for the definition
_DEFINED = re.compile(
    r"[^,(]*\b(?:free cash flow|margins?|rates?|ratios?|gross profit|totals?|d\s?&\s?a)\b"
    r"[^,(]*?(?=,?\s*"
    r"(?:\(|\bi\.e\.|\bcomputed as\b|\bdefined as\b|\bcalculated as\b).*?\b(?:minus|less|plus|"
    r"divided by|over)\b)",
    re.I,
)
# asides that name no qualifier of the figure: an acronym after its words ("Data Center and
# AI (DCAI)"), what is left out ("(excluding Other/corporate)", "(before proceeds ...)"), the
# statement or document it is printed in
_ASIDES = re.compile(
    r"\((?:[A-Z&]{2,6})\)|\((?:excluding|not|before|other than|net of)\b[^)]*\)|"
    r"\((?:current|this|latest|later)[^()]*\b(?:minus|less|over|vs\.?|versus)\b[^()]*\)|"
    r"\b(?:on|in|from) (?:the |its |their )?(?:consolidated |condensed )*(?:income statements?|"
    r"cash flow statements?|statements? of (?:operations|income|cash flows)|balance sheets?)\b|"
    r"\b(?:in |from )?(?:the |its )?(?:q[1-4] \d{4} )?(?:earnings|press) release\b|"
    r"\b(?:end|beginning)-of-(?:the-)?(?:period|year|quarter)\b",
    re.I,
)
# a word the question uses for what the filing prints under another name
_EXPENSE_LINES = _wordlist(
    "expense cost charge opex cogs sga rnd mga gna sbc depreciation amortization taxe "
    "impairment restructuring"
)
_GUIDANCE = _wordlist("outlook guidance expect expected forecast")
# the words of amounts falling due: a schedule of "maturities" or "payments" says "due" too
# (``pick.schedule_rows`` reads a schedule's text with them)
FALLING_DUE = "due maturity maturities mature maturing payable payment payments repayment"
COVERED_BY: dict[str, frozenset[str]] = {
    "buyback": _wordlist("retirement repurchase repurchased treasury"),
    "forecast": _GUIDANCE | {"approximately"},
    "guidance": _GUIDANCE,
    "outlook": _GUIDANCE,
    # an expense by its kind: a cost line, or any line whose name is an expense
    "expense": _EXPENSE_LINES,
    "cost": _EXPENSE_LINES,
    "charge": _wordlist("expense cost charge impairment restructuring sbc"),
    # "debt due in 2004" of a schedule of "long-term debt maturities"
    "due": _wordlist(FALLING_DUE),
}


def is_vague(phrase: str) -> bool:
    """A phrase with no content term at all ("it", "the two years", "then the over the
    years"): a follow-up that means the conversation's earlier measure."""
    return not content_terms(phrase)


def content_terms(phrase: str, operations: bool = False) -> frozenset[str]:
    """A phrase's words that name something: no operation (unless ``operations``), period,
    function word or pronoun."""
    skipped = _PRONOUNS if operations else _SKIP | _PRONOUNS
    return frozenset({_plain(t) for t in tokens(phrase)} - skipped)


_PRONOUNS = frozenset(
    ["it", "its", "that", "this", "they", "them", "those", "these", "one", "ones"]
)


def _plain(word: str) -> str:
    """A token without a possessive, stemmed: "medicis's" and "medicis" are one word."""
    return _stem(word.strip("'’").removesuffix("'s").removesuffix("’s").rstrip("'’"))


def _fact_words(fact: Fact) -> set[str]:
    """Every word a figure's context gives it: row, parents, table title, column header, or
    the sentence it was read from, both as printed and with finance synonyms folded ("Total
    operating expenses" gives "opex" and "expense"); its basis as a word."""
    text = " ".join([*fact.row_path, fact.row, fact.table or "", fact.column or ""])
    words = _text_words(text)
    if fact.basis == "non-GAAP":
        words.add("nongaap")
    if fact.basis == "GAAP" or fact.basis is None:
        words.add("gaap")
    return words


def _text_words(text: str) -> set[str]:
    raw = {_plain(w) for w in re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower())}
    return {_plain(t) for t in tokens(text)} | raw


def _covered(term: str, words: set[str]) -> bool:
    if term in words or words & COVERED_BY.get(term, frozenset()):
        return True
    if "-" in term and all(_covered(p, words) for p in term.split("-") if p):
        return True
    # "operating" / "operations": one stem, all but the last two letters of the shorter
    return len(term) >= 5 and any(_same_stem(term, w) for w in words)


def _same_stem(a: str, b: str) -> bool:
    shorter = min(len(a), len(b))
    if shorter < 5:
        return False
    need = max(5, shorter - 2)
    return a[:need] == b[:need]


def uncovered(check: Check, answer: Answer) -> list[str]:
    """The question's content terms that no operand's context accounts for."""
    words: set[str] = set()
    for fact in answer.operands:
        words |= _fact_words(fact) | _text_words(check.context(fact))
    return [t for t in check.terms() if not _covered(t, words)]


Rule = Callable[[Check, Answer], Refusal | None]


def _name(fact: Fact) -> str:
    if fact.kind == "sentence" and not fact.row_path:
        return "a sentence of the filing"
    return " > ".join(fact.row_path) or fact.row


# the words a canonical token stands for, when a refusal names it to the user
SHOWN = {
    "opincome": "operating income",
    "netincome": "net income",
    "grossprofit": "gross profit",
    "taxe": "taxes",
    "rnd": "R&D",
    "sga": "SG&A",
    "mga": "MG&A",
    "gna": "G&A",
    "cfo": "operating cash flow",
    "capex": "capital expenditures",
    "cogs": "cost of revenues",
    "opex": "operating expenses",
    "sbc": "stock-based compensation",
    "eps": "EPS",
    "nongaap": "non-GAAP",
    "sharecount": "share count",
    "deferredrevenue": "deferred revenue",
    "buyback": "buybacks",
}


def shown(term: str) -> str:
    return SHOWN.get(term, term)


def terms_accounted_for(check: Check, answer: Answer) -> Refusal | None:
    """Every telling word of the question is carried by a figure used (or is an operation,
    period, unit or function word)."""
    missing = uncovered(check, answer)
    if missing and _whole_is_total_line(check, answer):
        whole = {_plain(t) for t in tokens(check.intent.metrics[1])}
        part = {_plain(t) for t in tokens(check.intent.metrics[0])}
        missing = [m for m in missing if m not in whole or m in part]
    if not missing:
        return None
    closest = answer.operands[0] if answer.operands else None
    named = f"“{_name(closest)}”" if closest is not None else "no figure"
    lacking = ", ".join(f"“{shown(m)}”" for m in missing[:4])
    return Refusal(
        reason=f"The closest figure is {named}, but it says nothing of {lacking}; the filings "
        "print no figure that matches the question in full.",
        rule="terms_accounted_for",
        closest=closest,
    )


def _whole_is_total_line(check: Check, answer: Answer) -> bool:
    """A share whose whole is the line labelled "Total" alone of the part's own table, in a
    table that says nothing of what it measures beyond what the question says: "total
    inventories" over raw materials, work in progress, finished goods and their total. The
    whole's name cannot be checked there, and nothing there contradicts it: every word the
    table's heading and the part's column say, the question says too, so a table of "notes
    payable" is never "total revenue"."""
    if answer.kind != "ratio" or len(answer.operands) != 2 or len(check.intent.metrics) != 2:
        return False
    part, whole = answer.operands
    if (
        whole.kind == "sentence"
        or part.kind == "sentence"
        or (whole.doc_id, whole.table_index, whole.table)
        != (part.doc_id, part.table_index, part.table)
        or whole.row_path[:-1]
        or not re.fullmatch(r"\s*total\s*:?\s*", whole.row, re.I)
    ):
        return False
    title = part.table or ""
    if title.rstrip().endswith(".") or len(title.split()) > 10:
        title = ""  # a sentence printed before the table, not a heading of its measure
    said = {_plain(t) for t in tokens(f"{title} {part.column or ''}")}
    asked = _text_words(check.question)
    return all(w in asked or w in _SKIP or re.search(r"\d", w) for w in said)


def passage_misses(check: Check, text: str) -> list[str]:
    """The question's content terms a passage's words do not account for."""
    words = _text_words(text)
    return [t for t in check.terms() if not _covered(t, words)]


# a passage may leave a third of the question's terms unsaid ("On what date did Amcor
# complete the sale of its business in Russia?" answered by "... the sale of its Russia
# business was completed ...": all but "complete"); more, and it is about something else
PASSAGE_MAX_MISSING = 1 / 3


def passage_answers(check: Check, text: str) -> Refusal | None:
    """A quoted passage answers the question only if it accounts for most of its terms:
    "What is the capital of France?" is not answered by "... a tax audit in France"."""
    terms = check.terms()
    missing = passage_misses(check, text)
    if terms and len(missing) <= PASSAGE_MAX_MISSING * len(terms):
        return None
    lacking = ", ".join(f"“{shown(m)}”" for m in missing[:4])
    return Refusal(
        reason=f"The indexed filings do not say; the closest passage says nothing of {lacking}."
        if missing
        else "The indexed filings do not say; no passage answers this question.",
        rule="passage_answers",
    )


def one_cell_once(check: Check, answer: Answer) -> Refusal | None:
    """A calculation between two figures uses two cells: a growth, a difference or a ratio of
    one cell to itself says nothing."""
    ops = answer.operands
    if len(ops) != 2:
        return None
    a, b = ops
    # a figure the text states and a table (or another clause) repeats is still one figure:
    # "sales of Kyocera resale products ... were $318,928" against itself
    repeated = (
        a.value == b.value != 0
        and a.unit == b.unit
        and "sentence" in (a.kind, b.kind)
        and (a.period is None or b.period is None or a.period.label == b.period.label)
    )
    if a.fact_id != b.fact_id and not repeated:
        return None
    return Refusal(
        reason=f"Only one figure fits, “{_name(ops[0])}”; the calculation needs two different "
        "ones.",
        rule="one_cell_once",
        closest=ops[0],
    )


def each_one_given(check: Check, answer: Answer) -> Refusal | None:
    """A question that asks for several figures "respectively" ("the high and low sale prices
    ... in the fourth quarter of 2019, respectively") is not answered by one."""
    if check.intent.operation != "lookup" or len(answer.operands) != 1:
        return None
    if not re.search(r"\brespectively\b", check.question, re.I):
        return None
    return Refusal(
        reason=f"The question asks for several figures (“respectively”); crossfoot found one, "
        f"“{_name(answer.operands[0])}”. Ask for each figure on its own.",
        rule="each_one_given",
        closest=answer.operands[0],
    )


_CHANGE_ROW = re.compile(
    r"^(?:net )?(?:\(?(?:increase|decrease)\)?[ /]*(?:\(?(?:increase|decrease)\)?)?|changes? in)\b",
    re.I,
)
_CHANGE_ASKED = re.compile(r"\b(?:increase|decrease|change)s?\s+in\b", re.I)


def change_not_differenced(check: Check, answer: Answer) -> Refusal | None:
    """A row that already is a change ("Net increase in cash", "Change in deferred revenue")
    is not differenced again across periods unless the question asks for the change in it."""
    if answer.kind not in ("change", "decline", "growth", "cagr") or not answer.operands:
        return None
    label = answer.operands[0].row_path[-1] if answer.operands[0].row_path else ""
    if not _CHANGE_ROW.search(label.strip()):
        return None
    asked = _CHANGE_ASKED.findall(check.question)
    if len(asked) >= 2 or re.search(
        r"\bchange in (?:the )?(?:net )?(?:increase|decrease)", check.question, re.I
    ):
        return None
    return Refusal(
        reason=f"“{label}” is itself a change for each period; the filings print it per period "
        "rather than as a figure to compare across periods.",
        rule="change_not_differenced",
        closest=answer.operands[0],
    )


def two_measures_two_rows(check: Check, answer: Answer) -> Refusal | None:
    """A question about two measures in one period ("how much did adjusted EPS exceed GAAP
    EPS in Q4") is never answered by one row's change from one period to another."""
    metrics = check.intent.metrics
    ops = answer.operands
    if len(metrics) < 2 or len(ops) != 2 or answer.kind not in ("difference", "ratio", "compare"):
        return None
    a, b = ops
    same_row = (a.doc_id, a.table, a.row_path, a.row) == (b.doc_id, b.table, b.row_path, b.row)
    if not same_row or a.kind == "sentence" or a.period == b.period:
        return None
    return Refusal(
        reason=f"The question names two measures, but only “{_name(a)}” was found, in two periods.",
        rule="two_measures_two_rows",
        closest=a,
    )


def part_not_whole(check: Check, answer: Answer) -> Refusal | None:
    """A share of a total is computed from a part and its total, not from one figure twice
    (a part equal to its total in another row is a repeat of the total); and two measures
    compared are not a line and a line that includes it ("Total liabilities and
    stockholders' equity" against "Total stockholders' equity" is not liabilities)."""
    if answer.kind in ("ratio", "difference", "compare") and len(answer.operands) == 2:
        a, b = answer.operands
        joined = own_label(a).lower()
        other = re.sub(r"^total\s+", "", own_label(b).lower())
        if (
            a.kind != "sentence"
            and b.kind != "sentence"
            and re.search(r"\band\b|&", joined)
            and other
            and re.search(r"(?:\band\b|&)\s+" + re.escape(other) + r"\s*$", joined)
        ):
            return Refusal(
                reason=f"“{_name(a)}” includes “{_name(b)}”; the filings print no line for the "
                "first measure alone.",
                rule="part_not_whole",
                closest=a,
            )
    if answer.kind != "ratio" or len(answer.operands) != 2:
        return None
    a, b = answer.operands
    whole = check.intent.metrics[1] if len(check.intent.metrics) == 2 else ""
    if re.match(r"\s*(?:the\s+)?total\b", whole, re.I) and _OTHER_LINE.fullmatch(own_label(b)):
        # "royalty income as a percentage of total other income": the breakdown's "Other"
        # line is one of its parts, never its total
        named = re.sub(r"\s+(?:in|of|for|at)$", "", whole)
        return Refusal(
            reason=f"The question divides by “{named}”, but the figure found is the line "
            f"“{_name(b)}”, one part of the breakdown, not its total.",
            rule="part_not_whole",
            closest=b,
        )
    if (
        check.intent.as_percent
        and a.kind == b.kind == "table_cell"
        and (a.doc_id, a.table_index) == (b.doc_id, b.table_index)
        and (a.row_path, a.row) != (b.row_path, b.row)
        and a.column != b.column
    ):
        # a part and its total stand in one column (a breakdown) or one row (a total
        # column): Ingalls' total backlog over the total's funded backlog is neither
        return Refusal(
            reason=f"“{_name(a)}” ({a.column}) and “{_name(b)}” ({b.column}) stand in "
            "different rows and different columns of one table; a part and its total are "
            "read in the same column or the same row.",
            rule="part_not_whole",
            closest=a,
        )
    if a.value != b.value or a.value == 0 or not check.intent.as_percent:
        return None
    return Refusal(
        reason=f"“{_name(a)}” and “{_name(b)}” are the same figure ({a.as_printed}); a share of "
        "itself says nothing.",
        rule="part_not_whole",
        closest=a,
    )


_OTHER_LINE = re.compile(r"\s*(?:all\s+)?others?(?:,?\s+net)?\s*", re.I)
_PERCENT_SAID = re.compile(r"%|\bpercent(?:age)?s?\b|\bper cent\b", re.I)
_AMOUNT_SAID = re.compile(
    r"\b(?:revenues?|sales|income|earnings|profit|expenses?|costs?|spend|spent|cash|debt|"
    r"assets|liabilities|dollars?|capex|amount)\b",
    re.I,
)
# "the total value of the shares purchased": what they cost, not how many
_VALUE_SAID = re.compile(
    r"\b(?:value|worth|cost) of (?:the )?(?:[\w-]+ ){0,3}shares\b|\bin dollars\b", re.I
)
_RATE_SAID = re.compile(
    r"\b(?:margins?|rates?|ratios?|growth|grow|grew|change|comps?|comparable|yield|returns?|"
    r"share of|mix)\b",
    re.I,
)


def unit_agrees(check: Check, answer: Answer) -> Refusal | None:
    """A figure looked up is in the unit asked: a percentage when the question says percent,
    an amount when it asks for revenue, income or cash and says nothing of a rate ("U.S.
    segment revenues" is not the U.S. comparable sales percentage)."""
    if answer.kind in ("which", "compare") or answer.value is None or not answer.operands:
        return None
    unit = answer.value.unit
    question = check.question
    if _PERCENT_SAID.search(question) and unit not in ("percent", "ratio"):
        wanted = "a percentage"
    elif (
        answer.kind == "lookup"
        and unit == "percent"
        and _AMOUNT_SAID.search(question)
        and not _PERCENT_SAID.search(question)
        and not _RATE_SAID.search(question)
    ):
        wanted = "an amount"
    elif (
        answer.kind == "lookup"
        and unit == "shares"
        and _VALUE_SAID.search(question)
        and not re.search(r"\bnumber\b|\bhow many\b|\bcount\b", question, re.I)
    ):
        wanted = "an amount"  # "the total value of the shares purchased in October"
    else:
        return None
    fact = answer.operands[0]
    return Refusal(
        reason=f"The question asks for {wanted}, but the closest figure, “{_name(fact)}”, is "
        f"{answer.value.display}.",
        rule="unit_agrees",
        closest=fact,
    )


def one_period_for_two_measures(check: Check, answer: Answer) -> Refusal | None:
    """Two measures compared, added or divided for one period are both of that period: R&D
    in Q4 2022 is not divided by revenue in Q4 2021."""
    ops = answer.operands
    absolute = [p for p in check.intent.periods if p.kind != "relative"]
    if (
        len(check.intent.metrics) < 2
        or len(absolute) > 1
        or answer.kind not in ("ratio", "difference", "sum", "compare")
        or len(ops) < 2
        or any(f.period is None for f in ops)
    ):
        return None
    if len({(f.period.label if f.period else "") for f in ops}) == 1:
        return None
    a, b = ops[0], ops[1]
    return Refusal(
        reason=f"The figures found are of different periods (“{_name(a)}” "
        f"{a.period.label if a.period else ''}, “{_name(b)}” {b.period.label if b.period else ''}"
        "); the question compares two measures in one period.",
        rule="one_period_for_two_measures",
        closest=a,
    )


# what a line measures: a figure whose own label names a measure the question does not ask
# for is another figure ("Adjusted EBIT / Sales %" is not the share of sales; the
# "General and administrative" line of a stock-based compensation table is not G&A)
MEASURES = frozenset(
    [
        "ebit",
        "ebitda",
        "opincome",
        "netincome",
        "grossprofit",
        "eps",
        "cogs",
        "opex",
        "sga",
        "rnd",
        "mga",
        "gna",
        "capex",
        "cfo",
        "buyback",
        "sbc",
        "depreciation",
        "amortization",
        "dna",
        "dividend",
        "interest",
        "taxe",
        "pretax",
        "impairment",
        "restructuring",
        "inventory",
        "receivables",
        "goodwill",
        "equity",
        "liability",
        "asset",
    ]
)
TITLE_MEASURES = frozenset(
    ["sbc", "ebit", "ebitda", "eps", "depreciation", "amortization", "dna", "dividend"]
)


def same_measure(check: Check, answer: Answer) -> Refusal | None:
    """No figure measures something the question does not name: its own label, or its
    table's title, names no measure the question leaves out. A follow-up ("and in 2016?")
    asks for the measures it carries from the conversation, in the tables they were read
    from ("what was that in 2016?" after "net earnings attributable to pmi", a line of a table
    titled for EPS)."""
    said = {_plain(t) for t in tokens(check.question)}
    said |= {w for t in said for w in COVERED_BY.get(t, frozenset())}
    asked = said | {_plain(t) for t in tokens(" ".join(check.intent.carried))}
    asked |= {w for t in asked for w in COVERED_BY.get(t, frozenset())}
    for fact in answer.operands:
        if fact.kind == "sentence":
            continue
        label = own_label(fact)
        own = {_plain(t) for t in tokens(label)} & MEASURES
        titled = {_plain(t) for t in tokens(fact.table or "")}
        named = {_plain(t) for t in tokens(label)} - {_plain(t) for t in GENERIC}
        # a title that names the line itself lists measures ("Net debt to EBITDA" over "Net
        # debt"); one that does not qualifies it ("Stock-based compensation" over "Cost of
        # revenues")
        title = set() if named and named <= titled else titled & TITLE_MEASURES
        extra = sorted((own - asked - _implied(asked)) | (title - asked - _implied(asked)))
        if extra:
            return Refusal(
                reason=f"The closest figure, “{_name(fact)}”"
                f"{' in “' + fact.table + '”' if fact.table and title - asked else ''}, "
                "measures something the question does not ask about.",
                rule="same_measure",
                closest=fact,
            )
    return None


# words whose opposite on a row is a different figure: the end balance is not the beginning
# one, interest income is not interest expense, a gain is not a loss
OPPOSITES: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"beginning", "opening"}), frozenset({"end", "ending", "closing"})),
    (frozenset({"income"}), frozenset({"expense", "expenses"})),
    (frozenset({"gain", "gains"}), frozenset({"loss", "losses"})),
    (frozenset({"asset", "assets"}), frozenset({"liability", "liabilities"})),
    (frozenset({"receivable", "receivables"}), frozenset({"payable", "payables"})),
    (frozenset({"inflow", "inflows"}), frozenset({"outflow", "outflows"})),
    (frozenset({"purchase", "purchases"}), frozenset({"proceeds"})),
)


def opposite_not_taken(check: Check, answer: Answer) -> Refusal | None:
    """A figure whose own label says the opposite of the question's word ("Outstanding, end
    of the year" for the beginning, "Interest income" for interest expense) is another
    figure, however many other words they share."""
    asked = set(re.findall(r"[a-z]+", check.question.lower()))
    for fact in answer.operands:
        if fact.kind == "sentence":
            continue
        label = own_label(fact)
        own = set(re.findall(r"[a-z]+", label.lower()))
        for one, other in OPPOSITES:
            for want, against in ((one, other), (other, one)):
                if asked & want and not asked & against and own & against and not own & want:
                    said = sorted(asked & want)[0]
                    return Refusal(
                        reason=f"The closest figure, “{_name(fact)}”, is not the {said} figure "
                        "the question asks for.",
                        rule="opposite_not_taken",
                        closest=fact,
                    )
    return None


# words that narrow a line to a part of what its measure names: "Total current liabilities"
# is not total liabilities, "Other assets" not assets, "Americas > Other" not other
_QUALIFIERS: dict[str, frozenset[str]] = {
    "current": frozenset({"current"}),
    "noncurrent": frozenset({"noncurrent", "non-current", "long-term", "long"}),
    "non-current": frozenset({"noncurrent", "non-current", "long-term", "long"}),
    "long-term": frozenset({"noncurrent", "non-current", "long-term", "long"}),
    "short-term": frozenset({"short-term", "short", "current"}),
    "other": frozenset({"other"}),
    "deferred": frozenset({"deferred"}),
    "discontinued": frozenset({"discontinued"}),
}
_REGIONS = frozenset(
    ["americas", "europe", "emea", "apac", "asia", "international", "domestic", "foreign"]
)


# a name told apart by its number or letter: "tier 1", "class b", "level 3", "series a"
_NUMBERED = re.compile(
    r"\b(tier|class|level|series|phase|stage|schedule)\s+(\d{1,2}|[ivx]{1,4}|[a-c])(?![\w.-])"
)


def qualifier_not_asked(check: Check, answer: Answer) -> Refusal | None:
    """A line that narrows the measure with a word the question does not say ("current",
    "long-term", "other", "deferred", or a region its heading names) is a part of the
    figure asked for, not the figure."""
    text = check.question.lower()
    asked = set(re.findall(r"[a-z]+(?:-[a-z]+)?", text)) | set(re.findall(r"[a-z]+", text))
    asked |= DERIVED_WORDS.get(check.intent.derived or "", set())  # the measure's own parts
    numbered: dict[str, set[str]] = {}
    for word, number in _NUMBERED.findall(text):
        numbered.setdefault(word, set()).add(number)
    for fact in answer.operands:
        if fact.kind == "sentence":
            continue
        label = own_label(fact).lower()
        other = next(
            (
                f"{word} {number}"
                for word, number in _NUMBERED.findall(label)
                if word in numbered and number not in numbered[word]
            ),
            None,
        )
        if other is not None:
            # "tier 2 capital" is not the "Tier 1 capital" line; "class a" is not "class b"
            word = other.split()[0]
            return Refusal(
                reason=f"The closest figure, “{_name(fact)}”, is {other}; the question asks "
                f"for {word} {', '.join(sorted(numbered[word]))}.",
                rule="qualifier_not_asked",
                closest=fact,
            )
        # the qualifier leads the label ("Total current liabilities", "Other assets"); one
        # further on names what is left out or added ("Long-term debt, less current portion",
        # "Accounts payable and other current liabilities"), and "Other charges - X" is X
        own = re.findall(r"[a-z]+(?:-[a-z]+)?", label.split(" - ")[0])[:3]
        said = next(
            (
                w
                for i, w in enumerate(own)
                if w in _QUALIFIERS
                and not _QUALIFIERS[w] & asked
                and (w != "other" or (i == 0 and " - " not in label))
            ),
            None,
        )
        if said is None:
            # a heading that is a region alone ("Americas", "International segment")
            for parent in fact.row_path[:-1]:
                words = set(re.findall(r"[a-z]+", parent.lower()))
                regions = words & _REGIONS
                if regions and words <= _REGIONS | {"segment", "operations", "region", "the"}:
                    said = next((w for w in sorted(regions) if w not in asked), None)
                    if said:
                        break
        if said is not None:
            return Refusal(
                reason=f"The closest figure, “{_name(fact)}”, is only the “{said}” part; the "
                "question does not ask for it.",
                rule="qualifier_not_asked",
                closest=fact,
            )
    return None


def _implied(asked: set[str]) -> set[str]:
    """Measures a question's words imply: a margin or income is of an income line, a tax
    rate of taxes, EPS of net income."""
    out: set[str] = set()
    if asked & {"margin", "profitability"}:
        out |= {"grossprofit", "opincome", "netincome"}
    if asked & {"pretax", "pre-tax", "before", "tax"}:
        out.add("taxe")
    if asked & {"tax", "taxe"} and "rate" in asked:
        out.add("pretax")  # an effective tax rate: taxes over income before them
    if "eps" in asked:
        out |= {"netincome"}
    if "netincome" in asked:
        out.add("eps")
    if ("ratio" in asked and asked & {"current", "quick", "liquidity"}) or "working" in asked:
        out |= {"asset", "liability"}  # current assets over current liabilities
    if asked & {"leverage", "debt-to-equity", "book", "roe"}:
        out |= {"equity", "asset", "liability"}
    if "roa" in asked or {"return", "asset"} <= asked:
        out |= {"netincome", "asset"}  # return on assets: net income over total assets
    return out


# a period phrase find_periods does not read: "the first three quarters of 2007", "last
# year's third quarter", "the past two years"
_UNREAD_PERIOD = re.compile(
    r"\b(?:first|last|past|prior|previous|next|trailing)\s+(?:two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|\d+)\s+(?:fiscal\s+)?(?:quarters|months|weeks|years)\b|"
    r"\b(?:last|prior|previous)\s+(?:fiscal\s+)?year'?s\s+(?:(?:first|second|third|fourth|"
    r"1st|2nd|3rd|4th)\s+)?(?:quarter|half|q[1-4])\b",
    re.I,
)


# a month with a year and no day: "in november 2015", "as of december 2007"
_MONTH_YEAR = re.compile(
    r"(?<![\d,] )\b(?P<month>" + "|".join(m for m in MONTHS if m != "may") + r")\s+"
    r"(?:of\s+)?(?P<year>(?:19|20)\d\d)\b",
    re.I,
)


def _said(fact: Fact) -> str:
    """The words around a sentence figure, lower-cased."""
    return f"{fact.row} {fact.as_printed} {fact.column} {fact.table or ''}".lower()


def periods_understood(check: Check, answer: Answer) -> Refusal | None:
    """Every period the question names is one crossfoot read: a phrase it cannot date ("the
    first three quarters of 2007") is not silently answered with another period."""
    read = [(p.start, p.end) for p in find_periods(check.question)]
    unread = next(
        (
            m
            for m in _UNREAD_PERIOD.finditer(check.question)
            if not any(start <= m.start() and m.end() <= end for start, end in read)
        ),
        None,
    )
    month = _MONTH_YEAR.search(check.question)
    if month is not None and unread is None:
        number = MONTHS.index(month.group("month").lower()) + 1
        other = next(
            (
                f
                for f in answer.operands
                if f.period is not None
                and f.period.end.month != number
                and not (f.kind == "sentence" and month.group("month").lower() in _said(f))
            ),
            None,
        )
        if other is not None and other.period is not None:
            # "in november 2015": a fiscal year ended in December is another period
            return Refusal(
                reason=f"The question asks about {month.group(0)}, but “{_name(other)}” is "
                f"for {other.period.label}, which ends in "
                f"{MONTHS[other.period.end.month - 1].capitalize()}.",
                rule="periods_understood",
                closest=other,
            )
    if unread is None or not answer.operands or check.intent.within is not None:
        return None  # "due within the next 12 months" is a schedule's first year
    return Refusal(
        reason=f"crossfoot cannot tell which period “{unread.group(0)}” means; name it as the "
        "filing does (a quarter, a fiscal year, or the months ended on a date).",
        rule="periods_understood",
        closest=answer.operands[0],
    )


# "from 2015 to 2019", "between fiscal years 2017-2019", "2017-2019": every year in between
_RANGE = re.compile(
    r"\b(?:from|between|over|across)\s+(?:the\s+)?(?:(?:fiscal|fy)\s*)?(?:years?\s+)?"
    r"(?P<a>(?:19|20)\d\d)\s*(?:to|through|until|and|-|–)\s*(?:(?:fiscal|fy)\s*)?"
    r"(?P<b>(?:19|20)\d\d)\b|\b(?P<c>(?:19|20)\d\d)\s*[-–]\s*(?P<d>(?:19|20)\d\d)\b",
    re.I,
)


def every_year_used(check: Check, answer: Answer) -> Refusal | None:
    """Every year the question names is the year of a figure the answer uses ("the total
    audit fees in 2018 and 2019" is not the 2018 fee alone), and a total or an average over a
    range ("from 2015 to 2019") uses every year in it, not the two the row happens to have."""
    operands = answer.operands
    if not operands:
        return None
    named: set[int] = set()
    for spec in find_periods(check.question):
        year = spec.fiscal_year or (spec.date.year if spec.date else None)
        if year and spec.kind != "relative":
            named.add(year)
    if answer.kind in ("sum", "average"):
        for match in _RANGE.finditer(check.question):
            low, high = sorted(int(y) for y in match.group("a", "b") if y) or sorted(
                int(y) for y in match.group("c", "d") if y
            )
            if 0 < high - low <= 10:
                named |= set(range(low, high + 1))
    if len(named) < 2:
        return None
    if any(f.period is None for f in operands):
        # an undated figure covers two years only as a printed change or as one of several
        if len(operands) > 1 or check.intent.operation in ("percent_change", "cagr"):
            return None
        return Refusal(
            reason=f"The question asks about {', '.join(str(y) for y in sorted(named))}, but "
            f"the filings give one undated figure for it ({operands[0].as_printed}).",
            rule="every_year_used",
            closest=operands[0],
        )
    used: set[int] = set()
    for fact in operands:
        period = fact.period
        assert period is not None
        used |= {period.end.year} | ({period.start.year} if period.start else set())
        if period.end.month <= 3:  # fiscal 2023 may end on February 3, 2024
            used.add(period.end.year - 1)
        year = fiscal_year_of_label(period)
        if year:
            used.add(year)
    missing = sorted(named - used)
    if not missing:
        return None
    have = ", ".join(str(y) for y in sorted(named & used)) or "other years"
    return Refusal(
        reason=f"The question asks about {', '.join(str(y) for y in sorted(named))}, but the "
        f"figures found cover only {have}; the filings print nothing for "
        f"{', '.join(str(y) for y in missing)} in that row.",
        rule="every_year_used",
        closest=operands[0],
    )


# the words that ask for a calculation, not for a figure as printed
_ASKS_CALCULATION = re.compile(
    r"\b(?:divided|divide|sum|summed|difference|minus|plus|times|multiplied|ratio|fraction|"
    r"portion|proportion|average|averaged|combined|cagr|compound(?:ed)?|change[sd]?|growth|"
    r"grew|grow|increase[sd]?|decrease[sd]?|decline[sd]?|less\s+\$?\d+(?:\.\d+)?)\b",
    re.I,
)
# "less 100", "minus 100": a number to take off, not a year or an amount with its scale
_LESS_CONSTANT = re.compile(
    r"\b(?:less|minus)\s+\$?(?!(?:19|20)\d\d\b)(\d+(?:\.\d+)?)\b(?!\s*(?:%|percent|million|billion|"
    r"thousand))",
    re.I,
)
_RATIO_OF_CHANGES = re.compile(
    r"\b(?:ratio|portion|proportion|percent(?:age)?|fraction) of the (?:differences?|changes?|"
    r"increases?|decreases?|growth)\b",
    re.I,
)
# "the difference of the e*trade percent change and the s&p percent change": of two changes
_DIFFERENCE_OF_CHANGES = re.compile(
    r"\bdifference (?:between|of|in)\b.*\b(?:changes?|growth|returns?)\b.*\band\b.*"
    r"\b(?:changes?|growth|returns?)\b",
    re.I,
)
_ACROSS_COLUMNS = re.compile(
    r"\bwithin (?:the )?(?:next )?(?:\d+|two|three|four|five) years\b", re.I
)
# an average asked for; "weighted-average" names a figure
_AVERAGE_ASKED = re.compile(r"(?<!weighted )(?<!weighted-)\baverages?\b", re.I)
_RATIO_WORDS = frozenset(["divided", "divide", "ratio", "fraction", "portion", "proportion"])
_SUM_WORDS = frozenset(["combined", "sum", "summed", "plus"])
_PRINTED_SUM = re.compile(r"\band\b|&|\+|^total\b", re.I)
_CHANGE_TEXT = re.compile(
    r"chang|grow|grew|increas|decreas|declin|\bup\b|\bdown\b|%\s*(?:chg|var)|variance",
    re.I,
)


def operation_done(check: Check, answer: Answer) -> Refusal | None:
    """A question that asks for a calculation ("what is that divided by 100?", "and the
    difference?", "the sum of those years?") is not answered by one figure read off, unless
    that figure is the calculation printed: a "% change" column, a "Changes in ..." row, a
    sentence that says it "increased 5%", a printed percentage for a proportion."""
    averaged = _AVERAGE_ASKED.search(check.question)
    single = not any(
        re.search(
            r"averag", f"{_name(f)} {f.column or ''} {f.table or ''} {check.context(f)}", re.I
        )
        for f in answer.operands
    )
    if (
        averaged
        and single
        and answer.kind in ("difference", "ratio", "change", "decline", "growth")
    ):
        # "the difference between the average investment income and average financing costs":
        # a difference of two single figures is not one of averages
        return Refusal(
            reason="The question asks for averages; crossfoot would compare single figures "
            f"(“{_name(answer.operands[0])}”), not averages, so it does not answer.",
            rule="operation_done",
            closest=answer.operands[0],
        )
    if (
        _RATIO_OF_CHANGES.search(check.question)
        and answer.kind == "ratio"
        and "subtract" not in (answer.program or "")
    ):
        # "the ratio of the difference of citi to the s&p 500": of their changes, not of the
        # two figures
        return Refusal(
            reason="The question asks for a ratio of differences; crossfoot found only a ratio "
            f"of two figures (“{_name(answer.operands[0])}”), so it does not answer.",
            rule="operation_done",
            closest=answer.operands[0],
        )
    if (
        _DIFFERENCE_OF_CHANGES.search(check.question)
        and len({_name(f) for f in answer.operands}) == 1
    ):
        # two lines' changes asked for, one line's figures found
        return Refusal(
            reason="The question asks for the difference of two changes; crossfoot found the "
            f"figures of one line only (“{_name(answer.operands[0])}”), so it does not answer.",
            rule="operation_done",
            closest=answer.operands[0],
        )
    constant = _LESS_CONSTANT.search(check.question)
    if (
        constant
        and answer.kind != "lookup"
        and answer.operands
        and not re.search(rf"\b{re.escape(constant.group(1))}\b", answer.program or "")
    ):
        # "the net change of the Dow Jones average in 2006 less 100": the index's change from
        # its base of 100, not its change over the year
        return Refusal(
            reason=f"The question asks to take {constant.group(1)} off (“{constant.group(0)}”), "
            "which the calculation crossfoot found does not do; it does not answer.",
            rule="operation_done",
            closest=answer.operands[0],
        )
    if answer.kind != "lookup" or len(answer.operands) != 1:
        return None
    fact = answer.operands[0]
    if check.intent.all_periods or _ACROSS_COLUMNS.search(check.question):
        # "across all 3 years", "for both years", "due within 5 years": several figures
        return Refusal(
            reason=f"The question asks about several periods together; crossfoot found one "
            f"figure, “{_name(fact)}”, and cannot combine it with the others here.",
            rule="operation_done",
            closest=fact,
        )
    printed = f"{' '.join(fact.row_path)} {fact.row} {fact.table or ''} {fact.column or ''}"
    printed = printed.lower()
    label = own_label(fact)
    for match in _ASKS_CALCULATION.finditer(check.question):
        word = match.group(0).lower()
        if re.search(r"\b" + re.escape(word.rstrip("sd")), printed):
            continue
        if word == "average" and not _AVERAGE_ASKED.match(check.question, match.start()):
            continue  # "the weighted-average share count" names a figure
        if word in _RATIO_WORDS and fact.unit == "percent":
            continue  # the filing prints the percentage
        if (
            word in _SUM_WORDS
            and fact.kind != "sentence"
            and _PRINTED_SUM.search(label)
            and re.search(r"\b(?:and|plus)\b|&", check.question)
        ):
            continue  # "R&D plus MG&A" as "GAAP R&D and MG&A": the filing prints the total
        if _CHANGE_TEXT.match(word) and _CHANGE_TEXT.search(printed):
            continue
        return Refusal(
            reason=f"The question asks for a calculation (“{match.group(0)}”) that crossfoot "
            f"cannot make here; the closest figure, “{_name(fact)}”, is one figure as printed.",
            rule="operation_done",
            closest=fact,
        )
    return None


_MONTHS = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "3": 3, "6": 6, "9": 9, "12": 12}
_SPAN_SAID = re.compile(
    r"\b(?P<n>three|six|nine|twelve|3|6|9|12)[- ]months\b|"
    r"\b(?P<y>full year|full-year|(?:fiscal )?year ended)\b",
    re.I,
)


def _asked_months(check: Check) -> int | None:
    for spec in check.intent.periods:
        if spec.kind == "quarter":
            return 3
        if spec.kind == "year":
            return 12
        if spec.kind in ("ytd", "ended") and spec.months:
            return spec.months
    return None


def _clip(text: str, most: int) -> str:
    """``text`` cut at a word boundary to at most ``most`` characters, with "…" when cut."""
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def sentence_span_agrees(check: Check, answer: Answer) -> Refusal | None:
    """A figure read from a sentence is for the span of time asked: "the first nine months of
    2007" is not answered by "Net revenues for the twelve months ended December 31, 2007"."""
    asked = _asked_months(check)
    if asked is None:
        return None
    for fact in answer.operands:
        if fact.kind != "sentence":
            continue
        said = set()
        for m in _SPAN_SAID.finditer(fact.row):
            said.add(_MONTHS[m.group("n").lower()] if m.group("n") else 12)
        if said and asked not in said:
            return Refusal(
                reason=f"The closest figure is read from a sentence about another span of time: "
                f"“{_clip(fact.row, 160)}”.",
                rule="sentence_span_agrees",
                closest=fact,
            )
    return None


# "In which segment was X the largest?", "What charges does the table summarize?": the answer
# is a name (a line, a segment), not a figure; "which year" questions have their own operation
_ASKS_A_NAME = re.compile(
    r"^\s*(?:(?:in|for|at|from|under|by|of) )?which\s+(?!(?:of the )?(?:years?|periods?|fiscal|"
    r"quarters?|months?|dates?|days?|was|were|is|are|has|had|have|did|does|do|one|of)\b)"
    r"|\bdoes the table (?:summari[sz]e|show|present|provide|list|include|contain)\b"
    r"|^\s*what (?:(?:are|were) the )?(?:segments|services|items|components|categories|countries"
    r"|regions|types|products|factors)\b",
    re.I,
)


def asks_for_a_name(check: Check, answer: Answer) -> Refusal | None:
    """A question that asks which line, segment or item ("In which segment was X the
    largest?") or what a table holds is not answered by one figure read off."""
    if answer.kind != "lookup" or not _ASKS_A_NAME.search(check.question):
        return None
    return Refusal(
        reason="The question asks for a name (which line or item), not a figure; crossfoot "
        f"found only a figure (“{_name(answer.operands[0])}”) and does not guess the name.",
        rule="asks_for_a_name",
        closest=answer.operands[0],
    )


RULES: list[tuple[str, Rule]] = [
    ("asks_for_a_name", asks_for_a_name),
    ("periods_understood", periods_understood),
    ("every_year_used", every_year_used),
    ("sentence_span_agrees", sentence_span_agrees),
    ("one_cell_once", one_cell_once),
    ("each_one_given", each_one_given),
    ("operation_done", operation_done),
    ("two_measures_two_rows", two_measures_two_rows),
    ("change_not_differenced", change_not_differenced),
    ("part_not_whole", part_not_whole),
    ("unit_agrees", unit_agrees),
    ("same_measure", same_measure),
    ("opposite_not_taken", opposite_not_taken),
    ("qualifier_not_asked", qualifier_not_asked),
    ("one_period_for_two_measures", one_period_for_two_measures),
    ("terms_accounted_for", terms_accounted_for),
]


def verify(
    check: Check, answer: Answer, rules: Iterable[tuple[str, Rule]] = RULES
) -> Refusal | None:
    """The first rule that refuses, or None: the answer may stand."""
    if answer.status != "answered" or not answer.operands:
        return None
    if check.intent.operation in ("table_periods", "parts"):
        # the periods a table prints, or the lines under a total: read off the table's
        # structure, their rows stand for it
        return None
    for _, rule in rules:
        refusal = rule(check, answer)
        if refusal is not None:
            return refusal
    return None


_PERCENT_ASKED = re.compile(r"%|\bpercent(?:age)?s?\b|\bmargins?\b|\brates?\b|\bshare of\b", re.I)
_KINDS = {
    "lookup": "lookup",
    "growth": "change",
    "change": "change",
    "decline": "change",
    "cagr": "change",
    "difference": "difference",
    "ratio": "ratio",
    "sum": "aggregate",
    "average": "aggregate",
    "table_sum": "aggregate",
    "which": "which",
    "compare": "which",
}


def features(check: Check, answer: Answer) -> dict[str, float]:
    """What :func:`confidence` weighs: how much of the question the figures' own labels carry
    (not just their table's caption), how much of their labels the question did not ask for,
    whether the unit is the one asked, what kind of operation it is, and the figures' checks."""
    terms = check.terms()
    own: set[str] = set()
    context: set[str] = set()
    for fact in answer.operands:
        own |= _text_words(" ".join([*fact.row_path, fact.row]))
        context |= _fact_words(fact) | _text_words(check.context(fact))
    weight = sum(check.rarity(t) for t in terms) or 1.0
    own_share = sum(check.rarity(t) for t in terms if _covered(t, own)) / weight
    context_share = sum(check.rarity(t) for t in terms if _covered(t, context)) / weight
    asked = set(terms) | {_plain(t) for t in tokens(check.question)}
    extra = []
    for fact in answer.operands:
        label = sorted({_plain(t) for t in tokens(own_label(fact))})
        label = [w for w in label if w not in _SKIP]
        if fact.kind == "sentence" or not label:
            continue
        total = sum(check.rarity(w) for w in label) or 1.0
        extra.append(sum(check.rarity(w) for w in label if not _covered(w, asked)) / total)
    unit = answer.value.unit if answer.value else ""
    wants_percent = bool(_PERCENT_ASKED.search(check.question))
    kind = _KINDS.get(answer.kind or "", "formula")
    out = {
        "own_share": own_share,
        "context_share": context_share,
        "extra": max(extra, default=0.0),
        "terms": math.log1p(len(terms)),
        "unit_conflict": float(
            bool(unit) and (wants_percent != (unit == "percent")) and kind != "ratio"
        ),
        "sentence": float(any(f.kind == "sentence" for f in answer.operands)),
        "unvalidated": float(any(not f.validated for f in answer.operands)),
        "undated": float(any(f.period is None for f in answer.operands)),
        "period_asked": float(bool(check.intent.periods)),
        "operands": math.log1p(len(answer.operands)),
    }
    bound = [check.binding(f.fact_id) for f in answer.operands]
    known = [b for b in bound if b is not None]
    # a figure found another way (a printed measure, a sentence) is scored by its words alone
    out["match"] = min((b[0] for b in known), default=own_share)
    out["fit"] = min((b[1] for b in known), default=own_share)
    out["lead"] = min(min((b[2] for b in known), default=0.5), 1.0)
    out["unbound"] = float(not known)
    for name in ("lookup", "change", "difference", "ratio", "aggregate", "which", "formula"):
        out[f"kind_{name}"] = float(kind == name)
    return {name: round(value, 9) for name, value in out.items()}


# fitted by ``python -m evals.fit_confidence`` (logistic regression, 5-fold cross-validated,
# on the TAT-QA, FinQA and ConvFinQA development sets); see that module for the figures
WEIGHTS: dict[str, float] = {
    "bias": -1.002,
    "context_share": 0.127,
    "extra": -0.517,
    "fit": 0.716,
    "kind_aggregate": -0.185,
    "kind_change": 0.341,
    "kind_difference": -0.167,
    "kind_formula": 0.04,
    "kind_lookup": -0.673,
    "kind_ratio": -0.116,
    "kind_which": 0.759,
    "lead": 0.739,
    "match": 0.847,
    "operands": 0.386,
    "own_share": -0.368,
    "period_asked": 0.139,
    "sentence": -0.46,
    "terms": 0.204,
    "unbound": -0.468,
    "undated": -0.508,
    "unit_conflict": -0.584,
    "unvalidated": -0.052,
}


def confidence(check: Check, answer: Answer) -> float:
    """0 to 1: how likely the figures are the ones asked for, a logistic function of
    :func:`features` with the fitted :data:`WEIGHTS`."""
    if not answer.operands:
        return 0.0
    return probability(features(check, answer))


def probability(values: dict[str, float]) -> float:
    """The fitted logistic function of :func:`features`' values."""
    score = WEIGHTS.get("bias", 0.0) + sum(WEIGHTS.get(k, 0.0) * v for k, v in values.items())
    return round(1 / (1 + math.exp(-score)), 3)


def checked(check: Check, answer: Answer, threshold: float) -> tuple[Answer, Refusal | None]:
    """The verify stage's decision: every rule passes and the confidence clears
    ``threshold``, or the answer is ``not_found`` naming why (the closest figure, when only
    the confidence fails), with the refusal it stopped on."""
    refusal = verify(check, answer)
    answer = replace(answer, features=features(check, answer))
    sure = probability(answer.features or {})
    if refusal is None and sure < threshold:
        closest = answer.operands[0]
        name = figure_name(closest)
        quoted = name if name.startswith("“") else f"“{name}”"  # a sentence comes quoted
        refusal = Refusal(
            reason=f"The closest figure is {quoted}{period_words(closest)} "
            f"({display(closest.value, closest.unit)}), but it fits the question too loosely "
            "to give as the answer.",
            rule="confidence",
            closest=closest,
        )
    if refusal is None:
        return replace(answer, confidence=sure), None
    refused = replace(
        not_found(check.question, refusal.reason),
        confidence=sure,  # the rejected reading's
        operands=answer.operands,
        kind=f"refused:{refusal.rule}",
        features=answer.features,
    )
    return refused, refusal
