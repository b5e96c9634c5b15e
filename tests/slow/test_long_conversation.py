"""A long conversation is served from its last turns (bot/storage/tracker_window.py): what the visitor
said before the window still decides the result, and the stored log keeps every message."""

import uuid

import pytest

from bot.storage import tracker_window

pytestmark = pytest.mark.slow

# Side questions a visitor may keep asking in the middle of the form (plain FAQ wordings).
QUESTIONS = (
    "does it hurt",
    "how many sessions would I need",
    "how long do the results last",
    "what does it cost",
    "is it safe",
    "who does the treatment",
)


def _result(replies):
    payloads = [m["custom"] for m in replies if (m.get("custom") or {}).get("type") == "screening_result"]
    return payloads[-1] if payloads else None


def test_answers_given_long_before_still_decide_the_result_and_every_message_is_kept(live_bot):
    sender = f"long-{uuid.uuid4().hex[:10]}"
    said = ["hello", "yes", "my skin is oily", "I take warfarin every day"]
    for text in said:
        live_bot.say(sender, text)
    asked = live_bot.tracker(sender)["slots"]["requested_slot"]
    # 20 side questions: 28 messages in all, under the test server's 30 per minute for one visitor, and
    # far more than a window keeps, so the warfarin message is long out of it by the end.
    for i in range(20):
        text = QUESTIONS[i % len(QUESTIONS)]
        said.append(text)
        assert live_bot.say(sender, text), text
    assert live_bot.tracker(sender)["slots"]["requested_slot"] == asked  # the form waited
    result = None
    for text in ["none", "I don't smoke", "a healthy glow", "yes"]:
        said.append(text)
        result = _result(live_bot.say(sender, text)) or result
    assert result is not None
    assert len(said) - 4 > 2 * tracker_window.KEEP_TURNS  # the 4th message lies before any window
    # Warfarin, said 24 messages before the result, still makes it a matter for the doctor.
    assert result["outcome"] == "needs_medical_clearance", result
    assert any("anticoagulants" in str(reason) or "thinner" in str(reason) for reason in result["reasons"])
    tracker = live_bot.tracker(sender)  # the complete conversation, not the window
    texts = [e.get("text") for e in tracker["events"] if e.get("event") == "user"]
    assert texts[-len(said) + 2 :] == said[2:]  # (what came before consent is blanked)
    assert tracker["slots"]["skin_type"] in ("oily", ["oily"])
