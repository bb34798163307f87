"""Synkinesis indicators (unwanted co-movement) and mass movement, against documented thresholds.

- Eye narrowing during a smile or a pucker: the lid gap of each eye shrinks. Thresholds follow the
  Sunnybrook synkinesis literature: about 0.77 mm of palpebral fissure change during a smile and
  1.0 mm during a pucker.
- Mouth-corner movement during eye closure: each corner's displacement in mm; flagged from 1.0 mm
  (a project choice on the same scale as the pucker threshold, not a published cut-off).
- Mass movement: mean displacement of regions that should stay still for the exercise; flagged from
  1.5 mm, for "gentle and isolated" feedback. An indicator, never a diagnosis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from coach.calibration import Calibration
from coach.face import BY_SIDE, SIDES, FaceLandmarks
from coach.metrics import EYE_CLOSURES, eye_opening

EYE_NARROWING_MM = {"closed_smile": 0.77, "open_smile": 0.77, "eee_ooo": 0.77, "lip_pucker": 1.0}
MOUTH_DURING_EYE_CLOSURE_MM = 1.0
MASS_MOVEMENT_MM = 1.5

REGIONS: dict[str, tuple[int, ...]] = {
    "brows": BY_SIDE["left"].brow + BY_SIDE["right"].brow,
    "eyes": tuple(i for s in SIDES for pair in BY_SIDE[s].lid_pairs for i in pair),
    "mouth": tuple(
        i for s in SIDES for i in (BY_SIDE[s].mouth_corner,) + BY_SIDE[s].upper_lip_outer + BY_SIDE[s].lower_lip_outer
    ),
    "cheeks": BY_SIDE["left"].cheek + BY_SIDE["right"].cheek,
}
# The regions that an exercise is meant to move; all other regions should stay still.
MOVES: dict[str, tuple[str, ...]] = {
    "brow_lift": ("brows", "eyes"),
    "frown": ("brows", "eyes"),
    "gentle_eye_closure": ("eyes",),
    "tight_eye_closure": ("eyes", "brows", "cheeks"),
    "snarl": ("mouth", "cheeks", "eyes"),
    "closed_smile": ("mouth", "cheeks"),
    "open_smile": ("mouth", "cheeks"),
    "lip_pucker": ("mouth", "cheeks"),
    "cheek_puff": ("mouth", "cheeks"),
    "lower_lip_depression": ("mouth",),
    "lip_press": ("mouth",),
    "eee_ooo": ("mouth", "cheeks"),
}

# Every region's landmarks in one index, with where each region starts: one pass per frame gives
# all the region means (this runs on every camera frame).
_REGION_INDEX = np.array([i for idx in REGIONS.values() for i in idx])
_REGION_STARTS = np.cumsum([0] + [len(idx) for idx in REGIONS.values()][:-1])
_REGION_SIZES = [len(idx) for idx in REGIONS.values()]


def _region_means(neutral: np.ndarray, moved: np.ndarray) -> list[float]:
    """Mean displacement (mm) of each region in ``REGIONS``, in its order."""
    gap = moved[_REGION_INDEX] - neutral[_REGION_INDEX]
    sums = np.add.reduceat(np.sqrt((gap * gap).sum(axis=1)), _REGION_STARTS).tolist()
    return [total / size for total, size in zip(sums, _REGION_SIZES, strict=True)]


@dataclass(frozen=True)
class Synkinesis:
    """Co-movement found in one frame of one exercise."""

    eye_narrowing_mm: dict[str, float] | None  # smile/pucker exercises
    mouth_movement_mm: dict[str, float] | None  # eye-closure exercises
    mass_movement_mm: dict[str, float]  # region -> mean displacement, for regions meant to stay still
    flags: tuple[str, ...]  # e.g. "eye_narrowing_left", "mouth_movement_right", "mass_movement_brows"

    def to_json(self) -> dict:
        """A plain dict for the CLI and reports."""
        return {
            "eye_narrowing_mm": self.eye_narrowing_mm,
            "mouth_movement_mm": self.mouth_movement_mm,
            "mass_movement_mm": self.mass_movement_mm,
            "flags": list(self.flags),
        }


def assess_synkinesis(exercise: str, cal: Calibration, face: FaceLandmarks) -> Synkinesis:
    """Eye narrowing, mouth movement and mass movement of one frame against the neutral face."""
    neutral, moved = cal.neutral_mm, cal.to_mm(face)
    flags: list[str] = []
    narrowing = mouth = None
    if exercise in EYE_NARROWING_MM:
        narrowing = {s: round(cal.eye_opening_mm(s) - eye_opening(moved, s), 2) for s in SIDES}
        flags += [f"eye_narrowing_{s}" for s in SIDES if narrowing[s] >= EYE_NARROWING_MM[exercise]]
    if exercise in EYE_CLOSURES:
        corner = {s: BY_SIDE[s].mouth_corner for s in SIDES}
        mouth = {s: round(math.hypot(*(moved[corner[s]] - neutral[corner[s]]).tolist()), 2) for s in SIDES}
        flags += [f"mouth_movement_{s}" for s in SIDES if mouth[s] >= MOUTH_DURING_EYE_CLOSURE_MM]
    mass: dict[str, float] = {}
    for region, mean_mm in zip(REGIONS, _region_means(neutral, moved), strict=True):
        if region in MOVES.get(exercise, ()):
            continue
        mass[region] = round(mean_mm, 2)
        if mass[region] >= MASS_MOVEMENT_MM:
            flags.append(f"mass_movement_{region}")
    return Synkinesis(narrowing, mouth, mass, tuple(flags))
