"""Where adapters are chosen: one function builds the services from Settings for the server and the worker."""

from __future__ import annotations

import httpx

from .config import Settings
from .providers.llm.chat_models import AnthropicModel, JsonChatModel, OpenAICompatibleModel
from .providers.llm.llm_extractor import LLMExtractor
from .providers.llm.offline.extractor import OfflineExtractor
from .providers.llm.port import Extractor
from .services.container import Services
from .services.lifecycle import LifecycleSettings
from .services.processing import ProcessingSettings
from .storage.database import Database
from .storage.unit_of_work import Storage


def extractor_for(settings: Settings) -> Extractor:
    if settings.extractor == "offline":
        return OfflineExtractor()
    return LLMExtractor(chat_model_for(settings))


def chat_model_for(settings: Settings) -> JsonChatModel:
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


def build_services(settings: Settings, database: Database, extractor: Extractor | None = None) -> Services:
    """`extractor` overrides the one the settings name (tests hand in a scripted model)."""
    chosen = extractor or extractor_for(settings)
    return Services.over(Storage(database), chosen, processing_settings(settings), lifecycle_settings(settings))
