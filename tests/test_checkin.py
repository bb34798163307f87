"""The two questions after a session, through the real Kiosk: touch and voice, stored durably, flags."""

# ruff: noqa: F811  (the kiosk fixture comes from tests/test_kiosk_flow.py)

from __future__ import annotations

import json

import pytest

from kiosk.app import Kiosk
from kiosk.checkin import CheckIn, action, flags_of, parse_action
from kiosk.checkin_store import answers_between
from kiosk.events import ButtonPressed, KeyPressed, Touched, VoiceCommand
from tests.test_kiosk_flow import advance, kiosk  # noqa: F401  (the fixture: the whole kiosk on the fakes)


def finish_session(k: Kiosk) -> None:
    k.events.put(VoiceCommand(at=k.loop.clock.t, intent="start_session"))
    k.loop.tick()
    assert advance(k, 400, until=lambda k: k.mode == "summary")


def touch(k: Kiosk, name: str) -> None:
    """Touch the button whose action is ``name`` on the screen drawn last."""
    button = next(b for b in reversed(k.painter.buttons) if b.action == name)
    k.events.put(Touched(at=k.loop.clock.t, x=button.rect.centerx, y=button.rect.centery))
    advance(k, 0.2)


def say(k: Kiosk, intent: str) -> None:
    k.events.put(VoiceCommand(at=k.loop.clock.t, intent=intent))
    advance(k, 0.2)


def stored(k: Kiosk) -> list[tuple[str, str, str]]:
    return [(r["question"], r["answer"], r["via"]) for r in k.store.db["checkin_answers"].rows]


def test_the_questions_follow_the_summary_and_touch_answers_are_stored_with_the_session(kiosk):
    finish_session(kiosk)
    touch(kiosk, "home")
    assert kiosk.mode == "checkin"
    assert kiosk.devices.speaker.texts[-1].startswith("How did the exercises feel today?")
    assert {action("feel", a) for a in ("comfortable", "tiring", "painful")} <= {
        b.action for b in kiosk.painter.buttons
    }
    touch(kiosk, "checkin_feel_tiring")
    assert kiosk.devices.speaker.texts[-1].startswith("Any problem with your eyes today?")
    touch(kiosk, "checkin_eye_none")
    session_id = next(iter(kiosk.store.db["sessions"].rows))["id"]
    rows = list(kiosk.store.db["checkin_answers"].rows)
    assert [(r["session_id"], r["question"], r["answer"], r["via"]) for r in rows] == [
        (session_id, "feel", "tiring", "touch"),
        (session_id, "eye", "none", "touch"),
    ]
    assert all(json.loads(r["flags"]) == [] for r in rows)
    assert kiosk.devices.speaker.texts[-1] == "Thank you. Your answers are saved."
    touch(kiosk, "home")  # OK on the closing page
    assert kiosk.mode == "home"


def test_recognised_spoken_answers_are_taken_and_an_eye_problem_says_contact_the_doctor(kiosk):
    """The intents as a recogniser that has them would give them (not in the shipped grammar: docs/progress.md)."""
    finish_session(kiosk)
    kiosk.events.put(KeyPressed(at=kiosk.loop.clock.t, key="return"))  # Enter leaves the summary too
    advance(kiosk, 0.2)
    say(kiosk, "red")  # not an answer to "how did it feel": ignored
    assert stored(kiosk) == []
    say(kiosk, "painful")
    say(kiosk, "red")
    assert stored(kiosk) == [("feel", "painful", "voice"), ("eye", "red", "voice")]
    flags = [json.loads(r["flags"]) for r in kiosk.store.db["checkin_answers"].rows]
    assert flags == [["pain"], ["eye_problem", "eye_red"]]
    spoken = kiosk.devices.speaker.texts[-1]
    assert spoken.startswith("You said your eye has a problem. Please contact your doctor today.")
    assert "Call if your eye is red." in spoken  # the warning signs from content/…/eye_warning_signs.toml
    model = kiosk.checkin.model()
    assert model.warning and model.closing_title == "Please contact your doctor"
    assert "A red eye" in model.closing_words
    advance(kiosk, 30)
    assert kiosk.mode == "checkin"  # the doctor page stays until OK


def test_stop_on_the_questions_leaves_without_answering_and_stop_on_the_summary_skips_them(kiosk):
    finish_session(kiosk)
    say(kiosk, "stop")
    assert kiosk.mode == "home"
    assert stored(kiosk) == [("feel", "not_answered", "not_shown"), ("eye", "not_answered", "not_shown")]
    finish_session(kiosk)
    touch(kiosk, "home")
    touch(kiosk, "checkin_feel_comfortable")
    say(kiosk, "stop")
    assert kiosk.mode == "home"
    assert stored(kiosk)[2:] == [("feel", "comfortable", "touch"), ("eye", "not_answered", "left")]  # kept


def test_not_now_leaves_the_questions(kiosk):
    finish_session(kiosk)
    touch(kiosk, "home")
    touch(kiosk, "home")  # Not now
    assert kiosk.mode == "home"
    assert stored(kiosk) == [("feel", "not_answered", "left"), ("eye", "not_answered", "left")]


def test_answers_between_reads_rows_in_time_order(kiosk):
    finish_session(kiosk)
    touch(kiosk, "home")
    touch(kiosk, "checkin_feel_painful")
    touch(kiosk, "checkin_eye_blurred")
    rows = answers_between(kiosk.store, "2026-11-21", "2026-11-22")
    assert [(r.question, r.answer, r.flags) for r in rows] == [
        ("feel", "painful", ("pain",)),
        ("eye", "blurred", ("eye_problem", "eye_blurred")),
    ]
    assert answers_between(kiosk.store, "2026-11-22", "2026-11-23") == []


def test_checkin_state_takes_only_the_question_on_screen():
    c = CheckIn(7)
    assert c.question == "feel" and not c.done
    assert c.answer("eye", "red") == c  # not asked yet
    assert c.answer("feel", "red") == c  # not an answer to this question
    c = c.answer("feel", "comfortable").answer("eye", "gritty")
    assert c.done and c.eye_problem and c.flags == ("eye_problem", "eye_gritty")
    assert c.answer_by_voice("red") is None  # nothing left to ask


def test_actions_round_trip_and_flags():
    assert parse_action(action("eye", "blurred")) == ("eye", "blurred")
    assert parse_action("checkin_eye_sore") is None and parse_action("home") is None
    assert flags_of("feel", "tiring") == () and flags_of("eye", "none") == ()
    assert flags_of("eye", "painful") == ("eye_problem", "eye_painful")


@pytest.mark.parametrize("how", ["voice", "key", "button"])
def test_every_stop_input_leaves_the_questions_within_one_tick(kiosk, how):
    finish_session(kiosk)
    touch(kiosk, "home")
    assert kiosk.mode == "checkin"
    t = kiosk.loop.clock.t
    event = {
        "voice": VoiceCommand(at=t, intent="stop"),
        "key": KeyPressed(at=t, key="s"),
        "button": ButtonPressed(at=t, button="stop"),
    }[how]
    kiosk.events.put(event)
    kiosk.loop.clock.t += 0.033
    kiosk.loop.tick()
    assert kiosk.mode == "home" and kiosk.checkin is None
