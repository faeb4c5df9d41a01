"""Local stand-ins for hosted speech-to-text: Deepgram's live-streaming WebSocket protocol and an
OpenAI-compatible `/audio/transcriptions` endpoint. They cannot recognize speech; they answer with
text that says how much audio they received, so tests can check what crossed the wire."""

from __future__ import annotations

import asyncio
import io
import json
import threading
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from websockets.asyncio.server import serve

from mnemo.local_server import serving

DEEPGRAM_KEY = "dg-test-key"
BYTES_PER_SECOND = 32_000


def _results(start: float, duration: float, text: str, speaker: int, from_finalize: bool = False) -> str:
    words = [{"word": w, "start": start, "end": start + duration, "confidence": 0.9, "speaker": speaker,
              "punctuated_word": w} for w in text.split()]
    return json.dumps({"type": "Results", "channel_index": [0, 1], "duration": duration, "start": start,
                       "is_final": True, "speech_final": True, "from_finalize": from_finalize,
                       "channel": {"alternatives": [{"transcript": text, "confidence": 0.9, "words": words}]},
                       "metadata": {"request_id": "fake"}})


async def _deepgram(connection: Any) -> None:
    """One result per full second of audio; Finalize reports the rest; CloseStream ends the stream."""
    received = consumed = count = 0
    async for message in connection:
        if isinstance(message, bytes):
            received += len(message)
            while received - consumed >= BYTES_PER_SECOND:
                count += 1
                await connection.send(_results(consumed / BYTES_PER_SECOND, 1.0, f"second {count}", (count - 1) % 2))
                consumed += BYTES_PER_SECOND
            continue
        command = json.loads(message).get("type")
        if command == "Finalize":
            rest = (received - consumed) / BYTES_PER_SECOND
            text = f"last {rest:.2f} seconds" if rest else ""
            await connection.send(_results(consumed / BYTES_PER_SECOND, rest, text, 0, from_finalize=True))
            consumed = received
        elif command == "CloseStream":
            await connection.send(json.dumps({"type": "Metadata", "request_id": "fake", "duration": received / 32000}))
            await connection.close()
            return


def _check_key(connection: Any, request: Any) -> Any:
    if request.headers.get("Authorization") != f"Token {DEEPGRAM_KEY}":
        return connection.respond(HTTPStatus.UNAUTHORIZED, "Invalid credentials.\n")
    if "encoding=linear16" not in request.path or "sample_rate=16000" not in request.path:
        return connection.respond(HTTPStatus.BAD_REQUEST, "Unsupported audio format.\n")
    return None


@contextmanager
def deepgram_server() -> Iterator[str]:
    loop = asyncio.new_event_loop()
    ready, stop = threading.Event(), threading.Event()
    port_box: list[int] = []

    async def main() -> None:
        async with serve(_deepgram, "127.0.0.1", 0, process_request=_check_key) as server:
            port_box.append(next(iter(server.sockets)).getsockname()[1])
            ready.set()
            await asyncio.to_thread(stop.wait)

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"ws://127.0.0.1:{port_box[0]}/v1/listen"
    finally:
        stop.set()
        thread.join(10)


async def _transcriptions(request: Request) -> JSONResponse:
    if request.headers.get("authorization") != "Bearer sk-test":
        return JSONResponse({"error": {"message": "Incorrect API key provided"}}, 401)
    form = await request.form()
    upload = form.get("file")
    if upload is None or form.get("model") is None:
        return JSONResponse({"error": {"message": "file and model are required"}}, 400)
    with wave.open(io.BytesIO(await upload.read())) as clip:  # type: ignore[union-attr]
        if (clip.getframerate(), clip.getnchannels(), clip.getsampwidth()) != (16_000, 1, 2):
            return JSONResponse({"error": {"message": "expected 16 kHz mono PCM16"}}, 400)
        seconds = clip.getnframes() / 16_000
    return JSONResponse({"text": f"an utterance of {seconds:.1f} seconds"})


@contextmanager
def transcription_server() -> Iterator[str]:
    app = Starlette(routes=[Route("/v1/audio/transcriptions", _transcriptions, methods=["POST"])])
    with serving(app) as url:
        yield f"{url}/v1"


