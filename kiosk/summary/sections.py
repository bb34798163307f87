"""Summary sections beyond movement (pure): eye care, stimulation, patient reports, data, device health."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from kiosk.summary.model import EventRow, ExerciseRow, Period, ReminderRow, SessionRow, StimRow
from kiosk.summary.rules import (
    END_FINISHED,
    END_RUNNING,
    END_WORDS,
    UPCOMING,
    done_rate,
    night_outcome,
    reminder_outcome,
    stim_end_code,
    stim_minutes,
)
from kiosk.summary.stats import count_by, iso, rounded

NIGHT_KINDS = frozenset({"ointment", "taping", "shield"})
ISSUE_INTENTS = {"too_strong": "too strong", "pain": "pain", "report_pain": "pain", "hurts": "pain"}
PAIN_WORDS = re.compile(r"\b(pain\w*|hurt\w*|sore\w*|burn\w*|sting\w*|ach\w*|too strong|tingl\w*)\b", re.I)
START_KINDS = frozenset({"kiosk_started", "started", "app_started", "start"})
STOP_KINDS = frozenset({"kiosk_stopped", "stopped", "app_stopped", "stop", "shutdown"})
TEXT_FIELDS = ("transcript", "text", "note", "message", "words")


def _outcome(row: ReminderRow, late_after: timedelta, now: datetime) -> str | None:
    return reminder_outcome(row.status, row.acked_at is not None, row.late_seconds, row.due_at, now, late_after)


def _is_night(row: ReminderRow) -> bool:
    return row.kind in NIGHT_KINDS or "night" in row.item_id


def eye_care_section(rows: list[ReminderRow], late_after: timedelta, now: datetime) -> dict[str, Any]:
    """Every reminder due, with its outcome; totals per item; night-routine adherence.

    Cancelled reminders (a new plan dropped them) are counted apart and never listed as open; a
    reminder not due yet at ``now`` is "upcoming", and a night is missed only once every one of its
    night items was recorded missed, so tonight's ointment is not a missed night in the morning.
    """
    rows = sorted(rows, key=lambda r: r.due_at)
    listed = []
    per_item: dict[str, dict[str, Any]] = {}
    cancelled = 0
    night_outcomes: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        outcome = _outcome(row, late_after, now)
        if outcome is None:
            cancelled += 1
            continue
        if _is_night(row):
            night_outcomes[row.due_at.date().isoformat()].append(outcome)
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
            row.item_id,
            {"item_id": row.item_id, "kind": row.kind, "due": 0, "on_time": 0, "late": 0, "missed": 0, "open": 0},
        )
        if outcome == UPCOMING:
            continue
        item["due"] += 1
        item[outcome] += 1
    nights = {day: night_outcome(outcomes) for day, outcomes in night_outcomes.items()}
    settled = {day: v for day, v in nights.items() if v != "pending"}
    done = sum(1 for v in settled.values() if v == "done")
    return {
        "late_after_minutes": rounded(late_after.total_seconds() / 60, 1),
        "items": list(per_item.values()),
        "night_routine": {
            "nights_due": len(settled),
            "nights_done": done,
            "adherence": done_rate(done, len(settled)),
            "missed_nights": sorted(d for d, v in settled.items() if v == "missed"),
            "nights_pending": sorted(d for d, v in nights.items() if v == "pending"),
        },
        "caregiver_alerts": sum(1 for r in rows if r.caregiver_alerted_at is not None),
        "cancelled": cancelled,
        "reminders": listed,
    }


def _planned_minutes(row: StimRow) -> float | None:
    """The block's planned length: the dose ledger's planned_s, else the prescription's block_minutes."""
    if row.planned_s is not None:
        return row.planned_s / 60
    value = row.parameters.get("block_minutes")
    return float(value) if isinstance(value, int | float) else None


def stimulation_section(rows: list[StimRow], now: datetime) -> dict[str, Any]:
    """Every stimulation block, how it ended (one code, see rules.stim_end_code) and the minutes per side."""
    blocks = []
    minutes: dict[str, float] = defaultdict(float)
    for row in sorted(rows, key=lambda r: r.started_at):
        planned = _planned_minutes(row)
        code = stim_end_code(row.end_code, row.stop_reason, row.started_at, row.stopped_at, planned, now)
        length = stim_minutes(row.started_at, row.stopped_at, code, planned, row.elapsed_s)
        minutes[row.side] += length
        blocks.append(
            {
                "started_at": iso(row.started_at),
                "stopped_at": iso(row.stopped_at),
                "minutes": rounded(length, 2),
                "side": row.side,
                "sites": list(row.sites),
                "max_amplitude_ma": rounded(row.max_amplitude_ma, 2),
                "end_code": code,
                "end_words": END_WORDS[code],
                "stop_reason": row.stop_reason or None,
                "stopped_early": code not in (END_FINISHED, END_RUNNING),
                "plan_version": row.plan_version,
                "parameters": row.parameters,
            }
        )
    return {
        "blocks": blocks,
        "block_count": len(blocks),
        "minutes_by_side": {k: round(v, 2) for k, v in sorted(minutes.items())},
        "stopped_early": sum(1 for b in blocks if b["stopped_early"]),
        "end_codes": count_by(blocks, lambda b: b["end_code"]),
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
        # Massage and relaxation are not camera exercises: they are counted apart, not as missing measurements.
        "results_without_measurement": sum(
            1 for r in exercises if r.details.get("measurable", True) and not _measured(r)
        ),
        "results_not_camera_exercises": sum(1 for r in exercises if r.details.get("measurable", True) is False),
        "result_quality": count_by((r for r in exercises if r.quality), lambda r: r.quality),
        "unreadable_rows": list(read_problems),
    }


def _measured(row: ExerciseRow) -> bool:
    return any(v is not None for v in (row.left_mm, row.right_mm, row.left_pct, row.right_pct))


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
