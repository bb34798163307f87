"""Text and button drawing with pygame's bundled font (no system fonts needed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pygame

from kiosk.ui import theme

# pygame shrinks its default font to 69% when asked by None; opening the same file by path
# gives the true pixel size, so "34 px" on the screen really is 34 px.
FONT_FILE = str(Path(pygame.__file__).parent / "freesansbold.ttf")


_fonts: dict[int, pygame.font.Font] = {}


def font(px: int) -> pygame.font.Font:
    """pygame's bundled sans-serif bold font at a true pixel size (cached while pygame runs)."""
    if not pygame.font.get_init():
        pygame.font.init()
    if not _fonts:
        # Fonts made before pygame.quit() are dead (using one crashes the process), so the
        # cache is emptied at quit; pygame forgets quit hooks once run, hence registering again.
        pygame.register_quit(_fonts.clear)
    if px not in _fonts:
        _fonts[px] = pygame.font.Font(FONT_FILE, px)
    return _fonts[px]


@dataclass(frozen=True)
class Button:
    """A big touch target with a label."""

    label: str
    rect: pygame.Rect
    action: str
    fill: theme.Colour = theme.BUTTON
    ink: theme.Colour = theme.BUTTON_TEXT

    def hit(self, x: int, y: int) -> bool:
        return self.rect.collidepoint(x, y)
