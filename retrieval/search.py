"""Lexical matching of a metric phrase against row labels, and of a question against sentences.

A row's *label* (its own name) must carry the metric; its parents in the row path and its
table title only break ties or satisfy words the label lacks.  Words of a row's label that
the question does not ask for count against it, weighted by how telling they are (their IDF),
so "product revenue" prefers "Net revenues > Product" over "Cost of revenues > Product": the
second carries "cost", which nobody asked for.  Finance synonyms are folded into one token
before matching (sales/revenue, capex/purchases of property and equipment, buybacks/repurchase
of common stock, EPS/earnings per share, opex/operating expenses).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .corpus import Row, Sentence
from .periods import MONTHS, YEAR

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "and",
        "or",
        "by",
        "at",
        "as",
        "is",
        "was",
        "were",
        "be",
        "been",
        "what",
        "which",
        "who",
        "whom",
        "how",
        "much",
        "many",
        "did",
        "does",
        "do",
        "during",
        "from",
        "with",
        "its",
        "their",
        "company's",
        "company",
        "than",
        "that",
        "this",
        "those",
        "these",
        "total",
        "net",
        "amount",
        "value",
        "figure",
        "reported",
        "report",
        "according",
        "release",
        "filing",
        "document",
        "listed",
        "mentioned",
        "stated",
        "per",
        "cent",
        "s",
    ]
)
# phrases rewritten before tokenising: every variant becomes the canonical words
_PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.I), r)
    for p, r in [
        # "Net income (loss)", "Income (loss) before taxes": the sign word is not the name
        (r"\s*\((?:loss|losses|income|gain|gains|benefit|deficit)\)\s*", " "),
        (r"\bpp\s*&\s*e\b", "property, plant and equipment"),
        (r"\bdays? sales outstanding\b|\bdso\b", " dso "),
        # "the highest stock price" of a quarter is its "high" column
        (r"\b(high|low)est(?= (?:(?:common )?stock |share |sales? )?(?:sales? )?prices?\b)", r"\1"),
        (
            r"\bcap ?-?ex\b|\bcapital expenditures?\b"
            r"|\bpurchases? of property(?:,)? (?:plant )?and equipment\b"
            r"|\bpayments? for (?:acquisition of )?property(?:,)? (?:plant )?and equipment\b"
            r"|\badditions to property(?:,)? plant and equipment\b",
            " capex ",
        ),
        (
            r"\bbuy ?backs?\b|\bshare repurchases?\b|\brepurchases? (?:and retirement )?of "
            r"(?:common )?(?:stock|shares)\b|\bpurchases? of (?:treasury|common) stock\b",
            " buyback ",
        ),
        (
            r"\b(?:net )?(?:earnings|income|loss|income \(loss\)|income or loss)(?: \(loss\))? "
            r"per (?:diluted |basic )?(?:common )?share\b|\beps\b",
            " eps ",
        ),
        (r"\bopex\b|\boperating expenses\b|\btotal operating expenses\b", " opex "),
        (r"\bcost of (?:net )?(?:revenues?|sales|goods sold)\b|\bcogs\b", " cogs "),
        (r"\bresearch and development\b|\br&d\b|\br & d\b", " rnd "),
        # "S&P 500", "s&p500", "Standard & Poor's 500": one name ("s" is a stop word and "500"
        # a number, so the index was only "p")
        (r"\b(?:s\s*&\s*p|standard\s*(?:&|and)\s*poor'?s)(?:\s*(\d{2,4})\b)?", r" sp\1 "),
        (
            r"\bselling,? general,? and administrative\b|\bsg&a\b|\bsales and marketing\b",
            " sga ",
        ),
        (r"\bmarketing,? general,? and administrative\b|\bmg&a\b", " mga "),
        (r"\bgeneral and administrative\b|\bg&a\b", " gna "),
        (r"\bstock[- ]based compensation\b|\bshare[- ]based compensation\b", " sbc "),
        (
            r"\bcash flows? (?:from|provided by|generated (?:from|by)) operations\b"
            r"|\boperating cash flows?\b|\bnet cash (?:provided by|"
            r"from|used in|\(used in\) provided by|provided by \(used in\)) operating activities\b"
            r"|\bcash (?:provided by|from) operating activities\b"
            r"|\bcash (?:from|provided by|generated (?:from|by)) operations\b",
            " cfo ",
        ),
        (
            r"\bweighted[- ]average (?:number of )?(?:common )?shares(?: outstanding)?\b"
            r"|\bshares used in (?:computing|per share)[a-z ]*\b|\bshare count\b",
            " sharecount ",
        ),
        (
            r"\bpre-?tax (?:income|earnings|profit)\b|\b(?:income|earnings|profit) before "
            r"(?:the )?(?:provision for )?(?:income )?tax(?:es)?\b",
            " pretax income ",
        ),
        # "U.S." is one word (its letters alone are too short to be asked for)
        (r"\bu\.\s?s\b\.?", " usa "),
        (r"\bd ?& ?a\b|\bdepreciation,? (?:and|&) amortization\b", " dna "),
        (r"\bcomps\b|\bcomparable (?:store |restaurant )?sales\b", " comps "),
        (r"\bstock comp\b", " sbc "),
        (r"\btech\b", " technology "),
        (r"\bcash on hand\b", " cash "),
        (
            r"\bincome taxes\b|\bprovision for income taxes\b|\btax provision\b|\bincome tax "
            r"(?:expense|provision)\b|\bprovision for \(benefit from\) income taxes\b",
            " taxes ",
        ),
        (
            r"\boperating income\b|\bincome from operations\b|\boperating profit\b|\bebit\b"
            r"|\boperating (?:income )?\(?loss\)?\b|\bloss from operations\b",
            " opincome ",
        ),
        (r"\bgross profit\b|\bgross margin\b", " grossprofit "),
        (r"\bcash and cash equivalents\b|\bcash & equivalents\b", " cash "),
        (r"\bdeferred revenues?\b", " deferredrevenue "),
        (r"\bnon[- ]gaap\b|\badjusted\b", " nongaap "),
        (r"\baccounts receivable\b", " receivables "),
        (
            r"\bnet revenues?\b|\bnet sales\b|\brevenues?\b|\bsales\b|\btop line\b|\bturnover\b",
            " revenue ",
        ),
        (r"\bchief financial officer\b|\bcfo\b", " cfo "),
        (r"\bchief executive officer\b|\bceo\b", " ceo "),
        (r"\bchief operating officer\b|\bcoo\b", " coo "),
        (r"\bchief accounting officer\b|\bcontroller\b", " controller "),
        (
            r"\bnet (?:income|earnings)\b|\bprofit\b|\bbottom line\b"
            r"|\bnet (?:income )?\(?loss\)?\b",
            " netincome ",
        ),
    ]
]


def normalise(text: str) -> str:
    text = text.replace("’", "'").replace("—", " ").replace("–", " ")
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text.lower()


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """The words a text is matched on: its phrases as one word ("selling, general and
    administrative" is "sga"), stemmed, less stopwords and numbers."""
    return list(_tokens(text))


@lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> tuple[str, ...]:
    # the same labels and phrases are read many times per question (a third of answer()'s
    # time went to their regular expressions before this cache)
    return tuple(
        _stem(w) for w in _WORD.findall(normalise(text)) if w not in STOPWORDS and not w.isdigit()
    )


@dataclass(frozen=True)
class Scored:
    row: Row
    score: float


GENERIC = frozenset(
    [
        "gaap",
        "nongaap",
        "diluted",
        "basic",
        "quarterly",
        "annual",
        "fiscal",
        "year",
        "quarter",
        "month",
        "week",
        "three",
        "six",
        "nine",
        "twelve",
        "full",
        "ended",
        "ending",
        "period",
        "share",
        "eps",
        "balance",
        "amount",
        "segment",
    ]
)
_STATEMENT_WORDS = frozenset(
    [
        "condensed",
        "consolidated",
        "statement",
        "operation",
        "balance",
        "sheet",
        "cash",
        "flow",
        "income",
        "unaudited",
        "thousand",
        "million",
        "billion",
        "except",
        "amount",
        "data",
        "inc",
        "corporation",
        "company",
        "financial",
        "measure",
        "result",
        "table",
        "follow",
    ]
)
_PRIMARY = re.compile(
    r"statements? of (?:consolidated )?(?:operations|income|earnings|cash flows|financial "
    r"position)|balance sheets?|income statements?",
    re.I,
)


_RESIDUAL = frozenset(["other", "others"])  # a line of what the named lines leave out
_SCALE_WORDS = frozenset(tokens("thousand thousands million millions billion billions"))
_MONTH_WORDS = frozenset(MONTHS) | {"quarter", "year", "month", "week", "ended", "ending"}
# a row named by its quarter alone: "second" in a table of stock prices by quarter
_QUARTER_WORDS = frozenset(["first", "second", "third", "fourth", "quarter"])


def _unflatten(path: tuple[str, ...]) -> tuple[str, ...]:
    if not path:
        return path
    parts = [p for p in re.split(r"\s+[–—]\s+|\s+-\s+", path[-1]) if p.strip()]
    return (*path[:-1], *parts) if len(parts) > 1 else path


def _table_of(row: Row) -> tuple[str, object]:
    """Which table of which filing a row is printed in (two tables may share a title)."""
    first = row.facts[0] if row.facts else None
    index = first.table_index if first is not None else None
    return (row.doc_id, index if index is not None else row.table)


class _Positions:
    """Which items (rows or sentences, by position) a search needs to look at: those of the
    allowed documents, or those carrying a wanted word, whichever list is shorter.  Searching
    one filing among a thousand looks at that filing's items only."""

    def __init__(self, doc_ids: Sequence[str], words: Sequence[set[str]]) -> None:
        self._by_doc: dict[str, list[int]] = {}
        self._by_word: dict[str, list[int]] = {}
        for index, (doc_id, bag) in enumerate(zip(doc_ids, words, strict=True)):
            self._by_doc.setdefault(doc_id, []).append(index)
            for word in bag:
                self._by_word.setdefault(word, []).append(index)
        self._doc_of = list(doc_ids)

    def of_doc(self, doc_id: str) -> list[int]:
        return self._by_doc.get(doc_id, [])

    def candidates(self, wanted: set[str], allowed_docs: set[str] | None) -> list[int]:
        """Positions in corpus order (ties then sort as a full scan would)."""
        postings = [self._by_word.get(word, []) for word in wanted]
        if allowed_docs is not None:
            own = [i for doc in allowed_docs for i in self._by_doc.get(doc, [])]
            if len(own) <= sum(len(p) for p in postings):
                return sorted(own)
        hits = set().union(*postings)
        if allowed_docs is not None:
            hits = {i for i in hits if self._doc_of[i] in allowed_docs}
        return sorted(hits)


_DEDUCTED = re.compile(r"\b(?:net of|excluding|exclusive of)\b(.*)", re.IGNORECASE)


def _deducted(label: str) -> set[str]:
    """The words a label names only after "net of" ("Purchase price, net of assumed
    liabilities": assumed, liabilities); not those it also names before ("Interest expense, net
    of capitalized interest": capitalized)."""
    found = _DEDUCTED.search(label)
    if found is None:
        return set()
    return set(tokens(found.group(1))) - set(tokens(label[: found.start()]))


class RowIndex:
    """IDF-weighted label matching over the rows of a corpus."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)
        # "Cost of revenues – Product" is the path Cost of revenues > Product, flattened
        paths = [_unflatten(row.path) for row in self.rows]
        self._label = [set(tokens(path[-1] if path else "")) for path in paths]
        self._parents = [set(tokens(" ".join(path[:-1]))) for path in paths]
        self._title = [set(tokens(row.table or "")) - _STATEMENT_WORDS for row in self.rows]
        self._primary = [bool(_PRIMARY.search(row.table or "")) for row in self.rows]
        self._titled = [bool((row.table or "").strip()) for row in self.rows]
        # documents whose tables carry titles at all (a bare table of a dataset has none)
        titled_docs = {
            row.doc_id for row, titled in zip(self.rows, self._titled, strict=True) if titled
        }
        self._titled_doc = [row.doc_id in titled_docs for row in self.rows]
        self._columns = [
            set(tokens(" ".join({f.column or "" for f in row.facts}))) for row in self.rows
        ]
        self._said = [row.facts[0].kind == "sentence" if row.facts else False for row in self.rows]
        # rows whose figures are of quarters ("second" under "2016 high": Q2 2016)
        self._quarter = [
            any(f.period is not None and f.period.label.startswith("Q") for f in row.facts)
            for row in self.rows
        ]
        self._raw = [
            set(re.findall(r"[a-z]+", (row.path[-1] if row.path else "").lower()))
            for row in self.rows
        ]
        # "Purchase price, net of assumed liabilities": the words after "net of" name what the
        # line deducts, not what it is
        self._deducted = [_deducted(path[-1] if path else "") for path in paths]
        counts: Counter[str] = Counter()
        for label, parents in zip(self._label, self._parents, strict=True):
            counts.update(label | parents)
        # a row can only score through a word of its label, parents, title or columns
        self._positions = _Positions(
            [row.doc_id for row in self.rows],
            [
                label | parents | title | columns
                for label, parents, title, columns in zip(
                    self._label, self._parents, self._title, self._columns, strict=True
                )
            ],
        )
        total = max(1, len(self.rows))
        self._idf = {t: math.log(1 + total / (1 + n)) for t, n in counts.items()}
        self._default_idf = math.log(1 + total)

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._default_idf)

    def weight(self, words: Iterable[str]) -> float:
        """The words' summed IDF, exactly (``math.fsum``): a set's order follows the hash
        seed, and a float sum in that order would differ in its last bit between processes
        and flip ties."""
        return math.fsum(self.idf(t) for t in words)

    def _column_heads(self, i: int) -> set[str]:
        """The last word of each of row ``i``'s column headers, the column's own name:
        "high", "low", "dividend" of "2016 high (1) | 2016 low (1) | 2016 dividend" or of
        "Low | Common Stock Price Range 2018 High"."""
        heads = [re.findall(r"[a-z]+", (f.column or "").lower()) for f in self.rows[i].facts]
        return {t for words in heads if words for t in tokens(words[-1])}

    def search(
        self,
        phrase: str,
        allowed_docs: set[str] | None = None,
        limit: int = 10,
        ignore: frozenset[str] = frozenset(),
    ) -> list[Scored]:
        """Rows for a metric phrase, from ``allowed_docs`` only when given.  ``ignore``: words
        that say nothing here (the company's own name).  A row's label or parents must carry
        a telling word of the phrase."""
        wanted = set(tokens(phrase)) - ignore
        if not wanted:
            return self._bare_total(phrase, allowed_docs)
        telling = wanted - GENERIC
        raw_words = set(re.findall(r"[a-z]+", phrase.lower()))
        says_deducted = bool(_DEDUCTED.search(phrase))  # "... net of assumed liabilities"
        weight = self.weight(wanted)
        scored: list[Scored] = []
        for i in self._positions.candidates(wanted, allowed_docs):
            label, parents, title = self._label[i], self._parents[i], self._title[i]
            if not label and self._raw[i] == {"total"}:
                # a "Total" row: its table's title names what it totals
                label, title = title, set()
            elif label and not label - GENERIC and not parents and title:
                # "Non-GAAP" in a "NET INCOME AND EARNINGS PER SHARE-DILUTED RECONCILIATION":
                # a row named only by its basis is the title's measure on that basis
                label, title = label | title, set()
            elif label and not label - _QUARTER_WORDS and self._quarter[i]:
                # "second" of a price table: its columns "high | low" name the measure, the
                # lead-in says of what ("the high and low sales prices ... of the company's
                # common stock"); the question must name one of them
                label = self._columns[i]
                if not telling & self._column_heads(i):
                    continue
            elif label and not label - _MONTH_WORDS and self._columns[i] & wanted:
                # "December 1, 2024—December 31, 2024": a row named by its period is named by
                # its columns ("Approximate Dollar Value of Shares that May Yet Be Purchased")
                label = self._columns[i]
                if len(telling & (label | title)) < 0.6 * len(telling):
                    continue
            elif not label and parents:
                # "Revenue Based Provisions > 2024": a year row is named by its parent, which
                # must then say everything asked ("2024 > –Current" lost its parent)
                label, parents = parents, set()
                if telling - label - title - self._columns[i] or label - wanted - GENERIC:
                    continue
            if self._deducted[i] and not says_deducted:
                # "liabilities assumed" is not the line "purchase price net of assumed
                # liabilities" (unless the phrase says "net of" too)
                label = label - self._deducted[i]
            if not label & wanted or (telling and not (label | parents) & telling):
                continue
            if telling - _RESIDUAL and not (label | parents) & (telling - _RESIDUAL):
                continue  # "other" alone is no "other regulatory credits"
            covered = self.weight(wanted & label)
            covered += 0.6 * self.weight((wanted - label) & parents)
            covered += 0.6 * self.weight((wanted - label - parents) & title)
            extra = self.weight(label - wanted)
            if self._said[i]:
                extra *= 0.3  # a figure's subject in a sentence is wordier than a row label
            extra += 0.5 * self.weight(parents - wanted)
            # a title's period words ("For the Years Ended May 31") say nothing the row does not
            extra += 0.15 * self.weight(title - wanted - _MONTH_WORDS)
            score = covered / weight - 0.35 * extra / (weight + extra)
            if self._primary[i]:
                score += 0.06  # unqualified, a line item means the primary statement's
            elif not self._said[i] and not self._titled[i] and self._titled_doc[i]:
                # a table printed far below its heading (a business's "Total revenues(1)" in
                # the MD&A) says less of what it is than one its heading titles
                score -= 0.08
            if self._raw[i]:
                score += 0.03 * len(self._raw[i] & raw_words) / len(self._raw[i])
            if score > 0:
                scored.append(Scored(self.rows[i], score))
        if not scored and telling and allowed_docs is not None:
            return self._column_total(telling, allowed_docs)
        scored.sort(key=lambda s: s.score, reverse=True)
        return scored[:limit]

    def _column_total(self, telling: set[str], allowed_docs: set[str]) -> list[Scored]:
        """No line is named by the words, but a column is: "fair value" in a table of notes
        headed "carrying value | fair value", whose columns are measures (undated). The
        table's total rows stand for the measure (one per period, when sections date the
        rows), when one table alone prints such rows."""
        # "carrying value in millions $"; "as of december 31" names a date, not a measure
        telling = {t for t in telling - _SCALE_WORDS - _MONTH_WORDS if not t.isdigit()}
        found = self._of_one_table(
            allowed_docs,
            lambda i: (
                bool(telling)
                and "total" in self._raw[i]
                and telling <= self._columns[i]
                and self._measure_columns(i, telling)
            ),
            0.4,
        )
        # "Total Africa" and "Total": the plain total stands for the measure
        plain = [f for f in found if set(re.findall(r"[a-z]+", f.row.label.lower())) == {"total"}]
        return plain or found

    def _measure_columns(self, i: int, telling: set[str]) -> bool:
        """Whether row ``i``'s columns are measures, not periods: the row is undated, or
        dated by its sections ("December 31, 2019" over "Transaction related ... Total"), or
        one dated header names the measure in full ("net goodwill at december 31 2011",
        "shipment volume for the years ended december 31, 2012")."""
        headers = {f.column or "" for f in self.rows[i].facts}
        dated = [h for h in headers if YEAR.search(h)]
        return not dated or any(telling <= set(tokens(h)) for h in dated)

    def _bare_total(self, phrase: str, allowed_docs: set[str] | None) -> list[Scored]:
        """A phrase naming nothing but a total ("What was the Total in 2019?", "the Total
        amount") is the "Total" row of the one table that prints one (none when several do)."""
        if "total" not in re.findall(r"[a-z]+", phrase.lower()) or allowed_docs is None:
            return []
        return self._of_one_table(
            allowed_docs,
            lambda i: not self._label[i] and not self._parents[i] and self._raw[i] == {"total"},
            0.5,
        )

    def _of_one_table(
        self, allowed_docs: set[str], keep: Callable[[int], bool], score: float
    ) -> list[Scored]:
        """The rows of the allowed documents that ``keep`` accepts, each at ``score``, when
        they are all of one table; none when they are of several (or none)."""
        found = [i for doc in allowed_docs for i in self._positions.of_doc(doc) if keep(i)]
        if len({_table_of(self.rows[i]) for i in found}) != 1:
            return []
        return [Scored(self.rows[i], score) for i in found]


class SentenceIndex:
    """BM25 over narrative sentences, for questions answered with words."""

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.sentences = list(sentences)
        self._tokens = [Counter(tokens(s.text)) for s in self.sentences]
        df: Counter[str] = Counter()
        for bag in self._tokens:
            df.update(bag.keys())
        n = max(1, len(self.sentences))
        self._idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self._avg = sum(sum(b.values()) for b in self._tokens) / n if self.sentences else 1.0
        self._positions = _Positions(
            [s.doc_id for s in self.sentences], [set(bag) for bag in self._tokens]
        )

    def search(
        self,
        question: str,
        allowed_docs: set[str] | None = None,
        limit: int = 3,
        ignore: frozenset[str] = frozenset(),
    ) -> list[tuple[Sentence, float]]:
        scored = self.scores(question, allowed_docs, ignore)
        out = [(self.sentences[i], score) for i, score in scored.items()]
        out.sort(key=lambda pair: pair[1], reverse=True)
        return out[:limit]

    def scores(
        self,
        question: str,
        allowed_docs: set[str] | None = None,
        ignore: frozenset[str] = frozenset(),
    ) -> dict[int, float]:
        """BM25 of every sentence (by position) that shares a word with the question."""
        wanted = set(tokens(question)) - ignore
        out: dict[int, float] = {}
        for index in self._positions.candidates(wanted, allowed_docs):
            bag = self._tokens[index]
            length = sum(bag.values())
            score = 0.0
            for token in wanted & bag.keys():
                tf = bag[token]
                score += (
                    self._idf[token] * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / self._avg))
                )
            if score > 0:
                out[index] = score
        return out

    def idf(self, token: str) -> float:
        return self._idf.get(token, 1.0)

    def weight(self, words: Iterable[str]) -> float:
        """The words' summed IDF, exactly (see :meth:`RowIndex.weight`)."""
        return math.fsum(self.idf(t) for t in words)

    def coverage(
        self, question: str, sentence: Sentence, ignore: frozenset[str] = frozenset()
    ) -> float:
        """Share of the question's IDF mass the sentence carries (0..1)."""
        wanted = set(tokens(question)) - ignore
        if not wanted:
            return 0.0
        have = set(tokens(sentence.text))
        return self.weight(wanted & have) / self.weight(wanted)
