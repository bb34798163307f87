"""Per-exercise, per-side movement against the neutral face, in mm, with symmetry and the weaker side.

Each metric reads the expression and the neutral face in the face frame (see ``coach.align``) and
returns how far the landmarks of one anatomical side moved in the direction the exercise asks for.
Movement in the other direction counts as zero, so "excursion" is never negative.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from coach.calibration import Calibration
from coach.exercises import METRIC_IDS
from coach.face import BY_SIDE, SIDES, FaceLandmarks, eye_opening

# A side "moved" when its excursion reaches this many mm AND three times the landmark noise floor.
MOVEMENT_MIN_MM = 1.0
NOISE_FACTOR = 3.0
# The weaker side is named only when weaker/stronger is below this ratio AND the two sides differ by
# more than MIN_SIDE_DIFFERENCE_MM; otherwise "none". Healthy faces are rarely perfectly even, so a
# ratio of 0.6 (one side moving 40% less) is the smallest difference reported.
SYMMETRY_TOLERANCE = 0.6
MIN_SIDE_DIFFERENCE_MM = 1.5
# Typical full excursion of a healthy adult side, mm (approximate, from facial-grading literature):
# "% of reference" = excursion / reference. Eye closure uses the patient's own neutral opening instead.
REFERENCE_MM: dict[str, float] = {
    "brow_lift": 8.0,
    "frown": 4.0,
    "gentle_eye_closure": 0.0,  # own neutral opening
    "tight_eye_closure": 0.0,  # own neutral opening
    "snarl": 4.0,
    "closed_smile": 10.0,
    "open_smile": 12.0,
    "lip_pucker": 8.0,
    "cheek_puff": 5.0,
    "lower_lip_depression": 6.0,
    "lip_press": 4.0,
    "eee_ooo": 10.0,
}
EYE_CLOSURES = ("gentle_eye_closure", "tight_eye_closure")


@dataclass(frozen=True)
class SideScore:
    """How one side moved."""

    excursion_mm: float
    percent_of_reference: float
    moved: bool


@dataclass(frozen=True)
class ExerciseScore:
    """The score of one expression against the neutral face."""

    exercise: str
    left: SideScore
    right: SideScore
    symmetry_ratio: float | None  # weaker/stronger, None when neither side moved
    weaker_side: str  # "left" | "right" | "none"
    residual_opening_mm: dict[str, float] | None  # eye closures only: lid gap left at the peak

    def side(self, name: str) -> SideScore:
        """The score of side ``name``."""
        return self.left if name == "left" else self.right


Measure = Callable[[np.ndarray, np.ndarray, str, Calibration, FaceLandmarks], float]


def _outward(side: str) -> float:
    return 1.0 if side == "left" else -1.0


def _mean_delta(neutral: np.ndarray, face: np.ndarray, idx: tuple[int, ...] | int) -> np.ndarray:
    if isinstance(idx, int):
        return face[idx] - neutral[idx]
    idx = list(idx)
    return (face[idx] - neutral[idx]).sum(axis=0) / len(idx)  # = mean(axis=0), without its overhead


def _brow_lift(n: np.ndarray, f: np.ndarray, side: str, cal: Calibration, face: FaceLandmarks) -> float:
    return float(_mean_delta(n, f, BY_SIDE[side].brow)[1])


def _frown(n: np.ndarray, f: np.ndarray, side: str, cal: Calibration, face: FaceLandmarks) -> float:
    dx, dy = _mean_delta(n, f, BY_SIDE[side].brow_inner)
    medial, down = -_outward(side) * dx, -dy
    return math.hypot(max(medial, 0.0), max(down, 0.0))


def _eye_closure(n: np.ndarray, f: np.ndarray, side: str, cal: Calibration, face: FaceLandmarks) -> float:
    return eye_opening(n, side) - eye_opening(f, side)


def _snarl(n: np.ndarray, f: np.ndarray, side: str, cal: Calibration, face: FaceLandmarks) -> float:
    s = BY_SIDE[side]
    return float(_mean_delta(n, f, s.nose_ala + s.upper_lip_outer)[1])


def _smile(n: np.ndarray, f: np.ndarray, side: str, cal: Calibration, face: FaceLandmarks) -> float:
    dx, dy = _mean_delta(n, f, BY_SIDE[side].mouth_corner)
    return math.hypot(max(_outward(side) * dx, 0.0), max(dy, 0.0))


def _pucker(n: np.ndarray, f: np.ndarray, side: str, cal: Calibration, face: FaceLandmarks) -> float:
    return float(-_outward(side) * _mean_delta(n, f, BY_SIDE[side].mouth_corner)[0])


def _cheek_puff(n: np.ndarray, f: np.ndarray, side: str, cal: Calibration, face: FaceLandmarks) -> float:
    return float(_outward(side) * _mean_delta(n, f, BY_SIDE[side].cheek)[0])


def _lower_lip_depression(n: np.ndarray, f: np.ndarray, side: str, cal: Calibration, face: FaceLandmarks) -> float:
    return float(-_mean_delta(n, f, BY_SIDE[side].lower_lip_outer)[1])


def _lip_thickness(points: np.ndarray, side: str) -> float:
    s = BY_SIDE[side]
    upper = np.linalg.norm(points[list(s.upper_lip_outer)] - points[list(s.upper_lip_inner)], axis=1)
    lower = np.linalg.norm(points[list(s.lower_lip_outer)] - points[list(s.lower_lip_inner)], axis=1)
    return float(upper.mean() + lower.mean())


def _lip_press(n: np.ndarray, f: np.ndarray, side: str, cal: Calibration, face: FaceLandmarks) -> float:
    return _lip_thickness(n, side) - _lip_thickness(f, side)


def _eee_ooo(n: np.ndarray, f: np.ndarray, side: str, cal: Calibration, face: FaceLandmarks) -> float:
    return float(abs(_mean_delta(n, f, BY_SIDE[side].mouth_corner)[0]))


MEASURES: dict[str, Measure] = {
    "brow_lift": _brow_lift,
    "frown": _frown,
    "gentle_eye_closure": _eye_closure,
    "tight_eye_closure": _eye_closure,
    "snarl": _snarl,
    "closed_smile": _smile,
    "open_smile": _smile,
    "lip_pucker": _pucker,
    "cheek_puff": _cheek_puff,
    "lower_lip_depression": _lower_lip_depression,
    "lip_press": _lip_press,
    "eee_ooo": _eee_ooo,
}
assert set(MEASURES) == set(METRIC_IDS), "every metric id needs a measure"


def residual_opening_mm(cal: Calibration, face: FaceLandmarks, side: str) -> float:
    """Lid-to-lid gap of one eye in mm (an estimate of lagophthalmos when the eye is meant to be shut)."""
    return eye_opening(cal.to_mm(face), side)


def movement_threshold_mm(cal: Calibration, exercise: str, side: str) -> float:
    """The smallest excursion that counts as movement on this side for this exercise."""
    key = ("movement_threshold_mm", exercise, side)  # fixed per calibration: worked out once
    if key not in cal.memo:
        noise = float(np.median(cal.noise_mm[_landmarks_of(exercise, side)]))
        cal.memo[key] = max(MOVEMENT_MIN_MM, NOISE_FACTOR * noise)
    return cal.memo[key]


def _landmarks_of(exercise: str, side: str) -> list[int]:
    s = BY_SIDE[side]
    groups = {
        "brow_lift": s.brow,
        "frown": s.brow_inner,
        "snarl": s.nose_ala + s.upper_lip_outer,
        "cheek_puff": s.cheek,
        "lower_lip_depression": s.lower_lip_outer,
        "lip_press": s.upper_lip_outer + s.lower_lip_outer,
    }
    if exercise in EYE_CLOSURES:
        return [i for pair in s.lid_pairs for i in pair]
    return list(groups.get(exercise, (s.mouth_corner,)))


def reference_mm(cal: Calibration, exercise: str, side: str) -> float:
    """The excursion that counts as 100% for this side and exercise."""
    if exercise in EYE_CLOSURES:
        return cal.eye_opening_mm(side)
    return REFERENCE_MM[exercise]


def symmetry(left_mm: float, right_mm: float, left_moved: bool, right_moved: bool) -> tuple[float | None, str]:
    """Symmetry ratio (weaker/stronger, 0..1; None when neither side moved) and the weaker side or "none"."""
    if not (left_moved or right_moved):
        return None, "none"
    weak, strong = sorted((max(left_mm, 0.0), max(right_mm, 0.0)))
    ratio = weak / strong if strong > 0 else 1.0
    if ratio >= SYMMETRY_TOLERANCE or strong - weak < MIN_SIDE_DIFFERENCE_MM:
        return ratio, "none"
    return ratio, "left" if left_mm < right_mm else "right"


def score(exercise: str, cal: Calibration, face: FaceLandmarks) -> ExerciseScore:
    """Score one expression frame against the calibrated neutral face."""
    if exercise not in MEASURES:
        raise ValueError(f"unknown exercise {exercise!r}; known: {', '.join(METRIC_IDS)}")
    neutral_mm, face_mm = cal.neutral_mm, cal.to_mm(face)
    sides: dict[str, SideScore] = {}
    for side in SIDES:
        excursion = max(MEASURES[exercise](neutral_mm, face_mm, side, cal, face), 0.0)
        reference = reference_mm(cal, exercise, side)
        percent = 100.0 * excursion / reference if reference > 0 else 0.0
        moved = excursion >= movement_threshold_mm(cal, exercise, side)
        sides[side] = SideScore(round(excursion, 2), round(percent, 1), moved)
    ratio, weaker = symmetry(
        sides["left"].excursion_mm, sides["right"].excursion_mm, sides["left"].moved, sides["right"].moved
    )
    residual = None
    if exercise in EYE_CLOSURES:
        residual = {side: round(residual_opening_mm(cal, face, side), 2) for side in SIDES}
    return ExerciseScore(
        exercise, sides["left"], sides["right"], None if ratio is None else round(ratio, 3), weaker, residual
    )
