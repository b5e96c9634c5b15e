"""Create Rasa's events table and its change log when a console command runs before Rasa first has."""

from __future__ import annotations

from bot.storage import changes


def ensure_events_table() -> None:
    """Rasa creates `events` when it first starts; the console commands may run before that."""
    from bot.console.db import engine
    from bot.rasa_compat import SQLTrackerStore

    SQLTrackerStore.Base.metadata.create_all(engine())
    changes.ensure_tables(engine())
