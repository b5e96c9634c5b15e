"""The clinician's verdict: recorded, compared with the bot per rules version, exported, erased."""

import time

import pytest
import sqlalchemy as sa
import yaml

from bot import PROJECT_ROOT
from bot.console import auth, indexer, verdicts
from bot.storage.erasure import erase
from bot.storage.models import AuditEntry, Conversation, Verdict
from tests.console.seeded import login, running_console, seeded_session, slot, user

NOW = time.time()


def result(outcome, t, version="2024.1"):
    custom = {"type": "screening_result", "outcome": outcome, "reasons": [], "rules_version": version}
    return {"event": "bot", "text": outcome, "timestamp": t, "data": {"custom": custom}}


def screened(outcome, t, text="hi", version="2024.1", clinic="demo"):
    return [
        user(text, t, clinic=clinic),
        slot("screening_outcome", outcome, t + 1),
        result(outcome, t + 2, version),
    ]


CONVERSATIONS = {
    "mild": screened("likely_suitable", NOW - 500, "I had botox 10 days ago, mail me at jo.doe@example.com"),
    "precaution": screened("suitable_with_precautions", NOW - 400, "call 07700 900123 please"),
    "clearance": screened("needs_medical_clearance", NOW - 300),
    "urgent": screened("seek_urgent_care", NOW - 200),
    "old-rules": screened("likely_suitable", NOW - 100, version="2023.9"),
    "unscreened": [user("hello", NOW - 50)],
    "theirs": screened("likely_suitable", NOW - 50, clinic="other"),
}
STAFF = auth.CurrentStaff(1, "doc@demo.example", "reviewer", "demo", "csrf")


# ---- without a server -------------------------------------------------------------------------


@pytest.fixture()
def db(tmp_path):
    with seeded_session(tmp_path / "verdicts.db", CONVERSATIONS) as session:
        yield session


def give(db, sender, outcome, reason="because"):
    verdict = verdicts.record(db, STAFF, db.get(Conversation, sender), outcome, reason)
    db.commit()
    return verdict


def test_the_indexer_keeps_the_rules_version_of_the_result(db):
    assert db.get(Conversation, "mild").rules_version == "2024.1"
    assert db.get(Conversation, "old-rules").rules_version == "2023.9"
    assert db.get(Conversation, "unscreened").rules_version is None


def test_a_verdict_changes_the_matrix_and_the_rates_and_the_latest_counts(db):
    assert verdicts.agreement(db, "demo") == []
    give(db, "clearance", "needs_medical_clearance")
    [current] = verdicts.agreement(db, "demo")
    assert current.rules_version == "2024.1" and current.compared == 1 and current.agree == 1
    assert current.matrix["needs_medical_clearance"]["needs_medical_clearance"] == 1
    assert current.under_rate == current.over_rate == 0.0
    verdict = give(db, "mild", "not_suitable_now", "botox ten days ago")
    assert (verdict.bot_outcome, verdict.rules_version, verdict.staff_role) == (
        "likely_suitable",
        "2024.1",
        "reviewer",
    )
    give(db, "urgent", "needs_medical_clearance")  # the bot was stricter
    [current] = verdicts.agreement(db, "demo")
    assert current.matrix["likely_suitable"]["not_suitable_now"] == 1
    assert current.matrix["seek_urgent_care"]["needs_medical_clearance"] == 1
    assert (current.compared, current.under, current.over) == (3, 1, 1)
    assert current.under_rate == pytest.approx(1 / 3) and current.over_rate == pytest.approx(1 / 3)
    give(db, "mild", "likely_suitable", "on second thoughts, fine")  # the latest verdict counts
    [current] = verdicts.agreement(db, "demo")
    assert current.matrix["likely_suitable"] == dict.fromkeys(verdicts.LEVELS, 0) | {"likely_suitable": 1}
    assert (current.compared, current.under, current.over) == (3, 0, 1)
    assert verdicts.agreement(db, "other") == []


def test_each_rules_version_has_its_own_matrix_and_no_outcome_is_not_a_miss(db):
    give(db, "old-rules", "seek_urgent_care")
    give(db, "mild", "likely_suitable")
    give(db, "unscreened", "likely_suitable")
    found = {a.rules_version: a for a in verdicts.agreement(db, "demo")}
    assert list(found) == ["2023.9", "2024.1", "unknown"]
    assert found["2023.9"].under == 1 and found["2024.1"].under == 0
    assert found["unknown"].no_outcome == 1 and found["unknown"].compared == 0
    assert found["unknown"].matrix["none"]["likely_suitable"] == 1


