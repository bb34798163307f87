"""Listening as the kiosk does: endpointing for slow speech, "stop" spotted early, muting, push-to-talk."""

from __future__ import annotations

import queue
import time

import numpy as np
import pytest

from kiosk.events import DeviceStatus, EventQueue, VoiceCommand
from kiosk.voice.audio import read_wav
from kiosk.voice.capture import MicCapture
from kiosk.voice.listener import PushToTalk, VoiceListener
from kiosk.voice.pipeline import Pipeline
from kiosk.voice.vad import FRAME, Endpointer, active_frames, frames_of


def tone(ms: int, level: float) -> list[np.ndarray]:
    t = np.arange(ms * 16) / 16000
    return frames_of((np.sin(2 * np.pi * 220 * t) * level * 1.414).astype(np.int16))


def quiet(ms: int, level: float = 20.0) -> np.ndarray:
    return np.random.default_rng(ms).normal(0, level, ms * 16).astype(np.int16)


def test_a_slow_speaker_pausing_mid_command_is_one_utterance():
    ep = Endpointer(end_silence_ms=900)
    frames = tone(500, 3000) + frames_of(quiet(600)) + tone(300, 3000) + frames_of(quiet(1200))
    events = [(i, ep.push(f)[0]) for i, f in enumerate(frames)]
    marks = [(i, e) for i, e in events if e]
    assert [e for _, e in marks] == ["start", "end"]
    last_loud = (500 + 600 + 300) // 10 - 1
    assert marks[1][0] - last_loud == 90  # ended exactly end_silence_ms after the last loud frame


def test_steady_background_noise_is_not_speech():
    ep = Endpointer()
    assert not any(ep.push(f)[0] for f in frames_of(quiet(3000, level=400)))


def test_active_frames_ignore_the_noise_floor():
    samples = np.concatenate([quiet(500, 300), np.concatenate(tone(300, 4000)), quiet(500, 300)])
    loud = active_frames(samples)
    assert 25 <= loud.sum() <= 35


def stream(pipeline, samples):
    heard = []
    for frame in frames_of(samples):
        heard.extend(pipeline.push(frame))
    return heard


def test_stop_is_decided_within_300_ms_of_the_end_of_the_word(speech, sphinx, table):
    samples = np.concatenate([read_wav(speech("stop")), quiet(1500)])
    word_end = np.nonzero(active_frames(samples))[0].max() * FRAME / 16000
    heard = stream(Pipeline(sphinx, table, end_silence_ms=900), samples)
    assert heard and heard[0].decision.intent_id == "stop" and heard[0].early
    assert heard[0].at_audio_s - word_end <= 0.3
    assert len([h for h in heard if h.decision.intent_id == "stop"]) == 1  # not twice


def test_while_the_kiosk_speaks_only_safety_commands_count(speech, sphinx, table):
    pipeline = Pipeline(sphinx, table, muted=lambda: True)
    nxt = stream(pipeline, np.concatenate([read_wav(speech("next exercise")), quiet(1500)]))
    assert [h.decision.reason for h in nxt] == ["kiosk was speaking"]
    stop = stream(pipeline, np.concatenate([read_wav(speech("stop")), quiet(1500)]))
    assert stop[0].decision.intent_id == "stop"


class FrameSource:
    """Stands in for the microphone: frames of real speech, put on the queue by the test."""

    def __init__(self) -> None:
        self.frames: queue.Queue = queue.Queue()
        self.closed = False

    def start(self) -> None:
        pass

    def play(self, samples: np.ndarray) -> None:
        for frame in frames_of(samples):
            self.frames.put(frame)

    def close(self) -> None:
        self.closed = True


def wait_for(events: EventQueue, n: int, timeout: float = 20.0) -> list:
    got: list = []
    deadline = time.monotonic() + timeout
    while len(got) < n and time.monotonic() < deadline:
        got += [e for e in events.drain() if isinstance(e, VoiceCommand)]
        time.sleep(0.05)
    return got


def test_the_listener_thread_puts_voice_commands_on_the_queue(speech, sphinx, table):
    source = FrameSource()
    listener = VoiceListener(Pipeline(sphinx, table), source=source)
    events = EventQueue()
    listener.start(events)
    source.play(np.concatenate([read_wav(speech("i took my drops")), quiet(1500)]))
    commands = wait_for(events, 1)
    listener.close()
    assert [(c.intent, c.engine) for c in commands] == [("drops_taken", "pocketsphinx")]
    assert source.closed


def test_push_to_talk_gates_everything_but_stop(speech, sphinx, table):
    from gpiozero.pins.mock import MockFactory

    factory = MockFactory()
    ptt = PushToTalk(5, pin_factory=factory)
    source = FrameSource()
    listener = VoiceListener(Pipeline(sphinx, table), source=source, push_to_talk=ptt)
    events = EventQueue()
    listener.start(events)
    source.play(np.concatenate([read_wav(speech("next exercise")), quiet(1500)]))
    source.play(np.concatenate([read_wav(speech("stop")), quiet(1500)]))
    assert [c.intent for c in wait_for(events, 1)] == ["stop"]
    assert wait_for(events, 1, timeout=1.0) == []  # "next exercise" was heard but not passed on
    assert "next" in [h.decision.intent_id for h in listener.heard]
    factory.pin(5).drive_low()  # pressed (the button pulls the pin low)
    source.play(np.concatenate([read_wav(speech("next exercise")), quiet(1500)]))
    assert [c.intent for c in wait_for(events, 1)] == ["next"]
    listener.close()


