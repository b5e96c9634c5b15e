"""Callback requests: strictly checked contact details, taken only with consent and only for a kept
conversation of that clinic, queued with their contact details for that clinic's staff only, claimed
and resolved with an audit trail that never holds the number, and erased with the conversation."""

import json
import random
import re
import time
import urllib.error
import urllib.request

import pytest
import sqlalchemy as sa

from bot.console import callbacks, indexer, safety_queue, synthetic_queue
from bot.storage.erasure import erase
from bot.storage.models import AuditEntry, CallbackRequest
from tests.console.seeded import login, running_console, seeded_session, slot, user

NOW = time.time()


def kept(t, clinic="demo", outcome="needs_medical_clearance"):
    """A conversation whose visitor agreed to keep their answers, with a result."""
    return [
        user("hi", t - 60, "greet", clinic),
        slot("consent", True, t - 50),
        user("I take warfarin", t - 30, "inform", clinic),
        slot("screening_outcome", outcome, t),
    ]


CONVERSATIONS = {
    "anna": kept(NOW - 600),
    "ben": kept(NOW - 300, outcome="likely_suitable"),
    # Kept before consent was recorded as such (an old conversation): no consent slot at all.
    "no-consent": [user("hi", NOW - 100, "greet")],
    "theirs": kept(NOW - 200, clinic="other"),
}


# ---- the checks, without a server ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value, kind, stored",
    [
        ("+44 7700 900123", "phone", "+44 7700 900123"),
        ("(020) 7946-0321", "phone", "(020) 7946-0321"),
        ("  07700   900123 ", "phone", "07700 900123"),
        ("1234567", "phone", "1234567"),
        ("mei.lin+clinic@example.co.uk", "email", "mei.lin+clinic@example.co.uk"),
    ],
)
def test_a_phone_number_or_an_email_is_taken(value, kind, stored):
    assert callbacks.contact_of(value) == (kind, stored)


@pytest.mark.parametrize(
    "value",
    [
        "123456",  # six digits
        "+1 234 567 890 123 456 789 01",  # 21 digits
        "call me maybe",
        "07700 900123 ext. 4",
        "+44 <script>",
        "07700+900123",
        "a@b",
        "a..b@example.com",
        ".a@example.com",
        "<x>@example.com",
        "x@example.com, y@example.com",
        "x" * 250 + "@example.com",
        "I have warfarin, ring 07700 900123",
        None,
        42,
        ["07700 900123"],
    ],
)
def test_anything_else_is_refused_with_a_clear_message(value):
    with pytest.raises(callbacks.CallbackRefused) as refused:
        callbacks.contact_of(value)
    assert refused.value.status == 400 and refused.value.code == "invalid_contact"
    assert "phone number (7 to 20 digits" in refused.value.message


def form(**overrides):
    body = {"sender": "anna", "clinic": "demo", "contact": "07700 900123", "consent": True}
    return {**body, **overrides}


@pytest.mark.parametrize(
    "body, code",
    [
        (form(consent=False), "consent_required"),
        ({k: v for k, v in form().items() if k != "consent"}, "consent_required"),
        (form(consent="yes"), "consent_required"),
        (form(preferred_time="3am"), "invalid_preferred_time"),
        (form(note="please call"), "bad_request"),
        (form(sender="../../etc"), "bad_request"),
        (form(clinic="Demo Clinic"), "bad_request"),
        ([form()], "bad_request"),
    ],
)
def test_a_form_without_consent_or_with_unknown_fields_is_refused(body, code):
    with pytest.raises(callbacks.CallbackRefused) as refused:
        callbacks.check_form(body)
    assert refused.value.code == code
    if code == "consent_required":
        assert "tick the box" in refused.value.message


@pytest.fixture()
def db(tmp_path):
    with seeded_session(tmp_path / "callbacks.db", CONVERSATIONS) as session:
        yield session


def test_only_a_kept_consenting_conversation_of_that_clinic_may_ask(db):
    assert callbacks.conversation_allows(db, "anna", "demo")
    assert not callbacks.conversation_allows(db, "anna", "other")  # another clinic's
    assert not callbacks.conversation_allows(db, "theirs", "demo")
    assert not callbacks.conversation_allows(db, "no-consent", "demo")
    assert not callbacks.conversation_allows(db, "nobody", "demo")  # never stored (declined) or unknown
    erase(db, "ben")
    db.commit()
    assert not callbacks.conversation_allows(db, "ben", "demo")  # erased


