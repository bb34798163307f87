"""Stop always wins: every screen and overlay state × every stop input, through the whole kiosk.

The real Kiosk with its real StimControl/BlockRunner on the simulated board (gpiozero
MockFactory), the real reminder service on the starter plan's schedule and a real SQLite store.
After the input the loop ticks once; the outputs must already be off then, the session in a
safe state, and a waiting reminder still waiting (a stop never answers a reminder).
"""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pygame
import pytest

from content import content_path
from content.i18n import section
from kiosk.app import Kiosk
from kiosk.devices.factory import build_devices
from kiosk.events import ButtonPressed, KeyPressed, Touched, VoiceCommand
from kiosk.plan.model import parse_plan
from kiosk.reminders import ReminderBridge
from kiosk.session.flow import Phase
from kiosk.session.steps import SessionPlan, StimOffer
from kiosk.settings import Settings
from kiosk.stim_control import StimControl, checklist_cleared
from schedules.plan_section import parse_schedule
from schedules.service import ReminderService
from stim_hat.prescription import DeviceLimits
from tests.test_kiosk_flow import Clock, SteadyMovement
from tests.test_kiosk_stimulation import PLAN, RX
from tests.test_kiosk_stimulation import answered_before as store_answers
from tests.test_session_flow import BROW

LONDON = ZoneInfo("Europe/London")
WORDS = section("stimulation", "en")
QUESTIONS = tuple(section("stim_checklist", "en").items())
BEFORE_DROPS = datetime(2026, 11, 21, 9, 0, tzinfo=LONDON)  # the starter plan's first drops are at 10:00


class Wall:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def build(store, *, checklist=()):
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    devices = build_devices(Settings(), "fake")
    plan, problems = parse_plan(content_path("plans", "starter.toml").read_bytes())
    assert plan is not None, problems
    schedule, _ = parse_schedule(plan.raw)
    wall = Wall(BEFORE_DROPS)
    offer = StimOffer(RX.side, RX.block_minutes, RX.max_amplitude_ma, WORDS, checklist)
    session = SessionPlan((BROW,), stimulation=offer, plan_version=PLAN.version)
    k = Kiosk(
        Settings(),
        None,
        devices,
        store,
        surface,
        lambda: session,
        movement=SteadyMovement(),
        wall_clock=wall,
        reminders=ReminderBridge(ReminderService(store, schedule), wall),
    )
    k.stim = StimControl(devices.hat, PLAN, DeviceLimits(), k.events, store, wall)
    k.loop.clock = Clock()
    k.wall = wall
    k.loop.tick()  # the reminder service starts (and reconciles) at 09:00
    return k


@pytest.fixture
def make(fresh_store):
    made = []

    def factory(**kw):
        made.append(build(fresh_store, **kw))
        return made[-1]

    yield factory
    for k in made:
        k.stim.close()
        k.devices.close()
    pygame.quit()


# ---- getting the kiosk into each state -----------------------------------------------------
def answered_before(k):
    """The safety questions were answered "no" before, for this plan version."""
    store_answers(k.store)
    k.stim.confirmed = checklist_cleared(k.store, PLAN.version)


def tick(k, seconds=0.05, real=False):
    if real:
        time.sleep(seconds)
    k.loop.clock.t += seconds
    k.loop.tick()


def reminder_due(k):
    """The 10:00 drops fall due now (the loop's reminder step shows or queues them)."""
    k.wall.now = k.wall.now.replace(hour=10, minute=0, second=5)
    k.step_reminders(k.loop.clock.t, force=True)
    tick(k)
    assert k.reminder is not None


def to_phase(k, phase):
    k.act("start_session", k.loop.clock.t, via="touch")
    for _ in range(3000):
        if k.session.flow.phase is phase:
            return
        tick(k, 0.25)
    raise AssertionError(f"the session never reached {phase}")


def start_block(k):
    to_phase(k, Phase.STIMULATION)
    touch(k, "start_stimulation")
    deadline = time.monotonic() + 10  # a wait, not a latency figure: generous for a loaded machine
    while time.monotonic() < deadline and k.devices.board.current_ma < 0.1:
        tick(k, 0.02, real=True)
    assert k.stim.running and k.devices.board.current_ma >= 0.1, k.session.flow.stim.notice


def button(k, action):
    return next((b for b in k.painter.buttons if b.action == action), None)


def touch(k, action):
    b = button(k, action)
    assert b is not None, f"no {action} button on {k.screen_key()}"
    k.events.put(Touched(at=k.loop.clock.t, x=b.rect.centerx, y=b.rect.centery))
    tick(k)


def state_home(k):
    pass


