"""The widget's socket.io channel: Rasa's, with the bugs fixed and the doors locked.

What differs from rasa.core.channels.socketio (3.6.21):
- `enter_room` is awaited. python-socketio 5.x made it a coroutine and Rasa calls it without
  `await` (RasaHQ/rasa#13027), so with session persistence no reply ever reached the visitor.
- Custom payloads are emitted as the message, not spread into `emit(**payload)` (a TypeError).
- Only pages from the configured origins may connect (clinic settings `allowed_origins`, plus
  $WIDGET_ALLOWED_ORIGINS), and a page speaks only for the clinics that allow its origin.
- Session ids are issued and signed by the server (bot/channels/session_ids.py); an unsigned or
  expired one gets a new session.
- Messages are capped: at the transport (engine.io buffer) and per text, with a polite reply,
  because stock Rasa spends ~20 s on one 1 MB message.
Socket.io keeps state per process: run one Sanic worker per process, and scale with processes
behind a load balancer with sticky sessions.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Tuple

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot import metrics
from bot.channels import session_ids
from bot.channels.input_policy import (
    TOO_FAST,
    RateLimiter,
    Refused,
    address_limiter,
    check_metadata,
    check_text,
    client_address,
    session_limiter,
)
from bot.channels.safety_net import never_silent
from bot.clinic import CLINICS_DIR, clinic_ids, load_clinic
from bot.rasa_compat import SocketBlueprint, SocketIOInput, SocketIOOutput

logger = logging.getLogger(__name__)

# The transport's own cap (engine.io buffer): a message of MAX_MESSAGE_CHARS with its JSON fits.
MAX_PACKET_BYTES = 16 * 1024


def allowed_origins() -> List[str]:
    """Every clinic's allowed_origins, plus $WIDGET_ALLOWED_ORIGINS (comma-separated)."""
    origins = {o.strip() for o in os.environ.get("WIDGET_ALLOWED_ORIGINS", "").split(",") if o.strip()}
    for clinic in clinic_ids(CLINICS_DIR):
        origins.update(load_clinic(clinic).get("allowed_origins") or [])
    return sorted(origins)


def clinics_for_origin(origin: str) -> tuple:
    """The clinics whose settings allow this page origin: a page may only speak for those. (Origins in
    $WIDGET_ALLOWED_ORIGINS serve any clinic: the demo and test pages.)"""
    extra = {o.strip() for o in os.environ.get("WIDGET_ALLOWED_ORIGINS", "").split(",") if o.strip()}
    clinics = tuple(clinic_ids(CLINICS_DIR))
    if origin in extra:
        return clinics
    return tuple(c for c in clinics if origin in (load_clinic(c).get("allowed_origins") or []))


class ScreeningSocketIOOutput(SocketIOOutput):
    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0  # counted, so the safety net can tell silence from an answer

    async def _send_message(self, socket_id: str, response: Any) -> None:
        self.sent += 1
        await super()._send_message(socket_id, response)

    async def send_custom_json(self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any) -> None:
        self.sent += 1
        await self.sio.emit(self.bot_message_evt, {"custom": json_message}, room=recipient_id)


def admit(
    data: Dict[str, Any],
    socket: Dict[str, Any],
    session_id: str,
    sessions: RateLimiter,
    addresses: RateLimiter,
    metadata_key: str = "metadata",
) -> Tuple[str, Dict[str, str]] | None:
    """The checked text and metadata of one socket.io message, None when there is nothing to answer,
    or Refused. Every attempt counts against the sender's address, empty ones too: a flood of junk is
    a flood. `socket` is what `connect` saved: the page's origin and the client's address."""
    if not addresses.allow(socket.get("address", "")):
        raise Refused(429, "too many messages from this address", TOO_FAST)
    if not isinstance(data.get("message"), str) or not data["message"].strip():
        return None
    metadata = data.get(metadata_key) or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            metadata = {}
    text = check_text(data.get("message"))
    metadata = check_metadata(metadata, clinics_for_origin(socket.get("origin", "")))
    if not sessions.allow(session_id):
        raise Refused(429, "too many messages in this conversation", TOO_FAST)
    return text, metadata


class ScreeningSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        channel = cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            True,  # session persistence is the point of this channel
            credentials.get("socketio_path", "/socket.io"),
            None,
            "HS256",
            credentials.get("metadata_key", "metadata"),
        )
        channel.origins = credentials.get("allowed_origins") or allowed_origins()
        return channel

    origins: Iterable[str] = ()

    def get_output_channel(self) -> SocketIOOutput | None:
        return ScreeningSocketIOOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=list(self.origins),
            max_http_buffer_size=MAX_PACKET_BYTES,
        )
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        on_new_message = never_silent(on_new_message)
        sessions = session_limiter()
        addresses = address_limiter()  # one address flooding through many sessions is slowed too

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict, auth: Any = None) -> None:
            # The page that embeds the widget decides which clinics the conversation may belong to.
            # engine.io's Sanic driver writes REMOTE_ADDR as 127.0.0.1 whatever the peer: ask Sanic.
            peer = getattr(environ.get("sanic.request"), "ip", "") or environ.get("REMOTE_ADDR", "")
            address = client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"))
            await sio.save_session(
                sid, {"origin": environ.get("HTTP_ORIGIN", ""), "address": address}, namespace=self.namespace
            )

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Dict | None) -> None:
            wanted = session_ids.verified((data or {}).get("session_id")) if isinstance(data, dict) else None
            session_id = wanted or session_ids.issue()
            await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            session_id = session_ids.verified(data.get("session_id"))
            if session_id is None or session_id not in sio.rooms(sid, namespace=self.namespace):
                # Only a socket that asked for this session may speak in it.
                await sio.emit(
                    "session_error", {"error": "unknown session"}, room=sid, namespace=self.namespace
                )
                return
            output = ScreeningSocketIOOutput(sio, self.bot_message_evt)
            socket = await sio.get_session(sid, namespace=self.namespace)
            try:
                admitted = admit(data, socket, session_id, sessions, addresses, self.metadata_key)
                if admitted is None:
                    return  # nothing to answer
                text, metadata = admitted
            except Refused as error:
                # Refused before Rasa sees it: nothing stored, and the visitor is told why.
                metrics.count("screening_refused_total", channel="socketio", reason=error.reason)
                logger.info("refused a socket.io message: %s", error.reason)
                reply = error.reply or "Sorry, I couldn't read that message. Please try again."
                await output.send_text_message(session_id, reply)
                return
            await on_new_message(
                UserMessage(text, output, session_id, input_channel=self.name(), metadata=metadata)
            )

        return webhook
