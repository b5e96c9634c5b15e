"""A clinic's `notifications:` settings (email over SMTP, an optional webhook), read and checked at load.

No secret is ever written in a clinic file: the SMTP password and the webhook's signing key come from
environment variables the file names (`password_env`, `secret_env`), read when a notification is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Tuple
from urllib.parse import urlsplit

EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,127}$")
HOST = re.compile(r"^[A-Za-z0-9.:-]{1,253}$")
TLS_MODES = ("none", "starttls", "ssl")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
DEFAULT_DUE_SOON_MINUTES = 30
DEFAULT_NEW_LEVELS = ("self_harm", "red_flag")


class NotificationSettingsError(ValueError):
    """A `notifications:` setting that cannot be used; the message names it and says what to write."""


@dataclass(frozen=True)
class EmailSettings:
    host: str
    port: int
    sender: str
    recipients: Tuple[str, ...]
    tls: str = "none"
    username: str | None = None
    password_env: str | None = None
    timeout: float = 10.0


@dataclass(frozen=True)
class WebhookSettings:
    url: str
    secret_env: str | None = None
    timeout: float = 10.0


@dataclass(frozen=True)
class NotificationSettings:
    email: EmailSettings | None
    webhook: WebhookSettings | None
    due_soon_minutes: int = DEFAULT_DUE_SOON_MINUTES
    new_levels: Tuple[str, ...] = DEFAULT_NEW_LEVELS

    @property
    def channels(self) -> Tuple[str, ...]:
        return tuple(name for name, part in (("email", self.email), ("webhook", self.webhook)) if part)


def parse_notifications(value: Any, levels: Tuple[str, ...]) -> NotificationSettings | None:
    """The settings, or None when the clinic has none; `levels` are the queue levels that exist."""
    if value is None:
        return None
    _mapping(value, "notifications", ("email", "webhook", "due_soon_minutes", "notify_new"))
    email = _email(value["email"]) if value.get("email") is not None else None
    webhook = _webhook(value["webhook"]) if value.get("webhook") is not None else None
    if email is None and webhook is None:
        raise NotificationSettingsError("notifications needs email:, webhook: or both (or leave it out)")
    minutes = value.get("due_soon_minutes", DEFAULT_DUE_SOON_MINUTES)
    if not _is_int(minutes) or not 1 <= minutes <= 24 * 60:
        raise NotificationSettingsError("notifications.due_soon_minutes must be whole minutes, 1 to 1440")
    new_levels = value.get("notify_new", list(DEFAULT_NEW_LEVELS))
    if not isinstance(new_levels, list) or any(level not in levels for level in new_levels):
        raise NotificationSettingsError(f"notifications.notify_new must be a list of: {', '.join(levels)}")
    return NotificationSettings(email, webhook, int(minutes), tuple(new_levels))


def _email(value: Any) -> EmailSettings:
    if isinstance(value, dict) and "password" in value:
        raise NotificationSettingsError(
            "notifications.email.password must not be in the clinic file: put the password in an "
            "environment variable and write its name as password_env"
        )
    allowed = ("host", "port", "from", "to", "tls", "username", "password_env", "timeout_seconds")
    _mapping(value, "notifications.email", allowed)
    host = value.get("host")
    if not isinstance(host, str) or not HOST.match(host):
        raise NotificationSettingsError("notifications.email.host must be the SMTP server's host name")
    port = value.get("port", 25)
    if not _is_int(port) or not 1 <= port <= 65535:
        raise NotificationSettingsError("notifications.email.port must be a port number (25, 465, 587…)")
    sender = value.get("from")
    if not isinstance(sender, str) or not EMAIL.match(sender):
        raise NotificationSettingsError("notifications.email.from must be one email address")
    to = value.get("to")
    recipients = [to] if isinstance(to, str) else to
    if (
        not isinstance(recipients, list)
        or not recipients
        or not all(isinstance(r, str) and EMAIL.match(r) for r in recipients)
    ):
        raise NotificationSettingsError("notifications.email.to must be an email address or a list of them")
    tls = value.get("tls", {465: "ssl", 587: "starttls"}.get(port, "none"))
    if tls not in TLS_MODES:
        raise NotificationSettingsError(f"notifications.email.tls must be one of {', '.join(TLS_MODES)}")
    username, password_env = value.get("username"), value.get("password_env")
    if username is not None and (not isinstance(username, str) or not username.strip()):
        raise NotificationSettingsError("notifications.email.username must be a string")
    if (username is None) != (password_env is None):
        raise NotificationSettingsError("notifications.email needs username and password_env together")
    if password_env is not None:
        _env_name(password_env, "notifications.email.password_env")
    if username and tls == "none" and host not in LOOPBACK:
        raise NotificationSettingsError(
            "notifications.email sends a password: set tls to starttls or ssl (plain text only to localhost)"
        )
    return EmailSettings(
        host=host,
        port=int(port),
        sender=sender,
        recipients=tuple(recipients),
        tls=tls,
        username=username,
        password_env=password_env,
        timeout=_timeout(value, "notifications.email"),
    )


def _webhook(value: Any) -> WebhookSettings:
    if isinstance(value, str):
        value = {"url": value}
    _mapping(value, "notifications.webhook", ("url", "secret_env", "timeout_seconds"))
    url = value.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise NotificationSettingsError("notifications.webhook.url must be an http:// or https:// address")
    secret_env = value.get("secret_env")
    if secret_env is not None:
        _env_name(secret_env, "notifications.webhook.secret_env")
    return WebhookSettings(url=url, secret_env=secret_env, timeout=_timeout(value, "notifications.webhook"))


def _mapping(value: Any, where: str, allowed: Tuple[str, ...]) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise NotificationSettingsError(f"{where} must be a mapping of {', '.join(allowed)}")
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise NotificationSettingsError(
            f"{where} has {', '.join(unknown)}: the settings are {', '.join(allowed)}"
        )
    return value


def _env_name(value: Any, where: str) -> None:
    if not isinstance(value, str) or not ENV_NAME.match(value):
        raise NotificationSettingsError(
            f"{where} must be the name of an environment variable, like SMTP_PASSWORD"
        )


def _timeout(value: Dict[str, Any], where: str) -> float:
    timeout = value.get("timeout_seconds", 10)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 < timeout <= 60:
        raise NotificationSettingsError(f"{where}.timeout_seconds must be a number of seconds up to 60")
    return float(timeout)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
