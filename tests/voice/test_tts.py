"""Speech out, sentence by sentence: rate, pauses, the phrase cache, Piper/espeak-ng choice and fallback."""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil

import numpy as np
import pytest

from kiosk.voice.speaker import QueuedSpeaker, RenderedEngine
from kiosk.voice.tts_cache import PhraseCache, prerender
from kiosk.voice.tts_engines import Audio, EspeakSynth, TtsError, measured_wpm, open_synth
from kiosk.voice.tts_sink import RecordingSink, scaled
from kiosk.voice.tts_text import DEFAULT_RATE_WPM, cache_key, fixed_sentences, sentences

needs_espeak = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng is not installed")
needs_piper = pytest.mark.skipif(importlib.util.find_spec("piper") is None, reason="piper-tts is not installed")


class FakeSynth:
    """One second of a tone per sentence; counts calls; can be told to fail."""

    def __init__(self, voice: str = "fake", fail: bool = False) -> None:
        self.voice, self.fail, self.calls = voice, fail, []

    def synthesize(self, sentence: str, rate_wpm: int) -> Audio:
        self.calls.append((sentence, rate_wpm))
        if self.fail:
            raise TtsError("voice file is broken")
        return Audio(np.full(16000, 1000, dtype=np.int16), 16000)


def test_sentences_and_the_fixed_phrases():
    assert sentences("Thank you. Your drops are noted.  Well done!") == [
        "Thank you.",
        "Your drops are noted.",
        "Well done!",
    ]
    fixed = fixed_sentences({"a": "Thank you. Relax.", "b": "Put them in your {eye}.", "c": "Relax."})
    assert fixed == ["Thank you.", "Relax."], "placeholders are filled at run time; each sentence once"


def test_the_cache_key_changes_with_text_voice_and_rate():
    keys = {cache_key("Relax.", "espeak-ng:en", 150), cache_key("Relax.", "piper:x", 150)}
    keys |= {cache_key("Relax.", "espeak-ng:en", 130), cache_key("Relax!", "espeak-ng:en", 150)}
    assert len(keys) == 4


def test_the_default_rate_is_the_one_from_the_literature():
    from kiosk.settings import Settings

    assert DEFAULT_RATE_WPM == Settings().voice.speech_rate_wpm == 150


def test_a_pause_follows_every_sentence_but_the_last_and_volume_is_applied():
    sink = RecordingSink()
    RenderedEngine(FakeSynth(), sink, pause_ms=500).speak("One. Two. Three.", 150, 0.5)
    lengths = [len(a.samples) for _, a, _ in sink.played]
    assert lengths == [16000 + 8000, 16000 + 8000, 16000]
    assert {v for _, _, v in sink.played} == {0.5}
    assert int(sink.joined().samples.max()) == 500


def test_fixed_phrases_are_kept_on_first_use_and_then_not_synthesised_again(tmp_path):
    synth, cache = FakeSynth(), PhraseCache(tmp_path)
    engine = RenderedEngine(synth, RecordingSink(), cache, fixed=["Relax."])
    engine.speak("Relax. It is 10:15.", 150, 0.9)
    engine.speak("Relax. It is 10:16.", 150, 0.9)
    assert [s for s, _ in synth.calls] == ["Relax.", "It is 10:15.", "It is 10:16."]
    assert cache.keys() == {cache_key("Relax.", "fake", 150)}, "sentences with changing values are not stored"
    engine.speak("Relax.", 130, 0.9)
    assert synth.calls[-1] == ("Relax.", 130), "another rate is another recording"


def test_prerender_renders_only_what_is_missing(tmp_path):
    synth, cache = FakeSynth(), PhraseCache(tmp_path)
    first = prerender(synth, ["A.", "B."], [150, 130], cache)
    again = prerender(synth, ["A.", "B.", "C."], [150, 130], cache)
    assert (first.rendered, first.already) == (4, 0)
    assert (again.rendered, again.already) == (2, 4)
    assert first.audio_seconds == 4.0 and first.real_time_factor < 1


