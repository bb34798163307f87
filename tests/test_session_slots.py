"""Sessions tied to the plan's scheduled slots; a slot that passes without a session is recorded missed."""

from datetime import UTC, datetime, time, timedelta

from kiosk.devices.fakes import FakeSpeaker
from kiosk.session.controller import NoMovement, SessionController
from kiosk.session.slot_ledger import SlotLedger, SlotStep
from kiosk.session.slots import missed, occurrences, slot_for
from kiosk.session.steps import ExerciseStep, SessionPlan
from schedules.plan_section import SessionSlot

MORNING = SessionSlot("morning", tuple(range(7)), time(10, 0), window_minutes=120)
EVENING = SessionSlot("evening", (0, 2, 4), time(18, 0), window_minutes=60)  # Mon, Wed, Fri
SLOTS = (MORNING, EVENING)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)  # 2026-11-02 is a Monday


def test_occurrences_follow_the_weekdays():
    occ = list(occurrences(SLOTS, at(2, 0).date(), at(3, 0).date(), UTC))
    assert [(o.slot_id, o.planned_for) for o in occ] == [
        ("morning", at(2, 10)),
        ("evening", at(2, 18)),
        ("morning", at(3, 10)),
    ]


def test_a_session_fills_the_open_slot_early_or_late_and_else_is_extra():
    assert slot_for(at(2, 9, 15), SLOTS, set(), UTC).planned_for == at(2, 10)  # 45 min early still counts
    assert slot_for(at(2, 11, 59), SLOTS, set(), UTC).slot_id == "morning"
    assert slot_for(at(2, 13), SLOTS, set(), UTC) is None  # between slots: an extra session
    taken = {("morning", at(2, 10).isoformat())}
    assert slot_for(at(2, 10, 30), SLOTS, taken, UTC) is None  # the morning was already done


def test_missed_slots_are_those_whose_window_closed_without_a_session():
    taken = {("morning", at(2, 10).isoformat())}
    gone = missed(SLOTS, at(2, 0), at(3, 11), taken, UTC)
    assert [(o.slot_id, o.planned_for) for o in gone] == [("evening", at(2, 18))]  # the 3rd's morning is still open


def _apply_plan(store, when):
    with store.critical() as db:
        db["plan_versions"].insert({"version": 1, "applied_at": when.isoformat(), "status": "applied"})


def test_the_kiosk_records_missed_slots_once_and_ties_sessions(fresh_store):
    _apply_plan(fresh_store, at(2, 8))
    ledger = SlotLedger(fresh_store, SLOTS, UTC)
    plan = SessionPlan(
        (ExerciseStep("brow_lift", "Brow lift", "none", ("Lift.",), "Lift.", reps=1),), camera_needed=False
    )
    clock = [at(2, 10, 5)]
    ctl = SessionController(plan, FakeSpeaker(), fresh_store, NoMovement(), lambda: clock[0], slots=ledger)
    ctl.start(0.0)
    step = SlotStep(ledger, lambda: clock[0])
    clock[0] = at(3, 12, 30)  # the evening of the 2nd and the morning of the 3rd passed
    step(100.0)
    step(110.0)  # within the minute: not checked again
    clock[0] = at(3, 13)
    step(200.0)  # checked again: nothing new, nothing twice
    rows = {(r["slot_id"], r["planned_for"]): r["status"] for r in fresh_store.db["sessions"].rows}
    assert rows == {
        ("morning", at(2, 10).isoformat()): "running",
        ("evening", at(2, 18).isoformat()): "missed",
        ("morning", at(3, 10).isoformat()): "missed",
    }
    kinds = [r["kind"] for r in fresh_store.db["event_log"].rows]
    assert kinds.count("sessions_missed") == 1


def test_a_kiosk_off_for_days_records_every_slot_at_start_up(fresh_store):
    _apply_plan(fresh_store, at(2, 8))
    gone = SlotLedger(fresh_store, SLOTS, UTC).record_missed(at(2, 8) + timedelta(days=7))
    assert len(gone) == 7 + 3  # seven mornings, three evenings (Mon, Wed, Fri)


def test_without_an_applied_plan_nothing_is_missed_before_now(fresh_store):
    assert SlotLedger(fresh_store, SLOTS, UTC).record_missed(at(9, 23)) == []


def test_the_caregiver_is_told_of_a_missed_session_but_not_flooded_after_months_off(fresh_store):
    from schedules.notifier import CaregiverNotifier

    _apply_plan(fresh_store, at(2, 8))
    notifier = CaregiverNotifier(fresh_store)
    ledger = SlotLedger(fresh_store, (MORNING,), UTC, notifier)
    ledger.record_missed(at(2, 12, 1))
    (alert,) = fresh_store.db["caregiver_alerts"].rows
    assert alert["kind"] == "missed_session"
    assert alert["message"] == "The exercise session planned for Mon 02 Nov at 10:00 was not done."
    ledger.record_missed(at(2, 12, 1) + timedelta(days=60))  # the kiosk was off for two months
    alerts = list(fresh_store.db["caregiver_alerts"].rows)
    assert len(alerts) == 2 and alerts[1]["message"].startswith("The exercise session planned for")


def test_an_upgraded_kiosk_does_not_record_its_past_as_missed(tmp_path):
    import sqlite3

    from kiosk.store import Store

    db = tmp_path / "old.db"
    store = Store.open(db)
    store.close()
    with sqlite3.connect(db) as raw:  # a database from before slots: migration summary_002 not yet applied
        raw.execute("insert into sessions (started_at, status) values ('2026-10-01T10:00:00+00:00', 'done')")
        raw.execute(
            "insert into plan_versions (version, applied_at, status) values (1, '2026-09-01T08:00:00+00:00', 'applied')"
        )
        raw.execute("drop index sessions_slot_once")
        raw.execute("alter table sessions drop column slot_id")
        raw.execute("delete from _sqlite_migrations where name = 'summary_002_session_slots'")
    store = Store.open(db)
    try:
        gone = SlotLedger(store, SLOTS, UTC).record_missed(datetime.now(UTC))
        assert len(gone) <= 2  # at most today's slots, never the months since the plan was applied
    finally:
        store.close()
