"""The schema. Alembic migrations under `migrations/` create exactly this; a test checks it.

On PostgreSQL the migrations also create the pgvector `chunks` table (see `vectors/pgvector.py`),
which lives outside this metadata because SQLite has no such table.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

from .types import JSONDocument, UTCDateTime

VECTOR_TABLES = frozenset({"chunks"})

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("uid", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("uid", String(36), ForeignKey("users.uid", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("uid", String(36), ForeignKey("users.uid", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True),
    Column("source", String(40), nullable=False),
    Column("language", String(20), nullable=True),
    Column("status", String(20), nullable=False),
    Column("title", Text(), nullable=False, default=""),
    Column("overview", Text(), nullable=False, default=""),
    Column("emoji", String(16), nullable=False, default="🧠"),
    Column("category", String(40), nullable=False, default="other"),
    Column("events", JSONDocument, nullable=False),
    Column("geolocation", JSONDocument, nullable=True),
    Column("photos", JSONDocument, nullable=False),
    Column("apps_results", JSONDocument, nullable=False),
    Column("external_data", JSONDocument, nullable=True),
    Column("discarded", Boolean(), nullable=False, default=False),
    Column("visibility", String(20), nullable=False, default="private"),
    Column("postprocessing", JSONDocument, nullable=True),
    Column("processing_error", Text(), nullable=True),
    Column("last_activity_at", UTCDateTime(), nullable=True),
    Column("timeout_seconds", Integer(), nullable=True),
    Column("needs_index", Boolean(), nullable=False, default=False, server_default=false()),
    Index("ix_conversations_uid_started_at", "uid", "started_at"),
    Index("ix_conversations_status_last_activity", "status", "last_activity_at"),
)

transcript_segments = Table(
    "transcript_segments",
    metadata,
    Column("row_id", Integer(), primary_key=True, autoincrement=True),
    Column(
        "conversation_id",
        String(36),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("id", String(36), nullable=False),
    Column("text", Text(), nullable=False),
    Column("speaker", String(40), nullable=False),
    Column("speaker_id", Integer(), nullable=False),
    Column("is_user", Boolean(), nullable=False),
    Column("person_id", String(36), nullable=True),
    Column("start", Float(), nullable=False),
    Column("end", Float(), nullable=False),
    Index("ix_transcript_segments_conversation_start", "conversation_id", "start"),
    Index("uq_transcript_segments_conversation_segment", "conversation_id", "id", unique=True),
)

action_items = Table(
    "action_items",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("uid", String(36), ForeignKey("users.uid", ondelete="CASCADE"), nullable=False),
    Column(
        "conversation_id",
        String(36),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    ),
    Column("description", Text(), nullable=False),
    Column("completed", Boolean(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("due_at", UTCDateTime(), nullable=True),
    Column("completed_at", UTCDateTime(), nullable=True),
    Index("ix_action_items_uid_created_at", "uid", "created_at"),
)

memories = Table(
    "memories",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("uid", String(36), ForeignKey("users.uid", ondelete="CASCADE"), nullable=False),
    Column("content", Text(), nullable=False),
    Column("category", String(40), nullable=False),
    Column("visibility", String(20), nullable=False),
    Column("tags", JSONDocument, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column(
        "conversation_id",
        String(36),
        ForeignKey("conversations.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    ),
    Column("reviewed", Boolean(), nullable=False),
    Column("user_review", Boolean(), nullable=True),
    Column("manually_added", Boolean(), nullable=False),
    Column("edited", Boolean(), nullable=False),
    Column("superseded_by", String(36), nullable=True),
    Column("needs_index", Boolean(), nullable=False, default=False, server_default=false()),
    Index("ix_memories_uid_created_at", "uid", "created_at"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("uid", String(36), ForeignKey("users.uid", ondelete="CASCADE"), nullable=False),
    Column(
        "conversation_id",
        String(36),
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer(), nullable=False),
    Column("max_attempts", Integer(), nullable=False),
    Column("run_after", UTCDateTime(), nullable=False),
    Column("lease_until", UTCDateTime(), nullable=True),
    Column("worker", String(100), nullable=True),
    Column("last_error", Text(), nullable=True),
    Column("payload", JSONDocument, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_jobs_status_run_after", "status", "run_after"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("uid", String(36), ForeignKey("users.uid", ondelete="CASCADE"), nullable=False),
    Column("text", Text(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sender", String(10), nullable=False),
    Column("app_id", String(100), nullable=True),
    Column("type", String(20), nullable=False),
    Column("memories_id", JSONDocument, nullable=False),
    Index("ix_messages_uid_created_at", "uid", "created_at"),
)
