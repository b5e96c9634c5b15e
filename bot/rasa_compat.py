"""Every use of Rasa's internals, in one place, checked when Rasa loads the project.

Rasa's documented extension points (graph components, input channels, `UserMessage`) are imported
where they are used. What is *not* documented (private methods, class attributes, a table layout) is
imported from here only, and this module checks, when it is first imported, that the installed Rasa
is the version these were read from and still has every attribute relied on. If not, it stops Rasa
from starting with a message that says what differs, instead of a patch that silently does nothing.

It is imported by the tracker store, the lock store and the channels, so it runs wherever Rasa runs:
`rasa run`, `rasa shell`, the tests. $RASA_COMPAT_EXPECTED overrides the expected version (for the
test that proves the guard refuses).

The patches (each measured with py-spy under load, docs/performance.md):
- action-server responses are validated against a JSON schema with `jsonschema.validate`, which
  re-checks the schema itself on every call: 74 % of the server's time under load, as every message
  runs two or three custom actions. A validator built once gives the same result and message. Even so,
  each event was checked against all 23 event kinds of a `oneOf` (7 % of the server's time); each is
  now checked against its own kind, and anything that fails goes through the full check for its error.
- every call to the action server carried the whole tracker (every event, each user message with its
  whole parse), encoded on every call: 7 % of the server's time, and as much again to parse on the
  other side. A call now carries the tracker's state (slots, latest message, active loop: unchanged)
  and only the events since the visitor's previous message, which is all our actions read
  (`slots_to_validate`, the assistant's last replies). The full log stays in the tracker store.
- `Event.resolve_by_type` walks every subclass of `Event` (with `inspect.isabstract` on each) for every
  event it deserialises: about 5 % of the server's time. The classes found are remembered by type name;
  a name not found yet still goes through Rasa's own lookup, so an event class defined later is found.
- `DialogueStateTracker.applied_events` walks the whole event list (twice) on every call, and each
  policy's replay of the prior trackers calls it again for the same events (each policy is handed its
  own copy of the tracker): 7 % of the server's busy time at 30 visitors. Which events apply is kept by
  the tracker's content (sender, number of events, the first and last events' kinds and times), as
  positions, so each copy gets its own event objects; any event added, removed or replaced gives a
  fresh walk.
- a custom action is a request to the action endpoint (`EndpointConfig.request`). For the address
  `inprocess://actions` the request is answered by rasa_sdk's executor in this process
  (bot/in_process_actions.py): at one visitor about half the CPU per message of an action server
  (docs/performance.md). Any other address goes to Rasa's own request unchanged.
"""

from __future__ import annotations

import inspect
import os
from functools import lru_cache
from typing import Any, Dict, List, Tuple

import rasa
from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from bot import in_process_actions

EXPECTED_VERSION = "3.6.21"
# (object, attributes we rely on that Rasa does not document)
RELIED_ON: Tuple[Tuple[Any, Tuple[str, ...]], ...] = (
    (
        RemoteAction,
        (
            "_validate_action_result",
            "action_response_format_spec",
            "_action_call_format",
            "_is_selective_domain_enabled",
        ),
    ),
    (
        SQLTrackerStore,
        ("_additional_events", "_event_query", "session_scope", "SQLEvent", "Base", "serialise_tracker"),
    ),
    (SocketIOOutput, ("_send_message",)),
    (RedisLockStore, ("lock",)),
    (Event, ("resolve_by_type",)),
    (EndpointConfig, ("request",)),
    (Domain, ("is_empty", "as_dict", "empty")),
    (DialogueStateTracker, ("applied_events",)),
)
# Constructors called with positional arguments (bot/channels/socketio_channel.py): their parameters.
CONSTRUCTORS: Tuple[Tuple[Any, Tuple[str, ...]], ...] = (
    (
        SocketIOInput,
        (
            "user_message_evt",
            "bot_message_evt",
            "namespace",
            "session_persistence",
            "socketio_path",
            "jwt_key",
            "jwt_method",
            "metadata_key",
        ),
    ),
    (SocketIOOutput, ("sio", "bot_message_evt")),
)
# Rasa's `events` table, which the console reads directly (bot/console/indexer.py): the columns used.
EVENTS_COLUMNS = ("id", "sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")

