"""Helpers for tests that talk to running servers."""

import json
import urllib.error
import urllib.request
from typing import Any, Dict, List

from bot.tasks.services import free_port, web_app  # noqa: F401  (the tests start servers through these)


class Bot:
    """A REST client for one running Rasa server."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def request(
        self, method: str, path: str, body: Any | None = None, token: bool = True, raw: bytes | None = None
    ) -> Any:
        url = f"{self.base}{path}"
        if token:
            url += ("&" if "?" in url else "?") + f"token={self.token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(
            url, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def say(self, sender: str, text: str, metadata: Dict | None = None) -> List[Dict[str, Any]]:
        body = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
        return self.request("POST", "/webhooks/rest/webhook", body, token=False)

    def tracker(self, sender: str) -> Dict[str, Any]:
        return self.request("GET", f"/conversations/{sender}/tracker")


def http_status(url: str, data: bytes | None = None) -> int:
    try:
        req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
