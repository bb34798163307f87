"""The kiosk's screens tell the truth and follow the language, driven through the whole app:
Home's next session and prompt, progress navigation by touch, key and voice, a language switch
that reaches a reminder card at once, and the caregiver's first-run PIN."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from content.i18n import phrase
from kiosk.caregiver_prefs import prefs_of, prefs_path
from kiosk.events import KeyPressed, Touched, VoiceCommand
from kiosk.progress import WeekPoint
from tests import test_kiosk_reminders
from tests.test_kiosk_reminders import LONDON, run_for

kiosk = test_kiosk_reminders.kiosk  # the same kiosk: real reminder service, the starter plan's schedule


def touch(k, action):
    button = next(b for b in k.painter.buttons if b.action == action)
    k.events.put(Touched(at=0, x=button.rect.centerx, y=button.rect.centery))
    run_for(k, 0.5)


def test_home_shows_the_plans_next_session_and_the_prompt_only_while_due_and_not_done(kiosk):
    run_for(kiosk, 1)  # 09:58: the morning session (10:00) is next, not yet due
    model = kiosk.home_model()
    assert model.next_session == "today at 10:00" and not model.session_due
    assert "It is time for your exercises" not in kiosk.painter.all_words()
    run_for(kiosk, 150)  # 10:00:30
    touch(kiosk, "acknowledge")  # the 10:00 eye drops come first
    assert kiosk.home_model().session_due
    assert "It is time for your exercises" in kiosk.painter.all_words()
    assert kiosk.home_model().next_session == "now"
    kiosk.store.db["sessions"].insert({"started_at": kiosk.wall.now.isoformat(), "status": "running"})
    run_for(kiosk, 40)
    assert kiosk.home_model().session_due, "a session only started does not count"
    kiosk.store.db["sessions"].update(1, {"status": "done", "ended_at": kiosk.wall.now.isoformat()})
    kiosk.home_sessions_at = None  # a session that ends in the app does this itself
    run_for(kiosk, 1)
    model = kiosk.home_model()
    assert not model.session_due and model.next_session == "today at 16:00"
    assert "It is time for your exercises" not in kiosk.painter.all_words()


def test_progress_next_works_by_touch_key_and_voice(kiosk):
    week = [WeekPoint(datetime(2026, 11, 9).date(), 20, 30, 0.66, 2)]
    rows = [
        {"exercise": ex, "at": "2026-11-10T10:00:00+00:00", "left_pct": 20, "right_pct": 30}
        for ex in ("brow_lift", "closed_smile", "lip_pucker")
    ]
    kiosk.store.db["exercise_results"].insert_all(rows, alter=True)
    run_for(kiosk, 0.5)
    touch(kiosk, "progress")
    assert kiosk.mode == "progress" and len(kiosk.progress_data) == 3 and week
    shown = [kiosk.painter.texts[1].words]
    touch(kiosk, "next_chart")
    shown.append(kiosk.painter.texts[1].words)
    kiosk.events.put(KeyPressed(at=0, key="n"))
    run_for(kiosk, 0.5)
    shown.append(kiosk.painter.texts[1].words)
    kiosk.events.put(VoiceCommand(at=0, intent="next"))
    run_for(kiosk, 0.5)
    shown.append(kiosk.painter.texts[1].words)
    assert len(set(shown[:3])) == 3, shown
    assert shown[3] == shown[0], "after the last exercise Next starts again at the first"


def test_a_language_switch_reaches_the_reminder_card_and_speech_at_once(kiosk):
    run_for(kiosk, 0.5)
    kiosk.keep_caregiver_prefs(replace(prefs_of(kiosk.settings), language="de"))
    run_for(kiosk, 150)  # 10:00 passes: the drops reminder is shown
    assert kiosk.reminder is not None
    words = kiosk.painter.all_words()
    assert "Augentropfen" in words and "Augenpflege" in words and "eye drops" not in words
    assert any("Augentropfen" in text for text in kiosk.devices.speaker.texts)
    kiosk.keep_caregiver_prefs(replace(prefs_of(kiosk.settings), language="en"))
    run_for(kiosk, 0.5)
    words = kiosk.painter.all_words()
    assert "eye drops" in words and "Augentropfen" not in words, "the card on screen switched back at once"


def test_with_no_pin_the_caregiver_chooses_one_on_the_screen_and_it_is_kept(kiosk, tmp_path):
    kiosk.settings = replace(kiosk.settings, storage=replace(kiosk.settings.storage, data_dir=str(tmp_path)))
    run_for(kiosk, 0.5)
    touch(kiosk, "caregiver")
    assert phrase("caregiver.choose_pin_title") in kiosk.painter.all_words()
    for _ in range(2):
        for digit in "2580":
            touch(kiosk, f"digit:{digit}")
        touch(kiosk, "enter_pin")
    assert kiosk.caregiver.unlocked and kiosk.settings.caregiver.pin == "2580"
    assert 'pin = "2580"' in prefs_path(kiosk.settings).read_text(encoding="utf-8")
    touch(kiosk, "home")
    touch(kiosk, "caregiver")
    assert phrase("caregiver.pin_title") in kiosk.painter.all_words(), "from now on the PIN is asked"
    assert kiosk.wall.now - datetime(2026, 11, 21, 9, 58, tzinfo=LONDON) < timedelta(minutes=1)


def test_phone_alerts_are_set_up_and_tested_from_the_caregiver_screen(kiosk, tmp_path, monkeypatch):
    from kiosk import caregiver_alerts

    sent = []
    monkeypatch.setattr(
        caregiver_alerts.CaregiverNotifier,
        "send_ntfy",
        lambda self, title, text, priority=4: sent.append(self.ntfy_url),
    )
    kiosk.settings = replace(
        kiosk.settings,
        storage=replace(kiosk.settings.storage, data_dir=str(tmp_path)),
        caregiver=replace(kiosk.settings.caregiver, pin="1357"),
    )
    run_for(kiosk, 0.5)
    touch(kiosk, "caregiver")
    for digit in "1357":
        touch(kiosk, f"digit:{digit}")
    touch(kiosk, "enter_pin")
    touch(kiosk, "show_alerts")
    assert "No alert is set up yet." in kiosk.painter.all_words()
    touch(kiosk, "alert_setup")
    url = kiosk.settings.caregiver.ntfy_url
    assert url.startswith("https://ntfy.sh/facecoach-") and len(url) > len("https://ntfy.sh/facecoach-") + 8
    assert kiosk.reminders.service.notifier.ntfy_url == url, "alerts go there from now on, without a restart"
    assert caregiver_alerts.topic_of(url) in kiosk.painter.all_words()
    assert f'ntfy_url = "{url}"' in prefs_path(kiosk.settings).read_text(encoding="utf-8")
    touch(kiosk, "test_alert")
    for _ in range(20):
        run_for(kiosk, 0.5)
        if kiosk.caregiver.message == "The test alert was sent.":
            break
    assert sent == [url] and "The test alert was sent." in kiosk.painter.all_words()


def test_a_session_done_early_is_not_prompted_when_its_time_comes(kiosk):
    kiosk.store.db["sessions"].insert(
        {"started_at": kiosk.wall.now.isoformat(), "ended_at": kiosk.wall.now.isoformat(), "status": "done"}
    )
    run_for(kiosk, 150)  # 10:00 passes: the session was done at 09:58
    touch(kiosk, "acknowledge")  # the 10:00 eye drops
    said = " ".join(kiosk.devices.speaker.texts)
    assert "time for your exercises" not in said
    assert not kiosk.home_model().session_due and kiosk.home_model().next_session == "today at 16:00"
