"""The lexical indexes look only at the filings asked about, or the items carrying a wanted
word, and rank exactly as a scan of every item would."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import prepare
from retrieval.corpus import Corpus
from retrieval.search import RowIndex, SentenceIndex, tokens

PHRASES = [
    "total net revenues",
    "product",
    "cost of revenues product",
    "net sales",
    "diluted earnings per share",
    "inventory",
    "Total",
    "no such words anywhere",
    "zzqx flurble",
]


@pytest.fixture(scope="module")
def corpus(filings: Path) -> Corpus:
    names = ("juniper_8k_ex99-1_q4fy2007_earnings.txt", "buckle_8k_ex99-1_q3fy2024_earnings.html")
    return Corpus.prepared(*(prepare(filings / n, (filings / n).read_bytes()) for n in names))


@pytest.mark.parametrize("phrase", PHRASES)
def test_row_search_for_one_filing_equals_a_filtered_scan(corpus: Corpus, phrase: str) -> None:
    index = RowIndex(corpus.rows)
    for doc_id in corpus.documents:
        every = [
            (s.row.label, round(s.score, 9))
            for s in index.search(phrase, None, limit=10_000)
            if s.row.doc_id == doc_id
        ]
        own = [(s.row.label, round(s.score, 9)) for s in index.search(phrase, {doc_id}, 10_000)]
        assert own == every
    assert len(index.search("total net revenues", None, limit=3)) == 3


@pytest.mark.parametrize("phrase", PHRASES)
def test_sentence_scores_for_one_filing_equal_a_filtered_scan(corpus: Corpus, phrase: str) -> None:
    index = SentenceIndex(corpus.sentences)
    every = index.scores(phrase)
    for doc_id in corpus.documents:
        own = index.scores(phrase, {doc_id})
        assert own == {
            i: score for i, score in every.items() if corpus.sentences[i].doc_id == doc_id
        }
    assert index.scores("zzqx flurble") == {}


def test_a_bare_total_is_read_only_where_one_table_prints_it(corpus: Corpus) -> None:
    index = RowIndex(corpus.rows)
    juniper = next(d for d, r in corpus.documents.items() if "juniper" in r.document)
    bare = {(r.table, r.label) for r in corpus.rows if r.doc_id == juniper and r.label == "Total"}
    assert len({table for table, _ in bare}) > 1  # several tables print a "Total" row
    assert index.search("the total", {juniper}) == []


@pytest.mark.parametrize(
    "phrase",
    [
        "Selling, general and administrative",
        "selling general and administrative",  # the comma lost when a question is read
        "Selling, general, and administrative",
        "SG&A",
    ],
)
def test_selling_general_and_administrative_is_one_word_however_printed(phrase: str) -> None:
    assert tokens(phrase) == ["sga"]


def test_a_measure_named_by_a_column_is_the_total_row_of_its_one_table() -> None:
    text = (
        "Long-term borrowings are shown below.\n\n"
        "| (in millions) | Maturity amount | Carrying value | Fair value |\n|---|---|---|---|\n"
        "| 3.50% notes due 2014 | $1,000 | $1,000 | $1,029 |\n"
        "| 1.375% notes due 2015 | $750 | $749 | $753 |\n"
        "| Total long-term borrowings | $1,750 | $1,749 | $1,782 |\n"
    )
    corpus = Corpus.prepared(prepare(Path("notes.md"), text.encode()))
    index = RowIndex(corpus.rows)
    docs = set(corpus.documents)
    assert [s.row.label for s in index.search("fair value", docs)] == ["Total long-term borrowings"]
    assert [s.row.label for s in index.search("carrying value in millions", docs)] == [
        "Total long-term borrowings"
    ]
    assert index.search("fair value", None) == []  # the whole corpus: no one table


def test_words_after_net_of_name_what_a_line_deducts_not_the_line() -> None:
    """From ConvFinQA dev (Single_DRE/2007/page_59.pdf-1): "liabilities assumed" names the
    line "Other liabilities assumed", not "Purchase price net of assumed liabilities"; a
    phrase that says "net of" too names the net line."""
    text = (
        "The assets acquired and liabilities assumed were as follows (in thousands):\n\n"
        "| | 2007 |\n|---|---|\n"
        "| Total assets acquired | 867,558 |\n"
        "| Debt assumed | (148,527) |\n"
        "| Other liabilities assumed | (5,829) |\n"
        "| Purchase price net of assumed liabilities | 713,202 |\n"
    )
    corpus = Corpus.prepared(prepare(Path("acquired.md"), text.encode()))
    index = RowIndex(corpus.rows)
    docs = set(corpus.documents)
    found = [s.row.label for s in index.search("liabilities assumed", docs)]
    assert found == ["Other liabilities assumed", "Debt assumed"]
    net = [s.row.label for s in index.search("purchase price net of assumed liabilities", docs)]
    assert net[0] == "Purchase price net of assumed liabilities"
