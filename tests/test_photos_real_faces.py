"""Standard photos from real faces through the real capture path (issue 23): a camera that serves the
London-set pictures frame by frame, real MediaPipe landmarks and coach scores, the kiosk's PhotoStep,
sealed to the therapist and opened again with the therapist's private key.

During each hold the camera alternates the subject's relaxed and smiling pictures frame by frame
(relaxed first, while the landmarks still come from the last smiling frame of "move"), so the kept
"hold" photo must be the frame the peak measurement came from, not just the newest frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import cv2
import numpy as np
import pygame
import pytest
from nacl.public import PrivateKey, SealedBox
from nacl.signing import SigningKey

from kiosk.app import Kiosk
from kiosk.devices.base import Frame
from kiosk.devices.factory import build_devices
from kiosk.photo_capture import PhotoStep
from kiosk.photos import set_consent, stored_photos
from kiosk.session.camera_movement import CameraMovement
from kiosk.session.flow import Phase
from kiosk.session.steps import ExerciseStep, SessionPlan
from kiosk.settings import Settings
from kiosk.vision.landmarker import MediaPipeLandmarker
from kiosk.vision.worker import LandmarkWorker

pytestmark = [pytest.mark.slow, pytest.mark.shared_data]  # faces_dir: skipped without ../shared, fails in CI
WALL = datetime(2026, 11, 3, 10, 5, tzinfo=UTC)
THERAPIST = SigningKey.generate()
SMILE = ExerciseStep(
    "open_smile", "Open smile", "open_smile", ("Smile.",), "Smile gently.", reps=2, hold_seconds=5, rest_seconds=2
)


class FaceFramesCamera:
    """A camera (the whole Camera interface: ``name``, ``read``, ``close``) serving real pictures frame by frame.

    ``sequence()`` names the pictures to play now; each ``read`` gives the next one of them (from the
    first again when the sequence changes), with the time it was served. ``served`` and ``closed``
    can be inspected.
    """

    name = "face frames"

    def __init__(self, sequence: Callable[[], tuple[np.ndarray, ...]]) -> None:
        self.sequence = sequence
        self.served = 0
        self.closed = False
        self._playing: tuple[int, ...] = ()
        self._index = 0

    def read(self) -> Frame | None:
        if self.closed:
            return None
        pictures = self.sequence()
        if tuple(map(id, pictures)) != self._playing:
            self._playing, self._index = tuple(map(id, pictures)), 0
        image = pictures[self._index % len(pictures)]
        self._index += 1
        self.served += 1
        return Frame(image, time.monotonic())

    def close(self) -> None:
        self.closed = True


def opened(path) -> np.ndarray:
    """The picture the therapist gets from a sealed photo file (private key only they have)."""
    png = SealedBox(PrivateKey(THERAPIST.to_curve25519_private_key().encode())).decrypt(path.read_bytes())
    assert png.startswith(b"\x89PNG")
    return cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)


def test_real_faces_are_kept_sealed_per_view_and_the_hold_photo_is_the_measured_frame(fresh_store, faces_dir, tmp_path):
    neutral = cv2.imread(str(faces_dir / "london_020_neutral.jpg"))
    smile = cv2.imread(str(faces_dir / "london_020_smile.jpg"))
    k: Kiosk | None = None

    def sequence() -> tuple[np.ndarray, ...]:
        phase = k.session.flow.phase if k is not None and k.session is not None else None
        if phase is Phase.HOLD:
            return (neutral, smile)  # frame by frame: relaxed, smiling, relaxed...
        return (smile,) if phase is Phase.MOVE else (neutral,)

    camera = FaceFramesCamera(sequence)
    movement = CameraMovement(camera, LandmarkWorker(MediaPipeLandmarker(static=True)).start())
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    devices = build_devices(Settings(), "fake")
    plan = SessionPlan((SMILE,), plan_version=7)
    k = Kiosk(Settings(), None, devices, fresh_store, surface, lambda: plan, movement=movement, wall_clock=lambda: WALL)
    set_consent(fresh_store, tmp_path, True, "touch", WALL)
    k.loop.add_step("photos", PhotoStep(k, tmp_path, lambda: THERAPIST.verify_key, lambda: None))
    try:
        k.act("start_session", time.monotonic(), via="touch")
        deadline = time.monotonic() + 180
        while k.mode != "summary" and time.monotonic() < deadline:
            k.loop.tick()
            time.sleep(0.01)
        assert k.mode == "summary", f"the session did not end (phase {k.session.flow.phase})"
        k.loop.tick()  # the photo step keeps the stills once the session has ended
    finally:
        movement.close()
        devices.close()
        pygame.quit()

    (row,) = fresh_store.db["exercise_results"].rows
    assert row["quality"] == "measured" and row["left_pct"] > 20 and row["right_pct"] > 20
    photos = stored_photos(fresh_store, tmp_path)
    assert [p.view for p in photos] == ["neutral", "open_smile"]
    assert camera.served > 100
    for photo in photos:
        assert not photo.path.read_bytes().startswith(b"\x89PNG") and photo.path.stat().st_mode & 0o077 == 0
    still = {p.view: opened(p.path) for p in photos}
    assert np.array_equal(still["neutral"], neutral)  # PNG is lossless: exactly the relaxed frame
    assert np.array_equal(still["open_smile"], smile), "the hold photo is not the frame the peak was measured in"
    landmarker = MediaPipeLandmarker(static=True)
    try:
        assert len(landmarker.detect(still["open_smile"])) == 1  # the therapist's still shows the face
    finally:
        landmarker.close()


class GatedLandmarker:
    """The real MediaPipe landmarker (``detect``, ``close``) that holds every call after the first until
    ``gate`` is set, so a test knows which frame the newest landmarks came from."""

    def __init__(self) -> None:
        import threading

        self.real = MediaPipeLandmarker(static=True)
        self.gate = threading.Event()
        self.calls = 0

    def detect(self, image: np.ndarray, t: float | None = None):
        self.calls += 1
        if self.calls > 1:
            self.gate.wait(30)
        return self.real.detect(image, t)

    def close(self) -> None:
        self.gate.set()
        self.real.close()


def test_the_preview_is_the_picture_its_landmarks_came_from(faces_dir):
    neutral = cv2.imread(str(faces_dir / "london_020_neutral.jpg"))
    smile = cv2.imread(str(faces_dir / "london_020_smile.jpg"))
    pictures = iter([smile, neutral])
    camera = FaceFramesCamera(lambda: (next(pictures),))
    landmarker = GatedLandmarker()
    worker = LandmarkWorker(landmarker).start()
    movement = CameraMovement(camera, worker)
    try:
        movement.latest(0.0, Phase.HOLD)  # the smiling frame goes to the worker
        deadline = time.monotonic() + 30
        while worker.latest is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert worker.latest is not None and worker.latest.face is not None
        movement.latest(0.1, Phase.HOLD)  # the relaxed frame is read; its landmarks are held back
        image, points = movement.preview()
        assert image is smile and points is not None  # not the newest (relaxed) picture
    finally:
        movement.close()
        camera.close()
    assert camera.closed and camera.read() is None
