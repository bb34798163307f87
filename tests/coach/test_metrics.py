"""Metrics, sides, calibration and synkinesis on saved real-face landmark fixtures (no MediaPipe)."""

import numpy as np
import pytest

from coach.calibration import IRIS_DIAMETER_MM, CalibrationError, calibrate
from coach.exercises import METRIC_IDS
from coach.face import FaceLandmarks, iris_diameter_px
from coach.metrics import MEASURES, score, symmetry
from coach.synkinesis import assess_synkinesis
from tests.coach.conftest import fixture_face


def test_every_metric_id_has_a_measure_and_scores():
    cal = calibrate([fixture_face("neutral_london_020")])
    smile = fixture_face("smile_london_020")
    assert set(MEASURES) == set(METRIC_IDS)
    for exercise in METRIC_IDS:
        result = score(exercise, cal, smile)
        assert result.left.excursion_mm >= 0 and result.right.excursion_mm >= 0
        assert result.weaker_side in ("left", "right", "none")


def test_neutral_against_itself_is_no_movement():
    neutral = fixture_face("neutral_london_020")
    result = score("open_smile", calibrate([neutral]), neutral)
    assert result.left.excursion_mm < 0.01 and result.right.excursion_mm < 0.01
    assert not result.left.moved and result.symmetry_ratio is None and result.weaker_side == "none"


def test_iris_gives_the_mm_scale():
    neutral = fixture_face("neutral_london_020")
    cal = calibrate([neutral])
    assert cal.scale_source == "iris"
    iris_px = (iris_diameter_px(neutral, "left") + iris_diameter_px(neutral, "right")) / 2
    assert cal.mm_per_px == pytest.approx(IRIS_DIAMETER_MM / iris_px)
    # The eye-centre distance of an adult comes out in the usual 55-70 mm range.
    assert 80 < np.linalg.norm(cal.neutral_mm[263] - cal.neutral_mm[33]) < 105  # outer eye corners


def test_healthy_smile_moves_both_sides_evenly():
    result = score("open_smile", calibrate([fixture_face("neutral_london_020")]), fixture_face("smile_london_020"))
    assert result.left.moved and result.right.moved
    assert result.weaker_side == "none" and result.symmetry_ratio > 0.8


@pytest.mark.parametrize("weak", ["left", "right"])
def test_synthetic_one_sided_smile_names_the_weak_side(weak):
    cal = calibrate([fixture_face("neutral_london_020")])
    result = score("open_smile", cal, fixture_face(f"smile_{weak}_weak_london_020"))
    assert result.weaker_side == weak
    assert result.symmetry_ratio < 0.5


def test_wink_closes_the_patients_left_eye():
    """Yale s02 winks with the subject's LEFT eye (image right; MediaPipe 263 side)."""
    cal = calibrate([fixture_face("neutral_yale_s02")])
    result = score("gentle_eye_closure", cal, fixture_face("wink_left_closed_yale_s02"))
    assert result.left.percent_of_reference > result.right.percent_of_reference
    assert result.residual_opening_mm["left"] < result.residual_opening_mm["right"]


def test_sleepy_closes_both_eyes_and_reports_the_gap():
    cal = calibrate([fixture_face("neutral_yale_s02")])
    result = score("gentle_eye_closure", cal, fixture_face("sleepy_yale_s02"))
    assert result.left.moved and result.right.moved
    for side in ("left", "right"):
        assert 0 <= result.residual_opening_mm[side] < cal.eye_opening_mm(side) / 2


def test_brow_lift_on_surprise():
    cal = calibrate([fixture_face("neutral_yale_s02")])
    result = score("brow_lift", cal, fixture_face("brow_lift_yale_s02"))
    assert result.left.excursion_mm > 3 and result.right.excursion_mm > 3


def test_symmetry_tolerance():
    assert symmetry(10.0, 9.0, True, True) == (0.9, "none")
    ratio, weaker = symmetry(2.0, 10.0, True, True)
    assert ratio == pytest.approx(0.2) and weaker == "left"
    assert symmetry(0.2, 1.6, False, True)[1] == "none"  # differs by less than 1.5 mm
    assert symmetry(0.0, 0.0, False, False) == (None, "none")


def test_calibration_noise_floor_and_unsteady_frames():
    neutral = fixture_face("neutral_london_020")
    rng = np.random.default_rng(1)
    frames = [FaceLandmarks(neutral.points + rng.normal(0, 0.3, neutral.points.shape), 675, 675) for _ in range(8)]
    moved = neutral.points.copy()
    moved[:200, 1] += 40  # half the face jumped: not a relaxed frame
    cal = calibrate(frames + [FaceLandmarks(moved, 675, 675)])
    assert cal.frames_used == 8 and cal.frames_offered == 9
    assert 0.1 <= float(np.median(cal.noise_mm)) < 1.0
    with pytest.raises(CalibrationError):
        calibrate([])


def test_smile_synkinesis_indicators_in_mm():
    cal = calibrate([fixture_face("neutral_london_020")])
    synk = assess_synkinesis("open_smile", cal, fixture_face("smile_london_020"))
    # A broad healthy smile narrows both eyes (cheeks rise): reported against the 0.77 mm threshold.
    assert set(synk.eye_narrowing_mm) == {"left", "right"}
    assert ("eye_narrowing_left" in synk.flags) == (synk.eye_narrowing_mm["left"] >= 0.77)
    closure = assess_synkinesis(
        "gentle_eye_closure", calibrate([fixture_face("neutral_yale_s02")]), fixture_face("sleepy_yale_s02")
    )
    assert closure.mouth_movement_mm is not None and closure.eye_narrowing_mm is None
