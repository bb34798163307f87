"""Alignment: bring an expression onto the neutral face and into a face frame measured in millimetres.

The face frame has its origin between the inner eye corners, x towards the patient's LEFT, y up
(towards the forehead), and units of mm. Every metric is read in this frame, so "outward" is +x on
the left side and -x on the right side, and "up" is +y on both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

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


class AlignTarget:
    """The stable points of one reference face, prepared once for fitting many faces onto it.

    ``fit`` gives the same similarity as ``similarity(face.xy[indices], reference.xy[indices])``,
    with the reference's half of the work (mean, centred points, their perpendiculars) done here
    instead of on every camera frame, and the rest in plain floats (a handful of numpy calls).
    """

    def __init__(self, reference: FaceLandmarks, indices: tuple[int, ...] = STABLE) -> None:
        self.indices = np.array(indices)
        target = reference.xy[self.indices]
        mean = target.sum(axis=0) / len(indices)
        self.mean = tuple(mean.tolist())
        t = target - mean
        ones = np.zeros_like(t)
        # Columns, for the flattened source (x0, y0, x1, y1, ...): the centred target, the target
        # turned by -90 degrees, then picks of the x and of the y values. One product gives the dot
        # and cross sums of Umeyama's closed form and the source's two coordinate sums.
        self.basis = np.column_stack(
            [t.ravel(), np.column_stack([t[:, 1], -t[:, 0]]).ravel(), (ones + (1, 0)).ravel(), (ones + (0, 1)).ravel()]
        )

    def fit(self, face: FaceLandmarks) -> tuple[float, float, float, float]:
        """(a, b, tx, ty): x' = a*x - b*y + tx, y' = b*x + a*y + ty takes ``face`` onto the reference.

        a and b are scale*cos and scale*sin. The target is centred, so the source need not be for
        the dot and cross sums; its own spread is the sum of squares less k times its squared mean.
        """
        k = len(self.indices)
        flat = face.xy[self.indices].ravel()
        dot, cross, sum_x, sum_y = (flat @ self.basis).tolist()
        mx, my = sum_x / k, sum_y / k
        var = float(flat @ flat) - k * (mx * mx + my * my)
        a, b = (dot / var, cross / var) if var > 0 else (1.0, 0.0)
        return a, b, self.mean[0] - (a * mx - b * my), self.mean[1] - (b * mx + a * my)


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

    def after(self, fit: tuple[float, float, float, float]) -> tuple[np.ndarray, np.ndarray]:
        """A similarity ``fit`` (see ``AlignTarget.fit``) followed by ``to_mm``, as one affine map.

        Returns a (3, 2) matrix and a (2,) offset: ``points @ matrix + offset`` is
        ``to_mm(similarity applied to points[:, :2])`` for (N, 3) landmark points (z is ignored).
        """
        a, b, tx, ty = fit
        (f00, f01), (f10, f11), (ox, oy) = self._floats
        matrix = np.array([[f00 * a + f01 * b, f10 * a + f11 * b], [f01 * a - f00 * b, f11 * a - f10 * b], [0.0, 0.0]])
        offset = np.array([f00 * (tx - ox) + f01 * (ty - oy), f10 * (tx - ox) + f11 * (ty - oy)])
        return matrix, offset

    @cached_property
    def _floats(self) -> tuple[tuple[float, float], ...]:
        """The frame's matrix rows (axes times mm per pixel) and its origin, as plain floats."""
        matrix = np.vstack([self.x_axis, self.y_axis]) * self.mm_per_px
        return (*map(tuple, matrix.tolist()), tuple(self.origin.tolist()))
