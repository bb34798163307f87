from datetime import datetime
from zoneinfo import ZoneInfo

import pygame

from kiosk.devices.base import DeviceState
from kiosk.screens.home import HomeModel, HomeScreen
from kiosk.ui import theme

NOW = datetime(2026, 11, 21, 9, 5, tzinfo=ZoneInfo("Europe/London"))


def test_model_lines_are_plain_words():
    model = HomeModel(now=NOW, states={"camera": DeviceState("camera", "missing")})
    lines = model.lines()
    assert lines[:2] == ["09:05", "Saturday 21 November"]
    assert "Next session: none planned" in lines
    assert "Camera: not found" in lines


def test_draws_something_with_a_big_start_button(screen, tmp_path):
    home = HomeScreen()
    home.draw(screen, HomeModel(now=NOW, notice="The settings file has 2 problem(s)"))
    pygame.image.save(screen, str(tmp_path / "home.png"))
    colours = {screen.get_at((x, y))[:3] for x in range(0, 800, 10) for y in range(0, 480, 10)}
    assert len(colours) > 3, "the screen is not blank"
    start = home.buttons[0]
    assert start.rect.height >= theme.TOUCH_MIN_PX and start.rect.width >= theme.TOUCH_MIN_PX
    assert screen.get_at(start.rect.center)[:3] in (theme.BUTTON, theme.BUTTON_TEXT)
    assert home.action_for_touch(*start.rect.center) == "start_session"
    assert home.action_for_touch(5, 5) is None
    assert HomeScreen.action_for_key("space") == "start_session"


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
