"""Where adapters are chosen: one function builds the services from Settings for the server and the worker."""

from __future__ import annotations

import httpx

from .config import Settings
from .providers.llm.chat_models import AnthropicModel, JsonChatModel, OpenAICompatibleModel
from .providers.llm.llm_extractor import LLMExtractor
from .providers.llm.offline.extractor import OfflineExtractor
from .providers.llm.port import Extractor
from .providers.stt.deepgram import DeepgramSpeechToText
from .providers.stt.local import LocalSpeechToText
from .providers.stt.openai_transcribe import OpenAITranscription
from .providers.stt.port import SpeechToText
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


def build_services(
    settings: Settings,
    database: Database,
    extractor: Extractor | None = None,
    stt: dict[str, SpeechToText] | None = None,
) -> Services:
    """`extractor` and `stt` override what the settings name (tests and benchmarks hand in their own)."""
    engines = stt or speech_to_text(settings)
    default = settings.stt if settings.stt in engines else next(iter(engines))
    return Services.over(Storage(database), extractor or extractor_for(settings), processing_settings(settings),
                         lifecycle_settings(settings), engines, default)
