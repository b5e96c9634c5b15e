"""A table's indexes built once after a bulk load, instead of row by row during it (SQLite).

The console's list keeps ten indexes on its conversation table (migration 0011). Inserting 100,000
summaries one batch at a time updates each of them in random order: about half of indexing time. With
them dropped first and created again at the end, SQLite builds each from sorted data in a fraction of a
second: 100,000 conversations indexed in 16 s instead of 28 (bench/console_scale.py, this machine).

Only for a backlog (an upgrade, data written directly): while the indexes are gone, the console's pages
are slow. Should the process die before they are back, `restore` (run at every web app start) creates
any that are missing from the models and the migration's SQLite-only ones.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.storage.models import Conversation

# Migration 0011's indexes that only SQLite gets (a PostgreSQL B-tree cannot hold values that long).
SQLITE_ONLY = {
    "ix_console_conversations_clinic_slot_values": ("clinic_id", "slot_values"),
    "ix_console_conversations_clinic_text": ("clinic_id", "text"),
}


@contextmanager
def rebuilt_after(db: Session, table: str) -> Iterator[None]:
    """Drop `table`'s secondary indexes, run the body, and create them again (even when it fails)."""
    connection = db.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    definitions = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _ in definitions:
        connection.exec_driver_sql(f'DROP INDEX IF EXISTS "{name}"')
    db.commit()
    try:
        yield
    finally:
        db.rollback()  # whatever the body left unfinished
        connection = db.connection()
        for _, sql in definitions:
            connection.exec_driver_sql(sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        db.commit()


def restore(engine: Engine) -> int:
    """Create the console conversation table's indexes that are missing; returns how many."""
    table = Conversation.__table__
    if not inspect(engine).has_table(table.name):
        return 0
    present = {ix["name"] for ix in inspect(engine).get_indexes(table.name)}
    missing = [index for index in table.indexes if index.name not in present]
    for index in missing:
        index.create(engine, checkfirst=True)
    if engine.dialect.name != "sqlite":
        return len(missing)
    # (As SQL, not as Index objects: an Index made on the model's columns would join the model's own.)
    sqlite_missing = {name: columns for name, columns in SQLITE_ONLY.items() if name not in present}
    with engine.begin() as connection:
        for name, columns in sqlite_missing.items():
            listed = ", ".join(columns)
            connection.exec_driver_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON {table.name} ({listed})')
    return len(missing) + len(sqlite_missing)
