"""The APScheduler adapter with a real BackgroundScheduler (short and bounded)."""

import time
from datetime import UTC, datetime, timedelta

from kiosk.events import EventQueue, ReminderDue
from kiosk.reminders import wake_into
from schedules.scheduler import JOB_NEXT, JOB_SAFETY_NET, ReminderWaker


def wait_for_events(events: EventQueue, count: int, seconds: float = 5.0) -> list:
    got: list = []
    deadline = time.monotonic() + seconds
    while len(got) < count and time.monotonic() < deadline:
        got += events.drain()
        time.sleep(0.01)
    return got


def test_wakes_the_kiosk_with_fixed_replaced_jobs_and_runs_late_wakes():
    events = EventQueue()
    waker = ReminderWaker(wake_into(events), safety_net_s=3600)
    waker.start()
    try:
        assert waker.job_ids() == [JOB_SAFETY_NET]
        far = datetime.now(UTC) + timedelta(hours=1)
        waker.wake_at(far, reminder_id=1)
        waker.wake_at(datetime.now(UTC) + timedelta(seconds=0.2), reminder_id=7, item_id="day_drops", kind="drops")
        assert waker.job_ids() == sorted([JOB_NEXT, JOB_SAFETY_NET]), "one wake job, replaced"
        job = waker.scheduler.get_job(JOB_NEXT)
        assert job.misfire_grace_time is None and job.coalesce is True
        got = wait_for_events(events, 1)
        assert len(got) == 1 and isinstance(got[0], ReminderDue)
        assert (got[0].reminder_id, got[0].item_id, got[0].kind) == (7, "day_drops", "drops")
        # A wake time already in the past (clock jumped, machine slept) still runs, once.
        waker.wake_at(datetime.now(UTC) - timedelta(hours=3), reminder_id=9)
        late = wait_for_events(events, 1)
        assert [e.reminder_id for e in late] == [9]
        time.sleep(0.2)
        assert events.drain() == [] and waker.fired == 2
        waker.wake_at(None)
        assert waker.job_ids() == [JOB_SAFETY_NET]
    finally:
        waker.close()
        waker.close()
    assert not waker.scheduler.running
