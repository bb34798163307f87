"""Neutral calibration: a relaxed baseline from stable frames, a per-landmark noise floor, an mm scale.

The scale comes from the iris, whose visible diameter is about 11.7 mm in adults and varies little
between people. When the iris looks implausible next to the eye spacing (glasses glare, small
image), the scale falls back to an average eye-centre distance of 62 mm, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.align import FaceFrame, align_onto
from coach.face import FaceLandmarks, eye_opening_px, interocular_px, iris_diameter_px

IRIS_DIAMETER_MM = 11.7
INTEROCULAR_MM = 62.0  # fallback only: eye-centre distance of an average adult
IRIS_TO_INTEROCULAR = (0.14, 0.26)  # plausible iris diameter / eye-centre distance
DEFAULT_NOISE_MM = 0.3  # noise floor when calibrating from a single picture
MIN_NOISE_MM = 0.1
STABLE_FRAME_MM = 1.5  # frames whose shape differs more than this (RMS) from the median are not used


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

    def eye_opening_mm(self, side: str) -> float:
        """Neutral lid-to-lid opening of one eye in mm."""
        return eye_opening_px(self.neutral, side) * self.mm_per_px

    def to_mm(self, face: FaceLandmarks) -> np.ndarray:
        """Any face aligned onto this neutral and expressed in face-frame mm, (478, 2)."""
        return self.frame.to_mm(align_onto(face, self.neutral))

    @property
    def neutral_mm(self) -> np.ndarray:
        """The neutral face itself in face-frame mm."""
        return self.frame.to_mm(self.neutral.xy)


def scale_mm_per_px(face: FaceLandmarks) -> tuple[float, str]:
    """Millimetres per pixel from the iris, or from the eye spacing when the iris is implausible."""
    iris = (iris_diameter_px(face, "left") + iris_diameter_px(face, "right")) / 2
    spacing = interocular_px(face)
    low, high = IRIS_TO_INTEROCULAR
    if spacing > 0 and low <= iris / spacing <= high:
        return IRIS_DIAMETER_MM / iris, "iris"
    return INTEROCULAR_MM / spacing, "interocular"


def calibrate(faces: list[FaceLandmarks]) -> Calibration:
    """Build the neutral baseline from relaxed frames; unsteady frames are left out."""
    if not faces:
        raise CalibrationError("no neutral face to calibrate from")
    reference = faces[len(faces) // 2]
    aligned = np.stack([align_onto(f, reference) for f in faces])
    median = np.median(aligned, axis=0)
    mm_per_px, source = scale_mm_per_px(reference)
    rms_mm = np.sqrt(((aligned - median) ** 2).sum(axis=2).mean(axis=1)) * mm_per_px
    keep = rms_mm <= STABLE_FRAME_MM
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
