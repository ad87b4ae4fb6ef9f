"""A page of a combined filing is headed by the registrant it reports on ("entergy texas, inc.
management's financial discussion and analysis ..."): the ingester reads that name as the
document's company, so a question that names the company ("the net revenue for entergy
texas, inc. in 2007") asks about the page's own lines (a ConvFinQA dev page copied unchanged
into ``tests/data``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from evals import convfinqa
from ingest.metadata import detect
from ingest.models import LoadedDocument
from ingest.pipeline import prepare

from .test_followup import RECORDS, _conversation

PAGE = "Single_ETR/2008/page_377.pdf-1"


def test_the_heading_names_the_registrant() -> None:
    prepared = prepare(Path("page.md"), convfinqa.markdown(RECORDS[PAGE]).encode())
    assert prepared.record.company == "entergy texas, inc."


def test_a_discussion_heading_without_a_legal_name_names_no_company() -> None:
    text = "the company's management's financial discussion and analysis of results follows."
    meta = detect(LoadedDocument(text=text, blocks=[], format="text"))
    assert meta.company is None


def test_the_company_the_question_names_is_the_pages() -> None:
    answers, _ = _conversation(PAGE)
    first, second, change = answers[:3]
    assert first.value is not None and first.value.number == Decimal("442300000")
    assert first.answer == "2007 net revenue was $442.3 million in FY2007."
    assert second.value is not None and second.value.number == Decimal("403300000")
    assert change.program == "subtract(442300000, 403300000)"
