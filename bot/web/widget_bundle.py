"""The widget as one script: the pinned socket.io client (from node_modules) + our widget + its CSS."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache

from bot import PROJECT_ROOT
from bot.channels.input_policy import MAX_MESSAGE_CHARS

WIDGET_DIR = PROJECT_ROOT / "bot" / "web" / "static" / "widget"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"


class WidgetBuildError(RuntimeError):
    """Something the widget needs is missing; the message says how to get it."""


@dataclass(frozen=True)
class Bundle:
    body: bytes
    gzipped: bytes


@lru_cache(maxsize=1)
def widget_bundle() -> Bundle:
    if not SOCKET_IO_CLIENT.exists():
        raise WidgetBuildError(f"{SOCKET_IO_CLIENT} is missing: run `make install` (it runs npm ci)")
    css = (WIDGET_DIR / "widget.css").read_text(encoding="utf-8")
    source = (WIDGET_DIR / "widget.js").read_text(encoding="utf-8")
    placeholder = '"/*__WIDGET_CSS__*/"'
    if placeholder not in source:
        raise WidgetBuildError("widget.js lost its CSS placeholder")
    source = source.replace(placeholder, json.dumps(css))
    # The server's message cap, so the text box stops where the server would refuse.
    cap = '"/*__MAX_MESSAGE_CHARS__*/"'
    if cap not in source:
        raise WidgetBuildError("widget.js lost its message-cap placeholder")
    source = source.replace(cap, json.dumps(str(MAX_MESSAGE_CHARS)))
    body = (SOCKET_IO_CLIENT.read_text(encoding="utf-8") + "\n;\n" + source).encode("utf-8")
    return Bundle(body=body, gzipped=gzip.compress(body, compresslevel=9))


if __name__ == "__main__":
    bundle = widget_bundle()
    print(f"widget.js: {len(bundle.body) / 1024:.1f} KiB, {len(bundle.gzipped) / 1024:.1f} KiB gzipped")
