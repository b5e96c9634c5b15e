"""Redacted by default: the visitor's words masked in every page, search and download, and the audited,
time-limited reveal that admins and clinicians can ask for; checked against the synthetic
conversations' known names, phones, emails, dates and health terms."""

import datetime as dt
import json
import random
import re
import time
import urllib.parse
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot import PROJECT_ROOT
from bot.console import auth, queries, redaction, reveals, synthetic
from bot.console.word_list import english_words, name_words, proper_nouns
from bot.storage.erasure import erase
from bot.storage.models import AuditEntry, Conversation, RevealGrant
from tests.console.seeded import login, running_console, seeded_session, user

NOW = time.time()
KNOWN = (
    synthetic.KNOWN_NAMES
    + synthetic.KNOWN_PHONES
    + synthetic.KNOWN_EMAILS
    + synthetic.KNOWN_DATES
    + synthetic.HEALTH_WORDS
)


def leaks(text):
    """The known values that appear in `text`: names and health terms as words, in any case; phone
    numbers also without their spaces and punctuation; dates and emails as written."""
    found = []
    for value in synthetic.KNOWN_NAMES + synthetic.HEALTH_WORDS:
        if re.search(rf"\b{re.escape(value)}\b", text, re.IGNORECASE):
            found.append(value)
    # (not an event's timestamp in a JSON export: "1796900461.53" holds a phone's last six digits by chance
    # on some days, and no phone number is ten digits starting with 1 and a decimal part)
    runs = [
        re.sub(r"\D", "", run)
        for run in re.findall(r"\d[\d ()+./-]{5,}\d", text)
        if not re.fullmatch(r"1\d{9}\.\d+", run)
    ]
    for phone in synthetic.KNOWN_PHONES:
        if phone in text or any(re.sub(r"\D", "", phone)[-6:] in run for run in runs):
            found.append(phone)
    found += [v for v in synthetic.KNOWN_EMAILS + synthetic.KNOWN_DATES if v.lower() in text.lower()]
    return found


# ---- mask() -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,masked",
    [
        ("mail me at jo.doe+x@example.co.uk", "mail me at [email]"),
        ("ring 07700 900123 or +44 (0)20 7946-0018", "ring [phone] or [phone]"),
        ("see www.example.com/about", "see [link]"),
        ("born 12/03/1985", "born [date]"),
        ("dob 3rd of March 1990", "[word] [date]"),
        ("since March 3, 2024", "since [date]"),
        ("in 1985", "in [date]"),
        ("I'm on warfarin", "I'm on [health]"),
        ("I'm not pregnant", "I'm not [health]"),  # denied, still a health term
        ("had lip filler", "had [health]"),
        ("my face is drooping", "my [health]"),
        ("My name is Priya Patel", "My name is [name?] [name?]"),
        ("my name is rose smith", "my name is [name?] [name?]"),
        ("call me Grace", "call me [name?]"),
        ("I saw Dr Rose", "I saw Dr [name?]"),
        ("Hi, I'm Sarah.", "Hi, I'm [name?]."),
        ("this is aisha khan", "this is [word] [name?]"),
        ("postcode SW1A 1AA", "postcode [word] [word]"),
        ("blue monkey spaghetti zxqv", "blue monkey spaghetti [word]"),
    ],
)
def test_each_kind_of_private_text_becomes_its_placeholder(text, masked):
    assert redaction.mask(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "does it hurt?",
        "Will it help my wrinkles?",
        "how much is it? I had it in March, about 3 weeks ago",
        "tbh im a bit nervous lol",
        "my skin is oily and I don't wanna bruise",
        "IS IT SAFE FOR ME",
        "<script>alert('typed by a visitor')</script>",
        "",
    ],
)
def test_ordinary_words_relative_times_and_small_numbers_stay_readable(text):
    assert redaction.mask(text) == text


