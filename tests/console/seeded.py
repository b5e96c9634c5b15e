"""Console test data: Rasa events written as the tracker store writes them, a migrated database seeded
with them, and the web app running on such a database (shared by the queue, verdict and inbox tests)."""

import contextlib
import os
from typing import Dict, Iterable, Iterator, List, Tuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot import PROJECT_ROOT
from bot.console import auth, indexer
from bot.console.events_table import event_row, slot_event, user_event
from bot.storage import changes
from bot.storage.migrate import upgrade
from tests.console.test_console_pages import PASSWORD, Client, cli
from tests.helpers import web_app

Events = Dict[str, List[dict]]
slot = slot_event


def user(text, t, intent="inform", clinic="demo", entities=(), confidence=0.99):
    return user_event(text, t, intent, clinic, entities, confidence)


def add_events(connection, sender, events):
    """As the tracker store saves them: the rows, and the sender in the change log."""
    changes.ensure_tables(connection)
    changes.mark_changed(connection, [sender])
    connection.execute(sa.insert(indexer.EVENTS), [event_row(sender, e) for e in events])


@contextlib.contextmanager
def seeded_session(path, conversations: Events) -> Iterator[Session]:
    """A migrated SQLite database at `path` holding `conversations`, indexed."""
    from rasa.core.tracker_store import SQLTrackerStore

    url = f"sqlite:///{path}"
    upgrade(url)
    engine = sa.create_engine(url, future=True)
    SQLTrackerStore.Base.metadata.create_all(engine)
    with Session(engine, future=True) as session:
        for sender, events in conversations.items():
            add_events(session.connection(), sender, events)
        session.commit()
        indexer.refresh(session)
        yield session


@contextlib.contextmanager
def running_console(
    directory, name: str, conversations: Events, reviewer: bool = False
) -> Iterator[Tuple[str, sa.engine.Engine]]:
    """The web app on a fresh database with `conversations`, an admin for "demo" and one for "other"
    (and a demo reviewer when asked); yields its base URL and the database engine."""
    db = directory / f"{name}.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "CONSOLE_ADMIN_PASSWORD": PASSWORD,
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    cli(env, "create-admin", "--email", "admin@demo.example", "--clinic", "demo")
    cli(env, "create-admin", "--email", "admin@other.example", "--clinic", "other")
    engine = sa.create_engine(f"sqlite:///{db}", future=True)
    with engine.begin() as connection:
        for sender, events in conversations.items():
            add_events(connection, sender, events)
    with Session(engine, future=True) as session:
        if reviewer:
            auth.create_staff(session, "reviewer@demo.example", PASSWORD, "reviewer", "demo")
            session.commit()
        indexer.refresh(session)
    with web_app(env, f"console-{name}-test-web.log") as base:
        yield base, engine


def login(console: Tuple[str, Iterable], email: str) -> Client:
    client = Client(console[0])
    assert client.login(email)[0] == 302
    return client
