"""Bring the project's tables up to date: `python -m bot.storage.migrate` (the web app does it at start)."""

from __future__ import annotations

import sys

from alembic import command
from alembic.config import Config

from bot import PROJECT_ROOT
from bot.storage.database import database_url

MIGRATIONS = PROJECT_ROOT / "bot" / "storage" / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", (url or str(database_url())).replace("%", "%%"))
    return config


def upgrade(url: str | None = None) -> None:
    command.upgrade(alembic_config(url), "head")


if __name__ == "__main__":
    upgrade(sys.argv[1] if len(sys.argv) > 1 else None)
    print("database schema is up to date")
