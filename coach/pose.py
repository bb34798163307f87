"""Head pose (yaw, pitch, roll in degrees) estimated from the 3D Face Mesh landmarks.

Conventions, in the patient's own terms and an unmirrored image:
- yaw > 0: the head is turned towards the patient's left (their left eye is further from the camera);
- pitch > 0: the chin is raised (the forehead is further from the camera than the chin);
- roll > 0: the head is tilted towards the patient's left shoulder (their left eye is lower).
Both yaw and pitch also use the 2D position of the nose between the face edges, which is steadier
than MediaPipe's depth on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from coach.face import CHIN, FOREHEAD, LEFT, NOSE_TIP, RIGHT, FaceLandmarks


@dataclass(frozen=True)
class Pose:
    """Head rotation in degrees."""

    yaw: float
    pitch: float
    roll: float


def _eye_centre(points: np.ndarray, side) -> np.ndarray:
    return (points[side.eye_outer] + points[side.eye_inner]) / 2


def estimate_pose(face: FaceLandmarks) -> Pose:
    """Yaw, pitch and roll of the head from one set of landmarks."""
    p = face.points
    eyes = _eye_centre(p, LEFT) - _eye_centre(p, RIGHT)
    roll = math.degrees(math.atan2(eyes[1], eyes[0]))
    yaw_depth = math.degrees(math.atan2(eyes[2], math.hypot(eyes[0], eyes[1])))
    # 2D cue: where the nose tip sits between the two face edges (0.5 when frontal).
    right_edge, left_edge = p[RIGHT.face_edge, :2], p[LEFT.face_edge, :2]
    span = left_edge - right_edge
    share = float(np.dot(p[NOSE_TIP, :2] - right_edge, span) / max(np.dot(span, span), 1e-9))
    yaw_shift = math.degrees(math.asin(float(np.clip(2 * share - 1, -1, 1))))
    # A head turned to its own left brings the nose towards the left edge (share > 0.5).
    yaw = (yaw_depth + yaw_shift) / 2
    up = p[FOREHEAD] - p[CHIN]
    pitch = math.degrees(math.atan2(up[2], math.hypot(up[0], up[1])))
    return Pose(round(yaw, 1), round(pitch, 1), round(roll, 1))
