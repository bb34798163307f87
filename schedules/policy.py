"""What the kiosk does with a reminder given what it is busy with (pure decisions, no I/O).

The service hands each announcement to ``route`` with the current activity; the kiosk's screens
carry the decisions out. A due reminder pauses coaching and coaching resumes after the
acknowledgement; during stimulation it is shown at once and spoken right after the ramp-down.
"""

from __future__ import annotations

from dataclasses import dataclass

# Same value as kiosk.devices.base.PRIORITY_REMINDER (a test keeps them equal): reminders are
# spoken before coaching, after safety messages.
SPEECH_PRIORITY = 5
ACTIVITIES = ("idle", "coaching", "stimulating")


@dataclass(frozen=True)
class Announcement:
    """A reminder to put in front of the patient now."""

    reminder_id: int
    item_id: str
    kind: str
    text: str
    loud: bool = False
    repeat: bool = False
    night: bool = False
    resumed: bool = False  # said again after a restart: the card must come back on screen


@dataclass(frozen=True)
class Speak:
    """Say this (louder when ``loud``) at reminder priority."""

    text: str
    loud: bool = False
    priority: int = SPEECH_PRIORITY


@dataclass(frozen=True)
class Show:
    """Put the reminder card on screen (it stays until acknowledged or recorded as missed)."""

    reminder_id: int
    text: str


@dataclass(frozen=True)
class ShowNow:
    """Show the reminder card at once, over the stimulation screen, without speaking yet."""

    reminder_id: int
    text: str


@dataclass(frozen=True)
class Interrupt:
    """Pause coaching (not stimulation) because of ``reason``."""

    reason: str


@dataclass(frozen=True)
class SpeakAfterStimulation:
    """Say this as soon as the stimulation has ramped down."""

    text: str
    loud: bool = False


@dataclass(frozen=True)
class ResumeCoaching:
    """Nothing is waiting any more: coaching may go on."""


@dataclass(frozen=True)
class Hide:
    """Take a reminder card off the screen (acknowledged or missed)."""

    reminder_id: int


@dataclass(frozen=True)
class Explain:
    """A plain answer to show and say (e.g. why a reminder cannot be switched off)."""

    text: str


@dataclass(frozen=True)
class Confirm:
    """Say this after the acknowledgement is on disk."""

    text: str
    reminder_id: int


@dataclass(frozen=True)
class SessionDue:
    """An exercise session from the plan is due now: offer to start it (it is not a protected reminder)."""

    session_id: str
    window_minutes: int
    text: str


Decision = (
    SessionDue | Speak | Show | ShowNow | Interrupt | SpeakAfterStimulation | ResumeCoaching | Hide | Explain | Confirm
)


def route(announcement: Announcement, activity: str, coaching_paused: bool) -> list[Decision]:
    """Decisions for one announcement while the kiosk is ``activity`` (idle, coaching, stimulating)."""
    if activity == "stimulating":
        return [
            ShowNow(announcement.reminder_id, announcement.text),
            SpeakAfterStimulation(announcement.text, announcement.loud),
        ]
    out: list[Decision] = []
    if activity == "coaching" and not coaching_paused:
        out.append(Interrupt("reminder"))
    if not announcement.repeat or announcement.resumed:
        out.append(Show(announcement.reminder_id, announcement.text))
    out.append(Speak(announcement.text, announcement.loud))
    return out


def after_close(reminder_id: int, still_open: int, activity: str, coaching_paused: bool) -> list[Decision]:
    """Decisions once a reminder is acknowledged or missed: hide it; resume coaching when none is left."""
    out: list[Decision] = [Hide(reminder_id)]
    if activity == "coaching" and coaching_paused and still_open == 0:
        out.append(ResumeCoaching())
    return out


def announcement_order(items: list[Announcement]) -> list[Announcement]:
    """The night routine first, then the rest in the order given."""
    return sorted(items, key=lambda a: not a.night)
