"""The change log the console's indexer works through, tombstones for erased conversations, and the
anonymous per-day count of visitors who declined consent.

Every conversation already stored is put in the change log, so the first indexer run reaches all of
them (the old watermark-based indexer could have skipped some).

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.shared import reindex_every_conversation

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    # The tracker store creates these itself when it starts first (bot/storage/changes.py).
    if not inspector.has_table("conversation_changes"):
        op.create_table(
            "conversation_changes",
            sa.Column("sender_id", sa.String(255), primary_key=True),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("changed_at", sa.Float, nullable=False, index=True),
        )
    if not inspector.has_table("erased_conversations"):
        op.create_table(
            "erased_conversations",
            sa.Column("sender_id", sa.String(255), primary_key=True),
            sa.Column("erased_at", sa.Float, nullable=False),
        )
    if not inspector.has_table("declined_daily"):
        op.create_table(
            "declined_daily",
            sa.Column("day", sa.String(10), primary_key=True),
            sa.Column("declined", sa.Integer, nullable=False),
            sa.Column("urgent", sa.Integer, nullable=False),
        )
    reindex_every_conversation()


def downgrade() -> None:
    op.drop_table("declined_daily")
    op.drop_table("erased_conversations")
    op.drop_table("conversation_changes")
