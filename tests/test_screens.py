"""Screenshot tests of every screen under SDL's dummy driver: not blank, the expected words,
text and touch targets big enough, and every text at least 7:1 against its background."""

from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pygame
import pytest

from content.i18n import phrase, section
from kiosk.caregiver_prefs import CaregiverPrefs
from kiosk.devices.base import DeviceState
from kiosk.progress import WeekPoint
from kiosk.screens.caregiver import CaregiverScreen, CaregiverState
from kiosk.screens.home import HomeModel, HomeScreen
from kiosk.screens.overlays import (
    ReminderModel,
    ReminderOverlay,
    SummaryLine,
    SummaryModel,
    SummaryScreen,
)
from kiosk.screens.progress import ProgressScreen
from kiosk.screens.session import SessionScreen
from kiosk.screens.stimulation import StimChecklistScreen, StimOfferScreen, StimulationModel, StimulationScreen
from kiosk.session.flow import Phase, SessionView
from kiosk.ui import theme
from kiosk.ui.painter import Painter

NOW = datetime(2026, 11, 21, 9, 5, tzinfo=ZoneInfo("Europe/London"))
HOLD = SessionView(
    Phase.HOLD,
    "Brow lift",
    "Hold it gently.",
    "brow_lift",
    "brow_lift",
    rep=2,
    reps=5,
    seconds_left=3.2,
    left_pct=40,
    right_pct=20,
)
REST = SessionView(
    Phase.REST,
    "Rest",
    "Well done. Rest for a moment. Next: Closed smile.",
    rep=5,
    reps=5,
    seconds_left=8,
    progress="Exercise 1 of 3",
)
SUMMARY = SummaryModel(
    "done", 12.0, (SummaryLine("Brow lift", 5, 5, 40.0, 21.0), SummaryLine("Cheek puff", 3, 5, None, None))
)
WEEKS = {"brow_lift": [WeekPoint(date(2026, 11, 2), 20, 10, 0.5, 3), WeekPoint(date(2026, 11, 9), 30, 18, 0.6, 4)]}


def draw_home(p):
    HomeScreen().draw(p, HomeModel(now=NOW, states={"camera": DeviceState("camera", "fake")}))
    return ["09:05", "Saturday 21 November", "Next session", "Start", "Camera: demo"]


def draw_session(p):
    SessionScreen().draw(p, HOLD, 1.0)
    return ["Brow lift", "Repetition 2 of 5", "Hold it gently.", "4", "STOP", "Pause", "Your left", "Your right"]


def draw_rest(p):
    SessionScreen().draw(p, REST, 1.0)
    return ["Rest", "8", "Exercise 1 of 3", "STOP"]


def draw_session_german_paused(p):
    SessionScreen().draw(p, replace(HOLD, paused=True), 1.0, lang="de")
    return ["Wiederholung 2 von 5", "Pausiert", "STOPP", "Weiter", "Links", "Rechts"]


def draw_rest_german(p):
    SessionScreen().draw(p, REST, 1.0, lang="de")
    return ["Ruhepause", "8", "STOPP", "Pause"]


def draw_reminder(p):
    ReminderOverlay().draw(p, ReminderModel("Time for your eye drops", "Put one drop in the eye.", minutes_late=5))
    return ["Time for your eye drops", "Put one drop in the eye.", "This was due 5 minutes ago.", "Done"]


def draw_reminder_german(p):
    model = ReminderModel(phrase("screen.eye_care", "de"), "Einen Tropfen ins Auge.", minutes_late=5, lang="de")
    ReminderOverlay().draw(p, model)
    return ["Augenpflege", "Das war vor 5 Minuten fällig.", "Erledigt"]


def draw_summary_german_with_stimulation(p):
    words = section("session", "de")
    SummaryScreen().draw(p, replace(SUMMARY, stimulation="stopped", words=words, lang="de"))
    return [
        "Gut gemacht",
        "Brow lift: 5 von 5, rechte Seite: eine kleine Bewegung; linke Seite: eine gute, sanfte Bewegung (Schätzung)",
        "Stimulation: früher beendet.",
        "keine Diagnose.",
    ]


