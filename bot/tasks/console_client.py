"""A small HTTP client for the staff console (cookies, CSRF tokens, forms, no redirects followed),
shared by the benchmark and the tests so neither depends on the other."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Tuple

CSRF_FIELD = re.compile(r'name="csrf" value="([^"]*)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class ConsoleClient:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: Dict[str, Any] | None = None) -> Tuple[int, Any, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, path: str) -> Tuple[int, Any, str]:
        return self.request(path)

    def post(self, path: str, data: Dict[str, Any], csrf: bool = True) -> Tuple[int, Any, str]:
        if csrf:
            data = {**data, "csrf": self.csrf()}
        return self.request(path, data)

    def csrf(self, path: str = "/console/") -> str:
        _, _, html = self.get(path)
        return CSRF_FIELD.search(html).group(1)

    def login(self, email: str, password: str) -> Tuple[int, Any, str]:
        _, _, html = self.get("/console/login")
        return self.request(
            "/console/login", {"email": email, "password": password, "csrf": CSRF_FIELD.search(html).group(1)}
        )
