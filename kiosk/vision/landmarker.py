"""Landmarkers: one interface in front of MediaPipe Face Mesh, and a fake that replays saved fixtures."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from coach.face import FaceLandmarks
from coach.mirror import MIRROR

MAX_FACES = 2  # two, so that "more than one face" can be told apart from one


class Landmarker(Protocol):
    """Finds faces in a BGR image; returns every face found (empty list when none)."""

    name: str

    def detect(self, image: np.ndarray) -> list[FaceLandmarks]: ...

    def close(self) -> None: ...


class MediaPipeLandmarker:
    """MediaPipe Face Mesh with iris refinement; ``static`` for single images, tracking for video.

    ``mirror_average`` (still pictures only): the picture is also landmarked flipped left to right,
    and each landmark is averaged with its mirrored counterpart (``coach.mirror``). The model's own
    left/right leaning cancels out, and the estimate's jitter drops; it costs a second inference,
    which a still picture can afford and a live camera cannot.
    """

    def __init__(self, static: bool, min_detection_confidence: float = 0.5, mirror_average: bool = False) -> None:
        import mediapipe as mp  # heavy import only here

        if mirror_average and not static:
            raise ValueError("mirror_average is for still pictures (static mode) only")
        self.mirror_average = mirror_average
        self.name = "mediapipe face mesh (static)" if static else "mediapipe face mesh (tracking)"
        if mirror_average:
            self.name = "mediapipe face mesh (static, mirror-averaged)"
        self._mesh = mp.solutions.face_mesh.FaceMesh(
            static_image_mode=static,
            refine_landmarks=True,
            max_num_faces=MAX_FACES,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=0.5,
        )
        self._closed = False

    def detect(self, image: np.ndarray) -> list[FaceLandmarks]:
        """Landmarks of each face in a BGR (or grey) image, in pixels."""
        import cv2

        rgb = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB if image.ndim == 2 else cv2.COLOR_BGR2RGB)
        faces = self._faces(rgb)
        if self.mirror_average and faces:
            faces = mirror_averaged(faces, self._faces(np.ascontiguousarray(rgb[:, ::-1])))
        return faces

    def _faces(self, rgb: np.ndarray) -> list[FaceLandmarks]:
        height, width = rgb.shape[:2]
        result = self._mesh.process(rgb)
        faces = []
        for face in result.multi_face_landmarks or []:
            raw = np.array([(p.x, p.y, p.z) for p in face.landmark], dtype=float)
            raw *= (width, height, width)  # MediaPipe's z uses roughly the scale of x
            faces.append(FaceLandmarks(raw, width, height))
        return faces

    def close(self) -> None:
        """Release the graph (idempotent)."""
        if not self._closed:
            self._mesh.close()
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

    def detect(self, image: np.ndarray) -> list[FaceLandmarks]:
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
