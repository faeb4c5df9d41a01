"""Processing: turn a finished conversation into its summary, action items, events and memories,
then index them for search.

Work goes through the jobs table. A worker claims a job with a lease, extracts, and commits
the results in the same transaction that marks the job done, and only while it still holds
the lease: a worker that died or stalled cannot write over one that took its place, and the
results land exactly once. Failures are retried with backoff and end `failed` with the reason.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mnemo.models.common import utcnow
from mnemo.models.conversation import Conversation, ConversationStatus, CustomStructured, NewMemoryText
from mnemo.models.extraction import Extraction, ExtractionContext
from mnemo.models.job import Job, JobStatus
from mnemo.models.structured import ActionItem
from mnemo.models.user import User
from mnemo.providers.llm.port import Extractor
from mnemo.storage.unit_of_work import Storage, UnitOfWork

from .indexing import Indexer
from .memory_merge import plan_merge

log = logging.getLogger("mnemo.processing")


@dataclass(frozen=True)
class ProcessingSettings:
    discard_below_words: int = 8
    lease_seconds: float = 120.0
    max_attempts: int = 5
    retry_base_seconds: float = 2.0
    retry_max_seconds: float = 600.0


class LeaseLost(Exception):
    """Another worker took the job over; this one's results must not be written."""


