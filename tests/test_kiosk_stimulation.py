"""The prescribed stimulation block in the whole kiosk: the real StimHat driver and BlockRunner on
gpiozero's mock pins with the simulated board, driven through touches and voice like a patient would."""

import time
from dataclasses import replace
from datetime import datetime

import pygame
import pytest

from content.i18n import section
from kiosk.app import Kiosk, local_now
from kiosk.devices.factory import build_devices
from kiosk.events import Touched, VoiceCommand
from kiosk.session.flow import Phase
from kiosk.session.steps import SessionPlan, StimOffer
from kiosk.session.stim_flow import StimStage
from kiosk.settings import Settings
from kiosk.stim_control import StimControl, checklist_cleared
from schedules import policy as pol
from stim_hat.prescription import DeviceLimits, Prescription
from stim_hat.safety import StimPlan
from tests.test_kiosk_flow import NOW, Clock, SteadyMovement
from tests.test_session_flow import BROW

RX = Prescription(
    enabled=True,
    side="left",
    sites=("zygomaticus",),
    max_amplitude_ma=4.0,
    start_amplitude_ma=2.0,
    step_ma=0.5,
    on_seconds=5,
    off_seconds=10,
    ramp_seconds=1.0,
    block_minutes=1,
    rest_between_blocks_minutes=0,
)
PLAN = StimPlan(True, 7, None, None, RX)
WORDS = section("stimulation", "en")
QUESTIONS = tuple(section("stim_checklist", "en").items())


def make_kiosk(store, checklist=(), movement=None, max_age=1.0, plan=PLAN):
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    devices = build_devices(Settings(), "fake")
    offer = StimOffer(RX.side, RX.block_minutes, RX.max_amplitude_ma, WORDS, checklist)
    session = SessionPlan((BROW,), stimulation=offer, plan_version=plan.version)
    k = Kiosk(
        Settings(),
        None,
        devices,
        store,
        surface,
        lambda: session,
        movement=movement or SteadyMovement(),
        wall_clock=lambda: NOW,
    )
    k.stim = StimControl(devices.hat, plan, DeviceLimits(), k.events, store, local_now, max_snapshot_age_s=max_age)
    k.loop.clock = Clock()
    return k


def answered_before(store):
    """The checklist was answered with all "no" before, for this plan version."""
    with store.critical() as db:
        db["stim_checklist"].insert({"at": "2026-11-20T10:00:00", "plan_version": 7, "cleared": 1, "answers": "[]"})


@pytest.fixture
def make(fresh_store):
    """Build kiosks on the fresh store; each is closed (block ended, board off) after the test."""
    made = []

    def build(**kw):
        made.append(make_kiosk(fresh_store, **kw))
        return made[-1]

    yield build
    for k in made:
        k.stim.close()
        k.devices.close()
    pygame.quit()


@pytest.fixture
def kiosk(fresh_store, make):
    answered_before(fresh_store)
    return make()


def tick(k, seconds=0.05):
    """One loop tick, with real time passing (the runner thread runs in real time)."""
    time.sleep(seconds)
    k.loop.clock.t += seconds
    k.loop.tick()


