"""Conversations: create and process them, finalize the one in progress, read, edit, delete."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from mnemo.models.conversation import Conversation, ConversationStatus, NewConversation
from mnemo.models.filters import ConversationFilter
from mnemo.storage.unit_of_work import Storage

from .errors import Conflict, InvalidInput, NotFound
from .indexing import Indexer
from .lifecycle import Finalized, LifecycleService
from .processing import ProcessingService, wait_until_settled


class ConversationService:
    def __init__(self, storage: Storage, processing: ProcessingService, lifecycle: LifecycleService,
                 indexer: Indexer, wait_seconds: float = 300.0) -> None:
        self._storage = storage
        self._indexer = indexer
        self._processing = processing
        self._lifecycle = lifecycle
        self._wait_seconds = wait_seconds
        self._worker = f"api-{os.getpid()}"

    async def create(self, uid: str, new: NewConversation) -> Conversation:
        """Store a finished conversation and answer once its processing has finished (or failed)."""
        conversation = Conversation(
            started_at=new.started_at,
            finished_at=new.finished_at,
            source=new.source,
            language=new.language,
            geolocation=new.geolocation,
            status=ConversationStatus.processing,
            transcript_segments=[segment.to_segment() for segment in new.transcript_segments if segment.text.strip()],
        )
        payload: dict[str, Any] = {
            "custom_structured": new.custom_structured.model_dump(mode="json") if new.custom_structured else None,
            "custom_memories": [m.model_dump(mode="json") for m in new.custom_memories],
            "skip_processing": new.skip_processing,
        }
        async with self._storage.write() as uow:
            await uow.conversations.add(uid, conversation)
            job = await self._processing.enqueue(uow, uid, conversation.id, payload)
        return await self._settle(uid, conversation.id, job.id)

    async def finalize_in_progress(self, uid: str) -> Conversation:
        """Close the conversation being captured and process it (Omi's POST /v1/conversations)."""
        live = await self._lifecycle.in_progress(uid)
        if live is None:
            raise NotFound("Conversation in progress")
        finalized = await self._lifecycle.finalize(uid, live.id)
        if finalized.outcome is Finalized.deleted:
            raise NotFound("Conversation in progress with a transcript")
        if finalized.job_id is None:
            raise Conflict("the conversation in progress is already being finalized")
        return await self._settle(uid, live.id, finalized.job_id)

    async def reprocess(self, uid: str, conversation_id: str) -> Conversation:
        """Process again (never discarding), replacing this conversation's items and memories."""
        async with self._storage.write() as uow:
            current = await uow.conversations.get(uid, conversation_id)
            if current is None:
                raise NotFound("Conversation")
            if current.status == ConversationStatus.in_progress:
                raise Conflict("the conversation is still in progress; finalize it first")
            job = await self._processing.enqueue(uow, uid, conversation_id, {"reprocess": True})
        return await self._settle(uid, conversation_id, job.id)

    async def _settle(self, uid: str, conversation_id: str, job_id: str) -> Conversation:
        settled = None
        if not await self._processing.run_now(job_id, self._worker):
            # Another worker holds the job: wait for it. (After our own run the outcome is already
            # stored, including a failed attempt that waits for its retry.)
            try:
                async with asyncio.timeout(self._wait_seconds):
                    settled = await wait_until_settled(self._storage, uid, conversation_id)
            except TimeoutError:
                settled = None
        if settled is None:
            async with self._storage.read() as uow:
                settled = await uow.conversations.get(uid, conversation_id)
        if settled is None:
            raise NotFound("Conversation")
        return settled

    async def list(self, uid: str, where: ConversationFilter, limit: int, offset: int) -> list[Conversation]:
        if where.start_date and where.end_date and where.start_date > where.end_date:
            raise InvalidInput("start_date must not be after end_date")
        async with self._storage.read() as uow:
            return await uow.conversations.list(uid, where, limit, offset)

    async def get(self, uid: str, conversation_id: str) -> Conversation:
        async with self._storage.read() as uow:
            conversation = await uow.conversations.get(uid, conversation_id)
        if conversation is None:
            raise NotFound("Conversation")
        return conversation

    async def set_title(self, uid: str, conversation_id: str, title: str) -> None:
        await self._edit(uid, conversation_id, title=title.strip())

    async def set_overview(self, uid: str, conversation_id: str, overview: str) -> None:
        await self._edit(uid, conversation_id, overview=overview.strip())

    async def delete(self, uid: str, conversation_id: str) -> None:
        """Delete it with its vectors; its memories stay (unlinked) and are indexed on their own."""
        async with self._storage.write() as uow:
            kept = [m.id for m in await uow.memories.current_of(uid, conversation_id)]
            if not await uow.conversations.delete(uid, conversation_id):
                raise NotFound("Conversation")
            remaining = await uow.memories.by_ids(uid, kept)
        await self._indexer.index.delete_conversation(uid, conversation_id)
        await self._indexer.try_index_memories(remaining)

    async def _edit(self, uid: str, conversation_id: str, **values: str) -> None:
        if any(not value for value in values.values()):
            raise InvalidInput(f"{', '.join(values)} must not be blank")
        async with self._storage.write() as uow:
            if not await uow.conversations.update_fields(uid, conversation_id, values):
                raise NotFound("Conversation")
