"""Any OpenAI-compatible `/audio/transcriptions` server, fed utterances cut by voice activity."""

from __future__ import annotations

import asyncio
import io
import logging
import wave
from collections.abc import AsyncIterator

import httpx

from .port import SttUnavailable, Utterance
from .vad import SpeechChunk, UtteranceCutter

_DONE = object()
log = logging.getLogger("mnemo.stt")


def as_wav(pcm: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(pcm)
    return buffer.getvalue()


class TranscriptionStream:
    def __init__(self, engine: OpenAITranscription, language: str) -> None:
        self._engine, self._language = engine, language
        self._cutter = UtteranceCutter()
        self._results: asyncio.Queue[object] = asyncio.Queue()
        self._order = asyncio.Lock()
        self._pending: set[asyncio.Task[None]] = set()

    @property
    def pending_results(self) -> int:
        return self._results.qsize()

    async def send(self, pcm: bytes) -> None:
        for chunk in self._cutter.feed(pcm):
            self._later(chunk)

    async def flush(self) -> None:
        if (chunk := self._cutter.flush()) is not None:
            self._later(chunk)
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def utterances(self) -> AsyncIterator[Utterance]:
        while True:
            item = await self._results.get()
            if item is _DONE:
                return
            yield item  # type: ignore[misc]

    async def close(self) -> None:
        await self.flush()
        self._results.put_nowait(_DONE)

    def _later(self, chunk: SpeechChunk) -> None:
        task = asyncio.create_task(self._transcribe(chunk))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _transcribe(self, chunk: SpeechChunk) -> None:
        async with self._order:
            try:
                text = await self._engine.transcribe(chunk.audio, self._language)
            except SttUnavailable as error:
                log.warning("an utterance of %.1fs went untranscribed: %s", chunk.end - chunk.start, error)
                return
            if text:
                self._results.put_nowait(Utterance(text, chunk.start, chunk.end))


class OpenAITranscription:
    name = "openai"

    def __init__(self, client: httpx.AsyncClient, base_url: str, api_key: str, model: str = "whisper-1",
                 timeout: float = 60.0, retries: int = 2) -> None:
        self._client, self._url = client, base_url.rstrip("/") + "/audio/transcriptions"
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._model, self._timeout, self._retries = model, timeout, retries

    async def open(self, language: str) -> TranscriptionStream:
        return TranscriptionStream(self, language)

    async def transcribe(self, pcm: bytes, language: str) -> str:
        files = {"file": ("utterance.wav", as_wav(pcm), "audio/wav")}
        data = {"model": self._model, "language": language.split("-")[0], "response_format": "json"}
        problem = ""
        for attempt in range(self._retries + 1):
            try:
                response = await self._client.post(self._url, files=files, data=data, headers=self._headers,
                                                   timeout=self._timeout)
            except httpx.TransportError as error:
                problem = str(error) or type(error).__name__
            else:
                if response.status_code < 400:
                    return str(response.json().get("text", "")).strip()
                problem = f"HTTP {response.status_code}: {response.text[:200]}"
                if response.status_code < 500 and response.status_code != 429:
                    break
            await asyncio.sleep(0.5 * 2**attempt)
        raise SttUnavailable(f"transcription failed: {problem}")
