"""A transcript segment: one speaker's stretch of speech (or text) inside a conversation."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, model_validator

from .common import new_id

_SPEAKER_NUMBER = re.compile(r"(\d+)$")


class TranscriptSegment(BaseModel):
    id: str = Field(default_factory=new_id)
    text: str
    speaker: str = "SPEAKER_00"
    speaker_id: int = 0
    is_user: bool = False
    person_id: str | None = None
    start: float = Field(ge=0)
    end: float = Field(ge=0)

    @model_validator(mode="before")
    @classmethod
    def _speaker_fields_agree(cls, data: object) -> object:
        """Omi clients send either `speaker` ("SPEAKER_01") or `speaker_id` (1); fill the other."""
        if not isinstance(data, dict):
            return data
        speaker, speaker_id = data.get("speaker"), data.get("speaker_id")
        if speaker_id is None and isinstance(speaker, str):
            match = _SPEAKER_NUMBER.search(speaker)
            data = {**data, "speaker_id": int(match.group(1)) if match else 0}
        elif speaker is None and isinstance(speaker_id, int):
            data = {**data, "speaker": f"SPEAKER_{speaker_id:02d}"}
        return data

    @model_validator(mode="after")
    def _end_not_before_start(self) -> TranscriptSegment:
        if self.end < self.start:
            raise ValueError("segment end must not be before its start")
        return self
