"""Start-up reconciliation, restarts and clock jumps, on real SQLite files."""

from datetime import timedelta

from kiosk.store import Store
from schedules import policy as pol
from schedules.reconcile import detect_jump
from schedules.service import ReminderService
from tests.schedules.helpers import SECTION, drive, mono, shown, utc


def open_service(path, at):
    store = Store.open(path)
    service = ReminderService(store, SECTION)
    return store, service, service.start(at, mono(at))


def statuses(store):
    """{(item, 'MM-DDTHH:MM' in UTC): status}."""
    return {(r["item_id"], r["due_at"][5:16]): r["status"] for r in store.db["reminder_events"].rows}


def test_restarts_never_duplicate_rows_or_announcements(tmp_path):
    path = tmp_path / "f.db"
    t = utc(2026, 7, 1, 6, 50)
    first_seen: dict[int, str] = {}
    for _restart in range(6):  # restart every 7 minutes through the 08:00 escalation
        store, service, decisions = open_service(path, t)
        decisions = [(0, d) for d in decisions] + drive(service, t, 6)
        for reminder_id in shown(decisions):
            announced_at = store.db["reminder_events"].get(reminder_id)["announced_at"]
            assert first_seen.setdefault(reminder_id, announced_at) == announced_at, "announced afresh twice"
        store.close()
        t += timedelta(minutes=7)
    store = Store.open(path)
    rows = list(store.db["reminder_events"].rows)
    assert len(rows) == len({(r["item_id"], r["due_at"]) for r in rows})
    assert len(first_seen) == 1, "the 08:00 drops card came back after each restart, same reminder"
    kinds = [a["kind"] for a in store.db["caregiver_alerts"].rows]
    assert kinds == ["unanswered"], "the escalation went on across restarts; a minute off swallowed nothing"
    store.close()


def test_night_routine_first_after_a_night_off_and_caregiver_told(tmp_path):
    path = tmp_path / "f.db"
    store, service, _ = open_service(path, utc(2026, 7, 1, 18, 30))  # 19:30 London
    drive(service, utc(2026, 7, 1, 18, 30), 10)  # the 20:00 drops are due at 19:00 UTC, not yet
    store.close()
    # Off from 19:40 to 23:30 London: the 20:00 drops and the 22:00 night routine fell due.
    store, service, decisions = open_service(path, utc(2026, 7, 1, 22, 30))
    shows = [d for d in decisions if isinstance(d, pol.Show)]
    assert [store.db["reminder_events"].get(d.reminder_id)["item_id"] for d in shows] == [
        "night_routine",
        "day_drops",
    ], "night routine first"
    speaks = [d for d in decisions if isinstance(d, pol.Speak)]
    assert "ointment" in speaks[0].text
    alerts = list(store.db["caregiver_alerts"].rows)
    assert [a["kind"] for a in alerts] == ["kiosk_off"]
    assert "19:40 to 23:30" in alerts[0]["message"] and "2 eye care" in alerts[0]["message"]
    store.close()


def test_a_long_day_off_supersedes_old_doses_and_records_them_missed(tmp_path):
    path = tmp_path / "f.db"
    store, service, _ = open_service(path, utc(2026, 7, 1, 6, 0))
    store.close()
    store, service, decisions = open_service(path, utc(2026, 7, 1, 13, 20))  # 14:20 London
    assert len(shown(decisions)) == 1, "only the newest drops are asked for"
    assert any(isinstance(d, pol.Speak) and "switched off" in d.text for d in decisions)
    done = statuses(store)
    assert [done[("day_drops", f"07-01T{h}")] for h in ("07:00", "09:00", "11:00")] == ["missed"] * 3
    assert done[("day_drops", "07-01T13:00")] == "announced"
    missed = list(store.db["reminder_events"].rows_where("status = 'missed'"))
    assert all(r["caregiver_alerted_at"] and r["announced_at"] for r in missed)
    # the announced one escalates from start-up, not from 14:00
    later = drive(service, utc(2026, 7, 1, 13, 21), 30)
    assert not any(isinstance(d, pol.Hide) for _, d in later)
    store.close()


