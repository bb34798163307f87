"""The one interface in front of every speech engine, and the decision that verifies its output.

An engine hears one utterance at a time: ``start(asked)`` (``asked``: the answers the kiosk has
just asked for, such as yes/no, which the engine listens for only then), ``feed(samples)`` (returns the partial
transcript so far), ``so_far()`` (a checked transcript of the speech so far, unfinished phrases
allowed, with a confidence; used before trusting an early "stop"), ``finish()`` (the final
transcript with a confidence from 0 to 1), ``ahead(quiet_heard_ms, quiet_to_come_ms)`` (the
final pass over the speech so far, taken while a complete command is followed by quiet, with the
quiet still to come stood in for; None when the engine cannot) and ``drop()``
(end the utterance without decoding it again, when the decision taken ahead stands).
``decide`` then turns that into a command only when the transcript is exactly a known phrase
and the confidence is high enough.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kiosk.voice.intents import Intent, IntentTable


class VoiceError(RuntimeError):
    """A speech engine could not be started; the message says why in plain words."""


@dataclass(frozen=True)
class Hypothesis:
    """What an engine heard in one utterance."""

    text: str
    confidence: float


class Recognizer(Protocol):
    """A grammar-restricted speech engine hearing one utterance at a time (16 kHz mono int16)."""

    engine: str

    def start(self, asked: Iterable[str] = ()) -> None: ...

    def feed(self, samples: np.ndarray) -> str: ...

    def so_far(self) -> Hypothesis: ...

    def finish(self) -> Hypothesis: ...

    def ahead(self, quiet_heard_ms: int, quiet_to_come_ms: int) -> Hypothesis | None: ...

    def drop(self) -> None: ...


@dataclass(frozen=True)
class Decision:
    """The verdict on one utterance: an intent, or None with the reason."""

    transcript: str
    intent: Intent | None
    confidence: float
    engine: str
    reason: str  # command | not a command | low confidence | nothing heard | kiosk was speaking | not asked

    @property
    def intent_id(self) -> str | None:
        """The intent id, or None."""
        return self.intent.id if self.intent else None


def decide(table: IntentTable, hyp: Hypothesis, engine: str, min_confidence: float) -> Decision:
    """Verify a hypothesis: a whole known phrase, heard with at least ``min_confidence``."""
    text = hyp.text.strip()
    if not text:
        return Decision("", None, hyp.confidence, engine, "nothing heard")
    intent = table.match(text)
    if intent is None:
        return Decision(text, None, hyp.confidence, engine, "not a command")
    if hyp.confidence < min_confidence:
        return Decision(text, None, hyp.confidence, engine, "low confidence")
    return Decision(text, intent, hyp.confidence, engine, "command")


def decode(recognizer: Recognizer, samples: np.ndarray, chunk: int = 1600) -> Hypothesis:
    """Hear one whole utterance (for files and tests)."""
    recognizer.start()
    for i in range(0, len(samples), chunk):
        recognizer.feed(samples[i : i + chunk])
    return recognizer.finish()
