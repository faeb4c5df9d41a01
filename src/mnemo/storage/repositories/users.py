"""Users and their API tokens (stored as SHA-256 hashes, never in the clear)."""

from __future__ import annotations

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from mnemo.models.common import utcnow
from mnemo.models.user import User

from ..tables import api_tokens, users


class UserRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._db = connection

    async def add(self, user: User) -> None:
        await self._db.execute(insert(users).values(**user.model_dump()))

    async def get(self, uid: str) -> User | None:
        row = (await self._db.execute(select(users).where(users.c.uid == uid))).mappings().first()
        return User.model_validate(dict(row)) if row else None

    async def count(self) -> int:
        return (await self._db.execute(select(func.count()).select_from(users))).scalar_one()

    async def set_time_zone(self, uid: str, time_zone: str) -> None:
        await self._db.execute(update(users).where(users.c.uid == uid).values(time_zone=time_zone))

    async def add_token(self, uid: str, token_hash: str) -> None:
        await self._db.execute(insert(api_tokens).values(token_hash=token_hash, uid=uid, created_at=utcnow()))

    async def by_token(self, token_hash: str) -> User | None:
        query = (
            select(users)
            .join(api_tokens, api_tokens.c.uid == users.c.uid)
            .where(api_tokens.c.token_hash == token_hash)
        )
        row = (await self._db.execute(query)).mappings().first()
        return User.model_validate(dict(row)) if row else None