def state_home_reminder(k):
    reminder_due(k)


def session_state(phase):
    def enter(k):
        answered_before(k)
        to_phase(k, phase)

    return enter


def state_checklist(k):
    to_phase(k, Phase.STIMULATION)


def state_offer(k):
    answered_before(k)
    to_phase(k, Phase.STIMULATION)


def state_running(k):
    answered_before(k)
    start_block(k)


def state_raise_confirmation(k):
    state_running(k)
    touch(k, "propose_stronger")
    assert k.session.flow.stim.confirm_raise


def state_running_with_reminder(k):
    state_running(k)
    reminder_due(k)
    assert k.screen_key() == "session-stimulation-running-reminder"


def state_session_reminder(k):
    answered_before(k)
    to_phase(k, Phase.HOLD)
    reminder_due(k)


def state_caregiver(k):
    k.act("caregiver", k.loop.clock.t, via="touch")
    tick(k)


def state_progress(k):
    k.act("progress", k.loop.clock.t, via="touch")
    tick(k)


def state_summary(k):
    answered_before(k)
    to_phase(k, Phase.HOLD)
    k.act("stop", k.loop.clock.t, via="touch")
    for _ in range(50):
        tick(k, 0.1)
    assert k.mode == "summary"


STATES = {
    "home": (state_home, {}),
    "home+reminder": (state_home_reminder, {}),
    "greeting": (session_state(Phase.GREETING), {}),
    "camera-check": (session_state(Phase.CAMERA_CHECK), {}),
    "calibration": (session_state(Phase.CALIBRATION), {}),
    "explain": (session_state(Phase.EXPLAIN), {}),
    "hold": (session_state(Phase.HOLD), {}),
    "rest-or-relax": (session_state(Phase.RELAX), {}),
    "session+reminder": (state_session_reminder, {}),
    "checklist": (state_checklist, {"checklist": QUESTIONS}),
    "offer": (state_offer, {}),
    "running": (state_running, {}),
    "raise-confirmation": (state_raise_confirmation, {}),
    "running+reminder": (state_running_with_reminder, {}),
    "caregiver": (state_caregiver, {}),
    "progress": (state_progress, {}),
    "summary": (state_summary, {}),
}
RUNNING = {"running", "raise-confirmation", "running+reminder"}


def stop_by_voice(k):
    k.events.put(VoiceCommand(at=k.loop.clock.t, intent="stop", transcript="stop"))


def stop_by_touch(k):
    b = button(k, "stop")
    if b is None:
        return False
    k.events.put(Touched(at=k.loop.clock.t, x=b.rect.centerx, y=b.rect.centery))
    return True


def stop_by_key(k):
    k.events.put(KeyPressed(at=k.loop.clock.t, key="s"))


def stop_by_escape(k):
    k.events.put(KeyPressed(at=k.loop.clock.t, key="escape"))


def stop_by_button(k):
    k.events.put(ButtonPressed(at=k.loop.clock.t, button="stop"))


def stop_by_estop(k):
    k.devices.board.press_estop()


STOPS = {
    "voice": stop_by_voice,
    "touch": stop_by_touch,
    "key-s": stop_by_key,
    "key-esc": stop_by_escape,
    "button": stop_by_button,
    "estop": stop_by_estop,
}


def outputs_off(k) -> bool:
    return k.devices.board.current_ma == 0 and k.devices.hat.enabled_side is None


@pytest.mark.parametrize("how", sorted(STOPS))
@pytest.mark.parametrize("state", list(STATES))
def test_every_stop_input_cuts_the_outputs_within_one_tick_in_every_state(make, state, how):
    enter, options = STATES[state]
    k = make(**options)
    enter(k)
    waiting = k.reminder is not None
    if state in RUNNING:
        assert k.stim.running and k.devices.hat.enabled_side == "left", "the block must be running before the stop"
    if STOPS[how](k) is False:
        # No STOP button on this screen: only where nothing can be running.
        assert state not in RUNNING and not k.stim.running, f"{state} shows no STOP button"
        return
    tick(k)  # one tick of the main loop
    assert outputs_off(k), f"{state}/{how}: {k.devices.board.current_ma} mA after one tick"
    if state in RUNNING:
        ended = k.stim.runner.join(2.0)
        assert ended is not None and not ended.normal
        [row] = list(k.store.db.query("select * from stim_log"))
        assert (
            row["stopped_at"] and row["elapsed_s"] is not None and row["end_code"] in ("patient_stop", "rule", "fault")
        )
    for _ in range(5):
        tick(k, 0.1)
    assert outputs_off(k) and not k.stim.running
    if k.session is not None and state not in ("summary",):
        assert k.session.ended or k.session.flow.stopped_early or k.session.flow.paused or k.session.flow.interrupted
    if waiting:
        assert k.reminder is not None, "a stop never answers a reminder"
        assert list(k.store.db["reminder_acks"].rows) == []
    said = " ".join(k.devices.speaker.texts)
    assert "cannot turn this reminder off" not in said or state in ("home+reminder",)


