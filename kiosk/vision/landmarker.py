"""Landmarkers: one interface in front of MediaPipe's FaceLandmarker, and a fake that replays saved fixtures."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from coach.face import FaceLandmarks
from coach.mirror import MIRROR
from kiosk.vision.model_file import load_model

MAX_FACES = 2  # two, so that "more than one face" can be told apart from one


class Landmarker(Protocol):
    """Finds faces in a BGR image; returns every face found (empty list when none).

    ``t`` is the frame's time in seconds (a video's own clock), for landmarkers that track faces
    from frame to frame; without it they use the time of the call.
    """

    name: str

    def detect(self, image: np.ndarray, t: float | None = None) -> list[FaceLandmarks]: ...

    def close(self) -> None: ...


class MediaPipeLandmarker:
    """MediaPipe Tasks FaceLandmarker (478 points): image mode when ``static``, video mode otherwise.

    The model is the file shipped in ``kiosk/vision/models``, checked against its pinned SHA-256
    before it is loaded (``ModelFileError`` otherwise); it is never downloaded.

    ``mirror_average`` (still pictures only): the picture is also landmarked flipped left to right,
    and each landmark is averaged with its mirrored counterpart (``coach.mirror``). The model's own
    left/right leaning cancels out, and the estimate's jitter drops; it costs a second inference,
    which a still picture can afford and a live camera cannot.
    """

    def __init__(self, static: bool, min_detection_confidence: float = 0.5, mirror_average: bool = False) -> None:
        from mediapipe.tasks.python.core.base_options import BaseOptions  # heavy imports only here
        from mediapipe.tasks.python.vision import FaceLandmarker, FaceLandmarkerOptions, RunningMode

        if mirror_average and not static:
            raise ValueError("mirror_average is for still pictures (static mode) only")
        self.mirror_average = mirror_average
        self.static = static
        self.name = "mediapipe face landmarker (image)" if static else "mediapipe face landmarker (video)"
        if mirror_average:
            self.name = "mediapipe face landmarker (image, mirror-averaged)"
        options = FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=load_model()),
            running_mode=RunningMode.IMAGE if static else RunningMode.VIDEO,
            num_faces=MAX_FACES,
            min_face_detection_confidence=min_detection_confidence,
            min_face_presence_confidence=0.5,
            min_tracking_confidence=0.5,
        )
        self._task = FaceLandmarker.create_from_options(options)
        self._last_ms, self._offset_ms = -1, 0  # video mode needs strictly increasing timestamps
        self._closed = False

    def detect(self, image: np.ndarray, t: float | None = None) -> list[FaceLandmarks]:
        """Landmarks of each face in a BGR (or grey) image, in pixels."""
        import cv2

        rgb = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB if image.ndim == 2 else cv2.COLOR_BGR2RGB)
        faces = self._faces(rgb, t)
        if self.mirror_average and faces:
            faces = mirror_averaged(faces, self._faces(np.ascontiguousarray(rgb[:, ::-1]), t))
        return faces

    def _faces(self, rgb: np.ndarray, t: float | None) -> list[FaceLandmarks]:
        import mediapipe as mp

        height, width = rgb.shape[:2]
        picture = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        if self.static:
            result = self._task.detect(picture)
        else:
            result = self._task.detect_for_video(picture, self._timestamp_ms(t))
        faces = []
        for face in result.face_landmarks:
            raw = np.array([(p.x, p.y, p.z) for p in face], dtype=float)
            raw *= (width, height, width)  # MediaPipe's z uses roughly the scale of x
            faces.append(FaceLandmarks(raw, width, height))
        return faces

    def _timestamp_ms(self, t: float | None) -> int:
        # The frame's own time keeps the tracker's smoothing right when a file plays faster than
        # real time. When that clock goes back (a new video, a replay that loops), the count goes
        # on from the last timestamp at the frames' own pace: video mode needs increasing times.
        ms = round(1000 * (time.monotonic() if t is None else t)) + self._offset_ms
        if ms <= self._last_ms:
            self._offset_ms += self._last_ms + 1 - ms
            ms = self._last_ms + 1
        self._last_ms = ms
        return ms

    def close(self) -> None:
        """Release the task (idempotent)."""
        if not self._closed:
            self._task.close()
            self._closed = True


def mirror_averaged(faces: list[FaceLandmarks], flipped: list[FaceLandmarks]) -> list[FaceLandmarks]:
    """Each face averaged with its counterpart found in the left-right flipped picture.

    A flipped landmark i sits where the original's ``MIRROR[i]`` is, at x' = width - x; faces are
    paired by nose position. When the two passes do not find the same faces, the first pass stands.
    """
    if len(faces) != len(flipped):
        return faces
    back = np.array([f.points[list(MIRROR)] for f in flipped])  # re-indexed to the original's points
    back[:, :, 0] = faces[0].width - back[:, :, 0]  # every face has the picture's width
    out = []
    for face in faces:
        match = back[int(np.argmin(np.linalg.norm(back[:, 1, :2] - face.xy[1], axis=1)))]
        out.append(FaceLandmarks((face.points + match) / 2, face.width, face.height))
    return out


@dataclass
class FakeLandmarker:
    """Replays saved landmark sets in order (looping); each entry is a list of faces. Counts calls."""

    script: list[list[FaceLandmarks]] = field(default_factory=list)
    name: str = "fake landmarker"
    calls: int = 0
    closed: bool = False

    @classmethod
    def from_fixtures(cls, *paths: Path) -> FakeLandmarker:
        """One frame per fixture file (tests/fixtures/landmarks/*.json)."""
        return cls([load_fixture(p) for p in paths])

    def detect(self, image: np.ndarray, t: float | None = None) -> list[FaceLandmarks]:
        """The next scripted result (no faces when the script is empty)."""
        faces = self.script[self.calls % len(self.script)] if self.script else []
        self.calls += 1
        return list(faces)

    def close(self) -> None:
        self.closed = True


def save_fixture(path: Path, faces: list[FaceLandmarks], source: str = "") -> None:
    """Write the faces found in one image as a landmark fixture."""
    data = {"source": source, "faces": [f.to_json() for f in faces]}
    path.write_text(json.dumps(data, separators=(",", ":")))


def load_fixture(path: Path) -> list[FaceLandmarks]:
    """Read a landmark fixture written by ``save_fixture``."""
    data = json.loads(Path(path).read_text())
    return [FaceLandmarks.from_json(face) for face in data["faces"]]
