"""A transcript segment: one speaker's stretch of speech (or text) inside a conversation."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, model_validator

from .common import new_id

_SPEAKER_NUMBER = re.compile(r"(\d+)$")


class TranscriptSegment(BaseModel):
    """A stored segment. It carries no Python validators, so pages of them load fast; segments
    from outside (clients, speech recognition) come in as `SegmentIn`, which checks them."""

    id: str = Field(default_factory=new_id)
    text: str
    speaker: str = "SPEAKER_00"
    speaker_id: int = 0
    is_user: bool = False
    person_id: str | None = None
    start: float = Field(ge=0)
    end: float = Field(ge=0)


class SegmentIn(TranscriptSegment):
    """A segment as a client sends it: speaker fields reconciled, times in order."""

    speaker: str | None = None  # type: ignore[assignment]
    speaker_id: int | None = None  # type: ignore[assignment]

    @model_validator(mode="after")
    def _consistent(self) -> SegmentIn:
        if self.end < self.start:
            raise ValueError("segment end must not be before its start")
        # Omi clients send either `speaker` ("SPEAKER_01") or `speaker_id` (1); fill the other.
        if self.speaker_id is None:
            match = _SPEAKER_NUMBER.search(self.speaker or "")
            self.speaker_id = int(match.group(1)) if match else 0
        if self.speaker is None:
            self.speaker = f"SPEAKER_{self.speaker_id:02d}"
        return self

    def to_segment(self) -> TranscriptSegment:
        return TranscriptSegment.model_validate(self.model_dump())
