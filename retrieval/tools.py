"""crossfoot as LangChain parts: a retriever over figures and passages, and the calculator as
a tool.  People who build their own chains and agents use these; crossfoot's optional
language-model path is built from them too.

* :class:`CrossfootRetriever` (a ``BaseRetriever``) returns ``Document``\\ s: one per matching
  table row (its figures and their citations in ``metadata["facts"]``) and one per matching
  sentence, each carrying the citation fields of FORMATS.md.
* :func:`calculator_tool` is a ``StructuredTool`` with a typed schema: an operation and the ids
  of cited facts in, the value with its unit, the program and the citations out.  A model
  choosing the operands never supplies a number itself.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.tools import StructuredTool
from pydantic import BaseModel, ConfigDict, Field

from .answer import Engine, cite
from .calculator import OPERATIONS, Quantity, Step, plain, render, run, to_percent
from .errors import CalculationError


class CrossfootRetriever(BaseRetriever):
    """Figures (table rows) and passages (sentences) for a query, with citations."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    engine: Engine
    rows: int = 4
    sentences: int = 3
    doc_ids: list[str] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        allowed_docs = set(self.doc_ids) if self.doc_ids else None
        out: list[Document] = []
        for scored in self.engine.picker.rows.search(query, allowed_docs, limit=self.rows):
            row = scored.row
            lines = [
                f"{f.period.label if f.period else f.column}: {f.as_printed} ({plain(f.value)} "
                f"{f.unit}) [fact {f.fact_id}]"
                for f in row.facts
            ]
            out.append(
                Document(
                    page_content=f"{row.label} | {row.table or ''}\n" + "\n".join(lines),
                    metadata={
                        "kind": "row",
                        "doc_id": row.doc_id,
                        "document": row.document,
                        "table": row.table,
                        "row": row.label,
                        "score": round(scored.score, 4),
                        "facts": [{"fact_id": f.fact_id, **cite(f).to_json()} for f in row.facts],
                    },
                )
            )
        for sentence, score in self.engine.picker.sentences.search(
            query, allowed_docs, self.sentences
        ):
            out.append(
                Document(
                    page_content=sentence.text,
                    metadata={
                        "kind": "sentence",
                        "doc_id": sentence.doc_id,
                        "document": sentence.document,
                        "section": " > ".join(sentence.section),
                        "page": sentence.page,
                        "char_start": sentence.char_start,
                        "char_end": sentence.char_end,
                        "score": round(score, 4),
                    },
                )
            )
        return out


Operation = Literal[
    "add",
    "subtract",
    "multiply",
    "divide",
    "exp",
    "greater",
    "table_sum",
    "table_average",
    "table_max",
    "table_min",
]


class CalculatorInput(BaseModel):
    """One FinQA operation over cited facts (by id) and optional plain constants."""

    operation: Operation = Field(description="the operation to run")
    fact_ids: list[str] = Field(
        description="ids of the facts to operate on, in order (from the retriever's documents)"
    )
    constants: list[str] = Field(
        default_factory=list,
        description="plain numbers appended after the facts (e.g. '100'); never a figure",
    )
    as_percent: bool = Field(default=False, description="show a ratio in percent points")


def calculator_tool(engine: Engine) -> StructuredTool:
    facts = {f.fact_id: f for row in engine.corpus.rows for f in row.facts}

    def calculate(
        operation: str,
        fact_ids: list[str],
        constants: list[str] | None = None,
        as_percent: bool = False,
    ) -> dict[str, Any]:
        missing = [i for i in fact_ids if i not in facts]
        if missing:
            return {"error": f"unknown fact ids: {', '.join(missing)}"}
        chosen = [facts[i] for i in fact_ids]
        operands: list[Quantity] = [Quantity(f.value, f.unit, (f.fact_id,)) for f in chosen]
        try:
            operands += [Quantity.constant(c) for c in constants or []]
            program = Step(operation, tuple(operands))
            result = run(program)
            if as_percent and result.unit == "ratio":
                result = to_percent(result)
        except (CalculationError, ArithmeticError, ValueError) as error:
            return {"error": str(error)}
        return {
            "value": plain(result.value),
            "unit": result.unit,
            "program": render(program),
            "citations": [cite(f).to_json() for f in chosen],
        }

    return StructuredTool.from_function(
        func=calculate,
        name="crossfoot_calculator",
        description=(
            "Exact arithmetic over figures cited from company filings. Give the operation "
            f"({', '.join(OPERATIONS)}) and the fact ids to use; returns the value, its unit, "
            "the program and a citation for every operand."
        ),
        args_schema=CalculatorInput,
    )
