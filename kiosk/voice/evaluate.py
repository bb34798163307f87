"""One recording through the real listening pipeline, exactly as the kiosk would stream it.

Used by `facecoach hear`, the accuracy tests and the voice benchmark, so every figure comes from
the streamed path (endpointer, early spotting, quick end, second pass). Before each recording the
pipeline and the decoder are reset, so a result depends only on that recording's own audio; the
recording gets a short lead-in and a quiet tail, as speech in a room has.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from kiosk.voice.pipeline import Heard, Pipeline
from kiosk.voice.vad import FRAME, RATE, active_frames, frames_of

LEAD_S = 1.0
TAIL_S = 1.5
ROOM_LEVEL = 20.0  # int16 RMS of the faint room noise around the recording (a microphone never gives zeros)


@dataclass(frozen=True)
class Outcome:
    """Everything decided on one recording, and the decision that counts."""

    heard: tuple[Heard, ...]
    counted: Heard | None  # the first decision with a command (the kiosk acts on it), else the last one
    speech_end_s: float  # end of the last loud frame of the recording, in seconds from its start
    latency_ms: float | None  # end of the last word -> counted decision: audio waited plus computing time

    @property
    def intent_id(self) -> str | None:
        """The command the kiosk would act on, or None."""
        return self.counted.decision.intent_id if self.counted else None


def room(seconds: float, seed: int, level: float = ROOM_LEVEL) -> np.ndarray:
    """Steady noise at ``level`` (int16 RMS) standing in for the room before and after speech."""
    return np.random.default_rng(seed).normal(0.0, level, int(seconds * RATE)).astype(np.int16)


def room_level(samples: np.ndarray) -> float:
    """The recording's own background level: its quietest 100 ms (never below a quiet room)."""
    n = len(samples) // FRAME
    if n < 10:
        return ROOM_LEVEL
    x = samples[: n * FRAME].astype(np.float64).reshape(n, FRAME)
    power = (x * x).mean(axis=1)
    windows = np.convolve(power, np.ones(10) / 10, mode="valid")
    return max(ROOM_LEVEL, float(np.sqrt(windows.min())))


def counted(heard: list[Heard]) -> Heard | None:
    """The decision the kiosk acts on: the first that carries a command, otherwise the last."""
    with_command = [h for h in heard if h.decision.intent is not None]
    if with_command:
        return with_command[0]
    return heard[-1] if heard else None


def hear_utterance(
    pipeline: Pipeline,
    samples: np.ndarray,
    asked: Iterable[str] = (),
    lead_s: float = LEAD_S,
    tail_s: float = TAIL_S,
) -> Outcome:
    """Reset the pipeline, stream lead-in + ``samples`` + quiet tail, and return what was decided.

    ``asked``: the answers the kiosk has just asked for (yes, no), as ``Pipeline.expect`` takes.
    """
    pipeline.reset()
    pipeline.expect(asked)
    start_s = pipeline.audio_s
    loud = np.nonzero(active_frames(samples))[0]
    speech_end_s = lead_s + ((loud[-1] + 1) * FRAME / RATE if len(loud) else 0.0)
    heard: list[Heard] = []
    compute_ms: dict[int, float] = {}
    # The room goes on before and after the recording at the recording's own background level,
    # as a microphone hears it: a noisy recording is not preceded by sudden quiet.
    level = room_level(samples)
    audio = np.concatenate([room(lead_s, 1, level), np.asarray(samples, dtype=np.int16), room(tail_s, 2, level)])
    for frame in frames_of(audio):
        t0 = time.perf_counter()
        new = pipeline.push(frame)
        if new:
            took = (time.perf_counter() - t0) * 1000
            compute_ms.update({id(h): took for h in new})
            heard.extend(new)
    tail = pipeline.flush()
    heard.extend(tail)
    choice = counted(heard)
    latency = None
    if choice is not None and choice not in tail:
        waited_ms = (choice.at_audio_s - start_s - speech_end_s) * 1000
        latency = waited_ms + compute_ms.get(id(choice), 0.0)
    shifted = tuple(_relative(h, start_s + lead_s) for h in heard)
    chosen = shifted[heard.index(choice)] if choice is not None else None
    return Outcome(shifted, chosen, speech_end_s - lead_s, latency)


def _relative(h: Heard, offset_s: float) -> Heard:
    """The same decision with its time counted from the start of the recording."""
    return Heard(h.decision, round(h.at_audio_s - offset_s, 3), h.early)
