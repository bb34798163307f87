"""Where every input goes: one table, read top to bottom, safety first.

Touch, keys, the hardware buttons and voice all become one named action (``Kiosk.act``). The
action is then offered to these layers in order, and the first that takes it handles it:

1. ``safety``   stop, lower and too_strong, in every state, before anything else. A stop cuts
                the stimulation outputs first (in the caller's thread), then the session stops.
                No reminder, card, checklist or screen can swallow them.
2. ``reminder`` a due eye-care reminder: its Done ("acknowledge") closes exactly the reminder on
                screen. A full-screen card takes every other action too (nothing behind it can
                be pressed by mistake); the card beside STOP during stimulation takes only Done.
3. ``screen``   the screen on show: ``Kiosk.screen_handlers`` names one handler per screen
                (home, session with the stimulation block, summary and the after-session
                questions, progress, caregiver); ``SCREEN_ACTIONS`` lists what each takes.
                A new screen is one entry in each, plus its drawing.

Keys mean the same on every screen (``KEYS``): s and Esc are stop, Down is lower, Space is
pause/resume, Enter is the screen's main action (Done on a reminder, Start on Home).
Voice intents go through the same table; only the intents that are about reminders
("I took my drops", snooze) go to the reminder service, after the safety layer.
"""

from __future__ import annotations

SAFETY_ACTIONS = frozenset({"stop", "lower", "too_strong"})

KEYS: dict[str, str] = {
    "s": "stop",
    "escape": "stop",
    "down": "lower",
    "space": "pause",
    "return": "primary",
    "enter": "primary",
    "d": "acknowledge",
    "r": "repeat",
    "n": "next",
    "right": "next",
    "left": "previous",
    "b": "previous",
    "l": "slower",
    "p": "progress",
    "c": "caregiver",
    "h": "home",
}

# Spoken intents that mean the same as a touch action in a session.
SESSION_INTENTS = frozenset({"pause", "resume", "next", "repeat", "slower"})
# Actions of the stimulation screens. The session flow takes starting, checklist answers and
# "stronger" only from a touch or the button; voice can only ask for them (kiosk/session/stim_flow.py).
STIM_ACTIONS = frozenset(
    {
        "answer_yes",
        "answer_no",
        "start_stimulation",
        "skip",
        "propose_stimulation",
        "propose_stronger",
        "confirm_stronger",
        "cancel_stronger",
        "yes",
        "no",
    }
)
SESSION_ACTIONS = SESSION_INTENTS | STIM_ACTIONS
# What each screen does with an action (anything else is ignored there).
SCREEN_ACTIONS: dict[str, frozenset[str]] = {
    "home": frozenset({"start_session", "primary", "progress", "caregiver"}),
    "session": SESSION_ACTIONS | {"primary"},
    "summary": frozenset({"home", "primary", "stop"}),
    "progress": frozenset({"home", "stop", "next", "previous", "next_chart", "previous_chart"}),
    "caregiver": frozenset({"home", "stop", "estop_reset"}),  # plus the caregiver screen's own buttons
}
# Screens whose own buttons are many and change (PIN keypad, answers): every action goes to them.
OPEN_SCREENS = frozenset({"caregiver", "checkin", "summary"})
REMINDER_INTENTS = frozenset({"drops_taken", "ointment_done"})


def key_action(key: str) -> str | None:
    """The action of a key, the same on every screen."""
    return KEYS.get(key)