class ProcessingService:
    def __init__(
        self,
        storage: Storage,
        extractor: Extractor,
        settings: ProcessingSettings | None = None,
        clock: Callable[[], datetime] = utcnow,
        indexer: Indexer | None = None,
    ) -> None:
        self._storage = storage
        self._indexer = indexer
        self._extractor = extractor
        self.extractor_name = extractor.name
        self.settings = settings or ProcessingSettings()
        self._clock = clock

    async def enqueue(self, uow: UnitOfWork, uid: str, conversation_id: str, payload: dict[str, Any]) -> Job:
        """Queue processing inside the caller's unit of work (so the hand-over is atomic)."""
        job = Job(uid=uid, conversation_id=conversation_id, max_attempts=self.settings.max_attempts,
                  payload=payload, run_after=self._clock())
        await uow.jobs.put(job)
        await uow.conversations.update_fields(
            uid, conversation_id, {"status": ConversationStatus.processing.value, "processing_error": None}
        )
        return job

    async def run_next(self, worker: str) -> bool:
        """Claim the next due job and process it; False when there was nothing to do."""
        job = await self._claim(worker)
        if job is None:
            return False
        await self._run(job, worker)
        return True

    async def run_now(self, job_id: str, worker: str) -> bool:
        """Process one particular job at once, unless another worker already has it."""
        job = await self._claim(worker, job_id)
        if job is None:
            return False
        await self._run(job, worker)
        return True

    async def fail_abandoned(self) -> int:
        """Jobs whose worker vanished during their last allowed attempt end `failed`."""
        now = self._clock()
        async with self._storage.write() as uow:
            abandoned = await uow.jobs.expired_beyond_attempts(now)
            for job in abandoned:
                reason = "the worker processing this conversation stopped responding on its last attempt"
                await uow.jobs.mark(job.id, {"status": JobStatus.failed.value, "last_error": reason,
                                             "lease_until": None, "updated_at": now})
                await uow.conversations.update_fields(
                    job.uid, job.conversation_id,
                    {"status": ConversationStatus.failed.value, "processing_error": reason},
                )
        return len(abandoned)

    async def _claim(self, worker: str, job_id: str | None = None) -> Job | None:
        now = self._clock()
        lease_until = now + timedelta(seconds=self.settings.lease_seconds)
        async with self._storage.write() as uow:
            return await uow.jobs.claim(worker, now, lease_until, job_id)

    async def _run(self, job: Job, worker: str) -> None:
        try:
            await self._process(job, worker)
        except LeaseLost:
            log.warning("job %s was taken over by another worker; dropping this run", job.id)
        except Exception as error:  # any failure of one job is recorded, never fatal to the worker
            log.warning("processing %s failed (attempt %d): %s", job.conversation_id, job.attempts, error)
            await self._record_failure(job, worker, error)

    async def _process(self, job: Job, worker: str) -> None:
        async with self._storage.read() as uow:
            conversation = await uow.conversations.get(job.uid, job.conversation_id)
            user = await uow.users.get(job.uid)
            known = [m.content for m in await uow.memories.active(job.uid) if m.conversation_id != job.conversation_id]
        if conversation is None or user is None:
            return  # deleted meanwhile; its job went with it
        if not any(segment.text.strip() for segment in conversation.transcript_segments):
            async with self._storage.write() as uow:
                await self._finish(uow, job, worker)
                await uow.conversations.delete(job.uid, job.conversation_id)
            return
        extraction, custom_memories = await self._extraction(conversation, user, known, job.payload)
        async with self._storage.write() as uow:
            await self._finish(uow, job, worker)
            await self._store(uow, job.uid, conversation, extraction, custom_memories)
        if self._indexer is not None:
            await self._indexer.try_index_conversation(job.uid, job.conversation_id)

    async def _extraction(
        self, conversation: Conversation, user: User, known: list[str], payload: dict[str, Any]
    ) -> tuple[Extraction, list[NewMemoryText]]:
        custom = CustomStructured.model_validate(payload["custom_structured"]) if payload.get(
            "custom_structured") else None
        custom_memories = [NewMemoryText.model_validate(m) for m in payload.get("custom_memories", [])]
        reprocess = bool(payload.get("reprocess"))
        words = sum(len(s.text.split()) for s in conversation.transcript_segments)
        if payload.get("skip_processing"):
            extraction = Extraction()
        elif words < self.settings.discard_below_words and not reprocess and custom is None:
            extraction = Extraction(discarded=True)
        else:
            context = ExtractionContext(
                user_name=user.name, time_zone=user.time_zone, started_at=conversation.started_at or
                conversation.created_at, now=self._clock(), existing_memories=known, allow_discard=not reprocess,
            )
            extraction = await self._extractor.extract(conversation.transcript_segments, context)
        if custom is not None:
            extracted = extraction.model_dump()
            extraction = Extraction.model_validate({
                **extracted, "title": custom.title, "overview": custom.overview,
                "emoji": custom.emoji, "category": custom.category, "discarded": False,
                "action_items": [i.model_dump() for i in custom.action_items] or extracted["action_items"],
                "events": [e.model_dump() for e in custom.events] or extracted["events"],
            })
        return extraction, custom_memories

    async def _finish(self, uow: UnitOfWork, job: Job, worker: str) -> None:
        done = {"status": JobStatus.done.value, "lease_until": None, "last_error": None, "updated_at": self._clock()}
        if not await uow.jobs.finish(job.id, worker, done):
            raise LeaseLost(job.id)

    async def _store(
        self,
        uow: UnitOfWork,
        uid: str,
        conversation: Conversation,
        extraction: Extraction,
        custom: list[NewMemoryText],
    ) -> None:
        cid, now = conversation.id, self._clock()
        await uow.memories.remove_extracted(uid, cid)
        discarded = extraction.discarded
        incoming = [] if discarded else [NewMemoryText(content=m.content, category=m.category)
                                         for m in extraction.memories]
        plan = plan_merge(uid, cid, [*custom, *incoming], await uow.memories.active(uid), now)
        await uow.memories.add_many(plan.add)
        for old_id, new_id in plan.supersede.items():
            await uow.memories.update(uid, old_id, {"superseded_by": new_id, "updated_at": now})
        items = [] if discarded else [
            ActionItem(description=item.description, due_at=item.due_at, conversation_id=cid, created_at=now,
                       updated_at=now)
            for item in extraction.action_items
        ]
        await uow.action_items.replace_for_conversation(uid, cid, items)
        await uow.conversations.update_fields(uid, cid, {
            "title": extraction.title, "overview": extraction.overview, "emoji": extraction.emoji,
            "category": extraction.category.value, "discarded": discarded,
            "events": [] if discarded else [e.model_dump(mode="json") for e in extraction.events],
            "status": ConversationStatus.completed.value, "processing_error": None, "needs_index": True,
        })

    async def _record_failure(self, job: Job, worker: str, error: Exception) -> None:
        now = self._clock()
        reason = f"{type(error).__name__}: {error}"[:2000]
        async with self._storage.write() as uow:
            if job.attempts >= job.max_attempts:
                if await uow.jobs.finish(job.id, worker, {"status": JobStatus.failed.value, "last_error": reason,
                                                          "lease_until": None, "updated_at": now}):
                    await uow.conversations.update_fields(job.uid, job.conversation_id, {
                        "status": ConversationStatus.failed.value, "processing_error": reason})
                return
            delay = min(self.settings.retry_base_seconds * 2 ** (job.attempts - 1), self.settings.retry_max_seconds)
            if await uow.jobs.finish(job.id, worker, {
                "status": JobStatus.queued.value, "last_error": reason, "lease_until": None,
                "run_after": now + timedelta(seconds=delay), "updated_at": now,
            }):
                await uow.conversations.update_fields(job.uid, job.conversation_id, {"processing_error": reason})


async def wait_until_settled(
    storage: Storage, uid: str, conversation_id: str, poll: float = 0.05
) -> Conversation | None:
    """Wait (under the caller's `asyncio.timeout`) until processing completes or fails."""
    while True:
        async with storage.read() as uow:
            conversation = await uow.conversations.get(uid, conversation_id)
        if conversation is None or conversation.status in (ConversationStatus.completed, ConversationStatus.failed):
            return conversation
        await asyncio.sleep(poll)