def lower_by_voice(k):
    k.events.put(VoiceCommand(at=k.loop.clock.t, intent="too_strong", transcript="too strong"))


def lower_by_touch(k):
    b = button(k, "lower")
    assert b is not None, f"Lower must be on screen in {k.screen_key()}"
    k.events.put(Touched(at=k.loop.clock.t, x=b.rect.centerx, y=b.rect.centery))


def lower_by_key(k):
    k.events.put(KeyPressed(at=k.loop.clock.t, key="down"))


def lower_by_button(k):
    k.events.put(ButtonPressed(at=k.loop.clock.t, button="lower"))


LOWERS = {"voice": lower_by_voice, "touch": lower_by_touch, "key": lower_by_key, "button": lower_by_button}


@pytest.mark.parametrize("how", sorted(LOWERS))
@pytest.mark.parametrize("state", sorted(RUNNING))
def test_too_strong_lowers_one_step_within_one_tick_in_every_running_state(make, state, how):
    enter, options = STATES[state]
    k = make(**options)
    enter(k)
    runner = k.stim.runner
    before = runner.level
    LOWERS[how](k)
    tick(k)
    assert runner.level == pytest.approx(before - RX.step_ma)
    assert k.devices.board.current_ma <= runner.level + 1e-6
    assert k.stim.running, "lowering never stops the block"


@pytest.mark.parametrize("state", ["home", "home+reminder", "hold", "offer", "checklist", "caregiver", "summary"])
def test_too_strong_where_nothing_runs_starts_nothing(make, state):
    enter, options = STATES[state]
    k = make(**options)
    enter(k)
    lower_by_voice(k)
    tick(k)
    lower_by_key(k)
    tick(k)
    assert outputs_off(k) and not k.stim.running


def test_the_issue_case_a_spoken_stop_beside_a_reminder_card_stops_the_rising_current(make):
    """Seen before: the card waited beside STOP, "stop" was taken as dismissing it and the current rose."""
    k = make()
    state_running_with_reminder(k)
    stop_by_voice(k)
    tick(k)
    assert outputs_off(k)
    k.stim.runner.join(2.0)
    for _ in range(30):
        tick(k, 0.05, real=True)
    assert k.devices.board.current_ma == 0
    assert "Time for your eye drops" in " ".join(k.devices.speaker.texts), "the card is spoken once the block is over"
    assert k.reminder is not None


def test_a_reminder_card_never_hides_what_runs_and_its_done_closes_only_it(make):
    k = make()
    state_running_with_reminder(k)
    touch(k, "acknowledge")
    assert k.stim.running, "answering the reminder does not stop the block"
    assert len(list(k.store.db["reminder_acks"].rows)) == 1
    assert k.reminder is None and k.screen_key() == "session-stimulation-running"


def test_lower_stays_in_its_place_while_stronger_is_asked_and_an_unanswered_question_means_no(make):
    k = make()
    state_running(k)
    lower_before = button(k, "lower").rect.copy()
    stronger = button(k, "propose_stronger").rect.copy()
    touch(k, "propose_stronger")
    assert button(k, "lower").rect == lower_before, "Lower never moves"
    yes, no = button(k, "confirm_stronger").rect, button(k, "cancel_stronger").rect
    for rect in (yes, no):
        assert not rect.colliderect(lower_before) and not rect.colliderect(stronger)
    level = k.stim.runner.level
    for _ in range(9):  # 9 s without an answer
        tick(k, 1.0)
    assert not k.session.flow.stim.confirm_raise and button(k, "confirm_stronger") is None
    assert k.stim.runner.level == level


def test_space_pauses_and_never_ends_the_session_during_the_safety_questions(make):
    k = make(checklist=QUESTIONS)
    state_checklist(k)
    assert k.screen_key() == "session-stimulation-checklist"
    k.events.put(KeyPressed(at=k.loop.clock.t, key="space"))
    tick(k)
    assert not k.session.ended and k.session.flow.phase is Phase.STIMULATION


