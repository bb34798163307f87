"""A new plan in force is noticed by the running kiosk and told to the patient once, on Home and aloud."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pygame
import pytest

from kiosk.app import Kiosk
from kiosk.devices.factory import build_devices
from kiosk.plan.current import PLAN_FILE, current_plan, device_id, plan_dir
from kiosk.plan.inbox import Inbox
from kiosk.plan.loader import inbox_verifier
from kiosk.plan.signing import read_private_key, read_public_key, sign_bytes
from kiosk.plan.watch import PlanWatch
from kiosk.session.plan_builder import session_plan_from
from kiosk.settings import Settings, with_overrides
from kiosk.summary.delivery import FolderTarget
from stim_hat.prescription import DeviceLimits

LONDON = ZoneInfo("Europe/London")


class Wall:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def setup(tmp_path, keys, plan_text, fresh_store):
    settings = with_overrides(
        Settings(), storage={"data_dir": str(tmp_path / "data")}, sync={"therapist_key": str(keys[1])}
    )
    text = plan_text.replace('device = "fc-test"', f'device = "{device_id(settings)}"')
    wall = Wall(datetime(2026, 11, 20, 9, 0, tzinfo=LONDON))
    (tmp_path / "share" / "inbox").mkdir(parents=True)
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    kiosk = Kiosk(
        settings,
        None,
        build_devices(settings, "fake"),
        fresh_store,
        surface,
        lambda: session_plan_from(current_plan(settings, fresh_store, wall()).plan),
        wall_clock=wall,
    )
    watch = PlanWatch(
        fresh_store,
        plan_dir(settings) / PLAN_FILE,
        lambda: current_plan(settings, fresh_store, wall()),
        kiosk.announce_plan,
        lambda: kiosk.settings.display.language,
        wall,
        DeviceLimits(),
        every_s=0.0,
    )
    kiosk.loop.add_step("plan", watch)
    yield settings, text, wall, kiosk, tmp_path / "share"
    kiosk.devices.close()
    pygame.quit()


def sync(settings, store, share, keys, wall, name, text):
    """What `facecoach sync` does: one inbox pass (a separate process in real life)."""
    data = text.encode()
    (share / "inbox" / name).write_bytes(data)
    (share / "inbox" / (name + ".sig")).write_text(sign_bytes(data, read_private_key(keys[0])))
    verify = inbox_verifier(read_public_key(keys[1]), store, wall().date(), DeviceLimits(), device_id(settings))
    return Inbox(store, FolderTarget(share), verify, plan_dir(settings)).poll(wall(), session_running=False)


def tick(kiosk, n: int) -> None:
    kiosk.run(max_ticks=kiosk.loop.ticks + n)  # the loop counts ticks from its start


def said(kiosk) -> list[str]:
    return [t for t in kiosk.devices.speaker.texts if "changed your plan" in t]


def test_a_plan_installed_while_the_kiosk_runs_is_announced_once(setup, keys, fresh_store):
    settings, text, wall, kiosk, share = setup
    assert sync(settings, fresh_store, share, keys, wall, "v3.toml", text).applied == [("v3.toml", 3)]
    tick(kiosk, 3)
    assert said(kiosk) == [], "the first plan the kiosk follows is not a change"
    newer = text.replace("version = 3", "version = 4").replace("enabled = true", "enabled = false")
    newer = newer.replace("reps = 5", "reps = 3")
    assert sync(settings, fresh_store, share, keys, wall, "v4.toml", newer).applied == [("v4.toml", 4)]
    tick(kiosk, 3)
    expected = "Your therapist changed your plan: no more stimulation; Brow lift now 3 times, holding 5 seconds."
    assert said(kiosk) == [expected]
    assert kiosk.notice == expected and kiosk.home_model().notice == expected
    tick(kiosk, 3)
    assert said(kiosk) == [expected], "once"
    # The next session and the stimulation control read the new plan.
    assert kiosk.session_plan().steps[0].reps == 3 and kiosk.session_plan().stimulation is None


def test_a_future_plan_is_announced_on_its_date(setup, keys, fresh_store):
    settings, text, wall, kiosk, share = setup
    sync(settings, fresh_store, share, keys, wall, "v3.toml", text)
    tick(kiosk, 2)
    monday = text.replace("version = 3", "version = 4").replace("valid_from = 2026-11-01", "valid_from = 2026-11-23")
    monday = monday.replace("enabled = true", "enabled = false")
    report = sync(settings, fresh_store, share, keys, wall, "monday.toml", monday)
    assert report.waiting == [("monday.toml", "This plan starts on 2026-11-23; until then the plan in force stays.")]
    tick(kiosk, 2)
    assert said(kiosk) == [] and current_plan(settings, fresh_store, wall()).plan.version == 3
    kiosk.act("caregiver", 0.0, "touch")  # the caregiver screen says why until then
    assert kiosk.caregiver.plan_status == (
        "New plan (version 4): This plan starts on 2026-11-23; until then the plan in force stays."
    )
    tick(kiosk, 1)
    kiosk.act("home", 0.0, "touch")
    wall.now += timedelta(days=3)  # Monday 23 November, no sync needed
    tick(kiosk, 2)
    assert said(kiosk) == ["Your therapist changed your plan: no more stimulation."]
    assert current_plan(settings, fresh_store, wall()).plan.version == 4


def test_the_announcement_waits_until_the_kiosk_is_free(setup, keys, fresh_store):
    settings, text, wall, kiosk, share = setup
    sync(settings, fresh_store, share, keys, wall, "v3.toml", text)
    tick(kiosk, 2)
    sync(settings, fresh_store, share, keys, wall, "v4.toml", text.replace("version = 3", "version = 4"))
    kiosk.start_session(0.0)  # coaching is not interrupted
    tick(kiosk, 3)
    assert kiosk.mode == "session" and said(kiosk) == []
    kiosk.session, kiosk.mode = None, "home"  # the session is over
    tick(kiosk, 2)
    assert said(kiosk) == ["Your therapist changed your plan: your exercises stay the same."]


def test_a_new_plan_moves_the_session_slots_without_a_restart(setup, keys, fresh_store):
    """The therapist moves the morning session to 14:00: the kiosk counts the new time, not the old one."""
    from kiosk.session.slot_ledger import SlotStep, open_slot_ledger

    settings, text, wall, kiosk, share = setup
    sync(settings, fresh_store, share, keys, wall, "v3.toml", text)
    first = current_plan(settings, fresh_store, wall()).plan
    kiosk.slots = open_slot_ledger(fresh_store, first.raw, always=True)
    kiosk.loop.add_step("slots", SlotStep(kiosk.slots, wall, every_s=0.0))
    dict(kiosk.loop.steps)["plan"].on_plan = kiosk.slots.use_plan  # as kiosk/run.py wires it
    tick(kiosk, 2)
    assert [(s.id, s.at.hour) for s in kiosk.slots.slots] == [("morning", 10)]

    moved = text.replace("version = 3", "version = 4").replace('time = "10:00"', 'time = "14:00"')
    assert sync(settings, fresh_store, share, keys, wall, "v4.toml", moved).applied == [("v4.toml", 4)]
    tick(kiosk, 2)
    assert [(s.id, s.at.hour) for s in kiosk.slots.slots] == [("morning", 14)]

    wall.now = datetime(2026, 11, 20, 13, 0, tzinfo=LONDON)  # the old 10:00 window (to 12:00) has closed
    tick(kiosk, 2)
    rows = list(fresh_store.db["sessions"].rows_where("status = 'missed'"))
    assert rows == [], "a session the new plan no longer has is not recorded as missed"
    wall.now = datetime(2026, 11, 20, 14, 20, tzinfo=LONDON)
    slot = kiosk.slots.claim(wall())
    assert slot is not None and slot.planned_for == datetime(2026, 11, 20, 14, 0, tzinfo=LONDON)
    wall.now = datetime(2026, 11, 21, 16, 30, tzinfo=LONDON)  # Saturday's 14:00 passes without a session
    tick(kiosk, 2)
    missed = [(r["slot_id"], r["planned_for"]) for r in fresh_store.db["sessions"].rows_where("status = 'missed'")]
    assert ("morning", datetime(2026, 11, 21, 14, 0, tzinfo=LONDON).isoformat()) in missed
    assert all(not p.endswith("T10:00:00+00:00") for _, p in missed)
