"""The extraction port: turn a transcript into a summary, action items, events and memories."""

from __future__ import annotations

from typing import Protocol

from mnemo.models.extraction import Extraction, ExtractionContext
from mnemo.models.segment import TranscriptSegment


class ExtractionFailed(Exception):
    """The model gave no usable extraction (after its retries); the job may be tried again later."""


class Extractor(Protocol):
    name: str

    async def extract(self, segments: list[TranscriptSegment], context: ExtractionContext) -> Extraction: ...
