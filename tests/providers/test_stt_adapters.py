"""The hosted speech-to-text adapters against local servers speaking their wire protocols."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from mnemo.config import Settings
from mnemo.providers.stt.deepgram import DeepgramSpeechToText
from mnemo.providers.stt.openai_transcribe import OpenAITranscription
from mnemo.providers.stt.port import SttStream, SttUnavailable
from tests.api.listen_helpers import SPEECH, live, receive_json, receive_until, wav_pcm
from tests.fakes.speech_servers import DEEPGRAM_KEY, deepgram_server, transcription_server


async def _collect(stream: SttStream, audio: bytes) -> list:  # type: ignore[type-arg]
    found = []

    async def read() -> None:
        async for utterance in stream.utterances():
            found.append(utterance)

    reader = asyncio.create_task(read())
    for start in range(0, len(audio), 3200):
        await stream.send(audio[start:start + 3200])
    await stream.flush()
    await stream.close()
    await reader
    return found


async def test_deepgram_results_become_utterances() -> None:
    with deepgram_server() as url:
        stream = await DeepgramSpeechToText(DEEPGRAM_KEY, url).open("en")
        found = await _collect(stream, b"\x00" * int(32_000 * 2.5))
    assert [(u.text, u.start, u.end, u.speaker) for u in found] == [
        ("second 1", 0.0, 1.0, 0), ("second 2", 1.0, 2.0, 1), ("last 0.50 seconds", 2.0, 2.5, 0)]


async def test_deepgram_refuses_a_wrong_key() -> None:
    with deepgram_server() as url, pytest.raises(SttUnavailable, match="401"):
        await DeepgramSpeechToText("wrong", url).open("en")


@pytest.mark.skipif(not SPEECH.is_dir(), reason="needs ../shared/data/speech")
async def test_openai_transcription_gets_each_utterance_as_a_wav() -> None:
    with transcription_server() as base:
        async with httpx.AsyncClient() as client:
            stream = await OpenAITranscription(client, base, "sk-test").open("en-US")
            found = await _collect(stream, wav_pcm("librivox-0880.wav") + b"\x00" * 32_000)
    assert len(found) == 1 and found[0].text.startswith("an utterance of ")
    assert abs(float(found[0].text.split()[3]) - (found[0].end - found[0].start)) < 0.11


async def test_openai_transcription_with_a_wrong_key_fails_clearly() -> None:
    with transcription_server() as base:
        async with httpx.AsyncClient() as client:
            engine = OpenAITranscription(client, base, "sk-wrong", retries=0)
            with pytest.raises(SttUnavailable, match="401"):
                await engine.transcribe(b"\x00" * 3200, "en")


def test_a_socket_can_pick_deepgram(tmp_path: Path) -> None:
    with deepgram_server() as url:
        settings = Settings(data_dir=tmp_path / "data", worker_in_server=False, deepgram_api_key=DEEPGRAM_KEY,
                            deepgram_url=url)
        with live(settings) as server:
            token = settings.token_file.read_text().strip()
            with server.websocket_connect(f"/v4/listen?token={token}&codec=pcm16&stt_service=deepgram") as ws:
                receive_json(ws)
                for _ in range(10):
                    ws.send_bytes(b"\x00" * 6400)
                ws.send_text(json.dumps({"type": "stop_conversation"}))
                created = receive_until(ws, "memory_created")
            with server.websocket_connect(f"/v4/listen?token={token}&stt_service=whisperx") as ws:
                assert "not available" in receive_json(ws)["detail"]
    texts = [s["text"] for s in created["memory"]["transcript_segments"]]
    assert texts == ["second 1", "second 2"]
