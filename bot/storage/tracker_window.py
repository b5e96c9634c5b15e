"""A long conversation costs what a short one does: the tracker store serves the last turns of it.

Rasa rebuilds a conversation from every event of the session on every message, then its policies read
the whole tracker and the action server is sent all of it, so a visitor who keeps asking questions
waits longer with each message (about 7x slower by the 300th). Nothing in this bot looks further back
than a few turns: the policies read at most four states (MemoizationPolicy's max_history, rules of a
few steps), the actions read the slots and the latest message.

So once a conversation is longer than `2 * KEEP_TURNS` visitor messages, the store writes a window
row: where the last KEEP_TURNS messages begin (an event id) and the slots and active form as they
stood just before that message. A tracker is then rebuilt from a short made-up start that restores
that state (session start, the slots, the form, action_listen) followed by the events from the window's
first message on: between KEEP_TURNS and 2 * KEEP_TURNS messages' worth, however long the
conversation. The `events` table stays the complete log (the console, exports and
`GET /conversations/{id}/tracker` read it all).

The made-up start carries a marker (in its first event's metadata) saying where the window begins and
how many made-up events precede it, so a save appends exactly the events the stored log lacks. A window
row is checked against the log when it is read (its first event must be this visitor's message), and
is deleted with the conversation (bot/storage/erasure.py); a stale or missing row means Rasa's own,
complete retrieval.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Sequence, Tuple

from sqlalchemy import Column, Integer, String, Table, Text, delete, select
from sqlalchemy.engine import Connection

from bot.storage.changes import metadata

# Messages kept after a window moves; it moves again when twice as many have gathered. Generous
# against what the policies read (a few turns) so that no prediction can change.
KEEP_TURNS = 8
MARKER = "tracker_window"

WINDOWS = Table(
    "tracker_windows",
    metadata,
    Column("sender_id", String(255), primary_key=True),
    Column("from_id", Integer, nullable=False),  # the id of the window's first event (a user message)
    Column("state", Text, nullable=False),  # JSON: {"slots": {...}, "active_loop": name or null}
)


def marker(events: Sequence[Any]) -> Tuple[int, int] | None:
    """(first stored event id, number of made-up events before it) when `events` is a window."""
    if not events:
        return None
    found = (getattr(events[0], "metadata", None) or {}).get(MARKER)
    if not isinstance(found, dict):
        return None
    return int(found["from_id"]), int(found["prefix"])


def remember(tracker: Any, from_id: int) -> None:
    """Note on a tracker read whole from the log where its stored events begin (its session start):
    the next save counts what is stored from there (an attribute: the events stay as they were read)."""
    tracker.stored_from_id = from_id


def remembered(tracker: Any) -> Tuple[int, int] | None:
    from_id = getattr(tracker, "stored_from_id", None)
    return (int(from_id), 0) if from_id is not None else None


def start_events(state: Dict[str, Any], from_id: int, timestamp: float) -> List[Dict[str, Any]]:
    """The made-up start that restores `state` before the window's first message (event dicts)."""
    slots = [
        {"event": "slot", "name": name, "value": value, "timestamp": timestamp}
        for name, value in (state.get("slots") or {}).items()
    ]
    loop = state.get("active_loop")
    loops = [{"event": "active_loop", "name": loop, "timestamp": timestamp}] if loop else []
    made_up = [
        {"event": "action", "name": "action_session_start", "timestamp": timestamp},
        {"event": "session_started", "timestamp": timestamp},
        *slots,
        *loops,
        {"event": "action", "name": "action_listen", "timestamp": timestamp},
    ]
    made_up[0]["metadata"] = {MARKER: {"from_id": from_id, "prefix": len(made_up)}}
    return made_up


def state_of(tracker: Any) -> Dict[str, Any]:
    """The slots that differ from their initial value, and the active form, of a tracker."""
    slots = {name: slot.value for name, slot in tracker.slots.items() if slot.value != slot.initial_value}
    return {"slots": slots, "active_loop": tracker.active_loop_name}


def new_start(events: Sequence[Any], is_user: Any) -> int | None:
    """The index in `events` where a moved window would begin, or None while the window is short."""
    users = [index for index, event in enumerate(events) if is_user(event)]
    if len(users) <= 2 * KEEP_TURNS:
        return None
    return users[-KEEP_TURNS]


def read(connection: Connection, sender_id: str) -> Tuple[int, Dict[str, Any]] | None:
    row = connection.execute(
        select(WINDOWS.c.from_id, WINDOWS.c.state).where(WINDOWS.c.sender_id == sender_id)
    ).first()
    return (int(row.from_id), json.loads(row.state)) if row is not None else None


def write(connection: Connection, sender_id: str, from_id: int, state: Dict[str, Any]) -> None:
    forget(connection, sender_id)
    connection.execute(WINDOWS.insert().values(sender_id=sender_id, from_id=from_id, state=json.dumps(state)))


def forget(connection: Connection, sender_id: str) -> None:
    connection.execute(delete(WINDOWS).where(WINDOWS.c.sender_id == sender_id))
