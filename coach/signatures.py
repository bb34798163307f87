"""Movement signatures: does this frame move the face the way the exercise asks, or some other way?

An excursion alone cannot tell exercises apart: pushing air to one side moves one mouth corner
outward (a "smile" on that side) and the other medially (a "pucker"); a broad smile narrows the
eyes (an "eye closure") and widens the cheeks (a "cheek puff"). Repetition counting therefore only
counts frames whose movement has the exercise's own signature. The rules hold for a one-sided
(palsied) movement too: a smile on the healthy side alone lifts that corner well beyond the
sideways pull it puts on the mouth.

Rules (points in the face frame, mm, x towards the patient's left, y up; the mouth's movement is
split into smile, narrowing and sideways shift by ``mouth_movements``):
- smiles: the smile part exceeds narrowing and shift together;
- lip pucker: the narrowing exceeds smile and shift together;
- cheek puff: the cheeks move outward more than the mouth corners smile;
- eye closures: the share of the lid gap lost exceeds the share of a full smile the corners moved
  (a smile narrows the eyes, but less than it moves the mouth);
- every other exercise: no extra rule.
"""

from __future__ import annotations

import numpy as np

from coach.face import LEFT, RIGHT
from coach.metrics import REFERENCE_MM, eye_opening

SMILES = ("open_smile", "closed_smile")
EYE_CLOSURES = ("gentle_eye_closure", "tight_eye_closure")
SMILE_REFERENCE_MM = REFERENCE_MM["open_smile"]  # a typical full smile, mm


def mouth_movements(neutral_mm: np.ndarray, face_mm: np.ndarray) -> tuple[float, float, float]:
    """The mouth's movement split three ways, mm: smile, narrowing and sideways shift.

    shift: how far both corners moved sideways together. smile: the larger corner movement up
    and outward once that shift is taken out (a one-sided smile pulls the mouth across, so the
    dragged corner would otherwise look like a pucker and the smiling one less outward than it
    is). narrowing: how much closer the corners came together.
    """
    left = face_mm[LEFT.mouth_corner] - neutral_mm[LEFT.mouth_corner]
    right = face_mm[RIGHT.mouth_corner] - neutral_mm[RIGHT.mouth_corner]
    shift = (left[0] + right[0]) / 2
    wider = left[0] - right[0]
    smile = max(
        np.hypot(max(outward * (d[0] - shift), 0.0), max(d[1], 0.0)) for d, outward in ((left, 1.0), (right, -1.0))
    )
    return float(smile), float(max(-wider, 0.0)), float(abs(shift))


def _cheeks_out(neutral_mm: np.ndarray, face_mm: np.ndarray) -> float:
    left = (face_mm[list(LEFT.cheek), 0] - neutral_mm[list(LEFT.cheek), 0]).mean()
    right = (face_mm[list(RIGHT.cheek), 0] - neutral_mm[list(RIGHT.cheek), 0]).mean()
    return float(max(left, 0.0) + max(-right, 0.0))


def _lid_gap_lost_share(neutral_mm: np.ndarray, face_mm: np.ndarray) -> float:
    shares = []
    for side in ("left", "right"):
        neutral = eye_opening(neutral_mm, side)
        shares.append((neutral - eye_opening(face_mm, side)) / neutral if neutral > 0 else 0.0)
    return float(max(shares))


def _smile_share(neutral_mm: np.ndarray, face_mm: np.ndarray) -> float:
    moves = []
    for side, outward in ((LEFT, 1.0), (RIGHT, -1.0)):
        dx, dy = face_mm[side.mouth_corner] - neutral_mm[side.mouth_corner]
        moves.append(np.hypot(max(outward * dx, 0.0), max(dy, 0.0)))
    return float(max(moves) / SMILE_REFERENCE_MM)


def matches(exercise: str, neutral_mm: np.ndarray, face_mm: np.ndarray) -> bool:
    """True when the frame's movement has the exercise's signature (see the module docstring)."""
    if exercise in SMILES or exercise == "lip_pucker":
        smile, narrowing, shift = mouth_movements(neutral_mm, face_mm)
        return smile > narrowing + shift if exercise in SMILES else narrowing > smile + shift
    if exercise == "cheek_puff":
        smile, _, _ = mouth_movements(neutral_mm, face_mm)
        return _cheeks_out(neutral_mm, face_mm) > smile
    if exercise in EYE_CLOSURES:
        return _lid_gap_lost_share(neutral_mm, face_mm) > _smile_share(neutral_mm, face_mm)
    return True
