"""What processing extracts from a conversation: summary fields, action items and events."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from .categories import ConversationCategory
from .common import as_utc, new_id, utcnow


class ActionItem(BaseModel):
    id: str = Field(default_factory=new_id)
    description: str
    completed: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    due_at: datetime | None = None
    completed_at: datetime | None = None
    conversation_id: str | None = None


class Event(BaseModel):
    title: str
    description: str = ""
    start: Annotated[datetime, AfterValidator(as_utc)]
    duration: int = Field(default=30, ge=0, description="minutes")
    created: bool = False


class Structured(BaseModel):
    title: str = ""
    overview: str = ""
    emoji: str = "🧠"
    category: ConversationCategory = ConversationCategory.other
    action_items: list[ActionItem] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
