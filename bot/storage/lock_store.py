"""A Redis lock store that really serialises a visitor's messages across processes.

Rasa's RedisLockStore (3.6.21) issues tickets by reading the lock, changing it and writing it back,
which is not atomic: two processes that receive a visitor's messages at the same moment can both
get ticket 0, both go ahead, and one of the two messages' events is lost when the trackers are saved
(seen in tests/scale/test_faults.py). This one takes a real Redis lock (SET NX with an expiry, via
redis-py) and polls for it every 50 ms instead of every second.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator

from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import LockError as RedisLockError

from bot.rasa_compat import LOCK_LIFETIME, LockError, RedisLockStore

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.05


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        settings = dict(endpoint_config.kwargs) if endpoint_config else {}
        settings.update(kwargs)
        host = (endpoint_config.url if endpoint_config else None) or settings.pop("host", "localhost")
        settings.pop("type", None)
        super().__init__(host=host, **settings)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_SECONDS,
    ) -> AsyncGenerator[Any, None]:
        lock = self.red.lock(f"{self.key_prefix}atomic:{conversation_id}", timeout=lock_lifetime)
        deadline = time.monotonic() + lock_lifetime
        while not lock.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise LockError(
                    f"Could not get the lock for conversation '{conversation_id}' in {lock_lifetime} s"
                )
            await asyncio.sleep(min(wait_time_in_seconds, POLL_SECONDS))
        try:
            yield lock
        finally:
            try:
                lock.release()
            except RedisLockError:
                # It expired while the message was handled (longer than lock_lifetime): say so, go on.
                logger.warning("lock for conversation %s expired before it was released", conversation_id)