def test_a_request_is_a_queue_item_of_its_own_ranked_last_and_shown_on_its_conversations_item(db):
    made, created = callbacks.store(db, callbacks.check_form(form(preferred_time="morning")), now=NOW)
    db.commit()
    assert created and re.fullmatch(r"[0-9a-f]{16}", made.ref)
    assert made.due_at == safety_queue.timing("demo").due(NOW, "callback")
    rows = safety_queue.open_items(db, "demo", now=NOW)
    assert [(r.item.sender_id, r.item.level) for r in rows] == [("anna", "clearance"), ("anna", "callback")]
    assert rows[0].callbacks == [made] and rows[1].is_callback and rows[1].since == NOW
    assert safety_queue.counts(db, "demo", now=NOW) == (2, 0)
    assert safety_queue.counts(db, "other", now=NOW) == (1, 0)  # their own clearance item, nothing of ours
    assert [r.item.sender_id for r in safety_queue.open_items(db, "other", now=NOW)] == ["theirs"]
    # Asking again corrects the open request rather than adding one; the due-by stays.
    again, created = callbacks.store(db, callbacks.check_form(form(contact="anna@example.com")), now=NOW + 60)
    db.commit()
    assert (
        not created
        and again.id == made.id
        and (again.contact_kind, again.contact) == ("email", "anna@example.com")
    )
    assert again.due_at == made.due_at and again.preferred_time is None
    audit = db.execute(
        sa.select(AuditEntry.action, AuditEntry.detail).where(AuditEntry.target == "anna")
    ).all()
    assert audit == [("callback_request", "by phone"), ("callback_request_changed", "by email")]


def test_erasure_and_retention_take_the_contact_details_with_the_conversation(db):
    callbacks.store(db, callbacks.check_form(form()), now=NOW)
    db.commit()
    indexer.forget(db, "anna")  # what the console's delete and the retention purge call
    db.commit()
    assert db.execute(sa.select(CallbackRequest)).all() == []
    targets = db.execute(sa.select(AuditEntry.target, AuditEntry.detail)).all()
    assert ("anna", "by phone") not in targets and all(t != "anna" for t, _ in targets)


def test_synthetic_data_has_callback_requests_and_fresh_items_at_every_level(db):
    added = synthetic_queue.add(db, random.Random(2), ["demo"], limit=3, now=NOW)
    assert added["fresh"] == 3 and added["callbacks"] >= 1
    rows = safety_queue.open_items(db, "demo", now=NOW)
    assert {"self_harm", "red_flag", "clearance", "callback"} <= {r.item.level for r in rows}
    contacts = db.execute(sa.select(CallbackRequest.contact)).scalars().all()
    assert all(c.startswith("07700 900") or c.endswith("@example.com") for c in contacts)


# ---- over HTTP -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    with running_console(tmp_path_factory.mktemp("callbacks"), "callbacks", CONVERSATIONS) as c:
        yield c


def post(base, body, origin=None, raw=None, method="POST"):
    data = raw if raw is not None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **({"Origin": origin} if origin else {})}
    request = urllib.request.Request(f"{base}/callback", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, dict(error.headers), json.loads(text) if text else None


def queue_rows(client):
    _, _, html = client.get("/console/queue")
    return html


@pytest.mark.slow
def test_a_callback_request_appears_in_the_clinics_queue_with_its_contact_details(console):
    base, engine = console
    status, headers, body = post(base, form(preferred_time="evening", contact="+44 7700 900461"))
    assert status == 201 and body["status"] == "received"
    assert "Willow Lane" in body["message"] and "erased with this conversation" in body["message"]
    assert headers["Cache-Control"] == "no-store"
    admin = login(console, "admin@demo.example")
    html = queue_rows(admin)
    row = re.search(r'<tr class="level-callback[^"]*" data-callback="([0-9a-f]+)">(.*?)</tr>', html, re.S)
    assert row and "+44 7700 900461" in row.group(2) and 'href="tel:+447700900461"' in row.group(2)
    assert "preferably in the evening" in row.group(2)
    # Also on the conversation's own (clearance) item, so whoever works it can call.
    assert "+44 7700 900461" in html.split('data-sender="anna"', 1)[1].split("</tr>", 1)[0]
    other = login(console, "admin@other.example")
    assert "900461" not in queue_rows(other) and "data-callback" not in queue_rows(other)
    _, _, audit = admin.get("/console/audit")
    assert "queue_view" in audit and "900461" not in audit
    with engine.connect() as connection:
        assert connection.execute(sa.select(CallbackRequest.contact)).scalars().all() == ["+44 7700 900461"]
        # Never through Rasa: the conversation's events hold no trace of it.
        events = (
            connection.execute(sa.text("SELECT data FROM events WHERE sender_id = 'anna'")).scalars().all()
        )
        assert not any("900461" in e for e in events)


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        form(sender="nobody"),  # unknown (or declined: never stored)
        form(sender="theirs"),  # another clinic's conversation
        form(sender="theirs", clinic="other-clinic"),  # a clinic that does not exist
        form(sender="no-consent"),  # kept without consent to keep it
    ],
)
def test_a_request_not_tied_to_a_kept_conversation_of_that_clinic_is_refused_without_saying_why(
    console, body
):
    status, _, answer = post(console[0], body)
    assert status == 403 and answer == {"error": "not_allowed", "message": callbacks.NOT_ALLOWED}


