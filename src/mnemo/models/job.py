"""A unit of background work, claimed by one worker at a time through a lease in the database."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from .common import new_id, utcnow


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class JobKind(StrEnum):
    process_conversation = "process_conversation"


class Job(BaseModel):
    id: str = Field(default_factory=new_id)
    kind: JobKind = JobKind.process_conversation
    uid: str
    conversation_id: str
    status: JobStatus = JobStatus.queued
    attempts: int = 0
    max_attempts: int = 5
    run_after: datetime = Field(default_factory=utcnow)
    lease_until: datetime | None = None
    worker: str | None = None
    last_error: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
