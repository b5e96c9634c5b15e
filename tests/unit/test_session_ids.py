"""Session ids are issued and signed by the server; forged, altered or expired ones are refused."""

import time

from bot.channels import session_ids


def test_an_issued_id_is_accepted_and_is_plain_hex():
    issued = session_ids.issue()
    assert session_ids.verified(issued) == issued
    assert int(issued, 16) >= 0 and len(issued) == 56


def test_a_client_chosen_altered_or_expired_id_is_refused():
    issued = session_ids.issue()
    assert session_ids.verified("0" * 32) is None  # the old, client-chosen shape
    assert session_ids.verified("f" * 56) is None
    altered = ("0" if issued[0] != "0" else "1") + issued[1:]
    assert session_ids.verified(altered) is None
    assert session_ids.verified(issued, now=time.time() + session_ids.LIFETIME_SECONDS + 60) is None
    assert session_ids.verified(None) is None and session_ids.verified(12) is None


def test_ids_signed_with_another_key_are_refused(monkeypatch):
    monkeypatch.setenv("SESSION_SIGNING_KEY", "one key")
    issued = session_ids.issue()
    monkeypatch.setenv("SESSION_SIGNING_KEY", "another key")
    assert session_ids.verified(issued) is None