@pytest.mark.slow
def test_bad_requests_get_a_clear_json_reason_and_store_nothing(console):
    base, engine = console
    assert post(base, form(sender="ben", consent=False))[2]["error"] == "consent_required"
    assert post(base, form(sender="ben", contact="ring me"))[2]["error"] == "invalid_contact"
    assert post(base, None, raw=b"{not json")[:1] == (400,)
    status, _, answer = post(base, None, raw=json.dumps(form(sender="ben", junk="x" * 3000)).encode())
    assert status == 413 and answer["error"] == "too_large"
    status, _, answer = post(base, form(sender="ben"), origin="https://evil.example")
    assert status == 403 and answer["error"] == "origin_not_allowed"
    with engine.connect() as connection:
        assert (
            connection.execute(sa.select(CallbackRequest).where(CallbackRequest.sender_id == "ben")).all()
            == []
        )


@pytest.mark.slow
def test_a_clinic_page_may_ask_across_origins(console):
    base, _ = console
    status, headers, _ = post(base, None, origin="http://localhost:8000", raw=b"", method="OPTIONS")
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
    assert post(base, None, origin="https://evil.example", raw=b"", method="OPTIONS")[0] == 403
    status, headers, _ = post(base, form(sender="ben"), origin="http://localhost:8000")
    assert status == 201 and headers["Access-Control-Allow-Origin"] == "http://localhost:8000"


@pytest.mark.slow
def test_claim_and_resolve_of_a_callback_are_audited_without_the_number_and_scoped(console):
    base, engine = console
    assert post(base, form(sender="ben", contact="07700 900982"))[0] == 201
    with engine.connect() as connection:
        ref = connection.execute(
            sa.select(CallbackRequest.ref).where(CallbackRequest.sender_id == "ben")
        ).scalar_one()
    other = login(console, "admin@other.example")
    assert other.post(f"/console/queue/callback/{ref}/claim", {})[0] == 404
    assert other.get(f"/console/q/{ref}")[0] == 404
    admin = login(console, "admin@demo.example")
    status, headers, _ = admin.get(f"/console/q/{ref}")
    assert status == 302 and headers["Location"] == f"/console/queue#item-{ref}"
    assert admin.post(f"/console/queue/callback/{ref}/claim", {})[0] == 302
    assert (
        admin.post(f"/console/queue/callback/{ref}/resolve", {"action": "called_back", "note": " "})[0] == 400
    )
    resolved = {"action": "called_back", "note": "rang, booked for Tuesday"}
    assert admin.post(f"/console/queue/callback/{ref}/resolve", resolved)[0] == 302
    assert f'data-callback="{ref}"' not in queue_rows(admin)
    assert admin.post(f"/console/queue/callback/{ref}/resolve", resolved)[0] == 409
    _, _, audit = admin.get("/console/audit")
    assert "callback_claim" in audit and "callback_resolve" in audit and f"callback {ref}" in audit
    assert "900982" not in audit
    # A resolved request's link leads to its conversation.
    assert admin.get(f"/console/q/{ref}")[1]["Location"] == "/console/c/ben"


@pytest.mark.slow
def test_deleting_the_conversation_erases_its_callback_request(console):
    base, engine = console
    with engine.connect() as connection:
        before = connection.execute(
            sa.select(CallbackRequest).where(CallbackRequest.sender_id == "anna")
        ).all()
    assert before
    admin = login(console, "admin@demo.example")
    assert admin.post("/console/c/anna/delete", {})[0] == 302
    with engine.connect() as connection:
        assert (
            connection.execute(sa.select(CallbackRequest).where(CallbackRequest.sender_id == "anna")).all()
            == []
        )
    # And the conversation, being gone, can no longer ask.
    assert post(base, form())[0] == 403
