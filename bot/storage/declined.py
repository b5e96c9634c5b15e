"""What the clinic may keep about visitors who declined: an anonymous count per day, nothing else.

How many declined, and of those how many were sent to urgent care (for the dashboard). No id, no
words, no time finer than the day.
"""

from __future__ import annotations

import datetime as dt
from typing import Dict, List

from sqlalchemy import Column, Integer, String, Table, select, update
from sqlalchemy.engine import Connection

from bot.storage.changes import metadata

DECLINED = Table(
    "declined_daily",
    metadata,
    Column("day", String(10), primary_key=True),  # YYYY-MM-DD, UTC
    Column("declined", Integer, nullable=False, default=0),
    Column("urgent", Integer, nullable=False, default=0),
)


def count(connection: Connection, field: str, day: dt.date | None = None) -> None:
    """Add one to today's `declined` or `urgent` figure."""
    if field not in ("declined", "urgent"):
        raise ValueError(f"unknown figure {field}")
    key = (day or dt.datetime.now(dt.timezone.utc).date()).isoformat()
    column = DECLINED.c[field]
    done = connection.execute(update(DECLINED).where(DECLINED.c.day == key).values({field: column + 1}))
    if not done.rowcount:
        connection.execute(DECLINED.insert().values({"day": key, "declined": 0, "urgent": 0, field: 1}))


def by_day(connection: Connection, days: int = 30) -> List[Dict[str, int | str]]:
    since = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=days)).isoformat()
    rows = connection.execute(select(DECLINED).where(DECLINED.c.day >= since).order_by(DECLINED.c.day))
    return [{"day": r.day, "declined": r.declined, "urgent": r.urgent} for r in rows]
