"""What a question asks: the operation, the metric phrases, the periods and the qualifiers.

Rules, not a model: "grow"/"growth"/"percent change" is a percentage change, "increase by how
much" a difference, "as a percentage of"/"share of"/"margin" a ratio, "combined"/"together"/
"total of A and B" a sum, "which was larger" a comparison, "CAGR" a compound growth rate.
Who/which/what-did-say questions without a figure word are narrative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from ingest.tables import EPS_INPUT

from .periods import MONTHS, PeriodSpec, find_periods

Operation = Literal[
    "lookup",
    "percent_change",
    "difference",
    "ratio",
    "sum",
    "average",
    "cagr",
    "compare",
    "which_period",
    "narrative",
    "due_share",
    "total_return",
    "repurchase_cost",
    "table_periods",
    "parts",
]
Which = Literal["max", "min", "all", "above", "below"]
Basis = Literal["GAAP", "non-GAAP"]


@dataclass(frozen=True)
class Intent:
    question: str
    operation: Operation
    metrics: tuple[str, ...]
    periods: tuple[PeriodSpec, ...]
    basis: Basis | None = None
    diluted: bool | None = None  # True: diluted, False: basic, None: not said
    per_share: bool = False
    counts_shares: bool = False  # the question asks for a number of shares
    all_periods: bool = False  # "for both years", "over the 3 year period"
    decrease: bool = False  # "by how much did it decline": a fall is reported as its size
    as_percent: bool = False  # a ratio to be shown in percent
    derived: str | None = None  # a standard measure computed by definition
    over: str | None = None  # "(A less B, over C)": the difference is divided by C
    excluded: tuple[str, ...] = ()  # "(not depreciation and amortization)": never these
    which: Which | None = None  # "in which year was X the largest": the period is the answer
    counting: bool = False  # "how many years did X exceed ...": how many such periods
    threshold: tuple[Decimal, Decimal] | None = None  # "less than 100.0 million": (100.0, 1e6)
    notes: tuple[str, ...] = field(default_factory=tuple)
    due: tuple[str, int] | None = None  # "due in 2013": ("in", 2013); "due after 2012"
    # "due within the next 12 months", "expire in 1-3 years": the schedule's years counted from
    # its first (1), first to last (None: no end)
    within: tuple[int, int | None] | None = None
    # "Base your answer on the cash flow statement": the statements the figures must come from
    statements: tuple[str, ...] = ()
    # "DSO is defined as ...": the words of a term the question defines, never missing names
    defined: tuple[str, ...] = ()
    # "what was the highest net rental expense in the three year period": the figure, not
    # its period
    extreme: bool = False
    # a vague follow-up's measures taken from the conversation ("and in 2016?")
    carried: tuple[str, ...] = ()


# questions whose answer is words even when they name a figure ("which ...", "how quickly",
# "what are the reasons ...", "... related to?")
WORDY = re.compile(
    r".*\b(?:related|due|attributable|attributed|tied) to\?\s*$|"
    r"(?:[^,?]{0,40},\s*)?(?:how (?:quickly|long|soon|often)|until (?:what|when)|"
    r"what (?:kind|type|sort)s? of|"
    r"which|who|whom|where|when|why|what (?:are|were) the (?:\w+ )?(?:categories|types|kinds|"
    r"reasons|factors|risks|products|drivers)|to what|in what|on what|over what)\b",
    re.I,
)


# questions that ask for the filing's words whatever figures they name: a reason, a method, what
# something holds ("Why did operating income decrease?", "How is the discount rate determined?",
# "What does the table show?", "What is included in service delivery costs?")
# words that make "what is X?" ask for a figure ("What is net income?", "What are total
# revenues?"), a possessive, a period or a number
_FIGURE_WORDS = (
    r"(?:['’]s\b|\b(?:19|20)\d\d\b|\bfy\s?'?\d|\d|\b(?:total|net|change|changes|ratio|"
    r"percent|percentage|margin|margins|sum|average|growth|difference|amount|balance|number|"
    r"rate|price|cost|costs|expense|expenses|income|revenue|revenues|sales|cash|debt|eps|"
    r"earnings|profit|loss|losses|assets|liabilities|equity|dividend|dividends|shares|"
    r"quarter|year|month|ebitda|ebit|capex|opex|comps)\b)"
)
ASKS_WORDS = re.compile(
    r"\s*(?:(?:in \d{4},?\s*)?why\b|"
    r"what (?:is|was|were|are) the (?:main |primary |major |key )?"
    r"(?:reasons?|causes?|purpose|objective|basis(?! points?)|nature)\b|"
    r"what (?:caused|led to|drove|resulted in|contributed to)\b|"
    r"how (?:is|are|was|were|does|do|did) .*\b(?:determined|calculated|measured|defined|define|"
    r"derived|estimated|computed|classified|presented|assessed|allocated|stated|recognized|"
    r"recognised|accounted for|valued)"
    r"(?:\s+in\s+(?:the|its|our)\s+\w+(?:\s+\w+)?)?\s*\??\s*$|"
    r"how (?:does|do|did) .+\bdefines?\b|"
    r"what (?:is|are) .+\bbased (?:on|upon)\s*\??\s*$|"
    # "What is Audit Fees?", "What are OEM?": a name to define, no figure's words
    rf"what (?:is|are) (?!(?:the|a|an|that|this|it|my|your|our|his|her|their|its)\b)"
    rf"(?!.*{_FIGURE_WORDS})"
    r"(?:[\w&()“”\".-]+\s+){0,4}[\w&()“”\".-]+\s*\?\s*$|"
    r"what (?:does|do) .*\b(?:show|represent|include|consist of|consist primarily of|comprise|"
    r"indicate|mean|relate to|result from)\s*\??\s*$|"
    r"what (?:is|are) (?:included|excluded) (?:in|from)\b)",
    re.I,
)


# "how much did the share count change year over year" asks for the amount; "year-over-year
# growth" and "how did revenue do year over year" for the rate
_YEAR_OVER_YEAR = re.compile(r"\byear[- ]over[- ]year\b|\byoy\b", re.I)
_HOW_MUCH = re.compile(r"\bhow (?:much|many)\b", re.I)
# "by what %", "the % change", "how much did it grow ..., in percent?"
_PERCENT_SIGN_CHANGE = re.compile(
    r"\bby what %|%\s*(?:change|increase|decrease|decline|growth|rise|drop)\b|"
    r"\b(?:change|changed|grow|grew|growth|rise|rose|increase|increased|decrease|decreased|"
    r"decline|declined|fall|fell|drop|dropped)\b.*\bin (?:percent(?:age)?(?: terms)?\b(?! of\b)|%)",
    re.I,
)
_PERCENT_CHANGE = re.compile(
    r"\b(?:growth rate|rate of growth|grow|grew|growth|grown|"
    r"percent(?:age)? (?:change|increase|decrease|decline|growth|reduction|drop|rise)|"
    r"% (?:change|increase|decrease|growth)|by what (?:percent|percentage)|"
    r"year[- ]over[- ]year|yoy|how fast)\b|\bchange in percent",
    re.I,
)
_CHANGE = re.compile(
    r"\b(?:increase|increased|decrease|decreased|decline|declined|change|changed|rise|rose|"
    r"fall|fell|drop|dropped|improve|improved)\b"
    # "the total variance in net revenue from 2010 to 2011": the change
    r"|\bvariance(?= in\b)|\b(?:variation|fluctuation)(?= (?:in|of)\b)",
    re.I,
)
_DIFFERENCE = re.compile(
    r"\b(?:difference (?:between|in|of)|how much (?:more|less|higher|lower|larger|smaller|bigger)|"
    r"by how many dollars|"
    r"exceed(?:ed)? .* by how much|by how much|how many more|how many fewer|minus)\b",
    re.I,
)
_FORMULA = re.compile(
    r"(?:\(|\bi\.e\.,?\s+|\bcomputed as\s+|\bdefined as\s+|\bcalculated as\s+)"
    r"(?P<a>[^()]+?)\s+(?P<op>minus|less|divided by|over|plus)\s+(?P<b>[^()?]+?)(?:\)|\?|$|,)",
    re.I,
)
# how a share's part is tied to its whole: "what portion of the total notes payable comes from
# U.S. commercial paper", "... that was associated with other revenues", "... is dedicated to
# goodwill", "... are located in Europe"
_SHARE_VERB = (
    r"(?:(?:that|which)\s+)?(?:(?:was|were|is|are|has been)\s+)?"
    r"(?:(?:came|comes|come)(?:\s+from)?|(?:was|were|is|are)\s+from|"
    r"(?:attributable|attributed|due|related|allocated|dedicated|applicable)\s+to|"
    r"associated with|represented by|comprised of|composed of|made up of|located in|"
    r"accounted for by|generated by|derived from|employed in|paid in)"
)
_SHARE_OF = re.compile(
    r"\b(?:what |which )?(?:share|percentage|percent|proportion|fraction|portion) of\s+"
    r"(?P<whole>.+?)\s+(?:" + _SHARE_VERB + r"|was|were|is|are)\s+(?P<part>[^?]+)",
    re.I,
)
_SHARE_VERB_WORDS = re.compile(r"^\s*" + _SHARE_VERB + r"\s+|\s+(?:that|which)\s*$", re.I)
# "what percentage was Eurasia SBU of total revenue", "the percent of the impairment charges to
# the net revenue", "the percent of the investment banking as part of the total segments
# operations": the part first, then its whole
_PART_FIRST = re.compile(
    r"(?<!as a )(?<!as an )\b(?:percentage|percent|proportion|share|fraction|portion)\s+(?:"
    r"(?:was|is|were|are)\s+(?P<part>[^?]+?)\s+of\s+(?:the\s+)?"
    r"(?P<whole>(?:total|overall)\b[^?]*)|"
    r"of\s+(?!(?:the\s+)?total\b)(?P<part2>[^?]+?)\s+(?:(?<!related)(?<!due)"
    r"(?<!attributable)(?<!allocated)(?<!dedicated)(?<!applicable)(?<!compared)(?<!relative)"
    r"(?<!used)(?<!up)to|as (?:a )?part of)\s+(?:the\s+)?(?P<whole2>[^?]+)|"
    # "for the twelve months ended ...": a period, not a part
    r"of\s+(?:the\s+)?(?P<whole3>total\b[^?]+?)\s+(?:from|for)\s+"
    r"(?!(?:the\s+)?(?:(?:twelve|three|six|nine|\d+)\s+months|(?:fiscal\s+)?(?:years?|"
    r"quarters?|periods?))\b)(?P<part3>[^?]+)|"
    r"of\s+(?P<part4>[^?]+?)\s+of\s+(?:the\s+)?(?P<whole4>total\b[^?]+))",
    re.I,
)
_PART_OF = re.compile(
    r"\b(?:percentage|percent|proportion|share|fraction|portion) of (?:the )?(?P<part>.+?)\s+"
    r"(?:in|out of|among|over|within|relative to|compared to|as a (?:percent|percentage) of)\s+"
    r"(?:the\s+)?(?P<whole>(?:total|overall|all)\b[^?]*|[^?]*\btotal\b[^?]*)",
    re.I,
)
_RATIO_OF = re.compile(r"\bratio of\s+(?P<a>.+?)\s+to\s+(?P<b>[^?]+)", re.I)
_TIMES = re.compile(r"\bhow many times (?:larger|bigger|greater|higher|as large|as big)?\b", re.I)
_DECREASE = re.compile(
    r"\b(?:decrease|decreased|decline|declined|fall|fell|drop|dropped|lower|less|reduce|reduced|"
    r"shrink|shrank)\b",
    re.I,
)
# "increase/(decrease)", "(increase) decrease", "increase (decrease)": a label's two signs,
# not a question about a fall
_SIGNED_LABEL = re.compile(
    r"\(?\b(?:increase|decrease)\)?\s*(?:/|\s)\s*\(?(?:increase|decrease)\b\)?", re.I
)
_RATIO = re.compile(
    r"\b(?:as a (?:percent(?:age)?|%|share|proportion|fraction) of|(?:percent(?:age)?|share|"
    r"proportion|fraction) of|ratio of|divided by|relative to|in relation to)\b|\bas a % of\b",
    re.I,
)
_SUM = re.compile(
    r"\b(?:combined|together|altogether|in total|sum of|total of|plus|aggregate|summing|"
    r"adding up|add up)\b",
    re.I,
)
_TOTAL = re.compile(r"\btotal\b(?!\s+of\b)", re.I)
_PERIOD_PAIR = re.compile(r"\b(?:19|20)\d\d,?\s+and\s+(?:(?:fiscal|year)\s+)?(?:19|20)\d\d\b", re.I)
_AVERAGE = re.compile(
    r"\b(?:average of|on average|mean of|averaged)\b|(?<!weighted )(?<!weighted-)\baverage\b(?!\s+"
    r"(?:shares|number of shares|common shares|diluted|basic))",
    re.I,
)
_ALL_PERIODS = re.compile(
    r"\b(?:both|all|each of the|the (?:two|three|four|five|2|3|4|5))\s+(?:fiscal\s+)?"
    r"(?:years|fys|periods|quarters)\b|\bfor both\b",
    re.I,
)
_CAGR = re.compile(r"\b(?:cagr|compound(?:ed)? annual growth(?: rate)?)\b", re.I)
_COMPARE = re.compile(
    r"\b(?:which (?:was|is|were) (?:larger|higher|greater|bigger|smaller|lower)|"
    r"(?:was|is|were) .* (?:larger|higher|greater|bigger|smaller|lower) than|"
    # "does the company spend more on advertising in 2012 than on research and development?"
    r"(?:did|does|do|has|have) .*\b(?:spend|spent|pay|paid|distribute|distributed|invest|"
    r"invested|earn|earned|generate|generated|receive|received|incur|incurred) more\b.* than|"
    # "did jpmorgan chase outperform the s&p 500 over the five year period?"
    r"(?:did|does|has|have) .*\boutperform(?:ed)?)\b",
    re.I,
)
_NARRATIVE = re.compile(
    r"^\s*(?:who|whom|whose|where|why|when|describe|explain|did|does|is there|are there|"
    r"(?:on|in|at|by|over|within|for) what (?:date|day|time|period|year|basis)|"
    r"(?:according to \w+,? )?what (?:drove|caused|explains|explained|led to|contributed to)|"
    r"to what (?:did|does|will|was|were)|"
    r"which (?:customers?|companies|company|products?|markets?|firms?|service providers?|"
    r"carriers?|operators?|executives?|officers?)|"
    r"what\b[^?]*\b(?:did|does|do|will|would)\b[^?]*\b(?:say|said|announce|expect|describe|"
    r"mean|provide|offer|plan|attribute)|"
    r"what (?:is|are|was|were) the (?:name|reason|reasons|purpose|headquarters|address))\b",
    re.I,
)
FIGURE_WORDS = re.compile(
    r"\b(?:how much|how many|what (?:was|were|is|are) (?:the )?(?:total|amount|value|level)|"
    r"revenue|sales|income|margin|eps|earnings|cash|assets|liabilities|expenses?|cost|debt|"
    r"shares?|dividend|tax|capex|buybacks?|equity|inventor(?:y|ies)|receivables?|ratio|rate|"
    r"charges?|payments?|total|impairments?|amounts?|balances?|profit|loss|flows?|spend|spent|price|value|"
    r"percent(?:age)?|number)s?\b|\$",
    re.I,
)
_NON_GAAP = re.compile(r"\bnon[- ]?gaap\b|\badjusted\b", re.I)
_GAAP = re.compile(r"(?<![-\w])gaap\b", re.I)
_DILUTED = re.compile(r"\bdiluted\b", re.I)
_BASIC = re.compile(r"\bbasic\b", re.I)
_OVER = re.compile(r"^\s*(?:over|divided by)\s+(?P<c>[^()?]+?)\s*(?:\)|\?|$)", re.I)
_SUMMING = re.compile(r"\b(?:summing|adding(?: up)?)\s+(?P<parts>[^?]+\band\b[^?]+)", re.I)
_ONE_NAME = re.compile(
    r"\bproperty, plant\b|\b(?:selling|marketing), general\b|\bsales, general\b"
    # "entergy texas, inc.": a company's legal form is part of its name
    r"|\w\s*,\s*(?:inc|corp|co|llc|ltd|plc|l\.\s?p|n\.\s?a)\b\.?",
    re.I,
)
_PERIOD_WORDS = re.compile(
    r"\b(?:current|prior|previous|preceding|this|last|next|year|quarter|period|beginning|"
    r"ending|end|start|opening|closing|balances?|of|the|at|year-end|beginning-of-year|"
    r"end-of-year|beginning-of-period|end-of-period)\b|[-,]",
    re.I,
)
PER_SHARE = re.compile(r"\b(?:per share|eps|earnings per share|per diluted share)\b", re.I)
_SHARE_COUNT = re.compile(
    r"\bhow many\b[^?]*\bshares\b|\bshare count\b|\bnumber of (?:common )?shares\b|"
    r"\bweighted[- ]average\b[^?]*\bshares\b|\bshares (?:used|outstanding|issued)\b|"
    r"\bshares of (?:\w+ )?common stock (?:were )?(?:issued|outstanding)\b",
    re.I,
)
_PERCENT_WORDS = re.compile(r"\b(?:percent(?:age)?|%|margin|rate)\b|%", re.I)

# standard derived measures: (pattern, name)
DERIVED: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bfree cash flow\b", re.I), "free_cash_flow"),
    (
        re.compile(r"\bgross margin (?:percentage|%|rate)\b|\bgross margin as a", re.I),
        "gross_margin",
    ),
    (re.compile(r"\boperating margin\b", re.I), "operating_margin"),
    # "the profit margin" alone is the net margin; "operating profit margin" is not
    (
        re.compile(r"\bnet (?:profit )?margin\b|(?<!gross )(?<!operating )\bprofit margin\b", re.I),
        "net_margin",
    ),
    (
        re.compile(r"\beffective (?:gaap |non-gaap )?(?:income )?tax rate\b", re.I),
        "effective_tax_rate",
    ),
    (re.compile(r"\bcurrent ratio\b|\bworking capital ratio\b", re.I), "current_ratio"),
    (re.compile(r"\bworking capital\b", re.I), "working_capital"),
    (re.compile(r"\breturn on (?:total |average )?assets\b|\broa\b", re.I), "return_on_assets"),
]

_CHANGE_WORDS = re.compile(
    r"\b(?:change[sd]?|increase[sd]?|decrease[sd]?|differences?|grow(?:th|n)?|adjustments?|"
    r"consist|comprise)\b",
    re.I,
)
_QUESTION_WORDS = re.compile(
    r"^\s*(?:approximately\s+|roughly\s+|about\s+)?(?:what|how much|how many|how large|how big|"
    r"how high|by how much|by what percentage|"
    r"what percentage|tell me|"
    r"give me|show me|find|and|so|ok|okay)\b[\s,]*|"
    r"\b(?:was|were|is|are|did|does|do|has|have|had|reported|compared (?:with|to)|versus|vs\.?|"
    r"between|compare)\b|\?",
    re.I,
)
_OPERATION_WORDS = re.compile(
    "|".join(
        p.pattern for p in (_PERCENT_CHANGE, _CHANGE, _DIFFERENCE, _SUM, _AVERAGE, _CAGR, _COMPARE)
    )
    + r"|\b(?:which|larger|higher|greater|bigger|smaller|lower|more|less)\b"
    # "the net change in X": "net" says what the change is, not which line
    + r"|\bnet(?=\s+(?:change|increase|decrease|decline|difference)\b)"
    + r"|\bin percent(?:age)?(?: terms)?\b|\bby what %|%\s*(?=change|increase|decrease|decline"
    + r"|growth|rise|drop)",
    re.I,
)


_WHICH_PERIOD = re.compile(
    r"\b(?:in |for |during )?(?:which|what|(?P<count>how many)(?: of the)?) (?:fiscal )?"
    r"(?:years?|periods?|quarters?)\b"
    r"(?: (?:is|was|were|are|did|does|do|has|have|had))?",
    re.I,
)
_THRESHOLD = re.compile(
    r"\b(?P<dir>(?:more|greater|higher|larger|bigger|less|lower|fewer|smaller) than|"
    r"exceed(?:ed|s)?|above|below|under|over)\s+(?P<neg>[-−]\s*)?\$?\s*(?P<n>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<scale>thousand|million|billion|%|percent)?",
    re.I,
)
_SIGNED = re.compile(r"\b(?:negative|positive)$", re.I)  # "... net negative?"
_MOST = re.compile(
    r"\b(?:the )?(?:largest|larger|highest|higher|greatest|greater|biggest|bigger|most|more|"
    r"maximum|max|best|better)\b",
    re.I,
)
_LEAST = re.compile(
    r"\b(?:the )?(?:smallest|smaller|lowest|lower|least|less|minimum|min|fewest|fewer|worst|"
    r"worse)\b",
    re.I,
)
_LISTED = re.compile(
    r"\b(?:the table )?(?:provided?|presented|calculated|shown|reported|included|disclosed|"
    r"listed|recorded|(?:does|do) the table (?:provide|show|present|include)|"
    r"(?:provide|show|present) information)(?: (?:information )?(?:for|on|about))?\b",
    re.I,
)
_SCALES = {"thousand": Decimal(1000), "million": Decimal(10**6), "billion": Decimal(10**9)}
# "What are the components of total revenue?", "What were the components making up current
# assets?", "What are the items under deferred tax liabilities?", "What financial items does
# operating free cash flow consist of?", "How many components are there under alternative
# investments?"
_PART_WORDS = (
    r"(?:major |main |financial |key )?(?:components|items|types|categories|elements|constituents)"
)
_PARTS = re.compile(
    rf"^\s*(?:(?P<count>how many) {_PART_WORDS} (?:are there |were there )?"
    rf"|(?:what|which) (?:are|were) (?:the )?{_PART_WORDS} )"
    r"(?:of|under|making up|that make up|that made up|in|included in|within)\s+"
    r"(?P<whole>[^?]+?)"
    r"(?:\s+(?:are|were) there)?(?:\s+in the table)?\s*\??\s*$"
    rf"|^\s*what {_PART_WORDS} (?:does|do|did) (?P<whole2>.+?) consist of\s*\??\s*$",
    re.I,
)
# "Which years does the table show?", "What years are included in the table?", "Which periods
# are highlighted in the table?": the table's own periods, asked of the table
_TABLE_PERIODS = re.compile(
    r"^\s*(?:in |for )?(?:which|what) (?:fiscal )?(?:years?|periods?)\b(?:(?!\?).)*"
    r"\bthe table\b",
    re.I,
)
# "Which year had the highest total revenue in the table?": a comparison, not the table's years
_COMPARED_IN_TABLE = re.compile(
    r"\b(?:highest|lowest|higher|lower|largest|smallest|larger|smaller|biggest|bigger|most|"
    r"least|greater|less|more|fewer|above|below|exceed(?:ed|s)?|over|under|increase[sd]?|"
    r"decrease[sd]?|positive|negative)\b",
    re.I,
)
_TABLE_WORDS = re.compile(
    r"\b(?:by|in|of) the table\b|\bthe table\b|\b(?:highlighted|highlight|shows?|includes?|"
    r"covers?|covered|contains?|included|data|information|provide|provides|present|presents)\b"
    r"(?:\s+(?:for|on|about|in))?",
    re.I,
)


# "what was the greatest gross margin in millions for the three year period", "what is the
# lowest segment operating income?": the extreme figure of a row across its periods
_EXTREME_VALUE = re.compile(
    r"^\s*(?:considering [^,]*,\s*)?what (?:was|were|is|are) (?:the )?"
    r"(?P<dir>highest|greatest|largest|biggest|maximum|lowest|smallest|minimum)\s+"
    r"(?P<rest>[^?]+)",
    re.I,
)
_SPAN_WORDS = re.compile(
    r"\b(?:for|in|during|over) the (?:two|three|four|five|\d)[- ]year period\b|"
    r"\b(?:for|in|during|over) the (?:two|three|four|five|\d) years\b|\bperiod\b",
    re.I,
)


def _extreme_value(question: str, text: str, periods: tuple[PeriodSpec, ...]) -> Intent | None:
    found = _EXTREME_VALUE.match(text)
    if found is None or re.search(r"\b(?:which|what year|what quarter)\b", question, re.I):
        return None
    if len(periods) == 1:
        return None  # "the highest X in 2019" is one period's figure
    metric = _metric(_SPAN_WORDS.sub(" ", found.group("rest")))
    if not metric or not _telling(metric):
        return None
    low = found.group("dir").lower() in ("lowest", "smallest", "minimum")
    return Intent(
        question=question,
        operation="which_period",
        metrics=(metric,),
        periods=periods,
        which="min" if low else "max",
        extreme=True,
    )


def _which_period(question: str, text: str, periods: tuple[PeriodSpec, ...]) -> Intent | None:
    """ "In which year was X the largest?", "Which years did X exceed $20,000 thousand?",
    "In which years was X reported?": the answer is one or more periods of X's row."""
    asked = _WHICH_PERIOD.search(text)
    if not asked:
        return None
    rest = text[: asked.start()] + " " + text[asked.end() :]
    threshold = _THRESHOLD.search(rest)
    which: Which | None
    limit: tuple[Decimal, Decimal] | None = None
    if threshold:
        direction = threshold.group("dir").lower()
        which = "below" if re.match(r"less|lower|fewer|smaller|below|under", direction) else "above"
        scale = (threshold.group("scale") or "").lower()
        number = Decimal(threshold.group("n").replace(",", ""))
        limit = (-number if threshold.group("neg") else number, _SCALES.get(scale, Decimal(1)))
        rest = rest[: threshold.start()] + " " + rest[threshold.end() :]
    elif signed := _SIGNED.search(rest.rstrip(" ?.")):
        # "In which year was Other income (expense), net negative?": below (or above) zero
        which = "below" if signed.group(0).lower() == "negative" else "above"
        limit = (Decimal(0), Decimal(1))
        rest = rest[: signed.start()] + " " + rest[signed.end() :]
    elif asked.group("count"):
        return None  # "how many years were reported": not a comparison
    elif _LEAST.search(rest):
        which, rest = "min", _LEAST.sub(" ", rest)
    elif _MOST.search(rest):
        which, rest = "max", _MOST.sub(" ", rest)
    elif _LISTED.search(rest) or re.search(r"\b(?:years|periods|quarters)\b", asked.group(0)):
        which, rest = "all", _LISTED.sub(" ", rest)
    else:
        return None
    rest = re.sub(r"\b(?:the )?(?:amount|value|figure|level)s? (?:of|for)\b", " ", rest, flags=re.I)
    metric = _metric(rest)
    if not metric:
        return None
    return Intent(
        question=question,
        operation="which_period",
        metrics=(metric,),
        periods=periods,
        basis="non-GAAP" if _NON_GAAP.search(text) else "GAAP" if _GAAP.search(text) else None,
        which=which,
        threshold=limit,
        counting=bool(asked.group("count")),
    )


