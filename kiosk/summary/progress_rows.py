"""Reads the progress section's rows from the store and adds the section to a summary (an adapter)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from content.loader import load_exercises
from kiosk.baseline_store import baselines, changes_now
from kiosk.baseline_text import baseline_words
from kiosk.checkin_store import answers_between
from kiosk.store import Store
from kiosk.summary.model import Period
from kiosk.summary.progress_section import progress_section

LANG = "en"  # the therapist's summary is in English, like the rest of it


def progress_from_store(store: Store, period: Period, now: datetime) -> dict[str, Any]:
    """The progress section of ``period``: answers in it, and the baseline against the period's last two weeks."""
    tz = now.tzinfo
    start = datetime.combine(period.start, time(0), tz)
    end = datetime.combine(period.end + timedelta(days=1), time(0), tz)
    at = min(now, end)
    checkins = answers_between(store, start.isoformat(), end.isoformat())
    known = [(b.session_id, b.at, b.reason) for b in baselines(store) if b.at <= at]
    names = {ex_id: ex.name for ex_id, ex in load_exercises(LANG).items()}
    return progress_section(checkins, known, changes_now(store, at), names, baseline_words(LANG))
