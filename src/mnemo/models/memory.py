"""A memory: one long-term fact about the wearer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from .categories import MemoryCategory
from .common import new_id, utcnow


class MemoryVisibility(StrEnum):
    private = "private"
    public = "public"


class Memory(BaseModel):
    id: str = Field(default_factory=new_id)
    uid: str
    content: str
    category: MemoryCategory = MemoryCategory.other
    visibility: MemoryVisibility = MemoryVisibility.private
    tags: list[str] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    conversation_id: str | None = None
    reviewed: bool = False
    user_review: bool | None = None
    manually_added: bool = False
    edited: bool = False
    superseded_by: str | None = None
