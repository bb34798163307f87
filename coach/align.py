"""Alignment: bring an expression onto the neutral face and into a face frame measured in millimetres.

The face frame has its origin between the inner eye corners, x towards the patient's LEFT, y up
(towards the forehead), and units of mm. Every metric is read in this frame, so "outward" is +x on
the left side and -x on the right side, and "up" is +y on both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.face import LEFT, RIGHT, STABLE, FaceLandmarks


def similarity(source: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Least-squares scale, rotation (2x2) and translation mapping source points onto target (Umeyama).

    In the plane Umeyama's solution has a closed form: the rotation angle is atan2 of the summed
    cross and dot products of the centred points, with no SVD (this runs twice per camera frame).
    """
    mu_s, mu_t = source.mean(axis=0), target.mean(axis=0)
    s, t = source - mu_s, target - mu_t
    dot = float((s * t).sum())
    cross = float((s[:, 0] * t[:, 1] - s[:, 1] * t[:, 0]).sum())
    norm = np.hypot(dot, cross)
    var_s = float((s**2).sum())
    scale = norm / var_s if var_s > 0 else 1.0
    cos, sin = (dot / norm, cross / norm) if norm > 0 else (1.0, 0.0)
    rotation = np.array([[cos, -sin], [sin, cos]])
    translation = mu_t - scale * rotation @ mu_s
    return scale, rotation, translation


def align_onto(face: FaceLandmarks, reference: FaceLandmarks, indices: tuple[int, ...] = STABLE) -> np.ndarray:
    """The (478, 2) points of ``face`` moved onto ``reference`` by a similarity fitted on stable points."""
    idx = list(indices)
    scale, rotation, translation = similarity(face.xy[idx], reference.xy[idx])
    return face.xy @ (scale * rotation).T + translation


@dataclass(frozen=True)
class FaceFrame:
    """Pixel coordinates of the neutral image -> face frame in mm (origin, axes, scale)."""

    origin: np.ndarray  # (2,) pixels
    x_axis: np.ndarray  # (2,) unit vector in the image towards the patient's left
    y_axis: np.ndarray  # (2,) unit vector in the image towards the forehead
    mm_per_px: float

    @classmethod
    def from_neutral(cls, neutral: FaceLandmarks, mm_per_px: float) -> FaceFrame:
        """The frame of a neutral face: origin between the inner eye corners, x along the eye line."""
        pts = neutral.xy
        origin = (pts[RIGHT.eye_inner] + pts[LEFT.eye_inner]) / 2
        eye_line = (pts[LEFT.eye_outer] + pts[LEFT.eye_inner]) / 2 - (pts[RIGHT.eye_outer] + pts[RIGHT.eye_inner]) / 2
        x_axis = eye_line / np.linalg.norm(eye_line)
        # Image y points down; "up" is the eye line turned so it points away from the chin.
        y_axis = np.array([x_axis[1], -x_axis[0]])
        if np.dot(pts[10] - pts[152], y_axis) < 0:  # forehead must be up, whatever the mirroring
            y_axis = -y_axis
        return cls(origin, x_axis, y_axis, mm_per_px)

    def to_mm(self, xy: np.ndarray) -> np.ndarray:
        """Pixel points (N, 2) of the neutral image -> face-frame mm (N, 2)."""
        rel = xy - self.origin
        return np.stack([rel @ self.x_axis, rel @ self.y_axis], axis=-1) * self.mm_per_px
