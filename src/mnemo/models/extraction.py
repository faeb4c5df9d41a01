"""What an extractor reads (a transcript with its context) and what it returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from .categories import ConversationCategory, MemoryCategory
from .segment import TranscriptSegment
from .structured import Event

MAX_MEMORIES = 4
MAX_TITLE_WORDS = 10


class ExtractionContext(BaseModel):
    user_name: str
    time_zone: str
    started_at: datetime
    now: datetime
    existing_memories: list[str] = Field(default_factory=list)
    allow_discard: bool = True


class ExtractedActionItem(BaseModel):
    description: str = Field(min_length=1)
    due_at: datetime | None = None


class ExtractedMemory(BaseModel):
    content: str = Field(min_length=1)
    category: MemoryCategory = MemoryCategory.other


class Extraction(BaseModel):
    discarded: bool = False
    title: str = ""
    overview: str = ""
    emoji: str = "🧠"
    category: ConversationCategory = ConversationCategory.other
    action_items: list[ExtractedActionItem] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    memories: list[ExtractedMemory] = Field(default_factory=list, max_length=MAX_MEMORIES)


def transcript_text(segments: list[TranscriptSegment], people: dict[str, str] | None = None) -> str:
    """One line per segment: `User:` for the wearer, a known person's name, else `Speaker N:`."""
    people = people or {}
    lines = []
    for segment in segments:
        if segment.is_user:
            who = "User"
        elif segment.person_id and segment.person_id in people:
            who = people[segment.person_id]
        else:
            who = f"Speaker {segment.speaker_id}"
        lines.append(f"{who}: {segment.text.strip()}")
    return "\n".join(lines)
