"""A chat message between the wearer and the assistant."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from .common import new_id, utcnow


class MessageSender(StrEnum):
    ai = "ai"
    human = "human"


class Message(BaseModel):
    id: str = Field(default_factory=new_id)
    text: str
    created_at: datetime = Field(default_factory=utcnow)
    sender: MessageSender
    app_id: str | None = None
    type: str = "text"
    memories_id: list[str] = Field(default_factory=list, description="ids of the conversations cited")
