"""Settings, read from the environment (prefix MNEMO_) and a `.env` file in the working folder."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MNEMO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="where the database, token and files live")
    database_url: str | None = Field(
        default=None,
        description="sqlite:///path or postgresql://user:pass@host/db; defaults to SQLite in data_dir",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    max_body_bytes: int = Field(default=25 * 1024 * 1024, ge=1024, description="larger requests get 413")
    log_level: str = "info"

    extractor: Literal["offline", "llm"] = Field(default="offline", description="who extracts summaries and facts")
    llm_provider: Literal["openai", "anthropic"] = Field(
        default="openai", description="`openai` covers every OpenAI-compatible server (Ollama, vLLM, llama.cpp)"
    )
    llm_base_url: str = Field(default="https://api.openai.com/v1", description="for anthropic: https://api.anthropic.com")
    llm_api_key: str = ""
    llm_model: str = "gpt-4o-mini"
    llm_timeout_seconds: float = Field(default=60.0, gt=0)
    llm_retries: int = Field(default=3, ge=0, description="retries of one call on timeouts, 429s and 5xx")
    discard_below_words: int = Field(default=8, ge=0, description="shorter conversations are discarded unread")
    job_lease_seconds: float = Field(default=120.0, gt=0)
    job_max_attempts: int = Field(default=5, ge=1)
    job_retry_base_seconds: float = Field(default=2.0, ge=0)
    worker_in_server: bool | None = Field(
        default=None, description="run the processing worker inside `mnemo serve` (default: on the embedded profile)"
    )
    worker_poll_seconds: float = Field(default=1.0, gt=0)

    conversation_timeout_floor_seconds: int = Field(default=120, ge=1, description="shortest silence timeout")
    conversation_timeouts: dict[str, int] = Field(
        default_factory=lambda: {"omi": 120, "friend": 120, "phone": 120, "desktop": 300, "external_integration": 300},
        description="default silence timeout per source, in seconds (JSON in MNEMO_CONVERSATION_TIMEOUTS)",
    )
    stt: Literal["local", "deepgram", "openai"] = Field(default="local", description="speech to text")
    deepgram_api_key: str = ""
    deepgram_url: str = "wss://api.deepgram.com/v1/listen"
    deepgram_model: str = "nova-2"
    transcription_base_url: str = Field(default="", description="an OpenAI-compatible server for `openai` STT")
    transcription_api_key: str = ""
    transcription_model: str = "whisper-1"

    embedder: Literal["local", "openai"] = Field(default="local", description="who embeds text for search")
    embedding_base_url: str = Field(default="https://api.openai.com/v1", description="for the `openai` embedder")
    embedding_api_key: str = ""
    embedding_model: str = "text-embedding-3-small"
    embedding_dimensions: int = Field(default=384, ge=8, le=4096,
                                      description="vector size; the pgvector table is built for 384")
    vector_index: Literal["auto", "lancedb", "pgvector"] = Field(
        default="auto", description="auto: LanceDB with SQLite, pgvector with PostgreSQL")
    ann_threshold: int = Field(default=20_000, ge=0, description="LanceDB builds its HNSW index from this many chunks")
    window_segments: int = Field(default=6, ge=1, description="transcript segments per indexed window")
    window_stride: int = Field(default=3, ge=1, description="segments between the starts of two windows")
    chat_max_steps: int = Field(default=4, ge=1, le=10, description="tool-calling rounds of the chat agent")

    @property
    def resolved_vector_index(self) -> str:
        if self.vector_index != "auto":
            return self.vector_index
        return "pgvector" if self.profile == "server" else "lancedb"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'mnemo.db').resolve()}"

    @property
    def token_file(self) -> Path:
        return self.data_dir / "token"

    @property
    def profile(self) -> str:
        return "server" if self.resolved_database_url.startswith("postgres") else "embedded"

    @property
    def runs_worker_in_server(self) -> bool:
        return self.profile == "embedded" if self.worker_in_server is None else self.worker_in_server
