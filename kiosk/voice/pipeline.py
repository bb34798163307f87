"""From a stream of 10 ms frames to verified decisions: endpointing, early spotting, verification.

Three ways an utterance is decided:
- **safety spotting** ("stop", "too strong"): as soon as the live partial transcript is a safety
  phrase, ``STOP_GAP_MS`` of quiet follows it and the live result explains the speech heard so
  far (``SPOT_CONFIDENCE``), the decision is made without waiting for the end of the utterance.
  "The stopwatch is broken" ends as a partial "stop stop" with most of the speech unexplained,
  so it is not a stop;
- **quick end**: when the partial is a whole command and no longer command starts with it
  ("i took my drops", but not "next", which may become "next exercise"), the utterance ends
  after ``quick_end_ms`` of quiet instead of the long ``end_silence_ms``. The final pass is
  taken ``AHEAD_MS`` into that quiet (``Recognizer.ahead``), so the decision is ready the moment
  the quiet has lasted ``quick_end_ms``; it stands only if the quiet went on unbroken, as the
  endpointer counts quiet (else the whole utterance is decided at its end as usual);
- otherwise the long wait, so the pauses of a slow speaker do not cut a command in two.
The final decision always comes from the second, whole-utterance pass and its coverage check.

While the kiosk is speaking (``muted``), only safety phrases count, so the kiosk never obeys its
own voice; intents marked ``only_when_asked`` (yes, no, the after-session answers) count only
within ``ASKED_S`` seconds of ``expect()`` naming them (the kiosk has just asked a question): an
utterance that starts then is decoded with a grammar that holds them, others without them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from kiosk.voice.intents import IntentTable
from kiosk.voice.recognizer import Decision, Hypothesis, Recognizer, decide
from kiosk.voice.vad import FRAME_MS
from kiosk.voice.vad_select import new_endpointer

STOP_GAP_MS = 100
SPOT_CONFIDENCE = 0.8  # share-based coverage of the live result; higher than the final gate
QUICK_END_MS = 250
AHEAD_MS = 150  # into the quiet after a complete command: the final pass runs then, not at its end
ASKED_S = 10.0


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
        quick_end_ms: int = QUICK_END_MS,
        vad: str = "auto",
        ahead_ms: int = AHEAD_MS,
    ) -> None:
        self.recognizer = recognizer
        self.table = table
        self.min_confidence = min_confidence
        self.endpointer = new_endpointer(end_silence_ms, vad)
        self.muted = muted
        self.quick_end_ms = quick_end_ms
        self.ahead_ms = min(ahead_ms, quick_end_ms)  # = quick_end_ms: the pass is taken at the end
        self.quick_phrases = table.unambiguous_phrases()
        self.frames_seen = 0
        self._spotted: str | None = None
        self._partial = ""
        self._checked: tuple[str, int] = ("", -1)  # (partial, end of speech) last checked for spotting
        self._asked: tuple[frozenset[str], float] = (frozenset(), -1.0)
        self._ahead: tuple[Hypothesis, int, int] | None = None  # (final pass, frames seen, quiet ms) then

    @property
    def audio_s(self) -> float:
        """Seconds of audio fed so far."""
        return self.frames_seen * FRAME_MS / 1000

    def expect(self, intent_ids: Iterable[str], seconds: float = ASKED_S) -> None:
        """The kiosk has just asked: these ``only_when_asked`` intents count for ``seconds`` of audio."""
        self._asked = (frozenset(intent_ids), self.audio_s + seconds)

    def reset(self) -> None:
        """Forget everything heard (utterance, noise floor, spotting): the next audio stands alone."""
        self.endpointer.reset(floor=True)
        self._spotted, self._partial, self._checked = None, "", ("", -1)
        self._ahead = None

    def push(self, frame: np.ndarray) -> list[Heard]:
        """Feed one 10 ms frame."""
        self.frames_seen += 1
        event, frames = self.endpointer.push(frame)
        if event == "start":
            # The answers asked for are in the grammar only while the question stands.
            self.recognizer.start(self._asked_now())
            self._spotted, self._partial, self._checked = None, "", ("", -1)
            self._ahead = None
        if not self.endpointer.in_speech and event != "end":
            return []
        for f in frames:
            self._partial = self.recognizer.feed(f)
        out: list[Heard] = []
        if event != "end" and self._spotted is None:
            early = self._spot()
            if early is not None:
                out.append(early)
        quiet = self._quiet_after_command() if event != "end" else -1
        if self._ahead is None and quiet >= self.ahead_ms:
            hyp = self.recognizer.ahead(quiet, self.quick_end_ms - self.ahead_ms)
            if hyp is not None:
                self._ahead = (hyp, self.frames_seen, quiet)
        if quiet >= self.quick_end_ms:
            ahead = self._ahead_stands()
            self.endpointer.reset()
            if ahead is not None:
                self.recognizer.drop()
                out.extend(self._final(ahead))
                return out
            event = "end"
        if event == "end":
            out.extend(self._final(self.recognizer.finish()))
        return out

    def _ahead_stands(self) -> Hypothesis | None:
        """The final pass taken ahead, if the quiet after it has gone on unbroken since."""
        if self._ahead is None:
            return None
        hyp, frames, silence_ms = self._ahead
        self._ahead = None
        unbroken = self.endpointer.silence_ms - silence_ms == (self.frames_seen - frames) * FRAME_MS
        return hyp if unbroken else None

    def flush(self) -> list[Heard]:
        """End of the stream: decide on the utterance in progress, if any."""
        if not self.endpointer.in_speech:
            return []
        self.endpointer.reset()
        return self._final(self.recognizer.finish())

    def _spot(self) -> Heard | None:
        pause = (self._partial, self.endpointer.speech_ms - self.endpointer.silence_ms)
        if self.endpointer.silence_ms < STOP_GAP_MS or pause == self._checked:
            return None
        if self.table.spot_safety(self._partial) is None:
            return None
        # The live partial is forced onto whole phrases ("start" of "start session" reads as
        # "stop"): check the speech so far with unfinished phrases allowed, once per pause.
        self._checked = pause
        hyp = self.recognizer.so_far()
        intent = self.table.spot_safety(hyp.text)
        if intent is None or hyp.confidence < SPOT_CONFIDENCE:
            return None  # not a stop, or speech it does not explain: wait for the whole utterance
        self._spotted = intent.id
        decision = Decision(hyp.text, intent, hyp.confidence, self.recognizer.engine, "command")
        return Heard(decision, self.audio_s, early=True)

    def _quiet_after_command(self) -> int:
        """Quiet (ms) after a complete command that nothing longer starts with, else -1.

        -1 also while the quiet is under ``ahead_ms``: the partial is looked at only once it can matter.
        """
        silence = self.endpointer.silence_ms
        if silence < self.ahead_ms or self.table.core(self._partial) not in self.quick_phrases:
            return -1
        return silence

    def _final(self, hyp: Hypothesis) -> list[Heard]:
        decision = decide(self.table, hyp, self.recognizer.engine, self.min_confidence)
        spotted, self._spotted = self._spotted, None
        intent = decision.intent
        if intent is not None and intent.id == spotted:
            return []  # already acted on from the partial result
        if intent is not None and self.muted() and not intent.safety:
            decision = Decision(decision.transcript, None, decision.confidence, decision.engine, "kiosk was speaking")
        elif intent is not None and intent.only_when_asked and not self._was_asked(intent.id):
            decision = Decision(decision.transcript, None, decision.confidence, decision.engine, "not asked")
        return [Heard(decision, self.audio_s, early=False)]

    def _asked_now(self) -> frozenset[str]:
        ids, until = self._asked
        return ids if self.audio_s <= until else frozenset()

    def _was_asked(self, intent_id: str) -> bool:
        return intent_id in self._asked_now()
