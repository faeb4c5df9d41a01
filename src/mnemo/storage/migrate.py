"""Bring a database to the newest schema with Alembic; the server calls this on start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from .database import Database

_SCRIPTS = Path(__file__).parent / "migrations"
# Any fixed number: PostgreSQL advisory locks are keyed by integers.
_MIGRATION_LOCK = 4_242_001


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Several processes (server, workers) may start at once; one migrates, the others wait.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
    command.upgrade(alembic_config(connection), "head")


async def upgrade(database: Database) -> None:
    async with database.transaction(write=True) as connection:
        await connection.run_sync(_upgrade)
