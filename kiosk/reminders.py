"""Connects the protected-reminder service (schedules/) to the kiosk's screens, speech and session.

The service decides (pure decisions from schedules.policy); this bridge carries them out. It is
asked every second, and at once when the APScheduler waker puts a ReminderDue on the queue.
Every ``PLAN_CHECK_S`` of monotonic time it checks cheaply whether another plan was applied
(``facecoach sync`` while the kiosk runs) and switches the reminders to it without a restart.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from content.i18n import DEFAULT_LANGUAGE, phrase, section
from schedules import policy as pol
from schedules.plan_section import ScheduleSection, parse_schedule, safe_floor
from schedules.service import ReminderService

log = logging.getLogger(__name__)

POLL_S = 1.0
PLAN_CHECK_S = 30.0
PROBLEM_S = 5.0


@dataclass(frozen=True)
class PlanWatch:
    """How the bridge notices a new plan: a cheap fingerprint of the applied plan, and a loader of the plan in force."""

    fingerprint: Callable[[], str | None]
    load: Callable[[], Any]  # -> kiosk.plan.model.Plan | None
    every_s: float = PLAN_CHECK_S


def schedule_of(plan: Any, lang: str = DEFAULT_LANGUAGE) -> tuple[ScheduleSection, str | None]:
    """The plan's schedule and, when it has problems, the safe schedule used instead plus the words that say so."""
    found, problems = parse_schedule(plan.raw, "", f"plan version {plan.version}", getattr(plan, "timezone", "UTC"))
    if not problems:
        return found, None
    for problem in problems:
        log.error("plan schedule: %s", problem)
    return safe_floor(found), phrase("reminder.plan_schedule_problem", lang)


class ReminderBridge:
    """Owns the ReminderService for the kiosk; ``apply`` is given to it by the kiosk."""

    def __init__(
        self,
        service: ReminderService,
        wall_clock: Callable[[], datetime],
        waker=None,
        notifier_thread=None,
        watch: PlanWatch | None = None,
        notice: str | None = None,
    ) -> None:
        self.service = service
        self.wall_clock = wall_clock
        self.waker = waker
        self.notifier_thread = notifier_thread
        self.watch = watch
        self.notice = notice  # said once at start: the plan's schedule had problems
        self.started = False
        self.last_poll: float | None = None
        self._scheduled: datetime | None = None
        self._checked: float | None = None
        self._plan_fingerprint: str | None = None
        self._problem: str | None = None
        self._problem_at: float | None = None

    def poll(self, mono: float, activity: str, force: bool = False) -> list[pol.Decision]:
        """Start-up reconciliation on the first call, then the service's tick (about once a second)."""
        if not self.started:
            self.started = True
            self.last_poll = self._checked = mono
            self._plan_fingerprint = self._fingerprint()
            decisions = self.service.start(self.wall_clock(), mono, activity)
            if self.notice:
                decisions.append(pol.Explain(self.notice))
        elif force or self.last_poll is None or mono - self.last_poll >= POLL_S:
            self.last_poll = mono
            decisions = self.service.tick(self.wall_clock(), mono, activity)
            decisions += self._check_plan(mono, activity)
        else:
            return []
        wake = self.service.next_wake()
        if self.waker is not None and wake != self._scheduled:
            self._scheduled = wake  # reschedule only on change (each call is a job and a log line)
            self.waker.wake_at(wake)
        return decisions

    def _fingerprint(self) -> str | None:
        if self.watch is None:
            return None
        try:
            return self.watch.fingerprint()
        except (sqlite3.Error, OSError) as exc:  # the store is busy or full: look again next time
            log.warning("could not check for a new plan: %s", exc)
            return self._plan_fingerprint

    def _check_plan(self, mono: float, activity: str) -> list[pol.Decision]:
        """Switch the reminders to a newly applied plan (at most every ``watch.every_s``)."""
        if self.watch is None or (self._checked is not None and mono - self._checked < self.watch.every_s):
            return []
        since = self._checked
        self._checked = mono
        found = self._fingerprint()
        if found == self._plan_fingerprint:
            return []
        try:
            plan = self.watch.load()
        except (sqlite3.Error, OSError) as exc:
            log.warning("could not read the new plan: %s", exc)
            return []
        self._plan_fingerprint = found
        if plan is None:
            return []
        lang = self.service.lang
        schedule, notice = schedule_of(plan, lang)
        if notice is not None:  # keep the schedule in force: it is the last good one
            return [pol.Explain(notice)]
        now = self.wall_clock()
        back = timedelta(seconds=mono - since + POLL_S) if since is not None else timedelta(0)
        log.info("plan version %s applied: reminders follow it now", getattr(plan, "version", "?"))
        return self.service.switch(schedule, now, activity, since=now - back)

    def problem(self, lang: str = DEFAULT_LANGUAGE) -> str | None:
        """A plain sentence for the screen while reminders need help (storage, caregiver alerts), else None.

        The alert part reads the store, so it is looked up at most every ``PROBLEM_S``."""
        if self.service.writes.held:
            return phrase("reminder.storage_problem", lang)
        mono = time.monotonic()
        if self._problem_at is None or mono - self._problem_at >= PROBLEM_S:
            self._problem_at = mono
            try:
                self._problem = self.service.notifier.problem(lang)
            except (sqlite3.Error, OSError) as exc:
                log.warning("caregiver alert state unreadable: %s", exc)
        return self._problem

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


def wake_into(events) -> Callable[[float, int, str, str], None]:
    """The ReminderWaker's call, as a ReminderDue event on the kiosk's queue."""
    from kiosk.events import ReminderDue

    def wake(at: float, reminder_id: int, item_id: str, kind: str) -> None:
        events.put(ReminderDue(at=at, reminder_id=reminder_id, item_id=item_id, kind=kind))

    return wake


def plan_watch(settings, store) -> PlanWatch:
    """Watches ``plan_versions`` for a newly applied plan and reads the plan in force (kiosk.plan)."""
    from kiosk.plan.current import current_plan
    from kiosk.plan.loader import last_applied

    def fingerprint() -> str | None:
        last = last_applied(store)
        return None if last is None else last.sha256

    return PlanWatch(fingerprint, lambda: current_plan(settings, store, datetime.now().astimezone()).plan)


def open_reminders(settings, store, plan, events, wall_clock: Callable[[], datetime]) -> ReminderBridge | None:
    """The reminder bridge for the plan in force (None without a plan: nothing to remind)."""
    if plan is None:
        return None
    from schedules.notifier import CaregiverNotifier, NotifierThread
    from schedules.scheduler import ReminderWaker

    section, notice = schedule_of(plan, settings.display.language)
    notifier = CaregiverNotifier(store, settings.caregiver.ntfy_url, settings.caregiver.alert_command)
    thread = NotifierThread(notifier)
    thread.start()
    waker = ReminderWaker(wake_into(events))
    waker.start()
    service = ReminderService(store, section, notifier, lang=settings.display.language)
    return ReminderBridge(service, wall_clock, waker, thread, plan_watch(settings, store), notice)
