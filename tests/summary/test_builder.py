"""The pure builder on hand-made rows with answers worked out by hand."""

from datetime import UTC, date, datetime

from kiosk.summary.builder import build_summary
from kiosk.summary.model import EventRow, ExerciseRow, Period, PlanRow, ReminderRow, Rows, SessionRow, StimRow
from kiosk.summary.synthetic import synthetic_rows

PERIOD = Period(date(2026, 11, 2), date(2026, 11, 8))  # Mon..Sun
NOW = datetime(2026, 11, 9, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def ex(i, day, exercise, left, right, ratio, syn=(), hold=5.0, details=None):
    return ExerciseRow(
        i,
        i,
        exercise,
        at(day),
        5,
        5,
        hold,
        left,
        right,
        left * 10,
        right * 10,
        ratio,
        "left",
        syn,
        "good",
        details or {},
    )


def build(rows: Rows, period: Period = PERIOD) -> dict:
    return build_summary(rows, period, NOW, patient="P-1", device_id="fc-x", software_version="0.1.0")


def test_adherence_counts_minutes_calendar_and_windows():
    sessions = (
        SessionRow(1, at(2), at(2), at(2, 10, 15), "done", 3, 15.0),
        SessionRow(2, at(3), at(3), at(3, 10, 5), "partial", 3, 5.0),
        SessionRow(3, at(4), None, None, "missed", 3, 0.0),
        SessionRow(4, at(4, 17), at(4, 17), at(4, 17, 10), "stopped", 3, 10.0),
        SessionRow(5, at(10), at(10), None, "done", 3, 20.0),  # outside the period
    )
    a = build(Rows(sessions=sessions))["adherence"]
    assert (a["sessions_planned"], a["sessions_done"], a["sessions_partial"], a["sessions_missed"]) == (4, 1, 2, 1)
    assert a["minutes"] == 30.0 and a["done_rate"] == 0.25
    assert a["days_with_data"] == 3  # the 2nd, 3rd and 4th
    assert a["windows"] == [{"from": "2026-11-02", "to": "2026-11-08", "days": 7, "days_with_data": 3}]
    assert len(a["calendar"]) == 7 and a["calendar"][2] == {
        "date": "2026-11-04",
        "planned": 2,
        "done": 0,
        "partial": 1,
        "missed": 1,
        "extra": 0,
        "minutes": 10.0,
    }


def test_thirty_day_windows_split_a_long_period():
    period = Period(date(2026, 9, 1), date(2026, 11, 8))  # 69 days
    rows = Rows(exercises=tuple(ex(i, 1 + i, "brow_lift", 2, 8, 0.25) for i in range(3)))
    windows = build(rows, period)["adherence"]["windows"]
    assert [w["days"] for w in windows] == [30, 30, 9]
    assert [w["days_with_data"] for w in windows] == [0, 0, 3]  # Nov 1-3 fall in the last window


def test_movement_symmetry_trend_and_hold_quality():
    rows = Rows(
        exercises=(
            ex(1, 2, "open_smile", 2.0, 10.0, 0.2, details={"hold_target_seconds": 5}),
            ex(2, 3, "open_smile", 4.0, 10.0, 0.4, hold=3.0, details={"hold_target_seconds": 5}),
            ex(3, 9, "open_smile", 6.0, 10.0, 0.6),  # next day: ignored
        )
    )
    (e,) = build(rows)["exercises"]
    assert e["results"] == 2 and e["reps_done"] == 10
    assert e["left"]["movement_mm"] == {"start": 3.0, "end": 3.0, "mean": 3.0}
    assert e["symmetry"]["start"] == 0.3 and e["symmetry"]["slope_per_week"] == 1.4  # +0.2 in 1 day = 1.4/week
    assert e["hold"]["holds_meeting_target"] == 1 and e["hold"]["holds_with_target"] == 2
    assert [d["symmetry_ratio"] for d in e["daily"]] == [0.2, 0.4]


def test_ratio_above_one_is_read_as_weaker_over_stronger():
    (e,) = build(Rows(exercises=(ex(1, 2, "snarl", 8.0, 4.0, 2.0),)))["exercises"]
    assert e["daily"][0]["symmetry_ratio"] == 0.5


def test_sunnybrook_estimate_with_evidence_and_synkinesis_flags():
    names = ["brow_lift", "gentle_eye_closure", "open_smile", "snarl", "lip_pucker"]
    ratios = [0.05, 0.2, 0.5, 0.8, 0.95]  # -> scores 1, 2, 3, 4, 5
    rows = [ex(i, 8, name, 1, 5, r) for i, (name, r) in enumerate(zip(names, ratios, strict=True))]
    rows.append(ex(9, 8, "open_smile", 1, 5, 0.5, syn=("eye_narrowing",)))
    s = build(Rows(exercises=tuple(rows)))
    sb = s["sunnybrook_estimate"]
    assert sb["is_estimate"] is True and "estimate" in sb["label"].lower()
    assert [e["voluntary_movement"] for e in sb["expressions"]] == [1, 2, 3, 4, 5]
    assert sb["voluntary_movement_score"] == 4 * 15
    smile = sb["expressions"][2]
    assert smile["synkinesis"] == 2 and smile["evidence"]["synkinesis_share"] == 0.5
    assert sb["synkinesis_score"] == 2 and sb["composite_score"] is None  # resting symmetry not measured
    assert s["synkinesis_flags"] == [
        {
            "exercise": "open_smile",
            "flag": "eye_narrowing",
            "count": 1,
            "share_of_results": 0.5,
            "first_seen": at(8).isoformat(),
            "last_seen": at(8).isoformat(),
            "blocked_stimulation": 0,
        }
    ]


def test_sunnybrook_totals_absent_when_an_expression_is_missing():
    sb = build(Rows(exercises=(ex(1, 8, "brow_lift", 1, 5, 0.5),)))["sunnybrook_estimate"]
    assert sb["voluntary_movement_score"] is None and sb["notes"]


def test_eye_care_outcomes_and_night_routine():
    r = (
        ReminderRow(1, "day_drops", "drops", at(2, 8), "acknowledged", 0, None, at(2, 8, 2), "voice", 120.0),
        ReminderRow(
            2, "day_drops", "drops", at(2, 10), "acknowledged", 2, at(2, 10, 15), at(2, 10, 30), "touch", 1800.0
        ),
        ReminderRow(3, "day_drops", "drops", at(2, 12), "missed", 3, at(2, 12, 15)),
        ReminderRow(4, "night_routine", "ointment", at(2, 22), "acknowledged", 0, None, at(2, 22, 1), "button", 60.0),
        ReminderRow(5, "night_routine", "ointment", at(3, 22), "missed", 3, at(3, 22, 15)),
        ReminderRow(6, "day_drops", "drops", at(8, 20), "announced", 1),
    )
    eye = build(Rows(reminders=r))["eye_care"]
    assert [x["outcome"] for x in eye["reminders"]] == ["on_time", "late", "missed", "on_time", "missed", "open"]
    assert eye["items"][0] == {
        "item_id": "day_drops",
        "kind": "drops",
        "due": 4,
        "on_time": 1,
        "late": 1,
        "missed": 1,
        "open": 1,
    }
    assert eye["night_routine"] == {
        "nights_due": 2,
        "nights_done": 1,
        "adherence": 0.5,
        "missed_nights": ["2026-11-03"],
        "nights_pending": [],
    }
    assert eye["caregiver_alerts"] == 3


def test_stimulation_reports_quality_plans_and_device_health():
    stim = (
        StimRow(1, at(4, 14), at(4, 14, 10), "left", ("frontalis",), {}, 3.0, "completed", 3),
        StimRow(2, at(5, 14), at(5, 14, 3), "left", ("frontalis",), {}, 3.5, "too strong", 3),
    )
    events = (
        EventRow(1, at(2, 7), "kiosk_started"),
        EventRow(2, at(3, 7), "voice_command", {"intent": "pain", "transcript": "it hurts"}),
        EventRow(3, at(3, 8), "voice_command", {"intent": "repeat", "transcript": "my eye is burning"}),
        EventRow(4, at(4, 7), "kiosk_started"),  # no stop before: an unclean restart
        EventRow(5, at(6, 7), "kiosk_stopped"),
        EventRow(6, at(7, 7), "kiosk_started"),
        EventRow(7, at(4, 9), "frames_rejected", {"reason": "no_face", "count": 4}),
    )
    exercises = (
        ex(1, 4, "brow_lift", 1, 5, 0.2, details={"frames": 100, "rejected": {"too_dark": 6}}),
        ExerciseRow(2, 1, "brow_lift", at(4), details={"frames": 50, "rejected": {"no_face": 50}}),
    )
    plans = (PlanRow(3, at(1), at(1), "applied"), PlanRow(2, at(5), None, "refused", "version 2 is not newer"))
    s = build(Rows(exercises=exercises, stim=stim, events=events, plans=plans, read_problems=("sessions row 9: x",)))
    assert s["stimulation"]["minutes_by_side"] == {"left": 13.0} and s["stimulation"]["stopped_early"] == 1
    issues = [(p["source"], p["issue"]) for p in s["patient_reports"]]
    assert issues == [("voice_command", "pain"), ("voice_command", "pain words"), ("stimulation", "too strong")]
    dq = s["data_quality"]
    assert (dq["frames_total"], dq["frames_rejected"], dq["rejected_reasons"]) == (
        150,
        60,
        {"no_face": 54, "too_dark": 6},
    )
    assert dq["results_without_measurement"] == 1 and dq["unreadable_rows"] == ["sessions row 9: x"]
    assert s["plan"]["current_version"] == 3 and s["plan"]["refused"] == 1
    assert s["plan"]["received"][0]["reason"] == "version 2 is not newer"
    dh = s["device_health"]
    # up: 2nd 07:00 -> 4th 07:00 minus the gap after the last event before the restart (3rd 08:00): 25 h;
    # 4th 07:00 -> 6th 07:00: 48 h (the frames event does not end a run); 7th 07:00 -> period end (9th 00:00): 41 h.
    assert dh["uptime_hours"] == 25 + 48 + 41
    assert dh["starts"] == 3 and dh["restarts"] == 2 and dh["unclean_restarts"] == 1
    assert dh["time_off_hours"] == 7 * 24 - (25 + 48 + 41)


def test_device_health_unknown_without_start_events():
    assert build(Rows())["device_health"]["uptime_hours"] is None


def test_synthetic_data_is_deterministic_and_plausible():
    rows_a, period = synthetic_rows(4, date(2026, 11, 8), seed=3)
    rows_b, _ = synthetic_rows(4, date(2026, 11, 8), seed=3)
    assert rows_a == rows_b and period.days == 28
    s = build_summary(rows_a, period, NOW, patient="P", device_id="d", software_version="v", synthetic=True)
    assert s["synthetic"] is True
    assert 0.6 < s["adherence"]["done_rate"] < 0.95
    smile = next(e for e in s["exercises"] if e["exercise"] == "open_smile")
    assert smile["symmetry"]["end"] > smile["symmetry"]["start"] + 0.1  # recovering
    assert s["adherence"]["calendar"][0]["date"] == "2026-10-12" and len(s["adherence"]["calendar"]) == 28
