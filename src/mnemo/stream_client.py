"""`mnemo stream FILE`: send an audio file to a server as a device would, and print what comes back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import websockets

CHUNK_SECONDS = 0.1
OPUS_FRAME = 320  # samples: 20 ms at 16 kHz, as the Omi device sends


def pcm_chunks(path: Path) -> Iterator[bytes]:
    """Any file PyAV can read, as 16 kHz mono PCM16 in 100 ms chunks."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=16_000)
    pending = b""
    size = int(16_000 * CHUNK_SECONDS) * 2
    with av.open(str(path)) as container:
        stream = next((s for s in container.streams if s.type == "audio"), None)
        if stream is None:
            raise ValueError(f"{path} has no audio stream")
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                pending += bytes(out.planes[0])[: out.samples * 2]
                while len(pending) >= size:
                    yield pending[:size]
                    pending = pending[size:]
    if pending:
        yield pending


def opus_packets(chunks: Iterator[bytes]) -> Iterator[bytes]:
    encoder = av.CodecContext.create("libopus", "w")
    encoder.sample_rate, encoder.layout, encoder.format, encoder.bit_rate = 16_000, "mono", "s16", 32_000
    pending, pts = b"", 0
    for chunk in chunks:
        pending += chunk
        while len(pending) >= OPUS_FRAME * 2:
            samples = np.frombuffer(pending[: OPUS_FRAME * 2], "<i2").reshape(1, -1)
            pending = pending[OPUS_FRAME * 2:]
            frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
            frame.sample_rate, frame.pts = 16_000, pts
            pts += OPUS_FRAME
            yield from (bytes(packet) for packet in encoder.encode(frame))
    yield from (bytes(packet) for packet in encoder.encode(None))


async def stream_file(path: Path, url: str, token: str, codec: str, speed: float, stop: bool,
                      emit: Any = print) -> dict[str, Any] | None:
    """Stream `path`; print segment updates as JSON lines; with `stop`, return the processed conversation."""
    ws_url = url.rstrip("/").replace("http://", "ws://").replace("https://", "wss://")
    query = f"/v4/listen?codec={codec}&sample_rate=16000&token={token}"
    async with websockets.connect(ws_url + query, max_size=None) as socket:
        ready = json.loads(await socket.recv())
        if ready.get("type") != "service_status":
            raise RuntimeError(f"the server did not get ready: {ready}")
        result: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        reader = asyncio.create_task(_read(socket, emit, result))
        frames = pcm_chunks(path) if codec == "pcm16" else opus_packets(pcm_chunks(path))
        pause = (CHUNK_SECONDS if codec == "pcm16" else OPUS_FRAME / 16_000) / speed if speed > 0 else 0
        for frame in frames:
            await socket.send(frame)
            if pause:
                await asyncio.sleep(pause)
        await socket.send(b"\x00" * 32_000 if codec == "pcm16" else b"")
        if not stop:
            await asyncio.sleep(1.5)  # let the last segments arrive, then close cleanly (which finalizes)
            reader.cancel()
            return None
        await socket.send(json.dumps({"type": "stop_conversation"}))
        conversation = await asyncio.wait_for(result, timeout=600)
        reader.cancel()
        return conversation


async def _read(socket: Any, emit: Any, result: asyncio.Future[dict[str, Any]]) -> None:
    async for message in socket:
        if message == "ping":
            continue
        data = json.loads(message)
        if isinstance(data, list):
            for segment in data:
                emit(json.dumps(segment))
        elif data.get("type") == "memory_created" and not result.done():
            result.set_result(data["memory"])
        elif data.get("type") == "error":
            emit(json.dumps(data))
