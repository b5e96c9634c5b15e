"""Where a conversation lives while nothing of it may be kept: before consent, and after a refusal.

In the process's memory by default, or in Redis with an expiry when $REDIS_URL is set (several Rasa
processes behind a balancer must all see it). Either way it is gone once the conversation has been
idle for CONSENT_PENDING_TTL seconds: nothing of it reaches the database, the console or an export.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Dict, Tuple

# Half an hour idle: long enough to finish a question-and-answer session, short for health data.
CONSENT_PENDING_TTL = int(os.environ.get("CONSENT_PENDING_TTL_SECONDS", 1800))


class MemoryStore:
    def __init__(self, ttl: int = CONSENT_PENDING_TTL) -> None:
        self.ttl = ttl
        self._items: Dict[str, Tuple[float, str]] = {}
        self._flags: Dict[str, float] = {}
        self._lock = threading.Lock()

    def _sweep(self, now: float) -> None:
        for key in [k for k, (expires, _) in self._items.items() if expires <= now]:
            del self._items[key]
        for key in [k for k, expires in self._flags.items() if expires <= now]:
            del self._flags[key]

    def get(self, sender_id: str) -> str | None:
        now = time.monotonic()
        with self._lock:
            item = self._items.get(sender_id)
            return item[1] if item and item[0] > now else None

    def put(self, sender_id: str, value: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._sweep(now)
            self._items[sender_id] = (now + self.ttl, value)

    def delete(self, sender_id: str) -> None:
        with self._lock:
            self._items.pop(sender_id, None)
            for key in [k for k in self._flags if k.startswith(f"{sender_id}|")]:
                del self._flags[key]

    def first_time(self, sender_id: str, flag: str) -> bool:
        """True once per conversation and flag (to count a refusal once), for as long as it lives."""
        key = f"{sender_id}|{flag}"
        with self._lock:
            if key in self._flags:
                return False
            self._flags[key] = time.monotonic() + self.ttl
            return True


class RedisStore:
    def __init__(self, url: str, ttl: int = CONSENT_PENDING_TTL, prefix: str = "screening:pending:") -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.ttl, self.prefix = ttl, prefix

    def get(self, sender_id: str) -> str | None:
        value = self.client.get(self.prefix + sender_id)
        return value.decode() if value is not None else None

    def put(self, sender_id: str, value: str) -> None:
        self.client.set(self.prefix + sender_id, value, ex=self.ttl)

    def delete(self, sender_id: str) -> None:
        keys = [self.prefix + sender_id] + list(self.client.scan_iter(f"{self.prefix}{sender_id}|*"))
        self.client.delete(*keys)

    def first_time(self, sender_id: str, flag: str) -> bool:
        return bool(self.client.set(f"{self.prefix}{sender_id}|{flag}", 1, nx=True, ex=self.ttl))


def pending_store() -> MemoryStore | RedisStore:
    url = os.environ.get("REDIS_URL", "")
    return RedisStore(url) if url else MemoryStore()
