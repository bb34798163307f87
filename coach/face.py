"""Face landmarks as plain arrays, and the named MediaPipe Face Mesh index groups by anatomical side.

Sides are the patient's own: in an unmirrored camera image the patient's RIGHT side appears on the
image's LEFT. MediaPipe landmark 33 (image-left eye outer corner) is therefore the patient's right
eye, and 263 the patient's left eye.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

N_LANDMARKS = 478
SIDES = ("left", "right")


@dataclass(frozen=True)
class FaceLandmarks:
    """478 Face Mesh points in image pixels (x right, y down, z depth in x's scale) plus image size."""

    points: np.ndarray  # (478, 3) float
    width: int
    height: int

    def __post_init__(self) -> None:
        if self.points.shape != (N_LANDMARKS, 3):
            raise ValueError(f"expected ({N_LANDMARKS}, 3) landmarks, got {self.points.shape}")

    @property
    def xy(self) -> np.ndarray:
        """The (478, 2) image-plane coordinates."""
        return self.points[:, :2]

    @cached_property
    def bounds(self) -> tuple[float, float, float, float]:
        """The landmarks' bounding box in pixels: x_min, y_min, x_max, y_max (worked out once)."""
        x0, y0 = self.xy.min(axis=0).tolist()
        x1, y1 = self.xy.max(axis=0).tolist()
        return x0, y0, x1, y1

    def to_json(self) -> dict:
        """A plain dict for fixtures: {"width", "height", "points": [[x, y, z], ...]}."""
        return {"width": self.width, "height": self.height, "points": np.round(self.points, 3).tolist()}

    @classmethod
    def from_json(cls, data: dict) -> FaceLandmarks:
        """The inverse of ``to_json``."""
        return cls(np.asarray(data["points"], dtype=float), int(data["width"]), int(data["height"]))


@dataclass(frozen=True)
class SideIndices:
    """Landmark indices of one anatomical side."""

    eye_outer: int
    eye_inner: int
    lid_pairs: tuple[tuple[int, int], ...]  # (upper lid, lower lid) pairs across the eye
    iris: tuple[int, ...]  # centre, then 4 points on the iris edge
    brow: tuple[int, ...]
    brow_inner: tuple[int, ...]
    mouth_corner: int
    upper_lip_outer: tuple[int, ...]
    upper_lip_inner: tuple[int, ...]
    lower_lip_outer: tuple[int, ...]
    lower_lip_inner: tuple[int, ...]
    nose_ala: tuple[int, ...]
    cheek: tuple[int, ...]
    face_edge: int


RIGHT = SideIndices(
    eye_outer=33,
    eye_inner=133,
    lid_pairs=((160, 144), (159, 145), (158, 153)),
    iris=(468, 469, 470, 471, 472),
    brow=(70, 63, 105, 66, 107, 46, 53, 52, 65, 55),
    brow_inner=(107, 55, 65),
    mouth_corner=61,
    upper_lip_outer=(40, 39, 37),
    upper_lip_inner=(80, 81, 82),
    lower_lip_outer=(91, 181, 84),
    lower_lip_inner=(88, 178, 87),
    nose_ala=(98, 64, 48),
    cheek=(205, 50, 187, 123, 147),
    face_edge=234,
)
LEFT = SideIndices(
    eye_outer=263,
    eye_inner=362,
    lid_pairs=((387, 373), (386, 374), (385, 380)),
    iris=(473, 474, 475, 476, 477),
    brow=(300, 293, 334, 296, 336, 276, 283, 282, 295, 285),
    brow_inner=(336, 285, 295),
    mouth_corner=291,
    upper_lip_outer=(270, 269, 267),
    upper_lip_inner=(310, 311, 312),
    lower_lip_outer=(321, 405, 314),
    lower_lip_inner=(318, 402, 317),
    nose_ala=(327, 294, 278),
    cheek=(425, 280, 411, 352, 376),
    face_edge=454,
)
BY_SIDE = {"left": LEFT, "right": RIGHT}

FOREHEAD = 10
CHIN = 152
NOSE_TIP = 1
UPPER_LIP_TOP = 0
LOWER_LIP_BOTTOM = 17
# Upper-face points (eye corners, nose bridge, face contour at eye level) that barely move in the
# exercises: used to align an expression onto the neutral face. The lower nose moves with a smile.
STABLE = (133, 362, 168, 6, 197, 195, 33, 263, 127, 356)
MIDLINE = (
    10,
    151,
    9,
    8,
    168,
    6,
    197,
    195,
    5,
    4,
    1,
    19,
    94,
    2,
    164,
    0,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    200,
    199,
    175,
    152,
)


_LIDS = {side: np.array(BY_SIDE[side].lid_pairs).T for side in SIDES}  # (upper lids, lower lids)


def eye_opening(points: np.ndarray, side: str) -> float:
    """Mean lid-to-lid distance of one eye in the units of ``points`` (pixels, or face-frame mm)."""
    upper, lower = _LIDS[side]
    gap = points[upper] - points[lower]
    return float(np.sqrt((gap * gap).sum(axis=1)).sum()) / len(upper)  # as norm(axis=1).mean(), quicker


def eye_opening_px(face: FaceLandmarks, side: str) -> float:
    """Mean upper-to-lower lid distance of one eye, in pixels."""
    return eye_opening(face.xy, side)


def iris_diameter_px(face: FaceLandmarks, side: str) -> float:
    """Iris diameter of one eye from the 4 refined iris edge points, in pixels."""
    _, right, top, left, bottom = BY_SIDE[side].iris
    pts = face.xy
    return float((np.linalg.norm(pts[right] - pts[left]) + np.linalg.norm(pts[top] - pts[bottom])) / 2)


_EYE_CORNERS = np.array([RIGHT.eye_outer, RIGHT.eye_inner, LEFT.eye_outer, LEFT.eye_inner])


def interocular_px(face: FaceLandmarks) -> float:
    """Distance between the two eye centres (mean of each eye's corners), in pixels."""
    (ro_x, ro_y), (ri_x, ri_y), (lo_x, lo_y), (li_x, li_y) = face.xy[_EYE_CORNERS].tolist()
    return math.hypot((lo_x + li_x - ro_x - ri_x) / 2, (lo_y + li_y - ro_y - ri_y) / 2)
