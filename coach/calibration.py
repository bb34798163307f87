"""Neutral calibration: a relaxed baseline from stable frames, a per-landmark noise floor, an mm scale.

The scale comes from the iris, whose visible diameter is about 11.7 mm in adults and varies little
between people. When the iris looks implausible next to the eye spacing (glasses glare, small
image), the scale falls back to an average eye-centre distance of 62 mm, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from coach.align import AlignTarget, FaceFrame, align_onto
from coach.face import BY_SIDE, FaceLandmarks, eye_opening_px, interocular_px, iris_diameter_px

IRIS_DIAMETER_MM = 11.7
INTEROCULAR_MM = 62.0  # fallback only: eye-centre distance of an average adult
IRIS_TO_INTEROCULAR = (0.14, 0.26)  # plausible iris diameter / eye-centre distance
DEFAULT_NOISE_MM = 0.3  # noise floor when calibrating from a single picture
MIN_NOISE_MM = 0.1
# Two frames show the same relaxed face when no facial region (lids, brow, mouth, cheek, nose wing
# of either side) differs by more than this on average. Per region, not an RMS over all 478 points:
# a wink or a smirk moves only a few dozen landmarks, which a whole-face RMS would average away.
STABLE_FRAME_MM = 1.5


def _regions() -> list[list[int]]:
    out = []
    for s in BY_SIDE.values():
        lids = [i for pair in s.lid_pairs for i in pair]
        mouth = [s.mouth_corner, *s.upper_lip_outer, *s.lower_lip_outer]
        out += [lids, list(s.brow), mouth, list(s.cheek), list(s.nose_ala)]
    return out


REGIONS = _regions()


class CalibrationError(ValueError):
    """The neutral face could not be calibrated (no frames, or none still enough)."""


@dataclass(frozen=True)
class Calibration:
    """The patient's relaxed face: mean landmarks, face frame in mm, noise floor and eye openings."""

    neutral: FaceLandmarks
    frame: FaceFrame
    mm_per_px: float
    scale_source: str  # "iris" | "interocular"
    noise_mm: np.ndarray  # (478,) per-landmark noise floor in mm
    frames_used: int
    frames_offered: int
    # Values worked out once per calibration (thresholds), and the last face put into the face
    # frame (a score and its synkinesis read the same camera frame).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def eye_opening_mm(self, side: str) -> float:
        """Neutral lid-to-lid opening of one eye in mm (worked out once per calibration)."""
        return self._eye_openings_mm[side]

    def to_mm(self, face: FaceLandmarks) -> np.ndarray:
        """Any face aligned onto this neutral and expressed in face-frame mm, (478, 2), read-only.

        Alignment and face frame are one affine map, applied to the 478 points in one product.
        """
        if self.memo.get("face") is not face:
            matrix, offset = self.frame.after(self._target.fit(face))
            points = face.points @ matrix + offset
            points.setflags(write=False)
            self.memo.update(face=face, face_mm=points)
        return self.memo["face_mm"]

    @cached_property
    def _eye_openings_mm(self) -> dict[str, float]:
        return {side: eye_opening_px(self.neutral, side) * self.mm_per_px for side in BY_SIDE}

    @cached_property
    def _target(self) -> AlignTarget:
        return AlignTarget(self.neutral)

    @cached_property
    def neutral_mm(self) -> np.ndarray:
        """The neutral face itself in face-frame mm, read-only."""
        points = self.frame.to_mm(self.neutral.xy)
        points.setflags(write=False)
        return points


def scale_mm_per_px(face: FaceLandmarks) -> tuple[float, str]:
    """Millimetres per pixel from the iris, or from the eye spacing when the iris is implausible."""
    iris = (iris_diameter_px(face, "left") + iris_diameter_px(face, "right")) / 2
    spacing = interocular_px(face)
    low, high = IRIS_TO_INTEROCULAR
    if spacing > 0 and low <= iris / spacing <= high:
        return IRIS_DIAMETER_MM / iris, "iris"
    return INTEROCULAR_MM / spacing, "interocular"


def _steady_group(aligned: np.ndarray, mm_per_px: float, earliest: bool) -> np.ndarray:
    """Mask of a steady group: one frame and every frame that shows the same face (at least 2 in all).

    Frames caught mid-movement (a blink, a wink or a smirk) disagree with the relaxed face and are
    left out. By default the largest group wins (earliest on ties); with ``earliest`` the first
    frame that has company wins, for recordings that are known to start relaxed. All False when no
    frame has company.
    """
    n = len(aligned)
    if n == 1:
        return np.ones(1, dtype=bool)
    near = np.empty((n, n), dtype=bool)
    for i in range(n):  # row by row: at most a few dozen frames, and no (n, n, 478) temporary
        gaps_mm = np.linalg.norm(aligned - aligned[i], axis=2) * mm_per_px  # (n, 478)
        worst_region = np.max([gaps_mm[:, r].mean(axis=1) for r in REGIONS], axis=0)
        near[i] = worst_region <= STABLE_FRAME_MM
    sizes = near.sum(axis=1)
    if sizes.max() < 2:
        return np.zeros(n, dtype=bool)
    return near[int(np.argmax(sizes >= 2)) if earliest else int(np.argmax(sizes))]


def calibrate(faces: list[FaceLandmarks], earliest: bool = False) -> Calibration:
    """Build the neutral baseline from relaxed frames; frames that show a movement are left out.

    ``earliest``: the relaxed face is the first steady group rather than the largest (a replayed
    video that starts relaxed and moves soon after).
    """
    if not faces:
        raise CalibrationError("no neutral face to calibrate from")
    reference = faces[len(faces) // 2]
    aligned = np.stack([align_onto(f, reference) for f in faces])
    mm_per_px, source = scale_mm_per_px(reference)
    keep = _steady_group(aligned, mm_per_px, earliest)
    if not keep.any():
        raise CalibrationError("the face moved during calibration; hold still and relax")
    used = aligned[keep]
    mean_xy = used.mean(axis=0)
    depth = np.stack([f.points[:, 2] for f, k in zip(faces, keep, strict=True) if k]).mean(axis=0)
    neutral = FaceLandmarks(np.column_stack([mean_xy, depth]), reference.width, reference.height)
    if len(used) >= 3:
        distance = np.sqrt(((used - mean_xy) ** 2).sum(axis=2))  # (frames, 478) px
        spread = distance.mean(axis=0) + 2 * distance.std(axis=0)
        noise = np.maximum(spread * mm_per_px, MIN_NOISE_MM)
    else:
        noise = np.full(len(mean_xy), DEFAULT_NOISE_MM)
    frame = FaceFrame.from_neutral(neutral, mm_per_px)
    return Calibration(neutral, frame, mm_per_px, source, noise, int(keep.sum()), len(faces))
