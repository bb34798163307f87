"""Progress: movement of each side and symmetry over the weeks, as simple line charts."""

from __future__ import annotations

import pygame

from kiosk.progress import WeekPoint
from kiosk.ui import theme
from kiosk.ui.painter import Painter

RIGHT_COLOUR = theme.TEXT
LEFT_COLOUR = theme.BUTTON
SYMMETRY_COLOUR = theme.OK


class ProgressScreen:
    """One exercise at a time; Next shows the next one, Home goes back."""

    name = "progress"

    def __init__(self) -> None:
        self.index = 0

    def draw(self, p: Painter, data: dict[str, list[WeekPoint]], names: dict[str, str]) -> None:
        p.clear()
        w, h = p.size
        m = p.px(16)
        bw, bh = p.px(200), p.px(theme.TOUCH_MIN_PX + 8)
        p.button("Home", pygame.Rect(w - bw - m, h - bh - m, bw, bh), "home", role="body")
        if not data:
            p.text("Progress", "heading", topleft=(m, m))
            p.paragraph(
                "No measured exercises yet. After a few sessions your progress shows here.",
                "body",
                pygame.Rect(m, p.px(100), w - 2 * m, p.px(200)),
            )
            return
        exercise = sorted(data)[self.index % len(data)]
        p.text(names.get(exercise, exercise.replace("_", " ").capitalize()), "heading", topleft=(m, m))
        # The chart, its legend and the "estimates" line all end above the bottom buttons.
        chart = pygame.Rect(m + p.px(50), p.px(84), w - p.px(120), h - p.px(290))
        self._chart(p, data[exercise], chart)
        legend_y = chart.bottom + p.px(12)
        p.text("Right: white", "small", RIGHT_COLOUR, topleft=(m, legend_y))
        p.text("Left: yellow", "small", LEFT_COLOUR, topleft=(m + p.px(200), legend_y))
        p.text("Evenness: green", "small", SYMMETRY_COLOUR, topleft=(m + p.px(400), legend_y))
        p.text("Estimates from the camera.", "small", theme.MUTED, topleft=(m, legend_y + p.px(40)))
        if len(data) > 1:
            p.button("Next", pygame.Rect(w - 2 * bw - 2 * m, h - bh - m, bw, bh), "next_chart", role="body")

    @staticmethod
    def _chart(p: Painter, points: list[WeekPoint], box: pygame.Rect) -> None:
        pygame.draw.line(p.surface, theme.MUTED, box.bottomleft, box.bottomright, 2)
        pygame.draw.line(p.surface, theme.MUTED, box.bottomleft, box.topleft, 2)
        top = max([100.0] + [max(pt.left_pct, pt.right_pct) for pt in points])

        def xy(i: int, value: float) -> tuple[int, int]:
            x = box.x + (box.width * (i + 0.5) / max(1, len(points)))
            return int(x), int(box.bottom - box.height * value / top)

        series = (
            (RIGHT_COLOUR, [pt.right_pct for pt in points]),
            (LEFT_COLOUR, [pt.left_pct for pt in points]),
            (SYMMETRY_COLOUR, [pt.symmetry * 100 for pt in points]),
        )
        for colour, values in series:
            coords = [xy(i, v) for i, v in enumerate(values)]
            if len(coords) > 1:
                pygame.draw.lines(p.surface, colour, False, coords, 4)
            for c in coords:
                pygame.draw.circle(p.surface, colour, c, 7)

    def action_for_touch(self, painter: Painter, x: int, y: int) -> str | None:
        action = painter.hit(x, y)
        if action == "next_chart":
            self.index += 1
        return action