def draw_stimulation_german_running(p):
    StimulationScreen().draw(p, StimulationModel("left", 2.5, 4.0, 125, lang="de"))
    return ["Stimulation: Ihre linke Seite", "Stärke 2,5 mA", "Noch 2:05", "STOPP", "Schwächer", "Stärker"]


def draw_stimulation_german_offer(p):
    model = StimulationModel("right", 0.0, 4.0, 600, "waiting", block_minutes=10, lang="de")
    StimOfferScreen().draw(p, model)
    return ["Ihre rechte Seite, 10 Minuten.", "Stimulation starten", "Überspringen", "STOPP"]


def draw_stimulation(p):
    StimulationScreen().draw(p, StimulationModel("left", 2.5, 4.0, 125))
    return ["Stimulation: your left side", "Intensity 2.5 mA", "Time left 2:05", "STOP", "Lower", "Stronger"]


def draw_stimulation_confirm_stronger(p):
    StimulationScreen().draw(p, StimulationModel("left", 2.5, 4.0, 125, confirm_raise=True))
    return ["Make it one step stronger?", "Yes", "No", "STOP"]


def draw_stimulation_with_reminder(p):
    model = StimulationModel("right", 2.0, 4.0, 300, reminder="Time for your eye drops. Put them in your left eye.")
    StimulationScreen().draw(p, model)
    return ["Stimulation: your right side", "Time for your eye drops.", "Done", "STOP", "Lower"]


def draw_stimulation_offer(p):
    model = StimulationModel(
        "left", 0, 4.0, 600, "waiting", "An electrode is not touching the skin well.", block_minutes=10
    )
    StimOfferScreen().draw(p, model)
    return ["Stimulation", "Your left side, 10 minutes.", "Start stimulation", "Skip", "STOP", "not touching the skin"]


def draw_stimulation_checklist(p):
    view = SessionView(
        Phase.STIMULATION,
        "Safety questions",
        "",
        stim_stage="checklist",
        question="Do you have a pacemaker, a defibrillator, or another electronic implant?",
        question_number=1,
        questions=9,
    )
    StimChecklistScreen().draw(p, view)
    return ["Safety questions", "Question 1 of 9", "pacemaker", "Yes", "No", "STOP"]


def draw_stimulation_checklist_german(p):
    question = section("stim_checklist", "de")["implant"]
    view = SessionView(
        Phase.STIMULATION, "", "", stim_stage="checklist", question=question, question_number=1, questions=9
    )
    StimChecklistScreen().draw(p, view, "de")
    return ["Sicherheitsfragen", "Frage 1 von 9", "Herzschrittmacher", "Ja", "Nein", "STOPP"]


def draw_summary(p):
    SummaryScreen().draw(p, SUMMARY)
    return ["Well done", "Brow lift: 5 of 5", "(estimate)", "Cheek puff: 3 of 5 (not measured)", "Home"]


def draw_progress(p):
    ProgressScreen().draw(p, WEEKS, {"brow_lift": "Brow lift"})
    return ["Brow lift", "Estimates from the camera, not a diagnosis.", "Home", "% of a typical movement", "2 Nov"]


def draw_progress_two_exercises(p):
    ProgressScreen().draw(p, {**WEEKS, "open_smile": WEEKS["brow_lift"]}, {"brow_lift": "Brow lift"})
    return ["Brow lift", "1 of 2", "Right side", "Left side", "Evenness", "Next", "Home"]


def draw_caregiver_pin(p):
    CaregiverScreen().draw(p, CaregiverState("1234", CaregiverPrefs()))
    return ["Caregiver PIN", "1", "0", "OK", "Home"]


def draw_caregiver_settings(p):
    state = CaregiverState("1234", CaregiverPrefs())
    state.unlocked = True
    CaregiverScreen().draw(p, state)
    return [
        "Caregiver settings",
        "Volume 90%",
        "Speech: 150 words a minute",
        "Language: English",
        "Camera view: off",
        "therapist's plan sets",
    ]


