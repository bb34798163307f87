"""When the next periodic therapist summary is due: dates in, a period or nothing out (pure).

Periods are whole days and follow each other without a gap: each starts the day after the last
one ended, so no day is ever left out of a summary, even after the kiosk was off for weeks (the
next period then simply covers all the days since). A period ends yesterday at the latest, because
today is not over. The first period starts on the first day the kiosk was used (a plan applied or
a session recorded); until then there is nobody to report on.
"""

from __future__ import annotations

from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def next_period(today: date, days: int, last_end: date | None, first_day: date | None) -> tuple[date, date] | None:
    """The next period to summarise (first and last day, inclusive), or None when none is due yet.

    ``days``: the length of a summary period (``sync.summary_days``); a period is due once that
    many whole days have passed since the last one ended (or since ``first_day``).
    """
    if days < 1:
        raise ValueError("a summary period must be at least one day long")
    if last_end is not None:
        start = last_end + ONE_DAY
    elif first_day is not None:
        start = first_day
    else:
        return None
    end = today - ONE_DAY
    if (end - start).days + 1 < days:
        return None
    return start, end
