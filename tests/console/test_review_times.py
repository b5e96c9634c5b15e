"""The dashboard's time to first review per safety-queue level: from the item's clock to its first claim."""

import datetime as dt
import time

import pytest

from bot.console.review_times import _percentile, review_times
from bot.storage.models import SafetyQueueItem
from tests.console.seeded import login, running_console, seeded_session, slot, user

NOW = time.time()
CONVERSATIONS = {
    "sh": [user("hi", NOW - 7200), slot("red_flags", ["self_harm"], NOW - 7200)],
    "rf-a": [
        user("my face is drooping", NOW - 3 * 3600, "report_symptom"),
        slot("red_flags", ["facial_droop"], NOW - 3 * 3600),
    ],
    "rf-b": [
        user("my chest is tight", NOW - 5 * 3600, "report_symptom"),
        slot("red_flags", ["chest_pain"], NOW - 5 * 3600),
    ],
    "rf-c": [
        user("i can't breathe", NOW - 600, "report_symptom"),
        slot("red_flags", ["breathing_difficulty"], NOW - 600),
    ],
}


def _utc(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)


def _review(db, sender: str, claimed: float | None = None, resolved: float | None = None) -> None:
    item = db.get(SafetyQueueItem, sender)
    item.claimed_by = "lead@demo.example" if claimed else None
    item.claimed_at = _utc(claimed) if claimed else None
    item.resolved_at = _utc(resolved) if resolved else None
    db.commit()


@pytest.fixture()
def db(tmp_path):
    with seeded_session(tmp_path / "reviews.db", CONVERSATIONS) as session:
        yield session


def test_time_to_first_review_is_counted_per_level_from_the_items_clock(db):
    _review(db, "sh", claimed=NOW - 7200 + 1800)  # half an hour
    _review(db, "rf-a", claimed=NOW - 3 * 3600 + 3600)  # one hour
    _review(db, "rf-b", resolved=NOW - 5 * 3600 + 3 * 3600)  # resolved at once after three hours
    times = {r.level: r for r in review_times(db, "demo")}
    assert [r.level for r in review_times(db, "demo")] == ["self_harm", "red_flag", "clearance", "callback"]
    assert (times["self_harm"].reviewed, times["self_harm"].median_hours, times["self_harm"].waiting) == (
        1,
        0.5,
        0,
    )
    assert (times["red_flag"].reviewed, times["red_flag"].median_hours, times["red_flag"].waiting) == (
        2,
        2.0,
        1,
    )
    assert times["red_flag"].p90_hours == 3.0
    assert times["clearance"].reviewed == 0 and times["clearance"].median_hours is None
    assert review_times(db, "other")[0].reviewed == 0  # another clinic sees none of it


def test_the_nearest_rank_percentile():
    assert _percentile([1.0], 0.9) == 1.0
    assert _percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0
    assert _percentile([float(i) for i in range(1, 11)], 0.9) == 9.0


@pytest.mark.slow
def test_the_dashboard_shows_time_to_first_review_per_level(tmp_path):
    with running_console(tmp_path, "reviews", CONVERSATIONS) as console:
        admin = login(console, "admin@demo.example")
        assert admin.post("/console/queue/sh/claim", {})[0] == 302
        status, _, html = admin.get("/console/dashboard")
    assert status == 200 and "Time to first review" in html
    row = html.split('data-level="self_harm"', 1)[1].split("</tr>", 1)[0]
    cells = [c.split("</td>")[0].strip() for c in row.split("<td>")[1:]]
    assert cells[0] == "self-harm" and cells[1] == "1" and cells[4] == "0"
    assert 1.9 < float(cells[2]) < 2.2  # claimed now, two hours after the visitor's last message