_POLAR = re.compile(
    r"^\s*(?:(?:in|for|during|over) [^,?]{1,40},\s*)?(?:did|does|do|was|were|is|are|has|have|"
    r"had)\b",
    re.I,
)
_MORE = re.compile(
    r"\b(?:more|greater|higher|larger|bigger|exceed(?:ed|s)?|outperform(?:ed|s)?|increase[sd]?|"
    r"grow|grew|rise|rose|improve[sd]?)\b",
    re.I,
)
_LESS = re.compile(
    r"\b(?:less|fewer|lower|smaller|underperform(?:ed|s)?|decrease[sd]?|decline[sd]?|fall|fell|"
    r"drop(?:ped)?|shrink|shrank)\b",
    re.I,
)


def polarity(question: str) -> Literal["more", "less"] | None:
    """A yes/no question about a comparison ("did revenue increase between 2008 and 2009?",
    "was A greater than B?", "did the company spend more on X than on Y?"): which way the
    question asks, or None."""
    if not _POLAR.match(question):
        return None
    more, less = bool(_MORE.search(question)), bool(_LESS.search(question))
    if more == less:
        return None
    return "more" if more else "less"


# a performance graph's return: FinQA dev writes all 27 such programs as (value - 100) / 100
_TOTAL_RETURN = re.compile(
    r"\b(?:percentage\s+|percent\s+)?(?:cumulative\s+)?(?:(?:\d|five|three)[- ]year\s+)?"
    r"total\s+(?:cumulative\s+)?(?:stockholder\s+|shareholder\s+)?return(?:\s+on\s+investment)?"
    r"(?:\s+percentage)?(?:\s+to\s+"
    r"(?:stockholders|shareholders))?|\bpercentage\s+(?:cumulative\s+)?return\b|"
    r"\brate of return (?:of an investment in|for(?!\s+(?:the\s+)?(?:plan|pension|equity|"
    r"capital|assets|invested|total)\b))\b|"
    r"\broi\s+(?:of\s+an\s+investment\s+in|of|on)\b|"
    r"\breturn on (?:an )?investment in\b",
    re.I,
)
_RETURN_FILLER = re.compile(
    r"^\s*what (?:was|is|were) the (?:difference in )?|\bfor the (?:five|three|\d+)[- ]years?"
    r"(?: period)?(?: ended)?\b|\bfor the period ended\b|\bfrom\s+to\b|\?|"
    r"\b\d{1,2}-[a-z]{3}-|\b\d{1,2}/\d\d\b|^\s*(?:for|of)\b|\b(?:for|of)\s*$|"
    r"\b(?:(?:class [ab] )?common (?:stock|shares)|2019s)\b|\\n",
    re.I,
)
# "what percentage of total future minimum lease payments are due in 2008", "what percent of
# the commitments will be due after 2022", "the percent of the total debt maturities that was
# due in 2009"
# what share repurchases cost: "how much was spent on stock repurchases", "the total amount
# spent on share repurchases", "the cash outflow for the repurchase of shares", "the total price
# paid for the total number of shares purchased", "the total value of the shares purchased"
_REPURCHASE_COST = re.compile(
    r"\b(?:spent on|amount spent on|cash outflow for|price paid for|money did the|"
    r"(?:total )?value of the shares|cost of the)\b[^?]*\b(?:repurchas\w*|buybacks?|shares "
    r"(?:purchased|repurchased|bought))",
    re.I,
)
# "what percent of total commitments expire in 1-3 years", "what portion of the total
# contractual obligations are due within the next 12 months", "... come from after five years"
_DUE_WITHIN = re.compile(
    r"\b(?:percent(?:age)?|portion|proportion|share|fraction)\s+of\s+(?:the\s+)?"
    r"(?P<measure>[^?]+?)\s+(?:that\s+|which\s+)?(?:is|are|was|were|will\s+be)?\s*"
    r"(?:due|payable|expire|expires|expiring|maturing|come|comes|coming)\s+"
    r"(?:in|within|from|during)?\s*(?:the\s+)?(?P<bucket>"
    r"(?:next\s+)?(?:12|twelve|24|twenty-four|36|thirty-six)\s+months|"
    r"(?:less than|under|within)\s+(?:1|one)\s+year|"
    r"(?P<a>[1-4]|one|two|three|four)\s*(?:-|–|to)\s*(?P<b>[3-5]|three|five)\s+years|"
    r"(?:after|more than|over|beyond)\s+(?:5|five)\s+years)\b",
    re.I,
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
# the part-of phrasings' test for a share asked as a fraction (it reads "proportion" and
# "fraction" only, as it always has)
_PROPORTION_SAID = re.compile(r"\bproportion|fraction\b", re.I)
# "what portion of ...": the share as a fraction, not in percent
_FRACTION_ASKED = re.compile(r"\b(?:portion|proportion|fraction)\b", re.I)


def _within(bucket: str, a: str | None, b: str | None) -> tuple[int, int | None]:
    """The years a bucket covers, counted from the schedule's first: "1-3 years" is its second
    and third (the first is "less than 1 year"), "after 5 years" its sixth on."""
    text = bucket.lower()
    months = re.search(r"(12|twelve|24|twenty-four|36|thirty-six)\s+months", text)
    if months:
        return 1, {"12": 1, "twelve": 1, "24": 2, "twenty-four": 2}.get(months.group(1), 3)
    if a and b:
        first = int(_NUMBER_WORDS.get(a.lower(), a) or 0)
        last = int(_NUMBER_WORDS.get(b.lower(), b) or 0)
        return (first + 1 if last - first == 2 else first), last
    if re.match(r"(?:after|more than|over|beyond)", text):
        return 6, None
    return 1, 1


_DUE_SHARE = re.compile(
    r"\b(?:percent(?:age)?|portion|proportion|share|fraction)\s+of\s+(?:the\s+)?"
    r"(?P<measure>[^?]+?)\s+(?:that\s+|which\s+)?(?:is|are|was|were|will\s+be|would\s+be|"
    r"falls?|comes?)?\s*(?:due|payable|maturing|scheduled\s+to\s+mature)\s+"
    r"(?P<when>in|during|after|beyond)\s+(?:fiscal\s+|fy\s*)?(?P<year>(?:19|20)\d\d)\b",
    re.I,
)


# phrasings of a rate of change that read as a share or a difference (FinQA dev: "the
# percent of the increase in X in 2002" is 12 of 12 growth programs, "the percentage
# difference in X between 2014 and 2015" 3 of 3)
_PERCENT_OF_CHANGE = re.compile(
    r"^(?P<ask>\s*what (?:was|is|were) the )percent(?:age)? of the (?P<how>increase|decrease|"
    r"change|growth|decline) in (?!the (?:total )?(?:increase|decrease|change)\b)",
    re.I,
)
_PERCENT_DIFFERENCE = re.compile(r"\bpercent(?:age)? difference in\b", re.I)
_PERCENTUAL = re.compile(r"\bpercentual\b", re.I)  # "the percentual increase": percentage


def _as_growth(text: str) -> str:
    """The question's words with those phrasings said plainly: "percentage increase in X",
    "percentage change in X"."""
    text = _PERCENTUAL.sub("percentage", text)
    if not re.search(r"\b(?:due to|attributable|related to|from the highest)\b", text, re.I):
        text = _PERCENT_OF_CHANGE.sub(
            lambda m: f"{m.group('ask')}percentage {m.group('how').lower()} in ", text
        )
    return _PERCENT_DIFFERENCE.sub("percentage change in", text)


_CONNECTIVES = re.compile(
    r",\s*then\s*,|^\s*(?:and |so )?then,?\s+|\s+again(?=\s*[,?]|\s*$)"
    r"|\bspecific\s+(?=(?:value|amount|figure|number)\b)",
    re.IGNORECASE,
)


# "and concerning the euro notes, what was their full total for 2014?": a topic put first
# and named again by a pronoun
_FRONTED = re.compile(
    r"^(?P<lead>(?:and|so|now|also),?\s+)?(?:concerning|regarding|as for|as to|"
    r"with (?:respect|regards?) to|in regards? to)\s+(?P<topic>[^,?]+?)\s*,\s*(?P<rest>.+)$",
    re.I,
)
_PRONOUN = re.compile(
    r"\b(?:(?:its|their)\s+(?P<noun>[a-z][\w-]*(?:\s+(?!(?:for|in|of|during|from|between|by|"
    r"as|over|at|on|since|to|with|was|were|is|are)\b)[a-z][\w-]*){0,3})"
    r"|(?P<prep>of|in|from)\s+(?:it|them)\b|(?P<bare>it|they|them)\b)",
    re.I,
)


def fronted(question: str) -> str:
    """The question with a topic put first read in the place of the pronoun that names it
    again: "concerning that goodwill, what percentage does it represent in relation to the
    current assets?" is "what percentage does that goodwill represent in relation to the
    current assets?"; "concerning the euro notes, what was their full total for 2014?" is
    "what was the full total of the euro notes for 2014?". A topic that is only a period
    ("regarding the year 2016, ...") or a rest with no pronoun is left as asked, and so is
    "considering X, ...", which states a condition ("considering the closing price, what was
    their total value?")."""
    found = _FRONTED.match(question.strip())
    if found is None:
        return question
    topic, rest = found.group("topic").strip(), found.group("rest")
    undated = _without_spans(topic, [(p.start, p.end) for p in find_periods(topic)])
    if not _telling(_PERIOD_WORDS.sub(" ", undated)):
        return question
    pronoun = _PRONOUN.search(rest)
    if pronoun is None:
        return question
    if pronoun.group("noun"):
        noun = pronoun.group("noun")
        said = f"the {noun} {'in' if _CHANGE_WORDS.fullmatch(noun) else 'of'} {topic}"
    elif pronoun.group("prep"):
        said = f"{pronoun.group('prep')} {topic}"
    else:
        said = topic
    return f"{found.group('lead') or ''}{rest[: pronoun.start()]}{said}{rest[pronoun.end() :]}"


# "what is the 2015 value of outstanding fuel hedges less the 2014 value?", "what is the 2016
# less the 2015 values?": one measure in two years, the first less the second
_YEAR_LESS_YEAR = re.compile(
    r"^(?P<ask>(?:and |so )?what(?:'s| is| was| were)(?:,? then,?)? )(?:the )?(?P<y1>(?:19|20)\d\d)"
    r"(?P<what>(?: [^?]*?)?) (?:less|minus) (?:the |that (?:in|of) |it (?:in|at the end of) )?"
    r"(?P<y2>(?:19|20)\d\d)(?: (?:values?|amounts?|ones?|figures?|balances?|totals?))?\s*\??$",
    re.I,
)
_VALUE_OF = re.compile(r"^\s*(?:(?:values?|amounts?|figures?|balances?)(?: of)?\b)?\s*", re.I)


def year_less_year(question: str) -> str:
    """ "what is the 2015 value of outstanding fuel hedges less the 2014 value?" asks "what is
    the change in outstanding fuel hedges from 2014 to 2015?" (the 2015 figure less the 2014
    one, whichever year is later)."""
    found = _YEAR_LESS_YEAR.match(question.strip())
    if found is None or found.group("y1") == found.group("y2"):
        return question
    measure = _VALUE_OF.sub("", found.group("what")).strip()
    of = f" in {measure}" if measure else ""
    return f"{found.group('ask')}the change{of} from {found.group('y2')} to {found.group('y1')}?"


def understand(question: str) -> Intent:
    """What the question asks: its operation, the measures it names and its periods."""
    return _one_resolved(_read(year_less_year(question)))


def _read(question: str) -> Intent:
    periods = tuple(find_periods(question))
    text = _without_spans(question, [(p.start, p.end) for p in periods])
    # "what was, then, the combined total ...", "and the specific value for 2011 again?": a
    # conversation's connectives name nothing
    text = _CONNECTIVES.sub(" ", text)
    # "property, plant and equipment" is one name: its comma separates nothing
    text = _ONE_NAME.sub(lambda m: m.group(0).replace(",", ""), text)
    text = _as_growth(text)
    # "(not depreciation and amortization)": what the figure is not
    excluded = tuple(_metric(m.group(1)) for m in _NOT.finditer(text))
    text = _NOT.sub(" ", text)
    # "excluded from GAAP operating expense": where the figure sits, not what it is
    text = _CONTEXT.sub(" ", text)
    basis: Basis | None = (
        "non-GAAP" if _NON_GAAP.search(text) else "GAAP" if _GAAP.search(text) else None
    )
    diluted = True if _DILUTED.search(text) else False if _BASIC.search(text) else None
    counts_shares = bool(_SHARE_COUNT.search(text))
    per_share = bool(PER_SHARE.search(text)) and not counts_shares and not EPS_INPUT.search(text)
    derived = next((name for pattern, name in DERIVED if pattern.search(text)), None)
    if derived == "working_capital" and _CHANGE_WORDS.search(text):
        derived = None  # "the change in working capital": a line of the cash flow statement
    if derived == "free_cash_flow" and len(periods) >= 2:
        # "the percentage change in free cash flow from 2013 to 2014": an amount compared
        # across years, read as the line the filing prints (worked out when it prints none)
        derived = None

    operation: Operation
    metrics: tuple[str, ...]
    # the first ratio words with a part named before them: "what was the percentage of equity
    # ownership interests acquired" names none (the percentage is the figure asked for),
    # "what was the percentage of X as a percentage of Y" names X
    ratio = next((m for m in _RATIO.finditer(text) if not _BARE_ASK.match(text[: m.start()])), None)
    formula = _FORMULA.search(text)
    if formula and not any(_telling(_PERIOD_WORDS.sub(" ", formula.group(g))) for g in ("a", "b")):
        formula = None  # "(current minus prior)", "(ending balance minus beginning balance)"
    share = _SHARE_OF.search(text)
    ratio_of = _RATIO_OF.search(text)
    part_of = _PART_OF.search(text)
    # "... of total net sales, computed from the income statement": where, not a part
    part_first = _PART_FIRST.search(_ASIDE.sub(" ", text))
    if part_first and not all(
        _telling(_metric(_first_group(part_first, g))) for g in ("part", "whole")
    ):
        part_first = None
    cagr = bool(_CAGR.search(text))
    # phrasings that say what to divide (or add) take precedence over keyword rules; for the
    # ratio phrasings the question's share-count words name both operands, not the answer
    as_percent: bool | None = None
    over: str | None = None
    if _TOTAL_RETURN.search(text):
        # "the percentage cumulative total return for the five years ended December 31, 2014
        # of Citi common stock": a performance graph's line from its base of 100
        lines = _TOTAL_RETURN.sub(" ", _RETURN_FILLER.sub(" ", text))
        named = [
            _metric(_RETURN_FILLER.sub(" ", line))
            for line in re.split(
                r"\b(?:compared (?:to|with)|versus|vs\.?|and)\b", lines, flags=re.I
            )
        ]
        return Intent(
            question=question,
            operation="total_return",
            metrics=tuple(m for m in named if m),
            periods=periods,
            as_percent=True,
        )
    due = _DUE_SHARE.search(question)
    if due:
        # "what percentage of total purchase commitments are due in 2013": a schedule's
        # amount for that year over its total
        return Intent(
            question=question,
            operation="due_share",
            metrics=(_metric(due.group("measure")),),
            periods=periods,
            as_percent=not _FRACTION_ASKED.search(due.group(0)),
            due=(
                "in" if due.group("when").lower() in ("in", "during") else "after",
                int(due.group("year")),
            ),
        )
    if _REPURCHASE_COST.search(question):
        # shares bought times their average price, from a table of repurchases
        return Intent(
            question=question,
            operation="repurchase_cost",
            metrics=("total number of shares purchased", "average price paid per share"),
            periods=periods,
        )
    bucket = _DUE_WITHIN.search(question)
    if bucket:
        return Intent(
            question=question,
            operation="due_share",
            metrics=(_metric(bucket.group("measure")),),
            periods=periods,
            as_percent=not _FRACTION_ASKED.search(bucket.group(0)),
            within=_within(bucket.group("bucket"), bucket.group("a"), bucket.group("b")),
        )
    if _WHY.search(question):
        # "what drove the increase in iPhone net sales": the reasons, in words
        return Intent(question=question, operation="narrative", metrics=(), periods=periods)
    parts = _PARTS.search(text)
    if parts is not None and (whole := _metric(parts.group("whole") or parts.group("whole2"))):
        # "What are the components of total revenue?", "How many components are there under
        # deferred tax assets?": the lines that make up a total, or that a heading holds
        return Intent(
            question=question,
            operation="parts",
            metrics=(whole,),
            periods=periods,
            counting=bool(parts.group("count")),
        )
    if _TABLE_PERIODS.search(text) and not _COMPARED_IN_TABLE.search(text):
        # "Which years does the table provide information for net sales by region?": the
        # periods the table's columns print
        rest = _TABLE_WORDS.sub(" ", _LISTED.sub(" ", _WHICH_PERIOD.sub(" ", text)))
        metric = _metric(rest)
        return Intent(
            question=question,
            operation="table_periods",
            metrics=(metric,) if metric else (),
            periods=periods,
            which="all",
        )
    which = _which_period(question, text, periods) or _extreme_value(question, text, periods)
    if which is not None:
        return which
    if formula and not cagr:
        by_word: dict[str, Operation] = {"minus": "difference", "less": "difference", "plus": "sum"}
        operation = by_word.get(formula.group("op").lower(), "ratio")
        metrics = (_metric(formula.group("a")), _metric(formula.group("b")))
        if not all(_telling(m, qualifiers=True) for m in metrics) and formula.group(0).startswith(
            "("
        ):
            # "allowance for credit losses (current plus noncurrent)": the parts qualify the
            # noun outside the parentheses
            head = _metric(text[: formula.start()])
            metrics = tuple(f"{m} {head}" for m in metrics)
        as_percent = operation == "ratio" and bool(_PERCENT_WORDS.search(text))
        divisor = _OVER.match(text[formula.end() :])
        if operation == "difference" and divisor and _metric(divisor.group("c")):
            over = _metric(divisor.group("c"))
            as_percent = bool(_PERCENT_WORDS.search(text))
        derived = None
    elif part_of and not cagr:
        operation = "ratio"
        metrics = (_metric(part_of.group("part")), _metric(part_of.group("whole")))
        as_percent = not _PROPORTION_SAID.search(text)
    elif share and not cagr:
        operation = "ratio"
        metrics = (
            _metric(_SHARE_VERB_WORDS.sub(" ", share.group("part"))),
            _metric(_SHARE_VERB_WORDS.sub(" ", share.group("whole"))),
        )
        as_percent = True
        names = [n for n in re.split(r"\s+and\s+|,\s*", share.group("part")) if _metric(n)]
        if _SUM.search(text) and len(names) >= 2:
            # "what combined percentage of revenues came from McKesson and Cardinal": each
            # name's share, added
            operation = "sum"
            metrics = tuple(f"{_metric(n)} {_metric(share.group('whole'))}" for n in names)
    elif part_first and not cagr:
        operation = "ratio"
        metrics = (
            _metric(_first_group(part_first, "part")),
            _metric(_first_group(part_first, "whole")),
        )
        as_percent = not _PROPORTION_SAID.search(text)
    elif ratio_of and not cagr:
        operation = "ratio"
        metrics = (_metric(ratio_of.group("a")), _metric(ratio_of.group("b")))
        as_percent = False
    elif _TIMES.search(text) and len(periods) >= 2:
        operation = "ratio"
        metrics = (_metric(_TIMES.sub(" ", text)),)
        as_percent = False
    if as_percent is not None:
        formula_led = bool(formula) and not cagr
        over_years = (
            bool(ratio_of)
            and operation == "ratio"
            and len(metrics) == 2
            and bool(metrics[0])
            and not metrics[1]
            # "the ratio of the differences in capital from 2008 to 2007": of results
            # worked out before, not of a printed line
            and not re.search(r"\b(?:differences?|changes?|increases?|decreases?)\b", metrics[0])
            and len(periods) == 2
        )
        return Intent(
            question=question,
            operation=operation,
            # "the ratio of X in 2019 to 2018": one measure in two periods, the first over
            # the second; the other phrasings keep an empty operand, which refuses
            metrics=tuple(m for m in metrics if m) if formula_led or over_years else metrics,
            periods=periods,
            basis=basis,
            diluted=diluted,
            per_share=per_share,
            counts_shares=counts_shares if formula_led else False,
            as_percent=as_percent,
            decrease=bool(_DECREASE.search(_SIGNED_LABEL.sub(" ", text))),
            over=over,
            excluded=excluded,
        )
    if cagr:
        operation, metrics = "cagr", (_metric(text),)
    elif (
        ratio
        and _metric(text[: ratio.start()])
        and _metric(text[ratio.end() :])
        and not (derived and text[: ratio.start()].count("(") > text[: ratio.start()].count(")"))
    ):
        # "net margin (net income as a percent of revenue)": the parentheses explain the
        # named measure; outside them the question says what to divide
        operation = "ratio"
        metrics = (_metric(text[: ratio.start()]), _metric(text[ratio.end() :]))
        derived = None  # the question says what to divide
    elif derived:
        operation, metrics = "ratio", ()
    elif _COMPARE.search(text):
        operation, metrics = "compare", _split_metrics(text)
    elif (
        _PERCENT_CHANGE.search(_YEAR_OVER_YEAR.sub(" ", text))
        or _PERCENT_SIGN_CHANGE.search(text)
        or (_YEAR_OVER_YEAR.search(text) and not _HOW_MUCH.search(text))
    ):
        operation, metrics = "percent_change", (_metric(text),)
    elif _DIFFERENCE.search(text) or _CHANGE.search(text):
        pieces = _split_metrics(text)
        operation = "difference"
        metrics = pieces if len(pieces) == 2 and len(periods) <= 1 else (_metric(text),)
    elif _SUM.search(text):
        operation, metrics = "sum", _split_metrics(text)
        listed = _SUMMING.search(text)
        if listed:
            # "..., summing Infrastructure and Service Layer Technologies": the list is the parts
            metrics = _split_metrics(listed.group("parts"))
    elif _AVERAGE.search(text):
        operation, metrics = "average", (_metric(text),)
    elif (
        len(periods) >= 2
        and _TOTAL.search(text)
        and _PERIOD_PAIR.search(question)
        and not re.search(r"\brespectively\b", text, re.I)
    ):
        # "the total deposits in 2018 and 2019": the two years' figures added (TAT-QA dev: 18
        # of 19 such questions are sums)
        operation, metrics = "sum", (_metric(text),)
    elif _NARRATIVE.search(question) and not re.match(r"\s*how (?:much|many)\b", question, re.I):
        operation, metrics = "narrative", ()
    else:
        operation, metrics = "lookup", (_metric(text),)
    as_percent = operation in ("percent_change", "cagr") or (
        operation == "ratio" and bool(_PERCENT_WORDS.search(text) or derived)
    )
    if derived in ("current_ratio", "working_capital"):
        as_percent = False
    return Intent(
        question=question,
        operation=operation,
        metrics=tuple(m for m in metrics if m),
        periods=periods,
        basis=basis,
        diluted=diluted,
        per_share=per_share,
        counts_shares=counts_shares,
        all_periods=bool(_ALL_PERIODS.search(text)),
        decrease=bool(_DECREASE.search(_SIGNED_LABEL.sub(" ", text))),
        as_percent=as_percent,
        derived=derived,
        excluded=excluded,
    )


# "the ones hedged in 2017", "this 2015 one", "the total one": "one" stands for the noun the
# question named first ("the number one" is a number)
_ONE = re.compile(
    r"^(?:(?:the|this|that|these|those)\s+)?(?P<before>.*?)\b(?<!number )ones?\b(?!-)"
    r"(?P<after>.*)$"
)
_DETERMINER = re.compile(r"^(?:(?:the|this|that|these|those|a|an)\s+)+")
# where a noun's postmodifier starts: "gallons | hedged in", "net cash | provided by operating
# activities", "sq ft | of the alpharetta office"
_POSTMODIFIER = re.compile(
    r"\s(?=(?:in|on|of|for|from|at|by|under|with|within|due|related|"
    r"[a-z]+ed|[a-z]+ing)\b)"
)


def _one_for(antecedent: str, anaphor: str) -> str | None:
    """The measure an anaphor with "one" names, from the measure named before it; None when
    the anaphor has no "one"."""
    found = _ONE.match(anaphor.strip())
    if found is None:
        return None
    before, after = found.group("before").strip(), found.group("after").strip()
    noun = _DETERMINER.sub("", antecedent.strip())
    split = _POSTMODIFIER.search(noun, 1)
    head = noun[: split.start()] if split else noun
    if not head.strip():
        return None
    if after:
        # "the ones hedged in" after "the gallons hedged in": gallons hedged in; the noun
        # must have had a postmodifier of its own to trade ("cfo" has none)
        return f"{before} {head} {after}".strip() if split else None
    if before:
        words = head.split()
        same_kind = [i for i, w in enumerate(words) if w in MONTHS]
        if same_kind and before in MONTHS:
            words[same_kind[0]] = before  # "the november one" after "the october total value"
            return " ".join(words)
        return f"{before} {words[-1]}"  # "the total one" after "the tier 2 capital"
    return noun  # "this 2015 one": the same measure


def _one_resolved(intent: Intent) -> Intent:
    """The intent with a measure named by "one" said in full ("how much did the 2016 fair
    value represent in relation to this 2015 one": the fair value in both years)."""
    # "how much did the gallons hedged in 2018 represent in relation to ...": the verb
    metrics = [re.sub(r"\s+represent(?:s|ed)?$", "", m) for m in intent.metrics]
    if len(metrics) == 1:
        # "the difference between the 2019 percentage and this 2018 one": one measure in two
        # periods
        alone = re.sub(r"\s+and\s+(?:the|this|that)\s+one$", "", metrics[0])
        if alone != metrics[0] and len(intent.periods) == 2 and _telling(alone):
            return replace(intent, metrics=(alone,))
        return intent
    if len(metrics) != 2 or _ONE.match(metrics[0]) or not _telling(metrics[0]):
        return intent
    resolved = _one_for(metrics[0], metrics[1])
    named = {w for w in (resolved or "").split() if w not in MONTHS}
    if resolved is None or not _telling(" ".join(named)):
        return intent  # "the november one" after "the october total value": no line named
    if resolved == _DETERMINER.sub("", metrics[0].strip()) and len(intent.periods) == 2:
        # the same measure in two periods: the first period's over (or less) the second's
        return replace(intent, metrics=(resolved,))
    return replace(intent, metrics=(metrics[0], resolved))


def _without_spans(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(text[last:start])
        out.append(" ")
        last = end
    out.append(text[last:])
    return "".join(out)


_WHY = re.compile(
    r"^\s*(?:according to [\w.’']+,?\s+)?(?:why\b|what (?:drove|caused|explains|explained|led to|"
    r"contributed to|was behind|were the (?:drivers|reasons))\b)",
    re.I,
)
_NOT = re.compile(r"\(not ([^)]+)\)", re.I)
_CONTEXT = re.compile(
    r"\b(?:that |which )?(?:was |were )?(?:excluded|added back|deducted|removed)\s+"
    r"(?:from|to|in)\s+[^,?;()]+",
    re.I,
)
_ASIDE = re.compile(
    r"\b(?:in|from) the (?:[\w-]+ ){0,4}reconciliation(?: table)?\b"
    # "in that same year", "at that same date": the conversation's period, said again
    r"|\b(?:in|for|at|on|during|as of|by) (?:that|the|this) same (?:year|date|day|period|time"
    r"|quarter)\b|\b(?:in|for|during) that (?:year|period)\b"
    r"|,?\s*\bon an? (?:[\w-]+ ){0,3}basis\b"
    r"|\(as an? (?:positive|negative|absolute) [^)]*\)"  # the sign is read by the planner
    r"|\((?:excluding|excl\.|not including|before|i\.e\.|e\.g\.|in us dollars|in dollars)[^)]*\)"
    r"|\b(?:excluding|not including)\s+[^,.?;]+"
    r"|\b(?:on|in|from|per|according to|as reported in|as shown in|shown in)\s+(?:the\s+|its\s+|"
    r"their\s+|\w+(?:'|’)s\s+)?(?:\d{4}\s+)?(?:condensed\s+)?(?:consolidated\s+)?"
    r"(?:balance sheets?|statements? of (?:operations|income|cash flows|financial position)|"
    r"income statements?|cash flow statements?|release text|cover page|press release|10-[kq])\b",
    re.I,
)


def _first_group(match: re.Match[str], name: str) -> str:
    """The text of the first of a pattern's alternatives (``name``, ``name2``, …) that matched."""
    return next(
        (match.group(g) for g in (name, *(f"{name}{i}" for i in range(2, 5))) if match.group(g)),
        "",
    )


# an ask that names no measure: "what was the", "in 2013, what is the average"
_BARE_ASK = re.compile(
    r"\s*(?:(?:in|for|during|as of|at)\W*)?(?:what|how much)\s+(?:is|was|were|are)\s+"
    r"(?:the\s+)?(?:average\s+)?$",
    re.I,
)

# framing with no name in it: "considering the years 2014-2016 , what was ...", "in 2005 what
# was ..." (the periods are read apart)
_FRAMING = re.compile(
    r"\b(?:considering|regarding|concerning)\s+(?:the\s+)?(?:(?:fiscal\s+)?(?:years?|periods?)"
    r"\b)?(?:\s*[-–,])*|(?<=\s)[-–](?=\s)|\bwhat\b|\b(?:observed|experienced)\b",
    re.I,
)


def _metric(text: str) -> str:
    text = _ASIDE.sub(" ", text)
    text = _OPERATION_WORDS.sub(" ", text)
    text = _QUESTION_WORDS.sub(" ", text)
    text = _FRAMING.sub(" ", text)
    text = re.sub(r"(?:'|’)s\b", "", text)
    return " ".join(text.replace(",", " ").split()).strip(" .")


_QUALIFIERS = frozenset(
    {
        "current",
        "noncurrent",
        "non-current",
        "long-term",
        "short-term",
        "domestic",
        "foreign",
        "other",
    }
)


def _telling(metric: str, qualifiers: bool = False) -> bool:
    """Does the metric name a line item, or only qualify one ("GAAP", "current")?"""
    from .search import GENERIC, tokens

    generic = GENERIC | _QUALIFIERS if qualifiers else GENERIC
    return bool(set(tokens(metric)) - generic)


def _split_metrics(text: str) -> tuple[str, ...]:
    from .search import normalise

    # "sales and marketing" and "research and development" are one name each: fold them first
    core = _ASIDE.sub(" ", normalise(text))
    parts = [
        _OPERATION_WORDS.sub(
            " ", re.sub(r"\b(?:over|together|altogether|across|in total)\b", " ", part)
        )
        for part in re.split(
            r"\band\b|\bplus\b|\bversus\b|\bvs\.?\b|\bor\b|,|\bthan\b|\bexceeds?\b|\bexceeded\b"
            r"|\boutperform(?:ed)?\b",
            core,
            flags=re.I,
        )
    ]
    metrics = [m for m in (_metric(p) for p in parts) if m]
    telling = [m for m in metrics if _telling(m, qualifiers=True)]
    if telling and len(telling) < len(metrics) and len(telling) == 1:
        # "purchases of property and equipment, net, over fiscal 2006 and fiscal 2007": the
        # pieces without a name of their own are no parts
        metrics = telling
    for i in range(len(metrics) - 2, -1, -1):
        if len(metrics) > 2 and not _telling(metrics[i], qualifiers=True):
            # "cash plus current and non-current marketable securities": "current" takes the
            # noun of the part after it
            words = metrics[i + 1].split()
            noun = " ".join(w for w in words if w.lower() not in _QUALIFIERS)
            metrics[i] = f"{metrics[i]} {noun}"
    if len(metrics) == 2 and not _telling(metrics[0]):
        # "between non-GAAP and GAAP diluted EPS": the first part shares the second's noun
        rest = metrics[1].split(maxsplit=1)
        metrics = [f"{metrics[0]} {rest[-1]}", metrics[1]]
    if len(metrics) >= 2:
        # "net sales of North America and International": the head belongs to every part
        head = re.match(r"^(.*?)\b(?:of|for|from)\s+\S", metrics[0], re.I)
        if head and head.group(1).strip():
            noun = head.group(1).strip()
            metrics = [metrics[0], *(f"{m} {noun}" for m in metrics[1:])]
    return tuple(metrics) or (_metric(text),)


def metric_phrase(question: str) -> str:
    """The question's words that name a figure: no periods, operations or question words."""
    periods = find_periods(question)
    return _metric(_without_spans(question, [(p.start, p.end) for p in periods]))
