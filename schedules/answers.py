"""Which ONE reminder an answer closes (pure: rows and ``now`` in, a choice out; no I/O).

A touch or the OK button closes the card. "Drops taken" and the other answers close the card
when it is of their kind, else the first waiting reminder of their kind. An early answer (nothing
of its kind waiting) closes the next reminder of exactly its kind only when it can mean no other
one: see ``early_choice``. docs/schedules.md "What an answer closes" explains it in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from schedules.escalation import EARLY_ACK, ReminderState
from schedules.plan_section import EyeCareItem

# Voice intents that acknowledge, and which kinds they cover (None: whatever is on the card).
INTENT_KINDS: dict[str, tuple[str, ...] | None] = {
    "drops_taken": ("drops",),
    "ointment_done": ("ointment", "taping", "shield"),
    "taping_done": ("taping", "shield", "ointment"),
    "eye_care_done": None,
}
# The kinds an EARLY answer can mean: only its own kind, so "ointment done" before 22:00 never
# closes a separate shield reminder due at 22:10.
EARLY_KINDS: dict[str, tuple[str, ...]] = {
    "drops_taken": ("drops",),
    "ointment_done": ("ointment",),
    "taping_done": ("taping", "shield"),
}
# Attempts to switch reminders off: always refused with the plain reason.
REFUSED_INTENTS = ("cancel_reminder", "stop_reminder", "delete_reminder", "silence_reminder", "skip_reminder")
SNOOZE_INTENTS = ("snooze", "remind_me_later")


def waiting_rows(rows: Iterable[ReminderState], card: int | None) -> list[ReminderState]:
    """Announced reminders, the one on the card first, then the night routine, then by due time."""
    waiting = sorted((r for r in rows if r.status == "announced"), key=lambda r: (not r.night, r.due_at))
    if card is not None:
        waiting.sort(key=lambda r: r.id != card)  # stable: the card first, the rest in order
    return waiting


def matches(row: ReminderState, kinds: tuple[str, ...] | None, items: Mapping[str, EyeCareItem]) -> bool:
    """The answer's kinds cover this reminder (its own kind, or what its item says 'also')."""
    if kinds is None:
        return True
    item = items.get(row.item_id)
    return row.kind in kinds or bool(item and set(item.also) & set(kinds))


def waiting_choice(
    waiting: list[ReminderState], kinds: tuple[str, ...] | None, items: Mapping[str, EyeCareItem]
) -> ReminderState | None:
    """The first waiting reminder (card first) the answer covers."""
    return next((r for r in waiting if matches(r, kinds, items)), None)


def upcoming(rows: Iterable[ReminderState], kinds: tuple[str, ...], now: datetime) -> ReminderState | None:
    """The next not-yet-announced reminder of ``kinds`` due within ``EARLY_ACK``."""
    soon = [r for r in rows if r.status == "due" and r.kind in kinds and now < r.due_at <= now + EARLY_ACK]
    return min(soon, key=lambda r: r.due_at) if soon else None


def early_choice(
    row: ReminderState, now: datetime, last_due: datetime | None, last_ack: datetime | None
) -> tuple[ReminderState | None, bool]:
    """(the reminder an early answer closes, or None; whether it repeats an answer already noted).

    It closes ``row`` only when no reminder of the kind was acknowledged within ``EARLY_ACK``
    before (a second "drops taken"), and the answer is nearer to ``row`` than to the previous
    reminder of the kind (``last_due``).
    """
    if last_ack is not None and now - last_ack <= EARLY_ACK:
        return None, True
    if last_due is not None and now - last_due <= row.due_at - now:
        return None, last_ack is not None and last_ack >= last_due
    return row, False
