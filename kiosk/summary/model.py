"""Plain rows the summary builder reads: one frozen dataclass per stored table (pure).

``kiosk.summary.rows`` fills these from SQLite; ``kiosk.summary.synthetic`` makes them up. The
builder never sees the database, so it is tested on rows with known answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class SessionRow:
    """One planned or held exercise session."""

    id: int
    planned_for: datetime | None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    status: str = "planned"  # planned | running | done | partial | stopped | missed
    plan_version: int | None = None
    minutes: float = 0.0
    notes: str = ""


@dataclass(frozen=True)
class ExerciseRow:
    """One exercise inside a session, as the coach measured it."""

    id: int
    session_id: int | None
    exercise: str
    at: datetime
    reps_planned: int = 0
    reps_done: int = 0
    hold_seconds: float | None = None
    left_mm: float | None = None
    right_mm: float | None = None
    left_pct: float | None = None
    right_pct: float | None = None
    symmetry_ratio: float | None = None
    weaker_side: str = ""
    synkinesis: tuple[str, ...] = ()
    quality: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReminderRow:
    """One protected reminder that fell due, with its acknowledgement if any."""

    id: int
    item_id: str
    kind: str
    due_at: datetime
    status: str = "due"  # due | announced | acknowledged | missed
    escalation_level: int = 0
    caregiver_alerted_at: datetime | None = None
    acked_at: datetime | None = None
    ack_via: str = ""
    late_seconds: float | None = None


@dataclass(frozen=True)
class StimRow:
    """One stimulation block from the stimulation log."""

    id: int
    started_at: datetime
    stopped_at: datetime | None
    side: str
    sites: tuple[str, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)
    max_amplitude_ma: float | None = None
    stop_reason: str = ""
    plan_version: int | None = None
    end_code: str = ""  # finished | patient_stop | rule | fault | interrupted, when the ledger stored one
    planned_s: float | None = None  # the block's planned length (dose ledger); None: older rows
    elapsed_s: float | None = None  # monotonic seconds it ran (dose ledger); None: no end recorded


@dataclass(frozen=True)
class EventRow:
    """One row of the append-only event log."""

    id: int
    at: datetime
    kind: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanRow:
    """One plan the kiosk received (applied or refused)."""

    version: int | None
    received_at: datetime | None
    applied_at: datetime | None = None
    status: str = ""
    reason: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class Rows:
    """Everything the builder needs for one period, plus notes about rows that could not be read."""

    sessions: tuple[SessionRow, ...] = ()
    exercises: tuple[ExerciseRow, ...] = ()
    reminders: tuple[ReminderRow, ...] = ()
    stim: tuple[StimRow, ...] = ()
    events: tuple[EventRow, ...] = ()
    plans: tuple[PlanRow, ...] = ()
    read_problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Period:
    """A summary period: whole local days from ``start`` to ``end`` inclusive."""

    start: date
    end: date

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    def contains(self, moment: datetime | date | None) -> bool:
        """True when a moment (or day) falls inside the period."""
        if moment is None:
            return False
        day = moment.date() if isinstance(moment, datetime) else moment
        return self.start <= day <= self.end
