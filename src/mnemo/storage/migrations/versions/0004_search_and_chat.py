"""search and chat: chat messages, re-index flags, and on PostgreSQL the pgvector chunks table

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 00:20:00
"""

import logging

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

CHUNKS = """
CREATE TABLE chunks (
    id varchar(80) PRIMARY KEY,
    uid varchar(36) NOT NULL REFERENCES users (uid) ON DELETE CASCADE,
    kind varchar(20) NOT NULL,
    conversation_id varchar(36),
    memory_id varchar(36),
    at timestamptz NOT NULL,
    first_segment integer NOT NULL,
    last_segment integer NOT NULL,
    text text NOT NULL,
    embedding vector(384) NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
)
"""
CHUNK_INDEXES = [
    "CREATE INDEX ix_chunks_uid_conversation ON chunks (uid, conversation_id)",
    "CREATE INDEX ix_chunks_uid_memory ON chunks (uid, memory_id)",
    "CREATE INDEX ix_chunks_tsv ON chunks USING gin (tsv)",
    "CREATE INDEX ix_chunks_embedding ON chunks USING hnsw (embedding vector_cosine_ops)",
]


def upgrade() -> None:
    op.create_table(
        'messages',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sender', sa.String(length=10), nullable=False),
        sa.Column('app_id', sa.String(length=100), nullable=True),
        sa.Column('type', sa.String(length=20), nullable=False),
        sa.Column('memories_id', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
        sa.ForeignKeyConstraint(['uid'], ['users.uid'], name='fk_messages_uid_users', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_messages'),
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_uid_created_at', ['uid', 'created_at'], unique=False)
    for table in ('conversations', 'memories'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('needs_index', sa.Boolean(), server_default=sa.false(), nullable=False))
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")).scalar()
    if not available:
        log.warning("the pgvector extension is not installed on this PostgreSQL server; the chunks table was "
                    "not created (use MNEMO_VECTOR_INDEX=lancedb, or install pgvector and re-run migrations)")
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.execute(CHUNKS)
    for statement in CHUNK_INDEXES:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS chunks")
    for table in ('memories', 'conversations'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('needs_index')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_uid_created_at')
    op.drop_table('messages')
