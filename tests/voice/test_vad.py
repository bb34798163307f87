"""The endpointer with a voice-activity detector plugged in, and the choice of detector."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.voice import vad_select, vad_silero, vad_webrtc
from kiosk.voice.vad import FRAME, Endpointer


class ScriptedDetector:
    """A detector whose answers are set in advance, frame by frame; records what it was asked."""

    name = "scripted"

    def __init__(self, answers: list[bool]) -> None:
        self.answers = list(answers)
        self.asked: list[bool] = []  # in_speech at each call
        self.resets = 0

    def is_speech(self, frame: np.ndarray, in_speech: bool) -> bool:
        self.asked.append(in_speech)
        return self.answers[len(self.asked) - 1]

    def reset(self) -> None:
        self.resets += 1


def loud_frame() -> np.ndarray:
    return np.full(FRAME, 20000, dtype=np.int16)


def test_a_deciding_detector_not_the_level_says_what_is_speech():
    # Loud frames the detector calls noise never start an utterance; quiet frames it calls speech do.
    det = ScriptedDetector([False] * 50 + [True] * 30 + [False] * 100)
    ep = Endpointer(end_silence_ms=900, detector=det, detector_role="decides")
    frames = [loud_frame()] * 50 + [np.zeros(FRAME, dtype=np.int16)] * 130
    events = [(i, ep.push(f)[0]) for i, f in enumerate(frames)]
    marks = [(i, e) for i, e in events if e]
    assert marks == [(55, "start"), (79 + 90, "end")]  # 60 ms to start; 900 ms after the last speech frame
    assert det.asked[54] is False and det.asked[56] is True  # told whether it is inside speech (hysteresis)


def test_a_confirming_detector_ends_an_utterance_that_steady_noise_would_hold_open():
    # Energy finds the start; inside the utterance a loud frame counts only if the detector agrees.
    # Noise that starts with the speech (a vacuum cleaner) is louder than the floor: one utterance
    # of it alone is heard, then it becomes the room's floor.
    words, noise = 40, 400
    frames = [np.zeros(FRAME, dtype=np.int16)] * 20 + [loud_frame()] * (words + noise)
    det = ScriptedDetector([False] * 20 + [True] * words + [False] * noise)
    ep = Endpointer(end_silence_ms=900, detector=det)
    marks = [(i, e) for i, f in enumerate(frames) if (e := ep.push(f)[0])]
    assert marks[:2] == [(25, "start"), (20 + words - 1 + 90, "end")]
    assert [e for _, e in marks[2:]] == ["start", "end"] and marks[-1][0] < 20 + words + 200
    energy_alone = Endpointer(end_silence_ms=900)
    assert [e for f in frames if (e := energy_alone.push(f)[0])] == ["start"]  # held open by the noise


def test_a_confirming_detector_does_not_start_an_utterance_in_quiet():
    det = ScriptedDetector([True] * 100)
    ep = Endpointer(detector=det)
    assert not any(ep.push(np.zeros(FRAME, dtype=np.int16))[0] for _ in range(100))
    assert det.asked == []  # and the model is not even run: a quiet room costs no CPU


def test_a_confirming_detector_starts_fresh_on_each_utterance_with_its_pre_roll():
    det = ScriptedDetector([True] * 200)
    ep = Endpointer(detector=det)
    frames = [np.zeros(FRAME, dtype=np.int16)] * 50 + [loud_frame()] * 10
    events = [ep.push(f)[0] for f in frames]
    assert events.index("start") == 55
    assert det.resets == 1 and len(det.asked) == 30 + 4  # 300 ms of pre-roll, then the frames after the start


def test_a_full_reset_resets_the_detector_but_ending_an_utterance_does_not():
    det = ScriptedDetector([True] * 10)
    ep = Endpointer(detector=det)
    ep.reset()
    assert det.resets == 0  # the stream goes on: the model keeps its context
    ep.reset(floor=True)
    assert det.resets == 1


def test_auto_takes_silero_when_installed_and_energy_otherwise(monkeypatch):
    monkeypatch.setattr(vad_silero, "available", lambda: True)
    assert vad_select.choose("auto") == ("silero", "")
    monkeypatch.setattr(vad_silero, "available", lambda: False)
    assert vad_select.choose("auto") == ("energy", "")
    assert vad_select.new_endpointer(700, "auto").detector is None


def test_a_named_detector_that_is_not_installed_falls_back_to_energy_and_says_why(monkeypatch):
    monkeypatch.setattr(vad_webrtc, "available", lambda: False)
    kind, note = vad_select.choose("webrtc")
    assert kind == "energy" and "webrtcvad-wheels" in note
    with pytest.raises(ValueError, match="must be one of"):
        vad_select.choose("neural")


def test_the_end_silence_setting_reaches_the_endpointer(monkeypatch):
    monkeypatch.setattr(vad_silero, "available", lambda: False)
    assert vad_select.new_endpointer(1200, "energy").end_silence_ms == 1200
