"""When the after-session questions come, and what is kept when they are not answered.

Every session that ends with an id (done, stopped early, or run to its end) is owed the two
questions. They come when the patient leaves the end-of-session summary (Home or OK), or by
themselves once the summary has been on screen ``SUMMARY_SHOWN_S`` seconds, but never over a
safety state: not while a reminder is on screen or the emergency stop is latched (they wait).
A question that is not answered (left with Stop, Home or "Not now", skipped by Stop on the
summary, or the kiosk shut down first; after a power cut, at the next start-up) is stored as
``not_answered``, so the therapist's summary says so instead of losing it. ``t`` is the loop's
monotonic time, passed in.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.checkin import NOT_ANSWERED, ORDER
from kiosk.checkin_store import save_answer
from kiosk.store import Store

log = logging.getLogger(__name__)

RESTART_LOOKBACK = timedelta(hours=24)  # at start-up: sessions this recent without answers were cut off
ENDED = ("done", "partial", "stopped")  # sessions that ran (kiosk/home_sessions.DONE_STATUSES)
SUMMARY_SHOWN_S = 30.0  # time to read and hear the end-of-session summary before the questions come
LEFT = "left"  # the questions were on screen and the patient left them
NOT_SHOWN = "not_shown"  # the questions never came (Stop on the summary, or the kiosk shut down first)


@dataclass
class CheckinOwed:
    """The session whose questions have not come yet, and since when its summary is on screen."""

    session_id: int | None = None
    since: float = 0.0

    def owe(self, session_id: int | None, t: float) -> None:
        """A session ended at ``t``: its questions are owed (a session without an id has no answers to keep)."""
        self.session_id, self.since = session_id, t

    @property
    def owed(self) -> bool:
        return self.session_id is not None

    def due(self, t: float, safe: bool) -> bool:
        """The questions should come now by themselves: the summary has been shown long enough, nothing safety-
        related is on screen."""
        return self.owed and safe and t - self.since >= SUMMARY_SHOWN_S

    def take(self) -> int | None:
        """The owed session id, now being asked (or recorded as not asked)."""
        session_id, self.session_id = self.session_id, None
        return session_id


def record_unanswered(store: Store, session_id: int | None, questions: tuple[str, ...], how: str, now: datetime) -> int:
    """Store ``not_answered`` for each question (``how``: LEFT or NOT_SHOWN); returns how many were stored.

    A storage problem is logged and the rest are still tried: the patient is never held on this screen.
    """
    kept = 0
    for question in questions:
        try:
            save_answer(store, session_id, question, NOT_ANSWERED, how, now)
            kept += 1
        except (sqlite3.Error, OSError) as exc:
            log.error("'not answered' for %s of session %s not saved: %s", question, session_id, exc)
    return kept


ALL_QUESTIONS = ORDER  # both questions, in asking order


def record_cut_off(store: Store, now: datetime, lookback: timedelta = RESTART_LOOKBACK) -> list[int]:
    """At start-up: sessions that ended in the last ``lookback`` with no stored answer at all (a power cut or
    crash before the questions) get ``not_answered`` / ``not_shown``; returns their ids. Older sessions are
    left alone (they may predate the questions)."""
    marks = ",".join("?" * len(ENDED))
    query = (
        f"select id from sessions where ended_at >= ? and status in ({marks}) and id not in "
        "(select session_id from checkin_answers where session_id is not null) order by id"
    )
    try:
        ids = [r["id"] for r in store.db.query(query, [(now - lookback).isoformat(), *ENDED])]
    except sqlite3.Error as exc:
        log.error("sessions cut off before their questions not checked: %s", exc)
        return []
    for session_id in ids:
        record_unanswered(store, session_id, ALL_QUESTIONS, NOT_SHOWN, now)
    return ids
