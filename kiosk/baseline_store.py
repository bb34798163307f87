"""Baselines on disk: which session is the reference, a copy of what it measured, and reading them back.

A main-loop step (``BaselineStep``) looks about once a minute for finished, measured sessions
under a plan and records the one that is due (kiosk/baseline.py decides). The copy of the
results keeps the reference fixed even if rows are later repaired or re-scored.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from kiosk.baseline import (
    RECENT_DAYS,
    BaselineMark,
    ExerciseChange,
    Values,
    baseline_due,
    chart_marks,
    compare,
    mean_values,
)
from kiosk.store import Store, StoreError

log = logging.getLogger(__name__)

FINISHED = ("done", "partial")


@dataclass(frozen=True)
class Baseline:
    """One stored baseline."""

    session_id: int
    at: datetime
    reason: str
    results: dict[str, Values]


def _values(row: dict) -> Values:
    return Values(row["left_mm"], row["right_mm"], row["left_pct"], row["right_pct"])


def session_results(store: Store, session_id: int) -> dict[str, Values]:
    """Each measured exercise of one session (the mean when it was done twice)."""
    rows = store.db.query(
        "select exercise, left_mm, right_mm, left_pct, right_pct from exercise_results "
        "where session_id = ? and left_pct is not null and right_pct is not null order by id",
        [session_id],
    )
    grouped: dict[str, list[Values]] = {}
    for row in rows:
        grouped.setdefault(row["exercise"], []).append(_values(row))
    return {exercise: mean_values(values) for exercise, values in grouped.items()}


def baselines(store: Store) -> list[Baseline]:
    """Every stored baseline, oldest first."""
    rows = store.db.query("select session_id, at, reason, results from progress_baselines order by at, id")
    return [
        Baseline(
            r["session_id"],
            datetime.fromisoformat(r["at"]),
            r["reason"],
            {ex: Values(**v) for ex, v in json.loads(r["results"]).items()},
        )
        for r in rows
    ]


def baseline_at(store: Store, now: datetime) -> Baseline | None:
    """The baseline in force at ``now``: the newest one that started at or before it."""
    return next((b for b in reversed(baselines(store)) if b.at <= now), None)


def record_due(store: Store, every_weeks: int | None, now: datetime) -> list[int]:
    """Record every finished measured session under a plan that is due as a baseline; their session ids."""
    known = baselines(store)
    last = known[-1].at if known else None
    rows = store.db.query(
        "select id, started_at, plan_version from sessions where status in (?, ?) and ended_at is not null "
        "and plan_version is not null and started_at > ? order by started_at, id",
        [*FINISHED, last.isoformat() if last else ""],
    )
    recorded = []
    for row in rows:
        at = datetime.fromisoformat(row["started_at"])
        if at > now or not baseline_due(last, every_weeks, at):
            continue
        results = session_results(store, row["id"])
        if not results:
            continue  # nothing measured (no camera): the next measured session is the reference
        with store.critical() as db:
            db["progress_baselines"].insert(
                {
                    "session_id": row["id"],
                    "at": row["started_at"],
                    "recorded_at": now.isoformat(),
                    "plan_version": row["plan_version"],
                    "reason": "first" if last is None else "every_weeks",
                    "every_weeks": every_weeks,
                    "results": json.dumps({ex: asdict(v) for ex, v in results.items()}, sort_keys=True),
                }
            )
        last = at
        recorded.append(int(row["id"]))
    return recorded


def recent_results(store: Store, since: datetime, until: datetime) -> list[tuple[str, datetime, Values]]:
    """Measured results between two moments, as (exercise, when, values)."""
    rows = store.db.query(
        "select exercise, at, left_mm, right_mm, left_pct, right_pct from exercise_results "
        "where left_pct is not null and right_pct is not null and at >= ? order by at, id",
        [since.date().isoformat()],
    )
    out = []
    for row in rows:
        at = datetime.fromisoformat(row["at"])
        if since <= at <= until:
            out.append((row["exercise"], at, _values(row)))
    return out


def changes_now(store: Store, now: datetime) -> list[ExerciseChange]:
    """Each exercise of the baseline in force against the last two weeks (empty without a baseline)."""
    base = baseline_at(store, now)
    if base is None:
        return []
    recent = recent_results(store, now - timedelta(days=RECENT_DAYS + 1), now)
    return compare(base.results, base.at.date(), recent, now)


def baseline_marks(store: Store, now: datetime) -> dict[str, BaselineMark]:
    """The baseline in force at ``now`` per exercise, in %, for the progress charts (empty without one)."""
    base = baseline_at(store, now)
    return {} if base is None else chart_marks(base.results, base.at.date())


class BaselineStep:
    """A main-loop step: records a due baseline about once a minute (and at once after start-up)."""

    def __init__(
        self,
        store: Store,
        every_weeks: Callable[[], int | None],
        wall_clock: Callable[[], datetime],
        every_s: float = 60.0,
    ) -> None:
        self.store, self.every_weeks, self.wall_clock, self.every_s = store, every_weeks, wall_clock, every_s
        self.next_t = float("-inf")

    def __call__(self, t: float) -> None:
        if t >= self.next_t:
            self.next_t = t + self.every_s
            self.record()

    def record(self) -> None:
        """Record what is due now; a storage problem is logged and tried again next time."""
        try:
            recorded = record_due(self.store, self.every_weeks(), self.wall_clock())
        except (StoreError, sqlite3.Error) as exc:
            log.error("the baseline could not be recorded: %s", exc)
            return
        for session_id in recorded:
            log.info("session %s is the new baseline", session_id)
