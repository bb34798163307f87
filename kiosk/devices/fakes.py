"""Fakes for every device family: drivable and inspectable, never silent stubs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from kiosk.devices.base import PRIORITY_SAFETY, Frame
from kiosk.events import EventQueue, VoiceCommand
from kiosk.voice.speaker import MIN_RATE, SLOWER_STEP, VOLUME_STEP
from kiosk.voice.tts_text import DEFAULT_RATE_WPM


@dataclass
class FakeCamera:
    """Frames from a list of images (looped), or a plain grey picture; counts what it served."""

    images: list[np.ndarray] = field(default_factory=list)
    width: int = 640
    height: int = 480
    name: str = "fake camera"
    served: int = 0
    closed: bool = False
    unplugged: bool = False

    def read(self) -> Frame | None:
        """The next frame, or None while 'unplugged'."""
        if self.closed or self.unplugged:
            return None
        if self.images:
            image = self.images[self.served % len(self.images)]
        else:
            image = np.full((self.height, self.width, 3), 96, dtype=np.uint8)
        self.served += 1
        return Frame(image=image, t=time.monotonic())

    def close(self) -> None:
        self.closed = True


@dataclass
class FakeSpeaker:
    """Records everything it was asked to say, with priorities, in order; the whole Speaker interface."""

    said: list[tuple[int, str]] = field(default_factory=list)
    closed: bool = False
    rate: int = DEFAULT_RATE_WPM
    volume: float = 0.9
    last_instruction: str = ""
    drops: int = 0  # how often queued coaching was dropped (after a stop)

    def say(self, text: str, priority: int = 0) -> None:
        if priority < PRIORITY_SAFETY:
            self.last_instruction = text
        self.said.append((priority, text))

    def repeat(self) -> None:
        if self.last_instruction:
            self.say(self.last_instruction)

    def slower(self) -> int:
        self.rate = max(MIN_RATE, self.rate - SLOWER_STEP)
        return self.rate

    def louder(self) -> float:
        self.volume = min(1.0, round(self.volume + VOLUME_STEP, 2))
        return self.volume

    def quieter(self) -> float:
        self.volume = max(0.3, round(self.volume - VOLUME_STEP, 2))
        return self.volume

    def drop_coaching(self) -> int:
        """Nothing is queued in the fake (it "says" at once); the call is counted."""
        self.drops += 1
        return 0

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.said]

    def close(self) -> None:
        self.closed = True


@dataclass
class FakeListener:
    """A 'microphone' that hears what a test (or the demo script) tells it to hear."""

    engine: str = "fake"
    _events: EventQueue | None = None
    closed: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    asked: list[frozenset[str]] = field(default_factory=list)  # what the kiosk said it had asked, in order

    def start(self, events: EventQueue) -> None:
        self._events = events

    def expect(self, intent_ids: Iterable[str], seconds: float = 10.0) -> None:
        self.asked.append(frozenset(intent_ids))

    def hear(self, intent: str, transcript: str = "", confidence: float = 1.0) -> None:
        """Pretend the patient said something that was recognised as ``intent``."""
        with self._lock:
            if self._events is None or self.closed:
                return
            self._events.put(
                VoiceCommand(
                    at=time.monotonic(),
                    intent=intent,
                    transcript=transcript or intent,
                    confidence=confidence,
                    engine=self.engine,
                )
            )

    def close(self) -> None:
        self.closed = True
