"""The console's database handle: the same database as the tracker store, the project's tables on it."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.storage.database import database_url


@lru_cache(maxsize=4)
def engine(url: str = "") -> Engine:
    return create_engine(url or str(database_url()), future=True, pool_pre_ping=True)


def session_factory(url: str = "") -> sessionmaker:
    return sessionmaker(bind=engine(url), future=True, expire_on_commit=False)
