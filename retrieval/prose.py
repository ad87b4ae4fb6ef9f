"""Figures stated only in words: "As of June 30, 1999, the Company had 144 full-time
employees", "Online sales increased 1.1 percent to $46.6 million", "The registrant had
927,264,332 shares of common stock outstanding at February 10, 2025".

The ingester keeps dollar amounts stated in sentences as facts; counts, share numbers and
percentages stay in the text.  At question time :func:`mentions` reads every figure of a
sentence with its unit (dollars, per-share dollars, percent, shares, a count of something),
:func:`wanted_unit` says which unit a question asks for, and :func:`pick` chooses the figure
the question's words sit around.  Nothing here guesses: a sentence without a figure in the
wanted unit, or without the question's words around its figure, gives nothing.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ingest.numbers import parse_number, scale_factor
from ingest.periods import same_day

from .periods import YEAR

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_SCALE = r"thousand|million|billion|trillion"
_MENTION = re.compile(
    # $583,730,041 · $(0.16) · $46.6 million · $0.89 per share
    rf"(?P<open>\()?(?:US)?\$\s?(?P<open2>\()?(?P<usd>{_NUM})(?P<close>\))?"
    rf"(?:\s?(?P<uscale>{_SCALE})\b|(?P<uabbr>[KMB]|mm|mn|bn)\b)?(?P<ps>\s+(?:per|a)\s+(?:diluted\s+|basic\s+)?share\b)?"
    # 12.25 cents per share
    rf"|(?<![\w.,$])(?P<cents>{_NUM})\s+cents?\b(?P<cps>\s+(?:per|a)\s+(?:diluted\s+|basic\s+)?share\b)?"
    # 77.0% · 1.1 percent
    rf"|(?<![\w.,$])(?P<pct>{_NUM})\s?(?:%|percent\b|per cent\b)"
    # 144 full-time employees · 41 million shares · 445 stores
    rf"|(?<![\w.,$/-])(?P<count>{_NUM})(?![\w.,/%-]|\.\d)(?:\s?(?P<cscale>{_SCALE})\b)?"
    r"(?P<noun>(?:\s+(?:of\s+)?[A-Za-z][\w-]*){0,4})",
    re.IGNORECASE,
)
_FACTORS = {
    "": Decimal(1),
    "thousand": Decimal(1000),
    "million": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
    "trillion": Decimal(1_000_000_000_000),
}
_RESTATED = re.compile(r"\s*,?\s*or\s+(?:approximately\s+|about\s+)?", re.I)
_PER_SHARE_BEFORE = re.compile(
    r"\b(?:per (?:diluted |basic )?share|eps)\b(?:\s+\w+){0,3}?\s+(?:was|were|of|to|at|is)"
    r"\s*\(?$",
    re.I,
)
MONTH_NAMES = (  # a month as printed, full or short ("Sept."); spans.py reads dates with it too
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE_BEFORE = re.compile(rf"\b{MONTH_NAMES}\s*$", re.I)  # "September 9" → 9 is a day
_DATE_AFTER = re.compile(r"^,?\s?\d{4}\b")  # "9, 1999" → 9 is a day


@dataclass(frozen=True)
class Mention:
    value: Decimal
    unit: str  # USD | USD/share | percent | shares | count
    as_printed: str
    start: int
    end: int
    noun: str = ""  # what a count counts: "full-time employees", "stores"
    change: bool = False  # "increased $4.6 billion": a change, not a level
    down: bool = False  # the change is a fall ("decreased 0.7 percent")
    scale: str | None = None  # a scale the figure's table states for it ("thousands")


_DOWN = re.compile(r"\b(?:decreased|fell|declined|dropped|down|lower|a decrease|a decline)\b", re.I)
_CHANGE_BEFORE = re.compile(
    r"\b(?:increased|decreased|rose|fell|grew|declined|dropped|climbed|up|down|higher|lower|"
    r"improved|an increase of|a decrease of|a decline of)\s+(?:by\s+)?(?:approximately\s+|"
    r"about\s+|nearly\s+|over\s+)?\(?$",
    re.I,
)


def mentions(text: str) -> list[Mention]:
    """Every figure a sentence states, in order, with its unit."""
    out: list[Mention] = []
    for match in _MENTION.finditer(text):
        groups = match.groupdict()
        printed = match.group(0).strip()
        if groups["usd"] is not None:
            number = _number(groups["usd"])
            if number is None:
                continue
            if (groups["open"] or groups["open2"]) and groups["close"]:
                number = -number
            number *= _FACTORS[(groups["uscale"] or "").lower()]
            if groups["uabbr"]:  # "$809.2M", "$1.2B", "$45mn", "$3.1bn", "$500K"
                number *= scale_factor(groups["uabbr"])
            # "$0.89 per share", or "diluted earnings per share were $2.63"
            per_share = groups["ps"] or _PER_SHARE_BEFORE.search(text[: match.start()])
            unit = "USD/share" if per_share else "USD"
            out.append(Mention(number, unit, printed, match.start(), match.end()))
        elif groups["cents"] is not None:
            number = _number(groups["cents"])
            if number is None:
                continue
            unit = "USD/share" if groups["cps"] else "USD"
            out.append(Mention(number / 100, unit, printed, match.start(), match.end()))
        elif groups["pct"] is not None:
            number = _number(groups["pct"])
            if number is not None:
                out.append(Mention(number, "percent", printed, match.start(), match.end()))
        else:
            raw = groups["count"]
            number = _number(raw)
            if number is None:
                continue
            before, after = text[: match.start()], text[match.start() + len(raw) :]
            if _DATE_BEFORE.search(before) or (
                _DATE_AFTER.match(after) and _DATE_BEFORE.search(before)
            ):
                continue  # a day of a date
            scale = (groups["cscale"] or "").lower()
            if not scale and "," not in raw and re.fullmatch(r"(?:19|20)\d\d", raw):
                continue  # a year
            noun = " ".join((groups["noun"] or "").split())
            unit = "shares" if re.match(r"(?:\w+[\s-]+){0,2}shares?\b", noun, re.I) else "count"
            end = match.start() + len(raw) + (len(match.group("cscale") or "") + 1 if scale else 0)
            out.append(
                Mention(
                    number * _FACTORS[scale],
                    unit,
                    text[match.start() : end].strip(),
                    match.start(),
                    end,
                    noun,
                )
            )
    # "14,856,722 and 15,116,786 shares": a list of numbers shares the noun after the last
    for i in range(len(out) - 2, -1, -1):
        this, following = out[i], out[i + 1]
        joined = re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*", text[this.end : following.start])
        if this.unit == "count" and following.unit == "shares" and joined:
            out[i] = replace(this, unit="shares", noun=following.noun)
    marked = []
    for m in out:
        verb = _CHANGE_BEFORE.search(text[: m.start])
        if verb:
            m = replace(m, change=True, down=bool(_DOWN.search(verb.group(0))))
        marked.append(m)
    return marked


def _number(raw: str) -> Decimal | None:
    parsed = parse_number(raw)
    return parsed[0] if parsed else None


_HOW_MANY = re.compile(r"\bhow many\s+(?P<noun>(?:[\w-]+\s+){0,4}?[\w-]+?s)\b", re.I)
_PERCENT_Q = re.compile(
    r"\b(?:what|which)\s+(?:percent(?:age)?|%|share|portion|proportion)\b|\bpercentage\b|"
    r"\bpercent\b|\bby what (?:percent(?:age)?|%)",
    re.I,
)


def wanted_unit(question: str, per_share: bool, counts_shares: bool) -> str:
    """The unit a question asks for."""
    if re.search(r"\bhow many (?:u\.?s\.? )?dollars\b", question, re.I):
        return "USD"
    if counts_shares or re.search(r"\bhow many\b[^?]*\bshares\b", question, re.I):
        return "shares"
    if _PERCENT_Q.search(question):
        return "percent"
    if per_share or re.search(r"\bper share\b|\bcents\b", question, re.I):
        return "USD/share"
    if _HOW_MANY.search(question) or re.search(r"\bnumber of\b|\bhow old\b", question, re.I):
        return "count"
    return "USD"


_GENERIC = frozenset(["gaap", "nongaap", "diluted", "basic", "fiscal", "year", "quarter", "share"])
# words that ask for a figure without naming it; the unit is read separately
_FILLER = frozenset(
    [
        "percentage",
        "percent",
        "number",
        "approximately",
        "approximate",
        "about",
        "roughly",
        "say",
        "said",
        "would",
        "have",
        "had",
        "their",
        "our",
        "its",
        "they",
        "record",
        "recorded",
        "report",
        "reported",
        "disclose",
        "disclosed",
        "state",
        "stated",
        "employ",
    ]
)


def loose_word(token: str) -> str:
    """ "accounted" and "account", "operated" and "operate" read alike."""
    if len(token) > 5:
        return re.sub(r"(?:ed|ing|e)$", "", token)
    return token


def loose(text: str) -> list[str]:
    from .search import tokens

    # "Class A" and "Series B" name one thing each: keep the letter
    text = re.sub(r"\b(class|series)\s+([A-Za-z])\b", r"\1\2", text, flags=re.I)
    return [loose_word(t) for t in tokens(text) if t not in _FILLER]


@dataclass(frozen=True)
class Pick:
    mention: Mention
    score: float  # the question's words around the figure, as a share of their weight


def pick(
    text: str,
    unit: str,
    wanted: set[str],
    weight: Callable[[str], float],
    tokens: Callable[[str], list[str]],
    years: set[str],
    asked: set[str] | None = None,
    day: date | None = None,
    changes: bool = False,
    own_year: bool = False,
) -> Pick | None:
    """The figure of ``unit`` that the question's words (``wanted``) sit around.

    Each figure owns the words from the previous figure up to the next one (the words before
    the first figure are its subject); the best figure has most of the question's weight in
    its stretch, asked-for years count in, other years against, and words right after it
    that the question (``asked``, default ``wanted``) never uses count against it.
    ``own_year``: only a figure stated for its year ("$150.2 million in 2019") answers.
    """
    found = mentions(text)
    if not found or not wanted:
        return None
    total = math.fsum(weight(t) for t in wanted)
    telling = {t for t in wanted if weight(t) > 0} - _GENERIC
    listed_years = _years_listed(text, [m for m in found if m.unit == unit])
    if years and listed_years and not years & set(listed_years):
        return None  # the sentence gives its figures for other years
    listed = _respectively_dated(text, found, unit, years, day, listed_years) or (
        None if listed_years else _respectively(text, found, unit, wanted, tokens)
    )
    if listed is not None:
        return Pick(listed, 1.0) if _covered(text, wanted, weight, tokens, total) else None
    owned = [_own_period(text, m) for m in found]
    group_of = _coordinated(text, found, owned)
    heads = _heads(text, found)
    lefts, rights = _bounds(text, found)
    run = _runs(text, found)
    starts = _from_to(text, found, owned)
    for index, start in enumerate(starts):
        if start:
            lefts[index + 1] = lefts[index]  # "earnings ... from $128 million to $201 million"
    _date_changes(text, found, owned, starts)
    best: Pick | None = None
    for index, mention in enumerate(found):
        if mention.unit != unit:
            continue
        if run[index] >= 3:
            continue  # "$34 $43 $35": a table's row flattened into text, its columns unknown
        if starts[index] and not changes and len(set(YEAR.findall(text[: mention.start]))) <= 1:
            # "the increase in earnings in 2002 ... from $128 million to $201 million": the
            # figure it rose from is the year before's, the one it rose to the year's ("compared
            # with 2001, earnings in 2002 rose from ..." names both years: no reading here)
            continue
        if unit == "count" and not wanted & set(tokens(mention.noun)):
            continue  # "445 stores" answers how many stores, not how many employees
        if mention.change != changes:
            # "cost of revenue increased $4.6 billion" is not the cost of revenue; asked how
            # much it grew, only a change answers
            continue
        # "$500 million, or $0.67 per share, of nonoperating expense": figures joined by
        # "or" restate one amount and share the words around them
        first, last = index, index
        while first > 0 and _RESTATED.fullmatch(text[found[first - 1].end : found[first].start]):
            first -= 1
        while last + 1 < len(found) and _RESTATED.fullmatch(
            text[found[last].end : found[last + 1].start]
        ):
            last += 1
        own = owned[index]
        if own_year and years and own is None:
            continue  # a figure of one period among two asked must say its year
        if own is not None and years and own[0] not in years:
            continue  # "from $120.5 million in 2018 to ...": this figure is 2018's
        if own is not None and own[1] and years and day is None and not _month_asked(own[1], asked):
            continue  # "8,100 shares in June 2019" is June's, not 2019's
        if (
            own is None
            and years
            and any(
                (theirs := owned[other]) is not None and theirs[0] in years
                for other in range(group_of[index][0], group_of[index][1] + 1)
            )
        ):
            continue  # "$2.2 billion compared with $2.5 billion in 2008": 2008's is the other
        # figures coordinated with this one ("from $X in 2018 to $Y in 2019") share its words,
        # and the parts of a total ("of which $8.0 million related to severance") its subject
        first, last = min(first, group_of[index][0]), max(last, group_of[index][1])
        left, right = lefts[first], rights[last]
        near = set(tokens(text[left:right] + " " + heads[index]))
        if not near & telling:
            continue  # the question's words are elsewhere in the passage
        whole = set(tokens(text))
        # words of the whole sentence count, the figure's own stretch counts double
        score = math.fsum(weight(t) for t in wanted & whole)
        score += math.fsum(weight(t) for t in wanted & near)
        score /= 2 * total
        # "28,370,478 shares of Class A": a name right after the figure that was not asked for
        said = asked if asked is not None else wanted
        unasked = set(tokens(mention.noun)) - said
        of = set(tokens(_own_name(text, mention)))
        if not mention.noun and of and not of & said:
            unasked = of  # "$56.4 million of standby letters of credit": something else

        score -= 0.5 * math.fsum(weight(t) for t in unasked) / total
        stretch = text[left:right]
        stated = set(YEAR.findall(stretch))
        if years and stated and not stated & years:
            score -= 0.3  # this figure belongs to another year
        if day is not None:
            named = dates_in(stretch)
            if any(same_day(d, day) for d in named):
                score += 0.3  # "50,773,796 shares at November 2, 2024"
            elif named:
                score -= 0.3
        if best is None or score > best.score + 1e-9:
            best = Pick(mention, score)
    return best


# the name a figure is given right before it, after the clause's last separator: "and
# operating income of $20 million", ", net of an allowance of $77 million"
_NAMED_BEFORE = re.compile(
    r"(?:^|[,;:]|\b(?:and|or|while|whereas|but)\b)\s*"
    r"(?P<name>(?:[\w'’\"-]+\s+){1,6}?(?:of|totaling|totalling|amounting to|was|were)\s+"
    r"(?:approximately\s+|about\s+|nearly\s+)?)$",
    re.I,
)


_CHANGE_TO = re.compile(r"\s*,?\s*to\s+(?:approximately\s+|about\s+)?", re.I)


def _enclosed(text: str, found: list[Mention], index: int) -> tuple[int, int] | None:
    """The brackets around a figure when it stands in its own parenthesis ("$1.3 billion (18
    percent of net sales)"): (offset of "(", offset after ")"), else None."""
    mention = found[index]
    floor = found[index - 1].end if index > 0 else 0
    ceiling = found[index + 1].start if index + 1 < len(found) else len(text)
    opened = text.rfind("(", floor, mention.start)
    if opened < 0 or ")" in text[opened : mention.start]:
        return None
    closed = text.find(")", mention.end, ceiling)
    if closed < 0 or "(" in text[mention.end : closed]:
        return None
    return opened, closed + 1


