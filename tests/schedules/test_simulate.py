"""The 14-day accelerated simulation of the real reminder code, and a check that its counts can fail."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.store import DB_NAME, Store
from schedules.due import occurrences
from schedules.plan_section import default_section
from schedules.simulate import Totals, _count, simulate
from tests.schedules.helpers import utc

LONDON = ZoneInfo("Europe/London")


@pytest.mark.slow
def test_fourteen_days_across_the_march_dst_change_lose_and_duplicate_nothing(tmp_path):
    totals = simulate(
        days=14, seed=1, start=datetime(2026, 3, 23, 6, tzinfo=LONDON), folder=tmp_path, open_store=Store.open
    )
    assert totals.due == 14 * 8
    assert totals.announced + totals.early == totals.due, "every due reminder announced or answered early"
    assert totals.acknowledged + totals.missed == totals.due, "each ends acknowledged or missed"
    assert totals.missed > 0 and totals.late > 0 and totals.escalated >= totals.missed, "the script exercised misses"
    assert totals.duplicates == 0 and totals.lost == 0, totals.problems
    assert totals.restarts >= 4 and totals.clock_jumps >= 4 and totals.minutes_off > 600
    assert totals.interrupts > 0 and totals.after_stimulation > 0
    store = Store.open(tmp_path / DB_NAME)
    try:
        missed = list(store.db["reminder_events"].rows_where("status = 'missed'"))
        assert missed and all(r["caregiver_alerted_at"] for r in missed), "every miss escalated and recorded"
        acks = store.db.execute(
            "select count(*) from reminder_acks a join reminder_events e on e.id = a.reminder_id where e.due_at <= ?",
            ["2026-04-06T05:00:00+00:00"],
        ).fetchone()[0]
        assert acks == totals.acknowledged, "one acknowledgement row per acknowledged reminder"
        assert store.integrity_check() == "ok"
    finally:
        store.close()


@pytest.mark.slow
def test_seven_days_across_the_october_dst_change(tmp_path):
    totals = simulate(
        days=7, seed=5, start=datetime(2026, 10, 21, 6, tzinfo=LONDON), folder=tmp_path, open_store=Store.open
    )
    assert totals.due == 7 * 8 and totals.announced + totals.early == totals.due
    assert totals.duplicates == 0 and totals.lost == 0, totals.problems


def test_the_count_sees_a_lost_and_an_unfinished_reminder(tmp_path):
    section = default_section("Europe/London", "left")
    start, end = utc(2026, 7, 1), utc(2026, 7, 2)
    store = Store.open(tmp_path / DB_NAME)
    from schedules.repository import ReminderRepository

    found = occurrences(section, start, end)
    ReminderRepository(store).materialize(found[1:])  # the first one never made it to the database
    store.close()
    totals = Totals()
    _count(totals, section, start, end, Store.open(tmp_path / DB_NAME))
    assert totals.lost == len(found), "one missing row + every row left open"
    assert len(totals.problems) == len(found) - 1
