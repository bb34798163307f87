"""Summary sections beyond movement (pure): eye care, stimulation, patient reports, data, device health."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from kiosk.summary.model import EventRow, ExerciseRow, Period, ReminderRow, SessionRow, StimRow
from kiosk.summary.stats import count_by, iso, rounded

NIGHT_KINDS = frozenset({"ointment", "taping", "shield"})
NORMAL_STIM_STOPS = frozenset({"", "completed", "complete", "done", "normal", "finished"})
ISSUE_INTENTS = {"too_strong": "too strong", "pain": "pain", "report_pain": "pain", "hurts": "pain"}
PAIN_WORDS = re.compile(r"\b(pain\w*|hurt\w*|sore\w*|burn\w*|sting\w*|ach\w*|too strong|tingl\w*)\b", re.I)
START_KINDS = frozenset({"kiosk_started", "started", "app_started", "start"})
STOP_KINDS = frozenset({"kiosk_stopped", "stopped", "app_stopped", "stop", "shutdown"})
TEXT_FIELDS = ("transcript", "text", "note", "message", "words")


def _outcome(row: ReminderRow, late_after: timedelta) -> str:
    if row.acked_at is not None or row.status == "acknowledged":
        late = row.late_seconds if row.late_seconds is not None else 0.0
        return "late" if late > late_after.total_seconds() else "on_time"
    if row.status == "missed":
        return "missed"
    return "open"


def _is_night(row: ReminderRow) -> bool:
    return row.kind in NIGHT_KINDS or "night" in row.item_id


def eye_care_section(rows: list[ReminderRow], late_after: timedelta) -> dict[str, Any]:
    """Every reminder due, with its outcome; totals per item; night-routine adherence."""
    rows = sorted(rows, key=lambda r: r.due_at)
    listed = []
    per_item: dict[str, dict[str, Any]] = {}
    for row in rows:
        outcome = _outcome(row, late_after)
        listed.append(
            {
                "item_id": row.item_id,
                "kind": row.kind,
                "due_at": iso(row.due_at),
                "outcome": outcome,
                "acknowledged_at": iso(row.acked_at),
                "via": row.ack_via or None,
                "late_seconds": rounded(row.late_seconds, 0),
                "escalation_level": row.escalation_level,
                "caregiver_alerted": row.caregiver_alerted_at is not None,
            }
        )
        item = per_item.setdefault(
            row.item_id, {"item_id": row.item_id, "kind": row.kind, "due": 0, "on_time": 0, "late": 0, "missed": 0}
        )
        item["due"] += 1
        if outcome != "open":
            item[outcome] += 1
    nights: dict[str, bool] = {}
    for row in filter(_is_night, rows):
        day = row.due_at.date().isoformat()
        nights[day] = nights.get(day, False) or _outcome(row, late_after) in ("on_time", "late")
    done = sum(nights.values())
    return {
        "late_after_minutes": rounded(late_after.total_seconds() / 60, 1),
        "items": list(per_item.values()),
        "night_routine": {
            "nights_due": len(nights),
            "nights_done": done,
            "adherence": rounded(done / len(nights), 3) if nights else None,
            "missed_nights": sorted(d for d, ok in nights.items() if not ok),
        },
        "caregiver_alerts": sum(1 for r in rows if r.caregiver_alerted_at is not None),
        "reminders": listed,
    }


def stimulation_section(rows: list[StimRow]) -> dict[str, Any]:
    """Every stimulation block and the minutes per side."""
    blocks = []
    minutes: dict[str, float] = defaultdict(float)
    for row in sorted(rows, key=lambda r: r.started_at):
        length = (row.stopped_at - row.started_at).total_seconds() / 60 if row.stopped_at else None
        minutes[row.side] += length or 0.0
        blocks.append(
            {
                "started_at": iso(row.started_at),
                "stopped_at": iso(row.stopped_at),
                "minutes": rounded(length, 2),
                "side": row.side,
                "sites": list(row.sites),
                "max_amplitude_ma": rounded(row.max_amplitude_ma, 2),
                "stop_reason": row.stop_reason or None,
                "stopped_early": row.stop_reason.lower() not in NORMAL_STIM_STOPS,
                "plan_version": row.plan_version,
                "parameters": row.parameters,
            }
        )
    return {
        "blocks": blocks,
        "block_count": len(blocks),
        "minutes_by_side": {k: round(v, 2) for k, v in sorted(minutes.items())},
        "stopped_early": sum(1 for b in blocks if b["stopped_early"]),
    }


def _texts(data: dict[str, Any]) -> list[str]:
    return [str(data[k]) for k in TEXT_FIELDS if isinstance(data.get(k), str) and data[k]]


def patient_reports(events: list[EventRow], stim: list[StimRow], sessions: list[SessionRow]) -> list[dict[str, Any]]:
    """What the patient said or did that signals a problem: 'too strong', pain words."""
    found = []
    for ev in events:
        intent = str(ev.data.get("intent", ""))
        texts = _texts(ev.data)
        if intent in ISSUE_INTENTS:
            found.append({"at": iso(ev.at), "source": ev.kind, "issue": ISSUE_INTENTS[intent], "text": " ".join(texts)})
        elif any(PAIN_WORDS.search(t) for t in texts):
            found.append({"at": iso(ev.at), "source": ev.kind, "issue": "pain words", "text": " ".join(texts)})
    for row in stim:
        reason = row.stop_reason.lower()
        if "too strong" in reason or "too_strong" in reason or PAIN_WORDS.search(reason):
            found.append(
                {
                    "at": iso(row.stopped_at or row.started_at),
                    "source": "stimulation",
                    "issue": "too strong",
                    "text": row.stop_reason,
                }
            )
    for s in sessions:
        if s.notes and PAIN_WORDS.search(s.notes):
            found.append(
                {
                    "at": iso(s.started_at or s.planned_for),
                    "source": "session note",
                    "issue": "pain words",
                    "text": s.notes,
                }
            )
    return sorted(found, key=lambda f: f["at"] or "")


def data_quality(
    exercises: list[ExerciseRow], events: list[EventRow], read_problems: tuple[str, ...]
) -> dict[str, Any]:
    """Camera frames used and rejected (and why), results without a measurement, unreadable rows."""
    total = rejected = 0
    reasons: dict[str, int] = defaultdict(int)
    for row in exercises:
        total += int(row.details.get("frames", 0) or 0)
        for reason, n in (row.details.get("rejected") or {}).items():
            reasons[str(reason)] += int(n)
    for ev in events:
        if ev.kind == "frames_rejected":
            reasons[str(ev.data.get("reason", "unknown"))] += int(ev.data.get("count", 1))
    rejected = sum(reasons.values())
    return {
        "frames_total": total,
        "frames_rejected": rejected,
        "rejected_share": rounded(rejected / total, 4) if total else None,
        "rejected_reasons": dict(sorted(reasons.items())),
        "results_without_measurement": sum(1 for r in exercises if r.left_mm is None and r.right_mm is None),
        "result_quality": count_by((r for r in exercises if r.quality), lambda r: r.quality),
        "unreadable_rows": list(read_problems),
    }


def device_health(events: list[EventRow], period: Period, now: datetime) -> dict[str, Any]:
    """Uptime, restarts (clean and unclean) and time off from start, stop and heartbeat events."""
    tz = now.tzinfo
    begin = datetime.combine(period.start, time.min, tzinfo=tz)
    end = min(datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz), now)
    starts = [e for e in events if e.kind in START_KINDS]
    if not starts:
        return {
            "uptime_hours": None,
            "time_off_hours": None,
            "starts": 0,
            "restarts": 0,
            "unclean_restarts": 0,
            "notes": ["The kiosk logged no start events in this period; uptime is unknown."],
        }
    up = timedelta()
    unclean = 0
    running_since: datetime | None = None
    last_seen: datetime | None = None
    for ev in sorted(events, key=lambda e: e.at):
        if ev.kind in START_KINDS:
            if running_since is not None:
                unclean += 1
                up += (last_seen or running_since) - running_since
            running_since = ev.at
        elif ev.kind in STOP_KINDS and running_since is not None:
            up += ev.at - running_since
            running_since = None
        last_seen = ev.at
    if running_since is not None:
        up += end - running_since
    span = max(end - begin, timedelta())
    return {
        "uptime_hours": round(up.total_seconds() / 3600, 2),
        "time_off_hours": round(max(span - up, timedelta()).total_seconds() / 3600, 2),
        "starts": len(starts),
        "restarts": len(starts) - 1,
        "unclean_restarts": unclean,
        "notes": [],
    }
