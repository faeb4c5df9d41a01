"""Pieces the speech-to-text streams share: a results queue, and recognition of VAD-cut utterances."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

from .port import Utterance
from .vad import SpeechChunk, UtteranceCutter

_DONE = object()


class ResultQueue:
    """Utterances in order, until `end()`."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[object] = asyncio.Queue()

    @property
    def pending_results(self) -> int:
        return self._queue.qsize()

    def put(self, utterance: Utterance) -> None:
        self._queue.put_nowait(utterance)

    def end(self) -> None:
        self._queue.put_nowait(_DONE)

    async def utterances(self) -> AsyncIterator[Utterance]:
        while (item := await self._queue.get()) is not _DONE:
            yield item  # type: ignore[misc]


class VadStream(ResultQueue):
    """Voice activity cuts the audio into utterances; `recognize` turns each into text, in order."""

    def __init__(self, recognize: Callable[[bytes], Awaitable[str]]) -> None:
        super().__init__()
        self._recognize = recognize
        self._cutter = UtteranceCutter()
        self._order = asyncio.Lock()
        self._running: set[asyncio.Task[None]] = set()

    async def send(self, pcm: bytes) -> None:
        for chunk in self._cutter.feed(pcm):
            self._later(chunk)

    async def flush(self) -> None:
        if (chunk := self._cutter.flush()) is not None:
            self._later(chunk)
        if self._running:
            await asyncio.gather(*self._running, return_exceptions=True)

    async def close(self) -> None:
        await self.flush()
        self.end()

    def _later(self, chunk: SpeechChunk) -> None:
        task = asyncio.create_task(self._recognized(chunk))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _recognized(self, chunk: SpeechChunk) -> None:
        async with self._order:  # keep utterances in the order they were spoken
            text = await self._recognize(chunk.audio)
            if text:
                self.put(Utterance(text, chunk.start, chunk.end))
