"""Liveness, and which adapters this server runs with."""

from __future__ import annotations

from fastapi import APIRouter

from mnemo import __version__

from .deps import ServicesDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(services: ServicesDep) -> dict[str, object]:
    return {
        "status": "ok",
        "version": __version__,
        "adapters": {
            "database": services.storage.database.dialect,
            "extractor": services.processing.extractor_name,
            "speech_to_text": sorted(services.stt),
            "default_speech_to_text": services.default_stt,
            "embedder": services.search.embedder_name,
            "vector_index": services.indexer.index.name,
            "chat": "agent" if services.chat.uses_agent else "extractive",
        },
    }
