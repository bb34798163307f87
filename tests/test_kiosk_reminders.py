"""The kiosk with the real reminder service and the starter plan: a due reminder takes the
screen, interrupts coaching, and a touch on Done is written to disk before it is confirmed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pygame
import pytest

from content import content_path
from kiosk.app import Kiosk
from kiosk.devices.factory import build_devices
from kiosk.events import Touched, VoiceCommand
from kiosk.plan.model import parse_plan
from kiosk.reminders import ReminderBridge
from kiosk.session.steps import ExerciseStep, SessionPlan
from kiosk.settings import Settings
from schedules.plan_section import parse_schedule
from schedules.service import ReminderService

LONDON = ZoneInfo("Europe/London")
PLAN = SessionPlan((ExerciseStep("brow_lift", "Brow lift", "brow_lift", ("Lift.",), "Lift your brows.", reps=30),))


class Wall:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now


@pytest.fixture
def kiosk(fresh_store):
    plan, problems = parse_plan(content_path("plans", "starter.toml").read_bytes())
    assert plan is not None, problems
    section, _ = parse_schedule(plan.raw)
    wall = Wall(datetime(2026, 11, 21, 9, 58, tzinfo=LONDON))
    service = ReminderService(fresh_store, section)
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    k = Kiosk(
        Settings(),
        None,
        build_devices(Settings(), "fake"),
        fresh_store,
        surface,
        lambda: PLAN,
        wall_clock=wall,
        reminders=ReminderBridge(service, wall),
    )
    k.wall = wall
    yield k
    k.devices.close()  # the simulated board too: a board left open answers later tests' ADC reads
    pygame.quit()


def run_for(k, seconds, step=0.5):
    for _ in range(int(seconds / step)):
        k.wall.now += timedelta(seconds=step)
        k.loop.clock = lambda t=k.loop.ticks * step: 1000 + t
        k.loop.tick()


def test_due_drops_interrupt_coaching_and_touch_ack_is_durable(kiosk):
    run_for(kiosk, 2)
    assert kiosk.reminder is None
    assert kiosk.home_model().next_eye_care.startswith("drops at 10:00")
    kiosk.events.put(VoiceCommand(at=0, intent="start_session"))
    run_for(kiosk, 1)
    assert kiosk.mode == "session"
    run_for(kiosk, 120)  # 10:00 passes
    assert kiosk.reminder is not None and kiosk.session.flow.interrupted
    assert any("drop" in text.lower() for text in kiosk.devices.speaker.texts)
    done = next(b for b in kiosk.painter.buttons if b.action == "acknowledge")
    kiosk.events.put(Touched(at=0, x=done.rect.centerx, y=done.rect.centery))
    run_for(kiosk, 1)
    acks = list(kiosk.store.db["reminder_acks"].rows)
    assert len(acks) == 1 and acks[0]["via"] == "touch"
    assert kiosk.reminder is None and not kiosk.session.flow.interrupted


def test_patient_cannot_switch_a_reminder_off_by_voice(kiosk):
    run_for(kiosk, 150)
    assert kiosk.reminder is not None
    for intent in ("stop", "cancel_reminder"):
        kiosk.events.put(VoiceCommand(at=0, intent=intent))
    run_for(kiosk, 1)
    assert kiosk.reminder is not None
    assert kiosk.store.db["reminder_acks"].count == 0
    assert "plan" in (kiosk.notice or "").lower()
