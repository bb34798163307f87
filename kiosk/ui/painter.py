"""Draws text and buttons at scaled sizes and records what it drew, so tests can check the
words, sizes and contrast of every screen without reading pixels back."""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from kiosk.ui import layout, theme
from kiosk.ui.draw import Button, font

ROLES = {
    "clock": theme.CLOCK_PX,
    "heading": theme.HEADING_PX,
    "body": theme.BODY_PX,
    "small": theme.SMALL_PX,
    "huge": 110,
}
SMALLEST_PX = theme.SMALL_PX
BUTTON_PADDING_PX = 6  # design px kept free on each side of a button's label
LINE_GAP_PX = 4  # design px between the lines of a paragraph


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
        max_lines: int | None = None,
        page: int = 0,
    ) -> int:
        """Wrapped text inside ``box``: in ``role``'s size, or a smaller one when that fits it all;
        text longer than the box shows ``page`` (cycling) of pages that each start at a sentence.

        ``max_lines`` caps the lines of a page below what the box's height allows. Returns the y
        below the last line.
        """
        chosen, shown = role, [[]]
        for r in self.smaller_roles(role):
            chosen = r
            shown = layout.pages(words, self.measure(r), box.width, self.lines_in(r, box.height, max_lines))
            if len(shown) == 1:
                break
        y = box.y
        for line in shown[page % len(shown)]:
            y = self.text(line, chosen, ink, paper=paper, topleft=(box.x, y)).bottom + self.px(LINE_GAP_PX)
        return y

    def label(
        self,
        words: str,
        role: str,
        box: pygame.Rect,
        *,
        centred: bool = False,
        ink: theme.Colour = theme.TEXT,
        paper: theme.Colour = theme.BACKGROUND,
    ) -> pygame.Rect:
        """A short label that fits ``box``: shrunk (down to small), then wrapped, then its longest
        words abbreviated; never cut. Returns the rectangle the lines take."""
        chosen, lines = self.fit(words, role, box)
        height = self.block_height(chosen, len(lines))
        y = box.centery - height // 2 if centred else box.y
        rects = []
        for line in lines:
            if centred:
                rect = self.text(
                    line,
                    chosen,
                    ink,
                    paper=paper,
                    centre=(box.centerx, y + font(self.px(ROLES[chosen])).get_height() // 2),
                )
            else:
                rect = self.text(line, chosen, ink, paper=paper, topleft=(box.x, y))
            rects.append(rect)
            y = rect.bottom + self.px(LINE_GAP_PX)
        return rects[0].unionall(rects[1:]) if rects else pygame.Rect(box.topleft, (0, 0))

    def fit(self, words: str, role: str, box: pygame.Rect) -> tuple[str, list[str]]:
        """The role and lines in which ``words`` fit ``box``: one line, else wrapped, else abbreviated."""
        roles = self.smaller_roles(role)
        for r in roles:
            if self.measure(r)(words) <= box.width and self.block_height(r, 1) <= box.height:
                return r, [words]
        for r in roles:
            lines = layout.wrap(words, self.measure(r), box.width)
            widest = max((self.measure(r)(line) for line in lines), default=0)
            if widest <= box.width and self.block_height(r, len(lines)) <= box.height:
                return r, lines
        small = roles[-1]
        short = layout.abbreviate(words, self.measure(small), box.width)
        if self.block_height(small, 2) <= box.height and self.measure(small)(short) > box.width:
            return small, layout.wrap(short, self.measure(small), box.width)
        return small, [short]

    def smaller_roles(self, role: str) -> list[str]:
        """``role`` and every smaller text role down to small (the smallest readable size)."""
        return [r for r in sorted(ROLES, key=ROLES.__getitem__, reverse=True) if SMALLEST_PX <= ROLES[r] <= ROLES[role]]

    def measure(self, role: str) -> layout.Measure:
        """The pixel width of a string in ``role``'s font."""
        f = font(self.px(ROLES[role]))
        return lambda text: f.size(text)[0]

    def block_height(self, role: str, lines: int) -> int:
        """Pixels that ``lines`` lines of ``role`` take, with the gaps between them."""
        return lines * font(self.px(ROLES[role])).get_height() + max(0, lines - 1) * self.px(LINE_GAP_PX)

    def lines_in(self, role: str, height: int, cap: int | None = None) -> int:
        """How many lines of ``role`` fit ``height`` (at least one), at most ``cap``."""
        line = font(self.px(ROLES[role])).get_height() + self.px(LINE_GAP_PX)
        fit = max(1, (height + self.px(LINE_GAP_PX)) // line)
        return min(fit, cap) if cap else fit

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

        A label too wide for its button in ``role`` is drawn smaller (down to small, the smallest
        readable size), then on two lines, then with its longest words abbreviated: never cut.
        """
        button = Button(label, rect, action, fill, ink)
        pygame.draw.rect(self.surface, fill, rect, border_radius=self.px(14))
        pad = self.px(BUTTON_PADDING_PX)
        box = rect.inflate(-2 * pad, -2 * pad)
        if self.fit(label, role, box)[1] != [label] and self.fit(label, role, rect.inflate(-4, -2 * pad))[1] == [label]:
            box = rect.inflate(-4, -2 * pad)  # one whole line with a thinner margin beats two lines or a short form
        self.label(label, role, box, ink=ink, paper=fill, centred=True)
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
