"""Build the therapist summary for a period from plain rows (pure: no clock, no files, no database).

The result is a JSON-ready dict; ``json_out``, ``pdf_out`` and ``fhir_out`` render it. Every
camera score in it is labelled as a self-tracking estimate.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from kiosk.summary.model import Period, Rows, SessionRow
from kiosk.summary.movement import exercise_section, sunnybrook_estimate, synkinesis_section
from kiosk.summary.resting import resting_from_calibrations
from kiosk.summary.rules import done_rate
from kiosk.summary.sections import data_quality, device_health, eye_care_section, patient_reports, stimulation_section
from kiosk.summary.stats import iso

SCHEMA_ID = "https://facecoach.example/schemas/summary-1.json"
SCHEMA_VERSION = "1.1"  # 1.1: planned = scheduled slots; extra sessions, end codes, resting symmetry
WINDOW_DAYS = 30
DONE = frozenset({"done"})
PARTIAL = frozenset({"partial", "stopped"})
REFUSED = frozenset({"refused", "rejected", "invalid"})


def _session_day(s: SessionRow) -> date | None:
    moment = s.planned_for or s.started_at
    return moment.date() if moment else None


def adherence_section(rows: Rows, period: Period) -> dict[str, Any]:
    """Scheduled sessions planned/done/partial/missed, extra sessions, minutes, a calendar, days with data.

    Planned means a scheduled slot (a row with ``planned_for``: filled by a session or recorded
    missed by the kiosk), never a press of Start; a session outside every slot is *extra*.
    """
    sessions = [s for s in rows.sessions if period.contains(_session_day(s))]
    calendar: dict[date, dict[str, Any]] = {
        period.start + timedelta(days=i): {
            "planned": 0,
            "done": 0,
            "partial": 0,
            "missed": 0,
            "extra": 0,
            "minutes": 0.0,
        }
        for i in range(period.days)
    }
    for s in sessions:
        day = calendar[_session_day(s)]  # type: ignore[index]
        day["minutes"] += s.minutes or 0.0
        if s.planned_for is None:
            day["extra"] += 1 if s.status in DONE | PARTIAL else 0
            continue
        day["planned"] += 1
        if s.status in DONE:
            day["done"] += 1
        elif s.status in PARTIAL:
            day["partial"] += 1
        elif s.status == "missed":
            day["missed"] += 1
    data_days = {d for d, v in calendar.items() if v["done"] or v["partial"] or v["extra"]}
    data_days |= {r.at.date() for r in rows.exercises if period.contains(r.at)}
    windows = []
    for offset in range(0, period.days, WINDOW_DAYS):
        first = period.start + timedelta(days=offset)
        last = min(first + timedelta(days=WINDOW_DAYS - 1), period.end)
        windows.append(
            {
                "from": first.isoformat(),
                "to": last.isoformat(),
                "days": (last - first).days + 1,
                "days_with_data": sum(1 for d in data_days if first <= d <= last),
            }
        )
    planned = sum(v["planned"] for v in calendar.values())
    done = sum(v["done"] for v in calendar.values())
    return {
        "sessions_planned": planned,
        "sessions_done": done,
        "sessions_extra": sum(v["extra"] for v in calendar.values()),
        "sessions_partial": sum(v["partial"] for v in calendar.values()),
        "sessions_missed": sum(v["missed"] for v in calendar.values()),
        "done_rate": done_rate(done, planned),
        "minutes": round(sum(v["minutes"] for v in calendar.values()), 1),
        "days_with_data": len(data_days),
        "windows": windows,
        "calendar": [{"date": d.isoformat(), **v, "minutes": round(v["minutes"], 1)} for d, v in calendar.items()],
    }


def plan_section(rows: Rows, period: Period) -> dict[str, Any]:
    """The plan in force and every plan received in the period, refused ones with their reason."""
    received = [p for p in rows.plans if period.contains(p.received_at)]
    applied = [p for p in rows.plans if p.applied_at is not None and p.version is not None]
    current = max(applied, key=lambda p: p.version or 0, default=None)
    return {
        "current_version": current.version if current else None,
        "in_force_since": iso(current.applied_at) if current else None,  # when that version took effect
        "received": [
            {
                "version": p.version,
                "received_at": iso(p.received_at),
                "applied_at": iso(p.applied_at),
                "status": p.status or None,
                "reason": p.reason or None,
            }
            for p in received
        ],
        "refused": sum(1 for p in received if p.status in REFUSED),
    }


def _therapist_resting(rows: Rows, period: Period) -> int | None:
    """The therapist-rated resting symmetry (0-4), when an event recorded one."""
    rated = [e for e in rows.events if e.kind == "resting_symmetry_rated" and period.contains(e.at)]
    if not rated:
        return None
    value = rated[-1].data.get("score")
    return int(value) if isinstance(value, int) and 0 <= value <= 4 else None


def build_summary(
    rows: Rows,
    period: Period,
    now: datetime,
    *,
    patient: str,
    device_id: str,
    software_version: str,
    late_after: timedelta = timedelta(minutes=15),
    synthetic: bool = False,
) -> dict[str, Any]:
    """The whole summary for ``period`` as a JSON-ready dict (``now`` is when it is built)."""
    exercises = [r for r in rows.exercises if period.contains(r.at)]
    reminders = [r for r in rows.reminders if period.contains(r.due_at)]
    stim = [r for r in rows.stim if period.contains(r.started_at)]
    events = [e for e in rows.events if period.contains(e.at)]
    sessions = [s for s in rows.sessions if period.contains(_session_day(s))]
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generated_at": now.isoformat(),
        "synthetic": synthetic,
        "patient": patient,
        "device": {"id": device_id, "software_version": software_version},
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat(), "days": period.days},
        "plan": plan_section(rows, period),
        "adherence": adherence_section(rows, period),
        "exercises": exercise_section(exercises),
        "sunnybrook_estimate": sunnybrook_estimate(
            exercises, period, _therapist_resting(rows, period), resting_from_calibrations(exercises, events, period)
        ),
        "synkinesis_flags": synkinesis_section(exercises),
        "eye_care": eye_care_section(reminders, late_after, now),
        "stimulation": stimulation_section(stim, now),
        "patient_reports": patient_reports(events, stim, sessions),
        "data_quality": data_quality(exercises, events, rows.read_problems),
        "device_health": device_health(events, period, now),
    }
