"""The progress screen's page of sentences against the baseline, through the real Kiosk."""

# ruff: noqa: F811  (the kiosk fixture comes from tests/test_kiosk_flow.py)

from __future__ import annotations

from datetime import timedelta

from kiosk.baseline_store import BaselineStep
from kiosk.events import KeyPressed
from tests.test_baseline import NOV3, add_session
from tests.test_kiosk_flow import NOW, advance, kiosk  # noqa: F401  (the fixture: the whole kiosk on the fakes)


def press(k, key):
    k.events.put(KeyPressed(at=k.loop.clock.t, key=key))
    advance(k, 0.2)


def test_the_last_progress_page_says_how_each_side_moves_against_the_baseline(kiosk):
    store = kiosk.store
    add_session(store, NOV3, {"closed_smile": (2.0, 8.0, 20.0, 80.0)})
    add_session(store, NOW - timedelta(days=1), {"closed_smile": (4.0, 8.0, 40.0, 80.0)})
    kiosk.loop.add_step("baseline", BaselineStep(store, lambda: None, kiosk.wall_clock))
    advance(kiosk, 0.2)  # the step records the baseline at start-up
    press(kiosk, "p")
    assert kiosk.mode == "progress"
    assert kiosk.baseline_lines[0] == "Closed smile: your left side moves about twice as far as on 3 November."
    words = kiosk.painter.all_words()
    assert "Since your first assessment" not in words  # the charts come first
    press(kiosk, "n")  # closed_smile has a chart; the next page is the baseline
    words = kiosk.painter.all_words()
    assert "Since your first assessment" in words and "about twice as far" in words
    assert "Estimates from the camera, not a diagnosis." in words
    assert "2 of 2" in words


def test_many_sentences_go_on_more_pages_and_none_is_cut(screen):
    from kiosk.screens.progress import ProgressScreen
    from kiosk.ui.painter import Painter

    lines = tuple(f"Exercise {n}: your left side moves about twice as far as on 3 November." for n in range(8))
    progress = ProgressScreen()
    seen = []
    for index in range(4):
        progress.index = index
        painter = Painter(screen)
        progress.draw(painter, {}, {}, "en", lines)
        seen.append(painter.all_words())
    pages = int(seen[0].split(" of ")[1].split()[0])
    assert pages > 1
    for n in range(8):
        assert sum(f"Exercise {n}:" in words for words in seen[:pages]) == 1


def test_each_chart_shows_where_each_side_stood_at_the_baseline_as_thin_lines(kiosk):
    from kiosk.screens.progress import SERIES

    store = kiosk.store
    add_session(store, NOV3, {"closed_smile": (2.0, 8.0, 20.0, 80.0)})
    add_session(store, NOW - timedelta(days=1), {"closed_smile": (4.0, 8.0, 40.0, 80.0)})
    kiosk.loop.add_step("baseline", BaselineStep(store, lambda: None, kiosk.wall_clock))
    advance(kiosk, 0.2)
    press(kiosk, "p")
    assert kiosk.baseline_marks["closed_smile"].left_pct == 20.0
    assert "Thin lines: your first assessment, 3 November." in kiosk.painter.all_words()
    surface = kiosk.painter.surface
    scale = surface.get_width() / 800

    def row_has(colour, y):  # a thin line spans the chart: look for its colour across a row
        return sum(surface.get_at((x, y))[:3] == colour for x in range(int(150 * scale), int(700 * scale))) > 100

    top = 100.0
    chart_top, chart_h = int(124 * scale), int((480 - 334 - 32) * scale)  # the chart leaves room for the words
    right_y = int(chart_top + chart_h - chart_h * 80.0 / top)  # right side at the baseline: 80 %
    left_y = int(chart_top + chart_h - chart_h * 20.0 / top)
    assert any(row_has(tuple(SERIES[0].colour), y) for y in range(right_y - 1, right_y + 2))
    assert any(row_has(tuple(SERIES[1].colour), y) for y in range(left_y - 1, left_y + 2))
    press(kiosk, "n")  # the sentence page has no chart and no thin-line words
    assert "Thin lines" not in kiosk.painter.all_words()


def test_without_a_baseline_the_chart_has_no_thin_lines(kiosk):
    add_session(kiosk.store, NOW - timedelta(days=1), {"closed_smile": (4.0, 8.0, 40.0, 80.0)}, plan_version=None)
    press(kiosk, "p")
    assert kiosk.baseline_marks == {} and "Thin lines" not in kiosk.painter.all_words()
