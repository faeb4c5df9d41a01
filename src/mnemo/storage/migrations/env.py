"""Alembic environment: migrations run on a connection handed in by `mnemo.storage.migrate`."""

from alembic import context

from mnemo.storage.tables import VECTOR_TABLES, metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through mnemo.storage.migrate.upgrade (or `mnemo migrate`)")



def include_name(name: str | None, kind: str, _parents: dict[str, str | None]) -> bool:
    """The pgvector `chunks` table is created by hand in 0004 and lives outside the metadata."""
    return not (kind == "table" and name in VECTOR_TABLES)


context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, include_name=include_name)
with context.begin_transaction():
    context.run_migrations()
