"""Brightness and sharpness gates on real pixels: the shared faces pass, the same faces blurred or
darkened are refused, and a frame blurred by a fast head movement is refused."""

import cv2
import numpy as np
import pytest

from coach.quality import MIN_BRIGHTNESS, MIN_SHARPNESS, assess
from kiosk.vision.imagestats import face_stats
from kiosk.vision.landmarker import MediaPipeLandmarker


def pictures(faces_dir, validation):
    """Every London neutral and Yale normal picture with its (cached) landmarks."""
    paths = sorted(faces_dir.glob("london_*_neutral.jpg")) + sorted(faces_dir.glob("yale_*_normal.png"))
    assert len(paths) == 30, "the MANIFEST lists 20 London and 10 Yale subjects"
    return [(path.name, validation.image(path), validation.landmarks(path)) for path in paths]


def frame_of(video, index: int) -> np.ndarray:
    capture = cv2.VideoCapture(str(video))
    for _ in range(index + 1):
        ok, image = capture.read()
        assert ok, f"{video.name} has fewer than {index + 1} frames"
    capture.release()
    return cv2.resize(image, (640, 480))


def gate_reasons(image, face) -> tuple[str, ...]:
    reasons = assess([face], *face_stats(image, face)).reasons
    return tuple(r for r in reasons if r in ("too_dark", "blurred"))


def face_width(face) -> float:
    x0, _, x1, _ = face.bounds
    return x1 - x0


def test_sharp_well_lit_real_faces_pass_both_gates(faces_dir, validation):
    for name, image, face in pictures(faces_dir, validation):
        brightness, sharpness = face_stats(image, face)
        assert brightness >= MIN_BRIGHTNESS and sharpness >= MIN_SHARPNESS, (name, brightness, sharpness)
        assert gate_reasons(image, face) == (), name


@pytest.mark.parametrize("share", [0.02, 0.03])
def test_the_same_faces_blurred_are_refused(faces_dir, validation, share):
    """A Gaussian blur of 2% or 3% of the face width: every face is refused as blurred."""
    for name, image, face in pictures(faces_dir, validation):
        blurred = cv2.GaussianBlur(image, (0, 0), share * face_width(face))
        assert gate_reasons(blurred, face) == ("blurred",), (name, face_stats(blurred, face))


def test_the_same_faces_in_dim_light_are_refused(faces_dir, validation):
    for name, image, face in pictures(faces_dir, validation):
        dim = (image.astype(np.float32) * 0.15).astype(np.uint8)
        assert "too_dark" in gate_reasons(dim, face), (name, face_stats(dim, face))


def test_a_frame_blurred_by_a_fast_head_movement_is_refused(faces_dir):
    """liveportrait_d12 at 2 s: a laugh with the head moving fast (checked by eye); 1 s later, still."""
    landmarker = MediaPipeLandmarker(static=True)
    try:
        moving, still = frame_of(faces_dir / "liveportrait_d12.mp4", 50), frame_of(faces_dir / "liveportrait_d0.mp4", 0)
        (moving_face,), (still_face,) = landmarker.detect(moving), landmarker.detect(still)
    finally:
        landmarker.close()
    assert gate_reasons(moving, moving_face) == ("blurred",), face_stats(moving, moving_face)
    assert gate_reasons(still, still_face) == (), face_stats(still, still_face)
