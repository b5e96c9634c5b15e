"""Redacted transcripts by default: time-limited, audited reveals of one conversation's raw text.

The index keeps only masked visitor text from now on (bot/console/redaction.py): the raw text and
first question already indexed are cleared here, and every stored conversation is put in the change
log, so the next indexer run stores them masked. Raw text stays only in Rasa's `events`.

Revision ID: 0007
"""

import time

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_reveal_grants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "sender_id",
            sa.String(255),
            sa.ForeignKey("console_conversations.sender_id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("clinic_id", sa.String(64), nullable=False, index=True),
        sa.Column(
            "staff_id",
            sa.Integer,
            sa.ForeignKey("console_staff.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("staff", sa.String(255), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
    )
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE console_conversations SET text = '', first_question = NULL"))
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
    # The index keeps its masked text: unmasking it would put raw text back beside the events.
    op.drop_table("console_reveal_grants")
