"""The safety queue: the red-flag codes each indexed conversation has seen, and the follow-up items.

Every stored conversation is put in the change log, so the next indexer run records its red-flag
codes and opens its queue item.

Revision ID: 0004
"""

import time

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("console_conversations") as batch:
        batch.add_column(sa.Column("red_flags", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "console_safety_queue",
        sa.Column(
            "sender_id",
            sa.String(255),
            sa.ForeignKey("console_conversations.sender_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("clinic_id", sa.String(64), nullable=False, index=True),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("due_at", sa.Float, nullable=False),
        sa.Column("claimed_by", sa.String(255)),
        sa.Column("claimed_at", sa.DateTime),
        sa.Column("resolved_by", sa.String(255)),
        sa.Column("resolved_at", sa.DateTime, index=True),
        sa.Column("action", sa.String(32)),
        sa.Column("note", sa.Text),
    )
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if inspector.has_table("events") and inspector.has_table("conversation_changes"):
        bind.execute(
            sa.text(
                "INSERT INTO conversation_changes (sender_id, version, changed_at) "
                "SELECT DISTINCT sender_id, 1, :now FROM events "
                "WHERE sender_id NOT IN (SELECT sender_id FROM conversation_changes)"
            ),
            {"now": time.time()},
        )


def downgrade() -> None:
    op.drop_table("console_safety_queue")
    with op.batch_alter_table("console_conversations") as batch:
        batch.drop_column("red_flags")
