"""Settings for the running services: ports, the API token (kept in .env), and their environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Callable, Dict

from bot import PROJECT_ROOT

ENV_FILE = PROJECT_ROOT / ".env"


def read_env_file(path: Path = ENV_FILE) -> Dict[str, str]:
    values: Dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                key, value = line.split("=", 1)
                values[key.strip()] = value.strip()
    return values


def _kept_secret(name: str, make: Callable[[], str], path: Path) -> str:
    """$NAME, else the value kept in .env, else a new one written there (mode 600)."""
    if os.environ.get(name):
        return os.environ[name]
    values = read_env_file(path)
    if values.get(name):
        return values[name]
    value = make()
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{name}={value}\n")
    path.chmod(0o600)
    return value


def auth_token(path: Path = ENV_FILE) -> str:
    """The HTTP API token: $RASA_AUTH_TOKEN, else kept in .env."""
    return _kept_secret("RASA_AUTH_TOKEN", lambda: secrets.token_urlsafe(32), path)


def session_signing_key(path: Path = ENV_FILE) -> str:
    """The key for the widget's session ids: every Rasa process must sign and check with the same one."""
    return _kept_secret("SESSION_SIGNING_KEY", lambda: secrets.token_hex(32), path)


def ports() -> Dict[str, int]:
    return {
        "rasa": int(os.environ.get("RASA_PORT", 5005)),
        "actions": int(os.environ.get("ACTION_PORT", 5055)),
        "web": int(os.environ.get("WEB_PORT", 8000)),
    }


def service_env() -> Dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # One TensorFlow thread per pool: on 2 cores the Rasa server and the action server compete, and
    # measured 5-8 % more messages a second at 1, 10 and 50 visitors than TensorFlow's default.
    env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
    env.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
    env.setdefault("PYTHONPATH", str(PROJECT_ROOT))
    env.setdefault("SESSION_SIGNING_KEY", session_signing_key())

    return env


def actions_in_process_by_default() -> bool:
    """Our actions run inside the Rasa process unless $ACTIONS_IN_PROCESS is 0 (docs/performance.md:
    about half the CPU per message of a separate action server at one visitor)."""
    return os.environ.get("ACTIONS_IN_PROCESS", "1").strip() not in ("0", "false", "no", "off")
