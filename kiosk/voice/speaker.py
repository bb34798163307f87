"""Speech out: one worker thread, a priority queue (safety > reminders > coaching), slow and clear.

"repeat" says the last instruction again; "slower" lowers the rate for the rest of the session;
"louder"/"quieter" change the volume. The default rate and the pause between sentences come from
studies of older listeners (kiosk/voice/tts_text.py). ``RenderedEngine`` speaks sentence by
sentence from a synthesiser (Piper or espeak-ng, kiosk/voice/tts_engines.py) through a sound
sink, taking fixed phrases ready-made from the cache; ``Pyttsx3Engine`` is the plain fallback.
``speaking`` is set while words are coming out, so the listener can ignore everything but "stop"
meanwhile (the kiosk must not obey its own voice).
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import weakref
from collections.abc import Collection, Iterable
from typing import Any, Protocol

import numpy as np

from kiosk.devices.base import PRIORITY_COACHING, PRIORITY_SAFETY
from kiosk.voice.tts_cache import PhraseCache
from kiosk.voice.tts_engines import Audio, Synth, TtsError
from kiosk.voice.tts_sink import AudioSink
from kiosk.voice.tts_text import DEFAULT_RATE_WPM, MIN_RATE_WPM, SENTENCE_PAUSE_MS, cache_key, sentences

log = logging.getLogger(__name__)

MIN_RATE = MIN_RATE_WPM
SLOWER_STEP = 20
VOLUME_STEP = 0.1

_SPEAKERS: weakref.WeakSet = weakref.WeakSet()


def speaking_now() -> bool:
    """Whether any speaker of this process is saying something at this moment."""
    return any(s.speaking.is_set() for s in list(_SPEAKERS))


class SpeechEngine(Protocol):
    """What actually makes sound: speak one text (blocking) at a rate (wpm) and volume (0..1)."""

    def speak(self, text: str, rate: int, volume: float) -> None: ...

    def interrupt(self) -> None:
        """From another thread: end the text being spoken as soon as the engine can (after "stop")."""
        ...

    def close(self) -> None: ...


def voice_for(language: str, voices: Iterable[Any]) -> str | None:
    """The id of the first pyttsx3 voice that speaks ``language`` ("de" -> "gmw/de"), else None."""
    for voice in voices:
        if language in (getattr(voice, "languages", None) or ()) or str(voice.id).split("/")[-1] == language:
            return str(voice.id)
    return None


class Pyttsx3Engine:
    """pyttsx3 (espeak-ng on Linux) in the patient's language; created inside the worker thread that uses it."""

    def __init__(self, language: str = "en") -> None:
        import pyttsx3

        self._engine = pyttsx3.init()
        # espeak-ng keeps its default (English) voice when told an unknown name, silently: choose
        # from the voices it has, and say so when none speaks the language.
        self.voice = voice_for(language, self._engine.getProperty("voices") or ())
        if self.voice is None:
            log.warning("speech out: pyttsx3 has no voice for %r; speaking with its default voice", language)
        else:
            self._engine.setProperty("voice", self.voice)

    def speak(self, text: str, rate: int, volume: float) -> None:
        """Say ``text`` and wait until it has been said."""
        self._engine.setProperty("rate", rate)
        self._engine.setProperty("volume", volume)
        self._engine.say(text)
        self._engine.runAndWait()

    def interrupt(self) -> None:
        """Nothing: pyttsx3's loop must not be driven from another thread; the text runs to its end."""

    def save(self, text: str, path: str, rate: int, volume: float) -> None:
        """Write ``text`` as speech into a WAV file (for checks without a speaker)."""
        self._engine.setProperty("rate", rate)
        self._engine.setProperty("volume", volume)
        self._engine.save_to_file(text, path)
        self._engine.runAndWait()

    def close(self) -> None:
        self._engine.stop()


