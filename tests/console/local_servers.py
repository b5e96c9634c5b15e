"""Servers the notification tests own: an SMTP server (aiosmtpd) and a webhook receiver, both on free
loopback ports, started and stopped by the test that uses them."""

import contextlib
import email
import email.policy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, List

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bot.tasks.services import free_port


class Mailbox:
    """What the SMTP server received: parsed messages, and the envelope recipients."""

    def __init__(self) -> None:
        self.messages: List[email.message.Message] = []
        self.recipients: List[List[str]] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def wait(self, count: int = 1, timeout: float = 20.0) -> List[email.message.Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages


@contextlib.contextmanager
def smtp_server(port: int | None = None, login: tuple | None = None) -> Iterator[Mailbox]:
    """aiosmtpd on 127.0.0.1; with `login` (user, password) it asks for AUTH (over plain text: loopback)."""
    mailbox = Mailbox()
    kwargs = {}
    if login:

        def authenticator(server, session, envelope, mechanism, data):
            ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == login
            return AuthResult(success=ok)

        kwargs = {"authenticator": authenticator, "auth_required": True, "auth_require_tls": False}
    controller = Controller(mailbox, hostname="127.0.0.1", port=port or free_port(), **kwargs)
    controller.start()
    mailbox.port = controller.port
    try:
        yield mailbox
    finally:
        controller.stop()


class Hook:
    """What the webhook receiver got: JSON bodies and headers; `status` is what it answers."""

    def __init__(self) -> None:
        self.bodies: List[dict] = []
        self.headers: List[dict] = []
        self.status = 204
        self.url = ""

    def wait(self, count: int = 1, timeout: float = 20.0) -> List[dict]:
        deadline = time.monotonic() + timeout
        while len(self.bodies) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.bodies


@contextlib.contextmanager
def webhook_server() -> Iterator[Hook]:
    hook = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802  (http.server's hook name)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            hook.headers.append(dict(self.headers))
            hook.bodies.append(json.loads(body))
            self.send_response(hook.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
