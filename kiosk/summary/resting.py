"""Resting symmetry estimated from the neutral calibrations the kiosk stored (pure), withheld on thin evidence.

Each session's calibration stores the resting items (eye, cheek proxy, mouth) for either side as the
affected one (``coach.sunnybrook.resting_estimate``, event ``resting_symmetry_estimated``). The
summary takes the affected side as the one the camera found weaker most often, and the median of
the recent calibrations; it says why when it withholds the estimate.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from coach.sunnybrook import LABEL, MIN_RESTING_CALIBRATIONS
from kiosk.summary.model import EventRow, ExerciseRow, Period
from kiosk.summary.stats import median

RECENT_DAYS = 7
ITEMS = ("rest_eye", "rest_cheek", "rest_mouth")


def _affected(rows: list[ExerciseRow]) -> str | None:
    left = sum(1 for r in rows if r.weaker_side == "left")
    right = sum(1 for r in rows if r.weaker_side == "right")
    return None if left == right else ("left" if left > right else "right")


def resting_from_calibrations(rows: list[ExerciseRow], events: list[EventRow], period: Period) -> dict[str, Any]:
    """{score 0..4 or None, calibrations, affected_side, items, withheld_because, label}."""
    since = period.end - timedelta(days=RECENT_DAYS - 1)
    recent = [
        e
        for e in events
        if e.kind == "resting_symmetry_estimated"
        and since <= e.at.date() <= period.end
        and isinstance(e.data.get("items"), dict)
    ]
    side = _affected(rows)
    out: dict[str, Any] = {
        "is_estimate": True,
        "label": f"Resting symmetry: {LABEL} (from the relaxed face at the start of each session).",
        "calibrations": len(recent),
        "affected_side": side,
        "score": None,
        "items": None,
        "withheld_because": None,
    }
    if side is None:
        out["withheld_because"] = "which side is affected is not clear from the exercises"
    elif len(recent) < MIN_RESTING_CALIBRATIONS:
        out["withheld_because"] = (
            f"only {len(recent)} relaxed-face calibrations in the last {RECENT_DAYS} days "
            f"(at least {MIN_RESTING_CALIBRATIONS} needed)"
        )
    else:
        per_item = {k: median(float(e.data["items"][side][k]) for e in recent) for k in ITEMS}
        items = {k: int(round(v or 0.0)) for k, v in per_item.items()}
        out.update(items=items, score=sum(items.values()))
    return out
