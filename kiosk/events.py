"""Typed events that threads put on the one queue; only the main loop acts on them.

Every event is a frozen dataclass with the monotonic time ``at`` it happened. Add new event
types here so the flow stays readable in one place.
"""

from __future__ import annotations

import queue
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """Base of all events."""

    at: float


@dataclass(frozen=True)
class QuitRequested(Event):
    """Close the kiosk (window closed, Ctrl+C, service stop)."""

    reason: str = "quit"


@dataclass(frozen=True)
class KeyPressed(Event):
    """A keyboard key (pygame key name, e.g. 'space', 's', 'escape')."""

    key: str = ""


@dataclass(frozen=True)
class Touched(Event):
    """A touch or click at screen coordinates."""

    x: int = 0
    y: int = 0


@dataclass(frozen=True)
class ButtonPressed(Event):
    """A physical button: 'stop' (e-stop or big button), 'ok', 'push_to_talk'."""

    button: str = ""


@dataclass(frozen=True)
class VoiceCommand(Event):
    """A verified spoken command."""

    intent: str = ""
    transcript: str = ""
    confidence: float = 0.0
    engine: str = ""


@dataclass(frozen=True)
class DeviceStatus(Event):
    """A device family changed state: found, missing, fake, error."""

    device: str = ""
    state: str = ""
    hint: str = ""


@dataclass(frozen=True)
class ReminderDue(Event):
    """An eye-care (or other protected) reminder needs the patient now."""

    reminder_id: int = 0
    item_id: str = ""
    kind: str = ""
    level: int = 0


@dataclass(frozen=True)
class StimStopped(Event):
    """The stimulation runner has turned its outputs off; this says why."""

    reason: str = ""
    normal: bool = False
    code: str = ""  # finished | patient_stop | rule | fault | interrupted (stim_hat.runner END_CODES)


@dataclass(frozen=True)
class Notice(Event):
    """A plain-words message for the screen (and voice when ``speak``)."""

    text: str = ""
    speak: bool = False


class EventQueue:
    """A thin, typed wrapper around queue.Queue so producers cannot block the loop."""

    def __init__(self) -> None:
        self._q: queue.Queue[Event] = queue.Queue()

    def put(self, event: Event) -> None:
        """Add an event (from any thread)."""
        self._q.put_nowait(event)

    def drain(self, limit: int = 256) -> list[Event]:
        """Take the waiting events, oldest first, at most ``limit`` per tick."""
        out: list[Event] = []
        while len(out) < limit:
            try:
                out.append(self._q.get_nowait())
            except queue.Empty:
                break
        return out
