"""What a session stores per exercise and side, at the moment it happens (issue 20)."""

import json
from datetime import UTC, datetime

from kiosk.devices.fakes import FakeSpeaker
from kiosk.session.controller import SessionController
from kiosk.session.exercise_record import ExerciseTally, hold_on_target
from kiosk.session.flow import ExerciseDone, Phase, SessionFlow
from kiosk.session.steps import ExerciseStep, Measurement, RepRecord, SessionPlan, StimOffer
from stim_hat.reasons import Reason

SMILE = ExerciseStep("open_smile", "Open smile", "open_smile", ("Smile.",), "Smile gently.", reps=3, hold_seconds=5)


def measured(t: float, phase: Phase) -> Measurement:
    """A face whose left side moves 4 mm (40 %) and right 8 mm (80 %); every fifth frame refused as too dark;
    the eye narrows with the smile in the second hold only (co-movement)."""
    frame = int(t * 10)
    if frame % 5 == 0:
        return Measurement(usable=False, hint="More light, please.", refused=("too_dark",))
    co = phase is Phase.HOLD and 20 <= t % 60 < 40
    return Measurement(
        usable=True,
        left_pct=40.0,
        right_pct=80.0,
        left_mm=4.0,
        right_mm=8.0,
        synkinesis=co,
        flags=("eye_narrowing_left",) if co else (),
    )


class Camera:
    """A MovementSource that gives a new frame every tick (10 per second)."""

    def __init__(self, flow_of) -> None:
        self.flow_of = flow_of

    def latest(self, now: float, phase: Phase) -> Measurement | None:
        return measured(now, phase)

    def set_metric(self, metric):
        return None

    def calibrate(self, start):
        return None


def test_holds_are_on_target_only_when_kept_steady():
    steady = RepRecord(left=[20, 21, 20, 22], right=[50, 52, 51, 50])
    flick = RepRecord(left=[5, 5, 5, 5], right=[60, 10, 8, 9])
    assert hold_on_target(steady) is True and hold_on_target(flick) is False
    assert hold_on_target(RepRecord(left=[20], right=[50])) is None  # too few frames to judge


def test_the_tally_counts_each_camera_frame_once():
    tally = ExerciseTally()
    seen = Measurement(usable=True, left_pct=1, right_pct=1)
    for m in (seen, Measurement(usable=True, new_frame=False), Measurement(usable=False, refused=("no_face",))):
        tally.add(m)
    tally.add(Measurement(usable=False, refused=("no_face", "too_dark"), new_frame=False))
    assert tally.numbers([])["frames_used"] == 1 and tally.numbers([])["frames_refused"] == (("no_face", 1),)


def test_the_flow_reports_mm_percent_holds_frames_and_co_movement():
    flow = SessionFlow(SessionPlan((SMILE,), camera_needed=False))
    effects, t = flow.start(0.0), 0.0
    while flow.phase is not Phase.SUMMARY and t < 200:
        effects += flow.tick(t, measured(t, flow.phase))
        t += 0.1
    (done,) = [e for e in effects if isinstance(e, ExerciseDone)]
    assert (done.left_mm, done.right_mm) == (4.0, 8.0)
    assert (done.left_pct, done.right_pct) == (40.0, 80.0)
    assert done.holds_measured == 3 and done.holds_on_target == 3
    refused = dict(done.frames_refused)["too_dark"]
    assert done.frames_used > 100 and abs(refused / (refused + done.frames_used) - 0.2) < 0.01  # every fifth frame
    assert done.co_movement_holds >= 1 and done.co_movement == ("eye_narrowing_left",)


class RefusingStim:
    """The board refuses the start as the safety rules do when co-movement is flagged."""

    # The reason exactly as stim_hat.safety's synkinesis rule gives it (a keyed Reason, not just words).
    reason = Reason(
        "co_movement", "The camera saw unwanted co-movement. Stimulation waits until your therapist has checked it."
    )

    def start(self, source):
        return False, self.reason

    def stop(self, reason):
        return None

    def lower(self, source):
        return None

    def stronger(self, source):
        return False, self.reason

    def record_checklist(self, cleared, answers):
        return None

    def precheck(self):
        return self.allowed_before, self.reason

    allowed_before = True  # the test below: the rules refuse only at the touch on Start


