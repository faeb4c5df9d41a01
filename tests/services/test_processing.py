"""The job machinery behind processing: exactly once, retries with backoff, leases, reprocess."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from mnemo.models.conversation import ConversationStatus, NewConversation
from mnemo.models.job import JobStatus
from mnemo.services.container import Services
from mnemo.services.processing import ProcessingService, ProcessingSettings
from mnemo.storage.tables import action_items, jobs, memories
from tests.conftest import Caller
from tests.conversations import PLANNING, body
from tests.scripted import CountingExtractor, FlakyExtractor


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 4, 14, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def _queued(services: Services, processing: ProcessingService, uid: str) -> str:
    """Store a conversation and queue its processing, without running it."""
    new = NewConversation.model_validate(body(PLANNING))
    from mnemo.models.conversation import Conversation

    conversation = Conversation(started_at=new.started_at, finished_at=new.finished_at,
                                status=ConversationStatus.processing,
                                transcript_segments=[s.to_segment() for s in new.transcript_segments])
    async with services.storage.write() as uow:
        await uow.conversations.add(uid, conversation)
        await processing.enqueue(uow, uid, conversation.id, {})
    return conversation.id


async def _counts(services: Services, uid: str) -> tuple[int, int, int]:
    async with services.storage.database.transaction(write=False) as db:
        count = lambda table: select(func.count()).select_from(table).where(table.c.uid == uid)  # noqa: E731
        return tuple([(await db.execute(count(t))).scalar_one() for t in (action_items, memories, jobs)])  # type: ignore[return-value]


async def _conversation(services: Services, uid: str, cid: str):  # type: ignore[no-untyped-def]
    async with services.storage.read() as uow:
        return await uow.conversations.get(uid, cid)


async def test_processing_twice_leaves_one_set(services: Services, alice: Caller) -> None:
    clock = Clock()
    processing = ProcessingService(services.storage, CountingExtractor(), clock=clock)
    cid = await _queued(services, processing, alice.uid)
    assert await processing.run_next("w1")
    first = await _counts(services, alice.uid)
    async with services.storage.write() as uow:
        await processing.enqueue(uow, alice.uid, cid, {})
    assert await processing.run_next("w1")
    assert await _counts(services, alice.uid) == first
    assert first[0] >= 1 and first[1] >= 1 and first[2] == 1
    assert not await processing.run_next("w1")


async def test_failures_retry_with_backoff_then_succeed(services: Services, alice: Caller) -> None:
    clock = Clock()
    extractor = FlakyExtractor(failures=2)
    processing = ProcessingService(services.storage, extractor, ProcessingSettings(retry_base_seconds=10), clock)
    cid = await _queued(services, processing, alice.uid)

    assert await processing.run_next("w1")
    pending = await _conversation(services, alice.uid, cid)
    assert pending.status == ConversationStatus.processing
    assert "garbage" in pending.processing_error
    assert not await processing.run_next("w1"), "the retry waits for its backoff"
    clock.advance(10)
    assert await processing.run_next("w1")
    assert not await processing.run_next("w1")
    clock.advance(20)  # the second retry waits twice as long
    assert await processing.run_next("w1")
    done = await _conversation(services, alice.uid, cid)
    assert done.status == ConversationStatus.completed and done.processing_error is None
    assert extractor.calls == 3


async def test_the_last_failure_ends_failed_and_reprocess_revives(services: Services, alice: Caller) -> None:
    clock = Clock()
    extractor = FlakyExtractor(failures=2)
    settings = ProcessingSettings(max_attempts=2, retry_base_seconds=1)
    processing = ProcessingService(services.storage, extractor, settings, clock)
    cid = await _queued(services, processing, alice.uid)
    assert await processing.run_next("w1")
    clock.advance(5)
    assert await processing.run_next("w1")
    failed = await _conversation(services, alice.uid, cid)
    assert failed.status == ConversationStatus.failed
    assert "ExtractionFailed" in failed.processing_error
    clock.advance(3600)
    assert not await processing.run_next("w1"), "a failed job is not retried by itself"

    async with services.storage.write() as uow:
        await processing.enqueue(uow, alice.uid, cid, {"reprocess": True})
    assert await processing.run_next("w1")
    revived = await _conversation(services, alice.uid, cid)
    assert revived.status == ConversationStatus.completed and revived.structured.action_items


async def test_an_expired_lease_passes_the_job_to_another_worker(services: Services, alice: Caller) -> None:
    clock = Clock()
    processing = ProcessingService(services.storage, CountingExtractor(), ProcessingSettings(lease_seconds=30), clock)
    cid = await _queued(services, processing, alice.uid)
    async with services.storage.write() as uow:  # worker 1 claims, then dies silently
        stalled = await uow.jobs.claim("w1", clock(), clock() + timedelta(seconds=30))
    assert stalled is not None
    assert not await processing.run_next("w2"), "the lease still holds"
    clock.advance(31)
    assert await processing.run_next("w2")
    assert (await _conversation(services, alice.uid, cid)).status == ConversationStatus.completed
    async with services.storage.write() as uow:  # the stale worker wakes up: its result is refused
        assert not await uow.jobs.finish(stalled.id, "w1", {"status": JobStatus.done.value})
        assert (await uow.jobs.get(stalled.id)).worker == "w2"


async def test_abandoned_last_attempts_end_failed(services: Services, alice: Caller) -> None:
    clock = Clock()
    processing = ProcessingService(services.storage, CountingExtractor(),
                                   ProcessingSettings(lease_seconds=30, max_attempts=1), clock)
    cid = await _queued(services, processing, alice.uid)
    async with services.storage.write() as uow:
        await uow.jobs.claim("w1", clock(), clock() + timedelta(seconds=30))
    clock.advance(60)
    assert not await processing.run_next("w2")
    assert await processing.fail_abandoned() == 1
    failed = await _conversation(services, alice.uid, cid)
    assert failed.status == ConversationStatus.failed and "stopped responding" in failed.processing_error


async def test_an_empty_conversation_is_deleted_not_processed(services: Services, alice: Caller) -> None:
    from mnemo.models.conversation import Conversation

    processing = ProcessingService(services.storage, CountingExtractor())
    empty = Conversation(status=ConversationStatus.in_progress)
    async with services.storage.write() as uow:
        await uow.conversations.add(alice.uid, empty)
        await processing.enqueue(uow, alice.uid, empty.id, {})
    assert await processing.run_next("w1")
    assert await _conversation(services, alice.uid, empty.id) is None
