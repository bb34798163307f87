"""`facecoach score-image` and `facecoach replay` on real pictures and videos, and on bad inputs."""

import json

import cv2
import numpy as np
import pytest

from kiosk.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_image_json_schema(capsys, faces_dir):
    code, out, _ = run(
        capsys, "score-image", "--exercise", "open_smile", "--neutral",
        str(faces_dir / "london_020_neutral.jpg"), str(faces_dir / "london_020_smile.jpg"), "--json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["face_found"] is True and doc["exercise"] == "open_smile" and doc["estimate"] is True
    for side in ("left", "right"):
        assert doc[side]["excursion_mm"] > 3 and doc[side]["moved"] is True
    assert 0.8 <= doc["symmetry_ratio"] <= 1 and doc["weaker_side"] == "none"
    assert doc["quality"]["ok"] is True and set(doc["quality"]["pose_deg"]) == {"yaw", "pitch", "roll"}
    assert doc["residual_eye_opening_mm"] is None and "flags" in doc["synkinesis"]


def test_score_image_text_for_an_eye_closure(capsys, faces_dir):
    code, out, _ = run(
        capsys, "score-image", "--exercise", "gentle_eye_closure", "--neutral",
        str(faces_dir / "yale_s05_normal.png"), str(faces_dir / "yale_s05_wink.png"),
    )  # fmt: skip
    assert code == 0 and "eye gap left open" in out and "(estimate)" in out


@pytest.fixture
def bad_files(tmp_path, faces_dir):
    picture = cv2.imread(str(faces_dir / "london_020_neutral.jpg"))
    cv2.imwrite(str(tmp_path / "two_faces.jpg"), np.hstack([picture, picture]))
    (tmp_path / "not_a_picture.jpg").write_text("hello")
    (tmp_path / "truncated.mp4").write_bytes((faces_dir / "liveportrait_d9.mp4").read_bytes()[:30000])
    return tmp_path


@pytest.mark.parametrize(
    ("image", "words", "reason"),
    [
        ("dlib_dogs.jpg", "cannot see your face", "no_face"),
        ("TMP/two_faces.jpg", "more than one face", "many_faces"),
        ("TMP/not_a_picture.jpg", "not a picture", "unreadable"),
        ("TMP/missing.jpg", "no file", "unreadable"),
        ("webmorph_lisa3.jpg", "hold your head straight", "head_tilted"),
    ],
)
def test_score_image_bad_inputs(capsys, faces_dir, bad_files, image, words, reason):
    path = bad_files / image[4:] if image.startswith("TMP/") else faces_dir / image
    code, out, err = run(
        capsys, "score-image", "--exercise", "open_smile", "--neutral",
        str(faces_dir / "london_020_neutral.jpg"), str(path), "--json",
    )  # fmt: skip
    assert code == 1 and words in err and "Traceback" not in err
    assert json.loads(out)["error"] == reason


def test_unknown_exercise_and_corrupt_video(capsys, faces_dir, bad_files):
    code, _, err = run(capsys, "score-image", "--exercise", "wiggle", "--neutral", "a.jpg", "b.jpg")
    assert code == 1 and "Unknown exercise" in err
    code, _, err = run(capsys, "replay", str(bad_files / "truncated.mp4"))
    assert code == 1 and "not a video" in err
    code, _, err = run(capsys, "replay", str(faces_dir / "london_020_smile.jpg"))
    assert code == 1 and "score-image" in err


@pytest.mark.slow
def test_replay_counts_the_smile(capsys, faces_dir):
    code, out, _ = run(capsys, "replay", str(faces_dir / "liveportrait_d0.mp4"), "--exercise", "open_smile", "--json")
    assert code == 0
    doc = json.loads(out)
    smile = doc["exercises"]["open_smile"]
    assert smile["reps"] == 1  # neutral -> broad smile -> neutral, as watched
    rep = smile["per_rep"][0]
    assert rep["peak_mm"] > 8 and rep["returned_to_rest"] and 1.0 < rep["end_s"] - rep["start_s"] < 3.1
    assert doc["quality"]["frames_seen"] == 78


@pytest.mark.slow
def test_replay_of_a_routine_counts_each_movement_under_its_own_exercise(faces_dir):
    """liveportrait_d9, watched: pucker, air puffed side to side, one smile, brief closures, one brow raise."""
    from kiosk.vision.analyse import replay

    exercises = replay(faces_dir / "liveportrait_d9.mp4")["exercises"]
    reps = {name: doc["reps"] for name, doc in exercises.items()}
    # Before movement signatures the air pushed side to side counted as smiles and cheek puffs.
    assert reps["open_smile"] == 2 and reps["brow_lift"] == 1  # as watched
    assert reps["cheek_puff"] <= 1 and reps["lip_pucker"] <= 3
    smile = exercises["open_smile"]["per_rep"][0]
    assert 9.5 < smile["start_s"] < 10.5 and smile["peak_mm"] > 12


@pytest.mark.slow
def test_replay_text_labels_the_counts_as_estimates_in_plain_words(capsys, faces_dir):
    code, out, _ = run(capsys, "replay", str(faces_dir / "liveportrait_d0.mp4"), "--exercise", "open_smile")
    assert code == 0
    assert "(estimates)" in out
    assert "open_smile: 1 repetition (holds" in out and "1 reps" not in out


def test_native_chatter_goes_to_the_debug_log_and_everything_else_back_to_stderr(capfd, caplog):
    import logging
    import os

    from kiosk.vision.native_log import quiet_native_log

    chatter = [
        "WARNING: Logging before InitGoogle() is written to STDERR",
        "W0000 00:00:1796428442.986024   10775 face_landmarker_graph.cc:181] Sets FaceBlendshapesGraph acceleration",
        "I1204 23:54:03.104 77 gl_context.cc:357] GL version: 3.2",
        "INFO: Created TensorFlow Lite XNNPACK delegate for CPU.",
    ]
    kept = [
        "E0000 00:00:1796428442.9 10775 calculator_graph.cc:887] INVALID_ARGUMENT: the model is broken",
        "F1204 23:54:03.104 77 graph.cc:12] Check failed",
        "some text nobody expected",
    ]
    with caplog.at_level(logging.DEBUG, logger="kiosk.vision.native_log"), quiet_native_log():
        os.write(2, ("\n".join(chatter[:2] + kept[:1] + chatter[2:] + kept[1:]) + "\n").encode())
    err = capfd.readouterr().err
    assert err == "\n".join(kept) + "\n"  # errors and unknown lines come back unchanged, in order
    assert [r.getMessage() for r in caplog.records] == [f"native: {line}" for line in chatter]


@pytest.mark.slow
def test_score_image_and_replay_print_no_native_start_up_lines(faces_dir, tmp_path):
    """Run as a user runs them (a new process, where MediaPipe says its start-up lines)."""
    import os
    import subprocess
    import sys

    pictures = [str(faces_dir / "london_020_neutral.jpg"), str(faces_dir / "london_020_smile.jpg")]
    commands = [
        ["score-image", "--exercise", "open_smile", "--neutral", *pictures],
        ["replay", str(faces_dir / "liveportrait_d0.mp4"), "--exercise", "open_smile"],
    ]
    for argv in commands:
        env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / argv[0])}  # a first run: matplotlib builds its cache
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", *argv], capture_output=True, text=True, timeout=120, env=env
        )
        assert done.returncode == 0, done.stderr
        assert "(estimate" in done.stdout
        for word in ("InitGoogle", "XNNPACK", ".cc:", "fontManager"):
            assert word not in done.stderr, done.stderr
