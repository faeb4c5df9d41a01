"""Memories: the facts about the wearer, with the conversation they came from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from mnemo.models.categories import MemoryCategory
from mnemo.models.memory import Memory

from ..tables import memories
from ..types import column_values


class MemoryRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._db = connection

    async def add_many(self, items: Sequence[Memory], needs_index: bool = False) -> None:
        if items:
            await self._db.execute(insert(memories), [column_values(m, needs_index=needs_index) for m in items])

    async def get(self, uid: str, memory_id: str) -> Memory | None:
        query = select(memories).where(memories.c.uid == uid, memories.c.id == memory_id)
        row = (await self._db.execute(query)).mappings().first()
        return Memory.model_validate(dict(row)) if row else None

    async def list(
        self,
        uid: str,
        limit: int,
        offset: int,
        category: MemoryCategory | None = None,
        include_superseded: bool = False,
    ) -> list[Memory]:
        query = select(memories).where(memories.c.uid == uid)
        if category is not None:
            query = query.where(memories.c.category == category.value)
        if not include_superseded:
            query = query.where(memories.c.superseded_by.is_(None))
        query = query.order_by(memories.c.created_at.desc(), memories.c.id).limit(limit).offset(offset)
        return [Memory.model_validate(dict(row)) for row in (await self._db.execute(query)).mappings()]

    async def active(self, uid: str, limit: int = 2000) -> list[Memory]:
        """The user's current (not superseded) memories, newest first."""
        return await self.list(uid, limit, 0)

    async def by_ids(self, uid: str, memory_ids: Sequence[str]) -> list[Memory]:
        # Looked up by primary key and checked for the owner afterwards: with `uid` in the WHERE
        # clause SQLite walks the uid index, every memory the user has.
        query = select(memories).where(memories.c.id.in_(list(memory_ids)))
        rows = (await self._db.execute(query)).mappings()
        return [Memory.model_validate(dict(row)) for row in rows if row["uid"] == uid]

    async def current_of(self, uid: str, conversation_id: str) -> list[Memory]:
        """Every memory that came from this conversation and is not superseded (extracted or custom)."""
        query = select(memories).where(
            memories.c.uid == uid, memories.c.conversation_id == conversation_id, memories.c.superseded_by.is_(None)
        )
        return [Memory.model_validate(dict(row)) for row in (await self._db.execute(query)).mappings()]

    async def needing_index(self, limit: int) -> list[Memory]:
        query = select(memories).where(memories.c.needs_index.is_(True)).limit(limit)
        return [Memory.model_validate(dict(row)) for row in (await self._db.execute(query)).mappings()]

    async def clear_needs_index(self, uid: str, memory_ids: Sequence[str]) -> None:
        if memory_ids:
            query = update(memories).where(memories.c.uid == uid, memories.c.id.in_(list(memory_ids)))
            await self._db.execute(query.values(needs_index=False))

    async def extracted_from(self, uid: str, conversation_id: str) -> list[Memory]:
        """Memories that processing made from this conversation (manual ones excluded)."""
        query = select(memories).where(
            memories.c.uid == uid,
            memories.c.conversation_id == conversation_id,
            memories.c.manually_added.is_(False),
        )
        return [Memory.model_validate(dict(row)) for row in (await self._db.execute(query)).mappings()]

    async def remove_extracted(self, uid: str, conversation_id: str) -> None:
        """Forget what processing made from this conversation; memories it superseded come back."""
        gone = [m.id for m in await self.extracted_from(uid, conversation_id)]
        if not gone:
            return
        await self._db.execute(
            update(memories)
            .where(memories.c.uid == uid, memories.c.superseded_by.in_(gone))
            .values(superseded_by=None)
        )
        await self._db.execute(delete(memories).where(memories.c.uid == uid, memories.c.id.in_(gone)))

    async def update(self, uid: str, memory_id: str, values: dict[str, Any]) -> bool:
        query = update(memories).where(memories.c.uid == uid, memories.c.id == memory_id)
        return (await self._db.execute(query.values(**values))).rowcount == 1

    async def delete(self, uid: str, memory_id: str) -> bool:
        query = delete(memories).where(memories.c.uid == uid, memories.c.id == memory_id)
        return (await self._db.execute(query)).rowcount == 1

    async def delete_all(self, uid: str) -> int:
        return (await self._db.execute(delete(memories).where(memories.c.uid == uid))).rowcount
