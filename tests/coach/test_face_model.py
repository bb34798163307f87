"""The shipped face model: pinned, checked at load, never replaced silently; the video-mode clock."""

import functools
import hashlib
import zipfile

import numpy as np
import pytest

from kiosk.vision import landmarker as landmarker_module
from kiosk.vision.landmarker import MediaPipeLandmarker
from kiosk.vision.model_file import MODEL_BYTES, MODEL_PATH, MODEL_SHA256, ModelFileError, load_model


def test_the_shipped_model_is_the_pinned_file():
    data = load_model()
    assert len(data) == MODEL_BYTES == MODEL_PATH.stat().st_size
    assert hashlib.sha256(data).hexdigest() == MODEL_SHA256


def test_the_bundle_holds_detector_landmarks_blendshapes_and_geometry():
    with zipfile.ZipFile(MODEL_PATH) as bundle:
        names = set(bundle.namelist())
    assert names == {
        "face_detector.tflite",
        "face_landmarks_detector.tflite",
        "face_blendshapes.tflite",
        "geometry_pipeline_metadata_landmarks.binarypb",
    }


def test_the_licence_and_origin_ship_beside_the_model():
    notice = (MODEL_PATH.parent / "NOTICE.txt").read_text()
    assert MODEL_SHA256 in notice and "Apache License, Version 2.0" in notice
    assert "Apache License" in (MODEL_PATH.parent / "LICENSE.txt").read_text()


def test_a_changed_model_is_refused_in_plain_words(tmp_path):
    changed = bytearray(MODEL_PATH.read_bytes())
    changed[1000] ^= 0xFF
    bad = tmp_path / "face_landmarker.task"
    bad.write_bytes(bytes(changed))
    with pytest.raises(ModelFileError, match="not the file FaceCoach was tested with.*reinstall FaceCoach"):
        load_model(bad)


def test_a_missing_model_is_refused_in_plain_words(tmp_path):
    with pytest.raises(ModelFileError, match="cannot be read.*Reinstall FaceCoach"):
        load_model(tmp_path / "face_landmarker.task")


def test_the_landmarker_does_not_start_on_a_changed_model(tmp_path, monkeypatch):
    bad = tmp_path / "face_landmarker.task"
    bad.write_bytes(MODEL_PATH.read_bytes()[:-1])
    monkeypatch.setattr(landmarker_module, "load_model", functools.partial(load_model, bad))
    with pytest.raises(ModelFileError):
        MediaPipeLandmarker(static=False)


def test_video_mode_accepts_frame_times_that_go_back():
    """A second video (or a camera restart) starts its clock again; the tracker must not fail."""
    blank = np.zeros((120, 160, 3), np.uint8)
    video = MediaPipeLandmarker(static=False)
    try:
        assert video.detect(blank, 5.0) == [] and video.detect(blank, 0.0) == [] and video.detect(blank) == []
        assert video.detect(blank, 0.0) == []
    finally:
        video.close()
        video.close()  # idempotent


def test_selftest_names_a_changed_model(tmp_path, monkeypatch):
    from kiosk import selftest
    from kiosk.vision import model_file

    assert selftest.check_face_model().state == "found"
    bad = tmp_path / "face_landmarker.task"
    bad.write_bytes(b"not a model")
    monkeypatch.setattr(model_file, "load_model", functools.partial(load_model, bad))
    check = selftest.check_face_model()
    assert check.state == "missing" and "reinstall FaceCoach" in check.hint


def test_after_the_clock_goes_back_frames_keep_their_own_spacing():
    video = MediaPipeLandmarker(static=False)
    try:
        stamps = [video._timestamp_ms(t) for t in (10.0, 10.033, 0.0, 0.033, 0.066)]
    finally:
        video.close()
    assert stamps == [10000, 10033, 10034, 10067, 10100]