def test_masking_masked_text_changes_nothing():
    for text in synthetic.CONTACTS + tuple(synthetic.SYMPTOM_TEXT.values()):
        once = redaction.mask(text)
        assert redaction.mask(once) == once


def test_none_of_the_synthetic_known_values_survive_the_mask():
    texts = list(synthetic.CONTACTS) + list(synthetic.SYMPTOM_TEXT.values())
    texts += [synthetic.answer_text([code]) for code in synthetic.ANSWER_TEXT]
    for text in texts:
        assert leaks(redaction.mask(text)) == [], text
    assert leaks(" ".join(texts))  # the check itself finds them unmasked


def test_the_word_list_has_inflections_and_no_capitalised_names():
    words = english_words()
    assert {"wrinkles", "needles", "colour", "color", "bruising", "acupuncture"} <= words
    assert not {"sarah", "patel", "priya", "london", "emma"} & words
    assert {"sarah", "london"} <= proper_nouns() and {"rose", "baker", "grace"} <= name_words()
    assert len(words) > 60_000
    readme = (PROJECT_ROOT / "data" / "redaction" / "README.md").read_text()
    assert "SCOWL" in readme and (PROJECT_ROOT / "data" / "redaction" / "SCOWL-COPYRIGHT").exists()


def test_a_masked_event_keeps_intent_and_codes_and_drops_the_words():
    event = user(
        "I'm on warfarin, call Priya on 07700 900461",
        NOW,
        "inform",
        entities=[
            {"entity": "condition", "value": "anticoagulants", "start": 8, "end": 16},
            {"entity": "condition", "value": "Priya's warfarin", "start": 0, "end": 3},  # a DIET wording
        ],
    )
    event["metadata"]["page"] = "https://clinic.example/?email=priya.patel@example.com"
    event["parse_data"]["text"] = event["text"]
    masked = redaction.masked_event(event)
    assert masked["text"] == "I'm on [health], call [name?] on [phone]"
    assert masked["parse_data"]["intent"] == event["parse_data"]["intent"]
    assert [e["value"] for e in masked["parse_data"]["entities"]] == ["anticoagulants", "[name?] [health]"]
    assert masked["metadata"] == {"clinic": "demo"} and leaks(json.dumps(masked)) == []
    bot = {"event": "bot", "text": "Thanks", "data": {"custom": {"type": "screening_result"}}}
    assert redaction.masked_event(bot) == bot and event["text"].startswith("I'm on warfarin")


def test_a_training_example_keeps_the_annotations_of_words_it_shows():
    assert redaction.mask_annotated("will it help my [wrinkles](benefit)?") == (
        "will it help my [wrinkles](benefit)?"
    )
    assert redaction.mask_annotated("Priya here, on [warfarin](condition)") == "[name?] here, on [health]"


# ---- the index and the grants, without a server ---------------------------------------------------

CONVERSATIONS = {
    "anna": [
        user("hi", NOW - 500),
        user("My name is Priya Patel, 07700 900461, I'm on warfarin", NOW - 490, "faq"),
    ],
    "theirs": [user("call me Grace, 0161 496 0733", NOW - 100, clinic="other")],
}
ADMIN = auth.CurrentStaff(1, "admin@demo.example", "admin", "demo", "csrf")
CLINICIAN = auth.CurrentStaff(2, "doc@demo.example", "clinician", "demo", "csrf")
REVIEWER = auth.CurrentStaff(3, "rev@demo.example", "reviewer", "demo", "csrf")


@pytest.fixture()
def db(tmp_path):
    with seeded_session(tmp_path / "redaction.db", CONVERSATIONS) as session:
        for staff in (ADMIN, CLINICIAN, REVIEWER):
            auth.create_staff(session, staff.email, "a long enough password", staff.role, "demo")
        session.commit()
        yield session