def draw_home_german(p):
    states = {"camera": DeviceState("camera", "fake"), "hat": DeviceState("hat", "missing")}
    HomeScreen().draw(p, HomeModel(now=NOW, next_eye_care="Tropfen um 10:00", states=states, lang="de"))
    return [
        "Samstag, 21. November",
        "Nächste Übung: nichts geplant",
        "Nächste Augenpflege: Tropfen um 10:00",
        "Start",
        "Fortschritt",
        "Betreuung",
        "Kamera: Demo",
        "Stimulation: fehlt",
    ]


def draw_home_estop_notice(p):
    notice = phrase("stimulation.estop_notice", "en")
    HomeScreen().draw(p, HomeModel(now=NOW, states={"camera": DeviceState("camera", "fake")}, notice=notice))
    return [notice, "Start", "Caregiver"]


def estop_state(lang: str) -> CaregiverState:
    state = CaregiverState(
        "1234",
        CaregiverPrefs(),
        estop_latched=True,
        estop_words=phrase("stimulation.estop_pressed", lang),
        reset_label=phrase("stimulation.estop_reset_button", lang),
    )
    state.unlocked = True
    return state


def draw_caregiver_estop(p):
    CaregiverScreen().draw(p, estop_state("en"))
    return ["The emergency stop button was pressed.", "Reset emergency stop", "Home"]


def draw_caregiver_estop_german_still_pressed(p):
    state = estop_state("de")
    state.estop_words = phrase("stimulation.estop_still_pressed", "de")
    CaregiverScreen().draw(p, state)
    return ["Der Not-Aus-Knopf ist noch gedrückt.", "Not-Aus zurücksetzen"]


SCREENS = [
    draw_home,
    draw_home_german,
    draw_home_estop_notice,
    draw_session,
    draw_rest,
    draw_session_german_paused,
    draw_rest_german,
    draw_reminder,
    draw_reminder_german,
    draw_summary_german_with_stimulation,
    draw_stimulation,
    draw_stimulation_german_running,
    draw_stimulation_german_offer,
    draw_stimulation_confirm_stronger,
    draw_stimulation_with_reminder,
    draw_stimulation_offer,
    draw_stimulation_checklist,
    draw_stimulation_checklist_german,
    draw_summary,
    draw_progress,
    draw_progress_two_exercises,
    draw_caregiver_pin,
    draw_caregiver_settings,
    draw_caregiver_estop,
    draw_caregiver_estop_german_still_pressed,
]


@pytest.mark.parametrize("size", [(800, 480), (1280, 800)])
@pytest.mark.parametrize("draw", SCREENS, ids=lambda f: f.__name__[5:])
def test_screen(draw, size, tmp_path):
    pygame.init()
    surface = pygame.Surface(size)
    p = Painter(surface)
    expected = draw(p)
    pygame.image.save(surface, str(tmp_path / "shot.png"))
    colours = {surface.get_at((x, y))[:3] for x in range(0, size[0], 16) for y in range(0, size[1], 16)}
    assert len(colours) >= 3, "blank screen"
    words = p.all_words()
    for text in expected:
        assert text in words, f"{text!r} not on the screen: {words!r}"
    scale = theme.Scale(*size)
    for t in p.texts:
        assert t.px >= scale.px(theme.SMALL_PX), t
        assert theme.contrast_ratio(t.ink, t.paper) >= 7.0, t
        assert surface.get_rect().contains(t.rect), f"{t.words!r} runs off the screen"
    for b in p.buttons:
        assert min(b.rect.size) >= scale.px(theme.TOUCH_MIN_PX) - 1, b
        label = [t for t in p.texts if b.rect.collidepoint(t.rect.center)]
        assert label, f"the {b.label!r} button has no label"
        assert all(b.rect.contains(t.rect) for t in label), f"{b.label!r} is wider than its button"
        for t in p.texts:
            if t not in label:
                assert not b.rect.colliderect(t.rect), f"{t.words!r} runs under the {b.label!r} button"
    for i, a in enumerate(p.buttons):
        for b in p.buttons[i + 1 :]:
            assert not a.rect.colliderect(b.rect), (a.label, b.label)


