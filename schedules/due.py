"""When things fall due (pure: ``now`` and spans are passed in; zoneinfo makes DST right).

Plan times are local wall-clock times in the plan's time zone. A time that does not exist on the
day the clocks go forward (01:30 in Europe/London) falls due at the same moment one hour later on
the new clock; a time that happens twice when the clocks go back falls due once, the first time.
Due times come back timezone-aware in UTC so they compare and store without ambiguity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from schedules.plan_section import EyeCareItem, ScheduleSection, SessionSlot, SummaryTime


@dataclass(frozen=True)
class Occurrence:
    """One due moment of an eye-care item or session."""

    item_id: str
    kind: str
    due_at: datetime  # UTC
    local: datetime  # the plan's wall clock
    night: bool = False
    protected: bool = True


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The real instant of wall time ``at`` on ``day`` in ``tz`` (DST gaps move forward, repeats use the first)."""
    naive = datetime.combine(day, at)
    # fold=0 takes the offset in force before a change: a repeated wall time maps to its first
    # instant, and a skipped one (spring-forward gap) to the same moment one hour later on the new clock.
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC).astimezone(tz)


def _days(start: datetime, end: datetime, tz: ZoneInfo) -> list[date]:
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def item_occurrences(item: EyeCareItem, tz: ZoneInfo, start: datetime, end: datetime) -> list[Occurrence]:
    """Due moments of one eye-care item with start < due <= end."""
    out = []
    for day in _days(start, end, tz):
        if day.weekday() not in item.days:
            continue
        for at in item.times:
            local = local_instant(day, at, tz)
            due = local.astimezone(UTC)
            if start < due <= end:
                out.append(Occurrence(item.id, item.kind, due, local, item.night, True))
    return out


def session_occurrences(slot: SessionSlot, tz: ZoneInfo, start: datetime, end: datetime) -> list[Occurrence]:
    """Due moments of one exercise session with start < due <= end."""
    out = []
    for day in _days(start, end, tz):
        if day.weekday() in slot.days:
            local = local_instant(day, slot.at, tz)
            if start < local.astimezone(UTC) <= end:
                out.append(Occurrence(slot.id, "session", local.astimezone(UTC), local, False, False))
    return out


def occurrences(section: ScheduleSection, start: datetime, end: datetime) -> list[Occurrence]:
    """Eye-care reminders due with start < due <= end, in time order, the night routine first on ties."""
    tz = ZoneInfo(section.timezone)
    found = [o for item in section.items for o in item_occurrences(item, tz, start, end)]
    return sorted(found, key=lambda o: (o.due_at, not o.night, o.item_id))


def sessions_between(section: ScheduleSection, start: datetime, end: datetime) -> list[Occurrence]:
    """Exercise sessions due with start < due <= end, in time order."""
    tz = ZoneInfo(section.timezone)
    found = [o for slot in section.sessions for o in session_occurrences(slot, tz, start, end)]
    return sorted(found, key=lambda o: (o.due_at, o.item_id))


def day_bounds(section: ScheduleSection, now: datetime) -> tuple[datetime, datetime]:
    """The start and end (exclusive-start, inclusive-end span) of ``now``'s local day, in UTC."""
    tz = ZoneInfo(section.timezone)
    today = now.astimezone(tz).date()
    start = datetime.combine(today, time(0), tzinfo=tz).astimezone(UTC) - timedelta(microseconds=1)
    end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC) - timedelta(microseconds=1)
    return start, end


def next_summary(summary: SummaryTime, tz_name: str, now: datetime) -> datetime:
    """The next time the therapist summary should be built, after ``now`` (UTC)."""
    tz = ZoneInfo(tz_name)
    day = now.astimezone(tz).date()
    for n in range(0, 9):
        candidate = day + timedelta(days=n)
        if summary.every == "weekly" and candidate.weekday() != summary.day:
            continue
        due = local_instant(candidate, summary.at, tz).astimezone(UTC)
        if due > now:
            return due
    raise AssertionError("a summary time always exists within 8 days")
