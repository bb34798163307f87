"""Connects the protected-reminder service (schedules/) to the kiosk's screens, speech and session.

The service decides (pure decisions from schedules.policy); this bridge carries them out. It is
asked every second, and at once when the APScheduler waker puts a ReminderDue on the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from content.i18n import DEFAULT_LANGUAGE, section
from schedules import policy as pol
from schedules.service import ReminderService

log = logging.getLogger(__name__)

POLL_S = 1.0


class ReminderBridge:
    """Owns the ReminderService for the kiosk; ``apply`` is given to it by the kiosk."""

    def __init__(
        self, service: ReminderService, wall_clock: Callable[[], datetime], waker=None, notifier_thread=None
    ) -> None:
        self.service = service
        self.wall_clock = wall_clock
        self.waker = waker
        self.notifier_thread = notifier_thread
        self.started = False
        self.last_poll: float | None = None
        self._scheduled: datetime | None = None

    def poll(self, mono: float, activity: str, force: bool = False) -> list[pol.Decision]:
        """Start-up reconciliation on the first call, then the service's tick (about once a second)."""
        if not self.started:
            self.started = True
            self.last_poll = mono
            decisions = self.service.start(self.wall_clock(), mono, activity)
        elif force or self.last_poll is None or mono - self.last_poll >= POLL_S:
            self.last_poll = mono
            decisions = self.service.tick(self.wall_clock(), mono, activity)
        else:
            return []
        wake = self.service.next_wake()
        if self.waker is not None and wake != self._scheduled:
            self._scheduled = wake  # reschedule only on change (each call is a job and a log line)
            self.waker.wake_at(wake)
        return decisions

    def acknowledge(self, reminder_id: int, via: str, activity: str) -> list[pol.Decision]:
        return self.service.acknowledge(self.wall_clock(), via, reminder_id=reminder_id, activity=activity)

    def intent(self, intent: str, activity: str) -> list[pol.Decision] | None:
        return self.service.handle_intent(intent, self.wall_clock(), activity)

    def next_eye_care(self, lang: str = DEFAULT_LANGUAGE) -> str | None:
        """The next eye care for the home screen, e.g. "drops at 10:00", in ``lang``."""
        nxt = self.service.next_due(self.wall_clock())
        if nxt is None:
            return None
        kind, at = nxt
        home = section("home", lang)
        return home["eye_care_at"].format(kind=home.get(f"eye_care_{kind}", kind), time=at)

    def close(self) -> None:
        for part in (self.waker, self.notifier_thread):
            if part is not None:
                part.close()


def open_reminders(settings, store, plan, events, wall_clock: Callable[[], datetime]) -> ReminderBridge | None:
    """The reminder bridge for the plan in force (None without a plan: nothing to remind)."""
    if plan is None:
        return None
    from schedules.notifier import CaregiverNotifier, NotifierThread
    from schedules.plan_section import parse_schedule
    from schedules.scheduler import ReminderWaker

    section, problems = parse_schedule(plan.raw, "", "<plan in force>")
    for problem in problems:
        log.warning("plan schedule: %s", problem)
    notifier = CaregiverNotifier(store, settings.caregiver.ntfy_url, settings.caregiver.alert_command)
    thread = NotifierThread(notifier)
    thread.start()
    waker = ReminderWaker(events)
    waker.start()
    service = ReminderService(store, section, notifier, lang=settings.display.language)
    return ReminderBridge(service, wall_clock, waker, thread)
