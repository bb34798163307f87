"""Shared helpers for the schedules tests: a London plan and a stepping driver."""

from datetime import UTC, datetime, timedelta

from schedules import policy as pol
from schedules.plan_section import default_section
from schedules.service import ReminderService

SECTION = default_section("Europe/London", "left")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def mono(wall: datetime) -> float:
    """A monotonic reading that agrees with a correct wall clock."""
    return (wall - EPOCH).total_seconds()


def drive(service: ReminderService, start: datetime, minutes: int, activity: str = "idle"):
    """Tick once a minute with a correct clock; return [(minute, decision)]."""
    out = []
    for m in range(minutes + 1):
        now = start + timedelta(minutes=m)
        for d in service.tick(now, mono(now), activity):
            out.append((m, d))
    return out


def shown(decisions):
    """Reminder ids put on screen, from decisions or (minute, decision) pairs."""
    plain = [d[1] if isinstance(d, tuple) else d for d in decisions]
    return [d.reminder_id for d in plain if isinstance(d, pol.Show)]
