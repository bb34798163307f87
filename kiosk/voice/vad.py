"""End-of-speech detection, tuned for slow speech: which frames are speech, and when an utterance ends.

Whether a frame is speech comes from an energy detector with an adaptive noise floor, or from a
``SpeechDetector`` (a voice-activity model, kiosk/voice/vad_silero.py) when one is given.
Frames are 10 ms of 16 kHz 16-bit mono (160 samples), the frame size pocketsphinx uses, so frame
counts line up with the recognizer's word timings. Speech starts after ``start_ms`` of loud
frames and ends after ``end_silence_ms`` of quiet ones, so the pauses of a tired or slow
speaker ("I took ... my drops") do not cut a command in two.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

RATE = 16000
FRAME = 160  # 10 ms
FRAME_MS = 10
FLOOR_WINDOW_MS = 1000
CALIBRATION_FRAMES = 10  # the first 100 ms heard set the floor (the kiosk listens before anyone speaks)


def frame_energy(frame: np.ndarray) -> float:
    """Root-mean-square level of one frame (int16 units)."""
    x = frame.astype(np.float64)
    return float(np.sqrt((x * x).mean())) if len(x) else 0.0


def active_frames(samples: np.ndarray, margin_db: float = 6.0, range_db: float = 30.0) -> np.ndarray:
    """Which 10 ms frames of a whole utterance carry speech (above the noise floor and near the peak)."""
    n = len(samples) // FRAME
    if n == 0:
        return np.zeros(0, dtype=bool)
    x = samples[: n * FRAME].astype(np.float64).reshape(n, FRAME)
    e = np.sqrt((x * x).mean(axis=1))
    floor = np.percentile(e, 10)
    return e > max(floor * 10 ** (margin_db / 20), e.max() * 10 ** (-range_db / 20), 1.0)


class SpeechDetector(Protocol):
    """Says whether each 10 ms frame of a continuous stream is speech."""

    name: str

    def is_speech(self, frame: np.ndarray, in_speech: bool) -> bool:
        """Whether ``frame`` is speech; ``in_speech``: the frames before it were (for hysteresis)."""
        ...

    def reset(self) -> None:
        """Forget the stream heard so far (a new recording or a new room)."""
        ...


@dataclass
class Endpointer:
    """Finds where an utterance starts and ends in a stream of 10 ms frames."""

    end_silence_ms: int = 900
    start_ms: int = 60
    preroll_ms: int = 300
    margin_db: float = 9.0
    min_level: float = 80.0  # int16 RMS; below this is silence whatever the floor says
    floor: float = 1.0
    in_speech: bool = False
    silence_ms: int = 0
    speech_ms: int = 0
    max_utterance_ms: int = 10000
    resume_ms: int = 40  # loud time that ends a pause: one loud frame of noise does not restart the count
    detector: SpeechDetector | None = None  # None: the energy detector alone
    detector_role: str = "confirms"  # or "decides": the detector alone says what is speech
    _loud_ms: int = 0
    _confirmed_ms: int = 0  # speech in this utterance that the detector agreed with
    _loud_run_ms: int = 0
    _preroll: deque = field(default_factory=deque)
    _recent: deque = field(default_factory=deque)

    def threshold(self) -> float:
        """The level a frame must exceed to count as speech."""
        return max(self.floor * 10 ** (self.margin_db / 20), self.min_level)

    def _track_floor(self, level: float) -> None:
        # The floor is the quietest frame of the last second outside speech: it follows the
        # room (a fan, a television) and not the voice.
        self._recent.append(level)
        while len(self._recent) * FRAME_MS > FLOOR_WINDOW_MS:
            self._recent.popleft()
        self.floor = max(1.0, min(self._recent))

    def push(self, frame: np.ndarray) -> tuple[str, list[np.ndarray]]:
        """Feed one frame; returns (event, frames to pass on) where event is '', 'start' or 'end'.

        On 'start' the frames are the pre-roll plus this frame; while in speech, this frame.
        """
        level = frame_energy(frame)
        calibrating = len(self._recent) < CALIBRATION_FRAMES
        loud = not calibrating and level > self.threshold()
        if not self.in_speech and not loud:
            self._track_floor(level)
        if self.detector is not None and self.detector_role == "decides":
            loud = self.detector.is_speech(frame, self.in_speech)  # every frame: the model follows the stream
        elif self.detector is not None and self.in_speech:
            # "confirms": energy finds the start (the model's is later and costs accuracy, docs/voice.md);
            # inside an utterance steady noise above the floor does not hold it open. The model runs
            # only inside utterances, so a quiet room costs nothing.
            says = self.detector.is_speech(frame, True)
            self._confirmed_ms += FRAME_MS if loud and says else 0
            loud = loud and says
        if not self.in_speech:
            self._preroll.append(frame)
            while len(self._preroll) * FRAME_MS > self.preroll_ms:
                self._preroll.popleft()
            self._loud_ms = self._loud_ms + FRAME_MS if loud else 0
            if self._loud_ms >= self.start_ms:
                self.in_speech, self.silence_ms, self.speech_ms = True, 0, 0
                frames = list(self._preroll)
                self._preroll.clear()
                self._warm_up(frames)
                return "start", frames
            return "", []
        self._count_silence(loud)
        self.speech_ms += FRAME_MS
        if self.speech_ms >= self.max_utterance_ms:
            # Ten seconds of "speech" is a new, louder room (a television): it becomes the floor.
            self._new_room(level)
            self.in_speech, self._loud_ms, self._confirmed_ms = False, 0, 0
            return "end", [frame]
        if self.silence_ms >= self.end_silence_ms:
            if self.detector is not None and self._confirmed_ms < self.start_ms:
                self._new_room(level)  # the model heard no speech in it: a louder room, not a voice
            self.in_speech, self._loud_ms, self._confirmed_ms = False, 0, 0
            return "end", [frame]
        return "", [frame]

    def _warm_up(self, frames: list[np.ndarray]) -> None:
        # A confirming model starts fresh on each utterance's pre-roll: it has context, and what it
        # says depends only on this utterance.
        if self.detector is not None and self.detector_role == "confirms":
            self.detector.reset()
            for f in frames:
                self.detector.is_speech(f, False)

    def _new_room(self, level: float) -> None:
        self._recent.clear()
        self._recent.append(level)
        self.floor = max(1.0, level)

    def _count_silence(self, loud: bool) -> None:
        # Steady noise throws up single loud frames; only ``resume_ms`` of loud frames in a row
        # (speech again) ends a pause. Short bursts count as quiet.
        self._loud_run_ms = self._loud_run_ms + FRAME_MS if loud else 0
        if self._loud_run_ms >= self.resume_ms:
            self.silence_ms = 0
        elif loud and self.silence_ms < self.resume_ms:
            self.silence_ms = 0  # still inside the word: its last frames are loud
        else:
            self.silence_ms += FRAME_MS

    def reset(self, floor: bool = False) -> None:
        """Forget the current utterance (and the room's noise floor too when ``floor``)."""
        self.in_speech, self.silence_ms, self.speech_ms, self._loud_ms, self._loud_run_ms = False, 0, 0, 0, 0
        self._confirmed_ms = 0
        self._preroll.clear()
        if floor:
            self._recent.clear()
            self.floor = 1.0
            if self.detector is not None:
                self.detector.reset()


def frames_of(samples: np.ndarray) -> list[np.ndarray]:
    """Split samples into whole 10 ms frames (a short tail is padded with zeros)."""
    pad = (-len(samples)) % FRAME
    if pad:
        samples = np.concatenate([samples, np.zeros(pad, dtype=samples.dtype)])
    return list(samples.reshape(-1, FRAME))
