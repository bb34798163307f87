from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.devices.base import DeviceState
from kiosk.screens.home import HomeModel
from kiosk.ui import theme

NOW = datetime(2026, 11, 21, 9, 5, tzinfo=ZoneInfo("Europe/London"))


def test_model_lines_are_plain_words():
    model = HomeModel(now=NOW, states={"camera": DeviceState("camera", "missing")})
    lines = model.lines()
    assert lines[:2] == ["09:05", "Saturday 21 November"]
    assert "Next session: none planned" in lines
    assert "Camera: not found" in lines


def test_theme_contrast_is_at_least_7_to_1():
    pairs = [
        (theme.TEXT, theme.BACKGROUND),
        (theme.MUTED, theme.BACKGROUND),
        (theme.BUTTON_TEXT, theme.BUTTON),
        (theme.WARNING_TEXT, theme.WARNING_BG),
        (theme.STOP_TEXT, theme.STOP),
    ]
    for ink, paper in pairs:
        assert theme.contrast_ratio(ink, paper) >= 7.0, (ink, paper)
    assert theme.BODY_PX >= 32 and theme.HEADING_PX >= 48 and theme.SMALL_PX >= 32


def test_sizes_scale_with_the_screen():
    assert theme.Scale(800, 480).px(34) == 34
    assert theme.Scale(1600, 960).px(34) == 68


def test_a_notice_longer_than_its_box_is_shown_in_turns(screen):
    from kiosk.screens.home import HomeScreen
    from kiosk.ui.painter import Painter

    words = " ".join(f"Sentence number {n} of a long start-up notice." for n in range(1, 7))
    seen = set()
    for page in range(4):
        painter = Painter(screen)
        HomeScreen().draw(painter, HomeModel(now=NOW, notice=words, notice_page=page))
        seen.update(w for w in words.split() if w in painter.all_words().split())
        assert "Start" in painter.all_words()
    assert seen == set(words.split()), "some of the notice is never shown"
