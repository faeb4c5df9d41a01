"""Group commit for live segments: every socket's new segments are written together.

A few times a second, one transaction checks which conversations are still in progress, inserts
upserts every socket's new and merged segments and notes the activity: three statements for any number of
sockets, instead of a transaction per socket per second.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from mnemo.models.conversation import ConversationStatus
from mnemo.models.segment import TranscriptSegment
from mnemo.storage.unit_of_work import Storage


@dataclass
class _Request:
    uid: str
    conversation_id: str
    segments: Sequence[TranscriptSegment]
    done: asyncio.Future[bool]


class SegmentWriter:
    def __init__(self, storage: Storage, clock: Callable[[], datetime], gather_seconds: float = 0.05) -> None:
        self._storage = storage
        self._clock = clock
        self._gather_seconds = gather_seconds
        self._pending: list[_Request] = []
        self._task: asyncio.Task[None] | None = None

    async def record(self, uid: str, conversation_id: str, segments: Sequence[TranscriptSegment]) -> bool:
        """Store the segments; False if the conversation is not the user's or no longer in progress."""
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append(_Request(uid, conversation_id, segments, done))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._write_soon())
        return await asyncio.shield(done)

    async def _write_soon(self) -> None:
        while self._pending:
            await asyncio.sleep(self._gather_seconds)  # let other sockets' segments join this commit
            batch, self._pending = self._pending, []
            try:
                outcome = await self._write(batch)
            except Exception as error:
                for request in batch:
                    if not request.done.done():
                        request.done.set_exception(error)
                continue
            for request, stored in zip(batch, outcome, strict=True):
                if not request.done.done():
                    request.done.set_result(stored)

    async def _write(self, batch: list[_Request]) -> list[bool]:
        async with self._storage.write() as uow:
            known = await uow.conversations.statuses([r.conversation_id for r in batch])
            live = [
                r for r in batch
                if known.get(r.conversation_id) == (r.uid, ConversationStatus.in_progress.value)
            ]
            await uow.conversations.upsert_segments([(r.conversation_id, s) for r in live for s in r.segments])
            await uow.conversations.touch(sorted({r.conversation_id for r in live}), self._clock())
        accepted = {id(r) for r in live}
        return [id(r) in accepted for r in batch]
