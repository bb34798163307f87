"""The face model shipped with FaceCoach: where it is, and a check that it is the pinned file."""

from __future__ import annotations

import hashlib
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "models" / "face_landmarker.task"
# MediaPipe's published face_landmarker/float16/1 bundle (origin and licence: models/NOTICE.txt).
MODEL_SHA256 = "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff"
MODEL_BYTES = 3_758_596


class ModelFileError(RuntimeError):
    """The face model is missing or is not the pinned file; the message says what to do."""


def load_model(path: Path = MODEL_PATH, sha256: str = MODEL_SHA256) -> bytes:
    """The model's bytes, after checking them against the pinned SHA-256 (these bytes are what runs)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(
            f"The face model {path} cannot be read ({exc.strerror or exc}). Reinstall FaceCoach."
        ) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise ModelFileError(
            f"The face model {path} is not the file FaceCoach was tested with "
            f"(SHA-256 {digest}, {len(data):,} bytes; expected {sha256}, {MODEL_BYTES:,} bytes). "
            "It may be damaged or replaced: reinstall FaceCoach. The camera is not used until then."
        )
    return data
