"""One test per defect the real kiosk's data showed in the summary (issue 20)."""

from datetime import UTC, date, datetime, timedelta

from kiosk.summary.builder import build_summary
from kiosk.summary.fhir_out import to_fhir_bundle
from kiosk.summary.model import Period, ReminderRow, Rows, StimRow

PERIOD = Period(date(2026, 11, 2), date(2026, 11, 8))


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


NOW = at(9, 12)


def build(rows: Rows, now: datetime = NOW, period: Period = PERIOD) -> dict:
    return build_summary(rows, period, now, patient="P-1", device_id="fc-x", software_version="0.1.0")


def block(i: int, day: int, minutes: float | None, reason: str, end_code: str = "") -> StimRow:
    start = at(day, 14)
    stop = None if minutes is None else start + timedelta(minutes=minutes)
    params = {"block_minutes": 10.0}
    return StimRow(i, start, stop, "left", ("frontalis",), params, 3.0, reason, 3, end_code)


def _procedures(summary: dict) -> list[dict]:
    bundle = to_fhir_bundle(summary)
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"]


def test_a_block_the_runner_ended_with_block_finished_is_a_normal_end():
    s = build(Rows(stim=(block(1, 3, 10, "block finished"),)))
    b = s["stimulation"]["blocks"][0]
    assert (b["end_code"], b["stopped_early"], s["stimulation"]["stopped_early"]) == ("finished", False, 0)
    (proc,) = _procedures(s)
    assert proc["status"] == "completed" and "statusReason" not in proc


def test_end_codes_from_the_words_of_todays_rows():
    rows = (
        block(1, 3, 4, "Stopped by you (touch)."),
        block(2, 4, 2, "Stimulation is blocked while co-movement is flagged."),
        block(3, 5, 1, "fault: the board cut the output by itself"),
    )
    s = build(Rows(stim=rows))
    assert [b["end_code"] for b in s["stimulation"]["blocks"]] == ["patient_stop", "rule", "fault"]
    assert s["stimulation"]["stopped_early"] == 3
    assert [p["status"] for p in _procedures(s)] == ["stopped"] * 3
    assert _procedures(s)[0]["statusReason"]["text"] == "stopped by the patient: Stopped by you (touch)."


def test_the_ledgers_end_code_wins_over_the_words():
    s = build(Rows(stim=(block(1, 3, 10, "the words say something else", end_code="finished"),)))
    assert s["stimulation"]["blocks"][0]["end_code"] == "finished"


def test_a_row_never_closed_is_interrupted_and_counts_its_whole_planned_length():
    s = build(Rows(stim=(block(1, 3, None, ""),)))
    b = s["stimulation"]["blocks"][0]
    assert (b["end_code"], b["minutes"], b["stopped_early"]) == ("interrupted", 10.0, True)
    assert s["stimulation"]["minutes_by_side"] == {"left": 10.0}
    (proc,) = _procedures(s)
    assert proc["status"] == "stopped"


def test_a_block_still_running_is_neither_interrupted_nor_counted_yet():
    s = build(Rows(stim=(block(1, 8, None, ""),)), now=at(8, 14, 5))
    b = s["stimulation"]["blocks"][0]
    assert (b["end_code"], b["stopped_early"]) == ("running", False)
    assert _procedures(s)[0]["status"] == "in-progress"


def test_tonights_ointment_is_not_a_missed_night_in_the_morning():
    ointment = ReminderRow(1, "night_routine", "ointment", at(8, 22), "due")
    drops = ReminderRow(2, "day_drops", "drops", at(8, 8), "acknowledged", 0, None, at(8, 8, 1), "touch", 60.0)
    eye = build(Rows(reminders=(drops, ointment)), now=at(8, 9))["eye_care"]
    assert eye["night_routine"]["missed_nights"] == [] and eye["night_routine"]["nights_due"] == 0
    assert eye["night_routine"]["nights_pending"] == ["2026-11-08"]
    assert [r["outcome"] for r in eye["reminders"]] == ["on_time", "upcoming"]
    night_item = next(i for i in eye["items"] if i["item_id"] == "night_routine")
    assert night_item["due"] == 0 and night_item["missed"] == 0


def test_cancelled_reminders_are_not_listed_as_open():
    cancelled = ReminderRow(1, "day_drops", "drops", at(5, 14), "cancelled")
    open_one = ReminderRow(2, "day_drops", "drops", at(5, 16), "announced", 1)
    eye = build(Rows(reminders=(cancelled, open_one)))["eye_care"]
    assert [r["outcome"] for r in eye["reminders"]] == ["open"]
    assert eye["cancelled"] == 1 and eye["items"][0]["due"] == 1


def test_the_pdf_says_no_none_draws_no_empty_chart_and_gives_units(tmp_path):
    import shutil
    import subprocess

    import pytest

    from kiosk.summary.model import ExerciseRow, SessionRow
    from kiosk.summary.pdf_charts import trend_chart
    from kiosk.summary.pdf_out import to_pdf_bytes

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    sessions = (SessionRow(1, at(3), at(3), at(3, 10, 15), "done", 3, 15.0),)
    measured = ExerciseRow(1, 1, "brow_lift", at(3), 5, 5, 5.0, 3.0, 6.0, 40.0, 80.0, 0.5)
    unmeasured = ExerciseRow(2, 1, "cheek_puff", at(3), 5, 5, 5.0, quality="not measured")
    s = build(Rows(sessions=sessions, exercises=(measured, unmeasured)))
    by_name = {e["exercise"]: e for e in s["exercises"]}
    assert trend_chart(by_name["cheek_puff"], s["period"]["from"]) is None
    assert trend_chart(by_name["brow_lift"], s["period"]["from"]) is not None
    pdf = tmp_path / "s.pdf"
    pdf.write_bytes(to_pdf_bytes(s))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "None" not in text
    assert "cheek_puff: not measured by the camera." in text
    assert "15 min" in text and "3.0 mm to 3.0 mm" in text and "1 of 1 session" in text
    assert "not estimated" in text  # Sunnybrook-style items without evidence say so in words


