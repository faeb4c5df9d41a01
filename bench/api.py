"""List-route latency through a real `mnemo serve`, on SQLite and on PostgreSQL.

One user owns 10,000 conversations (20 transcript segments and an action item each) and 5,000
memories; 50 other users own as much again between them. The benchmark measures
`GET /v1/conversations?limit=50` and `GET /v3/memories?limit=100`: p50/p95/p99 latency of
sequential requests on one keep-alive connection, and requests/s under load (wrk when it is
installed, else concurrent Python clients). Figures go to stdout and bench/results/api.json.

    .venv/bin/python bench/api.py [--conversations 10000] [--memories 5000] [--requests 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, text

from mnemo.models.common import new_id
from mnemo.services.users import UserService
from mnemo.storage.database import Database
from mnemo.storage.migrate import upgrade
from mnemo.storage.tables import action_items, conversations, memories, transcript_segments
from mnemo.storage.unit_of_work import Storage

RESULTS = Path(__file__).parent / "results" / "api.json"
ROUTES = {"conversations": "/v1/conversations?limit=50", "memories": "/v3/memories?limit=100"}
OTHER_USERS = 50
SEGMENTS_PER_CONVERSATION = 20
WORDS = ("garden", "seeds", "tomato", "meeting", "budget", "project", "call", "doctor", "running", "coffee",
         "train", "weekend", "sister", "dinner", "invoice", "deadline", "guitar", "lesson", "flight", "hotel")


def _sentence(rng: random.Random, words: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _conversation_rows(uid: str, count: int, rng: random.Random) -> tuple[list[dict], list[dict], list[dict]]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    convs, segs, items = [], [], []
    for i in range(count):
        cid, started = new_id(), start + timedelta(minutes=37 * i)
        convs.append({
            "id": cid, "uid": uid, "created_at": started, "started_at": started,
            "finished_at": started + timedelta(minutes=4), "source": "omi", "language": "en",
            "status": "completed", "title": _sentence(rng, 5), "overview": _sentence(rng, 40), "emoji": "🌱",
            "category": "personal", "events": [], "geolocation": None, "photos": [], "apps_results": [],
            "external_data": None, "discarded": False, "visibility": "private", "postprocessing": None,
        })
        for s in range(SEGMENTS_PER_CONVERSATION):
            segs.append({
                "conversation_id": cid, "id": new_id(), "text": _sentence(rng), "speaker": f"SPEAKER_0{s % 2}",
                "speaker_id": s % 2, "is_user": s % 2 == 0, "person_id": None, "start": s * 6.0,
                "end": s * 6.0 + 5.5,
            })
        items.append({
            "id": new_id(), "uid": uid, "conversation_id": cid, "description": _sentence(rng, 6),
            "completed": False, "created_at": started, "updated_at": started, "due_at": None, "completed_at": None,
        })
    return convs, segs, items


def _memory_rows(uid: str, count: int, rng: random.Random) -> list[dict]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [{
        "id": new_id(), "uid": uid, "content": _sentence(rng, 10), "category": "personal", "visibility": "private",
        "tags": [], "created_at": start + timedelta(minutes=11 * i), "updated_at": start, "conversation_id": None,
        "reviewed": False, "user_review": None, "manually_added": False, "edited": False, "superseded_by": None,
    } for i in range(count)]


async def _insert(database: Database, table, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    for offset in range(0, len(rows), 2000):
        async with database.transaction(write=True) as connection:
            await connection.execute(insert(table), rows[offset:offset + 2000])


async def seed(url: str, n_conversations: int, n_memories: int) -> str:
    """Fill the database; return the main user's token."""
    database = Database(url)
    rng = random.Random(7)
    try:
        await upgrade(database)
        users = UserService(Storage(database))
        owners = [await users.create_user("bench")]
        owners += [await users.create_user(f"other {i}") for i in range(OTHER_USERS)]
        for index, (user, _token) in enumerate(owners):
            share = 1 if index == 0 else OTHER_USERS
            convs, segs, items = _conversation_rows(user.uid, n_conversations // share, rng)
            await _insert(database, conversations, convs)
            await _insert(database, transcript_segments, segs)
            await _insert(database, action_items, items)
            await _insert(database, memories, _memory_rows(user.uid, n_memories // share, rng))
        async with database.engine.connect() as connection:
            # A live database gets its planner statistics from autovacuum (PostgreSQL) or
            # `PRAGMA optimize`; a freshly bulk-loaded one has none yet.
            await connection.execute(text("ANALYZE"))
            await connection.commit()
        return owners[0][1]
    finally:
        await database.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(folder: Path, url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "MNEMO_DATA_DIR": str(folder), "MNEMO_DATABASE_URL": url, "MNEMO_LOG_LEVEL": "warning"}
    process = subprocess.Popen([sys.executable, "-m", "mnemo", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


_WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("LATENCY %f %f %f %d\\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
                         latency:percentile(99) / 1000, summary.requests))
end
"""


def _latency(base: str, token: str, path: str, requests: int) -> dict[str, object]:
    """Sequential requests on one keep-alive connection: wrk -c1 when installed, else httpx."""
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http:
        response = http.get(path)
        response.raise_for_status()
        shape = {"items": len(response.json()), "bytes": len(response.content)}
        if shutil.which("wrk"):
            return {**shape, **_wrk_latency(base + path, token)}
        timings = []
        for _ in range(requests):
            began = time.perf_counter()
            http.get(path).raise_for_status()
            timings.append((time.perf_counter() - began) * 1000)
    return {**shape, "client": "httpx", "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(_percentile(timings, 0.95), 2), "p99_ms": round(_percentile(timings, 0.99), 2)}


def _wrk_latency(url: str, token: str, seconds: int = 10) -> dict[str, object]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(_WRK_REPORT)
        script.flush()
        done = subprocess.run(["wrk", "-t1", "-c1", f"-d{seconds}s", "-s", script.name,
                               "-H", f"Authorization: Bearer {token}", url], capture_output=True, text=True, check=True)
    p50, p95, p99, count = re.search(r"LATENCY (\S+) (\S+) (\S+) (\d+)", done.stdout).groups()
    return {"client": "wrk -c1 (sequential)", "requests": int(count), "p50_ms": round(float(p50), 2),
            "p95_ms": round(float(p95), 2), "p99_ms": round(float(p99), 2)}


def _throughput(base: str, token: str, path: str, seconds: int = 8) -> dict[str, object]:
    if shutil.which("wrk"):
        done = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "-H", f"Authorization: Bearer {token}",
                               base + path], capture_output=True, text=True, check=True)
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
        failed = int(errors.group(1)) if errors else 0
        return {"tool": "wrk -t2 -c16", "requests_per_s": round(rps, 1), "errors": failed}

    def worker(_: int) -> int:
        count, deadline = 0, time.monotonic() + seconds
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http:
            while time.monotonic() < deadline:
                http.get(path).raise_for_status()
                count += 1
        return count

    with ThreadPoolExecutor(8) as pool:
        total = sum(pool.map(worker, range(8)))
    return {"tool": "8 python clients", "requests_per_s": round(total / seconds, 1), "errors": 0}


def run_backend(name: str, url: str, folder: Path, args: argparse.Namespace) -> dict[str, object]:
    began = time.perf_counter()
    token = asyncio.run(seed(url, args.conversations, args.memories))
    print(f"[{name}] seeded in {time.perf_counter() - began:.0f}s", flush=True)
    process, base = _start_server(folder, url)
    try:
        figures: dict[str, object] = {}
        for route, path in ROUTES.items():
            figures[route] = {**_latency(base, token, path, args.requests), **_throughput(base, token, path)}
            print(f"[{name}] GET {path}: {figures[route]}", flush=True)
        return figures
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--memories", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    results: dict[str, object] = {
        "setup": {"conversations": args.conversations, "memories": args.memories, "other_users": OTHER_USERS,
                  "segments_per_conversation": SEGMENTS_PER_CONVERSATION, "cpus": os.cpu_count()},
    }
    with tempfile.TemporaryDirectory(prefix="mnemo-bench-") as scratch:
        root = Path(scratch)
        if args.only in (None, "sqlite"):
            results["sqlite"] = run_backend("sqlite", f"sqlite:///{root / 'mnemo.db'}", root, args)
        if args.only in (None, "postgres"):
            import pgserver

            server = pgserver.get_server(root / "pg", cleanup_mode="stop")
            try:
                results["postgres"] = run_backend("postgres", server.get_uri(), root, args)
            finally:
                server.cleanup()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
