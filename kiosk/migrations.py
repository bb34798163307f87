"""Database schema as named migrations (sqlite-utils ``Migrations``), applied in order at open.

Append new migrations at the end; never edit one that has shipped. Each is applied once, by name.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("facecoach")


@migrations()
def m001_core_tables(db: Database) -> None:
    """The first tables every part of the kiosk writes to."""
    db["sessions"].create(
        {
            "id": int,
            "planned_for": str,
            "started_at": str,
            "ended_at": str,
            "status": str,  # planned | running | done | partial | stopped | missed
            "plan_version": int,
            "minutes": float,
            "notes": str,
        },
        pk="id",
    )
    db["exercise_results"].create(
        {
            "id": int,
            "session_id": int,
            "exercise": str,
            "at": str,
            "reps_planned": int,
            "reps_done": int,
            "hold_seconds": float,
            "left_mm": float,
            "right_mm": float,
            "left_pct": float,
            "right_pct": float,
            "symmetry_ratio": float,
            "weaker_side": str,
            "synkinesis": str,
            "quality": str,
            "details": str,
        },
        pk="id",
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db["reminder_events"].create(
        {
            "id": int,
            "item_id": str,
            "kind": str,
            "due_at": str,
            "announced_at": str,
            "escalation_level": int,
            "caregiver_alerted_at": str,
            "status": str,  # due | announced | acknowledged | missed
            "closed_at": str,
            "details": str,
        },
        pk="id",
    )
    db["reminder_events"].create_index(["item_id", "due_at"], unique=True)
    db["reminder_acks"].create(
        {"id": int, "reminder_id": int, "at": str, "via": str, "late_seconds": float},
        pk="id",
        foreign_keys=[("reminder_id", "reminder_events", "id")],
    )
    db["stim_log"].create(
        {
            "id": int,
            "plan_version": int,
            "side": str,
            "sites": str,
            "parameters": str,
            "started_at": str,
            "stopped_at": str,
            "max_amplitude_ma": float,
            "stop_reason": str,
        },
        pk="id",
    )
    db["plan_versions"].create(
        {
            "id": int,
            "version": int,
            "sha256": str,
            "received_at": str,
            "applied_at": str,
            "status": str,
            "reason": str,
            "text": str,
        },
        pk="id",
    )
    db["outbox"].create(
        {
            "id": int,
            "name": str,
            "kind": str,
            "created_at": str,
            "path": str,
            "sha256": str,
            "delivered_at": str,
            "attempts": int,
            "next_attempt_at": str,
            "last_error": str,
        },
        pk="id",
    )
    db["event_log"].create({"id": int, "at": str, "kind": str, "data": str}, pk="id")
    # The event log is append-only: the database itself refuses changes and deletions.
    db.execute(
        "CREATE TRIGGER event_log_no_update BEFORE UPDATE ON event_log "
        "BEGIN SELECT RAISE(ABORT, 'event_log is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER event_log_no_delete BEFORE DELETE ON event_log "
        "BEGIN SELECT RAISE(ABORT, 'event_log is append-only'); END"
    )


@migrations()
def schedules_001_reminder_state(db: Database) -> None:
    """Reminder escalation state, kiosk heartbeat and the caregiver alert outbox."""
    events = db["reminder_events"]
    for column, kind in (
        ("window_start", str),
        ("last_spoken_at", str),
        ("snoozes", int),
        ("snoozed_until", str),
        ("night", int),
    ):
        events.add_column(column, kind)
    events.create_index(["status"])
    db["schedule_state"].create({"key": str, "value": str}, pk="key")
    db["caregiver_alerts"].create(
        {
            "id": int,
            "created_at": str,
            "kind": str,  # unanswered | missed | kiosk_off | test
            "reminder_id": int,
            "channel": str,  # ntfy | command | none
            "title": str,
            "message": str,
            "attempts": int,
            "next_attempt_at": str,
            "delivered_at": str,
            "last_error": str,
        },
        pk="id",
    )
    db["caregiver_alerts"].create_index(["delivered_at"])


@migrations()
def stim_001_checklist(db: Database) -> None:
    """Answers to the stimulation safety checklist (one row per time it was answered in full or with a yes)."""
    db["stim_checklist"].create(
        {
            "id": int,
            "at": str,
            "plan_version": int,
            "cleared": int,  # 1: every answer was no
            "answers": str,  # JSON list of [question key, answered yes]
        },
        pk="id",
    )


@migrations()
def summary_001_periods(db: Database) -> None:
    """The periods the kiosk has summarised on its own schedule (one row per summary queued)."""
    db["summary_periods"].create(
        {
            "id": int,
            "period_from": str,  # first day, YYYY-MM-DD
            "period_to": str,  # last day, inclusive
            "built_at": str,
            "files": str,  # JSON list of the outbox names
        },
        pk="id",
    )


@migrations()
def stim_002_dose_ledger(db: Database) -> None:
    """The dose ledger: a stim_log row opens before current flows and is closed when the block ends."""
    log = db["stim_log"]
    for column, kind in (
        ("planned_s", float),  # the whole block's length: what an unclosed row counts
        ("elapsed_s", float),  # monotonic seconds at the end (NULL: no end recorded)
        ("progress_s", float),  # monotonic seconds at the last update while it ran
        ("boot_id", str),
        ("boot_s_start", float),  # boot clock at the start and end (immune to wall clock steps)
        ("boot_s_end", float),
        ("end_code", str),  # finished | patient_stop | rule | fault | interrupted
    ):
        log.add_column(column, kind)


@migrations()
def summary_002_session_slots(db: Database) -> None:
    """Sessions tied to the plan's scheduled slot (issue 20): one row per slot occurrence, missed ones too."""
    db["sessions"].add_column("slot_id", str)
    db.execute("CREATE UNIQUE INDEX sessions_slot_once ON sessions(slot_id, planned_for) WHERE slot_id IS NOT NULL")
    if db["sessions"].count:
        # Sessions held before this version were never tied to a slot: slots are checked from now on,
        # so an upgraded kiosk does not record its whole past as missed.
        db["schedule_state"].upsert(
            {"key": "session_slots_checked_until", "value": datetime.now(UTC).isoformat()}, pk="key"
        )


