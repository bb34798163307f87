"""The scripted patient of the simulation: when and how each reminder is answered (seeded, no I/O).

About 55 % answer within 4 minutes, 10 % after the repeats, 10 % only after the caregiver alert,
10 % never, 15 % answer and then say it again a minute or three later; one reminder in ten is
answered early, 1 to 14 minutes before it is due. Answers come by voice, touch and the button.
A touch or a press closes whatever card is on screen, as on the kiosk; a voice answer names its kind.
A patient answers a card they see: once its card is gone (answered, or replaced by the next dose)
only a second "drops taken" is still said.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from schedules.due import Occurrence
from schedules.repository import iso

# The words a patient says for each kind (the voice grammar's intents).
INTENTS = {"drops": "drops_taken", "ointment": "ointment_done", "taping": "taping_done", "shield": "taping_done"}
EARLY_SHARE = 0.10


@dataclass(frozen=True)
class Answer:
    """One thing the patient does: at a true time, by voice/touch/button, meaning one reminder."""

    at: datetime
    via: str
    kind: str
    reminder_id: int | None = None  # the reminder answered (None for an early answer)
    early: tuple[str, str] | None = None  # (kind, due instant) an early answer means
    again: bool = False  # said a second time, card or no card

    @property
    def intent(self) -> str:
        return INTENTS.get(self.kind, "eye_care_done")


class Patient:
    """Draws answers from a seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def early_answers(self, due: list[Occurrence]) -> list[Answer]:
        """Early voice answers to some of the reminders of the schedule (true due instants)."""
        out = []
        for o in due:
            if self.rng.random() < EARLY_SHARE:
                at = o.due_at - timedelta(minutes=self.rng.randint(1, 14))
                out.append(Answer(at, "voice", o.kind, early=(o.kind, iso(o.due_at) or "")))
        return out

    def respond(self, reminder_id: int, kind: str, shown_at: datetime) -> list[Answer]:
        """The answers to a reminder just put on screen at ``shown_at`` (none: never answered)."""
        roll = self.rng.random()
        via = self.rng.choice(["voice", "voice", "touch", "button"])
        if roll < 0.55:
            delay = self.rng.randint(0, 4)
        elif roll < 0.65:
            delay = self.rng.randint(5, 14)
        elif roll < 0.75:
            delay = self.rng.randint(16, 55)
        elif roll < 0.85:
            return []
        else:  # says it twice
            first = shown_at + timedelta(minutes=self.rng.randint(0, 4))
            again = first + timedelta(minutes=self.rng.randint(1, 3))
            return [Answer(first, via, kind, reminder_id), Answer(again, "voice", kind, reminder_id, again=True)]
        return [Answer(shown_at + timedelta(minutes=delay), via, kind, reminder_id)]
