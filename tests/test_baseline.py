"""The baseline: which session is the reference, and the sentences comparing now with it (clock passed in)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.baseline import (
    ExerciseChange,
    SideChange,
    Values,
    baseline_due,
    compare,
    every_weeks_of,
    progress_problems,
    sentences,
)
from kiosk.baseline_store import BaselineStep, baseline_at, baselines, changes_now, record_due
from kiosk.baseline_text import baseline_words, change_lines, progress_lines

LONDON = ZoneInfo("Europe/London")
NOV3 = datetime(2026, 11, 3, 10, 0, tzinfo=LONDON)
NAMES = {"open_smile": "Open smile", "brow_lift": "Brow lift"}


def add_session(store, at, results, plan_version=1, status="done"):
    """One finished session with its exercise results: {exercise: (left_mm, right_mm, left_pct, right_pct)}."""
    with store.write() as db:
        sessions = db["sessions"]
        sessions.insert(
            {
                "started_at": at.isoformat(),
                "ended_at": (at + timedelta(minutes=10)).isoformat(),
                "status": status,
                "plan_version": plan_version,
            }
        )
        sid = sessions.last_pk
        for exercise, (lmm, rmm, lpct, rpct) in results.items():
            db["exercise_results"].insert(
                {
                    "session_id": sid,
                    "exercise": exercise,
                    "at": (at + timedelta(minutes=5)).isoformat(),
                    "left_mm": lmm,
                    "right_mm": rmm,
                    "left_pct": lpct,
                    "right_pct": rpct,
                }
            )
    return sid


def test_the_first_measured_session_with_a_plan_is_the_baseline(fresh_store):
    add_session(fresh_store, NOV3 - timedelta(days=2), {"open_smile": (2.0, 8.0, 20.0, 80.0)}, plan_version=None)
    add_session(fresh_store, NOV3 - timedelta(days=1), {"open_smile": (None, None, None, None)})  # no camera
    first = add_session(fresh_store, NOV3, {"open_smile": (2.0, 8.0, 20.0, 80.0)})
    add_session(fresh_store, NOV3 + timedelta(days=1), {"open_smile": (3.0, 8.0, 30.0, 80.0)})
    assert record_due(fresh_store, None, NOV3 + timedelta(days=2)) == [first]
    assert record_due(fresh_store, None, NOV3 + timedelta(days=3)) == []  # recorded once
    (base,) = baselines(fresh_store)
    assert base.session_id == first and base.reason == "first"
    assert base.results == {"open_smile": Values(2.0, 8.0, 20.0, 80.0)}


def test_the_plan_asks_for_a_new_baseline_every_n_weeks(fresh_store):
    first = add_session(fresh_store, NOV3, {"open_smile": (2.0, 8.0, 20.0, 80.0)})
    add_session(fresh_store, NOV3 + timedelta(weeks=3), {"open_smile": (3.0, 8.0, 30.0, 80.0)})
    later = add_session(fresh_store, NOV3 + timedelta(weeks=4, hours=1), {"open_smile": (4.0, 8.0, 40.0, 80.0)})
    add_session(fresh_store, NOV3 + timedelta(weeks=5), {"open_smile": (5.0, 8.0, 50.0, 80.0)})
    assert record_due(fresh_store, 4, NOV3 + timedelta(weeks=6)) == [first, later]
    assert [b.reason for b in baselines(fresh_store)] == ["first", "every_weeks"]
    assert baseline_at(fresh_store, NOV3 + timedelta(weeks=2)).session_id == first  # the one in force then
    assert baseline_at(fresh_store, NOV3 + timedelta(weeks=6)).session_id == later


def test_the_stored_reference_stays_as_it_was(fresh_store):
    sid = add_session(fresh_store, NOV3, {"brow_lift": (1.0, 4.0, 10.0, 40.0)})
    record_due(fresh_store, None, NOV3 + timedelta(hours=1))
    with fresh_store.write() as db:
        db.execute("update exercise_results set left_mm = 9.9 where session_id = ?", [sid])
    assert baselines(fresh_store)[0].results["brow_lift"].left_mm == 1.0


def test_sentences_from_stored_rows_against_the_last_two_weeks(fresh_store):
    add_session(fresh_store, NOV3, {"open_smile": (2.0, 8.0, 20.0, 80.0)})
    record_due(fresh_store, None, NOV3 + timedelta(hours=1))
    now = NOV3 + timedelta(weeks=6)
    add_session(fresh_store, now - timedelta(days=20), {"open_smile": (9.0, 9.0, 90.0, 90.0)})  # too old to count
    add_session(fresh_store, now - timedelta(days=3), {"open_smile": (3.8, 8.0, 38.0, 80.0)})
    add_session(fresh_store, now - timedelta(days=1), {"open_smile": (4.2, 8.0, 42.0, 80.0)})
    lines = progress_lines(fresh_store, now, NAMES, "en")
    assert lines == [
        "Open smile: your left side moves about twice as far as on 3 November.",
        "Open smile: your right side moves about as far as on 3 November.",
        "Open smile: your weaker side moves 50 % as far as the other. On 3 November: 25 %.",
    ]
    german = progress_lines(fresh_store, now, {"open_smile": "Offenes Lächeln"}, "de")
    assert german[0] == "Offenes Lächeln: Ihre linke Seite bewegt sich etwa doppelt so weit wie am 3. November."


def test_no_baseline_or_no_recent_measurement_gives_no_sentences(fresh_store):
    assert progress_lines(fresh_store, NOV3, NAMES, "en") == []
    add_session(fresh_store, NOV3, {"open_smile": (2.0, 8.0, 20.0, 80.0)})
    record_due(fresh_store, None, NOV3)
    assert changes_now(fresh_store, NOV3 + timedelta(weeks=8)) == []  # nothing measured in the last two weeks


@pytest.mark.parametrize(
    ("then", "now", "words"),
    [
        (4.0, 1.0, "clearly less far than"),
        (4.0, 3.0, "a little less far than"),
        (4.0, 4.4, "about as far as"),
        (4.0, 5.2, "a little further than"),
        (4.0, 6.0, "about one and a half times as far as"),
        (4.0, 12.0, "about three times as far as"),
        (4.0, 20.0, "more than three times as far as"),
    ],
)
def test_each_ratio_has_plain_words(then, now, words):
    change = ExerciseChange("brow_lift", date(2026, 11, 3), (SideChange("right", "mm", then, now),), None, None)
    assert sentences(change, "Brow lift", baseline_words("en")) == [
        f"Brow lift: your right side moves {words} on 3 November."
    ]


def test_a_side_that_hardly_moved_at_the_baseline_gets_no_ratio():
    change = ExerciseChange(
        "brow_lift",
        date(2026, 11, 3),
        (SideChange("left", "mm", 0.1, 2.0), SideChange("right", "pct", 0.2, 0.3)),
        None,
        None,
    )
    assert change_lines([change], NAMES, "en") == [
        "Brow lift: your left side moves now; on 3 November it hardly moved.",
        "Brow lift: your right side hardly moves, as on 3 November.",
    ]


def test_compare_uses_mm_when_both_have_mm_else_percent():
    baseline = {"brow_lift": Values(None, 4.0, 10.0, 40.0)}
    now = NOV3 + timedelta(days=30)
    recent = [("brow_lift", now - timedelta(days=1), Values(2.0, 5.0, 20.0, 50.0))]
    (change,) = compare(baseline, NOV3.date(), recent, now)
    assert change.sides == (SideChange("left", "pct", 10.0, 20.0), SideChange("right", "mm", 4.0, 5.0))


def test_baseline_due_rules():
    assert baseline_due(None, None, NOV3)
    assert not baseline_due(NOV3, None, NOV3 + timedelta(weeks=50))
    assert not baseline_due(NOV3, 4, NOV3 + timedelta(weeks=4) - timedelta(seconds=1))
    assert baseline_due(NOV3, 4, NOV3 + timedelta(weeks=4))


def test_the_plan_key_is_read_and_checked():
    assert every_weeks_of({"progress": {"baseline_every_weeks": 4}}) == 4
    assert every_weeks_of(None) is None and every_weeks_of({"progress": {"baseline_every_weeks": True}}) is None
    assert progress_problems({}) == [] and progress_problems({"progress": {"baseline_every_weeks": 6}}) == []
    assert progress_problems({"progress": {"baseline_every_weeks": 0}}) == [
        ("progress.baseline_every_weeks", "must be a whole number of weeks from 1 to 52, got 0")
    ]
    assert progress_problems({"progress": {"every": 2}})[0][0] == "progress.every"


def test_the_loop_step_records_once_a_minute(fresh_store):
    add_session(fresh_store, NOV3, {"open_smile": (2.0, 8.0, 20.0, 80.0)})
    step = BaselineStep(fresh_store, lambda: 4, lambda: NOV3 + timedelta(hours=1))
    step(0.0)
    assert len(baselines(fresh_store)) == 1
    add_session(fresh_store, NOV3 + timedelta(weeks=5), {"open_smile": (3.0, 8.0, 30.0, 80.0)})
    step.wall_clock = lambda: NOV3 + timedelta(weeks=5, hours=1)
    step(30.0)
    assert len(baselines(fresh_store)) == 1  # not a minute yet
    step(61.0)
    assert len(baselines(fresh_store)) == 2