def test_the_index_holds_masked_text_and_search_runs_on_it(db):
    row = db.get(Conversation, "anna")
    assert row.text == "hi\nMy name is [name?] [name?], [phone], I'm on [health]"
    assert row.first_question == "My name is [name?] [name?], [phone], I'm on [health]"

    def found(q):
        rows, _ = queries.page_of(db, "demo", queries.Filters(q=q))
        return [r.sender_id for r in rows]

    assert found("Patel") == [] and found("warfarin") == [] and found("900461") == []
    assert found("[health]") == ["anna"] and found("my name is") == ["anna"]


def test_a_reveal_needs_a_role_a_reason_and_a_duration_and_is_audited(db):
    row = db.get(Conversation, "anna")
    with pytest.raises(reveals.RevealError) as refused:
        reveals.reveal(db, REVIEWER, row, "I would like to read it please", 15)
    assert refused.value.status == 403 and "reviewers read it masked" in str(refused.value)
    for reason, minutes in (
        ("", 15),
        ("   ", 15),
        ("why not", 15),
        ("a good reason here", 7),
        ("a good reason", "x"),
    ):
        with pytest.raises(reveals.RevealError) as refused:
            reveals.reveal(db, ADMIN, row, reason, minutes)
        assert refused.value.status == 400
    with pytest.raises(reveals.RevealError):
        reveals.reveal(db, ADMIN, db.get(Conversation, "theirs"), "another clinic's conversation", 15)
    assert db.execute(sa.select(RevealGrant)).first() is None
    grant = reveals.reveal(db, CLINICIAN, row, "  checking the   medicine named ", "30")
    db.commit()
    assert (grant.staff, grant.reason) == ("doc@demo.example", "checking the medicine named")
    assert grant.expires_at - grant.created_at == dt.timedelta(minutes=30)
    [entry] = db.execute(sa.select(AuditEntry).where(AuditEntry.action == "reveal")).scalars()
    assert (entry.actor, entry.target, entry.clinic_id) == ("doc@demo.example", "anna", "demo")
    assert entry.detail.startswith("30 min, until ") and entry.detail.endswith(
        ": checking the medicine named"
    )
    actions = db.execute(sa.select(AuditEntry.action)).scalars().all()
    assert actions.count("reveal_refused") == 1


def test_only_the_holder_reads_raw_and_only_until_it_expires(db, monkeypatch):
    reveals.reveal(db, CLINICIAN, db.get(Conversation, "anna"), "checking the medicine named", 15)
    db.commit()
    raw = "My name is Priya Patel, 07700 900461, I'm on warfarin"

    def shown(staff):
        events = reveals.Reader(db, staff).events("anna")
        return [e["text"] for e in events if e.get("event") == "user"][1]

    assert shown(CLINICIAN) == raw
    assert leaks(shown(ADMIN)) == [] and leaks(shown(REVIEWER)) == []
    later = auth.now() + dt.timedelta(minutes=16)
    monkeypatch.setattr(auth, "now", lambda: later)
    assert leaks(shown(CLINICIAN)) == []
    assert not reveals.Reader(db, CLINICIAN).revealed("anna")


def test_ending_a_reveal_early_and_erasure_remove_it(db):
    row = db.get(Conversation, "anna")
    reveals.reveal(db, ADMIN, row, "checking the medicine named", 60)
    assert reveals.hide(db, ADMIN, "anna") and not reveals.Reader(db, ADMIN).revealed("anna")
    assert not reveals.hide(db, ADMIN, "anna")
    reveals.reveal(db, ADMIN, row, "checking the medicine named", 60)
    db.commit()
    erase(db, "anna")
    db.commit()
    assert db.execute(sa.select(RevealGrant)).first() is None


def test_no_route_reads_stored_events_or_unclear_messages_but_through_the_reader():
    # One place decides raw or masked: bot/console/reveals.py (the inbox and its export via nlu_inbox).
    for path in sorted((PROJECT_ROOT / "bot" / "console").glob("routes_*.py")):
        source = path.read_text()
        for raw in ("load_events", "EVENTS", "unclear_messages(", "nlu_yaml(", "labels("):
            assert raw not in source, f"{path.name} reads {raw} directly: use reveals.Reader"


