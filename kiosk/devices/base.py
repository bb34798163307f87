"""The one-method-ish interfaces every device family implements (real adapter or fake)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kiosk.events import EventQueue


@dataclass(frozen=True)
class Frame:
    """One camera picture (BGR, as OpenCV gives it) and the monotonic time it was taken."""

    image: np.ndarray
    t: float


@dataclass(frozen=True)
class DeviceState:
    """What the status screen and selftest show for a device family."""

    device: str
    state: str  # found | missing | fake | error
    detail: str = ""
    hint: str = ""


class Camera(Protocol):
    """A source of frames; ``read`` returns None when no new frame is ready."""

    name: str

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...


class Speaker(Protocol):
    """Speech output; higher priority speech goes first (safety > reminders > coaching)."""

    rate: int  # words per minute
    volume: float  # 0.3 to 1 (never silent: reminders must be heard)

    def say(self, text: str, priority: int = 0) -> None: ...

    def repeat(self) -> None: ...

    def slower(self) -> int: ...

    def louder(self) -> float: ...

    def quieter(self) -> float: ...

    def drop_coaching(self) -> int: ...

    def close(self) -> None: ...


class Listener(Protocol):
    """Microphone + recognizer: puts VoiceCommand events on the queue from its own thread."""

    engine: str

    def start(self, events: EventQueue) -> None: ...

    def expect(self, intent_ids: Iterable[str], seconds: float = 10.0) -> None:
        """The kiosk has just asked: these answers (yes, no) count for ``seconds``; never otherwise."""
        ...

    def close(self) -> None: ...


PRIORITY_COACHING = 0
PRIORITY_REMINDER = 5
PRIORITY_SAFETY = 10
