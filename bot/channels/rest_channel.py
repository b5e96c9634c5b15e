"""The REST channel (POST /webhooks/rest/webhook) for programs and tests, behind the input policy.

Rasa's RestInput trusted every field: any size, any JSON type, a client-chosen channel name and
metadata stored as given. This one keeps the same URL and request shape ({"sender", "message",
"metadata"}) and answers with the same list of bot messages, but refuses bad input with a JSON reason
before Rasa sees it (413 too long, 400 malformed, 429 too fast, 401 without the token when
$REST_CHANNEL_TOKEN is set, 404 when $REST_CHANNEL=off). The channel name is always "rest".
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import metrics
from bot.channels.input_policy import (
    TOO_FAST,
    Refused,
    address_limiter,
    check_metadata,
    check_sender,
    check_text,
    client_address,
    session_limiter,
)
from bot.channels.safety_net import never_silent
from bot.clinic import CLINICS_DIR, clinic_ids

logger = logging.getLogger(__name__)


def _refusal(error: Refused) -> HTTPResponse:
    return response.json({"error": error.reason}, status=error.status)


class ScreeningRestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self) -> None:
        self.sessions = session_limiter()
        self.addresses = address_limiter()

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        return cls()

    def _token_ok(self, request: Request) -> bool:
        expected = os.environ.get("REST_CHANNEL_TOKEN", "")
        if not expected:
            return True
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), expected.encode())

    def parse(self, request: Request) -> UserMessage:
        """The checked message, or Refused. The output channel is filled in by the caller."""
        address = client_address(request.ip or "", request.headers.get("x-forwarded-for"))
        if not self.addresses.allow(address):
            raise Refused(429, "too many messages from this address", TOO_FAST)
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested 30,000 deep
            raise Refused(400, "the body must be JSON") from None
        if not isinstance(body, dict):
            raise Refused(400, "the body must be a JSON object")
        sender = check_sender(body.get("sender"))
        text = check_text(body.get("message"))
        metadata = check_metadata(body.get("metadata"), tuple(clinic_ids(CLINICS_DIR)))
        if not self.sessions.allow(sender):
            raise Refused(429, "too many messages in this conversation", TOO_FAST)
        return UserMessage(text, None, sender, input_channel=self.name(), metadata=metadata or None)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("screening_rest_webhook", __name__)
        handle = never_silent(on_new_message)
        enabled = os.environ.get("REST_CHANNEL", "on").lower() not in ("off", "0", "false", "no")

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if enabled else "off"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not enabled:
                return response.json({"error": "the REST channel is switched off"}, status=404)
            if not self._token_ok(request):
                return response.json({"error": "a valid REST channel token is required"}, status=401)
            try:
                message = self.parse(request)
            except Refused as error:
                metrics.count("screening_refused_total", channel="rest", reason=error.reason)
                logger.info("refused a REST message: %s", error.reason)
                return _refusal(error)
            collector = CollectingOutputChannel()
            message.output_channel = collector
            await handle(message)
            return response.json(collector.messages)

        return webhook
