"""What a caller may ask for when listing: plain values, read by repositories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .conversation import ConversationStatus


@dataclass(frozen=True)
class ConversationFilter:
    statuses: tuple[ConversationStatus, ...] = (ConversationStatus.processing, ConversationStatus.completed)
    include_discarded: bool = True
    start_date: datetime | None = None
    end_date: datetime | None = None


@dataclass(frozen=True)
class ActionItemFilter:
    completed: bool | None = None
    conversation_id: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
