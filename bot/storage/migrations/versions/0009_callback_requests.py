"""Callback requests: a consenting visitor's phone or email, kept only to call them back.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.shared import clinic_id, follow_up

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "console_callback_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(32), nullable=False, unique=True),
        # No foreign key: a request may come before the indexer has indexed its conversation; erasure
        # deletes it by sender id (bot/storage/erasure.py).
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        clinic_id(),
        sa.Column("contact_kind", sa.String(8), nullable=False),
        sa.Column("contact", sa.String(254), nullable=False),
        sa.Column("preferred_time", sa.String(16)),
        sa.Column("consented_at", sa.Float, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("due_at", sa.Float, nullable=False),
        *follow_up(),
    )


def downgrade() -> None:
    op.drop_table("console_callback_requests")