def _bounds(text: str, found: list[Mention]) -> tuple[list[int], list[int]]:
    """Where each figure's words start and stop.  Each figure owns the words from the previous
    figure up to the next one, except what belongs to a neighbour alone: the inside of its
    parenthesis ("(18 percent of net sales)" is not said of the amount before it) and the name
    printed right before it (", net of an allowance of $77 million": "allowance" is not said
    of the amount before)."""
    count = len(found)
    lefts = [found[i - 1].end if i > 0 else 0 for i in range(count)]
    rights = [found[i + 1].start if i + 1 < count else len(text) for i in range(count)]
    brackets = [_enclosed(text, found, i) for i in range(count)]
    for i in range(1, count):
        if found[i - 1].change and _CHANGE_TO.fullmatch(text[found[i - 1].end : found[i].start]):
            lefts[i] = lefts[i - 1]  # "sales increased 1.1 percent to $46.6 million": sales'
    for i in range(count):
        preceding = brackets[i - 1] if i > 0 else None
        if preceding is not None:
            lefts[i] = max(lefts[i], preceding[1])
        if i + 1 < count:
            following = brackets[i + 1]
            if following is not None:
                rights[i] = min(rights[i], following[0])
            else:
                named = _NAMED_BEFORE.search(text, found[i].end, found[i + 1].start)
                if named is not None:
                    rights[i] = min(rights[i], named.start("name"))
    return lefts, rights


