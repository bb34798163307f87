"""From pictures to scores: one observation per frame, score-image and replay (used by the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.calibration import Calibration, CalibrationError, calibrate
from coach.face import FaceLandmarks
from coach.metrics import MEASURES, reference_mm, score
from coach.quality import HINTS, Quality, QualityCounter, assess
from coach.reps import RepCounter
from coach.signatures import matches
from coach.synkinesis import assess_synkinesis
from kiosk.vision.camera import IMAGE_SUFFIXES, CameraError, FileCamera
from kiosk.vision.imagestats import face_stats
from kiosk.vision.landmarker import Landmarker, MediaPipeLandmarker

SCHEMA_VERSION = 1
REPLAY_EXERCISES = ("brow_lift", "gentle_eye_closure", "open_smile", "lip_pucker", "cheek_puff")
CALIBRATION_S = 0.5  # replay: the first half second of usable frames is taken as the relaxed face
START_SHARE = 0.3  # replay: a repetition starts at 30% of the reference excursion ...
REST_SHARE = 0.5  # ... and ends when the movement falls below half of that


class VisionInputError(ValueError):
    """A picture or video that cannot be scored; the message is plain words, ``reason`` a short code."""

    def __init__(self, message: str, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Observation:
    """What one frame showed: faces, quality verdict and the time it was taken."""

    t: float
    faces: list[FaceLandmarks]
    quality: Quality

    @property
    def face(self) -> FaceLandmarks | None:
        """The one face, when exactly one was found."""
        return self.faces[0] if len(self.faces) == 1 else None


def observe(landmarker: Landmarker, image: np.ndarray, t: float = 0.0) -> Observation:
    """Landmarks and quality gates for one BGR image."""
    faces = landmarker.detect(image, t)
    if len(faces) == 1:
        quality = assess(faces, *face_stats(image, faces[0]))
    else:
        quality = assess(faces)
    return Observation(t, faces, quality)


def read_still(path: Path, role: str) -> np.ndarray:
    """One picture, or a plain error naming it."""
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise VisionInputError(f"The {role} file {path.name} is not a picture (jpg or png).")
    try:
        camera = FileCamera(path)
    except CameraError as exc:
        raise VisionInputError(f"The {role} picture: {exc}") from exc
    frame = camera.read()
    camera.close()
    if frame is None:
        raise VisionInputError(f"The {role} picture {path.name} has no image in it.")
    return frame.image


def usable_face(observation: Observation, role: str, name: str) -> FaceLandmarks:
    """The one usable face of an observation, or a plain error with the hint."""
    if not observation.quality.ok:
        reason = observation.quality.reasons[0]
        raise VisionInputError(f"The {role} picture {name} cannot be scored: {HINTS[reason]}", reason)
    assert observation.face is not None
    return observation.face


def score_image(neutral_path: Path, image_path: Path, exercise: str, landmarker: Landmarker | None = None) -> dict:
    """Score one expression picture against a relaxed (neutral) picture of the same person."""
    if exercise not in MEASURES:
        raise VisionInputError(f"Unknown exercise {exercise!r}. Choose one of: {', '.join(MEASURES)}.", "usage")
    images = {"neutral": read_still(neutral_path, "neutral"), "exercise": read_still(image_path, "exercise")}
    own = landmarker is None
    landmarker = landmarker or MediaPipeLandmarker(static=True, mirror_average=True)
    try:
        neutral_obs = observe(landmarker, images["neutral"])
        exercise_obs = observe(landmarker, images["exercise"])
    finally:
        if own:
            landmarker.close()
    neutral = usable_face(neutral_obs, "neutral", neutral_path.name)
    face = usable_face(exercise_obs, "exercise", image_path.name)
    cal = calibrate([neutral])
    return score_json(exercise, cal, face, exercise_obs.quality)


def score_json(exercise: str, cal: Calibration, face: FaceLandmarks, quality: Quality) -> dict:
    """The score-image JSON document (schema in docs/coach.md)."""
    result = score(exercise, cal, face)
    synk = assess_synkinesis(exercise, cal, face)
    side = lambda s: {  # noqa: E731 - a tiny local formatter
        "excursion_mm": s.excursion_mm,
        "percent_of_reference": s.percent_of_reference,
        "moved": s.moved,
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "face_found": True,
        "exercise": exercise,
        "left": side(result.left),
        "right": side(result.right),
        "symmetry_ratio": result.symmetry_ratio,
        "weaker_side": result.weaker_side,
        "residual_eye_opening_mm": result.residual_opening_mm,
        "synkinesis": synk.to_json(),
        "calibration": {"mm_per_px": round(cal.mm_per_px, 4), "scale_source": cal.scale_source},
        "quality": quality.to_json(),
        "estimate": True,
    }


def _counter(cal: Calibration, exercise: str, hold_target_s: float) -> RepCounter:
    reference = min(reference_mm(cal, exercise, "left"), reference_mm(cal, exercise, "right"))
    start = max(START_SHARE * reference, 1.0)
    return RepCounter(start_mm=start, rest_mm=REST_SHARE * start, hold_target_s=hold_target_s)


def replay(
    video: Path, exercises: tuple[str, ...] = REPLAY_EXERCISES, hold_target_s: float = 5.0, landmarker=None
) -> dict:
    """Reps, hold times and per-rep metrics found in a video whose first second shows the relaxed face."""
    for exercise in exercises:
        if exercise not in MEASURES:
            raise VisionInputError(f"Unknown exercise {exercise!r}. Choose one of: {', '.join(MEASURES)}.", "usage")
    try:
        camera = FileCamera(video)
    except CameraError as exc:
        raise VisionInputError(str(exc)) from exc
    if camera.is_still:
        camera.close()
        raise VisionInputError(f"{video.name} is a picture, not a video. Use score-image for pictures.")
    own = landmarker is None
    landmarker = landmarker or MediaPipeLandmarker(static=False)
    counts, calibration_faces, counters, cal, neutral_mm = QualityCounter(), [], {}, None, None
    last_t = 0.0
    try:
        while (frame := camera.read()) is not None:
            last_t = frame.t
            obs = observe(landmarker, frame.image, frame.t)
            counts.add(obs.quality)
            if not obs.quality.ok:
                continue
            if cal is None:
                calibration_faces.append(obs.face)
                if frame.t >= CALIBRATION_S:
                    cal = _calibrate_or_fail(calibration_faces, video)
                    neutral_mm = cal.neutral_mm
                    counters = {ex: _counter(cal, ex, hold_target_s) for ex in exercises}
                continue
            face_mm = cal.to_mm(obs.face)
            for exercise, counter in counters.items():
                result = score(exercise, cal, obs.face)
                sides = {"left": result.left.excursion_mm, "right": result.right.excursion_mm}
                if not matches(exercise, neutral_mm, face_mm):
                    sides = {"left": 0.0, "right": 0.0}  # another movement, not this exercise
                counter.update(frame.t, max(sides.values()), sides)
    finally:
        camera.close()
        if own:
            landmarker.close()
    if cal is None:
        raise VisionInputError(f"No steady, usable face in the first half second of {video.name}; cannot calibrate.")
    for counter in counters.values():
        counter.finish(last_t)
    return {
        "schema_version": SCHEMA_VERSION,
        "video": video.name,
        "fps": round(camera.fps, 3),
        "duration_s": round(last_t, 2),
        "calibration": {"frames_used": cal.frames_used, "mm_per_px": round(cal.mm_per_px, 4)},
        "quality": counts.to_json(),
        "exercises": {
            ex: {"reps": len(c.reps), "start_mm": round(c.start_mm, 2), "per_rep": [r.to_json() for r in c.reps]}
            for ex, c in counters.items()
        },
        "estimate": True,
    }


def _calibrate_or_fail(faces: list[FaceLandmarks], video: Path) -> Calibration:
    try:
        return calibrate(faces, earliest=True)
    except CalibrationError as exc:
        raise VisionInputError(f"{video.name}: {exc}.") from exc
