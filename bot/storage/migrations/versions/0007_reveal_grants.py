"""Redacted transcripts by default: time-limited, audited reveals of one conversation's raw text.

The index keeps only masked visitor text from now on (bot/console/redaction.py): the raw text and
first question already indexed are cleared here, and every stored conversation is put in the change
log, so the next indexer run stores them masked. Raw text stays only in Rasa's `events`.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.shared import clinic_id, conversation_ref, reindex_every_conversation, staff_ref

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table(
        "console_reveal_grants",
        sa.Column("id", sa.Integer, primary_key=True),
        conversation_ref(),
        clinic_id(),
        staff_ref(),
        sa.Column("staff", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
    )
    op.execute("UPDATE console_conversations SET text = '', first_question = NULL")
    reindex_every_conversation()


def downgrade() -> None:
    # The index keeps its masked text: unmasking it would put raw text back beside the events.
    op.drop_table("console_reveal_grants")
