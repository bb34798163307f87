"""The after-session questions come after every session end (stopped, run to its end), never over a
safety state, and an unanswered question is kept as "not answered" (issue 23), through the real Kiosk."""

# ruff: noqa: F811  (the kiosk fixtures come from tests/test_kiosk_flow.py and tests/test_kiosk_stimulation.py)

from __future__ import annotations

from datetime import timedelta

from nacl.signing import SigningKey

from kiosk.checkin_prompt import SUMMARY_SHOWN_S
from kiosk.events import QuitRequested, ReminderDue, VoiceCommand
from kiosk.summary.pdf_progress import progress_pdf
from kiosk.summary.service import build_from_store
from tests.test_checkin import finish_session, say, stored, touch
from tests.test_kiosk_flow import NOW, advance, kiosk, start  # noqa: F401
from tests.test_kiosk_stimulation import answered_before, make, start_block, wait  # noqa: F401

NOT_SHOWN = [("feel", "not_answered", "not_shown"), ("eye", "not_answered", "not_shown")]


def sessions(k) -> list[dict]:
    return list(k.store.db["sessions"].rows)


def test_a_session_stopped_early_is_followed_by_the_questions_by_themselves(kiosk):
    start(kiosk)
    advance(kiosk, 20)
    say(kiosk, "stop")
    assert advance(kiosk, 30, until=lambda k: k.mode == "summary")
    assert sessions(kiosk)[0]["status"] == "partial"
    advance(kiosk, SUMMARY_SHOWN_S - 1)
    assert kiosk.mode == "summary"  # the summary is read first
    assert advance(kiosk, 2, until=lambda k: k.mode == "checkin")
    assert kiosk.devices.speaker.texts[-1].startswith("How did the exercises feel today?")
    touch(kiosk, "checkin_feel_painful")
    touch(kiosk, "checkin_eye_none")
    session_id = sessions(kiosk)[0]["id"]
    rows = list(kiosk.store.db["checkin_answers"].rows)
    assert [(r["session_id"], r["question"], r["answer"]) for r in rows] == [
        (session_id, "feel", "painful"),
        (session_id, "eye", "none"),
    ]


def test_a_session_run_to_its_end_with_nobody_touching_gets_the_questions(kiosk):
    finish_session(kiosk)
    assert sessions(kiosk)[0]["status"] == "done"
    assert advance(kiosk, SUMMARY_SHOWN_S + 1, until=lambda k: k.mode == "checkin")
    advance(kiosk, 600)  # nobody answers: the questions stay; nothing is made up
    assert kiosk.mode == "checkin" and stored(kiosk) == []


def test_the_questions_wait_for_a_reminder_on_screen(kiosk):
    finish_session(kiosk)
    kiosk.events.put(ReminderDue(at=kiosk.loop.clock.t, reminder_id=4, item_id="drops", kind="drops"))
    advance(kiosk, SUMMARY_SHOWN_S + 10)
    assert kiosk.screen_key() == "reminder" and kiosk.mode == "summary"
    kiosk.act("acknowledge", kiosk.loop.clock.t, via="touch")
    assert kiosk.reminder is None and kiosk.acks == [(4, "touch")]
    assert advance(kiosk, 0.5, until=lambda k: k.mode == "checkin")


def test_the_questions_never_come_over_a_latched_emergency_stop_and_are_kept_as_not_shown(make, fresh_store):
    answered_before(fresh_store)
    k = make()
    start_block(k)
    k.devices.board.press_estop()
    assert wait(k, lambda k: k.mode == "summary")
    k.loop.clock.t += SUMMARY_SHOWN_S + 5
    k.loop.tick()
    assert k.stim.estop_latched and k.mode == "summary"
    k.act("home", k.loop.clock.t, via="touch")  # leaving the summary: Home with the notice, not the questions
    assert k.mode == "home" and k.checkin is None
    assert stored(k) == NOT_SHOWN


def test_stop_on_the_summary_and_a_shutdown_keep_the_questions_as_not_answered(kiosk):
    finish_session(kiosk)
    kiosk.events.put(QuitRequested(at=kiosk.loop.clock.t, reason="power button"))
    kiosk.loop.tick()
    assert stored(kiosk) == NOT_SHOWN
    assert kiosk.loop.stopped  # a test loop still ticks: the next session on the same kiosk
    touch(kiosk, "home")  # nothing owed any more: the summary goes Home, nothing more is stored
    assert kiosk.mode == "home" and len(stored(kiosk)) == 2
    finish_session(kiosk)
    touch(kiosk, "home")
    touch(kiosk, "checkin_feel_tiring")
    kiosk.events.put(QuitRequested(at=kiosk.loop.clock.t, reason="power button"))
    kiosk.loop.tick()
    assert stored(kiosk)[2:] == [("feel", "tiring", "touch"), ("eye", "not_answered", "left")]


def test_the_summary_says_how_often_the_questions_were_not_answered(kiosk):
    finish_session(kiosk)
    kiosk.events.put(VoiceCommand(at=kiosk.loop.clock.t, intent="stop"))  # stop on the summary
    kiosk.loop.tick()
    day = NOW.date()
    key = SigningKey(bytes(32))
    summary, _ = build_from_store(kiosk.store, day - timedelta(days=1), day, NOW + timedelta(hours=1), key, None)
    progress = summary["progress"]
    assert progress["feel_counts"]["not_answered"] == 1 and progress["eye_counts"]["not_answered"] == 1
    assert progress["flagged"] is False
    text = " ".join(p.getPlainText() for p in progress_pdf(summary))
    assert "not answered 1" in text


def test_after_a_power_cut_the_last_days_sessions_without_answers_are_kept_as_not_shown(fresh_store):
    from kiosk.checkin_prompt import record_cut_off
    from kiosk.checkin_store import save_answer
    from tests.test_baseline import add_session

    old = add_session(fresh_store, NOW - timedelta(days=3), {"open_smile": (2.0, 8.0, 20.0, 80.0)})
    answered = add_session(fresh_store, NOW - timedelta(hours=5), {"open_smile": (2.0, 8.0, 20.0, 80.0)})
    save_answer(fresh_store, answered, "feel", "tiring", "touch", NOW - timedelta(hours=5))
    cut = add_session(fresh_store, NOW - timedelta(hours=1), {"open_smile": (2.0, 8.0, 20.0, 80.0)})
    assert record_cut_off(fresh_store, NOW) == [cut]
    rows = [(r["session_id"], r["question"], r["answer"], r["via"]) for r in fresh_store.db["checkin_answers"].rows]
    assert (cut, "feel", "not_answered", "not_shown") in rows and (cut, "eye", "not_answered", "not_shown") in rows
    assert all(r[0] != old for r in rows)  # older sessions may predate the questions: left alone
    assert record_cut_off(fresh_store, NOW) == []  # a second start-up adds nothing
