"""The optional language model, played by LangChain's own fake chat models: it words answers
and proposes figures; a wrong number it writes is caught, and unset it is never built."""

from __future__ import annotations

from decimal import Decimal

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

import prompts
from ingest.errors import CrossfootError
from retrieval.answer import Engine, Filters
from retrieval.llm import LanguageModel, numbers_in, proposed_answer
from server.llm import chat_model
from server.settings import Settings
from tests.retrieval.conftest import statement_fact_id

JUNIPER = "juniper_8k_ex99-1_q4fy2007_earnings.txt"
GROWTH = "By what percentage did total net revenues grow in Q4 2007 compared with Q4 2006?"


def with_model(engine: Engine, *replies: str) -> Engine:
    return Engine(engine.corpus, LanguageModel(FakeListChatModel(responses=list(replies))))


@pytest.mark.slow
def test_a_reply_whose_numbers_all_check_out_is_used(engine: Engine) -> None:
    reply = (
        "Juniper's total net revenues rose 35.8% year over year, to $809.2 million from "
        "$595.8 million."
    )
    result = with_model(engine, reply).answer(GROWTH, Filters(doc=JUNIPER))
    assert result.answer == reply
    assert result.value is not None and result.value.display == "35.8%"
    assert result.program == "divide(subtract(809182000, 595830000), 595830000)"


@pytest.mark.slow
@pytest.mark.parametrize(
    "reply",
    [
        "Total net revenues grew 38.5% year over year.",  # a wrong percentage
        "Revenue rose to $810 million.",  # the model rounded on its own
        "Revenue grew 35.8%, an increase of $213.4 million.",  # arithmetic of its own
    ],
)
def test_a_wrong_number_is_caught_and_the_template_stays(engine: Engine, reply: str) -> None:
    plain = engine.answer(GROWTH, Filters(doc=JUNIPER))
    worded = with_model(engine, reply).answer(GROWTH, Filters(doc=JUNIPER))
    assert worded.answer == plain.answer
    assert worded.answer.startswith("Total net revenues grew 35.8%, from $595.8 million")


@pytest.mark.slow
def test_a_refusal_is_not_reworded(engine: Engine) -> None:
    result = with_model(engine, "Revenue was $1 billion.").answer(
        "What were total net revenues for Q1 2008?", Filters(doc=JUNIPER)
    )
    assert result.status == "not_found"
    assert "$1 billion" not in result.answer


@pytest.mark.slow
def test_the_model_may_propose_figures_and_the_calculator_computes(engine: Engine) -> None:
    product = statement_fact_id(engine, "Net revenues > Product", "Q4 2007")
    service = statement_fact_id(engine, "Net revenues > Service", "Q4 2007")
    listing = [(product, "Product Q4 2007"), (service, "Service Q4 2007")]
    question = "What did the two revenue lines come to in Q4 2007?"
    reply = f'{{"operation": "add", "fact_ids": ["{product}", "{service}"]}}'
    model = LanguageModel(FakeListChatModel(responses=[reply]))
    proposal = model.propose(question, listing)
    assert proposal is not None
    assert (proposal.operation, proposal.fact_ids) == ("add", (product, service))

    from retrieval.understand import understand

    helped = Engine(engine.corpus, LanguageModel(FakeListChatModel(responses=[reply])))
    doc_ids = set(engine.corpus.documents)
    from dataclasses import replace

    intent = replace(understand(question), metrics=("product revenue", "service revenue"))
    result = proposed_answer(helped.llm, helped.picker, intent, doc_ids)
    assert result is not None
    assert result.program == "add(668746000, 140436000)"
    assert result.value is not None and result.value.number == Decimal("809182000")
    assert [c.as_printed for c in result.citations] == ["$ 668,746", "140,436"]

    made_up = '{"operation": "add", "fact_ids": ["made-up"]}'
    assert LanguageModel(FakeListChatModel(responses=[made_up])).propose(question, listing) is None
    prose = LanguageModel(FakeListChatModel(responses=["The answer is 809,182."]))
    assert prose.propose(question, listing) is None


def test_numbers_in_text() -> None:
    assert numbers_in("grew 35.8%, from $595.8 million to $809,182 (thousands) in Q4 2007") == {
        Decimal("35.8"),
        Decimal("595.8"),
        Decimal("809182"),
        Decimal("2007"),
    }  # "Q4" is a name, not a number


def test_every_prompt_field_is_supplied() -> None:
    assert prompts.names() == ["understand", "word_answer"]
    assert prompts.fields("word_answer") == {"question", "answer", "figures"}
    assert prompts.fields("understand") == {"question", "candidates"}
    for name, values in {
        "word_answer": {"question": "q", "answer": "a", "figures": "f"},
        "understand": {"question": "q", "candidates": "c"},
    }.items():
        assert "{" not in prompts.load(name).format(**values).replace("{{", "").replace('{"', "")


def test_without_configuration_no_model_is_built() -> None:
    assert chat_model(Settings(llm=None)) is None
    with pytest.raises(CrossfootError, match="should be provider:model"):
        chat_model(Settings(llm="llama3"))
    with pytest.raises(CrossfootError, match=r"provider 'bogus' is not supported"):
        chat_model(Settings(llm="bogus:model"))
    with pytest.raises(CrossfootError, match=r"pip install 'crossfoot\[llm\]'"):
        chat_model(Settings(llm="openai:gpt-4o-mini"))
