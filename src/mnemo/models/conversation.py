"""A conversation: what the wearer heard between two silences, and what was made of it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, model_validator

from .categories import ConversationSource, MemoryCategory
from .common import new_id, utcnow
from .segment import SegmentIn, TranscriptSegment
from .structured import Event, Structured


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


class NewActionItemText(BaseModel):
    description: str = Field(min_length=1, max_length=2000)
    due_at: datetime | None = None


class CustomStructured(BaseModel):
    """A summary made elsewhere (an agent, an integration), stored instead of extracting one."""

    title: str = Field(default="", max_length=500)
    overview: str = Field(default="", max_length=20_000)
    emoji: str = Field(default="🧠", max_length=16)
    category: str = "other"
    action_items: list[NewActionItemText] = Field(default_factory=list, max_length=100)
    events: list[Event] = Field(default_factory=list, max_length=100)


class NewMemoryText(BaseModel):
    content: str = Field(min_length=1, max_length=5000)
    category: MemoryCategory = MemoryCategory.other


MAX_SEGMENTS = 10_000
MAX_SEGMENT_CHARS = 10_000


class NewConversation(BaseModel):
    """Omi's CreateConversation: a finished conversation sent as segments, processed on arrival."""

    started_at: datetime
    finished_at: datetime
    transcript_segments: list[SegmentIn] = Field(max_length=MAX_SEGMENTS)
    source: ConversationSource = ConversationSource.omi
    language: str | None = Field(default=None, max_length=20)
    geolocation: Geolocation | None = None
    custom_structured: CustomStructured | None = None
    custom_memories: list[NewMemoryText] = Field(default_factory=list, max_length=100)
    skip_processing: bool = False

    @model_validator(mode="after")
    def _sane(self) -> NewConversation:
        if self.finished_at < self.started_at:
            raise ValueError("finished_at must not be before started_at")
        if not any(segment.text.strip() for segment in self.transcript_segments):
            raise ValueError("transcript_segments must hold at least one segment with text")
        if any(len(segment.text) > MAX_SEGMENT_CHARS for segment in self.transcript_segments):
            raise ValueError(f"a segment's text may have at most {MAX_SEGMENT_CHARS} characters")
        return self
