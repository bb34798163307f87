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
    assert "ms after the last word" in lines[0]
    assert len(lines) == 2  # one line per file: the decision that counts


def test_hear_json(speech, capsys, isolated_home):
    from kiosk.voice.vad import FRAME, active_frames

    assert main(["hear", "--json", str(speech("stop"))]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["intent"] == "stop" and result["engine"] == "pocketsphinx" and result["early"]
    word_end = (active_frames(read_wav(speech("stop"))).nonzero()[0].max() + 1) * FRAME / 16000
    assert result["confidence"] > 0.6 and 0 < result["heard_at_s"] - word_end <= 0.2  # audio waited
    assert result["after_end_ms"] > 0  # the same wait plus computing time (varies with the machine's load)
    assert result["telephone_band"] is False


def test_each_file_is_heard_on_its_own(speech, capsys, isolated_home):
    alone, after = speech("next", "en-gb", 140), speech("the weather is cold today")
    main(["hear", "--json", str(alone)])
    first = json.loads(capsys.readouterr().out)[0]
    main(["hear", "--json", str(after), str(alone), str(after), str(alone)])
    results = json.loads(capsys.readouterr().out)
    for again in (results[1], results[3]):
        assert (again["transcript"], again["intent"], again["confidence"]) == (
            first["transcript"],
            first["intent"],
            first["confidence"],
        )


def test_yes_and_no_count_only_when_the_kiosk_asked(speech, capsys, isolated_home):
    main(["hear", "--json", str(speech("yes"))])
    (unasked,) = json.loads(capsys.readouterr().out)
    assert unasked["intent"] is None and unasked["reason"] == "not asked" and unasked["transcript"] == "yes"
    main(["hear", "--json", "--asked", "yes,no", str(speech("yes"))])
    assert json.loads(capsys.readouterr().out)[0]["intent"] == "yes"


def test_an_answer_the_kiosk_never_asks_for_is_named(speech, capsys, isolated_home):
    assert main(["hear", "--asked", "yes,maybe", str(speech("yes"))]) == 2
    out, err = capsys.readouterr()
    assert "--asked: 'maybe' is not an answer the kiosk asks for; the answers are: blurred," in err
    assert "heard" not in out  # nothing was heard with a question the kiosk cannot ask


def test_telephone_band_audio_is_reported(speech, tmp_path, capsys, isolated_home):
    from kiosk.voice.audio import resample

    narrow = write_wav(tmp_path / "phone.wav", resample(read_wav(speech("help")), 16000, 8000), rate=8000)
    assert main(["hear", str(narrow)]) == 0
    assert "telephone-band audio (8 kHz or less)" in capsys.readouterr().out


def test_other_rates_and_stereo_are_converted(speech, tmp_path, capsys, isolated_home):
    mono = read_wav(speech("next exercise"))
    x = np.interp(np.arange(int(len(mono) * 44100 / 16000)) * 16000 / 44100, np.arange(len(mono)), mono)
    stereo = np.repeat(x.astype(np.int16)[:, None], 2, axis=1)
    path = write_wav(tmp_path / "stereo44k.wav", stereo, rate=44100, channels=2)
    assert main(["hear", str(path)]) == 0
    assert "-> next;" in capsys.readouterr().out


def test_bad_files_are_explained_with_a_non_zero_exit(speech, tmp_path, capsys, isolated_home):
    text = tmp_path / "notes.wav"
    text.write_text("these are my notes, not a sound")
    short = tmp_path / "short.wav"
    short.write_text("hi")
    eight_bit = write_wav(tmp_path / "8bit.wav", np.full(16000, 128, dtype=np.uint8), width=1)
    code = main(
        [
            "hear",
            str(tmp_path / "missing.wav"),
            str(text),
            str(short),
            str(eight_bit),
            str(tmp_path),
            str(speech("stop")),
        ]
    )
    captured = capsys.readouterr()
    assert code == 1
    assert "missing.wav: no such file" in captured.err
    assert "notes.wav: not a WAV sound file we can read (it does not start with a RIFF WAVE header)" in captured.err
    assert "short.wav: not a WAV sound file we can read (it ends before a WAV header is complete)" in captured.err
    assert "()" not in captured.err
    assert "8bit.wav: heard (nothing)" in captured.out  # arecord's default 8-bit file is heard (was refused)
    assert "is a folder" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert "-> stop" in captured.out  # the good file is still heard
