"""Tracker windows: where the last turns of a long conversation begin, and the state before them, so a
long conversation costs what a short one does (bot/storage/tracker_window.py). The tracker store also
creates the table when it starts; this keeps the schema in one history.

Revision ID: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("tracker_windows"):
        return
    op.create_table(
        "tracker_windows",
        sa.Column("sender_id", sa.String(255), primary_key=True),
        sa.Column("from_id", sa.Integer, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("tracker_windows")
