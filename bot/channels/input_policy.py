"""One input policy for every channel: what a visitor may send, and how often.

Checked before Rasa sees a message, so a refused message costs microseconds and is never stored: one
100 KB message once kept the NLU busy for minutes while every other visitor waited. The widget reads
MAX_MESSAGE_CHARS from the web app, so the page and the server agree on the cap.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Dict, Tuple

# One message: long enough for a rambling description of one's health, far from what costs the NLU
# seconds (Rasa's featurizers grow with the text).
MAX_MESSAGE_CHARS = 1000
# One HTTP request body (Sanic's own cap is 100 MB): room for the message, its JSON and metadata.
MAX_REQUEST_BYTES = 64 * 1024
# Metadata a client may send, each a short string; anything else is refused, not silently stored.
METADATA_KEYS = ("clinic", "page")
MAX_METADATA_VALUE = 200
_SENDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$")
_CLINIC = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

TOO_LONG = "That message is a bit long for me. Could you say it in a sentence or two?"
TOO_FAST = "You're sending messages faster than I can read them. Please wait a moment and try again."


class Refused(ValueError):
    """Input the policy refuses: `status` for HTTP, `reason` for the client, `reply` for a visitor."""

    def __init__(self, status: int, reason: str, reply: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.reply = status, reason, reply


def check_text(value: Any) -> str:
    if not isinstance(value, str):
        raise Refused(400, "message must be a string")
    if not value.strip():
        raise Refused(400, "message is empty")
    if len(value) > MAX_MESSAGE_CHARS:
        raise Refused(413, f"message longer than {MAX_MESSAGE_CHARS} characters", TOO_LONG)
    return _CONTROL.sub(" ", value)


def check_sender(value: Any) -> str:
    if not isinstance(value, str) or not _SENDER.match(value):
        raise Refused(400, "sender must be 1-128 letters, digits or _.:@- (starting with a letter or digit)")
    return value


def check_metadata(value: Any, known_clinics: Tuple[str, ...] | None = None) -> Dict[str, str]:
    """Only an object of known keys with short string values; a clinic must be one that exists."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Refused(400, "metadata must be an object")
    unknown = sorted(str(k) for k in value if k not in METADATA_KEYS)
    if unknown:
        raise Refused(400, f"unknown metadata keys: {', '.join(unknown)[:200]}")
    clean: Dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, str) or len(item) > MAX_METADATA_VALUE or _CONTROL.search(item):
            raise Refused(400, f"metadata.{key} must be a short string")
        clean[key] = item
    clinic = clean.get("clinic")
    if clinic is not None and (
        not _CLINIC.match(clinic) or (known_clinics is not None and clinic not in known_clinics)
    ):
        raise Refused(400, "unknown clinic")
    return clean


@dataclass(frozen=True)
class Rate:
    """At most `count` messages in `seconds`."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str, default: Rate) -> Rate:
        """ "30/60" is 30 messages a minute; "0" or "off" switches the limit off."""
        text = (text or "").strip().lower()
        if not text:
            return default
        if text in ("0", "off", "none"):
            return cls(0, 1.0)
        count, _, seconds = text.partition("/")
        return cls(int(count), float(seconds or 60))


class RateLimiter:
    """A token bucket per key (session or client address), in memory, bounded in size.

    Per process: behind the balancer each Rasa process counts its own share, which is what protects it.
    """

    def __init__(self, rate: Rate, max_keys: int = 50_000) -> None:
        self.rate, self.max_keys = rate, max_keys
        self._buckets: OrderedDict[str, Tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        if self.rate.count <= 0:
            return True
        now = time.monotonic() if now is None else now
        refill = self.rate.count / self.rate.seconds
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.rate.count), now))
            tokens = min(float(self.rate.count), tokens + (now - last) * refill)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return allowed


# A person types a message every few seconds; a page reload or a quick "yes" may come faster.
DEFAULT_SESSION_RATE = Rate(20, 60)
# Many visitors may share one address (a clinic's waiting-room Wi-Fi, a mobile carrier's NAT).
DEFAULT_ADDRESS_RATE = Rate(240, 60)


def session_limiter() -> RateLimiter:
    return RateLimiter(Rate.parse(os.environ.get("RATE_LIMIT_SESSION", ""), DEFAULT_SESSION_RATE))


def address_limiter() -> RateLimiter:
    return RateLimiter(Rate.parse(os.environ.get("RATE_LIMIT_ADDRESS", ""), DEFAULT_ADDRESS_RATE))


def client_address(remote: str, forwarded_for: str | None) -> str:
    """The visitor's address: the balancer's X-Forwarded-For (its last hop, which HAProxy appends)
    only when $TRUST_FORWARDED_FOR says a balancer is in front; otherwise the socket's peer."""
    if forwarded_for and os.environ.get("TRUST_FORWARDED_FOR", "") in ("1", "true", "yes"):
        return forwarded_for.split(",")[-1].strip() or remote
    return remote
