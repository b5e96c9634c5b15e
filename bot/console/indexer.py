"""The conversation index: Rasa's `events` rows summarised into one `console_conversations` row each.

Filters on tens of thousands of conversations must not parse JSON per request, so each
conversation is summarised once, and again only when it changes: the tracker store records each
changed conversation (bot/storage/changes.py) and `refresh` works through that log. One conversation
that cannot be summarised is logged and skipped; it never stops the others.

The index holds the visitor's words masked (bot/console/redaction.py): text search and the list's
first question run on masked text; the raw text stays only in Rasa's `events`.
"""

from __future__ import annotations

import gc
import json
import logging
import multiprocessing
import os
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any, Dict, Iterable, Iterator, List, Set, Tuple

import orjson
from sqlalchemy import bindparam, column, delete, func, insert, select, table
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot.clinic import DEFAULT_CLINIC
from bot.console import redaction, safety_queue
from bot.storage import changes, deferred_indexes
from bot.storage.erasure import erase, forget_console_rows
from bot.storage.models import Conversation, SafetyQueueItem
from bot.vocabulary import (
    ANSWERS_CONFIRMED,
    CHANGEABLE_SLOTS,
    CONSENT,
    NOT_ANSWERS,
    RED_FLAG,
    RED_FLAGS,
    SCREENING_OUTCOME,
)

logger = logging.getLogger(__name__)

EVENTS = table(
    "events",
    column("id"),
    column("sender_id"),
    column("type_name"),
    column("timestamp"),
    column("intent_name"),
    column("action_name"),
    column("data"),
)
# Conversations per batch (and per commit).
BULK_BATCH = 1000
QUESTION_INTENTS = ("faq", "ask_benefit", "ask_benefits_overview")
LOW_CONFIDENCE = 0.6
SLOT_STEPS = (*CHANGEABLE_SLOTS, ANSWERS_CONFIRMED)
# The drop-out funnel, in the order the form asks.
FUNNEL = ("greeted", "consented", *SLOT_STEPS, "result")
INDEXED_SLOTS = (*CHANGEABLE_SLOTS, SCREENING_OUTCOME, CONSENT)
MAX_TEXT = 20_000


def summarise(sender_id: str, events: Iterable[Dict[str, Any]]) -> Dict[str, Any] | None:
    """The index fields for one conversation's events (dicts as Rasa stores them)."""
    events = list(events)
    if not events:
        return None
    slots: Dict[str, Any] = {}
    intents: List[str] = []
    texts: List[str] = []
    first_question = None
    clinic = channel = None
    low_confidence = fallback = red_flag = False
    user_messages = 0
    codes: List[str] = []  # red-flag codes, in the order first seen
    rules_version = None  # of the last screening result shown
    for event in events:
        kind = event.get("event")
        if kind == "user":
            user_messages += 1
            text = event.get("text") or ""
            texts.append(text)
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            name = intent.get("full_retrieval_intent_name") or intent.get("name") or ""
            if name:
                intents.append(name)
            if name.split("/")[0] in QUESTION_INTENTS and first_question is None:
                first_question = redaction.mask(text)[:500]
            if name == "nlu_fallback":
                fallback = True
            if name == "report_symptom":
                red_flag = True
            for entity in parse.get("entities") or []:
                # As bot.nlu.red_flags.stated_in reads them: a role means denied or only asked about.
                if isinstance(entity, dict) and entity.get("entity") == RED_FLAG and not entity.get("role"):
                    codes.append(str(entity.get("value")))
            if (intent.get("confidence") or 1.0) < LOW_CONFIDENCE and not text.startswith("/"):
                low_confidence = True
            metadata = event.get("metadata") if isinstance(event.get("metadata"), dict) else {}
            # Only plain strings: a list or an object here once broke every console page.
            clinic = clinic or _short(metadata.get("clinic"), 64)
            channel = channel or _short(event.get("input_channel"), 32)
        elif kind == "slot":
            slots[event.get("name")] = event.get("value")
        elif kind == "bot":
            data = event.get("data") if isinstance(event.get("data"), dict) else {}
            custom = data.get("custom")
            if isinstance(custom, dict) and custom.get("type") == "screening_result":
                rules_version = _short(custom.get("rules_version"), 64) or rules_version
        elif kind == "action" and event.get("name") == "action_default_fallback":
            fallback = True
    if slots.get(RED_FLAGS):
        red_flag = True
        flags = slots[RED_FLAGS]
        codes.extend(str(f) for f in (flags if isinstance(flags, list) else [flags]))
    codes = [c.strip().lower()[:64] for c in dict.fromkeys(codes) if c and c.strip() and " " not in c.strip()]
    furthest = "greeted"
    if slots.get(CONSENT) is True:
        furthest = "consented"
        for step in SLOT_STEPS:
            if slots.get(step) not in (None, *NOT_ANSWERS):
                furthest = step
    if slots.get(SCREENING_OUTCOME):
        furthest = "result"
    pairs = []
    for slot in INDEXED_SLOTS:
        value = slots.get(slot)
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                pairs.append(f"{slot}={str(item).lower()}")
    timestamps = [
        float(e["timestamp"]) if isinstance(e.get("timestamp"), (int, float)) else 0.0 for e in events
    ]
    return {
        "sender_id": sender_id,
        "clinic_id": clinic or _short(slots.get("clinic_id"), 64) or DEFAULT_CLINIC,
        "started_at": min(timestamps),
        "last_at": max(timestamps),
        "channel": channel,
        "consent": slots.get("consent") if isinstance(slots.get("consent"), bool) else None,
        "outcome": slots.get("screening_outcome"),
        "rules_version": rules_version,
        "red_flag": red_flag,
        "red_flags": " " + " ".join(codes) + " " if codes else "",
        "user_messages": user_messages,
        "first_question": first_question,
        "intents": " " + " ".join(sorted(set(intents))) + " ",
        "slot_values": " " + " ".join(pairs) + " ",
        "low_confidence": low_confidence,
        "fallback": fallback,
        "furthest_step": furthest,
        "text": _masked_text(texts),
    }


