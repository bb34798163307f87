"""`facecoach hear`: transcript, intent and timing per file; bad files get a plain message and exit 1."""

from __future__ import annotations

import json
import wave

import numpy as np

from kiosk.cli import main
from kiosk.voice.audio import read_wav


def write_wav(path, samples, rate=16000, channels=1, width=2):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def test_hear_prints_the_intent_for_each_file(speech, capsys, isolated_home):
    code = main(["hear", str(speech("i took my drops")), str(speech("what a lovely day"))])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.strip().splitlines()
    assert '"i took my drops" -> drops_taken' in lines[0]
    assert "no command" in lines[1]
    assert "ms after the end" in lines[0]


def test_hear_json(speech, capsys, isolated_home):
    assert main(["hear", "--json", str(speech("stop"))]) == 0
    (result,) = [r for r in json.loads(capsys.readouterr().out) if r["intent"]]
    assert result["intent"] == "stop" and result["engine"] == "pocketsphinx"
    assert result["confidence"] > 0.6 and result["after_end_ms"] >= 0


def test_other_rates_and_stereo_are_converted(speech, tmp_path, capsys, isolated_home):
    mono = read_wav(speech("next exercise"))
    x = np.interp(np.arange(int(len(mono) * 44100 / 16000)) * 16000 / 44100, np.arange(len(mono)), mono)
    stereo = np.repeat(x.astype(np.int16)[:, None], 2, axis=1)
    path = write_wav(tmp_path / "stereo44k.wav", stereo, rate=44100, channels=2)
    assert main(["hear", str(path)]) == 0
    assert "-> next;" in capsys.readouterr().out


def test_bad_files_are_explained_with_a_non_zero_exit(speech, tmp_path, capsys, isolated_home):
    text = tmp_path / "notes.wav"
    text.write_text("not a sound")
    eight_bit = write_wav(tmp_path / "8bit.wav", np.full(16000, 128, dtype=np.uint8), width=1)
    code = main(["hear", str(tmp_path / "missing.wav"), str(text), str(eight_bit), str(tmp_path), str(speech("stop"))])
    captured = capsys.readouterr()
    assert code == 1
    assert "missing.wav: no such file" in captured.err
    assert "notes.wav: not a WAV sound file" in captured.err
    assert "must be 16-bit PCM" in captured.err
    assert "is a folder" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert "-> stop" in captured.out  # the good file is still heard
