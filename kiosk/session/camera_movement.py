"""The session's view of the camera: frames -> landmarks (own thread) -> coach scores -> Measurement.

Called from the main loop each tick: it hands the newest frame to the landmark worker (newest
frame wins, no backlog) and turns the worker's latest observation into a Measurement for the
session flow. Calibration collects relaxed faces while the flow asks for it.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import replace

from coach.calibration import Calibration, CalibrationError, calibrate
from coach.face import FaceLandmarks
from coach.feedback import decide
from coach.metrics import score
from coach.sunnybrook import resting_estimate
from coach.synkinesis import assess_synkinesis
from content.i18n import phrase
from kiosk.devices.base import Camera, Frame
from kiosk.session.flow import Phase
from kiosk.session.steps import Measurement
from kiosk.vision.analyse import Observation
from kiosk.vision.worker import LandmarkWorker

log = logging.getLogger(__name__)

MAX_CALIBRATION_FACES = 60
RECENT_FRAMES = 8  # pictures kept to find the one the newest landmarks came from (the worker lags a few frames)
FEEDBACK_PHASES = {Phase.MOVE: "move", Phase.HOLD: "hold", Phase.RELAX: "rest"}
# Co-movement indicators that count as synkinesis for the stimulation rule (mass movement is
# coaching feedback, "gentle and isolated", not synkinesis).
SYNKINESIS_FLAGS = ("eye_narrowing_", "mouth_movement_")


class CameraMovement:
    """A MovementSource backed by a camera and the MediaPipe landmark worker."""

    def __init__(self, camera: Camera, worker: LandmarkWorker, stage: str = "paresis", lang: str = "en") -> None:
        self.camera = camera
        self.worker = worker
        self.stage = stage
        self.lang = lang
        self.metric: str | None = None
        self.calibrating = False
        self.relaxed: list[FaceLandmarks] = []
        self.calibration: Calibration | None = None
        self.last_frame_image = None
        self._recent: deque[Frame] = deque(maxlen=RECENT_FRAMES)
        self._seen: object | None = None
        self._scored: tuple[tuple, Measurement] | None = None  # the last measurement and what it was made of

    def set_metric(self, metric: str | None) -> None:
        self.metric = metric

    def calibrate(self, start: bool) -> dict | None:
        """Start or finish the neutral calibration; on finishing, the resting-symmetry evidence (or None)."""
        if start:
            self.calibrating, self.relaxed = True, []
            return None
        self.calibrating = False
        try:
            self.calibration = calibrate(self.relaxed) if self.relaxed else None
        except CalibrationError as exc:
            log.info("calibration not possible: %s", exc)
            self.calibration = None
        return resting_estimate(self.calibration) if self.calibration is not None else None

    def latest(self, now: float, phase: Phase) -> Measurement | None:
        frame = self.camera.read()
        if frame is not None:
            self.last_frame_image = frame.image
            self._recent.append(frame)
            self.worker.submit(frame)
        obs = self.worker.latest
        if obs is None:
            return None
        fresh = obs is not self._seen
        self._seen = obs
        if not obs.quality.ok or obs.face is None:
            return Measurement(usable=False, hint=obs.quality.hint, refused=obs.quality.reasons, new_frame=fresh)
        if self.calibrating and fresh and len(self.relaxed) < MAX_CALIBRATION_FACES:
            self.relaxed.append(obs.face)
        if self.calibration is None or self.metric is None:
            return Measurement(usable=True, new_frame=fresh)
        # The loop ticks faster than new landmarks arrive: score each observation once per phase.
        key = (obs, self.metric, phase, self.calibration, self.stage, self.lang)
        if self._scored is not None and all(a is b for a, b in zip(self._scored[0], key, strict=True)):
            return replace(self._scored[1], new_frame=fresh)
        result = score(self.metric, self.calibration, obs.face)
        keys = decide(self.stage, FEEDBACK_PHASES.get(phase, "rest"), result) if phase in FEEDBACK_PHASES else ()
        words = phrase(keys[0], self.lang) if keys else ""
        flags = assess_synkinesis(self.metric, self.calibration, obs.face).flags if phase is Phase.HOLD else ()
        measurement = Measurement(
            usable=True,
            left_pct=result.left.percent_of_reference,
            right_pct=result.right.percent_of_reference,
            feedback=words,
            phase=phase.value,
            synkinesis=any(flag.startswith(SYNKINESIS_FLAGS) for flag in flags),
            left_mm=result.left.excursion_mm,
            right_mm=result.right.excursion_mm,
            flags=tuple(flag for flag in flags if flag.startswith(SYNKINESIS_FLAGS)),
            new_frame=fresh,
        )
        self._scored = (key, measurement)
        return measurement

    def preview(self) -> tuple[object, object] | None:
        """The picture the landmarks of the last measurement were found in, and those landmarks (the newest
        picture until landmarks come). So the landmarks are drawn on their own picture, and a standard photo
        kept at a measured peak (kiosk/photo_capture.py) is the frame that peak was measured in."""
        if self.last_frame_image is None:
            return None
        # The observation the last measurement was made from (the worker may have a newer one by now).
        obs = self._seen if isinstance(self._seen, Observation) else self.worker.latest
        if obs is None:
            return self.last_frame_image, None
        image = next((f.image for f in reversed(self._recent) if f.t == obs.t), self.last_frame_image)
        return image, (obs.face.points if obs.face is not None else None)

    def close(self) -> None:
        self.worker.close()


def open_movement(camera: Camera | None, lang: str) -> CameraMovement | None:
    """The camera pipeline for the session, or None when there is no camera to score with."""
    from kiosk.devices.fakes import FakeCamera

    if camera is None or isinstance(camera, FakeCamera):
        return None
    from kiosk.vision.landmarker import MediaPipeLandmarker

    return CameraMovement(camera, LandmarkWorker(MediaPipeLandmarker(static=False)).start(), lang=lang)
