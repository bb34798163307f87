"""When the next exercise session is, and whether one is due now and not yet done (pure).

The plan in force lists its sessions ([[sessions]]: weekdays, local time, window in minutes; see
schedules.plan_section). A session slot counts as done when a session ended (done, partial or
stopped by the patient) within its window either side of its time, so the Home prompt "It is time
for your exercises" goes away once the patient has done them, and is never shown outside a window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from content.i18n import DEFAULT_LANGUAGE, phrase
from schedules.due import sessions_between
from schedules.plan_section import ScheduleSection

LOOK_AHEAD = timedelta(days=8)  # every weekly slot has a next time within this
DONE_STATUSES = ("done", "partial", "stopped")


@dataclass(frozen=True)
class SessionStatus:
    """The next session that is not done (its local start), and whether one is due right now."""

    next_local: datetime | None
    due_now: bool


def session_status(section: ScheduleSection, now: datetime, done_at: list[datetime]) -> SessionStatus:
    """From the plan's slots and the times sessions ended, what Home should say at ``now``."""
    windows = {slot.id: timedelta(minutes=slot.window_minutes) for slot in section.sessions}
    widest = max(windows.values(), default=timedelta(0))
    for occ in sessions_between(section, now - widest, now + LOOK_AHEAD):
        window = windows[occ.item_id]
        if any(occ.due_at - window <= end <= occ.due_at + window for end in done_at):
            continue
        if occ.due_at <= now < occ.due_at + window:
            return SessionStatus(occ.local, True)
        if occ.due_at > now:
            return SessionStatus(occ.local, False)
    return SessionStatus(None, False)


def ended_times(values: list[object]) -> list[datetime]:
    """Stored end times as aware datetimes; a naive one is taken as local time, a broken one skipped
    (a bad row must not stop Home from drawing)."""
    out = []
    for value in values:
        try:
            when = datetime.fromisoformat(str(value))
        except ValueError:
            continue
        out.append(when if when.tzinfo is not None else when.astimezone())
    return out


def when_words(local: datetime, today: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """'today at 10:00', 'tomorrow at 10:00' or 'Monday at 10:00', in ``lang``."""
    at = local.strftime("%H:%M")
    days = (local.date() - today).days
    if days == 0:
        return phrase("home.today_at", lang, time=at)
    if days == 1:
        return phrase("home.tomorrow_at", lang, time=at)
    weekday = phrase("home.weekdays", lang).split()[local.weekday()]
    return phrase("home.day_at", lang, weekday=weekday, time=at)