def test_the_stored_row_has_every_figure_and_a_refused_block_marks_the_co_movement(fresh_store):
    offer = StimOffer("left", 10.0, 4.0, {})
    plan = SessionPlan((SMILE,), camera_needed=False, plan_version=3, stimulation=offer)
    wall = datetime(2026, 11, 3, 10, tzinfo=UTC)
    ctl = SessionController(plan, FakeSpeaker(), fresh_store, Camera(None), lambda: wall, stim=RefusingStim())
    ctl.start(0.0)
    ctl.flow.synkinesis_reps = 2  # the camera saw co-movement in two holds of this session
    t = 0.0
    while ctl.flow.phase is not Phase.STIMULATION and t < 200:
        ctl.tick(t)
        t += 0.1
    (row,) = fresh_store.db["exercise_results"].rows
    details = json.loads(row["details"])
    assert (row["left_mm"], row["right_mm"], row["left_pct"], row["right_pct"]) == (4.0, 8.0, 40.0, 80.0)
    assert row["symmetry_ratio"] == 0.5 and row["weaker_side"] == "left" and row["quality"] == "measured"
    assert details["holds_measured"] == 3 and details["holds_on_target"] == 3 and details["hold_target_seconds"] == 5
    assert details["frames"] == details["frames_used"] + details["rejected"]["too_dark"]
    ctl.command("start_stimulation", t, "touch")  # the patient touches Start; the rules refuse
    events = [r for r in fresh_store.db["event_log"].rows if r["kind"] == "stimulation_blocked"]
    (row,) = fresh_store.db["exercise_results"].rows
    assert json.loads(row["details"])["co_movement_holds"] >= 1
    assert json.loads(row["details"])["blocked_stimulation"] is True
    assert json.loads(row["synkinesis"]) == ["eye_narrowing_left"]
    assert [json.loads(e["data"])["by"] for e in events] == ["co_movement"]


class CalibratingCamera(Camera):
    """A camera whose neutral calibration gives resting-symmetry evidence."""

    def calibrate(self, start):
        return None if start else {"frames_used": 30, "items": {"left": {"rest_eye": 1}, "right": {"rest_eye": 0}}}


def test_co_movement_that_refuses_the_block_before_the_offer_is_recorded_too(fresh_store):
    offer = StimOffer("left", 10.0, 4.0, {})
    plan = SessionPlan((SMILE,), camera_needed=False, plan_version=3, stimulation=offer)
    wall = datetime(2026, 11, 3, 10, tzinfo=UTC)
    stim = RefusingStim()
    stim.allowed_before = False  # the real StimControl.precheck refuses while co-movement is flagged
    ctl = SessionController(plan, FakeSpeaker(), fresh_store, Camera(None), lambda: wall, stim=stim)
    ctl.start(0.0)
    ctl.flow.synkinesis_reps = 2
    t = 0.0
    while ctl.flow.phase is not Phase.STIMULATION and t < 200:
        ctl.tick(t)
        t += 0.1
    events = [r for r in fresh_store.db["event_log"].rows if r["kind"] == "stimulation_blocked"]
    assert [json.loads(e["data"])["by"] for e in events] == ["co_movement"]
    (row,) = fresh_store.db["exercise_results"].rows
    assert json.loads(row["details"])["blocked_stimulation"] is True
    assert ctl.flow.view(t).stim_blocked


def test_the_resting_symmetry_evidence_of_each_calibration_is_stored(fresh_store):
    plan = SessionPlan((SMILE,), camera_needed=True)
    wall = datetime(2026, 11, 3, 10, tzinfo=UTC)
    ctl = SessionController(plan, FakeSpeaker(), fresh_store, CalibratingCamera(None), lambda: wall)
    ctl.start(0.0)
    t = 0.0
    while ctl.flow.phase is not Phase.EXPLAIN and t < 60:
        ctl.tick(t)
        t += 0.1
    (event,) = [r for r in fresh_store.db["event_log"].rows if r["kind"] == "resting_symmetry_estimated"]
    data = json.loads(event["data"])
    assert data["items"]["left"] == {"rest_eye": 1} and data["session_id"] == ctl.session_id


def test_a_refusal_for_another_reason_is_not_blamed_on_co_movement(fresh_store):
    class NoBoard(RefusingStim):
        reason = "The stimulation board is not connected."

    offer = StimOffer("left", 10.0, 4.0, {})
    plan = SessionPlan((SMILE,), camera_needed=False, plan_version=3, stimulation=offer)
    wall = datetime(2026, 11, 3, 10, tzinfo=UTC)
    ctl = SessionController(plan, FakeSpeaker(), fresh_store, Camera(None), lambda: wall, stim=NoBoard())
    ctl.start(0.0)
    ctl.flow.synkinesis_reps = 2
    t = 0.0
    while ctl.flow.phase is not Phase.STIMULATION and t < 200:
        ctl.tick(t)
        t += 0.1
    ctl.command("start_stimulation", t, "touch")
    (row,) = fresh_store.db["exercise_results"].rows
    assert json.loads(row["details"])["blocked_stimulation"] is False
    assert not [r for r in fresh_store.db["event_log"].rows if r["kind"] == "stimulation_blocked"]
