"""Pose, quality gates, repetitions, feedback and Sunnybrook estimates (pure modules)."""

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.calibration import calibrate
from coach.face import FaceLandmarks
from coach.feedback import PHRASE_KEYS, PUSHING_KEYS, STAGES, decide
from coach.metrics import ExerciseScore, SideScore, score
from coach.pose import estimate_pose
from coach.quality import HINTS, QualityCounter, assess
from coach.reps import RepCounter
from coach.sunnybrook import VOLUNTARY_ITEMS, estimate
from coach.synkinesis import assess_synkinesis
from tests.coach.conftest import fixture_face

REPO = Path(__file__).resolve().parents[2]


def rotated(face: FaceLandmarks, yaw: float = 0, pitch: float = 0, roll: float = 0) -> FaceLandmarks:
    """The face turned about its own centre (degrees, conventions of coach.pose)."""
    y, p, r = (math.radians(a) for a in (yaw, pitch, roll))
    ry = np.array([[math.cos(y), 0, -math.sin(y)], [0, 1, 0], [math.sin(y), 0, math.cos(y)]])  # +: left eye away
    rx = np.array([[1, 0, 0], [0, math.cos(p), math.sin(p)], [0, -math.sin(p), math.cos(p)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    centre = face.points.mean(axis=0)
    return FaceLandmarks((face.points - centre) @ (rz @ rx @ ry).T + centre, face.width, face.height)


def test_pose_of_a_frontal_face_is_small():
    pose = estimate_pose(fixture_face("neutral_london_020"))
    assert abs(pose.yaw) < 8 and abs(pose.pitch) < 8 and abs(pose.roll) < 3


@pytest.mark.parametrize("angle", [-30, -15, 15, 30])
def test_pose_follows_a_known_rotation(angle):
    base = estimate_pose(fixture_face("neutral_london_020"))
    turned = estimate_pose(rotated(fixture_face("neutral_london_020"), yaw=angle))
    assert np.sign(turned.yaw - base.yaw) == np.sign(angle) and abs(turned.yaw - base.yaw) > abs(angle) / 2
    tilted = estimate_pose(rotated(fixture_face("neutral_london_020"), roll=angle))
    assert tilted.roll - base.roll == pytest.approx(angle, abs=2)


def test_quality_gates_each_reason_with_a_hint():
    face = fixture_face("neutral_london_020")
    assert assess([face], brightness=120, sharpness=300).ok
    assert assess([]).reasons == ("no_face",)
    assert assess([face, face]).reasons == ("many_faces",)
    small = FaceLandmarks(face.points * 0.2, face.width, face.height)
    assert "too_far" in assess([small]).reasons
    assert "head_turned" in assess([rotated(face, yaw=45)]).reasons
    assert "head_tilted" in assess([fixture_face("head_tilted_lisa3")]).reasons
    assert "too_dark" in assess([face], brightness=10).reasons
    assert "blurred" in assess([face], sharpness=3).reasons
    shifted = FaceLandmarks(face.points + (300, 0, 0), face.width, face.height)
    assert "off_centre" in assess([shifted]).reasons
    for reason in HINTS:
        assert HINTS[reason].endswith(".") and len(HINTS[reason]) < 80


def test_quality_counter_counts_by_reason():
    counter = QualityCounter()
    face = fixture_face("neutral_london_020")
    for faces in ([face], [], [], [face, face]):
        counter.add(assess(faces))
    assert counter.to_json() == {"frames_seen": 4, "frames_usable": 1, "refused": {"no_face": 2, "many_faces": 1}}


def run_signal(counter: RepCounter, samples: list[tuple[float, float]]) -> RepCounter:
    for t, v in samples:
        counter.update(t, v, {"left": v, "right": v / 2})
    counter.finish(samples[-1][0])
    return counter


def ramp(
    start: float, rise: float, hold: float, fall: float, peak: float, fps: float = 10
) -> list[tuple[float, float]]:
    out, t = [], start
    for seconds, shape in ((rise, lambda x: x), (hold, lambda x: 1.0), (fall, lambda x: 1 - x)):
        n = max(int(seconds * fps), 1)
        for i in range(n):
            out.append((t, peak * shape((i + 1) / n)))
            t += 1 / fps
    return out + [(t, 0.0)]


def test_reps_count_hold_and_return_to_rest():
    samples = ramp(0, 1, 5.5, 1, 8.0) + ramp(9, 1, 2, 1, 6.0)
    counter = run_signal(RepCounter(start_mm=3, rest_mm=1.5, hold_target_s=5), samples)
    assert len(counter.reps) == 2
    first, second = counter.reps
    assert first.hold_reached and first.hold_s >= 5 and first.returned_to_rest
    assert first.peak_mm == pytest.approx(8.0) and 5.6 <= first.mean_hold_mm <= 8.0
    assert not second.hold_reached and second.side_peaks_mm["right"] == pytest.approx(3.0)


def test_hysteresis_ignores_noise_near_the_threshold_and_blinks():
    noisy = [(i / 10, 3.0 + (0.4 if i % 2 else -0.4)) for i in range(60)] + [(6.0, 0.0)]
    assert len(run_signal(RepCounter(start_mm=3, rest_mm=1.5), noisy).reps) == 1
    blink = [(0.0, 0.0), (0.1, 8.0), (0.2, 8.0), (0.3, 0.0)]
    assert run_signal(RepCounter(start_mm=3, rest_mm=1.5), blink).reps == []
    with pytest.raises(ValueError):
        RepCounter(start_mm=1, rest_mm=2)


def test_a_brief_dip_during_a_hold_is_one_rep_and_a_return_to_rest_is_two():
    hold = [(i / 30, 8.0) for i in range(60)]
    dip = [(2 + i / 30, 0.5) for i in range(5)]  # 0.17 s below rest: a blink in the middle of the hold
    again = [(2.17 + i / 30, 8.0) for i in range(60)]
    assert len(run_signal(RepCounter(start_mm=3, rest_mm=1.5), hold + dip + again).reps) == 1
    rest = [(2 + i / 30, 0.5) for i in range(15)]  # 0.5 s back at rest
    later = [(2.5 + i / 30, 8.0) for i in range(60)] + [(4.5 + i / 30, 0.0) for i in range(15)]
    reps = run_signal(RepCounter(start_mm=3, rest_mm=1.5), hold + rest + later).reps
    assert len(reps) == 2 and reps[0].end_t == pytest.approx(2.0, abs=0.15) and all(r.returned_to_rest for r in reps)


def test_one_odd_frame_neither_starts_nor_ends_a_rep():
    spike = [(i / 30, 8.0 if i == 20 else 0.0) for i in range(60)]
    assert run_signal(RepCounter(start_mm=3, rest_mm=1.5, min_rep_s=0.0), spike).reps == []
    dropout = [(i / 30, 0.0 if i == 30 else 8.0) for i in range(60)] + [(2 + i / 30, 0.0) for i in range(15)]
    assert len(run_signal(RepCounter(start_mm=3, rest_mm=1.5, min_rest_s=0.0), dropout).reps) == 1


def side(mm: float, pct: float) -> SideScore:
    return SideScore(mm, pct, mm >= 1.0)


@given(
    stage=st.sampled_from(STAGES),
    phase=st.sampled_from(["rest", "move", "hold", "relax"]),
    left=st.floats(0, 30),
    right=st.floats(0, 30),
    hold=st.floats(0, 10),
)
def test_feedback_keys_are_known_and_synkinesis_never_pushes(stage, phase, left, right, hold):
    weak, strong = sorted((left, right))
    ratio = weak / strong if strong else None
    weaker = "none" if ratio is None or ratio > 0.6 else ("left" if left < right else "right")
    result = ExerciseScore("open_smile", side(left, left * 8), side(right, right * 8), ratio, weaker, None)
    keys = decide(stage, phase, result, hold_s=hold)
    assert set(keys) <= set(PHRASE_KEYS) and len(keys) <= 2
    if stage == "synkinesis":
        assert not set(keys) & PUSHING_KEYS


def test_feedback_decisions():
    cal = calibrate([fixture_face("neutral_london_020")])
    smile = fixture_face("smile_london_020")
    synk = assess_synkinesis("open_smile", cal, smile)
    keys = decide("synkinesis", "hold", score("open_smile", cal, smile), synk, hold_s=1)
    assert keys[0] == "feedback.keep_eye_soft"  # the healthy broad smile narrows the eyes
    even = ExerciseScore("closed_smile", side(5, 50), side(5, 50), 1.0, "none", None)
    assert decide("paresis", "hold", even, hold_s=1) == ("feedback.hold", "feedback.both_sides_moving")
    assert decide("paresis", "rest", None, last_rep_returned=False) == ("feedback.relax_fully",)
    uneven = ExerciseScore("closed_smile", side(0.5, 5), side(6, 60), 0.08, "left", None)
    assert "feedback.try_a_little_more" in decide("paresis", "move", uneven)
    assert "feedback.try_a_little_more" not in decide("synkinesis", "move", uneven)
    with pytest.raises(ValueError):
        decide("recovered", "rest", None)


def test_every_feedback_key_has_english_words():
    phrases = tomllib.loads((REPO / "content" / "lang" / "en" / "phrases.toml").read_text())
    for key in PHRASE_KEYS:
        section, name = key.split(".")
        assert phrases[section][name].strip(), key


def test_sunnybrook_is_withheld_without_evidence_and_labelled():
    cal = calibrate([fixture_face("neutral_london_020")])
    smile = fixture_face("smile_london_020")
    scores = {"open_smile": score("open_smile", cal, smile)}
    synk = {"open_smile": assess_synkinesis("open_smile", cal, smile)}
    result = estimate(cal, scores, synk)
    assert result.withheld and result.composite is None and result.voluntary is None
    assert "voluntary_brow_lift" in result.missing and "estimate" in result.label
    assert result.items["voluntary_open_smile"] == 5 and result.resting is not None


def test_sunnybrook_composite_with_all_items():
    cal = calibrate([fixture_face("neutral_london_020")])
    smile = fixture_face("smile_london_020")
    even = ExerciseScore("x", side(5, 50), side(5, 50), 1.0, "none", None)
    weak = ExerciseScore("x", side(0.2, 2), side(6, 60), 0.03, "left", None)
    synk = assess_synkinesis("lip_pucker", cal, cal.neutral)
    scores = {name: even for name in VOLUNTARY_ITEMS}
    healthy = estimate(cal, scores, {name: synk for name in VOLUNTARY_ITEMS})
    assert healthy.voluntary == 100 and healthy.synkinesis == 0
    assert healthy.composite == 100 - healthy.resting
    palsy = estimate(cal, {**scores, "open_smile": weak, "snarl": weak}, {n: synk for n in VOLUNTARY_ITEMS})
    assert palsy.affected_side == "left" and palsy.voluntary == 4 * (5 + 5 + 1 + 1 + 5)
    assert smile is not None