def wait(k, until, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        tick(k, 0.02)
        if until(k):
            return True
    return False


def to_stimulation(k):
    k.act("start_session", k.loop.clock.t, via="touch")
    for _ in range(6000):
        k.loop.clock.t += 0.1
        k.loop.tick()
        if k.session.flow.phase is Phase.STIMULATION:
            return
    raise AssertionError("the session never reached the stimulation block")


def touch(k, action):
    button = next(b for b in k.painter.buttons if b.action == action)
    k.events.put(Touched(at=k.loop.clock.t, x=button.rect.centerx, y=button.rect.centery))
    k.loop.tick()


def hear(k, intent):
    k.events.put(VoiceCommand(at=k.loop.clock.t, intent=intent))
    k.loop.tick()


def flowing(k):
    return k.devices.board.current_ma >= 0.1 and k.devices.board.side == "left"


def start_block(k):
    to_stimulation(k)
    assert k.screen_key() == "session-stimulation-offer"
    touch(k, "start_stimulation")
    assert k.session.flow.stimulating, k.session.flow.stim.notice
    assert wait(k, flowing), "no current reached the (simulated) electrodes"


def log_rows(k):
    return list(k.store.db.query("select * from stim_log"))


def test_touch_starts_the_block_and_touch_stop_cuts_it_within_one_tick(kiosk):
    start_block(kiosk)
    assert kiosk.activity() == "stimulating"
    assert kiosk.screen_key() == "session-stimulation-running"
    assert "STOP" in kiosk.painter.all_words()
    touch(kiosk, "stop")
    assert kiosk.devices.board.current_ma == 0 and kiosk.devices.hat.enabled_side is None
    assert wait(kiosk, lambda k: k.mode == "summary")
    assert kiosk.session.summary.stimulation == "stopped"
    [row] = log_rows(kiosk)
    assert row["stop_reason"] == "Stopped by you (touch)." and row["side"] == "left" and row["plan_version"] == 7


def test_voice_stop_cuts_the_block_at_once(kiosk):
    start_block(kiosk)
    hear(kiosk, "stop")
    assert kiosk.devices.board.current_ma == 0
    assert wait(kiosk, lambda k: k.mode == "summary")
    assert log_rows(kiosk)[0]["stop_reason"] == "Stopped by you (voice)."


def test_voice_cannot_start_the_block(kiosk):
    to_stimulation(kiosk)
    for intent in ("propose_stimulation", "yes"):
        hear(kiosk, intent)
    assert not wait(kiosk, flowing, seconds=0.5)
    assert kiosk.stim.runner is None and kiosk.session.flow.stim.stage is StimStage.OFFER
    assert any("only with a touch" in text for text in kiosk.devices.speaker.texts)


def test_stronger_by_voice_only_asks_and_a_touch_confirms_one_step(kiosk):
    start_block(kiosk)
    runner = kiosk.stim.runner
    before = runner.level
    hear(kiosk, "propose_stronger")
    assert runner.level == before and kiosk.session.flow.stim.confirm_raise
    hear(kiosk, "yes")
    assert runner.level == before, "a spoken yes never raises"
    kiosk.loop.tick()
    touch(kiosk, "confirm_stronger")
    assert runner.level == pytest.approx(before + RX.step_ma)
    for _ in range(10):  # never above the plan maximum however often it is confirmed
        touch(kiosk, "propose_stronger")
        touch(kiosk, "confirm_stronger")
    assert runner.level == pytest.approx(RX.max_amplitude_ma)
    assert kiosk.session.flow.stim.notice == "This is already the most your plan allows."
    assert "It cannot go stronger." in " ".join(kiosk.devices.speaker.texts)


def test_too_strong_by_voice_lowers_at_once(kiosk):
    start_block(kiosk)
    runner = kiosk.stim.runner
    before = runner.level
    hear(kiosk, "too_strong")
    assert runner.level == pytest.approx(before - RX.step_ma)
    assert runner.output_ma <= runner.level + 1e-9


def test_a_hung_screen_loop_stops_the_block(fresh_store, make):
    answered_before(fresh_store)
    k = make(max_age=0.3)
    start_block(k)
    time.sleep(0.6)  # the main loop does not tick: no fresh snapshot reaches the runner
    assert k.devices.board.current_ma == 0
    assert k.stim.runner.join(1.0) is not None
    assert "stopped responding" in log_rows(k)[0]["stop_reason"]


def test_losing_the_face_stops_the_block(kiosk):
    class Gone(SteadyMovement):
        visible = True

        def latest(self, now, phase):
            return super().latest(now, phase) if self.visible else None

    kiosk.movement = Gone()
    start_block(kiosk)
    kiosk.session.movement.visible = False
    assert wait(kiosk, lambda k: k.mode == "summary")
    assert log_rows(kiosk)[0]["stop_reason"] == "Your face is not in view of the camera."
    assert kiosk.devices.board.current_ma == 0


def test_a_reminder_during_the_block_is_shown_beside_stop_and_spoken_after_the_ramp_down(kiosk):
    start_block(kiosk)
    decisions = pol.route(pol.Announcement(41, "drops", "drops", "Time for your eye drops."), kiosk.activity(), False)
    kiosk.apply_reminder_decisions(decisions, kiosk.loop.clock.t)
    kiosk.loop.tick()
    assert kiosk.screen_key() == "session-stimulation-running-reminder"
    words = kiosk.painter.all_words()
    assert "Time for your eye drops." in words and "STOP" in words and "Lower" in words
    assert "Time for your eye drops." not in kiosk.devices.speaker.texts
    assert flowing(kiosk), "the block goes on; the patient can stop it"
    touch(kiosk, "stop")
    assert wait(kiosk, lambda k: k.mode == "summary")
    assert "Time for your eye drops." in kiosk.devices.speaker.texts
    assert kiosk.reminder is not None and kiosk.screen_key() == "reminder", "the card stays until it is done"


def test_first_use_asks_the_checklist_and_stores_the_answers(fresh_store, make):
    k = make(checklist=QUESTIONS)
    assert not k.stim.confirmed
    to_stimulation(k)
    assert k.screen_key() == "session-stimulation-checklist"
    for _ in QUESTIONS:
        k.loop.tick()
        touch(k, "answer_no")
    assert checklist_cleared(fresh_store, 7) and k.stim.confirmed
    k.loop.tick()
    assert k.screen_key() == "session-stimulation-offer"
    touch(k, "start_stimulation")
    assert wait(k, flowing)


def test_a_yes_on_the_checklist_means_no_stimulation(fresh_store, make):
    k = make(checklist=QUESTIONS)
    to_stimulation(k)
    touch(k, "answer_yes")
    assert wait(k, lambda k: k.mode == "summary")
    assert k.session.summary.stimulation == "not allowed"
    [row] = fresh_store.db.query("select cleared, answers from stim_checklist")
    assert row["cleared"] == 0 and row["answers"] == '[["implant", true]]'
    assert not checklist_cleared(fresh_store, 7) and k.stim.runner is None


def test_the_rules_still_refuse_without_the_checklist_even_if_the_screen_skipped_it(make):
    k = make()  # an offer without questions, but nothing stored: the rules say no
    to_stimulation(k)
    touch(k, "start_stimulation")
    assert not wait(k, flowing, seconds=0.4)
    assert k.session.flow.stim.notice == "The safety checklist has not been confirmed yet."
    assert k.session.flow.stim.stage is StimStage.OFFER


def test_an_unsigned_plan_never_stimulates(fresh_store, make):
    answered_before(fresh_store)
    k = make(plan=StimPlan(False, 7, None, None, RX))
    to_stimulation(k)
    k.loop.tick()
    assert not any(b.action == "start_stimulation" for b in k.painter.buttons), "no Start for a block the rules refuse"
    assert "signed by your therapist" in k.session.flow.stim.notice
    assert "signed by your therapist" in k.painter.all_words()
    k.act("start_stimulation", k.loop.clock.t, via="touch")
    assert not wait(k, flowing, seconds=0.4)


def test_the_emergency_stop_ends_the_block(kiosk):
    start_block(kiosk)
    kiosk.devices.board.press_estop()
    assert kiosk.devices.board.current_ma == 0
    assert wait(kiosk, lambda k: k.mode == "summary")
    assert "emergency stop" in log_rows(kiosk)[0]["stop_reason"]


def test_a_stimulation_log_row_records_when(kiosk):
    start_block(kiosk)
    touch(kiosk, "stop")
    wait(kiosk, lambda k: k.mode == "summary")
    row = log_rows(kiosk)[0]
    assert datetime.fromisoformat(row["stopped_at"]) >= datetime.fromisoformat(row["started_at"])
    assert row["max_amplitude_ma"] > 0


def test_real_mode_never_drives_the_hat_pins_unless_a_board_is_fitted():
    from kiosk.devices.factory import open_hat

    hat, board, state = open_hat(Settings(), "real")
    assert hat is None and board is None
    assert state.state == "missing" and "stimulation stays off" in state.hint


def unlock_caregiver(k, pin="1234"):
    k.settings = replace(k.settings, caregiver=replace(k.settings.caregiver, pin=pin))
    k.act("caregiver", k.loop.clock.t, via="touch")
    for digit in pin:
        k.act(f"digit:{digit}", k.loop.clock.t, via="touch")
    k.act("enter_pin", k.loop.clock.t, via="touch")
    k.loop.tick()
    assert k.caregiver.unlocked


def estop_events(k):
    return [row["kind"] for row in k.store.db.query("select kind from event_log where kind like 'estop%' order by id")]


def test_a_latched_emergency_stop_is_said_shown_and_reset_only_by_a_caregiver_touch(kiosk):
    pressed_words = WORDS["estop_pressed"]
    kiosk.devices.board.press_estop()
    tick(kiosk)
    assert kiosk.stim.estop_latched and kiosk.notice == WORDS["estop_notice"]
    assert kiosk.devices.speaker.texts.count(pressed_words) == 1  # said once, not every tick
    tick(kiosk)
    assert kiosk.devices.speaker.texts.count(pressed_words) == 1
    assert estop_events(kiosk) == ["estop_pressed"]
    assert WORDS["estop_notice"] in kiosk.painter.all_words()  # on Home, in the notice box

    kiosk.act("estop_reset", kiosk.loop.clock.t, via="voice")  # no voice path, and not from Home
    unlock_caregiver(kiosk)
    assert kiosk.screen_key() == "caregiver" and pressed_words in kiosk.painter.all_words()
    kiosk.act("estop_reset", kiosk.loop.clock.t, via="button")  # a hardware button is not a reset either
    assert kiosk.stim.estop_latched

    touch(kiosk, "estop_reset")  # the button is still held down: refused, said why
    assert kiosk.stim.estop_latched and kiosk.caregiver.estop_words == WORDS["estop_still_pressed"]
    kiosk.loop.tick()
    assert WORDS["estop_still_pressed"] in kiosk.painter.all_words()

    kiosk.devices.board.release_estop()
    touch(kiosk, "estop_reset")
    assert not kiosk.stim.estop_latched
    assert estop_events(kiosk) == ["estop_pressed", "estop_reset"]
    kiosk.loop.tick()
    assert WORDS["estop_reset"] in kiosk.painter.all_words()  # back to the settings, with the result
    kiosk.act("home", kiosk.loop.clock.t, via="touch")
    kiosk.loop.tick()
    assert kiosk.notice is None and WORDS["estop_notice"] not in kiosk.painter.all_words()
    assert kiosk.devices.board.current_ma == 0  # a reset starts nothing

    start_block(kiosk)  # and a new block works again, from a touch in a session
