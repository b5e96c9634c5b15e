"""Never leave a visitor in silence: if handling a message fails or yields no reply, say so politely.

When the action server is down, Rasa logs the failed action and carries on without its events, so
the visitor may get nothing back. This wrapper around a channel's message handler notices that and
answers with the clinic's contact instead. It is the channel's last word, not a place for logic.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot import metrics
from bot.clinic import load_clinic

logger = logging.getLogger(__name__)
Handler = Callable[[UserMessage], Awaitable[Any]]


def trouble_text(clinic_id: Any) -> str:
    clinic = load_clinic(str(clinic_id) if clinic_id else None)
    return (
        f"Sorry, I'm having trouble answering right now. Please try again in a moment, or contact "
        f"{clinic['name']} directly: {clinic['phone']}, {clinic['email']}."
    )


def replies_sent(output: Any) -> int:
    if isinstance(output, CollectingOutputChannel):
        return len(output.messages)
    return int(getattr(output, "sent", 0))


def never_silent(on_new_message: Handler) -> Handler:
    async def handler(message: UserMessage) -> None:
        before = replies_sent(message.output_channel)
        started = time.monotonic()
        metrics.count("screening_messages_total", channel=str(message.input_channel or "unknown"))
        try:
            await on_new_message(message)
        except Exception:  # noqa: BLE001  whatever broke inside Rasa, the visitor gets an answer
            metrics.count("screening_errors_total")
            logger.exception("handling a message from %s failed", message.sender_id)
        if replies_sent(message.output_channel) == before and (message.text or "").strip():
            metrics.count("screening_unanswered_total")
            metadata = message.metadata if isinstance(message.metadata, dict) else {}
            clinic = metadata.get("clinic")
            await message.output_channel.send_text_message(message.sender_id, trouble_text(clinic))
        metrics.observe_latency(time.monotonic() - started)

    return handler
