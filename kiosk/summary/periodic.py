"""The summary the kiosk builds on its own schedule: find the due period, build, queue, record.

Called by ``facecoach sync`` (the hourly timer). The files go into the outbox before the period is
recorded as done, so a pass cut off in between builds the period again next time (a duplicate the
therapist can ignore) instead of leaving it out (a gap nobody would notice).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from kiosk.settings import Settings
from kiosk.store import Store
from kiosk.summary import service
from kiosk.summary.rows import RowError, parse_time
from kiosk.summary.schedule import Cadence, cadence_from_plan, next_period


@dataclass(frozen=True)
class Built:
    """One summary built on schedule: its days and the outbox names of its files."""

    start: date
    end: date
    files: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """What one scheduled look found: the summary built (or None), the cadence, and plan problems."""

    built: Built | None
    cadence: Cadence
    problems: tuple[str, ...]


def _day(value: str | None, tz: tzinfo) -> date | None:
    """The local day of a stored timestamp; None when it is empty or cannot be read."""
    try:
        moment = parse_time(value, tz)
    except RowError:
        return None
    return moment.astimezone(tz).date() if moment else None


def last_period_end(store: Store) -> date | None:
    """The last day covered by a summary built on schedule, if any."""
    with store.lock:
        row = store.db.execute("SELECT max(period_to) FROM summary_periods").fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def first_day(store: Store, tz: tzinfo) -> date | None:
    """The first day the kiosk was used: the earliest applied plan or recorded session."""
    with store.lock:
        plan = store.db.execute("SELECT min(applied_at) FROM plan_versions WHERE applied_at IS NOT NULL").fetchone()
        session = store.db.execute("SELECT min(coalesce(started_at, planned_for)) FROM sessions").fetchone()
    days = [d for d in (_day(plan[0], tz), _day(session[0], tz)) if d is not None]
    return min(days) if days else None


def cadence(settings: Settings, store: Store) -> tuple[Cadence, list[str]]:
    """The applied plan's ``[summary]`` cadence, or every ``sync.summary_days`` days without one."""
    return cadence_from_plan((service.applied_plan(store) or {}).get("summary"), settings.sync.summary_days)


def build_due(settings: Settings, store: Store, now: datetime) -> Outcome:
    """Build, queue and record the next summary when one is due."""
    tz = now.tzinfo
    assert tz is not None, "now must be timezone-aware"
    rule, problems = cadence(settings, store)
    period = next_period(now, rule, last_period_end(store), first_day(store, tz))
    if period is None:
        return Outcome(None, rule, tuple(problems))
    start, end = period
    key, therapist = service.device_key(settings), service.therapist_key(settings)
    summary, packed = service.build_from_store(store, start, end, now, key, therapist, service.canonical(settings))
    if settings.sync.fhir_url:
        packed.append(service.fhir_item(summary, service.canonical(settings)))
    service.queue(settings, store, packed, now)
    names = tuple(item.name for item in packed)
    with store.critical() as db:
        db["summary_periods"].insert(
            {
                "period_from": start.isoformat(),
                "period_to": end.isoformat(),
                "built_at": now.isoformat(),
                "files": json.dumps(names),
            }
        )
    store.log_event(
        "summary_built",
        now,
        {"from": start.isoformat(), "to": end.isoformat(), "files": len(names), "cadence": rule.describe()},
    )
    return Outcome(Built(start, end, names), rule, tuple(problems))
