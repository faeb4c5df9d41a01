"""conversation activity

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-20 22:46:24.111131
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('timeout_seconds', sa.Integer(), nullable=True))
        batch_op.create_index('ix_conversations_status_last_activity', ['status', 'last_activity_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_conversations_status_last_activity')
        batch_op.drop_column('timeout_seconds')
        batch_op.drop_column('last_activity_at')