def test_what_the_kiosk_stored_per_hold_and_co_movement_reaches_the_summary():
    from kiosk.summary.model import ExerciseRow

    details = {
        "holds_measured": 3,
        "holds_on_target": 2,
        "hold_target_seconds": 5.0,
        "frames": 120,
        "frames_used": 100,
        "rejected": {"too_dark": 20},
        "co_movement_holds": 2,
        "blocked_stimulation": True,
    }
    row = ExerciseRow(
        1,
        1,
        "open_smile",
        at(3),
        3,
        3,
        5.0,
        4.0,
        8.0,
        40.0,
        80.0,
        0.5,
        "left",
        ("eye_narrowing_left",),
        "measured",
        details,
    )
    s = build(Rows(exercises=(row,)))
    (smile,) = s["exercises"]
    assert (smile["hold"]["holds_meeting_target"], smile["hold"]["holds_with_target"]) == (2, 3)
    assert smile["left"]["movement_mm"]["end"] == 4.0 and smile["right"]["pct_of_baseline"]["end"] == 80.0
    (flag,) = s["synkinesis_flags"]
    assert (flag["flag"], flag["blocked_stimulation"]) == ("eye_narrowing_left", 1)
    dq = s["data_quality"]
    assert (dq["frames_total"], dq["frames_rejected"], dq["results_without_measurement"]) == (120, 20, 0)


def test_planned_counts_scheduled_slots_not_presses_of_start():
    from kiosk.summary.model import SessionRow

    sessions = (
        SessionRow(1, at(2), at(2), at(2, 10, 15), "done", 3, 15.0),  # filled its slot
        SessionRow(2, at(3), None, None, "missed", 3, 0.0),  # the kiosk recorded the slot missed
        SessionRow(3, None, at(3, 18), at(3, 18, 12), "done", 3, 12.0),  # extra: outside every slot
        SessionRow(4, None, at(4, 9), None, "running", 3, 0.0),  # started, never ended: no planned slot
    )
    a = build(Rows(sessions=sessions))["adherence"]
    assert (a["sessions_planned"], a["sessions_done"], a["sessions_missed"], a["sessions_extra"]) == (2, 1, 1, 1)
    assert a["done_rate"] == 0.5 and a["minutes"] == 27.0 and a["days_with_data"] == 2


def test_massage_is_not_a_missing_measurement():
    from kiosk.summary.model import ExerciseRow

    massage = ExerciseRow(1, 1, "cheek_massage", at(3), 1, 1, 60.0, quality="not a camera exercise")
    massage = ExerciseRow(**{**massage.__dict__, "details": {"measurable": False}})
    lost = ExerciseRow(2, 1, "brow_lift", at(3), 3, 3, 5.0, quality="not measured", details={"measurable": True})
    dq = build(Rows(exercises=(massage, lost)))["data_quality"]
    assert (dq["results_without_measurement"], dq["results_not_camera_exercises"]) == (1, 1)


def test_the_dose_ledgers_rows_are_read_with_their_own_lengths_and_codes():
    from dataclasses import replace

    closed = replace(block(1, 3, 10, "The kiosk was closed.", end_code="interrupted"), elapsed_s=240.0)
    unclosed = replace(block(2, 4, None, ""), planned_s=300.0, parameters={})  # power cut: never closed
    finished = replace(block(3, 5, 10, "block finished", end_code="finished"), elapsed_s=597.0)
    s = build(Rows(stim=(closed, unclosed, finished)))
    blocks = s["stimulation"]["blocks"]
    assert [b["end_code"] for b in blocks] == ["interrupted", "interrupted", "finished"]
    assert [b["minutes"] for b in blocks] == [4.0, 5.0, 9.95]  # monotonic seconds; planned_s for the cut one
    assert s["stimulation"]["stopped_early"] == 2 and [p["status"] for p in _procedures(s)] == ["stopped"] * 2 + [
        "completed"
    ]


def test_the_ledger_columns_are_read_from_the_store(fresh_store):
    from kiosk.summary.rows import read_rows

    with fresh_store.critical() as db:
        db["stim_log"].insert(
            {"started_at": at(3, 14).isoformat(), "side": "left", "stop_reason": "", "planned_s": 600.0},
            alter=True,
        )
        db["stim_log"].insert(
            {
                "started_at": at(4, 14).isoformat(),
                "stopped_at": at(4, 14, 10).isoformat(),
                "side": "left",
                "stop_reason": "block finished",
                "end_code": "finished",
                "planned_s": 600.0,
                "elapsed_s": 600.0,
            },
            alter=True,
        )
    rows, period = read_rows(fresh_store, PERIOD.start, PERIOD.end, UTC)
    s = build(rows, period=period)
    assert [(b["end_code"], b["minutes"]) for b in s["stimulation"]["blocks"]] == [
        ("interrupted", 10.0),
        ("finished", 10.0),
    ]