def test_clock_jump_forward_after_a_stale_boot_is_reconciled(tmp_path):
    path = tmp_path / "f.db"
    store, service, _ = open_service(path, utc(2026, 7, 1, 6, 0))
    drive(service, utc(2026, 7, 1, 6, 0), 20)
    store.close()
    # The Pi boots three hours later believing it is still 07:20 (saved clock) ...
    store = Store.open(path)
    service = ReminderService(store, SECTION)
    assert service.start(utc(2026, 7, 1, 6, 21), 5.0) == []
    assert service.tick(utc(2026, 7, 1, 6, 22), 65.0) == []
    # ... then the network corrects it: the wall clock jumps forward by about three hours.
    true_now = utc(2026, 7, 1, 9, 25)
    decisions = service.tick(true_now, 125.0)
    assert len(shown(decisions)) == 1
    done = statuses(store)
    assert done[("day_drops", "07-01T07:00")] == "missed" and done[("day_drops", "07-01T09:00")] == "announced"
    assert [a["kind"] for a in store.db["caregiver_alerts"].rows] == ["clock_jump"]
    assert store.db["event_log"].count == 1
    store.close()


def test_clock_jump_backward_neither_repeats_nor_loses(fresh_store):
    service = ReminderService(fresh_store, SECTION)
    start = utc(2026, 7, 1, 6, 50)
    service.start(start, mono(start))
    first = drive(service, start, 12)  # the 08:00 drops announced at 07:00 UTC
    assert len(shown(first)) == 1
    # The clock is set one hour back; monotonic time goes on.
    back = utc(2026, 7, 1, 6, 3)
    decisions = service.tick(back, mono(start + timedelta(minutes=13)))
    assert shown(decisions) == []
    later = []
    for m in range(1, 80):
        wall = back + timedelta(minutes=m)
        later += service.tick(wall, mono(start + timedelta(minutes=13 + m)))
    assert shown([(0, d) for d in later]) == [], "not announced again when the wall clock passes 08:00 again"
    rows = list(fresh_store.db["reminder_events"].rows_where("due_at <= '2026-07-01T07:00:00+00:00'"))
    assert [r["status"] for r in rows] == ["missed"], "escalation went on in real time"
    assert [a["kind"] for a in fresh_store.db["caregiver_alerts"].rows] == ["unanswered", "missed"]


def test_detect_jump_tolerates_drift():
    t = utc(2026, 7, 1)
    assert detect_jump(t, 0.0, t + timedelta(seconds=60), 30.0) is None
    assert detect_jump(t, 0.0, t + timedelta(hours=2), 60.0) > timedelta(hours=1)
    assert detect_jump(t, 0.0, t - timedelta(hours=1), 60.0) < -timedelta(minutes=59)


def test_a_new_plan_replaces_future_rows_but_keeps_what_is_waiting(tmp_path):
    from datetime import time

    from schedules.plan_section import EyeCareItem, ScheduleSection

    path = tmp_path / "f.db"
    store, service, _ = open_service(path, utc(2026, 7, 1, 6, 50))
    assert len(shown(drive(service, utc(2026, 7, 1, 6, 50), 12))) == 1  # 08:00 drops waiting
    store.close()
    new_plan = ScheduleSection("Europe/London", "left", (), (EyeCareItem("hourly", "drops", (time(9), time(11))),))
    store = Store.open(path)
    service = ReminderService(store, new_plan)
    decisions = service.start(utc(2026, 7, 1, 7, 3), mono(utc(2026, 7, 1, 7, 3)))
    assert len(shown(decisions)) == 1, "the reminder already waiting is still asked for"
    future = {r["item_id"]: r["status"] for r in store.db["reminder_events"].rows_where("due_at > '2026-07-01T07:03'")}
    assert future == {"day_drops": "cancelled", "night_routine": "cancelled", "hourly": "due"}
    assert [r["kind"] for r in store.db["event_log"].rows] == ["reminders_replanned"]
    store.close()
