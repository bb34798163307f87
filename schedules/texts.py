"""Patient and caregiver wording of reminders, from phrase keys (content/lang/<code>/phrases.toml)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from content.i18n import phrase
from schedules.escalation import ReminderState
from schedules.plan_section import EyeCareItem

NIGHT_ANSWER = ("ointment", "taping", "shield")


def reminder_text(state: ReminderState, item: EyeCareItem | None, eye: str, lang: str, repeat: bool) -> str:
    """What the kiosk says for a reminder: the task, what follows, how to answer."""
    eye_words = phrase(f"reminder.eye_{eye}", lang)
    if state.kind == "custom":
        parts = [phrase("reminder.custom", lang, say=item.say if item else "")]
    else:
        parts = [phrase(f"reminder.{state.kind}", lang, eye=eye_words)]
    for extra in item.also if item else ():
        if extra in ("taping", "shield"):
            parts.append(phrase(f"reminder.also_{extra}", lang))
    if repeat:
        parts.append(phrase("reminder.again", lang))
    parts.append(answer_hint(state.kind, lang))
    return " ".join(p.strip() for p in parts if p.strip())


def answer_hint(kind: str, lang: str) -> str:
    if kind == "drops":
        return phrase("reminder.how_to_answer_drops", lang)
    if kind in NIGHT_ANSWER:
        return phrase("reminder.how_to_answer_night", lang)
    return phrase("reminder.how_to_answer", lang)


def confirmation(kind: str, lang: str) -> str:
    """Said once the acknowledgement is on disk."""
    if kind == "drops":
        return phrase("reminder.confirmed_drops", lang)
    if kind in NIGHT_ANSWER:
        return phrase("reminder.confirmed_night", lang)
    return phrase("reminder.confirmed", lang)


def local_clock(moment: datetime, tz: str) -> str:
    """'22:00' in the plan's time zone."""
    return moment.astimezone(ZoneInfo(tz)).strftime("%H:%M")


def caregiver_text(kind: str, state: ReminderState, tz: str, lang: str, minutes: int) -> tuple[str, str]:
    """Title and message of an 'unanswered' or 'missed' caregiver alert."""
    what = phrase(f"reminder.name_{state.kind}", lang)
    at = local_clock(state.due_at, tz)
    title = phrase(f"reminder.caregiver_{kind}_title", lang)
    return title, phrase(f"reminder.caregiver_{kind}", lang, what=what, time=at, minutes=minutes)
