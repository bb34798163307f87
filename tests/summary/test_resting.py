"""Resting symmetry from the neutral calibrations: one definition, labelled an estimate, withheld when thin."""

from datetime import UTC, date, datetime

from coach.sunnybrook import MIN_RESTING_FRAMES, resting_estimate, resting_score
from kiosk.summary.builder import build_summary
from kiosk.summary.model import EventRow, ExerciseRow, Period, Rows

PERIOD = Period(date(2026, 11, 2), date(2026, 11, 8))


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 10, tzinfo=UTC)


def calibration_event(i: int, day: int, left: dict) -> EventRow:
    right = {"rest_eye": 0, "rest_cheek": 0, "rest_mouth": 0}
    return EventRow(i, at(day), "resting_symmetry_estimated", {"items": {"left": left, "right": right}})


def weaker_left(i: int, day: int, exercise: str = "open_smile", ratio: float = 0.5) -> ExerciseRow:
    return ExerciseRow(i, i, exercise, at(day), 5, 5, 5.0, 2.0, 4.0, 20.0, 40.0, ratio, "left")


def build(rows: Rows) -> dict:
    return build_summary(rows, PERIOD, at(9), patient="P-1", device_id="fc-x", software_version="0")


def test_three_calibrations_give_the_median_items_for_the_weaker_side():
    events = (
        calibration_event(1, 6, {"rest_eye": 1, "rest_cheek": 1, "rest_mouth": 1}),
        calibration_event(2, 7, {"rest_eye": 1, "rest_cheek": 0, "rest_mouth": 1}),
        calibration_event(3, 8, {"rest_eye": 1, "rest_cheek": 0, "rest_mouth": 0}),
    )
    names = ("brow_lift", "gentle_eye_closure", "open_smile", "snarl", "lip_pucker")
    exercises = tuple(weaker_left(i, 8, name) for i, name in enumerate(names))
    sb = build(Rows(exercises=exercises, events=events))["sunnybrook_estimate"]
    rest = sb["resting_symmetry"]
    assert rest["items"] == {"rest_eye": 1, "rest_cheek": 0, "rest_mouth": 1} and rest["affected_side"] == "left"
    assert sb["resting_symmetry_score"] == 2 and rest["is_estimate"] is True and "estimate" in rest["label"]
    # every expression ratio 0.5 -> 3 points each: 4 x 15 = 60; composite = 60 - 5 x 2 - 0
    assert sb["voluntary_movement_score"] == 60 and sb["composite_score"] == 50
    assert any("estimate from the relaxed face" in n for n in sb["notes"])


def test_withheld_with_the_reason_when_evidence_is_thin():
    events = (calibration_event(1, 7, {"rest_eye": 1, "rest_cheek": 0, "rest_mouth": 0}),)
    sb = build(Rows(exercises=(weaker_left(1, 8),), events=events))["sunnybrook_estimate"]
    assert sb["resting_symmetry_score"] is None
    assert "only 1 relaxed-face calibrations" in sb["resting_symmetry"]["withheld_because"]
    assert any(n.startswith("Resting symmetry withheld") for n in sb["notes"])
    unclear = build(Rows(events=events * 3))["sunnybrook_estimate"]["resting_symmetry"]
    assert unclear["withheld_because"] == "which side is affected is not clear from the exercises"


def test_the_therapists_rating_wins_over_the_estimate():
    rated = EventRow(9, at(8), "resting_symmetry_rated", {"score": 3})
    sb = build(Rows(events=(rated,)))["sunnybrook_estimate"]
    assert sb["resting_symmetry_score"] == 3 and sb["resting_symmetry"]["source"] == "therapist"


def test_a_calibration_with_few_relaxed_frames_is_no_evidence(monkeypatch):
    from coach import sunnybrook

    class Cal:
        frames_used = MIN_RESTING_FRAMES - 1

    assert resting_estimate(Cal()) is None
    Cal.frames_used = MIN_RESTING_FRAMES
    monkeypatch.setattr(sunnybrook, "resting_items", lambda cal, side: {"rest_eye": int(side == "left")})
    assert resting_estimate(Cal())["items"] == {"left": {"rest_eye": 1}, "right": {"rest_eye": 0}}
    assert resting_score({"rest_eye": 1, "rest_cheek": 2, "rest_mouth": 1}) == 20