def test_headings_are_at_least_48_px():
    pygame.init()
    p = Painter(pygame.Surface((800, 480)))
    draw_session(p)
    title = next(t for t in p.texts if t.words == "Brow lift")
    assert title.px >= 48 and title.rect.height >= 48


@pytest.mark.parametrize("size", [(800, 480), (1280, 800)])
@pytest.mark.parametrize("lang", ["en", "de"])
def test_session_words_follow_the_language_and_the_side_labels_fit_their_bars(lang, size):
    pygame.init()
    p = Painter(pygame.Surface(size))
    SessionScreen().draw(p, HOLD, 1.0, lang=lang)
    right, left = (next(t for t in p.texts if t.words == phrase(f"screen.your_{s}", lang)) for s in ("right", "left"))
    # As in a mirror: the patient's left on the screen's left, their right on the screen's right.
    assert left.rect.right < right.rect.left, "the two side labels run into each other, or are swapped"
    assert right.rect.right < min(b.rect.left for b in p.buttons), "a side label runs under the buttons"
    assert {b.label for b in p.buttons} == {phrase("screen.stop", lang), phrase("screen.pause", lang)}


def test_caregiver_pin_and_limits():
    state = CaregiverState("1234", CaregiverPrefs())
    for key in "1235":
        state.act(f"digit:{key}")
    state.act("enter_pin")
    assert not state.unlocked and "not right" in state.message
    for key in "1234":
        state.act(f"digit:{key}")
    state.act("enter_pin")
    assert state.unlocked
    for _ in range(10):
        state.act("volume_up")
    assert state.prefs.volume == 1.0
    state.act("camera_toggle")
    assert state.prefs.show_camera is True


def test_without_a_pin_the_first_visit_chooses_one_typed_twice():
    state = CaregiverState("", CaregiverPrefs())
    assert state.setting_up and state.keypad_title() == "Choose a caregiver PIN"
    state.act("digit:1")
    state.act("enter_pin")
    assert state.message == "A PIN needs 4 to 8 digits." and not state.unlocked
    for pin in ("2468", "2469"):
        for key in pin:
            state.act(f"digit:{key}")
        state.act("enter_pin")
    assert state.message.startswith("The two PINs were not the same") and not state.unlocked
    for pin in ("2468", "2468"):
        assert state.keypad_title() == ("Type the PIN again" if state.chosen else "Choose a caregiver PIN")
        for key in pin:
            state.act(f"digit:{key}")
        state.act("enter_pin")
    assert state.unlocked and state.pin == "2468" and state.prefs.pin == "2468"


def test_caregiver_screen_locks_after_five_wrong_tries():
    state = CaregiverState("4321", CaregiverPrefs())
    for _ in range(5):
        state.act("digit:0")
        state.act("enter_pin")
    for key in "4321":
        state.act(f"digit:{key}")
    state.act("enter_pin")
    assert not state.unlocked and "Too many" in state.message


def test_reminder_has_no_way_to_dismiss_it():
    pygame.init()
    p = Painter(pygame.Surface((800, 480)))
    draw_reminder(p)
    assert [b.action for b in p.buttons] == ["acknowledge"]


def test_the_summary_is_spoken_in_the_plans_language():
    german = replace(SUMMARY, stimulation="finished", words=section("session", "de"), lang="de")
    assert german.spoken() == (
        "Gut gemacht. Sie haben Ihre Übungen geschafft. Sie haben 2 Übungen in 12 Minuten gemacht. Stimulation: fertig."
    )
    assert SUMMARY.spoken() == "Well done. You finished your exercises. You did 2 exercises in 12 minutes."


def test_the_english_summary_defaults_are_the_english_content():
    from kiosk.screens.overlays import SUMMARY_WORDS

    english = section("session", "en")
    assert {key: english[key] for key in SUMMARY_WORDS} == SUMMARY_WORDS


def test_a_longer_stop_word_stays_big():
    """German STOPP does not fit the STOP button at clock size; it drops one size at a time, not to body."""
    pygame.init()
    p = Painter(pygame.Surface((800, 480)))
    draw_stimulation_german_running(p)
    stop = next(t for t in p.texts if t.words == "STOPP")
    assert stop.px >= theme.HEADING_PX, stop
