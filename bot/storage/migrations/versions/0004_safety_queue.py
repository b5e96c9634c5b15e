"""The safety queue: the red-flag codes each indexed conversation has seen, and the follow-up items.

Every stored conversation is put in the change log, so the next indexer run records its red-flag
codes and opens its queue item.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.shared import (
    add_column,
    clinic_id,
    conversation_ref,
    drop_column,
    follow_up,
    reindex_every_conversation,
)

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    add_column("console_conversations", sa.Column("red_flags", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "console_safety_queue",
        conversation_ref(primary_key=True),
        clinic_id(),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("due_at", sa.Float, nullable=False),
        *follow_up(),
    )
    reindex_every_conversation()


def downgrade() -> None:
    op.drop_table("console_safety_queue")
    drop_column("console_conversations", "red_flags")
