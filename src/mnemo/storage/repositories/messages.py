"""Chat messages, newest first, one history per user."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from mnemo.models.message import Message

from ..tables import messages
from ..types import column_values


class MessageRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._db = connection

    async def add(self, uid: str, message: Message) -> None:
        await self._db.execute(insert(messages).values(uid=uid, **column_values(message)))

    async def latest(self, uid: str, limit: int, offset: int = 0) -> list[Message]:
        query = (select(messages).where(messages.c.uid == uid)
                 .order_by(messages.c.created_at.desc(), messages.c.id.desc()).limit(limit).offset(offset))
        return [Message.model_validate(dict(row)) for row in (await self._db.execute(query)).mappings()]

    async def delete_all(self, uid: str) -> int:
        return (await self._db.execute(delete(messages).where(messages.c.uid == uid))).rowcount
