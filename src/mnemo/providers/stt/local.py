"""Offline speech recognition with PocketSphinx and its bundled US English model.

Voice activity cuts the stream into utterances; each is recognized off the event loop by one of
a small pool of decoders (a decoder holds the acoustic model, so they are shared, not per socket).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from pocketsphinx import Decoder

from .port import Utterance
from .vad import SpeechChunk, UtteranceCutter

_DONE = object()


class DecoderPool:
    def __init__(self, size: int = 2) -> None:
        self._size = size
        self._free: asyncio.Queue[Decoder] | None = None
        self._made = 0

    async def recognize(self, audio: bytes) -> str:
        if self._free is None:
            self._free = asyncio.Queue()
        if self._free.empty() and self._made < self._size:
            self._made += 1
            decoder = await asyncio.to_thread(Decoder, samprate=16000, loglevel="FATAL")
        else:
            decoder = await self._free.get()
        try:
            return await asyncio.to_thread(_decode, decoder, audio)
        finally:
            self._free.put_nowait(decoder)


def _decode(decoder: Decoder, audio: bytes) -> str:
    decoder.start_utt()
    decoder.process_raw(audio, False, True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr.strip() if hypothesis is not None else ""


class LocalStream:
    def __init__(self, pool: DecoderPool) -> None:
        self._pool = pool
        self._cutter = UtteranceCutter()
        self._results: asyncio.Queue[object] = asyncio.Queue()
        self._pending: set[asyncio.Task[None]] = set()
        self._order: asyncio.Lock = asyncio.Lock()

    @property
    def pending_results(self) -> int:
        return self._results.qsize()

    async def send(self, pcm: bytes) -> None:
        for chunk in self._cutter.feed(pcm):
            self._recognize_later(chunk)

    async def flush(self) -> None:
        chunk = self._cutter.flush()
        if chunk is not None:
            self._recognize_later(chunk)
        if self._pending:
            await asyncio.gather(*self._pending)

    async def utterances(self) -> AsyncIterator[Utterance]:
        while True:
            item = await self._results.get()
            if item is _DONE:
                return
            yield item  # type: ignore[misc]

    async def close(self) -> None:
        await self.flush()
        self._results.put_nowait(_DONE)

    def _recognize_later(self, chunk: SpeechChunk) -> None:
        task = asyncio.create_task(self._recognize(chunk))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _recognize(self, chunk: SpeechChunk) -> None:
        async with self._order:  # keep utterances in the order they were spoken
            text = await self._pool.recognize(chunk.audio)
            if text:
                self._results.put_nowait(Utterance(text, chunk.start, chunk.end))


class LocalSpeechToText:
    name = "local"

    def __init__(self, decoders: int = 2) -> None:
        self._pool = DecoderPool(decoders)

    async def open(self, language: str) -> LocalStream:
        return LocalStream(self._pool)
