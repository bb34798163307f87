"""Text and button drawing with pygame's bundled font (no system fonts needed)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pygame

from kiosk.ui import theme


@lru_cache(maxsize=32)
def font(px: int) -> pygame.font.Font:
    """pygame's bundled font at a pixel height."""
    return pygame.font.Font(None, px)


def text(
    surface: pygame.Surface,
    words: str,
    px: int,
    colour: theme.Colour,
    centre: tuple[int, int] | None = None,
    topleft: tuple[int, int] | None = None,
) -> pygame.Rect:
    """Draw one line of text; return where it went."""
    image = font(px).render(words, True, colour)
    rect = image.get_rect()
    if centre is not None:
        rect.center = centre
    elif topleft is not None:
        rect.topleft = topleft
    surface.blit(image, rect)
    return rect


def wrap(words: str, px: int, width: int) -> list[str]:
    """Split text into lines that fit ``width`` pixels."""
    f = font(px)
    lines: list[str] = []
    current = ""
    for word in words.split():
        candidate = f"{current} {word}".strip()
        if f.size(candidate)[0] <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Button:
    """A big touch target with a label."""

    label: str
    rect: pygame.Rect
    action: str
    fill: theme.Colour = theme.BUTTON
    ink: theme.Colour = theme.BUTTON_TEXT

    def draw(self, surface: pygame.Surface, px: int) -> None:
        pygame.draw.rect(surface, self.fill, self.rect, border_radius=px // 3)
        text(surface, self.label, px, self.ink, centre=self.rect.center)

    def hit(self, x: int, y: int) -> bool:
        return self.rect.collidepoint(x, y)