_FROM = re.compile(r"\bfrom\s+(?:approximately\s+|about\s+)?$", re.I)
_TO = re.compile(r"\s*to\s+(?:approximately\s+|about\s+)?", re.I)


def _from_to(
    text: str, found: list[Mention], owned: list[tuple[str, str | None] | None]
) -> list[bool]:
    """For each figure, whether it is the start of a "from $X to $Y" that prints no period of
    its own for either figure."""
    out = [False] * len(found)
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        floor = found[i - 1].end if i > 0 else 0
        if (
            a.unit == b.unit
            and owned[i] is None
            and owned[i + 1] is None
            and _FROM.search(text, floor, a.start)
            and _TO.fullmatch(text, a.end, b.start)
        ):
            out[i] = True
    return out


def _runs(text: str, found: list[Mention]) -> list[int]:
    """For each figure, how many figures stand in its run of figures printed with nothing but
    spaces between them ("$34 $43 $35")."""
    sizes = [1] * len(found)
    start = 0
    for i in range(1, len(found) + 1):
        if i < len(found) and not text[found[i - 1].end : found[i].start].strip(" $\t\n"):
            continue
        for j in range(start, i):
            sizes[j] = i - start
        start = i
    return sizes


_DATE = re.compile(rf"\b{MONTH_NAMES}\s+\d{{1,2}},?\s+(?:19|20)\d\d\b", re.I)
# the period a figure is stated for, right after it: "$120.5 million in 2018", "8,100 shares
# in June 2019", "$45.0 million of revenue for fiscal 2019"; not "in 2019 and 2018" (a list)
_OWN_PERIOD = re.compile(
    r"^\s*(?:(?!(?:and|or|to|from|compared|versus|while|of which|respectively)\b)[a-z][\w-]*\s+)"
    r"{0,3}?(?:in|for|during|as of|at the end of|at|on|through)\s+(?:the\s+)?"
    rf"(?:(?P<month>{MONTH_NAMES})\s+(?:(?P<day>\d{{1,2}}),?\s+)?|(?:fiscal\s+(?:year\s+)?|year\s+|fy\s?))?"
    r"(?P<year>(?:19|20)\d\d)\b(?!\s*(?:,|and|-|–|to)\s*(?:fiscal\s+)?(?:19|20)\d\d)",
    re.I,
)
# what joins two figures of one measure in two periods: "from $X in 2018 to $Y", "$Y in 2019
# from $X", "$Y in 2019 compared to $X", "$820 million in 2010, $852 million in 2009"
_JOINS = re.compile(
    r"(?:\s*,?\s*(?:to|from|and|versus|vs\.?|(?:as\s+)?compared\s+(?:to|with))\s+|\s*[,;]\s*)"
    r"(?:approximately\s+|about\s+)?",
    re.I,
)
_PARTS = re.compile(r",?\s*(?:of which|including|which included)\s*$", re.I)


