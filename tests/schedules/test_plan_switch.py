"""A plan applied while the kiosk runs: reminders follow it within ~30 s, nothing in between is skipped."""

import tomllib
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from kiosk.reminders import PlanWatch, ReminderBridge, schedule_of
from schedules import policy as pol
from schedules.scenarios import SCENARIOS
from schedules.service import ReminderService

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 7, 1, 11, 50, tzinfo=LONDON)
NEW_ITEM = """
[[eye_care.items]]
id = "noon_stretch"
kind = "lid_stretch"
at = "12:10"
"""


def plan(text, version):
    return SimpleNamespace(raw=tomllib.loads(text), version=version, timezone="Europe/London")


class World:
    """A wall clock, a monotonic clock and the 'applied plan' the watch sees."""

    def __init__(self, store, first):
        self.now, self.mono = START, 1000.0
        self.applied = ("sha-1", first)
        section, notice = schedule_of(first)
        assert notice is None
        self.bridge = ReminderBridge(
            ReminderService(store, section),
            lambda: self.now,
            watch=PlanWatch(lambda: self.applied[0], lambda: self.applied[1]),
        )

    def run(self, seconds):
        out = []
        for _ in range(seconds):
            self.now += timedelta(seconds=1)
            self.mono += 1
            out += self.bridge.poll(self.mono, "idle")
        return out


def test_a_new_plan_is_followed_without_a_restart_and_a_just_missed_item_is_announced(fresh_store):
    world = World(fresh_store, plan(SCENARIOS["hourly"], 1))
    world.run(60 * 19 + 55)  # 12:09:55: the 12:00 drops were shown
    world.applied = ("sha-2", plan(SCENARIOS["ointment_then_shield"] + NEW_ITEM, 2))  # applied at 12:09:55
    decisions = world.run(60)
    shown = [d for d in decisions if isinstance(d, pol.Show)]
    assert len(shown) == 1 and "stretch" in shown[0].text, "the new plan's 12:10 item, announced"
    rows = {
        r["item_id"]: r["status"]
        for r in fresh_store.db["reminder_events"].rows_where(
            "due_at > ?", ["2026-07-01T11:00:00+00:00"], order_by="due_at desc"
        )
    }
    assert rows["night_shield"] == "due" and rows["noon_stretch"] == "announced"
    cancelled = fresh_store.db["reminder_events"].count_where("status = 'cancelled'")
    assert cancelled > 0, "the hourly drops the new plan no longer has are cancelled"
    assert fresh_store.db["event_log"].count_where("kind = 'reminders_plan_switched'") == 1


def test_a_new_plan_whose_schedule_has_problems_keeps_the_schedule_in_force_and_says_so(fresh_store):
    world = World(fresh_store, plan(SCENARIOS["hourly"], 1))
    world.run(30)
    world.applied = ("sha-2", plan(SCENARIOS["hourly"].replace('kind = "ointment"', 'kind = "Ointment "'), 2))
    decisions = world.run(40)
    assert [d.text for d in decisions if isinstance(d, pol.Explain)] == [
        "The eye-care times in your plan have a mistake. I keep reminding you with the safe times. "
        "Please tell your therapist."
    ]
    assert [i.id for i in world.bridge.service.section.items] == ["day_drops", "night_routine"]


def test_a_bad_schedule_at_start_runs_the_safe_floor_and_says_so():
    bad = plan(SCENARIOS["hourly"].replace('at = "22:00"', 'at = "10pm"'), 3)
    section, notice = schedule_of(bad)
    assert notice and [(i.id, i.kind) for i in section.items] == [("day_drops", "drops"), ("night_routine", "ointment")]
    assert len(section.items[0].times) == 13, "the plan's own hourly drops stay"
