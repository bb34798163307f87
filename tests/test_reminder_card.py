"""A due reminder is drawn on top of every screen at every screen size, and its Done button works by touch.

The issue saw no card while the stimulation offer was shown at 1024x600. Each case puts the real
kiosk (real reminder service, starter plan) on one screen, lets the 10:00 drops fall due, checks
the card and its Done button are drawn inside the screen at touch size, saves a screenshot, and
touches Done: the acknowledgement must be on disk and the card gone.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pygame
import pytest

from content import content_path
from kiosk.events import Touched
from kiosk.plan.model import parse_plan
from kiosk.reminders import ReminderBridge
from kiosk.session.flow import Phase
from kiosk.ui import theme
from schedules.plan_section import parse_schedule
from schedules.service import ReminderService
from tests.test_kiosk_stimulation import answered_before, flowing, make, make_kiosk, touch, wait  # noqa: F401

SIZES = [(800, 480), (1024, 600), (1280, 720), (1280, 800)]
SCREENS = ["home", "coaching", "stimulation-offer", "stimulation-running", "progress", "caregiver"]
LONDON = ZoneInfo("Europe/London")


class Wall:
    def __init__(self):
        self.now = datetime(2026, 11, 21, 9, 59, 40, tzinfo=LONDON)

    def __call__(self):
        return self.now


def with_reminders(k, store):
    plan, _ = parse_plan(content_path("plans", "starter.toml").read_bytes())
    section, _ = parse_schedule(plan.raw)
    k.wall = Wall()
    k.reminders = ReminderBridge(ReminderService(store, section), k.wall)
    return k


def tick(k, seconds=0.1):
    k.loop.clock.t += seconds
    k.wall.now += timedelta(seconds=seconds)
    k.loop.tick()


def go_to(k, screen):
    t = k.loop.clock.t
    if screen in ("progress", "caregiver"):
        k.act(screen, t, via="touch")
    elif screen == "coaching":
        k.act("start_session", t, via="touch")
        for _ in range(30):
            tick(k)
    elif screen.startswith("stimulation"):
        k.act("start_session", t, via="touch")
        for _ in range(6000):
            k.loop.clock.t += 0.1
            k.loop.tick()
            if k.session.flow.phase is Phase.STIMULATION:
                break
        if screen == "stimulation-running":
            touch(k, "start_stimulation")
            assert wait(k, flowing)
    tick(k)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", SCREENS)
def test_the_card_is_drawn_on_top_and_done_works_by_touch(fresh_store, make, screen, size, tmp_path):  # noqa: F811
    answered_before(fresh_store)
    k = with_reminders(make(), fresh_store)
    k.painter.surface = pygame.display.set_mode(size)
    go_to(k, screen)
    assert k.reminder is None
    for _ in range(30):  # 10:00 falls due
        tick(k, 1.0)
        if k.reminder is not None:
            break
    assert k.reminder is not None, f"no card on {screen} at {size}"
    tick(k, 0.05)
    k.save_screenshot(tmp_path / f"{screen}-{size[0]}x{size[1]}.png")
    done = [b for b in k.painter.buttons if b.action == "acknowledge"]
    assert len(done) == 1, f"one Done button on {k.screen_key()}"
    rect = done[0].rect
    assert k.painter.surface.get_rect().contains(rect), "inside the screen"
    assert min(rect.size) >= k.painter.px(theme.TOUCH_MIN_PX) * 0.9, "big enough to touch"
    assert any("drop" in t.words.lower() for t in k.painter.texts), "the card's words are drawn"
    if screen == "stimulation-running":
        assert "STOP" in k.painter.all_words(), "STOP stays on screen beside the card"
    k.events.put(Touched(at=k.loop.clock.t, x=rect.centerx, y=rect.centery))
    tick(k, 0.05)
    acks = list(fresh_store.db["reminder_acks"].rows)
    assert len(acks) == 1 and acks[0]["via"] == "touch", f"Done by touch on {screen} at {size}"
    assert k.reminder is None
