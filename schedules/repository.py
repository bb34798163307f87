"""Reminder rows in SQLite: the source of truth (``reminder_events``, ``reminder_acks``, ``schedule_state``).

One row per (item, due instant), enforced by a unique index, so re-materialising a span after a
restart or a clock jump can never create a duplicate. Acknowledgements are written with
``Store.critical()`` (synchronous=FULL) and only then reported back, so what is confirmed aloud
survives a power cut.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlite_utils import Database

from schedules.due import Occurrence
from schedules.escalation import ReminderState, is_late


class ReminderStore(Protocol):
    """The storage schedules/ needs (the kiosk's Store provides it): one SQLite database behind a lock."""

    db: Database
    lock: AbstractContextManager[Any]  # re-entrant: held around several statements

    def write(self) -> AbstractContextManager[Database]:
        """An ordinary transaction that takes the write lock first."""
        ...

    def critical(self) -> AbstractContextManager[Database]:
        """A transaction that is on disk when the block ends (synchronous=FULL)."""
        ...

    def log_event(self, kind: str, now: datetime, data: dict[str, Any] | None = None) -> int:
        """Append one row to the event log."""
        ...


def iso(moment: datetime | None) -> str | None:
    """A stored instant: UTC ISO text to the second (stable, so the unique index works)."""
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str | None) -> datetime | None:
    return None if not text else datetime.fromisoformat(text)


@dataclass(frozen=True)
class AckRecord:
    """A durable acknowledgement."""

    reminder_id: int
    item_id: str
    kind: str
    at: datetime
    via: str
    late_seconds: float
    late: bool


def _state(row: dict[str, Any]) -> ReminderState:
    due = parse_iso(row["due_at"])
    assert due is not None
    return ReminderState(
        id=int(row["id"]),
        item_id=row["item_id"],
        kind=row["kind"],
        due_at=due,
        window_start=parse_iso(row["window_start"]) or due,
        status=row["status"],
        announced_at=parse_iso(row["announced_at"]),
        last_spoken_at=parse_iso(row["last_spoken_at"]),
        level=int(row["escalation_level"] or 0),
        caregiver_alerted_at=parse_iso(row["caregiver_alerted_at"]),
        snoozes=int(row["snoozes"] or 0),
        snoozed_until=parse_iso(row["snoozed_until"]),
        closed_at=parse_iso(row["closed_at"]),
        night=bool(row["night"]),
    )


def _columns(state: ReminderState) -> dict[str, Any]:
    return {
        "window_start": iso(state.window_start),
        "status": state.status,
        "announced_at": iso(state.announced_at),
        "last_spoken_at": iso(state.last_spoken_at),
        "escalation_level": state.level,
        "caregiver_alerted_at": iso(state.caregiver_alerted_at),
        "snoozes": state.snoozes,
        "snoozed_until": iso(state.snoozed_until),
        "closed_at": iso(state.closed_at),
    }