def test_under_triaged_conversations_come_first_the_largest_miss_first(db):
    give(db, "precaution", "needs_medical_clearance")  # one level milder
    give(db, "mild", "seek_urgent_care")  # four levels milder
    give(db, "clearance", "needs_medical_clearance")
    give(db, "urgent", "likely_suitable")  # over-triage: not listed
    assert [v.sender_id for v in verdicts.under_triaged(db, "demo")] == ["mild", "precaution"]


def test_an_unknown_level_or_an_empty_reason_is_refused(db):
    row = db.get(Conversation, "mild")
    with pytest.raises(verdicts.VerdictError):
        verdicts.record(db, STAFF, row, "fine_probably", "because")
    with pytest.raises(verdicts.VerdictError):
        verdicts.record(db, STAFF, row, "likely_suitable", "   ")


def test_the_mask_removes_emails_phone_numbers_and_digits():
    masked = verdicts.mask("mail jo.doe+x@example.co.uk or ring +44 7700 900123, botox 10 days ago")
    assert masked == "mail <email> or ring <phone>, botox <n> days ago"
    assert not any(c.isdigit() for c in verdicts.mask("07700900123 and 3 weeks and (020) 7946-0018"))


def test_the_regression_case_is_in_the_conversations_format(db):
    verdict = give(db, "mild", "not_suitable_now")
    text = verdicts.regression_yaml("mild", verdict, indexer.load_events(db, "mild"))
    [case] = yaml.safe_load(text)["conversations"]
    assert set(case) == {"name", "outcome", "turns"} and case["outcome"] == "not_suitable_now"
    assert case["turns"] == ["I had botox <n> days ago, mail me at <email>"]
    assert "mild" not in case["name"]
    typed = yaml.safe_load((PROJECT_ROOT / "tests" / "conversations" / "typed_01.yml").read_text())
    assert set(typed["conversations"][0]) == set(case)
    quoted = verdicts.regression_yaml("x", verdict, [{"event": "user", "text": 'a "b" \\ c\nd: e #f'}])
    assert yaml.safe_load(quoted)["conversations"][0]["turns"] == ['a "b" \\ c\nd: e #f']


def test_erasure_removes_the_verdicts(db):
    give(db, "mild", "not_suitable_now")
    give(db, "mild", "seek_urgent_care")
    erase(db, "mild")
    db.commit()
    indexer.refresh(db)
    assert db.execute(sa.select(Verdict).where(Verdict.sender_id == "mild")).first() is None
    assert verdicts.agreement(db, "demo") == []


# ---- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    with running_console(tmp_path_factory.mktemp("verdicts"), "verdicts", CONVERSATIONS, reviewer=True) as c:
        yield c


def cell(html, bot, clinician, version="2024.1"):
    section = html.split(f'data-version="{version}"', 1)[1].split("</section>", 1)[0]
    return int(section.split(f'data-cell="{bot}:{clinician}">', 1)[1].split("<", 1)[0])


def rate(html, kind, version="2024.1"):
    section = html.split(f'data-version="{version}"', 1)[1].split("</section>", 1)[0]
    return section.split(f'class="{kind}-rate">', 1)[1].split("<", 1)[0]


@pytest.mark.slow
def test_recording_verdicts_changes_the_matrix_and_lists_under_triage_first(console):
    reviewer = login(console, "reviewer@demo.example")
    status, _, html = reviewer.get("/console/c/precaution")
    assert status == 200 and 'action="/console/c/precaution/verdict"' in html
    status, _, html = reviewer.get("/console/dashboard")
    assert 'href="/console/agreement"' in html
    status, _, html = reviewer.get("/console/agreement")
    assert status == 200 and "No verdicts recorded yet" in html
    post = reviewer.post(
        "/console/c/clearance/verdict", {"outcome": "needs_medical_clearance", "reason": "ok"}
    )
    assert post[0] == 302
    _, _, html = reviewer.get("/console/agreement")
    assert cell(html, "needs_medical_clearance", "needs_medical_clearance") == 1
    assert rate(html, "under") == "Under-triage 0.0 %"
    for sender, outcome in (("precaution", "needs_medical_clearance"), ("mild", "seek_urgent_care")):
        assert (
            reviewer.post(f"/console/c/{sender}/verdict", {"outcome": outcome, "reason": "missed"})[0] == 302
        )
    assert (
        reviewer.post("/console/c/urgent/verdict", {"outcome": "likely_suitable", "reason": "calm"})[0] == 302
    )
    _, _, html = reviewer.get("/console/agreement")
    assert cell(html, "likely_suitable", "seek_urgent_care") == 1
    assert cell(html, "suitable_with_precautions", "needs_medical_clearance") == 1
    assert rate(html, "under") == "Under-triage 50.0 %" and rate(html, "over") == "over-triage 25.0 %"
    listed = html.split('class="under-triaged"', 1)[1].split("</ol>", 1)[0]
    assert [s for s in ("mild", "precaution") if f'data-sender="{s}"' in listed] == ["mild", "precaution"]
    assert listed.index('data-sender="mild"') < listed.index('data-sender="precaution"')
    assert 'data-sender="urgent"' not in listed and 'href="/console/c/mild"' in listed
    assert html.index('class="under-triaged"') < html.index('class="agreement"')
    with console[1].connect() as connection:
        roles = set(connection.execute(sa.select(Verdict.staff_role)).scalars())
    assert roles == {"reviewer"}
    admin = login(console, "admin@demo.example")
    _, _, html = admin.get("/console/audit")
    assert "verdict" in html and "missed" in html


