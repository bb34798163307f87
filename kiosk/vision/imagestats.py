"""Pixel measures the quality gates need: face brightness and sharpness (OpenCV, adapter side)."""

from __future__ import annotations

import math

import cv2
import numpy as np

from coach.face import FaceLandmarks

# The face crop is scaled to this width so sharpness does not depend on the distance to the camera.
# 96 px keeps the eyes, brows, nostrils and lips as clear edges; a narrower crop costs less per frame
# (tests/coach/test_imagestats.py shows it tells sharp real faces from blurred ones).
SHARPNESS_WIDTH = 96


def face_crop(image: np.ndarray, face: FaceLandmarks) -> np.ndarray:
    """The pixels inside the landmarks' bounding box (clipped to the image), in the image's colours."""
    left, top, right, bottom = face.bounds
    x0, y0, x1, y1 = math.floor(left), math.floor(top), math.ceil(right), math.ceil(bottom)
    height, width = image.shape[:2]
    return image[max(y0, 0) : min(y1, height), max(x0, 0) : min(x1, width)]


def face_stats(image: np.ndarray, face: FaceLandmarks) -> tuple[float, float]:
    """Brightness (mean grey level of the face, 0..255) and sharpness (see ``sharpness``) from one crop.

    The crop is scaled to ``SHARPNESS_WIDTH`` before it is turned grey: both are linear, so the
    order does not change the numbers, and only a few thousand pixels are converted per frame.
    """
    crop = face_crop(image, face)
    if crop.size == 0 or crop.shape[1] < 2:
        return 0.0, 0.0
    scaled = cv2.resize(crop, (SHARPNESS_WIDTH, max(int(crop.shape[0] * SHARPNESS_WIDTH / crop.shape[1]), 1)))
    grey = scaled if scaled.ndim == 2 else cv2.cvtColor(scaled, cv2.COLOR_BGR2GRAY)
    _, deviation = cv2.meanStdDev(cv2.Laplacian(grey, cv2.CV_16S))  # |Laplacian| <= 1020: fits
    return float(cv2.mean(grey)[0]), float(deviation[0, 0] ** 2)


def brightness(image: np.ndarray, face: FaceLandmarks) -> float:
    """Mean grey level of the face, 0..255."""
    return face_stats(image, face)[0]


def sharpness(image: np.ndarray, face: FaceLandmarks) -> float:
    """Variance of the Laplacian of the face crop scaled to a fixed width (low = blurred)."""
    return face_stats(image, face)[1]
