"""The clinician's verdict: the outcome a clinician would have given a conversation, and why; and the
rules version of each indexed conversation's screening result, to compare the two per version.

Every stored conversation is put in the change log, so the next indexer run records its rules version.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.shared import (
    add_column,
    clinic_id,
    conversation_ref,
    drop_column,
    reindex_every_conversation,
)

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    add_column("console_conversations", sa.Column("rules_version", sa.String(64)))
    op.create_table(
        "console_verdicts",
        sa.Column("id", sa.Integer, primary_key=True),
        conversation_ref(),
        clinic_id(),
        sa.Column("staff", sa.String(255), nullable=False),
        sa.Column("staff_role", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("bot_outcome", sa.String(40)),
        sa.Column("rules_version", sa.String(64)),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    reindex_every_conversation()


def downgrade() -> None:
    op.drop_table("console_verdicts")
    drop_column("console_conversations", "rules_version")
