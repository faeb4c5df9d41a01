"""Deepgram's live-streaming API: audio over a WebSocket, `Results` messages back.

Final results become utterances; with diarization, the first word's speaker labels the
utterance. `Finalize` closes the utterance under way; `CloseStream` ends the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any
from urllib.parse import urlencode

import websockets

from .port import SttUnavailable, Utterance
from .streams import ResultQueue


class DeepgramStream(ResultQueue):
    def __init__(self, socket: Any) -> None:
        super().__init__()
        self._socket = socket
        self._finalized = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def send(self, pcm: bytes) -> None:
        try:
            await self._socket.send(pcm)
        except websockets.ConnectionClosed as error:
            raise SttUnavailable(f"Deepgram closed the stream: {error}") from error

    async def flush(self) -> None:
        self._finalized.clear()
        with contextlib.suppress(websockets.ConnectionClosed):
            await self._socket.send(json.dumps({"type": "Finalize"}))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5):
                    await self._finalized.wait()

    async def close(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            await self._socket.send(json.dumps({"type": "CloseStream"}))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await self._reader
        await self._socket.close()

    async def _read(self) -> None:
        try:
            async for message in self._socket:
                if isinstance(message, bytes):
                    continue
                data = json.loads(message)
                if data.get("type") != "Results":
                    continue
                if data.get("from_finalize"):
                    self._finalized.set()
                if not data.get("is_final"):
                    continue
                utterance = _utterance(data)
                if utterance is not None:
                    self.put(utterance)
        except websockets.ConnectionClosed:
            pass
        finally:
            self._finalized.set()
            self.end()


def _utterance(result: dict[str, Any]) -> Utterance | None:
    alternative = (result.get("channel", {}).get("alternatives") or [{}])[0]
    text = (alternative.get("transcript") or "").strip()
    if not text:
        return None
    start = float(result.get("start", 0.0))
    words = alternative.get("words") or []
    speaker = int(words[0].get("speaker", 0)) if words else 0
    return Utterance(text, start, start + float(result.get("duration", 0.0)), speaker)


class DeepgramSpeechToText:
    name = "deepgram"

    def __init__(self, api_key: str, url: str = "wss://api.deepgram.com/v1/listen", model: str = "nova-2") -> None:
        self._api_key, self._url, self._model = api_key, url, model

    async def open(self, language: str) -> DeepgramStream:
        query = urlencode({"model": self._model, "language": language, "encoding": "linear16", "sample_rate": 16000,
                           "channels": 1, "punctuate": "true", "smart_format": "true", "diarize": "true",
                           "interim_results": "false", "endpointing": 300})
        try:
            socket = await websockets.connect(f"{self._url}?{query}",
                                              additional_headers={"Authorization": f"Token {self._api_key}"})
        except (OSError, websockets.InvalidHandshake) as error:
            raise SttUnavailable(f"cannot open a Deepgram stream: {error}") from error
        return DeepgramStream(socket)
