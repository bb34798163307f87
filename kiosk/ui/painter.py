"""Draws text and buttons at scaled sizes and records what it drew, so tests can check the
words, sizes and contrast of every screen without reading pixels back."""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from kiosk.ui import theme
from kiosk.ui.draw import Button, font, wrap

ROLES = {
    "clock": theme.CLOCK_PX,
    "heading": theme.HEADING_PX,
    "body": theme.BODY_PX,
    "small": theme.SMALL_PX,
    "huge": 110,
}
BUTTON_PADDING_PX = 6  # design px kept free on each side of a button's label


@dataclass(frozen=True)
class DrawnText:
    """One line of text as drawn: words, pixel size, where, ink and paper colours."""

    words: str
    px: int
    rect: pygame.Rect
    ink: theme.Colour
    paper: theme.Colour


@dataclass
class Painter:
    """A surface plus the scale of the screen; remembers texts and buttons drawn this frame."""

    surface: pygame.Surface
    texts: list[DrawnText] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)

    @property
    def scale(self) -> theme.Scale:
        return theme.Scale(*self.surface.get_size())

    @property
    def size(self) -> tuple[int, int]:
        return self.surface.get_size()

    def px(self, design_px: int) -> int:
        return self.scale.px(design_px)

    def clear(self, paper: theme.Colour = theme.BACKGROUND) -> None:
        self.texts.clear()
        self.buttons.clear()
        self.surface.fill(paper)

    def text(
        self,
        words: str,
        role: str,
        ink: theme.Colour = theme.TEXT,
        *,
        paper: theme.Colour = theme.BACKGROUND,
        topleft: tuple[int, int] | None = None,
        centre: tuple[int, int] | None = None,
    ) -> pygame.Rect:
        """One line of text in a role's size (clock, heading, body, small, huge)."""
        px = self.px(ROLES[role])
        image = font(px).render(words, True, ink)
        rect = image.get_rect()
        if centre is not None:
            rect.center = centre
        else:
            rect.topleft = topleft or (0, 0)
        self.surface.blit(image, rect)
        self.texts.append(DrawnText(words, px, rect, ink, paper))
        return rect

    def paragraph(
        self,
        words: str,
        role: str,
        box: pygame.Rect,
        ink: theme.Colour = theme.TEXT,
        paper: theme.Colour = theme.BACKGROUND,
        max_lines: int = 4,
        page: int = 0,
    ) -> int:
        """Wrapped text inside ``box``; longer text shows ``page`` (of max_lines each, cycling).

        Returns the y below the last line.
        """
        px = self.px(ROLES[role])
        y = box.y
        lines = wrap(words, px, box.width)
        pages = max(1, -(-len(lines) // max_lines))
        first = (page % pages) * max_lines
        for line in lines[first : first + max_lines]:
            y = self.text(line, role, ink, paper=paper, topleft=(box.x, y)).bottom + self.px(4)
        return y

    def button(
        self,
        label: str,
        rect: pygame.Rect,
        action: str,
        fill: theme.Colour = theme.BUTTON,
        ink: theme.Colour = theme.BUTTON_TEXT,
        role: str = "heading",
    ) -> Button:
        """A big touch target; it is remembered for hit-testing.

        A label too wide for its button in ``role`` is drawn in the next smaller role that fits (down to
        small, the smallest readable size), so a longer word in another language still fits.
        """
        button = Button(label, rect, action, fill, ink)
        pygame.draw.rect(self.surface, fill, rect, border_radius=self.px(14))
        room = rect.width - 2 * self.px(BUTTON_PADDING_PX)
        smaller = [r for r in sorted(ROLES, key=ROLES.__getitem__, reverse=True) if ROLES[r] <= ROLES[role]]
        role = next((r for r in smaller if font(self.px(ROLES[r])).size(label)[0] <= room), "small")
        self.text(label, role, ink, paper=fill, centre=rect.center)
        self.buttons.append(button)
        return button

    def hit(self, x: int, y: int) -> str | None:
        """The action of the button at (x, y), if any (last drawn wins: overlays are on top)."""
        for button in reversed(self.buttons):
            if button.hit(x, y):
                return button.action
        return None

    def all_words(self) -> str:
        return " ".join(t.words for t in self.texts)
