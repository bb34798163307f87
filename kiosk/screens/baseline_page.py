"""The progress screen's page "Since your first assessment": plain sentences against the baseline."""

from __future__ import annotations

import pygame

from content.i18n import phrase
from kiosk.screens.overlays import summary_pages
from kiosk.ui import theme
from kiosk.ui.painter import Painter


def _area(p: Painter, bottom: int) -> pygame.Rect:
    m = p.px(16)
    return pygame.Rect(m, p.px(88), p.size[0] - 2 * m, bottom - p.px(88) - m)


def baseline_pages(p: Painter, lines: tuple[str, ...], bottom: int) -> list[list[str]]:
    """The sentences in pages of whole sentences that fit above ``bottom`` (the button row)."""
    return summary_pages(p, list(lines), _area(p, bottom)) if lines else []


def draw_baseline_page(p: Painter, lines: list[str], lang: str, bottom: int) -> None:
    """The title, one page of sentences, and the estimate note beside the buttons (where the charts have theirs)."""
    w = p.size[0]
    m = p.px(16)
    p.label(phrase("baseline.title", lang), "heading", pygame.Rect(m, m, w - 2 * m - p.px(140), p.px(64)))
    area = _area(p, bottom)
    y = area.y
    for line in lines:
        y = p.paragraph(line, "small", pygame.Rect(area.x, y, area.width, area.bottom - y)) + p.px(4)
    note = pygame.Rect(m, bottom, w - 2 * p.px(170) - 4 * m, p.size[1] - bottom - m)
    p.paragraph(phrase("baseline.note", lang), "small", note, theme.MUTED)
