"""The migrations build exactly the schema the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from mnemo.storage.database import Database
from mnemo.storage.migrate import alembic_config, upgrade
from mnemo.storage.tables import VECTOR_TABLES, metadata


def _ours(name: str | None, kind: str, _parents: object) -> bool:
    return not (kind == "table" and name in VECTOR_TABLES)


async def test_migrated_schema_matches_the_tables(database_url: str) -> None:
    database = Database(database_url)
    try:
        async with database.transaction(write=False) as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"include_name": _ours}), metadata)
            )
            version = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar_one()
    finally:
        await database.dispose()
    assert differences == []
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_upgrading_twice_is_harmless(database_url: str) -> None:
    database = Database(database_url)
    try:
        await upgrade(database)
        await upgrade(database)
        async with database.transaction(write=False) as connection:
            rows = (await connection.execute(text("SELECT count(*) FROM alembic_version"))).scalar_one()
    finally:
        await database.dispose()
    assert rows == 1


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_template) -> None:  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{sqlite_template}")
    try:
        async with database.transaction(write=False) as connection:
            journal = (await connection.execute(text("PRAGMA journal_mode"))).scalar_one()
            foreign_keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one()
    finally:
        await database.dispose()
    assert journal == "wal"
    assert foreign_keys == 1
