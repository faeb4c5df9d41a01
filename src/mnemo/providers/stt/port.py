"""The speech-to-text port: a stream that takes 16 kHz mono PCM16 and yields finished utterances."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Utterance:
    """Recognized speech; times are seconds since the stream began."""

    text: str
    start: float
    end: float
    speaker: int = 0


class SttStream(Protocol):
    @property
    def pending_results(self) -> int:
        """Utterances recognized but not yet taken."""

    async def send(self, pcm: bytes) -> None:
        """Audio in: 16 kHz mono PCM16LE."""

    async def flush(self) -> None:
        """Close the utterance under way now (the conversation is being finalized)."""

    def utterances(self) -> AsyncIterator[Utterance]:
        """Results as they are ready, until the stream is closed."""

    async def close(self) -> None: ...


class SpeechToText(Protocol):
    name: str

    async def open(self, language: str) -> SttStream: ...


class SttUnavailable(Exception):
    """The recognizer cannot be reached or refused the stream."""
