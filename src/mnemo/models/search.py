"""What search indexes and finds: chunks of a user's data, and the time span a question names."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class ChunkKind(StrEnum):
    memory = "memory"
    summary = "summary"
    transcript = "transcript"


class Chunk(BaseModel):
    """One indexed piece of text. A transcript window covers segments `first_segment..last_segment`
    (their positions in the conversation, in time order)."""

    id: str
    uid: str
    kind: ChunkKind
    text: str
    at: datetime
    conversation_id: str | None = None
    memory_id: str | None = None
    first_segment: int = -1
    last_segment: int = -1


class ScoredChunk(BaseModel):
    chunk: Chunk
    score: float


class TimeSpan(BaseModel):
    """A half-open span [start, end) in UTC, with the words it came from."""

    start: datetime
    end: datetime
    phrase: str = ""


class SearchMode(StrEnum):
    hybrid = "hybrid"
    vector = "vector"
    keyword = "keyword"


class TimeFilterReport(BaseModel):
    """How the time words of a query were used; `applied` is false when nothing matched inside the
    span and the search was run again over all time."""

    phrase: str
    start: datetime
    end: datetime
    applied: bool


class Evidence(BaseModel):
    """A retrieved chunk as a client sees it."""

    kind: ChunkKind
    text: str
    conversation_id: str | None = None
    memory_id: str | None = None
    first_segment: int = -1
    last_segment: int = -1
    score: float = Field(description="fused rank score; higher is better")