@migrations()
def progress_001_checkin_answers(db: Database) -> None:
    """The patient's answers after a session (issue 23): how it felt, any eye problem; one row per answer."""
    db["checkin_answers"].create(
        {
            "id": int,
            "session_id": int,
            "at": str,
            "question": str,  # feel | eye
            "answer": str,  # feel: comfortable | tiring | painful; eye: none | gritty | red | painful | blurred
            "flags": str,  # JSON list: pain, eye_problem, eye_<answer>
            "via": str,  # touch | voice | key | button
        },
        pk="id",
        foreign_keys=[("session_id", "sessions", "id")],
    )


@migrations()
def progress_002_baselines(db: Database) -> None:
    """The baseline sessions progress is measured against (issue 23), with a copy of what they measured."""
    db["progress_baselines"].create(
        {
            "id": int,
            "session_id": int,
            "at": str,  # when the baseline session started
            "recorded_at": str,
            "plan_version": int,
            "reason": str,  # first | every_weeks
            "every_weeks": int,  # the plan's interval then (NULL: none)
            "results": str,  # JSON {exercise: {left_mm, right_mm, left_pct, right_pct}}: the reference, kept as it was
        },
        pk="id",
        foreign_keys=[("session_id", "sessions", "id")],
    )


@migrations()
def progress_003_standard_photos(db: Database) -> None:
    """Consent to standard photos (given and withdrawn, every change kept) and the sealed photos kept with it."""
    db["photo_consent"].create({"id": int, "at": str, "given": int, "via": str}, pk="id")
    db["standard_photos"].create(
        {
            "id": int,
            "session_id": int,
            "view": str,  # neutral, or the exercise id whose peak it shows
            "taken_at": str,
            "file": str,  # the sealed file's name in <data_dir>/photos
        },
        pk="id",
    )