class RenderedEngine:
    """Speaks sentence by sentence: from the cache when rendered before, else from the synthesiser.

    When the synthesiser fails (a broken Piper voice), the error is logged, kept in ``problem``
    and the fallback (espeak-ng) takes over for good; without a fallback the error goes to the
    speaker, which logs it.
    """

    def __init__(
        self,
        synth: Synth,
        sink: AudioSink,
        cache: PhraseCache | None = None,
        fallback: Synth | None = None,
        fixed: Collection[str] = (),
        pause_ms: int = SENTENCE_PAUSE_MS,
    ) -> None:
        self.synth, self.sink, self.cache, self.fallback = synth, sink, cache, fallback
        self.fixed = set(fixed)
        self.pause_ms = pause_ms
        self.problem = ""
        self._interrupted = threading.Event()

    def render(self, sentence: str, rate: int) -> Audio:
        """The sentence's audio: cached, or synthesised now (and cached when it is a fixed phrase)."""
        key = cache_key(sentence, self.synth.voice, rate)
        if self.cache is not None and (ready := self.cache.get(key)) is not None:
            return ready
        try:
            audio = self.synth.synthesize(sentence, rate)
        except TtsError as exc:
            if self.fallback is None or self.fallback is self.synth:
                raise
            self.problem = f"{exc}; speaking with espeak-ng instead"
            log.error("speech out: %s", self.problem)
            self.synth = self.fallback
            return self.render(sentence, rate)
        if self.cache is not None and sentence in self.fixed:
            try:
                self.cache.put(key, audio)
            except OSError as exc:  # a full disk must not silence the kiosk; it only costs speed
                log.warning("speech cache not written: %s", exc)
        return audio

    def speak(self, text: str, rate: int, volume: float) -> None:
        """Say ``text`` with a pause after each sentence but the last; ``interrupt`` ends it after a sentence."""
        self._interrupted.clear()
        parts = sentences(text)
        for i, sentence in enumerate(parts):
            if self._interrupted.is_set():
                return
            audio = self.render(sentence, rate)
            if i < len(parts) - 1 and self.pause_ms:
                pause = np.zeros(audio.rate * self.pause_ms // 1000, dtype=np.int16)
                audio = Audio(np.concatenate([audio.samples, pause]), audio.rate)
            self.sink.play(audio, volume)

    def interrupt(self) -> None:
        """No further sentence of the text being spoken (the one playing ends first)."""
        self._interrupted.set()

    def close(self) -> None:
        self.sink.close()


class QueuedSpeaker:
    """A Speaker (kiosk.devices.base) that speaks from its own thread in priority order."""

    def __init__(  # noqa: ANN001
        self, engine_factory=Pyttsx3Engine, rate: int = DEFAULT_RATE_WPM, volume: float = 0.9, note: str = "pyttsx3"
    ) -> None:
        self.rate = rate
        self.volume = volume
        self.note = note  # which voice speaks, for the status screen
        self.speaking = threading.Event()
        self.last_instruction = ""
        self.spoken: list[tuple[int, str]] = []
        self._queue: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()
        self._factory = engine_factory
        self._ready = threading.Event()
        self._error: Exception | None = None
        self._engine: SpeechEngine | None = None
        self._current = PRIORITY_COACHING  # priority of the text being spoken
        self._thread = threading.Thread(target=self._run, name="speaker", daemon=True)
        self._thread.start()
        _SPEAKERS.add(self)
        self._ready.wait(timeout=10)
        if self._error is not None:
            raise self._error

    def say(self, text: str, priority: int = PRIORITY_COACHING) -> None:
        """Queue ``text``; higher priority goes first, equal priorities in order."""
        if priority < PRIORITY_SAFETY:
            self.last_instruction = text
        self._queue.put((-priority, next(self._order), text))

    def repeat(self) -> None:
        """Say the last instruction again."""
        if self.last_instruction:
            self.say(self.last_instruction)

    def slower(self) -> int:
        """Lower the rate for the rest of the session; returns the new rate."""
        self.rate = max(MIN_RATE, self.rate - SLOWER_STEP)
        return self.rate

    def louder(self) -> float:
        """Raise the volume a step (up to 1)."""
        self.volume = min(1.0, round(self.volume + VOLUME_STEP, 2))
        return self.volume

    def quieter(self) -> float:
        """Lower the volume a step (never to silence: reminders must be heard)."""
        self.volume = max(0.3, round(self.volume - VOLUME_STEP, 2))
        return self.volume

    def drop_coaching(self) -> int:
        """Forget queued coaching (after "stop") and end coaching being spoken after its sentence.

        Safety and reminder speech stays. Returns how many queued texts were dropped.
        """
        engine = self._engine
        if engine is not None and self.speaking.is_set() and self._current <= PRIORITY_COACHING:
            engine.interrupt()
        kept, dropped = [], 0
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if not isinstance(item[2], str) or -item[0] > PRIORITY_COACHING:  # wait_idle markers stay
                kept.append(item)
            else:
                dropped += 1
        for item in kept:
            self._queue.put(item)
        return dropped

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued has been said (for tests and the CLI)."""
        done = threading.Event()
        self._queue.put((10**9, next(self._order), done))
        return done.wait(timeout)

    def _run(self) -> None:
        try:
            engine = self._factory()
        except Exception as exc:  # noqa: BLE001 - any engine start failure is reported to the caller
            self._error = RuntimeError(f"speech output could not start: {exc}")
            self._ready.set()
            return
        self._engine = engine
        self._ready.set()
        while True:
            neg_priority, _, text = self._queue.get()
            if text is None:
                break
            if isinstance(text, threading.Event):
                text.set()
                continue
            self._current = -neg_priority
            self.speaking.set()
            try:
                engine.speak(text, self.rate, self.volume)
                self.spoken.append((-neg_priority, text))
            except RuntimeError as exc:
                log.warning("speech failed: %s", exc)
            finally:
                self.speaking.clear()
        engine.close()

    def close(self) -> None:
        """Stop the worker after what is being said now (idempotent)."""
        if self._thread.is_alive():
            self._queue.put((-(10**9), next(self._order), None))
            self._thread.join(timeout=5)