_OF_NAME = re.compile(r"^\s+of\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)", re.I)


def _own_name(text: str, mention: Mention) -> str:
    """What an amount is of, printed right after it: "$56.4 million of standby letters"."""
    found = _OF_NAME.match(text[mention.end :])
    return found.group(1) if found and mention.unit == "USD" else ""


def stated_year(text: str, mention: Mention) -> int | None:
    """The year a figure is stated for right after it, when it names a whole year ("$150.2
    million in 2019", not "8,100 shares in June 2019"), or the year a change names for the
    figures it went from and to (:func:`_change_years`)."""
    own = _own_period(text, mention)
    if own is None:
        found = mentions(text)
        owned = [_own_period(text, m) for m in found]
        _date_changes(text, found, owned, _from_to(text, found, owned))
        own = next((o for m, o in zip(found, owned, strict=True) if m.start == mention.start), None)
    return int(own[0]) if own is not None and own[1] is None else None


def _date_changes(
    text: str,
    found: list[Mention],
    owned: list[tuple[str, str | None] | None],
    starts: list[bool],
) -> None:
    """Each "from $X to $Y" start (``starts``) whose change names its year
    (:func:`_change_years`) gives both figures their years in ``owned`` and is a start no
    longer: its figures are dated."""
    for index, start in enumerate(starts):
        if start and (years_of := _change_years(text, found[index])) is not None:
            owned[index], owned[index + 1] = (years_of[0], None), (years_of[1], None)
            starts[index] = False


