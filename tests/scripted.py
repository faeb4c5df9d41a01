"""Extractors with scripted behaviour, for tests that need to count calls or make them fail."""

from __future__ import annotations

import asyncio

from mnemo.models.extraction import Extraction, ExtractionContext
from mnemo.models.segment import TranscriptSegment
from mnemo.providers.llm.offline.extractor import OfflineExtractor
from mnemo.providers.llm.port import ExtractionFailed


class CountingExtractor:
    """The offline extractor, counting how often it is asked."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0
        self._inner = OfflineExtractor()

    async def extract(self, segments: list[TranscriptSegment], context: ExtractionContext) -> Extraction:
        self.calls += 1
        return await self._inner.extract(segments, context)


class FlakyExtractor(CountingExtractor):
    """Fails the first `failures` calls, then works."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    async def extract(self, segments: list[TranscriptSegment], context: ExtractionContext) -> Extraction:
        if self.calls < self.failures:
            self.calls += 1
            raise ExtractionFailed("the model answered garbage")
        return await super().extract(segments, context)


class GatedExtractor(CountingExtractor):
    """Waits for `gate` before answering, so a test can act while a job is mid-flight."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.entered = asyncio.Event()

    async def extract(self, segments: list[TranscriptSegment], context: ExtractionContext) -> Extraction:
        self.entered.set()
        await self.gate.wait()
        return await super().extract(segments, context)
