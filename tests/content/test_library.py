"""The shipped exercise library: schema, therapy rules, coach metrics, loader and fallback."""

from __future__ import annotations

import pytest

from coach.exercises import METRIC_IDS, NOT_MEASURED
from content import content_path
from content.check import check_library
from content.loader import exercises_for_stage, load_education, load_exercise, load_exercises
from content.reading import check_file, toml_files
from content.rules import exercise_rules
from content.schema import EXERCISE, FLACCID_KINDS, REQUIRED_EDUCATION

REQUIRED = (
    "brow_lift",
    "frown",
    "gentle_eye_closure",
    "tight_eye_closure",
    "nose_wrinkle",
    "closed_smile",
    "open_smile",
    "lip_pucker",
    "cheek_puff",
    "lower_lip_depression",
    "lip_press",
    "eee_ooo",
)
EXERCISE_FILES = toml_files(content_path("exercises"))
# Cues that ask for an active facial movement; none may be said in a flaccid-stage item.
ACTIVE_CUES = ("raise", "lift your", "smile", "pucker", "frown", "wrinkle", "puff", "press your lips", "teeth")


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=lambda p: p.stem)
def test_every_exercise_file_passes_schema_and_rules(path):
    checked = check_file(path, EXERCISE, lambda d: exercise_rules(d, path.stem))
    assert checked.problems == []


def test_library_has_the_required_exercises_and_every_kind():
    library = load_exercises()
    assert set(REQUIRED) <= set(library)
    assert len(library) >= 12
    assert {ex.kind for ex in library.values()} == {"movement", "massage", "stretch", "relaxation"}
    assert library["nose_wrinkle"].metric == "snarl"
    assert library["face_relaxation"].metric == NOT_MEASURED


def test_every_metric_is_a_coach_metric_and_every_coach_metric_is_used():
    library = load_exercises()
    for ex in library.values():
        assert ex.metric in (*METRIC_IDS, NOT_MEASURED), ex.id
    assert set(METRIC_IDS) <= {ex.metric for ex in library.values()}
    _, problems = check_library(content_path())
    assert problems == []


def test_flaccid_stage_items_are_passive_and_say_no_active_movement():
    flaccid = exercises_for_stage("flaccid")
    assert flaccid, "the flaccid stage needs massage and relaxation items"
    for ex in flaccid:
        assert ex.kind in FLACCID_KINDS and ex.metric == NOT_MEASURED and ex.effort <= 1, ex.id
        words = " ".join(ex.intro + ex.move).lower()
        assert not [cue for cue in ACTIVE_CUES if cue in words], ex.id


def test_movements_are_gentle_and_synkinesis_items_teach_relaxation():
    for ex in load_exercises().values():
        if ex.kind == "movement":
            assert 2 <= ex.effort <= 3 and 3 <= ex.hold_seconds <= 10, ex.id
            if ex.suits("synkinesis"):
                assert ex.synkinesis_tip, ex.id
                assert ex.synkinesis_tip[0] in ex.spoken_intro("synkinesis")
                assert ex.synkinesis_tip[0] not in ex.spoken_intro("paresis")
    assert not load_exercise("tight_eye_closure").suits("synkinesis")


def test_every_exercise_has_german_words_and_the_numbers_stay_shared():
    german, english = load_exercises("de"), load_exercises()
    assert german["brow_lift"].name == "Augenbrauen heben"
    assert german["lip_press"].name == "Lippen aufeinander"
    assert {ex.lang for ex in german.values()} == {"de"}
    assert {ex.id: ex.name for ex in german.values()} != {ex.id: ex.name for ex in english.values()}
    assert german["brow_lift"].reps == english["brow_lift"].reps


def test_unknown_exercise_is_a_plain_key_error():
    with pytest.raises(KeyError, match="no exercise 'jaw_clench'"):
        load_exercise("jaw_clench")


def test_animation_moves_linearly_and_loops():
    anim = load_exercise("brow_lift").animation
    assert anim.pose_at(0.0) == {}
    assert anim.pose_at(1.0) == pytest.approx({"brows_up": 0.25})
    assert anim.pose_at(3.0) == pytest.approx({"brows_up": 0.5})
    assert anim.pose_at(anim.seconds + 1.0) == pytest.approx(anim.pose_at(1.0))
    eee_ooo = load_exercise("eee_ooo").animation
    assert set(eee_ooo.pose_at(4.25)) == {"mouth_wide", "lips_pucker"}


def test_education_has_eye_care_articulation_and_recovery():
    topics = load_education()
    assert set(REQUIRED_EDUCATION) <= set(topics)
    warning = topics["eye_warning_signs"]
    spoken = " ".join(line for page in warning.pages for line in page.spoken).lower()
    for sign in ("hurts", "red", "discharge", "sight"):
        assert sign in spoken
    assert any(page.warning for page in warning.pages)
    night = " ".join(line for page in topics["eye_night"].pages for line in page.spoken).lower()
    assert "ointment" in night and "tape" in night and "shield" in night
    drops = " ".join(line for page in topics["eye_drops"].pages for line in page.spoken).lower()
    assert "every two hours" in drops
    german = load_education("de")
    assert {topic.lang for topic in german.values()} == {"de"}
    drops_de = " ".join(line for page in german["eye_drops"].pages for line in page.spoken)
    assert "alle zwei Stunden" in drops_de