# "the increase in earnings in 2002 for non-utility nuclear from $128 million to $201
# million": a change over one year named before its figures
_CHANGE_VERB = re.compile(
    r"\b(?:increase[sd]?|decrease[sd]?|declined?|declines|rose|rise|grew|growth|fell|"
    r"dropped|drop|improved?|improvement|reduction|reduced)\b",
    re.I,
)
_NOT_A_YEAR = re.compile(
    r"\b(?:quarters?|months?|weeks?|semi-?annual|half|ended|ending|as of|at (?:the )?end)\b", re.I
)


def _change_years(text: str, start: Mention) -> tuple[str, str] | None:
    """The years of a "from $X to $Y" change whose sentence names one year before it ("the
    increase in earnings in 2002 ... from $128 million to $201 million"):
    X is the year before's figure, Y the year's. None when the sentence names another span
    of time (a quarter, months, a balance date) or no change."""
    before = text[: start.start]
    years = set(YEAR.findall(before))
    if len(years) != 1 or not _CHANGE_VERB.search(before) or _NOT_A_YEAR.search(before):
        return None
    year = int(next(iter(years)))
    return str(year - 1), str(year)


def listed_year(text: str, mention: Mention) -> int | None:
    """The year a "respectively" sentence lists in a figure's place ("$255.7 and $327.1 as of
    december 31, 2008 and 2007, respectively": 2007 for $327.1), or None."""
    group = [m for m in mentions(text) if m.unit == mention.unit]
    for other, year in zip(group, _years_listed(text, group), strict=False):
        if other.start == mention.start:
            return int(year)
    return None


