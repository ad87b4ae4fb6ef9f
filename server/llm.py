"""Build the optional chat model from settings (``CROSSFOOT_LLM``); None when unset.

``CROSSFOOT_LLM`` is ``provider:model``: ``ollama:llama3.1`` (a local Ollama, at
``CROSSFOOT_LLM_BASE_URL`` if set) or ``openai:MODEL`` for any OpenAI-compatible endpoint
(``CROSSFOOT_LLM_BASE_URL``, ``CROSSFOOT_LLM_API_KEY``).  The integrations are the optional
``crossfoot[llm]`` extra; nothing here runs, imports or connects without the setting.
"""

from __future__ import annotations

from typing import Any

from ingest.errors import CrossfootError

from .settings import Settings


class LLMConfigError(CrossfootError):
    """CROSSFOOT_LLM names something crossfoot cannot build."""


def chat_model(settings: Settings) -> Any | None:
    if not settings.llm:
        return None
    provider, _, model = settings.llm.partition(":")
    if not model:
        raise LLMConfigError(
            f"CROSSFOOT_LLM={settings.llm!r} should be provider:model, e.g. ollama:llama3.1 or "
            "openai:gpt-4o-mini"
        )
    try:
        if provider == "ollama":
            from langchain_ollama import ChatOllama

            kwargs: dict[str, Any] = {"model": model, "temperature": 0}
            if settings.llm_base_url:
                kwargs["base_url"] = settings.llm_base_url
            return ChatOllama(**kwargs)
        if provider == "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(
                model=model,
                temperature=0,
                base_url=settings.llm_base_url,
                api_key=settings.llm_api_key or "not-needed",
            )
    except ImportError as error:
        raise LLMConfigError(
            f"CROSSFOOT_LLM={settings.llm!r} needs the optional integrations: "
            "pip install 'crossfoot[llm]'"
        ) from error
    raise LLMConfigError(
        f"CROSSFOOT_LLM provider {provider!r} is not supported; use ollama:MODEL or openai:MODEL"
    )
