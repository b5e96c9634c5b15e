"""The input policy: caps, types, metadata and rate limits, checked before Rasa sees a message."""

import pytest

from bot.channels.input_policy import (
    MAX_MESSAGE_CHARS,
    Rate,
    RateLimiter,
    Refused,
    check_metadata,
    check_sender,
    check_text,
    client_address,
)


def test_text_within_the_cap_passes_and_control_characters_are_blanked():
    assert check_text("hi\x00there") == "hi there"
    assert check_text("x" * MAX_MESSAGE_CHARS)


@pytest.mark.parametrize(
    "value, status", [("x" * (MAX_MESSAGE_CHARS + 1), 413), ("", 400), ("  ", 400), (5, 400)]
)
def test_bad_text_is_refused_with_a_status_and_reason(value, status):
    with pytest.raises(Refused) as error:
        check_text(value)
    assert error.value.status == status and error.value.reason


@pytest.mark.parametrize("value", [None, 3, "", "<b>", "a b", "x" * 200, ["a"]])
def test_bad_senders_are_refused(value):
    with pytest.raises(Refused):
        check_sender(value)


def test_metadata_must_be_an_object_of_known_short_strings_and_a_known_clinic():
    assert check_metadata({"clinic": "demo", "page": "/"}, ("demo",)) == {"clinic": "demo", "page": "/"}
    for bad in ("boom", {"clinic": ["x"]}, {"clinic": "nowhere"}, {"admin": True}, {"page": "x" * 500}):
        with pytest.raises(Refused):
            check_metadata(bad, ("demo",))


def test_a_rate_limit_refuses_a_burst_and_recovers_with_time():
    limiter = RateLimiter(Rate(3, 60))
    assert [limiter.allow("a", now=0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b", now=0)  # another key is not affected
    assert limiter.allow("a", now=20.5)  # one message's worth refilled after 20 s


def test_rates_parse_and_switch_off():
    assert Rate.parse("30/60", Rate(1, 1)) == Rate(30, 60.0)
    assert RateLimiter(Rate.parse("off", Rate(1, 1))).allow("x")


def test_the_forwarded_address_counts_only_behind_a_trusted_balancer(monkeypatch):
    monkeypatch.delenv("TRUST_FORWARDED_FOR", raising=False)
    assert client_address("10.0.0.1", "1.2.3.4") == "10.0.0.1"
    monkeypatch.setenv("TRUST_FORWARDED_FOR", "1")
    assert client_address("10.0.0.1", "6.6.6.6, 1.2.3.4") == "1.2.3.4"  # the balancer's own hop


def test_a_socket_flood_from_one_address_is_refused_and_other_addresses_go_on():
    from bot.channels.input_policy import Rate, RateLimiter, Refused
    from bot.channels.socketio_channel import admit

    addresses, sessions = RateLimiter(Rate(5, 60)), RateLimiter(Rate(100, 60))
    flooding = {"origin": "", "address": "198.51.100.9"}
    # Empty messages are not answered, but they count against the address.
    assert [admit({"message": ""}, flooding, f"s{i}", sessions, addresses) for i in range(5)] == [None] * 5
    with pytest.raises(Refused) as refused:
        admit({"message": "hello"}, flooding, "s9", sessions, addresses)
    assert refused.value.status == 429 and "faster" in (refused.value.reply or "")
    other = {"origin": "", "address": "198.51.100.10"}
    assert admit({"message": "hello"}, other, "s10", sessions, addresses) == ("hello", {})