def _own_period(text: str, mention: Mention) -> tuple[str, str | None] | None:
    """The year (and month) a figure is stated for, printed right after it."""
    found = _OWN_PERIOD.match(text[mention.end :])
    if found is None:
        return None
    # "at december 31, 2015": a balance at a year's end stands for that year
    return found.group("year"), None if found.group("day") else found.group("month")


def _month_asked(month: str, asked: set[str] | None) -> bool:
    return bool(asked) and any(t[:3] == month.lower()[:3] for t in asked or ())


_COMPARED = re.compile(
    r"\s*,?\s*(?:compared (?:with|to)|versus|vs\.?|up from|down from)\s+"
    r"(?:approximately\s+|about\s+)?",
    re.I,
)


def _coordinated(
    text: str, found: list[Mention], owned: list[tuple[str, str | None] | None]
) -> list[tuple[int, int]]:
    """For each figure, the first and last index of the figures of one measure stated for
    different periods beside it ("from $120.5 million in 2018 to $150.2 million in 2019")."""
    groups = [(i, i) for i in range(len(found))]
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        gap = text[a.end : b.start]
        if a.unit == b.unit and owned[i] is None and owned[i + 1] is not None:
            # "net sales were $2.2 billion compared with $2.5 billion in 2008": the figure
            # without a year is the period the text is about, compared with the years named
            if _COMPARED.fullmatch(gap):
                groups[i + 1] = (groups[i][0], i + 1)
            continue
        if a.unit != b.unit or owned[i] is None or owned[i + 1] is None or owned[i] == owned[i + 1]:
            continue
        own = _OWN_PERIOD.match(gap)
        if own is not None and _JOINS.fullmatch(gap[own.end() :]):
            groups[i + 1] = (groups[i][0], i + 1)
    for i in range(len(found) - 2, -1, -1):  # spread each group's last index back
        if groups[i + 1][0] <= i:
            groups[i] = (groups[i][0], groups[i + 1][1])
    return groups


