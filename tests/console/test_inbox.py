"""The unclear messages inbox: fallback and low-confidence messages grouped, labelled, exported as
Rasa NLU data, refused across clinics, erased with their conversation."""

import time

import pytest
import sqlalchemy as sa

from bot.console import auth, indexer, nlu_inbox
from bot.storage.erasure import erase
from bot.storage.models import AuditEntry, NluLabel
from tests.console.seeded import login, running_console, seeded_session, user

NOW = time.time()


CONVERSATIONS = {
    "anna": [
        user("Can I have it while on warfarin?", NOW - 500, "nlu_fallback", confidence=0.3),
        user("I have oily skin", NOW - 490),  # understood: never in the inbox
    ],
    "ben": [user("warfarin, can I have it", NOW - 400, "faq", confidence=0.41)],
    "cara": [
        user("is it ok with my pacemaker", NOW - 300, "faq", confidence=0.5),
        user("/start_screening", NOW - 290, "start_screening", confidence=0.1),  # a button payload
    ],
    "dan": [user("I take aspirin daily", NOW - 200, "inform", confidence=0.95)],
    "theirs": [
        user("Can I have it while on warfarin?", NOW - 100, "nlu_fallback", confidence=0.3, clinic="other")
    ],
}
STAFF = auth.CurrentStaff(1, "rev@demo.example", "reviewer", "demo", "csrf")


def texts(groups):
    return [sorted(m.text for m in g.messages) for g in groups]


# ---- without a server -------------------------------------------------------------------------


@pytest.fixture()
def db(tmp_path):
    with seeded_session(tmp_path / "inbox.db", CONVERSATIONS) as session:
        yield session


def message(db, sender, text):
    [found] = [m for m in nlu_inbox.unclear_messages(db, "demo") if (m.sender_id, m.text) == (sender, text)]
    return found


def test_fallback_and_low_confidence_messages_are_grouped_by_their_content_words(db):
    groups = nlu_inbox.grouped(nlu_inbox.unclear_messages(db, "demo"))
    assert texts(groups) == [
        ["Can I have it while on warfarin?", "warfarin, can I have it"],
        ["is it ok with my pacemaker"],
    ]
    assert groups[0].words == {"warfarin"} and groups[0].key == "warfarin"
    assert {m.sender_id for m in groups[0].messages} == {"anna", "ben"}
    assert texts(nlu_inbox.grouped(nlu_inbox.unclear_messages(db, "other"))) == [
        ["Can I have it while on warfarin?"]
    ]


def test_content_words_ignore_case_punctuation_and_stop_words():
    assert nlu_inbox.content_words("Warfarin, can I have IT?") == {"warfarin"}
    assert nlu_inbox.content_words("warfarin!!") == nlu_inbox.content_words("WARFARIN")


def test_a_label_is_checked_against_the_domain_and_the_message(db):
    msg = message(db, "anna", "Can I have it while on warfarin?")
    label, annotations = nlu_inbox.record(
        db, STAFF, msg, "faq", "Can I have it while on [warfarin](condition)?"
    )
    assert annotations == [("warfarin", "condition")] and label.clinic_id == "demo"
    label, _ = nlu_inbox.record(db, STAFF, msg, "inform", "")  # relabelled: one label per message
    assert (label.intent, label.example) == ("inform", msg.text)
    assert db.execute(sa.select(sa.func.count()).select_from(NluLabel)).scalar_one() == 1
    for intent, example in (
        ("not_an_intent", ""),
        ("nlu_fallback", ""),
        ("faq", "Can I have it while on [warfarin](medicine)?"),  # not a domain entity
        ("faq", "Can I have it while on [aspirin](condition)?"),  # not in the message
        ("faq", "Can I have it while on [warfarin(condition)?"),  # malformed
        ("faq", "Can I have it while on [warfarin]?"),
        ("faq", "Something else entirely"),
    ):
        with pytest.raises(nlu_inbox.LabelError):
            nlu_inbox.record(db, STAFF, msg, intent, example)