# ---- over HTTP, on synthetic conversations ---------------------------------------------------------


def synthetic_conversations():
    """Synthetic conversations of the demo clinic (each known contact message in one of them) and
    one of another clinic."""
    rng = random.Random(7)
    found = {f"syn-{n}": synthetic._events(rng, NOW - 3600 + n, "demo") for n in range(30)}
    for n, contact in enumerate(synthetic.CONTACTS):
        events = synthetic._events(rng, NOW - 1800 + n, "demo")
        events.insert(3, user(contact, NOW - 1800 + n + 1, "inform"))
        events[3]["parse_data"]["intent"]["confidence"] = 0.4  # unclear: it shows in the inbox too
        found[f"contact-{n}"] = events
    found["theirs"] = [user(synthetic.CONTACTS[0], NOW - 60, "inform", clinic="other")]
    return found


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    conversations = synthetic_conversations()
    with running_console(
        tmp_path_factory.mktemp("redaction"), "redaction", conversations, reviewer=True
    ) as c:
        with Session(c[1], future=True) as session:
            auth.create_staff(
                session, "clinician@demo.example", "correct horse battery staple", "clinician", "demo"
            )
            session.commit()
        yield c


def transcript_of(html):
    return html.split('<section class="transcript"', 1)[1].split("</section>", 1)[0]


def demo_senders(console):
    with console[1].connect() as connection:
        return (
            connection.execute(sa.select(Conversation.sender_id).where(Conversation.clinic_id == "demo"))
            .scalars()
            .all()
        )


@pytest.mark.slow
def test_a_reviewer_sees_no_known_value_in_any_transcript_list_search_or_download(console):
    reviewer = login(console, "reviewer@demo.example")
    senders = demo_senders(console)
    assert len(senders) == 35
    seen = []
    for path in ("/console/", "/console/?page=2", "/console/inbox", "/console/inbox/nlu.yml"):
        status, _, body = reviewer.get(path)
        assert status == 200
        seen.append((path, body))
    for q in KNOWN + ("[name?]", "[phone]"):
        html = reviewer.get("/console/?" + urllib.parse.urlencode({"q": q}))[2]
        seen.append((f"search {q}", html.split("<tbody>", 1)[1]))  # not the search box echoing it
    for path in ("/console/export.csv", "/console/export.json?transcripts=1"):
        seen.append((path, reviewer.get(path)[2]))
    for sender in senders:
        status, _, html = reviewer.get(f"/console/c/{sender}")
        assert status == 200 and "The visitor's words are masked" in html
        assert "Reveal the raw text" not in html and "reviewers read it masked" in html
        seen.append((sender, transcript_of(html)))
        seen.append((f"{sender}.json", reviewer.get(f"/console/c/{sender}/export.json")[2]))
    assert [(where, leaks(body)) for where, body in seen if leaks(body)] == []
    # The masked text is there, and search finds it.
    _, _, html = reviewer.get("/console/?q=%5Bname%3F%5D")
    assert re.search(r"Conversations <small>[1-9]", html)
    _, _, html = reviewer.get("/console/?q=Patel")
    assert "Conversations <small>0</small>" in html
    records = json.loads(reviewer.get("/console/export.json?transcripts=1")[2])
    assert records and all(r["redacted"] for r in records)
    texts = [e.get("text") or "" for r in records for e in r["events"] if e.get("event") == "user"]
    assert any("[name?]" in t for t in texts) and any("[health]" in t for t in texts)