def _heads(text: str, found: list[Mention]) -> list[str]:
    """For each figure that is a part of a total stated before it ("$12.0 million, of which
    $8.0 million related to severance and $4.0 million related to facility closures"), the
    words the total's sentence opens with; "" for others."""
    out = [""] * len(found)
    for h, head in enumerate(found[:-1]):
        if not _PARTS.search(text[head.end : found[h + 1].start]):
            continue
        subject = text[found[h - 1].end if h > 0 else 0 : head.start]
        for j in range(h + 1, len(found)):
            if found[j].unit == head.unit and ";" not in text[head.end : found[j].start]:
                out[j] = subject
    return out


def dates_in(text: str) -> set[date]:
    """The full dates a text names ("November 2, 2024")."""
    return {d for d in _dates(text) if d is not None}


def _dates(text: str) -> list[date | None]:
    """Each full date a text prints, in order (None where the calendar has no such day)."""
    from ingest.periods import parse_date

    return [parse_date(match.group(0)) for match in _DATE.finditer(text)]


def _covered(
    text: str,
    wanted: set[str],
    weight: Callable[[str], float],
    tokens: Callable[[str], list[str]],
    total: float,
) -> bool:
    return math.fsum(weight(t) for t in wanted & set(tokens(text))) >= 0.75 * total


def _respectively_dated(
    text: str,
    found: list[Mention],
    unit: str,
    years: set[str],
    day: date | None,
    listed_years: list[str],
) -> Mention | None:
    """ "As of June 28, 2025 and September 28, 2024, the Company had $9.9 billion and $10.0
    billion of commercial paper outstanding, respectively": the figure in the place of the
    date asked for (the day, else the one date in the year asked); else the figure in the
    place of the year asked among ``listed_years`` (:func:`_years_listed`)."""
    if "respectively" not in text.lower() or (day is None and not years):
        return None
    group = [m for m in found if m.unit == unit]
    named = _dates(text[: group[0].start]) if group else []
    if len(group) < 2:
        return None
    if len(named) != len(group):
        # "... were $35.9 million and $28.4 million in 2019 and 2018, respectively"
        if day is not None:
            return None
        places = [i for i, year in enumerate(listed_years) if year in years]
        return group[places[0]] if len(places) == 1 else None
    if day is not None:
        places = [i for i, d in enumerate(named) if d is not None and same_day(d, day)]
    else:
        places = [i for i, d in enumerate(named) if d is not None and str(d.year) in years]
    return group[places[0]] if len(places) == 1 else None


def _years_listed(text: str, group: list[Mention]) -> list[str]:
    """The years a "respectively" sentence lists for its figures ("$35.9 million and $28.4
    million in 2019 and 2018"), one per figure, or none."""
    if "respectively" not in text.lower() or len(group) < 2:
        return []
    between = [text[a.end : b.start] for a, b in itertools.pairwise(group)]
    if any(not _LISTED.fullmatch(gap) for gap in between):
        return []
    listed = _YEARS_LISTED.search(text[group[-1].end :]) or _YEARS_LISTED.search(
        text[: group[0].start]
    )
    stated = re.findall(r"(?:19|20)\d\d", listed.group(0)) if listed else []
    if len(stated) != len(group) or len(set(stated)) != len(stated):
        return []
    return stated


_LISTED = re.compile(r"\s*(?:,|and|,\s*and)\s*", re.I)
_YEARS_LISTED = re.compile(
    r"\b(?:fiscal\s+)?(?:19|20)\d\d(?:\s*(?:,|and|,\s*and)\s*(?:fiscal\s+)?(?:19|20)\d\d)+\b", re.I
)


def _respectively(
    text: str,
    found: list[Mention],
    unit: str,
    wanted: set[str],
    tokens: Callable[[str], list[str]],
) -> Mention | None:
    """ "McKesson and Cardinal accounted for 18.0% and 14.1%, respectively": the figure in
    the place of the name the question asks about."""
    if "respectively" not in text.lower():
        return None
    group = [m for m in found if m.unit == unit]
    if len(group) < 2:
        return None
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+", text[: group[0].start])
    names = [n for n in names if n.strip()][-len(group) :]
    if len(names) != len(group):
        return None
    hits = [i for i, name in enumerate(names) if wanted & set(tokens(name))]
    distinct = [i for i in hits if not all(set(tokens(n)) & wanted for n in names)]
    return group[distinct[0]] if len(distinct) == 1 else None
