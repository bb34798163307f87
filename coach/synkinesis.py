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
        narrowing = {s: round(eye_opening(neutral, s) - eye_opening(moved, s), 2) for s in SIDES}
        flags += [f"eye_narrowing_{s}" for s in SIDES if narrowing[s] >= EYE_NARROWING_MM[exercise]]
    if exercise in EYE_CLOSURES:
        corner = {s: BY_SIDE[s].mouth_corner for s in SIDES}
        mouth = {s: round(float(np.linalg.norm(moved[corner[s]] - neutral[corner[s]])), 2) for s in SIDES}
        flags += [f"mouth_movement_{s}" for s in SIDES if mouth[s] >= MOUTH_DURING_EYE_CLOSURE_MM]
    mass: dict[str, float] = {}
    distance = np.linalg.norm(moved - neutral, axis=1)  # every landmark once, then means per region
    for region, idx in REGIONS.items():
        if region in MOVES.get(exercise, ()):
            continue
        mass[region] = round(float(distance[list(idx)].mean()), 2)
        if mass[region] >= MASS_MOVEMENT_MM:
            flags.append(f"mass_movement_{region}")
    return Synkinesis(narrowing, mouth, mass, tuple(flags))
