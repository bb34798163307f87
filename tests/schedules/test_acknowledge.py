"""An answer closes exactly one reminder: the one shown, or for an early answer the one it can mean."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.store import Store
from schedules import policy as pol
from schedules.scenarios import SCENARIOS, scenario_section
from schedules.service import ReminderService
from schedules.simulate import simulate
from tests.schedules.helpers import drive, mono, shown

LONDON = ZoneInfo("Europe/London")
NOON = datetime(2026, 7, 1, 12, 0, tzinfo=LONDON)


def started(store, scenario, at):
    service = ReminderService(store, scenario_section(scenario))
    service.start(at, mono(at))
    return service


def status(store, local_time):
    due = NOON.replace(hour=local_time.hour, minute=local_time.minute).astimezone(ZoneInfo("UTC"))
    rows = list(store.db["reminder_events"].rows_where("due_at = ?", [due.isoformat(timespec="seconds")]))
    return [r["status"] for r in rows]


def confirmed(decisions):
    return [d.reminder_id for d in decisions if isinstance(d, pol.Confirm)]


def test_a_late_answer_closes_the_dose_shown_not_the_next_one(fresh_store):
    service = started(fresh_store, "half_hourly", NOON - timedelta(minutes=5))
    drive(service, NOON - timedelta(minutes=5), 21)  # 12:00 shown, unanswered until 12:16
    answer = service.handle_intent("drops_taken", NOON + timedelta(minutes=16))
    assert len(confirmed(answer)) == 1
    assert status(fresh_store, NOON.time()) == ["acknowledged"]
    assert status(fresh_store, (NOON + timedelta(minutes=30)).time()) == ["due"], "12:30 not touched"
    later = drive(service, NOON + timedelta(minutes=16), 15)
    assert len(shown(later)) == 1, "the 12:30 dose is announced at 12:30"


def test_ointment_done_does_not_close_the_shield_reminder_ten_minutes_later(fresh_store):
    night = NOON.replace(hour=21, minute=55)
    service = started(fresh_store, "ointment_then_shield", night)
    drive(service, night, 6)
    assert len(confirmed(service.handle_intent("ointment_done", night + timedelta(minutes=6)))) == 1
    tonight = fresh_store.db["reminder_events"].rows_where("item_id like 'night%'", order_by="due_at desc")
    rows = {r["item_id"]: r["status"] for r in tonight}  # the earliest (tonight's) row of each item wins
    assert rows["night_ointment"] == "acknowledged" and rows["night_shield"] == "due"
    assert len(shown(drive(service, night + timedelta(minutes=6), 10))) == 1, "the shield is announced at 22:10"


def test_an_early_answer_closes_only_the_next_dose_of_its_kind(fresh_store):
    service = started(fresh_store, "hourly", NOON - timedelta(minutes=1))
    drive(service, NOON - timedelta(minutes=1), 2)
    service.handle_intent("drops_taken", NOON + timedelta(minutes=1))
    early = service.handle_intent("drops_taken", NOON + timedelta(minutes=50))
    assert len(confirmed(early)) == 1
    assert status(fresh_store, NOON.replace(hour=13).time()) == ["acknowledged"]
    assert status(fresh_store, NOON.replace(hour=14).time()) == ["due"]
    assert shown(drive(service, NOON + timedelta(minutes=50), 15)) == [], "13:00 was answered early, not shown"
    ack = fresh_store.db.execute("select late_seconds from reminder_acks order by id desc limit 1").fetchone()
    assert ack[0] == 0


def test_saying_it_twice_never_closes_the_next_dose(fresh_store):
    service = started(fresh_store, "half_hourly", NOON - timedelta(minutes=1))
    drive(service, NOON - timedelta(minutes=1), 15)
    assert len(confirmed(service.handle_intent("drops_taken", NOON + timedelta(minutes=14)))) == 1
    again = service.handle_intent("drops_taken", NOON + timedelta(minutes=17))
    assert again == [pol.Explain("Thank you. That is already noted. I will remind you when the next one is due.")]
    assert status(fresh_store, (NOON + timedelta(minutes=30)).time()) == ["due"]


def test_an_answer_nearer_the_last_dose_than_the_next_means_the_last(fresh_store):
    service = started(fresh_store, "half_hourly", NOON - timedelta(minutes=1))
    drive(service, NOON - timedelta(minutes=1), 2)
    service.handle_intent("drops_taken", NOON)
    drive(service, NOON, 16)
    # 16 minutes after the last dose's answer, 14 before the next: nearer the next, so it counts early
    assert len(confirmed(service.handle_intent("drops_taken", NOON + timedelta(minutes=16)))) == 1
    drive(service, NOON + timedelta(minutes=16), 20)
    service.handle_intent("drops_taken", NOON + timedelta(minutes=36))  # nothing waiting at 12:36
    # 6 minutes after 12:30, 24 before 13:00: it means 12:30, already noted
    assert status(fresh_store, NOON.replace(hour=13).time()) == ["due"]


def test_touch_and_button_close_only_the_card_when_several_are_waiting(fresh_store):
    service = started(fresh_store, "same_minute", NOON - timedelta(minutes=1))
    decisions = drive(service, NOON - timedelta(minutes=1), 1)
    assert len(shown(decisions)) == 2, "drops and lid stretch both due at 12:00"
    card = service.shown()
    assert card == shown(decisions)[-1], "the card shows the last one put on screen"
    assert confirmed(service.acknowledge(NOON, "button", reminder_id=card)) == [card]
    assert len(service.waiting()) == 1 and service.shown() != card
    assert confirmed(service.acknowledge(NOON, "touch", reminder_id=card)) == [], "already closed"


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["default", *SCENARIOS])
def test_realistic_plans_lose_and_duplicate_nothing_for_50_seeds(scenario):
    section = scenario_section(scenario)
    start = datetime(2026, 3, 28, 6, tzinfo=LONDON)  # crosses the March clock change
    early = 0
    for seed in range(1, 51):
        totals = simulate(days=2, seed=seed, start=start, section=section, open_store=Store.open)
        assert (totals.lost, totals.duplicates) == (0, 0), (seed, totals.problems)
        assert totals.acknowledged + totals.missed == totals.due
        early += totals.early
    assert early > 0, "the patients answered early sometimes"