@pytest.mark.slow
def test_refusals(console):
    admin = login(console, "admin@demo.example")
    good = {"outcome": "likely_suitable", "reason": "fine"}
    assert admin.post("/console/c/old-rules/verdict", {**good, "csrf": "forged"}, csrf=False)[0] == 403
    assert admin.post("/console/c/old-rules/verdict", good, csrf=False)[0] == 403
    assert admin.post("/console/c/old-rules/verdict", {**good, "outcome": "meh"})[0] == 400
    assert admin.post("/console/c/old-rules/verdict", {**good, "reason": "  "})[0] == 400
    assert admin.post("/console/c/theirs/verdict", good)[0] == 404
    assert admin.post("/console/c/nobody/verdict", good)[0] == 404
    with console[1].connect() as connection:
        senders = set(connection.execute(sa.select(Verdict.sender_id)).scalars())
    assert not senders & {"old-rules", "theirs", "nobody"}
    other = login(console, "admin@other.example")
    assert other.get("/console/conversations/mild/regression.yml")[0] == 404
    assert admin.get("/console/conversations/unscreened/regression.yml")[0] == 404  # no verdict


@pytest.mark.slow
def test_the_regression_case_download_is_masked_audited_and_gone_after_erasure(console):
    admin = login(console, "admin@demo.example")
    assert admin.post("/console/c/mild/verdict", {"outcome": "not_suitable_now", "reason": "botox"})[0] == 302
    assert (
        admin.post("/console/c/precaution/verdict", {"outcome": "not_suitable_now", "reason": "x"})[0] == 302
    )
    _, _, html = admin.get("/console/c/mild")
    assert 'href="/console/conversations/mild/regression.yml"' in html
    status, headers, body = admin.get("/console/conversations/mild/regression.yml")
    assert status == 200 and "attachment" in headers["Content-Disposition"]
    [case] = yaml.safe_load(body)["conversations"]
    assert case["outcome"] == "not_suitable_now"
    # Masked like every download; revealed, only the case's own mask (digits, emails, phones) is left.
    assert case["turns"] == ["I had [health] <n> days ago, mail me at [email]"]
    assert "example.com" not in body and "10" not in body and "botox" not in body
    reason = {"reason": "the case must keep the treatment", "minutes": "15"}
    assert admin.post("/console/c/mild/reveal", reason)[0] == 302
    _, _, body = admin.get("/console/conversations/mild/regression.yml")
    assert yaml.safe_load(body)["conversations"][0]["turns"] == [
        "I had botox <n> days ago, mail me at <email>"
    ]
    assert "example.com" not in body and "10" not in body
    _, _, body = admin.get("/console/conversations/precaution/regression.yml")
    assert yaml.safe_load(body)["conversations"][0]["turns"] == ["call [phone] please"]
    _, _, html = admin.get("/console/audit")
    assert "export_regression_case" in html
    assert admin.post("/console/c/mild/delete", {})[0] == 302
    assert admin.get("/console/conversations/mild/regression.yml")[0] == 404
    with console[1].connect() as connection:
        assert connection.execute(sa.select(Verdict).where(Verdict.sender_id == "mild")).first() is None
        # The earlier entries (the verdict and its reason, the reveal, the export) are redacted; only the
        # deletion itself, written after the erasure, names the conversation.
        actions = connection.execute(
            sa.select(AuditEntry.action).where(AuditEntry.target == "mild")
        ).scalars()
        assert list(actions) == ["delete_conversation"]
