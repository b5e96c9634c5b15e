"""Notifications to the clinic (email, webhook) about safety-queue items, so each is sent once.

Queue items get a random `ref`, their id in notifications and links: the sender id is the key to the
visitor's conversation and never leaves the console. Existing items get one here.

Revision ID: 0008
"""

import secrets

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.shared import add_column, clinic_id, drop_column

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    add_column("console_safety_queue", sa.Column("ref", sa.String(32)))
    bind = op.get_bind()
    queue = sa.table("console_safety_queue", sa.column("sender_id"), sa.column("ref"))
    for (sender_id,) in bind.execute(sa.select(queue.c.sender_id)).all():
        bind.execute(sa.update(queue).where(queue.c.sender_id == sender_id).values(ref=secrets.token_hex(8)))
    op.create_index("ix_console_safety_queue_ref", "console_safety_queue", ["ref"], unique=True)
    op.create_table(
        "console_notifications",
        sa.Column("id", sa.Integer, primary_key=True),
        clinic_id(),
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("item_ref", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("due_at", sa.Float, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.Float, nullable=False),
        sa.Column("sent_at", sa.Float),
        sa.Column("last_error", sa.String(300)),
        sa.UniqueConstraint("item_ref", "kind", "level", "channel", name="uq_console_notifications_once"),
    )


def downgrade() -> None:
    op.drop_table("console_notifications")
    op.drop_index("ix_console_safety_queue_ref", table_name="console_safety_queue")
    drop_column("console_safety_queue", "ref")
