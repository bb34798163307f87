"""When the next periodic therapist summary is due: a time, a cadence and dates in; a period or nothing out.

Periods are whole days and follow each other without a gap: each starts the day after the last
one ended, so no day is ever left out of a summary, even after the kiosk was off for weeks (the
next period then covers all the days since). A period ends yesterday at the latest, because today
is not over: a summary built on Sunday evening covers the days up to Saturday, and Sunday opens the
next one. The first period starts on the first day the kiosk was used (a plan applied or a session
recorded); until then there is nobody to report on.

The cadence comes from the plan's ``[summary]`` section (``every = "daily" | "weekly"``, ``day``,
``time``), or, without one, from the setting ``sync.summary_days`` (a summary once that many whole
days have passed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

ONE_DAY = timedelta(days=1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Cadence:
    """When summaries are built: every ``days`` whole days, or daily / weekly at a set local time."""

    every: str  # "days" | "daily" | "weekly"
    days: int = 7  # "days" only
    weekday: int = 6  # "weekly" only; 0 is Monday
    at: time = time(0, 0)  # "daily" and "weekly"

    def describe(self) -> str:
        """Plain words for reports."""
        if self.every == "daily":
            return f"every day at {self.at:%H:%M}"
        if self.every == "weekly":
            return f"every {WEEKDAYS[self.weekday]} at {self.at:%H:%M}"
        return f"every {self.days} days"


# What a plan's ``[summary]`` section means when it leaves a field out or gets one wrong.
PLAN_DEFAULT = Cadence("weekly", weekday=WEEKDAYS.index("sun"), at=time(20, 0))


def cadence_from_plan(section: Any, default_days: int) -> tuple[Cadence, list[str]]:
    """The cadence of a plan's ``[summary]`` section, and its problems in plain words.

    A missing section means the settings' ``every N days``; a field left out or wrong takes the
    value of ``PLAN_DEFAULT``, weekly on Sunday at 20:00 (a summary too many is better than none).
    """
    if section is None:
        return Cadence("days", days=default_days), []
    if not isinstance(section, dict):
        return PLAN_DEFAULT, [f"[summary] must be a table. The summary is built {PLAN_DEFAULT.describe()}."]
    problems: list[str] = []
    every = section.get("every", PLAN_DEFAULT.every)
    if every not in ("daily", "weekly"):
        problems.append(f"[summary] every = {every!r}: use 'daily' or 'weekly'.")
        every = PLAN_DEFAULT.every
    day = str(section.get("day", WEEKDAYS[PLAN_DEFAULT.weekday])).lower()[:3]
    if day in WEEKDAYS:
        weekday = WEEKDAYS.index(day)
    else:
        problems.append(f"[summary] day = {section.get('day')!r}: use mon, tue, wed, thu, fri, sat or sun.")
        weekday = PLAN_DEFAULT.weekday
    try:
        at = time.fromisoformat(str(section.get("time", f"{PLAN_DEFAULT.at:%H:%M}"))).replace(tzinfo=None)
    except ValueError:
        problems.append(f"[summary] time = {section.get('time')!r}: use a time like 20:00.")
        at = PLAN_DEFAULT.at
    cadence = Cadence(every, weekday=weekday, at=at)
    if problems:
        problems.append(f"The summary is built {cadence.describe()}.")
    return cadence, problems


def next_period(
    now: datetime, cadence: Cadence, last_end: date | None, first_day: date | None
) -> tuple[date, date] | None:
    """The next period to summarise (first and last day, inclusive), or None when none is due yet."""
    if cadence.every == "days" and cadence.days < 1:
        raise ValueError("a summary period must be at least one day long")
    if last_end is not None:
        start = last_end + ONE_DAY
    elif first_day is not None:
        start = first_day
    else:
        return None
    end = now.date() - ONE_DAY
    if end < start:
        return None
    if cadence.every == "days":
        return (start, end) if (end - start).days + 1 >= cadence.days else None
    due_day = start + ONE_DAY  # the first scheduled moment after the period's first day is over
    if cadence.every == "weekly":
        due_day += timedelta(days=(cadence.weekday - due_day.weekday()) % 7)
    due = datetime.combine(due_day, cadence.at, tzinfo=now.tzinfo)
    return (start, end) if now >= due else None
