"""Repetitions: rest -> move -> hold -> relax -> rest, with hysteresis, from a movement signal in mm.

The signal is one number per usable frame (e.g. the larger side's excursion). It is first smoothed
by a running median over ``smooth_s`` (one odd landmark frame cannot start or end a movement). A
movement starts when the signal rises above ``start_mm`` and ends when it has stayed below
``rest_mm`` (lower, so noise near one threshold cannot count extra reps) for ``min_rest_s``: the
face must return to rest between two repetitions, and a brief dip in the middle of a hold (a
blink during a brow lift) does not split one repetition into two. While the signal stays within
``hold_share`` of the repetition's peak the patient is holding. Movements shorter than
``min_rep_s`` (a blink) are not counted. Times are passed in; nothing here reads the clock.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from statistics import median

HOLD_SHARE = 0.7
MIN_REP_S = 0.4  # blinks last 0.1-0.4 s
# Back at rest this long before a repetition ends: the longest blink (0.4 s), because with the
# FaceLandmarker model the brow points follow the lids down during a blink in a held brow lift
# (d9, 16.27-16.67 s); 0.3 s split that hold in two (docs/coach.md, "The face model").
MIN_REST_S = 0.4
SMOOTH_S = 0.2  # running-median window (6 frames at 30 frames/s)


@dataclass(frozen=True)
class Rep:
    """One completed (or cut-off) repetition."""

    start_t: float
    end_t: float
    hold_s: float
    peak_mm: float
    mean_hold_mm: float
    hold_reached: bool
    returned_to_rest: bool
    side_peaks_mm: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        """A plain dict for the CLI and reports."""
        return {
            "start_s": round(self.start_t, 2),
            "end_s": round(self.end_t, 2),
            "hold_s": round(self.hold_s, 2),
            "peak_mm": round(self.peak_mm, 2),
            "mean_hold_mm": round(self.mean_hold_mm, 2),
            "hold_reached": self.hold_reached,
            "returned_to_rest": self.returned_to_rest,
            "side_peaks_mm": {k: round(v, 2) for k, v in self.side_peaks_mm.items()},
        }


@dataclass
class RepCounter:
    """Feed (t, value) pairs; completed repetitions collect in ``reps``."""

    start_mm: float
    rest_mm: float
    hold_target_s: float = 5.0
    hold_share: float = HOLD_SHARE
    min_rep_s: float = MIN_REP_S
    min_rest_s: float = MIN_REST_S
    smooth_s: float = SMOOTH_S
    phase: str = "rest"
    reps: list[Rep] = field(default_factory=list)
    _start: float = 0.0
    _last_t: float | None = None
    _peak: float = 0.0
    _hold_s: float = 0.0
    _hold_sum: float = 0.0
    _hold_n: int = 0
    _sides: dict[str, float] = field(default_factory=dict)
    _below_since: float | None = None
    _recent: deque = field(default_factory=deque)

    def __post_init__(self) -> None:
        if not 0 <= self.rest_mm < self.start_mm:
            raise ValueError("rest_mm must be at least 0 and below start_mm (hysteresis)")

    def update(self, t: float, value: float, sides: dict[str, float] | None = None) -> str:
        """Advance with one sample; returns the phase: rest, move, hold or relax."""
        dt = 0.0 if self._last_t is None else max(t - self._last_t, 0.0)
        self._last_t = t
        value, sides = self._smoothed(t, value, sides or {})
        if self.phase == "rest":
            if value >= self.start_mm:
                self._begin(t)
                self.phase = "move"
            return self.phase
        if value < self.rest_mm:
            if self._below_since is None:
                self._below_since = t
            if t - self._below_since >= self.min_rest_s:
                self._finish(self._below_since, returned=True)
            else:
                self.phase = "relax"
            return self.phase
        self._below_since = None
        self._peak = max(self._peak, value)
        for side, mm in sides.items():
            self._sides[side] = max(self._sides.get(side, 0.0), mm)
        if value >= self.hold_share * self._peak and value >= self.start_mm:
            self._hold_s += dt
            self._hold_sum += value
            self._hold_n += 1
            # Still rising to a new peak is moving; staying near the peak is holding.
            self.phase = "move" if self.phase == "move" and value >= self._peak else "hold"
        else:
            self.phase = "relax" if self.phase in ("hold", "relax") else "move"
        return self.phase

    def finish(self, t: float) -> None:
        """End of the recording: a movement still under way is kept, marked as not back at rest."""
        if self.phase != "rest":
            back = self._below_since is not None
            self._finish(self._below_since if back else t, returned=back)

    @property
    def hold_s(self) -> float:
        """Hold time of the repetition under way (0 at rest)."""
        return self._hold_s if self.phase != "rest" else 0.0

    def _smoothed(self, t: float, value: float, sides: dict[str, float]) -> tuple[float, dict[str, float]]:
        """Running median of the signal and of each side over the last ``smooth_s`` seconds."""
        self._recent.append((t, value, sides))
        while self._recent and self._recent[0][0] < t - self.smooth_s:
            self._recent.popleft()
        names = {name for _, _, s in self._recent for name in s}
        return median(v for _, v, _ in self._recent), {
            n: median(s[n] for _, _, s in self._recent if n in s) for n in names
        }

    def _begin(self, t: float) -> None:
        self._start, self._peak, self._hold_s, self._hold_sum, self._hold_n = t, 0.0, 0.0, 0.0, 0
        self._sides, self._below_since = {}, None

    def _finish(self, t: float, returned: bool) -> None:
        self.phase = "rest"
        if t - self._start < self.min_rep_s:
            return  # a blink or a twitch, not an exercise repetition
        mean = self._hold_sum / self._hold_n if self._hold_n else 0.0
        self.reps.append(
            Rep(
                self._start,
                t,
                self._hold_s,
                self._peak,
                mean,
                self._hold_s >= self.hold_target_s,
                returned,
                dict(self._sides),
            )
        )