@pytest.mark.slow
def test_a_reveal_is_refused_to_reviewers_and_without_a_reason_audited_and_expires(console):
    reviewer = login(console, "reviewer@demo.example")
    clinician = login(console, "clinician@demo.example")
    admin = login(console, "admin@demo.example")
    target = "contact-0"  # Priya Patel's
    reason = {"reason": "she asked us to call her back", "minutes": "15"}
    status, _, html = reviewer.post(f"/console/c/{target}/reveal", reason)
    assert status == 403 and "reviewers read it masked" in html
    status, _, html = clinician.post(f"/console/c/{target}/reveal", {"reason": " ", "minutes": "15"})
    assert status == 400 and "Write why you need to read the raw text" in html
    assert clinician.post(f"/console/c/{target}/reveal", {**reason, "minutes": "600"})[0] == 400
    assert clinician.post(f"/console/c/{target}/reveal", {**reason, "csrf": "forged"}, csrf=False)[0] == 403
    other = login(console, "admin@other.example")
    assert other.post(f"/console/c/{target}/reveal", reason)[0] == 404
    with console[1].connect() as connection:
        assert connection.execute(sa.select(RevealGrant)).first() is None

    assert clinician.post(f"/console/c/{target}/reveal", reason)[0] == 302
    _, _, html = clinician.get(f"/console/c/{target}")
    assert "Raw text shown to you until" in html and "she asked us to call her back" in html
    assert {"Priya", "Patel", "07700 900461", "priya.patel@example.com"} <= set(leaks(transcript_of(html)))
    body = json.loads(clinician.get(f"/console/c/{target}/export.json")[2])
    assert body["redacted"] is False and "priya.patel@example.com" in json.dumps(body)
    records = json.loads(clinician.get("/console/export.json?transcripts=1")[2])
    assert [r["sender_id"] for r in records if not r["redacted"]] == [target]
    # Nobody else: not the reviewer, not the admin, not the clinician on another conversation.
    for client in (reviewer, admin):
        _, _, html = client.get(f"/console/c/{target}")
        assert leaks(transcript_of(html)) == [] and "Raw text shown" not in html
    assert leaks(transcript_of(clinician.get("/console/c/contact-1")[2])) == []
    # Every reveal and refusal is in the audit log: who, when, why and for how long.
    _, _, html = admin.get("/console/audit")
    assert "reveal_refused" in html and "role reviewer" in html
    line = next(r for r in html.split("<tr>") if "<td>reveal</td>" in r)
    assert (
        "clinician@demo.example" in line
        and "15 min, until" in line
        and "she asked us to call her back" in line
    )
    assert "view_transcript" in html and "raw (revealed)" in html

    # It expires on its own...
    with console[1].begin() as connection:
        connection.execute(
            sa.update(RevealGrant).values(expires_at=dt.datetime.utcnow() - dt.timedelta(seconds=1))
        )
    _, _, html = clinician.get(f"/console/c/{target}")
    assert "Raw text shown" not in html and leaks(transcript_of(html)) == []
    assert json.loads(clinician.get(f"/console/c/{target}/export.json")[2])["redacted"] is True
    # ... or ends when asked, audited.
    assert admin.post(f"/console/c/{target}/reveal", {**reason, "minutes": "60"})[0] == 302
    assert "Priya" in transcript_of(admin.get(f"/console/c/{target}")[2])
    assert admin.post(f"/console/c/{target}/hide", {})[0] == 302
    assert leaks(transcript_of(admin.get(f"/console/c/{target}")[2])) == []
    _, _, html = admin.get("/console/audit")
    assert "reveal_end" in html


@pytest.mark.slow
def test_admins_can_make_clinician_accounts(console):
    admin = login(console, "admin@demo.example")
    _, _, html = admin.get("/console/staff")
    assert "<option>clinician</option>" in html
    status, _, html = admin.post(
        "/console/staff",
        {"email": "doc2@demo.example", "password": "correct horse battery staple", "role": "clinician"},
    )
    assert status == 200 and "Account created" in html


def test_the_masked_note_is_on_the_list_and_conversation_pages():
    templates = Path(PROJECT_ROOT / "bot" / "console" / "templates")
    assert "Text search looks in the masked text" in (templates / "list.html").read_text()
    assert "Reveal the raw text for a while" in (templates / "conversation.html").read_text()
