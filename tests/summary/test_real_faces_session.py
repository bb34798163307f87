"""A kiosk session on real faces: real MediaPipe landmarks and coach scores, stored as they happen,
then read back by the therapist's summary. The camera shows a London-set subject's relaxed photo,
and their smiling photo while the patient is asked to move and hold (../shared/data/faces).

Subject 020's eyes narrow when she smiles (MANIFEST: 0.365 -> 0.330 and 0.394 -> 0.344): the
co-movement indicator the stimulation rule reads. So the prescribed block is refused, and the
summary says the co-movement blocked stimulation.
"""

import json
import time
from datetime import UTC, date, datetime

import cv2
import pygame
import pytest

from kiosk.app import Kiosk
from kiosk.devices.base import Frame
from kiosk.devices.factory import build_devices
from kiosk.session.camera_movement import CameraMovement
from kiosk.session.flow import Phase
from kiosk.session.steps import ExerciseStep, SessionPlan, StimOffer
from kiosk.settings import Settings
from kiosk.stim_control import StimControl
from kiosk.summary.builder import build_summary
from kiosk.summary.rows import read_rows
from kiosk.vision.landmarker import MediaPipeLandmarker
from kiosk.vision.worker import LandmarkWorker
from stim_hat.prescription import DeviceLimits
from tests.test_kiosk_stimulation import PLAN as STIM_PLAN
from tests.test_kiosk_stimulation import RX, WORDS, answered_before

pytestmark = pytest.mark.slow
WALL = datetime(2026, 11, 3, 10, 5, tzinfo=UTC)
SMILE = ExerciseStep(
    "open_smile", "Open smile", "open_smile", ("Smile.",), "Smile gently.", reps=2, hold_seconds=5, rest_seconds=2
)


class PhotoCamera:
    """Shows the relaxed photo, and the smiling one while the session asks to move or hold."""

    name = "photos"

    def __init__(self, faces, subject: str) -> None:
        self.neutral = cv2.imread(str(faces / f"london_{subject}_neutral.jpg"))
        self.smile = cv2.imread(str(faces / f"london_{subject}_smile.jpg"))
        self.kiosk: Kiosk | None = None

    def read(self) -> Frame:
        session = self.kiosk.session if self.kiosk is not None else None
        moving = session is not None and session.flow.phase in (Phase.MOVE, Phase.HOLD)
        return Frame(self.smile if moving else self.neutral, time.monotonic())

    def close(self) -> None:
        return None


def test_a_session_on_real_faces_stores_what_the_summary_needs(fresh_store, faces_dir):
    answered_before(fresh_store)
    camera = PhotoCamera(faces_dir, "020")
    movement = CameraMovement(camera, LandmarkWorker(MediaPipeLandmarker(static=True)).start())
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    devices = build_devices(Settings(), "fake")
    offer = StimOffer(RX.side, RX.block_minutes, RX.max_amplitude_ma, WORDS, ())
    plan = SessionPlan((SMILE,), plan_version=7, stimulation=offer)
    k = Kiosk(Settings(), None, devices, fresh_store, surface, lambda: plan, movement=movement, wall_clock=lambda: WALL)
    k.stim = StimControl(devices.hat, STIM_PLAN, DeviceLimits(), k.events, fresh_store, lambda: WALL)
    camera.kiosk = k
    try:
        k.act("start_session", time.monotonic(), via="touch")
        deadline = time.monotonic() + 120
        while k.session.flow.phase is not Phase.STIMULATION and time.monotonic() < deadline:
            k.loop.tick()
            time.sleep(0.01)
        assert k.session.flow.phase is Phase.STIMULATION, "the session never reached its stimulation block"
        assert any(b.action == "start_stimulation" for b in k.painter.buttons)
        k.act("start_stimulation", time.monotonic(), via="touch")
        assert not k.session.flow.stimulating  # refused by the safety rules: co-movement was flagged
    finally:
        k.stim.close()
        movement.close()
        devices.close()
        pygame.quit()

    (row,) = fresh_store.db["exercise_results"].rows
    details = json.loads(row["details"])
    assert row["quality"] == "measured" and row["left_mm"] > 1.0 and row["right_mm"] > 1.0
    assert 0 < row["symmetry_ratio"] <= 1 and row["left_pct"] > 20 and row["right_pct"] > 20
    assert details["holds_measured"] >= 1 and details["frames_used"] > 10
    assert details["co_movement_holds"] >= 2 and details["blocked_stimulation"] is True
    assert any(flag.startswith("eye_narrowing_") for flag in json.loads(row["synkinesis"]))
    kinds = [r["kind"] for r in fresh_store.db["event_log"].rows]
    assert "stimulation_blocked" in kinds and "resting_symmetry_estimated" in kinds

    rows, period = read_rows(fresh_store, date(2026, 11, 3), date(2026, 11, 3), UTC)
    s = build_summary(rows, period, WALL, patient="P-REAL", device_id="fc-real", software_version="test")
    (smile,) = s["exercises"]
    assert smile["left"]["movement_mm"]["end"] == pytest.approx(row["left_mm"], abs=0.01)
    assert s["data_quality"]["results_without_measurement"] == 0
    blocked = [f for f in s["synkinesis_flags"] if f["blocked_stimulation"]]
    assert blocked and blocked[0]["exercise"] == "open_smile"
    # One calibration is not evidence enough for resting symmetry: withheld, with the reason.
    assert s["sunnybrook_estimate"]["resting_symmetry_score"] is None
    assert "relaxed-face calibrations" in s["sunnybrook_estimate"]["resting_symmetry"]["withheld_because"]
