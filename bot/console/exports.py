"""Turn conversation rows into export records, and make cell values safe to open in a spreadsheet."""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List

from bot.storage.models import Conversation


def csv_safe(value: Any) -> Any:
    """Spreadsheet apps run cells that start with = + - @ as formulas: quote them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def export_record(row: Conversation, tags: List[str]) -> Dict[str, Any]:
    return {
        "sender_id": row.sender_id,
        "clinic": row.clinic_id,
        "started_at": dt.datetime.fromtimestamp(row.started_at, dt.timezone.utc).isoformat(),
        "duration_s": round(row.last_at - row.started_at),
        "channel": row.channel,
        "consent": row.consent,
        "outcome": row.outcome,
        "red_flag": row.red_flag,
        "reviewed": row.reviewed,
        "messages": row.user_messages,
        "first_question": row.first_question,
        "tags": " ".join(sorted(tags)),
    }
