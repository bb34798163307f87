"""APScheduler 3.x adapter that only WAKES the kiosk: it calls ``wake`` (the kiosk puts ``ReminderDue`` on its queue).

It decides nothing and stores nothing: the SQLite rows are the truth and ``ReminderService`` works
out what is due when the main loop handles the event. Jobs have fixed ids and replace each other
(``replace_existing=True``); a wake that was late (the machine slept, the clock jumped) still runs
once (``misfire_grace_time=None``, ``coalesce=True``). A slow interval job is a safety net.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)

JOB_NEXT = "facecoach-reminders-next"
JOB_SAFETY_NET = "facecoach-reminders-safety-net"
JOB_OPTIONS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


class ReminderWaker:
    """Wakes the main loop at the next reminder time, and every ``safety_net_s`` in any case."""

    def __init__(
        self,
        wake: Callable[[float, int, str, str], None],
        safety_net_s: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.wake = wake  # (monotonic time, reminder id, item id, kind): the kiosk turns it into an event
        self.monotonic = monotonic
        self.safety_net_s = safety_net_s
        self.scheduler = BackgroundScheduler(timezone=UTC, job_defaults=dict(JOB_OPTIONS))
        self.fired = 0

    def start(self) -> None:
        """Start the scheduler thread and the safety-net job."""
        self.scheduler.start()
        self.scheduler.add_job(
            self._fire, "interval", seconds=self.safety_net_s, id=JOB_SAFETY_NET, replace_existing=True, **JOB_OPTIONS
        )

    def wake_at(self, when: datetime | None, reminder_id: int = 0, item_id: str = "", kind: str = "") -> None:
        """(Re)schedule the one wake-up job; None removes it (nothing open)."""
        if when is None:
            if self.scheduler.get_job(JOB_NEXT) is not None:
                self.scheduler.remove_job(JOB_NEXT)
            return
        self.scheduler.add_job(
            self._fire,
            "date",
            run_date=when.astimezone(UTC),
            id=JOB_NEXT,
            replace_existing=True,
            kwargs={"reminder_id": reminder_id, "item_id": item_id, "kind": kind},
            **JOB_OPTIONS,
        )

    def _fire(self, reminder_id: int = 0, item_id: str = "", kind: str = "") -> None:
        self.fired += 1
        self.wake(self.monotonic(), reminder_id, item_id, kind)

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self.scheduler.get_jobs())

    def close(self) -> None:
        """Stop the scheduler thread (idempotent)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
