"""Live capture: speech recognition speed, and how many sockets one server holds.

(a) Real-time factor of the local recognizer (PocketSphinx) on the LibriVox clips: processing
    time over audio duration, audio sent as fast as it is taken.
(b) N sockets each streaming 16 kHz PCM16 in real time (100 ms frames, starts staggered over a
    second as real devices are; --aligned starts them in lockstep) into a real server whose
    recognizer is the load-test one (bench/listen_server.py: one segment per second of audio, no
    recognition). Reported per N: p50/p99 segment round trip (the frame completing a second sent
    -> its segment received), and server memory per idle socket. The largest N with p99 under
    200 ms is the figure. Clients run on the same 2 cores as the server.

    .venv/bin/python bench/listen.py [--steps 50,100,200,300] [--seconds 8]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import httpx
import websockets

from mnemo.providers.stt.local import LocalSpeechToText
from mnemo.services.users import UserService
from mnemo.storage.database import Database
from mnemo.storage.migrate import upgrade
from mnemo.storage.unit_of_work import Storage

RESULTS = Path(__file__).parent / "results" / "listen.json"
SPEECH = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech"
FRAME = 3200  # 100 ms of 16 kHz PCM16


async def local_rtf() -> dict[str, object]:
    engine = LocalSpeechToText()
    clips = {}
    total_audio = total_time = 0.0
    for path in sorted(SPEECH.glob("librivox-*.wav")):
        with wave.open(str(path)) as clip:
            audio = clip.readframes(clip.getnframes())
        seconds = len(audio) / 32_000
        stream = await engine.open("en")
        began = time.perf_counter()
        for start in range(0, len(audio), FRAME):
            await stream.send(audio[start:start + FRAME])
        await stream.close()
        async for _ in stream.utterances():
            pass
        elapsed = time.perf_counter() - began
        clips[path.name] = round(elapsed / seconds, 3)
        total_audio, total_time = total_audio + seconds, total_time + elapsed
    return {"per_clip": clips, "overall": round(total_time / total_audio, 3), "audio_seconds": round(total_audio, 1)}


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def make_users(folder: str, count: int) -> list[str]:
    """One user per socket, as in real life: every wearer has their own conversation in progress."""
    database = Database(f"sqlite:///{folder}/bench.db")
    try:
        await upgrade(database)
        users = UserService(Storage(database))
        return [(await users.create_user(f"wearer {i}"))[1] for i in range(count)]
    finally:
        await database.dispose()


async def _one_socket(url: str, seconds: int, start: asyncio.Event, connected: asyncio.Event,
                      ready_count: list[int], trips: list[float], n: int, phase: float) -> None:
    async with websockets.connect(url, max_queue=None) as ws:
        await ws.recv()  # service_status
        ready_count[0] += 1
        if ready_count[0] == n:
            connected.set()
        await start.wait()
        sent_at: dict[int, float] = {}

        async def read() -> None:
            async for message in ws:
                if message == "ping":
                    continue
                arrived = time.perf_counter()
                data = json.loads(message)
                if isinstance(data, list):
                    for segment in data:
                        second = int(segment["text"].split()[1].rstrip("."))
                        if second in sent_at:
                            trips.append((arrived - sent_at.pop(second)) * 1000)

        reader = asyncio.create_task(read())
        await asyncio.sleep(phase)  # devices do not start in lockstep
        began = time.perf_counter()
        for index in range(seconds * 10):
            await ws.send(b"\x00" * FRAME)
            if (index + 1) % 10 == 0:
                sent_at[(index + 1) // 10] = time.perf_counter()
            await asyncio.sleep(max(0.0, began + (index + 1) * 0.1 - time.perf_counter()))
        await asyncio.sleep(1.0)
        reader.cancel()


async def sockets_step(base: str, tokens: list[str], pid: int, n: int, seconds: int,
                       aligned: bool) -> dict[str, object]:
    urls = [base.replace("http", "ws") + f"/v4/listen?token={token}&codec=pcm16&source=omi" for token in tokens[:n]]
    start, connected, ready, trips = asyncio.Event(), asyncio.Event(), [0], []
    idle_before = _rss_kib(pid)
    phases = [0.0 if aligned else (i % 10) / 10 + (i % 7) / 70 for i in range(n)]
    tasks = [asyncio.create_task(_one_socket(url, seconds, start, connected, ready, trips, n, phase))
             for url, phase in zip(urls, phases, strict=True)]
    await asyncio.wait_for(connected.wait(), timeout=120)
    await asyncio.sleep(1.0)
    idle_with = _rss_kib(pid)
    start.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    trips.sort()
    expected = n * seconds
    return {
        "sockets": n,
        "start": "in lockstep" if aligned else "staggered over a second",
        "segments_expected": expected,
        "segments_received": len(trips),
        "round_trip_ms_p50": round(trips[len(trips) // 2], 1) if trips else None,
        "round_trip_ms_p99": round(trips[int(0.99 * (len(trips) - 1))], 1) if trips else None,
        "memory_kib_per_idle_socket": round((idle_with - idle_before) / n, 1),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", default="50,100,200,300")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--aligned", action="store_true", help="all sockets start in the same instant (harsher)")
    args = parser.parse_args()
    results: dict[str, object] = {}
    if SPEECH.is_dir():
        results["local_rtf"] = asyncio.run(local_rtf())
        print(f"[local stt] real-time factor: {results['local_rtf']}", flush=True)
    steps = []
    sizes = [int(step) for step in args.steps.split(",")]
    with tempfile.TemporaryDirectory(prefix="mnemo-bench-") as folder:
        tokens = asyncio.run(make_users(folder, max(sizes)))
        port = _free_port()
        server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("listen_server.py")), str(port),
                                   folder], env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")})
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            for n in sizes:
                step = asyncio.run(sockets_step(base, tokens, server.pid, n, args.seconds, args.aligned))
                steps.append(step)
                print(f"[sockets] {step}", flush=True)
                if step["round_trip_ms_p99"] is None or step["round_trip_ms_p99"] >= 200:
                    break
        finally:
            server.terminate()
            server.wait(timeout=30)
    held = [s["sockets"] for s in steps if s["round_trip_ms_p99"] is not None and s["round_trip_ms_p99"] < 200
            and s["segments_received"] >= 0.99 * s["segments_expected"]]
    results["sockets"] = {"steps": steps, "largest_n_with_p99_under_200ms": max(held) if held else 0}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"largest N held: {results['sockets']['largest_n_with_p99_under_200ms']}; wrote {RESULTS}")


if __name__ == "__main__":
    main()
