"""Pixel measures the quality gates need: face brightness and sharpness (OpenCV, adapter side)."""

from __future__ import annotations

import cv2
import numpy as np

from coach.face import FaceLandmarks

SHARPNESS_WIDTH = 160  # the face crop is scaled to this width so sharpness does not depend on distance


def face_crop(image: np.ndarray, face: FaceLandmarks) -> np.ndarray:
    """The grey pixels inside the landmarks' bounding box (clipped to the image)."""
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    x0, y0 = np.floor(face.xy.min(axis=0)).astype(int)
    x1, y1 = np.ceil(face.xy.max(axis=0)).astype(int)
    height, width = grey.shape[:2]
    x0, x1 = max(x0, 0), min(x1, width)
    y0, y1 = max(y0, 0), min(y1, height)
    return grey[y0:y1, x0:x1]


def brightness(image: np.ndarray, face: FaceLandmarks) -> float:
    """Mean grey level of the face, 0..255."""
    crop = face_crop(image, face)
    return float(crop.mean()) if crop.size else 0.0


def sharpness(image: np.ndarray, face: FaceLandmarks) -> float:
    """Variance of the Laplacian of the face crop scaled to a fixed width (low = blurred)."""
    crop = face_crop(image, face)
    if crop.size == 0 or crop.shape[1] < 2:
        return 0.0
    scaled = cv2.resize(crop, (SHARPNESS_WIDTH, max(int(crop.shape[0] * SHARPNESS_WIDTH / crop.shape[1]), 1)))
    return float(cv2.Laplacian(scaled, cv2.CV_64F).var())
