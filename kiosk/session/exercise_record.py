"""What one exercise measured, worked out when it ends (pure): mm, % of reference, holds, frames, co-movement.

The session flow feeds every camera result of the exercise into an ``ExerciseTally`` and asks it
for the numbers when the exercise is over; the controller stores them at once, so the therapist's
summary reads what happened rather than re-deriving it later.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kiosk.session.steps import Measurement, RepRecord

# A hold is judged when the camera scored at least this many frames of it.
MIN_HOLD_FRAMES = 3
# On target: the moving side kept at least HOLD_KEEP of its peak in HOLD_SHARE of the hold's frames,
# and the peak was a real movement (MIN_PEAK_PCT of the patient's own reference).
HOLD_KEEP = 0.7
HOLD_SHARE = 0.8
MIN_PEAK_PCT = 10.0


def hold_on_target(rec: RepRecord) -> bool | None:
    """True when the hold was kept steady, False when not, None with too few frames to judge."""
    if min(len(rec.left), len(rec.right)) < MIN_HOLD_FRAMES:
        return None
    series = rec.left if max(rec.left) >= max(rec.right) else rec.right
    peak = max(series)
    if peak < MIN_PEAK_PCT:
        return False
    kept = sum(1 for v in series if v >= HOLD_KEEP * peak)
    return kept >= HOLD_SHARE * len(series)


def _mostly(flags: list[tuple[str, ...]]) -> set[str]:
    """Indicators present in at least half of a hold's frames."""
    counts = Counter(f for frame in flags for f in set(frame))
    return {f for f, n in counts.items() if 2 * n >= len(flags)}


@dataclass
class ExerciseTally:
    """Frames used and refused while one exercise runs (each camera frame counted once)."""

    used: int = 0
    refused: Counter = field(default_factory=Counter)

    def add(self, m: Measurement | None) -> None:
        """Count a camera result; a frame seen again by a faster loop tick is not counted twice."""
        if m is None or not m.new_frame:
            return
        if m.usable:
            self.used += 1
        else:
            self.refused.update(m.refused or ("unknown",))

    def numbers(self, records: list[RepRecord]) -> dict[str, Any]:
        """The ExerciseDone fields for the completed repetitions ``records``."""
        peaks = [r.peak() for r in records if r.left and r.right]
        peaks_mm = [p for r in records if (p := r.peak_mm()) is not None]
        judged = [ok for r in records if (ok := hold_on_target(r)) is not None]
        seen = [_mostly(r.flags) for r in records if r.flags]
        return {
            "left_pct": sum(p[0] for p in peaks) / len(peaks) if peaks else None,
            "right_pct": sum(p[1] for p in peaks) / len(peaks) if peaks else None,
            "measured": bool(peaks),
            "left_mm": round(sum(p[0] for p in peaks_mm) / len(peaks_mm), 2) if peaks_mm else None,
            "right_mm": round(sum(p[1] for p in peaks_mm) / len(peaks_mm), 2) if peaks_mm else None,
            "holds_on_target": sum(judged),
            "holds_measured": len(judged),
            "frames_used": self.used,
            "frames_refused": tuple(sorted(self.refused.items())),
            "co_movement": tuple(sorted(set().union(*seen))) if seen else (),
            "co_movement_holds": sum(1 for flags in seen if flags),
        }
