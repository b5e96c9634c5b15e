"""The trackers this process saved last, handed back on the conversation's next message when the
database says nothing has happened to the conversation since.

Why: rebuilding a tracker from its stored events (SQL, JSON, one Event object per row) was about a
tenth of the Rasa server's time per message (py-spy, docs/performance.md), and the next message of a
conversation usually comes to the process that saved it.

Correct by construction, not by hope:
- A tracker is kept with its conversation's *version*: the newest event id and the number of events,
  read in the transaction that saved it. It is served only when a fresh read of that version matches,
  so a message handled by another process, an erasure, a deletion, a withdrawal of consent (all of
  which remove or add rows) each mean a normal read from the database. Rasa's lock store keeps one
  message per conversation in flight at a time, across processes.
- A tracker is taken out when it is served: if handling the message fails half-way, the next
  message reads the database, never a half-updated tracker.
- Entries are few (LRU) and short-lived (MAX_AGE_S), so a console that rewrites stored text in place
  (retention) is never contradicted by an old copy held here.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Hashable, Tuple

MAX_ENTRIES = 2000
MAX_AGE_S = 600.0

Version = Tuple[Any, Any]  # (newest event id, number of events)


class RecentTrackers:
    def __init__(
        self,
        max_entries: int = MAX_ENTRIES,
        max_age_s: float = MAX_AGE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: OrderedDict[Hashable, Tuple[Version, float, Any]] = OrderedDict()
        self._max_entries, self._max_age_s, self._clock = max_entries, max_age_s, clock
        self._lock = threading.Lock()

    def keep(self, sender_id: str, version: Version, tracker: Any) -> None:
        with self._lock:
            self._entries.pop(sender_id, None)
            self._entries[sender_id] = (version, self._clock(), tracker)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def take(self, sender_id: str, current_version: Callable[[], Version]) -> Any | None:
        """The kept tracker if it is still the conversation's latest (asked of the database only when
        one is kept); either way the entry is gone afterwards."""
        with self._lock:
            entry = self._entries.pop(sender_id, None)
        if entry is None:
            return None
        version, kept_at, tracker = entry
        if self._clock() - kept_at > self._max_age_s:
            return None
        return tracker if current_version() == version else None

    def forget(self, sender_id: str) -> None:
        with self._lock:
            self._entries.pop(sender_id, None)

    def __len__(self) -> int:
        return len(self._entries)
