"""The starter plan keeps the kiosk's own clock: its reminders are due at the kiosk's local times.

It named Europe/London for every kiosk, so a new kiosk in New York said "time for your eye
drops" at 03:00 and the night ointment at 17:00 until the therapist's plan came.
"""

from datetime import UTC, datetime, timedelta

import pytest

from content import content_path
from kiosk.plan import current
from kiosk.plan.current import PLAN_FILE, current_plan, plan_dir, starter_plan_bytes
from kiosk.plan.loader import last_applied
from kiosk.plan.model import parse_plan
from kiosk.reminders import schedule_of
from kiosk.settings import Settings, with_overrides
from schedules.due import occurrences

NOW = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path):
    return with_overrides(Settings(), storage={"data_dir": str(tmp_path / "data")})


def in_zone(monkeypatch, zone):
    monkeypatch.setattr(current, "local_zone", lambda: zone)


def drops_today(plan):
    section, problem = schedule_of(plan)
    assert problem is None
    found = occurrences(section, NOW - timedelta(days=1), NOW + timedelta(days=1))
    return sorted((o for o in found if o.kind == "drops" and o.local.date() == NOW.date()), key=lambda o: o.due_at)


def test_the_starter_plan_is_on_the_kiosks_own_clock(monkeypatch, settings, fresh_store):
    in_zone(monkeypatch, "America/New_York")
    in_force = current_plan(settings, fresh_store, NOW)
    assert in_force.accepted and in_force.plan.timezone == "America/New_York", in_force.reason
    first = drops_today(in_force.plan)[0]
    assert first.local.strftime("%H:%M %Z") == "08:00 EST"
    assert first.due_at == datetime(2026, 12, 5, 13, 0, tzinfo=UTC)  # 08:00 in New York, not 03:00
    assert not in_force.plan.signed and in_force.stimulation.enabled is False


def test_only_the_time_zone_line_changes(monkeypatch):
    shipped, _ = parse_plan(content_path("plans", "starter.toml").read_bytes())
    local, problems = parse_plan(starter_plan_bytes("Asia/Tokyo"))
    assert problems == [] and local.timezone == "Asia/Tokyo"
    without_zone = {**local.raw, "plan": {k: v for k, v in local.raw["plan"].items() if k != "timezone"}}
    assert without_zone == {**shipped.raw, "plan": {k: v for k, v in shipped.raw["plan"].items() if k != "timezone"}}


def test_a_new_time_zone_replaces_the_starter_in_force(monkeypatch, settings, fresh_store):
    """A kiosk moved (or set to its real zone after the first start) follows the new clock at once."""
    in_zone(monkeypatch, "Europe/London")  # Raspberry Pi OS's zone until it is set
    assert current_plan(settings, fresh_store, NOW).plan.timezone == "Europe/London"
    in_zone(monkeypatch, "Europe/Berlin")
    moved = current_plan(settings, fresh_store, NOW)
    assert moved.accepted and moved.plan.timezone == "Europe/Berlin", moved.reason
    assert 'timezone = "Europe/Berlin"' in last_applied(fresh_store).text  # what `reminders list` shows
    assert drops_today(moved.plan)[0].due_at == datetime(2026, 12, 5, 7, 0, tzinfo=UTC)


def test_the_starter_never_replaces_a_signed_plan(monkeypatch, tmp_path, keys, write_plan, plan_text, fresh_store):
    from kiosk.plan.current import device_id

    private, public = keys
    settings = with_overrides(
        Settings(), storage={"data_dir": str(tmp_path / "data")}, sync={"therapist_key": str(public)}
    )
    folder = plan_dir(settings)
    folder.mkdir(parents=True)
    signed = write_plan(plan_text.replace('device = "fc-test"', f'device = "{device_id(settings)}"'), sign_with=private)
    (folder / PLAN_FILE).write_bytes(signed.read_bytes())
    (folder / (PLAN_FILE + ".sig")).write_bytes(signed.with_name(signed.name + ".sig").read_bytes())
    assert current_plan(settings, fresh_store, NOW).plan.signed
    (folder / PLAN_FILE).unlink()  # the signed file lost: the starter must not take over
    in_zone(monkeypatch, "America/New_York")
    after = current_plan(settings, fresh_store, NOW)
    assert not after.accepted and after.plan.signed and "only a newer signed plan" in after.reason
