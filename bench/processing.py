"""Processing speed: pipeline overhead, conversations/s for one worker, and LLM call concurrency.

(a) Overhead: conversations of 60 segments go through the whole job path (claim, load, extract,
    merge memories, write items, finish) with an extractor that answers instantly, so what is
    measured is mnemo's own work. Per conversation, p50/p95, on SQLite and PostgreSQL.
(b) One worker with the offline extractor: conversations processed per second.
(c) The LLM extractor against a local OpenAI-compatible endpoint that answers after a fixed
    delay: end-to-end extraction latency against one call's delay and the sum of the three.

    .venv/bin/python bench/processing.py [--conversations 200] [--delay 0.25]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.model_server import Script, model_server

from mnemo.models.conversation import Conversation, ConversationStatus
from mnemo.models.extraction import ExtractedActionItem, ExtractedMemory, Extraction, ExtractionContext
from mnemo.models.segment import SegmentIn, TranscriptSegment
from mnemo.models.structured import Event
from mnemo.providers.llm.chat_models import OpenAICompatibleModel
from mnemo.providers.llm.llm_extractor import LLMExtractor
from mnemo.providers.llm.offline.extractor import OfflineExtractor
from mnemo.services.processing import ProcessingService
from mnemo.services.users import UserService
from mnemo.storage.database import Database
from mnemo.storage.migrate import upgrade
from mnemo.storage.unit_of_work import Storage

RESULTS = Path(__file__).parent / "results" / "processing.json"
LINES = [
    (False, "Could you send me the budget numbers before the review?"),
    (True, "Sure, I'll send the budget numbers tomorrow morning."),
    (False, "Great. The review is on Thursday at 3 p.m. in the big room."),
    (True, "Thursday at 3 p.m. works. I'm allergic to peanuts, so no snacks for me please."),
    (False, "Noted. How is your sister doing in Lisbon?"),
    (True, "She's great, she just started a new job there."),
]
START = datetime(2026, 4, 14, 8, 0, tzinfo=UTC)


def sixty_segments() -> list[TranscriptSegment]:
    return [SegmentIn(text=LINES[i % len(LINES)][1], speaker_id=0 if LINES[i % len(LINES)][0] else 1,
                      is_user=LINES[i % len(LINES)][0], start=i * 5.0, end=i * 5.0 + 4).to_segment()
            for i in range(60)]


class InstantExtractor:
    """Answers at once with a typical extraction: the pipeline's own cost is what remains."""

    name = "instant"

    async def extract(self, segments: list[TranscriptSegment], context: ExtractionContext) -> Extraction:
        return Extraction(
            title="Budget review", overview="Budget numbers before Thursday's review.", category="work",
            action_items=[ExtractedActionItem(description="Send the budget numbers", due_at=START + timedelta(days=1))],
            events=[Event(title="Budget review", start=START + timedelta(days=2), duration=60)],
            memories=[ExtractedMemory(content=f"Allergic to peanuts ({len(segments)})", category="health")],
        )


async def queue(storage: Storage, processing: ProcessingService, uid: str, count: int) -> None:
    async with storage.write() as uow:
        for i in range(count):
            conversation = Conversation(started_at=START + timedelta(hours=i), status=ConversationStatus.processing,
                                        transcript_segments=sixty_segments())
            await uow.conversations.add(uid, conversation)
            await processing.enqueue(uow, uid, conversation.id, {})


async def drain(processing: ProcessingService) -> list[float]:
    timings = []
    while True:
        began = time.perf_counter()
        if not await processing.run_next("bench"):
            return timings
        timings.append((time.perf_counter() - began) * 1000)


async def pipeline(url: str, count: int) -> dict[str, object]:
    database = Database(url)
    try:
        await upgrade(database)
        storage = Storage(database)
        user, _ = await UserService(storage).create_user("bench")
        instant = ProcessingService(storage, InstantExtractor())
        await queue(storage, instant, user.uid, count)
        overhead = await drain(instant)
        offline = ProcessingService(storage, OfflineExtractor())
        await queue(storage, offline, user.uid, count)
        began = time.perf_counter()
        processed = len(await drain(offline))
        elapsed = time.perf_counter() - began
    finally:
        await database.dispose()
    return {
        "segments_per_conversation": 60,
        "overhead_ms_p50": round(statistics.median(overhead), 2),
        "overhead_ms_p95": round(sorted(overhead)[int(0.95 * (len(overhead) - 1))], 2),
        "offline_worker_conversations_per_s": round(processed / elapsed, 1),
    }


async def llm_latency(delay: float, rounds: int) -> dict[str, object]:
    script = Script(delay=delay)
    context = ExtractionContext(user_name="Bench", time_zone="Europe/Berlin", started_at=START, now=START)
    segments = sixty_segments()
    with model_server(script) as base:
        async with httpx.AsyncClient() as client:
            extractor = LLMExtractor(OpenAICompatibleModel(client, f"{base}/v1", "k", "m", timeout=30, retries=0))
            await extractor.extract(segments, context)
            timings = []
            for _ in range(rounds):
                began = time.perf_counter()
                await extractor.extract(segments, context)
                timings.append(time.perf_counter() - began)
    return {"endpoint_delay_s": delay, "calls_per_conversation": 3, "sum_of_calls_s": round(3 * delay, 3),
            "end_to_end_s_p50": round(statistics.median(timings), 3), "end_to_end_s_max": round(max(timings), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.25)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="mnemo-bench-") as scratch:
        if args.only in (None, "sqlite"):
            results["sqlite"] = asyncio.run(pipeline(f"sqlite:///{scratch}/bench.db", args.conversations))
            print(f"[sqlite] {results['sqlite']}", flush=True)
        if args.only in (None, "postgres"):
            import pgserver

            server = pgserver.get_server(Path(scratch) / "pg", cleanup_mode="stop")
            try:
                results["postgres"] = asyncio.run(pipeline(server.get_uri(), args.conversations))
                print(f"[postgres] {results['postgres']}", flush=True)
            finally:
                server.cleanup()
    results["llm"] = asyncio.run(llm_latency(args.delay, rounds=5))
    print(f"[llm] {results['llm']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
