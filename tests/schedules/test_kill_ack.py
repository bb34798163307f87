"""A process killed with SIGKILL in the middle of an acknowledgement loses nothing (real file, subprocess)."""

import os
import signal
import subprocess
import sys
import textwrap
from datetime import time, timedelta

from kiosk.store import DB_NAME, Store
from schedules import policy as pol
from schedules.plan_section import EyeCareItem, ScheduleSection
from schedules.service import ReminderService
from tests.conftest import REPO
from tests.schedules.helpers import mono, utc

ITEMS = 12
SECTION = ScheduleSection(
    "Europe/London", "left", (), tuple(EyeCareItem(f"drops_{n}", "drops", (time(8, 0),)) for n in range(ITEMS))
)
DUE = utc(2026, 7, 1, 7, 0)  # 08:00 London

CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import timedelta
    from kiosk.store import Store
    from schedules import policy as pol
    from schedules.service import ReminderService
    from tests.schedules.test_kill_ack import DUE, SECTION
    from tests.schedules.helpers import mono

    store = Store.open(sys.argv[1])
    service = ReminderService(store, SECTION)
    now = DUE + timedelta(minutes=1)
    service.start(now, mono(now))
    original = service.repo._write_ack
    hang_on = int(sys.argv[2])

    def write_ack(db, state, via, at):
        record = original(db, state, via, at)
        print("WRITING", state.id, flush=True)  # inside the transaction, not yet committed
        if state.id == hang_on:
            time.sleep(30)
        return record

    service.repo._write_ack = write_ack
    for reminder_id in sorted(service.rows):
        for decision in service.acknowledge(now, "touch", reminder_id=reminder_id):
            if isinstance(decision, pol.Confirm):
                print("CONFIRMED", reminder_id, flush=True)  # what the patient hears
    """
)


def prepare(path):
    store = Store.open(path)
    service = ReminderService(store, SECTION)
    service.start(DUE - timedelta(minutes=1), mono(DUE) - 60)
    decisions = service.tick(DUE, mono(DUE))
    store.close()
    return [d.reminder_id for d in decisions if isinstance(d, pol.Show)]


def test_sigkill_during_an_acknowledgement_loses_nothing(tmp_path):
    path = tmp_path / DB_NAME
    ids = prepare(path)
    assert len(ids) == ITEMS
    hang_on = sorted(ids)[7]
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, str(script), str(path), str(hang_on)], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
    )
    confirmed: list[int] = []
    try:
        for line in child.stdout:
            word, reminder_id = line.split()
            if word == "CONFIRMED":
                confirmed.append(int(reminder_id))
            elif int(reminder_id) == hang_on:
                child.send_signal(signal.SIGKILL)  # mid-transaction: the ack row is written, not committed
                break
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert confirmed == sorted(ids)[:7]

    store = Store.open(path)
    try:
        assert store.integrity_check() == "ok"
        acks = {r["reminder_id"]: r for r in store.db["reminder_acks"].rows}
        events = {r["id"]: r for r in store.db["reminder_events"].rows}
        assert set(acks) == set(confirmed), "everything confirmed aloud is on disk, nothing more"
        for reminder_id in ids:
            expected = "acknowledged" if reminder_id in confirmed else "announced"
            assert events[reminder_id]["status"] == expected, "no half-written acknowledgement"
        # After the restart the interrupted reminder is still waiting and shown again.
        service = ReminderService(store, SECTION)
        later = DUE + timedelta(minutes=2)
        decisions = service.start(later, mono(later))
        shown = {d.reminder_id for d in decisions if isinstance(d, pol.Show)}
        assert shown == set(ids) - set(confirmed) and hang_on in shown
        assert isinstance(service.acknowledge(later, "touch", reminder_id=hang_on)[0], pol.Confirm)
    finally:
        store.close()