def test_a_damaged_cache_file_is_rendered_again(tmp_path):
    synth, cache = FakeSynth(), PhraseCache(tmp_path)
    (tmp_path / f"{cache_key('Relax.', 'fake', 150)}.wav").write_bytes(b"RIFF broken")
    RenderedEngine(synth, RecordingSink(), cache, fixed=["Relax."]).speak("Relax.", 150, 0.9)
    assert synth.calls == [("Relax.", 150)]
    assert cache.get(cache_key("Relax.", "fake", 150)) is not None


def test_a_failing_voice_falls_back_to_espeak_and_says_why(caplog):
    broken, espeak = FakeSynth("piper:broken", fail=True), FakeSynth("espeak-ng:en")
    sink = RecordingSink()
    engine = RenderedEngine(broken, sink, fallback=espeak)
    with caplog.at_level(logging.ERROR):
        engine.speak("Stop. Relax.", 150, 0.9)
    assert len(sink.played) == 2 and [s for s, _ in espeak.calls] == ["Stop.", "Relax."]
    assert len(broken.calls) == 1, "the broken voice is not tried again for every sentence"
    assert "voice file is broken" in engine.problem and "voice file is broken" in caplog.text


def test_without_a_fallback_the_speaker_logs_and_goes_on(caplog):
    engine = RenderedEngine(FakeSynth(fail=True), RecordingSink())
    speaker = QueuedSpeaker(lambda: engine, 150, 0.9, "fake")
    with caplog.at_level(logging.WARNING):
        speaker.say("Relax.")
        assert speaker.wait_idle()
    assert "speech failed: voice file is broken" in caplog.text
    engine.synth = FakeSynth()
    speaker.say("Breathe in.")
    assert speaker.wait_idle()
    assert speaker.spoken == [(0, "Breathe in.")]
    speaker.close()


def test_volume_scaling_clips_instead_of_wrapping():
    loud = Audio(np.array([30000, -30000, 100], dtype=np.int16), 16000)
    assert scaled(loud, 1.0).tolist() == [30000, -30000, 100]
    assert scaled(loud, 0.5).tolist() == [15000, -15000, 50]


@needs_espeak
def test_espeak_speaks_at_the_rate_asked_in_words_a_minute():
    synth = EspeakSynth("en")
    assert 0.9 * 110 < measured_wpm(synth, "en", 110) < 1.1 * 110, "calibrated at 150, still right at 110"
    slow = synth.synthesize("Close your eyes gently and hold them closed.", 110).speech_seconds
    fast = synth.synthesize("Close your eyes gently and hold them closed.", 150).speech_seconds
    assert slow > 1.2 * fast


@needs_espeak
def test_the_choice_of_voice(tmp_path):
    assert open_synth("espeak", "en", folder=str(tmp_path)).note == "espeak-ng"
    auto = open_synth("auto", "en", folder=str(tmp_path))
    assert isinstance(auto.synth, EspeakSynth) and not auto.fell_back, "no voice installed is the normal case"
    asked = open_synth("piper", "de", folder=str(tmp_path))
    assert isinstance(asked.synth, EspeakSynth) and asked.fell_back and asked.synth.language == "de"
    assert "no Piper voice for 'de'" in asked.note or "piper-tts package is not installed" in asked.note


@needs_espeak
@needs_piper
def test_a_broken_piper_voice_file_gives_espeak_with_the_reason(tmp_path):
    (tmp_path / "en_US-broken-medium.onnx").write_bytes(b"not a model")
    (tmp_path / "en_US-broken-medium.onnx.json").write_text("{}")
    choice = open_synth("auto", "en", folder=str(tmp_path))
    assert isinstance(choice.synth, EspeakSynth) and choice.fell_back
    assert "en_US-broken-medium.onnx does not load" in choice.note


@needs_piper
@pytest.mark.skipif(not os.environ.get("FACECOACH_PIPER_VOICE"), reason="set FACECOACH_PIPER_VOICE to a voice file")
def test_a_real_piper_voice_speaks_at_the_rate_asked():
    from kiosk.voice.tts_engines import PiperSynth

    synth = PiperSynth(os.environ["FACECOACH_PIPER_VOICE"], "en")
    assert 0.9 * 120 < measured_wpm(synth, "en", 120) < 1.1 * 120


