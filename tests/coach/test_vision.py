"""Camera sources, the camera factory, the landmark worker and the fake landmarker."""

import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.devices.base import Frame
from kiosk.devices.fakes import FakeCamera
from kiosk.settings import CameraSettings, Settings
from kiosk.vision.camera import CameraError, FileCamera, RetryingCamera
from kiosk.vision.factory import open_camera
from kiosk.vision.landmarker import FakeLandmarker
from kiosk.vision.worker import LandmarkWorker
from tests.coach.conftest import FIXTURES, fixture_face


def settings_with(source: str) -> Settings:
    return Settings(camera=CameraSettings(source=source))


def test_file_camera_replays_a_video_with_frame_times(faces_dir):
    camera = FileCamera(faces_dir / "liveportrait_d0.mp4")
    frames = []
    while (frame := camera.read()) is not None:
        frames.append(frame)
    camera.close()
    assert len(frames) == 78 and frames[0].image.shape == (512, 512, 3)
    assert frames[25].t == pytest.approx(1.0)  # 25 fps
    assert camera.read() is None


def test_file_camera_serves_a_still_once(faces_dir):
    camera = FileCamera(faces_dir / "yale_s01_normal.png")
    assert camera.is_still and camera.read() is not None and camera.read() is None


def test_file_camera_refuses_bad_files_in_plain_words(tmp_path, faces_dir):
    with pytest.raises(CameraError, match="no file"):
        FileCamera(tmp_path / "missing.mp4")
    broken = tmp_path / "broken.mp4"
    broken.write_bytes((faces_dir / "liveportrait_d0.mp4").read_bytes()[:5000])
    with pytest.raises(CameraError, match="not a video"):
        FileCamera(broken)
    fake_png = tmp_path / "fake.png"
    fake_png.write_text("not a picture")
    with pytest.raises(CameraError, match="not a picture"):
        FileCamera(fake_png)


def test_a_disappearing_camera_is_reported_and_reopened():
    now = [0.0]
    states = []
    cameras = [FakeCamera(), FakeCamera()]
    retrying = RetryingCamera(
        lambda: cameras.pop(0), states.append, lost_after=3, retry_every_s=2, clock=lambda: now[0]
    )
    first = retrying._camera
    assert retrying.read() is not None and retrying.state == "found"
    first.unplugged = True
    assert [retrying.read() for _ in range(3)] == [None, None, None]
    assert retrying.state == "missing" and first.closed and states[-1].state == "missing"
    assert retrying.read() is None  # too early to retry
    now[0] = 2.5
    assert retrying.read() is None and retrying.state == "found"  # reopened on this call
    assert isinstance(retrying.read(), Frame) and retrying.reopened == 1
    assert [s.state for s in states] == ["found", "missing", "found"]


def test_a_camera_that_cannot_open_is_retried_not_raised():
    def never():
        raise CameraError("No camera found at number 0. Check the cable.")

    retrying = RetryingCamera(never, lost_after=1, retry_every_s=0.0)
    assert retrying.read() is None and retrying.state == "missing" and retrying.reopened == 1


def test_open_camera_per_mode(tmp_path, faces_dir):
    camera, state = open_camera(settings_with("auto"), "fake")
    assert isinstance(camera, FakeCamera) and state.state == "fake"
    camera, state = open_camera(settings_with(str(tmp_path / "nothing.mp4")), "real")
    assert camera is None and state.state == "missing" and "no file" in state.detail
    camera, state = open_camera(settings_with(str(tmp_path / "nothing.mp4")), "auto")
    assert isinstance(camera, FakeCamera) and state.state == "fake"
    camera, state = open_camera(settings_with(str(faces_dir / "liveportrait_d0.mp4")), "real")
    assert state.state == "found" and camera.read().image.shape == (512, 512, 3)
    camera.close()


class SlowLandmarker(FakeLandmarker):
    """A fake landmarker that takes a while, so frames pile up behind it."""

    def __init__(self, script, gate: threading.Event):
        super().__init__(script)
        self.gate = gate

    def detect(self, image, t=None):
        self.gate.wait(2)
        return super().detect(image, t)


