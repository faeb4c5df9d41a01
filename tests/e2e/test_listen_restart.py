"""Kill the server with a conversation in progress; after a restart the sweeper finalizes it, whole."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
import websockets

from tests.e2e.conftest import MNEMO, environment, free_port, running_server, wait_until_healthy

pytestmark = pytest.mark.e2e


def _env(database_url: str) -> dict[str, str]:
    extra = {"MNEMO_CONVERSATION_TIMEOUT_FLOOR_SECONDS": "1", "MNEMO_WORKER_IN_SERVER": "true",
             "MNEMO_WORKER_POLL_SECONDS": "0.2"}
    if not database_url.startswith("sqlite"):
        extra["MNEMO_DATABASE_URL"] = database_url
    return environment(**extra)


async def _stream_segments(base: str, token: str, count: int) -> None:
    url = base.replace("http", "ws") + f"/v4/listen?token={token}&codec=pcm16&conversation_timeout=2"
    async with websockets.connect(url) as ws:
        assert json.loads(await ws.recv())["status"] == "ready"
        for i in range(count):
            await ws.send(json.dumps([{"text": f"Sentence number {i} about the garden plans.", "start": i * 2.0,
                                       "end": i * 2.0 + 1.5, "is_user": i % 2 == 0, "speaker_id": i % 2}]))
            await ws.recv()  # the echo arrives once the segment is stored


def test_a_killed_server_loses_no_segment(tmp_path: Path, database_url: str) -> None:
    env = _env(database_url)
    port = free_port()
    log = (tmp_path / "first.log").open("w")
    first = subprocess.Popen([*MNEMO, "serve", "--port", str(port)], cwd=tmp_path, env=env, stdout=log,
                             stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, first, tmp_path / "first.log")
        token = (tmp_path / "data" / "token").read_text().strip()
        asyncio.run(_stream_segments(base, token, 6))
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    with running_server(tmp_path, env) as (base, _printed), httpx.Client(base_url=base, timeout=10) as http:
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(150):
            listed = http.get("/v1/conversations?statuses=in_progress,processing,completed,failed",
                              headers=headers).json()
            if listed and listed[0]["status"] == "completed":
                break
            asyncio.run(asyncio.sleep(0.1))
    [conversation] = listed
    assert conversation["status"] == "completed"
    assert [s["text"] for s in conversation["transcript_segments"]] == [
        f"Sentence number {i} about the garden plans." for i in range(6)]
