"""Columns and steps several migrations use. A migration must build the same schema for ever: change
nothing here that a migration already uses; write a new helper instead."""

from __future__ import annotations

import time
from typing import List

import sqlalchemy as sa
from alembic import op


def conversation_ref(primary_key: bool = False) -> sa.Column:
    """`sender_id`: the conversation a row belongs to, deleted with it. Indexed, or the row's own key."""
    options = {"primary_key": True} if primary_key else {"nullable": False, "index": True}
    return sa.Column(
        "sender_id",
        sa.String(255),
        sa.ForeignKey("console_conversations.sender_id", ondelete="CASCADE"),
        **options,
    )


def staff_ref() -> sa.Column:
    """`staff_id`: the staff member a row belongs to, deleted with them."""
    return sa.Column(
        "staff_id",
        sa.Integer,
        sa.ForeignKey("console_staff.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def clinic_id() -> sa.Column:
    return sa.Column("clinic_id", sa.String(64), nullable=False, index=True)


def follow_up() -> List[sa.Column]:
    """How staff followed an item up: who claimed it, who resolved it, with what action and note."""
    return [
        sa.Column("claimed_by", sa.String(255)),
        sa.Column("claimed_at", sa.DateTime),
        sa.Column("resolved_by", sa.String(255)),
        sa.Column("resolved_at", sa.DateTime, index=True),
        sa.Column("action", sa.String(32)),
        sa.Column("note", sa.Text),
    ]


def add_column(table: str, column: sa.Column) -> None:
    """In batch mode (as drop_column): SQLite cannot alter most of a table in place, so it is rebuilt."""
    with op.batch_alter_table(table) as batch:
        batch.add_column(column)


def drop_column(table: str, name: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_column(name)


def reindex_every_conversation() -> None:
    """Put every stored conversation in the change log, so the next indexer run reaches each one."""
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