__all__ = [
    "LOCK_LIFETIME",
    "LockError",
    "RedisLockStore",
    "SQLTrackerStore",
    "SocketBlueprint",
    "SocketIOInput",
    "SocketIOOutput",
    "create_engine_kwargs",
    "EVENTS_COLUMNS",
    "RasaCompatibilityError",
]


class RasaCompatibilityError(RuntimeError):
    """The installed Rasa is not the one the project's use of its internals was written for."""


def problems(expected: str | None = None) -> List[str]:
    expected = expected or os.environ.get("RASA_COMPAT_EXPECTED") or EXPECTED_VERSION
    found: List[str] = []
    if rasa.__version__ != expected:
        found.append(f"Rasa {rasa.__version__} is installed, the project was written for {expected}")
    for owner, attributes in RELIED_ON:
        missing = [a for a in attributes if not hasattr(owner, a)]
        if missing:
            found.append(f"{owner.__module__}.{owner.__name__} lacks {', '.join(missing)}")
    for owner, parameters in CONSTRUCTORS:
        found_parameters = tuple(inspect.signature(owner.__init__).parameters)[1:]
        if found_parameters != parameters:
            found.append(f"{owner.__name__}({', '.join(found_parameters)}) is not ({', '.join(parameters)})")
    table = SQLTrackerStore.SQLEvent.__table__
    missing_columns = [c for c in EVENTS_COLUMNS if c not in table.columns]
    if table.name != "events" or missing_columns:
        found.append(f"Rasa's events table changed (name {table.name}, missing {missing_columns})")
    return found


def check() -> None:
    found = problems()
    if found:
        raise RasaCompatibilityError(
            "This project relies on Rasa internals that differ here: "
            + "; ".join(found)
            + ". Install the pinned version (make install), or review bot/rasa_compat.py before "
            "changing the pin."
        )


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, not per response
    return cls(schema)


@lru_cache(maxsize=1)
def _event_validators() -> Tuple[Any, Dict[str, Any]] | None:
    """The response schema split for speed: the response without its events' `oneOf` over 23 event
    kinds, and one validator per kind. Every branch of that `oneOf` fixes `event` to its own constant,
    so an event satisfies the `oneOf` exactly when it satisfies its own kind's branch: the same verdict
    for a fraction of the work. None when the schema is not of that shape (then only the full check)."""
    schema = RemoteAction.action_response_format_spec()
    events = schema.get("properties", {}).get("events", {})
    items = events.get("items", {})
    branches = items.get("oneOf") or []
    kinds = [branch.get("properties", {}).get("event", {}).get("const") for branch in branches]
    if not branches or None in kinds or len(set(kinds)) != len(kinds) or set(events) != {"type", "items"}:
        return None
    cls = validators.validator_for(schema)
    base = {key: value for key, value in items.items() if key != "oneOf"}
    outer = {
        **schema,
        "properties": {**schema["properties"], "events": {**events, "items": {"type": "object"}}},
    }
    per_kind = {kind: cls({"allOf": [base, branch]}) for kind, branch in zip(kinds, branches, strict=True)}
    return cls(outer), per_kind


def _valid_by_kind(result: Any) -> bool:
    """True only when the response is certainly valid; False sends it to the full check."""
    split = _event_validators()
    if split is None or not isinstance(result, dict):
        return False
    outer, per_kind = split
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or []:
        validator = per_kind.get(event.get("event")) if isinstance(event, dict) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    # Our own actions, run in this process, answer through rasa-sdk's own event classes: the schema check
    # guards against a remote server's malformed answer, and was a fortieth of the server's busy time.
    endpoint = self.action_endpoint
    if endpoint is not None and in_process_actions.is_in_process(endpoint.url):
        return True
    if _valid_by_kind(result):
        return True
    try:
        _response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the Action "
            f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error


_EVENT_CLASSES: Dict[str, type] = {}
_RASA_RESOLVE_BY_TYPE = Event.resolve_by_type


