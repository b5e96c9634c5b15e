"""The widget as one script: the pinned socket.io client (from node_modules) + our widget + its CSS."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache

from bot import PROJECT_ROOT
from bot.channels.input_policy import MAX_MESSAGE_CHARS
from bot.knowledge import label
from bot.vocabulary import OUTCOMES, SEEK_URGENT_CARE

WIDGET_DIR = PROJECT_ROOT / "bot" / "web" / "static" / "widget"
SOCKET_IO_CLIENT = PROJECT_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"


class WidgetBuildError(RuntimeError):
    """Something the widget needs is missing; the message says how to get it."""


@dataclass(frozen=True)
class Bundle:
    body: bytes
    gzipped: bytes


def widget_source() -> str:
    """widget.js with what the server knows filled in: its CSS, the message cap, the outcome labels."""
    source = (WIDGET_DIR / "widget.js").read_text(encoding="utf-8")
    values = {
        "WIDGET_CSS": (WIDGET_DIR / "widget.css").read_text(encoding="utf-8"),
        # The server's message cap, so the text box stops where the server would refuse.
        "MAX_MESSAGE_CHARS": str(MAX_MESSAGE_CHARS),
        # The same codes and labels the bot and the console use, so the widget has no copy of its own.
        "OUTCOMES": {
            "labels": {code: label("outcome", code) for code in OUTCOMES},
            "urgent": SEEK_URGENT_CARE,
        },
    }
    for name, value in values.items():
        placeholder = f'"/*__{name}__*/"'
        if placeholder not in source:
            raise WidgetBuildError(f"widget.js lost its {name} placeholder ({placeholder})")
        source = source.replace(placeholder, json.dumps(value))
    return source


@lru_cache(maxsize=1)
def widget_bundle() -> Bundle:
    if not SOCKET_IO_CLIENT.exists():
        raise WidgetBuildError(f"{SOCKET_IO_CLIENT} is missing: run `make install` (it runs npm ci)")
    body = (SOCKET_IO_CLIENT.read_text(encoding="utf-8") + "\n;\n" + widget_source()).encode("utf-8")
    return Bundle(body=body, gzipped=gzip.compress(body, compresslevel=9))


if __name__ == "__main__":
    bundle = widget_bundle()
    print(f"widget.js: {len(bundle.body) / 1024:.1f} KiB, {len(bundle.gzipped) / 1024:.1f} KiB gzipped")
