"""Where adapters are chosen: one function builds the services from Settings for the server and the worker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import httpx

from .config import Settings
from .models.common import utcnow
from .providers.embeddings.local import LocalEmbedder
from .providers.embeddings.openai import OpenAIEmbedder
from .providers.embeddings.port import Embedder
from .providers.llm.chat_models import AnthropicModel, OpenAICompatibleModel
from .providers.llm.llm_extractor import LLMExtractor
from .providers.llm.offline.extractor import OfflineExtractor
from .providers.llm.port import Extractor
from .providers.stt.deepgram import DeepgramSpeechToText
from .providers.stt.local import LocalSpeechToText
from .providers.stt.openai_transcribe import OpenAITranscription
from .providers.stt.port import SpeechToText
from .services.chunking import WindowSettings
from .services.container import Services
from .services.lifecycle import LifecycleSettings
from .services.processing import ProcessingSettings
from .storage.database import Database
from .storage.unit_of_work import Storage
from .storage.vectors.lance import LanceVectorIndex
from .storage.vectors.pgvector import PgVectorIndex
from .storage.vectors.port import VectorIndex


def extractor_for(settings: Settings) -> Extractor:
    if settings.extractor == "offline":
        return OfflineExtractor()
    return LLMExtractor(chat_model_for(settings))


def chat_model_for(settings: Settings) -> OpenAICompatibleModel | AnthropicModel:
    client = httpx.AsyncClient(limits=httpx.Limits(max_connections=32))
    kind = AnthropicModel if settings.llm_provider == "anthropic" else OpenAICompatibleModel
    return kind(client, settings.llm_base_url, settings.llm_api_key, settings.llm_model,
                settings.llm_timeout_seconds, settings.llm_retries)


def processing_settings(settings: Settings) -> ProcessingSettings:
    return ProcessingSettings(
        discard_below_words=settings.discard_below_words,
        lease_seconds=settings.job_lease_seconds,
        max_attempts=settings.job_max_attempts,
        retry_base_seconds=settings.job_retry_base_seconds,
    )


def lifecycle_settings(settings: Settings) -> LifecycleSettings:
    return LifecycleSettings(
        timeout_floor_seconds=settings.conversation_timeout_floor_seconds,
        default_timeouts=settings.conversation_timeouts,
    )


def speech_to_text(settings: Settings) -> dict[str, SpeechToText]:
    """Every recognizer this server can offer, by name; sockets may pick one with `stt_service`."""
    engines: dict[str, SpeechToText] = {"local": LocalSpeechToText()}
    if settings.deepgram_api_key:
        engines["deepgram"] = DeepgramSpeechToText(settings.deepgram_api_key, settings.deepgram_url,
                                                   settings.deepgram_model)
    if settings.transcription_base_url:
        engines["openai"] = OpenAITranscription(httpx.AsyncClient(), settings.transcription_base_url,
                                                settings.transcription_api_key, settings.transcription_model)
    return engines


def embedder_for(settings: Settings) -> Embedder:
    if settings.embedder == "local":
        return LocalEmbedder()
    return OpenAIEmbedder(httpx.AsyncClient(), settings.embedding_base_url, settings.embedding_api_key,
                          settings.embedding_model, settings.embedding_dimensions)


async def open_vector_index(settings: Settings, database: Database, dimensions: int) -> VectorIndex:
    index: VectorIndex
    if settings.resolved_vector_index == "pgvector":
        if database.dialect != "postgresql":
            raise RuntimeError("MNEMO_VECTOR_INDEX=pgvector needs a PostgreSQL MNEMO_DATABASE_URL")
        index = PgVectorIndex(database)
    else:
        index = LanceVectorIndex(settings.data_dir / "lancedb", settings.ann_threshold)
    await index.open(dimensions)
    return index


async def build_services(
    settings: Settings,
    database: Database,
    extractor: Extractor | None = None,
    stt: dict[str, SpeechToText] | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> Services:
    """`extractor` and `stt` override what the settings name (tests and benchmarks hand in their own);
    `clock` is what search and chat take to be now (tests place conversations against a fixed one)."""
    engines = stt or speech_to_text(settings)
    default = settings.stt if settings.stt in engines else next(iter(engines))
    embedder = embedder_for(settings)
    index = await open_vector_index(settings, database, embedder.dimensions)
    return Services.over(
        Storage(database), extractor or extractor_for(settings), embedder, index,
        chat_model=chat_model_for(settings) if settings.extractor == "llm" else None,
        chat_max_steps=settings.chat_max_steps,
        windows=WindowSettings(settings.window_segments, settings.window_stride),
        processing=processing_settings(settings), lifecycle=lifecycle_settings(settings),
        stt=engines, default_stt=default, clock=clock,
    )
