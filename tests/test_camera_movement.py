"""The session's camera pipeline on real photos: real MediaPipe, real coach scores, the synkinesis
indicator the stimulation rule reads. Needs ../shared/data/faces."""

import time

import cv2
import pytest

from kiosk.devices.base import Frame
from kiosk.session.camera_movement import CameraMovement
from kiosk.session.flow import Phase
from kiosk.vision.landmarker import MediaPipeLandmarker
from kiosk.vision.worker import LandmarkWorker


class StillCamera:
    """A camera that shows whichever picture the test holds up."""

    name = "still"

    def __init__(self, image):
        self.image = image

    def read(self):
        return Frame(self.image, time.monotonic())

    def close(self):
        pass


def settle(movement, phase, frames=6):
    """Feed frames until the worker has produced ``frames`` fresh observations; the last measurement."""
    result, seen, deadline = None, 0, time.monotonic() + 30
    last = None
    while seen < frames and time.monotonic() < deadline:
        result = movement.latest(time.monotonic(), phase)
        if movement.worker.latest is not last and movement.worker.latest is not None:
            last, seen = movement.worker.latest, seen + 1
        time.sleep(0.01)
    assert seen >= frames, "the landmark worker produced no observations"
    return result


def calibrated(faces_dir, subject):
    """The pipeline calibrated on a London subject's relaxed face."""
    camera = StillCamera(cv2.imread(str(faces_dir / f"london_{subject}_neutral.jpg")))
    mv = CameraMovement(camera, LandmarkWorker(MediaPipeLandmarker(static=True)).start())
    mv.calibrate(True)
    settle(mv, Phase.CALIBRATION)
    mv.calibrate(False)
    assert mv.calibration is not None, "the relaxed face could not be calibrated"
    return mv


@pytest.fixture
def movement(faces_dir):
    mv = calibrated(faces_dir, "020")
    yield mv
    mv.close()


def test_a_real_smile_moves_both_sides_and_the_relaxed_face_does_not(movement, faces_dir):
    movement.set_metric("closed_smile")
    still = settle(movement, Phase.HOLD)
    assert still.usable and still.left_pct < 10 and still.right_pct < 10
    assert still.synkinesis is False
    movement.camera.image = cv2.imread(str(faces_dir / "london_020_smile.jpg"))
    smiling = settle(movement, Phase.HOLD)
    assert smiling.usable and smiling.left_pct > 30 and smiling.right_pct > 30


@pytest.mark.parametrize(
    ("subject", "narrows"),
    [
        ("020", True),  # MANIFEST eye apertures: 0.365 -> 0.330 (left), 0.394 -> 0.344 (right) when smiling
        ("024", False),  # 0.332 -> 0.356, 0.347 -> 0.367: the eyes open a little
    ],
)
def test_eye_narrowing_during_a_smile_is_the_synkinesis_indicator(subject, narrows, faces_dir):
    mv = calibrated(faces_dir, subject)
    try:
        mv.set_metric("open_smile")
        mv.camera.image = cv2.imread(str(faces_dir / f"london_{subject}_smile.jpg"))
        assert settle(mv, Phase.HOLD).synkinesis is narrows
        assert mv.latest(time.monotonic(), Phase.RELAX).synkinesis is False, "only holds are judged"
    finally:
        mv.close()
