"""Session ids the server issues: random, signed and expiring, in the protocol's `session_id` field.

A visitor's session id is the key to their conversation (who has it receives the replies and can ask
"what do you know about me?"), so the client never chooses it: an id the server did not sign, or one
past its expiry, gets a new session, never someone else's. The id stays plain hex, so rasa-webchat and
our widget keep storing it as they always did.

Layout: 32 hex random | 8 hex expiry (Unix seconds) | 16 hex HMAC-SHA256 of the first two.
The key is $SESSION_SIGNING_KEY (`make run` keeps one in .env, like the API token).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time

LIFETIME_SECONDS = 30 * 24 * 3600  # a returning visitor within a month carries on
_SHAPE = re.compile(r"^[0-9a-f]{56}$")
_FALLBACK_KEY = secrets.token_hex(32)  # per process, when no key is configured (ids end with it)


def _key() -> bytes:
    return (os.environ.get("SESSION_SIGNING_KEY") or _FALLBACK_KEY).encode()


def _signature(body: str) -> str:
    return hmac.new(_key(), body.encode(), hashlib.sha256).hexdigest()[:16]


def issue(now: float | None = None) -> str:
    expiry = int((now or time.time()) + LIFETIME_SECONDS)
    body = secrets.token_hex(16) + f"{expiry:08x}"
    return body + _signature(body)


def verified(value: object, now: float | None = None) -> str | None:
    """The id if the server issued it and it has not expired, else None."""
    if not isinstance(value, str) or not _SHAPE.match(value):
        return None
    body, signature = value[:40], value[40:]
    if not hmac.compare_digest(signature, _signature(body)):
        return None
    if int(body[32:40], 16) < (now or time.time()):
        return None
    return value