def test_no_safety_questions_and_no_start_when_the_rules_refuse_anyway(fresh_store, make):
    """A block ended an hour ago with 60 minutes' rest prescribed: the reason, not nine questions."""
    from dataclasses import replace as dc_replace

    k = make(checklist=QUESTIONS)
    rx = dc_replace(RX, rest_between_blocks_minutes=60)
    k.stim.plan = dc_replace(PLAN, rx=rx)
    with fresh_store.critical() as db:
        db["stim_log"].insert(
            {"side": "left", "started_at": "2026-11-21T08:58:00+00:00", "stopped_at": "2026-11-21T08:59:00+00:00"}
        )
    to_phase(k, Phase.STIMULATION)
    tick(k)
    assert k.screen_key() == "session-stimulation-offer"
    assert not any(b.action in ("start_stimulation", "answer_no") for b in k.painter.buttons)
    notice = k.session.flow.stim.notice
    assert notice.startswith("Rest between blocks") and notice in k.painter.all_words()
    assert any(notice in text for text in k.devices.speaker.texts)


# ---- random interleavings: inputs, reminders falling due, faults --------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import Phase as Phase_  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

STEP = st.one_of(
    st.tuples(st.just("tick"), st.floats(0.02, 0.3)),
    st.tuples(st.just("voice"), st.sampled_from(["stop", "too_strong", "propose_stronger", "yes", "drops_taken"])),
    st.tuples(
        st.just("touch"), st.sampled_from(["stop", "lower", "propose_stronger", "confirm_stronger", "acknowledge"])
    ),
    st.tuples(st.just("key"), st.sampled_from(["s", "down", "space", "return", "d"])),
    st.tuples(st.just("reminder"), st.just(None)),
    st.tuples(st.just("estop"), st.just(None)),
)
STOPPING = {("voice", "stop"), ("touch", "stop"), ("key", "s"), ("estop", None)}


@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase_.explicit, Phase_.reuse, Phase_.generate],  # no shrinking: each example is a whole kiosk
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(STEP, min_size=3, max_size=14))
def test_random_interleavings_never_exceed_the_plan_and_every_stop_cuts_within_a_tick(steps):
    from kiosk.store import Store

    k = build(Store.memory())  # a new kiosk, store and board for each example
    try:
        state_running(k)
        top = min(RX.max_amplitude_ma, k.devices.hat.ceiling_ma)
        flowing_s = 0.0
        for kind, value in steps:
            before = time.monotonic()
            was_on = k.devices.board.current_ma > 0
            if kind == "tick":
                tick(k, value, real=True)
            elif kind == "voice":
                k.events.put(VoiceCommand(at=k.loop.clock.t, intent=value, transcript=value))
            elif kind == "touch" and button(k, value) is not None:
                b = button(k, value)
                k.events.put(Touched(at=k.loop.clock.t, x=b.rect.centerx, y=b.rect.centery))
            elif kind == "key":
                k.events.put(KeyPressed(at=k.loop.clock.t, key=value))
            elif kind == "reminder" and k.reminder is None and k.wall.now.hour < 10:
                reminder_due(k)
            elif kind == "estop":
                k.devices.board.press_estop()
            tick(k)
            if was_on:
                flowing_s += time.monotonic() - before
            assert k.devices.board.current_ma <= top + 1e-6
            if (kind, value) in STOPPING:
                assert outputs_off(k), f"{kind} {value}: {k.devices.board.current_ma} mA one tick later"
        if k.stim.runner is not None:
            k.stim.stop("end of example")
            k.stim.runner.join(2.0)
            rows = list(k.store.db.query("select elapsed_s, planned_s from stim_log"))
            counted = sum(r["elapsed_s"] if r["elapsed_s"] is not None else r["planned_s"] for r in rows)
            assert counted + 0.05 >= flowing_s * 0.9, "the ledger never counts less than the current flowed"
    finally:
        k.stim.close()
        k.devices.close()
        k.store.close()


def test_the_time_left_on_screen_is_the_time_the_block_really_runs(make):
    """Seen before: a 1-minute block of whole cycles ended after 42 s while the screen still showed 0:26."""
    from stim_hat.rules import block_seconds

    k = make()
    state_running(k)
    runner = k.stim.runner
    shown = k.stim.model().seconds_left
    assert shown == pytest.approx(block_seconds(RX) - runner.elapsed_seconds(), abs=0.2)
    assert shown < RX.block_minutes * 60, "whole cycles: the block is shorter than the minute"


def test_the_listener_is_told_when_the_kiosk_asks_yes_or_no(make):
    """Spoken yes/no count only right after a question (kiosk/voice); the raise question is one."""
    k = make()
    state_running(k)
    assert k.devices.listener.asked == []
    touch(k, "propose_stronger")
    tick(k)
    assert k.devices.listener.asked == [frozenset({"yes", "no"})]
    tick(k)
    assert len(k.devices.listener.asked) == 1, "told once per question"
