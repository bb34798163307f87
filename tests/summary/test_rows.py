"""Reading the stored tables into rows: a round trip through a real SQLite store, and bad rows named."""

import json
from datetime import UTC, date, datetime

from kiosk.summary.builder import build_summary
from kiosk.summary.rows import read_rows


def insert_examples(store):
    with store.write() as db:
        db["sessions"].insert_all(
            [
                {
                    "id": 1,
                    "planned_for": "2026-11-02T10:00:00+00:00",
                    "started_at": "2026-11-02T10:03:00+00:00",
                    "ended_at": "2026-11-02T10:20:00+00:00",
                    "status": "done",
                    "plan_version": 3,
                    "minutes": 17.0,
                },
                {"id": 2, "planned_for": "2026-11-03T10:00:00", "status": "missed", "minutes": None},  # naive time
                {"id": 3, "planned_for": "yesterday", "status": "done"},  # unreadable
                {"id": 4, "planned_for": "2026-12-24T10:00:00+00:00", "status": "done"},  # outside
            ]
        )
        db["exercise_results"].insert_all(
            [
                {
                    "id": 1,
                    "session_id": 1,
                    "exercise": "open_smile",
                    "at": "2026-11-02T10:05:00+00:00",
                    "reps_planned": 5,
                    "reps_done": 5,
                    "hold_seconds": 4.8,
                    "left_mm": 3.0,
                    "right_mm": 9.0,
                    "left_pct": 120.0,
                    "right_pct": 100.0,
                    "symmetry_ratio": 0.33,
                    "weaker_side": "left",
                    "synkinesis": '["eye_narrowing"]',
                    "quality": "good",
                    "details": json.dumps({"frames": 200, "rejected": {"no_face": 7}}),
                },
                {
                    "id": 2,
                    "session_id": 1,
                    "exercise": "snarl",
                    "at": "2026-11-02T10:08:00+00:00",
                    "synkinesis": "eye_narrowing, brow_raise",
                    "details": "{not json",
                },
            ]
        )
        db["reminder_events"].insert(
            {
                "id": 1,
                "item_id": "night_routine",
                "kind": "ointment",
                "due_at": "2026-11-02T22:00:00+00:00",
                "status": "acknowledged",
            }
        )
        db["reminder_acks"].insert(
            {"id": 1, "reminder_id": 1, "at": "2026-11-02T22:20:00+00:00", "via": "voice", "late_seconds": 1200.0}
        )
        db["stim_log"].insert(
            {
                "id": 1,
                "plan_version": 3,
                "side": "left",
                "sites": '["frontalis"]',
                "parameters": '{"frequency_hz": 30}',
                "started_at": "2026-11-04T14:00:00+00:00",
                "stopped_at": "2026-11-04T14:10:00+00:00",
                "max_amplitude_ma": 3.0,
                "stop_reason": "completed",
            }
        )
        db["plan_versions"].insert(
            {
                "version": 4,
                "sha256": "ab",
                "received_at": "2026-11-05T09:00:00+00:00",
                "status": "refused",
                "reason": "bad signature",
            }
        )
    store.log_event("voice_command", datetime(2026, 11, 3, 9, tzinfo=UTC), {"intent": "too_strong"})


def test_round_trip_through_a_real_store(fresh_store):
    insert_examples(fresh_store)
    rows, period = read_rows(fresh_store, date(2026, 11, 2), date(2026, 11, 8), UTC)
    assert [s.id for s in rows.sessions] == [1, 2]
    assert rows.sessions[1].planned_for == datetime(2026, 11, 3, 10, tzinfo=UTC)
    assert rows.exercises[0].synkinesis == ("eye_narrowing",) and rows.exercises[0].details["frames"] == 200
    assert rows.reminders[0].acked_at == datetime(2026, 11, 2, 22, 20, tzinfo=UTC)
    assert rows.reminders[0].late_seconds == 1200.0
    assert rows.stim[0].sites == ("frontalis",) and rows.stim[0].parameters == {"frequency_hz": 30}
    assert rows.events[0].data == {"intent": "too_strong"}
    assert any("sessions row 3" in p for p in rows.read_problems)
    assert any("exercise_results row 2" in p and "bad JSON" in p for p in rows.read_problems)
    s = build_summary(rows, period, datetime(2026, 11, 9, tzinfo=UTC), patient="P", device_id="d", software_version="v")
    assert s["eye_care"]["reminders"][0]["outcome"] == "late"
    assert s["plan"]["received"][0]["reason"] == "bad signature"
    assert len(s["data_quality"]["unreadable_rows"]) == 2
    assert s["patient_reports"][0]["issue"] == "too strong"


def test_missing_table_is_reported_not_fatal(fresh_store):
    fresh_store.db.execute("DROP TABLE reminder_acks")
    rows, _ = read_rows(fresh_store, date(2026, 11, 2), date(2026, 11, 8), UTC)
    assert any(p.startswith("reminder_acks: cannot be read") for p in rows.read_problems)
