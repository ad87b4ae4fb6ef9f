"""What an analyst's question tells crossfoot to do, read apart from what it asks.

Analysts wrap the ask in instructions: "Answer in USD millions.", "Round your answer to two
decimal places.", "Base your answer on the cash flow statement.", and in role-play and
politeness ("Assume you are a public equities analyst.", "Please"). :func:`read` splits a
question into

* ``ask``: the question proper, which the later stages read;
* ``scale`` and ``percent``: the unit the reply is to be given in;
* ``decimals``: the rounding asked for;
* ``statements``: the financial statements the answer must come from (``income_statement``,
  ``balance_sheet``, ``cash_flow``, ``equity``), a filter on tables.

Nothing here changes a figure: the calculation runs on the filing's figures in full, and only
the reply is shown in the unit and rounding asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from .compose import not_found, rounded
from .models import Answer

Statement = str  # "income_statement", "balance_sheet", "cash_flow", "equity"

_NUMBER_WORDS = {
    "zero": 0,
    "no": 0,
    "one": 1,
    "a single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
}

# the names of the statements, as analysts and filings write them
STATEMENT_NAMES: dict[Statement, str] = {
    "cash_flow": r"(?:consolidated\s+)?(?:statements?\s+of\s+cash\s+flows?|cash\s+flows?\s+"
    r"statements?)",
    "balance_sheet": r"(?:consolidated\s+)?(?:balance\s+sheets?|statements?\s+of\s+financial\s+"
    r"(?:position|condition))",
    "income_statement": r"(?:consolidated\s+)?(?:income\s+statements?|statements?\s+of\s+"
    r"(?:comprehensive\s+)?(?:operations|income|earnings)|p\s*&\s*l|profit\s+and\s+loss"
    r"(?:\s+statements?)?)",
    "equity": r"(?:consolidated\s+)?statements?\s+of\s+(?:changes\s+in\s+)?(?:stockholders|"
    r"shareholders)['’]?\s+equity",
}
_ANY_STATEMENT = "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in STATEMENT_NAMES.items())

# a sentence that only sets the scene: "Assume that you are a public equities analyst."
_ROLE = re.compile(
    r"^\s*(?:please\s+)?(?:assume|imagine|pretend|suppose)\b[^.?!]*\b(?:you\s+are|you're|"
    r"as\s+an?)\b[^.?!]*[.!]?\s*$|^\s*you\s+are\s+an?\s+[^.?!]*\b(?:analyst|investor|"
    r"accountant|banker|manager)\b[^.?!]*[.!]?\s*$",
    re.I,
)
# "As an equity analyst, what is ...": the role before the ask
_ROLE_CLAUSE = re.compile(r"^\s*as\s+an?\s+[\w\s-]*?\b(?:analyst|investor|accountant)\s*,\s*", re.I)
_POLITE = re.compile(
    r"^\s*(?:please|kindly|could\s+you(?:\s+please)?|can\s+you(?:\s+please)?|would\s+you"
    r"(?:\s+please)?)\b[\s,]*(?P<verb>(?:tell\s+me|let\s+me\s+know|calculate|compute|"
    r"determine|provide|give\s+me|find|show\s+me|report)\b\s*)?",
    re.I,
)


def _polite(match: re.Match[str]) -> str:
    """ "Please calculate the free cash flow" asks "What is the free cash flow"."""
    return "What is " if match.group("verb") else ""


_SCALE_WORD = r"(thousands?|millions?|billions?)"
_CURRENCY = r"(?:(?:usd|us\s*\$|u\.s\.\s+dollars|us\s+dollars|dollars|\$)\s*)"
_UNIT = re.compile(
    rf"\bin\s+(?:units\s+of\s+)?(?P<cur>{_CURRENCY})?{_SCALE_WORD}\b"
    r"(?:\s+of\s+(?:us\s+|u\.s\.\s+)?dollars\b)?",
    re.I,
)
# a sentence that gives an instruction, not an ask: "Answer in USD millions."
_INSTRUCTION = re.compile(
    r"^\s*(?:please\s+)?(?:answer|respond|reply|express|report|give|provide|state|show|"
    r"present|round|use|using|base|calculate\s+using|your\s+answer)\b",
    re.I,
)
# "..., in percent?" at the end of the ask
_IN_PERCENT = r",\s*(?:in|as\s+a)\s+percent(?:s|age)?\s*"
_PERCENT_UNIT = re.compile(
    r"\bin\s+units\s+of\s+percent(?:s|ages?)?\b"
    rf"|{_IN_PERCENT}(?=[?.]?\s*$)"
    r"|^\s*(?:please\s+)?(?:answer|respond|express|give|provide|report|state)\b[^.?!]*?"
    r"\b(?:in|as\s+an?)\s+percent(?:s|ages?)?\b",
    re.I,
)
# "..., in dollars?" at the end of the ask: the change as an amount
_IN_DOLLARS = re.compile(r",?\s*\bin (?:us |u\.s\. )?dollars(?=[?.]?\s*$)", re.I)
_IN_PERCENT_ASKED = re.compile(rf"{_IN_PERCENT}[?.]?\s*$", re.I)
_ROUND = re.compile(
    r"\b(?:round(?:ed|ing)?|rounded\s+off)\b[^.?!]*?\b(?:to\s+)?(?:the\s+)?(?:nearest\s+)?"
    r"(?P<n>\d+|zero|no|one|a\s+single|two|three|four|five)\s+decimal(?:\s+places?|\s+points?|s)?"
    r"|\b(?:to|with)\s+(?P<m>\d+|one|a\s+single|two|three|four)\s+decimal\s+(?:places?|points?)"
    r"|\bround(?:ed)?\b[^.?!]*?\bto\s+the\s+nearest\s+(?P<w>whole\s+number|integer|"
    r"whole\s+percent(?:age)?|tenth|hundredth|cent)",
    re.I,
)
_WHOLE = {"whole number": 0, "integer": 0, "whole percent": 0, "whole percentage": 0,
          "tenth": 1, "hundredth": 2, "cent": 2}  # fmt: skip

# words that introduce a statement as the source: "Base your answer on the cash flow statement"
STATEMENT_SOURCE = re.compile(
    rf"(?:\b(?:base|basing)\s+(?:your\s+|the\s+)?(?:answer|calculation|response)s?\s+on|"
    rf"\bbased(?:\s+solely|\s+only|\s+entirely)?\s+on|\busing(?:\s+only|\s+just|\s+solely)?|\bcombining|"
    rf"\buse(?:\s+only|\s+just)?|\bfrom|\baccording\s+to|\b(?:as\s+)?(?:shown|reported|"
    rf"presented|stated|outlined|detailed)\s+(?:in|on|by)|\bin|\bon|\bper|\bby)\s+"
    rf"(?:the\s+|its\s+|their\s+|[\w.&'’-]+['’]s\s+)?(?:{_ANY_STATEMENT.replace('?P<', '?P<s_')})"
    rf"(?:\s*(?:,|and|&)\s*(?:the\s+)?(?:{_ANY_STATEMENT.replace('?P<', '?P<t_')}))?",
    re.I,
)
# an instruction sentence with nothing of the ask left once its instructions are read
_EMPTY_LEFT = re.compile(
    r"^[\s,;:.!?()-]*(?:(?:please|kindly|also|and|then|your|the|answer|response|result|"
    r"figure|it|give|provide|express|report|state|respond|reply|calculate|compute|round|"
    r"rounded|only|solely|use|using|based|base|on|with|to|in|be|should|must|all|figures|"
    r"numbers|amounts|final|values?|calculations?|statement|statements)\b[\s,;:.!?()-]*)*$",
    re.I,
)


@dataclass(frozen=True)
class Instructions:
    ask: str  # the question with instructions, role-play and politeness taken out
    scale: str | None = None  # "thousands", "millions", "billions"
    percent: bool = False  # "in units of percents"
    decimals: int | None = None  # "round to two decimal places"
    statements: tuple[Statement, ...] = ()  # "base your answer on the cash flow statement"
    amount: bool = False  # "..., in dollars?": a change asked as an amount, not a rate

    @property
    def shapes_reply(self) -> bool:
        return self.scale is not None or self.percent or self.decimals is not None


def read(question: str) -> Instructions:
    """The ask and the instructions of a question (see the module's docstring)."""
    scale: str | None = None
    percent = False
    decimals: int | None = None
    amount = False
    statements: list[Statement] = []
    kept: list[str] = []
    for sentence in _sentences(question):
        if _ROLE.match(sentence):
            continue
        text = _ROLE_CLAUSE.sub("", sentence)
        for match in _ROUND.finditer(text):
            decimals = _places(match)
        text = _ROUND.sub(" ", text)
        instruction = bool(_INSTRUCTION.match(text))
        for match in _UNIT.finditer(text):
            # "in millions" inside an ask stays the ask's; "Answer in millions." and "in USD
            # millions" are instructions
            if instruction or match.group("cur"):
                word = match.group(2).lower()
                scale = word if word.endswith("s") else f"{word}s"
                text = text[: match.start()] + " " * len(match.group(0)) + text[match.end() :]
        if _IN_DOLLARS.search(text):
            # "How much did inventory change compared with a year ago, in dollars?"
            amount = True
            text = _IN_DOLLARS.sub(" ", text)
        if _PERCENT_UNIT.search(text) and not _asks_percent_of(text):
            percent = True
            if not _IN_PERCENT_ASKED.search(text):  # "..., in percent?" stays the ask's too
                text = _PERCENT_UNIT.sub(" ", text)
        for match in reversed(list(STATEMENT_SOURCE.finditer(text))):
            # "Base your answer on the cash flow statement." and "Using only the balance
            # sheet, ..." are instructions; "on Amazon's consolidated balance sheet" inside
            # the ask stays the ask's (the search reads it there)
            if not instruction and text[: match.start()].strip(" ,;:"):
                continue
            named = sorted((match.start(n), n[2:]) for n, v in match.groupdict().items() if v)
            statements[:0] = [kind for _, kind in named if kind not in statements]
            text = text[: match.start()] + " " + text[match.end() :]
        text = _POLITE.sub(_polite, text)
        method = _METHOD.search(text)
        if method and _ASKS.match(text):
            # "..., using income from operations and net revenues as shown in the income
            # statement?": the figures a measure is made of, and where they are printed
            for found in STATEMENT_SOURCE.finditer(method.group(0)):
                kinds = [n[2:] for n, v in found.groupdict().items() if v]
                statements += [kind for kind in kinds if kind not in statements]
            text = text[: method.start()] + ("?" if text.rstrip().endswith("?") else ".")
        if _EMPTY_LEFT.match(text):
            continue
        kept.append(text)
    kept = _without_context(kept)
    if kept == _sentences(question) and not (scale or percent or decimals is not None):
        return Instructions(question)  # nothing but the ask
    ask = " ".join(" ".join(kept).split())
    ask = re.sub(r"\(\s*[,;]?\s*\)", "", ask)
    ask = re.sub(r"\s+([,.?!;:])", r"\1", ask)
    ask = re.sub(r"^[,;:\s]+|,\s*(?=[?.!]$)", "", ask)
    if ask and ask[0].islower():
        ask = ask[0].upper() + ask[1:]
    return Instructions(ask or question, scale, percent, decimals, tuple(statements), amount)


# how the asker wants a measure made: ", using net income and the average of total assets",
# "computed from the gross margin and net revenue shown in the income statement"
_METHOD = re.compile(
    r",\s*(?:using|computed\s+from|calculated\s+from|derived\s+from|based\s+on\s+the\s+"
    r"(?:figures|amounts|numbers|average)|based\s+on\s+average)\b[^?]*[?.]?\s*$",
    re.I,
)
_ASKS = re.compile(r"^\s*(?:what|how|which|by\s+what)\b", re.I)

# a sentence that defines the measure asked for is part of the ask, wherever it stands
_DEFINES = re.compile(
    r"^\s*(?:please\s+)?(?:define|consider|treat)\b|\b(?:is|are)\s+(?:defined|calculated|"
    r"computed|measured)\s+as\b",
    re.I,
)


def _without_context(kept: list[str]) -> list[str]:
    """The one sentence that asks ("What was FedEx's current ratio ...?"), and the definitions
    beside it; the sentences around it that only give the analyst's reasons ("I am checking
    whether its liquidity is adequate.") or restate the method ("Compute the ratio for each
    year, then average.") are context, never words the filing must print."""
    asks = [s for s in kept if s.rstrip().endswith("?")]
    if len(asks) != 1:
        return kept
    return [s for s in kept if s in asks or _DEFINES.search(s)]


def _sentences(text: str) -> list[str]:
    """Sentences, not split at a decimal point, an abbreviation or "U.S."."""
    parts = re.split(r"(?<=[.?!])\s+(?=[A-Z(\"“])", " ".join(text.split()))
    out: list[str] = []
    for part in parts:
        if out and re.search(r"\b(?:[A-Z]|U\.S|Inc|Corp|Co|No|vs|i\.e|e\.g)\.$", out[-1]):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def _places(match: re.Match[str]) -> int:
    if match.group("w"):
        return _WHOLE[" ".join(match.group("w").lower().split())]
    word = " ".join((match.group("n") or match.group("m")).lower().split())
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _asks_percent_of(text: str) -> bool:
    """ "What is X as a percentage of Y": the ask, not an instruction."""
    return bool(
        re.search(r"\bas\s+a\s+percent(?:age)?\s+of\b|\bin\s+percent(?:age)?\s+of\b", text, re.I)
    )


SCALES = {"thousands": Decimal(1000), "millions": Decimal(10**6), "billions": Decimal(10**9)}


def shown(number: Decimal, unit: str, asked: Instructions) -> str | None:
    """A figure in the unit and rounding asked ("USD millions, two decimal places" →
    "$3,486.00 million"), or None when the instructions do not apply to this unit."""
    places = asked.decimals
    if unit == "percent":
        return f"{rounded(number, 2 if places is None else places)}%"
    if unit in ("ratio", "days", "count", "shares"):
        if places is None:
            return None
        word = {"days": " days", "shares": " shares"}.get(unit, "")
        return f"{rounded(number, places)}{word}"
    if unit == "USD/share":
        return f"${rounded(number, 2 if places is None else places)} per share"
    if unit != "USD":
        return None
    if asked.scale is None:
        sign = "-" if number < 0 else ""
        return None if places is None else f"{sign}${rounded(abs(number), places)}"
    scaled = number / SCALES[asked.scale]
    if number and not Decimal(rounded(scaled, 2 if places is None else places).replace(",", "")):
        return None  # a figure too small for the scale asked: shown as the filing prints it
    shown = rounded(abs(scaled), 2 if places is None else places)
    return f"{'-' if scaled < 0 else ''}${shown} {asked.scale[:-1]}"


def described(asked: Instructions) -> str:
    """The instructions followed, for the reply: "in USD millions, to two decimal places"."""
    parts = []
    if asked.scale is not None:
        parts.append(f"in USD {asked.scale}")
    elif asked.percent:
        parts.append("in percent")
    if asked.decimals is not None:
        words = {1: "one", 2: "two", 3: "three", 4: "four"}
        count = words.get(asked.decimals, str(asked.decimals))
        place = "decimal place" if asked.decimals == 1 else "decimal places"
        parts.append(f"to {count} {place}" if asked.decimals else "rounded to a whole number")
    return ", ".join(parts)


def reply(answer: Answer, asked: Instructions) -> Answer:
    """The answer with its figure shown as the question asked ("Answer in USD millions, round
    to two decimal places": "$3,486.00 million"), said first; the figure itself unchanged."""
    value = answer.value
    if answer.status != "answered" or value is None or not asked.shapes_reply:
        return answer
    if asked.percent and value.unit in ("USD", "USD/share", "shares", "count"):
        # a percentage asked for, an amount found: the question was not understood
        return not_found(
            answer.question,
            f"The question asks for a percentage, but crossfoot found an amount "
            f"({value.display}); name the two figures to divide.",
        )
    if asked.percent and value.unit == "ratio":
        # a ratio asked for in percent: 0.7994 is 79.94%, the same figure in the unit asked
        value = replace(value, number=value.number * 100, unit="percent")
        answer = replace(answer, value=value)
    text = shown(value.number, value.unit, asked)
    if text is None:
        return answer
    how = described(asked)
    said, joined = answer.answer, "."
    # "30.6%: the difference, $24.9 million, over $81.5 million": the figure said first is
    # the one now shown as asked; it is not said twice in two roundings
    lead = f"{value.display}:"
    if said.startswith(lead):
        said, joined = said[len(lead) :].strip(), ":"
    return replace(
        answer,
        answer=f"{text} ({how}, as asked){joined} {said}",
        value=replace(value, display=text),
    )
