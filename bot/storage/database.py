"""One place that says which database the project uses: DATABASE_URL, or SQLite under var/."""

from __future__ import annotations

import os
from functools import lru_cache

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine, make_url

from bot import PROJECT_ROOT
from bot.storage import sqlite_settings

DEFAULT_SQLITE = PROJECT_ROOT / "var" / "rasa.db"


def database_url() -> URL:
    """The SQLAlchemy URL: $DATABASE_URL when set, else the embedded SQLite file."""
    raw = os.environ.get("DATABASE_URL")
    if raw:
        # Heroku-style "postgres://" is not a dialect SQLAlchemy 1.4 knows.
        if raw.startswith("postgres://"):
            raw = "postgresql://" + raw[len("postgres://") :]
        return make_url(raw)
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return make_url(f"sqlite:///{DEFAULT_SQLITE}")


@lru_cache(maxsize=4)
def engine(url: str = "") -> Engine:
    """One pooled engine per URL (the default: `database_url()`): a database server's connections are
    checked before use, so its restart needs no restart of the process; a SQLite file's are kept open
    (bot/storage/sqlite_settings.py)."""
    url = url or str(database_url())
    return sqlite_settings.tune(create_engine(url, future=True, **sqlite_settings.engine_options(url)))
