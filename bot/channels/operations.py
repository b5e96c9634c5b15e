"""Operations endpoints on the Rasa server: GET /metrics (Prometheus) and GET /health/ready.

A clinic's monitoring should see trouble before visitors do: `/health/ready` answers 200 only when the
action server and the database answer too (503 with what failed otherwise); `/metrics` counts
messages, refusals, errors, unanswered messages, intents (the fallback rate among them) and latency.
Registered as an input channel (credentials.yml) whose URL prefix is the server's root, so no Rasa
internals are touched. Neither endpoint shows a visitor's words or ids.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any, Awaitable, Callable, Dict

import aiohttp
import sqlalchemy as sa
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import in_process_actions, metrics
from bot.storage.database import engine

DEFAULT_ACTION_SERVER = "http://127.0.0.1:5055/webhook"
CHECK_TIMEOUT = 2.0  # seconds: a check slower than this counts as failed


def action_server_health_url() -> str:
    # bot/tasks/services.py sets $ACTION_SERVER_URL to the run's action endpoint.
    webhook = os.environ.get("ACTION_SERVER_URL", DEFAULT_ACTION_SERVER)
    return webhook.rsplit("/webhook", 1)[0] + "/health"


def _database_answers() -> None:
    with engine().connect() as connection:
        connection.execute(sa.text("SELECT 1"))


async def _check_action_server() -> str:
    if in_process_actions.is_in_process(os.environ.get("ACTION_SERVER_URL")):
        return in_process_actions.health()
    try:
        timeout = aiohttp.ClientTimeout(total=CHECK_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            async with session.get(action_server_health_url()) as answer:
                return "ok" if answer.status == 200 else f"status {answer.status}"
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        return f"unreachable ({type(error).__name__})"


async def _check_database() -> str:
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.run_in_executor(None, _database_answers), CHECK_TIMEOUT)
        return "ok"
    except Exception as error:  # noqa: BLE001  any failure is "not ready"; the type says which
        return f"failed ({type(error).__name__})"


class OperationsInput(InputChannel):
    """Not a conversation channel: it only serves the operations endpoints."""

    @classmethod
    def name(cls) -> str:
        return "operations"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        return cls()

    def url_prefix(self) -> str:
        return "/"  # joined with Rasa's "/webhooks/", a leading slash puts these at the root

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        ops = Blueprint("screening_operations", __name__)

        @ops.route("/metrics", methods=["GET"])
        async def prometheus(_: Request) -> HTTPResponse:
            return response.text(metrics.render(), content_type="text/plain; version=0.0.4; charset=utf-8")

        @ops.route("/health/ready", methods=["GET"])
        async def ready(_: Request) -> HTTPResponse:
            actions, database = await asyncio.gather(_check_action_server(), _check_database())
            checks = {"action_server": actions, "database": database}
            healthy = all(value == "ok" for value in checks.values())
            return response.json(
                {"status": "ok" if healthy else "unavailable", "checks": checks},
                status=200 if healthy else 503,
            )

        return ops
