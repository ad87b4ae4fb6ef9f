"""The LangChain parts for real: the retriever's documents, the calculator tool's schema and
results, and an agent loop in which LangChain's fake chat model calls the tool."""

from __future__ import annotations

from decimal import Decimal

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from retrieval.answer import Engine
from retrieval.tools import CalculatorInput, CrossfootRetriever, calculator_tool
from tests.retrieval.conftest import statement_fact_id

pytestmark = pytest.mark.slow


def test_retriever_returns_rows_and_sentences_with_citations(engine: Engine) -> None:
    retriever = CrossfootRetriever(engine=engine, rows=2, sentences=1)
    documents = retriever.invoke("Infrastructure product revenue")
    assert [d.metadata["kind"] for d in documents] == ["row", "row", "sentence"]
    top = documents[0]
    assert top.metadata["row"] == "Infrastructure"
    q4 = next(
        f for f in top.metadata["facts"] if f["column"].endswith("2007") and "Three" in f["column"]
    )
    assert (q4["as_printed"], q4["scale"], q4["document"]) == (
        "$ 500,359",
        "thousands",
        "juniper_8k_ex99-1_q4fy2007_earnings.txt",
    )
    assert "Q4 2007: $ 500,359 (500359000 USD)" in top.page_content


def test_calculator_tool_schema_and_result(engine: Engine) -> None:
    tool = calculator_tool(engine)
    assert tool.name == "crossfoot_calculator"
    assert tool.args_schema is CalculatorInput
    assert set(tool.args) == {"operation", "fact_ids", "constants", "as_percent"}
    rev07 = statement_fact_id(engine, "Total net revenues", "Q4 2007")
    gm07 = statement_fact_id(engine, "Gross margin", "Q4 2007")
    out = tool.invoke({"operation": "divide", "fact_ids": [gm07, rev07], "as_percent": True})
    assert Decimal(out["value"]).quantize(Decimal("0.01")) == Decimal("67.56")
    assert out["unit"] == "percent"
    assert out["program"] == "divide(546713000, 809182000)"
    assert [c["as_printed"] for c in out["citations"]] == ["546,713", "809,182"]
    refused = tool.invoke({"operation": "add", "fact_ids": [rev07, "nope"]})
    assert refused == {"error": "unknown fact ids: nope"}
    shares = statement_fact_id(
        engine, "Shares used in computing net income (loss) per share > Basic", "Q4 2007"
    )
    mixed = tool.invoke({"operation": "add", "fact_ids": [rev07, shares]})
    assert mixed == {"error": "cannot add USD and shares: the figures are in different units"}


def test_an_agent_loop_where_the_model_calls_the_tool(engine: Engine) -> None:
    tool = calculator_tool(engine)
    rev07 = statement_fact_id(engine, "Total net revenues", "Q4 2007")
    rev06 = statement_fact_id(engine, "Total net revenues", "Q4 2006")
    model = GenericFakeChatModel(
        messages=iter(
            [
                AIMessage(
                    content="",
                    tool_calls=[
                        {
                            "name": "crossfoot_calculator",
                            "args": {"operation": "subtract", "fact_ids": [rev07, rev06]},
                            "id": "call-1",
                        }
                    ],
                ),
                AIMessage(content="Revenue rose by the amount the calculator returned."),
            ]
        )
    )  # the fake model cannot bind tools; it replays the tool call a real model would make
    messages: list = [HumanMessage("How much did Q4 revenue grow from 2006 to 2007?")]
    results = []
    for _ in range(4):  # the loop: ask the model, run the tools it calls, until it answers
        reply = model.invoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            break
        for call in reply.tool_calls:
            result = tool.invoke(call)
            assert isinstance(result, ToolMessage)
            results.append(result)
            messages.append(result)
    assert [m.type for m in messages] == ["human", "ai", "tool", "ai"]
    assert results[0].tool_call_id == "call-1"
    assert '"value": "213352000"' in results[0].content
    assert '"program": "subtract(809182000, 595830000)"' in results[0].content
