"""The caregiver's four choices: applied at once, kept on disk, laid over the settings at start-up."""

import pygame
import pytest

from kiosk.app import Kiosk
from kiosk.caregiver_prefs import languages, load_prefs, prefs_path
from kiosk.devices.factory import build_devices
from kiosk.session.steps import SessionPlan
from kiosk.settings import Settings, with_overrides
from tests.test_kiosk_flow import NOW


@pytest.fixture
def settings(tmp_path):
    return with_overrides(Settings(), storage={"data_dir": str(tmp_path)}, caregiver={"pin": "2468"})


@pytest.fixture
def kiosk(settings, fresh_store):
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    devices = build_devices(settings, "fake")
    k = Kiosk(settings, None, devices, fresh_store, surface, lambda: SessionPlan(()), wall_clock=lambda: NOW)
    yield k
    devices.close()
    pygame.quit()


def caregiver_changes(k, *actions):
    t = 1.0
    k.act("caregiver", t, via="touch")
    for digit in "2468":
        k.act(f"digit:{digit}", t, via="touch")
    k.act("enter_pin", t, via="touch")
    assert k.caregiver.unlocked
    for action in actions:
        k.act(action, t, via="touch")
    k.act("home", t, via="touch")


def test_languages_offered_are_english_and_the_complete_ones():
    assert languages() == ("en", "de")


def test_changes_apply_at_once_and_survive_a_restart(kiosk, settings):
    caregiver_changes(kiosk, "volume_down", "rate_down", "camera_toggle", "language_next")
    assert kiosk.mode == "home"
    s = kiosk.settings
    assert (s.voice.volume, s.voice.speech_rate_wpm, s.display.show_camera, s.display.language) == (
        0.8,
        140,  # the default 150 words a minute, one step down
        True,
        "de",
    )
    kiosk.loop.tick()
    words = kiosk.painter.all_words()
    assert "Betreuung" in words and "Fortschritt" in words and "Caregiver" not in words, "Home follows the language"
    path = prefs_path(settings)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    restarted, notice = load_prefs(settings)
    assert notice is None and restarted.display.language == "de" and restarted.voice.speech_rate_wpm == 140
    assert restarted.caregiver.pin == "2468", "only the four choices are laid over the settings"


def test_no_change_writes_nothing(kiosk, settings):
    caregiver_changes(kiosk)
    assert not prefs_path(settings).exists()


def test_a_damaged_file_is_not_applied_and_is_reported(settings):
    path = prefs_path(settings)
    path.write_text('[display]\nlanguage = "xx"\n')
    kept, notice = load_prefs(settings)
    assert kept == settings and "damaged" in notice
    path.write_text("[voice\nvolume = 2")
    kept, notice = load_prefs(settings)
    assert kept == settings and "damaged" in notice


def test_a_failed_save_keeps_the_change_for_now_and_says_so(kiosk, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # the data folder path runs through a file: no save is possible, even as root
    kiosk.settings = with_overrides(kiosk.settings, storage={"data_dir": str(blocker / "data")})
    caregiver_changes(kiosk, "volume_up")
    assert kiosk.settings.voice.volume == 1.0
    assert "could not be saved" in kiosk.notice
