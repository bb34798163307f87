"""Capture quality gates: a frame that fails any gate is not scored, and the reason is counted.

Brightness and sharpness are measured by the camera adapter (they need pixels) and passed in as
numbers; everything else comes from the landmarks. Each reason has one plain hint for the patient.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from coach.face import NOSE_TIP, FaceLandmarks, interocular_px
from coach.pose import Pose, estimate_pose

MIN_EYE_DISTANCE_PX = 40.0  # closer eyes leave the iris under ~8 px: too far for mm-level scoring
MAX_EYE_DISTANCE_SHARE = 0.45  # eye distance above this share of the image width: too close
MAX_CENTRE_OFFSET = 0.30  # nose tip further than this share of width/height from the centre: off centre
MAX_YAW_DEG = 20.0
MAX_PITCH_DEG = 25.0
MAX_ROLL_DEG = 15.0
MIN_BRIGHTNESS = 40.0  # mean grey level of the face, 0..255
# Variance of the Laplacian of the face scaled to 96 px wide. Measured on the shared real faces
# (London, Yale, LivePortrait frames): sharp pictures 212 and up; blurred by a Gaussian of 1.5% of
# the face width, 73 at most; 2%, 46 at most; a laughing head moving fast (d12, 2 s), 59.
MIN_SHARPNESS = 75.0

HINTS: dict[str, str] = {
    "no_face": "I cannot see your face. Please sit in front of the screen.",
    "many_faces": "I can see more than one face. Please be alone in front of the camera.",
    "too_far": "Please come a little closer.",
    "too_close": "Please sit back a little.",
    "off_centre": "Please move to the middle of the screen.",
    "head_turned": "Please look straight at the screen.",
    "head_tilted": "Please hold your head straight.",
    "too_dark": "It is too dark. Please turn on a light.",
    "blurred": "The picture is blurred. Please keep still.",
}
REASONS = tuple(HINTS)


@dataclass(frozen=True)
class Quality:
    """The verdict on one frame: usable or not, with every failed gate."""

    reasons: tuple[str, ...]
    pose: Pose | None = None

    @property
    def ok(self) -> bool:
        """True when every gate passed."""
        return not self.reasons

    @property
    def hint(self) -> str:
        """The hint for the first failed gate, or an empty string."""
        return HINTS[self.reasons[0]] if self.reasons else ""

    def to_json(self) -> dict:
        """A plain dict for the CLI and reports."""
        pose = None if self.pose is None else {"yaw": self.pose.yaw, "pitch": self.pose.pitch, "roll": self.pose.roll}
        return {"ok": self.ok, "reasons": list(self.reasons), "hint": self.hint, "pose_deg": pose}


def _framing(face: FaceLandmarks) -> list[str]:
    reasons = []
    eyes = interocular_px(face)
    if eyes < MIN_EYE_DISTANCE_PX:
        reasons.append("too_far")
    elif eyes > MAX_EYE_DISTANCE_SHARE * face.width:
        reasons.append("too_close")
    x0, y0, x1, y1 = face.bounds
    outside = x0 < 0 or y0 < 0 or x1 >= face.width or y1 >= face.height
    if outside and "too_close" not in reasons:
        reasons.append("off_centre")
    else:
        nose_x, nose_y = face.points[NOSE_TIP, :2].tolist()
        off_x = abs(nose_x - face.width / 2) / face.width
        off_y = abs(nose_y - face.height / 2) / face.height
        if max(off_x, off_y) > MAX_CENTRE_OFFSET:
            reasons.append("off_centre")
    return reasons


def _posture(pose: Pose) -> list[str]:
    reasons = []
    if abs(pose.yaw) > MAX_YAW_DEG or abs(pose.pitch) > MAX_PITCH_DEG:
        reasons.append("head_turned")
    if abs(pose.roll) > MAX_ROLL_DEG:
        reasons.append("head_tilted")
    return reasons


def assess(faces: list[FaceLandmarks], brightness: float | None = None, sharpness: float | None = None) -> Quality:
    """Check one frame: the faces found, and the face's brightness and sharpness when measured."""
    if not faces:
        return Quality(("no_face",))
    if len(faces) > 1:
        return Quality(("many_faces",))
    face = faces[0]
    pose = estimate_pose(face)
    reasons = _framing(face) + _posture(pose)
    if brightness is not None and brightness < MIN_BRIGHTNESS:
        reasons.append("too_dark")
    if sharpness is not None and sharpness < MIN_SHARPNESS:
        reasons.append("blurred")
    return Quality(tuple(reasons), pose)


@dataclass
class QualityCounter:
    """Counts frames seen, frames usable and frames refused by reason."""

    seen: int = 0
    usable: int = 0
    refused: Counter = field(default_factory=Counter)

    def add(self, quality: Quality) -> None:
        """Count one frame's verdict."""
        self.seen += 1
        if quality.ok:
            self.usable += 1
        self.refused.update(quality.reasons)

    def to_json(self) -> dict:
        """A plain dict: seen, usable and refused-by-reason counts."""
        return {"frames_seen": self.seen, "frames_usable": self.usable, "refused": dict(self.refused)}
