"""Database URLs and transactions."""

from __future__ import annotations

import asyncio

import pytest

from mnemo.models.user import User
from mnemo.storage.database import Database, normalize_url
from mnemo.storage.unit_of_work import Storage


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/mnemo.db", "sqlite+aiosqlite:///data/mnemo.db"),
        ("postgresql://u:p@db/mnemo", "postgresql+asyncpg://u:p@db/mnemo"),
        ("postgres://u@db/mnemo", "postgresql+asyncpg://u@db/mnemo"),
        ("postgresql+asyncpg://u@db/mnemo", "postgresql+asyncpg://u@db/mnemo"),
    ],
)
def test_urls_get_the_async_driver(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


def test_other_databases_are_refused_clearly() -> None:
    with pytest.raises(ValueError, match="unsupported database URL scheme 'mysql'"):
        normalize_url("mysql://root@localhost/mnemo")


async def test_a_failed_unit_of_work_leaves_nothing(database_url: str) -> None:
    storage = Storage(Database(database_url))
    try:
        with pytest.raises(RuntimeError):
            async with storage.write() as uow:
                await uow.users.add(User(uid="u-1", name="Half"))
                raise RuntimeError("crash mid-way")
        async with storage.read() as uow:
            assert await uow.users.get("u-1") is None
    finally:
        await storage.database.dispose()


async def test_concurrent_writers_all_land(database_url: str) -> None:
    storage = Storage(Database(database_url))

    async def add(i: int) -> None:
        async with storage.write() as uow:
            count = await uow.users.count()
            await uow.users.add(User(uid=f"u-{i}", name=f"user {count}"))

    try:
        await asyncio.gather(*(add(i) for i in range(20)))
        async with storage.read() as uow:
            assert await uow.users.count() == 20
    finally:
        await storage.database.dispose()
