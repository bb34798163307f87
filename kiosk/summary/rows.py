"""Read the stored tables into summary rows, defensively (other parts write them at the same time).

Expected columns are those of ``kiosk/migrations.py`` (m001); a missing table or column gives
empty values, and a row that cannot be read is skipped and named in ``Rows.read_problems`` so the
summary's data-quality section shows it. See docs/summary.md for what each writer should store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from kiosk.store import Store
from kiosk.summary.model import EventRow, ExerciseRow, Period, PlanRow, ReminderRow, Rows, SessionRow, StimRow

T = TypeVar("T")


class RowError(ValueError):
    """A stored value that cannot be understood."""


def parse_time(value: Any, tz: tzinfo) -> datetime | None:
    """An ISO timestamp (naive ones are read as local ``tz``), or None when empty."""
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise RowError(f"bad time {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _required_time(value: Any, tz: tzinfo) -> datetime:
    moment = parse_time(value, tz)
    if moment is None:
        raise RowError("time is empty")
    return moment


def _json(value: Any) -> Any:
    if value in (None, ""):
        return {}
    try:
        return json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError as exc:
        raise RowError(f"bad JSON {str(value)[:40]!r}") from exc


def _flags(value: Any) -> tuple[str, ...]:
    """Synkinesis flags: a JSON list, comma-separated text, or empty."""
    if value in (None, "", "none", "[]"):
        return ()
    text = str(value)
    if text.startswith("["):
        return tuple(str(v) for v in _json(text))
    return tuple(part.strip() for part in text.split(",") if part.strip() and part.strip() != "none")


def _num(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


class RowReader:
    """Reads one period's rows from a Store; collects problems instead of failing on one bad row."""

    def __init__(self, store: Store, tz: tzinfo) -> None:
        self.store = store
        self.tz = tz
        self.problems: list[str] = []

    def _select(self, table: str, where: str, args: tuple[Any, ...]) -> Iterator[dict[str, Any]]:
        try:
            with self.store.lock:
                cursor = self.store.db.execute(f"SELECT * FROM [{table}] WHERE {where}", args)
                names = [d[0] for d in cursor.description]
                rows = cursor.fetchall()
        except sqlite3.Error as exc:
            self.problems.append(f"{table}: cannot be read ({exc})")
            return
        for row in rows:
            yield dict(zip(names, row, strict=True))

    def _each(
        self, table: str, where: str, args: tuple[Any, ...], make: Callable[[dict[str, Any]], T]
    ) -> tuple[T, ...]:
        out = []
        for raw in self._select(table, where, args):
            try:
                out.append(make(raw))
            except (RowError, ValueError, TypeError, KeyError) as exc:
                self.problems.append(f"{table} row {raw.get('id')}: skipped ({exc})")
        return tuple(out)

    def read(self, period: Period) -> Rows:
        """All rows that may fall in the period (a day either side for time zones)."""
        lo, hi = period.start.isoformat(), period.end.isoformat()

        def day(col: str) -> str:
            # Rows whose time is not a date at all are read too, so they are reported, not silently lost.
            return (
                f"(substr(coalesce({col}, ''), 1, 10) BETWEEN date(?, '-1 day') AND date(?, '+1 day')"
                f" OR ({col} IS NOT NULL AND {col} NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'))"
            )

        tz = self.tz
        sessions = self._each(
            "sessions",
            f"{day('planned_for')} OR (planned_for IS NULL AND {day('started_at')})",
            (lo, hi, lo, hi),
            lambda r: SessionRow(
                int(r["id"]),
                parse_time(r.get("planned_for"), tz),
                parse_time(r.get("started_at"), tz),
                parse_time(r.get("ended_at"), tz),
                str(r.get("status") or "planned"),
                r.get("plan_version"),
                float(r.get("minutes") or 0.0),
                str(r.get("notes") or ""),
            ),
        )
        exercises = self._each(
            "exercise_results",
            day("at"),
            (lo, hi),
            lambda r: ExerciseRow(
                int(r["id"]),
                r.get("session_id"),
                str(r["exercise"]),
                _required_time(r.get("at"), tz),
                int(r.get("reps_planned") or 0),
                int(r.get("reps_done") or 0),
                _num(r.get("hold_seconds")),
                _num(r.get("left_mm")),
                _num(r.get("right_mm")),
                _num(r.get("left_pct")),
                _num(r.get("right_pct")),
                _num(r.get("symmetry_ratio")),
                str(r.get("weaker_side") or ""),
                _flags(r.get("synkinesis")),
                str(r.get("quality") or ""),
                _json(r.get("details")),
            ),
        )
        acks: dict[int, dict[str, Any]] = {}
        for ack in self._select("reminder_acks", "1", ()):
            acks.setdefault(int(ack["reminder_id"]), ack)  # the first acknowledgement counts
        reminders = self._each(
            "reminder_events",
            day("due_at"),
            (lo, hi),
            lambda r: self._reminder(r, acks.get(int(r["id"]))),
        )
        stim = self._each(
            "stim_log",
            day("started_at"),
            (lo, hi),
            lambda r: StimRow(
                int(r["id"]),
                _required_time(r.get("started_at"), tz),
                parse_time(r.get("stopped_at"), tz),
                str(r.get("side") or ""),
                _flags(r.get("sites")),
                _json(r.get("parameters")),
                _num(r.get("max_amplitude_ma")),
                str(r.get("stop_reason") or ""),
                r.get("plan_version"),
                str(r.get("end_code") or ""),
                _num(r.get("planned_s")),
                _num(r.get("elapsed_s")),
            ),
        )
        events = self._each(
            "event_log",
            day("at"),
            (lo, hi),
            lambda r: EventRow(
                int(r["id"]), _required_time(r.get("at"), tz), str(r.get("kind") or ""), _json(r.get("data"))
            ),
        )
        plans = self._each(
            "plan_versions",
            "1",
            (),
            lambda r: PlanRow(
                r.get("version"),
                parse_time(r.get("received_at"), tz),
                parse_time(r.get("applied_at"), tz),
                str(r.get("status") or ""),
                str(r.get("reason") or ""),
                str(r.get("sha256") or ""),
            ),
        )
        return Rows(sessions, exercises, reminders, stim, events, plans, tuple(self.problems))

    def _reminder(self, r: dict[str, Any], ack: dict[str, Any] | None) -> ReminderRow:
        return ReminderRow(
            int(r["id"]),
            str(r.get("item_id") or ""),
            str(r.get("kind") or ""),
            _required_time(r.get("due_at"), self.tz),
            str(r.get("status") or "due"),
            int(r.get("escalation_level") or 0),
            parse_time(r.get("caregiver_alerted_at"), self.tz),
            parse_time(ack.get("at"), self.tz) if ack else None,
            str(ack.get("via") or "") if ack else "",
            _num(ack.get("late_seconds")) if ack else None,
        )


def read_rows(store: Store, start: date, end: date, tz: tzinfo) -> tuple[Rows, Period]:
    """Rows for the days ``start`` to ``end`` inclusive."""
    period = Period(start, end)
    return RowReader(store, tz).read(period), period
