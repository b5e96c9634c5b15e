"""The unclear messages inbox: a reviewer's intent and entity labels for visitor messages the NLU
fell back on or was unsure of, exported as Rasa NLU training data.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.migrations.shared import clinic_id, conversation_ref

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "console_nlu_labels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, nullable=False, unique=True),
        conversation_ref(),
        clinic_id(),
        sa.Column("intent", sa.String(100), nullable=False),
        sa.Column("example", sa.Text, nullable=False),
        sa.Column("staff", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("console_nlu_labels")
