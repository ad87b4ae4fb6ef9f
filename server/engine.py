"""The engine every way in uses, built from the settings in one place: the store's corpus,
its embeddings when dense search is on, the chat model when one is configured, and the
confidence threshold.  The HTTP API, the Slack bot and the command line all call
:func:`build_engine`; the evals call :meth:`retrieval.engine.Engine.from_store` with the same
parts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.store import Store
    from retrieval.engine import Engine

    from .settings import Settings


def build_engine(settings: Settings, store: Store, embedder: Any | None = None) -> Engine:
    """``embedder``: an already loaded embedding model to share (the server's uploads use
    it too); without one, dense search loads the configured model."""
    from retrieval.engine import Engine
    from retrieval.llm import LanguageModel

    from .llm import chat_model

    chat = chat_model(settings)
    if settings.dense_search and embedder is None:
        from ingest.embed import Embedder

        embedder = Embedder(settings.embedding_model)
    return Engine.from_store(
        store,
        embedder if settings.dense_search else None,
        LanguageModel(chat) if chat else None,
        settings.min_confidence,
    )
