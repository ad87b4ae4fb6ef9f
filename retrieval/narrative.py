"""Questions answered in the filings' own words: a passage, or the person a line names.

``Narrative.answer`` finds the sentences that share the most telling words with the question
(and, for "who" questions, a person named in or next to them) and quotes them with their
citations, after the words of the first that answer the question (:mod:`retrieval.spans`:
"the Board of Directors — “The financial statements were approved by the Board of ...”");
:func:`~retrieval.verify.passage_answers` must agree the passage answers the question, else the
answer is ``not_found``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from . import spans
from .compose import not_found, sentence_citation
from .corpus import Sentence
from .models import Answer
from .periods import find_periods
from .pick import Picker, near
from .understand import ASKS_WORDS, FIGURE_WORDS, WORDY, Intent, understand
from .verify import Check, passage_answers


class Narrative:
    """Passages and people, over the picker's sentences."""

    def __init__(self, picker: Picker, refused: Counter[str], fold: int | None = None) -> None:
        self.picker = picker
        self.refused = refused  # the engine's count of refusals by rule
        self.fold = fold  # the span model's cross-validation fold (None: all the data's)
        self._lower: dict[str, set[str]] = {}

    def _who(self, question: str, doc_ids: set[str]) -> Answer | None:
        """ "Who signed the 10-Q?", "Who is the CFO contact?": the person named in or right
        next to the lines the question's words point to (a signature block, a contact list)."""
        names = self.picker.names(doc_ids)
        # "for the quarter ended June 28, 2025" says which filing, not where the name is
        asked = question
        for period in sorted(find_periods(question), key=lambda p: p.start, reverse=True):
            asked = asked[: period.start] + " " + asked[period.end :]
        # the filing's own name ("Form 10-Q", "the release") says which document, not where
        ignore = names | _FILING_WORDS
        scores = self.picker.sentences.scores(asked, doc_ids, ignore=ignore)
        if not scores:
            return None
        sentences = self.picker.corpus.sentences
        best: tuple[float, int, str] | None = None
        for index, sentence in enumerate(sentences):
            if sentence.doc_id not in doc_ids:
                continue
            person = _person(sentence.text, self._lowercase_words(sentence.doc_id), names)
            if person is None:
                continue
            # a label line before a name ("Investor Relations:") tells most, a title after it;
            # a label belongs to the names after it, up to the next label
            score = scores.get(index, 0.0)
            for step, weights in ((-1, (1.0, 0.6)), (1, (0.8, 0.5))):
                for distance, weight in enumerate(weights, 1):
                    other = index + step * distance
                    if not (0 <= other < len(sentences) and near(sentences[other], sentence)):
                        break
                    label = sentences[other].text.rstrip().endswith(":")
                    if label and step > 0:
                        break
                    score += weight * scores.get(other, 0.0)
                    if label:
                        break
            if best is None or score > best[0]:
                best = (score, index, person)
        top = max(scores.values())
        if best is None or best[0] < 0.5 * top:
            return None
        _, index, person = best
        window = [
            sentences[i]
            for i in range(max(0, index - 2), min(len(sentences), index + 3))
            if near(sentences[i], sentences[index])
        ]
        quoted = " ".join(s.text for s in window)
        return Answer(
            question=question,
            status="answered",
            answer=f"{person}: “{quoted}”",
            citations=(sentence_citation(sentences[index]),),
        )

    def _lowercase_words(self, doc_id: str) -> set[str]:
        """Words the document prints in lower case: "Financial" is a word, "Parekh" a name."""
        cached = self._lower.get(doc_id)
        if cached is None:
            cached = set()
            for sentence in self.picker.corpus.sentences:
                if sentence.doc_id == doc_id:
                    cached |= set(re.findall(r"\b[a-z][a-z'’-]+\b", sentence.text))
            self._lower[doc_id] = cached
        return cached

    def instead(self, question: str, intent: Intent, doc_ids: set[str]) -> Answer | None:
        """The filing's words for a figure question no table row answers ("How quickly...",
        "to what did it increase"); never for a calculation asked for ("the change in the
        average of investments")."""
        wordy = bool(WORDY.match(question))
        if not (
            (intent.operation == "lookup" and wordy)
            or (not FIGURE_WORDS.search(question) and (intent.operation == "lookup" or wordy))
        ):
            return None
        words = self.answer(question, doc_ids, strict=True)
        if words.status != "answered":
            return None
        if intent.periods and not _FIGURE.search(words.span or words.answer):
            # "What was Autodesk's goodwill at the end of 2018?": a passage with no figure in
            # it (in digits or words: "eight years") does not say what the figure was
            return None
        return words

    def answer(self, question: str, doc_ids: set[str], strict: bool = False) -> Answer:
        """A passage (or a person) that answers the question in words, if one passes
        :func:`~retrieval.verify.passage_answers`."""
        found, first = self._passage(question, doc_ids, strict)
        if found.status != "answered":
            return found
        check = Check(
            question, understand(question), self.picker.names(doc_ids), self.picker.sentences.idf
        )
        refusal = passage_answers(check, f"{found.answer} {self._next_sentences(found)}")
        if refusal is not None:
            self.refused[refusal.rule] += 1
            return not_found(question, refusal.reason)
        short = self._span(question, first.text) if first is not None else None
        if short is None:
            return found
        bare = not short.whole and _BARE_FIGURE.fullmatch(short.text)
        if first is not None and bare and ASKS_WORDS.match(question):
            # "Why did the valuation allowance increase?" is not answered "$14 million": a
            # reason, a cause, a definition is the sentence's words (a figure asked for with
            # "when" or "what was" stays)
            return replace(found, span=first.text.strip().rstrip(" ,.;:"))
        # the words that answer it, then the passage quoted
        answer = found.answer if short.whole else f"{short.text} — {found.answer}"
        return replace(found, answer=answer, span=short.text)

    def _next_sentences(self, found: Answer) -> str:
        """The sentence after each one a passage answer quotes: "shared the following
        message with eBay employees" is about what the next sentence says."""
        after = (self.picker.neighbour(c.doc_id, c.as_printed, 1) for c in found.citations)
        return " ".join(s.text for s in after if s is not None)

    def _passage(
        self, question: str, doc_ids: set[str], strict: bool = False
    ) -> tuple[Answer, Sentence | None]:
        """The passage (or person) found, and the sentence its short answer is read from
        (None: a person, a caption, a refusal)."""
        if re.match(r"\s*who\b", question, re.I):
            person = self._who(question, doc_ids)
            if person is not None:
                return person, None
        names = self.picker.names(doc_ids)
        hits = self.picker.sentences.search(question, doc_ids, limit=3, ignore=names)
        needed = 0.6 if strict else 0.4
        if not hits or self.picker.sentences.coverage(question, hits[0][0], names) < needed:
            refused = "The indexed filings do not say; no passage answers this question."
            return not_found(question, refused), None
        hits = [(s, score) for s, score in hits if len(s.text.split()) >= 5] or hits
        # "A summary of our contractual obligations … was as follows:" leads into a table;
        # it says nothing itself
        hits = [(s, score) for s, score in hits if not _LEADS_INTO.search(s.text)]
        if not hits:
            return not_found(question, "The passages found only lead into a table."), None
        best = [s for s, score in hits if score >= 0.6 * hits[0][1]][:2]
        if re.fullmatch(r"\(.*\)", best[0].text.strip()):
            # a cover page's caption, "(Address of principal executive office)", names the
            # line printed above it
            above = self.picker.before(best[0])
            if above is not None:
                caption = Answer(
                    question=question,
                    status="answered",
                    answer=f"“{above.text}” {best[0].text}",
                    citations=(sentence_citation(above), sentence_citation(best[0])),
                )
                return caption, None
        passage = Answer(
            question=question,
            status="answered",
            answer=" ".join(f"“{s.text}”" for s in best),
            citations=tuple(sentence_citation(s) for s in best),
        )
        return passage, best[0]

    def _span(self, question: str, sentence: str) -> spans.Span | None:
        """The words of the sentence that answer the question (:mod:`retrieval.spans`)."""
        models = spans.saved()
        if models is None:
            return None
        return spans.best(
            question, sentence, models[str(self.fold) if self.fold is not None else "all"]
        )


