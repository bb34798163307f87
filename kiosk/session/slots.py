"""Scheduled session slots (pure): which slot a session fills, and which slots passed without one.

The plan's ``[[sessions]]`` (``schedules.plan_section.SessionSlot``) say on which weekdays and at
what local time a session is planned, and ``window_minutes`` how long it counts as on time. A
session started from EARLY before a slot to the end of its window fills that slot; a slot whose
window has closed without a session is missed. Adherence counts slots, never presses of Start.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from schedules.plan_section import SessionSlot

EARLY = timedelta(minutes=60)  # a session this long before its slot still counts for it


@dataclass(frozen=True)
class SlotTime:
    """One planned occurrence of a slot."""

    slot_id: str
    planned_for: datetime  # local, aware
    closes_at: datetime  # after this the slot is missed unless a session filled it

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the occurrence in the store: (slot id, ISO time)."""
        return (self.slot_id, self.planned_for.isoformat())


def occurrences(slots: Iterable[SessionSlot], first: date, last: date, tz: tzinfo) -> Iterator[SlotTime]:
    """Every slot occurrence on the days ``first`` to ``last`` inclusive, in time order."""
    slots = tuple(slots)
    found = []
    day = first
    while day <= last:
        for slot in slots:
            if day.weekday() in slot.days:
                at = datetime.combine(day, slot.at, tzinfo=tz)
                found.append(SlotTime(slot.id, at, at + timedelta(minutes=slot.window_minutes)))
        day += timedelta(days=1)
    yield from sorted(found, key=lambda s: (s.planned_for, s.slot_id))


def slot_for(
    started: datetime, slots: Iterable[SessionSlot], taken: set[tuple[str, str]], tz: tzinfo
) -> SlotTime | None:
    """The open slot a session started at ``started`` fills (the earliest not yet taken), or None (an extra session)."""
    local = started.astimezone(tz)
    for occ in occurrences(slots, local.date() - timedelta(days=1), local.date() + timedelta(days=1), tz):
        if occ.planned_for - EARLY <= local <= occ.closes_at and occ.key not in taken:
            return occ
    return None


def missed(
    slots: Iterable[SessionSlot], since: datetime, now: datetime, taken: set[tuple[str, str]], tz: tzinfo
) -> list[SlotTime]:
    """Occurrences whose window closed after ``since`` and by ``now`` without a session."""
    first, last = since.astimezone(tz).date() - timedelta(days=1), now.astimezone(tz).date()
    return [occ for occ in occurrences(slots, first, last, tz) if since < occ.closes_at <= now and occ.key not in taken]