def test_the_export_loads_in_rasa_with_its_entities(db, tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    nlu_inbox.record(
        db,
        STAFF,
        message(db, "anna", "Can I have it while on warfarin?"),
        "faq",
        "Can I have it while on [warfarin](condition)?",
    )
    nlu_inbox.record(db, STAFF, message(db, "cara", "is it ok with my pacemaker"), "faq", "")
    nlu_inbox.record(db, STAFF, message(db, "ben", "warfarin, can I have it"), "inform", "")
    path = tmp_path / "nlu.yml"
    path.write_text(nlu_inbox.nlu_yaml(nlu_inbox.labels(db, "demo")))
    data = load_data(str(path))
    found = {(e.get("text"), e.get("intent")) for e in data.intent_examples}
    assert found == {
        ("Can I have it while on warfarin?", "faq"),
        ("is it ok with my pacemaker", "faq"),
        ("warfarin, can I have it", "inform"),
    }
    [annotated] = [e for e in data.intent_examples if e.get("entities")]
    [entity] = annotated.get("entities")
    assert (entity["entity"], entity["value"], entity["start"], entity["end"]) == (
        "condition",
        "warfarin",
        23,
        31,
    )
    assert nlu_inbox.labels(db, "other") == []
    empty = tmp_path / "empty.yml"
    empty.write_text(nlu_inbox.nlu_yaml([]))
    assert load_data(str(empty)).intent_examples == []


def test_erasure_removes_the_labels(db):
    nlu_inbox.record(db, STAFF, message(db, "anna", "Can I have it while on warfarin?"), "faq", "")
    nlu_inbox.record(db, STAFF, message(db, "ben", "warfarin, can I have it"), "faq", "")
    db.commit()
    erase(db, "anna")
    db.commit()
    indexer.refresh(db)
    assert set(db.execute(sa.select(NluLabel.sender_id)).scalars()) == {"ben"}
    assert [m.sender_id for m in nlu_inbox.unclear_messages(db, "demo") if m.label] == ["ben"]


# ---- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    with running_console(tmp_path_factory.mktemp("inbox"), "inbox", CONVERSATIONS, reviewer=True) as c:
        yield c


def event_id(console, sender, text):
    with console[1].connect() as connection:
        rows = connection.execute(
            sa.select(indexer.EVENTS.c.id, indexer.EVENTS.c.data).where(indexer.EVENTS.c.sender_id == sender)
        ).all()
    [found] = [i for i, data in rows if f'"text": "{text}"' in data]
    return found


@pytest.mark.slow
def test_the_inbox_lists_the_clinics_unclear_messages_grouped(console):
    reviewer = login(console, "reviewer@demo.example")
    status, _, html = reviewer.get("/console/inbox")
    assert status == 200 and 'href="/console/inbox"' in html
    assert html.count('class="inbox-group"') == 2
    first = html.split('class="inbox-group"', 2)[1]
    assert 'data-sender="anna"' in first and 'data-sender="ben"' in first
    assert 'href="/console/c/anna"' in first and 'href="/console/c/ben"' in first
    # Masked, grouped by their own words: two different health terms are two groups.
    assert 'data-sender="cara"' in html and "is it ok with my [health]" in html
    assert "pacemaker" not in html and "warfarin" not in html and "Can I have it while on [health]?" in html
    assert "oily skin" not in html and "aspirin" not in html and "/start_screening" not in html
    assert 'data-sender="theirs"' not in html
    assert '<option value="report_symptom">' in html


@pytest.mark.slow
def test_labelling_the_refusals_and_the_audited_export(console, tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    admin = login(console, "admin@demo.example")
    anna = event_id(console, "anna", "Can I have it while on warfarin?")
    theirs = event_id(console, "theirs", "Can I have it while on warfarin?")
    understood = event_id(console, "anna", "I have oily skin")
    good = {"intent": "faq", "example": "Can I have it while on [warfarin](condition)?"}
    assert admin.post(f"/console/inbox/{anna}/label", good, csrf=False)[0] == 403
    assert admin.post(f"/console/inbox/{anna}/label", {**good, "csrf": "forged"}, csrf=False)[0] == 403
    assert admin.post(f"/console/inbox/{anna}/label", {**good, "intent": "weather"})[0] == 400
    assert admin.post(f"/console/inbox/{anna}/label", {**good, "example": "on [warfarin](drug)?"})[0] == 400
    bad = "Can I have it while on [warfarin](drug)?"
    assert admin.post(f"/console/inbox/{anna}/label", {**good, "example": bad})[0] == 400
    assert admin.post(f"/console/inbox/{anna}/label", {**good, "example": "[Can I](condition"})[0] == 400
    assert admin.post(f"/console/inbox/{theirs}/label", good)[0] == 404
    assert admin.post(f"/console/inbox/{understood}/label", good)[0] == 404
    assert admin.post("/console/inbox/999999/label", good)[0] == 404
    with console[1].connect() as connection:
        assert connection.execute(sa.select(NluLabel)).first() is None
    # Masked, the message cannot be annotated on the hidden word; it can be labelled as it shows.
    assert admin.post(f"/console/inbox/{anna}/label", good)[0] == 400
    assert admin.post(f"/console/inbox/{anna}/label", {"intent": "faq", "example": ""})[0] == 302
    with console[1].connect() as connection:
        assert (
            connection.execute(sa.select(NluLabel.example)).scalar_one() == "Can I have it while on [health]?"
        )
    reason = {"reason": "annotating the medicine for training", "minutes": "15"}
    assert admin.post("/console/c/anna/reveal", reason)[0] == 302
    assert admin.post(f"/console/inbox/{anna}/label", good)[0] == 302
    _, _, html = admin.get("/console/inbox")
    assert "[warfarin](condition)" in html and "Relabel" in html
    reviewer = login(console, "reviewer@demo.example")
    _, _, html = reviewer.get("/console/inbox")
    assert "warfarin" not in html and "Can I have it while on [health]?" in html
    _, _, body = reviewer.get("/console/inbox/nlu.yml")
    assert "warfarin" not in body and "Can I have it while on [health]?" in body
    status, headers, body = admin.get("/console/inbox/nlu.yml")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    path = tmp_path / "nlu.yml"
    path.write_text(body)
    [example] = load_data(str(path)).intent_examples
    assert example.get("intent") == "faq" and example.get("text") == "Can I have it while on warfarin?"
    assert [e["value"] for e in example.get("entities")] == ["warfarin"]
    other = login(console, "admin@other.example")
    _, _, body = other.get("/console/inbox/nlu.yml")
    assert "warfarin" not in body
    with console[1].connect() as connection:
        actions = set(connection.execute(sa.select(AuditEntry.action)).scalars())
    assert {"nlu_label", "export_nlu"} <= actions
    assert admin.post("/console/c/anna/delete", {})[0] == 302
    with console[1].connect() as connection:
        assert connection.execute(sa.select(NluLabel)).first() is None
    _, _, body = admin.get("/console/inbox/nlu.yml")
    assert "warfarin" not in body