def _resolve_by_type(type_name: str, default: type | None = None) -> type | None:
    found = _EVENT_CLASSES.get(type_name)
    if found is None:
        found = _RASA_RESOLVE_BY_TYPE(type_name, default)
        if found is not None and getattr(found, "type_name", None) == type_name:
            _EVENT_CLASSES[type_name] = found  # only a real match, never the caller's default
    return found


def recent_events(events: List[Event]) -> List[Event]:
    """The events after the visitor's message before the latest one: the assistant's last replies, the
    latest message and everything since (all of them when there are fewer than two messages)."""
    seen = 0
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            seen += 1
            if seen == 2:
                return events[index + 1 :]
    return events


def _action_call_format(self: RemoteAction, tracker: Any, domain: Any) -> Dict[str, Any]:
    """Rasa's request to the action server (rasa/core/actions/action.py), with the recent events only."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in recent_events(list(tracker.events))]
    call = {
        "next_action": self.name(),
        "sender_id": tracker.sender_id,
        "tracker": state,
        "version": rasa.__version__,
    }
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(
        self.name()
    ):
        call["domain"] = domain.as_dict()
    return call


_RASA_REQUEST = EndpointConfig.request


async def _request(
    self: EndpointConfig, method: str = "post", subpath: str | None = None, **kwargs: Any
) -> Any:
    """Rasa's HTTP request to an endpoint, or for `inprocess://actions` our actions run right here
    (bot/in_process_actions.py), an error given as the action server's HTTP error would be."""
    if not in_process_actions.is_in_process(self.url):
        return await _RASA_REQUEST(self, method, subpath, **kwargs)
    try:
        return await in_process_actions.run(kwargs["json"])
    except in_process_actions.InProcessActionError as e:
        raise ClientResponseError(e.status, "in-process action", e.text) from e


_RASA_IS_EMPTY = Domain.is_empty
_IS_EMPTY = "_screening_is_empty"


def _is_empty(self: Domain) -> bool:
    """Rasa's check, once per domain: it compares the whole domain, as a dict, with an empty one built
    afresh, and the processor asks it for every message (`_check_for_unseen_features`). A loaded domain
    does not change."""
    known = self.__dict__.get(_IS_EMPTY)
    if known is None:
        known = _RASA_IS_EMPTY(self)
        self.__dict__[_IS_EMPTY] = known
    return known


_RASA_APPLIED_EVENTS = DialogueStateTracker.applied_events
# Which of a tracker's events apply, by the tracker's content: each policy is handed its own copy of the
# tracker, so the same events arrive in different objects. Kept for the most recent trackers only.
_APPLIED_INDICES: Dict[Tuple[Any, ...], List[int]] = {}
_APPLIED_KEPT = 256


def _content_key(tracker: DialogueStateTracker) -> Tuple[Any, ...] | None:
    """The sender, the number of events and the first and last events' kinds and times: two copies of
    one tracker agree, and any event added, removed or replaced changes it."""
    events = tracker.events
    if not events:
        return None
    first, last = events[0], events[-1]
    return (tracker.sender_id, len(events), type(first), first.timestamp, type(last), last.timestamp)


def _applied_events(self: DialogueStateTracker) -> List[Event]:
    """Rasa's applied events, walked once for each content of the tracker rather than on every call."""
    key = _content_key(self)
    if key is None:
        return _RASA_APPLIED_EVENTS(self)
    events = list(self.events)
    indices = _APPLIED_INDICES.get(key)
    if indices is None:
        applied = _RASA_APPLIED_EVENTS(self)
        where = {id(event): i for i, event in enumerate(events)}
        indices = [where[id(event)] for event in applied]
        if len(_APPLIED_INDICES) >= _APPLIED_KEPT:
            _APPLIED_INDICES.pop(next(iter(_APPLIED_INDICES)))
        _APPLIED_INDICES[key] = indices
        return applied
    return [events[i] for i in indices]


def apply() -> None:
    EndpointConfig.request = _request
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _action_call_format
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    Domain.is_empty = _is_empty
    DialogueStateTracker.applied_events = _applied_events


check()
apply()
