"""A person the wearer talks to, whose segments can be named in transcripts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from .common import new_id, utcnow


class Person(BaseModel):
    id: str = Field(default_factory=new_id)
    name: str
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
