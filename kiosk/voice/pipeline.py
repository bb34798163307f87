"""From a stream of 10 ms frames to verified decisions: endpointing, stop spotting, verification.

"Stop" does not wait for the end of the utterance: as soon as the partial transcript is a
safety phrase and ``stop_gap_ms`` of quiet follows it, the decision is made (well within 300 ms
of the end of the word). While the kiosk is speaking (``muted``), only safety phrases count,
so the kiosk never obeys its own voice; the physical stop button always works regardless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kiosk.voice.intents import IntentTable
from kiosk.voice.recognizer import Decision, Hypothesis, Recognizer, decide
from kiosk.voice.vad import FRAME_MS, Endpointer

STOP_GAP_MS = 120


@dataclass(frozen=True)
class Heard:
    """A decision and the stream time (seconds of audio) at which it was made."""

    decision: Decision
    at_audio_s: float
    early: bool  # spotted in partial results before the end of the utterance


class Pipeline:
    """Feeds frames to the endpointer and recognizer; returns decisions as they are made."""

    def __init__(
        self,
        recognizer: Recognizer,
        table: IntentTable,
        min_confidence: float = 0.6,
        end_silence_ms: int = 900,
        muted: Callable[[], bool] = lambda: False,
    ) -> None:
        self.recognizer = recognizer
        self.table = table
        self.min_confidence = min_confidence
        self.endpointer = Endpointer(end_silence_ms=end_silence_ms)
        self.muted = muted
        self.frames_seen = 0
        self._spotted: str | None = None
        self._partial = ""

    @property
    def audio_s(self) -> float:
        """Seconds of audio fed so far."""
        return self.frames_seen * FRAME_MS / 1000

    def push(self, frame: np.ndarray) -> list[Heard]:
        """Feed one 10 ms frame."""
        self.frames_seen += 1
        event, frames = self.endpointer.push(frame)
        if event == "start":
            self.recognizer.start()
            self._spotted, self._partial = None, ""
        if not self.endpointer.in_speech and event != "end":
            return []
        for f in frames:
            self._partial = self.recognizer.feed(f)
        out: list[Heard] = []
        if event != "end" and self._spotted is None:
            early = self._spot()
            if early is not None:
                out.append(early)
        if event == "end":
            out.extend(self._final(self.recognizer.finish()))
        return out

    def flush(self) -> list[Heard]:
        """End of the stream: decide on the utterance in progress, if any."""
        if not self.endpointer.in_speech:
            return []
        self.endpointer.reset()
        return self._final(self.recognizer.finish())

    def _spot(self) -> Heard | None:
        if self.endpointer.silence_ms < STOP_GAP_MS:
            return None
        intent = self.table.spot_safety(self._partial)
        if intent is None:
            return None
        self._spotted = intent.id
        decision = Decision(self._partial, intent, 1.0, self.recognizer.engine, "command")
        return Heard(decision, self.audio_s, early=True)

    def _final(self, hyp: Hypothesis) -> list[Heard]:
        decision = decide(self.table, hyp, self.recognizer.engine, self.min_confidence)
        spotted, self._spotted = self._spotted, None
        if decision.intent is not None and decision.intent.id == spotted:
            return []  # already acted on from the partial result
        if decision.intent is not None and self.muted() and not decision.intent.safety:
            decision = Decision(decision.transcript, None, decision.confidence, decision.engine, "kiosk was speaking")
        return [Heard(decision, self.audio_s, early=False)]
