"""Kiosk start, stop and hourly "still running" marks in the event log.

The therapist summary's device health (uptime, time off, clean and unclean restarts; see
``kiosk.summary.sections.device_health``) is computed from these events. A kiosk that is killed or
loses power writes no stop: its next start counts as an unclean restart, and its running time is
counted up to its last event, which the hourly ``kiosk_alive`` mark keeps at most an hour old.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from kiosk.store import Store, StoreError

log = logging.getLogger(__name__)

STARTED, STOPPED, ALIVE = "kiosk_started", "kiosk_stopped", "kiosk_alive"
ALIVE_EVERY_S = 3600.0


def _log(store: Store, kind: str, now: datetime, data: dict[str, Any]) -> bool:
    """Append one event; a failed write (full disk, damaged file) is logged, not raised: the kiosk
    must keep coaching and reminding without its uptime record."""
    try:
        store.log_event(kind, now, data)
    except (OSError, StoreError, sqlite3.Error) as exc:
        log.warning("could not record %s in the event log: %s", kind, exc)
        return False
    return True


def log_started(store: Store, now: datetime, **info: Any) -> bool:
    """Record a start (version, hardware mode, demo)."""
    return _log(store, STARTED, now, info)


def log_stopped(store: Store, now: datetime, reason: str) -> bool:
    """Record a stop and why ("closed", "stopped by the system", "interrupted", "error: ...")."""
    return _log(store, STOPPED, now, {"reason": reason})


class AliveStep:
    """Loop step: a ``kiosk_alive`` event every ``every_s`` seconds of loop time."""

    def __init__(self, store: Store, wall_clock: Callable[[], datetime], every_s: float = ALIVE_EVERY_S) -> None:
        self.store = store
        self.wall_clock = wall_clock
        self.every_s = every_s
        self._next: float | None = None

    def __call__(self, t: float) -> None:
        if self._next is None:
            self._next = t + self.every_s
        elif t >= self._next:
            _log(self.store, ALIVE, self.wall_clock(), {})
            self._next = t + self.every_s  # after a failed write too: try again next interval