def _masked_text(texts: List[str]) -> str:
    """The visitor's messages, masked, one a line, up to MAX_TEXT characters (the rest not masked)."""
    masked: List[str] = []
    length = 0
    for text in texts:
        if length >= MAX_TEXT:
            break
        masked.append(redaction.mask(text[:MAX_TEXT]))
        length += len(masked[-1]) + 1
    return "\n".join(masked)[:MAX_TEXT]


def _short(value: Any, length: int) -> str | None:
    return value[:length] if isinstance(value, str) and value else None


def load_events(db: Session, sender_id: str) -> List[Dict[str, Any]]:
    rows = db.execute(select(EVENTS.c.data).where(EVENTS.c.sender_id == sender_id).order_by(EVENTS.c.id))
    return [_decode(data) for (data,) in rows]


def _decode(data: str) -> Dict[str, Any]:
    """One stored event's JSON. orjson is four times as fast as json here (twice ujson); it refuses the
    NaN and Infinity that Python's json writes, which json then reads."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


# Events `summarise` reads only by their kind and time: decoding their JSON was a third of indexing.
_READ_WHOLE = ("user", "slot")


def _event(kind: Any, action: Any, timestamp: Any, data: str) -> Dict[str, Any]:
    """One stored event as `summarise` needs it: whole for what it reads inside, from the row's own
    columns for the rest (an action's name, a bot message without a screening result)."""
    if kind in _READ_WHOLE or not isinstance(timestamp, (int, float)):
        return _decode(data)
    if kind == "bot" and "screening_result" in data:
        return _decode(data)
    if kind == "action":
        return {"event": kind, "name": action, "timestamp": timestamp}
    return {"event": kind, "timestamp": timestamp}


def refresh(db: Session, batch: int = BULK_BATCH, max_batches: int | None = None) -> int:
    """Index every conversation in the change log (all of them, batch by batch); returns how many.

    `max_batches` bounds one call (a background loop calls again); None works until the log is empty,
    and then a large backlog is indexed with the list's indexes built once at the end
    (bot/storage/deferred_indexes.py), and a very large one by worker processes (`_refresh_in_workers`).
    """
    waiting = _waiting(db) if max_batches is None else 0
    if waiting and _large_backlog(db, waiting):
        with deferred_indexes.rebuilt_after(db, Conversation.__tablename__):
            workers = index_workers()
            url = _shared_url(db)
            if workers > 1 and url and waiting >= PARALLEL_BACKLOG:
                return _refresh_in_workers(db, batch, workers, url)
            return _refresh(db, batch, None)
    return _refresh(db, batch, max_batches)


# A backlog this large, and at least half as large as the index already is, is cheaper to index with
# the indexes built afterwards than kept up to date row by row.
LARGE_BACKLOG = 10_000


def _waiting(db: Session) -> int:
    return db.execute(select(func.count()).select_from(changes.CHANGES)).scalar_one()


def _large_backlog(db: Session, waiting: int) -> bool:
    if waiting < LARGE_BACKLOG:
        return False
    indexed = db.execute(select(func.count()).select_from(Conversation.__table__)).scalar_one()
    return waiting * 2 >= indexed


def _refresh(db: Session, batch: int, max_batches: int | None) -> int:
    indexed = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        seen = changes.pending(db.connection(), batch)
        if not seen:
            break
        batches += 1
        with _no_cycle_collection():
            indexed += _index_batch(db, seen)
    return indexed


# A backlog this large is read and summarised by worker processes, one per core, while this process
# writes: reading the events, decoding their JSON and masking the visitors' words were three quarters of
# indexing's time on one core (py-spy, 100,000 synthetic conversations). Each worker's start (spaCy's
# masking pipeline loaded again) costs a few seconds: worth it only for a backlog of thousands.
PARALLEL_BACKLOG = 5_000
# Batches handed to the workers at a time, between two readings of the change log.
BATCHES_PER_ROUND = 50


def index_workers() -> int:
    """How many worker processes index a large backlog: $INDEX_WORKERS, else one per core (at most 4);
    0 or 1 indexes in this process."""
    configured = os.environ.get("INDEX_WORKERS", "").strip()
    if configured.isdigit():
        return int(configured)
    return min(os.cpu_count() or 1, 4)


def _shared_url(db: Session) -> str | None:
    """The database's URL for another process, or None where another process cannot see the same data
    (an in-memory SQLite database)."""
    url = db.get_bind().url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


def _refresh_in_workers(db: Session, batch: int, workers: int, url: str) -> int:
    """As `_refresh`, with each batch read and summarised by a worker process (`_summaries_in_worker`)
    and written here, in order, as the workers finish them: the database keeps one writer."""
    indexed = 0
    # Spawned, not forked: this process may have threads and open connections.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=(url,)) as pool:
        while True:
            pending = changes.pending(db.connection(), batch * BATCHES_PER_ROUND)
            if not pending:
                return indexed
            senders = list(pending)
            gone = set(changes.erased(db.connection(), senders))
            db.commit()  # no read transaction held open while the workers read
            pieces = [senders[start : start + batch] for start in range(0, len(senders), batch)]
            work = [[s for s in piece if s not in gone] for piece in pieces]
            results = pool.imap(_summaries_in_worker, work)
            for piece, (summaries, last_ids) in zip(pieces, results, strict=True):
                seen = {s: pending[s] for s in piece}
                with _no_cycle_collection():
                    indexed += _write_batch(db, seen, gone & set(piece), summaries, last_ids)


_worker_engine: Any = None


def _start_worker(url: str) -> None:
    global _worker_engine
    from bot.storage.database import engine

    _worker_engine = engine(url)


def _summaries_in_worker(senders: List[str]) -> Tuple[Dict[str, Any], Dict[str, int]]:
    with _no_cycle_collection(), _worker_engine.connect() as connection:
        return read_summaries(connection, senders)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off for one batch: a batch allocates some ten thousand decoded events that
    stay alive until it ends, so collections come often and the oldest generation's walk every object of
    the process (the masking pipeline's among them): a quarter of indexing time, measured on 20,000
    synthetic conversations. Nothing a batch builds is cyclic: reference counting frees it all."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _index_batch(db: Session, seen: Dict[str, int]) -> int:
    """Index one batch of changed conversations and forget their changes; returns how many."""
    senders = list(seen)
    gone = set(changes.erased(db.connection(), senders))
    summaries, last_ids = read_summaries(db.connection(), [s for s in senders if s not in gone])
    return _write_batch(db, seen, gone, summaries, last_ids)


# A conversation that could not be summarised (logged; the others go on).
_UNREADABLE = "unreadable"


def read_summaries(
    connection: Connection, senders: List[str]
) -> Tuple[Dict[str, Dict[str, Any] | None | str], Dict[str, int]]:
    """Each conversation's index fields (None: it has no events; _UNREADABLE: it could not be summarised),
    and the id of its last event."""
    grouped: Dict[str, List[Dict[str, Any]]] = {s: [] for s in senders}
    last_ids: Dict[str, int] = dict.fromkeys(senders, 0)
    if senders:
        rows = connection.execute(
            select(
                EVENTS.c.sender_id,
                EVENTS.c.id,
                EVENTS.c.type_name,
                EVENTS.c.action_name,
                EVENTS.c.timestamp,
                EVENTS.c.data,
            )
            .where(EVENTS.c.sender_id.in_(senders))
            .order_by(EVENTS.c.id)
        )
        for sender_id, event_id, kind, action, timestamp, data in rows.fetchall():
            try:
                grouped[sender_id].append(_event(kind, action, timestamp, data))
            except (TypeError, ValueError):
                logger.warning("skipped an unreadable stored event (id %s)", event_id)
            last_ids[sender_id] = max(last_ids[sender_id], int(event_id))
    summaries: Dict[str, Dict[str, Any] | None | str] = {}
    for sender_id, events in grouped.items():
        try:
            summaries[sender_id] = summarise(sender_id, events)
        except Exception:  # noqa: BLE001  one bad conversation must never stop the rest
            logger.exception("could not index one conversation; it is skipped")
            summaries[sender_id] = _UNREADABLE
    return summaries, last_ids


def _write_batch(
    db: Session,
    seen: Dict[str, int],
    gone: Set[str],
    summaries: Dict[str, Dict[str, Any] | None | str],
    last_ids: Dict[str, int],
) -> int:
    """Write one batch's summaries to the index and its queue, forget its changes, commit; returns how
    many conversations were indexed."""
    for sender_id in gone:
        forget_console_rows(db, sender_id)
    live = list(summaries)
    existing = {
        c.sender_id: c
        for c in db.execute(select(Conversation).where(Conversation.sender_id.in_(live))).scalars()
    }
    # The batch's queue items in one query, so that syncing each conversation asks nothing more.
    items = {
        i.sender_id: i
        for i in db.execute(select(SafetyQueueItem).where(SafetyQueueItem.sender_id.in_(live))).scalars()
    }
    indexed = 0
    indexed_rows: List[Any] = []
    new_rows: List[Dict[str, Any]] = []
    for sender_id, fields in summaries.items():
        if fields == _UNREADABLE:
            continue
        indexed += 1
        if fields is not None and sender_id not in existing:
            # A conversation seen for the first time is inserted with the batch's others in one
            # statement: building and flushing an ORM object for each was half of indexing.
            new_rows.append({**fields, "reviewed": False, "last_event_id": last_ids[sender_id]})
            continue
        row = _index_one(db, sender_id, fields, existing.get(sender_id), last_ids[sender_id])
        if row is not None:
            indexed_rows.append(row)
    if new_rows:
        _insert_many(db.connection(), new_rows)
    # One flush for the batch's conversations, then their queue items (read from the same fields).
    db.flush()
    for row in [*indexed_rows, *(SimpleNamespace(**fields) for fields in new_rows)]:
        safety_queue.sync(db, row, items)
    db.flush()
    _done(db.connection(), seen)
    db.commit()
    return indexed


def _insert_many(connection: Connection, rows: List[Dict[str, Any]]) -> None:
    """Insert the rows into the index as one executemany of the driver's own, the statement compiled by
    SQLAlchemy once: its per-row parameter handling was an eighth of the writing process's time."""
    columns = list(rows[0])
    compiled = insert(Conversation.__table__).compile(dialect=connection.dialect, column_keys=columns)
    order = compiled.positiontup or []
    # (a dialect with named parameters, or a column filled by a default of SQLAlchemy's: its own way)
    if not order or not set(order) <= set(columns):
        connection.execute(insert(Conversation.__table__), rows)
        return
    connection.exec_driver_sql(str(compiled), [tuple(row[key] for key in order) for row in rows])


def _done(connection: Connection, seen: Dict[str, int]) -> None:
    """As bot.storage.changes.done (a change is forgotten only at the version read), in one statement
    executed for the whole batch rather than one round trip per conversation."""
    if seen:
        connection.execute(
            delete(changes.CHANGES).where(
                changes.CHANGES.c.sender_id == bindparam("done_sender"),
                changes.CHANGES.c.version == bindparam("done_version"),
            ),
            [{"done_sender": s, "done_version": v} for s, v in seen.items()],
        )


def _index_one(
    db: Session, sender_id: str, fields: Dict[str, Any] | None, row: Conversation | None, last_id: int
) -> Conversation | None:
    """Insert or update the conversation's row (flushed by the caller); None when it has no events."""
    if fields is None:
        if row is not None:
            forget_console_rows(db, sender_id)
        return None
    if row is None:
        row = Conversation(**fields, reviewed=False, last_event_id=last_id)
        db.add(row)
    else:
        for key, value in fields.items():
            setattr(row, key, value)
        row.last_event_id = last_id
    return row


def mark_all_changed(db: Session) -> int:
    """Put every stored conversation in the change log (after an upgrade, or data written directly)."""
    senders = [s for (s,) in db.execute(select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id))]
    for start in range(0, len(senders), 1000):
        changes.mark_changed(db.connection(), senders[start : start + 1000])
    db.commit()
    return len(senders)


def forget(db: Session, sender_id: str) -> None:
    """Remove a conversation everywhere: Rasa's events, the console's rows, and leave a tombstone."""
    erase(db, sender_id)
