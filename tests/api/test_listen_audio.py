"""Audio over /v4/listen: real speech recognized through every codec; bad audio refused cleanly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from mnemo.config import Settings
from mnemo.stream_client import opus_packets
from tests.api.listen_helpers import SPEECH, conversations, live, receive_json, receive_until, wav_pcm, word_error_rate

pytestmark = pytest.mark.skipif(not SPEECH.is_dir(), reason="needs ../shared/data/speech beside the repository")
REFERENCES = json.loads((SPEECH / "transcripts.json").read_text()) if SPEECH.is_dir() else {}
PAUSE = b"\x00" * 32_000  # one second of 16 kHz silence ends an utterance


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("audio")
    with live(Settings(data_dir=folder / "data", worker_in_server=False)) as client:
        yield client


@pytest.fixture(scope="module")
def token(server: TestClient) -> str:
    return server.app.state.settings.token_file.read_text().strip()  # type: ignore[attr-defined]


def _transcribe(server: TestClient, token: str, frames: list[bytes], query: str) -> str:
    """Stream frames, stop, and return the text of the conversation that was made."""
    with server.websocket_connect(f"/v4/listen?token={token}&{query}") as ws:
        receive_json(ws)
        for frame in frames:
            ws.send_bytes(frame)
        ws.send_text(json.dumps({"type": "stop_conversation"}))
        created = receive_until(ws, "memory_created")
    return " ".join(s["text"] for s in created["memory"]["transcript_segments"])


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)]


def _resampled(pcm: bytes, rate: int, layout: str) -> bytes:
    frame = av.AudioFrame.from_ndarray(np.frombuffer(pcm, "<i2").reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = 16_000
    resampler = av.AudioResampler(format="s16", layout=layout, rate=rate)
    out = b"".join(bytes(f.planes[0])[: f.samples * 2 * (2 if layout == "stereo" else 1)]
                   for f in [*resampler.resample(frame), *resampler.resample(None)])
    return out


def _opus_packets(pcm: bytes) -> list[bytes]:
    return list(opus_packets(iter([pcm])))


@pytest.mark.parametrize("clip", sorted(REFERENCES))
def test_real_speech_is_recognized(server: TestClient, token: str, clip: str) -> None:
    text = _transcribe(server, token, _chunks(wav_pcm(clip) + PAUSE, 3200), "codec=pcm16")
    rate = word_error_rate(REFERENCES[clip], text)
    print(f"{clip}: WER {rate:.2f} ({text!r})")
    assert rate < 0.6, text


def test_silence_and_noise_yield_no_words(server: TestClient, token: str) -> None:
    rng = np.random.default_rng(7)
    noise = (rng.standard_normal(16_000 * 4) * 300).astype("<i2").tobytes()
    for audio in (b"\x00" * 64_000, noise):
        with server.websocket_connect(f"/v4/listen?token={token}&codec=pcm16") as ws:
            receive_json(ws)
            for frame in _chunks(audio + PAUSE, 3200):
                ws.send_bytes(frame)
            ws.send_text(json.dumps({"type": "stop_conversation"}))
            ws.send_text(json.dumps([{"text": "marker", "start": 99, "end": 100}]))
            marker = receive_json(ws)
        spoken = [s for s in marker if s["text"] != "marker"]
        assert word_error_rate(REFERENCES["librivox-0880.wav"], " ".join(s["text"] for s in spoken)) >= 0.9


@pytest.mark.parametrize(
    ("query", "encode"),
    [
        ("codec=pcm8", lambda pcm: _chunks(_resampled(pcm, 8_000, "mono"), 1600)),
        ("codec=pcm16&sample_rate=44100&channels=2", lambda pcm: _chunks(_resampled(pcm, 44_100, "stereo"), 17640)),
        ("codec=opus", _opus_packets),
        ("codec=opus_fs320", _opus_packets),
    ],
    ids=["pcm8", "pcm16-44k-stereo", "opus", "opus_fs320"],
)
def test_every_codec_and_rate_is_understood(server: TestClient, token: str, query: str, encode) -> None:  # type: ignore[no-untyped-def]
    clip = "librivox-0930.wav"
    text = _transcribe(server, token, encode(wav_pcm(clip) + PAUSE), query)
    assert word_error_rate(REFERENCES[clip], text) < 0.6, text


@pytest.mark.parametrize(
    ("query", "frame", "code"),
    [
        ("codec=mp3", None, 1003),
        ("codec=pcm16&channels=3", None, 1003),
        ("codec=pcm16", b"\x01\x02\x03", 1003),
        ("codec=pcm16", b"\x00" * 300_000, 1009),
    ],
)
def test_bad_audio_is_refused_with_a_close_code(server: TestClient, token: str, query: str, frame: bytes | None,
                                                code: int) -> None:
    before = len(conversations(server, token))
    with server.websocket_connect(f"/v4/listen?token={token}&{query}") as ws:
        if frame is not None:
            assert receive_json(ws)["type"] == "service_status"
            ws.send_bytes(frame)
        error = receive_json(ws)
        assert error["type"] == "error" and error["detail"]
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
        assert closed.value.code == code
    assert len(conversations(server, token)) == before
