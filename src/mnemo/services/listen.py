"""One live capture: segments in (from speech recognition or from an integration), merged
segments out, stored at most a second behind, and the conversation finalized exactly once.

Sockets of the same user share the user's one in-progress conversation. Whichever finalizes it
ends it for both; the other's next segment begins a new conversation.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from mnemo.models.categories import ConversationSource
from mnemo.models.conversation import Conversation
from mnemo.models.segment import SegmentIn, TranscriptSegment

from .lifecycle import Finalization, LifecycleService

MERGE_GAP_SECONDS = 1.5
_SENTENCE_END = re.compile(r"[.?!]['\")\]]*\s*$")


@dataclass
class ListenSession:
    uid: str
    lifecycle: LifecycleService
    source: ConversationSource
    language: str | None
    timeout_seconds: int
    conversation_id: str | None = None
    segments: list[TranscriptSegment] = field(default_factory=list)
    _unsaved: dict[str, TranscriptSegment] = field(default_factory=dict)
    _unsent: dict[str, TranscriptSegment] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # the in-memory transcript
    _saving: asyncio.Lock = field(default_factory=asyncio.Lock)  # one database write at a time
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    _quiet_since: datetime | None = None

    async def resume(self) -> tuple[str, Finalization] | None:
        """On connect: continue the user's conversation in progress, or finalize it if it timed out."""
        live = await self.lifecycle.in_progress(self.uid)
        if live is None:
            return None
        if await self.lifecycle.expired(self.uid, live.id):
            return live.id, await self.lifecycle.finalize(self.uid, live.id)
        self._adopt(live)
        return None

    async def add(self, incoming: Iterable[SegmentIn]) -> None:
        """Take new segments: merge them into the transcript and queue them to store and to send."""
        async with self._lock:
            for new in incoming:
                if not new.text.strip():
                    continue
                if self.conversation_id is None:
                    await self._begin()
                self._quiet_since = self.lifecycle.clock()
                changed = self._merge(new.to_segment())
                self._unsaved[changed.id] = changed
                self._unsent[changed.id] = changed
                self.changed.set()

    def take_unsent(self) -> list[TranscriptSegment]:
        unsent = list(self._unsent.values())
        self._unsent.clear()
        self.changed.clear()
        return unsent

    async def save(self) -> None:
        """Store what changed since the last save (called about once a second, and before finalizing).

        New segments keep arriving while this writes: only the snapshot is held, not the transcript.
        """
        async with self._saving:
            await self._save()

    async def timed_out(self) -> bool:
        if self.conversation_id is None:
            return False
        quiet_for = (self.lifecycle.clock() - self._quiet_since).total_seconds() if self._quiet_since else None
        if quiet_for is not None and quiet_for < self.timeout_seconds:
            return False  # this socket heard something recently; no need to ask the database
        return await self.lifecycle.expired(self.uid, self.conversation_id)

    async def finalize(self) -> tuple[str | None, Finalization | None]:
        """Close the current conversation; the next segment begins a new one."""
        async with self._saving:
            await self._save()
            async with self._lock:
                conversation_id, self.conversation_id, self.segments = self.conversation_id, None, []
            if conversation_id is None:
                return None, None
            return conversation_id, await self.lifecycle.finalize(self.uid, conversation_id)

    async def _save(self) -> None:
        async with self._lock:
            pending, conversation_id = list(self._unsaved.values()), self.conversation_id
            self._unsaved.clear()
        if not pending or conversation_id is None:
            return
        try:
            stored = await self.lifecycle.record(self.uid, conversation_id, pending)
        except BaseException:  # failed or cancelled: keep the snapshot for the next save
            async with self._lock:
                for segment in pending:
                    self._unsaved.setdefault(segment.id, segment)
            raise
        if not stored:
            # Finalized elsewhere (another socket, POST /v1/conversations): carry on in a new one.
            async with self._lock:
                if self.conversation_id == conversation_id:
                    self.segments = [s for s in self.segments if s.id in {p.id for p in pending}]
                    self.conversation_id = None
                    await self._begin()
                target = self.conversation_id
            await self.lifecycle.record(self.uid, target, pending)  # type: ignore[arg-type]

    async def _begin(self) -> None:
        live = await self.lifecycle.in_progress(self.uid)
        if live is not None and not await self.lifecycle.expired(self.uid, live.id):
            self._adopt(live)
            return
        if live is not None:
            await self.lifecycle.finalize(self.uid, live.id)
        conversation = await self.lifecycle.start(self.uid, self.source, self.language, self.timeout_seconds,
                                                  self.lifecycle.clock())
        self.conversation_id = conversation.id

    def _adopt(self, live: Conversation) -> None:
        self.conversation_id = live.id
        self.segments = list(live.transcript_segments)

    def _merge(self, new: TranscriptSegment) -> TranscriptSegment:
        """Same speaker, a short gap and an unfinished sentence: one segment, as a reader wants it."""
        last = self.segments[-1] if self.segments else None
        if (
            last is not None
            and last.speaker_id == new.speaker_id
            and last.is_user == new.is_user
            and 0 <= new.start - last.end < MERGE_GAP_SECONDS
            and not _SENTENCE_END.search(last.text)
        ):
            merged = last.model_copy(update={"text": f"{last.text} {new.text.strip()}", "end": max(last.end, new.end)})
            self.segments[-1] = merged
            return merged
        self.segments.append(new)
        return new

