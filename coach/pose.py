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


# The points the estimate reads, fetched from the array in one step (plain floats are quicker to
# combine than many small numpy operations, and this runs on every camera frame).
_POINTS = (RIGHT.eye_outer, RIGHT.eye_inner, LEFT.eye_outer, LEFT.eye_inner, RIGHT.face_edge, LEFT.face_edge)
_INDEX = np.array(_POINTS + (NOSE_TIP, FOREHEAD, CHIN))


def estimate_pose(face: FaceLandmarks) -> Pose:
    """Yaw, pitch and roll of the head from one set of landmarks."""
    ro, ri, lo, li, redge, ledge, nose, forehead, chin = face.points[_INDEX].tolist()
    eyes = [(lo[k] + li[k]) / 2 - (ro[k] + ri[k]) / 2 for k in range(3)]
    roll = math.degrees(math.atan2(eyes[1], eyes[0]))
    yaw_depth = math.degrees(math.atan2(eyes[2], math.hypot(eyes[0], eyes[1])))
    # 2D cue: where the nose tip sits between the two face edges (0.5 when frontal).
    span_x, span_y = ledge[0] - redge[0], ledge[1] - redge[1]
    along = (nose[0] - redge[0]) * span_x + (nose[1] - redge[1]) * span_y
    share = along / max(span_x * span_x + span_y * span_y, 1e-9)
    yaw_shift = math.degrees(math.asin(min(max(2 * share - 1, -1.0), 1.0)))
    # A head turned to its own left brings the nose towards the left edge (share > 0.5).
    yaw = (yaw_depth + yaw_shift) / 2
    up = [forehead[k] - chin[k] for k in range(3)]
    pitch = math.degrees(math.atan2(up[2], math.hypot(up[0], up[1])))
    return Pose(round(yaw, 1), round(pitch, 1), round(roll, 1))
