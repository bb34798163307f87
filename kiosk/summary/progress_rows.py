"""Reads the progress section's rows from the store and adds the section to a summary (an adapter)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from content.loader import load_exercises
from kiosk.baseline_store import baselines, changes_now
from kiosk.baseline_text import baseline_words
from kiosk.checkin_store import answers_between
from kiosk.photos import stored_photos
from kiosk.store import Store
from kiosk.summary.model import Period
from kiosk.summary.progress_section import photo_attachment_name, progress_section

LANG = "en"  # the therapist's summary is in English, like the rest of it


def period_bounds(period: Period, now: datetime) -> tuple[datetime, datetime]:
    """The period's first and after-last moments in ``now``'s time zone."""
    tz = now.tzinfo
    return datetime.combine(period.start, time(0), tz), datetime.combine(period.end + timedelta(days=1), time(0), tz)


def progress_from_store(store: Store, period: Period, now: datetime, photos_attached: bool = False) -> dict[str, Any]:
    """The progress section of ``period``: answers in it, the baseline against the period's last two weeks,
    and the dates of the standard photos taken in it (the photos themselves only as sealed attachments;
    ``photos_attached``: they travel beside this summary)."""
    start, end = period_bounds(period, now)
    at = min(now, end)
    checkins = answers_between(store, start.isoformat(), end.isoformat())
    known = [(b.session_id, b.at, b.reason) for b in baselines(store) if b.at <= at]
    names = {ex_id: ex.name for ex_id, ex in load_exercises(LANG).items()}
    section = progress_section(checkins, known, changes_now(store, at), names, baseline_words(LANG))
    photos = stored_photos(store, Path(), start.isoformat(), end.isoformat())
    section["photos"] = [
        {
            "taken_at": p.taken_at,
            "view": p.view,
            "session_id": p.session_id,
            "attachment": photo_attachment_name(p.taken_at, p.session_id, p.view),
            "attached": photos_attached,
        }
        for p in photos
    ]
    return section
