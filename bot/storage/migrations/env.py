"""Alembic environment: the URL comes from bot.storage.database (DATABASE_URL or var/rasa.db)."""

from alembic import context
from sqlalchemy import create_engine

from bot.storage.database import database_url
from bot.storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or str(database_url())


def run() -> None:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        # SQLite cannot ALTER most things in place: batch mode rebuilds tables instead.
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            version_table="console_alembic_version",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
