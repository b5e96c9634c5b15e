"""Notifications to the clinic (email, webhook) about safety-queue items, so each is sent once.

Revision ID: 0008
"""

from alembic import op  # noqa: F401

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the change that needs it


def downgrade() -> None:
    pass
