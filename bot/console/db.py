"""The console's database handle: the same database as the tracker store, the project's tables on it."""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from bot.storage.database import engine


def session_factory(url: str = "") -> sessionmaker:
    return sessionmaker(bind=engine(url), future=True, expire_on_commit=False)
