"""Progress: movement of each side and evenness over the weeks, as simple line charts.

Each line differs by pattern and marker as well as colour (solid with dots, dashed with squares,
dotted with triangles) and is named in the legend, so no one needs to tell colours apart. The
axes have their unit (% of a typical movement) and the week each point stands for. With a
baseline (issue 23), each side's level at the first assessment is a thin line across the chart in
that side's colour and pattern, named above the chart with its date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

from content.i18n import DEFAULT_LANGUAGE, phrase
from kiosk.baseline import BaselineMark, day_words
from kiosk.baseline_text import baseline_words
from kiosk.progress import WeekPoint
from kiosk.screens.baseline_page import baseline_pages, draw_baseline_page
from kiosk.ui import theme
from kiosk.ui.painter import Painter

Point = tuple[int, int]


@dataclass(frozen=True)
class Series:
    """One line of the chart: its legend key, colour, dash pattern and marker."""

    key: str  # progress.right | progress.left | progress.evenness
    colour: theme.Colour
    dash: int  # design px of each dash; 0 draws a solid line
    marker: str  # dot | square | triangle
    value: Callable[[WeekPoint], float]


SERIES = (
    Series("progress.right", theme.TEXT, 0, "dot", lambda pt: pt.right_pct),
    Series("progress.left", theme.BUTTON, 14, "square", lambda pt: pt.left_pct),
    Series("progress.evenness", theme.OK, 4, "triangle", lambda pt: pt.symmetry * 100),
)
BASELINE_PAGE = ""  # the page after the last chart (no exercise id is empty)


class ProgressScreen:
    """One exercise at a time; Next (touch, the n or right-arrow key, voice "next"), Back (b, left), Home."""

    name = "progress"

    def __init__(self) -> None:
        self.index = 0

    def act(self, action: str) -> None:
        """Move to the next or previous exercise (wrapping round)."""
        if action == "next_chart":
            self.index += 1
        elif action == "previous_chart":
            self.index -= 1

    def draw(
        self,
        p: Painter,
        data: dict[str, list[WeekPoint]],
        names: dict[str, str],
        lang: str = DEFAULT_LANGUAGE,
        baseline: tuple[str, ...] = (),
        marks: dict[str, BaselineMark] | None = None,
    ) -> None:
        """One chart per exercise; with ``baseline`` sentences, a page of them after the last chart;
        ``marks``: where each side stood at the baseline (thin lines on that exercise's chart)."""
        p.clear()
        w, h = p.size
        m = p.px(16)
        bw, bh = p.px(170), p.px(theme.TOUCH_MIN_PX + 8)
        p.button(phrase("progress.home", lang), pygame.Rect(w - bw - m, h - bh - m, bw, bh), "home", role="body")
        if not data and not baseline:
            p.label(phrase("progress.title", lang), "heading", pygame.Rect(m, m, w - 2 * m, p.px(64)))
            p.paragraph(phrase("progress.empty", lang), "body", pygame.Rect(m, p.px(100), w - 2 * m, p.px(200)))
            return
        chunks = baseline_pages(p, baseline, h - bh - m)
        pages = sorted(data) + [BASELINE_PAGE] * len(chunks)
        exercise = pages[self.index % len(pages)]
        which = phrase("progress.which", lang, number=self.index % len(pages) + 1, total=len(pages))
        if exercise == BASELINE_PAGE:
            draw_baseline_page(p, chunks[self.index % len(pages) - len(data)], lang, h - bh - m)
            p.label(which, "small", pygame.Rect(w - m - p.px(130), m + p.px(12), p.px(130), p.px(40)), ink=theme.MUTED)
            if len(pages) > 1:
                self._next(p, lang)
            return
        name = names.get(exercise, exercise.replace("_", " ").capitalize())
        which_w = p.px(130)
        p.label(name, "heading", pygame.Rect(m, m, w - 3 * m - which_w, p.px(64)))
        p.label(which, "small", pygame.Rect(w - m - which_w, m + p.px(12), which_w, p.px(40)), ink=theme.MUTED)
        # The chart, its axes' words and the legend all end above the bottom buttons.
        mark = (marks or {}).get(exercise)
        room = p.px(32) if mark is not None else 0  # a line of words under the legend names the thin lines
        chart = pygame.Rect(m + p.px(70), p.px(124), w - p.px(120), h - p.px(334) - room)
        top = self.top(data[exercise], mark)
        self._axes(p, data[exercise], chart, lang, top)
        if mark is not None:
            under_legend = pygame.Rect(m, chart.bottom + p.px(86), w - 2 * m, room)
            self._baseline_lines(p, mark, chart, top, under_legend, lang)
        self._chart(p, data[exercise], chart, top)
        self._legend(p, pygame.Rect(m, chart.bottom + p.px(44), w - 2 * m, p.px(40)), lang)
        note = pygame.Rect(m, h - bh - m, w - 2 * bw - 4 * m, bh)
        p.paragraph(phrase("progress.estimates", lang), "small", note, theme.MUTED)
        if len(pages) > 1:
            self._next(p, lang)

    @staticmethod
    def _next(p: Painter, lang: str) -> None:
        """Next, left of Home (Back is the b or left-arrow key: the row has room for one more button only)."""
        w, h = p.size
        m = p.px(16)
        bw, bh = p.px(170), p.px(theme.TOUCH_MIN_PX + 8)
        p.button(
            phrase("progress.next", lang),
            pygame.Rect(w - 2 * bw - 2 * m, h - bh - m, bw, bh),
            "next_chart",
            role="body",
        )

    @staticmethod
    def top(points: list[WeekPoint], mark: BaselineMark | None = None) -> float:
        """The value at the top of the chart: 100 %, or more when a week (or the baseline) went above it."""
        levels = [mark.left_pct, mark.right_pct] if mark is not None else []
        return max([100.0, *levels] + [max(pt.left_pct, pt.right_pct) for pt in points])

    @staticmethod
    def _baseline_lines(
        p: Painter, mark: BaselineMark, box: pygame.Rect, top: float, words_at: pygame.Rect, lang: str
    ) -> None:
        """Each side's level at the baseline: a thin line across the chart, in that side's colour and pattern."""
        for series, value in ((SERIES[0], mark.right_pct), (SERIES[1], mark.left_pct)):
            y = int(box.bottom - box.height * value / top)
            dashed_line(p.surface, series.colour, (box.x, y), (box.right, y), p.px(series.dash), 2)
        words = phrase("baseline.chart_lines", lang, date=day_words(mark.day, baseline_words(lang)))
        p.label(words, "small", words_at, ink=theme.MUTED)

    def _axes(self, p: Painter, points: list[WeekPoint], box: pygame.Rect, lang: str, top: float) -> None:
        pygame.draw.line(p.surface, theme.MUTED, box.bottomleft, box.bottomright, 2)
        pygame.draw.line(p.surface, theme.MUTED, box.bottomleft, box.topleft, 2)
        p.label(
            phrase("progress.axis_y", lang),
            "small",
            pygame.Rect(box.x + p.px(8), p.px(84), box.width - p.px(8), p.px(36)),
            ink=theme.MUTED,
        )
        for value in (0, 50, 100):
            y = int(box.bottom - box.height * value / top)
            pygame.draw.line(p.surface, theme.MUTED, (box.x - p.px(6), y), (box.x, y), 2)
            tick = pygame.Rect(box.x - p.px(66), y - p.px(17), p.px(58), p.px(34))
            p.label(str(value), "small", tick, ink=theme.MUTED)
        months = phrase("home.months", lang).split()
        slot = box.width // max(1, len(points))
        for i, pt in enumerate(points):
            when = phrase("progress.week_of", lang, day=pt.week_start.day, month=months[pt.week_start.month - 1][:3])
            x = box.x + slot * i
            under = pygame.Rect(x + p.px(4), box.bottom + p.px(4), slot - p.px(8), p.px(36))
            p.label(when, "small", under, ink=theme.MUTED, centred=True)  # under its point, mid-slot

    def _chart(self, p: Painter, points: list[WeekPoint], box: pygame.Rect, top: float) -> None:
        def xy(i: int, value: float) -> Point:
            x = box.x + (box.width * (i + 0.5) / max(1, len(points)))
            return int(x), int(box.bottom - box.height * value / top)

        for series in SERIES:
            coords = [xy(i, series.value(pt)) for i, pt in enumerate(points)]
            for a, b in zip(coords, coords[1:], strict=False):
                dashed_line(p.surface, series.colour, a, b, p.px(series.dash), 4)
            for c in coords:
                marker(p.surface, series.colour, series.marker, c, p.px(8))

    @staticmethod
    def _legend(p: Painter, box: pygame.Rect, lang: str) -> None:
        """Each line's pattern and marker with its name, side by side."""
        slot = box.width // len(SERIES)
        sample = p.px(50)
        for i, series in enumerate(SERIES):
            x = box.x + i * slot
            y = box.centery
            dashed_line(p.surface, series.colour, (x, y), (x + sample, y), p.px(series.dash), 4)
            marker(p.surface, series.colour, series.marker, (x + sample // 2, y), p.px(8))
            words = pygame.Rect(x + sample + p.px(8), box.y, slot - sample - p.px(16), box.height)
            p.label(phrase(series.key, lang), "small", words, ink=series.colour)

    def action_for_touch(self, painter: Painter, x: int, y: int) -> str | None:
        action = painter.hit(x, y)
        if action is not None:
            self.act(action)
        return action


def dashed_line(surface: pygame.Surface, colour: theme.Colour, a: Point, b: Point, dash: int, width: int) -> None:
    """A line from a to b, solid when ``dash`` is 0, else in dashes of that length with equal gaps."""
    if dash <= 0:
        pygame.draw.line(surface, colour, a, b, width)
        return
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = max(1.0, (dx * dx + dy * dy) ** 0.5)
    steps = int(length // dash)
    for k in range(0, steps, 2):
        s, e = k * dash / length, min(1.0, (k + 1) * dash / length)
        pygame.draw.line(surface, colour, (a[0] + dx * s, a[1] + dy * s), (a[0] + dx * e, a[1] + dy * e), width)


def marker(surface: pygame.Surface, colour: theme.Colour, shape: str, at: Point, r: int) -> None:
    """A point marker: dot, square or triangle."""
    x, y = at
    if shape == "square":
        pygame.draw.rect(surface, colour, pygame.Rect(x - r, y - r, 2 * r, 2 * r))
    elif shape == "triangle":
        pygame.draw.polygon(surface, colour, [(x, y - r - 2), (x - r - 2, y + r), (x + r + 2, y + r)])
    else:
        pygame.draw.circle(surface, colour, at, r)
