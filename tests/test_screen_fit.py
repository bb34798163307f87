"""Every screen at every supported size, in English and German: each label fits its box (inside
the screen, inside its button), no two texts overlap, no English UI word on a German screen, and
long words are shortened or wrapped, never cut ("Lächeln mit geschlossenem Mund", "Diagnose.")."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pygame
import pytest

from content.i18n import phrase
from content.loader import load_exercise
from kiosk.caregiver_prefs import CaregiverPrefs
from kiosk.devices.base import DeviceState
from kiosk.progress import WeekPoint
from kiosk.screens.caregiver import CaregiverScreen, CaregiverState
from kiosk.screens.home import HomeModel, HomeScreen
from kiosk.screens.overlays import ReminderModel, ReminderOverlay, SummaryLine, SummaryModel, SummaryScreen
from kiosk.screens.progress import ProgressScreen
from kiosk.screens.session import PAGE_S, SessionScreen
from kiosk.screens.stimulation import StimOfferScreen, StimulationModel, StimulationScreen
from kiosk.session.flow import Phase, SessionView
from kiosk.session.plan_builder import session_words
from kiosk.ui import theme
from kiosk.ui.painter import Painter

SIZES = [(800, 480), (1024, 600), (1280, 720), (1280, 800)]
LANGS = ["en", "de"]
NOW = datetime(2026, 11, 21, 9, 5, tzinfo=ZoneInfo("Europe/Berlin"))
# Words of the English UI that German never uses; none may show on a German screen.
ENGLISH_UI = (
    "Welcome", "Rest", "Home", "Next", "Back", "Progress", "Caregiver", "Volume", "Speech", "Camera", "Language",
    "Right", "Left", "Evenness", "Exercise", "Repetition", "Your", "Relax", "Hold", "Done", "none", "planned",
    "minutes", "seconds", "settings", "Estimates", "Well", "Move", "now", "today", "tomorrow", "session",
    "movement", "Choose", "the", "of", "and", "smile", "lift",
)  # fmt: skip


def name(ex: str, lang: str) -> str:
    return load_exercise(ex, lang).name


def view(lang: str, phase: Phase = Phase.HOLD, **changes) -> SessionView:
    base = SessionView(
        phase,
        name("closed_smile", lang),
        load_exercise("closed_smile", lang).move[0],
        "closed_smile",
        "closed_smile",
        rep=2,
        reps=5,
        seconds_left=3.2,
        left_pct=171,
        right_pct=4,
        hint=phrase("feedback.gentler", lang),
    )
    return replace(base, **changes)


def draw_home(p, lang):
    model = HomeModel(
        now=NOW,
        next_session="heute um 10:00" if lang == "de" else "today at 10:00",
        session_due=True,
        states={"camera": DeviceState("camera", "fake"), "hat": DeviceState("hat", "missing")},
        lang=lang,
    )
    HomeScreen().draw(p, model)
    return [phrase("home.start", lang)]


def draw_home_status(p, lang):
    states = {k: DeviceState(k, "missing") for k in ("camera", "microphone", "voice", "hat")}
    HomeScreen().draw(p, HomeModel(now=NOW, states=states, lang=lang))
    return [phrase("home.status_microphone", lang)]


def draw_move(p, lang):
    SessionScreen().draw(p, view(lang, Phase.MOVE), 1.0, lang=lang)
    return [phrase("screen.move_now", lang), phrase("feedback.gentler", lang).split(".")[0]]


def draw_hold(p, lang):
    SessionScreen().draw(p, view(lang), 1.0, lang=lang)
    return ["4", phrase("screen.your_left", lang), phrase("screen.move_over", lang)]


def draw_relax(p, lang):
    relax = load_exercise("closed_smile", lang).relax[0]
    # The words under the bars show a sentence at a time; the second (the right side) comes next.
    SessionScreen().draw(p, view(lang, Phase.RELAX, instruction=relax, hint=""), PAGE_S + 0.5, lang=lang)
    return [phrase("screen.relax_now", lang), phrase("screen.move_none", lang)]


def draw_paused(p, lang):
    SessionScreen().draw(p, view(lang, paused=True), 1.0, lang=lang)
    return [phrase("screen.paused", lang), phrase("screen.resume", lang)]


def draw_greeting(p, lang):
    words = session_words(lang)
    v = SessionView(Phase.GREETING, words["title_greeting"], words["greeting"])
    SessionScreen().draw(p, v, 1.0, lang=lang)
    return [words["title_greeting"]]


def draw_rest(p, lang):
    words = session_words(lang)
    progress = words["title_progress"].format(number=2, total=2)
    nxt = words["rest_next"].format(name=name("closed_smile", lang))
    SessionScreen().draw(p, SessionView(Phase.REST, "", nxt, seconds_left=0.2, progress=progress), 1.0, lang=lang)
    return [progress, "1"]


def draw_summary(p, lang):
    words = session_words(lang)
    lines = (
        SummaryLine(name("closed_smile", lang), 5, 5, 171.0, 4.0),
        SummaryLine(name("brow_lift", lang), 3, 5, None, None),
    )
    SummaryScreen().draw(p, SummaryModel("done", 1.0, lines, words=words, lang=lang))
    return ["Diagnose." if lang == "de" else "diagnosis.", phrase("screen.move_over", lang)]


def draw_progress(p, lang):
    weeks = [WeekPoint(date(2026, 11, 2), 20, 10, 0.5, 3), WeekPoint(date(2026, 11, 9), 30, 18, 0.6, 4)]
    data = {"closed_smile": weeks, "brow_lift": weeks}
    ProgressScreen().draw(p, data, {k: name(k, lang) for k in data}, lang)
    return [phrase("progress.next", lang), phrase("progress.evenness", lang), phrase("progress.axis_y", lang)]


def draw_caregiver_first_run(p, lang):
    CaregiverScreen().draw(p, CaregiverState("", CaregiverPrefs(language=lang), lang=lang))
    return [phrase("caregiver.choose_pin_title", lang)]


def draw_caregiver_settings(p, lang):
    state = CaregiverState("1234", CaregiverPrefs(language=lang), ("en", "de"), lang=lang)
    state.unlocked = True
    CaregiverScreen().draw(p, state)
    return [phrase("caregiver.title", lang), "English" if lang == "en" else "Deutsch"]


def draw_caregiver_alerts(p, lang):
    prefs = CaregiverPrefs(language=lang, ntfy_url="https://ntfy.sh/facecoach-0123456789ab")
    state = CaregiverState("1234", prefs, ("en", "de"), lang=lang, alert_command="notify-send", page="alerts")
    state.unlocked = True
    CaregiverScreen().draw(p, state)
    return ["facecoach-0123456789ab", phrase("caregiver.test_alert", lang), phrase("caregiver.alert_setup", lang)]


def draw_reminder_night(p, lang):
    parts = (
        phrase("reminder.ointment", lang, eye=phrase("reminder.eye_right", lang)),
        phrase("reminder.also_taping", lang),
        phrase("reminder.how_to_answer_night", lang),
    )
    ReminderOverlay().draw(p, ReminderModel(phrase("screen.eye_care", lang), " ".join(parts), 1, lang=lang))
    return [*parts[-1].split()[-3:], phrase("screen.done", lang)]  # the card's last words are there too


def draw_stim_offer(p, lang):
    model = StimulationModel("left", 0.0, 4.0, 450.0, state="waiting", block_minutes=7.5, lang=lang)
    StimOfferScreen().draw(p, model)
    return [model.word("offer_side", side=model.side_word, minutes=7.5), phrase("screen.stop", lang)]


def draw_stim_running(p, lang):
    model = StimulationModel("right", 2.5, 4.5, 125.0, lang=lang)
    StimulationScreen().draw(p, model)
    mark = "2,5" if lang == "de" else "2.5"  # the language's decimal mark
    return [f"{mark} mA", "2:05", phrase("screen.stop", lang)]


SCREENS = [
    draw_home,
    draw_home_status,
    draw_move,
    draw_hold,
    draw_relax,
    draw_paused,
    draw_greeting,
    draw_rest,
    draw_summary,
    draw_progress,
    draw_caregiver_first_run,
    draw_caregiver_settings,
    draw_caregiver_alerts,
    draw_reminder_night,
    draw_stim_offer,
    draw_stim_running,
]


@pytest.fixture(scope="module")
def pg():
    pygame.init()
    yield
    pygame.quit()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("draw", SCREENS, ids=lambda f: f.__name__[5:])
def test_every_label_fits_nothing_overlaps_and_the_words_are_in_the_language(pg, draw, size, lang, tmp_path):
    surface = pygame.Surface(size)
    p = Painter(surface)
    expected = draw(p, lang)
    pygame.image.save(surface, str(tmp_path / f"{draw.__name__}-{lang}-{size[0]}x{size[1]}.png"))
    words = p.all_words()
    for text in expected:
        assert text in words, f"{text!r} not on the screen: {words!r}"
    screen = surface.get_rect()
    scale = theme.Scale(*size)
    for t in p.texts:
        assert screen.contains(t.rect), f"{t.words!r} runs off the screen"
        assert t.px >= scale.px(theme.SMALL_PX), t
        assert theme.contrast_ratio(t.ink, t.paper) >= 7.0, t
    for i, a in enumerate(p.texts):
        for b in p.texts[i + 1 :]:
            assert not a.rect.inflate(-2, -2).colliderect(b.rect.inflate(-2, -2)), (a.words, b.words)
    for b in p.buttons:
        assert min(b.rect.size) >= scale.px(theme.TOUCH_MIN_PX) - 1, b
        for t in p.texts:
            if b.rect.collidepoint(t.rect.center):
                assert b.rect.contains(t.rect), f"{t.words!r} is wider than the {b.label!r} button"
            else:
                assert not b.rect.colliderect(t.rect), f"{t.words!r} runs under the {b.label!r} button"
    for i, a in enumerate(p.buttons):
        for b in p.buttons[i + 1 :]:
            assert not a.rect.colliderect(b.rect), (a.label, b.label)
    if lang == "de":
        english = [w for w in ENGLISH_UI if re.search(rf"\b{w}\b", words)]
        assert english == [], f"English on a German screen: {english} in {words!r}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_long_german_title_is_shortened_never_cut(pg, size):
    p = Painter(pygame.Surface(size))
    SessionScreen().draw(p, view("de", Phase.MOVE), 1.0, lang="de")
    title = " ".join(t.words for t in p.texts if t.rect.top < p.px(80))
    assert title.startswith("Lächeln") and title.endswith("Mund"), title
