"""The escalation policy of one protected reminder (pure: ``now`` is passed in, no I/O).

announce -> repeat every few minutes, louder -> caregiver alert (about 15 minutes) -> recorded as
missed after the catch-up window. Snoozing is bounded: it only pauses the repeats, never the
caregiver alert or the catch-up window, and only where the plan allows it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

OPEN = ("due", "announced")
CLOSED = ("acknowledged", "missed")
# A patient may say "I took my drops" a little before the reminder; it counts for the one
# reminder it can mean (schedules.service.ReminderService._early).
EARLY_ACK = timedelta(minutes=15)


@dataclass(frozen=True)
class ReminderPolicy:
    """Escalation numbers from the plan's [reminders] table (safe defaults)."""

    announce_ahead_minutes: int = 0
    repeat_every_minutes: int = 3
    caregiver_after_minutes: int = 15
    catch_up_minutes: int = 60
    snooze_minutes: int = 0
    max_snoozes: int = 0

    @property
    def repeat(self) -> timedelta:
        return timedelta(minutes=self.repeat_every_minutes)

    @property
    def caregiver_after(self) -> timedelta:
        return timedelta(minutes=self.caregiver_after_minutes)

    @property
    def catch_up(self) -> timedelta:
        return timedelta(minutes=self.catch_up_minutes)

    @property
    def ahead(self) -> timedelta:
        return timedelta(minutes=self.announce_ahead_minutes)


@dataclass(frozen=True)
class ReminderState:
    """One reminder as the database holds it (times are timezone-aware)."""

    id: int
    item_id: str
    kind: str
    due_at: datetime
    window_start: datetime  # when the escalation clock started: due_at, or start-up when reconciled
    status: str = "due"  # due | announced | acknowledged | missed
    announced_at: datetime | None = None
    last_spoken_at: datetime | None = None
    level: int = 0
    caregiver_alerted_at: datetime | None = None
    snoozes: int = 0
    snoozed_until: datetime | None = None
    closed_at: datetime | None = None
    night: bool = False

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True)
class Announce:
    """Say the reminder: the first time (``repeat`` False) or again, louder."""

    level: int
    repeat: bool
    loud: bool


@dataclass(frozen=True)
class AlertCaregiver:
    """Tell the caregiver: 'unanswered' (no answer yet) or 'missed' (catch-up window over)."""

    reason: str


@dataclass(frozen=True)
class MarkMissed:
    """Record the reminder as missed."""


Action = Announce | AlertCaregiver | MarkMissed


def step(state: ReminderState, policy: ReminderPolicy, now: datetime) -> tuple[ReminderState, list[Action]]:
    """What to do for this reminder at ``now``; returns the new state and the actions."""
    if not state.is_open or now < state.window_start - policy.ahead:
        return state, []
    if state.status == "due":
        new = dataclasses.replace(state, status="announced", announced_at=now, last_spoken_at=now, level=0)
        return new, [Announce(level=0, repeat=False, loud=False)]
    elapsed = now - state.window_start
    if elapsed >= policy.catch_up:
        alerted = state.caregiver_alerted_at or now
        new = dataclasses.replace(state, status="missed", closed_at=now, caregiver_alerted_at=alerted)
        return new, [MarkMissed(), AlertCaregiver("missed")]
    actions: list[Action] = []
    if elapsed >= policy.caregiver_after and state.caregiver_alerted_at is None:
        state = dataclasses.replace(state, caregiver_alerted_at=now)
        actions.append(AlertCaregiver("unanswered"))
    if _repeat_due(state, policy, now):
        state = dataclasses.replace(state, level=state.level + 1, last_spoken_at=now)
        actions.append(Announce(level=state.level, repeat=True, loud=True))
    return state, actions


def _repeat_due(state: ReminderState, policy: ReminderPolicy, now: datetime) -> bool:
    if state.snoozed_until is not None and now < state.snoozed_until:
        return False
    last = state.last_spoken_at or state.window_start
    if state.snoozed_until is not None and state.snoozed_until > last:
        return True  # the snooze is over: speak again at once
    return now - last >= policy.repeat


def next_wake(state: ReminderState, policy: ReminderPolicy) -> datetime | None:
    """The earliest time ``step`` would do something for this reminder (None when closed)."""
    if not state.is_open:
        return None
    if state.status == "due":
        return state.window_start - policy.ahead
    times = [state.window_start + policy.catch_up]
    if state.caregiver_alerted_at is None:
        times.append(state.window_start + policy.caregiver_after)
    last = state.last_spoken_at or state.window_start
    if state.snoozed_until is not None and state.snoozed_until > last:
        times.append(state.snoozed_until)
    else:
        times.append(last + policy.repeat)
    return min(times)


def snooze(state: ReminderState, policy: ReminderPolicy, now: datetime) -> tuple[ReminderState, str]:
    """Pause the repeats if the plan allows; returns the state and 'ok', 'not_allowed' or 'used_up'."""
    if policy.snooze_minutes <= 0 or policy.max_snoozes <= 0 or state.status != "announced":
        return state, "not_allowed"
    if state.snoozes >= policy.max_snoozes:
        return state, "used_up"
    until = now + timedelta(minutes=policy.snooze_minutes)
    return dataclasses.replace(state, snoozes=state.snoozes + 1, snoozed_until=until), "ok"


def rebase(state: ReminderState, offset: timedelta) -> ReminderState:
    """Shift an announced reminder's escalation clock by ``offset`` (after a clock jump or time off)."""
    if state.status != "announced":
        return state
    return dataclasses.replace(
        state,
        window_start=state.window_start + offset,
        last_spoken_at=None if state.last_spoken_at is None else state.last_spoken_at + offset,
        snoozed_until=None if state.snoozed_until is None else state.snoozed_until + offset,
    )


def is_late(state: ReminderState) -> bool:
    """An acknowledgement is late when the caregiver had already been alerted."""
    return state.caregiver_alerted_at is not None