def test_a_missing_microphone_is_reported_and_retried():
    states: list[tuple[str, str]] = []
    mic = MicCapture(lambda s, d: states.append((s, d)), retry_s=0.05)
    mic.start()
    deadline = time.monotonic() + 10
    while mic.attempts < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    mic.close()
    if states and states[0][0] == "found":
        pytest.skip("this machine has a microphone")
    assert states[0][0] == "missing"
    assert len(states) == 1  # reported once, not every retry
    assert mic.attempts >= 3


def test_a_missing_microphone_becomes_a_device_status_event(sphinx, table):
    listener = VoiceListener(Pipeline(sphinx, table))  # the real sounddevice capture
    events = EventQueue()
    listener.start(events)
    deadline = time.monotonic() + 10
    statuses: list = []
    while not statuses and time.monotonic() < deadline:
        statuses = [e for e in events.drain() if isinstance(e, DeviceStatus)]
        time.sleep(0.05)
    listener.close()
    if statuses and statuses[0].state == "found":
        pytest.skip("this machine has a microphone")
    assert statuses[0].device == "microphone" and statuses[0].state == "missing"
    assert "touch" in statuses[0].hint


def test_one_loud_frame_in_steady_noise_does_not_restart_the_silence_count():
    ep = Endpointer(end_silence_ms=900)
    frames = frames_of(quiet(300)) + tone(400, 3000)
    rng = np.random.default_rng(3)
    after = frames_of(quiet(1500, 20.0))
    for i in range(5, len(after), 20):  # a 10 ms click every 200 ms, as loud as the speech
        after[i] = tone(10, 3000)[0] + rng.normal(0, 1, FRAME).astype(np.int16)
    events = [ep.push(f)[0] for f in frames + after]
    end = events.index("end")
    assert end - (len(frames) - 1) <= 90 + 2  # ended about end_silence_ms after the speech, clicks or not


def test_a_reverb_tail_is_forgiven_but_new_speech_is_not():
    from kiosk.voice.sphinx import reverb_tail

    word = [3000.0] * 30
    decaying = [3000.0 * 0.9**k for k in range(1, 40)]
    levels = np.array(word + decaying + [3000.0] * 20)  # echo, then a new loud word
    tail = reverb_tail(levels, last_word_end=29)
    assert tail[30 : 30 + len(decaying)].all()
    assert not tail[30 + len(decaying) :].any()


def test_resampling_keeps_speech_band_and_removes_what_would_fold_back():
    from kiosk.voice.audio import resample

    t = np.arange(44100) / 44100
    inside = (np.sin(2 * np.pi * 1000 * t) * 8000).astype(np.int16)
    outside = (np.sin(2 * np.pi * 12000 * t) * 8000).astype(np.int16)  # above 8 kHz: would alias to 4 kHz
    rms = lambda x: float(np.sqrt((x[2000:-2000].astype(np.float64) ** 2).mean()))  # noqa: E731
    assert rms(resample(inside, 44100)) > 0.9 * rms(inside)
    assert rms(resample(outside, 44100)) < 0.02 * rms(outside)


def test_a_complete_unambiguous_command_ends_quickly_and_the_stopwatch_is_not_a_stop(speech, sphinx, table):
    from kiosk.voice.evaluate import hear_utterance

    pipeline = Pipeline(sphinx, table)
    drops = hear_utterance(pipeline, read_wav(speech("i took my drops")))
    assert drops.intent_id == "drops_taken" and drops.counted.at_audio_s - drops.speech_end_s < 0.5
    for voice, rate in (("en-us", 120), ("en-gb", 140), ("en-us+f3", 100)):
        for text in ("the stopwatch is broken", "start session"):
            outcome = hear_utterance(pipeline, read_wav(speech(text, voice, rate)))
            assert "stop" not in [h.decision.intent_id for h in outcome.heard], (text, voice)


class CountingRecognizer:
    """The real pocketsphinx recognizer, counting which passes the pipeline asks for."""

    def __init__(self, inner) -> None:
        self.inner, self.engine, self.calls = inner, inner.engine, []

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name in ("ahead", "finish", "drop", "so_far"):

            def counted(*args, **kwargs):
                self.calls.append(name)
                return attr(*args, **kwargs)

            return counted
        return attr


def test_the_final_pass_of_a_complete_command_is_taken_ahead_in_its_quiet(speech, sphinx, table):
    from kiosk.voice.evaluate import hear_utterance

    spy = CountingRecognizer(sphinx)
    outcome = hear_utterance(Pipeline(spy, table), read_wav(speech("i took my drops")))
    assert outcome.intent_id == "drops_taken"
    assert spy.calls == ["ahead", "drop"]  # decided by the pass taken ahead; no second final pass
    (heard,) = [h for h in outcome.heard if h.decision.intent_id]
    quiet_waited_ms = (heard.at_audio_s - outcome.speech_end_s) * 1000
    assert 250 <= quiet_waited_ms < 400  # still waits QUICK_END_MS of quiet before acting


def test_speech_going_on_after_the_pass_taken_ahead_is_decided_whole(speech, sphinx, table):
    from kiosk.voice.evaluate import hear_utterance
    from kiosk.voice.pipeline import AHEAD_MS

    def trimmed(samples: np.ndarray) -> np.ndarray:
        loud = np.nonzero(active_frames(samples))[0]
        return samples[loud[0] * FRAME : (loud[-1] + 1) * FRAME]

    gap_ms = AHEAD_MS + 20  # the pass is taken, then speech comes back before QUICK_END_MS of quiet
    first, then = trimmed(read_wav(speech("i took my drops"))), trimmed(read_wav(speech("yesterday at the old house")))
    spy = CountingRecognizer(sphinx)
    outcome = hear_utterance(Pipeline(spy, table), np.concatenate([first, quiet(gap_ms), then]))
    assert spy.calls[0] == "ahead" and "finish" in spy.calls and spy.calls[1] != "drop", spy.calls
    assert outcome.intent_id != "drops_taken", outcome.heard
