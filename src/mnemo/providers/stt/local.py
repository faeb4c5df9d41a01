"""Offline speech recognition with PocketSphinx and its bundled US English model.

Voice activity cuts the stream into utterances; each is recognized off the event loop by one of
a small pool of decoders (a decoder holds the acoustic model, so they are shared, not per socket).
"""

from __future__ import annotations

import asyncio

from pocketsphinx import Decoder

from .streams import VadStream


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


class LocalSpeechToText:
    name = "local"

    def __init__(self, decoders: int = 2) -> None:
        self._pool = DecoderPool(decoders)

    async def open(self, language: str) -> VadStream:
        return VadStream(self._pool.recognize)
