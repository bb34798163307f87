"""Reconciling reminders after the kiosk was off or the clock jumped (pure: no clock, no I/O).

At start-up the service materialises every occurrence up to now (rows are unique per item and
instant, so nothing is created twice), then asks this module what to do with the open rows:

- the escalation time a reminder spent before the gap is kept, the gap itself does not count, so
  a reminder that fell due while the kiosk was off is announced now and escalates from now;
- of several open rows of one item only the newest is announced; the older ones are recorded as
  missed (superseded), so the patient is not asked to take three doses of drops at once;
- a gap that swallowed at least one reminder raises the "kiosk was off" caregiver alert.

A clock jump while running (a Pi without a real-time clock setting its time from the network)
is found by comparing the wall clock with the monotonic clock and handled the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from schedules.escalation import ReminderState

JUMP_TOLERANCE = timedelta(seconds=90)


@dataclass(frozen=True)
class Reconciled:
    """What to write and say after a gap (start-up or clock jump)."""

    keep: list[ReminderState]  # open rows, escalation clock adjusted
    superseded: list[ReminderState]  # older rows of the same item, now recorded as missed
    swallowed: list[ReminderState]  # rows that fell due inside the gap (for the caregiver alert)
    resumed: list[int]  # ids of rows already announced before the gap: say them again at once


def detect_jump(prev_wall: datetime, prev_mono: float, wall: datetime, mono: float) -> timedelta | None:
    """How far the wall clock jumped compared with the monotonic clock, or None within tolerance."""
    offset = wall - (prev_wall + timedelta(seconds=mono - prev_mono))
    return offset if abs(offset) > JUMP_TOLERANCE else None


def reconcile(rows: Iterable[ReminderState], gap_start: datetime, now: datetime) -> Reconciled:
    """Adjust the open rows after the kiosk could not act between ``gap_start`` and ``now``.

    ``gap_start`` may be later than ``now`` when the clock went back; then the escalation clocks
    move back with it and nothing new falls due.
    """
    until = max(now, gap_start)
    current = [r for r in rows if r.is_open and r.due_at <= until]
    swallowed = [r for r in current if gap_start < r.due_at <= now]
    adjusted = [_skip_gap(r, gap_start, now) for r in current]
    keep, superseded = supersede(adjusted, until, now)
    resumed = [r.id for r in keep if r.status == "announced"]
    return Reconciled(keep, superseded, swallowed, resumed)


def _skip_gap(row: ReminderState, gap_start: datetime, now: datetime) -> ReminderState:
    """Keep the escalation time spent before the gap; the gap itself does not count."""
    spent = max(timedelta(0), gap_start - row.window_start)
    offset = (now - spent) - row.window_start
    return dataclasses.replace(
        row,
        window_start=row.window_start + offset,
        last_spoken_at=None if row.last_spoken_at is None else row.last_spoken_at + offset,
        snoozed_until=None if row.snoozed_until is None else row.snoozed_until + offset,
    )


def supersede(
    rows: Iterable[ReminderState], until: datetime, now: datetime
) -> tuple[list[ReminderState], list[ReminderState]]:
    """Keep the newest open row of each item due by ``until``; close older ones as missed at ``now``."""
    rows = list(rows)
    newest: dict[str, ReminderState] = {}
    for row in rows:
        if (
            row.is_open
            and row.due_at <= until
            and (row.item_id not in newest or row.due_at > newest[row.item_id].due_at)
        ):
            newest[row.item_id] = row
    keep, closed = [], []
    for row in rows:
        if not row.is_open or row.due_at > until or newest[row.item_id] is row:
            keep.append(row)
            continue
        closed.append(
            dataclasses.replace(
                row,
                status="missed",
                closed_at=now,
                announced_at=row.announced_at or now,
                caregiver_alerted_at=row.caregiver_alerted_at or now,
            )
        )
    return keep, closed
