"""Speech out: priority order in its own thread, repeat, slower, volume; the real engine writes speech."""

from __future__ import annotations

import threading

from kiosk.devices.base import PRIORITY_COACHING, PRIORITY_REMINDER, PRIORITY_SAFETY
from kiosk.voice.speaker import MIN_RATE, Pyttsx3Engine, QueuedSpeaker, speaking_now, voice_for


class GatedEngine:
    """Speaks instantly, except that the first text waits until the test opens the gate."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()
        self.said: list[tuple[str, int, float]] = []
        self.closed = False
        self.interrupted = 0

    def speak(self, text: str, rate: int, volume: float) -> None:
        if not self.said:
            self.started.set()
            self.gate.wait(5)
        self.said.append((text, rate, volume))

    def interrupt(self) -> None:
        self.interrupted += 1

    def close(self) -> None:
        self.closed = True


def make():
    engine = GatedEngine()
    speaker = QueuedSpeaker(engine_factory=lambda: engine, rate=130, volume=0.9)
    return speaker, engine


def test_safety_before_reminders_before_coaching_and_fifo_within_a_priority():
    speaker, engine = make()
    speaker.say("Lift your brows.")
    assert engine.started.wait(5)
    assert speaking_now()
    speaker.say("Now smile gently.", PRIORITY_COACHING)
    speaker.say("Relax.", PRIORITY_COACHING)
    speaker.say("Time for your eye drops.", PRIORITY_REMINDER)
    speaker.say("Stimulation stopped.", PRIORITY_SAFETY)
    engine.gate.set()
    assert speaker.wait_idle()
    assert [t for t, _, _ in engine.said] == [
        "Lift your brows.",
        "Stimulation stopped.",
        "Time for your eye drops.",
        "Now smile gently.",
        "Relax.",
    ]
    assert not speaking_now()
    speaker.close()
    assert engine.closed


def test_repeat_says_the_last_instruction_not_the_safety_message():
    speaker, engine = make()
    engine.gate.set()
    speaker.say("Close your eyes gently.")
    speaker.say("Stimulation stopped.", PRIORITY_SAFETY)
    speaker.repeat()
    assert speaker.wait_idle()
    assert [t for t, _, _ in engine.said][-1] == "Close your eyes gently."
    speaker.close()


def test_slower_lasts_for_the_session_and_has_a_floor():
    speaker, engine = make()
    engine.gate.set()
    assert speaker.slower() == 110
    speaker.say("One.")
    speaker.say("Two.")
    assert speaker.wait_idle()
    assert [r for _, r, _ in engine.said] == [110, 110]
    for _ in range(10):
        speaker.slower()
    assert speaker.rate == MIN_RATE
    speaker.close()


def test_louder_and_quieter_stay_audible():
    speaker, engine = make()
    engine.gate.set()
    assert speaker.louder() == 1.0
    assert speaker.louder() == 1.0
    for _ in range(20):
        speaker.quieter()
    assert speaker.volume == 0.3
    speaker.say("Hello.")
    assert speaker.wait_idle()
    assert engine.said[-1][2] == 0.3
    speaker.close()


def test_stop_drops_queued_coaching_but_keeps_reminders():
    speaker, engine = make()
    speaker.say("First.")
    assert engine.started.wait(5)
    speaker.say("Second.")
    speaker.say("Third.")
    speaker.say("Eye drops now.", PRIORITY_REMINDER)
    assert speaker.drop_coaching() == 2
    assert engine.interrupted == 1, "the coaching being spoken is ended too"
    engine.gate.set()
    assert speaker.wait_idle()
    assert [t for t, _, _ in engine.said] == ["First.", "Eye drops now."]
    speaker.close()


def test_stop_during_a_reminder_does_not_cut_the_reminder():
    speaker, engine = make()
    speaker.say("Time for your eye drops.", PRIORITY_REMINDER)
    assert engine.started.wait(5)
    speaker.drop_coaching()
    engine.gate.set()
    assert speaker.wait_idle()
    assert engine.interrupted == 0
    speaker.close()


def test_stop_ends_rendered_coaching_after_the_sentence_being_played():
    import numpy as np

    from kiosk.voice.speaker import RenderedEngine
    from kiosk.voice.tts_engines import Audio
    from kiosk.voice.tts_sink import RecordingSink

    class SlowSink(RecordingSink):
        def __init__(self) -> None:
            super().__init__()
            self.playing, self.go_on = threading.Event(), threading.Event()

        def play(self, audio, volume):  # noqa: ANN001
            super().play(audio, volume)
            self.playing.set()
            self.go_on.wait(5)

    class Tone:
        voice = "tone"

        def synthesize(self, sentence, rate_wpm):  # noqa: ANN001
            return Audio(np.ones(160, dtype=np.int16), 16000)

    sink = SlowSink()
    speaker = QueuedSpeaker(lambda: RenderedEngine(Tone(), sink), 150, 0.9)
    speaker.say("Lift your brows. Hold. Hold a little more. Relax.")
    assert sink.playing.wait(5)
    speaker.drop_coaching()
    sink.go_on.set()
    assert speaker.wait_idle()
    assert len(sink.played) == 1, "no further sentence after stop"
    speaker.close()


def test_an_engine_that_cannot_start_is_reported():
    def broken():
        raise OSError("no espeak")

    try:
        QueuedSpeaker(engine_factory=broken)
    except RuntimeError as exc:
        assert "no espeak" in str(exc)
    else:
        raise AssertionError("a broken engine must be reported")


def test_the_real_engine_speaks_words_the_recognizer_understands(tmp_path, table, sphinx):
    from kiosk.voice.audio import read_wav
    from kiosk.voice.recognizer import decide, decode

    engine = Pyttsx3Engine()
    out = tmp_path / "said.wav"
    engine.save("I took my drops", str(out), 130, 0.9)
    engine.close()
    heard = decode(sphinx, read_wav(out))
    assert decide(table, heard, sphinx.engine, 0.6).intent_id == "drops_taken"


def test_the_pyttsx3_fallback_chooses_the_voice_of_the_language(tmp_path):
    from types import SimpleNamespace as Voice

    voices = [Voice(id="gmw/en", languages=["en"]), Voice(id="gmw/de", languages=["de"]), Voice(id="roa/fr")]
    assert voice_for("de", voices) == "gmw/de" and voice_for("fr", voices) == "roa/fr"
    assert voice_for("xx", voices) is None  # then espeak-ng's default voice, with a warning in the log
    # the real engine: German words in the German voice sound different from the English voice's
    said = {}
    for language in ("en", "de"):
        engine = Pyttsx3Engine(language)
        said[language] = tmp_path / f"{language}.wav"
        engine.save("Bitte schließen Sie jetzt die Augen.", str(said[language]), 150, 0.9)
        engine.close()
        assert engine.voice is not None and engine.voice.endswith(language)
    assert said["en"].read_bytes() != said["de"].read_bytes()
