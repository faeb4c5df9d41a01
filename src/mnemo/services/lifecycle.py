"""The conversation lifecycle: in progress while segments arrive, finalized exactly once.

A conversation is finalized when its silence timeout passes, when the client asks (stop message,
a clean close, `POST /v1/conversations`), or by the sweeper when no session holds it any more
(after a crash or a restart). Finalizing is a state change in the database plus a queued job;
an empty conversation is deleted instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from mnemo.models.categories import ConversationSource
from mnemo.models.common import utcnow
from mnemo.models.conversation import Conversation, ConversationStatus
from mnemo.models.filters import ConversationFilter
from mnemo.models.segment import TranscriptSegment
from mnemo.storage.unit_of_work import Storage

from .processing import ProcessingService
from .segment_writer import SegmentWriter

MAX_TIMEOUT_SECONDS = 4 * 60 * 60


@dataclass(frozen=True)
class LifecycleSettings:
    timeout_floor_seconds: int = 120
    default_timeouts: dict[str, int] = field(default_factory=lambda: {"omi": 120})
    fallback_timeout_seconds: int = 120

    def timeout_for(self, requested: int | None, source: ConversationSource) -> int:
        """Omi's rule: -1 means four hours; anything else is clamped to [floor, 4 h]."""
        if requested is None:
            requested = self.default_timeouts.get(source.value, self.fallback_timeout_seconds)
        if requested == -1:
            return MAX_TIMEOUT_SECONDS
        return max(self.timeout_floor_seconds, min(requested, MAX_TIMEOUT_SECONDS))


class Finalized(StrEnum):
    queued = "queued"  # handed to processing
    deleted = "deleted"  # it had no segments
    not_in_progress = "not_in_progress"  # someone finalized it already


@dataclass(frozen=True)
class Finalization:
    outcome: Finalized
    job_id: str | None = None


class LifecycleService:
    def __init__(self, storage: Storage, processing: ProcessingService, settings: LifecycleSettings | None = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._storage = storage
        self._processing = processing
        self.settings = settings or LifecycleSettings()
        self.clock = clock
        self._writer = SegmentWriter(storage, lambda: self.clock())

    async def in_progress(self, uid: str) -> Conversation | None:
        async with self._storage.read() as uow:
            found = await uow.conversations.list(uid, ConversationFilter(statuses=(ConversationStatus.in_progress,)),
                                                 1, 0)
        return found[0] if found else None

    async def start(self, uid: str, source: ConversationSource, language: str | None, timeout_seconds: int,
                    started_at: datetime) -> Conversation:
        conversation = Conversation(started_at=started_at, source=source, language=language,
                                    status=ConversationStatus.in_progress)
        async with self._storage.write() as uow:
            await uow.conversations.add(uid, conversation)
            await uow.conversations.update_fields(uid, conversation.id, {
                "last_activity_at": self.clock(), "timeout_seconds": timeout_seconds})
        return conversation

    async def record(self, uid: str, conversation_id: str, segments: Sequence[TranscriptSegment]) -> bool:
        """Store new and changed segments and note the activity; False if it is no longer in progress."""
        return await self._writer.record(uid, conversation_id, segments)

    async def expired(self, uid: str, conversation_id: str) -> bool:
        """Has this in-progress conversation been quiet for longer than its timeout?"""
        async with self._storage.read() as uow:
            current = await uow.conversations.activity(uid, conversation_id)
        if current is None or current[0] != ConversationStatus.in_progress.value:
            return False
        return _past_timeout((uid, conversation_id, current[1], current[2]), self.clock(), self.settings)

    async def finalize(self, uid: str, conversation_id: str) -> Finalization:
        async with self._storage.write() as uow:
            if not await uow.conversations.begin_finalizing(uid, conversation_id):
                return Finalization(Finalized.not_in_progress)
            await uow.conversations.update_fields(uid, conversation_id, {"finished_at": self.clock()})
            if not await uow.conversations.has_segments(conversation_id):
                await uow.conversations.delete(uid, conversation_id)
                return Finalization(Finalized.deleted)
            job = await self._processing.enqueue(uow, uid, conversation_id, {})
        return Finalization(Finalized.queued, job.id)

    async def sweep(self) -> int:
        """Finalize in-progress conversations whose timeout passed with nobody finalizing them."""
        now = self.clock()
        idle_since = now - timedelta(seconds=self.settings.timeout_floor_seconds)
        async with self._storage.read() as uow:
            candidates = await uow.conversations.idle_in_progress(idle_since)
        swept = 0
        for row in candidates:
            if _past_timeout(row, now, self.settings):
                swept += (await self.finalize(row[0], row[1])).outcome is not Finalized.not_in_progress
        return swept


def _past_timeout(row: tuple[str, str, datetime, int | None], now: datetime, settings: LifecycleSettings) -> bool:
    _uid, _cid, last_activity, timeout = row
    limit = timeout if timeout is not None else settings.fallback_timeout_seconds
    return last_activity is not None and (now - last_activity).total_seconds() >= limit
