"""Indexing (DESIGN §4.6): embed what a conversation produced and write it to the vector index.

The database stays the source of truth. Processing flags a conversation `needs_index` in the same
transaction that stores its results and indexes it right after; a crash in between leaves the
flag, and the worker's `catch_up` finishes the job. Search reads its hits back through the
database, so a vector that outlived its row (a delete that raced a crash) is never shown.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from mnemo.models.memory import Memory
from mnemo.providers.embeddings.port import Embedder
from mnemo.storage.unit_of_work import Storage
from mnemo.storage.vectors.port import VectorIndex

from .chunking import WindowSettings, conversation_chunks, memory_chunk

log = logging.getLogger("mnemo.indexing")


class Indexer:
    def __init__(self, storage: Storage, embedder: Embedder, index: VectorIndex,
                 windows: WindowSettings | None = None) -> None:
        self._storage = storage
        self._embedder = embedder
        self.index = index
        self._windows = windows or WindowSettings()

    async def index_conversation(self, uid: str, conversation_id: str) -> None:
        async with self._storage.read() as uow:
            conversation = await uow.conversations.get(uid, conversation_id)
            user = await uow.users.get(uid)
            memories = await uow.memories.current_of(uid, conversation_id)
        if conversation is None or user is None:
            await self.index.delete_conversation(uid, conversation_id)
            return
        at = conversation.started_at or conversation.created_at
        chunks = conversation_chunks(uid, conversation, user.name, user.time_zone, self._windows)
        chunks += [memory_chunk(memory, at) for memory in memories]
        vectors = await self._embedder.embed([chunk.text for chunk in chunks])
        await self.index.replace_conversation(uid, conversation_id, chunks, vectors)
        async with self._storage.write() as uow:
            await uow.conversations.update_fields(uid, conversation_id, {"needs_index": False})
            await uow.memories.clear_needs_index(uid, [m.id for m in memories])

    async def index_memories(self, memories: Sequence[Memory], new: bool = False) -> None:
        """Index these memories; `new` ones have nothing in the index to replace."""
        if not memories:
            return
        vectors = await self._embedder.embed([memory.content for memory in memories])
        for uid in {m.uid for m in memories}:
            mine = [i for i, m in enumerate(memories) if m.uid == uid]
            chunks = [memory_chunk(memories[i]) for i in mine]
            if new:
                await self.index.add(chunks, vectors[mine])
            else:
                await self.index.replace_memories(uid, chunks, vectors[mine])
            async with self._storage.write() as uow:
                await uow.memories.clear_needs_index(uid, [memories[i].id for i in mine])

    async def try_index_conversation(self, uid: str, conversation_id: str) -> None:
        """Index now if possible; a failure leaves the flag for `catch_up`."""
        try:
            await self.index_conversation(uid, conversation_id)
        except Exception:  # the embedder or index may be down; the flag keeps the work
            log.exception("indexing conversation %s failed; the worker will retry", conversation_id)

    async def try_index_memories(self, memories: Sequence[Memory], new: bool = False) -> None:
        try:
            await self.index_memories(memories, new)
        except Exception:  # same as above
            log.exception("indexing %d memories failed; the worker will retry", len(memories))

    async def catch_up(self, limit: int = 20) -> int:
        """Index what was flagged but not done; how many items were handled."""
        async with self._storage.read() as uow:
            conversations = await uow.conversations.needing_index(limit)
            memories = await uow.memories.needing_index(limit)
        for uid, conversation_id in conversations:
            await self.index_conversation(uid, conversation_id)
        await self.index_memories(memories)
        return len(conversations) + len(memories)
