"""The pure session flow, driven in accelerated time."""

from kiosk.session.flow import (
    Calibrate,
    ExerciseDone,
    Measure,
    Phase,
    Say,
    SessionEnded,
    SessionFlow,
    SpeechRate,
)
from kiosk.session.steps import ExerciseStep, Measurement, SessionPlan

BROW = ExerciseStep(
    "brow_lift",
    "Brow lift",
    "brow_lift",
    ("Lift your eyebrows gently.",),
    "Gently lift your eyebrows.",
    reps=2,
    hold_seconds=5,
    rest_seconds=3,
)
SMILE = ExerciseStep(
    "closed_smile",
    "Closed smile",
    "closed_smile",
    ("Smile with closed lips.",),
    "Smile gently.",
    reps=2,
    hold_seconds=5,
    rest_seconds=3,
)
GOOD = Measurement(usable=True, left_pct=40.0, right_pct=30.0)


def run(flow, until, step=0.1, t0=0.0, measurement=GOOD, stop_when=None):
    effects, t = [], t0
    while t < until and not flow.finished and flow.phase is not Phase.SUMMARY:
        effects += flow.tick(t, measurement)
        if stop_when and stop_when(flow):
            break
        t += step
    return effects, t


def of(effects, kind):
    return [e for e in effects if isinstance(e, kind)]


def test_whole_session_reaches_summary_with_measured_results():
    flow = SessionFlow(SessionPlan((BROW, SMILE)))
    effects = flow.start(0.0)
    more, t = run(flow, 300)
    effects += more
    assert flow.phase is Phase.SUMMARY
    done = of(effects, ExerciseDone)
    assert [d.exercise for d in done] == ["brow_lift", "closed_smile"]
    assert all(d.reps_done == 2 and d.measured for d in done)
    assert done[0].left_pct == 40.0 and done[0].right_pct == 30.0
    assert of(effects, SessionEnded)[0].status == "done"
    assert Calibrate(True) in effects and Calibrate(False) in effects
    assert Measure("brow_lift") in effects
    spoken = [s.text for s in of(effects, Say)]
    assert "Gently lift your eyebrows." in spoken and "Hold it gently." in spoken


def test_without_a_usable_camera_the_session_still_runs_unmeasured():
    flow = SessionFlow(SessionPlan((BROW,)))
    effects = flow.start(0.0)
    more, _ = run(flow, 300, measurement=Measurement(usable=False, hint="Please move closer."))
    effects += more
    done = of(effects, ExerciseDone)[0]
    assert done.reps_done == 2 and done.measured is False and done.left_pct is None
    assert any("cannot see your face" in s.text for s in of(effects, Say))


def test_stop_during_a_hold_ends_at_once_and_counts_only_finished_reps():
    flow = SessionFlow(SessionPlan((BROW, SMILE)))
    flow.start(0.0)
    _, t = run(flow, 300, stop_when=lambda f: f.phase is Phase.HOLD and f.rep == 2)
    effects = flow.command("stop", t)
    assert flow.phase is Phase.SUMMARY
    assert effects[-1] == SessionEnded("partial", round(t / 60, 2))
    done = of(effects, ExerciseDone)[0]
    assert done.reps_done == 1
    assert Say("Stopped. Relax your face.", 10) in effects
    assert flow.tick(t + 10, GOOD) == []


def test_pause_freezes_time_and_resume_continues():
    flow = SessionFlow(SessionPlan((BROW,)))
    flow.start(0.0)
    _, t = run(flow, 300, stop_when=lambda f: f.phase is Phase.HOLD)
    left_before = flow.view(t).seconds_left
    flow.command("pause", t)
    assert flow.tick(t + 60, GOOD) == [] and flow.phase is Phase.HOLD
    assert flow.view(t + 60).seconds_left == left_before and flow.view(t + 60).paused
    flow.command("resume", t + 60)
    assert flow.phase is Phase.HOLD
    flow.tick(t + 60 + left_before + 0.01, GOOD)
    assert flow.phase is Phase.RELAX


def test_reminder_interrupt_pauses_and_restarts_the_hold():
    flow = SessionFlow(SessionPlan((BROW,)))
    flow.start(0.0)
    _, t = run(flow, 300, stop_when=lambda f: f.phase is Phase.HOLD and f.rep == 1)
    flow.interrupt(t)
    assert flow.view(t).interrupted
    assert flow.tick(t + 120, GOOD) == []
    effects = flow.resume_after_interrupt(t + 120)
    assert flow.phase is Phase.MOVE and flow.rep == 1
    assert Say("Gently lift your eyebrows.") in effects


def test_repeat_slower_and_next():
    flow = SessionFlow(SessionPlan((BROW, SMILE)))
    flow.start(0.0)
    assert flow.command("repeat", 0.5) == [Say(flow.plan.greeting)]
    effects = flow.command("slower", 0.6)
    assert SpeechRate(1 / 1.3) in effects
    assert flow.slowness == 1.3
    for _ in range(5):
        flow.command("slower", 0.7)
    assert flow.slowness <= 2.0
    _, t = run(flow, 300, stop_when=lambda f: f.phase is Phase.EXPLAIN)
    effects = flow.command("next", t)
    assert of(effects, ExerciseDone)[0].reps_done == 0
    assert flow.phase is Phase.REST and flow.step.id == "closed_smile"
    flow.command("next", t + 0.1)
    assert flow.phase is Phase.EXPLAIN and flow.step.id == "closed_smile"


def test_the_session_speaks_the_patients_language():
    from kiosk.session.plan_builder import session_plan_from

    plan = session_plan_from(None, "de")
    flow = SessionFlow(plan)
    greeting = [e.text for e in flow.start(0.0) if isinstance(e, Say)]
    assert greeting == [plan.greeting] and greeting[0].startswith("Hallo.")
    assert flow.command("pause", 1.0)[0].text.startswith("Pause.")
    assert session_plan_from(None, "en").words["stopped"] == "Stopped. Relax your face."
