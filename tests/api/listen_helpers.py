"""A live server in this process for WebSocket tests, and a few things to send it."""

from __future__ import annotations

import json
import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient, WebSocketTestSession

from mnemo.app import create_app
from mnemo.config import Settings

SPEECH = Path(__file__).resolve().parents[3] / "shared" / "data" / "speech"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@contextmanager
def live(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def segment(text: str, start: float, end: float, user: bool = True, speaker: int = 0) -> dict[str, Any]:
    return {"text": text, "speaker": f"SPEAKER_{speaker:02d}", "is_user": user, "start": start, "end": end}


def send_segments(ws: WebSocketTestSession, *segments: dict[str, Any]) -> None:
    ws.send_text(json.dumps(list(segments)))


def receive_json(ws: WebSocketTestSession, skip_pings: bool = True) -> Any:
    while True:
        text = ws.receive_text()
        if text == "ping" and skip_pings:
            continue
        return json.loads(text)


def receive_until(ws: WebSocketTestSession, kind: str) -> dict[str, Any]:
    """Read messages until one of `kind` ("memory_created", ...) arrives; segment arrays are skipped."""
    while True:
        message = receive_json(ws)
        if isinstance(message, dict) and message.get("type") == kind:
            return message


def wav_pcm(name: str) -> bytes:
    with wave.open(str(SPEECH / name)) as clip:
        return clip.readframes(clip.getnframes())


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = reference.split(), hypothesis.split()
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, guess in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != guess))
    return row[-1] / max(1, len(ref))


def conversations(client: TestClient, token: str, statuses: str = "in_progress,processing,completed,failed") -> list:
    response = client.get(f"/v1/conversations?statuses={statuses}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return response.json()


def wait_for(predicate: Any, seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
