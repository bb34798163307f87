"""The whole kiosk on the fakes, driven tick by tick in accelerated time."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pygame
import pytest

from kiosk.app import Kiosk
from kiosk.devices.factory import build_devices
from kiosk.events import ReminderDue, Touched, VoiceCommand
from kiosk.session.flow import Phase
from kiosk.session.steps import Measurement, SessionPlan
from kiosk.settings import Settings, with_overrides
from tests.test_session_flow import BROW, SMILE

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Europe/London"))
PLAN = SessionPlan((BROW, SMILE))


class SteadyMovement:
    """A camera pipeline stand-in that sees a steady, slightly uneven movement."""

    def __init__(self):
        self.metrics, self.calibrations = [], []
        self.stage, self.lang = "", "en"

    def latest(self, now, phase):
        return Measurement(usable=True, left_pct=50.0, right_pct=25.0)

    def preview(self):
        return None

    def set_metric(self, metric):
        self.metrics.append(metric)

    def calibrate(self, start):
        self.calibrations.append(start)


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


@pytest.fixture
def kiosk(fresh_store):
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    acks = []
    k = Kiosk(
        Settings(),
        None,
        build_devices(Settings(), "fake"),
        fresh_store,
        surface,
        lambda: PLAN,
        movement=SteadyMovement(),
        wall_clock=lambda: NOW,
        on_acknowledge=lambda rid, via: acks.append((rid, via)) or "Saved. Thank you.",
    )
    k.loop.clock = Clock()
    k.acks = acks
    yield k
    k.devices.close()  # the simulated board too: a board left open answers later tests' ADC reads
    pygame.quit()


def advance(k, seconds, step=0.1, until=None):
    for _ in range(int(seconds / step)):
        k.loop.clock.t += step
        k.loop.tick()
        if until and until(k):
            return True
    return False


def start(k):
    k.events.put(VoiceCommand(at=k.loop.clock.t, intent="start_session"))
    k.loop.tick()
    assert k.mode == "session"


def in_hold(k):
    return k.session is not None and k.session.flow.phase is Phase.HOLD


def test_scripted_session_reaches_summary_and_stores_results(kiosk):
    start(kiosk)
    assert advance(kiosk, 400, until=lambda k: k.mode == "summary")
    db = kiosk.store.db
    session = next(iter(db["sessions"].rows))
    assert session["status"] == "done" and session["ended_at"]
    results = list(db["exercise_results"].rows)
    assert [r["exercise"] for r in results] == ["brow_lift", "closed_smile"]
    assert results[0]["reps_done"] == 2 and results[0]["left_pct"] == 50.0 and results[0]["symmetry_ratio"] == 0.5
    spoken = kiosk.devices.speaker.texts
    assert spoken[-1].startswith("Well done. You finished your exercises.")
    assert kiosk.movement.metrics[:1] == ["brow_lift"] and kiosk.movement.calibrations == [True, False]
    assert {"session-greeting", "session-hold", "session-rest", "summary"} <= set(kiosk.screens_seen)


@pytest.mark.parametrize("how", ["voice", "touch", "key"])
def test_stop_during_a_hold_acts_within_one_tick(kiosk, how):
    start(kiosk)
    assert advance(kiosk, 200, until=in_hold)
    t = kiosk.loop.clock.t
    if how == "voice":
        kiosk.events.put(VoiceCommand(at=t, intent="stop"))
    elif how == "touch":
        stop = next(b for b in kiosk.painter.buttons if b.action == "stop")
        kiosk.events.put(Touched(at=t, x=stop.rect.centerx, y=stop.rect.centery))
    else:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_s))
    kiosk.loop.clock.t += 0.033
    kiosk.loop.tick()
    assert kiosk.mode == "summary"
    assert kiosk.session.summary.status == "partial"
    assert "Stopped. Relax your face." in kiosk.devices.speaker.texts


def test_reminder_mid_session_pauses_then_resumes(kiosk):
    start(kiosk)
    assert advance(kiosk, 200, until=in_hold)
    kiosk.events.put(ReminderDue(at=kiosk.loop.clock.t, reminder_id=7, item_id="day_drops", kind="drops"))
    advance(kiosk, 0.2)
    assert kiosk.screen_key() == "reminder" and kiosk.session.flow.interrupted
    phase_before = kiosk.session.flow.phase
    advance(kiosk, 120)  # nothing moves on while the reminder waits
    assert kiosk.session.flow.phase is phase_before and kiosk.reminder is not None
    kiosk.events.put(VoiceCommand(at=kiosk.loop.clock.t, intent="drops_taken"))
    advance(kiosk, 0.2)
    assert kiosk.acks == [(7, "voice")] and kiosk.reminder is None
    assert kiosk.session.flow.phase in (Phase.MOVE, Phase.HOLD) and not kiosk.session.flow.interrupted
    assert advance(kiosk, 400, until=lambda k: k.mode == "summary")
    assert kiosk.session.summary.status == "done"


def test_voice_cannot_dismiss_a_reminder_with_stop_or_next(kiosk):
    kiosk.events.put(ReminderDue(at=kiosk.loop.clock.t, reminder_id=3, item_id="night", kind="ointment"))
    advance(kiosk, 0.2)
    for intent in ("stop", "next", "no"):
        kiosk.events.put(VoiceCommand(at=kiosk.loop.clock.t, intent=intent))
    advance(kiosk, 0.2)
    assert kiosk.reminder is not None and kiosk.acks == []


def test_demo_pilot_walks_a_whole_session(kiosk):
    from kiosk.demo import DemoPilot

    DemoPilot(kiosk).attach()
    assert advance(kiosk, 600, until=lambda k: k.mode == "home" and k.session is not None and k.session.ended)
    assert kiosk.store.db["sessions"].count == 1


def test_a_reminder_event_is_shown_and_said_in_the_patients_language(fresh_store):
    """Without a reminder service (a bare event), the card and its words still follow display.language."""
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    settings = with_overrides(Settings(), display={"language": "de"})
    k = Kiosk(
        settings, None, build_devices(settings, "fake"), fresh_store, surface, lambda: PLAN, wall_clock=lambda: NOW
    )
    k.loop.clock = Clock()
    try:
        k.events.put(ReminderDue(at=k.loop.clock.t, reminder_id=5, item_id="night", kind="ointment"))
        advance(k, 0.2)
        assert k.reminder is not None and k.reminder.model.title == "Augenpflege"
        said = " ".join(k.devices.speaker.texts)
        assert "Salbe" in said and "Time for" not in said and "Done" not in said
    finally:
        k.devices.close()
