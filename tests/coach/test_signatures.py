"""Movement signatures and the relaxed-face choice that repetition counting relies on (no MediaPipe)."""

import numpy as np
import pytest

from coach.calibration import calibrate
from coach.face import LEFT, RIGHT, FaceLandmarks
from coach.signatures import matches, mouth_movements
from tests.coach.conftest import fixture_face


@pytest.fixture(scope="module")
def neutral_mm():
    return calibrate([fixture_face("neutral_london_020")]).neutral_mm


def moved(neutral_mm, left=(0.0, 0.0), right=(0.0, 0.0), cheeks=0.0, lids=0.0):
    """The neutral face with the mouth corners moved by (dx, dy) mm, cheeks out and upper lids down."""
    face = neutral_mm.copy()
    face[LEFT.mouth_corner] += left
    face[RIGHT.mouth_corner] += right
    face[list(LEFT.cheek), 0] += cheeks
    face[list(RIGHT.cheek), 0] -= cheeks
    for side in (LEFT, RIGHT):
        for upper, _ in side.lid_pairs:
            face[upper, 1] -= lids
    return face


def test_a_smile_both_sides_and_one_sided_is_a_smile(neutral_mm):
    both = moved(neutral_mm, left=(4, 5), right=(-4, 5))
    assert matches("open_smile", neutral_mm, both) and not matches("lip_pucker", neutral_mm, both)
    # Healthy right side lifts and pulls the mouth across; the weak left corner is dragged medially.
    one_sided = moved(neutral_mm, left=(-3, -1), right=(-4, 8))
    assert matches("open_smile", neutral_mm, one_sided) and not matches("lip_pucker", neutral_mm, one_sided)


def test_a_mouth_pushed_sideways_is_neither_smile_nor_pucker(neutral_mm):
    shifted = moved(neutral_mm, left=(8.5, 1), right=(8.5, 0))
    smile, narrowing, shift = mouth_movements(neutral_mm, shifted)
    assert shift == pytest.approx(8.5) and smile == pytest.approx(1.0) and narrowing == pytest.approx(0)
    assert not matches("open_smile", neutral_mm, shifted) and not matches("lip_pucker", neutral_mm, shifted)


def test_a_pucker_narrows_the_mouth(neutral_mm):
    pucker = moved(neutral_mm, left=(-5, 2), right=(5, 2))
    assert matches("lip_pucker", neutral_mm, pucker) and not matches("open_smile", neutral_mm, pucker)


def test_cheek_puff_and_eye_closure_are_told_apart_from_a_smile(neutral_mm):
    smile = moved(neutral_mm, left=(5, 6), right=(-5, 6), cheeks=2, lids=1)  # cheeks rise, eyes narrow
    assert not matches("cheek_puff", neutral_mm, smile) and not matches("gentle_eye_closure", neutral_mm, smile)
    puff = moved(neutral_mm, left=(-0.5, 0), right=(0.5, 0), cheeks=3)
    closure = moved(neutral_mm, right=(-1, 1), lids=6)  # synkinesis: the corner moves a little as well
    assert matches("cheek_puff", neutral_mm, puff) and matches("gentle_eye_closure", neutral_mm, closure)
    assert matches("brow_lift", neutral_mm, smile)  # no rule: every frame counts


def test_calibration_leaves_out_a_wink_and_prefers_the_earliest_steady_face():
    neutral = fixture_face("neutral_london_020")
    wink = neutral.points.copy()
    for upper, _ in LEFT.lid_pairs:
        wink[upper, 1] += 40  # the left upper lid comes down (~4 mm): only 3 of 478 points move
    rng = np.random.default_rng(2)

    def jitter(points):
        return FaceLandmarks(points + rng.normal(0, 0.2, points.shape), 675, 675)

    relaxed, winking = [jitter(neutral.points) for _ in range(3)], [jitter(wink) for _ in range(5)]
    assert calibrate(relaxed + winking).frames_used == 5  # the largest group: the held wink
    earliest = calibrate(relaxed + winking, earliest=True)
    assert earliest.frames_used == 3
    assert abs(earliest.neutral.points[LEFT.lid_pairs[0][0], 1] - neutral.points[LEFT.lid_pairs[0][0], 1]) < 1
