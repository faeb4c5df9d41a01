"""Alembic environment: migrations run on a connection handed in by `mnemo.storage.migrate`."""

from alembic import context

from mnemo.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through mnemo.storage.migrate.upgrade (or `mnemo migrate`)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
