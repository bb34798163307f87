from datetime import timedelta

from kiosk.devices.base import PRIORITY_REMINDER
from schedules import policy as pol
from schedules.escalation import ReminderPolicy
from schedules.plan_section import default_section
from schedules.service import REFUSED_INTENTS, ReminderService
from tests.schedules.helpers import SECTION, drive, mono, shown, utc

# 08:00 London in July is 07:00 UTC.
MORNING = utc(2026, 7, 1, 6, 30)
DROPS = utc(2026, 7, 1, 7, 0)


def started(store, section=SECTION, at=MORNING):
    service = ReminderService(store, section)
    assert service.start(at, mono(at)) == []
    return service


def test_due_reminder_is_shown_spoken_and_escalates(fresh_store):
    service = started(fresh_store)
    decisions = drive(service, MORNING, 120)
    first = [(m, d) for m, d in decisions if isinstance(d, pol.Show)]
    assert [m for m, _ in first] == [30], "shown once, at 08:00 local"
    speaks = [(m, d.loud) for m, d in decisions if isinstance(d, pol.Speak)]
    assert speaks[0] == (30, False) and all(loud for _, loud in speaks[1:])
    assert [m for m, _ in speaks[:4]] == [30, 33, 36, 39]
    alerts = fresh_store.db["caregiver_alerts"].rows_where(order_by="id")
    assert [(a["kind"], a["created_at"][11:16]) for a in alerts] == [("unanswered", "07:15"), ("missed", "08:00")]
    row = fresh_store.db["reminder_events"].get(first[0][1].reminder_id)
    assert row["status"] == "missed" and row["caregiver_alerted_at"]
    assert any(isinstance(d, pol.Hide) for _, d in decisions)


def test_voice_acknowledgement_is_on_disk_before_the_confirmation(fresh_store):
    service = started(fresh_store)
    drive(service, MORNING, 31)
    seen_on_disk = []
    original = service.repo.acknowledge

    def spy(reminder_id, via, now):
        record = original(reminder_id, via, now)
        seen_on_disk.append(fresh_store.db["reminder_events"].get(reminder_id)["status"])
        return record

    service.repo.acknowledge = spy
    decisions = service.handle_intent("drops_taken", DROPS + timedelta(minutes=2))
    assert seen_on_disk == ["acknowledged"]
    assert isinstance(decisions[0], pol.Confirm) and "drops" in decisions[0].text
    ack = next(fresh_store.db["reminder_acks"].rows)
    assert ack["via"] == "voice" and ack["late_seconds"] == 120
    assert service.handle_intent("drops_taken", DROPS + timedelta(minutes=3))[0] == pol.Explain(
        "There is no eye care waiting just now."
    )
    after = drive(service, DROPS + timedelta(minutes=3), 50)
    assert not [d for _, d in after if isinstance(d, pol.Speak)], "silent once acknowledged"


def test_ointment_done_covers_the_night_routine_and_touch_acks_what_is_shown(fresh_store):
    service = started(fresh_store, at=utc(2026, 7, 1, 20, 50))
    decisions = drive(service, utc(2026, 7, 1, 20, 50), 11)
    assert shown(decisions) and "ointment" in decisions[0][1].text and "tape" in decisions[0][1].text
    assert isinstance(service.handle_intent("ointment_done", utc(2026, 7, 1, 21, 1))[0], pol.Confirm)
    service2 = started(fresh_store.__class__.memory(), at=MORNING)
    drive(service2, MORNING, 30)
    assert isinstance(service2.acknowledge(DROPS, "touch")[0], pol.Confirm)


def test_patient_cannot_switch_reminders_off(fresh_store):
    service = started(fresh_store)
    drive(service, MORNING, 30)
    for intent in (*REFUSED_INTENTS, "stop"):
        answer = service.handle_intent(intent, DROPS)
        assert answer == [
            pol.Explain("I cannot turn this reminder off. Your therapist's plan sets it, to protect your eye.")
        ]
    assert service.waiting(), "still waiting after every attempt"
    assert fresh_store.db["event_log"].count == len(REFUSED_INTENTS) + 1
    assert service.handle_intent("what_time_is_it", DROPS) is None
    snooze = service.handle_intent("snooze", DROPS)
    assert snooze == [pol.Explain("This cannot wait. Your therapist's plan does not allow a delay.")]


def test_snooze_where_the_plan_allows_it(fresh_store):
    section = default_section("Europe/London", "left")
    section = section.__class__(**{**section.__dict__, "policy": ReminderPolicy(snooze_minutes=5, max_snoozes=1)})
    service = started(fresh_store, section)
    drive(service, MORNING, 30)
    assert "5 minutes" in service.handle_intent("snooze", DROPS)[0].text
    quiet = drive(service, DROPS + timedelta(minutes=1), 3)
    assert not [d for _, d in quiet if isinstance(d, pol.Speak)]
    assert service.snooze(DROPS + timedelta(minutes=2))[0].text.startswith("This cannot wait any longer")


def test_reminder_pauses_coaching_and_resumes_after_acknowledgement(fresh_store):
    service = started(fresh_store)
    decisions = [d for _, d in drive(service, MORNING, 30, activity="coaching")]
    assert decisions[0] == pol.Interrupt("reminder")
    assert isinstance(decisions[1], pol.Show) and isinstance(decisions[2], pol.Speak)
    assert decisions[2].priority == PRIORITY_REMINDER
    repeat = [d for _, d in drive(service, DROPS + timedelta(minutes=3), 0, activity="coaching")]
    assert not any(isinstance(d, pol.Interrupt) for d in repeat), "paused once, not on every repeat"
    after = service.handle_intent("drops_taken", DROPS + timedelta(minutes=4), activity="coaching")
    assert after[-1] == pol.ResumeCoaching()


def test_during_stimulation_the_reminder_shows_at_once_and_speaks_after_ramp_down(fresh_store):
    service = started(fresh_store)
    decisions = [d for _, d in drive(service, MORNING, 30, activity="stimulating")]
    assert [type(d) for d in decisions] == [pol.ShowNow, pol.SpeakAfterStimulation]
    assert not any(isinstance(d, (pol.Interrupt, pol.Speak)) for d in decisions)


def test_session_prompt_and_next_due(fresh_store):
    service = started(fresh_store, at=utc(2026, 7, 1, 8, 50))
    decisions = [d for _, d in drive(service, utc(2026, 7, 1, 8, 50), 15)]
    sessions = [d for d in decisions if isinstance(d, pol.SessionDue)]
    assert [s.session_id for s in sessions] == ["morning"]
    assert service.next_due(utc(2026, 7, 1, 9, 5)) == ("drops", "12:00")


def test_night_routine_announced_before_drops_when_both_are_due():
    ordered = pol.announcement_order(
        [pol.Announcement(1, "d", "drops", "d"), pol.Announcement(2, "n", "ointment", "n", night=True)]
    )
    assert [a.reminder_id for a in ordered] == [2, 1]