@needs_espeak
def test_rendered_speech_is_understood_by_the_recognizer(tmp_path, table, sphinx):
    from kiosk.voice.audio import read_wav
    from kiosk.voice.recognizer import decide, decode

    sink = RecordingSink()
    RenderedEngine(EspeakSynth("en"), sink).speak("I took my drops", DEFAULT_RATE_WPM, 0.9)
    out = tmp_path / "said.wav"
    out.write_bytes(sink.joined().to_wav())
    heard = decode(sphinx, read_wav(out))
    assert decide(table, heard, sphinx.engine, 0.6).intent_id == "drops_taken"


@needs_espeak
def test_prerender_command_fills_the_cache_once(tmp_path, capsys, isolated_home):
    from kiosk.cli import main

    config = tmp_path / "s.toml"
    config.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n[voice]\ntts = "espeak"\n')
    assert main(["speech", "--config", str(config), "prerender"]) == 0
    first = capsys.readouterr().out
    n = len(fixed_sentences(__import__("content.i18n", fromlist=["phrases"]).phrases("en")))
    assert f"{2 * n} sentences rendered, 0 already there." in first and "rates 150, 130" in first
    assert len(list((tmp_path / "data" / "speech").glob("*.wav"))) == 2 * n
    assert main(["speech", "--config", str(config), "prerender"]) == 0
    assert f"0 sentences rendered, {2 * n} already there." in capsys.readouterr().out
    wav = tmp_path / "said.wav"
    assert main(["speech", "--config", str(config), "say", "Relax. Breathe out.", "--wav", str(wav)]) == 0
    assert Audio.from_wav(wav.read_bytes()).speech_seconds > 1.0


@needs_espeak
def test_the_kiosk_speaker_uses_the_rendered_engine_when_there_is_sound(tmp_path):
    from kiosk.settings import Settings, with_overrides
    from kiosk.voice.tts_open import engine_factory

    sink = RecordingSink()
    settings = with_overrides(Settings(), storage={"data_dir": str(tmp_path)}, voice={"tts": "espeak"})
    factory, note = engine_factory(settings, sink_factory=lambda: sink, folder=str(tmp_path))
    speaker = QueuedSpeaker(factory, 150, 0.9, note)
    speaker.say("Thank you. That is noted.")
    assert speaker.wait_idle()
    speaker.close()
    assert note == "espeak-ng" and len(sink.played) == 2 and sink.closed
    assert len(list((tmp_path / "speech").glob("*.wav"))) == 2, "both fixed sentences kept for next time"


def test_without_a_sound_output_the_old_pyttsx3_path_stays(tmp_path):
    from kiosk.settings import Settings, with_overrides
    from kiosk.voice.speaker import Pyttsx3Engine
    from kiosk.voice.tts_open import engine_factory

    def no_sound():
        raise TtsError("no sound output: no default device")

    settings = with_overrides(Settings(), storage={"data_dir": str(tmp_path)}, display={"language": "de"})
    factory, note = engine_factory(settings, sink_factory=no_sound, folder=str(tmp_path))
    assert note == "pyttsx3 (no sound output: no default device)"
    engine = factory()
    try:
        assert isinstance(engine, Pyttsx3Engine) and engine.voice is not None and engine.voice.endswith("de")
    finally:
        engine.close()


@needs_espeak
@needs_piper
def test_selftest_names_the_voice_and_a_broken_piper_voice(tmp_path):
    from kiosk.selftest import check_speech_out
    from kiosk.settings import Settings, with_overrides

    assert check_speech_out(with_overrides(Settings(), voice={"tts": "espeak"})).detail == "espeak-ng"
    broken = tmp_path / "en_US-broken-medium.onnx"
    broken.write_bytes(b"not a model")
    (tmp_path / "en_US-broken-medium.onnx.json").write_text("{}")
    row = check_speech_out(with_overrides(Settings(), voice={"tts": "piper", "piper_voice": str(broken)}))
    assert row.state == "found" and "does not load" in row.detail and "docs/voice.md" in row.hint
