"""A conversation: what the wearer heard between two silences, and what was made of it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from .categories import ConversationSource
from .common import new_id, utcnow
from .segment import TranscriptSegment
from .structured import Structured


class ConversationStatus(StrEnum):
    in_progress = "in_progress"
    processing = "processing"
    completed = "completed"
    failed = "failed"


class Visibility(StrEnum):
    private = "private"
    shared = "shared"
    public = "public"


class Geolocation(BaseModel):
    google_place_id: str | None = None
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    address: str | None = None
    location_type: str | None = None


class ConversationPhoto(BaseModel):
    id: str = Field(default_factory=new_id)
    base64: str
    description: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class PostProcessing(BaseModel):
    status: str = "not_started"
    model: str | None = None
    fail_reason: str | None = None


class Conversation(BaseModel):
    id: str = Field(default_factory=new_id)
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    source: ConversationSource = ConversationSource.omi
    language: str | None = None
    status: ConversationStatus = ConversationStatus.in_progress
    structured: Structured = Field(default_factory=Structured)
    transcript_segments: list[TranscriptSegment] = Field(default_factory=list)
    geolocation: Geolocation | None = None
    photos: list[ConversationPhoto] = Field(default_factory=list)
    apps_results: list[dict[str, Any]] = Field(default_factory=list)
    external_data: dict[str, Any] | None = None
    discarded: bool = False
    visibility: Visibility = Visibility.private
    postprocessing: PostProcessing | None = None
    processing_error: str | None = Field(default=None, description="why processing failed, when it did")