def test_worker_keeps_only_the_newest_frame():
    gate = threading.Event()
    seen = []
    worker = LandmarkWorker(SlowLandmarker([[fixture_face("neutral_london_020")]], gate), seen.append).start()
    frames = [Frame(np.full((480, 640, 3), 100, np.uint8), float(t)) for t in range(6)]
    worker.submit(frames[0])
    time.sleep(0.05)  # the worker takes frame 0 and waits on the gate
    for frame in frames[1:]:
        worker.submit(frame)
    gate.set()
    deadline = time.monotonic() + 5
    while worker.stats.processed < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.close()
    assert [obs.t for obs in seen] == [0.0, 5.0]  # 1..4 were replaced by newer frames
    assert worker.stats.dropped == 4 and worker.latest.t == 5.0
    assert worker.latest.face is not None and worker._landmarker.closed


def test_fake_landmarker_replays_fixtures_in_order():
    fake = FakeLandmarker.from_fixtures(FIXTURES / "neutral_yale_s02.json", FIXTURES / "smile_london_020.json")
    blank = np.zeros((10, 10, 3), np.uint8)
    assert fake.detect(blank)[0].width == 320 and fake.detect(blank)[0].width == 675
    assert fake.calls == 2 and FakeLandmarker().detect(blank) == []


def test_mediapipe_finds_two_faces_and_mirrors_sides(faces_dir, tmp_path):
    from kiosk.vision.landmarker import MediaPipeLandmarker

    landmarker = MediaPipeLandmarker(static=True)
    picture = cv2.imread(str(faces_dir / "london_020_neutral.jpg"))
    two = np.hstack([picture, picture])
    assert len(landmarker.detect(two)) == 2
    wink = cv2.imread(str(faces_dir / "yale_s02_wink.png"))
    face = landmarker.detect(wink)[0]
    mirrored = landmarker.detect(cv2.flip(wink, 1))[0]
    landmarker.close()
    from coach.face import eye_opening_px

    # Unmirrored: the closed eye (subject's left) is MediaPipe's 263 side; a mirror swaps the sides.
    assert eye_opening_px(face, "left") < eye_opening_px(face, "right")
    assert eye_opening_px(mirrored, "left") > eye_opening_px(mirrored, "right")
    assert Path(faces_dir).exists()


def test_mirror_map_pairs_the_named_sides_and_averaging_a_true_mirror_changes_nothing():
    from coach.face import LEFT, MIDLINE, RIGHT, FaceLandmarks
    from coach.mirror import MIRROR
    from kiosk.vision.landmarker import mirror_averaged

    for left, right in ((LEFT.brow, RIGHT.brow), (LEFT.cheek, RIGHT.cheek), (LEFT.iris[:1], RIGHT.iris[:1])):
        assert [MIRROR[i] for i in left] == list(right)
    assert all(MIRROR[i] == i for i in MIDLINE) and MIRROR[LEFT.mouth_corner] == RIGHT.mouth_corner
    face = fixture_face("smile_london_020")
    flipped = face.points[list(MIRROR)].copy()  # what Face Mesh would report on the flipped picture
    flipped[:, 0] = face.width - flipped[:, 0]
    (same,) = mirror_averaged([face], [FaceLandmarks(flipped, face.width, face.height)])
    assert np.allclose(same.points, face.points)
    assert mirror_averaged([face], []) == [face]  # the passes disagree: the first one stands


def test_mirror_averaging_keeps_the_sides(faces_dir):
    from coach.face import eye_opening_px
    from kiosk.vision.landmarker import MediaPipeLandmarker

    landmarker = MediaPipeLandmarker(static=True, mirror_average=True)
    (face,) = landmarker.detect(cv2.imread(str(faces_dir / "yale_s02_wink.png")))
    landmarker.close()
    assert eye_opening_px(face, "left") < eye_opening_px(face, "right")  # the subject's left eye is closed
    with pytest.raises(ValueError):
        MediaPipeLandmarker(static=False, mirror_average=True)
