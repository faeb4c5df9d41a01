"""The unit of work: one transaction with every repository bound to it.

Services open one with `async with storage.read() as uow:` (or `write()`); leaving the block
commits, an exception rolls everything back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection

from .database import Database
from .repositories.action_items import ActionItemRepository
from .repositories.conversations import ConversationRepository
from .repositories.jobs import JobRepository
from .repositories.memories import MemoryRepository
from .repositories.messages import MessageRepository
from .repositories.users import UserRepository


class UnitOfWork:
    def __init__(self, connection: AsyncConnection) -> None:
        self.users = UserRepository(connection)
        self.conversations = ConversationRepository(connection)
        self.action_items = ActionItemRepository(connection)
        self.memories = MemoryRepository(connection)
        self.jobs = JobRepository(connection)
        self.messages = MessageRepository(connection)


class Storage:
    """What services hold on to: a way to open units of work on one database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @asynccontextmanager
    async def read(self) -> AsyncIterator[UnitOfWork]:
        async with self.database.transaction(write=False) as connection:
            yield UnitOfWork(connection)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[UnitOfWork]:
        async with self.database.transaction(write=True) as connection:
            yield UnitOfWork(connection)
