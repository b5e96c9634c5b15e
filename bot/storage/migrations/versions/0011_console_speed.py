"""The console at 100,000 conversations: indexes that answer its list pages, their counts and its
dashboard without reading whole rows (bot/console/queries.py).

Every page starts from one clinic, so each index leads with `clinic_id`: one per yes/no or outcome
filter, then `started_at` and `sender_id` (the list's order, so a page far down is read from the index
alone); one holding what the dashboard groups by (and the intents a filter looks into). On SQLite, one
for the slot values and one for the masked text too (their filters scan those, not every row); a
PostgreSQL B-tree cannot hold a value that long (over about 2,700 bytes), and that text can be.
The single-column indexes these make redundant go. And one per queue table for the header's counts.

Revision ID: 0011
"""

from alembic import op

revision = "0011"
down_revision = "0010"

TABLE = "console_conversations"
ORDER = ["started_at", "sender_id"]
INDEXES = {
    "ix_console_conversations_clinic_started_sender": ["clinic_id", *ORDER],
    "ix_console_conversations_clinic_outcome": ["clinic_id", "outcome", *ORDER],
    "ix_console_conversations_clinic_red_flag": ["clinic_id", "red_flag", *ORDER],
    "ix_console_conversations_clinic_reviewed": ["clinic_id", "reviewed", *ORDER],
    "ix_console_conversations_clinic_low_confidence": ["clinic_id", "low_confidence", *ORDER],
    "ix_console_conversations_clinic_fallback": ["clinic_id", "fallback", *ORDER],
    "ix_console_conversations_clinic_summary": [
        "clinic_id",
        "started_at",
        "outcome",
        "fallback",
        "furthest_step",
        "intents",
    ],
}
# Every page's header counts the clinic's open and overdue queue items (bot/console/safety_queue.counts).
QUEUE_INDEXES = {
    "console_safety_queue": ("ix_console_safety_queue_clinic_open", ["clinic_id", "resolved_at", "due_at"]),
    "console_callback_requests": (
        "ix_console_callback_requests_clinic_open",
        ["clinic_id", "resolved_at", "due_at"],
    ),
}
SQLITE_ONLY = {
    "ix_console_conversations_clinic_slot_values": ["clinic_id", "slot_values"],
    "ix_console_conversations_clinic_text": ["clinic_id", "text"],
}
# Made redundant by the ones above (each is a prefix of one, after the clinic).
REPLACED = {
    "ix_console_conversations_clinic_started": ["clinic_id", "started_at"],
    "ix_console_conversations_clinic_id": ["clinic_id"],
    "ix_console_conversations_outcome": ["outcome"],
    "ix_console_conversations_red_flag": ["red_flag"],
    "ix_console_conversations_reviewed": ["reviewed"],
}


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, TABLE, columns)
    for table, (name, columns) in QUEUE_INDEXES.items():
        op.create_index(name, table, columns)
    if _sqlite():
        for name, columns in SQLITE_ONLY.items():
            op.create_index(name, TABLE, columns)
    for name in REPLACED:
        op.drop_index(name, table_name=TABLE)


def downgrade() -> None:
    for name, columns in REPLACED.items():
        op.create_index(name, TABLE, columns)
    if _sqlite():
        for name in SQLITE_ONLY:
            op.drop_index(name, table_name=TABLE)
    for table, (name, _) in QUEUE_INDEXES.items():
        op.drop_index(name, table_name=table)
    for name in INDEXES:
        op.drop_index(name, table_name=TABLE)
