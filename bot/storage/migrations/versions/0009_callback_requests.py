"""Callback requests: a consenting visitor's phone or email, kept only to call them back.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_callback_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(32), nullable=False, unique=True),
        # No foreign key: a request may come before the indexer has indexed its conversation; erasure
        # deletes it by sender id (bot/storage/erasure.py).
        sa.Column("sender_id", sa.String(255), nullable=False, index=True),
        sa.Column("clinic_id", sa.String(64), nullable=False, index=True),
        sa.Column("contact_kind", sa.String(8), nullable=False),
        sa.Column("contact", sa.String(254), nullable=False),
        sa.Column("preferred_time", sa.String(16)),
        sa.Column("consented_at", sa.Float, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("due_at", sa.Float, nullable=False),
        sa.Column("claimed_by", sa.String(255)),
        sa.Column("claimed_at", sa.DateTime),
        sa.Column("resolved_by", sa.String(255)),
        sa.Column("resolved_at", sa.DateTime, index=True),
        sa.Column("action", sa.String(32)),
        sa.Column("note", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("console_callback_requests")
