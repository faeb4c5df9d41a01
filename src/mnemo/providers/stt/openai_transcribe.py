"""Any OpenAI-compatible `/audio/transcriptions` server, fed utterances cut by voice activity."""

from __future__ import annotations

import asyncio
import io
import logging
import wave

import httpx

from .port import SttUnavailable
from .streams import VadStream

log = logging.getLogger("mnemo.stt")


def as_wav(pcm: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(pcm)
    return buffer.getvalue()


class OpenAITranscription:
    name = "openai"

    def __init__(self, client: httpx.AsyncClient, base_url: str, api_key: str, model: str = "whisper-1",
                 timeout: float = 60.0, retries: int = 2) -> None:
        self._client, self._url = client, base_url.rstrip("/") + "/audio/transcriptions"
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._model, self._timeout, self._retries = model, timeout, retries

    async def open(self, language: str) -> VadStream:
        async def recognize(audio: bytes) -> str:
            try:
                return await self.transcribe(audio, language)
            except SttUnavailable as error:
                log.warning("an utterance of %.1fs went untranscribed: %s", len(audio) / 32_000, error)
                return ""

        return VadStream(recognize)

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
