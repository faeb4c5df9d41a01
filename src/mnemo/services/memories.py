"""Memories: facts about the wearer, added by processing or by hand, reviewed and edited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mnemo.models.categories import MemoryCategory
from mnemo.models.common import utcnow
from mnemo.models.memory import Memory, MemoryVisibility
from mnemo.storage.unit_of_work import Storage, UnitOfWork

from .errors import InvalidInput, NotFound
from .indexing import Indexer

BATCH_LIMIT = 100


@dataclass
class NewMemory:
    content: str
    category: MemoryCategory = MemoryCategory.other
    visibility: MemoryVisibility = MemoryVisibility.private
    tags: list[str] = field(default_factory=list)


class MemoryService:
    def __init__(self, storage: Storage, indexer: Indexer) -> None:
        self._storage = storage
        self._indexer = indexer

    async def create(self, uid: str, new: NewMemory) -> Memory:
        return (await self.create_many(uid, [new]))[0]

    async def create_many(self, uid: str, batch: Sequence[NewMemory]) -> list[Memory]:
        if len(batch) > BATCH_LIMIT:
            raise InvalidInput(f"at most {BATCH_LIMIT} memories in one batch")
        now = utcnow()
        created = [
            Memory(
                uid=uid,
                content=_content(new.content),
                category=new.category,
                visibility=new.visibility,
                tags=new.tags,
                created_at=now,
                updated_at=now,
                manually_added=True,
            )
            for new in batch
        ]
        async with self._storage.write() as uow:
            await uow.memories.add_many(created, needs_index=True)
        await self._indexer.try_index_memories(created, new=True)
        return created

    async def list(
        self,
        uid: str,
        limit: int,
        offset: int,
        category: MemoryCategory | None = None,
        include_superseded: bool = False,
    ) -> list[Memory]:
        async with self._storage.read() as uow:
            return await uow.memories.list(uid, limit, offset, category, include_superseded)

    async def get(self, uid: str, memory_id: str) -> Memory:
        async with self._storage.read() as uow:
            return await _existing(uow, uid, memory_id)

    async def edit(self, uid: str, memory_id: str, content: str) -> Memory:
        memory = await self._change(uid, memory_id, content=_content(content), edited=True, needs_index=True)
        await self._indexer.try_index_memories([memory])
        return memory

    async def review(self, uid: str, memory_id: str, approved: bool) -> Memory:
        return await self._change(uid, memory_id, reviewed=True, user_review=approved)

    async def set_visibility(self, uid: str, memory_id: str, visibility: MemoryVisibility) -> Memory:
        return await self._change(uid, memory_id, visibility=visibility.value)

    async def delete(self, uid: str, memory_id: str) -> None:
        async with self._storage.write() as uow:
            if not await uow.memories.delete(uid, memory_id):
                raise NotFound("Memory")
        await self._indexer.index.delete_memories(uid, [memory_id])

    async def delete_all(self, uid: str) -> int:
        async with self._storage.write() as uow:
            deleted = await uow.memories.delete_all(uid)
        await self._indexer.index.delete_memories(uid)
        return deleted

    async def _change(self, uid: str, memory_id: str, **values: object) -> Memory:
        async with self._storage.write() as uow:
            if not await uow.memories.update(uid, memory_id, {**values, "updated_at": utcnow()}):
                raise NotFound("Memory")
            return await _existing(uow, uid, memory_id)


def _content(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput("memory content must not be blank")
    return text


async def _existing(uow: UnitOfWork, uid: str, memory_id: str) -> Memory:
    memory = await uow.memories.get(uid, memory_id)
    if memory is None:
        raise NotFound("Memory")
    return memory
