"""Redacted transcripts by default: time-limited, audited reveals of one conversation's raw text.

Revision ID: 0007
"""

from alembic import op  # noqa: F401

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the change that needs it


def downgrade() -> None:
    pass
