"""Audio from a socket to segments: decode any codec, recognize speech, hand segments to a session."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from mnemo.models.audio import Codec
from mnemo.models.segment import SegmentIn
from mnemo.providers.audio.decode import MAX_FRAME_BYTES, AudioDecoder, BadAudio
from mnemo.providers.stt.port import SpeechToText, SttStream, Utterance

Sink = Callable[[list[SegmentIn]], Awaitable[None]]


class CaptureError(Exception):
    """The audio cannot be used; `close_code` is the WebSocket close code that says why."""

    def __init__(self, detail: str, close_code: int = 1003) -> None:
        super().__init__(detail)
        self.close_code = close_code


class AudioCapture:
    def __init__(self, decoder: AudioDecoder, engine: SpeechToText, language: str, sink: Sink) -> None:
        self._decoder, self._engine, self._language, self._sink = decoder, engine, language, sink
        self._stream: SttStream | None = None
        self._reader: asyncio.Task[None] | None = None
        self._busy = False

    @classmethod
    def open(cls, engines: dict[str, SpeechToText], default: str, codec: str, sample_rate: int | None,
             channels: int, language: str, requested: str | None, sink: Sink) -> AudioCapture:
        try:
            chosen = Codec(codec)
        except ValueError:
            raise CaptureError(f"unknown codec {codec!r}; use one of {', '.join(c.value for c in Codec)}") from None
        name = requested or default
        if name not in engines:
            raise CaptureError(f"speech-to-text service {name!r} is not available here; have: {', '.join(engines)}")
        try:
            decoder = AudioDecoder(chosen, sample_rate, channels)
        except BadAudio as error:
            raise CaptureError(str(error)) from None
        return cls(decoder, engines[name], language, sink)

    async def feed(self, frame: bytes) -> None:
        if len(frame) > MAX_FRAME_BYTES:
            raise CaptureError(f"audio frames may have at most {MAX_FRAME_BYTES} bytes", close_code=1009)
        try:
            pcm = self._decoder.decode(frame)
        except BadAudio as error:
            raise CaptureError(str(error)) from None
        if pcm:
            stream = await self._open_stream()
            await stream.send(pcm)

    async def flush(self) -> None:
        """Recognize the speech under way and wait until the sink has every segment."""
        if self._stream is None:
            return
        await self._stream.flush()
        for _ in range(500):
            await asyncio.sleep(0.01)
            if not self._busy and not self._stream.pending_results:
                return

    async def close(self) -> None:
        if self._stream is None:
            return
        await self._stream.close()
        if self._reader is not None:
            await self._reader

    async def _open_stream(self) -> SttStream:
        if self._stream is None:
            self._stream = await self._engine.open(self._language)
            self._reader = asyncio.create_task(self._read(self._stream))
        return self._stream

    async def _read(self, stream: SttStream) -> None:
        async for utterance in stream.utterances():
            self._busy = True
            try:
                await self._sink([_segment(utterance)])
            finally:
                self._busy = False


def _segment(utterance: Utterance) -> SegmentIn:
    # Without a speech profile the nearest voice (speaker 0) is taken to be the wearer's.
    return SegmentIn(text=utterance.text, speaker_id=utterance.speaker, is_user=utterance.speaker == 0,
                     start=max(0.0, utterance.start), end=max(utterance.start, utterance.end, 0.0))