class ReminderRepository:
    """Reads and writes reminder rows through the kiosk's Store."""

    def __init__(self, store: ReminderStore) -> None:
        self.store = store

    def materialize(self, found: Iterable[Occurrence]) -> int:
        """Insert a 'due' row per occurrence unless it exists; return how many were new."""
        rows = [
            {
                "item_id": o.item_id,
                "kind": o.kind,
                "due_at": iso(o.due_at),
                "window_start": iso(o.due_at),
                "status": "due",
                "escalation_level": 0,
                "snoozes": 0,
                "night": int(o.night),
                "details": "{}",
            }
            for o in found
        ]
        if not rows:
            return 0
        with self.store.write() as db:
            before = db["reminder_events"].count
            db["reminder_events"].insert_all(rows, ignore=True)
            return db["reminder_events"].count - before

    def open_reminders(self) -> list[ReminderState]:
        """Every reminder not yet acknowledged or missed, oldest first."""
        with self.store.lock:
            rows = self.store.db["reminder_events"].rows_where(
                "status in ('due', 'announced')", order_by="due_at, night desc, id"
            )
            return [_state(r) for r in rows]

    def id_of(self, item_id: str, due_at: datetime) -> int:
        """The row id of the reminder for ``item_id`` due at ``due_at`` (it must exist)."""
        with self.store.lock:
            row = self.store.db.execute(
                "select id from reminder_events where item_id = ? and due_at = ?", [item_id, iso(due_at)]
            ).fetchone()
        if row is None:
            raise LookupError(f"no reminder row for {item_id} at {iso(due_at)}")
        return int(row[0])

    def get(self, reminder_id: int) -> ReminderState:
        with self.store.lock:
            return _state(self.store.db["reminder_events"].get(reminder_id))

    def save(self, states: Iterable[ReminderState], details: dict[int, dict[str, Any]] | None = None) -> None:
        """Write escalation state (and merge extra details) for several reminders in one transaction."""
        details = details or {}
        with self.store.write() as db:
            for state in states:
                values = _columns(state)
                if state.id in details:
                    old = json.loads(db["reminder_events"].get(state.id)["details"] or "{}")
                    values["details"] = json.dumps({**old, **details[state.id]}, sort_keys=True)
                db["reminder_events"].update(state.id, values)

    def acknowledge(self, reminder_id: int, via: str, now: datetime) -> AckRecord | None:
        """Durably record an acknowledgement; None when the reminder is already closed."""
        with self.store.critical() as db:
            return self.acknowledge_in(db, reminder_id, via, now)

    def acknowledge_in(self, db: Database, reminder_id: int, via: str, now: datetime) -> AckRecord | None:
        """The acknowledgement inside a transaction the caller holds; None when already closed."""
        state = _state(db["reminder_events"].get(reminder_id))
        if not state.is_open:
            return None
        return self._write_ack(db, state, via, now)

    def _write_ack(self, db: Database, state: ReminderState, via: str, now: datetime) -> AckRecord:
        late_seconds = max(0.0, (now - state.due_at).total_seconds())
        db["reminder_acks"].insert({"reminder_id": state.id, "at": iso(now), "via": via, "late_seconds": late_seconds})
        db["reminder_events"].update(state.id, {"status": "acknowledged", "closed_at": iso(now)})
        return AckRecord(state.id, state.item_id, state.kind, now, via, late_seconds, is_late(state))

    def last_before(self, kinds: tuple[str, ...], now: datetime) -> tuple[datetime | None, datetime | None]:
        """The latest due instant (at or before ``now``) of a reminder of ``kinds``, and its latest acknowledgement."""
        marks = ",".join("?" for _ in kinds)
        sql = (
            f"select (select max(due_at) from reminder_events where kind in ({marks}) and due_at <= ? "
            "and status != 'cancelled'), "
            f"(select max(a.at) from reminder_acks a join reminder_events e on e.id = a.reminder_id "
            f"where e.kind in ({marks}) and a.at <= ?)"
        )
        with self.store.lock:
            due, ack = self.store.db.execute(sql, [*kinds, iso(now), *kinds, iso(now)]).fetchone()
        return parse_iso(due), parse_iso(ack)

    def cancel_future(self, now: datetime, keep: set[tuple[str, str]]) -> int:
        """Close not-yet-due rows the new plan no longer has (status 'cancelled'); return how many."""
        with self.store.write() as db:
            rows = list(db["reminder_events"].rows_where("status = 'due' and due_at > ?", [iso(now)]))
            gone = [r["id"] for r in rows if (r["item_id"], r["due_at"]) not in keep]
            for reminder_id in gone:
                db["reminder_events"].update(
                    reminder_id, {"status": "cancelled", "closed_at": iso(now), "details": '{"closed": "plan changed"}'}
                )
            return len(gone)

    def value(self, key: str) -> str | None:
        """A remembered value (heartbeat, materialised-until mark)."""
        with self.store.lock:
            row = self.store.db.execute("select value from schedule_state where key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_values(self, **values: str) -> None:
        with self.store.write() as db:
            db["schedule_state"].upsert_all([{"key": k, "value": v} for k, v in values.items()], pk="key")

    def rows_between(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """Reminder rows due with start < due_at <= end, with their acknowledgement time if any."""
        sql = (
            "select e.*, a.at as ack_at, a.via as ack_via from reminder_events e "
            "left join reminder_acks a on a.reminder_id = e.id where e.due_at > ? and e.due_at <= ? "
            "order by e.due_at, e.id"
        )
        with self.store.lock:
            cursor = self.store.db.execute(sql, [iso(start), iso(end)])
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
