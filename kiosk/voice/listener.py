"""The Listener: microphone frames -> pipeline -> VoiceCommand / DeviceStatus events, in its own thread.

Voice never acts: it only puts events on the queue. Intents marked
``requires_touch_confirmation`` (starting or raising stimulation) are sent as proposals the
screen must confirm by touch or button. With a push-to-talk button configured, only what is
said while (or within a few seconds after) it was pressed counts, except "stop", which always
counts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from kiosk.events import DeviceStatus, EventQueue, VoiceCommand
from kiosk.voice.capture import MicCapture, wait_frame
from kiosk.voice.pipeline import ASKED_S, Heard, Pipeline

log = logging.getLogger(__name__)

PTT_GRACE_S = 4.0


class PushToTalk:
    """A gpiozero button; remembers when it was last pressed."""

    def __init__(self, pin: int, pin_factory: Any = None) -> None:
        from gpiozero import Button

        self.button = Button(pin, pin_factory=pin_factory)
        self.last_pressed = -1e9
        self.button.when_pressed = self._pressed

    def _pressed(self) -> None:
        self.last_pressed = time.monotonic()

    def open(self, now: float) -> bool:
        """Whether commands count now (held, or pressed in the last few seconds)."""
        return bool(self.button.is_pressed) or now - self.last_pressed <= PTT_GRACE_S

    def close(self) -> None:
        self.button.close()


class VoiceListener:
    """Implements kiosk.devices.base.Listener."""

    def __init__(
        self,
        pipeline: Pipeline,
        source: Any = None,
        push_to_talk: PushToTalk | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pipeline = pipeline
        self.engine = pipeline.recognizer.engine
        self.push_to_talk = push_to_talk
        self.clock = clock
        self._events: EventQueue | None = None
        self._source = source
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="listener", daemon=True)
        self.heard: list[Heard] = []

    def start(self, events: EventQueue) -> None:
        """Start listening; events go on ``events``."""
        self._events = events
        if self._source is None:
            self._source = MicCapture(self._mic_state)
        self._source.start()
        self._thread.start()

    def expect(self, intent_ids: Iterable[str], seconds: float = ASKED_S) -> None:
        """The kiosk has just asked a question: its answers (e.g. {"yes", "no"}) count for ``seconds``.

        Intents marked ``only_when_asked`` in voice.toml (yes, no) are ignored at other times,
        so a "no" in conversation is not taken as an answer. Safe to call from any thread.
        """
        self.pipeline.expect(intent_ids, seconds)

    def _mic_state(self, state: str, detail: str) -> None:
        hint = "" if state == "found" else "No microphone: touch and the buttons still work. Trying again."
        if self._events is not None:
            self._events.put(DeviceStatus(at=self.clock(), device="microphone", state=state, hint=hint or detail))

    def _run(self) -> None:
        while not self._stop.is_set():
            frame = wait_frame(self._source.frames)
            if frame is None:
                continue
            for heard in self.pipeline.push(frame):
                self._deliver(heard)

    def _deliver(self, heard: Heard) -> None:
        self.heard.append(heard)
        decision = heard.decision
        log.info(
            "heard %r -> %s (%s, %.2f)", decision.transcript, decision.intent_id, decision.reason, decision.confidence
        )
        intent = decision.intent
        if intent is None or self._events is None:
            return
        if self.push_to_talk is not None and not intent.safety and not self.push_to_talk.open(self.clock()):
            log.info("ignored %s: push-to-talk button not pressed", intent.id)
            return
        self._events.put(
            VoiceCommand(
                at=self.clock(),
                intent=intent.id,
                transcript=decision.transcript,
                confidence=decision.confidence,
                engine=decision.engine,
            )
        )

    def close(self) -> None:
        """Stop listening (idempotent)."""
        self._stop.set()
        if self._source is not None:
            self._source.close()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        if self.push_to_talk is not None:
            self.push_to_talk.close()
            self.push_to_talk = None
