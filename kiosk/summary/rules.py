"""The summary's rules, each written once (pure): how a block ended, reminder outcomes, adherence.

The screen, the PDF, the JSON and FHIR all read these results; the Sunnybrook-style cut-offs and
the symmetry ratio live in ``coach.sunnybrook`` beside the estimate that uses them.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# How a stimulation block ended. The dose ledger stores one of END_CODES in ``end_code`` (newer
# kiosks); older rows carry only the words in ``stop_reason``, so the code is derived from them.
END_FINISHED = "finished"
END_INTERRUPTED = "interrupted"  # the kiosk stopped during the block; a row never closed is one too
END_CODES = (END_FINISHED, "patient_stop", "rule", "fault", END_INTERRUPTED)
END_RUNNING = "running"  # a row not closed yet whose planned end is still ahead
END_WORDS = {
    END_FINISHED: "finished normally",
    "patient_stop": "stopped by the patient",
    "rule": "stopped by a safety rule",
    "fault": "stopped by a fault",
    END_INTERRUPTED: "interrupted (the kiosk stopped or lost power during the block)",
    END_RUNNING: "still running",
}
_NORMAL_WORDS = frozenset({"", "block finished", "finished", "completed", "complete", "done", "normal"})
_PATIENT_WORDS = re.compile(r"\b(by you|too strong|too_strong|patient|paused by)\b", re.I)
_FAULT_WORDS = re.compile(r"\b(fault|board|stopped responding|could not)\b", re.I)


def stim_end_code(
    end_code: str | None,
    stop_reason: str,
    started_at: datetime,
    stopped_at: datetime | None,
    planned_minutes: float | None,
    now: datetime,
) -> str:
    """One code for how a block ended: the stored ``end_code`` when there is one, else from the words."""
    if stopped_at is None:
        planned_end = started_at + timedelta(minutes=planned_minutes or 0.0)
        return END_RUNNING if planned_end > now else END_INTERRUPTED
    if end_code in END_CODES:
        return str(end_code)
    words = stop_reason.strip().lower()
    if words in _NORMAL_WORDS:
        return END_FINISHED
    if _PATIENT_WORDS.search(words):
        return "patient_stop"
    if _FAULT_WORDS.search(words):
        return "fault"
    return "rule"


def stim_minutes(
    started_at: datetime,
    stopped_at: datetime | None,
    code: str,
    planned_minutes: float | None,
    elapsed_s: float | None = None,
) -> float:
    """Minutes a block counts for: the monotonic seconds the ledger stored, else its wall-clock length;
    a row never closed counts its whole planned length (it may over-count a cut block, never under-count)."""
    if stopped_at is None and elapsed_s is None:
        return 0.0 if code == END_RUNNING else float(planned_minutes or 0.0)
    if elapsed_s is not None:
        return max(elapsed_s / 60, 0.0)
    assert stopped_at is not None
    return max((stopped_at - started_at).total_seconds() / 60, 0.0)


# Reminder outcomes.
ON_TIME, LATE, MISSED, OPEN, UPCOMING = "on_time", "late", "missed", "open", "upcoming"
CLOSED_WITHOUT_OUTCOME = frozenset({"cancelled", "canceled", "superseded"})


def reminder_outcome(
    status: str, acked: bool, late_seconds: float | None, due_at: datetime, now: datetime, late_after: timedelta
) -> str | None:
    """on_time | late | missed | open (due, unanswered) | upcoming (not due yet); None when cancelled."""
    if acked or status == "acknowledged":
        return LATE if (late_seconds or 0.0) > late_after.total_seconds() else ON_TIME
    if status == "missed":
        return MISSED
    if status in CLOSED_WITHOUT_OUTCOME:
        return None
    return UPCOMING if due_at > now else OPEN


def night_outcome(outcomes: list[str]) -> str:
    """A night is done when one night item was acknowledged, missed only when every item was missed."""
    if any(o in (ON_TIME, LATE) for o in outcomes):
        return "done"
    if outcomes and all(o == MISSED for o in outcomes):
        return "missed"
    return "pending"


def done_rate(done: int, planned: int) -> float | None:
    """Adherence: sessions done over sessions planned (scheduled slots), 0..1; None when none planned."""
    return round(done / planned, 3) if planned else None
