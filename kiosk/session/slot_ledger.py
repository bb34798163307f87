"""The kiosk's record of scheduled session slots in the ``sessions`` table (adapter over the Store).

A session row carries ``slot_id`` and ``planned_for`` when it fills a slot; a slot that passes
without a session gets a row of its own with status ``missed``, written by the kiosk as soon as
the slot's window closes (or at the next start-up when the kiosk was off). A unique index on
(slot_id, planned_for) keeps each occurrence once, whoever writes it.

The ledger follows the plan in force: the kiosk's plan watch (kiosk/plan/watch.py) hands it each
new plan with ``use_plan``, so a plan that moves or adds sessions counts from the moment it is in
force (within the watch's 30 s), without a restart. Slots of the old plan that closed before the
change were already recorded by the minute's check.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol

from kiosk.session.slots import SlotTime, missed, slot_for
from kiosk.store import Store, StoreError
from schedules.plan_section import SessionSlot

log = logging.getLogger(__name__)

CHECKED_KEY = "session_slots_checked_until"
MAX_LOOKBACK = timedelta(days=400)  # a kiosk off for longer records at most this much as missed


ALERT_WITHIN = timedelta(hours=24)  # after a long time off, only the last day's misses are alerted


class Alerter(Protocol):
    """The caregiver alert queue (schedules.notifier.CaregiverNotifier)."""

    def alert(
        self, kind: str, title: str, message: str, now: datetime, reminder_id: int | None = None
    ) -> list[int]: ...


def missed_message(gone: list[SlotTime]) -> str:
    """Plain words for the caregiver about missed sessions."""
    when = ", ".join(f"{occ.planned_for:%a %d %b} at {occ.planned_for:%H:%M}" for occ in gone)
    if len(gone) == 1:
        return f"The exercise session planned for {when} was not done."
    return f"{len(gone)} exercise sessions were not done: {when}."


class SlotLedger:
    """Ties sessions to the plan's slots and records missed ones, durably (and tells the caregiver)."""

    def __init__(
        self, store: Store, slots: tuple[SessionSlot, ...], tz: tzinfo, alerter: Alerter | None = None
    ) -> None:
        self.store, self.slots, self.tz, self.alerter = store, slots, tz, alerter

    def use_plan(self, plan_raw: dict) -> None:
        """Take the slots of a new plan in force (kept as they were when its schedule cannot be read)."""
        found = slots_of(plan_raw)
        if found is None:
            log.error("the new plan's time zone cannot be read; session slots unchanged")
            return
        if found != (self.slots, self.tz):
            log.info("session slots now %s", [f"{s.id} {s.at:%H:%M}" for s in found[0]])
        self.slots, self.tz = found

    def _taken(self) -> set[tuple[str, str]]:
        with self.store.lock:
            rows = self.store.db.execute(
                "select slot_id, planned_for from sessions where slot_id is not null and planned_for is not null"
            ).fetchall()
        return {(str(a), str(b)) for a, b in rows}

    def claim(self, started: datetime) -> SlotTime | None:
        """The slot a session starting now fills (None: an extra session outside every slot)."""
        return slot_for(started, self.slots, self._taken(), self.tz)

    def _since(self, now: datetime) -> datetime:
        with self.store.lock:
            row = self.store.db.execute("select value from schedule_state where key = ?", [CHECKED_KEY]).fetchone()
            applied = self.store.db.execute(
                "select min(applied_at) from plan_versions where applied_at is not null"
            ).fetchone()
        for value in (row[0] if row else None, applied[0] if applied else None):
            if value:
                moment = datetime.fromisoformat(value)
                moment = moment if moment.tzinfo else moment.replace(tzinfo=self.tz)
                return max(moment, now - MAX_LOOKBACK)
        return now  # no plan was ever applied here: nothing was planned before now

    def record_missed(self, now: datetime) -> list[SlotTime]:
        """Write a 'missed' row for every slot whose window closed without a session; return them."""
        since = self._since(now)
        gone = missed(self.slots, since, now, self._taken(), self.tz)
        with self.store.critical() as db:
            for occ in gone:
                try:
                    db["sessions"].insert(
                        {"slot_id": occ.slot_id, "planned_for": occ.planned_for.isoformat(), "status": "missed"}
                    )
                except sqlite3.IntegrityError:
                    log.info("slot %s already recorded", occ.key)  # another writer got there first
            db["schedule_state"].upsert({"key": CHECKED_KEY, "value": now.isoformat()}, pk="key")
        if gone:
            self.store.log_event("sessions_missed", now, {"slots": [list(occ.key) for occ in gone]})
        # The slot's own window (set by the plan) is the grace period; then the caregiver hears of it
        # like a missed reminder.
        recent = [occ for occ in gone if now - occ.closes_at <= ALERT_WITHIN]
        if recent and self.alerter is not None:
            self.alerter.alert("missed_session", "Exercise session missed", missed_message(recent), now)
        return gone


class SlotStep:
    """A main-loop step: records missed slots about once a minute (and at once after start-up)."""

    def __init__(self, ledger: SlotLedger, wall_clock: Callable[[], datetime], every_s: float = 60.0) -> None:
        self.ledger, self.wall_clock, self.every_s = ledger, wall_clock, every_s
        self.last: float | None = None

    def __call__(self, t: float) -> None:
        if self.last is not None and t - self.last < self.every_s:
            return
        self.last = t
        try:
            self.ledger.record_missed(self.wall_clock())
        except (StoreError, sqlite3.Error) as exc:  # the kiosk keeps running; the next minute tries again
            log.error("missed sessions could not be recorded: %s", exc)


def slots_of(plan_raw: dict) -> tuple[tuple[SessionSlot, ...], tzinfo] | None:
    """The session slots and time zone of a plan (None when its schedule cannot be read)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from schedules.plan_section import parse_schedule

    section, _problems = parse_schedule(plan_raw, "", "<plan in force>")
    try:
        return section.sessions, ZoneInfo(section.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def open_slot_ledger(
    store: Store, plan_raw: dict | None, alerter: Alerter | None = None, always: bool = False
) -> SlotLedger | None:
    """The ledger for the plan in force: None without a plan or without [[sessions]], unless ``always``.

    The running kiosk asks for one ``always``, so a later plan that adds sessions is followed.
    """
    found = slots_of(plan_raw) if plan_raw is not None else None
    slots, tz = found if found is not None else ((), UTC)
    if not slots and not always:
        return None
    return SlotLedger(store, slots, tz, alerter)
