"""The clinician's verdict: the outcome a clinician would have given a conversation, and why; and the
rules version of each indexed conversation's screening result, to compare the two per version.

Every stored conversation is put in the change log, so the next indexer run records its rules version.

Revision ID: 0005
"""

import time

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("console_conversations") as batch:
        batch.add_column(sa.Column("rules_version", sa.String(64)))
    op.create_table(
        "console_verdicts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "sender_id",
            sa.String(255),
            sa.ForeignKey("console_conversations.sender_id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("clinic_id", sa.String(64), nullable=False, index=True),
        sa.Column("staff", sa.String(255), nullable=False),
        sa.Column("staff_role", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("bot_outcome", sa.String(40)),
        sa.Column("rules_version", sa.String(64)),
        sa.Column("created_at", sa.DateTime, nullable=False),
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
    op.drop_table("console_verdicts")
    with op.batch_alter_table("console_conversations") as batch:
        batch.drop_column("rules_version")
