"""Synthetic one-sided weakness: a healthy expression with one half of the face replaced by the neutral.

The neutral image is aligned onto the expression image with a similarity transform fitted on stable
landmarks, then one side (the patient's own left or right) is taken from the aligned neutral, blended
across the facial midline with a feathered seam.
"""

from __future__ import annotations

import cv2
import numpy as np

from coach.align import similarity
from coach.face import MIDLINE, STABLE, FaceLandmarks

FEATHER_FRACTION = 0.04  # seam half-width as a fraction of the eye-corner distance


def midline(face: FaceLandmarks) -> tuple[np.ndarray, np.ndarray]:
    """A point on the facial midline and the unit normal pointing towards the patient's left."""
    pts = face.xy[list(MIDLINE)]
    centre = pts.mean(axis=0)
    _, _, vt = np.linalg.svd(pts - centre)
    direction = vt[0]
    normal = np.array([-direction[1], direction[0]])
    if np.dot(face.xy[263] - face.xy[33], normal) < 0:  # 263 is the patient's left eye
        normal = -normal
    return centre, normal


def one_sided(
    neutral_img: np.ndarray, neutral: FaceLandmarks, expr_img: np.ndarray, expr: FaceLandmarks, weak_side: str
) -> np.ndarray:
    """The expression image with ``weak_side`` (patient's own side) replaced by the aligned neutral."""
    idx = list(STABLE)
    scale, rotation, translation = similarity(neutral.xy[idx], expr.xy[idx])
    matrix = np.hstack([scale * rotation, translation[:, None]])
    height, width = expr_img.shape[:2]
    warped = cv2.warpAffine(neutral_img, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    centre, normal = midline(expr)
    ys, xs = np.mgrid[0:height, 0:width]
    signed = (xs - centre[0]) * normal[0] + (ys - centre[1]) * normal[1]  # > 0 on the patient's left
    if weak_side == "right":
        signed = -signed
    feather = max(FEATHER_FRACTION * np.linalg.norm(expr.xy[263] - expr.xy[33]), 1.0)
    weight = 1.0 / (1.0 + np.exp(-signed / (feather / 2)))  # 1 on the weak side, 0 on the other
    weight = weight[..., None] if expr_img.ndim == 3 else weight
    blended = weight * warped.astype(float) + (1 - weight) * expr_img.astype(float)
    return np.clip(blended, 0, 255).astype(np.uint8)
