"""Remove conversations stored after the visitor declined consent (kept before refusals were honoured).

Each one becomes a line in the anonymous per-day count instead (declined, and whether it ended in
urgent care), as a refusal does from now on.

Revision ID: 0003
"""

import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("events"):
        return
    consent, urgent, last_at = {}, set(), {}
    rows = bind.execute(
        sa.text("SELECT sender_id, data, timestamp FROM events WHERE type_name = 'slot' ORDER BY id")
    )
    for sender_id, data, timestamp in rows:
        event = json.loads(data)
        if event.get("name") == "consent":
            consent[sender_id] = event.get("value")
        if event.get("name") == "screening_outcome" and event.get("value") == "seek_urgent_care":
            urgent.add(sender_id)
        last_at[sender_id] = timestamp or 0
    declined = [s for s, value in consent.items() if value is False]
    for sender_id in declined:
        for table in (
            "events",
            "console_tags",
            "console_notes",
            "console_conversations",
            "conversation_changes",
        ):
            if sa.inspect(bind).has_table(table):
                bind.execute(sa.text(f"DELETE FROM {table} WHERE sender_id = :s"), {"s": sender_id})  # noqa: S608
        day = dt.datetime.fromtimestamp(last_at.get(sender_id) or 0, dt.timezone.utc).date().isoformat()
        updated = bind.execute(
            sa.text("UPDATE declined_daily SET declined = declined + 1, urgent = urgent + :u WHERE day = :d"),
            {"u": int(sender_id in urgent), "d": day},
        )
        if not updated.rowcount:
            bind.execute(
                sa.text("INSERT INTO declined_daily (day, declined, urgent) VALUES (:d, 1, :u)"),
                {"u": int(sender_id in urgent), "d": day},
            )


def downgrade() -> None:
    """Nothing to restore: what was removed should never have been kept."""
