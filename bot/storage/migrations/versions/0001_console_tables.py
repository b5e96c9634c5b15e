"""The console's tables: staff, sessions, the conversation index, tags, notes, audit.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.shared import clinic_id, conversation_ref, staff_ref

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "console_staff",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(255), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        clinic_id(),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        staff_ref(),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
    )
    op.create_table(
        "console_conversations",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        clinic_id(),
        sa.Column("started_at", sa.Float, nullable=False, index=True),
        sa.Column("last_at", sa.Float, nullable=False),
        sa.Column("channel", sa.String(32)),
        sa.Column("consent", sa.Boolean),
        sa.Column("outcome", sa.String(40), index=True),
        sa.Column("red_flag", sa.Boolean, nullable=False, server_default=sa.false(), index=True),
        sa.Column("user_messages", sa.Integer, nullable=False, server_default="0"),
        sa.Column("first_question", sa.Text),
        sa.Column("intents", sa.Text, nullable=False, server_default=""),
        sa.Column("slot_values", sa.Text, nullable=False, server_default=""),
        sa.Column("low_confidence", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("fallback", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("furthest_step", sa.String(32)),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("reviewed", sa.Boolean, nullable=False, server_default=sa.false(), index=True),
        sa.Column("last_event_id", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index(
        "ix_console_conversations_clinic_started", "console_conversations", ["clinic_id", "started_at"]
    )
    op.create_table(
        "console_tags",
        sa.Column("id", sa.Integer, primary_key=True),
        conversation_ref(),
        sa.Column("tag", sa.String(64), nullable=False, index=True),
        sa.UniqueConstraint("sender_id", "tag"),
    )
    op.create_table(
        "console_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        conversation_ref(),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("event_index", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "console_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("actor", sa.String(255), nullable=False),
        clinic_id(),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(255)),
        sa.Column("detail", sa.Text),
    )


def downgrade() -> None:
    for table in (
        "console_audit",
        "console_notes",
        "console_tags",
        "console_conversations",
        "console_sessions",
        "console_staff",
    ):
        op.drop_table(table)
