"""The exercise_results row for one finished exercise (pure): what the therapist's summary reads."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from coach.sunnybrook import symmetry_ratio
from kiosk.session.effects import ExerciseDone


def weaker_side(left: float | None, right: float | None) -> str:
    """The patient's side that moved less, or "" when unknown or equal."""
    if left is None or right is None or left == right:
        return ""
    return "left" if left < right else "right"


def result_row(done: ExerciseDone, session_id: int | None, at: datetime) -> dict[str, Any]:
    """One exercise_results row: per side mm and % of the patient's own reference, holds, frames, co-movement."""
    # Symmetry from mm when the camera gave mm (the one definition in coach.sunnybrook), else from %.
    left, right = (done.left_mm, done.right_mm) if done.left_mm is not None else (done.left_pct, done.right_pct)
    refused = dict(done.frames_refused)
    details = {
        "estimate": True,
        "hold_target_seconds": done.hold_seconds,
        "holds_on_target": done.holds_on_target,
        "holds_measured": done.holds_measured,
        "frames": done.frames_used + sum(refused.values()),
        "frames_used": done.frames_used,
        "rejected": refused,
        "co_movement_holds": done.co_movement_holds,
        "blocked_stimulation": False,
        "measurable": done.measurable,
    }
    return {
        "session_id": session_id,
        "exercise": done.exercise,
        "at": at.isoformat(),
        "reps_planned": done.reps_planned,
        "reps_done": done.reps_done,
        "hold_seconds": done.hold_seconds,
        "left_mm": done.left_mm,
        "right_mm": done.right_mm,
        "left_pct": None if done.left_pct is None else round(done.left_pct, 1),
        "right_pct": None if done.right_pct is None else round(done.right_pct, 1),
        "symmetry_ratio": None if (r := symmetry_ratio(left, right)) is None else round(r, 3),
        "weaker_side": weaker_side(left, right),
        "synkinesis": json.dumps(list(done.co_movement)),
        "quality": "measured" if done.measured else "not measured" if done.measurable else "not a camera exercise",
        "details": json.dumps(details, sort_keys=True),
    }