# a short answer that is a figure alone: "$14 million", "(1)", "2019", "36%"
_BARE_FIGURE = re.compile(
    r"[$€£¥]?\s?[A-Z]{0,3}\$?\s?\(?[\d,.]+\)?\s?%?(?:\s?(?:million|billion|thousand|m|bn|k))?",
    re.I,
)
_FIGURE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|hundred|thousand|million|billion|half|quarter|double|twice)\b",
    re.IGNORECASE,
)
_LEADS_INTO = re.compile(
    r"\b(?:(?:is|are|was|were) as follows|(?:the )?(?:following|below) tables?\b[^:]*):\s*$", re.I
)
_NAME = re.compile(
    r"\b([A-Z][^\W\d_]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][^\W\d_'’-]+(?:[-'’][A-Z][^\W\d_]+)?){1,2})\b"
)


_TITLE_WORDS = frozenset(
    [
        "chief",
        "executive",
        "financial",
        "operating",
        "accounting",
        "officer",
        "vice",
        "president",
        "senior",
        "general",
        "counsel",
        "secretary",
        "treasurer",
        "controller",
        "director",
        "directors",
        "chairman",
        "board",
        "investor",
        "relations",
        "contact",
        "date",
        "name",
        "title",
        "by",
        "inc",
        "corporation",
        "company",
        "media",
        "the",
    ]
)


def _person(text: str, lowercase: set[str], company: frozenset[str] = frozenset()) -> str | None:
    """A person's name in a line: capitalised words the document never prints in lower case
    ("Kevan Parekh", "Thomas B. Heacock"), not titles or the company's words."""
    candidates = []
    for match in _NAME.finditer(text):
        # "Molly Finn Name:", "Kathleen Bela Juniper Networks": the name may be the first words
        parts = match.group(1).split()
        for size in range(len(parts), 1, -1):
            name = " ".join(parts[:size])
            if parts[size - 1].endswith("."):
                continue
            candidates.append((match.start(), match.start() + len(name), name))
    for start, end, name in candidates:
        words = [w for w in name.split() if not re.fullmatch(r"[A-Z]\.", w)]
        if any(
            w.lower() in _TITLE_WORDS or w.lower() in lowercase or (w.isupper() and len(w) > 1)
            for w in words
        ):
            continue
        before, after = text[:start], text[end:]
        signed = re.search(r"(?:/s/|\bby:|\bname:|\bcontact:)\s*$", before, re.I)
        titled = re.match(
            r",?\s+(?:the\s+)?(?:our\s+)?(?:[\w&]+\s+){0,3}?(?:chief|president|chairman|"
            r"director|officer|controller|counsel|secretary|treasurer|ceo|cfo|founder)\b",
            after,
            re.I,
        )
        # a line that is just the name, or the name and the company ("Kathleen Bela Juniper
        # Networks, Inc. (408) ...")
        rest = after.strip()
        alone = not before.strip() and (not rest or rest.split()[0].lower().strip(",") in company)
        if signed or titled or alone:
            return name
    return None


_FILING_WORDS = frozenset(
    ["form", "10-q", "10-k", "8-k", "report", "release", "filing", "quarter", "ended", "year"]
)
